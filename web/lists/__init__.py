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
from flask_babel import gettext as _

from planner.dataset import Dataset
from planner.listing import LANGS
from planner.plan import Plan
from planner.services.planning import accepted_plan
from planner.services.workbook import NoEventData, load_dataset
from planner.users import audit, can_see_sensitive, can_view_plan, sensitive_fields
from web import db
from web.auth import actor
from web.i18n import html_lang, planner_text

bp = Blueprint("lists", __name__, url_prefix="/lists")

#: Languages of the rooming lists, rosters and calendars: English, Simplified and Traditional Chinese.
LIST_LANGS = LANGS


def _transport_langs() -> tuple[str, ...]:
    """The languages the transport lists are written in (their own module says)."""
    from planner.transport_lists import LANGS as transport_langs

    return tuple(transport_langs)


@bp.context_processor
def _list_languages() -> dict[str, Any]:
    return {"transport_langs": _transport_langs()}


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
    return render_template(
        "lists/index.html",
        hotels=hotels,
        vehicles=vehicles,
        days=days,
        delegations=delegations,
        may_read_manifests=can_see_sensitive(who),
    )


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
    """A hotel's or venue's name in the page's language (its Chinese name on a Chinese page), or "depot"."""
    chinese = html_lang() != "en"
    if place in data.hotels:
        hotel = data.hotels[place]
        return hotel.name_zh if chinese and hotel.name_zh else hotel.name
    if place in data.venues:
        venue = data.venues[place]
        return venue.name_zh if chinese and venue.name_zh else venue.name
    if place in data.vehicles:
        return _("Depot")
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
        may_read_manifests=can_see_sensitive(actor()),
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

ROSTER_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}


def _roster_lang() -> str:
    lang = request.args.get("lang", "en")
    if lang not in LIST_LANGS:
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


# ------------------------------------------------------ rooming downloads


