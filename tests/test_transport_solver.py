"""The pure shuttle solver (:mod:`solvers.transport`) on synthetic days, and the small fixture end to end."""

from __future__ import annotations

import dataclasses
import math
import random
import time

import pytest

from solvers.transport import (
    CAUSE_NO_VEHICLE_IN_TIME,
    CAUSE_NO_WHEELCHAIR_VEHICLE,
    CAUSE_RIDE_TOO_LONG,
    DROPOFF,
    PICKUP,
    RideRequest,
    SolveSettings,
    TransportProblem,
    TransportVehicle,
    VehicleDay,
    Visit,
    _eliminate_vehicles,
    _improve_by_windows,
    _keep_apart,
    _timetable,
    check_routes,
    construct_start,
    evaluate,
    schedule_route,
    solve_transport,
    split_into_bands,
)


def synthetic_day(
    sessions: int = 4, parties: int = 5, vehicles: int = 12, seed: int = 0, ride: int | None = 60
) -> TransportProblem:
    """Hotels and venues on a 15 km square, parties going to sessions and back."""
    rng = random.Random(seed)
    spots = {f"H{i}": (rng.uniform(0, 15), rng.uniform(0, 15)) for i in range(12)}
    spots.update({f"V{i}": (rng.uniform(3, 12), rng.uniform(3, 12)) for i in range(3)})
    spots.update({f"D{i}": (rng.uniform(0, 15), rng.uniform(0, 15)) for i in range(2)})
    places = tuple(spots)

    def minutes(a: str, b: str) -> int:
        (x1, y1), (x2, y2) = spots[a], spots[b]
        return math.ceil(math.hypot(x1 - x2, y1 - y2) * 1.3 / 25 * 60)

    travel = tuple(tuple(minutes(a, b) for b in places) for a in places)
    fleet = []
    for i in range(vehicles):
        seats, chairs = ((45, 0), (19, 0), (6, 2))[i % 3]
        fleet.append(TransportVehicle(f"K{i:02d}", seats, chairs, f"D{i % 2}", 6 * 60, 23 * 60))
    requests = []
    for s in range(sessions):
        venue = f"V{s % 3}"
        start = 8 * 60 + 90 * s
        end = start + 120
        for p in range(parties):
            hotel = f"H{rng.randrange(12)}"
            chairs = 1 if rng.random() < 0.15 else 0
            seated = rng.randint(2, 5) if chairs else rng.randint(2, 30)
            latest = start - 30
            drive = minutes(hotel, venue)
            limit = ride or 600
            requests.append(
                RideRequest(
                    f"S{s}P{p}out",
                    hotel,
                    venue,
                    seated,
                    chairs,
                    (max(0, latest - 90 - limit), latest - drive),
                    (latest - 90, latest),
                    DROPOFF,
                )
            )
            requests.append(
                RideRequest(
                    f"S{s}P{p}back",
                    venue,
                    hotel,
                    seated,
                    chairs,
                    (end, end + 90),
                    (end + minutes(venue, hotel), end + 90 + limit),
                    PICKUP,
                )
            )
    return TransportProblem(places, travel, tuple(fleet), tuple(requests), ride)


def test_a_synthetic_day_is_served_within_every_constraint():
    problem = synthetic_day()
    plan = solve_transport(problem, SolveSettings(time_limit_s=2.0))
    assert plan.status == "feasible" and not plan.unserved
    assert check_routes(problem, plan.routes) == []
    served = {v.request for r in plan.routes for v in r.visits}
    assert served == {r.id for r in problem.requests}
    used, driving, waiting, objective = evaluate(problem, plan.routes, [])
    assert (used, driving, waiting, objective) == (
        plan.vehicles_used,
        plan.driving_min,
        plan.waiting_person_min,
        plan.objective,
    )


