"""Shared fixtures: databases (SQLite always, PostgreSQL when a server answers) and workbooks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from planner.db import init_db, make_engine

PG_URL = os.environ.get("PLANNER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh PostgreSQL schema of its own, dropped afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed (pip install -e .[dev])")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means: no server here
        admin.dispose()
        pytest.skip(f"PostgreSQL tests skipped: no server answers at {PG_URL} ({type(exc).__name__})")
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 3})
    try:
        init_db(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: SQLite, and PostgreSQL when a server answers."""
    if request.param == "sqlite":
        eng = make_engine(tmp_path / "planner.sqlite")
        init_db(eng)
        yield eng
        eng.dispose()
    else:
        yield from _postgres_engine()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite database only (for tests that need no second backend)."""
    eng = make_engine(tmp_path / "planner.sqlite")
    init_db(eng)
    yield eng
    eng.dispose()


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def small_dir() -> Path:
    """The checked-in `small` workbook folder."""
    return FIXTURES / "small"
