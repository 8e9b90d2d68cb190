"""The database: one SQLModel table per workbook file, plus plan runs and their rows.

Workbook tables keep the workbook's own column names (``from``/``to`` of
travel times become ``from_place``/``to_place``), a ``seq`` that keeps the
file's row order for export, ``extra`` holding the ``x_`` columns as JSON, and
a ``version_id`` for optimistic locking (two people editing one record never
overwrite each other silently). Lists are stored as ``;``-joined text.

Plan rows refer to people, rooms, vehicles... by their workbook ids as plain
text, not foreign keys: a plan is a snapshot, and after a new name list is
imported the old plan must still be readable (the checker then says what no
longer fits).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import NaiveDatetime
from sqlalchemy import Column, ForeignKey, Integer, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    """Record timestamps are stored in UTC, time-zone aware."""
    return datetime.now(UTC)


def _version_column() -> Any:
    # DESIGN.md trap: version_id_col given as a string fails at the first save;
    # each table gets its own Column object, used in the field and the mapper args.
    return Column("version_id", Integer, nullable=False, default=1)


class WorkbookTable(SQLModel):
    """Columns every workbook-backed table has."""

    __workbook__: ClassVar[str]
    pk: int | None = Field(default=None, primary_key=True)
    seq: int = Field(default=0, index=True, description="row order in the workbook")
    extra: str | None = Field(default=None, description="x_ columns as JSON")


_v = _version_column()


class Event(WorkbookTable, table=True):
    __workbook__ = "event"
    __tablename__ = "event"
    id: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    start_date: date
    end_date: date
    timezone: str | None = None
    speed_kmh: float | None = None
    detour_factor: float | None = None
    arrival_buffer_min: int | None = None
    max_ride_min: int | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Delegation(WorkbookTable, table=True):
    __workbook__ = "delegations"
    __tablename__ = "delegations"
    id: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    country: str = Field(max_length=3)
    languages: str
    arrival_date: date
    departure_date: date
    diet: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Person(WorkbookTable, table=True):
    __workbook__ = "people"
    __tablename__ = "people"
    id: str = Field(unique=True, max_length=64)
    delegation: str = Field(foreign_key="delegations.id", index=True, max_length=64)
    role: str
    family_name: str
    given_name: str
    gender: str = Field(max_length=1)
    birth_date: date
    sport: str | None = None
    needs: str | None = None
    score: float | None = None
    arrival_date: date | None = None
    departure_date: date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Hotel(WorkbookTable, table=True):
    __workbook__ = "hotels"
    __tablename__ = "hotels"
    id: str = Field(unique=True, max_length=64)
    name: str
    lat: float
    lon: float
    name_zh: str | None = None
    address: str | None = None
    approved: bool
    survey_score: float | None = None
    cost_per_bed_night: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    halal_kitchen: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Room(WorkbookTable, table=True):
    __workbook__ = "rooms"
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("hotel", "room"),)
    hotel: str = Field(foreign_key="hotels.id", index=True, max_length=64)
    room: str
    floor: int
    beds: int
    accessible: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Venue(WorkbookTable, table=True):
    __workbook__ = "venues"
    __tablename__ = "venues"
    id: str = Field(unique=True, max_length=64)
    name: str
    lat: float
    lon: float
    name_zh: str | None = None
    sports: str
    accessible: bool | None = None
    renovation_progress: float | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class CompetitionSession(WorkbookTable, table=True):
    """A competition, training or ceremony session (``sessions.csv``)."""

    __tablename__ = "sessions"
    __workbook__ = "sessions"
    id: str = Field(unique=True, max_length=64)
    venue: str = Field(foreign_key="venues.id", index=True, max_length=64)
    date: date
    start: time
    end: time
    sport: str | None = None
    kind: str | None = None
    delegations: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Sport(WorkbookTable, table=True):
    __workbook__ = "sports"
    __tablename__ = "sports"
    id: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    division_spread_pct: float | None = None
    lower_is_better: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Vehicle(WorkbookTable, table=True):
    __workbook__ = "vehicles"
    __tablename__ = "vehicles"
    id: str = Field(unique=True, max_length=64)
    seats: int
    depot_lat: float
    depot_lon: float
    kind: str | None = None
    wheelchair_places: int | None = None
    available_from: time | None = None
    available_to: time | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Volunteer(WorkbookTable, table=True):
    __workbook__ = "volunteers"
    __tablename__ = "volunteers"
    id: str = Field(unique=True, max_length=64)
    family_name: str
    given_name: str
    gender: str | None = None
    languages: str
    skills: str | None = None
    available_from: date
    available_to: date
    max_hours_per_day: float | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Shift(WorkbookTable, table=True):
    __workbook__ = "shifts"
    __tablename__ = "shifts"
    id: str = Field(unique=True, max_length=64)
    place: str = Field(index=True, max_length=64)
    function: str
    date: date
    start: time
    end: time
    needed: int
    skills: str | None = None
    languages: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class TravelTime(WorkbookTable, table=True):
    __workbook__ = "travel_times"
    __tablename__ = "travel_times"
    __table_args__ = (UniqueConstraint("from_place", "to_place"),)
    from_place: str = Field(max_length=64)
    to_place: str = Field(max_length=64)
    minutes: int
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


del _v

# Workbook column -> model attribute, where they differ.
ATTRIBUTE_NAMES: dict[str, dict[str, str]] = {"travel_times": {"from": "from_place", "to": "to_place"}}

PLANNING_TABLES: dict[str, type[WorkbookTable]] = {
    cls.__workbook__: cls
    for cls in (
        Event,
        Delegation,
        Person,
        Hotel,
        Room,
        Venue,
        CompetitionSession,
        Sport,
        Vehicle,
        Volunteer,
        Shift,
        TravelTime,
    )
}


# ------------------------------------------------------------------- plans


class PlanRun(SQLModel, table=True):
    """One solve of one planning area. One accepted run per kind is the plan in force."""

    __tablename__ = "plan_runs"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)  # accommodation | transport | volunteers
    created: datetime = Field(default_factory=utc_now)
    # running | optimal | feasible | partial | infeasible | stopped | error | interrupted
    # (interrupted: the process running the solve stopped; see planner.services.planning.INTERRUPTED_AFTER_S)
    status: str = "running"
    accepted: bool = Field(default=False, index=True)
    objective: float | None = None
    bound: float | None = None
    solve_seconds: float | None = None
    created_by: str | None = None
    parameters: str | None = None  # JSON
    penalties: str | None = None  # JSON list of Penalty
    stats: str | None = None  # JSON
    messages: str | None = None  # JSON list of str
    moved: str | None = None  # JSON list of moves from the previous accepted plan
    check_ok: bool | None = None
    check_summary: str | None = None
    progress: str | None = None  # JSON of the latest Progress while running
    # while running: when the solve last said it is alive (written every few seconds by its own thread)
    heartbeat: datetime | None = None
    # JSON {person id: digest of what planning reads of them}, so a re-plan knows who changed
    input_digest: str | None = None


def _run_fk() -> Any:
    return Column(Integer, ForeignKey("plan_runs.id", ondelete="CASCADE"), index=True, nullable=False)


class RoomAssignment(SQLModel, table=True):
    __tablename__ = "plan_rooming"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    person: str
    hotel: str
    room: str
    check_in: date
    check_out: date


class TripStop(SQLModel, table=True):
    __tablename__ = "plan_transport"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    vehicle: str
    trip: str
    seq: int
    place: str
    # event-local wall-clock times, as in transport.csv
    arrive: NaiveDatetime | None = None
    depart: NaiveDatetime | None = None
    session: str | None = None


class ManifestEntry(SQLModel, table=True):
    __tablename__ = "plan_manifest"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    vehicle: str
    trip: str
    person: str
    board_seq: int
    alight_seq: int


class RosterEntry(SQLModel, table=True):
    __tablename__ = "plan_roster"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    volunteer: str
    shift: str


class LiaisonAssignment(SQLModel, table=True):
    __tablename__ = "plan_liaisons"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    volunteer: str
    delegation: str


class UnassignedEntry(SQLModel, table=True):
    __tablename__ = "plan_unassigned"
    pk: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=_run_fk())
    kind: str
    item: str  # the plan file's `id` column
    reason: str


# plan file -> (model, {file column: attribute})
PLAN_TABLES: dict[str, tuple[type[SQLModel], dict[str, str]]] = {
    "rooming": (RoomAssignment, {}),
    "transport": (TripStop, {}),
    "manifest": (ManifestEntry, {}),
    "roster": (RosterEntry, {}),
    "liaisons": (LiaisonAssignment, {}),
    "unassigned": (UnassignedEntry, {"id": "item"}),
}


# ------------------------------------------------------- operational records


class Pin(SQLModel, table=True):
    """An assignment fixed by hand: re-plans keep it."""

    __tablename__ = "pins"
    __table_args__ = (UniqueConstraint("person"),)
    pk: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64)
    hotel: str = Field(max_length=64)
    room: str
    note: str | None = None
    created: datetime = Field(default_factory=utc_now)
    created_by: str | None = None


class HotelSurvey(SQLModel, table=True):
    """The reception-hotel survey (摸底和評估) of one hotel; the latest one decides approval."""

    __tablename__ = "hotel_surveys"
    pk: int | None = Field(default=None, primary_key=True)
    hotel: str = Field(index=True, max_length=64)
    surveyed_on: date
    surveyor: str | None = None
    fire_safety: bool
    food_safety: bool
    security: bool
    accessibility: bool
    halal_kitchen: bool = False
    score: float = Field(ge=0, le=100)
    approved: bool
    notes: str | None = None


class ShiftAttendance(SQLModel, table=True):
    """Check-in/out of a volunteer on a shift, on the day."""

    __tablename__ = "shift_attendance"
    __table_args__ = (UniqueConstraint("volunteer", "shift"),)
    pk: int | None = Field(default=None, primary_key=True)
    volunteer: str = Field(max_length=64, index=True)
    shift: str = Field(max_length=64, index=True)
    checked_in: datetime | None = None
    checked_out: datetime | None = None
    hours_worked: float | None = None
    note: str | None = None


class ImportLog(SQLModel, table=True):
    """One successful import: what changed."""

    __tablename__ = "import_log"
    pk: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    source: str
    by: str | None = None
    summary: str  # JSON: per file new/updated/unchanged/removed
