"""Volunteer coordinators' daily work: check-in and check-out, who has not arrived, hours, shift patterns.

- ``/volunteers/``: a day of the accepted roster; check each volunteer in
  and out of their shift (:func:`planner.services.attendance.check_in` /
  ``check_out``), the volunteers whose shift has started and who have not
  checked in (``not_arrived``), and the hours worked (``hours_worked``).
- ``/volunteers/<id>``: one volunteer's shifts, the shifts they could work
  (:func:`planner.volunteer_lists.eligible_shifts`) and their calendar file.
- ``/volunteers/patterns``: create many shifts at once from a pattern
  (:mod:`planner.shift_patterns`): preview, then save.

Times typed on these pages are event-local (the event's time zone);
check-ins are stored in UTC. Who may: everyone but hotel liaisons reads;
those who may change volunteers and shifts (committee, volunteer lead,
volunteer coordinators) check in and out and create shifts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from planner.dataset import Dataset
from planner.models import Shift, ShiftAttendance
from planner.services.attendance import check_in, check_out, hours_worked, not_arrived
from planner.services.hotels import InputError
from planner.services.planning import accepted_plan
from planner.services.workbook import NoEventData, load_dataset, row_to_attrs
from planner.shift_patterns import ShiftPattern, ShiftPatternError, expand_pattern
from planner.users import audit, can_edit
from planner.volunteer_lists import eligible_shifts, hhmm, person_name
from planner.workbook.schema import FILES
from web import db
from web.auth import actor
from web.i18n import planner_text

bp = Blueprint("volunteers", __name__, url_prefix="/volunteers")

PATTERN_FIELDS = (
    "function",
    "first_date",
    "last_date",
    "start",
    "end",
    "needed",
    "places",
    "skills",
    "languages",
    "weekdays",
    "id_prefix",
)
PREVIEW_ROWS = 200


def _readers_only() -> None:
    if actor().role == "hotel_liaison":
        abort(403)


def _may_change() -> bool:
    return can_edit(actor(), "shifts")


def _data() -> Dataset:
    try:
        return load_dataset(db.session())
    except NoEventData:
        abort(404)


def event_zone(data: Dataset) -> ZoneInfo:
    try:
        return ZoneInfo(data.event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def now_local(data: Dataset) -> datetime:
    """Now in the event's time zone, without the zone (as the attendance service expects)."""
    return datetime.now(event_zone(data)).replace(tzinfo=None, second=0, microsecond=0)


def _as_local(moment: datetime | None, data: Dataset) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(event_zone(data)).strftime("%Y-%m-%d %H:%M")


def _parse_time(text: str) -> time | None:
    try:
        return time.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _roster_days(data: Dataset, roster: list[dict[str, Any]]) -> list[date]:
    return sorted({data.shifts[r["shift"]].date for r in roster if r["shift"] in data.shifts})


def _volunteer_name(data: Dataset, vid: str) -> str:
    v = data.volunteers.get(vid)
    return person_name(v) if v is not None else vid


def _place_name(data: Dataset, place: str) -> str:
    thing = data.venues.get(place) or data.hotels.get(place)
    return thing.name if thing is not None else place


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """One day of the roster with check-in and check-out, who has not arrived, hours worked."""
    _readers_only()
    data = _data()
    s = db.session()
    roster = accepted_plan(s, "volunteers").roster
    days = _roster_days(data, roster)
    now = now_local(data)
    try:
        day = date.fromisoformat(request.args.get("day", "")) if request.args.get("day") else None
    except ValueError:
        day = None
    if day is None:
        day = now.date() if now.date() in days or not days else days[0]
    as_of_time = _parse_time(request.args.get("as_of", "")) or (now.time() if day == now.date() else time(23, 59))
    as_of = datetime.combine(day, as_of_time)
    shifts_today = {sid for sid, sh in data.shifts.items() if sh.date == day}
    attendance = {
        (a.volunteer, a.shift): a
        for a in s.exec(select(ShiftAttendance).where(ShiftAttendance.shift.in_(shifts_today)))  # type: ignore[attr-defined]
    }
    by_shift: dict[str, list[str]] = defaultdict(list)
    for r in roster:
        if r["shift"] in shifts_today:
            by_shift[r["shift"]].append(r["volunteer"])
    rows = []
    for sid in sorted(by_shift, key=lambda x: (data.shifts[x].start_min, data.shifts[x].place, x)):
        sh = data.shifts[sid]
        people = []
        for vid in sorted(by_shift[sid]):
            a = attendance.get((vid, sid))
            people.append(
                {
                    "id": vid,
                    "name": _volunteer_name(data, vid),
                    "checked_in": _as_local(a.checked_in if a else None, data),
                    "checked_out": _as_local(a.checked_out if a else None, data),
                    "hours": a.hours_worked if a else None,
                    "in": bool(a and a.checked_in),
                    "out": bool(a and a.checked_out),
                }
            )
        rows.append(
            {
                "shift": sh,
                "time": f"{hhmm(sh.start_min)}–{hhmm(sh.end_min)}",
                "place": _place_name(data, sh.place),
                "people": people,
            }
        )
    missing = [
        {
            **m,
            "name": _volunteer_name(data, m["volunteer"]),
            "place_name": _place_name(data, m["place"]),
            "start": hhmm(data.shifts[m["shift"]].start_min),
        }
        for m in not_arrived(s, data, as_of)
    ]
    hours = sorted(hours_worked(s).items(), key=lambda kv: (-kv[1], kv[0]))
    return render_template(
        "volunteers/index.html",
        day=day,
        days=days,
        as_of=as_of,
        now=now,
        zone=str(event_zone(data)),
        rows=rows,
        missing=missing,
        hours=[(vid, _volunteer_name(data, vid), h) for vid, h in hours[:200]],
        hours_total=len(hours),
        may_change=_may_change(),
    )


