"""Saving a record from submitted text values: validation, optimistic locking, audit (pages and API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from planner.models import WorkbookTable
from planner.services.workbook import model_to_row, row_to_attrs
from planner.users import Actor, audit, can_see_sensitive, sensitive_fields
from planner.workbook.schema import FileSpec
from web.records.forms import cross_check, parse_form, row_texts


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
    return () if can_see_sensitive(who) else sensitive_fields(file)


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
    return SaveResult(obj)
