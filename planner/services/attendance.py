"""On the day: volunteers check in and out of their shifts; who has not arrived.

A check-in or check-out that cannot be recorded raises
:class:`~planner.services.hotels.InputError` with a message template (see
:data:`MESSAGES`), which the web shows in Chinese.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from planner.dataset import Dataset
from planner.messages import N_, TOKEN, Template
from planner.models import ShiftAttendance
from planner.services.hotels import InputError
from planner.services.planning import accepted_plan

NOT_ON_SHIFT = Template(
    N_("volunteer %(volunteer)s is not on shift %(shift)s in the accepted roster"), volunteer=TOKEN, shift=TOKEN
)
ALREADY_CHECKED_IN = Template(
    N_("volunteer %(volunteer)s already checked in to %(shift)s"), volunteer=TOKEN, shift=TOKEN
)
NOT_CHECKED_IN = Template(N_("volunteer %(volunteer)s has not checked in to %(shift)s"), volunteer=TOKEN, shift=TOKEN)
ALREADY_CHECKED_OUT = Template(
    N_("volunteer %(volunteer)s already checked out of %(shift)s"), volunteer=TOKEN, shift=TOKEN
)
OUT_BEFORE_IN = Template(N_("check-out is before check-in"))

MESSAGES: tuple[Template, ...] = (NOT_ON_SHIFT, ALREADY_CHECKED_IN, NOT_CHECKED_IN, ALREADY_CHECKED_OUT, OUT_BEFORE_IN)
"""Every sentence of this module, for :func:`planner.messages.recognise`."""


def _rostered(session: Session, volunteer: str, shift: str) -> bool:
    return any(r["volunteer"] == volunteer and r["shift"] == shift for r in accepted_plan(session, "volunteers").roster)


def check_in(session: Session, volunteer: str, shift: str, at: datetime | None = None) -> ShiftAttendance:
    """Record a volunteer's arrival on a shift of the accepted roster. Commits."""
    if not _rostered(session, volunteer, shift):
        raise InputError("shift", NOT_ON_SHIFT(volunteer=volunteer, shift=shift))
    row = session.exec(
        select(ShiftAttendance).where(ShiftAttendance.volunteer == volunteer, ShiftAttendance.shift == shift)
    ).first()
    if row is not None and row.checked_in is not None:
        raise InputError("shift", ALREADY_CHECKED_IN(volunteer=volunteer, shift=shift))
    row = row or ShiftAttendance(volunteer=volunteer, shift=shift)
    row.checked_in = at or datetime.now(UTC)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def check_out(session: Session, volunteer: str, shift: str, at: datetime | None = None) -> ShiftAttendance:
    """Record departure and the hours worked (check-in to check-out). Commits."""
    row = session.exec(
        select(ShiftAttendance).where(ShiftAttendance.volunteer == volunteer, ShiftAttendance.shift == shift)
    ).first()
    if row is None or row.checked_in is None:
        raise InputError("shift", NOT_CHECKED_IN(volunteer=volunteer, shift=shift))
    if row.checked_out is not None:
        raise InputError("shift", ALREADY_CHECKED_OUT(volunteer=volunteer, shift=shift))
    out = at or datetime.now(UTC)
    start = row.checked_in if row.checked_in.tzinfo else row.checked_in.replace(tzinfo=UTC)
    end = out if out.tzinfo else out.replace(tzinfo=UTC)
    if end < start:
        raise InputError("checked_out", OUT_BEFORE_IN())
    row.checked_out = out
    row.hours_worked = round((end - start).total_seconds() / 3600, 2)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def not_arrived(session: Session, data: Dataset, now_local: datetime) -> list[dict[str, str]]:
    """Rostered volunteers whose shift has started (event-local time) and who have not checked in."""
    checked = {(a.volunteer, a.shift) for a in session.exec(select(ShiftAttendance)) if a.checked_in is not None}
    minute = now_local.hour * 60 + now_local.minute
    missing = []
    for r in accepted_plan(session, "volunteers").roster:
        shift = data.shifts.get(r["shift"])
        if shift is None or shift.date != now_local.date() or shift.start_min > minute:
            continue
        if (r["volunteer"], r["shift"]) not in checked:
            missing.append({"volunteer": r["volunteer"], "shift": r["shift"], "place": shift.place})
    return missing


def hours_worked(session: Session) -> dict[str, float]:
    """Recorded hours per volunteer."""
    total: dict[str, float] = {}
    for a in session.exec(select(ShiftAttendance)):
        if a.hours_worked:
            total[a.volunteer] = total.get(a.volunteer, 0.0) + a.hours_worked
    return total