def _attendance_action(action: str):  # type: ignore[no-untyped-def]
    _readers_only()
    if not _may_change():
        abort(403)
    data = _data()
    volunteer = request.form.get("volunteer", "").strip()
    shift_id = request.form.get("shift", "").strip()
    shift = data.shifts.get(shift_id)
    back = url_for("volunteers.index", day=shift.date.isoformat() if shift else None)
    at = None
    typed = request.form.get("time", "")
    if typed.strip():
        clock = _parse_time(typed)
        if clock is None or shift is None:
            flash(_("Enter the time as HH:MM (24 hours), or leave it empty for now."), "error")
            return redirect(back)
        at = datetime.combine(shift.date, clock, tzinfo=event_zone(data)).astimezone(UTC)
    s = db.session()
    try:
        row = (check_in if action == "in" else check_out)(s, volunteer, shift_id, at)
    except InputError as exc:
        s.rollback()
        # the planner's sentence (its message) in the reader's language; English after "field: " otherwise
        reason = planner_text(exc.detail) if exc.detail is not None else str(exc).split(": ", 1)[-1]
        flash(_("Not recorded: %(reason)s", reason=reason), "error")
        return redirect(back)
    audit(s, actor(), "change", "shift_attendance", f"{volunteer},{shift_id}", [f"checked_{action}"])
    s.commit()
    name = _volunteer_name(data, volunteer)
    if action == "in":
        flash(_("%(name)s checked in to %(shift)s.", name=name, shift=shift_id), "success")
    else:
        flash(
            _("%(name)s checked out of %(shift)s: %(hours)s hours.", name=name, shift=shift_id, hours=row.hours_worked),
            "success",
        )
    return redirect(back)


@bp.post("/check-in")
def record_check_in():  # type: ignore[no-untyped-def]
    return _attendance_action("in")


@bp.post("/check-out")
def record_check_out():  # type: ignore[no-untyped-def]
    return _attendance_action("out")


@bp.get("/people/<volunteer_id>")
def volunteer(volunteer_id: str):  # type: ignore[no-untyped-def]
    """A volunteer's shifts in the accepted roster and the shifts they could work."""
    _readers_only()
    data = _data()
    v = data.volunteers.get(volunteer_id)
    if v is None:
        abort(404)
    plan = accepted_plan(db.session(), "volunteers")
    mine = {r["shift"] for r in plan.roster if r["volunteer"] == volunteer_id}
    liaison_of = [r["delegation"] for r in plan.liaisons if r["volunteer"] == volunteer_id]

    def line(sh: Any) -> dict[str, Any]:
        return {
            "shift": sh,
            "time": f"{hhmm(sh.start_min)}–{hhmm(sh.end_min)}",
            "place": _place_name(data, sh.place),
            "mine": sh.id in mine,
        }

    rostered = sorted((data.shifts[x] for x in mine if x in data.shifts), key=lambda sh: (sh.date, sh.start_min))
    eligible = eligible_shifts(data, volunteer_id, plan)
    return render_template(
        "volunteers/volunteer.html",
        v=v,
        name=person_name(v),
        rostered=[line(sh) for sh in rostered],
        eligible=[line(sh) for sh in eligible[:500]],
        eligible_total=len(eligible),
        liaison_of=[data.delegations[d] for d in liaison_of if d in data.delegations],
    )


