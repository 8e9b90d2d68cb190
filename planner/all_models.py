"""Import every module that defines tables, so the metadata is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

from sqlmodel import SQLModel

import planner.models  # noqa: F401
import planner.workareas.models  # noqa: F401

# Tables defined by optional modules (users and audit log of the web UI).
for _name in ("planner.users",):
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # the module is not written yet
        if exc.name != _name:
            raise

metadata = SQLModel.metadata
