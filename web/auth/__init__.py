"""Signing in and out; who the current user is; permission checks for views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlmodel import Session

from planner.users import Actor, User, audit, authenticate, user_by_token
from web import db
from web.security import bearer_token

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


@dataclass
class LoginUser:
    """The signed-in user as the views see it (plain values, no database object)."""

    user_id: int
    username: str
    display_name: str
    role: str
    area: str | None
    hotels: tuple[str, ...]
    language: str | None
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return str(self.user_id)

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.area, self.hotels)

    @classmethod
    def of(cls, user: User) -> LoginUser:
        assert user.id is not None
        return cls(
            user.id,
            user.username,
            user.display_name or user.username,
            user.role,
            user.area,
            user.hotel_ids(),
            user.language,
        )


def _load_user(user_id: str) -> LoginUser | None:
    if bearer_token():
        return None  # a request that sends a token acts as the token's user (or as nobody), never the session's
    try:
        user = db.session().get(User, int(user_id))
    except ValueError:
        return None
    return LoginUser.of(user) if user is not None and user.active else None


def _load_from_request(req: Any) -> LoginUser | None:
    """API calls may authenticate with ``Authorization: Bearer <token>`` instead of the session."""
    token = bearer_token()
    if not token:
        return None
    user = user_by_token(db.session(), token)
    if user is None:
        return None
    g.token_auth = True
    return LoginUser.of(user)


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_from_request)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # type: ignore[assignment]
    login_manager.session_protection = "strong"

    @login_manager.unauthorized_handler
    def unauthorized():  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            from web.errors import error_response

            return error_response(401, "sign in or send Authorization: Bearer <token>")
        return redirect(url_for("auth.login"))

    @app.before_request
    def everything_needs_a_user():  # type: ignore[no-untyped-def]
        """Every page but sign-in, static files and the language switch needs a signed-in user."""
        if request.endpoint in (
            None,
            "static",
            "auth.login",
            "i18n.switch_language",
            "maps.leaflet_asset",
            "api.openapi",
        ):
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    app.jinja_env.globals.update(actor=lambda: current_user.actor if current_user.is_authenticated else None)


def actor() -> Actor:
    """The current user's permissions subject."""
    return current_user.actor  # type: ignore[no-any-return]


def require(check: Callable[[Actor], bool]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: 403 unless ``check(actor)`` holds."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(actor()):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def client_key() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    error = None
    status = 200
    limiter = current_app.extensions["planner.login_limiter"]
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if limiter.blocked(client_key()):
            error, status = _("Too many failed attempts. Wait a few minutes and try again."), 429
        else:
            s: Session = db.session()
            user = authenticate(s, username, password) if username and password else None
            if user is None:
                s.commit()  # keep the failure count
                limiter.failed(client_key())
                error, status = _("Wrong user name or password, or the account is locked."), 401
            else:
                audit(s, user, "login", "session")
                s.commit()
                limiter.reset(client_key())
                lang = session.get("lang")
                session.clear()  # a fresh session at sign-in (no fixation)
                if lang:
                    session["lang"] = lang
                session.permanent = True
                login_user(LoginUser.of(user))
                return redirect(url_for("dashboard.index"))
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
