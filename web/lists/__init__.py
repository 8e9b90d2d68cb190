"""Printable lists from the accepted plans: rooming lists, vehicle timetables and manifests, rosters, itineraries.

Hotel liaisons see the rooming lists of their own hotels only. Medical and
disability needs appear only for roles that need them, and each such view is
audited.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from planner.dataset import Dataset
from planner.plan import Plan
from planner.services.planning import accepted_plan
from planner.services.workbook import NoEventData, load_dataset
from planner.users import audit, can_see_sensitive, can_view_plan, sensitive_fields
from web import db
from web.auth import actor

bp = Blueprint("lists", __name__, url_prefix="/lists")


def _data_and_plan() -> tuple[Dataset, Plan]:
    s = db.session()
    try:
        data = load_dataset(s)
    except NoEventData:
        abort(404)
    return data, accepted_plan(s)


def _may(kind: str) -> None:
    if not can_view_plan(actor(), kind):
        abort(403)


def _hotels_for_user(data: Dataset) -> list[Any]:
    who = actor()
    hotels = sorted(data.hotels.values(), key=lambda h: h.id)
    if who.role == "hotel_liaison":
        hotels = [h for h in hotels if h.id in who.hotels]
    return hotels


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    try:
        data = load_dataset(s)
    except NoEventData:
        return render_template("dashboard/empty.html")
    plan = accepted_plan(s)
    who = actor()
    used_hotels = {r["hotel"] for r in plan.rooming}
    hotels = [h for h in _hotels_for_user(data) if h.id in used_hotels]
    liaison = who.role == "hotel_liaison"
    vehicles = [] if liaison else sorted({r["vehicle"] for r in plan.transport})
    days = [] if liaison else sorted({data.shifts[r["shift"]].date for r in plan.roster if r["shift"] in data.shifts})
    delegations = [] if liaison else sorted(data.delegations.values(), key=lambda d: d.id)
    return render_template("lists/index.html", hotels=hotels, vehicles=vehicles, days=days, delegations=delegations)


def _person_name(data: Dataset, pid: str) -> str:
    p = data.people.get(pid)
    return f"{p.family_name} {p.given_name}" if p else pid


@bp.get("/rooming/<hotel_id>")
def rooming(hotel_id: str):  # type: ignore[no-untyped-def]
    _may("accommodation")
    data, plan = _data_and_plan()
    if hotel_id not in {h.id for h in _hotels_for_user(data)}:
        abort(403 if hotel_id in data.hotels else 404)
    hotel = data.hotels[hotel_id]
    show_needs = can_see_sensitive(actor(), hotel_id)
    rooms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in plan.rooming:
        if r["hotel"] != hotel_id:
            continue
        p = data.people.get(r["person"])
        rooms[r["room"]].append(
            {
                "person": r["person"],
                "name": _person_name(data, r["person"]),
                "delegation": p.delegation if p else "",
                "role": p.role if p else "",
                "gender": p.gender if p else "",
                "needs": ", ".join(sorted(p.needs)) if p and show_needs else "",
                "check_in": r["check_in"],
                "check_out": r["check_out"],
            }
        )
    room_info = {rm.room: rm for rm in data.rooms if rm.hotel == hotel_id}
    if show_needs and rooms:
        s = db.session()
        audit(
            s,
            actor(),
            "view",
            "people",
            None,
            sensitive_fields("people"),
            sensitive=True,
            detail={"rooming_list": hotel_id},
        )
        s.commit()
    ordered = sorted(rooms.items(), key=lambda kv: (room_info[kv[0]].floor if kv[0] in room_info else 0, kv[0]))
    return render_template("lists/rooming.html", hotel=hotel, rooms=ordered, room_info=room_info, show_needs=show_needs)


def _fmt(t: Any) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def _place_name(data: Dataset, place: str) -> str:
    if place in data.hotels:
        return data.hotels[place].name
    if place in data.venues:
        return data.venues[place].name
    if place in data.vehicles:
        return "depot"
    return place


@bp.get("/vehicles/<vehicle_id>")
def vehicle(vehicle_id: str):  # type: ignore[no-untyped-def]
    _may("transport")
    data, plan = _data_and_plan()
    stops = [r for r in plan.transport if r["vehicle"] == vehicle_id]
    if not stops and vehicle_id not in data.vehicles:
        abort(404)
    trips: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sorted(stops, key=lambda r: (r["trip"], r["seq"])):
        trips[r["trip"]].append(
            {
                **r,
                "place_name": _place_name(data, r["place"]),
                "arrive": _fmt(r.get("arrive")),
                "depart": _fmt(r.get("depart")),
            }
        )
    riders: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in plan.manifest:
        if m["vehicle"] == vehicle_id:
            p = data.people.get(m["person"])
            riders[m["trip"]].append(
                {
                    "person": m["person"],
                    "name": _person_name(data, m["person"]),
                    "delegation": p.delegation if p else "",
                    "board_seq": m["board_seq"],
                    "alight_seq": m["alight_seq"],
                }
            )
    return render_template(
        "lists/vehicle.html",
        vehicle=data.vehicles.get(vehicle_id),
        vehicle_id=vehicle_id,
        trips=sorted(trips.items()),
        riders=riders,
    )


@bp.get("/rosters/<day>")
def roster(day: str):  # type: ignore[no-untyped-def]
    _may("volunteers")
    data, plan = _data_and_plan()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    by_shift: dict[str, list[str]] = defaultdict(list)
    for r in plan.roster:
        by_shift[r["shift"]].append(r["volunteer"])
    shifts = sorted((s for s in data.shifts.values() if s.date == when), key=lambda s: (s.start_min, s.place, s.id))
    rows = []
    for sh in shifts:
        people = [
            {
                "id": v,
                "name": f"{data.volunteers[v].family_name} {data.volunteers[v].given_name}"
                if v in data.volunteers
                else v,
            }
            for v in sorted(by_shift.get(sh.id, []))
        ]
        rows.append({"shift": sh, "place": _place_name(data, sh.place), "volunteers": people})
    return render_template("lists/roster.html", day=when, rows=rows)


@bp.get("/itineraries/<delegation_id>")
def itinerary(delegation_id: str):  # type: ignore[no-untyped-def]
    if actor().role == "hotel_liaison":
        abort(403)
    data, plan = _data_and_plan()
    d = data.delegations.get(delegation_id)
    if d is None:
        abort(404)
    members = {p.id for p in data.people_by_delegation.get(delegation_id, [])}
    beds = sorted(
        ({"name": _person_name(data, r["person"]), **r} for r in plan.rooming if r["person"] in members),
        key=lambda r: (r["hotel"], r["room"], r["name"]),
    )
    stops = {(r["vehicle"], r["trip"], r["seq"]): r for r in plan.transport}
    rides: dict[tuple[str, str], dict[str, Any]] = {}
    for m in plan.manifest:
        if m["person"] not in members:
            continue
        key = (m["vehicle"], m["trip"])
        board = stops.get((m["vehicle"], m["trip"], m["board_seq"]))
        alight = stops.get((m["vehicle"], m["trip"], m["alight_seq"]))
        ride = rides.setdefault(
            key,
            {
                "vehicle": m["vehicle"],
                "trip": m["trip"],
                "from": _place_name(data, board["place"]) if board else "",
                "depart": (board.get("depart") or board.get("arrive")) if board else None,
                "to": _place_name(data, alight["place"]) if alight else "",
                "arrive": (alight.get("arrive") or alight.get("depart")) if alight else None,
                "session": (board or {}).get("session") or (alight or {}).get("session") or "",
                "riders": 0,
            },
        )
        ride["riders"] += 1
    ordered = sorted(rides.values(), key=lambda r: (r["depart"] or r["arrive"] or date.min, r["vehicle"]))
    for r in ordered:
        r["depart"], r["arrive"] = _fmt(r["depart"]), _fmt(r["arrive"])
    liaisons = [r["volunteer"] for r in plan.liaisons if r["delegation"] == delegation_id]
    liaison_names = [
        f"{data.volunteers[v].family_name} {data.volunteers[v].given_name}" if v in data.volunteers else v
        for v in liaisons
    ]
    return render_template("lists/itinerary.html", delegation=d, beds=beds, rides=ordered, liaisons=liaison_names)


# ------------------------------------------------------- roster downloads

ROSTER_LANGS = ("en", "zh-Hans")
ROSTER_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}


def _roster_lang() -> str:
    lang = request.args.get("lang", "en")
    if lang not in ROSTER_LANGS:
        abort(404)
    return lang


@bp.get("/rosters.<fmt>")
def roster_download(fmt: str):  # type: ignore[no-untyped-def]
    """The whole accepted roster (and liaisons) as CSV, XLSX or a printable HTML page, in English or Chinese."""
    from planner.volunteer_lists import roster_html, write_roster_csv, write_roster_xlsx

    _may("volunteers")
    if actor().role == "hotel_liaison" or fmt not in ROSTER_FORMATS:
        abort(404 if fmt not in ROSTER_FORMATS else 403)
    lang = _roster_lang()
    data, plan = _data_and_plan()
    s = db.session()
    audit(s, actor(), "export", "roster", None, detail={"format": fmt, "lang": lang})
    s.commit()
    name = f"roster-{data.event.id}-{lang}.{fmt}"
    if fmt == "html":
        response = Response(roster_html(data, plan, lang), mimetype="text/html")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["Cache-Control"] = "no-store"
        return response
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        (write_roster_csv if fmt == "csv" else write_roster_xlsx)(data, plan, path, lang)
        body = path.read_bytes()
    response = Response(body, mimetype=ROSTER_FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # names of people
    return response


@bp.get("/calendars/<volunteer_id>.ics")
def volunteer_calendar(volunteer_id: str):  # type: ignore[no-untyped-def]
    """A volunteer's shifts and liaison duty as an iCalendar file."""
    from planner.volunteer_lists import volunteer_calendar as calendar_text

    _may("volunteers")
    if actor().role == "hotel_liaison":
        abort(403)
    lang = _roster_lang()
    data, plan = _data_and_plan()
    if volunteer_id not in data.volunteers:
        abort(404)
    s = db.session()
    audit(s, actor(), "export", "calendar", volunteer_id, detail={"lang": lang})
    s.commit()
    response = Response(calendar_text(data, plan, volunteer_id, lang), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{volunteer_id}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
