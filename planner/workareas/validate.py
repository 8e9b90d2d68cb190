"""Cross-row checks of the work-area sheets."""

from __future__ import annotations

from planner.workbook.io import CellError, Workbook


def validate_workareas(wb: Workbook, sources: dict[str, str]) -> list[CellError]:
    """Every reference and consistency error among the work-area sheets."""
    return []
