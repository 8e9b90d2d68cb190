"""A plan as FORMAT.md's plan files describe it: rows per file, typed values.

Every planning area produces some of these tables; the checker reads them,
``planner export`` writes them, the database stores them per plan run.
Row dicts use the column names of :mod:`planner.workbook.schema`:

- ``rooming``: person, hotel, room, check_in (date), check_out (date)
- ``transport``: vehicle, trip, seq (int), place, arrive, depart (datetime or None), session
- ``manifest``: vehicle, trip, person, board_seq (int), alight_seq (int)
- ``roster``: volunteer, shift
- ``liaisons``: volunteer, delegation
- ``unassigned``: kind (bed|ride|shift|liaison), id, reason
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.workbook.io import Workbook, read_workbook, write_csv_folder
from planner.workbook.schema import PLAN_FILES

Row = dict[str, Any]

# Which plan files each planning kind owns.
KIND_FILES: dict[str, tuple[str, ...]] = {
    "accommodation": ("rooming",),
    "transport": ("transport", "manifest"),
    "volunteers": ("roster", "liaisons"),
}
# unassigned rows belong to the kind that produced them
UNASSIGNED_KIND: dict[str, tuple[str, ...]] = {
    "accommodation": ("bed",),
    "transport": ("ride",),
    "volunteers": ("shift", "liaison"),
}
KINDS = tuple(KIND_FILES)


@dataclass
class Plan:
    """Plan rows, per plan file. Missing kinds are simply empty lists."""

    rooming: list[Row] = field(default_factory=list)
    transport: list[Row] = field(default_factory=list)
    manifest: list[Row] = field(default_factory=list)
    roster: list[Row] = field(default_factory=list)
    liaisons: list[Row] = field(default_factory=list)
    unassigned: list[Row] = field(default_factory=list)

    def table(self, name: str) -> list[Row]:
        return getattr(self, name)  # type: ignore[no-any-return]

    def merge(self, other: Plan) -> Plan:
        """A plan with both plans' rows (used to combine accepted plans of each kind)."""
        return Plan(**{s.name: self.table(s.name) + other.table(s.name) for s in PLAN_FILES})

    def only(self, kind: str) -> Plan:
        """The rows that belong to one planning kind."""
        out = Plan(**{name: list(self.table(name)) for name in KIND_FILES[kind]})
        out.unassigned = [r for r in self.unassigned if r["kind"] in UNASSIGNED_KIND[kind]]
        return out

    def to_workbook(self) -> Workbook:
        wb = Workbook()
        for spec in PLAN_FILES:
            wb.tables[spec.name] = self.table(spec.name)
        return wb

    @classmethod
    def from_workbook(cls, wb: Workbook) -> Plan:
        return cls(**{s.name: list(wb.rows(s.name)) for s in PLAN_FILES})

    def write(self, folder: Path | str) -> list[Path]:
        return write_csv_folder(self.to_workbook(), folder)


def read_plan_folder(folder: Path | str) -> tuple[Workbook, Plan]:
    """Read an exported folder: the workbook and its plan files."""
    wb = read_workbook(folder, plan=True)
    return wb, Plan.from_workbook(wb)
