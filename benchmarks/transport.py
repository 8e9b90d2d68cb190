"""Transport benchmark: our shuttle planner against PyVRP on the busiest day of each fixture.

Run (prints one table, figures side by side)::

    /work/venv/bin/python -m benchmarks.transport --sizes small district games --budgets 10 60

For each fixture size: the accommodation comes from
``planner.services.accommodation.plan_accommodation`` (``--rooming simple``
uses a quick delegation-by-delegation hotel fill instead); the busiest day is
the day with the most travellers; its demand (parties per session, delegation
and hotel, cut into vehicle loads) is built by ``planner.services.transport``.
Then, at each time budget:

- ``ours``: :func:`solvers.transport.solve_transport` on the instance
  *without* the ride-time limit (PyVRP cannot model it), so that both solvers
  solve the same problem;
- ``pyvrp``: PyVRP (dev-only peer, 0.14) with one shipment per request
  (pickup and delivery windows, two load dimensions: seats and wheelchair
  places), one vehicle type per depot, size and window, the same fixed cost
  per vehicle and cost per driving minute, ``MaxRuntime(budget)``;
- ``ours+ride``: the real problem, with the ride-time limit, through the
  planning service (demand, solve, plan rows), its plan re-checked by
  ``planner.check.check_plan`` on that day's sessions;
- ``ours 1 band``: where the day has more requests than one time band but
  few enough for one model (``--whole-day-up-to``), ours without the time
  band decomposition: the price (or gain) of cutting the day.

Cost = vehicles x 10,000 + driving minutes (the weights of
:class:`solvers.transport.TransportWeights`: a vehicle costs as much as
10,000 driving minutes). Waiting at the venue is not compared: PyVRP has no
soft time windows. Requests no vehicle can serve at all (checked before
solving) are left out of both; none are in the fixtures.

Timings depend on the machine and on what else runs on it; say so when
quoting them.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import warnings
from collections import defaultdict
from datetime import date
from typing import Any

from planner.check import check_plan
from planner.dataset import Dataset
from planner.plan import Plan
from planner.services.transport import TransportParams, build_demand, build_problem, plan_transport
from solvers.transport import SolveSettings, TransportProblem, check_routes, solve_transport, static_cause


def simple_rooming(data: Dataset) -> list[dict[str, Any]]:
    """Delegation by delegation, fill approved hotels' beds in id order (transport only needs the hotel)."""
    free: list[list[Any]] = []
    for room in sorted(data.rooms, key=lambda r: (r.hotel, r.room)):
        if data.hotels[room.hotel].approved:
            free.append([room.hotel, room.room, room.beds])
    rows = []
    for _, people in sorted(data.people_by_delegation.items()):
        for p in sorted(people, key=lambda p: p.id):
            while free and free[0][2] == 0:
                free.pop(0)
            if not free:
                break
            free[0][2] -= 1
            rows.append(
                {
                    "person": p.id,
                    "hotel": free[0][0],
                    "room": free[0][1],
                    "check_in": p.arrival_date,
                    "check_out": p.departure_date,
                }
            )
    return rows


def busiest_day(data: Dataset) -> date:
    """The day with the most travellers to sessions."""
    load: dict[date, int] = defaultdict(int)
    for s in data.sessions.values():
        load[s.date] += len(data.travellers(s))
    return max(sorted(load), key=lambda d: load[d])


