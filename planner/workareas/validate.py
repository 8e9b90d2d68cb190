"""Cross-row checks of the work-area sheets.

Cell-level checks (kinds, required values, ranges, enums) are done by the
workbook reader from ``schema.WORKAREA_FILES``; this module adds what needs
more than one cell: unique ids, references to other sheets, and dates that
must come in order.
"""

from __future__ import annotations

from typing import Any

from planner.workareas.schema import WORKAREA_FILES
from planner.workbook.io import CellError, Workbook

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

    def err(file: str, index: int, column: str, message: str) -> None:
        errors.append(CellError(sources.get(file, file), wb.row_numbers[file][index], column, message))

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
                err(spec.name, i, spec.key[-1], f"duplicate {'/'.join(spec.key)} {shown!r} (first at row {first_row})")
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
                    err(
                        spec.name,
                        i,
                        col.name,
                        f"{value!r} refers to the sheet {target}, which the workbook does not have",
                    )
                elif value not in known:
                    err(spec.name, i, col.name, f"{value!r} is not an id in {target}")

    for sheet, earlier, later in DATE_ORDER:
        for i, row in enumerate(wb.rows(sheet)):
            a, b = row.get(earlier), row.get(later)
            if a is not None and b is not None and b < a:
                err(sheet, i, later, f"{later} ({b.isoformat()}) is before {earlier} ({a.isoformat()})")

    for i, row in enumerate(wb.rows("games_tasks")):
        if row.get("status") == "done" and row.get("done_on") is None:
            err("games_tasks", i, "done_on", "a task with status done needs done_on")
        if row.get("status") in ("todo", "in_progress") and row.get("done_on") is not None:
            err("games_tasks", i, "status", f"done_on is given but the status is {row['status']}")
    for i, row in enumerate(wb.rows("levy_chases")):
        due, got = row.get("amount_due_cny"), row.get("amount_recovered_cny")
        if due is not None and got is not None and got > due:
            err("levy_chases", i, "amount_recovered_cny", f"recovered {got} is more than the amount due {due}")
    return errors
