"""Generic forms for every workbook file, validated by the workbook's own rules.

A field is parsed by :func:`planner.workbook.io.parse_cell` with its
:class:`~planner.workbook.schema.Column` (the same messages as an import),
then the whole stored workbook with the edited row is checked by
:func:`planner.workbook.validate.validate_workbook` (references, unique keys,
dates in order...), and the errors that concern the edited row are shown next
to their fields. An error is the English text as a
:class:`~planner.messages.MessageText` (a ``str`` for the API's JSON) that
keeps its message, so a page shows it in the reader's language
(``{{ message|planner_text }}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from planner.messages import MessageText, text_of
from planner.services.workbook import load_workbook, model_to_row
from planner.workareas.schema import WORKAREA_SPECS
from planner.workbook.io import EMPTY_VALUE, format_cell, parse_cell
from planner.workbook.schema import PLANNING_FILES, Column, FileSpec
from planner.workbook.validate import validate_workbook


@dataclass
class FieldView:
    """One form field as the template draws it."""

    column: Column
    value: str
    widget: str  # text | date | time | select | number
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    hidden: bool = False  # sensitive field the user may not see


def widget_for(col: Column) -> tuple[str, list[tuple[str, str]]]:
    kind = col.kind
    if kind == "bool":
        return "select", [("", "—"), ("yes", "yes"), ("no", "no")]
    if kind.startswith("enum:"):
        values = kind.split(":", 1)[1].split("|")
        return "select", [("", "—")] + [(v, v) for v in values]
    if kind == "date":
        return "date", []
    if kind == "time":
        return "time", []
    if kind in ("int", "float", "lat", "lon", "money"):
        return "number", []
    return "text", []


def field_views(
    spec: FileSpec, values: dict[str, str], errors: dict[str, str], hidden: tuple[str, ...] = ()
) -> list[FieldView]:
    out = []
    for col in spec.columns:
        widget, choices = widget_for(col)
        out.append(FieldView(col, values.get(col.name, ""), widget, choices, errors.get(col.name), col.name in hidden))
    return out


def row_texts(row: dict[str, Any]) -> dict[str, str]:
    """A typed row as the text the form shows."""
    return {k: format_cell(v) for k, v in row.items()}


def parse_form(
    spec: FileSpec, form: dict[str, str], skip: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and per-field errors of a submitted form (``skip``: fields not on the form)."""
    row: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for col in spec.columns:
        if col.name in skip:
            continue
        text = (form.get(col.name) or "").strip()
        if text == "":
            row[col.name] = None
            if col.required:
                errors[col.name] = MessageText(EMPTY_VALUE())
            continue
        try:
            row[col.name] = parse_cell(col, text)
        except ValueError as exc:
            errors[col.name] = text_of(exc)
    return row, errors


def related_files(spec: FileSpec) -> set[str]:
    """The files whose rules can involve a row of ``spec``.

    Planning files refer only to planning files and work-area sheets only to
    work-area sheets, so an edit is checked against its own half of the
    workbook (a district's half year of records is ~20,000 rows).
    """
    if spec.name in WORKAREA_SPECS:
        return set(WORKAREA_SPECS)
    return {f.name for f in PLANNING_FILES}


def cross_check(session: Session, spec: FileSpec, obj: Any | None, row: dict[str, Any]) -> dict[str, str]:
    """Errors of the workbook that concern the edited row, by column (``""`` for the row)."""
    wanted = related_files(spec)
    wb = load_workbook(session, lambda f: f.name in wanted)
    rows = wb.tables.setdefault(spec.name, [])
    wb.row_numbers.setdefault(spec.name, list(range(2, len(rows) + 2)))
    wb.extra_columns.setdefault(spec.name, [])
    if obj is not None:
        current = model_to_row(spec, obj)
        key = tuple(current.get(k) for k in spec.key)
        index = next((i for i, r in enumerate(rows) if tuple(r.get(k) for k in spec.key) == key), None)
    else:
        index = None
    if index is None:
        rows.append(row)
        wb.row_numbers[spec.name].append(len(rows) + 1)
        index = len(rows) - 1
    else:
        rows[index] = {**rows[index], **row}
    number = wb.row_numbers[spec.name][index]
    errors: dict[str, str] = {}
    for e in validate_workbook(wb, {}):
        if e.file == spec.name and e.row == number:
            errors.setdefault(
                e.column if e.column in spec.by_name else "", MessageText(e.detail) if e.detail else e.message
            )
    return errors
