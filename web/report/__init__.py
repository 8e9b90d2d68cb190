"""The federation's half-year report and the work-area dashboard, from the records.

- ``/report/``: pick the period (default: the latest half year with records)
  and the report's language; the report is shown in the page, each figure
  linking to its entry in the appendix, and each entry to the records it
  counts (``/report/figures/<key>``).
- Markdown and HTML are written in the request (they take well under a
  second once the report is built). PDF and DOCX take several seconds
  (fonts are subset and embedded), so they run as background jobs
  (:func:`planner.jobs.report_target`): on a thread runner of this process
  writing to ``REPORT_FOLDER``, or with ``JOBS_BACKEND=huey`` on the huey
  workers, which put the file into huey's storage. The page polls the job
  and offers the file.
- ``/report/dashboard``: the same figures by section and charts drawn as
  inline SVG on the server, each with its numbers in a table.

Every download is written to the audit log.
"""

from __future__ import annotations

import io
import math
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlmodel import select

from planner.dataset import Dataset
from planner.jobs import KEEP_EXPORTS_S, ExportFiles, JobRunner, JobStatus, make_report_runner
from planner.messages import MessageError
from planner.report import LANGS, Period, RecordRef, Report, load_records, resolve_period, write_report
from planner.report.dashboard import dashboard_data
from planner.report.model import FigureRef, Paragraph, format_with_unit
from planner.report.render import anchor, appendix_keys, id_ranges, to_html, to_markdown, word
from planner.services.workbook import NoEventData, load_dataset, table_for
from planner.users import SENSITIVE_FIELDS, audit, can_see_sensitive
from planner.workbook.io import parse_date
from web import db
from web.auth import actor
from web.i18n import planner_text
from web.report.charts import chart_rows, chart_svg

bp = Blueprint("report", __name__, url_prefix="/report")

UI_TO_REPORT = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
LANG_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
QUICK_FORMATS = ("md", "html")
JOB_FORMATS = ("pdf", "docx")
MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FIGURE_PAGE_SIZE = 200


def _no_liaisons() -> None:
    if actor().role == "hotel_liaison":
        abort(403)


# ------------------------------------------------------------------ period


@dataclass
class ReportRequest:
    """The period and language asked for, as typed, with field errors."""

    date_from: str = ""
    date_to: str = ""
    lang: str = "en"
    errors: dict[str, str] = field(default_factory=dict)
    period: Period | None = None

    def args(self) -> dict[str, str]:
        """Query arguments that ask for this report again."""
        assert self.period is not None
        return {"from": self.period.start.isoformat(), "to": self.period.end.isoformat(), "lang": self.lang}


def _parse_day(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)  # the workbook's own reading: YYYY-MM-DD, a real day, 1900-2100
    except MessageError as exc:
        errors[name] = planner_text(exc.detail)
        return None


def read_request(args: Any, records: dict[str, list[dict[str, Any]]]) -> ReportRequest:
    """The period (default: the latest half year with records) and language of ``args``."""
    wanted = ReportRequest(
        date_from=str(args.get("from", "")).strip()[:10],
        date_to=str(args.get("to", "")).strip()[:10],
        lang=str(args.get("lang") or UI_TO_REPORT.get(str(get_locale()), "en")),
    )
    if wanted.lang not in LANGS:
        wanted.errors["lang"] = _("Choose one of the languages offered.")
        wanted.lang = UI_TO_REPORT.get(str(get_locale()), "en")
    start = _parse_day(wanted.date_from, "from", wanted.errors)
    end = _parse_day(wanted.date_to, "to", wanted.errors)
    if wanted.errors:
        return wanted
    if start and end and end < start:
        wanted.errors["to"] = _("The last day is before the first day.")
        return wanted
    try:
        wanted.period = resolve_period(records, start, end)
    except ValueError:
        wanted.errors["from"] = _("There are no dated work-area records yet: give the first and last day.")
        return wanted
    wanted.date_from, wanted.date_to = wanted.period.start.isoformat(), wanted.period.end.isoformat()
    return wanted


def _dataset() -> Dataset | None:
    try:
        return load_dataset(db.session())
    except NoEventData:
        return None  # the Games figures then say "no records"


def _build(args: Any) -> tuple[ReportRequest, Report | None, dict[str, list[dict[str, Any]]], Dataset | None]:
    records = load_records(db.session())
    wanted = read_request(args, records)
    if wanted.period is None:
        return wanted, None, records, None
    data = _dataset()
    # the record notes name people in the federation's medical records: only for those who may see them
    hidden = [
        (file, name)
        for file, names in SENSITIVE_FIELDS.items()
        if not can_see_sensitive(actor(), file=file)
        for name in names
    ]
    return wanted, write_report(records, data, wanted.period, wanted.lang, hidden), records, data


def build_for_request(args: Any) -> tuple[ReportRequest, Report | None]:
    """The report ``args`` ask for (pages and the JSON API)."""
    wanted, built, _records, _data = _build(args)
    return wanted, built


