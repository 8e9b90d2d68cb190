"""Plans: start a solve as a background job, watch it, stop it, compare with the accepted plan, accept."""

from __future__ import annotations

import importlib
import json
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from planner import check
from planner.jobs import JobStatus
from planner.messages import N_, NUMBER, TOKEN, Choice, Template, recognise, words
from planner.models import PlanRun
from planner.plan import KINDS
from planner.services.planning import (
    UnknownRun,
    accept_run,
    accepted_run,
    compare_runs,
    interrupt_stale_runs,
    list_runs,
    plan_of_run,
)
from planner.users import audit, can_plan, can_view_plan
from web import db
from web.auth import actor
from web.i18n import planner_message, planner_text, recognised_text

bp = Blueprint("plans", __name__, url_prefix="/plans")


def _not_for_liaisons() -> None:
    if actor().role == "hotel_liaison":
        abort(403)


def start_solve(kind: str, time_limit_s: Any) -> str:
    """Start a solve job for the current user; returns the job id (used by the page and the API)."""
    if kind not in KINDS:
        abort(404)
    if not can_plan(actor(), kind):
        abort(403)
    try:
        if isinstance(time_limit_s, bool) or (isinstance(time_limit_s, str) and "_" in time_limit_s):
            raise ValueError(time_limit_s)  # float() takes true as 1 and "1_0" as 10
        limit = (
            float(time_limit_s) if time_limit_s not in (None, "") else float(current_app.config["SOLVE_TIME_LIMIT_S"])
        )
    except (TypeError, ValueError):
        abort(400, _("The time limit must be a number of seconds."))
    if not 1 <= limit <= 3600:
        abort(400, _("The time limit must be between 1 and 3600 seconds."))
    return db.jobs().start(kind, {"time_limit_s": limit}, by=actor().username)


#: Why a solve fails before it starts, as the planner words it (``planner.services.workbook.load_dataset``,
#: ``planner.services.planning.solve_inputs``): recognised so the job page can say it in the reader's language.
JOB_ERRORS: tuple[Template, ...] = (
    Template(N_("the database holds no event yet: run `planner import PATH` (or `planner demo`) first")),
    Template(N_("transport needs an accepted accommodation plan: run `planner solve --only accommodation` first")),
)


#: Why a run cannot be accepted, as ``planner.services.planning.accept_run`` words it.
ACCEPT_ERRORS: tuple[Template, ...] = (
    Template(
        N_("plan run %(run)s is %(status)s and cannot be accepted"),
        run=NUMBER,
        status=Choice(*words(N_("running"), N_("error"), N_("interrupted")), other=TOKEN),
    ),
    Template(N_("no plan run %(run)s"), run=NUMBER),
)


def job_error_text(status: JobStatus) -> str | None:
    """A job's error in the reader's language where its sentence is known, else as the job runner wrote it."""
    if not status.error:
        return None
    if status.state == "interrupted":
        return _(
            "The solve stopped when the server (or the job worker) running it stopped, so no plan was kept. "
            "Start it again."
        )
    # "package.module.ErrorClass: the sentence" (traceback.format_exception_only)
    _kind, _sep, sentence = status.error.partition(": ")
    message = (recognise(sentence, JOB_ERRORS) or planner_message(sentence)) if sentence else None
    return planner_text(message) if message is not None else status.error


def job_texts(status: JobStatus) -> dict[str, str | None]:
    """The job's progress message and error in the reader's language (the API's ``message_local``, ``error_local``).

    The English ``message`` and ``error`` stay as they are; a progress message
    no template knows is the English one.
    """
    return {
        "message_local": planner_text(status.message) if status.message else status.message,
        "error_local": job_error_text(status),
    }


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    s = db.session()
    who = actor()
    kinds = []
    jobs = db.jobs().jobs()
    for kind in KINDS:
        kinds.append(
            {
                "kind": kind,
                "runs": list_runs(s, kind)[:15],
                "accepted": accepted_run(s, kind),
                "may_plan": can_plan(who, kind),
                "jobs": [j for j in jobs if j.kind == kind][:5],
            }
        )
    return render_template("plans/index.html", kinds=kinds, default_limit=current_app.config["SOLVE_TIME_LIMIT_S"])


@bp.post("/<kind>/solve")
def solve(kind: str):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    job_id = start_solve(kind, request.form.get("time_limit_s"))
    return redirect(url_for("plans.job", job_id=job_id))


@bp.get("/jobs/<job_id>")
def job(job_id: str):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    status = db.jobs().status(job_id)
    if status is None:
        abort(404)
    return render_template(
        "plans/job.html", job=status, texts=job_texts(status), may_plan=can_plan(actor(), status.kind)
    )


