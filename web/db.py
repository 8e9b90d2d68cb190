"""The database and the job runner of the app; one SQLModel session per request."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.db import init_db, make_engine
from planner.jobs import JobRunner, make_runner
from planner.users import User, ensure_demo_users

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Open the database (migrating it), start the job runner, create the demo account if asked."""
    engine = make_engine(app.config.get("DATABASE_URL"))
    init_db(engine)
    app.extensions["planner.engine"] = engine
    app.extensions["planner.jobs"] = make_runner(app.config, engine)
    _demo_account(app, engine)
    app.teardown_appcontext(close_session)


def _demo_account(app: Flask, engine: Engine) -> None:
    wanted = str(app.config.get("DEMO_ACCOUNT", "auto")).lower()
    if wanted in ("no", "false", "0"):
        return
    with Session(engine) as s:
        if wanted == "auto" and s.exec(select(User)).first() is not None:
            return
        ensure_demo_users(s)
        s.commit()
    log.warning("the demo account is active: create your own users and deactivate it (see web/README.md)")


def engine() -> Engine:
    return current_app.extensions["planner.engine"]  # type: ignore[no-any-return]


def jobs() -> JobRunner:
    return current_app.extensions["planner.jobs"]  # type: ignore[no-any-return]


def session() -> Session:
    """This request's database session (closed at the end of the request)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session  # type: ignore[no-any-return]


def close_session(_exc: Any = None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.close()
