"""Reception-hotel survey (摸底和評估) and hand-made room pins.

A survey records the checks the committee makes of a reception hotel: fire
safety, food safety, security, accessibility, halal kitchen and an overall
score. The latest survey decides whether the hotel is approved; only approved
hotels are used by the accommodation planner (hard rule 5).

What a person typed wrong is an :class:`InputError` whose message is a
:class:`~planner.messages.Template` (see :data:`MESSAGES`), so the web shows
it in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from planner.dataset import ATHLETE_GROUP
from planner.messages import DATE, N_, NUMBER, TOKEN, Message, Template
from planner.models import Delegation, Hotel, HotelSurvey, Person, Pin, Room

# A hotel passes when every safety check passes and its score reaches this.
PASS_SCORE = 60.0

# ------------------------------------------------------------------ sentences
NO_HOTEL = Template(N_("no hotel %(hotel)s"))
SCORE_OUT_OF_RANGE = Template(N_("must be between 0 and 100, got %(score)s"))
SURVEY_IN_FUTURE = Template(N_("a survey records a visit made: %(day)s is after today"), day=DATE)
CANNOT_APPROVE = Template(N_("a hotel that fails fire safety, food safety or security cannot be approved"))
NO_PERSON = Template(N_("no person %(person)s"))
NO_ROOM = Template(N_("no room %(room)s in hotel %(hotel)s"))
HOTEL_NOT_APPROVED = Template(N_("hotel %(hotel)s is not approved"), hotel=TOKEN)
NEEDS_ACCESSIBLE_ROOM = Template(
    N_("%(person)s needs an accessible room; %(room)s is not accessible"), person=TOKEN, room=TOKEN
)
NEEDS_GROUND_FLOOR = Template(
    N_("%(person)s needs the ground floor; %(room)s is on floor %(floor)s"), person=TOKEN, room=TOKEN, floor=NUMBER
)
PINNED_TO_OTHER_GROUP = Template(
    N_(
        "%(room)s is pinned to %(other)s; a room holds people of one delegation and gender, "
        "athletes and partners apart from the others"
    ),
    room=TOKEN,
    other=TOKEN,
)
PINNED_FULL = Template(
    N_("%(room)s has %(beds)s beds, all pinned to other people on %(night)s"), room=TOKEN, beds=NUMBER, night=DATE
)

MESSAGES: tuple[Template, ...] = (
    NO_HOTEL,
    SCORE_OUT_OF_RANGE,
    SURVEY_IN_FUTURE,
    CANNOT_APPROVE,
    NO_PERSON,
    NO_ROOM,
    HOTEL_NOT_APPROVED,
    NEEDS_ACCESSIBLE_ROOM,
    NEEDS_GROUND_FLOOR,
    PINNED_TO_OTHER_GROUP,
    PINNED_FULL,
)
"""Every sentence of this module, for :func:`planner.messages.recognise`."""


class InputError(ValueError):
    """A value a person typed is wrong; ``field`` names the form field.

    ``str()`` is ``"field: message"`` in English; ``detail`` is the message
    (:class:`~planner.messages.Message`) when the planner wrote it.
    """

    def __init__(self, field: str, message: Message | str) -> None:
        self.field = field
        self.detail = message if isinstance(message, Message) else None
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class SurveyInput:
    hotel: str
    surveyed_on: date
    fire_safety: bool
    food_safety: bool
    security: bool
    accessibility: bool
    halal_kitchen: bool
    score: float
    surveyor: str | None = None
    notes: str | None = None
    approve: bool | None = None  # None: decide from the checks and score


def survey_passes(s: SurveyInput) -> bool:
    """Fire safety, food safety and security must pass and the score reach PASS_SCORE."""
    return s.fire_safety and s.food_safety and s.security and s.score >= PASS_SCORE


def record_survey(session: Session, s: SurveyInput) -> HotelSurvey:
    """Store a survey; the hotel's latest survey (by date) sets its approval, score and halal kitchen. Commits."""
    hotel = session.exec(select(Hotel).where(Hotel.id == s.hotel)).first()
    if hotel is None:
        raise InputError("hotel", NO_HOTEL(hotel=repr(s.hotel)))
    if not 0 <= s.score <= 100:
        raise InputError("score", SCORE_OUT_OF_RANGE(score=f"{s.score:g}"))
    # the latest survey decides, and surveys are never edited: a mistyped future year would decide for good
    if s.surveyed_on > date.today() + timedelta(days=1):  # a day's grace for time zones
        raise InputError("surveyed_on", SURVEY_IN_FUTURE(day=s.surveyed_on.isoformat()))
    approved = survey_passes(s) if s.approve is None else s.approve
    if approved and not (s.fire_safety and s.food_safety and s.security):
        raise InputError("approve", CANNOT_APPROVE())
    row = HotelSurvey(
        hotel=s.hotel,
        surveyed_on=s.surveyed_on,
        surveyor=s.surveyor,
        fire_safety=s.fire_safety,
        food_safety=s.food_safety,
        security=s.security,
        accessibility=s.accessibility,
        halal_kitchen=s.halal_kitchen,
        score=s.score,
        approved=approved,
        notes=s.notes,
    )
    session.add(row)
    session.flush()
    # the latest survey decides (a later entry on the same day counts as later): a back-dated survey is
    # kept in the hotel's history but does not override a newer one
    latest = surveys_of(session, s.hotel)[0]
    hotel.approved = latest.approved
    hotel.survey_score = latest.score
    hotel.halal_kitchen = latest.halal_kitchen
    session.add(hotel)
    session.commit()
    session.refresh(row)
    return row


