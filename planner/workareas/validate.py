"""Cross-row checks of the work-area sheets.

Cell-level checks (kinds, required values, ranges, enums) are done by the
workbook reader from ``schema.WORKAREA_FILES``; this module adds what needs
more than one cell: unique ids, references to other sheets, and dates that
must come in order. Each sentence is a :class:`~planner.messages.Template`
(see :data:`MESSAGES`): the errors keep their English text and carry the
message, which the web shows in Chinese.
"""

from __future__ import annotations

from typing import Any

from planner.messages import N_, Message, Template
from planner.workareas.schema import WORKAREA_FILES
from planner.workbook.io import CellError, Workbook
from planner.workbook.validate import DUPLICATE, NOT_AN_ID_IN

# What a rejected workbook is told about its work-area sheets (planner.messages templates); column
# names, status codes and amounts stay as the sheet has them. Unique keys and references say it as
# the planning files do (DUPLICATE, NOT_AN_ID_IN of planner.workbook.validate).
NO_SUCH_SHEET = Template(N_("%(value)s refers to the sheet %(sheet)s, which the workbook does not have"))
DATE_BEFORE = Template(N_("%(later)s (%(later_date)s) is before %(earlier)s (%(earlier_date)s)"))
DONE_WITHOUT_DATE = Template(N_("a task with status done needs done_on"))
DATE_BUT_NOT_DONE = Template(N_("done_on is given but the status is %(status)s"))
RECOVERED_MORE_THAN_DUE = Template(N_("recovered %(recovered)s is more than the amount due %(due)s"))

MESSAGES: tuple[Template, ...] = (
    NO_SUCH_SHEET,
    DATE_BEFORE,
    DONE_WITHOUT_DATE,
    DATE_BUT_NOT_DONE,
    RECOVERED_MORE_THAN_DUE,
)
"""The sentences of this module besides DUPLICATE and NOT_AN_ID_IN, for :func:`planner.messages.recognise`."""

# (sheet, earlier column, later column): the later date may not come before the earlier one.
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("games_work_plans", "drafted_on", "revised_on"),
    ("social_security", "approved_on", "ended_on"),
    ("training_courses", "start_date", "end_date"),
    ("sunshine_homes", "opened_on", "closed_on"),
    ("sunshine_trainees", "enrolled_on", "left_on"),
    ("sunshine_workshop_jobs", "started_on", "ended_on"),
    ("disabled_vehicles", "registered_on", "deregistered_on"),
    ("petitions", "date", "resolved_on"),
    ("carer_support", "started_on", "ended_on"),
)


def validate_workareas(wb: Workbook, sources: dict[str, str]) -> list[CellError]:
    """Every uniqueness, reference and consistency error among the work-area sheets.

    Args:
        wb: the parsed workbook (cells already typed).
        sources: sheet name -> how the sheet is named in messages (file name or ``book.xlsx:sheet``).

    Returns:
        The errors, each with the spreadsheet row and column.
    """
    errors: list[CellError] = []

    def err(file: str, index: int, column: str, message: Message) -> None:
        errors.append(CellError.of(sources.get(file, file), wb.row_numbers[file][index], column, message))

    ids: dict[str, set[str]] = {}
    for spec in WORKAREA_FILES:
        if spec.name not in wb.tables:
            continue
        first_at: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(wb.rows(spec.name)):
            key = tuple(row.get(k) for k in spec.key)
            if any(k is None for k in key):
                continue
            if key in first_at:
                shown = ", ".join(str(k) for k in key)
                first_row = wb.row_numbers[spec.name][first_at[key]]
                err(spec.name, i, spec.key[-1], DUPLICATE(key="/".join(spec.key), value=repr(shown), row=first_row))
            else:
                first_at[key] = i
        ids[spec.name] = {r["id"] for r in wb.rows(spec.name) if r.get("id")}

    for spec in WORKAREA_FILES:
        if spec.name not in wb.tables:
            continue
        refs = [c for c in spec.columns if c.kind.startswith("ref:")]
        for col in refs:
            target = col.kind.split(":", 1)[1]
            known = ids.get(target)
            for i, row in enumerate(wb.rows(spec.name)):
                value = row.get(col.name)
                if value is None:
                    continue
                if known is None:
                    err(spec.name, i, col.name, NO_SUCH_SHEET(value=repr(value), sheet=target))
                elif value not in known:
                    err(spec.name, i, col.name, NOT_AN_ID_IN(value=repr(value), file=target))

    for sheet, earlier, later in DATE_ORDER:
        for i, row in enumerate(wb.rows(sheet)):
            a, b = row.get(earlier), row.get(later)
            if a is not None and b is not None and b < a:
                err(
                    sheet,
                    i,
                    later,
                    DATE_BEFORE(later=later, later_date=b.isoformat(), earlier=earlier, earlier_date=a.isoformat()),
                )

    for i, row in enumerate(wb.rows("games_tasks")):
        if row.get("status") == "done" and row.get("done_on") is None:
            err("games_tasks", i, "done_on", DONE_WITHOUT_DATE())
        if row.get("status") in ("todo", "in_progress") and row.get("done_on") is not None:
            err("games_tasks", i, "status", DATE_BUT_NOT_DONE(status=row["status"]))
    for i, row in enumerate(wb.rows("levy_chases")):
        due, got = row.get("amount_due_cny"), row.get("amount_recovered_cny")
        if due is not None and got is not None and got > due:
            err("levy_chases", i, "amount_recovered_cny", RECOVERED_MORE_THAN_DUE(recovered=got, due=due))
    return errors
