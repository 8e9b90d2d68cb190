"""Fixtures and helpers of the web tests: a fresh app on a temporary SQLite database per test."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session

from planner.db import init_db, make_engine
from planner.users import create_user
from tests.builders import make_workbook
from tests.dbhelpers import load

PASSWORD = "correct horse battery"
WORKAREA_ROWS_PER_SHEET = 30


def demo_workareas(per_sheet: int = WORKAREA_ROWS_PER_SHEET) -> dict[str, list[dict[str, Any]]]:
    """The district demo's work-area records, cut to ``per_sheet`` rows a sheet (references kept whole)."""
    from fixtures.workareas import generate_workareas
    from planner.workareas.schema import WORKAREA_SPECS

    records = {sheet: rows[:per_sheet] for sheet, rows in generate_workareas(seed=0).items()}
    for sheet, rows in records.items():
        for col in WORKAREA_SPECS[sheet].columns:
            if col.kind.startswith("ref:"):
                known = {r["id"] for r in records.get(col.kind.split(":", 1)[1], [])}
                rows[:] = [r for r in rows if r.get(col.name) is None or r[col.name] in known]
    return records


def workbook_with_workareas() -> Any:
    """The small default world plus :func:`demo_workareas`."""
    wb = make_workbook()
    for sheet, rows in demo_workareas().items():
        wb.tables[sheet] = rows
        wb.row_numbers[sheet] = list(range(2, len(rows) + 2))
        wb.extra_columns[sheet] = []
    return wb


def make_app(tmp_path: Path, **config: Any) -> Flask:
    from web import create_app

    settings = {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "DATABASE_URL": str(tmp_path / "web.sqlite"),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "DEFAULT_LANGUAGE": "en",
        "DEMO_ACCOUNT": "no",
        "REPORT_FOLDER": str(tmp_path / "reports"),
        **config,
    }
    return create_app(settings)


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the small default world, some work-area records and one user per role.

    Each test gets its own copy.
    """
    path = tmp_path_factory.mktemp("web-template") / "web.sqlite"
    engine = make_engine(path)
    init_db(engine)
    load(engine, workbook_with_workareas())
    with Session(engine) as s:
        create_user(s, "chair", PASSWORD, "committee")
        create_user(s, "housing", PASSWORD, "area_lead", area="accommodation")
        create_user(s, "coach", PASSWORD, "volunteer_coordinator")
        create_user(s, "liaison", PASSWORD, "hotel_liaison", hotels=["H01"])
        create_user(s, "reader", PASSWORD, "viewer")
        s.commit()
    with engine.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture
def app(tmp_path: Path, web_template: Path) -> Iterator[Flask]:
    """A fresh app on its own copy of the template database (Flask tutorial style)."""
    shutil.copyfile(web_template, tmp_path / "web.sqlite")
    application = make_app(tmp_path)
    yield application
    application.extensions["planner.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str = "chair", password: str = PASSWORD) -> Any:
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """POST a form with the session's CSRF token."""
    token = csrf_token(client, "/")
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)
