"""The planning runner: stores, checks and accepts runs; re-plans know who changed."""

from __future__ import annotations

import json

from sqlmodel import Session

from planner.models import PlanRun
from planner.services.planning import accepted_plan, changed_people, compare_runs, person_digests, run_plan
from planner.services.workbook import apply_workbook, load_dataset
from tests.builders import make_workbook, person_row
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
