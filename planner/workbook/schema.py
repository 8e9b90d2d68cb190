"""The event workbook's files and columns, as FORMAT.md defines them.

This module is the single description of the import/export contract: the
reader, the writer, the database mapping and the fixtures all follow it.
A file is a :class:`FileSpec`, a column a :class:`Column` whose ``kind`` says
how a cell is parsed and written back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds. Each maps to a Python type in the parsed workbook:
#   str, id, ref:<file>  -> str
#   int                  -> int
#   float, lat, lon      -> float
#   money                -> decimal.Decimal
#   bool                 -> bool
#   date                 -> datetime.date
#   time                 -> datetime.time
#   datetime             -> datetime.datetime   ("YYYY-MM-DD HH:MM")
#   list                 -> tuple[str, ...]
#   enum:a|b|c           -> str (one of the values)
#   enumlist:a|b|c       -> tuple[str, ...] (each one of the values)
#   country              -> str, ISO 3166-1 alpha-3 (three capital letters)
#   langlist             -> tuple[str, ...] of ISO 639-1 codes (two letters)
#   reflist:<file>       -> tuple[str, ...] of ids of that file
#   place:<a>|<b>        -> str naming a hotel, venue or vehicle (its depot)


@dataclass(frozen=True)
class Column:
    """One column of a workbook file."""

    name: str
    kind: str = "str"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class FileSpec:
    """One file (CSV) or sheet (XLSX) of the workbook."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    required: bool = False
    single_row: bool = False
    plan: bool = False
    doc: str = ""
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self.by_name[name]


def _c(name: str, kind: str = "str", required: bool = False, **kw: object) -> Column:
    return Column(name, kind, required, **kw)  # type: ignore[arg-type]


ROLES = ("athlete", "partner", "coach", "head", "staff")
NEEDS = ("wheelchair", "accessible_room", "ground_floor", "medical")
SESSION_KINDS = ("competition", "training", "ceremony")
VEHICLE_KINDS = ("bus", "minibus", "accessible_van", "car")
DIETS = ("halal", "vegetarian")
UNASSIGNED_KINDS = ("bed", "ride", "shift", "liaison")

EVENT = FileSpec(
    "event",
    (
        _c("id", "id", True),
        _c("name", "str", True),
        _c("name_zh"),
        _c("start_date", "date", True),
        _c("end_date", "date", True),
        _c("timezone"),
        _c("speed_kmh", "float", minimum=1, maximum=200),
        _c("detour_factor", "float", minimum=1, maximum=5),
        _c("arrival_buffer_min", "int", minimum=0, maximum=600),
        _c("max_ride_min", "int", minimum=1, maximum=1440),
    ),
    required=True,
    single_row=True,
)

DELEGATIONS = FileSpec(
    "delegations",
    (
        _c("id", "id", True),
        _c("name", "str", True),
        _c("name_zh"),
        _c("country", "country", True),
        _c("languages", "langlist", True),
        _c("arrival_date", "date", True),
        _c("departure_date", "date", True),
        _c("diet", "enum:" + "|".join(DIETS)),
    ),
    required=True,
)

PEOPLE = FileSpec(
    "people",
    (
        _c("id", "id", True),
        _c("delegation", "ref:delegations", True),
        _c("role", "enum:" + "|".join(ROLES), True),
        _c("family_name", "str", True),
        _c("given_name", "str", True),
        _c("gender", "enum:F|M", True),
        _c("birth_date", "date", True),
        _c("sport"),
        _c("needs", "enumlist:" + "|".join(NEEDS)),
        _c("score", "float"),
        _c("arrival_date", "date"),
        _c("departure_date", "date"),
    ),
    required=True,
)

HOTELS = FileSpec(
    "hotels",
    (
        _c("id", "id", True),
        _c("name", "str", True),
        _c("lat", "lat", True),
        _c("lon", "lon", True),
        _c("name_zh"),
        _c("address"),
        _c("approved", "bool", True),
        _c("survey_score", "float", minimum=0, maximum=100),
        _c("cost_per_bed_night", "money", minimum=0),
        _c("halal_kitchen", "bool"),
    ),
    required=True,
)

ROOMS = FileSpec(
    "rooms",
    (
        _c("hotel", "ref:hotels", True),
        _c("room", "str", True),
        _c("floor", "int", True, minimum=-10, maximum=300),
        _c("beds", "int", True, minimum=1, maximum=6),
        _c("accessible", "bool"),
    ),
    key=("hotel", "room"),
    required=True,
)

VENUES = FileSpec(
    "venues",
    (
        _c("id", "id", True),
        _c("name", "str", True),
        _c("lat", "lat", True),
        _c("lon", "lon", True),
        _c("name_zh"),
        _c("sports", "list", True),
        _c("accessible", "bool"),
        _c("renovation_progress", "float", minimum=0, maximum=100),
    ),
)

