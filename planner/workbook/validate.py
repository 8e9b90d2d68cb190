"""Cross-row and cross-file checks of a parsed workbook (FORMAT.md general rules)."""

from __future__ import annotations

from typing import Any

from planner.messages import N_, NUMBER, Choice, Message, Template, words
from planner.workbook.io import CellError, Workbook
from planner.workbook.schema import PLANNING_FILES

# What a rejected workbook is told about its rows and files together (planner.messages templates).
DUPLICATE = Template(N_("duplicate %(key)s %(value)s (first at row %(row)s)"), row=NUMBER)
ID_USED_TWICE = Template(N_("id %(id)s is already used in %(file)s; hotel, venue and vehicle ids must differ"))
NOT_AN_ID_IN = Template(N_("%(value)s is not an id in %(file)s"))
NOT_A_PLACE: dict[tuple[str, ...], Template] = {
    ("hotel", "venue"): Template(N_("%(value)s is not the id of a hotel or venue")),
    ("hotel", "venue", "vehicle"): Template(N_("%(value)s is not the id of a hotel or venue or vehicle")),
}
END_BEFORE_START = Template(N_("end_date is before start_date"))
UNKNOWN_TIME_ZONE = Template(N_("unknown IANA time zone %(value)s"))
NO_NIGHT = Template(N_("departure_date must be after arrival_date (at least one night)"))
ROLES_WITH_SPORT = dict(
    zip(("athlete", "partner", "coach"), words(N_("athlete"), N_("partner"), N_("coach")), strict=True)
)
SPORT_REQUIRED = Template(N_("sport is required for a %(role)s"), role=Choice(*ROLES_WITH_SPORT.values()))
NEED_TWICE = Template(N_("a need is listed twice"))
END_NOT_AFTER_START = Template(N_("end must be after start on the same day"))
SESSION_SPORT_REQUIRED = Template(N_("sport is required for a competition or training session"))
AVAILABLE_TO_BEFORE = Template(N_("available_to is before available_from"))
AVAILABLE_TO_NOT_AFTER = Template(N_("available_to must be after available_from"))
NO_SEAT = Template(N_("a vehicle needs at least one seat or wheelchair place"))
SAME_PLACE = Template(N_("from and to are the same place"))

MESSAGES: tuple[Template, ...] = (
    DUPLICATE,
    ID_USED_TWICE,
    NOT_AN_ID_IN,
    *NOT_A_PLACE.values(),
    END_BEFORE_START,
    UNKNOWN_TIME_ZONE,
    NO_NIGHT,
    SPORT_REQUIRED,
    NEED_TWICE,
    END_NOT_AFTER_START,
    SESSION_SPORT_REQUIRED,
    AVAILABLE_TO_BEFORE,
    AVAILABLE_TO_NOT_AFTER,
    NO_SEAT,
    SAME_PLACE,
)
"""Every sentence of this module, for :func:`planner.messages.recognise`."""