def test_time_bands_keep_every_constraint_and_vehicles_carry_over():
    problem = synthetic_day(sessions=6, parties=5)
    plan = solve_transport(problem, SolveSettings(time_limit_s=3.0, max_band_requests=12))
    assert plan.bands >= 5
    assert plan.status == "feasible"
    assert check_routes(problem, plan.routes) == []
    # a vehicle used in several bands keeps one day: one depot departure, visits in time order
    for route in plan.routes:
        times = [v.arrive_min for v in route.visits]
        assert times == sorted(times)


def test_greedy_start_is_deterministic_for_a_seed():
    problem = synthetic_day(sessions=3)
    fast = SolveSettings(time_limit_s=0.05, seed=7)  # no time to search: the greedy plan is the answer
    first, second = solve_transport(problem, fast), solve_transport(problem, fast)
    assert first.routes == second.routes
    assert check_routes(problem, first.routes) == []


def test_search_improves_or_keeps_the_greedy_plan():
    problem = synthetic_day(sessions=3, parties=6)
    greedy = solve_transport(problem, SolveSettings(time_limit_s=0.05))
    searched = solve_transport(problem, SolveSettings(time_limit_s=2.0))
    assert searched.objective <= greedy.objective


def test_bands_are_cut_at_the_widest_gap_and_keep_time_order():
    def request(i: int, at: int) -> RideRequest:
        return RideRequest(f"r{i}", "A", "B", 1, 0, (at, at + 10), (at + 10, at + 20))

    requests = [request(i, t) for i, t in enumerate([100, 110, 120, 500, 510, 520, 530])]
    bands = split_into_bands(requests, 5)
    assert [len(b) for b in bands] == [3, 4]
    assert [r.id for b in bands for r in b] == [f"r{i}" for i in range(7)]
    assert split_into_bands(requests, 0) == [requests]


def _routes_one_request_per_vehicle(problem: TransportProblem) -> list[VehicleDay]:
    """Each request alone on its own vehicle (a wasteful plan that keeps every rule)."""
    by_vehicle = {v.id: v for v in problem.vehicles}
    routes = []
    for vehicle, r in zip(problem.vehicles, problem.requests, strict=False):
        routes.append(_timetable(problem, by_vehicle[vehicle.id], [(r, PICKUP), (r, DROPOFF)]))
    return routes


def test_vehicle_elimination_moves_whole_trips_and_keeps_every_rule():
    problem = _two_place_problem()
    fleet = tuple(TransportVehicle(f"K{i}", 4, 1, "D", 6 * 60, 23 * 60) for i in range(3))
    requests = tuple(
        RideRequest(f"r{i}", "H", "V", 2, 0, (400 + 240 * i, 560 + 240 * i), (500 + 240 * i, 580 + 240 * i), DROPOFF)
        for i in range(3)
    )
    problem = dataclasses.replace(problem, vehicles=fleet, requests=requests)
    routes = _routes_one_request_per_vehicle(problem)
    assert evaluate(problem, routes, [])[0] == 3
    fewer = _eliminate_vehicles(problem, routes, deadline=math.inf)
    assert check_routes(problem, fewer) == []
    # four hours apart, one vehicle carries all three; every request still served once
    assert evaluate(problem, fewer, [])[0] == 1
    assert sorted(v.request for r in fewer for v in r.visits if v.action == PICKUP) == ["r0", "r1", "r2"]


def test_vehicle_elimination_leaves_a_plan_alone_when_no_vehicle_can_be_saved():
    problem = _two_place_problem()
    fleet = tuple(TransportVehicle(f"K{i}", 4, 1, "D", 6 * 60, 23 * 60) for i in range(2))
    # the same window, and together they do not fit one vehicle
    requests = tuple(RideRequest(f"r{i}", "H", "V", 3, 0, (540, 560), (560, 580), DROPOFF) for i in range(2))
    problem = dataclasses.replace(problem, vehicles=fleet, requests=requests)
    routes = _routes_one_request_per_vehicle(problem)
    assert _eliminate_vehicles(problem, routes, deadline=math.inf) == routes