def _download(body: bytes | str, fmt: str, name: str) -> Response:
    response = Response(body, mimetype=ROSTER_FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # names of people (and needs, for some roles)
    return response


def rooming_file(data: Dataset, plan: Plan, by: str, key: str | None, fmt: str, lang: str, show_needs: bool) -> bytes:
    """A rooming list file (``key``: one hotel or delegation; ``None``: every one in ``plan``).

    Why someone has no bed is written in the list's language.
    """
    from planner.rooming_lists import rooming_html, write_rooming_csv, write_rooming_xlsx

    def reasons(text: str) -> str:
        return planner_text(text, lang)

    if fmt == "html":
        return rooming_html(data, plan, by, lang, show_needs, only=key, reasons=reasons).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        if fmt == "xlsx":
            target = Path(folder) / "rooming.xlsx"
            return write_rooming_xlsx(data, plan, target, by, lang, show_needs, reasons).read_bytes()
        written = write_rooming_csv(data, plan, folder, by, lang, show_needs, reasons)
        if len(written) != 1:  # the plan was cut to one hotel or delegation before
            abort(404)
        return written[0].read_bytes()


def _audit_rooming(by: str, key: str | None, fmt: str, lang: str, show_needs: bool) -> None:
    s = db.session()
    audit(
        s,
        actor(),
        "export",
        "rooming",
        key,
        sensitive_fields("people") if show_needs else (),
        sensitive=show_needs,
        detail={"by": by, "format": fmt, "lang": lang},
    )
    s.commit()


def _list_args(fmt: str, langs: tuple[str, ...] = LIST_LANGS) -> str:
    lang = request.args.get("lang", "en")
    if fmt not in ROSTER_FORMATS or lang not in langs:
        abort(404)
    return lang


# the formats are spelled out: ids may hold a dot, and "/rooming/regal.east" is that hotel's page
@bp.get("/rooming/<hotel_id>.<any(csv, xlsx, html):fmt>")
def rooming_download(hotel_id: str, fmt: str):  # type: ignore[no-untyped-def]
    """One hotel's rooming list as CSV, XLSX or HTML (hotel liaisons: their own hotels)."""
    _may("accommodation")
    lang = _list_args(fmt)
    data, plan = _data_and_plan()
    if hotel_id not in {h.id for h in _hotels_for_user(data)}:
        abort(403 if hotel_id in data.hotels else 404)
    show_needs = can_see_sensitive(actor(), hotel_id)
    mine = Plan(rooming=[r for r in plan.rooming if r["hotel"] == hotel_id])
    if not mine.rooming:
        abort(404)
    body = rooming_file(data, mine, "hotel", hotel_id, fmt, lang, show_needs)
    _audit_rooming("hotel", hotel_id, fmt, lang, show_needs)
    return _download(body, fmt, f"rooming-{hotel_id}-{lang}.{fmt}")


@bp.get("/rooming-by-delegation/<delegation_id>.<fmt>")
def delegation_rooming_download(delegation_id: str, fmt: str):  # type: ignore[no-untyped-def]
    """A delegation's rooming list (with its members who have no bed, and why)."""
    _may("accommodation")
    if actor().role == "hotel_liaison":
        abort(403)
    lang = _list_args(fmt)
    data, plan = _data_and_plan()
    if delegation_id not in data.delegations:
        abort(404)
    members = {p.id for p in data.people_by_delegation.get(delegation_id, [])}
    mine = Plan(
        rooming=[r for r in plan.rooming if r["person"] in members],
        unassigned=[u for u in plan.unassigned if u.get("kind") == "bed" and u.get("id") in members],
    )
    if not mine.rooming and not mine.unassigned:
        abort(404)
    show_needs = can_see_sensitive(actor())
    body = rooming_file(data, mine, "delegation", delegation_id, fmt, lang, show_needs)
    _audit_rooming("delegation", delegation_id, fmt, lang, show_needs)
    return _download(body, fmt, f"rooming-{delegation_id}-{lang}.{fmt}")


@bp.get("/rooming-all-<by>.<fmt>")
def all_rooming_download(by: str, fmt: str):  # type: ignore[no-untyped-def]
    """Every rooming list the user may see, one workbook sheet (or HTML page section) per hotel or delegation."""
    _may("accommodation")
    if by not in ("hotel", "delegation") or fmt not in ("xlsx", "html"):
        abort(404)
    lang = _list_args(fmt)
    who = actor()
    if by == "delegation" and who.role == "hotel_liaison":
        abort(403)
    data, plan = _data_and_plan()
    if who.role == "hotel_liaison":
        plan = Plan(rooming=[r for r in plan.rooming if r["hotel"] in who.hotels])
        show_needs = bool(plan.rooming)  # a liaison sees the needs of their own guests only
    else:
        plan = Plan(rooming=plan.rooming, unassigned=[u for u in plan.unassigned if u.get("kind") == "bed"])
        show_needs = can_see_sensitive(who)
    body = rooming_file(data, plan, by, None, fmt, lang, show_needs)
    _audit_rooming(by, None, fmt, lang, show_needs)
    return _download(body, fmt, f"rooming-by-{by}-{lang}.{fmt}")


# ----------------------------------------------------- transport downloads

TRANSPORT_KINDS = ("timetable", "manifest", "itinerary", "overview")


def transport_file(data: Dataset, plan: Plan, kind: str, fmt: str, lang: str, only: str | None = None) -> bytes:
    """A transport list file (:mod:`planner.transport_lists`) of ``plan``; CSV only for one table.

    Why someone has no ride is written in the list's language where the planner's sentence is known.
    """
    from planner.transport_lists import transport_html, write_transport_csv, write_transport_xlsx

    def reasons(text: str) -> str:
        return planner_text(text, lang)

    if fmt == "html":
        return transport_html(data, plan, kind, lang, only=only, reasons=reasons).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        if fmt == "xlsx":
            target = Path(folder) / "transport.xlsx"
            return write_transport_xlsx(data, plan, target, kind, lang, reasons).read_bytes()
        written = write_transport_csv(data, plan, folder, kind, lang, reasons)
        if len(written) != 1:
            abort(404)
        return written[0].read_bytes()


def _may_read_manifests() -> None:
    """Manifests say who rides in a wheelchair place: only for roles that may see disability data."""
    if not can_see_sensitive(actor()):
        abort(403)


def _audit_transport(kind: str, key: str | None, fmt: str, lang: str) -> None:
    s = db.session()
    sensitive = kind == "manifest"
    audit(
        s,
        actor(),
        "export",
        "transport",
        key,
        ("wheelchair_place",) if sensitive else (),
        sensitive=sensitive,
        detail={"list": kind, "format": fmt, "lang": lang},
    )
    s.commit()


@bp.get("/transport-<kind>.<fmt>")
def transport_download(kind: str, fmt: str):  # type: ignore[no-untyped-def]
    """A whole transport list: timetables, manifests, itineraries or the hourly overview (XLSX or HTML)."""
    _may("transport")
    if actor().role == "hotel_liaison":
        abort(403)
    if kind not in TRANSPORT_KINDS or fmt not in ("xlsx", "html"):
        abort(404)
    if kind == "manifest":
        _may_read_manifests()
    lang = _list_args(fmt, _transport_langs())
    data, plan = _data_and_plan()
    body = transport_file(data, plan, kind, fmt, lang)
    _audit_transport(kind, None, fmt, lang)
    return _download(body, fmt, f"transport-{kind}-{lang}.{fmt}")


@bp.get("/vehicles/<vehicle_id>/<kind>.<fmt>")
def vehicle_download(vehicle_id: str, kind: str, fmt: str):  # type: ignore[no-untyped-def]
    """One vehicle's timetable (a table per day) or manifests (a table per trip), XLSX or HTML."""
    _may("transport")
    if kind not in ("timetable", "manifest") or fmt not in ("xlsx", "html"):
        abort(404)
    if kind == "manifest":
        _may_read_manifests()
    lang = _list_args(fmt, _transport_langs())
    data, plan = _data_and_plan()
    mine = Plan(
        transport=[r for r in plan.transport if r["vehicle"] == vehicle_id],
        manifest=[m for m in plan.manifest if m["vehicle"] == vehicle_id],
    )
    if not mine.transport:
        abort(404)
    body = transport_file(data, mine, kind, fmt, lang)
    _audit_transport(kind, vehicle_id, fmt, lang)
    return _download(body, fmt, f"{kind}-{vehicle_id}-{lang}.{fmt}")


@bp.get("/itineraries/<delegation_id>.<any(csv, xlsx, html):fmt>")
def itinerary_download(delegation_id: str, fmt: str):  # type: ignore[no-untyped-def]
    """A delegation's rides (and its members without a ride, and why) as CSV, XLSX or HTML."""
    if actor().role == "hotel_liaison":
        abort(403)
    lang = _list_args(fmt, _transport_langs())
    data, plan = _data_and_plan()
    if delegation_id not in data.delegations:
        abort(404)
    members = {p.id for p in data.people_by_delegation.get(delegation_id, [])}
    mine = Plan(
        transport=plan.transport,
        manifest=[m for m in plan.manifest if m["person"] in members],
        unassigned=[
            u for u in plan.unassigned if u.get("kind") == "ride" and str(u.get("id", "")).split(":")[0] in members
        ],
    )
    if not mine.manifest and not mine.unassigned:
        abort(404)
    body = transport_file(data, mine, "itinerary", fmt, lang, only=delegation_id)
    _audit_transport("itinerary", delegation_id, fmt, lang)
    return _download(body, fmt, f"itinerary-{delegation_id}-{lang}.{fmt}")
