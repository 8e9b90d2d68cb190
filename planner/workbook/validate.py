"""Cross-row and cross-file checks of a parsed workbook (FORMAT.md general rules)."""

from __future__ import annotations

from typing import Any

from planner.workbook.io import CellError, Workbook
from planner.workbook.schema import PLANNING_FILES


def validate_workbook(wb: Workbook, sources: dict[str, str]) -> list[CellError]:
    """Return every uniqueness, reference and consistency error of ``wb``."""
    errors: list[CellError] = []

    def err(file: str, index: int, column: str, message: str) -> None:
        errors.append(CellError(sources.get(file, file), wb.row_numbers[file][index], column, message))

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
                    f"duplicate {'/'.join(spec.key)} {shown!r} (first at row {wb.row_numbers[spec.name][first_at[key]]})",
                )
            else:
                first_at[key] = i

    ids = {f: {r["id"] for r in wb.rows(f) if r.get("id")} for f in ("delegations", "hotels", "venues", "vehicles")}
    # a place names exactly one thing
    for a, b in (("hotels", "venues"), ("hotels", "vehicles"), ("venues", "vehicles")):
        for i, row in enumerate(wb.rows(b)):
            if row.get("id") in ids[a]:
                err(b, i, "id", f"id {row['id']!r} is already used in {a}; hotel, venue and vehicle ids must differ")

    def ref(file: str, column: str, target: str) -> None:
        for i, row in enumerate(wb.rows(file)):
            value = row.get(column)
            if value is None:
                continue
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                if v not in ids[target]:
                    err(file, i, column, f"{v!r} is not an id in {target}")

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
                    err(file, i, column, f"{v!r} is not the id of a {' or '.join(allowed)}")

    # row-level consistency
    for i, row in enumerate(wb.rows("event")):
        if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
            err("event", i, "end_date", "end_date is before start_date")
        tz = row.get("timezone")
        if tz:
            try:
                from zoneinfo import ZoneInfo

                ZoneInfo(tz)
            except (KeyError, ValueError, OSError):
                err("event", i, "timezone", f"unknown IANA time zone {tz!r}")
    delegation_dates = {}
    for i, row in enumerate(wb.rows("delegations")):
        a, d = row["arrival_date"], row["departure_date"]
        if a and d and d <= a:
            err("delegations", i, "departure_date", "departure_date must be after arrival_date (at least one night)")
        delegation_dates[row["id"]] = (a, d)
    for i, row in enumerate(wb.rows("people")):
        if row["role"] in ("athlete", "partner", "coach") and not row.get("sport"):
            err("people", i, "sport", f"sport is required for a {row['role']}")
        base = delegation_dates.get(row["delegation"], (None, None))
        a = row.get("arrival_date") or base[0]
        d = row.get("departure_date") or base[1]
        if a and d and d <= a:
            err("people", i, "departure_date", "departure_date must be after arrival_date (at least one night)")
        if row.get("needs") and len(set(row["needs"])) != len(row["needs"]):
            err("people", i, "needs", "a need is listed twice")
    for i, row in enumerate(wb.rows("sessions")):
        if row["start"] and row["end"] and row["end"] <= row["start"]:
            err("sessions", i, "end", "end must be after start on the same day")
        if (row.get("kind") or "competition") != "ceremony" and not row.get("sport"):
            err("sessions", i, "sport", "sport is required for a competition or training session")
    for i, row in enumerate(wb.rows("shifts")):
        if row["start"] and row["end"] and row["end"] <= row["start"]:
            err("shifts", i, "end", "end must be after start on the same day")
    for i, row in enumerate(wb.rows("volunteers")):
        if row["available_from"] and row["available_to"] and row["available_to"] < row["available_from"]:
            err("volunteers", i, "available_to", "available_to is before available_from")
    for i, row in enumerate(wb.rows("vehicles")):
        f, t = row.get("available_from"), row.get("available_to")
        if f and t and t <= f:
            err("vehicles", i, "available_to", "available_to must be after available_from")
        if (row.get("seats") or 0) + (row.get("wheelchair_places") or 0) == 0 and row.get("seats") is not None:
            err("vehicles", i, "seats", "a vehicle needs at least one seat or wheelchair place")
    for i, row in enumerate(wb.rows("travel_times")):
        if row.get("from") is not None and row.get("from") == row.get("to"):
            err("travel_times", i, "to", "from and to are the same place")
    from planner.workareas.validate import validate_workareas

    errors.extend(validate_workareas(wb, sources))
    return errors
