"""Accommodation planning: each hard rule and soft rule on a tiny allowed/forbidden pair.

Every plan is re-checked by the independent checker; tests assert what the
rule says (who shares, who gets which kind of room, what is short and why),
never one particular room number unless the rule leaves only one choice.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest

from planner.check import check_plan
from planner.dataset import Dataset
from planner.plan import Plan
from planner.services.accommodation import AccommodationParams, build_problem, plan_accommodation
from planner.services.base import PlanOutcome, Progress
from solvers.accommodation import Weights, lp_lower_bound
from tests.builders import delegation_row, hotel_row, make_dataset, person_row, room_row, travel_time_row, venue_row

FAST = {"time_limit_s": 5.0, "workers": 1, "seed": 0}
ONLY = {f: 0 for f in Weights.__dataclass_fields__ if f != "person_without_bed"}


def solve(data: Dataset, weights: dict[str, int] | None = None, **kw: object) -> PlanOutcome:
    """Plan with fast settings and check the plan with the independent checker."""
    params = AccommodationParams(**{**FAST, **({"weights": Weights(**weights)} if weights else {})})
    outcome = plan_accommodation(data, params=params, **kw)  # type: ignore[arg-type]
    report = check_plan(data, outcome.plan, kinds=["accommodation"])
    assert report.ok, report.format()
    return outcome


def rooms_of(outcome: PlanOutcome) -> dict[str, tuple[str, str]]:
    return {r["person"]: (r["hotel"], r["room"]) for r in outcome.plan.rooming}


def unassigned(outcome: PlanOutcome) -> dict[str, str]:
    return {r["id"]: r["reason"] for r in outcome.plan.unassigned if r["kind"] == "bed"}


def world(people: list[dict], rooms: list[dict], hotels: list[dict] | None = None, **tables: object) -> Dataset:
    return make_dataset(
        people=people,
        rooms=rooms,
        hotels=hotels or [hotel_row("H01"), hotel_row("H02", approved=False, lat=31.22, lon=121.48)],
        **tables,
    )


def only(rule: str, weight: int = 1000) -> dict[str, int]:
    """Weights with every soft rule off except one."""
    return {**ONLY, rule: weight}


# ------------------------------------------------------------ hard rules


def test_rule_1_capacity_allows_a_full_room_and_forbids_one_more() -> None:
    two = world([person_row("P1"), person_row("P2")], [room_row("H01", "101", beds=2)])
    assert set(rooms_of(solve(two)).values()) == {("H01", "101")}
    three = world([person_row("P1"), person_row("P2"), person_row("P3")], [room_row("H01", "101", beds=2)])
    out = solve(three)
    assert len(out.plan.rooming) == 2
    ((who, reason),) = unassigned(out).items()
    assert reason == "no bed left for women of VEN on 2007-10-01"


def test_rule_1_a_bed_is_shared_by_stays_that_do_not_overlap() -> None:
    data = world(
        [
            person_row("P1", arrival_date="2007-10-01", departure_date="2007-10-03"),
            person_row("P2", arrival_date="2007-10-03", departure_date="2007-10-05"),
        ],
        [room_row("H01", "101", beds=1)],
    )
    out = solve(data)
    assert rooms_of(out) == {"P1": ("H01", "101"), "P2": ("H01", "101")}
    # and the bounds know it: neither the relaxation nor the model counts them as two beds' worth
    assert out.status == "optimal" and out.bound is not None and out.bound <= out.objective + 1e-6
    bound = lp_lower_bound(build_problem(data))
    assert bound is not None and bound <= out.objective + 1e-6


def test_rule_2_only_same_gender_and_delegation_share() -> None:
    same = world([person_row("P1"), person_row("P2")], [room_row("H01", "101", beds=2)])
    assert len(solve(same).plan.rooming) == 2
    mixed = world([person_row("P1"), person_row("P2", gender="M")], [room_row("H01", "101", beds=2)])
    out = solve(mixed)
    assert len(out.plan.rooming) == 1 and len(unassigned(out)) == 1
    other = world([person_row("P1"), person_row("P2", delegation="CHN")], [room_row("H01", "101", beds=2)])
    out = solve(other)
    assert len(out.plan.rooming) == 1
    assert next(iter(unassigned(out).values())).startswith("no bed left for women of")


def test_rule_3_athletes_do_not_share_with_coaches() -> None:
    athletes = world([person_row("P1"), person_row("P2", role="partner")], [room_row("H01", "101", beds=2)])
    assert len(solve(athletes).plan.rooming) == 2
    with_coach = world([person_row("P1"), person_row("P2", role="coach")], [room_row("H01", "101", beds=2)])
    out = solve(with_coach)
    assert len(out.plan.rooming) == 1 and len(unassigned(out)) == 1
    roomy = world(
        [person_row("P1"), person_row("P2", role="coach")],
        [room_row("H01", "101", beds=2), room_row("H01", "102", beds=2)],
    )
    placed = rooms_of(solve(roomy))
    assert placed["P1"] != placed["P2"]


def test_rule_4_wheelchair_user_gets_the_only_accessible_room() -> None:
    # two single rooms: the only plan housing both puts the wheelchair user in the accessible one
    data = world(
        [person_row("P1", needs="wheelchair"), person_row("P2")],
        [room_row("H01", "501", beds=1, floor=5, accessible=True), room_row("H01", "101", beds=1, floor=1)],
    )
    assert rooms_of(solve(data)) == {"P1": ("H01", "501"), "P2": ("H01", "101")}


def test_rule_4_no_accessible_room_is_a_reasoned_shortage() -> None:
    data = world([person_row("P1", needs="accessible_room")], [room_row("H01", "101", beds=2)])
    out = solve(data)
    assert out.plan.rooming == []
    assert unassigned(out) == {"P1": "no accessible room left for women of VEN on 2007-10-01"}
    assert out.status == "partial"
    assert {(s["gender"], s["need"]) for s in out.stats["shortage"]} == {("F", "accessible_room")}
    assert [s["night"] for s in out.stats["shortage"]] == ["2007-10-01", "2007-10-02", "2007-10-03", "2007-10-04"]


def test_rule_4_ground_floor_need_gets_floor_0_or_1() -> None:
    data = world(
        [person_row("P1", needs="ground_floor"), person_row("P2", gender="M")],
        [room_row("H01", "301", beds=1, floor=3), room_row("H01", "101", beds=1, floor=1)],
    )
    assert rooms_of(solve(data))["P1"] == ("H01", "101")
    high = world([person_row("P1", needs="ground_floor")], [room_row("H01", "301", beds=1, floor=3)])
    assert unassigned(solve(high)) == {"P1": "no ground-floor or accessible room left for women of VEN on 2007-10-01"}


def test_rule_5_unapproved_hotels_are_never_used() -> None:
    data = world(
        [person_row("P1"), person_row("P2", gender="M")],
        [room_row("H01", "101", beds=1), room_row("H02", "101", beds=4)],
    )
    out = solve(data)
    assert {h for h, _ in rooms_of(out).values()} == {"H01"}
    assert len(unassigned(out)) == 1
    # one row per person: one room for the whole stay
    assert len({r["person"] for r in out.plan.rooming}) == len(out.plan.rooming)


def test_rooming_rows_carry_each_persons_own_dates() -> None:
    data = world([person_row("P1", arrival_date="2007-10-02")], [room_row("H01", "101", beds=1)])
    (row,) = solve(data).plan.rooming
    assert (row["check_in"], row["check_out"]) == (date(2007, 10, 2), date(2007, 10, 5))


# ------------------------------------------------------------ soft rules

TWO_HOTELS = [hotel_row("H01"), hotel_row("H02", lat=31.30, lon=121.50)]


def test_soft_hotels_opened_fewest_hotels_when_possible() -> None:
    people = [person_row("P1"), person_row("P2", delegation="CHN")]
    roomy = world(
        people,
        [room_row("H01", "101", beds=1), room_row("H01", "102", beds=1), room_row("H02", "101", beds=1)],
        TWO_HOTELS,
    )
    out = solve(roomy, only("hotel_opened"))
    assert {h for h, _ in rooms_of(out).values()} == {"H01"}
    tight = world(people, [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)], TWO_HOTELS)
    out = solve(tight, only("hotel_opened"))
    assert [p.amount for p in out.penalties if p.rule == "hotel_opened"] == [2]


def test_soft_extra_hotel_keeps_a_delegation_together() -> None:
    people = [person_row("P1"), person_row("P2", gender="M")]
    rooms = [
        room_row("H01", "101", beds=1),
        room_row("H01", "102", beds=1),
        room_row("H02", "101", beds=1),
        room_row("H02", "102", beds=1),
    ]
    out = solve(world(people, rooms, TWO_HOTELS), only("extra_hotel"))
    assert len({h for h, _ in rooms_of(out).values()}) == 1
    assert not [p for p in out.penalties if p.rule == "extra_hotel"]
    split = [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)]
    out = solve(world(people, split, TWO_HOTELS), only("extra_hotel"))
    (penalty,) = [p for p in out.penalties if p.rule == "extra_hotel"]
    assert (penalty.amount, penalty.touches) == (1, ("VEN",))


def test_model_counts_whole_rooms_so_its_plan_needs_no_repair() -> None:
    # three women and a man, two two-bed rooms per hotel: four beds hold them in one hotel,
    # but a room holds one gender, so they need three rooms and both hotels
    people = [person_row("P1"), person_row("P2"), person_row("P3"), person_row("P4", gender="M")]
    rooms = [room_row(h, r) for h in ("H01", "H02") for r in ("101", "102")]
    out = solve(world(people, rooms, TWO_HOTELS), only("extra_hotel"))
    assert out.status == "optimal"
    assert out.stats["layout_repairs"] == 0
    assert [p.amount for p in out.penalties if p.rule == "extra_hotel"] == [1]
    # two women and two men fit one hotel's two rooms: no split
    people[2] = person_row("P3", gender="M")
    out = solve(world(people, rooms, TWO_HOTELS), only("extra_hotel"))
    assert out.status == "optimal" and not [p for p in out.penalties if p.rule == "extra_hotel"]


def test_soft_extra_floor_keeps_a_group_on_one_floor() -> None:
    people = [person_row(f"P{i}") for i in range(4)]
    rooms = [
        room_row("H01", "201", beds=2, floor=2),
        room_row("H01", "301", beds=2, floor=3),
        room_row("H01", "302", beds=2, floor=3),
    ]
    out = solve(world(people, rooms), only("extra_floor"))
    assert len({room for _, room in rooms_of(out).values()}) == 2
    assert not [p for p in out.penalties if p.rule == "extra_floor"]


def test_lp_bound_sees_splits_and_floors_the_rooms_force() -> None:
    # three women, two hotels of two beds: any plan uses both hotels
    people = [person_row(f"P{i}") for i in range(3)]
    split = world(people, [room_row("H01", "101"), room_row("H02", "101")], TWO_HOTELS)
    bound = lp_lower_bound(build_problem(split), Weights(**only("extra_hotel")))
    out = solve(split, only("extra_hotel"))
    assert bound is not None and bound == pytest.approx(1000) and bound <= out.objective
    # four women, one hotel with one two-bed room on each of two floors: two floors
    four = [person_row(f"P{i}") for i in range(4)]
    floors = world(four, [room_row("H01", "201", floor=2), room_row("H01", "301", floor=3)])
    bound = lp_lower_bound(build_problem(floors), Weights(**only("extra_floor")))
    out = solve(floors, only("extra_floor"))
    assert bound is not None and bound == pytest.approx(1000) and bound <= out.objective
    # three women; the free hotel holds two of them: splitting costs a hotel, the roomy one 50 a bed-night.
    # The plain relaxation splits for a third of a hotel (200 + 333); any plan in a hotel too small
    # for the delegation uses two, so the bound is the optimum: all three in H02 for 4 nights
    free_small = world(
        people,
        [room_row("H01", "101"), room_row("H02", "101", beds=4)],
        [hotel_row("H01", cost_per_bed_night=0), hotel_row("H02", lat=31.3, lon=121.5, cost_per_bed_night=50)],
    )
    weights = {**ONLY, "extra_hotel": 1000, "bed_night_cost": 1}
    bound = lp_lower_bound(build_problem(free_small), Weights(**weights))
    out = solve(free_small, weights)
    assert out.objective == 600 and bound == pytest.approx(600)
    # the same with accessibility: the free hotel has beds enough but no accessible room
    pair = [person_row("P1", needs="wheelchair"), person_row("P2")]
    no_access = world(
        pair,
        [room_row("H01", "101"), room_row("H02", "101", accessible=True)],
        [hotel_row("H01", cost_per_bed_night=0), hotel_row("H02", lat=31.3, lon=121.5, cost_per_bed_night=50)],
    )
    bound = lp_lower_bound(build_problem(no_access), Weights(**weights))
    out = solve(no_access, weights)
    assert out.objective == 400 and bound == pytest.approx(400)
    # five women, four beds: someone goes without a bed, and the bound stays below the plan
    five = [person_row(f"P{i}") for i in range(5)]
    short = world(five, [room_row("H01", "101"), room_row("H02", "101")], TWO_HOTELS)
    bound = lp_lower_bound(build_problem(short), Weights(**only("extra_hotel")))
    out = solve(short, only("extra_hotel"))
    assert bound is not None and bound <= out.objective


def test_soft_travel_prefers_the_hotel_near_the_venue() -> None:
    people = [person_row("P1")]
    rooms = [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)]
    near_h02 = [travel_time_row("H01", "V01", 40), travel_time_row("H02", "V01", 10)]
    out = solve(
        world(people, rooms, TWO_HOTELS, venues=[venue_row("V01")], travel_times=near_h02), only("travel_min", 10)
    )
    assert rooms_of(out)["P1"][0] == "H02"
    (penalty,) = [p for p in out.penalties if p.rule == "travel_min"]
    assert penalty.amount == 10


def test_soft_cost_and_survey_score_prefer_the_cheaper_better_hotel() -> None:
    people = [person_row("P1")]
    rooms = [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)]
    cheap_h02 = [
        hotel_row("H01", cost_per_bed_night=500),
        hotel_row("H02", lat=31.3, lon=121.5, cost_per_bed_night=200),
    ]
    assert rooms_of(solve(world(people, rooms, cheap_h02), only("bed_night_cost", 1)))["P1"][0] == "H02"
    better_h01 = [hotel_row("H01", survey_score=95), hotel_row("H02", lat=31.3, lon=121.5, survey_score=70)]
    assert rooms_of(solve(world(people, rooms, better_h01), only("survey_score", 1)))["P1"][0] == "H01"


def test_soft_halal_delegation_in_a_halal_kitchen_hotel() -> None:
    delegations = [delegation_row("VEN", "es;en", diet="halal"), delegation_row("CHN", "zh")]
    people = [person_row("P1")]
    rooms = [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)]
    hotels = [hotel_row("H01"), hotel_row("H02", lat=31.3, lon=121.5, halal_kitchen=True)]
    out = solve(world(people, rooms, hotels, delegations=delegations), only("halal_outside_halal_hotel"))
    assert rooms_of(out)["P1"][0] == "H02"
    no_halal = [hotel_row("H01"), hotel_row("H02", lat=31.3, lon=121.5)]
    out = solve(world(people, rooms, no_halal, delegations=delegations), only("halal_outside_halal_hotel"))
    assert [(p.amount, p.touches) for p in out.penalties if p.rule == "halal_outside_halal_hotel"] == [(1, ("VEN",))]


def test_soft_coaches_sleep_in_their_athletes_hotel() -> None:
    people = [person_row("P1"), person_row("P2", role="coach")]
    together = [room_row("H01", "101", beds=1), room_row("H01", "102", beds=1), room_row("H02", "101", beds=1)]
    out = solve(world(people, together, TWO_HOTELS), only("coach_apart_from_athletes"))
    placed = rooms_of(out)
    assert placed["P1"][0] == placed["P2"][0]
    apart = [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)]
    out = solve(world(people, apart, TWO_HOTELS), only("coach_apart_from_athletes"))
    assert [p.amount for p in out.penalties if p.rule == "coach_apart_from_athletes"] == [1]


def test_penalties_explain_the_objective() -> None:
    data = world(
        [person_row("P1"), person_row("P2", gender="M"), person_row("P3", role="coach")],
        [
            room_row("H01", "101", beds=2),
            room_row("H01", "201", beds=2, floor=2),
            room_row("H01", "301", beds=1, floor=3),
        ],
    )
    out = solve(data)
    assert out.objective == pytest.approx(sum(p.cost for p in out.penalties))
    assert all(p.cost == pytest.approx(p.weight * p.amount) and p.doc for p in out.penalties)
    assert out.bound is not None and out.bound <= out.objective + 1e-6


# ------------------------------------------------------------ re-plans, pins, control


def test_replan_with_nothing_changed_moves_nobody() -> None:
    data = world(
        [person_row("P1"), person_row("P2"), person_row("P3", gender="M"), person_row("P4", role="coach")],
        [
            room_row("H01", "101", beds=2),
            room_row("H01", "201", beds=2, floor=2),
            room_row("H01", "301", beds=3, floor=3),
        ],
    )
    first = solve(data)
    again = solve(data, previous=Plan(rooming=first.plan.rooming))
    assert again.moved == []
    assert rooms_of(again) == rooms_of(first)


def test_replan_moves_only_the_person_whose_gender_was_corrected() -> None:
    rooms = [
        room_row("H01", "101", beds=2),
        room_row("H01", "201", beds=2, floor=2),
        room_row("H01", "301", beds=2, floor=3),
    ]
    people = [person_row("P1"), person_row("P2"), person_row("P3", gender="M"), person_row("P4", gender="M")]
    first = solve(world(people, rooms))
    assert rooms_of(first)["P1"] == rooms_of(first)["P2"]
    corrected = world([*people[:1], person_row("P2", gender="M"), *people[2:]], rooms)
    again = solve(corrected, previous=Plan(rooming=first.plan.rooming), changed={"P2"})
    assert [(m["person"], m["forced"]) for m in again.moved] == [("P2", True)]
    assert "gender" in again.moved[0]["reason"]
    assert all(rooms_of(again)[p] == rooms_of(first)[p] for p in ("P1", "P3", "P4"))


def test_replan_keeps_people_whose_new_dates_still_fit_and_moves_those_that_do_not() -> None:
    rooms = [room_row("H01", "101", beds=1), room_row("H01", "201", beds=1, floor=2)]
    people = [
        person_row("P1", departure_date="2007-10-03"),
        person_row("P2", arrival_date="2007-10-03"),
    ]
    first = solve(world(people, rooms))
    assert len(first.plan.rooming) == 2
    shared = rooms_of(first)["P1"] == rooms_of(first)["P2"]
    # P1 now stays two nights longer: if P1 shared a bed with P2 it no longer fits there
    later = world([person_row("P1", departure_date="2007-10-05"), people[1]], rooms)
    again = solve(later, previous=Plan(rooming=first.plan.rooming), changed={"P1"})
    assert len(again.plan.rooming) == 2
    assert {m["person"] for m in again.moved} == ({"P1"} if shared else set())


def test_replan_after_a_room_changed_says_so_not_that_the_people_changed() -> None:
    """Room 101 loses a bed and 201 its accessibility: nobody's dates or needs changed, and the reasons say no such thing."""
    people = [person_row("P1"), person_row("P2"), person_row("P3", needs="accessible_room")]
    rooms = [
        room_row("H01", "101", beds=2),
        room_row("H01", "201", beds=1, floor=2, accessible=True),
        room_row("H01", "301", beds=2, floor=3),
        room_row("H01", "401", beds=1, floor=1, accessible=True),
    ]
    previous = Plan(
        rooming=[
            {"person": p, "hotel": "H01", "room": r, "check_in": date(2007, 10, 1), "check_out": date(2007, 10, 5)}
            for p, r in (("P1", "101"), ("P2", "101"), ("P3", "201"))
        ]
    )
    changed_rooms = [room_row("H01", "101", beds=1), room_row("H01", "201", beds=1, floor=2), *rooms[2:]]
    again = solve(world(people, changed_rooms), previous=previous)
    assert check_plan(world(people, changed_rooms), again.plan, kinds=["accommodation"]).ok
    reasons = {m["person"]: m["reason"] for m in again.moved}
    assert set(reasons) == {"P3"} | ({"P1", "P2"} - {p for p, r in rooms_of(again).items() if r == ("H01", "101")})
    assert len(reasons) == 2 and all(m["forced"] for m in again.moved)
    assert reasons["P3"] == "they need an accessible room and room H01/201 is not one"
    (full,) = (reasons[p] for p in ("P1", "P2") if p in reasons)
    assert full == "room H01/101 has no bed left for them on 2007-10-01"


