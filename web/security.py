"""Security of every response: CSRF on every change, headers, login rate limit.

- CSRF: Flask-WTF checks every POST/PUT/PATCH/DELETE made with the session
  cookie (forms send the ``csrf_token`` field, scripts the ``X-CSRFToken``
  header). API calls authenticated with a bearer token carry no cookie and
  are not subject to CSRF.
- Headers: a Content Security Policy with no inline scripts (the map frame
  gets the hashes of its own inline scripts), no framing by other sites,
  no MIME sniffing, no referrer leaving the site.
- Login rate limit: failed sign-ins are counted per client address.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections import defaultdict, deque

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
    "frame-src": "'self'",
}
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

#: Flask-WTF's reasons for refusing a form (English only there), in the reader's language.
CSRF_WORDS = {
    "The CSRF token is missing.": _l("The form's security token is missing: reload the page and send it again."),
    "The CSRF session token is missing.": _l(
        "Your session has no security token (cookies off, or the session ended): reload the page and send it again."
    ),
    "The CSRF token has expired.": _l("The form's security token has expired: reload the page and send it again."),
    "The CSRF token is invalid.": _l("The form's security token is not valid: reload the page and send it again."),
    "The CSRF tokens do not match.": _l(
        "The form's security token belongs to another session: reload the page and send it again."
    ),
    "The referrer header is missing.": _l("The browser did not say which page sent the form: send it from this site."),
    "The referrer does not match the host.": _l("The form was sent from another site: send it from this site."),
}


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.extensions["planner.login_limiter"] = LoginLimiter(
        int(app.config["LOGIN_ATTEMPTS_PER_WINDOW"]), float(app.config["LOGIN_WINDOW_S"])
    )

    @app.before_request
    def check_csrf() -> None:
        # a request with a valid token acts as the token's user, never the session's (web.auth), so it is
        # no browser riding on a session cookie; any other change, a made-up token too, needs the CSRF token
        if request.method in UNSAFE_METHODS and not _valid_bearer_token():
            csrf.protect()

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        from web.errors import error_response

        words = CSRF_WORDS.get(str(exc.description))
        return error_response(400, str(words) if words is not None else exc.description)

    @app.after_request
    def headers(response):  # type: ignore[no-untyped-def]
        csp = dict(BASE_CSP)
        csp.update(g.get("csp_override", {}))
        response.headers.setdefault("Content-Security-Policy", "; ".join(f"{k} {v}" for k, v in csp.items()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype in ("text/html", "application/json") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"  # personal data: never cached
        return response

    from web.errors import init_errors

    init_errors(app)


def _valid_bearer_token() -> bool:
    token = bearer_token()
    if not token:
        return False
    from planner.users import user_by_token
    from web import db

    return user_by_token(db.session(), token) is not None


def bearer_token() -> str | None:
    """The API token of this request (``Authorization: Bearer ...``), if any."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def allow_inline_scripts_of(html_text: str) -> None:
    """Let this response run exactly its own inline scripts (by hash) and inline styles (the map frame)."""
    hashes = []
    for body in re.findall(r"<script>(.*?)</script>", html_text, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    g.csp_override = {
        "script-src": "'self' " + " ".join(hashes),
        "style-src": "'self' 'unsafe-inline'",  # Leaflet and folium position elements with inline styles
    }


class LoginLimiter:
    """Counts failed sign-ins per client address in a sliding window."""

    def __init__(self, attempts: int, window_s: float) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._trim(key, time.monotonic())) >= self.attempts

    def failed(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._trim(key, now).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