# ------------------------------------------------------------------ pages


def paragraph_segments(report: Report, para: Paragraph) -> list[dict[str, Any]]:
    """A paragraph as pieces of text; figures carry their key, anchor and whether they have records."""
    out: list[dict[str, Any]] = []
    for part in para.parts:
        if isinstance(part, str):
            out.append({"text": part})
            continue
        fig = report.figures[part.key]
        place_name = isinstance(part, FigureRef) and part.key in ("federation.district", "federation.city")
        out.append(
            {
                "text": report.part_text(part),
                "key": part.key,
                "anchor": anchor(part.key),
                "linked": fig.has_records,
                "none": not fig.has_records and not place_name,
            }
        )
    return out


def appendix_entries(report: Report) -> list[dict[str, Any]]:
    entries = []
    for key in appendix_keys(report):
        fig = report.figures[key]
        entries.append(
            {
                "key": key,
                "anchor": anchor(key),
                "label": report.labels[key],
                "value": format_with_unit(fig, report.lang, report.period),
                "count": len(fig.records),
                "ranges": id_ranges(fig.records[:2000]),
                "more": max(0, len(fig.records) - 2000),
            }
        )
    return entries


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """The report for the period asked for, inside the app's layout."""
    _no_liaisons()
    wanted, report, _records, _data = _build(request.args)
    status = 200 if not wanted.errors else 422
    if report is None:
        return render_template("report/index.html", wanted=wanted, report=None, lang_names=LANG_NAMES), status
    intro = [paragraph_segments(report, p) for p in report.intro]
    sections = [
        {"key": s.key, "title": s.title, "paragraphs": [paragraph_segments(report, p) for p in s.paragraphs]}
        for s in report.sections
    ]
    return render_template(
        "report/index.html",
        wanted=wanted,
        report=report,
        intro=intro,
        sections=sections,
        appendix=appendix_entries(report),
        appendix_words={"heading": word("appendix", report.lang), "intro": word("appendix_intro", report.lang)},
        lang_names=LANG_NAMES,
        quick_formats=QUICK_FORMATS,
        job_formats=JOB_FORMATS,
    )


def _record_links(refs: list[RecordRef]) -> dict[RecordRef, str]:
    """The record page of each ref whose sheet the user may open (looked up by id, one query per sheet)."""
    from web.records import EDITABLE_FILES

    links: dict[RecordRef, str] = {}
    by_sheet: dict[str, list[RecordRef]] = {}
    for ref in refs:
        by_sheet.setdefault(ref.sheet, []).append(ref)
    s = db.session()
    for sheet, sheet_refs in by_sheet.items():
        spec = EDITABLE_FILES.get(sheet)
        if spec is None:
            continue
        model = table_for(spec)
        if spec.key == ("id",):
            ids = [r.id for r in sheet_refs]
            found: dict[str, int] = {}
            for start in range(0, len(ids), 500):
                rows = s.exec(select(model.pk, model.id).where(model.id.in_(ids[start : start + 500])))  # type: ignore[attr-defined, call-overload]
                found.update({rid: pk for pk, rid in rows})
            for r in sheet_refs:
                if r.id in found:
                    links[r] = url_for("records.edit", file=sheet, pk=found[r.id])
        elif sheet == "rooms":
            for r in sheet_refs:
                hotel, _sep, room = r.id.partition("/")
                pk = s.exec(select(model.pk).where(model.hotel == hotel, model.room == room)).first()  # type: ignore[attr-defined, call-overload]
                if pk is not None:
                    links[r] = url_for("records.edit", file=sheet, pk=pk)
    return links


