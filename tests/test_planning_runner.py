"""The planning runner: stores, checks and accepts runs; re-plans know who changed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session

from planner.models import PlanRun
from planner.services.hotels import SurveyInput, record_survey
from planner.services.planning import (
    PlanNoLongerPasses,
    accept_run,
    accepted_plan,
    accepted_run,
    changed_people,
    compare_runs,
    person_digests,
    run_plan,
)
from planner.services.workbook import apply_workbook, load_dataset
from tests.builders import default_tables, hotel_row, make_workbook, person_row, room_row
from tests.dbhelpers import load

PEOPLE = [person_row("P1"), person_row("P2", role="coach"), person_row("P3"), person_row("P4")]


def test_a_solve_is_stored_checked_and_accepted(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook(people=PEOPLE))
    run_id = run_plan(sqlite_engine, "accommodation", accept=True)
    with Session(sqlite_engine) as s:
        run = s.get(PlanRun, run_id)
        assert run is not None and run.accepted and run.check_ok
        assert run.objective is not None and run.bound is not None and run.objective >= run.bound - 1e-6
        assert {r["person"] for r in accepted_plan(s, "accommodation").rooming} == {"P1", "P2", "P3", "P4"}
        assert set(json.loads(run.input_digest or "{}")) == {"P1", "P2", "P3", "P4"}


def test_a_replan_moves_only_the_person_whose_record_changed(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook(people=PEOPLE))
    first = run_plan(sqlite_engine, "accommodation", accept=True)
    with Session(sqlite_engine) as s:
        apply_workbook(s, make_workbook(people=[*PEOPLE[:2], person_row("P3", gender="M"), PEOPLE[3]]), "fix")
        s.commit()
        data = load_dataset(s)
        assert changed_people(s, data, person_digests(data)) == ["P3"]
    second = run_plan(sqlite_engine, "accommodation", accept=True)
    with Session(sqlite_engine) as s:
        run = s.get(PlanRun, second)
        assert run is not None and run.check_ok
        moved = {m["person"] for m in json.loads(run.moved or "[]")}
        assert moved <= {"P3"}
        diff = compare_runs(s, second, first)
        assert {c["id"] for c in diff["changes"]} <= {"P3"}


def test_an_older_plan_that_breaks_a_rule_on_todays_data_is_not_accepted(sqlite_engine) -> None:
    """A hotel rejected after a plan was made: that plan may no longer be accepted, and its check says so."""
    rooms = default_tables()["rooms"] + [room_row("H02", f"{n}01", beds=2, floor=n) for n in (2, 3)]
    hotels = [hotel_row("H01"), hotel_row("H02", lat=31.2200, lon=121.4800)]
    load(sqlite_engine, make_workbook(people=PEOPLE, hotels=hotels, rooms=rooms))
    first = run_plan(sqlite_engine, "accommodation", accept=True)
    with Session(sqlite_engine) as s:
        used = {r["hotel"] for r in accepted_plan(s, "accommodation").rooming}
        assert len(used) == 1  # four people fit in either hotel; one hotel is cheaper than two
        failing = dict(fire_safety=False, food_safety=True, security=True, accessibility=True, halal_kitchen=False)
        record_survey(s, SurveyInput(hotel=used.pop(), surveyed_on=date(2007, 9, 1), score=40.0, **failing))
    second = run_plan(sqlite_engine, "accommodation", accept=True)
    with Session(sqlite_engine) as s:
        assert accepted_run(s, "accommodation").id == second  # type: ignore[union-attr]
        with pytest.raises(PlanNoLongerPasses, match=f"plan run {first} no longer passes"):
            accept_run(s, first)
    with Session(sqlite_engine) as s:
        old = s.get(PlanRun, first)
        assert old is not None and not old.accepted and old.check_ok is False
        assert "Rule 5 " in (old.check_summary or "") and "which is not approved" in (old.check_summary or "")
        assert accepted_run(s, "accommodation").id == second  # type: ignore[union-attr]
        # the new plan still passes on the same data, so accepting it again is fine
        assert accept_run(s, second).accepted


def test_someone_leaving_does_not_lock_accommodation_and_transport_out_of_each_other(sqlite_engine) -> None:
    """Accepted rooming and rides both name P4; P4 leaves. Each area re-plans and is accepted in turn:
    the other area's stale rows are that area's to mend, not a reason to refuse this one."""
    load(sqlite_engine, make_workbook(people=PEOPLE))
    run_plan(sqlite_engine, "accommodation", accept=True)
    run_plan(sqlite_engine, "transport", accept=True)
    with Session(sqlite_engine) as s:
        assert any(r["person"] == "P4" for r in accepted_plan(s, "transport").manifest)
        apply_workbook(s, make_workbook(people=PEOPLE[:3]), "P4 left")
        s.commit()
    housing = run_plan(sqlite_engine, "accommodation", accept=True)
    rides = run_plan(sqlite_engine, "transport", accept=True)
    with Session(sqlite_engine) as s:
        assert accepted_run(s, "accommodation").id == housing  # type: ignore[union-attr]
        assert accepted_run(s, "transport").id == rides  # type: ignore[union-attr]
        assert all(s.get(PlanRun, run).check_ok for run in (housing, rides))  # type: ignore[union-attr]
        assert "P4" not in {r["person"] for r in accepted_plan(s).manifest}


def test_a_plan_is_not_accepted_when_its_hotel_is_rejected_while_it_is_solved(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook(people=PEOPLE))
    failing = dict(fire_safety=False, food_safety=True, security=True, accessibility=True, halal_kitchen=False)
    rejected = []

    def reject_h01_once(progress) -> None:  # the only approved hotel fails its survey mid-solve
        if not rejected:
            with Session(sqlite_engine) as s:
                record_survey(s, SurveyInput(hotel="H01", surveyed_on=date(2007, 9, 1), score=40.0, **failing))
            rejected.append(progress)

    run_id = run_plan(sqlite_engine, "accommodation", accept=True, progress=reject_h01_once)
    with Session(sqlite_engine) as s:
        run = s.get(PlanRun, run_id)
        assert rejected and run is not None
        assert not run.accepted and run.check_ok is False and "which is not approved" in (run.check_summary or "")