def test_soft_moves_from_the_previous_plan_weigh_against_savings() -> None:
    data = world(
        [person_row("P1")],
        [room_row("H01", "101", beds=1), room_row("H02", "101", beds=1)],
        [hotel_row("H01", cost_per_bed_night=100), hotel_row("H02", lat=31.3, lon=121.5, cost_per_bed_night=900)],
    )
    previous = Plan(
        rooming=[
            {
                "person": "P1",
                "hotel": "H02",
                "room": "101",
                "check_in": date(2007, 10, 1),
                "check_out": date(2007, 10, 5),
            }
        ]
    )

    def replan(release: bool, moved_weight: int) -> PlanOutcome:
        weights = Weights(**{**only("bed_night_cost", 1), "moved": moved_weight})
        params = AccommodationParams(**FAST, weights=weights, release_previous_rooms=release)
        out = plan_accommodation(data, previous=previous, params=params)
        assert check_plan(data, out.plan, kinds=["accommodation"]).ok
        return out

    assert replan(False, 1).moved == []  # without release, a valid previous room is kept
    cheap_move = replan(True, 10)
    assert [(m["person"], m["to"], m["forced"]) for m in cheap_move.moved] == [("P1", "H01/101", False)]
    assert replan(True, 100_000).moved == []


def test_pins_are_kept_and_bad_pins_explained() -> None:
    data = world(
        [person_row("P1"), person_row("P2", needs="wheelchair")],
        [
            room_row("H01", "101", beds=1, accessible=True),
            room_row("H01", "201", beds=1, floor=2),
            room_row("H01", "301", beds=2, floor=3),
        ],
    )
    out = solve(data, pins=[("P1", "H01", "301"), ("P2", "H01", "201")])
    placed = rooms_of(out)
    assert placed["P1"] == ("H01", "301")
    assert placed["P2"] == ("H01", "101")  # the pin broke rule 4, so it was ignored
    assert any("pin of P2 to H01/201 ignored" in m for m in out.messages)