@bp.get("/figures/<key>")
def figure(key: str):  # type: ignore[no-untyped-def]
    """The records one figure counts, each linking to its record page."""
    _no_liaisons()
    wanted, report, _records, _data = _build(request.args)
    if report is None:
        args: dict[str, Any] = dict(request.args.items())
        return redirect(url_for("report.index", **args))
    if key not in report.figures:
        abort(404)
    fig = report.figures[key]
    refs = list(fig.records)
    pages = max(1, math.ceil(len(refs) / FIGURE_PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    shown = refs[(page - 1) * FIGURE_PAGE_SIZE : page * FIGURE_PAGE_SIZE]
    s = db.session()
    audit(s, actor(), "view", "report", key, detail={**wanted.args(), "records": len(shown)})
    s.commit()
    return render_template(
        "report/figure.html",
        wanted=wanted,
        report=report,
        key=key,
        label=report.labels[key],
        value=format_with_unit(fig, report.lang, report.period),
        rows=[(r, report.record_notes.get(r, "")) for r in shown],
        links=_record_links(shown),
        total=len(refs),
        page=page,
        pages=pages,
        anchor=anchor(key),
    )


@bp.get("/dashboard")
def dashboard():  # type: ignore[no-untyped-def]
    """The report's figures by section, and charts (inline SVG with their numbers in tables)."""
    _no_liaisons()
    wanted, report, records, data = _build(request.args)
    if report is None:
        return (
            render_template("report/dashboard.html", wanted=wanted, board=None, lang_names=LANG_NAMES),
            422 if wanted.errors else 200,
        )
    board = dashboard_data(report, records, data)
    charts = [{**c, "svg": chart_svg(c), "rows": chart_rows(c)} for c in board["charts"]]
    return render_template("report/dashboard.html", wanted=wanted, board=board, charts=charts, lang_names=LANG_NAMES)


# -------------------------------------------------------------- downloads


def _filename(wanted: ReportRequest, fmt: str) -> str:
    assert wanted.period is not None
    return f"report-{wanted.period.start.isoformat()}-{wanted.period.end.isoformat()}-{wanted.lang}.{fmt}"


def _audit_export(wanted: ReportRequest, fmt: str) -> None:
    s = db.session()
    assert wanted.period is not None
    audit(
        s,
        actor(),
        "export",
        "report",
        f"{wanted.period.start}..{wanted.period.end}",
        detail={**wanted.args(), "format": fmt},
    )
    s.commit()


@bp.get("/download.<fmt>")
def download(fmt: str):  # type: ignore[no-untyped-def]
    """Markdown or HTML, written in the request (PDF and DOCX: :func:`export`)."""
    _no_liaisons()
    if fmt not in QUICK_FORMATS:
        abort(404)
    wanted, report, _records, _data = _build(request.args)
    if report is None:
        abort(400, "; ".join(wanted.errors.values()))
    body = to_markdown(report) if fmt == "md" else to_html(report)
    _audit_export(wanted, fmt)
    response = Response(body, mimetype=MIMETYPES[fmt].split(";")[0])
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(wanted, fmt)}"'
    response.headers["Cache-Control"] = "no-store"  # the appendix names people
    return response


def export_jobs() -> JobRunner:
    return current_app.extensions["web.report_jobs"]  # type: ignore[no-any-return]


def export_files() -> ExportFiles:
    return current_app.extensions["web.report_files"]  # type: ignore[no-any-return]


@bp.post("/export")
def export():  # type: ignore[no-untyped-def]
    """Start writing a PDF or DOCX as a background job; the job page offers the file when it is done."""
    _no_liaisons()
    fmt = request.form.get("format", "")
    if fmt not in JOB_FORMATS:
        abort(400, _("Choose PDF or DOCX."))
    records = load_records(db.session())
    wanted = read_request(request.form, records)
    if wanted.period is None:
        abort(400, "; ".join(wanted.errors.values()))
    export_files().forget_older_than(KEEP_EXPORTS_S)
    params = {**wanted.args(), "format": fmt, "file": f"{uuid.uuid4().hex}.{fmt}", "name": _filename(wanted, fmt)}
    job_id = export_jobs().start("report", params, by=actor().username)
    _audit_export(wanted, fmt)
    return redirect(url_for("report.export_job", job_id=job_id))


def _own_job(job_id: str) -> JobStatus:
    status = export_jobs().status(job_id)
    if status is None:
        abort(404)
    who = actor()
    if status.by != who.username and who.role != "committee":
        abort(403)
    return status


def _job_json(status: JobStatus) -> dict[str, Any]:
    ready = status.state == "done" and export_files().exists(status.params["file"])
    return {
        "id": status.id,
        "state": status.state,
        "finished": status.finished,
        "message": status.message,
        "error": status.error,
        "elapsed_s": round(status.elapsed_s, 1),
        "ready": ready,
        "file_url": url_for("report.export_file", job_id=status.id) if ready else None,
    }


@bp.get("/exports/<job_id>")
def export_job(job_id: str):  # type: ignore[no-untyped-def]
    _no_liaisons()
    status = _own_job(job_id)
    return render_template("report/export.html", job=status, info=_job_json(status))


@bp.get("/exports/<job_id>/status")
def export_status(job_id: str):  # type: ignore[no-untyped-def]
    _no_liaisons()
    return jsonify(_job_json(_own_job(job_id)))


@bp.get("/exports/<job_id>/file")
def export_file(job_id: str):  # type: ignore[no-untyped-def]
    _no_liaisons()
    status = _own_job(job_id)
    data = export_files().read(status.params["file"]) if status.state == "done" else None
    if data is None:
        abort(404)
    fmt = status.params["format"]
    response = send_file(
        io.BytesIO(data), as_attachment=True, download_name=status.params["name"], mimetype=MIMETYPES[fmt]
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """The export job runner and where its files go: this process and ``REPORT_FOLDER``, or the huey workers."""
    folder = app.config.get("REPORT_FOLDER") or tempfile.mkdtemp(prefix="planner-reports-")
    runner, files = make_report_runner(
        app.config, app.extensions["planner.engine"], Path(folder), solves=app.extensions.get("planner.jobs")
    )
    app.extensions["web.report_jobs"] = runner
    app.extensions["web.report_files"] = files