SESSIONS = FileSpec(
    "sessions",
    (
        _c("id", "id", True),
        _c("venue", "ref:venues", True),
        _c("date", "date", True),
        _c("start", "time", True),
        _c("end", "time", True),
        _c("sport"),
        _c("kind", "enum:" + "|".join(SESSION_KINDS)),
        _c("delegations", "reflist:delegations"),
    ),
)

SPORTS = FileSpec(
    "sports",
    (
        _c("id", "id", True),
        _c("name", "str", True),
        _c("name_zh"),
        _c("division_spread_pct", "float", minimum=0, maximum=1000),
        _c("lower_is_better", "bool"),
    ),
)

VEHICLES = FileSpec(
    "vehicles",
    (
        _c("id", "id", True),
        _c("seats", "int", True, minimum=0, maximum=500),
        _c("depot_lat", "lat", True),
        _c("depot_lon", "lon", True),
        _c("kind", "enum:" + "|".join(VEHICLE_KINDS)),
        _c("wheelchair_places", "int", minimum=0, maximum=100),
        _c("available_from", "time"),
        _c("available_to", "time"),
    ),
)

VOLUNTEERS = FileSpec(
    "volunteers",
    (
        _c("id", "id", True),
        _c("family_name", "str", True),
        _c("given_name", "str", True),
        _c("gender", "enum:F|M"),
        _c("languages", "langlist", True),
        _c("skills", "list"),
        _c("available_from", "date", True),
        _c("available_to", "date", True),
        _c("max_hours_per_day", "float", minimum=0, maximum=24),
    ),
)

SHIFTS = FileSpec(
    "shifts",
    (
        _c("id", "id", True),
        _c("place", "place:hotel|venue", True),
        _c("function", "str", True),
        _c("date", "date", True),
        _c("start", "time", True),
        _c("end", "time", True),
        _c("needed", "int", True, minimum=0, maximum=100000),
        _c("skills", "list"),
        _c("languages", "langlist"),
    ),
)

TRAVEL_TIMES = FileSpec(
    "travel_times",
    (
        _c("from", "place:hotel|venue|vehicle", True),
        _c("to", "place:hotel|venue|vehicle", True),
        _c("minutes", "int", True, minimum=0, maximum=1440),
    ),
    key=("from", "to"),
)

# Files in the order they are read, written and loaded (references first).
PLANNING_FILES: tuple[FileSpec, ...] = (
    EVENT,
    DELEGATIONS,
    PEOPLE,
    HOTELS,
    ROOMS,
    VENUES,
    SESSIONS,
    SPORTS,
    VEHICLES,
    VOLUNTEERS,
    SHIFTS,
    TRAVEL_TIMES,
)

# ---------------------------------------------------------------- plan files

ROOMING = FileSpec(
    "rooming",
    (
        _c("person", "str", True),
        _c("hotel", "str", True),
        _c("room", "str", True),
        _c("check_in", "date", True),
        _c("check_out", "date", True),
    ),
    key=("person",),
    plan=True,
)

TRANSPORT = FileSpec(
    "transport",
    (
        _c("vehicle", "str", True),
        _c("trip", "str", True),
        _c("seq", "int", True, minimum=0),
        _c("place", "str", True),
        _c("arrive", "datetime"),
        _c("depart", "datetime"),
        _c("session"),
    ),
    key=("vehicle", "trip", "seq"),
    plan=True,
)

MANIFEST = FileSpec(
    "manifest",
    (
        _c("vehicle", "str", True),
        _c("trip", "str", True),
        _c("person", "str", True),
        _c("board_seq", "int", True, minimum=0),
        _c("alight_seq", "int", True, minimum=0),
    ),
    key=("vehicle", "trip", "person"),
    plan=True,
)

ROSTER = FileSpec(
    "roster",
    (_c("volunteer", "str", True), _c("shift", "str", True)),
    key=("volunteer", "shift"),
    plan=True,
)

LIAISONS = FileSpec(
    "liaisons",
    (_c("volunteer", "str", True), _c("delegation", "str", True)),
    key=("delegation",),
    plan=True,
)

UNASSIGNED = FileSpec(
    "unassigned",
    (
        _c("kind", "enum:" + "|".join(UNASSIGNED_KINDS), True),
        _c("id", "str", True),
        _c("reason", "str", True),
    ),
    key=("kind", "id"),
    plan=True,
)

PLAN_FILES: tuple[FileSpec, ...] = (ROOMING, TRANSPORT, MANIFEST, ROSTER, LIAISONS, UNASSIGNED)

FILES: dict[str, FileSpec] = {f.name: f for f in PLANNING_FILES + PLAN_FILES}
