"""Reception-hotel survey (摸底和評估) and hand-made room pins.

A survey records the checks the committee makes of a reception hotel: fire
safety, food safety, security, accessibility, halal kitchen and an overall
score. The latest survey decides whether the hotel is approved; only approved
hotels are used by the accommodation planner (hard rule 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from planner.models import Hotel, HotelSurvey, Person, Pin, Room

# A hotel passes when every safety check passes and its score reaches this.
PASS_SCORE = 60.0


class InputError(ValueError):
    """A value a person typed is wrong; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
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
    """Store a survey and apply it to the hotel (approved, score, halal kitchen); commits."""
    hotel = session.exec(select(Hotel).where(Hotel.id == s.hotel)).first()
    if hotel is None:
        raise InputError("hotel", f"no hotel {s.hotel!r}")
    if not 0 <= s.score <= 100:
        raise InputError("score", f"must be between 0 and 100, got {s.score:g}")
    approved = survey_passes(s) if s.approve is None else s.approve
    if approved and not (s.fire_safety and s.food_safety and s.security):
        raise InputError("approve", "a hotel that fails fire safety, food safety or security cannot be approved")
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
    hotel.approved = approved
    hotel.survey_score = s.score
    hotel.halal_kitchen = s.halal_kitchen
    session.add(row)
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
        raise InputError("person", f"no person {person!r}")
    r = session.exec(select(Room).where(Room.hotel == hotel, Room.room == room)).first()
    if r is None:
        raise InputError("room", f"no room {room!r} in hotel {hotel!r}")
    h = session.exec(select(Hotel).where(Hotel.id == hotel)).one()
    if not h.approved:
        raise InputError("hotel", f"hotel {hotel} is not approved")
    needs = set((p.needs or "").split(";")) - {""}
    if needs & {"wheelchair", "accessible_room"} and not r.accessible:
        raise InputError("room", f"{person} needs an accessible room; {hotel}/{room} is not accessible")
    if "ground_floor" in needs and not (r.accessible or r.floor in (0, 1)):
        raise InputError("room", f"{person} needs the ground floor; {hotel}/{room} is on floor {r.floor}")
    pin = session.exec(select(Pin).where(Pin.person == person)).first() or Pin(person=person, hotel=hotel, room=room)
    pin.hotel, pin.room, pin.note, pin.created_by = hotel, room, note, by
    session.add(pin)
    session.commit()
    session.refresh(pin)
    return pin


def unpin_person(session: Session, person: str) -> bool:
    pin = session.exec(select(Pin).where(Pin.person == person)).first()
    if pin is None:
        return False
    session.delete(pin)
    session.commit()
    return True