# ------------------------------------------------------------ shift patterns


def _pattern_from_form(form: Any) -> tuple[dict[str, Any], ShiftPattern | None, dict[str, str]]:
    values: dict[str, Any] = {name: form.get(name, "").strip()[:2000] for name in PATTERN_FIELDS if name != "weekdays"}
    # a weekday that is no number 0-6 (a tampered form) becomes -1, which the pattern check names
    values["weekdays"] = [int(w) if w.isascii() and w.isdigit() else -1 for w in form.getlist("weekdays")]
    values["places_choice"] = form.get("places_choice", "venues")
    errors: dict[str, str] = {}
    try:
        needed = int(values["needed"])
    except ValueError:
        errors["needed"] = _("Enter a whole number of volunteers.")
        needed = 0
    places = values["places_choice"] if values["places_choice"] in ("venues", "hotels", "all") else values["places"]
    if errors:
        return values, None, errors
    pattern = ShiftPattern(
        function=values["function"],
        first_date=values["first_date"],
        last_date=values["last_date"],
        start=values["start"],
        end=values["end"],
        needed=needed,
        places=places,
        skills=values["skills"],
        languages=values["languages"],
        weekdays=tuple(values["weekdays"]) or None,
        id_prefix=values["id_prefix"],
    )
    return values, pattern, errors


@bp.route("/patterns", methods=["GET", "POST"])
def patterns():  # type: ignore[no-untyped-def]
    """Create many shifts at once: fill the pattern, preview the shifts it makes, then save them."""
    _readers_only()
    if not _may_change():
        abort(403)
    data = _data()
    values: dict[str, Any] = {
        "function": "",
        "first_date": data.event.start_date.isoformat(),
        "last_date": data.event.end_date.isoformat(),
        "start": "07:00",
        "end": "13:00",
        "needed": "4",
        "places_choice": "venues",
        "places": "",
        "skills": "",
        "languages": "",
        "weekdays": [],
        "id_prefix": "",
    }
    errors: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        values, pattern, errors = _pattern_from_form(request.form)
        if pattern is not None:
            try:
                rows = expand_pattern(data, pattern)
            except ShiftPatternError as exc:
                for p in exc.problems:
                    errors.setdefault(p.field if p.field in PATTERN_FIELDS else "function", p.message)
        if errors:
            status = 422
        elif request.form.get("action") == "save":
            saved = _save_shifts(rows)
            if saved is None:  # someone saved shifts with these ids in the meantime: nothing was saved
                errors["id_prefix"] = _("Someone saved shifts with these ids at the same moment; preview again.")
                status = 409
            else:
                flash(ngettext_shifts(saved), "success")
                return redirect(url_for("records.browse", file="shifts"))
    return (
        render_template(
            "volunteers/patterns.html",
            values=values,
            errors=errors,
            rows=rows[:PREVIEW_ROWS],
            total=len(rows),
            places=[(p, _place_name(data, p)) for p in sorted(data.venues)]
            + [(h, _place_name(data, h)) for h in sorted(x for x, hotel in data.hotels.items() if hotel.approved)],
            preview=request.method == "POST" and not errors,
        ),
        status,
    )


def ngettext_shifts(n: int) -> str:
    from flask_babel import ngettext

    return ngettext("%(num)d shift created.", "%(num)d shifts created.", n)


def _save_shifts(rows: list[dict[str, Any]]) -> int | None:
    """Add the pattern's shift rows after the existing ones (one transaction), audited.

    ``None`` (and nothing saved) when the database refuses them: another save took one of their ids first.
    """
    s = db.session()
    spec = FILES["shifts"]
    last = s.exec(select(Shift.seq).order_by(Shift.seq.desc())).first() or 0  # type: ignore[attr-defined]
    records = []
    for i, row in enumerate(rows, start=1):
        attrs = row_to_attrs(spec, row, [])
        attrs.pop("extra", None)
        records.append({**attrs, "seq": last + i, "version_id": 1})
    try:
        if records:
            s.execute(insert(Shift.__table__), records)  # type: ignore[attr-defined]
        audit(
            s,
            actor(),
            "change",
            "shifts",
            None,
            [],
            detail={"pattern": True, "created": len(records), "first": rows[0]["id"] if rows else None},
        )
        s.commit()
    except IntegrityError:
        s.rollback()
        return None
    return len(records)
