"""Administration (committee): users and roles, the audit log. Every user: their own API token and password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from planner.messages import N_, NUMBER, Template
from planner.models import Hotel
from planner.users import (
    AREAS,
    ROLES,
    User,
    audit,
    audit_entries,
    can_admin,
    create_user,
    hash_password,
    new_api_token,
    password_problem,
    role_fields_problem,
)
from web import db
from web.auth import actor, require
from web.i18n import recognised_text

bp = Blueprint("admin", __name__, url_prefix="/admin")


#: Why a user cannot be added, as ``planner.users.create_user`` words it.
USER_ERRORS: tuple[Template, ...] = (
    Template(N_("unknown role %(role)s; roles: %(roles)s")),
    Template(N_("unknown area %(area)s; areas: %(areas)s")),
    Template(N_("an area lead needs an area")),
    Template(N_("only an area lead has an area")),
    Template(N_("a hotel liaison needs at least one hotel")),
    Template(N_("only a hotel liaison has hotels")),
    Template(N_("a display name is at most %(count)s characters"), count=NUMBER),
    Template(N_("password too short: at least %(count)s characters"), count=NUMBER),
    Template(N_("username %(username)s is taken")),
    Template(N_("a username is 1 to %(count)s characters, without spaces"), count=NUMBER),
)


def unknown_hotels(hotels: list[str]) -> str | None:
    """Why a hotel liaison's hotel list is wrong (ids that name no stored hotel), or ``None``."""
    if not hotels:
        return None
    known = set(db.session().exec(select(Hotel.id).where(Hotel.id.in_(hotels))))  # type: ignore[attr-defined]
    missing = [h for h in hotels if h not in known]
    if not missing:
        return None
    return _("Hotels: no hotel has the id %(ids)s.", ids=", ".join(missing))


@bp.get("/users")
@require(can_admin)
def users():  # type: ignore[no-untyped-def]
    rows = db.session().exec(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows, roles=ROLES, areas=AREAS, errors={}, form={})


@bp.post("/users")
@require(can_admin)
def add_user():  # type: ignore[no-untyped-def]
    s = db.session()
    form = request.form.to_dict()
    hotels = [h.strip() for h in form.get("hotels", "").split(";") if h.strip()]
    try:
        problem = unknown_hotels(hotels)
        if problem:
            raise ValueError(problem)
        user = create_user(
            s,
            form.get("username", "").strip(),
            form.get("password", ""),
            form.get("role", "viewer"),
            display_name=form.get("display_name", "").strip(),
            area=form.get("area") or None,
            hotels=hotels,
        )
    except ValueError as exc:
        rows = s.exec(select(User).order_by(User.username)).all()
        return render_template(
            "admin/users.html",
            users=rows,
            roles=ROLES,
            areas=AREAS,
            errors={"form": recognised_text(exc, USER_ERRORS)},
            form=form,
        ), 422
    audit(s, actor(), "change", "users", user.username, ["role"], detail={"role": user.role})
    s.commit()
    flash(_("User %(name)s added.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
@require(can_admin)
def update_user(user_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    user = s.get(User, user_id)
    if user is None:
        abort(404)
    role = request.form.get("role", user.role)
    area = request.form.get("area") or None
    if role not in ROLES or (area is not None and area not in AREAS):
        abort(400, _("Choose a known role; an area lead needs an area."))
    hotels = [h.strip() for h in request.form.get("hotels", "").split(";") if h.strip()]
    # the row's form still shows the area and hotels of the old role: the new role keeps only what it uses
    area = area if role == "area_lead" else None
    hotels = hotels if role == "hotel_liaison" else []
    problem = unknown_hotels(hotels) or role_fields_problem(role, area, hotels)
    if problem:
        abort(400, recognised_text(problem, USER_ERRORS))
    user.role, user.area = role, area
    user.hotels = ";".join(hotels) or None
    user.active = request.form.get("active") == "yes"
    if user.username == actor().username and (not user.active or role != "committee"):
        abort(400, _("You cannot remove your own administration rights."))
    s.add(user)
    audit(s, actor(), "change", "users", user.username, ["role", "area", "hotels", "active"])
    s.commit()
    flash(_("User %(name)s saved.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@require(can_admin)
def audit_log():  # type: ignore[no-untyped-def]
    sensitive_only = request.args.get("sensitive") == "1"
    entries = audit_entries(db.session(), sensitive_only=sensitive_only)
    return render_template("admin/audit.html", entries=entries, sensitive_only=sensitive_only)


@bp.route("/account", methods=["GET", "POST"])
def account():  # type: ignore[no-untyped-def]
    """Every user: change their password, get an API token (shown once)."""
    s = db.session()
    user = s.get(User, int(actor_id()))
    if user is None:
        abort(404)
    token = None
    error = None
    if request.method == "POST":
        if request.form.get("action") == "token":
            token = new_api_token(user)
            s.add(user)
            audit(s, actor(), "change", "users", user.username, ["api_token"])
            s.commit()
        elif request.form.get("action") == "password":
            from werkzeug.security import check_password_hash

            new = request.form.get("new_password", "")
            if not check_password_hash(user.password_hash, request.form.get("old_password", "")):
                error = _("The current password is wrong.")
            elif password_problem(new):
                error = _("The new password needs at least 10 characters.")
            else:
                user.password_hash = hash_password(new)
                s.add(user)
                audit(s, actor(), "change", "users", user.username, ["password"])
                s.commit()
                flash(_("Password changed."), "success")
    return render_template("admin/account.html", user=user, token=token, error=error), (422 if error else 200)


def actor_id() -> str:
    from flask_login import current_user

    return current_user.get_id()  # type: ignore[no-any-return]