def validate_workbook(wb: Workbook, sources: dict[str, str]) -> list[CellError]:
    """Return every uniqueness, reference and consistency error of ``wb``."""
    errors: list[CellError] = []

    def err(file: str, index: int, column: str, message: Message) -> None:
        errors.append(CellError.of(sources.get(file, file), wb.row_numbers[file][index], column, message))

    # unique keys within each file
    for spec in PLANNING_FILES:
        if spec.name not in wb.tables:
            continue
        first_at: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(wb.rows(spec.name)):
            key = tuple(row.get(k) for k in spec.key)
            if any(k is None for k in key):
                continue
            if spec.name == "sports":
                key = tuple(str(k).lower() for k in key)
            if key in first_at:
                shown = ", ".join(str(k) for k in key)
                err(
                    spec.name,
                    i,
                    spec.key[-1],
                    DUPLICATE(key="/".join(spec.key), value=repr(shown), row=wb.row_numbers[spec.name][first_at[key]]),
                )
            else:
                first_at[key] = i

    ids = {f: {r["id"] for r in wb.rows(f) if r.get("id")} for f in ("delegations", "hotels", "venues", "vehicles")}
    # a place names exactly one thing
    for a, b in (("hotels", "venues"), ("hotels", "vehicles"), ("venues", "vehicles")):
        for i, row in enumerate(wb.rows(b)):
            if row.get("id") in ids[a]:
                err(b, i, "id", ID_USED_TWICE(id=repr(row["id"]), file=a))

    def ref(file: str, column: str, target: str) -> None:
        for i, row in enumerate(wb.rows(file)):
            value = row.get(column)
            if value is None:
                continue
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                if v not in ids[target]:
                    err(file, i, column, NOT_AN_ID_IN(value=repr(v), file=target))

    ref("people", "delegation", "delegations")
    ref("rooms", "hotel", "hotels")
    ref("sessions", "venue", "venues")
    ref("sessions", "delegations", "delegations")

    places = {"hotel": ids["hotels"], "venue": ids["venues"], "vehicle": ids["vehicles"]}
    for file, columns, allowed in (
        ("shifts", ("place",), ("hotel", "venue")),
        ("travel_times", ("from", "to"), ("hotel", "venue", "vehicle")),
    ):
        pool = set().union(*(places[a] for a in allowed))
        for i, row in enumerate(wb.rows(file)):
            for column in columns:
                v = row.get(column)
                if v is not None and v not in pool:
                    err(file, i, column, NOT_A_PLACE[allowed](value=repr(v)))

    # row-level consistency
    for i, row in enumerate(wb.rows("event")):
        if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
            err("event", i, "end_date", END_BEFORE_START())
        tz = row.get("timezone")
        if tz:
            try:
                from zoneinfo import ZoneInfo

                ZoneInfo(tz)
            except (KeyError, ValueError, OSError):
                err("event", i, "timezone", UNKNOWN_TIME_ZONE(value=repr(tz)))
    delegation_dates = {}
    for i, row in enumerate(wb.rows("delegations")):
        a, d = row["arrival_date"], row["departure_date"]
        if a and d and d <= a:
            err("delegations", i, "departure_date", NO_NIGHT())
        delegation_dates[row["id"]] = (a, d)
    for i, row in enumerate(wb.rows("people")):
        if row["role"] in ("athlete", "partner", "coach") and not row.get("sport"):
            err("people", i, "sport", SPORT_REQUIRED(role=ROLES_WITH_SPORT[row["role"]]()))
        base = delegation_dates.get(row["delegation"], (None, None))
        a = row.get("arrival_date") or base[0]
        d = row.get("departure_date") or base[1]
        if a and d and d <= a:
            err("people", i, "departure_date", NO_NIGHT())
        if row.get("needs") and len(set(row["needs"])) != len(row["needs"]):
            err("people", i, "needs", NEED_TWICE())
    for i, row in enumerate(wb.rows("sessions")):
        if row["start"] and row["end"] and row["end"] <= row["start"]:
            err("sessions", i, "end", END_NOT_AFTER_START())
        if (row.get("kind") or "competition") != "ceremony" and not row.get("sport"):
            err("sessions", i, "sport", SESSION_SPORT_REQUIRED())
    for i, row in enumerate(wb.rows("shifts")):
        if row["start"] and row["end"] and row["end"] <= row["start"]:
            err("shifts", i, "end", END_NOT_AFTER_START())
    for i, row in enumerate(wb.rows("volunteers")):
        if row["available_from"] and row["available_to"] and row["available_to"] < row["available_from"]:
            err("volunteers", i, "available_to", AVAILABLE_TO_BEFORE())
    for i, row in enumerate(wb.rows("vehicles")):
        f, t = row.get("available_from"), row.get("available_to")
        if f and t and t <= f:
            err("vehicles", i, "available_to", AVAILABLE_TO_NOT_AFTER())
        if (row.get("seats") or 0) + (row.get("wheelchair_places") or 0) == 0 and row.get("seats") is not None:
            err("vehicles", i, "seats", NO_SEAT())
    for i, row in enumerate(wb.rows("travel_times")):
        if row.get("from") is not None and row.get("from") == row.get("to"):
            err("travel_times", i, "to", SAME_PLACE())
    from planner.workareas.validate import validate_workareas

    errors.extend(validate_workareas(wb, sources))
    return errors
