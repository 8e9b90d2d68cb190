"""Transport planning service: hard rules 6-9 on tiny worlds, reasons, re-check of hand edits.

Every plan is re-checked by the independent checker (:func:`planner.check.check_plan`);
the tests add what the checker cannot know (that a shortage is reported with the
right people and reason). Times are short: each world has one or two sessions.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from planner.check import check_plan
from planner.dataset import Dataset
from planner.plan import Plan
from planner.services.base import Progress
from planner.services.transport import (
    Load,
    TransportParams,
    _windows,
    build_demand,
    build_problem,
    cut_party,
    plan_transport,
    recheck_transport,
    retime_transport,
    sharing_passengers,
)
from tests.builders import (
    all_travel_times,
    hotel_row,
    make_dataset,
    person_row,
    room_row,
    rooming_row,
    session_row,
    travel_time_row,
    vehicle_row,
    venue_row,
)

FAST = TransportParams(time_limit_s=2.0)


def _rooming(data: Dataset, hotel_of: dict[str, str] | None = None) -> list[dict]:
    """Everybody in a room of their hotel (H01 unless given); transport only reads the hotel."""
    hotel_of = hotel_of or {}
    return [rooming_row(data, pid, hotel_of.get(pid, "H01"), "301") for pid in data.people]


def _solve(data: Dataset, params: TransportParams = FAST, hotel_of: dict[str, str] | None = None):
    rooming = _rooming(data, hotel_of)
    outcome = plan_transport(data, rooming=rooming, params=params)
    full = Plan(
        rooming=rooming,
        transport=outcome.plan.transport,
        manifest=outcome.plan.manifest,
        unassigned=outcome.plan.unassigned,
    )
    report = check_plan(data, full, kinds=["transport"])
    return outcome, report


def _legs(outcome, person: str) -> list[tuple[dict, dict]]:
    """(board stop, alight stop) rows of every ride of ``person``."""
    stops = {(r["vehicle"], r["trip"], r["seq"]): r for r in outcome.plan.transport}
    return [
        (stops[(m["vehicle"], m["trip"], m["board_seq"])], stops[(m["vehicle"], m["trip"], m["alight_seq"])])
        for m in outcome.plan.manifest
        if m["person"] == person
    ]


def _ride_rows(outcome) -> dict[str, str]:
    return {r["id"]: r["reason"] for r in outcome.plan.unassigned if r["kind"] == "ride"}


# ------------------------------------------------------------- rule 6


def test_rule6_party_arrives_before_the_buffer_and_boards_after_the_end():
    data = make_dataset()
    outcome, report = _solve(data)
    assert report.ok, report.format()
    assert outcome.status == "feasible"
    deadline = datetime(2007, 10, 3, 9, 30)  # S1 starts 10:00, buffer 30 min
    for pid in ("P1", "P2"):
        legs = _legs(outcome, pid)
        there = [(b, a) for b, a in legs if a["place"] == "V01"]
        back = [(b, a) for b, a in legs if b["place"] == "V01"]
        assert len(there) == 1 and len(back) == 1
        assert there[0][0]["place"] == "H01" and there[0][1]["arrive"] <= deadline
        assert back[0][1]["place"] == "H01" and back[0][0]["depart"] >= datetime(2007, 10, 3, 12, 0)


def test_rule6_vehicle_starting_too_late_leaves_the_ride_there_unassigned_with_a_reason():
    # depot -> H01 -> V01 takes 40 min: a vehicle free from 09:00 cannot arrive by 09:30
    data = make_dataset(vehicles=[vehicle_row("B1", available_from="09:00")])
    outcome, report = _solve(data)
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert set(reasons) == {"P1:S1", "P2:S1"}
    assert all("to session S1 on 2007-10-03" in r and "in time" in r for r in reasons.values())
    # the ride back is still planned
    assert any(b["place"] == "V01" for b, _ in _legs(outcome, "P1"))


def test_people_without_a_bed_cannot_ride():
    data = make_dataset()
    rooming = [rooming_row(data, "P2", "H01", "301")]
    outcome = plan_transport(data, rooming=rooming, params=FAST)
    assert _ride_rows(outcome)["P1"].startswith("has no bed")
    assert {m["person"] for m in outcome.plan.manifest} == {"P2"}


# ------------------------------------------------------------- rule 7


def _athletes(n: int, wheelchair: set[int] = frozenset()) -> list[dict]:  # type: ignore[assignment]
    people = [person_row("C1", role="coach")]
    for i in range(1, n + 1):
        people.append(person_row(f"A{i}", needs="wheelchair" if i in wheelchair else None))
    return people


def test_rule7_party_bigger_than_the_vehicle_rides_in_several_trips_within_seats():
    data = make_dataset(people=_athletes(5))  # 6 people, 3 seats: at least two trips each way
    outcome, report = _solve(data)
    assert report.ok, report.format()
    assert not outcome.plan.unassigned
    trips = {(m["vehicle"], m["trip"]) for m in outcome.plan.manifest}
    assert len(trips) >= 4
    # every load of athletes travels with a coach when there are as many coaches as loads
    loads = cut_party(list(data.people.values()), [(3, 1)])
    assert all(len(load) <= 3 for load in loads)
    assert sum(any(p.role == "coach" for p in load) for load in loads) == 1


def test_rule7_no_seat_left_reports_who_and_why():
    # one 3-seat vehicle and no time for a second trip: 3 of 6 ride, 3 are listed
    data = make_dataset(people=_athletes(5))
    outcome, report = _solve(data, TransportParams(time_limit_s=2.0, max_wait_min=10))
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    carried = {m["person"] for m in outcome.plan.manifest}
    assert len(carried) == 3 and len(reasons) == 3
    assert carried.isdisjoint({k.split(":")[0] for k in reasons})
    assert all("no seat free" in r for r in reasons.values())


def test_rule7_wheelchair_users_ride_only_in_wheelchair_places():
    data = make_dataset(people=_athletes(2, wheelchair={1}), vehicles=[vehicle_row("B1", seats=3, wheelchair_places=0)])
    outcome, report = _solve(data)
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert list(reasons) == ["A1:S1"]
    assert "no vehicle has 1 wheelchair place" in reasons["A1:S1"]


def test_too_few_wheelchair_places_reports_exactly_who_is_left_and_why():
    # three wheelchair users and a coach; the only wheelchair place fits one trip each way
    people = [person_row("C1", role="coach")] + [person_row(f"W{i}", needs="wheelchair") for i in (1, 2, 3)]
    places = ["H01", "H02", "V01", "B1", "B2"]
    data = make_dataset(
        people=people,
        vehicles=[vehicle_row("B1", seats=3, wheelchair_places=1), vehicle_row("B2", seats=3)],
        travel_times=all_travel_times(places, 20),
    )
    outcome, report = _solve(data, TransportParams(time_limit_s=2.0, max_wait_min=10))
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert len(reasons) == 2
    left = {k.split(":")[0] for k in reasons}
    assert left <= {"W1", "W2", "W3"}
    for key, reason in reasons.items():
        pid = key.split(":")[0]
        assert key.endswith(":S1")
        assert f"no wheelchair place free for Given {pid} Family {pid} ({pid}, VEN)" in reason
        assert "to session S1 on 2007-10-03" in reason and "back from session S1 on 2007-10-03" in reason
    carried = {m["person"] for m in outcome.plan.manifest}
    assert carried == {"C1", "W1", "W2", "W3"} - left


def test_walkers_ride_even_when_their_party_wheelchair_user_finds_no_place():
    # two parties, each with one wheelchair user; one wheelchair place and one trip each way
    people = [person_row("C1", role="coach"), person_row("A1"), person_row("A2"), person_row("W1", needs="wheelchair")]
    people += [person_row("X1", delegation="CHN"), person_row("X2", delegation="CHN")]
    people += [person_row("X3", delegation="CHN", needs="wheelchair")]
    places = ["H01", "H02", "V01", "B1", "B2", "B3"]
    data = make_dataset(
        people=people,
        vehicles=[vehicle_row("B1", wheelchair_places=1), vehicle_row("B2"), vehicle_row("B3")],
        travel_times=all_travel_times(places, 20),
    )
    outcome, report = _solve(data, TransportParams(time_limit_s=2.0, max_wait_min=10))
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert len(reasons) == 1
    (left,) = reasons
    assert left.split(":")[0] in {"W1", "X3"} and "no wheelchair place free" in reasons[left]
    assert any("cut in two" in m for m in outcome.messages)


# ------------------------------------------------------------- rule 8


def test_rule8_each_day_from_and_back_to_the_depot_inside_the_window():
    data = make_dataset(people=_athletes(5), vehicles=[vehicle_row("B1", available_from="07:00", available_to="14:00")])
    outcome, report = _solve(data)
    assert report.ok, report.format()
    rows = sorted(outcome.plan.transport, key=lambda r: (r["arrive"] or r["depart"], r["seq"]))
    assert rows[0]["place"] == "B1" and rows[0]["arrive"] is None
    assert rows[-1]["place"] == "B1" and rows[-1]["depart"] is None
    times = [t for r in rows for t in (r["arrive"], r["depart"]) if t is not None]
    assert min(times) >= datetime(2007, 10, 3, 7, 0) and max(times) <= datetime(2007, 10, 3, 14, 0)
    # consecutive stops of the day are at least the travel time apart
    for a, b in zip(rows, rows[1:], strict=False):
        left = a["depart"] or a["arrive"]
        assert b["arrive"] - left >= timedelta(minutes=data.travel_min(a["place"], b["place"]))


def test_rule8_vehicle_window_too_short_for_the_ride_back():
    data = make_dataset(vehicles=[vehicle_row("B1", available_to="12:30")])  # V01 -> H01 -> depot takes 40 min
    outcome, report = _solve(data)
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert set(reasons) == {"P1:S1", "P2:S1"}
    assert all("back from session S1" in r and "to session" not in r for r in reasons.values())


# ------------------------------------------------------------- rule 9


def _far_hotels_world() -> Dataset:
    """H01 and H03 are 35 min from V01 and 30 min apart; H04 is 70 min from V01.

    Picking up at H01 and then H03 drives least (55 min to V01 instead of two
    trips of 35) but keeps H01's party on board for 65 minutes.
    """
    places = ["H01", "H03", "H04", "V01", "B1"]
    special = {("H01", "H03"): 30, ("H01", "V01"): 35, ("H03", "V01"): 35, ("H04", "V01"): 70}
    times = [t for t in all_travel_times(places, 20) if tuple(sorted((t["from"], t["to"]))) not in special]
    for (a, b), minutes in special.items():
        times += [travel_time_row(a, b, minutes), travel_time_row(b, a, minutes)]
    return make_dataset(
        people=[person_row("P1"), person_row("P2", delegation="CHN"), person_row("P3", delegation="CHN", gender="M")],
        hotels=[hotel_row("H01"), hotel_row("H02", approved=False), hotel_row("H03"), hotel_row("H04")],
        rooms=[
            room_row("H01", "301", beds=3),
            room_row("H02", "101"),
            room_row("H03", "301", beds=3),
            room_row("H04", "301", beds=3),
        ],
        vehicles=[vehicle_row("B1", seats=10)],
        travel_times=times,
    )


def test_rule9_no_ride_longer_than_the_limit_even_when_sharing_would_save_driving():
    data = _far_hotels_world()
    outcome, report = _solve(data, hotel_of={"P1": "H01", "P2": "H03", "P3": "H03"})
    assert report.ok, report.format()
    assert not outcome.plan.unassigned
    for pid in ("P1", "P2", "P3"):
        for board, alight in _legs(outcome, pid):
            assert alight["arrive"] - board["depart"] <= timedelta(minutes=60)


def test_rule9_hotel_beyond_the_longest_ride_is_reported():
    data = _far_hotels_world()
    outcome, report = _solve(data, hotel_of={"P1": "H01", "P2": "H04", "P3": "H04"})
    assert report.ok, report.format()
    reasons = _ride_rows(outcome)
    assert set(reasons) == {"P2:S1", "P3:S1"}
    assert all("takes 70 min, longer than the longest ride allowed (60 min)" in r for r in reasons.values())


# ------------------------------------------------------------ service


def test_parties_of_one_session_share_vehicles_and_the_objective_parts_are_reported():
    people = _athletes(1) + [person_row("X1", delegation="CHN"), person_row("X2", delegation="CHN", gender="M")]
    data = make_dataset(people=people, vehicles=[vehicle_row("B1", seats=10)])
    outcome, report = _solve(data)
    assert report.ok, report.format()
    assert outcome.stats["vehicle_days"] == 1
    assert {p.rule for p in outcome.penalties} >= {"vehicles used", "driving minutes", "waiting at the venue"}
    assert outcome.objective is not None and outcome.objective >= 10_000_000


def test_progress_is_reported_and_stop_keeps_a_plan():
    data = make_dataset()
    seen: list[Progress] = []
    outcome = plan_transport(data, rooming=_rooming(data), params=FAST, progress=seen.append)
    assert seen and all(p.kind == "transport" for p in seen)
    assert seen[-1].fraction == pytest.approx(1.0)
    stop = threading.Event()
    stop.set()
    stopped = plan_transport(data, rooming=_rooming(data), params=FAST, stop=stop)
    assert stopped.status == "stopped"
    assert all("stopped" in r for r in _ride_rows(stopped).values())
    assert outcome.status == "feasible"


def test_params_are_validated():
    with pytest.raises(ValueError):
        TransportParams(time_limit_s=0)
    with pytest.raises(ValueError):
        TransportParams(max_wait_min=-1)
    with pytest.raises(ValueError):
        TransportParams(first_solution="NO_SUCH_STRATEGY")
    assert TransportParams(days=("2007-10-03",)).days[0].day == 3


def test_demand_groups_travellers_by_delegation_and_hotel():
    people = [person_row("P1"), person_row("P2", role="coach"), person_row("X1", delegation="CHN")]
    data = make_dataset(people=people, vehicles=[vehicle_row("B1", seats=1)])  # no joining: loads of 1
    demand = build_demand(data, _rooming(data, {"X1": "H02"}), TransportParams(join_parties=False))
    loads = next(iter(demand.loads_by_day.values()))
    assert demand.parties == 2
    assert {ld.hotel for ld in loads} == {"H01", "H02"}
    assert {ld.leg for ld in loads} == {"out", "back"}


def test_previous_plan_is_kept_when_nothing_changed():
    data = make_dataset(
        people=_athletes(2),
        vehicles=[vehicle_row("B1"), vehicle_row("B2")],
        travel_times=all_travel_times(["H01", "H02", "V01", "B1", "B2"], 20),
    )
    first = plan_transport(data, rooming=_rooming(data), params=FAST)
    again = plan_transport(data, rooming=_rooming(data), previous=first.plan, params=FAST)
    assert again.status == "feasible"
    assert len(again.moved) == 0


# ------------------------------------------------------- hand-edit re-check


def test_recheck_recomputes_arrivals_and_reports_broken_rules():
    data = make_dataset()
    rooming = _rooming(data)
    outcome = plan_transport(data, rooming=rooming, params=FAST)
    plan = Plan(rooming=rooming, transport=outcome.plan.transport, manifest=outcome.plan.manifest)
    clean = recheck_transport(data, plan)
    assert clean.ok and not clean.retimed
    # the dispatcher makes the first stop after the depot leave 50 minutes later
    edited = [dict(r) for r in outcome.plan.transport]
    first_trip = min(edited, key=lambda r: r["depart"] or datetime.max)["trip"]
    stop2 = next(r for r in edited if r["trip"] == first_trip and r["seq"] == 2)
    stop2["depart"] = stop2["depart"] + timedelta(minutes=50)
    result = recheck_transport(data, Plan(rooming=rooming, transport=edited, manifest=outcome.plan.manifest))
    assert result.retimed, "the arrival after the delayed stop moves"
    moved = next(r for r in result.retimed if r.seq == 3 and r.trip == first_trip)
    assert moved.arrive == stop2["depart"] + timedelta(minutes=data.travel_min(stop2["place"], moved.place))
    assert not result.ok
    assert 6 in {v.rule for v in result.violations}  # now too late for the session


def test_retime_leaves_consistent_times_alone_and_pushes_impossible_departures():
    data = make_dataset()
    day = datetime(2007, 10, 3)
    rows = [
        {
            "vehicle": "B1",
            "trip": "t",
            "seq": 1,
            "place": "B1",
            "arrive": None,
            "depart": day.replace(hour=8),
            "session": None,
        },
        {
            "vehicle": "B1",
            "trip": "t",
            "seq": 2,
            "place": "H01",
            "arrive": day.replace(hour=8, minute=5),
            "depart": day.replace(hour=8, minute=10),
            "session": "S1",
        },
        {
            "vehicle": "B1",
            "trip": "t",
            "seq": 3,
            "place": "V01",
            "arrive": day.replace(hour=9),
            "depart": None,
            "session": "S1",
        },
    ]
    fixed, retimed = retime_transport(data, rows)
    stop2 = next(r for r in fixed if r["seq"] == 2)
    assert stop2["arrive"] == day.replace(hour=8, minute=20)  # 20 min from the depot
    assert stop2["depart"] == day.replace(hour=8, minute=20)  # cannot leave before it arrives
    assert next(r for r in fixed if r["seq"] == 3)["arrive"] == day.replace(hour=8, minute=40)
    assert {r.seq for r in retimed} == {2, 3}


def _two_sessions_two_hours_apart() -> Dataset:
    """P1 at S1 (V01, 10:00-12:00) and at S2 (V02 from 14:00): the ride back and the next ride there overlap."""
    return make_dataset(
        people=[person_row("P1"), person_row("P2")],
        venues=[venue_row("V01"), venue_row("V02", lat=31.19)],
        sessions=[
            session_row("S1", start="10:00", end="12:00"),
            session_row("S2", venue="V02", start="14:00", end="15:00"),
        ],
        vehicles=[vehicle_row("B1"), vehicle_row("B2")],
        travel_times=all_travel_times(["H01", "H02", "V01", "V02", "B1", "B2"], 20),
    )


def test_sharing_passengers_pairs_every_two_loads_with_someone_in_both():
    back = Load("S1/H/1/back", "S1", "back", "H", "V", ("P1", "P2"), ())
    out = Load("S2/H/1/out", "S2", "out", "H", "W", ("P2", "P3"), ())
    other = Load("S2/H/2/out", "S2", "out", "H", "W", ("P4",), ())
    assert sharing_passengers([back, out, other]) == (("S1/H/1/back", "S2/H/1/out"),)


def test_the_ride_back_is_set_down_before_the_next_ride_there_boards():
    data = _two_sessions_two_hours_apart()
    params = TransportParams()
    loads = next(iter(build_demand(data, _rooming(data), params).loads_by_day.values()))
    legs = {(ld.session, ld.leg): ld.id for ld in loads}
    uncut = {ld.id: _windows(data, data.sessions[ld.session], ld, params) for ld in loads}
    back_s1, out_s2 = legs[("S1", "back")], legs[("S2", "out")]
    assert uncut[back_s1][1][1] > uncut[out_s2][0][0]  # as the sessions' times give them, they overlap
    windows = {r.id: (r.pickup_window, r.dropoff_window) for r in build_problem(data, loads, params).requests}
    assert windows[back_s1][1][1] <= windows[out_s2][0][0]  # cut: set down before the next ride boards
    for rid, (pick, drop) in windows.items():
        assert pick[0] <= pick[1] and drop[0] <= drop[1], rid
        assert pick[0] + 20 <= drop[1], rid  # each ride still possible
    # legs of one session, and the ride there of S1, keep their windows
    for key in (("S1", "out"), ("S2", "back")):
        assert windows[legs[key]] == uncut[legs[key]]


def test_each_persons_rides_follow_their_sessions_in_order():
    data = _two_sessions_two_hours_apart()
    outcome, report = _solve(data)
    assert report.ok, report.format()
    assert not outcome.plan.unassigned
    for person in ("P1", "P2"):
        rides = sorted(_legs(outcome, person), key=lambda leg: leg[0]["depart"])
        assert [(board["place"], alight["place"]) for board, alight in rides] == [
            ("H01", "V01"),
            ("V01", "H01"),
            ("H01", "V02"),
            ("V02", "H01"),
        ]
        for (_, before), (after, _) in zip(rides, rides[1:], strict=False):
            assert before["arrive"] <= after["depart"]


def test_the_problem_keeps_legs_of_the_same_people_apart():
    data = make_dataset(people=[person_row("P1"), person_row("P2")])
    demand = build_demand(data, _rooming(data), TransportParams())
    loads = next(iter(demand.loads_by_day.values()))
    problem = build_problem(data, loads, TransportParams())
    by_id = {ld.id: ld for ld in loads}
    assert problem.apart
    for a, b in problem.apart:
        assert set(by_id[a].people) & set(by_id[b].people)
