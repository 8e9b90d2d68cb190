"""Import and export the workbook; load the planning data from the database.

Import is all-or-nothing: the workbook is read and validated in full first
(every error at once), then applied in one transaction. The database ends up
holding exactly the workbook's planning files; planning files missing from
the workbook are emptied (FORMAT.md: "that planning area is then empty"),
while work-area sheets missing from it are left as they are (a committee
workbook must not wipe the federation's records).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, select

from planner.dataset import Dataset
from planner.models import ATTRIBUTE_NAMES, PLANNING_TABLES, ImportLog, ShiftAttendance, WorkbookTable
from planner.workareas.models import WORKAREA_TABLES
from planner.workbook.io import (
    REMOVED_BUT_CHECKED_IN,
    CellError,
    Workbook,
    WorkbookRejected,
    input_files,
    read_workbook,
    split_list,
    write_csv_folder,
    write_xlsx,
)
from planner.workbook.schema import PLANNING_FILES, FileSpec

LIST_PREFIXES = ("list", "langlist", "reflist:", "enumlist:")


def table_for(spec: FileSpec) -> type[WorkbookTable]:
    return PLANNING_TABLES.get(spec.name) or WORKAREA_TABLES[spec.name]


def _is_list(kind: str) -> bool:
    return kind.startswith(LIST_PREFIXES)


def row_to_attrs(spec: FileSpec, row: dict[str, Any], extra_columns: list[str]) -> dict[str, Any]:
    """A parsed workbook row as model attributes (lists joined, x_ columns as JSON)."""
    names = ATTRIBUTE_NAMES.get(spec.name, {})
    attrs: dict[str, Any] = {}
    for col in spec.columns:
        value = row.get(col.name)
        if _is_list(col.kind) and value is not None:
            value = ";".join(value)
        attrs[names.get(col.name, col.name)] = value
    extras = {name: row[name] for name in extra_columns if row.get(name) not in (None, "")}
    attrs["extra"] = json.dumps(extras, ensure_ascii=False) if extras else None
    return attrs


def model_to_row(spec: FileSpec, obj: WorkbookTable) -> dict[str, Any]:
    """A stored record back as a parsed workbook row."""
    names = ATTRIBUTE_NAMES.get(spec.name, {})
    row: dict[str, Any] = {}
    for col in spec.columns:
        value = getattr(obj, names.get(col.name, col.name))
        if _is_list(col.kind) and value is not None:
            value = split_list(value)
        row[col.name] = value
    if obj.extra:
        row.update(json.loads(obj.extra))
    return row


@dataclass
class FileChange:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.removed)


@dataclass
class ImportSummary:
    """What an import did, per file."""

    source: str
    files: dict[str, FileChange] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.files.values())

    def totals(self) -> FileChange:
        t = FileChange()
        for c in self.files.values():
            t.new += c.new
            t.updated += c.updated
            t.unchanged += c.unchanged
            t.removed += c.removed
        return t

    def lines(self) -> list[str]:
        out = []
        for name, c in self.files.items():
            out.append(
                f"{name:<14} new {c.new:>6}  updated {c.updated:>6}  unchanged {c.unchanged:>6}  removed {c.removed:>6}"
            )
        t = self.totals()
        verdict = "nothing changed" if not self.changed else "database updated"
        out.append(
            f"{'total':<14} new {t.new:>6}  updated {t.updated:>6}  unchanged {t.unchanged:>6}  removed {t.removed:>6}  ({verdict})"
        )
        return out


# Workbook files whose rows check-ins (shift attendance, not a workbook file) name: volunteer or shift.
ATTENDED_FILES = {"volunteers": "volunteer", "shifts": "shift"}


def _checked_in(session: Session, file: str, ids: list[Any], source: str) -> list[CellError]:
    """Errors for ids an import would remove although check-ins name them (hours worked would lose their owner)."""
    if not ids:
        return []
    where = f"{Path(source).name}:{file}" if source.lower().endswith(".xlsx") else f"{file}.csv"
    column = getattr(ShiftAttendance, ATTENDED_FILES[file])
    counts = Counter(session.exec(select(column).where(column.in_(ids))))
    return [
        CellError.of(where, 0, "id", REMOVED_BUT_CHECKED_IN(id=repr(i), file=where, count=n))
        for i, n in sorted(counts.items())
    ]


def apply_workbook(session: Session, wb: Workbook, source: str, by: str | None = None) -> ImportSummary:
    """Make the database hold the workbook's data. The caller commits or rolls back.

    Works on table rows (SQL Core), not ORM objects: a games workbook has
    ~30,000 rows, and the values were already validated by the reader.
    Updated rows get their ``version_id`` raised, so a form opened before the
    import cannot silently overwrite the imported values.
    """
    summary = ImportSummary(source)
    specs = [s for s in input_files() if s.name in wb.tables or s in PLANNING_FILES]
    leftovers: list[tuple[Table, list[int]]] = []
    refused: list[CellError] = []
    for spec in specs:
        table: Table = table_for(spec).__table__  # type: ignore[attr-defined]
        versioned = "version_id" in table.c
        change = FileChange()
        names = ATTRIBUTE_NAMES.get(spec.name, {})
        key_cols = [names.get(k, k) for k in spec.key]
        existing = {tuple(r[c] for c in key_cols): r for r in session.execute(sql_select(table)).mappings()}
        seen: set[tuple[Any, ...]] = set()
        extras = wb.extra_columns.get(spec.name, [])
        inserts: list[dict[str, Any]] = []
        for seq, row in enumerate(wb.rows(spec.name), start=1):
            attrs = row_to_attrs(spec, row, extras)
            key = tuple(attrs[c] for c in key_cols)
            seen.add(key)
            old = existing.get(key)
            if old is None:
                inserts.append({**attrs, "seq": seq, **({"version_id": 1} if versioned else {})})
                change.new += 1
                continue
            values = {k: v for k, v in attrs.items() if old[k] != v}
            if values:
                change.updated += 1
                if versioned:
                    values["version_id"] = old["version_id"] + 1
            else:
                change.unchanged += 1
            if old["seq"] != seq:
                values["seq"] = seq
            if values:
                session.execute(update(table).where(table.c.pk == old["pk"]).values(**values))
        if inserts:
            session.execute(insert(table), inserts)
        gone = [r["pk"] for key, r in existing.items() if key not in seen]
        if spec.name in ATTENDED_FILES:
            refused += _checked_in(session, spec.name, [key[0] for key in existing if key not in seen], source)
        change.removed = len(gone)
        leftovers.append((table, gone))
        summary.files[spec.name] = change
    if refused:
        raise WorkbookRejected(refused)
    # remove children before parents
    for table, gone in reversed(leftovers):
        for start in range(0, len(gone), 500):
            session.execute(delete(table).where(table.c.pk.in_(gone[start : start + 500])))
    session.expire_all()
    if summary.changed:
        session.add(
            ImportLog(
                source=source,
                by=by,
                summary=json.dumps({n: c.__dict__ for n, c in summary.files.items()}),
            )
        )
    return summary


def import_workbook(session: Session, path: Path | str, by: str | None = None) -> ImportSummary:
    """Read, validate and load a workbook (folder of CSV or .xlsx) in one transaction.

    Raises:
        WorkbookRejected: with every error; the database is left untouched.
    """
    wb = read_workbook(path)
    try:
        summary = apply_workbook(session, wb, str(path), by)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return summary


def load_workbook(session: Session, files: Callable[[FileSpec], bool] | None = None) -> Workbook:
    """The stored data as a workbook (rows in their import order)."""
    wb = Workbook()
    for spec in input_files():
        if files is not None and not files(spec):
            continue
        model = table_for(spec)
        objs = list(session.exec(select(model).order_by(model.seq, model.pk)))  # type: ignore[arg-type]
        if not objs and spec not in PLANNING_FILES:
            continue
        if not objs and not spec.required:
            continue
        rows = [model_to_row(spec, o) for o in objs]
        wb.tables[spec.name] = rows
        wb.row_numbers[spec.name] = list(range(2, len(rows) + 2))
        extras: list[str] = []
        for o in objs:
            if o.extra:
                extras.extend(k for k in json.loads(o.extra) if k not in extras)
        wb.extra_columns[spec.name] = extras
    return wb


class NoEventData(RuntimeError):
    """The database holds no event yet: import a workbook first."""


def load_dataset(session: Session) -> Dataset:
    """The planning data of the stored event."""
    wb = load_workbook(session, lambda spec: spec in PLANNING_FILES)
    if not wb.rows("event"):
        raise NoEventData("the database holds no event yet: run `planner import PATH` (or `planner demo`) first")
    return Dataset.from_workbook(wb)


def export_workbook(session: Session, folder: Path | str, *, xlsx: bool = False, plan: Any = None) -> list[Path]:
    """Write the stored workbook (and ``plan`` files, if given) as CSV files in ``folder``.

    With ``xlsx=True`` a ``workbook.xlsx`` holding every sheet is written too.
    """
    folder = Path(folder)
    wb = load_workbook(session)
    written = write_csv_folder(wb, folder)
    if plan is not None:
        written += plan.write(folder)
    if xlsx:
        both = Workbook(dict(wb.tables), dict(wb.extra_columns), dict(wb.row_numbers))
        if plan is not None:
            both.tables.update(plan.to_workbook().tables)
        written.append(write_xlsx(both, folder / "workbook.xlsx"))
    return written


def delete_all(session: Session) -> None:
    """Empty every workbook table (used by `planner init --reset`)."""
    for spec in reversed(input_files()):
        session.execute(delete(table_for(spec).__table__))  # type: ignore[attr-defined]
