"""Users, roles, permissions and the audit log of the web UI and the API.

No Flask here: the web layer asks this module who may do what, so the same
rules hold for pages, the JSON API and any later client.

Roles (DESIGN.md, issue 6):

- ``committee``: everything, including users and the audit log.
- ``area_lead``: reads everything that is not sensitive; changes and plans
  their own functional area (``User.area``: accommodation, competition,
  transport or volunteers).
- ``volunteer_coordinator``: volunteers, shifts and liaisons.
- ``hotel_liaison``: the rooming lists of their own hotels (``User.hotels``).
- ``viewer``: reads, changes nothing.

Medical and disability fields (``people.needs``) are shown only to roles that
need them (committee, the accommodation and transport leads, and hotel
liaisons for the guests of their own hotels); every view, change and export
of them is written to the :class:`AuditLog`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, select
from werkzeug.security import check_password_hash, generate_password_hash

from planner.workareas.schema import WORKAREA_FILES

ROLES: tuple[str, ...] = ("committee", "area_lead", "volunteer_coordinator", "hotel_liaison", "viewer")
AREAS: tuple[str, ...] = ("accommodation", "competition", "transport", "volunteers", "federation")

# Which functional area owns which workbook file (what an area lead may change).
FILE_AREAS: dict[str, str] = {
    "event": "competition",
    "delegations": "accommodation",
    "people": "accommodation",
    "hotels": "accommodation",
    "rooms": "accommodation",
    "venues": "competition",
    "sessions": "competition",
    "sports": "competition",
    "vehicles": "transport",
    "travel_times": "transport",
    "volunteers": "volunteers",
    "shifts": "volunteers",
    # the federation's year-round records belong to its own programme staff
    **{spec.name: "federation" for spec in WORKAREA_FILES},
}

# Planning kind -> the functional area that runs and accepts it.
KIND_AREAS: dict[str, str] = {"accommodation": "accommodation", "transport": "transport", "volunteers": "volunteers"}

# Medical and disability fields, per workbook file.
# Who received a rehabilitation service, a health check, medical insurance or a charity
# medical card is medical information about that person too.
SENSITIVE_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("needs",),
    "rehab_services": ("person",),
    "health_checks": ("person",),
    "medical_insurance": ("person",),
    "charity_medical_cards": ("holder",),
}

# Areas whose leads need the medical and disability fields to plan.
SENSITIVE_AREAS: tuple[str, ...] = ("accommodation", "transport")

MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 64
MAX_DISPLAY_NAME_LENGTH = 200
LOCKOUT_FAILURES = 5
LOCKOUT_DURATION = timedelta(minutes=15)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "special-olympics-2007"
"""The documented demo account (role committee), created only by :func:`ensure_demo_users`."""


def utc_now() -> datetime:
    """Now, as an aware UTC time (how the users and audit tables store times)."""
    return datetime.now(UTC)


class User(SQLModel, table=True):
    """A person who signs in to the web UI or calls the API."""

    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = ""
    password_hash: str
    role: str = Field(default="viewer", max_length=32)
    area: str | None = Field(default=None, max_length=32)  # for area_lead
    hotels: str | None = None  # for hotel_liaison: ';'-joined hotel ids
    active: bool = True
    language: str | None = Field(default=None, max_length=16)  # preferred UI language, e.g. zh_Hans
    api_token_hash: str | None = Field(default=None, index=True, max_length=64)
    failed_logins: int = 0
    locked_until: datetime | None = None
    created: datetime = Field(default_factory=utc_now)
    last_login: datetime | None = None

    def hotel_ids(self) -> tuple[str, ...]:
        """The hotels a hotel liaison looks after."""
        return tuple(h.strip() for h in (self.hotels or "").split(";") if h.strip())


class AuditLog(SQLModel, table=True):
    """Who viewed, changed or exported what, and when."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    username: str = Field(index=True, max_length=64)
    action: str = Field(max_length=16)  # view | change | export | import | accept | login
    entity: str = Field(max_length=64)  # workbook file, "plan", "users"...
    record: str | None = None  # the record's id or key (never names)
    fields: str | None = None  # ';'-joined field names involved
    sensitive: bool = Field(default=False, index=True)
    detail: str | None = None  # JSON


