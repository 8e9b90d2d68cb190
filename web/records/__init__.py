"""Browse, search, filter, add, edit and delete every file of the workbook.

Covers the planning files of FORMAT.md and the work-area sheets of
docs/WORKAREAS.md (grouped by the six work areas). Two people editing the same record never overwrite each other silently: the
form carries the record's ``version_id``; a save against a newer version is
refused with both versions shown (and the database's own version check
catches the rest). Medical and disability fields are hidden from roles that
do not need them, and every view and change of them is audited. A record
that other records refer to is not deleted: the page says which ones.
"""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from planner.models import WorkbookTable
from planner.services.workbook import model_to_row, table_for
from planner.users import audit, can_edit, can_view, sensitive_fields
from planner.workareas.schema import AREA_OF_SHEET, WORKAREA_FILES
from planner.workbook.schema import FILES, PLANNING_FILES, FileSpec
from web import db
from web.auth import actor
from web.records import operations
from web.records.forms import field_views, row_texts
from web.records.operations import delete_record, has_versions, save_record

bp = Blueprint("records", __name__, url_prefix="/records")

EDITABLE_FILES: dict[str, FileSpec] = {spec.name: spec for spec in PLANNING_FILES + WORKAREA_FILES}
WORK_AREAS: tuple[str, ...] = (
    "social_environment",
    "games",
    "employment",
    "sunshine_homes",
    "rehab",
    "stability",
)
"""The six work areas of the federation's report, in its order (the federation sheet stands apart)."""


def area_of(file: str) -> str | None:
    """The work area of a work-area sheet (``federation`` for the federation sheet); None for planning files."""
    return AREA_OF_SHEET.get(file)


def model_of(file: str) -> type[WorkbookTable]:
    return table_for(EDITABLE_FILES[file])


def spec_and_model(file: str) -> tuple[FileSpec, type[WorkbookTable]]:
    if file not in EDITABLE_FILES:
        abort(404)
    if not can_view(actor(), file):
        abort(403)
    return EDITABLE_FILES[file], model_of(file)


