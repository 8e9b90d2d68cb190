"""Database engine and sessions.

The embedded default is one SQLite file (WAL, ``busy_timeout``,
``foreign_keys=ON`` on every connection). ``DATABASE_URL`` selects another
database (PostgreSQL) with the same code. The schema is created and upgraded
by Alembic migrations (``planner/migrations``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

DEFAULT_DB_PATH = Path("var") / "planner.sqlite"
BUSY_TIMEOUT_MS = 10_000


def database_url(db: str | os.PathLike[str] | None = None) -> str:
    """The database to use: ``db`` (a path or URL), else ``DATABASE_URL``, else ``PLANNER_DB``, else the default file."""
    if db:
        text = str(db)
        return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    path = Path(os.environ.get("PLANNER_DB") or DEFAULT_DB_PATH).expanduser().resolve()
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(db: str | os.PathLike[str] | None = None, **kwargs: Any) -> Engine:
    """An engine for ``db`` (see :func:`database_url`); SQLite files get their folder created."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrations_dir() -> Path:
    return Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    import planner.all_models  # noqa: F401  (register every table)

    command.upgrade(alembic_config(engine), "head")