# ------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """A salted hash (werkzeug's default scrypt) of ``password``."""
    return generate_password_hash(password)


def username_problem(username: str) -> bool:
    """True when ``username`` is empty, longer than the column holds, or has spaces or control characters."""
    return (
        not username or len(username) > MAX_USERNAME_LENGTH or any(c.isspace() or not c.isprintable() for c in username)
    )


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or ``None``."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    return None


def role_fields_problem(role: str, area: str | None, hotels: list[str]) -> str | None:
    """Why an area or hotel list does not go with ``role``, or ``None``."""
    if role == "area_lead" and area is None:
        return "an area lead needs an area"
    if role != "area_lead" and area is not None:
        return "only an area lead has an area"
    if role == "hotel_liaison" and not hotels:
        return "a hotel liaison needs at least one hotel"
    if role != "hotel_liaison" and hotels:
        return "only a hotel liaison has hotels"
    return None


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str = "viewer",
    *,
    display_name: str = "",
    area: str | None = None,
    hotels: Iterable[str] = (),
) -> User:
    """Add a user (not committed).

    Raises:
        ValueError: unknown role or area, a weak password, or a taken username.
    """
    if username_problem(username):
        raise ValueError(f"a username is 1 to {MAX_USERNAME_LENGTH} characters, without spaces")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if area is not None and area not in AREAS:
        raise ValueError(f"unknown area {area!r}; areas: {', '.join(AREAS)}")
    role_problem = role_fields_problem(role, area, list(hotels))
    if role_problem:
        raise ValueError(role_problem)
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        raise ValueError(f"a display name is at most {MAX_DISPLAY_NAME_LENGTH} characters")
    problem = password_problem(password)
    if problem:
        raise ValueError(f"password too short: {problem}")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise ValueError(f"username {username!r} is taken")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        area=area,
        hotels=";".join(hotels) or None,
    )
    session.add(user)
    return user


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> User | None:
    """The active user with this name and password, or ``None``.

    Failed attempts are counted; after ``LOCKOUT_FAILURES`` the account is
    locked for ``LOCKOUT_DURATION`` (even a right password is refused then).
    The caller commits.
    """
    now = now or utc_now()
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        # same cost as a real check, so timing does not reveal which names exist
        check_password_hash(_DUMMY_HASH, password)
        return None
    if user.locked_until is not None and user.locked_until > now:
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= LOCKOUT_FAILURES:
            user.locked_until = now + LOCKOUT_DURATION
            user.failed_logins = 0
        session.add(user)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = now
    session.add(user)
    return user


_DUMMY_HASH = generate_password_hash("not a real password")


def new_api_token(user: User) -> str:
    """Give ``user`` a new API token; only its hash is stored. Returns the token (show it once)."""
    token = secrets.token_urlsafe(32)
    user.api_token_hash = token_hash(token)
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_by_token(session: Session, token: str) -> User | None:
    """The active user holding API token ``token``."""
    if not token:
        return None
    user = session.exec(select(User).where(User.api_token_hash == token_hash(token))).first()
    return user if user is not None and user.active else None


# ----------------------------------------------------------- permissions


@dataclass(frozen=True)
class Actor:
    """What the permission rules need to know about a user (also used by the job workers)."""

    username: str
    role: str
    area: str | None = None
    hotels: tuple[str, ...] = ()

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.username, user.role, user.area, user.hotel_ids())


def _actor(who: User | Actor) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def can_view(who: User | Actor, file: str) -> bool:
    """May ``who`` read records of workbook ``file``? (Hotel liaisons see only their rooming lists.)"""
    a = _actor(who)
    return a.role != "hotel_liaison"