def test_vehicle_elimination_keeps_a_trip_timed_with_waiting_on_board():
    problem = _two_place_problem()
    fleet = tuple(TransportVehicle(f"K{i}", 4, 1, "D", 6 * 60, 23 * 60) for i in range(2))
    # the drop-off window opens long after the pickup window closes: the passengers wait on board
    early = RideRequest("early", "H", "V", 2, 0, (400, 410), (450, 460), DROPOFF)
    late = RideRequest("late", "H", "V", 2, 0, (700, 720), (740, 760), DROPOFF)
    problem = dataclasses.replace(problem, vehicles=fleet, requests=(early, late), max_ride_min=None)
    routes = _routes_one_request_per_vehicle(problem)
    assert check_routes(problem, routes) == []
    fewer = _eliminate_vehicles(problem, routes, deadline=math.inf)
    assert check_routes(problem, fewer) == []
    assert evaluate(problem, fewer, [])[0] == 1


def test_a_day_of_several_bands_uses_no_more_vehicles_than_the_whole_day_greedy_plan():
    problem = synthetic_day(sessions=6, parties=5)
    plan = solve_transport(problem, SolveSettings(time_limit_s=3.0, max_band_requests=12))
    assert plan.bands >= 5 and plan.status == "feasible"
    assert check_routes(problem, plan.routes) == []
    assert plan.vehicles_used <= len(construct_start(problem))


def test_window_passes_with_ruined_starts_keep_every_rule_and_never_cost_more():
    problem = synthetic_day(sessions=6, parties=5)
    by_id = problem.request_index()
    vehicles = {v.id: v for v in problem.vehicles}
    start = [
        _timetable(problem, vehicles[vid], [(by_id[rid], action) for rid, action in steps])
        for vid, steps in construct_start(problem).items()
    ]
    before = evaluate(problem, start, [])
    now = time.monotonic()
    # windows of 8 requests: several windows and passes (the later ones start from ruined windows)
    improved = _improve_by_windows(problem, start, now + 3.0, SolveSettings(), now, None, None, limit=8)
    assert check_routes(problem, improved) == []
    served = sorted(v.request for r in improved for v in r.visits if v.action == PICKUP)
    assert served == sorted(r.id for r in problem.requests)
    assert evaluate(problem, improved, [])[3] <= before[3]


def _two_place_problem(**changes) -> TransportProblem:
    places = ("D", "H", "V")
    travel = ((0, 10, 10), (10, 0, 20), (10, 20, 0))
    fleet = (TransportVehicle("K", 4, 1, "D", 6 * 60, 23 * 60),)
    requests = (RideRequest("r", "H", "V", 2, 0, (400, 560), (500, 580), DROPOFF),)
    problem = TransportProblem(places, travel, fleet, requests, 60)
    return dataclasses.replace(problem, **changes)


@pytest.mark.parametrize(
    ("changes", "cause"),
    [
        ({"max_ride_min": 15}, CAUSE_RIDE_TOO_LONG),
        ({"requests": (RideRequest("r", "H", "V", 1, 2, (400, 560), (500, 580)),)}, CAUSE_NO_WHEELCHAIR_VEHICLE),
        ({"vehicles": (TransportVehicle("K", 4, 1, "D", 9 * 60 + 50, 23 * 60),)}, CAUSE_NO_VEHICLE_IN_TIME),
    ],
)
def test_impossible_requests_are_reported_with_their_cause(changes, cause):
    plan = solve_transport(_two_place_problem(**changes), SolveSettings(time_limit_s=0.5))
    assert [(u.request, u.cause) for u in plan.unserved] == [("r", cause)]
    assert plan.status == "partial" and not plan.routes


def test_timetable_waits_at_the_depot_not_with_passengers():
    problem = _two_place_problem()
    vehicle = problem.vehicles[0]
    r = problem.requests[0]
    leave, times = schedule_route(problem, vehicle, "D", 0, [(r, PICKUP), (r, DROPOFF)])
    (pick_arrive, pick_depart), (drop_arrive, _) = times
    assert drop_arrive == 580  # as late as allowed: no waiting at the venue
    assert pick_depart == 560 and pick_arrive == 560 and leave == 550
    assert problem.max_ride_min is not None and drop_arrive - pick_depart <= problem.max_ride_min