def test_progress_is_reported_and_stop_keeps_a_complete_plan() -> None:
    data = world(
        [person_row(f"P{i}", gender="FM"[i % 2]) for i in range(6)],
        [room_row("H01", f"{f}01", beds=2, floor=f) for f in range(1, 5)],
    )
    seen: list[Progress] = []
    stop = threading.Event()

    def on_progress(p: Progress) -> None:
        seen.append(p)
        stop.set()  # stop at the first report: the best plan so far must come back

    out = solve(data, progress=on_progress, stop=stop)
    assert seen and all(p.kind == "accommodation" for p in seen)
    assert seen[0].objective is not None
    assert out.status == "stopped"
    assert len(out.plan.rooming) + len(unassigned(out)) == 6


def test_same_seed_and_one_worker_give_the_same_plan() -> None:
    people = [person_row(f"P{i}", gender="FM"[i % 2], role=("athlete", "coach")[i % 3 == 0]) for i in range(12)]
    rooms = [room_row(h, f"{f}0{k}", beds=2, floor=f) for h in ("H01", "H02") for f in (1, 2) for k in (1, 2, 3)]
    data = world(people, rooms, TWO_HOTELS)
    params = AccommodationParams(time_limit_s=20, workers=1, seed=3, deterministic=True, max_neighbourhoods=10)
    a = plan_accommodation(data, params=params)
    b = plan_accommodation(data, params=params)
    assert a.plan.rooming == b.plan.rooming and a.objective == b.objective


