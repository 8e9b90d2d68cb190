"""The volunteers planning service: plans the checker accepts, reasons in the coordinator's terms,
re-plans, parameters, progress and stop."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from planner.check import check_plan
from planner.plan import Plan
from planner.services.base import PlanOutcome, Progress
from planner.services.volunteers import (
    DEFAULT_FUNCTION_PRIORITY,
    VolunteerParams,
    VolunteerPreference,
    plan_volunteers,
)
from tests.builders import delegation_row, make_dataset, shift_row, venue_row, volunteer_row

FAST = VolunteerParams(time_limit_s=5, workers=1)


def world(**tables):
    """The builders' default world with only volunteer matters: no people, sessions or delegations unless given."""
    return make_dataset(**{"people": [], "sessions": [], "delegations": [], **tables})


def plan_ok(data, outcome: PlanOutcome) -> None:
    report = check_plan(data, outcome.plan, kinds=["volunteers"])
    assert report.ok, report.format()
    assert not report.warnings, report.format()  # every short shift / missing liaison has its row


def test_default_world_plan_passes_the_checker() -> None:
    data = make_dataset()
    out = plan_volunteers(data, params=FAST)
    plan_ok(data, out)
    assert out.kind == "volunteers"
    assert {r["delegation"] for r in out.plan.liaisons} == {"VEN", "CHN"}
    # L1 is the only Chinese speaker and the only first-aider: CHN's liaison wins over one shift place
    (row,) = out.plan.unassigned
    assert row["kind"] == "shift" and row["id"] == "F1"
    assert row["reason"].startswith("Venue V01, 2007-10-03 08:00-12:00: 1 short (volunteers with first aid;")
    assert "1 on liaison duty" in row["reason"]
    assert out.status == "partial"


def test_too_few_speakers_gives_a_shortage_report_not_a_failure() -> None:
    data = world(
        delegations=[delegation_row("EGY", "ar"), delegation_row("SWZ", "sw")],
        volunteers=[volunteer_row("A1", "zh;ar"), volunteer_row("A2", "zh;ar"), volunteer_row("E1", "zh;en")],
        shifts=[
            shift_row("AR", languages="ar", needed=3, date="2007-10-08"),
            shift_row("AR2", languages="ar", needed=1, date="2007-10-03"),
        ],
    )
    out = plan_volunteers(data, params=FAST)
    plan_ok(data, out)
    reasons = {(r["kind"], r["id"]): r["reason"] for r in out.plan.unassigned}
    # on 10-03 one Arabic speaker is EGY's liaison, the other works AR2
    assert ("shift", "AR2") not in reasons
    # EGY's liaison (one of the two Arabic speakers) is free again on 10-08, after EGY left
    assert reasons[("shift", "AR")] == (
        "Venue V01, 2007-10-08 08:00-12:00: 1 short (Arabic speakers; 2 eligible that day: 2 on this shift)"
    )
    assert reasons[("liaison", "SWZ")] == "no volunteer speaks Swahili"
    assert out.stats["places_filled"] == 3 and out.stats["fill_bound"] == 3
    assert out.status == "partial"


def test_liaison_reasons_say_why() -> None:
    data = world(
        delegations=[delegation_row("FRA", "fr"), delegation_row("BEL", "fr;nl")],
        volunteers=[volunteer_row("F1", "fr", available_to="2007-10-03"), volunteer_row("F2", "fr")],
        shifts=[],
    )
    out = plan_volunteers(data, params=FAST)
    plan_ok(data, out)
    (row,) = out.plan.unassigned
    assert row["kind"] == "liaison"
    assert "liaisons of other delegations" in row["reason"] and "French or Dutch" in row["reason"]


def test_small_fixture_roster_passes_the_checker() -> None:
    generate = pytest.importorskip("fixtures.generate").generate
    from planner.dataset import Dataset

    data = Dataset.from_workbook(generate("small"))
    out = plan_volunteers(data, params=FAST)
    plan_ok(data, out)
    assert out.stats["places_filled"] <= out.stats["fill_bound"] <= out.stats["fill_bound_without_liaisons"]
    assert out.stats["places_filled"] == out.stats["fill_bound"]
    assert out.objective is not None and out.bound is not None and out.bound <= out.objective
    assert out.objective == sum(p.cost for p in out.penalties)


