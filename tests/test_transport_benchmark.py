"""The PyVRP side of ``benchmarks/transport.py``: same instance, warm starts, routes translated back and checked."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from benchmarks.transport import benchmark_instance, first_fit_routes, pyvrp_solve
from solvers.transport import DROPOFF, PICKUP, TransportProblem, check_routes, construct_start, evaluate
from tests.test_transport_solver import synthetic_day


def _with_a_mixed_party(ride: int | None = 60) -> TransportProblem:
    problem = synthetic_day(sessions=2, parties=3, vehicles=6, ride=ride)
    first = problem.requests[0]
    halves = (
        dataclasses.replace(first, id=first.id + "/chairs", seated=0, wheelchairs=1),
        dataclasses.replace(first, id=first.id + "/walkers", wheelchairs=0),
    )
    mixed = dataclasses.replace(first, wheelchairs=1, parts=halves)
    return dataclasses.replace(problem, requests=(mixed, *problem.requests[1:]))


def test_benchmark_instance_drops_the_ride_limit_and_cuts_mixed_parties_for_both_solvers():
    problem = _with_a_mixed_party()
    bench = benchmark_instance(problem)
    assert bench.max_ride_min is None
    assert not any(r.parts for r in bench.requests)
    ids = {r.id for r in bench.requests}
    assert problem.requests[0].id not in ids
    assert {p.id for p in problem.requests[0].parts} <= ids
    assert sum(r.passengers for r in bench.requests) == sum(r.passengers for r in problem.requests)
    whole = benchmark_instance(problem, whole_parties=True)
    assert problem.requests[0].id in {r.id for r in whole.requests}
    assert not any(r.parts for r in whole.requests)


def _served_once(routes: dict[str, list[tuple[str, str]]]) -> Counter[tuple[str, str]]:
    return Counter(step for steps in routes.values() for step in steps)


@pytest.mark.parametrize("make_start", [first_fit_routes, construct_start])
def test_warm_starts_are_valid_routes(make_start):
    problem = benchmark_instance(synthetic_day(sessions=3, parties=4, vehicles=10))
    routes = make_start(problem)
    counts = _served_once(routes)
    assert all(n == 1 for n in counts.values())
    assert {rid for rid, _ in counts} == {r.id for r in problem.requests}
    for steps in routes.values():
        seen: set[str] = set()
        for rid, action in steps:
            assert action == PICKUP or rid in seen  # drop-off after its pickup, same vehicle
            seen.add(rid)
    assert {a for steps in routes.values() for _, a in steps} == {PICKUP, DROPOFF}


def test_pyvrp_plans_are_translated_back_checked_and_scored_like_ours():
    pytest.importorskip("pyvrp")
    problem = benchmark_instance(synthetic_day(sessions=3, parties=4, vehicles=10))
    start = construct_start(problem)
    row = pyvrp_solve(problem, 1.0, start=start)
    assert row["feasible"], row["note"]
    # PyVRP keeps the best feasible plan, so it is never worse than the warm start it was given
    from benchmarks.transport import _from_pyvrp_solution, _to_pyvrp_solution, pyvrp_instance

    instance = pyvrp_instance(problem)
    data = instance.model.data()
    routes = _from_pyvrp_solution(problem, instance, _to_pyvrp_solution(problem, instance, data, start))
    assert check_routes(problem, routes) == []
    used, driving, _, _ = evaluate(problem, routes, [])
    assert row["vehicles"] * 10_000 + row["driving_min"] <= used * 10_000 + driving


def test_best_pyvrp_run_is_the_cheapest_feasible_one_of_any_start():
    from benchmarks.transport import best_pyvrp

    rows = [
        ("ours", {"feasible": True, "vehicles": 1, "driving_min": 5}),
        ("pyvrp", {"feasible": False, "vehicles": 1, "driving_min": 1}),
        ("pyvrp first-fit start", {"feasible": True, "vehicles": 2, "driving_min": 100}),
        ("pyvrp ours start", {"feasible": True, "vehicles": 2, "driving_min": 90}),
        ("ours+ride", {"feasible": True, "vehicles": 1, "driving_min": 1}),
    ]
    assert best_pyvrp(rows) == ("pyvrp ours start", 20_090)
    assert best_pyvrp(rows[:2]) is None
