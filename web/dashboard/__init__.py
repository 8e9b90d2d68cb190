"""The dashboard: countdown, people housed, beds free by night, transport, shifts, shortages, plans."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from planner.plan import KINDS
from planner.services.planning import accepted_plan, accepted_run, list_runs
from planner.services.workbook import NoEventData, load_dataset
from planner.users import can_view_plan
from web import db
from web.auth import actor
from web.dashboard.figures import compute

bp = Blueprint("dashboard", __name__)


def plan_states() -> list[dict[str, object]]:
    """Per planning kind: the accepted run, the newest run, and running jobs."""
    s = db.session()
    states: list[dict[str, object]] = []
    running = [j for j in db.jobs().jobs() if not j.finished]
    for kind in KINDS:
        runs = list_runs(s, kind)
        states.append(
            {
                "kind": kind,
                "accepted": accepted_run(s, kind),
                "latest": runs[0] if runs else None,
                "runs": len(runs),
                "jobs": [j for j in running if j.kind == kind],
            }
        )
    return states


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    who = actor()
    try:
        data = load_dataset(s)
    except NoEventData:
        return render_template("dashboard/empty.html")
    plan = accepted_plan(s)
    if who.role == "hotel_liaison":
        plan.rooming = [r for r in plan.rooming if r["hotel"] in who.hotels]
    figures = compute(data, plan, date.today())
    states = [st for st in plan_states() if can_view_plan(who, str(st["kind"]))]
    return render_template("dashboard/index.html", data=data, f=figures, states=states)
