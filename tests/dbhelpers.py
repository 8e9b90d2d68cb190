"""Database helpers for tests: load a built workbook, store an accepted plan."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from planner.models import PlanRun
from planner.plan import Plan
from planner.services.planning import accept_run, save_plan_rows
from planner.services.workbook import apply_workbook
from planner.workbook.io import Workbook


def load(engine: Engine, wb: Workbook) -> None:
    with Session(engine) as s:
        apply_workbook(s, wb, "test")
        s.commit()


def store_accepted(engine: Engine, kind: str, plan: Plan) -> int:
    """Store ``plan`` as a run of ``kind`` and accept it as it is (not checked); return the run id."""
    with Session(engine) as s:
        run = PlanRun(kind=kind, status="feasible")
        s.add(run)
        s.commit()
        s.refresh(run)
        assert run.id is not None
        save_plan_rows(s, run.id, plan)
        s.commit()
        accept_run(s, run.id, recheck=False)  # hand-made plans: some leave out what the checker wants
        return run.id
