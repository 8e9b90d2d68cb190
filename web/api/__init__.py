"""The JSON API: the same data and operations as the pages, with the same roles and checks.

Authenticate with ``Authorization: Bearer <token>`` (a token from "Your
account"), or with the session cookie plus an ``X-CSRFToken`` header on every
change. No personal data goes in URLs: searches are POSTed.
The OpenAPI document is at ``/api/openapi.json``.
"""

from __future__ import annotations

import json
import math
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from sqlmodel import select

from planner.models import PlanRun
from planner.plan import KIND_FILES, KINDS
from planner.services.planning import (
    UnknownRun,
    accept_run,
    accepted_plan,
    compare_runs,
    list_runs,
    plan_of_run,
)
from planner.services.workbook import NoEventData, import_workbook, load_dataset, model_to_row
from planner.users import audit, can_edit, can_import, can_plan, can_view, can_view_plan, sensitive_fields
from planner.workbook.io import WorkbookRejected, format_cell
from web import db
from web.api.openapi import openapi_document
from web.auth import actor
from web.dashboard.figures import compute
from web.errors import field_errors
from web.records import operations
from web.records.forms import row_texts
from web.workbook import UploadProblem, workbook_path

bp = Blueprint("api", __name__, url_prefix="/api")

PAGE_SIZE = 200


def _json_value(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return format_cell(value)


def _row_json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _json_value(v) for k, v in row.items()}


def _body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object (``{}`` when ``required`` is false and nothing was sent); 400 otherwise."""
    if not required and not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, _("Send a JSON object as the request body."))
    return data


def _whole_number(value: Any) -> int | None:
    """``value`` as a whole number (a JSON integer or a text of digits), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    return None


def _version(model: Any, value: Any) -> str | None:
    """The ``version_id`` a change was read at, as the records' operations compare it; 422 when unusable."""
    if not operations.has_versions(model):
        return None if value is None else str(value)
    number = _whole_number(value)
    if number is None:
        abort(
            field_errors(422, {"version_id": _("Send the version_id of the record as you read it (a whole number).")})
        )
    return str(number)


