"""The independent checker: for each hard rule an allowed and a forbidden tiny plan.

The data come from :mod:`tests.builders` (see its docstring for the default
world: delegations VEN and CHN, athlete P1 and coach P2 of VEN in athletics,
hotel H01 approved and H02 not, venue V01, session S1 on 2007-10-03
10:00-12:00, vehicle B1, 20 minutes between any two places, volunteers L1
and L2, shift F1).
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from planner import check
from planner.check import CHECKS, RULES, CheckReport, Violation, check_plan, planned_kinds
from planner.plan import Plan
from tests.builders import (
    delegation_row,
    event_row,
    hotel_row,
    liaison_row,
    make_dataset,
    manifest_row,
    person_row,
    room_row,
    rooming_row,
    roster_row,
    shift_row,
    stop_row,
    unassigned_row,
    vehicle_row,
    volunteer_row,
)


def broken(report: CheckReport) -> set[int]:
    return {v.rule for v in report.violations}


def codes(report: CheckReport) -> set[str]:
    return {v.code for v in report.violations}


# ------------------------------------------------------------ accommodation

ROOMS = [
    room_row("H01", "101", beds=2, floor=1, accessible=True),
    room_row("H01", "201", beds=2, floor=2),
    room_row("H01", "301", beds=3, floor=3),
    room_row("H01", "302", beds=2, floor=3, accessible=True),
    room_row("H02", "101", beds=2, floor=1),
]


def stay_data(*people, hotels=None):
    """People (row dicts) plus the ROOMS above."""
    extra = {"hotels": hotels} if hotels else {}
    return make_dataset(people=list(people), rooms=ROOMS, **extra)


def beds(data, *assignments):
    """A plan from (person, hotel, room) triples."""
    return Plan(rooming=[rooming_row(data, p, h, r) for p, h, r in assignments])


def test_rule_1_room_capacity():
    data = stay_data(person_row("P1"), person_row("P3"), person_row("P4"))
    assert check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P4", "H01", "301"))).ok
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P4", "H01", "201")))
    assert broken(report) == {1}
    # one violation per night over capacity: nights 10-01 .. 10-04
    assert len(report.violations) == 4
    assert "room H01/201 holds 3 people on 2007-10-01 but has 2 bed(s)" in report.violations[0].message


def test_rule_1_departure_day_frees_the_bed():
    later = person_row("P4", arrival_date="2007-10-05", departure_date="2007-10-08")
    data = stay_data(person_row("P1"), person_row("P3"), later)
    # P1 and P3 leave on 10-05, P4 arrives that day: never 3 on one night
    assert check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P4", "H01", "201"))).ok
    earlier = person_row("P4", arrival_date="2007-10-04", departure_date="2007-10-08")
    data = stay_data(person_row("P1"), person_row("P3"), earlier)
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P4", "H01", "201")))
    assert broken(report) == {1} and len(report.violations) == 1


def test_rule_2_same_gender():
    data = stay_data(person_row("P1"), person_row("P3"), person_row("P5", gender="M"))
    assert check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P5", "H01", "301"))).ok
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P5", "H01", "201"), ("P3", "H01", "301")))
    assert broken(report) == {2}
    assert "P1" in report.violations[0].message and "P5" in report.violations[0].message


def test_rule_2_same_delegation():
    data = stay_data(person_row("P1"), person_row("P3"), person_row("P6", delegation="CHN"))
    assert check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P6", "H01", "301"))).ok
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P6", "H01", "201"), ("P3", "H01", "301")))
    assert broken(report) == {2}


def test_rule_2_only_people_sharing_a_night():
    later = person_row("P5", gender="M", arrival_date="2007-10-05", departure_date="2007-10-07")
    data = stay_data(person_row("P1"), later)
    # the room changes hands on 10-05: nobody shares it
    assert check_plan(data, beds(data, ("P1", "H01", "201"), ("P5", "H01", "201"))).ok


def test_rule_3_safeguarding():
    people = [
        person_row("P1"),
        person_row("P2", role="coach"),
        person_row("P3", role="partner"),
        person_row("P4", role="head"),
    ]
    data = stay_data(*people)
    allowed = beds(data, ("P1", "H01", "201"), ("P3", "H01", "201"), ("P2", "H01", "301"), ("P4", "H01", "301"))
    assert check_plan(data, allowed).ok
    forbidden = beds(data, ("P1", "H01", "301"), ("P3", "H01", "301"), ("P2", "H01", "301"), ("P4", "H01", "201"))
    report = check_plan(data, forbidden)
    assert broken(report) == {3}
    assert len(report.violations) == 2  # P2 with P1, P2 with P3


def test_rule_4_accessible_room():
    data = stay_data(person_row("P1", needs="wheelchair"), person_row("P3", needs="accessible_room"))
    assert check_plan(data, beds(data, ("P1", "H01", "101"), ("P3", "H01", "101"))).ok
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P3", "H01", "101")))
    assert broken(report) == {4}
    report = check_plan(data, beds(data, ("P1", "H01", "101"), ("P3", "H01", "201")))
    assert broken(report) == {4}


def test_rule_4_ground_floor():
    data = stay_data(person_row("P1", needs="ground_floor"))
    assert check_plan(data, beds(data, ("P1", "H01", "101"))).ok  # floor 1
    assert check_plan(data, beds(data, ("P1", "H01", "302"))).ok  # floor 3 but accessible
    report = check_plan(data, beds(data, ("P1", "H01", "301")))
    assert broken(report) == {4}
    assert "floor 3" in report.violations[0].message


def test_rule_5_approved_hotel():
    data = stay_data(person_row("P1"))
    assert check_plan(data, beds(data, ("P1", "H01", "201"))).ok
    report = check_plan(data, beds(data, ("P1", "H02", "101")))
    assert broken(report) == {5}
    assert codes(report) == {"hotel_not_approved"}


def test_rule_5_one_room_for_the_whole_stay():
    data = stay_data(person_row("P1"))
    report = check_plan(data, beds(data, ("P1", "H01", "201"), ("P1", "H01", "301")))
    assert broken(report) == {5}
    assert codes(report) == {"several_rooms"}


def test_consistency_everyone_has_a_bed_or_a_reason():
    data = stay_data(person_row("P1"), person_row("P3"))
    plan = beds(data, ("P1", "H01", "201"))
    report = check_plan(data, plan)
    assert broken(report) == {0} and codes(report) == {"no_bed"}
    plan.unassigned.append(unassigned_row("bed", "P3", "no room left for women of VEN"))
    assert check_plan(data, plan).ok


def test_consistency_rooming_names_existing_things():
    data = stay_data(person_row("P1"), person_row("P3"))
    for person, hotel, room, code in (
        ("P9", "H01", "201", "unknown_person"),
        ("P3", "H09", "201", "unknown_hotel"),
        ("P3", "H01", "999", "unknown_room"),
    ):
        plan = beds(data, ("P1", "H01", "201"))
        plan.rooming.append(
            {
                "person": person,
                "hotel": hotel,
                "room": room,
                "check_in": data.people["P1"].arrival_date,
                "check_out": data.people["P1"].departure_date,
            }
        )
        if person != "P3":
            plan.unassigned.append(unassigned_row("bed", "P3"))
        report = check_plan(data, plan)
        assert code in codes(report), code
        assert broken(report) == {0}


def test_consistency_rooming_dates_are_the_stay():
    data = stay_data(person_row("P1"))
    plan = Plan(rooming=[rooming_row(data, "P1", "H01", "201", check_out="2007-10-04")])
    report = check_plan(data, plan)
    assert broken(report) == {0} and codes(report) == {"stay_dates"}


# --------------------------------------------------------------- transport


def transport_plan(
    data,
    *,
    pickup="08:30",
    drop="08:50",
    leave="12:05",
    riders=("P1", "P2"),
    vehicle="B1",
    mark_session="S1",
):
    """P1 (room H01/201) and P2 (H01/301) to session S1 at V01 and back, in two trips of ``vehicle``."""
    h01_arrive = "08:20" if pickup > "08:20" else pickup
    back_at_hotel = _plus(leave, 20)
    plan = beds(data, *(bed for bed in (("P1", "H01", "201"), ("P2", "H01", "301")) if bed[0] in data.people))
    plan.transport = [
        stop_row(vehicle, "T1", 1, vehicle, depart="08:00"),
        stop_row(vehicle, "T1", 2, "H01", arrive=h01_arrive, depart=pickup, session="S1"),
        stop_row(vehicle, "T1", 3, "V01", arrive=drop, session=mark_session),
        stop_row(vehicle, "T2", 1, "V01", depart=leave, session="S1"),
        stop_row(vehicle, "T2", 2, "H01", arrive=back_at_hotel, depart=back_at_hotel),
        stop_row(vehicle, "T2", 3, vehicle, arrive=_plus(back_at_hotel, 20)),
    ]
    plan.manifest = [manifest_row(vehicle, "T1", p, 2, 3) for p in riders] + [
        manifest_row(vehicle, "T2", p, 1, 2) for p in riders
    ]
    return plan


def _plus(hhmm: str, minutes: int) -> str:
    h, m = map(int, hhmm.split(":"))
    total = h * 60 + m + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def ride_data(**overrides):
    overrides.setdefault("people", [person_row("P1"), person_row("P2", role="coach")])
    overrides.setdefault("rooms", ROOMS)
    return make_dataset(**overrides)


def test_transport_allowed_plan_passes_cleanly():
    data = ride_data()
    report = check_plan(data, transport_plan(data))
    assert report.ok, report.format()
    assert report.kinds == ("accommodation", "transport")
    assert report.warnings == []


def test_rule_6_everyone_is_carried_there_and_back():
    data = ride_data()
    plan = transport_plan(data)
    plan.manifest = [m for m in plan.manifest if not (m["person"] == "P2" and m["trip"] == "T2")]
    report = check_plan(data, plan)
    assert broken(report) == {6}
    assert codes(report) == {"no_ride_back"}
    assert "P2" in report.violations[0].message and "S1" in report.violations[0].message


@pytest.mark.parametrize("row_id", ["P2", "P2:S1"])
def test_rule_6_unassigned_ride_excuses(row_id):
    data = ride_data()
    plan = transport_plan(data, riders=("P1",))
    assert broken(check_plan(data, plan)) == {6}
    plan.unassigned.append(unassigned_row("ride", row_id, "no seat left"))
    assert check_plan(data, plan).ok


def test_rule_6_arrives_in_time():
    data = ride_data()
    # deadline = 10:00 - 30 min buffer = 09:30
    assert check_plan(data, transport_plan(data, pickup="09:10", drop="09:30")).ok
    report = check_plan(data, transport_plan(data, pickup="09:15", drop="09:35"))
    assert broken(report) == {6} and codes(report) == {"no_ride_there"}
    assert "09:35" in report.violations[0].message


def test_rule_6_leaves_after_the_end():
    data = ride_data()
    assert check_plan(data, transport_plan(data, leave="12:00")).ok
    report = check_plan(data, transport_plan(data, leave="11:55"))
    assert broken(report) == {6} and codes(report) == {"no_ride_back"}


def test_rule_6_from_the_hotel_they_sleep_in():
    data = ride_data(
        hotels=[hotel_row("H01"), hotel_row("H02", approved=False), hotel_row("H03", lat=31.25, lon=121.5)],
        rooms=[*ROOMS, room_row("H03", "501", floor=5)],
    )
    plan = transport_plan(data)
    plan.rooming = [rooming_row(data, "P1", "H03", "501") if r["person"] == "P1" else r for r in plan.rooming]
    report = check_plan(data, plan)
    assert broken(report) == {6} and codes(report) == {"no_ride_there", "no_ride_back"}
    assert all(v.ids[0] == "P1" for v in report.violations)


def test_rule_6_the_stop_is_marked_with_the_session():
    data = ride_data()
    report = check_plan(data, transport_plan(data, mark_session=None))
    assert broken(report) == {6} and codes(report) == {"no_ride_there"}


def test_rule_6_without_rooming_any_hotel_is_accepted():
    data = ride_data()
    plan = transport_plan(data).only("transport")
    report = check_plan(data, plan)
    assert report.kinds == ("transport",)
    assert report.ok
    assert [w.code for w in report.warnings] == ["hotels_unknown"]
    # but when accommodation is checked and nobody has a bed, nobody can be carried from their hotel
    report = check_plan(data, plan, kinds=["accommodation", "transport"])
    assert {"no_bed", "no_ride_there", "no_ride_back"} <= codes(report)


def test_rule_7_seats():
    data = ride_data(vehicles=[vehicle_row("B1", seats=2)])
    assert check_plan(data, transport_plan(data)).ok
    data = ride_data(vehicles=[vehicle_row("B1", seats=1)])
    report = check_plan(data, transport_plan(data))
    assert broken(report) == {7}
    assert len(report.violations) == 2  # one segment on each trip
    assert (
        "carries 2 seated passengers between stop 2 (H01) and stop 3 (V01) but has 1 seats"
        in report.violations[0].message
    )


def test_rule_7_seats_are_counted_between_stops_not_per_trip():
    people = [person_row("P1"), person_row("P3", sport="swimming")]  # P3 travels to no session
    data = ride_data(people=people, vehicles=[vehicle_row("B1", seats=1)])
    plan = transport_plan(data, riders=("P1",))
    plan.rooming = [rooming_row(data, "P1", "H01", "201"), rooming_row(data, "P3", "H01", "201")]
    # on the way back P1 leaves the bus at H01 where P3 gets on to ride to the depot: never two aboard
    plan.manifest.append(manifest_row("B1", "T2", "P3", 2, 3))
    assert check_plan(data, plan).ok
    plan.manifest[-1] = manifest_row("B1", "T2", "P3", 1, 3)  # now both ride V01 -> H01
    report = check_plan(data, plan)
    assert broken(report) == {7} and len(report.violations) == 1
    assert "between stop 1 (V01) and stop 2 (H01)" in report.violations[0].message


def test_rule_7_wheelchair_places():
    people = [person_row("P1", needs="wheelchair"), person_row("P2", role="coach")]
    rooms_ok = ride_data(people=people, vehicles=[vehicle_row("B1", seats=1, wheelchair_places=1)])
    plan = transport_plan(rooms_ok)
    plan.rooming = [rooming_row(rooms_ok, "P1", "H01", "101"), rooming_row(rooms_ok, "P2", "H01", "301")]
    assert check_plan(rooms_ok, plan).ok  # the wheelchair user does not take the one seat
    no_places = ride_data(people=people, vehicles=[vehicle_row("B1", seats=3, wheelchair_places=0)])
    report = check_plan(no_places, plan)
    assert broken(report) == {7} and codes(report) == {"wheelchair_places_exceeded"}


def test_rule_8_travel_time_between_stops():
    data = ride_data()
    report = check_plan(data, transport_plan(data, pickup="08:35", drop="08:50"))  # 15 min for a 20 min drive
    assert broken(report) == {8} and codes(report) == {"too_fast"}


def test_rule_8_depart_not_before_arrive():
    data = ride_data()
    plan = transport_plan(data)
    plan.transport[1] = stop_row("B1", "T1", 2, "H01", arrive="08:25", depart="08:20", session="S1")
    report = check_plan(data, plan)
    assert broken(report) == {8} and "departs_before_arriving" in codes(report)


def test_rule_8_daily_window():
    data = ride_data(vehicles=[vehicle_row("B1", available_from="08:00", available_to="13:00")])
    assert check_plan(data, transport_plan(data)).ok
    data = ride_data(vehicles=[vehicle_row("B1", available_from="08:30", available_to="13:00")])
    report = check_plan(data, transport_plan(data))
    assert broken(report) == {8} and codes(report) == {"outside_window"}


def test_rule_8_leaves_from_and_returns_to_the_depot():
    data = ride_data()
    plan = transport_plan(data)
    plan.transport = plan.transport[1:]  # the day starts at H01
    plan.transport[0] = stop_row("B1", "T1", 2, "H01", depart="08:30", session="S1")
    report = check_plan(data, plan)
    assert broken(report) == {8} and codes(report) == {"not_from_depot"}
    plan = transport_plan(data)
    plan.transport = plan.transport[:-1]  # the day ends at H01
    plan.transport[-1] = stop_row("B1", "T2", 2, "H01", arrive="12:25")
    report = check_plan(data, plan)
    assert broken(report) == {8} and codes(report) == {"not_back_to_depot"}


def test_rule_8_another_vehicles_depot_is_not_a_place():
    data = ride_data(vehicles=[vehicle_row("B1"), vehicle_row("B2")])
    plan = transport_plan(data)
    plan.transport[0] = stop_row("B1", "T1", 1, "B2", depart="08:00")
    report = check_plan(data, plan)
    assert "unknown_place" in codes(report)


def test_rule_8_trips_never_overlap():
    data = ride_data()
    plan = transport_plan(data)
    plan.transport += [
        stop_row("B1", "T3", 1, "B1", depart="08:10"),
        stop_row("B1", "T3", 2, "H02", arrive="08:30", depart="08:30"),
        stop_row("B1", "T3", 3, "B1", arrive="08:50"),
    ]
    report = check_plan(data, plan)
    assert broken(report) == {8} and codes(report) == {"trips_overlap"}


def test_rule_8_time_to_reach_the_next_trip():
    data = ride_data()
    allowed = transport_plan(data)  # T2 ends at the depot at 12:45
    allowed.transport += [stop_row("B1", "T3", 1, "H02", depart="13:05"), stop_row("B1", "T3", 2, "B1", arrive="13:25")]
    assert check_plan(data, allowed).ok
    forbidden = transport_plan(data)
    forbidden.transport += [
        stop_row("B1", "T3", 1, "H02", depart="12:55"),
        stop_row("B1", "T3", 2, "B1", arrive="13:15"),
    ]
    report = check_plan(data, forbidden)
    assert broken(report) == {8} and codes(report) == {"too_fast_between_trips"}


def test_rule_9_longest_ride():
    data = ride_data(event=[event_row(max_ride_min=20)])
    assert check_plan(data, transport_plan(data)).ok
    data = ride_data(event=[event_row(max_ride_min=19)])
    report = check_plan(data, transport_plan(data))
    assert broken(report) == {9}
    assert len(report.violations) == 4  # 2 people x 2 rides


def test_plan_rows_given_as_text_are_read_too():
    data = ride_data()
    plan = transport_plan(data)
    as_text = Plan(
        rooming=[{**r, "check_in": str(r["check_in"]), "check_out": str(r["check_out"])} for r in plan.rooming],
        transport=[
            {
                **r,
                "seq": str(r["seq"]),
                **{k: r[k].strftime("%Y-%m-%d %H:%M") if r[k] else "" for k in ("arrive", "depart")},
            }
            for r in plan.transport
        ],
        manifest=[{**r, "board_seq": str(r["board_seq"]), "alight_seq": str(r["alight_seq"])} for r in plan.manifest],
    )
    assert check_plan(data, as_text).ok
    as_text.transport[0]["depart"] = "tomorrow"
    report = check_plan(data, as_text)
    assert "bad_value" in codes(report)


def test_consistency_transport_rows():
    data = ride_data(vehicles=[vehicle_row("B1"), vehicle_row("B2")])
    cases = {
        "unknown_vehicle": lambda p: p.transport.append(stop_row("B9", "T9", 1, "H01", depart="09:00")),
        "unknown_session": lambda p: p.transport.__setitem__(
            2, stop_row("B1", "T1", 3, "V01", arrive="08:50", session="S9")
        ),
        "duplicate_seq": lambda p: p.transport.append(stop_row("B1", "T1", 3, "V01", arrive="08:55")),
        "stop_time_missing": lambda p: p.transport.__setitem__(
            1, stop_row("B1", "T1", 2, "H01", arrive="08:20", session="S1")
        ),
        "trip_too_short": lambda p: p.transport.append(stop_row("B2", "T9", 1, "B2", depart="09:00")),
        "unknown_trip": lambda p: p.manifest.append(manifest_row("B1", "T9", "P1", 1, 2)),
        "unknown_person": lambda p: p.manifest.append(manifest_row("B1", "T1", "P9", 2, 3)),
        "unknown_stop": lambda p: p.manifest.__setitem__(0, manifest_row("B1", "T1", "P1", 2, 7)),
        "board_after_alight": lambda p: p.manifest.__setitem__(0, manifest_row("B1", "T1", "P1", 3, 2)),
        "duplicate_passenger": lambda p: p.manifest.append(manifest_row("B1", "T1", "P1", 2, 3)),
    }
    for code, spoil in cases.items():
        plan = transport_plan(data)
        assert check_plan(data, plan).ok
        spoil(plan)
        report = check_plan(data, plan)
        assert code in codes(report), (code, report.format())
        assert 0 in broken(report)


def test_consistency_nobody_rides_two_trips_at_once():
    data = ride_data(vehicles=[vehicle_row("B1"), vehicle_row("B2")])
    plan = transport_plan(data)
    twin = transport_plan(data, vehicle="B2")
    plan.transport += twin.transport
    plan.manifest += [m for m in twin.manifest if m["person"] == "P1" and m["trip"] == "T1"]
    report = check_plan(data, plan)
    assert broken(report) == {0} and codes(report) == {"rides_overlap"}


def test_consistency_each_ride_boards_where_the_last_one_set_down():
    data = ride_data(vehicles=[vehicle_row("B1"), vehicle_row("B2")])
    plan = transport_plan(data)
    # between the ride there (set down at V01 at 08:50) and the ride back, P1 also boards B2 at the hotel
    plan.transport += [
        stop_row("B2", "T3", 1, "B2", depart="10:40"),
        stop_row("B2", "T3", 2, "H01", arrive="11:00", depart="11:00", session="S1"),
        stop_row("B2", "T3", 3, "V01", arrive="11:20", depart="11:20", session="S1"),
        stop_row("B2", "T3", 4, "B2", arrive="11:40"),
    ]
    plan.manifest.append(manifest_row("B2", "T3", "P1", 2, 3))
    report = check_plan(data, plan)
    assert codes(report) == {"ride_not_connected"}
    assert "P1 boards" in report.violations[0].message and "V01" in report.violations[0].message
    # someone with a ride left out (an unassigned ride row) may rightly board elsewhere
    plan.unassigned.append(unassigned_row("ride", "P1:S1", "no seat left"))
    assert "ride_not_connected" not in codes(check_plan(data, plan))


# -------------------------------------------------------------- volunteers


def staff_data(**overrides):
    volunteers = overrides.pop(
        "volunteers",
        [volunteer_row("L1", "zh;en", "first_aid"), volunteer_row("L2", "es"), volunteer_row("L3", "fr", "first_aid")],
    )
    return make_dataset(volunteers=volunteers, **overrides)


def staff_plan(*roster, liaisons=(("L2", "VEN"),)):
    plan = Plan(roster=[roster_row(v, s) for v, s in roster], liaisons=[liaison_row(v, d) for v, d in liaisons])
    plan.unassigned.append(unassigned_row("liaison", "CHN", "no free Chinese speaker"))
    return plan


def test_volunteers_allowed_plan_passes_cleanly():
    data = staff_data()
    report = check_plan(data, staff_plan(("L1", "F1")))
    assert report.ok and report.kinds == ("volunteers",)
    assert report.warnings == []


def test_rule_10_required_skill():
    data = staff_data()
    report = check_plan(data, staff_plan(("L2", "F1"), liaisons=()))
    assert broken(report) == {10} and codes(report) == {"missing_skill"}


def test_rule_10_available_days():
    data = staff_data(
        volunteers=[volunteer_row("L1", "zh", "first_aid", available_to="2007-10-02"), volunteer_row("L2", "es")]
    )
    report = check_plan(data, staff_plan(("L1", "F1")))
    assert broken(report) == {10} and codes(report) == {"not_available"}


def test_rule_10_no_overlapping_shifts():
    shifts = [
        shift_row("F1", start="08:00", end="12:00"),
        shift_row("F2", start="12:00", end="16:00"),
        shift_row("F3", start="11:00", end="13:00"),
    ]
    data = staff_data(shifts=shifts)
    plan = staff_plan(("L1", "F1"), ("L1", "F2"), ("L3", "F3"))
    assert check_plan(data, plan).ok  # 8 h, the second starting when the first ends
    report = check_plan(data, staff_plan(("L1", "F1"), ("L1", "F3"), ("L3", "F2")))
    assert broken(report) == {10} and codes(report) == {"shifts_overlap"}


def test_rule_10_hours_per_day():
    shifts = [shift_row("F1", start="08:00", end="12:00"), shift_row("F2", start="13:00", end="18:00")]
    data = staff_data(shifts=shifts)
    report = check_plan(data, staff_plan(("L1", "F1"), ("L1", "F2")))
    assert broken(report) == {10} and codes(report) == {"too_many_hours"}
    assert "9 h on 2007-10-03" in report.violations[0].message
    lenient = staff_data(
        shifts=shifts, volunteers=[volunteer_row("L1", max_hours_per_day=9), volunteer_row("L2", "es")]
    )
    assert check_plan(lenient, staff_plan(("L1", "F1"), ("L1", "F2"))).ok


def test_rule_10_required_language():
    data = staff_data(shifts=[shift_row("F1", languages="es;fr")])
    assert check_plan(data, staff_plan(("L3", "F1"))).ok
    report = check_plan(data, staff_plan(("L1", "F1")))
    assert broken(report) == {10} and codes(report) == {"missing_language"}


def test_rule_10_never_more_than_needed():
    data = staff_data()
    report = check_plan(data, staff_plan(("L1", "F1"), ("L3", "F1")))
    assert broken(report) == {10} and codes(report) == {"over_staffed"}


def test_rule_10_short_shift_is_a_warning_not_a_violation():
    data = staff_data(shifts=[shift_row("F1", needed=2, skills="first_aid")])
    report = check_plan(data, staff_plan(("L1", "F1")))
    assert report.ok
    assert [w.code for w in report.warnings] == ["short_shift_unlisted"]
    plan = staff_plan(("L1", "F1"))
    plan.unassigned.append(unassigned_row("shift", "F1", "1 short: nobody else with first_aid"))
    assert check_plan(data, plan).warnings == []


def test_rule_10_liaison_available_for_the_whole_stay():
    data = staff_data(volunteers=[volunteer_row("L2", "es", available_from="2007-10-02"), volunteer_row("L1")])
    report = check_plan(data, staff_plan())
    assert broken(report) == {10} and codes(report) == {"liaison_not_available"}


def test_rule_10_liaison_works_no_other_shift_during_the_stay():
    data = staff_data(shifts=[shift_row("F1"), shift_row("F2", date="2007-10-06")])
    assert check_plan(data, staff_plan(("L2", "F2"), ("L1", "F1"))).ok
    report = check_plan(data, staff_plan(("L2", "F1"), ("L1", "F2")))
    assert broken(report) == {10} and codes(report) == {"liaison_on_shift"}


def test_rule_10_liaison_serves_one_delegation_at_a_time():
    both_en = [
        delegation_row("VEN", "es;en"),
        delegation_row("USA", "en", arrival_date="2007-10-05", departure_date="2007-10-08"),
    ]
    data = staff_data(delegations=both_en, volunteers=[volunteer_row("L1", "en")], shifts=[])
    # VEN stays 10-01..10-05 and USA 10-05..10-08: both include 10-05
    report = check_plan(data, Plan(liaisons=[liaison_row("L1", "VEN"), liaison_row("L1", "USA")]))
    assert broken(report) == {10} and codes(report) == {"liaison_two_delegations"}
    later = [both_en[0], delegation_row("USA", "en", arrival_date="2007-10-06", departure_date="2007-10-08")]
    data = staff_data(delegations=later, volunteers=[volunteer_row("L1", "en")], shifts=[])
    assert check_plan(data, Plan(liaisons=[liaison_row("L1", "VEN"), liaison_row("L1", "USA")])).ok


def test_rule_11_liaison_language():
    data = staff_data()
    assert check_plan(data, staff_plan(liaisons=[("L1", "VEN")])).ok  # L1 speaks en, VEN es;en
    report = check_plan(data, staff_plan(liaisons=[("L3", "VEN")]))
    assert broken(report) == {11} and codes(report) == {"liaison_language"}


def test_rule_11_one_liaison_per_delegation():
    data = staff_data()
    report = check_plan(data, staff_plan(liaisons=[("L1", "VEN"), ("L2", "VEN")]))
    assert broken(report) == {11} and codes(report) == {"several_liaisons"}


def test_delegation_without_liaison_is_a_warning():
    data = staff_data()
    plan = staff_plan(("L1", "F1"))
    plan.unassigned = []
    report = check_plan(data, plan)
    assert report.ok and [w.code for w in report.warnings] == ["liaison_unlisted"]


def test_consistency_volunteer_rows():
    data = staff_data()
    cases = {
        "unknown_volunteer": staff_plan(("L9", "F1")),
        "unknown_shift": staff_plan(("L1", "F9")),
        "duplicate_roster": staff_plan(("L1", "F1"), ("L1", "F1")),
        "unknown_delegation": staff_plan(liaisons=[("L2", "XYZ")]),
    }
    for code, plan in cases.items():
        report = check_plan(data, plan)
        assert code in codes(report), code
        assert broken(report) == {0}


def test_consistency_unassigned_rows():
    data = staff_data()
    for row, code in (
        (unassigned_row("bed", "P9"), "unknown_person"),
        (unassigned_row("ride", "P1:S9"), "unknown_session"),
        (unassigned_row("shift", "F9"), "unknown_shift"),
        (unassigned_row("liaison", "XYZ"), "unknown_delegation"),
        (unassigned_row("liaison", "CHN", reason=""), "unassigned_no_reason"),
        (unassigned_row("seat", "P1"), "unassigned_unknown_kind"),
    ):
        report = check_plan(data, Plan(unassigned=[row]), kinds=[])
        assert report.ok or code == "unassigned_unknown_kind"  # other areas are not checked
        report = check_plan(data, Plan(unassigned=[row]), kinds=["accommodation", "transport", "volunteers"])
        assert code in codes(report), code


# ------------------------------------------------------------------- API


def test_kinds_default_to_the_areas_in_the_plan():
    data = make_dataset()
    assert planned_kinds(Plan()) == ()
    assert check_plan(data, Plan()).ok
    assert planned_kinds(Plan(unassigned=[unassigned_row("ride", "P1")])) == ("transport",)
    report = check_plan(data, Plan(), kinds=["accommodation"])
    assert codes(report) == {"no_bed"} and len(report.violations) == len(data.people)
    with pytest.raises(ValueError, match="unknown planning area"):
        check_plan(data, Plan(), kinds=["catering"])


def test_report_format_and_by_rule():
    data = stay_data(*(person_row(f"P{i}") for i in range(1, 9)))
    plan = beds(data, *((f"P{i}", "H01", "201") for i in range(1, 9)))
    report = check_plan(data, plan)
    assert not report.ok
    assert set(report.by_rule()) == {1}
    text = report.format(max_examples=2)
    assert "Rule 1 (room capacity): 4" in text
    assert text.count("  - room H01/201 holds 8 people") == 2
    assert "... and 2 more" in text
    assert "NOT OK" in text
    assert "OK: every hard rule holds." in check_plan(data, Plan()).format()


def test_violation_is_plain_data():
    v = Violation(1, "room_over_capacity", "room H01/201 holds 3 people", ("H01/201",))
    assert str(v) == "room H01/201 holds 3 people"
    assert CheckReport([v]).by_rule() == {1: [v]}
    assert not CheckReport([v]).ok and CheckReport().ok


def test_every_rule_has_a_title_and_a_check_quoting_it():
    assert set(RULES) == set(range(12))
    docs = [inspect.getdoc(fn) or "" for fns in CHECKS.values() for fn in fns]
    for rule in range(1, 12):
        assert any(d.startswith(f"Hard rule {rule}:") for d in docs), rule
    for fn in (f for fns in CHECKS.values() for f in fns):
        doc = inspect.getdoc(fn) or ""
        assert doc.startswith(("Hard rule", "Consistency:", "Not a hard rule:")), fn.__name__


def test_check_imports_no_solver():
    tree = ast.parse(Path(check.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    ours = {m for m in imported if m.split(".")[0] in ("planner", "solvers", "ortools", "web")}
    # planner.messages only writes sentences (the summary's and the rule titles' templates): it decides nothing
    allowed = {"planner.dataset", "planner.plan", "planner.messages"}
    assert ours <= allowed | {m for m in ours if m.startswith("planner.workbook")}
    probe = "import sys, planner.check; print(sorted(m for m in sys.modules if m.split('.')[0] in ('ortools', 'solvers', 'flask')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