def test_problem_validation():
    with pytest.raises(ValueError):
        TransportProblem(("A",), ((0,),), (TransportVehicle("K", 1, 0, "X", 0, 10),), ())
    with pytest.raises(ValueError):
        RideRequest("r", "A", "B", 0, 0, (0, 1), (0, 1))
    with pytest.raises(ValueError):
        SolveSettings(first_solution="NOPE")


@pytest.mark.slow
def test_small_fixture_transport_plan_passes_the_checker():
    from fixtures.generate import generate
    from planner.check import check_plan
    from planner.dataset import Dataset
    from planner.plan import Plan
    from planner.services.accommodation import AccommodationParams, plan_accommodation
    from planner.services.transport import TransportParams, plan_transport

    data = Dataset.from_workbook(generate("small"))
    rooming = plan_accommodation(data, params=AccommodationParams(time_limit_s=3)).plan.rooming
    outcome = plan_transport(data, rooming=rooming, params=TransportParams(time_limit_s=6))
    plan = Plan(
        rooming=rooming,
        transport=outcome.plan.transport,
        manifest=outcome.plan.manifest,
        unassigned=outcome.plan.unassigned,
    )
    report = check_plan(data, plan, kinds=["transport"])
    assert report.ok, report.format()
    roomed = {r["person"] for r in rooming}
    # everyone with a bed is carried: the small fixture has enough vehicles
    assert all(r["id"].split(":")[0] not in roomed for r in outcome.plan.unassigned)
    assert outcome.stats["vehicle_days"] <= 4 * len(data.vehicles)


def _shared_passengers_problem() -> TransportProblem:
    """A party back from venue V to hotel H, then the same people from H to venue W; another party V -> W."""
    places = ("D", "H", "V", "W")
    travel = ((0, 10, 10, 10), (10, 0, 10, 10), (10, 10, 0, 15), (10, 10, 15, 0))
    fleet = tuple(TransportVehicle(f"K{i}", 4, 0, "D", 6 * 60, 23 * 60) for i in range(2))
    back = RideRequest("back", "V", "H", 2, 0, (600, 610), (610, 700), PICKUP)
    out = RideRequest("out", "H", "W", 2, 0, (620, 700), (640, 720), DROPOFF)
    other = RideRequest("other", "V", "W", 2, 0, (600, 610), (600, 720), DROPOFF)
    return TransportProblem(places, travel, fleet, (back, out, other), 60, apart=(("back", "out"),))


def _one_shared_trip(by_id):
    """One trip: "other" stays on board while "back" is set down at H and "out" boards there."""
    return [
        (by_id["other"], PICKUP),
        (by_id["back"], PICKUP),
        (by_id["back"], DROPOFF),
        (by_id["out"], PICKUP),
        (by_id["out"], DROPOFF),
        (by_id["other"], DROPOFF),
    ]


def test_requests_sharing_passengers_are_kept_off_one_trip():
    problem = _shared_passengers_problem()
    by_id = problem.request_index()
    vehicle = problem.vehicles[0]
    # one trip: "other" stays on board while "back" is set down at H and "out" boards there
    steps = _one_shared_trip(by_id)
    shared = [_timetable(problem, vehicle, steps)]
    assert check_routes(problem, shared) == ["K0: back and out share passengers and ride on one trip"]
    assert check_routes(dataclasses.replace(problem, apart=()), shared) == []

    apart, dropped = _keep_apart(problem, shared)
    assert dropped == [] and check_routes(problem, apart) == []
    served = sorted(v.request for r in apart for v in r.visits if v.action == PICKUP)
    assert served == ["back", "other", "out"]
    # "out" rides as a trip of its own, here on the same vehicle after the first trip (no second vehicle)
    assert evaluate(problem, apart, [])[0] == 1

    plan = solve_transport(problem, SolveSettings(time_limit_s=1.0))
    assert plan.status == "feasible" and check_routes(problem, plan.routes) == []


