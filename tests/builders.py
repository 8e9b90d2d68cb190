"""Small factories that build tiny workbooks, datasets and plan rows in code.

Tests describe only what matters to them and take the rest from a small,
valid default world (Shanghai, October 2007)::

    data = make_dataset(people=[person_row("P1"), person_row("P2", gender="M")])
    plan = Plan(rooming=[rooming_row(data, "P1", "H01", "101")])

Row factories return dicts of *typed* values, exactly as
:func:`planner.workbook.io.read_workbook` would produce them: dates, times,
tuples for lists, ``None`` for empty cells. They accept ISO strings for
dates (``"2007-10-03"``), ``"HH:MM"`` for times, ``"YYYY-MM-DD HH:MM"`` for
date-times and ``"a;b"`` for lists, to keep tests short.

The default world (every table can be replaced through ``make_workbook``):

- event ``SH2007``, 2007-10-02 .. 2007-10-11, arrival buffer 30 min, max ride 60 min
- delegations ``VEN`` (es;en) and ``CHN`` (zh), both 2007-10-01 .. 2007-10-05
- people ``P1`` (VEN, female athlete, athletics) and ``P2`` (VEN, female coach)
- hotels ``H01`` (approved) and ``H02`` (not approved), rooms ``H01/101``
  (2 beds, floor 1, accessible), ``H01/201`` (2 beds, floor 2), ``H01/301``
  (3 beds, floor 3), ``H02/101`` (2 beds, floor 1)
- venue ``V01`` (athletics); session ``S1`` at V01 on 2007-10-03 10:00-12:00
- vehicle ``B1`` (3 seats, 1 wheelchair place, 06:00-23:00)
- travel times of 20 minutes between every pair of H01, H02, V01 and B1's depot
- volunteers ``L1`` (zh;en, first_aid, 2007-10-01 .. 2007-10-11) and ``L2`` (es)
- shift ``F1`` at V01 on 2007-10-03 08:00-12:00, needing 1 with first_aid
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from planner.dataset import Dataset
from planner.workbook.io import Workbook, WorkbookRejected, parse_datetime, parse_time, split_list
from planner.workbook.schema import FILES, PLANNING_FILES
from planner.workbook.validate import validate_workbook

Row = dict[str, Any]

GAMES_DAY = date(2007, 10, 3)


# ------------------------------------------------------------ value helpers


def as_date(value: date | str | None) -> date | None:
    """A date from a date or an ISO string."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def as_time(value: time | str | None) -> time | None:
    """A time from a time or ``"HH:MM"``."""
    if value is None or isinstance(value, time):
        return value
    return parse_time(value)


def as_datetime(value: datetime | str | None, day: date | str | None = None) -> datetime | None:
    """A date-time from a datetime, ``"YYYY-MM-DD HH:MM"``, or ``"HH:MM"`` on ``day``."""
    if value is None or isinstance(value, datetime):
        return value
    if len(value.strip()) <= 5:
        return datetime.combine(as_date(day) or GAMES_DAY, parse_time(value))
    return parse_datetime(value)