def test_params_are_validated() -> None:
    with pytest.raises(ValueError):
        AccommodationParams(time_limit_s=0)
    with pytest.raises(ValueError):
        AccommodationParams(workers=0)
    with pytest.raises(ValueError):
        AccommodationParams(seed=-1)
    with pytest.raises(ValueError):
        Weights(extra_hotel=-5)
    assert AccommodationParams(weights={"extra_hotel": 7}).weights.extra_hotel == 7


def test_no_approved_hotel_gives_reasons_not_a_crash() -> None:
    data = world([person_row("P1"), person_row("P2", gender="M")], [room_row("H02", "101", beds=2)])
    out = solve(data)
    assert out.plan.rooming == [] and len(unassigned(out)) == 2
    assert out.stats["shortage"]
    assert any(m.startswith("no approved hotel has rooms") for m in out.messages)


# ------------------------------------------------------------ fixtures

fixtures_generate = pytest.importorskip("fixtures.generate")


def test_small_fixture_solves_to_a_plan_the_checker_accepts() -> None:
    data = Dataset.from_workbook(fixtures_generate.generate("small"))
    out = plan_accommodation(data, params=AccommodationParams(time_limit_s=4, workers=2))
    assert check_plan(data, out.plan, kinds=["accommodation"]).ok
    assert len(out.plan.rooming) == len(data.people) and not out.plan.unassigned
    assert out.bound is not None and out.bound <= out.objective
    assert out.objective <= out.stats["greedy_objective"]
    if out.stats["lns_iterations"] == 0:  # the whole model was solved: no neighbourhood improved anything
        assert out.stats["lns_improvements"] == 0


