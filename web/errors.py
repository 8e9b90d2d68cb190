"""Error pages (HTML) and error bodies (JSON, for the API)."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None):  # type: ignore[no-untyped-def]
    from flask_babel import gettext as _

    titles = {
        400: _("The request could not be used"),
        401: _("Sign in first"),
        403: _("You may not do this"),
        404: _("Not found"),
        405: _("This cannot be done at this address"),
        409: _("Someone else changed this"),
        413: _("The file is too large"),
        422: _("Some values are wrong"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }
    title = titles.get(status, _("Error"))
    if wants_json():
        return jsonify({"error": title, "message": message or title, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def field_errors(status: int, errors: dict[str, str]) -> Response:
    """A JSON error naming the wrong fields of an API request: ``{"error", "message", "errors": {field: text}}``.

    For :func:`flask.abort` (``abort(field_errors(400, {"page": ...}))``); the texts are already translated.
    """
    from flask_babel import gettext as _

    title = _("Some values are wrong") if status == 422 else _("The request could not be used")
    message = "; ".join(f"{k}: {v}" for k, v in errors.items())
    response = jsonify({"error": title, "message": message, "errors": errors, "status": status})
    response.status_code = status
    return response


def init_errors(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters() -> None:
        """A NUL character (a tampered form or URL) can be stored in no PostgreSQL text: say which field holds it."""
        from flask import abort
        from flask_babel import gettext as _

        for source in (request.args, request.form):
            for key, value in source.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    abort(
                        400,
                        _(
                            "The field %(field)s holds a NUL character (U+0000); remove it.",
                            field=key.replace("\x00", ""),
                        ),
                    )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        return error_response(exc.code or 500, exc.description if exc.code not in (404, 500) else None)