@bp.post("/jobs/<job_id>/stop")
def stop(job_id: str):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    status = db.jobs().status(job_id)
    if status is None:
        abort(404)
    if not can_plan(actor(), status.kind):
        abort(403)
    if db.jobs().stop(job_id):
        flash(_("Stop requested: the best plan found so far will be kept."), "info")
    return redirect(url_for("plans.job", job_id=job_id))


def _run_or_404(run_id: int) -> PlanRun:
    interrupt_stale_runs(db.engine())  # a solve whose process stopped shows (and is stored) as interrupted
    run = db.session().get(PlanRun, run_id)
    if run is None:
        abort(404)
    if not can_view_plan(actor(), run.kind):
        abort(403)
    return run


def rule_texts(kind: str) -> tuple[dict[str, Template], dict[str, Template]]:
    """The names and explanations of a kind's soft rules (its service's ``RULE_NAMES``, ``RULE_DOCS``), by rule."""
    if kind not in KINDS:
        return {}, {}
    service = importlib.import_module(f"planner.services.{kind}")
    return getattr(service, "RULE_NAMES", {}), getattr(service, "RULE_DOCS", {})


def penalty_rows(kind: str, penalties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's cost lines with each rule's ``name`` and ``explanation`` in the page's language.

    A rule without a name keeps its code; an explanation that is not its rule's
    template (an older run, a kind without templates yet) is shown as stored.
    """
    names, docs = rule_texts(kind)
    rows = []
    for p in penalties:
        rule = str(p.get("rule", ""))
        doc = str(p.get("doc") or "")
        template = docs.get(rule)
        message = template.match(doc) if template is not None and doc else None
        rows.append(
            {
                **p,
                "name": planner_text(names[rule]()) if rule in names else rule,
                "explanation": planner_text(message) if message is not None else planner_text(doc),
            }
        )
    return rows


def check_summary_text(summary: str | None) -> str:
    """The checker's stored summary (:meth:`planner.check.CheckReport.format`) in the page's language.

    Line by line: the summary's own sentences (:data:`planner.check.SUMMARY`)
    and each example (a violation's message) that a planner template knows;
    other examples as written.
    """
    lines = []
    for line in (summary or "").splitlines():
        if line.startswith(check.EXAMPLE_PREFIX):
            lines.append(check.EXAMPLE_PREFIX + planner_text(line[len(check.EXAMPLE_PREFIX) :]))
            continue
        text = line.lstrip(" ")
        message = recognise(text, check.SUMMARY)
        lines.append(line[: len(line) - len(text)] + (planner_text(message) if message is not None else text))
    return "\n".join(lines)


def run_details(run: PlanRun) -> dict[str, Any]:
    """A run's stored JSON fields, decoded; cost lines named in the page's language (:func:`penalty_rows`)."""
    return {
        "penalties": penalty_rows(run.kind, json.loads(run.penalties or "[]")),
        "messages": json.loads(run.messages or "[]"),
        "stats": json.loads(run.stats or "{}"),
        "moved": json.loads(run.moved or "[]"),
        "parameters": json.loads(run.parameters or "null"),
        "check_summary": check_summary_text(run.check_summary),
    }


@bp.get("/runs/<int:run_id>")
def run(run_id: int):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    r = _run_or_404(run_id)
    s = db.session()
    comparison = compare_runs(s, run_id) if r.status not in ("running", "interrupted") else None
    unassigned = plan_of_run(s, run_id).only(r.kind).unassigned
    return render_template(
        "plans/run.html",
        run=r,
        details=run_details(r),
        comparison=comparison,
        unassigned=unassigned,
        may_plan=can_plan(actor(), r.kind),
    )


@bp.post("/runs/<int:run_id>/accept")
def accept(run_id: int):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    r = _run_or_404(run_id)
    if not can_plan(actor(), r.kind):
        abort(403)
    s = db.session()
    try:
        accept_run(s, run_id)
    except (ValueError, UnknownRun) as exc:
        abort(409, recognised_text(exc, ACCEPT_ERRORS))
    audit(s, actor(), "accept", "plan", str(run_id), detail={"kind": r.kind})
    s.commit()
    flash(_("Run %(id)d is now the accepted plan.", id=run_id), "success")
    return redirect(url_for("plans.run", run_id=run_id))


@bp.get("/runs/<int:run_id>/plan.zip")
def download(run_id: int):  # type: ignore[no-untyped-def]
    _not_for_liaisons()
    r = _run_or_404(run_id)
    from web.workbook import plan_zip

    s = db.session()
    plan = plan_of_run(s, run_id).only(r.kind)
    audit(s, actor(), "export", "plan", str(run_id))
    s.commit()
    return send_file(
        plan_zip(plan), as_attachment=True, download_name=f"plan-{run_id}-{r.kind}.zip", mimetype="application/zip"
    )