@pytest.mark.slow
def test_district_fixture_solves_and_a_replan_moves_only_forced_people() -> None:
    wb = fixtures_generate.generate("district")
    data = Dataset.from_workbook(wb)
    out = plan_accommodation(data, params=AccommodationParams(time_limit_s=8, workers=2))
    assert check_plan(data, out.plan, kinds=["accommodation"]).ok
    assert not out.plan.unassigned
    # one person's gender is corrected; nobody else's record changes
    people = wb.tables["people"]
    changed = {people[0]["id"]}
    people[0]["gender"] = "M" if people[0]["gender"] == "F" else "F"
    again = plan_accommodation(
        Dataset.from_workbook(wb),
        previous=Plan(rooming=out.plan.rooming),
        params=AccommodationParams(time_limit_s=5, workers=2, lp_bound=False),
        changed=changed,
    )
    assert {m["person"] for m in again.moved} <= changed
    assert all(m["forced"] for m in again.moved)


def test_the_model_accepts_the_plan_it_is_started_from() -> None:
    """The start plan given to CP-SAT as a hint is a solution of the model (else CP-SAT drops it).

    One woman needs a ground-level room and all rooms are ground-level: her group's two rooms count
    at the ground level only as far as she needs, the rest as any room.
    """
    from ortools.sat.python import cp_model

    from solvers.accommodation import (
        AccommodationProblem,
        DelegationData,
        HotelData,
        PersonData,
        RoomData,
        _candidates,
        _fix_occupants,
        _greedy,
        _Instance,
        _Model,
        _order_people,
    )

    people = tuple(PersonData(f"P{i}", "D", "F", True, "ground_floor" if i == 0 else "", 0, 2) for i in range(4))
    rooms = tuple(RoomData("H1", f"10{i}", 1, 2) for i in range(3))
    problem = AccommodationProblem((HotelData("H1"),), rooms, (DelegationData("D", travel_min=(0,)),), people)
    inst = _Instance(problem, Weights())
    fixed = _fix_occupants(inst)
    start = _greedy(inst, fixed.state, _order_people(inst, range(4)), {})
    candidates, _ = _candidates(inst, fixed.state, start, range(4), fixed, 0, False)
    model = _Model(inst, fixed, range(4), candidates, False, unhoused_cap=0)
    model.hint(start)
    hint = model.m.proto.solution_hint
    for index, value in zip(hint.vars, hint.values, strict=True):
        model.m.add(model.m.get_int_var_from_proto_index(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model.m) == cp_model.OPTIMAL


def test_neighbourhood_search_keeps_every_rule_with_whole_rooms() -> None:
    """The re-plan of a few hotels at a time (problems above ``whole_model_people``) lays out without repair."""
    data = Dataset.from_workbook(fixtures_generate.generate("district"))
    out = plan_accommodation(data, params=AccommodationParams(time_limit_s=6, workers=2, whole_model_people=0))
    assert check_plan(data, out.plan, kinds=["accommodation"]).ok
    assert not out.plan.unassigned
    assert out.stats["lns_iterations"] > 0 and out.stats["layout_repairs"] == 0
    # improvements found by other steps (greedy, rounding, floor compaction) are not counted as neighbourhoods'
    assert 0 <= out.stats["lns_improvements"] <= out.stats["lns_iterations"]
    assert out.objective < out.stats["greedy_objective"]


def test_floor_compaction_puts_each_delegation_on_fewer_floors_with_the_same_room_mates() -> None:
    """After the search, whole rooms' occupants move within their hotel so delegations use fewer floors.

    Floor 2 has the only accessible room (201) and a plain one; floor 3 two plain rooms. A and B are
    each spread over both floors; B0 needs the accessible room, so B belongs on floor 2 and A on floor 3.
    """
    from solvers.accommodation import (
        AccommodationProblem,
        DelegationData,
        HotelData,
        PersonData,
        RoomData,
        _compact_floors,
        _evaluate,
        _Instance,
        _State,
    )

    people = tuple(
        PersonData(f"{d}{i}", d, "F", True, "accessible_room" if (d, i) == ("B", 0) else "", 0, 3)
        for d in "AB"
        for i in range(4)
    )
    rooms = (
        RoomData("H1", "201", 2, 2, accessible=True),
        RoomData("H1", "202", 2, 2),
        RoomData("H1", "301", 3, 2),
        RoomData("H1", "302", 3, 2),
    )
    delegations = (DelegationData("A", travel_min=(0,)), DelegationData("B", travel_min=(0,)))
    inst = _Instance(AccommodationProblem((HotelData("H1"),), rooms, delegations, people), Weights())
    start = {"A0": "202", "A1": "202", "A2": "301", "A3": "301", "B0": "201", "B1": "201", "B2": "302", "B3": "302"}
    st = _State(inst)
    index = {p.id: i for i, p in enumerate(inst.people)}
    for person, room in start.items():
        st.place(index[person], inst.room_index[("H1", room)])

    def layout(state: _State) -> dict[str, str]:
        return {p.id: inst.rooms[state.room_of[i]].room for i, p in enumerate(inst.people)}

    def floors(state: _State, delegation: str) -> set[int]:
        return {inst.rooms[state.room_of[i]].floor for i, p in enumerate(inst.people) if p.delegation == delegation}

    def room_mates(state: _State) -> set[frozenset[str]]:
        return {frozenset(inst.people[p].id for p in occ) for occ in state.occupants if occ}

    before, _ = _evaluate(inst, st, {})
    out, saved = _compact_floors(inst, st, lambda p: True, None)
    after, penalties = _evaluate(inst, out, {})
    assert saved == 2 and before - after == 2 * Weights().extra_floor
    assert not [p for p in penalties if p.rule == "extra_floor"]
    assert floors(out, "B") == {2} and floors(out, "A") == {3}
    assert inst.rooms[out.room_of[index["B0"]]].accessible
    assert room_mates(out) == room_mates(st)
    assert layout(st) == start  # the plan it started from is left as it was
    out, saved = _compact_floors(inst, st, lambda p: True, None, stopped=lambda: True)
    assert saved == 0 and layout(out) == start  # a stop ends it before the next hotel

    # a room that may not move stays put: with A's 202 kept, floor 2 is full (201 is B0's), so
    # neither delegation can come together and the plan is left as it was
    kept = inst.room_index[("H1", "202")]
    out, saved = _compact_floors(inst, st, lambda p: st.room_of[p] != kept, None)
    assert saved == 0 and layout(out) == start
    # with A's 301 kept, A gathers on floor 3 around it and B on floor 2
    kept = inst.room_index[("H1", "301")]
    out, saved = _compact_floors(inst, st, lambda p: st.room_of[p] != kept, None)
    assert saved == 2 and layout(out)["A2"] == "301" and floors(out, "A") == {3} and floors(out, "B") == {2}
