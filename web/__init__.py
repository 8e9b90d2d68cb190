"""The web UI and JSON API of the planner (Flask).

``create_app(test_config=None)`` builds the app, as in Flask's tutorial:
defaults in code, then ``instance/config.py``, then ``PLANNER_*`` environment
variables, then ``test_config`` (a mapping; ``planner serve`` passes the
database this way). Each feature is a blueprint in its own package; the
pages and the API call the same use cases in :mod:`planner.services`, and
long work runs as background jobs (:mod:`planner.jobs`), never in a request.

Settings (all optional):

- ``DATABASE_URL``: a database URL or SQLite path (default: ``planner.db``'s default).
- ``SECRET_KEY``: signs sessions; by default a random key kept in ``instance/secret_key``.
- ``JOBS_BACKEND``: ``thread`` (default, no extra server) or ``huey`` with ``HUEY_URL``.
- ``MAP_TILES`` / ``MAP_ATTRIBUTION``: a tile server URL template; default none (plain background).
- ``DEFAULT_LANGUAGE``: ``zh_Hans`` (default), ``zh_Hant`` or ``en`` when the browser says nothing.
- ``DEMO_ACCOUNT``: ``auto`` (default: create the documented demo account when there are no users),
  ``yes`` or ``no``.
- ``SESSION_COOKIE_SECURE``: default true; set false only for plain-HTTP tests.
- ``REPORT_FOLDER``: where PDF/DOCX report exports are written (default: a new temporary folder).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,
    "JOBS_BACKEND": "thread",
    "JOBS_MAX_RUNNING": 1,
    "HUEY_URL": None,
    "MAP_TILES": None,
    "MAP_ATTRIBUTION": None,
    "DEFAULT_LANGUAGE": "zh_Hans",
    "DEMO_ACCOUNT": "auto",
    "LOGIN_ATTEMPTS_PER_WINDOW": 10,
    "LOGIN_WINDOW_S": 300,
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "planner_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "REMEMBER_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_CHECK_DEFAULT": False,  # checked in web.security for every change (and the API's session calls)
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": "translations",
    "SOLVE_TIME_LIMIT_S": 30,
    "PAGE_SIZE": 50,
    "REPORT_FOLDER": None,
}


def _secret_key(app: Flask) -> str:
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class DatabaseInt(IntegerConverter):
    """``<int:...>`` in URLs: a number too large for a database integer names no record (404), not a 500."""

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        if number > 2**63 - 1:
            raise NotFound()
        return number


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app (see the module docstring for the settings)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseInt  # before any route is added
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PLANNER")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    from web import db, i18n, labels, security
    from web.auth import init_auth

    db.init_app(app)
    labels.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    init_auth(app)

    from web import (
        accommodation,
        admin,
        api,
        competition,
        dashboard,
        lists,
        maps,
        plans,
        records,
        report,
        volunteers,
        workbook,
    )
    from web.auth import bp as auth_bp

    report.init_app(app)

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(records.bp)
    app.register_blueprint(workbook.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(lists.bp)
    app.register_blueprint(maps.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(accommodation.bp)
    app.register_blueprint(competition.bp)
    app.register_blueprint(volunteers.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    from web.commands import init_commands

    init_commands(app)
    return app
