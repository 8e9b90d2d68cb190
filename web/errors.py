"""Error pages (HTML) and error bodies (JSON, for the API)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None):  # type: ignore[no-untyped-def]
    from flask_babel import gettext as _

    titles = {
        400: _("The request could not be used"),
        403: _("You may not do this"),
        404: _("Not found"),
        409: _("Someone else changed this"),
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }
    title = titles.get(status, _("Error"))
    if wants_json():
        return jsonify({"error": title, "message": message or title, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        return error_response(exc.code or 500, exc.description if exc.code not in (404, 500) else None)