@bp.get("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document())


@bp.get("/me")
def me():  # type: ignore[no-untyped-def]
    who = actor()
    return jsonify({"username": who.username, "role": who.role, "area": who.area, "hotels": list(who.hotels)})


def _spec_model(file: str):  # type: ignore[no-untyped-def]
    from web.records import EDITABLE_FILES, model_of

    if file not in EDITABLE_FILES:
        abort(404)
    if not can_view(actor(), file):
        abort(403)
    return EDITABLE_FILES[file], model_of(file)


def _record_json(spec, obj, hidden: tuple[str, ...]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    row = {k: v for k, v in model_to_row(spec, obj).items() if k not in hidden}
    out = {"pk": obj.pk, "values": _row_json(row)}
    if operations.has_versions(type(obj)):
        out["version_id"] = obj.version_id
    return out


def _audit_sensitive_view(file: str, hidden: tuple[str, ...], keys: list[str]) -> None:
    shown = [c for c in sensitive_fields(file) if c not in hidden]
    if shown and keys:
        s = db.session()
        audit(s, actor(), "view", file, None, shown, sensitive=True, detail={"records": keys, "via": "api"})
        s.commit()


@bp.get("/records")
def files():  # type: ignore[no-untyped-def]
    from web.records import EDITABLE_FILES

    who = actor()
    return jsonify(
        [{"file": f, "view": can_view(who, f), "edit": can_edit(who, f)} for f in EDITABLE_FILES if can_view(who, f)]
    )


@bp.route("/records/<file>", methods=["GET"])
def records(file: str):  # type: ignore[no-untyped-def]
    return _search(file, {})


@bp.post("/records/<file>/search")
def search(file: str):  # type: ignore[no-untyped-def]
    return _search(file, _body())


def _search(file: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    spec, model = _spec_model(file)
    hidden = operations.hidden_fields(actor(), file)
    errors: dict[str, str] = {}
    q = body.get("q")
    if not isinstance(q, (str, int, float)) and q is not None:
        errors["q"] = _("Send the search words as a text.")
    filters = body.get("filters")
    if filters is not None and not isinstance(filters, dict):
        errors["filters"] = _("Send the filters as an object of column names and values.")
    elif filters and any(not isinstance(v, (str, int, float, bool)) for v in filters.values()):
        errors["filters"] = _("Send each filter value as a text, a number or true/false.")
    wanted = body.get("page", request.args.get("page"))
    page = 1 if wanted is None else _whole_number(wanted)
    if page is None or page < 1:
        errors["page"] = _("Send a page number of 1 or more.")
    if errors:
        abort(field_errors(400, errors))
    assert page is not None
    q = str(q or "").lower()
    filters = {
        k: format_cell(v) if isinstance(v, bool) else str(v)
        for k, v in (filters or {}).items()
        if k in spec.by_name and k not in hidden
    }
    found = []
    for obj in db.session().exec(select(model).order_by(model.seq, model.pk)):  # type: ignore[arg-type]
        texts = {k: v for k, v in row_texts(model_to_row(spec, obj)).items() if k not in hidden}
        if q and not any(q in v.lower() for v in texts.values()):
            continue
        if any(texts.get(k, "") != v for k, v in filters.items()):
            continue
        found.append(obj)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    _audit_sensitive_view(file, hidden, [",".join(str(getattr(o, k, "")) for k in spec.key) for o in shown])
    return jsonify(
        {
            "file": file,
            "total": len(found),
            "page": page,
            "pages": max(1, math.ceil(len(found) / PAGE_SIZE)),
            "records": [_record_json(spec, o, hidden) for o in shown],
        }
    )


@bp.get("/records/<file>/<int:pk>")
def record(file: str, pk: int):  # type: ignore[no-untyped-def]
    spec, model = _spec_model(file)
    obj = db.session().get(model, pk)
    if obj is None:
        abort(404)
    hidden = operations.hidden_fields(actor(), file)
    _audit_sensitive_view(file, hidden, [",".join(str(getattr(obj, k, "")) for k in spec.key)])
    return jsonify(_record_json(spec, obj, hidden))


def _save(file: str, pk: int | None):  # type: ignore[no-untyped-def]
    spec, model = _spec_model(file)
    if not can_edit(actor(), file):
        abort(403)
    body = _body()
    values = body.get("values")
    if not isinstance(values, dict):
        abort(field_errors(400, {"values": _("Send the values as an object of column names and texts.")}))
    wrong = {
        k: _("No such column in this file.")
        if k not in spec.by_name
        else _("Send a text, a number, true/false or null, not a list or an object.")
        for k, v in values.items()
        if k not in spec.by_name or not (v is None or isinstance(v, (str, int, float, bool)))
    }
    if wrong:
        return jsonify({"error": _("invalid values"), "errors": wrong}), 422
    values = {k: format_cell(v) if isinstance(v, bool) else v for k, v in values.items()}
    s = db.session()
    obj = None
    version = None
    if pk is not None:
        obj = s.get(model, pk)
        if obj is None:
            abort(404)
        version = _version(model, body.get("version_id"))
        # a partial update keeps the stored values of the columns not sent
        current = row_texts(model_to_row(spec, obj))
        rekeyed = {
            k: _("A record's key cannot change: add a new record and delete this one.")
            for k in spec.key
            if k in values and str(values[k] if values[k] is not None else "").strip() != current.get(k, "")
        }
        if rekeyed:
            return jsonify({"error": _("invalid values"), "errors": rekeyed}), 422
        values = {**current, **{k: v for k, v in values.items()}}
    elif spec.single_row and s.exec(select(model)).first() is not None:
        abort(409, _("This file holds exactly one record."))
    result = operations.save_record(s, actor(), spec, model, obj, values, version)
    if result.conflict is not None:
        return jsonify({"error": _("someone else changed this record"), "current": result.conflict}), 409
    if result.errors:
        return jsonify({"error": _("invalid values"), "errors": result.errors}), 422
    return jsonify(_record_json(spec, result.obj, operations.hidden_fields(actor(), file))), (
        201 if pk is None else 200
    )


@bp.post("/records/<file>")
def create(file: str):  # type: ignore[no-untyped-def]
    return _save(file, None)


@bp.route("/records/<file>/<int:pk>", methods=["PUT", "PATCH"])
def update(file: str, pk: int):  # type: ignore[no-untyped-def]
    return _save(file, pk)


@bp.delete("/records/<file>/<int:pk>")
def delete(file: str, pk: int):  # type: ignore[no-untyped-def]
    """Delete a record: the same checks as the page (role, version, references), audited."""
    spec, model = _spec_model(file)
    if not can_edit(actor(), file):
        abort(403)
    s = db.session()
    obj = s.get(model, pk)
    if obj is None:
        abort(404)
    version = request.args.get("version_id")
    if version is None:
        version = _body(required=False).get("version_id")
    result = operations.delete_record(s, actor(), spec, model, obj, _version(model, version))
    if result.deleted:
        return "", 204
    if result.conflict:
        return jsonify({"error": _("someone else changed this record; read it again")}), 409
    if result.last_record:
        return jsonify({"error": _("this file holds exactly one record; change it instead")}), 409
    refs = [{"file": r.file, "record": r.key, "column": r.column} for r in result.references]
    return jsonify({"error": _("other records refer to this one"), "references": refs}), 409


# ----------------------------------------------------------------- plans


def _run_json(run: PlanRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "created": run.created.isoformat(),
        "created_by": run.created_by,
        "status": run.status,
        "accepted": run.accepted,
        "objective": run.objective,
        "bound": run.bound,
        "solve_seconds": run.solve_seconds,
        "check_ok": run.check_ok,
        "messages": json.loads(run.messages or "[]"),
        "penalties": json.loads(run.penalties or "[]"),
    }


def _plan_json(plan: Any, files: tuple[str, ...]) -> dict[str, Any]:
    return {f: [_row_json(r) for r in plan.table(f)] for f in files + ("unassigned",)}


def _visible_plan(plan: Any, kind: str) -> Any:
    """Hotel liaisons see the rooming of their own hotels only."""
    who = actor()
    if who.role == "hotel_liaison":
        plan.rooming = [r for r in plan.rooming if r["hotel"] in who.hotels]
        plan.unassigned = []
    return plan


@bp.get("/plans")
def plans():  # type: ignore[no-untyped-def]
    kind = request.args.get("kind")
    if kind is not None and kind not in KINDS:
        abort(404)
    runs = [r for r in list_runs(db.session(), kind) if can_view_plan(actor(), r.kind)]
    return jsonify([_run_json(r) for r in runs])


@bp.get("/plans/accepted")
def accepted():  # type: ignore[no-untyped-def]
    out = {}
    s = db.session()
    for kind in KINDS:
        if can_view_plan(actor(), kind):
            out[kind] = _plan_json(_visible_plan(accepted_plan(s, kind), kind), KIND_FILES[kind])
    return jsonify(out)


def _run(run_id: int) -> PlanRun:
    run = db.session().get(PlanRun, run_id)
    if run is None:
        abort(404)
    if not can_view_plan(actor(), run.kind):
        abort(403)
    return run


@bp.get("/plans/<int:run_id>")
def plan(run_id: int):  # type: ignore[no-untyped-def]
    run = _run(run_id)
    rows = _visible_plan(plan_of_run(db.session(), run_id).only(run.kind), run.kind)
    return jsonify({**_run_json(run), "plan": _plan_json(rows, KIND_FILES[run.kind])})


@bp.get("/plans/<int:run_id>/compare")
def compare(run_id: int):  # type: ignore[no-untyped-def]
    run = _run(run_id)
    if actor().role == "hotel_liaison":
        abort(403)
    return jsonify(compare_runs(db.session(), run.id))  # type: ignore[arg-type]


@bp.post("/plans/<int:run_id>/accept")
def accept(run_id: int):  # type: ignore[no-untyped-def]
    run = _run(run_id)
    if not can_plan(actor(), run.kind):
        abort(403)
    s = db.session()
    try:
        accept_run(s, run_id)
    except (ValueError, UnknownRun) as exc:
        abort(409, str(exc))
    audit(s, actor(), "accept", "plan", str(run_id), detail={"kind": run.kind, "via": "api"})
    s.commit()
    return jsonify(_run_json(s.get(PlanRun, run_id)))  # type: ignore[arg-type]


@bp.post("/solves")
def solve():  # type: ignore[no-untyped-def]
    from web.plans import start_solve

    body = _body()
    kind = body.get("kind")
    if kind not in KINDS:
        abort(field_errors(422, {"kind": _("Choose one of: %(kinds)s.", kinds=", ".join(KINDS))}))
    job_id = start_solve(kind, body.get("time_limit_s"))
    status = db.jobs().status(job_id)
    return jsonify({"job_id": job_id, "status": status.to_dict() if status else None}), 202


def _job_or_404(job_id: str):  # type: ignore[no-untyped-def]
    status = db.jobs().status(job_id)
    if status is None:
        abort(404)
    if not can_view_plan(actor(), status.kind) or actor().role == "hotel_liaison":
        abort(403)
    return status


@bp.get("/jobs/<job_id>")
def job(job_id: str):  # type: ignore[no-untyped-def]
    from web.plans import job_texts

    status = _job_or_404(job_id)
    return jsonify({**status.to_dict(), **job_texts(status)})


@bp.post("/jobs/<job_id>/stop")
def stop_job(job_id: str):  # type: ignore[no-untyped-def]
    status = _job_or_404(job_id)
    if not can_plan(actor(), status.kind):
        abort(403)
    stopped = db.jobs().stop(job_id)
    return jsonify({"stop_requested": stopped, "status": db.jobs().status(job_id).to_dict()})  # type: ignore[union-attr]


# ------------------------------------------------------- import, dashboard


@bp.post("/import")
def import_():  # type: ignore[no-untyped-def]
    if not can_import(actor()):
        abort(403)
    file = request.files.get("workbook")
    if file is None or not file.filename:
        abort(400, "send the workbook as multipart field 'workbook' (.xlsx or .zip of CSV files)")
    s = db.session()
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        try:
            summary = import_workbook(s, workbook_path(file.filename, file.read(), Path(tmp)), by=actor().username)
        except UploadProblem as exc:
            return jsonify({"error": str(exc), "errors": []}), 422
        except WorkbookRejected as exc:
            errors = [
                {
                    "file": e.file.replace(tmp + "/csv/", "").replace(tmp + "/", ""),
                    "row": e.row,
                    "column": e.column,
                    "message": e.message,
                }
                for e in exc.errors
            ]
            return jsonify({"error": "the workbook was not imported", "errors": errors}), 422
    audit(s, actor(), "import", "workbook", None, detail={"file": file.filename, "via": "api"})
    s.commit()
    return jsonify({"changed": summary.changed, "files": {n: c.__dict__ for n, c in summary.files.items()}})


@bp.get("/dashboard")
def dashboard():  # type: ignore[no-untyped-def]
    s = db.session()
    try:
        data = load_dataset(s)
    except NoEventData:
        return jsonify({"event": None})
    plan = _visible_plan(accepted_plan(s), "accommodation")
    f = compute(data, plan, date.today())
    return jsonify(
        {
            "event": data.event.id,
            "days_to_games": f.days_to_games,
            "people": f.people,
            "housed": f.housed,
            "beds_free_by_night": {n.night.isoformat(): n.free for n in f.nights},
            "sessions": f.sessions,
            "sessions_covered": f.sessions_covered,
            "shifts": f.shifts,
            "shifts_filled": f.shifts_filled,
            "places_needed": f.places_needed,
            "places_filled": f.places_filled,
            "shortages": dict(f.shortages),
        }
    )


@bp.get("/report")
def report():  # type: ignore[no-untyped-def]
    """The report's figures for ``?from=&to=&lang=`` (default: the latest half year with records)."""
    from planner.report import figure_table
    from web.report import build_for_request

    if actor().role == "hotel_liaison":
        abort(403)
    wanted, built = build_for_request(request.args)
    if built is None:
        return jsonify({"error": "no report for this period", "errors": wanted.errors}), 422
    figures = [{**row, "value": _json_value(row["value"])} for row in figure_table(built)]
    return jsonify(
        {
            "title": built.title,
            "lang": built.lang,
            "period": {"from": built.period.start.isoformat(), "to": built.period.end.isoformat()},
            "figures": figures,
        }
    )
