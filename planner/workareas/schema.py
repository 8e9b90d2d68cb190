"""Workbook sheets of the federation's work areas (optional sheets, same rules as FORMAT.md)."""

from __future__ import annotations

from planner.workbook.schema import FileSpec

# Filled in by the work-areas module; read, written and imported like the planning files.
WORKAREA_FILES: tuple[FileSpec, ...] = ()