def record_count(model: type[WorkbookTable]) -> int:
    return int(db.session().exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def hidden_fields(file: str) -> tuple[str, ...]:
    """Sensitive fields this user may not see."""
    return operations.hidden_fields(actor(), file)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    who = actor()
    if who.role == "hotel_liaison":
        abort(403)
    files = []
    for spec in PLANNING_FILES:
        files.append(
            {"name": spec.name, "count": record_count(model_of(spec.name)), "editable": can_edit(who, spec.name)}
        )
    return render_template("records/index.html", files=files, areas=_areas(None))


def _areas(current: str | None) -> list[dict[str, object]]:
    """The work areas with their sheets (and record counts for the ``current`` area, or all when None)."""
    who = actor()
    out = []
    for area in ("federation",) + WORK_AREAS:
        specs = [s for s in WORKAREA_FILES if AREA_OF_SHEET[s.name] == area]
        sheets = [
            {
                "name": s.name,
                "count": record_count(model_of(s.name)) if current in (None, area) else None,
                "editable": can_edit(who, s.name),
            }
            for s in specs
        ]
        out.append({"area": area, "sheets": sheets, "current": area == current})
    return out


@bp.get("/areas/")
def areas():  # type: ignore[no-untyped-def]
    """The federation's work areas and their sheets."""
    if actor().role == "hotel_liaison":
        abort(403)
    return render_template("records/areas.html", areas=_areas(None))


@bp.get("/areas/<area>")
def area(area: str):  # type: ignore[no-untyped-def]
    """One work area: its sheets and how many records each holds."""
    if area not in WORK_AREAS and area != "federation":
        abort(404)
    if actor().role == "hotel_liaison":
        abort(403)
    return render_template("records/area.html", area=area, areas=_areas(area))


def _filters(file: str) -> dict[str, str]:
    return dict(session.get("filters", {}).get(file, {}))


@bp.post("/<file>/filter")
def set_filter(file: str):  # type: ignore[no-untyped-def]
    """Search words live in the session, not the URL (they may be names)."""
    spec, _model = spec_and_model(file)
    all_filters = dict(session.get("filters", {}))
    if request.form.get("clear"):
        all_filters.pop(file, None)
    else:
        wanted = {"q": request.form.get("q", "").strip()[:200]}
        for col in spec.columns:
            if (col.kind.startswith("enum:") or col.kind == "bool") and col.name not in hidden_fields(file):
                value = request.form.get(f"f_{col.name}", "")
                if value:
                    wanted[col.name] = value
        all_filters[file] = {k: v for k, v in wanted.items() if v}
    session["filters"] = all_filters
    return redirect(url_for("records.browse", file=file))


def _matches(row: dict[str, str], filters: dict[str, str], searchable: list[str]) -> bool:
    q = filters.get("q", "").lower()
    if q and not any(q in row.get(c, "").lower() for c in searchable):
        return False
    return all(row.get(c, "") == v for c, v in filters.items() if c != "q")


@bp.get("/<file>")
def browse(file: str):  # type: ignore[no-untyped-def]
    spec, model = spec_and_model(file)
    s = db.session()
    hidden = hidden_fields(file)
    columns = [c for c in spec.columns if c.name not in hidden]
    filters = _filters(file)
    searchable = [c.name for c in columns]
    objs = s.exec(select(model).order_by(model.seq, model.pk)).all()  # type: ignore[arg-type]
    rows = []
    for obj in objs:
        texts = row_texts(model_to_row(spec, obj))
        if _matches(texts, filters, searchable):
            rows.append((obj.pk, texts))
    page_size = int(current_app.config["PAGE_SIZE"])
    pages = max(1, math.ceil(len(rows) / page_size))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    shown = rows[(page - 1) * page_size : page * page_size]
    sensitive_shown = [c for c in sensitive_fields(file) if c not in hidden]
    if sensitive_shown and shown:
        keys = [",".join(t.get(k, "") for k in spec.key) for _pk, t in shown]
        audit(s, actor(), "view", file, None, sensitive_shown, sensitive=True, detail={"records": keys})
        s.commit()
    enum_filters = [
        (c, ["yes", "no"] if c.kind == "bool" else c.kind.split(":", 1)[1].split("|"))
        for c in columns
        if c.kind.startswith("enum:") or c.kind == "bool"
    ]
    return render_template(
        "records/browse.html",
        spec=spec,
        columns=columns,
        rows=shown,
        total=len(objs),
        found=len(rows),
        page=page,
        pages=pages,
        filters=filters,
        enum_filters=enum_filters,
        editable=can_edit(actor(), file),
        can_add=can_edit(actor(), file) and not (spec.single_row and objs),
        area=area_of(file),
        areas=_areas(area_of(file)) if area_of(file) else None,
    )


def _save(spec: FileSpec, model: type[WorkbookTable], obj: WorkbookTable | None):  # type: ignore[no-untyped-def]
    """Validate and save a submitted form (new record when ``obj`` is None)."""
    form = request.form.to_dict()
    result = save_record(db.session(), actor(), spec, model, obj, form, form.get("version_id"))
    if result.ok:
        flash(_("Saved."), "success")
        return redirect(url_for("records.browse", file=spec.name))
    values = {k: v for k, v in form.items() if k in spec.by_name}
    version = str(obj.version_id) if obj is not None and has_versions(model) else ""  # type: ignore[attr-defined]
    return (
        render_template(
            "records/edit.html",
            spec=spec,
            obj=obj,
            fields=field_views(spec, values, result.errors, hidden_fields(spec.name)),
            errors=result.errors,
            conflict=result.conflict,
            version=version,
        ),
        409 if result.conflict is not None else 422,
    )


@bp.route("/<file>/new", methods=["GET", "POST"])
def new(file: str):  # type: ignore[no-untyped-def]
    spec, model = spec_and_model(file)
    if not can_edit(actor(), file):
        abort(403)
    if spec.single_row and db.session().exec(select(model)).first() is not None:
        abort(409, _("This file holds exactly one record."))
    if request.method == "POST":
        return _save(spec, model, None)
    return render_template(
        "records/edit.html",
        spec=spec,
        obj=None,
        fields=field_views(spec, {}, {}, hidden_fields(file)),
        errors={},
        conflict=None,
        version="",
    )


@bp.route("/<file>/<int:pk>", methods=["GET", "POST"])
def edit(file: str, pk: int):  # type: ignore[no-untyped-def]
    spec, model = spec_and_model(file)
    s = db.session()
    obj = s.get(model, pk)
    if obj is None:
        abort(404)
    if request.method == "POST":
        if not can_edit(actor(), file):
            abort(403)
        return _save(spec, model, obj)
    hidden = hidden_fields(file)
    values = row_texts(model_to_row(spec, obj))
    shown_sensitive = [c for c in sensitive_fields(file) if c not in hidden]
    if shown_sensitive:
        audit(s, actor(), "view", file, ",".join(values.get(k, "") for k in spec.key), shown_sensitive, sensitive=True)
        s.commit()
    version = str(obj.version_id) if has_versions(model) else ""  # type: ignore[attr-defined]
    return render_template(
        "records/edit.html",
        spec=spec,
        obj=obj,
        fields=field_views(spec, values, {}, hidden),
        errors={},
        conflict=None,
        version=version,
        readonly=not can_edit(actor(), file),
        may_delete=can_edit(actor(), file) and not (spec.required and spec.single_row),
    )


def _key_text(spec: FileSpec, obj: WorkbookTable) -> str:
    row = model_to_row(spec, obj)
    return " / ".join("" if row.get(k) is None else str(row.get(k)) for k in spec.key)


@bp.route("/<file>/<int:pk>/delete", methods=["GET", "POST"])
def delete(file: str, pk: int):  # type: ignore[no-untyped-def]
    """Ask for confirmation (GET), then delete (POST) unless other records refer to this one."""
    spec, model = spec_and_model(file)
    if not can_edit(actor(), file):
        abort(403)
    s = db.session()
    obj = s.get(model, pk)
    if obj is None:
        abort(404)
    version = str(obj.version_id) if has_versions(model) else ""  # type: ignore[attr-defined]
    status = 200
    result = None
    if request.method == "POST":
        result = delete_record(s, actor(), spec, model, obj, request.form.get("version_id", ""))
        if result.deleted:
            flash(_("Record %(key)s deleted.", key=_key_text(spec, obj)), "success")
            return redirect(url_for("records.browse", file=file))
        status = 409
        s.refresh(obj)
        version = str(obj.version_id) if has_versions(model) else ""  # type: ignore[attr-defined]
    secret = sensitive_fields(file)  # never shown here: this page is not worth an audit entry
    values = row_texts(model_to_row(spec, obj))
    return (
        render_template(
            "records/delete.html",
            spec=spec,
            obj=obj,
            key=_key_text(spec, obj),
            values=[(c, values.get(c.name, "")) for c in spec.columns if c.name not in secret],
            version=version,
            result=result,
        ),
        status,
    )


__all__ = ["bp", "FILES"]