def pyvrp_solve(problem: TransportProblem, budget_s: float, seed: int = 0) -> dict[str, Any]:
    """Solve ``problem`` (without ride limit) with PyVRP; vehicles, driving minutes, feasibility, time."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    started = time.monotonic()
    model = pyvrp.Model()
    where = {p: model.add_location(0, 0, name=p) for p in problem.places}
    for a in problem.places:
        for b in problem.places:
            minutes = problem.travel(a, b)
            model.add_edge(where[a], where[b], distance=minutes, duration=minutes)
    depots: dict[str, Any] = {}
    kinds: dict[tuple[str, int, int, int, int], int] = defaultdict(int)
    for v in problem.vehicles:
        kinds[(v.depot, v.seats, v.wheelchair_places, v.available_from_min, v.available_to_min)] += 1
    fixed = problem.weights.vehicle // problem.weights.driving_min
    for (depot, seats, chairs, start, end), count in sorted(kinds.items()):
        if depot not in depots:
            depots[depot] = model.add_depot(where[depot], name=depot)
        model.add_vehicle_type(
            count,
            [seats, chairs],
            depots[depot],
            depots[depot],
            fixed_cost=fixed,
            tw_early=start,
            tw_late=end,
            unit_distance_cost=1,
        )
    for r in problem.requests:
        model.add_shipment(
            where[r.pickup],
            where[r.dropoff],
            pickup_tw_early=r.pickup_window[0],
            pickup_tw_late=r.pickup_window[1],
            delivery_tw_early=r.dropoff_window[0],
            delivery_tw_late=r.dropoff_window[1],
            amount=[r.seated, r.wheelchairs],
            name=r.id,
        )
    build_s = time.monotonic() - started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.solve(MaxRuntime(max(0.1, budget_s - build_s)), seed=seed, display=False)
    best = result.best
    feasible = bool(best.is_feasible())
    return {
        "vehicles": best.num_routes(),
        "driving_min": int(best.distance()),
        "unserved": 0 if feasible else None,
        "feasible": feasible,
        "seconds": time.monotonic() - started,
    }


def ours_solve(problem: TransportProblem, budget_s: float, seed: int = 0, bands: bool = True) -> dict[str, Any]:
    settings = SolveSettings(time_limit_s=budget_s, seed=seed)
    if not bands:
        settings = dataclasses.replace(settings, max_band_requests=0)
    plan = solve_transport(problem, settings)
    errors = check_routes(problem, plan.routes)
    return {
        "vehicles": plan.vehicles_used,
        "driving_min": plan.driving_min,
        "unserved": len(plan.unserved),
        "feasible": not plan.unserved and not errors,
        "seconds": plan.solve_seconds,
        "bands": plan.bands,
    }


def service_run(
    data: Dataset, rooming: list[dict[str, Any]], day: date, budget_s: float, seed: int = 0
) -> dict[str, Any]:
    """The real problem (ride limit kept) through the planning service, checked by the checker."""
    started = time.monotonic()
    outcome = plan_transport(
        data, rooming=rooming, params=TransportParams(time_limit_s=budget_s, seed=seed, days=(day,))
    )
    seconds = time.monotonic() - started
    one_day = dataclasses.replace(data, sessions={k: s for k, s in data.sessions.items() if s.date == day})
    plan = Plan(
        rooming=rooming,
        transport=outcome.plan.transport,
        manifest=outcome.plan.manifest,
        unassigned=outcome.plan.unassigned,
    )
    report = check_plan(one_day, plan, kinds=["transport"])
    stats = outcome.stats["days"].get(day.isoformat(), {})
    unserved_people = sum(1 for r in outcome.plan.unassigned if r["kind"] == "ride" and ":" in str(r["id"]))
    return {
        "vehicles": stats.get("vehicles_used", 0),
        "driving_min": stats.get("driving_min", 0),
        "unserved": unserved_people,
        "feasible": report.ok and unserved_people == 0,
        "checker": "ok" if report.ok else f"{len(report.violations)} violations",
        "seconds": seconds,
        "rides": len(outcome.plan.manifest),
    }


def cost(row: dict[str, Any]) -> int | None:
    if not row.get("feasible"):
        return None
    return int(row["vehicles"]) * 10_000 + int(row["driving_min"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["small", "district", "games"])
    parser.add_argument("--budgets", nargs="+", type=float, default=[10.0, 60.0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rooming", choices=("planned", "simple"), default="planned")
    parser.add_argument("--accommodation-limit", type=float, default=60.0, help="seconds for the accommodation plan")
    parser.add_argument("--skip-pyvrp", action="store_true")
    parser.add_argument("--skip-service", action="store_true", help="leave out the ours+ride column")
    parser.add_argument(
        "--whole-day-up-to", type=int, default=600, help="also solve days with up to this many requests as one band"
    )
    args = parser.parse_args(argv)

    from fixtures.generate import generate

    lines = []
    header = (
        f"{'instance':<30} {'budget':>6} | {'solver':<10} {'vehicles':>8} {'driving':>8} {'unserved':>8} "
        f"{'cost':>9} {'ratio':>6} {'time s':>7} | note"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        data = Dataset.from_workbook(generate(size, args.seed))
        t0 = time.monotonic()
        if args.rooming == "planned":
            from planner.services.accommodation import AccommodationParams, plan_accommodation

            rooming = plan_accommodation(
                data, params=AccommodationParams(time_limit_s=args.accommodation_limit)
            ).plan.rooming
            how = f"accommodation plan {time.monotonic() - t0:.0f} s"
        else:
            rooming = simple_rooming(data)
            how = "simple hotel fill"
        day = busiest_day(data)
        params = TransportParams(days=(day,))
        loads = build_demand(data, rooming, params).loads_by_day.get(day, [])
        problem = build_problem(data, loads, params)
        free = dataclasses.replace(problem, max_ride_min=None)
        servable = tuple(r for r in free.requests if static_cause(free, r) is None)
        free = dataclasses.replace(free, requests=servable)
        name = f"{size} {day} ({len(servable)} req, {len(problem.vehicles)} veh)"
        print(
            f"# {name}: rooming from {how}; {len(problem.requests) - len(servable)} request(s) no vehicle can serve left out",
            flush=True,
        )
        for budget in args.budgets:
            rows: list[tuple[str, dict[str, Any]]] = [("ours", ours_solve(free, budget, args.seed))]
            if not args.skip_pyvrp:
                rows.append(("pyvrp", pyvrp_solve(free, budget, args.seed)))
            if not args.skip_service:
                rows.append(("ours+ride", service_run(data, rooming, day, budget, args.seed)))
            if SolveSettings().max_band_requests < len(servable) <= args.whole_day_up_to:
                rows.append(("ours 1 band", ours_solve(free, budget, args.seed, bands=False)))
            reference = cost(rows[1][1]) if len(rows) > 1 and rows[1][0] == "pyvrp" else None
            for solver, row in rows:
                c = cost(row)
                ratio = f"{c / reference:.3f}" if c is not None and reference and solver == "ours" else ""
                note = "" if row["feasible"] else "infeasible / incomplete"
                if "checker" in row:
                    note = f"checker {row['checker']}, {row['rides']} rides" + (
                        "" if row["feasible"] else ", NOT all served"
                    )
                if "bands" in row:
                    note = f"{row['bands']} band(s)" + ("" if row["feasible"] else ", NOT all served")
                line = (
                    f"{name:<30} {budget:>6.0f} | {solver:<10} {row['vehicles']:>8} {row['driving_min']:>8} "
                    f"{'-' if row['unserved'] is None else row['unserved']:>8} {'-' if c is None else c:>9} {ratio:>6} "
                    f"{row['seconds']:>7.1f} | {note}"
                )
                print(line, flush=True)
                lines.append(line)
    print("\ncost = vehicles x 10000 + driving minutes; ratio = ours / PyVRP (same instance, no ride limit);")
    print("ours+ride = the real problem with the ride-time limit through the service, checked by planner.check.")
    print("Timings from a machine shared with other work.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
