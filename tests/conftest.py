"""Shared fixtures: databases (SQLite always, PostgreSQL when a server answers) and workbooks."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to the newest schema; tests get copies of it (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "planner.sqlite"
    eng = make_engine(path)
    init_db(eng)
    with eng.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    eng.dispose()
    return path


def _sqlite_copy(template: Path, tmp_path: Path) -> Iterator[Engine]:
    target = tmp_path / "planner.sqlite"
    shutil.copyfile(template, target)
    eng = make_engine(target)
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path) -> Iterator[Engine]:
    """A migrated, empty database: SQLite, and PostgreSQL when a server answers."""
    if request.param == "sqlite":
        yield from _sqlite_copy(migrated_sqlite, tmp_path)
    else:
        yield from _postgres_engine()


@pytest.fixture
def sqlite_engine(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite database only (for tests that need no second backend)."""
    yield from _sqlite_copy(migrated_sqlite, tmp_path)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def small_dir() -> Path:
    """The checked-in `small` workbook folder."""
    return FIXTURES / "small"