def test_a_request_sharing_passengers_with_no_place_left_is_reported_unserved():
    problem = _shared_passengers_problem()
    by_id = problem.request_index()
    # one vehicle whose day ends soon after the shared trip: no gap for "out" alone
    short = TransportVehicle("K0", 6, 0, "D", 6 * 60, 660)
    problem = dataclasses.replace(
        problem,
        vehicles=(short,),
        requests=(
            by_id["back"],
            dataclasses.replace(by_id["out"], pickup_window=(610, 625), dropoff_window=(620, 640)),
            by_id["other"],
        ),
    )
    by_id = problem.request_index()
    steps = _one_shared_trip(by_id)
    shared = [_timetable(problem, short, steps)]
    assert check_routes(problem, shared) != []
    routes, dropped = _keep_apart(problem, shared)
    assert dropped == ["out"]
    assert check_routes(problem, routes) == []
    assert sorted(v.request for r in routes for v in r.visits if v.action == PICKUP) == ["back", "other"]


def test_apart_pairs_must_name_two_requests():
    problem = _shared_passengers_problem()
    for pair in (("back", "nobody"), ("back", "back")):
        with pytest.raises(ValueError, match="apart"):
            dataclasses.replace(problem, apart=(pair,))


def test_rides_of_requests_sharing_passengers_never_overlap_in_time():
    problem = _shared_passengers_problem()
    problem = dataclasses.replace(problem, requests=tuple(r for r in problem.requests if r.id != "other"))

    def day(vehicle: str, leave: int, visits: list[tuple[str, str, str, int]], back: int) -> VehicleDay:
        return VehicleDay(vehicle, "D", leave, back, tuple(Visit(r, a, p, t, t) for r, a, p, t in visits))

    out = day("K1", 600, [("out", PICKUP, "H", 620), ("out", DROPOFF, "W", 640)], 650)
    # "back" set down at H at 610, then "out" boards there at 620 on another vehicle: one after the other
    back = day("K0", 590, [("back", PICKUP, "V", 600), ("back", DROPOFF, "H", 610)], 620)
    assert check_routes(problem, [back, out]) == []
    # "back" set down only at 630: its passengers would board "out" while still on K0
    late = day("K0", 590, [("back", PICKUP, "V", 600), ("back", DROPOFF, "H", 630)], 640)
    assert check_routes(problem, [late, out]) == ["back and out share passengers and ride at the same time"]
    assert check_routes(dataclasses.replace(problem, apart=()), [late, out]) == []


def test_keeping_apart_survives_travel_times_without_the_triangle_inequality():
    # A -> B -> E -> C is quick, every shortcut slow: taking a request out of the trip breaks its timing
    places = ("D", "A", "B", "E", "C")
    slow = 100
    travel = (
        (0, 5, 5, 5, 5),
        (5, 0, 5, slow, slow),
        (5, slow, 0, 5, slow),
        (5, slow, slow, 0, 5),
        (5, slow, slow, slow, 0),
    )
    fleet = (TransportVehicle("K0", 6, 0, "D", 600, 700),)
    x = RideRequest("x", "A", "C", 1, 0, (605, 610), (620, 625), DROPOFF)
    w = RideRequest("w", "A", "B", 1, 0, (605, 610), (610, 615), DROPOFF)
    y = RideRequest("y", "E", "C", 1, 0, (615, 620), (620, 625), DROPOFF)
    problem = TransportProblem(places, travel, fleet, (x, w, y), None, apart=(("w", "y"),))
    route = _timetable(
        problem, fleet[0], [(x, PICKUP), (w, PICKUP), (w, DROPOFF), (y, PICKUP), (x, DROPOFF), (y, DROPOFF)]
    )
    assert check_routes(problem, [route]) == ["K0: w and y share passengers and ride on one trip"]
    routes, dropped = _keep_apart(problem, routes=[route])
    served = {v.request for r in routes for v in r.visits}
    assert served | set(dropped) == {"x", "w", "y"} and not served & set(dropped)
    # whatever could be mended was; a clash no removal can mend is left for the checker to report
    assert all("ride on one trip" in e for e in check_routes(problem, routes))
