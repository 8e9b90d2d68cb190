"""The dashboard's figures, from the planning data and the accepted plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.dataset import Dataset
from planner.plan import Plan


@dataclass
class NightBeds:
    night: date
    beds: int
    occupied: int

    @property
    def free(self) -> int:
        return self.beds - self.occupied


@dataclass
class Figures:
    days_to_games: int
    people: int
    housed: int
    nights: list[NightBeds]
    sessions: int
    sessions_covered: int
    shifts: int
    shifts_filled: int
    places_needed: int
    places_filled: int
    delegations: int
    liaisons: int
    shortages: Counter[str] = field(default_factory=Counter)
    shortage_examples: list[dict[str, Any]] = field(default_factory=list)


# The beds-by-night table covers at most this many days before and after the Games.
NIGHTS_MARGIN_DAYS = 60


def compute(data: Dataset, plan: Plan, today: date) -> Figures:
    """Every dashboard figure for ``today``."""
    approved_beds = sum(r.beds for r in data.rooms if data.hotels.get(r.hotel) and data.hotels[r.hotel].approved)
    people = list(data.people.values())
    nights: list[NightBeds] = []
    if people:
        # the nights people are in town, at most NIGHTS_MARGIN_DAYS before and after the Games
        # (a mistyped year does not make the table, or the work, decades long)
        margin = timedelta(days=NIGHTS_MARGIN_DAYS)
        first = max(min(p.arrival_date for p in people), data.event.start_date - margin)
        last = min(max(p.departure_date for p in people), data.event.end_date + margin)
        occupied: Counter[date] = Counter()
        for r in plan.rooming:
            d = max(r["check_in"], first)
            while d < min(r["check_out"], last):
                occupied[d] += 1
                d += timedelta(days=1)
        d = first
        while d < last:
            nights.append(NightBeds(d, approved_beds, occupied[d]))
            d += timedelta(days=1)
    served_sessions = {r["session"] for r in plan.transport if r.get("session")}
    sessions_with_travellers = [s for s in data.sessions.values() if data.travellers(s)]
    on_shift: Counter[str] = Counter(r["shift"] for r in plan.roster)
    places_needed = sum(s.needed for s in data.shifts.values())
    places_filled = sum(min(on_shift[s.id], s.needed) for s in data.shifts.values())
    shortages: Counter[str] = Counter(r["kind"] for r in plan.unassigned)
    return Figures(
        days_to_games=(data.event.start_date - today).days,
        people=len(people),
        housed=len({r["person"] for r in plan.rooming}),
        nights=nights,
        sessions=len(sessions_with_travellers),
        sessions_covered=sum(1 for s in sessions_with_travellers if s.id in served_sessions),
        shifts=len(data.shifts),
        shifts_filled=sum(1 for s in data.shifts.values() if on_shift[s.id] >= s.needed),
        places_needed=places_needed,
        places_filled=places_filled,
        delegations=len(data.delegations),
        liaisons=len({r["delegation"] for r in plan.liaisons}),
        shortages=shortages,
        shortage_examples=list(plan.unassigned[:10]),
    )