def as_list(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """A tuple from a tuple/list or a ``;`` separated string (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, str):
        return split_list(value) or None
    return tuple(value) or None


def _row(file: str, values: dict[str, Any]) -> Row:
    """Every column of ``file`` (None when not given), then ``values``; unknown names are an error."""
    spec = FILES[file]
    unknown = [k for k in values if k not in spec.by_name and not k.startswith("x_")]
    if unknown:
        raise KeyError(f"{file} has no column {', '.join(unknown)}")
    row: Row = {c.name: None for c in spec.columns}
    for name, value in values.items():
        column = spec.by_name.get(name)
        kind = column.kind if column else "str"
        if kind == "date":
            value = as_date(value)
        elif kind == "time":
            value = as_time(value)
        elif kind == "datetime":
            value = as_datetime(value)
        elif kind in ("list", "langlist") or kind.startswith(("enumlist:", "reflist:")):
            value = as_list(value)
        row[name] = value
    return row


# ---------------------------------------------------------- planning rows


def event_row(**values: Any) -> Row:
    """The event row: SH2007, 2007-10-02 .. 2007-10-11 unless overridden."""
    base = {"id": "SH2007", "name": "Shanghai 2007", "start_date": "2007-10-02", "end_date": "2007-10-11"}
    return _row("event", {**base, **values})


def delegation_row(id: str = "VEN", languages: str | Iterable[str] = "es;en", **values: Any) -> Row:
    """A delegation staying 2007-10-01 .. 2007-10-05 unless overridden."""
    base = {
        "id": id,
        "name": id,
        "country": (id.upper() + "XXX")[:3],
        "languages": languages,
        "arrival_date": "2007-10-01",
        "departure_date": "2007-10-05",
    }
    return _row("delegations", {**base, **values})


def person_row(
    id: str,
    delegation: str = "VEN",
    role: str = "athlete",
    gender: str = "F",
    sport: str | None = "athletics",
    **values: Any,
) -> Row:
    """A delegation member; heads and staff get no sport unless one is given."""
    if role in ("head", "staff") and "sport" not in values and sport == "athletics":
        sport = None
    base = {
        "id": id,
        "delegation": delegation,
        "role": role,
        "family_name": "Family " + id,
        "given_name": "Given " + id,
        "gender": gender,
        "birth_date": "1990-01-01",
        "sport": sport,
    }
    return _row("people", {**base, **values})


def hotel_row(
    id: str = "H01", approved: bool = True, lat: float = 31.2000, lon: float = 121.4500, **values: Any
) -> Row:
    """A reception hotel in central Shanghai."""
    return _row("hotels", {"id": id, "name": "Hotel " + id, "lat": lat, "lon": lon, "approved": approved, **values})


def room_row(
    hotel: str = "H01", room: str = "101", beds: int = 2, floor: int = 1, accessible: bool = False, **values: Any
) -> Row:
    """A hotel room."""
    return _row(
        "rooms", {"hotel": hotel, "room": room, "floor": floor, "beds": beds, "accessible": accessible, **values}
    )


def venue_row(
    id: str = "V01",
    sports: str | Iterable[str] = "athletics",
    lat: float = 31.1830,
    lon: float = 121.4370,
    **values: Any,
) -> Row:
    """A competition venue."""
    return _row("venues", {"id": id, "name": "Venue " + id, "lat": lat, "lon": lon, "sports": sports, **values})


def session_row(
    id: str = "S1",
    venue: str = "V01",
    date: date | str = "2007-10-03",
    start: str = "10:00",
    end: str = "12:00",
    sport: str | None = "athletics",
    **values: Any,
) -> Row:
    """A competition session (kind, delegations optional)."""
    return _row(
        "sessions", {"id": id, "venue": venue, "date": date, "start": start, "end": end, "sport": sport, **values}
    )


def vehicle_row(
    id: str = "B1",
    seats: int = 3,
    wheelchair_places: int = 0,
    lat: float = 31.2100,
    lon: float = 121.4600,
    **values: Any,
) -> Row:
    """A vehicle with its depot."""
    return _row(
        "vehicles",
        {
            "id": id,
            "seats": seats,
            "wheelchair_places": wheelchair_places,
            "depot_lat": lat,
            "depot_lon": lon,
            **values,
        },
    )


def volunteer_row(
    id: str,
    languages: str | Iterable[str] = "zh;en",
    skills: str | Iterable[str] | None = None,
    available_from: date | str = "2007-10-01",
    available_to: date | str = "2007-10-11",
    **values: Any,
) -> Row:
    """A volunteer."""
    base = {
        "id": id,
        "family_name": "Family " + id,
        "given_name": "Given " + id,
        "languages": languages,
        "skills": skills,
        "available_from": available_from,
        "available_to": available_to,
    }
    return _row("volunteers", {**base, **values})


def shift_row(
    id: str,
    place: str = "V01",
    date: date | str = "2007-10-03",
    start: str = "08:00",
    end: str = "12:00",
    needed: int = 1,
    function: str = "venue_support",
    **values: Any,
) -> Row:
    """A volunteer shift (skills, languages optional)."""
    base = {"id": id, "place": place, "function": function, "date": date, "start": start, "end": end, "needed": needed}
    return _row("shifts", {**base, **values})


def travel_time_row(origin: str, destination: str, minutes: int) -> Row:
    """A travel_times.csv override (directed)."""
    return _row("travel_times", {"from": origin, "to": destination, "minutes": minutes})


def all_travel_times(places: Iterable[str], minutes: int) -> list[Row]:
    """The same travel time both ways between every pair of ``places``."""
    return [travel_time_row(a, b, minutes) for a, b in itertools.permutations(list(places), 2)]


def default_tables() -> dict[str, list[Row]]:
    """The small default world described in the module docstring (fresh copies)."""
    return {
        "event": [event_row()],
        "delegations": [delegation_row("VEN", "es;en"), delegation_row("CHN", "zh")],
        "people": [person_row("P1"), person_row("P2", role="coach")],
        "hotels": [hotel_row("H01"), hotel_row("H02", approved=False, lat=31.2200, lon=121.4800)],
        "rooms": [
            room_row("H01", "101", beds=2, floor=1, accessible=True),
            room_row("H01", "201", beds=2, floor=2),
            room_row("H01", "301", beds=3, floor=3),
            room_row("H02", "101", beds=2, floor=1),
        ],
        "venues": [venue_row("V01")],
        "sessions": [session_row("S1")],
        "vehicles": [vehicle_row("B1")],
        "volunteers": [
            volunteer_row("L1", "zh;en", "first_aid"),
            volunteer_row("L2", "es"),
        ],
        "shifts": [shift_row("F1", skills="first_aid")],
        "travel_times": all_travel_times(["H01", "H02", "V01", "B1"], 20),
    }


def make_workbook(validate: bool = True, **overrides: Any) -> Workbook:
    """A parsed workbook: the default world with whole tables replaced.

    Args:
        validate: run the workbook's cross-file validation and raise
            :class:`WorkbookRejected` if the built data is not a valid workbook.
        **overrides: ``table=[rows]`` replaces a table, ``table=None`` drops the
            file, ``event={...}`` updates the single event row.
    """
    tables = default_tables()
    for name, value in overrides.items():
        if name not in FILES or FILES[name].plan:
            raise KeyError(f"no planning file named {name!r}")
        if value is None:
            tables.pop(name, None)
        elif name == "event" and isinstance(value, dict):
            tables["event"] = [event_row(**{**{k: v for k, v in tables["event"][0].items() if v is not None}, **value})]
        else:
            tables[name] = list(value)
    wb = Workbook()
    for spec in PLANNING_FILES:
        if spec.name in tables:
            wb.tables[spec.name] = tables[spec.name]
            wb.row_numbers[spec.name] = list(range(2, len(tables[spec.name]) + 2))
            wb.extra_columns[spec.name] = []
    if validate:
        errors = validate_workbook(wb, {})
        if errors:
            raise WorkbookRejected(errors)
    return wb


def make_dataset(validate: bool = True, **overrides: Any) -> Dataset:
    """A :class:`Dataset` of ``make_workbook(**overrides)``."""
    return Dataset.from_workbook(make_workbook(validate=validate, **overrides))


# --------------------------------------------------------------- plan rows


def rooming_row(data: Dataset, person: str, hotel: str, room: str, **values: Any) -> Row:
    """A rooming row with the person's resolved arrival and departure dates."""
    p = data.people[person]
    row = {"person": person, "hotel": hotel, "room": room, "check_in": p.arrival_date, "check_out": p.departure_date}
    return _row("rooming", {**row, **values})


def stop_row(
    vehicle: str,
    trip: str,
    seq: int,
    place: str,
    arrive: datetime | str | None = None,
    depart: datetime | str | None = None,
    session: str | None = None,
    day: date | str = GAMES_DAY,
) -> Row:
    """A transport stop; ``arrive``/``depart`` may be ``"HH:MM"`` on ``day``."""
    return _row(
        "transport",
        {
            "vehicle": vehicle,
            "trip": trip,
            "seq": seq,
            "place": place,
            "arrive": as_datetime(arrive, day),
            "depart": as_datetime(depart, day),
            "session": session,
        },
    )


def manifest_row(vehicle: str, trip: str, person: str, board_seq: int, alight_seq: int) -> Row:
    """A passenger on a trip."""
    return _row(
        "manifest",
        {"vehicle": vehicle, "trip": trip, "person": person, "board_seq": board_seq, "alight_seq": alight_seq},
    )


def roster_row(volunteer: str, shift: str) -> Row:
    """A volunteer on a shift."""
    return _row("roster", {"volunteer": volunteer, "shift": shift})


def liaison_row(volunteer: str, delegation: str) -> Row:
    """A delegation's liaison."""
    return _row("liaisons", {"volunteer": volunteer, "delegation": delegation})


def unassigned_row(kind: str, id: str, reason: str = "nothing suitable left") -> Row:
    """Something the plan could not serve."""
    return _row("unassigned", {"kind": kind, "id": id, "reason": reason})