def surveys_of(session: Session, hotel: str) -> list[HotelSurvey]:
    """A hotel's surveys, newest first."""
    rows = list(session.exec(select(HotelSurvey).where(HotelSurvey.hotel == hotel)))
    return sorted(rows, key=lambda r: (r.surveyed_on, r.pk or 0), reverse=True)


def pin_person(
    session: Session, person: str, hotel: str, room: str, note: str | None = None, by: str | None = None
) -> Pin:
    """Fix a person's room by hand; the next accommodation plan keeps it. Commits."""
    p = session.exec(select(Person).where(Person.id == person)).first()
    if p is None:
        raise InputError("person", NO_PERSON(person=repr(person)))
    h = session.exec(select(Hotel).where(Hotel.id == hotel)).first()
    if h is None:
        raise InputError("hotel", NO_HOTEL(hotel=repr(hotel)))
    r = session.exec(select(Room).where(Room.hotel == hotel, Room.room == room)).first()
    if r is None:
        raise InputError("room", NO_ROOM(room=repr(room), hotel=repr(hotel)))
    if not h.approved:
        raise InputError("hotel", HOTEL_NOT_APPROVED(hotel=hotel))
    needs = set((p.needs or "").split(";")) - {""}
    if needs & {"wheelchair", "accessible_room"} and not r.accessible:
        raise InputError("room", NEEDS_ACCESSIBLE_ROOM(person=person, room=f"{hotel}/{room}"))
    if "ground_floor" in needs and not (r.accessible or r.floor in (0, 1)):
        raise InputError("room", NEEDS_GROUND_FLOOR(person=person, room=f"{hotel}/{room}", floor=r.floor))
    _check_room_mates(session, p, r)
    pin = session.exec(select(Pin).where(Pin.person == person)).first() or Pin(person=person, hotel=hotel, room=room)
    pin.hotel, pin.room, pin.note, pin.created_by = hotel, room, note, by
    session.add(pin)
    session.commit()
    session.refresh(pin)
    return pin


def _check_room_mates(session: Session, p: Person, r: Room) -> None:
    """Hard rules 1-3 among the people pinned to one room: one group, and no more of them on a night than beds."""
    where = f"{r.hotel}/{r.room}"
    pinned = session.exec(select(Pin.person).where(Pin.hotel == r.hotel, Pin.room == r.room, Pin.person != p.id))
    others = list(session.exec(select(Person).where(col(Person.id).in_(list(pinned)))))

    def group(q: Person) -> tuple[str, str, bool]:
        return (q.delegation, q.gender, q.role in ATHLETE_GROUP)

    for q in sorted(others, key=lambda q: q.id):
        if group(q) != group(p):
            raise InputError("room", PINNED_TO_OTHER_GROUP(room=where, other=q.id))
    # a person without dates of their own stays as long as their delegation (as the workbook reads them)
    delegation = session.exec(select(Delegation).where(Delegation.id == p.delegation)).first()

    def stay(q: Person) -> tuple[date, date] | None:
        arrive = q.arrival_date or (delegation.arrival_date if delegation else None)
        depart = q.departure_date or (delegation.departure_date if delegation else None)
        return (arrive, depart) if arrive and depart else None

    mine = stay(p)
    if mine is None:
        return
    stays = [x for x in map(stay, others) if x is not None]
    night = mine[0]
    while night < mine[1]:
        if sum(1 for arrive, depart in stays if arrive <= night < depart) >= r.beds:
            raise InputError("room", PINNED_FULL(room=where, beds=r.beds, night=night.isoformat()))
        night += timedelta(days=1)


def unpin_person(session: Session, person: str) -> bool:
    pin = session.exec(select(Pin).where(Pin.person == person)).first()
    if pin is None:
        return False
    session.delete(pin)
    session.commit()
    return True
