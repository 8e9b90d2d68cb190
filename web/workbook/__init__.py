"""Upload a workbook (CSV zip or XLSX), see every error before anything is saved; download workbook and plans."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlmodel import Session, select

from planner.models import ImportLog
from planner.plan import Plan
from planner.services.planning import accepted_plan
from planner.services.workbook import import_workbook, load_workbook
from planner.users import SENSITIVE_FIELDS, audit, can_export, can_import, can_see_sensitive
from planner.workbook.io import CellError, Workbook, WorkbookRejected, write_csv_folder, write_xlsx
from web import db
from web.auth import actor, require

bp = Blueprint("workbook", __name__, url_prefix="/workbook")

MAX_FILES_IN_ZIP = 200
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024


class UploadProblem(ValueError):
    """The upload is not a workbook we can read."""


def _unpack_zip(data: bytes, folder: Path) -> Path:
    """Extract the CSV files of a zip safely; return the folder holding event.csv."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadProblem(_("The file is not a valid zip archive.")) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_FILES_IN_ZIP or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise UploadProblem(_("The zip archive is too large."))
    for m in members:
        name = PurePosixPath(m.filename)
        if name.suffix.lower() != ".csv" or name.name.startswith(".") or "__MACOSX" in name.parts:
            continue
        if name.is_absolute() or ".." in name.parts:
            raise UploadProblem(_("The zip archive holds a file outside its folder."))
        target = folder.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(m))
    candidates = sorted({p.parent for p in folder.rglob("event.csv")}, key=lambda p: len(p.parts))
    if not candidates:
        # let the reader report the missing files by name
        return folder
    return candidates[0]


def workbook_path(upload_name: str, data: bytes, folder: Path) -> Path:
    """Where the uploaded workbook is, on disk, for the reader."""
    suffix = Path(upload_name).suffix.lower()
    if suffix == ".xlsx":
        path = folder / "workbook.xlsx"
        path.write_bytes(data)
        return path
    if suffix == ".zip":
        return _unpack_zip(data, folder / "csv")
    raise UploadProblem(_("Upload an .xlsx file or a .zip of CSV files."))


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    who = actor()
    if not can_export(who):
        abort(403)
    imports = db.session().exec(select(ImportLog).order_by(ImportLog.pk.desc()).limit(20)).all()  # type: ignore[union-attr]
    return render_template("workbook/index.html", imports=imports, may_import=can_import(who))


@bp.post("/upload")
@require(can_import)
def upload():  # type: ignore[no-untyped-def]
    file = request.files.get("workbook")
    if file is None or not file.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("workbook.index"))
    data = file.read()
    s: Session = db.session()
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        try:
            path = workbook_path(file.filename, data, Path(tmp))
            summary = import_workbook(s, path, by=actor().username)
        except UploadProblem as exc:
            return render_template("workbook/rejected.html", errors=[], problem=str(exc), name=file.filename), 422
        except WorkbookRejected as exc:
            errors = [_shorten(e, tmp) for e in exc.errors]
            return render_template("workbook/rejected.html", errors=errors, problem=None, name=file.filename), 422
    audit(s, actor(), "import", "workbook", None, detail={"file": file.filename, "changed": summary.changed})
    s.commit()
    return render_template("workbook/imported.html", summary=summary, name=file.filename)


def _shorten(error: CellError, tmp: str) -> CellError:
    """Errors name the file as the user knows it, not our temporary folder."""
    name = error.file.replace(tmp + "/csv/", "").replace(tmp + "/", "")
    return CellError(name, error.row, error.column, error.message, error.detail)


def _stored_workbook(s: Session) -> tuple[Workbook, list[str]]:
    """The stored workbook, and the sensitive fields it holds (``file.field``).

    Medical and disability fields (``SENSITIVE_FIELDS``: people's needs, and
    who the federation's rehabilitation, health-check, insurance and
    charity-card records are about) are blanked for users who may not see
    them, file by file.
    """
    wb = load_workbook(s)
    shown = []
    for file, fields in SENSITIVE_FIELDS.items():
        rows = wb.tables.get(file, [])
        if can_see_sensitive(actor(), file=file):
            shown += [f"{file}.{name}" for name in fields] if rows else []
            continue
        for row in rows:
            for name in fields:
                row[name] = None
    return wb, shown


def zip_folder(folder: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    buffer.seek(0)
    return buffer


def _audit_export(what: str, sensitive_shown: list[str]) -> None:
    s = db.session()
    audit(s, actor(), "export", what, None, sensitive_shown, sensitive=bool(sensitive_shown))
    s.commit()


@bp.get("/download/workbook.xlsx")
@require(can_export)
def download_xlsx():  # type: ignore[no-untyped-def]
    s = db.session()
    wb, shown = _stored_workbook(s)
    _audit_export("workbook", shown)
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        path = write_xlsx(wb, Path(tmp) / "workbook.xlsx")
        data = io.BytesIO(path.read_bytes())
    return send_file(
        data,
        as_attachment=True,
        download_name="workbook.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/download/workbook.zip")
@require(can_export)
def download_zip():  # type: ignore[no-untyped-def]
    s = db.session()
    wb, shown = _stored_workbook(s)
    _audit_export("workbook", shown)
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        write_csv_folder(wb, tmp)
        data = zip_folder(Path(tmp))
    return send_file(data, as_attachment=True, download_name="workbook.zip", mimetype="application/zip")


def plan_zip(plan: Plan) -> io.BytesIO:
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        plan.write(tmp)
        return zip_folder(Path(tmp))


@bp.get("/download/plans.zip")
@require(can_export)
def download_plans():  # type: ignore[no-untyped-def]
    plan = accepted_plan(db.session())
    _audit_export("plan", [])
    return send_file(plan_zip(plan), as_attachment=True, download_name="plans.zip", mimetype="application/zip")