def test_replan_after_dropouts_reports_moves_and_passes_the_checker() -> None:
    data = world(
        delegations=[delegation_row("GBR", "en", arrival_date="2007-10-01", departure_date="2007-10-02")],
        volunteers=[volunteer_row(f"V{i}", "zh;en" if i % 2 else "zh;fr") for i in range(8)],
        shifts=[shift_row(f"S{d}", date=f"2007-10-0{d}", needed=3) for d in range(3, 8)]
        + [shift_row(f"FR{d}", date=f"2007-10-0{d}", languages="fr", start="13:00", end="17:00") for d in range(3, 8)],
    )
    first = plan_volunteers(data, params=FAST)
    plan_ok(data, first)
    gone = first.plan.roster[0]["volunteer"]
    after = replace(data, volunteers={k: v for k, v in data.volunteers.items() if k != gone})
    again = plan_volunteers(after, previous=first.plan, params=FAST)
    plan_ok(after, again)
    before = {(r["volunteer"], r["shift"]) for r in first.plan.roster if r["volunteer"] != gone}
    now = {(r["volunteer"], r["shift"]) for r in again.plan.roster}
    taken_off = before - now
    assert len(again.moved) == len(taken_off)
    assert all(m["what"] == "shift" and (m["volunteer"], m["from"]) in taken_off for m in again.moved)
    assert again.stats["places_filled"] >= len(before)


def test_preferences_are_an_optional_input() -> None:
    data = world(
        venues=[venue_row("V01"), venue_row("V02", lat=31.2, lon=121.5)],
        volunteers=[volunteer_row("X")],
        shifts=[shift_row("AT1", place="V01"), shift_row("AT2", place="V02")],
    )
    for place, shift in (("V01", "AT1"), ("V02", "AT2")):
        out = plan_volunteers(data, params=FAST, preferences=[VolunteerPreference("X", place=place)])
        assert out.plan.roster == [{"volunteer": "X", "shift": shift}]


def test_fractional_hours_are_never_exceeded() -> None:
    data = world(
        volunteers=[volunteer_row("X", max_hours_per_day=3.999)],
        shifts=[shift_row("FOUR", start="08:00", end="12:00")],
    )
    out = plan_volunteers(data, params=FAST)
    plan_ok(data, out)
    assert out.plan.roster == []


def test_priority_by_function() -> None:
    params = VolunteerParams(function_priority={"usher": 5}, default_priority=0)
    assert params.priority_of("Usher") == 5 and params.priority_of("medical") == 0
    assert VolunteerParams().priority_of("medical") == DEFAULT_FUNCTION_PRIORITY["medical"]
    data = world(
        volunteers=[volunteer_row("X")],
        shifts=[shift_row("MED", function="medical"), shift_row("USH", function="usher", start="09:00", end="13:00")],
    )
    assert plan_volunteers(data, params=replace(params, time_limit_s=5)).plan.roster[0]["shift"] == "USH"
    assert plan_volunteers(data, params=FAST).plan.roster[0]["shift"] == "MED"


@pytest.mark.parametrize(
    "bad",
    [
        {"time_limit_s": 0},
        {"workers": 0},
        {"seed": -1},
        {"min_rest_between_days_min": 2000},
        {"function_priority": {"medical": 9}},
        {"default_priority": -1},
    ],
)
def test_params_are_validated(bad: dict) -> None:
    with pytest.raises(ValueError):
        VolunteerParams(**bad)


def test_progress_and_stop() -> None:
    data = make_dataset()
    seen: list[Progress] = []
    out = plan_volunteers(data, params=FAST, progress=seen.append)
    assert seen and all(p.kind == "volunteers" for p in seen) and seen[-1].fraction == 1.0
    stop = threading.Event()
    stop.set()
    stopped = plan_volunteers(data, params=FAST, stop=stop)
    assert stopped.status == "stopped"
    plan_ok(data, stopped)
    assert isinstance(out.plan, Plan)
