"""Saving and deleting a record from submitted values: validation, optimistic locking, audit (pages and API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from planner.models import HotelSurvey, Pin, ShiftAttendance, WorkbookTable
from planner.services.workbook import load_workbook, model_to_row, row_to_attrs
from planner.users import Actor, audit, can_see_sensitive, sensitive_fields
from planner.workbook.schema import FileSpec
from planner.workbook.validate import validate_workbook
from web.records.forms import cross_check, parse_form, related_files, row_texts


@dataclass
class SaveResult:
    """What a save did: the saved record, or the errors / the conflicting current values."""

    obj: WorkbookTable | None = None
    errors: dict[str, str] = field(default_factory=dict)
    conflict: dict[str, str] | None = None  # the current values, when someone else saved first

    @property
    def ok(self) -> bool:
        return self.obj is not None and not self.errors and self.conflict is None


def has_versions(model: type[WorkbookTable]) -> bool:
    return "version_id" in model.model_fields


def hidden_fields(who: Actor, file: str) -> tuple[str, ...]:
    """Sensitive fields ``who`` may not see (nor change)."""
    return () if can_see_sensitive(who, file=file) else sensitive_fields(file)


def save_record(
    s: Session,
    who: Actor,
    spec: FileSpec,
    model: type[WorkbookTable],
    obj: WorkbookTable | None,
    values: dict[str, Any],
    version: str | None,
) -> SaveResult:
    """Validate ``values`` (text per column) and save them to ``obj`` (a new record when ``None``).

    ``version`` is the ``version_id`` the user's form was built from; a save
    against a newer stored version is refused with the current values.
    """
    file = spec.name
    hidden = hidden_fields(who, file)
    texts = {k: "" if v is None else str(v) for k, v in values.items()}
    row, errors = parse_form(spec, texts, skip=hidden)
    if obj is not None:
        stored = model_to_row(spec, obj)
        for name in spec.key:  # keys are references elsewhere: never changed by a form
            row[name] = stored[name]
            errors.pop(name, None)
        for name in hidden:
            row[name] = stored[name]
        if has_versions(model) and str(version) != str(obj.version_id):  # type: ignore[attr-defined]
            return SaveResult(None, errors, row_texts(stored))
    else:
        for name in hidden:
            row[name] = None
    if errors:
        return SaveResult(None, errors)
    errors = cross_check(s, spec, obj, row)
    if errors:
        return SaveResult(None, errors)
    before = model_to_row(spec, obj) if obj is not None else {}
    attrs = row_to_attrs(spec, row, [])
    attrs.pop("extra", None)
    if obj is None:
        last = s.exec(select(model.seq).order_by(model.seq.desc())).first()  # type: ignore[attr-defined, union-attr]
        obj = model(seq=(last or 0) + 1, **attrs)
    else:
        for k, v in attrs.items():
            setattr(obj, k, v)
    s.add(obj)
    changed = [c.name for c in spec.columns if before.get(c.name) != row.get(c.name)]
    key = ",".join(str(row.get(k)) for k in spec.key)
    secret = [c for c in changed if c in sensitive_fields(file)]
    detail = {c: [before.get(c), row.get(c)] for c in changed if c not in secret}
    audit(s, who, "change", file, key, changed, sensitive=bool(secret), detail=detail or None)
    try:
        s.commit()
    except StaleDataError:
        s.rollback()
        s.refresh(obj)
        return SaveResult(None, {}, row_texts(model_to_row(spec, obj)))
    except IntegrityError:  # the database's own unique keys: someone saved the same key in the meantime
        from flask_babel import gettext as _

        s.rollback()
        message = _("Someone saved a record with this key at the same moment; check the records and save again.")
        return SaveResult(None, {spec.key[0] if spec.key else "": message})
    return SaveResult(obj)


# ------------------------------------------------------------------ delete


@dataclass(frozen=True)
class Reference:
    """Another record that refers to the one to be deleted: its file, key and the referring column."""

    file: str
    key: str
    column: str


@dataclass
class DeleteResult:
    """What a delete did: done, or why not (references to the record, or a newer version)."""

    deleted: bool = False
    references: list[Reference] = field(default_factory=list)
    conflict: bool = False
    last_record: bool = False


def _row_key(spec: FileSpec, row: dict[str, Any]) -> str:
    return ",".join("" if row.get(k) is None else str(row.get(k)) for k in spec.key)


def references_to(s: Session, spec: FileSpec, obj: WorkbookTable) -> list[Reference]:
    """Records that would break if ``obj`` were deleted.

    Uses the workbook's own rules: the stored workbook is validated with and
    without the record, and every error that only appears without it (a
    reference that no longer resolves) names a record that refers to it.
    Hand-made pins, hotel surveys and volunteers' check-ins count too.
    """
    from planner.workbook.io import input_files

    wanted = related_files(spec)
    wb = load_workbook(s, lambda f: f.name in wanted)
    specs = {f.name: f for f in input_files()}
    before = set(validate_workbook(wb, {}))
    rows = wb.tables.get(spec.name, [])
    key = _row_key(spec, model_to_row(spec, obj))
    index = next((i for i, r in enumerate(rows) if _row_key(spec, r) == key), None)
    found: list[Reference] = []
    if index is not None:
        del rows[index]
        del wb.row_numbers[spec.name][index]
        for e in sorted(set(validate_workbook(wb, {})) - before):
            file_rows = wb.tables.get(e.file, [])
            numbers = wb.row_numbers.get(e.file, [])
            if e.row in numbers:
                row = file_rows[numbers.index(e.row)]
                found.append(Reference(e.file, _row_key(specs[e.file], row), e.column))
    found += _operational_references(s, spec.name, model_to_row(spec, obj))
    return found


def _operational_references(s: Session, file: str, row: dict[str, Any]) -> list[Reference]:
    """Pins, hotel surveys and check-ins that name the record (they are not workbook files)."""
    out: list[Reference] = []
    if file == "people":
        out += [Reference("pins", p.person, "person") for p in s.exec(select(Pin).where(Pin.person == row["id"]))]
    elif file == "hotels":
        out += [Reference("pins", p.person, "hotel") for p in s.exec(select(Pin).where(Pin.hotel == row["id"]))]
        surveys = s.exec(select(HotelSurvey).where(HotelSurvey.hotel == row["id"]))
        out += [Reference("hotel_surveys", f"{h.hotel},{h.surveyed_on}", "hotel") for h in surveys]
    elif file == "rooms":
        pins = s.exec(select(Pin).where(Pin.hotel == row["hotel"], Pin.room == row["room"]))
        out += [Reference("pins", p.person, "room") for p in pins]
    elif file in ("volunteers", "shifts"):
        column = "volunteer" if file == "volunteers" else "shift"
        where = getattr(ShiftAttendance, column) == row["id"]
        out += [
            Reference("shift_attendance", f"{a.volunteer},{a.shift}", column)
            for a in s.exec(select(ShiftAttendance).where(where))
        ]
    return out


def delete_record(
    s: Session, who: Actor, spec: FileSpec, model: type[WorkbookTable], obj: WorkbookTable, version: str | None
) -> DeleteResult:
    """Delete ``obj`` unless other records refer to it or it changed since ``version``; audited. Commits."""
    if has_versions(model) and str(version) != str(obj.version_id):  # type: ignore[attr-defined]
        return DeleteResult(conflict=True)
    if spec.required and spec.single_row:
        return DeleteResult(last_record=True)
    references = references_to(s, spec, obj)
    if references:
        return DeleteResult(references=references)
    row = model_to_row(spec, obj)
    secret = [c for c in sensitive_fields(spec.name) if row.get(c) is not None]
    detail = {c.name: row.get(c.name) for c in spec.columns if c.name not in secret and row.get(c.name) is not None}
    s.delete(obj)
    audit(s, who, "delete", spec.name, _row_key(spec, row), list(secret), sensitive=bool(secret), detail=detail)
    try:
        s.commit()
    except StaleDataError:
        s.rollback()
        return DeleteResult(conflict=True)
    except IntegrityError:  # the database's own foreign keys: a reference the rules above did not see
        s.rollback()
        return DeleteResult(references=[Reference("", "", "")])
    return DeleteResult(deleted=True)
