"""Database tables of the work areas, one per sheet of ``schema.WORKAREA_FILES``."""

from __future__ import annotations

from planner.models import WorkbookTable

# sheet name -> table class (subclasses of WorkbookTable with the sheet's column names)
WORKAREA_TABLES: dict[str, type[WorkbookTable]] = {}