def can_edit(who: User | Actor, file: str) -> bool:
    """May ``who`` add and change records of workbook ``file``?"""
    a = _actor(who)
    if a.role == "committee":
        return True
    if a.role == "area_lead":
        return FILE_AREAS.get(file) == a.area
    if a.role == "volunteer_coordinator":
        return file in ("volunteers", "shifts")
    return False


def can_plan(who: User | Actor, kind: str) -> bool:
    """May ``who`` start, stop and accept solves of planning ``kind``?"""
    a = _actor(who)
    if a.role == "committee":
        return True
    if a.role == "area_lead":
        return KIND_AREAS.get(kind) == a.area
    if a.role == "volunteer_coordinator":
        return kind == "volunteers"
    return False


def can_view_plan(who: User | Actor, kind: str) -> bool:
    """May ``who`` read the plans of ``kind`` (hotel liaisons: accommodation, for their hotels)."""
    a = _actor(who)
    if a.role == "hotel_liaison":
        return kind == "accommodation"
    return True


def can_import(who: User | Actor) -> bool:
    """Only the committee replaces the whole workbook."""
    return _actor(who).role == "committee"


def can_export(who: User | Actor) -> bool:
    """Downloading the whole workbook is for everyone but hotel liaisons."""
    return _actor(who).role != "hotel_liaison"


def can_admin(who: User | Actor) -> bool:
    """Users and the audit log."""
    return _actor(who).role == "committee"


def can_see_sensitive(who: User | Actor, hotel: str | None = None, file: str | None = None) -> bool:
    """May ``who`` see medical and disability fields (for a guest of ``hotel``, for liaisons)?

    With ``file`` given, the fields of the federation's own records (rehabilitation,
    health checks...) are for the committee and the federation's lead only.
    """
    a = _actor(who)
    if a.role == "committee":
        return True
    if file is not None and FILE_AREAS.get(file) == "federation":
        return a.role == "area_lead" and a.area == "federation"
    if a.role == "area_lead":
        return a.area in SENSITIVE_AREAS
    if a.role == "hotel_liaison":
        return hotel is not None and hotel in a.hotels
    return False


def sensitive_fields(file: str) -> tuple[str, ...]:
    """The medical and disability fields of workbook ``file``."""
    return SENSITIVE_FIELDS.get(file, ())


# ------------------------------------------------------------------ audit


def audit(
    session: Session,
    who: User | Actor | str,
    action: str,
    entity: str,
    record: str | None = None,
    fields: Iterable[str] = (),
    sensitive: bool = False,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Write one audit entry (not committed). ``record`` is an id, never a name."""
    username = who if isinstance(who, str) else who.username
    entry = AuditLog(
        username=username,
        action=action,
        entity=entity,
        record=record,
        fields=";".join(fields) or None,
        sensitive=sensitive,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
    )
    session.add(entry)
    return entry


def audit_entries(
    session: Session, *, sensitive_only: bool = False, username: str | None = None, limit: int = 500
) -> list[AuditLog]:
    """The newest audit entries first."""
    query = select(AuditLog)
    if sensitive_only:
        query = query.where(AuditLog.sensitive == True)  # noqa: E712
    if username:
        query = query.where(AuditLog.username == username)
    return list(session.exec(query.order_by(AuditLog.id.desc()).limit(limit)))  # type: ignore[union-attr]


# ------------------------------------------------------------ setting up


def ensure_tables(engine: Engine) -> None:
    """Create the users and audit tables if missing (tests of this module; the app uses the migrations)."""
    tables = [User.__table__, AuditLog.__table__]  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine, tables=tables)


def ensure_demo_users(session: Session) -> User:
    """Create the documented demo account (committee) if missing; returns it (not committed).

    The demo account is for trying the planner on the demo data; a real
    installation creates its own users and never runs this.
    """
    user = session.exec(select(User).where(User.username == DEMO_USERNAME)).first()
    if user is None:
        user = create_user(session, DEMO_USERNAME, DEMO_PASSWORD, "committee", display_name="Demo (committee)")
    return user
