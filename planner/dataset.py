"""The planning data as the planner reasons about it: defaults applied, typed.

A :class:`Dataset` is built from a parsed :class:`~planner.workbook.io.Workbook`
(whether it came from files or from the database). The checker and the
translations to solver problems read only this, so the rules of FORMAT.md
(defaults, who travels to a session, travel times) live here once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from planner.workbook.io import Workbook

EARTH_RADIUS_KM = 6371.0
TRAVELLING_ROLES = ("athlete", "partner", "coach")
ATHLETE_GROUP = ("athlete", "partner")


def minutes(t: time | None, default: int | None = None) -> int:
    """Minutes since midnight."""
    if t is None:
        assert default is not None
        return default
    return t.hour * 60 + t.minute


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nights(arrival: date, departure: date) -> list[date]:
    """The nights stayed: arrival .. departure - 1."""
    return [arrival + timedelta(days=i) for i in range((departure - arrival).days)]


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    name_zh: str | None
    start_date: date
    end_date: date
    timezone: str = "Asia/Shanghai"
    speed_kmh: float = 25.0
    detour_factor: float = 1.3
    arrival_buffer_min: int = 30
    max_ride_min: int = 60


@dataclass(frozen=True)
class Delegation:
    id: str
    name: str
    name_zh: str | None
    country: str
    languages: tuple[str, ...]  # lower case, first = preferred
    arrival_date: date
    departure_date: date
    diet: str | None


@dataclass(frozen=True)
class Person:
    id: str
    delegation: str
    role: str
    family_name: str
    given_name: str
    gender: str
    birth_date: date
    sport: str | None
    needs: frozenset[str]
    score: float | None
    arrival_date: date  # resolved: own date or the delegation's
    departure_date: date

    @property
    def athlete_group(self) -> bool:
        """Athletes and partners room together; coaches, heads and staff together."""
        return self.role in ATHLETE_GROUP

    @property
    def wheelchair(self) -> bool:
        return "wheelchair" in self.needs

    @property
    def needs_accessible_room(self) -> bool:
        return bool(self.needs & {"wheelchair", "accessible_room"})

    @property
    def needs_ground_floor(self) -> bool:
        return "ground_floor" in self.needs

    def in_town(self, day: date) -> bool:
        return self.arrival_date <= day < self.departure_date

    @property
    def nights(self) -> list[date]:
        return nights(self.arrival_date, self.departure_date)


@dataclass(frozen=True)
class Hotel:
    id: str
    name: str
    name_zh: str | None
    lat: float
    lon: float
    approved: bool
    survey_score: float | None
    cost_per_bed_night: Decimal | None
    halal_kitchen: bool


@dataclass(frozen=True)
class Room:
    hotel: str
    room: str
    floor: int
    beds: int
    accessible: bool

    @property
    def ground_level(self) -> bool:
        return self.floor in (0, 1)


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    name_zh: str | None
    lat: float
    lon: float
    sports: tuple[str, ...]
    accessible: bool
    renovation_progress: float | None


@dataclass(frozen=True)
class Session:
    id: str
    venue: str
    date: date
    start_min: int
    end_min: int
    sport: str | None
    kind: str
    delegations: tuple[str, ...]  # as given; empty = see Dataset.travellers


@dataclass(frozen=True)
class Sport:
    id: str
    name: str
    name_zh: str | None
    division_spread_pct: float = 15.0
    lower_is_better: bool = False


@dataclass(frozen=True)
class Vehicle:
    id: str
    seats: int
    depot_lat: float
    depot_lon: float
    kind: str | None
    wheelchair_places: int
    available_from_min: int
    available_to_min: int


@dataclass(frozen=True)
class Volunteer:
    id: str
    family_name: str
    given_name: str
    gender: str | None
    languages: tuple[str, ...]  # lower case
    skills: frozenset[str]  # lower case
    available_from: date
    available_to: date
    max_hours_per_day: float

    def available(self, day: date) -> bool:
        return self.available_from <= day <= self.available_to


@dataclass(frozen=True)
class Shift:
    id: str
    place: str
    function: str
    date: date
    start_min: int
    end_min: int
    needed: int
    skills: frozenset[str]  # lower case; all required
    languages: frozenset[str]  # lower case; at least one required

    @property
    def hours(self) -> float:
        return (self.end_min - self.start_min) / 60


def _low(items: Any) -> tuple[str, ...]:
    return tuple(i.lower() for i in (items or ()))


@dataclass
class Dataset:
    """All planning data of one event, ready for checking and solving."""

    event: Event
    delegations: dict[str, Delegation]
    people: dict[str, Person]
    hotels: dict[str, Hotel]
    rooms: list[Room]
    venues: dict[str, Venue] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    sports: dict[str, Sport] = field(default_factory=dict)
    vehicles: dict[str, Vehicle] = field(default_factory=dict)
    volunteers: dict[str, Volunteer] = field(default_factory=dict)
    shifts: dict[str, Shift] = field(default_factory=dict)
    travel_overrides: dict[tuple[str, str], int] = field(default_factory=dict)

    # ------------------------------------------------------------ building
    @classmethod
    def from_workbook(cls, wb: Workbook) -> Dataset:
        e = wb.rows("event")[0]
        event = Event(
            id=e["id"],
            name=e["name"],
            name_zh=e.get("name_zh"),
            start_date=e["start_date"],
            end_date=e["end_date"],
            timezone=e.get("timezone") or "Asia/Shanghai",
            speed_kmh=e.get("speed_kmh") or 25.0,
            detour_factor=e.get("detour_factor") or 1.3,
            arrival_buffer_min=30 if e.get("arrival_buffer_min") is None else e["arrival_buffer_min"],
            max_ride_min=e.get("max_ride_min") or 60,
        )
        delegations = {
            r["id"]: Delegation(
                r["id"],
                r["name"],
                r.get("name_zh"),
                r["country"],
                _low(r["languages"]),
                r["arrival_date"],
                r["departure_date"],
                r.get("diet"),
            )
            for r in wb.rows("delegations")
        }
        people = {}
        for r in wb.rows("people"):
            d = delegations[r["delegation"]]
            people[r["id"]] = Person(
                r["id"],
                r["delegation"],
                r["role"],
                r["family_name"],
                r["given_name"],
                r["gender"],
                r["birth_date"],
                r.get("sport"),
                frozenset(r.get("needs") or ()),
                r.get("score"),
                r.get("arrival_date") or d.arrival_date,
                r.get("departure_date") or d.departure_date,
            )
        hotels = {
            r["id"]: Hotel(
                r["id"],
                r["name"],
                r.get("name_zh"),
                r["lat"],
                r["lon"],
                bool(r["approved"]),
                r.get("survey_score"),
                r.get("cost_per_bed_night"),
                bool(r.get("halal_kitchen")),
            )
            for r in wb.rows("hotels")
        }
        rooms = [
            Room(r["hotel"], r["room"], r["floor"], r["beds"], bool(r.get("accessible"))) for r in wb.rows("rooms")
        ]
        venues = {
            r["id"]: Venue(
                r["id"],
                r["name"],
                r.get("name_zh"),
                r["lat"],
                r["lon"],
                tuple(r["sports"]),
                True if r.get("accessible") is None else r["accessible"],
                r.get("renovation_progress"),
            )
            for r in wb.rows("venues")
        }
        sessions = {
            r["id"]: Session(
                r["id"],
                r["venue"],
                r["date"],
                minutes(r["start"]),
                minutes(r["end"]),
                r.get("sport"),
                r.get("kind") or "competition",
                tuple(r.get("delegations") or ()),
            )
            for r in wb.rows("sessions")
        }
        sports = {
            r["id"]: Sport(
                r["id"],
                r["name"],
                r.get("name_zh"),
                15.0 if r.get("division_spread_pct") is None else r["division_spread_pct"],
                bool(r.get("lower_is_better")),
            )
            for r in wb.rows("sports")
        }
        vehicles = {
            r["id"]: Vehicle(
                r["id"],
                r["seats"],
                r["depot_lat"],
                r["depot_lon"],
                r.get("kind"),
                r.get("wheelchair_places") or 0,
                minutes(r.get("available_from"), 6 * 60),
                minutes(r.get("available_to"), 23 * 60),
            )
            for r in wb.rows("vehicles")
        }
        volunteers = {
            r["id"]: Volunteer(
                r["id"],
                r["family_name"],
                r["given_name"],
                r.get("gender"),
                _low(r["languages"]),
                frozenset(_low(r.get("skills"))),
                r["available_from"],
                r["available_to"],
                8.0 if r.get("max_hours_per_day") is None else r["max_hours_per_day"],
            )
            for r in wb.rows("volunteers")
        }
        shifts = {
            r["id"]: Shift(
                r["id"],
                r["place"],
                r["function"],
                r["date"],
                minutes(r["start"]),
                minutes(r["end"]),
                r["needed"],
                frozenset(_low(r.get("skills"))),
                frozenset(_low(r.get("languages"))),
            )
            for r in wb.rows("shifts")
        }
        overrides = {(r["from"], r["to"]): r["minutes"] for r in wb.rows("travel_times")}
        return cls(
            event, delegations, people, hotels, rooms, venues, sessions, sports, vehicles, volunteers, shifts, overrides
        )

    # ------------------------------------------------------------- queries
    def location(self, place: str) -> tuple[float, float]:
        """(lat, lon) of a hotel, a venue, or a vehicle's depot."""
        if place in self.hotels:
            h = self.hotels[place]
            return h.lat, h.lon
        if place in self.venues:
            v = self.venues[place]
            return v.lat, v.lon
        if place in self.vehicles:
            k = self.vehicles[place]
            return k.depot_lat, k.depot_lon
        raise KeyError(f"unknown place {place!r}")

    def travel_min(self, a: str, b: str) -> int:
        """Whole minutes from place ``a`` to place ``b`` (FORMAT.md formula or override)."""
        if a == b:
            return self.travel_overrides.get((a, b), 0)
        given = self.travel_overrides.get((a, b))
        if given is not None:
            return given
        (la, oa), (lb, ob) = self.location(a), self.location(b)
        km = haversine_km(la, oa, lb, ob)
        # the same expression, in the same order, as FORMAT.md, so outside checkers agree
        return math.ceil(km * self.event.detour_factor / self.event.speed_kmh * 60)

    def sport(self, name: str) -> Sport:
        return self.sports.get(name) or Sport(name, name, None)

    @cached_property
    def people_by_delegation(self) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = {d: [] for d in self.delegations}
        for p in self.people.values():
            out[p.delegation].append(p)
        return out

    def session_delegations(self, s: Session) -> tuple[str, ...]:
        """Delegations invited to a session (FORMAT.md: empty = all concerned)."""
        if s.delegations:
            return s.delegations
        if s.kind == "ceremony":
            return tuple(self.delegations)
        return tuple(d for d, ps in self.people_by_delegation.items() if any(p.sport == s.sport for p in ps))

    def travellers(self, s: Session) -> list[Person]:
        """Who travels to session ``s`` (FORMAT.md, sessions.csv)."""
        out = []
        for d in self.session_delegations(s):
            for p in self.people_by_delegation.get(d, ()):
                if not p.in_town(s.date):
                    continue
                if s.kind == "ceremony" or (p.role in TRAVELLING_ROLES and p.sport == s.sport):
                    out.append(p)
        return out
