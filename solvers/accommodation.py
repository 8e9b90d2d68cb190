"""Bed assignment: every delegation member into a room for every night of their stay.

Pure optimisation (OR-Tools and the standard library only). The planner turns
its dataset into an :class:`AccommodationProblem` (ids, integer night numbers,
integer minutes and CNY) and reads back an :class:`AccommodationPlan`.

How :func:`solve` works, top to bottom:

1. **Fixed occupants.** Pins (placed by hand) and, on a re-plan, the previous
   accepted plan's assignments that are still valid are put into their rooms
   first. A previous assignment that can no longer stand (room gone, needs not
   met, gender or delegation changed, new dates do not fit) is a *forced* move.
2. **Greedy start.** Delegation by delegation (largest first), the hotel with
   the lowest estimated marginal cost takes as many of its people as fit. A
   complete plan in a second or two: the first feasible plan and the fallback.
3. **Linear relaxation.** One LP over every hotel (CLP) gives the proven lower
   bound; re-solved with a little room left in each hotel, its shares guide a
   rounding (each delegation into its LP hotels, small shares merged into the
   main one), usually far better than the greedy start. Quick moves then undo
   splits that are cheap to undo.
4. **Aggregate CP-SAT model.** People of one *group* (delegation x gender x
   role group) are interchangeable apart from their need tier and stay, so the
   model counts them: ``x[g, h, type]`` people of a group in a hotel and
   ``rooms[g, h, size, level]`` whole rooms of each size (and accessibility
   level) the group takes there. Rooms belong to one group for the whole
   event, which keeps hard rules 2 and 3 for any reading of "sharing"; nightly
   beds per group and hotel and nested accessibility tiers per hotel and room
   size are linear constraints; every soft rule but the floors is a named,
   weighted term. Problems up to ``whole_model_people`` are solved as one model
   (at Games size with a few candidate hotels per delegation and every worker
   on CP-SAT's own neighbourhood search); larger ones by re-solving it on a few
   hotels at a time with everything else fixed (large-neighbourhood search,
   two neighbourhoods at once with two workers).
5. **Layout.** Concrete rooms and beds: each group takes the rooms the model
   counted for it (highest accessibility level first, a delegation's floors
   together), then its people fill them night by night; anyone the layout
   cannot place is repaired into a free room or reported.
   Every candidate plan is priced rule by rule (:func:`evaluate`) and only
   cheaper plans are kept, so the result never gets worse than the start.

The accessibility tiers are nested: an accessible room (tier 2) serves every
need, a ground-level room (tier 1, floor 0 or 1) serves ``ground_floor`` and
no-need people, any other room (tier 0) serves only people without needs.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from ortools.sat.python import cp_model

# ---------------------------------------------------------------------------
# Weights: one documented constant per soft rule (objective points).
# ---------------------------------------------------------------------------

#: Per person who could not be housed at all (a shortage, not a choice).
W_PERSON_WITHOUT_BED = 10_000_000
#: Per hotel used: each opened hotel needs its own reception and food-safety team.
W_HOTEL_OPENED = 50_000
#: Per hotel a delegation uses beyond its first.
W_EXTRA_HOTEL = 20_000
#: Per floor a delegation uses in one hotel beyond its first.
W_EXTRA_FLOOR = 500
#: Per person per minute of travel from the hotel to the venues of the delegation's sports.
W_TRAVEL_MIN = 100
#: Per whole CNY of bed-night cost (cost_per_bed_night x nights of each person housed).
W_BED_NIGHT_CNY = 1
#: Per person-night per point the hotel's survey score is below 100.
W_SURVEY_POINT_NIGHT = 5
#: Per person of a halal delegation housed in a hotel without a halal kitchen.
W_HALAL_OUTSIDE = 2_000
#: Per coach, head or staff member in a hotel where none of their delegation's athletes sleep.
W_COACH_APART = 3_000
#: Per person whose room changed from the previous accepted plan.
W_MOVE = 10_000

#: The rules, in the order a plan's cost is explained; each docstring reads like the spec.
RULES: dict[str, str] = {
    "person_without_bed": "Shortage: per person who could not be given a room (listed as unassigned).",
    "hotel_opened": "Soft rule: per hotel used; each opened hotel needs its own reception and food-safety team.",
    "extra_hotel": "Soft rule: per hotel a delegation uses beyond its first (keep each delegation in one hotel).",
    "extra_floor": "Soft rule: per floor a delegation uses in a hotel beyond its first.",
    "travel_min": "Soft rule: per person per minute from the hotel to the nearest venue of each of the delegation's sports (weighted by its athletes, partners and coaches).",
    "bed_night_cost": "Soft rule: per CNY of cost_per_bed_night x nights, for everyone housed.",
    "survey_score": "Soft rule: per person-night per point the hotel's survey score falls below 100.",
    "halal_outside_halal_hotel": "Soft rule: per person of a halal delegation housed in a hotel without a halal kitchen.",
    "coach_apart_from_athletes": "Soft rule: per coach, head or staff member housed in a hotel where none of their delegation's athletes or partners sleep.",
    "moved": "Soft rule: per person whose hotel or room differs from the previous accepted plan.",
}

#: Rounding the LP: a delegation's share of a hotel smaller than this (people, or fraction of the
#: delegation) is moved to its main hotel rather than opening another hotel for it.
LP_SHARE_MIN_PEOPLE = 8
LP_SHARE_MIN_FRACTION = 0.15
#: Rounding the LP: the relaxation that guides it may fill only this share of each hotel's beds.
LP_GUIDE_FILL = 0.97

#: The whole model's latest solution is laid out as a plan at most this often (seconds).
WHOLE_LAYOUT_EVERY_S = 5.0

#: Floor compaction after the search: CP-SAT work limit per hotel (deterministic seconds), and the
#: share of the time limit (at most FLOOR_COMPACT_MAX_S seconds) the search leaves for it.
FLOOR_COMPACT_DET_TIME = 0.05
FLOOR_COMPACT_SHARE = 0.05
FLOOR_COMPACT_MAX_S = 3.0

#: The neighbourhood search stops early after this many re-plans in a row without improvement
#: (at least LNS_STALL_MIN, LNS_STALL_PER_HOTEL per approved hotel).
LNS_STALL_MIN = 20
LNS_STALL_PER_HOTEL = 2
#: ... and each time first grows its neighbourhoods by a hotel, up to this many more.
LNS_GROW_HOTELS = 3

NEED_NONE, NEED_GROUND, NEED_ACCESSIBLE = 0, 1, 2
NEED_NAMES = {NEED_NONE: "", NEED_GROUND: "ground_floor", NEED_ACCESSIBLE: "accessible_room"}
_NEED_BY_NAME = {"": NEED_NONE, "none": NEED_NONE, "ground_floor": NEED_GROUND, "accessible_room": NEED_ACCESSIBLE}


@dataclass(frozen=True)
class Weights:
    """Objective weights, one per rule (points, non-negative integers)."""

    person_without_bed: int = W_PERSON_WITHOUT_BED
    hotel_opened: int = W_HOTEL_OPENED
    extra_hotel: int = W_EXTRA_HOTEL
    extra_floor: int = W_EXTRA_FLOOR
    travel_min: int = W_TRAVEL_MIN
    bed_night_cost: int = W_BED_NIGHT_CNY
    survey_score: int = W_SURVEY_POINT_NIGHT
    halal_outside_halal_hotel: int = W_HALAL_OUTSIDE
    coach_apart_from_athletes: int = W_COACH_APART
    moved: int = W_MOVE

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
                raise ValueError(f"weight {f.name} must be a whole number from 0 to 10^9, got {value!r}")

    def of(self, rule: str) -> int:
        return int(getattr(self, rule))


@dataclass(frozen=True)
class AccommodationParams:
    """Solver parameters, validated on creation.

    Attributes:
        time_limit_s: wall-clock limit of the CP-SAT search (the greedy start
            and the layout come on top, typically a second or two); the search
            leaves the last 5 % (at most 3 s) to put delegations on fewer floors.
        workers: CP-SAT search workers (threads).
        seed: random seed; with one worker and a fixed seed a solve that ends
            by proof (not by time) is repeatable.
        candidate_hotels: hotels considered per delegation in the model (the
            cheapest for it, plus any hotel the greedy start, pins or the
            previous plan use). 0 means every approved hotel.
        whole_model_people: at most this many people to place: one CP-SAT
            model over the whole problem (it may prove optimality); more than
            that: the neighbourhood search re-plans a few hotels at a time.
        search_only_people, large_candidate_hotels: more than this many
            people to place: the whole model gives each delegation at most
            ``large_candidate_hotels`` candidates and all workers improve the
            plan (no proof is attempted; at that size none comes in time).
        neighbourhood_hotels, neighbourhood_people, neighbourhood_time_s:
            size and time limit of each neighbourhood re-plan.
        max_neighbourhoods: stop the neighbourhood search after this many
            re-plans (None: only the time limit).
        deterministic: repeatable results: CP-SAT limits count work
            ("deterministic time") instead of seconds and the neighbourhood
            search runs one at a time for ``max_neighbourhoods`` re-plans
            (default 40); ``time_limit_s`` is then only a safety cap.
        release_previous_rooms: on a re-plan, let the optimiser release rooms
            of the previous plan (moving their occupants at ``weights.moved``
            each). When False, every previous assignment that is still valid
            is kept and only forced moves happen.
        lp_bound: also compute the LP lower bound over every hotel (CLP; GLOP if CLP is missing).
        weights: the soft-rule weights.
        log: print the CP-SAT search log.
    """

    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    candidate_hotels: int = 12
    whole_model_people: int = 20_000
    search_only_people: int = 2_000
    large_candidate_hotels: int = 6
    neighbourhood_hotels: int = 3
    neighbourhood_people: int = 400
    neighbourhood_time_s: float = 1.0
    max_neighbourhoods: int | None = None
    deterministic: bool = False
    release_previous_rooms: bool = False
    lp_bound: bool = True
    weights: Weights = field(default_factory=Weights)
    log: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.time_limit_s, bool) or not isinstance(self.time_limit_s, int | float):
            raise ValueError("time_limit_s must be a number of seconds")
        if not 0 < self.time_limit_s <= 24 * 3600 or self.time_limit_s != self.time_limit_s:
            raise ValueError(f"time_limit_s must be more than 0 and at most 86400 seconds, got {self.time_limit_s}")
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or not 1 <= self.workers <= 64:
            raise ValueError(f"workers must be a whole number from 1 to 64, got {self.workers!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < 2**31:
            raise ValueError(f"seed must be a whole number from 0 to 2^31-1, got {self.seed!r}")
        if (
            isinstance(self.candidate_hotels, bool)
            or not isinstance(self.candidate_hotels, int)
            or self.candidate_hotels < 0
        ):
            raise ValueError(f"candidate_hotels must be a whole number >= 0, got {self.candidate_hotels!r}")
        if isinstance(self.weights, dict):
            object.__setattr__(self, "weights", Weights(**self.weights))
        if not isinstance(self.weights, Weights):
            raise ValueError("weights must be a Weights instance or a dict of weights")
        for name in (
            "whole_model_people",
            "search_only_people",
            "large_candidate_hotels",
            "neighbourhood_hotels",
            "neighbourhood_people",
        ):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < (0 if name in ("whole_model_people", "search_only_people") else 1)
            ):
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
        if (
            isinstance(self.neighbourhood_time_s, bool)
            or not isinstance(self.neighbourhood_time_s, int | float)
            or not 0 < self.neighbourhood_time_s <= 3600
        ):
            raise ValueError(
                f"neighbourhood_time_s must be between 0 and 3600 seconds, got {self.neighbourhood_time_s!r}"
            )
        if self.max_neighbourhoods is not None and (
            isinstance(self.max_neighbourhoods, bool)
            or not isinstance(self.max_neighbourhoods, int)
            or self.max_neighbourhoods < 0
        ):
            raise ValueError(f"max_neighbourhoods must be None or a whole number >= 0, got {self.max_neighbourhoods!r}")
        for name in ("deterministic", "release_previous_rooms", "lp_bound", "log"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False")


# ---------------------------------------------------------------------------
# Problem and plan types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HotelData:
    """An approved hotel (unapproved hotels are simply not in the problem)."""

    id: str
    halal_kitchen: bool = False
    cost_per_bed_night_cny: int = 0
    survey_score: int = 100  # 0..100


@dataclass(frozen=True)
class RoomData:
    hotel: str
    room: str
    floor: int
    beds: int
    accessible: bool = False

    @property
    def ground_level(self) -> bool:
        return self.floor in (0, 1)

    @property
    def tier(self) -> int:
        """Accessibility tier: 2 accessible, 1 ground level, 0 other."""
        if self.accessible:
            return NEED_ACCESSIBLE
        return NEED_GROUND if self.ground_level else NEED_NONE


@dataclass(frozen=True)
class DelegationData:
    """A delegation; ``travel_min[i]`` is its travel time from ``problem.hotels[i]``."""

    id: str
    halal: bool = False
    travel_min: tuple[int, ...] = ()


@dataclass(frozen=True)
class PersonData:
    """A person to house on nights ``first_night .. end_night - 1``.

    ``need`` is ``""``, ``"ground_floor"`` or ``"accessible_room"`` (the latter
    also for wheelchair users).
    """

    id: str
    delegation: str
    gender: str
    athlete_group: bool
    need: str
    first_night: int
    end_night: int


@dataclass(frozen=True)
class PreviousAssignment:
    """One row of the previous accepted plan, with the nights it was planned for."""

    person: str
    hotel: str
    room: str
    first_night: int
    end_night: int


@dataclass(frozen=True)
class AccommodationProblem:
    hotels: tuple[HotelData, ...]
    rooms: tuple[RoomData, ...]
    delegations: tuple[DelegationData, ...]
    people: tuple[PersonData, ...]
    pins: tuple[tuple[str, str, str], ...] = ()  # (person, hotel, room)
    previous: tuple[PreviousAssignment, ...] = ()
    #: people whose records changed since the previous plan: when one of two room mates must move,
    #: the one who changed moves (the rows alone cannot tell who changed)
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unhoused:
    """A person without a room: ``reason`` is a code, ``night`` the night that is short.

    Codes: ``no_bed`` (no suitable bed left on ``night`` for their need).
    """

    person: str
    reason: str
    need: str
    night: int


@dataclass(frozen=True)
class Move:
    """A person of the previous plan whose room changed (``to_*`` None: now without a room).

    ``reason`` codes for forced moves: ``room_unavailable`` (hotel not approved
    or room gone), ``needs`` (the room does not meet their needs: theirs or the
    room changed), ``group`` (gender, delegation or role changed: the room is
    another group's), ``dates`` (their new nights do not fit the room),
    ``full`` (their nights did not change but the room has no bed left for
    them: fewer beds, or a pin took one), ``pinned`` (a pin took the room);
    unforced: ``released`` (the optimiser released the room).
    """

    person: str
    from_hotel: str
    from_room: str
    to_hotel: str | None
    to_room: str | None
    forced: bool
    reason: str
    night: int | None = None  # for ``dates`` and ``full``: a night that no longer fits


@dataclass(frozen=True)
class PenaltyLine:
    rule: str
    weight: int
    amount: int
    cost: int
    touches: tuple[str, ...] = ()


@dataclass(frozen=True)
class SolveStats:
    """How a solve went: objectives, bounds and times (seconds from the start of :func:`solve`).

    ``cp_bound`` is CP-SAT's bound on the whole model, when that model was
    run; it bounds plans that give each room to one group for the event
    (and leaves out extra floors), and ``cp_bound_is_global`` says whether
    every hotel was a candidate for every delegation. ``lp_bound`` is the
    linear relaxation's value, a lower bound on any plan.
    """

    greedy_objective: int
    greedy_seconds: float
    first_feasible_s: float
    total_seconds: float
    cp_status: str
    cp_objective: int | None
    cp_bound: float | None
    cp_bound_is_global: bool
    lp_bound: float | None
    lp_seconds: float | None
    solutions: int
    variables: int
    constraints: int
    candidate_pairs: int
    layout_repairs: int
    lns_iterations: int = 0
    lns_improvements: int = 0


@dataclass(frozen=True)
class AccommodationPlan:
    """The result. ``status``: optimal | feasible | stopped (best plan so far kept)."""

    assignments: tuple[tuple[str, str, str], ...]  # (person, hotel, room)
    unhoused: tuple[Unhoused, ...]
    moves: tuple[Move, ...]
    penalties: tuple[PenaltyLine, ...]
    objective: int
    bound: float | None  # best lower bound proven for the whole problem
    status: str
    stats: SolveStats
    rejected_pins: tuple[tuple[str, str, str, str], ...] = ()  # (person, hotel, room, reason code)


ProgressFn = Callable[[float | None, float | None, float, str], None]  # objective, bound, elapsed_s, message


# ---------------------------------------------------------------------------
# Instance: indexes and unit costs shared by every step
# ---------------------------------------------------------------------------


class _Instance:
    """Indexes of a problem, built once."""

    def __init__(self, problem: AccommodationProblem, weights: Weights) -> None:
        self.problem = problem
        self.w = weights
        self.hotels = list(problem.hotels)
        self.hotel_index = {h.id: i for i, h in enumerate(self.hotels)}
        self.rooms: list[RoomData] = [r for r in problem.rooms if r.hotel in self.hotel_index and r.beds >= 1]
        self.room_index = {(r.hotel, r.room): i for i, r in enumerate(self.rooms)}
        self.room_hotel = [self.hotel_index[r.hotel] for r in self.rooms]
        self.room_tier = [r.tier for r in self.rooms]
        self.rooms_of_hotel: list[list[int]] = [[] for _ in self.hotels]
        for i in range(len(self.rooms)):
            self.rooms_of_hotel[self.room_hotel[i]].append(i)
        for lst in self.rooms_of_hotel:
            lst.sort(key=lambda i: (self.rooms[i].floor, _natural(self.rooms[i].room)))
        self.hotel_beds = [sum(self.rooms[i].beds for i in lst) for lst in self.rooms_of_hotel]

        self.delegations = {d.id: d for d in problem.delegations}
        self.people = list(problem.people)
        self.person_index = {p.id: i for i, p in enumerate(self.people)}
        starts = [p.first_night for p in self.people] + [a.first_night for a in problem.previous]
        self.night0 = min(starts) if starts else 0
        ends = [p.end_night for p in self.people] + [a.end_night for a in problem.previous]
        self.nights = max(ends) - self.night0 if ends else 0
        self.first = [p.first_night - self.night0 for p in self.people]
        self.end = [p.end_night - self.night0 for p in self.people]
        self.need = [_NEED_BY_NAME.get(p.need, NEED_NONE) for p in self.people]
        group_keys = sorted(
            {(p.delegation, p.gender, p.athlete_group) for p in self.people}, key=lambda k: (k[0], k[1], not k[2])
        )
        self.group_keys = group_keys
        self.group_index = {k: i for i, k in enumerate(group_keys)}
        self.group_of = [self.group_index[(p.delegation, p.gender, p.athlete_group)] for p in self.people]
        self.group_delegation = [k[0] for k in group_keys]
        self.delegation_ids = sorted({p.delegation for p in self.people})
        self.groups_of_delegation: dict[str, list[int]] = defaultdict(list)
        for gi, k in enumerate(group_keys):
            self.groups_of_delegation[k[0]].append(gi)
        self.members: list[list[int]] = [[] for _ in group_keys]
        for pi, g in enumerate(self.group_of):
            self.members[g].append(pi)
        self.delegation_has_athletes = {
            d: any(self.group_keys[g][2] and self.members[g] for g in gs) for d, gs in self.groups_of_delegation.items()
        }
        self.nights_of = [e - f for f, e in zip(self.first, self.end, strict=True)]
        self.halal: dict[str, bool] = defaultdict(bool, {d.id: d.halal for d in problem.delegations})
        self._travel = {d.id: d.travel_min for d in problem.delegations}

    # unit cost of one person in a hotel (travel, bed-night cost, survey score, halal)
    def unit_cost(self, delegation: str, hotel: int, nights: int) -> int:
        h = self.hotels[hotel]
        d = self.delegations.get(delegation)
        travel = d.travel_min[hotel] if d and hotel < len(d.travel_min) else 0
        cost = self.w.travel_min * travel
        cost += self.w.bed_night_cost * h.cost_per_bed_night_cny * nights
        cost += self.w.survey_score * max(0, 100 - h.survey_score) * nights
        if d and d.halal and not h.halal_kitchen:
            cost += self.w.halal_outside_halal_hotel
        return cost

    def person_cost(self, pi: int, hotel: int) -> int:
        return self.unit_cost(self.people[pi].delegation, hotel, self.end[pi] - self.first[pi])

    def travel(self, delegation: str, hotel: int) -> int:
        row = self._travel.get(delegation, ())
        return row[hotel] if hotel < len(row) else 0


def _natural(text: str) -> tuple[object, ...]:
    """Sort key putting room "2" before "10"."""
    out: list[object] = []
    num = ""
    for ch in text:
        if ch.isdigit():
            num += ch
            continue
        if num:
            out.append((0, int(num), ""))
            num = ""
        out.append((1, 0, ch))
    if num:
        out.append((0, int(num), ""))
    return tuple(out)


# ---------------------------------------------------------------------------
# Layout state: who is in which room, per night
# ---------------------------------------------------------------------------


class _State:
    """Rooms, their owning group and nightly occupancy; people's rooms.

    Copies are cheap: a copy shares each room's nightly counts with its
    original until either writes to that room (copy on write), and keeps
    occupants and owned rooms in tuples.
    """

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.occ = [[0] * max(inst.nights, 1) for _ in inst.rooms]
        self._own_rows: set[int] = set(range(len(inst.rooms)))
        self.owner = [-1] * len(inst.rooms)
        self.room_of = [-1] * len(inst.people)
        self.occupants: list[tuple[int, ...]] = [() for _ in inst.rooms]
        self.owned: dict[tuple[int, int], tuple[int, ...]] = {}  # (group, hotel) -> rooms
        self.free_rooms: list[set[int]] = [set(lst) for lst in inst.rooms_of_hotel]  # unowned rooms per hotel
        self.free_tier_beds = [[0, 0, 0] for _ in inst.hotels]  # beds in unowned rooms, per tier
        for r, room in enumerate(inst.rooms):
            self.free_tier_beds[inst.room_hotel[r]][inst.room_tier[r]] += room.beds

    def copy(self) -> _State:
        other = _State.__new__(_State)
        other.inst = self.inst
        other.occ = list(self.occ)
        self._own_rows = set()  # from now on both write to fresh copies of a room's counts
        other._own_rows = set()
        other.owner = list(self.owner)
        other.room_of = list(self.room_of)
        other.occupants = list(self.occupants)
        other.owned = dict(self.owned)
        other.free_rooms = [set(s) for s in self.free_rooms]
        other.free_tier_beds = [list(b) for b in self.free_tier_beds]
        other.locked = self.locked
        return other

    def _writable(self, room: int) -> list[int]:
        if room not in self._own_rows:
            self.occ[room] = list(self.occ[room])
            self._own_rows.add(room)
        return self.occ[room]

    def fits(self, pi: int, room: int) -> bool:
        inst = self.inst
        g = inst.group_of[pi]
        if self.owner[room] not in (-1, g) or inst.room_tier[room] < inst.need[pi]:
            return False
        beds = inst.rooms[room].beds
        occ = self.occ[room]
        return all(occ[n] < beds for n in range(inst.first[pi], inst.end[pi]))

    def take_room(self, room: int, group: int) -> None:
        if self.owner[room] == group:
            return
        assert self.owner[room] == -1
        self.owner[room] = group
        h = self.inst.room_hotel[room]
        self.owned[(group, h)] = (*self.owned.get((group, h), ()), room)
        self.free_rooms[h].discard(room)
        self.free_tier_beds[h][self.inst.room_tier[room]] -= self.inst.rooms[room].beds

    def release_room(self, room: int) -> None:
        assert not self.occupants[room]
        g = self.owner[room]
        if g == -1:
            return
        h = self.inst.room_hotel[room]
        left = tuple(r for r in self.owned[(g, h)] if r != room)
        if left:
            self.owned[(g, h)] = left
        else:
            del self.owned[(g, h)]
        self.owner[room] = -1
        self.free_rooms[h].add(room)
        self.free_tier_beds[h][self.inst.room_tier[room]] += self.inst.rooms[room].beds

    def place(self, pi: int, room: int) -> None:
        inst = self.inst
        self.take_room(room, inst.group_of[pi])
        occ = self._writable(room)
        for n in range(inst.first[pi], inst.end[pi]):
            occ[n] += 1
        self.room_of[pi] = room
        self.occupants[room] = (*self.occupants[room], pi)

    def remove(self, pi: int) -> None:
        room = self.room_of[pi]
        if room < 0:
            return
        inst = self.inst
        occ = self._writable(room)
        for n in range(inst.first[pi], inst.end[pi]):
            occ[n] -= 1
        self.occupants[room] = tuple(p for p in self.occupants[room] if p != pi)
        self.room_of[pi] = -1

    def release_empty_rooms(self, rooms: Iterable[int] | None = None) -> None:
        for room in list(rooms if rooms is not None else range(len(self.owner))):
            if self.owner[room] != -1 and not self.occupants[room] and room not in self.locked:
                self.release_room(room)

    locked: frozenset[int] = frozenset()  # rooms kept owned even when empty (pinned rooms)

    def free_beds(self, hotel: int, min_tier: int = 0) -> int:
        """Beds in the hotel's unowned rooms of at least this tier."""
        return sum(self.free_tier_beds[hotel][min_tier:])

    def residual_beds(self, group: int, hotel: int, min_tier: int = 0) -> int:
        """Beds free on every night in rooms the group already owns in a hotel."""
        inst = self.inst
        total = 0
        for r in self.owned.get((group, hotel), ()):
            if inst.room_tier[r] >= min_tier:
                total += inst.rooms[r].beds - max(self.occ[r])
        return total

    def hotels_used(self) -> set[int]:
        return {self.inst.room_hotel[r] for r in range(len(self.owner)) if self.occupants[r]}


# ---------------------------------------------------------------------------
# Room filler: puts one group's people into rooms of one hotel
# ---------------------------------------------------------------------------


def _order_people(inst: _Instance, people: Iterable[int]) -> list[int]:
    """Hardest first: highest need tier, longest stay, earliest arrival, then id."""
    return sorted(
        people, key=lambda p: (-inst.need[p], -(inst.end[p] - inst.first[p]), inst.first[p], inst.people[p].id)
    )


def _fill(
    st: _State,
    group: int,
    hotel: int,
    people: Sequence[int],
    *,
    may_open: bool,
    prefer_room: dict[int, int] | None = None,
    spare_accessible: bool = False,
) -> list[int]:
    """Place people of one group in one hotel; return those that did not fit.

    Rooms the group already owns come first (best fit: lowest adequate tier,
    fullest); with ``may_open`` the group may take free rooms of the hotel,
    choosing the lowest adequate tier, the size that wastes fewest beds, and
    floors the delegation already uses. With ``spare_accessible`` people
    without needs never open an accessible room (kept for those who need one).
    """
    inst = st.inst
    delegation = inst.group_delegation[group]
    leftover = []
    todo = list(people)
    target_floor: int | None = None
    for idx, pi in enumerate(todo):
        need = inst.need[pi]
        choice = -1
        best_key: tuple[object, ...] | None = None
        if prefer_room:
            r = prefer_room.get(pi, -1)
            if r >= 0 and inst.room_hotel[r] == hotel and st.fits(pi, r) and (may_open or st.owner[r] == group):
                choice = r
        if choice < 0:
            for r in st.owned.get((group, hotel), ()):
                if inst.room_tier[r] >= need and st.fits(pi, r):
                    owned_key: tuple[object, ...] = (
                        inst.room_tier[r] - need,
                        -len(st.occupants[r]),
                        inst.rooms[r].floor,
                        r,
                    )
                    if best_key is None or owned_key < best_key:
                        best_key, choice = owned_key, r
        if choice < 0 and may_open:
            remaining = len(todo) - idx
            floors = _delegation_floors(st, delegation, hotel)
            if target_floor is None:
                target_floor = _roomiest_floor(st, hotel, remaining)
            best_key = None
            for r in st.free_rooms[hotel]:
                if inst.room_tier[r] < need or (
                    spare_accessible and need < NEED_ACCESSIBLE and inst.room_tier[r] == NEED_ACCESSIBLE
                ):
                    continue
                beds = inst.rooms[r].beds
                waste = max(0, beds - remaining)
                floor = inst.rooms[r].floor
                free_key: tuple[object, ...] = (
                    inst.room_tier[r] - need,
                    waste,
                    0 if floor in floors else 1 if floor == target_floor else 2,
                    -beds,
                    floor,
                    _natural(inst.rooms[r].room),
                )
                if best_key is None or free_key < best_key:
                    best_key, choice = free_key, r
        if choice < 0:
            leftover.append(pi)
        else:
            st.place(pi, choice)
    return leftover


def _roomiest_floor(st: _State, hotel: int, people: int) -> int:
    """The lowest floor whose free rooms hold ``people``, else the floor with most free beds."""
    inst = st.inst
    beds: Counter[int] = Counter()
    for r in st.free_rooms[hotel]:
        beds[inst.rooms[r].floor] += inst.rooms[r].beds
    if not beds:
        return -1
    enough = [f for f, b in beds.items() if b >= people]
    return min(enough) if enough else max(beds, key=lambda f: (beds[f], -f))


def _delegation_floors(st: _State, delegation: str, hotel: int) -> set[int]:
    inst = st.inst
    floors = set()
    for g in inst.groups_of_delegation.get(delegation, ()):
        for r in st.owned.get((g, hotel), ()):
            floors.add(inst.rooms[r].floor)
    return floors


# ---------------------------------------------------------------------------
# Step 1: pins and the previous plan
# ---------------------------------------------------------------------------


@dataclass
class _Fixed:
    state: _State
    pinned: set[int]  # people fixed by pins
    kept: dict[int, list[int]]  # previous room -> kept occupants (not pinned)
    forced: dict[int, tuple[str, int | None]]  # person -> (reason, night)
    previous_room: dict[int, tuple[str, str]]  # person -> (hotel id, room id) of the previous plan
    rejected_pins: list[tuple[str, str, str, str]]


def _fix_occupants(inst: _Instance) -> _Fixed:
    st = _State(inst)
    rejected: list[tuple[str, str, str, str]] = []
    pinned: set[int] = set()
    locked: set[int] = set()
    for person, hotel, room in inst.problem.pins:
        pi = inst.person_index.get(person)
        r = inst.room_index.get((hotel, room))
        if pi is None:
            rejected.append((person, hotel, room, "unknown_person"))
        elif pi in pinned:
            rejected.append((person, hotel, room, "pinned_twice"))
        elif r is None:
            rejected.append((person, hotel, room, "room_unavailable"))
        elif inst.room_tier[r] < inst.need[pi]:
            rejected.append((person, hotel, room, "needs"))
        elif st.owner[r] not in (-1, inst.group_of[pi]):
            rejected.append((person, hotel, room, "group"))
        elif not st.fits(pi, r):
            rejected.append((person, hotel, room, "full"))
        else:
            st.place(pi, r)
            pinned.add(pi)
            locked.add(r)
    st.locked = frozenset(locked)

    forced: dict[int, tuple[str, int | None]] = {}
    previous_room: dict[int, tuple[str, str]] = {}
    candidates: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # room -> [(person, dates unchanged)]
    for a in inst.problem.previous:
        pi = inst.person_index.get(a.person)
        if pi is None or pi in previous_room:
            continue
        previous_room[pi] = (a.hotel, a.room)
        if pi in pinned:
            continue
        r = inst.room_index.get((a.hotel, a.room))
        if r is None:
            forced[pi] = ("room_unavailable", None)
        elif inst.room_tier[r] < inst.need[pi]:
            forced[pi] = ("needs", None)
        else:
            same = (a.first_night - inst.night0, a.end_night - inst.night0) == (inst.first[pi], inst.end[pi])
            candidates[r].append((pi, same))
    kept: dict[int, list[int]] = {}
    changed = {inst.person_index[p] for p in inst.problem.changed if p in inst.person_index}
    for r in sorted(candidates):
        people = candidates[r]
        owner = st.owner[r]
        if owner == -1:
            # the group most of the room's unchanged previous occupants belong to keeps it
            steady = Counter(inst.group_of[pi] for pi, _ in people if pi not in changed)
            counts = Counter(inst.group_of[pi] for pi, _ in people)
            owner = min(counts, key=lambda g: (-steady[g], -counts[g], g))
        elif not any(inst.group_of[pi] == owner for pi, _ in people):
            for pi, _ in people:
                forced[pi] = ("pinned", None)
            continue
        keep = []
        for pi, same in sorted(
            people, key=lambda t: (not t[1], t[0] in changed, inst.first[t[0]], inst.people[t[0]].id)
        ):
            if inst.group_of[pi] != owner:
                forced[pi] = ("group", None)
            elif st.fits(pi, r):
                st.place(pi, r)
                keep.append(pi)
            else:
                beds = inst.rooms[r].beds
                night = next((n for n in range(inst.first[pi], inst.end[pi]) if st.occ[r][n] >= beds), None)
                # unchanged dates that no longer fit: the room has fewer beds, or a pin took one
                forced[pi] = ("dates" if not same else "full", night)
        if keep:
            kept[r] = keep
    return _Fixed(st, pinned, kept, forced, previous_room, rejected)


# ---------------------------------------------------------------------------
# Step 2: greedy plans
# ---------------------------------------------------------------------------


def _greedy(inst: _Instance, base: _State, pool: Sequence[int], prefer_room: dict[int, int]) -> _State:
    """Delegation by delegation (largest first), the cheapest hotel by estimated marginal cost.

    A first pass keeps accessible rooms for the people who need them; a
    second pass houses whoever is left in any room.
    """
    st = base.copy()
    left = _greedy_pass(inst, st, pool, prefer_room, spare_accessible=True)
    if left:
        _greedy_pass(inst, st, left, prefer_room, spare_accessible=False)
    return st


def _greedy_pass(
    inst: _Instance, st: _State, pool: Sequence[int], prefer_room: dict[int, int], spare_accessible: bool
) -> list[int]:
    by_delegation: dict[str, list[int]] = defaultdict(list)
    for pi in pool:
        by_delegation[inst.people[pi].delegation].append(pi)
    opened = st.hotels_used()
    order = sorted(by_delegation, key=lambda d: (-len(by_delegation[d]), d))
    hotel_count = len(inst.hotels)
    not_housed: list[int] = []
    for d in order:
        remaining = by_delegation[d]
        avg_nights = max(1, round(sum(inst.end[p] - inst.first[p] for p in remaining) / len(remaining)))
        unit = [inst.unit_cost(d, h, avg_nights) for h in range(hotel_count)]
        best_unit = min(unit) if unit else 0
        used = {
            inst.room_hotel[st.room_of[p]]
            for g in inst.groups_of_delegation[d]
            for p in inst.members[g]
            if st.room_of[p] >= 0
        }
        exhausted: set[int] = set()
        groups = inst.groups_of_delegation[d]
        while remaining:
            need2 = sum(1 for p in remaining if inst.need[p] == NEED_ACCESSIBLE)
            need1 = sum(1 for p in remaining if inst.need[p] >= NEED_GROUND)
            best_h, best_cost = -1, None
            for h in range(hotel_count):
                if h in exhausted:
                    continue
                cap = st.free_beds(h) + sum(st.residual_beds(g, h) for g in groups)
                if spare_accessible and not need2:
                    cap -= st.free_beds(h, NEED_ACCESSIBLE)
                if cap <= 0:
                    continue
                fit = min(len(remaining), cap)
                cost = unit[h] * fit
                if h not in opened:
                    cost += inst.w.hotel_opened
                if used and h not in used:
                    cost += inst.w.extra_hotel
                short = len(remaining) - fit
                if need2:
                    short = max(
                        short,
                        need2
                        - st.free_beds(h, NEED_ACCESSIBLE)
                        - sum(st.residual_beds(g, h, NEED_ACCESSIBLE) for g in groups),
                    )
                if need1:
                    short = max(
                        short,
                        need1 - st.free_beds(h, NEED_GROUND) - sum(st.residual_beds(g, h, NEED_GROUND) for g in groups),
                    )
                if short > 0:
                    cost += inst.w.extra_hotel + short * best_unit
                if best_cost is None or cost < best_cost:
                    best_h, best_cost = h, cost
            if best_h < 0:
                break
            left: list[int] = []
            for g in groups:
                members = [p for p in remaining if inst.group_of[p] == g]
                if members:
                    left += _fill(
                        st,
                        g,
                        best_h,
                        _order_people(inst, members),
                        may_open=True,
                        prefer_room=prefer_room,
                        spare_accessible=spare_accessible,
                    )
            if len(left) < len(remaining):
                used.add(best_h)
                opened.add(best_h)
            exhausted.add(best_h)
            remaining = left
        not_housed += remaining
    return not_housed


def _lp_guided(
    inst: _Instance,
    base: _State,
    pool: Sequence[int],
    prefer_room: dict[int, int],
    shares: dict[tuple[str, int, _Type], float],
) -> _State:
    """Round the LP relaxation: each delegation takes its LP hotels, largest share first.

    In each of its LP hotels a delegation places as many people of each
    (need, stay) type as the LP put there (rounded), whole gender and role
    groups together as far as the counts allow; whoever does not fit goes
    on to its next LP hotel, then to the cheapest hotels with room.
    """
    st = base.copy()
    by_delegation: dict[str, list[int]] = defaultdict(list)
    for pi in pool:
        by_delegation[inst.people[pi].delegation].append(pi)
    plan: dict[str, dict[int, dict[_Type, float]]] = defaultdict(lambda: defaultdict(dict))
    for (d, h, t), x in shares.items():
        plan[d][h][t] = x
    # the LP splits delegations for free: a share too small to be worth a hotel of its own joins the main hotel
    for by_hotel in plan.values():
        totals = {h: sum(ts.values()) for h, ts in by_hotel.items()}
        size = sum(totals.values())
        main = max(totals, key=lambda h: (totals[h], -h))
        for h in [
            h for h, x in totals.items() if h != main and x < max(LP_SHARE_MIN_PEOPLE, LP_SHARE_MIN_FRACTION * size)
        ]:
            for t, x in by_hotel.pop(h).items():
                by_hotel[main][t] = by_hotel[main].get(t, 0.0) + x
    left_over: list[int] = []
    for spare in (True, False):
        todo = by_delegation if spare else _by_delegation(inst, left_over)
        left_over = []
        for d in sorted(todo, key=lambda d: (-len(todo[d]), d)):
            remaining = list(todo[d])
            hotels = sorted(plan.get(d, {}), key=lambda h: (-sum(plan[d][h].values()), h))
            for i, h in enumerate(hotels):
                if not remaining:
                    break
                last = i == len(hotels) - 1
                by_type: dict[_Type, list[int]] = defaultdict(list)
                for p in sorted(remaining, key=lambda p: (inst.group_of[p], inst.people[p].id)):
                    by_type[_type_of(inst, p)].append(p)
                chosen: list[int] = []
                for t, members in by_type.items():
                    n = len(members) if last else int(round(plan[d][h].get(t, 0.0)))
                    chosen += members[:n]
                placed_any = False
                taken = set(chosen)
                rest = [p for p in remaining if p not in taken]
                for g in inst.groups_of_delegation[d]:
                    members = [p for p in chosen if inst.group_of[p] == g]
                    if members:
                        leftover = _fill(
                            st,
                            g,
                            h,
                            _order_people(inst, members),
                            may_open=True,
                            prefer_room=prefer_room,
                            spare_accessible=spare,
                        )
                        placed_any = placed_any or len(leftover) < len(members)
                        rest += leftover
                remaining = rest
            left_over += remaining
    # whoever is left: the cheapest hotels with room
    if left_over:
        left_over = _greedy_pass(inst, st, left_over, prefer_room, spare_accessible=False)
    return st


def _by_delegation(inst: _Instance, people: Iterable[int]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for p in people:
        out[inst.people[p].delegation].append(p)
    return out


def _nearest_hotel_greedy(inst: _Instance, base: _State, pool: Sequence[int]) -> _State:
    """The plain baseline: delegation by delegation, nearest approved hotel with room."""
    st = base.copy()
    by_delegation: dict[str, list[int]] = defaultdict(list)
    for pi in pool:
        by_delegation[inst.people[pi].delegation].append(pi)
    for d in sorted(by_delegation):
        remaining = by_delegation[d]
        for h in sorted(range(len(inst.hotels)), key=lambda h: (inst.travel(d, h), inst.hotels[h].id)):
            if not remaining:
                break
            left: list[int] = []
            for g in inst.groups_of_delegation[d]:
                members = [p for p in remaining if inst.group_of[p] == g]
                if members:
                    left += _fill(st, g, h, _order_people(inst, members), may_open=True)
            remaining = left
    return st


# ---------------------------------------------------------------------------
# Evaluation: the cost of a concrete plan, rule by rule
# ---------------------------------------------------------------------------


def _evaluate(inst: _Instance, st: _State, previous_room: dict[int, tuple[str, str]]) -> tuple[int, list[PenaltyLine]]:
    """Objective and per-rule penalties of a concrete plan (extra floors included).

    Works room by room (everyone in a room shares delegation and hotel), so
    the neighbourhood search can afford it after every re-plan.
    """
    w = inst.w
    amounts: dict[str, int] = defaultdict(int)
    touches: dict[str, set[str]] = defaultdict(set)
    hotels_of: dict[str, set[int]] = defaultdict(set)
    floors_of: dict[tuple[str, int], set[int]] = defaultdict(set)
    athletes_in: set[tuple[str, int]] = set()
    staff_in: dict[tuple[str, int], int] = defaultdict(int)
    opened: set[int] = set()
    nights_of = inst.nights_of
    for r, occupants in enumerate(st.occupants):
        if not occupants:
            continue
        h = inst.room_hotel[r]
        hotel = inst.hotels[h]
        g = st.owner[r]
        d, _gender, athletes = inst.group_keys[g]
        people = len(occupants)
        nights = sum(nights_of[p] for p in occupants)
        opened.add(h)
        hotels_of[d].add(h)
        floors_of[(d, h)].add(inst.rooms[r].floor)
        travel = inst.travel(d, h)
        if travel:
            amounts["travel_min"] += travel * people
            touches["travel_min"].add(d)
        if hotel.cost_per_bed_night_cny:
            amounts["bed_night_cost"] += hotel.cost_per_bed_night_cny * nights
            touches["bed_night_cost"].add(d)
        if hotel.survey_score < 100:
            amounts["survey_score"] += (100 - hotel.survey_score) * nights
            touches["survey_score"].add(d)
        if inst.halal[d] and not hotel.halal_kitchen:
            amounts["halal_outside_halal_hotel"] += people
            touches["halal_outside_halal_hotel"].add(d)
        if athletes:
            athletes_in.add((d, h))
        else:
            staff_in[(d, h)] += people
    unhoused = [pi for pi, r in enumerate(st.room_of) if r < 0]
    if unhoused:
        amounts["person_without_bed"] = len(unhoused)
        touches["person_without_bed"] = {inst.people[pi].delegation for pi in unhoused}
    amounts["hotel_opened"] = len(opened)
    touches["hotel_opened"] = {inst.hotels[h].id for h in opened}
    for d, hs in hotels_of.items():
        if len(hs) > 1:
            amounts["extra_hotel"] += len(hs) - 1
            touches["extra_hotel"].add(d)
    for (d, _h), fl in floors_of.items():
        if len(fl) > 1:
            amounts["extra_floor"] += len(fl) - 1
            touches["extra_floor"].add(d)
    for (d, h), n in staff_in.items():
        if inst.delegation_has_athletes.get(d) and (d, h) not in athletes_in:
            amounts["coach_apart_from_athletes"] += n
            touches["coach_apart_from_athletes"].add(d)
    if previous_room:
        for pi, (hotel_id, room_id) in previous_room.items():
            r = st.room_of[pi]
            if r < 0 or (inst.rooms[r].hotel, inst.rooms[r].room) != (hotel_id, room_id):
                amounts["moved"] += 1
                touches["moved"].add(inst.people[pi].delegation)
    lines = []
    cost_total = 0
    for rule in RULES:
        amount = amounts.get(rule, 0)
        cost = w.of(rule) * amount
        cost_total += cost
        if amount:
            lines.append(PenaltyLine(rule, w.of(rule), amount, cost, tuple(sorted(touches.get(rule, ())))))
    return cost_total, lines


# ---------------------------------------------------------------------------
# Step 3: the aggregate CP-SAT model
# ---------------------------------------------------------------------------

_Type = tuple[int, int, int]  # (need tier, first night, end night)


@dataclass
class _Counts:
    """A model solution: people per (group, hotel, type), rooms per (group, hotel, size, level), rooms kept."""

    x: dict[tuple[int, int, _Type], int]
    rooms: dict[tuple[int, int, int, int], int]
    keep: dict[int, int]


class _Model:
    """Counts per group x hotel x (need, stay) and rooms per group x hotel x size x tier.

    Variables: ``open[h]`` hotel used, ``use[d, h]`` delegation in hotel,
    ``x[g, h, type]`` people, ``rooms[g, h, beds, level]`` rooms given to a
    group (of tier ``level`` or higher; levels 0 to the group's highest need),
    ``un[g, type]`` people left without a bed, ``keep[r]`` previous room kept
    (constant 1 unless rooms may be released), ``extra[d]`` extra hotels,
    ``apart[d, h]`` coaches and staff without their athletes.
    """

    def __init__(
        self,
        inst: _Instance,
        fixed: _Fixed,
        pool: Sequence[int],
        candidates: dict[str, list[int]],
        release: bool,
        unhoused_cap: int | None = None,
        housing_only: bool = False,
        local: bool = False,
    ) -> None:
        self.inst, self.fixed, self.candidates = inst, fixed, candidates
        # local: a neighbourhood model; only the pool's delegations are modelled and constants are left out
        self.local = local
        self.unhoused_cap, self.housing_only = unhoused_cap, housing_only
        self.m = m = cp_model.CpModel()
        base = fixed.state
        self.obj_vars: list[cp_model.IntVar] = []
        self.obj_coefs: list[int] = []
        self.constant = 0

        # ---- who is to be housed: pool people, and occupants of releasable rooms
        self.type_count: dict[int, Counter[_Type]] = defaultdict(Counter)
        for pi in pool:
            self.type_count[inst.group_of[pi]][_type_of(inst, pi)] += 1
        self.keep: dict[int, cp_model.IntVar | int] = {}
        self.kept_types: dict[int, Counter[_Type]] = {}
        for r, people in fixed.kept.items():
            if r in base.locked:
                continue
            self.kept_types[r] = Counter(_type_of(inst, p) for p in people)
            self.keep[r] = m.new_bool_var(f"keep_{r}") if release else 1
        self.releasable_rooms = [r for r, k in self.keep.items() if isinstance(k, cp_model.IntVar)]
        group_set = set(self.type_count) | {base.owner[r] for r in self.releasable_rooms}
        self.groups = sorted(group_set)
        self.types: dict[int, list[_Type]] = {}
        self.size: dict[int, int] = {}
        for g in self.groups:
            ts = set(self.type_count[g])
            size = sum(self.type_count[g].values())
            for r in self.releasable_rooms:
                if base.owner[r] == g:
                    ts |= set(self.kept_types[r])
                    size += sum(self.kept_types[r].values())
            self.types[g] = sorted(ts)
            self.size[g] = size
        self.group_needs = {g: max((t[0] for t in self.types[g]), default=0) for g in self.groups}

        # ---- beds the model may hand out: in free rooms and releasable kept rooms, per hotel and tier
        self.free_beds = [[0, 0, 0] for _ in inst.hotels]
        # rooms per (hotel, beds, tier): free ones counted, releasable ones listed
        self.free_count: Counter[tuple[int, int, int]] = Counter()
        for h, rooms in enumerate(base.free_rooms):
            for r in rooms:
                self.free_beds[h][inst.room_tier[r]] += inst.rooms[r].beds
                self.free_count[(h, inst.rooms[r].beds, inst.room_tier[r])] += 1
        self.releasable: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        self.releasable_sized: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for r in self.releasable_rooms:
            self.releasable[(inst.room_hotel[r], inst.room_tier[r])].append((r, inst.rooms[r].beds))
            self.releasable_sized[(inst.room_hotel[r], inst.rooms[r].beds, inst.room_tier[r])].append(r)
        self.avail = [
            [self.free_beds[h][t] + sum(b for _, b in self.releasable[(h, t)]) for t in range(3)]
            for h in range(len(inst.hotels))
        ]
        # room sizes per hotel among the rooms the model may hand out
        self.sizes_of: dict[int, list[int]] = defaultdict(list)
        for h, size, _tier in sorted(set(self.free_count) | set(self.releasable_sized)):
            if size not in self.sizes_of[h]:
                self.sizes_of[h].append(size)

        # ---- fixed occupants per delegation and hotel
        self.fixed_rooms: dict[tuple[str, int], list[int]] = defaultdict(list)
        scope = {inst.group_delegation[g] for g in self.groups} if local else None
        if scope is None:
            occupied: Iterable[int] = (r for r in range(len(inst.rooms)) if base.occupants[r])
        else:
            occupied = (r for (g, _h), rooms in base.owned.items() if inst.group_delegation[g] in scope for r in rooms)
        for r in occupied:
            if base.occupants[r]:
                self.fixed_rooms[(inst.group_delegation[base.owner[r]], inst.room_hotel[r])].append(r)

        self._add_hotels_and_delegations()
        self._add_people()
        self._add_beds()
        self._add_nightly_beds()
        self._add_coaches_apart()
        self._add_fixed_costs_and_moves()
        if self.housing_only:
            self.constant = 0
        m.minimize(cp_model.LinearExpr.weighted_sum(self.obj_vars, self.obj_coefs) + self.constant)

    def _obj(self, var: cp_model.IntVar, coef: int) -> None:
        if coef and not self.housing_only:
            self.obj_vars.append(var)
            self.obj_coefs.append(coef)

    def _add_hotels_and_delegations(self) -> None:
        """Soft rules: hotels opened; extra hotels per delegation."""
        inst, m = self.inst, self.m
        delegations = sorted({inst.group_delegation[g] for g in self.groups} | {d for d, _ in self.fixed_rooms})
        self.delegations = delegations
        self.hotels_of_d: dict[str, list[int]] = {}
        for d in delegations:
            self.hotels_of_d[d] = sorted(
                set(self.candidates.get(d, ())) | {h for (dd, h) in self.fixed_rooms if dd == d}
            )
        model_hotels = sorted({h for hs in self.hotels_of_d.values() for h in hs})
        self.open = {h: m.new_bool_var(f"open_{h}") for h in model_hotels}
        for v in self.open.values():
            self._obj(v, inst.w.hotel_opened)
        self.use: dict[tuple[str, int], cp_model.IntVar] = {}
        for d in delegations:
            for h in self.hotels_of_d[d]:
                u = m.new_bool_var(f"use_{d}_{h}")
                self.use[(d, h)] = u
                m.add_implication(u, self.open[h])
        for (d, h), rooms in self.fixed_rooms.items():
            for r in rooms:
                k = self.keep.get(r, 1)
                if isinstance(k, cp_model.IntVar):
                    m.add_implication(k, self.use[(d, h)])
                else:
                    m.add(self.use[(d, h)] == 1)
        self.extra: dict[str, cp_model.IntVar] = {}
        for d in delegations:
            uses = [self.use[(d, h)] for h in self.hotels_of_d[d]]
            if len(uses) > 1:
                extra = m.new_int_var(0, len(uses) - 1, f"extra_{d}")
                m.add(extra >= sum(uses) - 1)
                self.extra[d] = extra
                self._obj(extra, inst.w.extra_hotel)

    def _add_people(self) -> None:
        """Everyone is housed or counted as without a bed.

        At most ``unhoused_cap`` people may stay without a bed (the number a
        first, housing-only solve or the current plan leaves). Capping the
        count rather than only weighting it keeps the huge weight away from
        CP-SAT's linear relaxation, which otherwise stalls.
        """
        inst, m, base = self.inst, self.m, self.fixed.state
        self.x: dict[tuple[int, int, _Type], cp_model.IntVar] = {}
        self.un: dict[tuple[int, _Type], cp_model.IntVar] = {}
        cap = self.unhoused_cap
        for g in self.groups:
            d = inst.group_delegation[g]
            for t in self.types[g]:
                released = [
                    (self.kept_types[r][t], self.keep[r])
                    for r in self.releasable_rooms
                    if base.owner[r] == g and self.kept_types[r][t]
                ]
                upper = self.type_count[g][t] + sum(c for c, _ in released)
                un = m.new_int_var(0, upper if cap is None else min(upper, cap), f"un_{g}_{t}")
                self.un[(g, t)] = un
                if not self.housing_only:
                    self._obj(un, inst.w.person_without_bed)
                xs = []
                for h in self.candidates.get(d, ()):
                    v = m.new_int_var(0, upper, f"x_{g}_{h}_{t}")
                    self.x[(g, h, t)] = v
                    xs.append(v)
                    if not self.housing_only:
                        self._obj(v, inst.unit_cost(d, h, t[2] - t[1]))
                    room_for = sum(self.avail[h][t[0] :]) + sum(
                        inst.rooms[r].beds for r in base.owned.get((g, h), ()) if inst.room_tier[r] >= t[0]
                    )
                    m.add(v <= min(upper, room_for) * self.use[(d, h)])
                m.add(sum(xs) + un == self.type_count[g][t] + sum(c * (1 - k) for c, k in released))
        if cap is not None and self.un:
            m.add(sum(self.un.values()) <= cap)
        if self.housing_only:
            self.obj_vars = list(self.un.values())
            self.obj_coefs = [1] * len(self.obj_vars)

    def _add_beds(self) -> None:
        """Hard rules 1-4 in aggregate: whole rooms per group, hotel, room size and accessibility level.

        ``rooms[g, h, size, level]`` are free (or releasable) rooms of ``size``
        beds the group takes in a hotel, of tier ``level`` or higher (level 0: any
        room); ``beds[g, h, level]`` their beds. A room holds one group, so
        counting whole rooms (not pooled beds) keeps a group's last, part-full
        room in the model. The levels are nested: per hotel and size, the
        rooms taken at level k or above never exceed the rooms of tier k or
        above, which is exactly when the rooms can be handed out (the layout
        takes the highest levels first).
        """
        inst, m = self.inst, self.m
        self.rooms: dict[tuple[int, int, int, int], cp_model.IntVar] = {}
        self.room_upper: dict[tuple[int, int, int, int], int] = {}
        self.beds: dict[tuple[int, int, int], Any] = {}
        releasable_of: dict[int, list[int]] = defaultdict(list)
        for r in self.releasable_rooms:
            releasable_of[self.fixed.state.owner[r]].append(r)
        for g in self.groups:
            d = inst.group_delegation[g]
            # people of the group to house at each level: the pool's and those of its releasable rooms
            needing = [
                sum(n for t, n in self.type_count[g].items() if t[0] >= level)
                + sum(n for r in releasable_of[g] for t, n in self.kept_types[r].items() if t[0] >= level)
                for level in range(self.group_needs[g] + 1)
            ]
            for h in self.candidates.get(d, ()):
                for level in range(self.group_needs[g] + 1):
                    terms = []
                    for size in self.sizes_of.get(h, ()):
                        count = sum(self.free_count[(h, size, t)] for t in range(level, 3)) + sum(
                            len(self.releasable_sized[(h, size, t)]) for t in range(level, 3)
                        )
                        upper = min(count, -(-needing[level] // size))
                        if upper <= 0:
                            continue
                        v = m.new_int_var(0, upper, f"rooms_{g}_{h}_{size}_{level}")
                        self.room_upper[(g, h, size, level)] = upper
                        m.add(v <= upper * self.use[(d, h)])
                        self.rooms[(g, h, size, level)] = v
                        terms.append(size * v)
                    if terms:
                        self.beds[(g, h, level)] = sum(terms)
        by_hotel_size: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for (_g, h, size, level), v in self.rooms.items():
            by_hotel_size[(h, size)].append((level, v))
        for (h, size), items in sorted(by_hotel_size.items()):
            for min_tier in (0, 1, 2):
                chosen = [v for level, v in items if level >= min_tier]
                if not chosen:
                    continue
                free = sum(self.free_count[(h, size, t)] for t in range(min_tier, 3))
                released = [1 - self.keep[r] for t in range(min_tier, 3) for r in self.releasable_sized[(h, size, t)]]
                m.add(sum(chosen) <= free * self.open[h] + sum(released))

    def _add_nightly_beds(self) -> None:
        """Hard rules 1 and 4 per night: the group's people fit its beds, tier by tier."""
        inst, m, base = self.inst, self.m, self.fixed.state
        for g in self.groups:
            d = inst.group_delegation[g]
            types = self.types[g]
            tiers_needed = sorted({0} | {t[0] for t in types})
            for h in self.candidates.get(d, ()):
                xs = [self.x[(g, h, t)] for t in types]
                owned = list(base.owned.get((g, h), ()))
                # not min(size, beds): people whose stays do not overlap can take turns in one bed
                m.add(sum(xs) <= self.size[g] * self.use[(d, h)])
                bed_vars = [(level, self.beds[(g, h, level)]) for level in (2, 1, 0) if (g, h, level) in self.beds]
                nights = {t[1] for t in types}
                for r in owned:
                    nights |= {inst.first[p] for p in base.occupants[r]}
                seen: set[tuple[object, ...]] = set()
                for n in sorted(nights):
                    active = [t for t in types if t[1] <= n < t[2]]
                    for min_tier in tiers_needed:
                        act = [t for t in active if t[0] >= min_tier]
                        if not act:
                            continue
                        resid: list[tuple[int, int]] = []  # (free beds, room)
                        for r in owned:
                            if inst.room_tier[r] >= min_tier and n < inst.nights:
                                free = inst.rooms[r].beds - base.occ[r][n]
                                if free > 0:
                                    resid.append((free, r))
                        sig = (min_tier, tuple(act), tuple(resid))
                        if sig in seen:
                            continue
                        seen.add(sig)
                        cap = [v for level, v in bed_vars if level >= min_tier]
                        m.add(
                            sum(self.x[(g, h, t)] for t in act)
                            <= sum(cap) + sum(c * self.keep.get(r, 1) for c, r in resid)
                        )

    def _add_coaches_apart(self) -> None:
        """Soft rule: coaches, heads and staff in a hotel where their delegation's athletes sleep."""
        inst, m, base = self.inst, self.m, self.fixed.state
        self.apart: dict[tuple[str, int], cp_model.IntVar] = {}
        self.athletes: dict[tuple[str, int], cp_model.IntVar] = {}
        for d in self.delegations:
            if not inst.delegation_has_athletes.get(d):
                continue
            gs = inst.groups_of_delegation[d]
            staff_groups = [g for g in gs if not inst.group_keys[g][2]]
            ath_groups = [g for g in gs if inst.group_keys[g][2]]
            staff_size = sum(len(inst.members[g]) for g in staff_groups)
            if not staff_size:
                continue
            for h in self.hotels_of_d[d]:
                staff_x = [
                    self.x[(g, h, t)]
                    for g in staff_groups
                    if g in self.types
                    for t in self.types[g]
                    if (g, h, t) in self.x
                ]
                staff_fixed = [
                    (len(base.occupants[r]), self.keep.get(r, 1))
                    for g in staff_groups
                    for r in base.owned.get((g, h), ())
                    if base.occupants[r]
                ]
                if not staff_x and not staff_fixed:
                    continue
                ath_x = [
                    self.x[(g, h, t)]
                    for g in ath_groups
                    if g in self.types
                    for t in self.types[g]
                    if (g, h, t) in self.x
                ]
                ath_fixed = [
                    self.keep.get(r, 1) for g in ath_groups for r in base.owned.get((g, h), ()) if base.occupants[r]
                ]
                ath = m.new_bool_var(f"athletes_{d}_{h}")
                m.add(ath <= sum(ath_x) + sum(ath_fixed))
                apart = m.new_int_var(0, staff_size, f"apart_{d}_{h}")
                m.add(apart >= sum(staff_x) + sum(c * k for c, k in staff_fixed) - staff_size * ath)
                self.athletes[(d, h)] = ath
                self.apart[(d, h)] = apart
                self._obj(apart, inst.w.coach_apart_from_athletes)

    def _add_fixed_costs_and_moves(self) -> None:
        """Fixed occupants' costs (constant unless released) and moves from the previous plan."""
        inst, base, w = self.inst, self.fixed.state, self.inst.w
        if self.local:
            return  # constants do not change which neighbourhood plan is best
        for r in range(len(inst.rooms)):
            if not base.occupants[r]:
                continue
            h = inst.room_hotel[r]
            cost = sum(inst.person_cost(p, h) for p in base.occupants[r])
            k = self.keep.get(r, 1)
            if isinstance(k, cp_model.IntVar):
                moved = len(base.occupants[r]) * w.moved
                self.constant += moved  # released: every occupant moves ...
                self._obj(k, cost - moved)  # ... kept: they stay and cost as before
            else:
                self.constant += cost
        self.constant += w.moved * len(self.fixed.forced)

    # ----------------------------------------------------------- hints
    def hint(self, st: _State) -> None:
        """Give a complete plan (the greedy one) as the search's starting point."""
        inst, m, base = self.inst, self.m, self.fixed.state
        count: Counter[tuple[int, int, _Type]] = Counter()
        rooms: Counter[tuple[int, int, int, int]] = Counter()
        hotels_used: set[int] = set()
        use: set[tuple[str, int]] = set()
        staff_in: Counter[tuple[str, int]] = Counter()
        ath_in: set[tuple[str, int]] = set()
        for r in range(len(inst.rooms)):
            if not st.occupants[r]:
                continue
            h = inst.room_hotel[r]
            g = st.owner[r]
            d = inst.group_delegation[g]
            hotels_used.add(h)
            use.add((d, h))
            if inst.group_keys[g][2]:
                ath_in.add((d, h))
            else:
                staff_in[(d, h)] += len(st.occupants[r])
            if base.owner[r] == -1:
                level = min(inst.room_tier[r], self.group_needs.get(g, 0))
                rooms[(g, h, inst.rooms[r].beds, level)] += 1
            for p in st.occupants[r]:
                if p not in base.occupants[r]:
                    count[(g, h, _type_of(inst, p))] += 1
        for key, v in self.x.items():
            m.add_hint(v, count.get(key, 0))
        for (g, t), v in self.un.items():
            placed = sum(count.get((g, h, t), 0) for h in self.candidates.get(inst.group_delegation[g], ()))
            m.add_hint(v, max(0, self.type_count[g][t] - placed))
        # a room counts at the highest level its tier and the group's needs allow; a level's variable may
        # allow fewer rooms (those its needing people fill): the rest count one level down, which the
        # nightly constraints accept (a room of tier >= k is also of tier >= k - 1)
        hinted: Counter[tuple[int, int, int, int]] = Counter()
        for g, h, size in sorted({(g, h, size) for g, h, size, _level in rooms}):
            carry = 0
            for level in range(self.group_needs.get(g, 0), -1, -1):
                n = rooms.get((g, h, size, level), 0) + carry
                upper = self.room_upper.get((g, h, size, level), 0)
                hinted[(g, h, size, level)] = min(n, upper)
                carry = n - min(n, upper)
        for room_key, v in self.rooms.items():
            m.add_hint(v, hinted.get(room_key, 0))
        for h, v in self.open.items():
            m.add_hint(v, 1 if h in hotels_used else 0)
        for use_key, v in self.use.items():
            m.add_hint(v, 1 if use_key in use else 0)
        for d, v in self.extra.items():
            m.add_hint(v, max(0, sum(1 for h in self.hotels_of_d[d] if (d, h) in use) - 1))
        for r in self.releasable_rooms:
            m.add_hint(self.keep[r], 1)  # type: ignore[arg-type]
        for dh, v in self.athletes.items():
            m.add_hint(v, 1 if dh in ath_in else 0)
        for dh, v in self.apart.items():
            m.add_hint(v, 0 if dh in ath_in else staff_in.get(dh, 0))

    def values(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> _Counts:
        """People per group, hotel and type; rooms per group, hotel, size and level; releasable rooms kept."""
        x = {k: int(solver.value(v)) for k, v in self.x.items()}
        rooms = {k: n for k, v in self.rooms.items() if (n := int(solver.value(v))) > 0}
        keep = {r: int(solver.value(k)) if isinstance(k, cp_model.IntVar) else 1 for r, k in self.keep.items()}
        return _Counts(x, rooms, keep)


def _type_of(inst: _Instance, pi: int) -> _Type:
    return (inst.need[pi], inst.first[pi], inst.end[pi])


# ---------------------------------------------------------------------------
# Step 4: lay out rooms and beds from the model's counts
# ---------------------------------------------------------------------------


def _layout(
    inst: _Instance,
    fixed: _Fixed,
    pool: Sequence[int],
    counts: _Counts,
    prefer_room: dict[int, int],
    hotels: Sequence[int] | None = None,
) -> tuple[_State, int]:
    """Concrete rooms and beds for the model's counts; returns the state and how many needed repair.

    Which people of a group go to which hotel follows the counts (people who
    slept in a hotel before go back to it first). In each hotel the groups
    take the rooms the model gave them, highest accessibility level first
    (so every level finds its rooms), rooms people slept in before first,
    then the lowest adequate tier and floors their delegation already uses.
    People then fill their group's rooms; anyone left over (dates that do
    not share beds as the nightly counts suggest) is repaired into the
    cheapest free bed elsewhere.
    """
    st = fixed.state.copy()
    people = list(pool)
    for r, k in sorted(counts.keep.items()):
        if k == 0:
            for p in list(st.occupants[r]):
                st.remove(p)
                people.append(p)
            st.release_room(r)

    by_type: dict[tuple[int, _Type], list[int]] = defaultdict(list)
    for p in sorted(people, key=lambda p: inst.people[p].id):
        by_type[(inst.group_of[p], _type_of(inst, p))].append(p)
    hotels_by_type: dict[tuple[int, _Type], list[tuple[int, int]]] = defaultdict(list)
    for (g, h, t), n in sorted(counts.x.items()):
        if n > 0:
            hotels_by_type[(g, t)].append((h, n))
    block: dict[tuple[int, int], list[int]] = defaultdict(list)
    unplaced: list[int] = []
    for key, members in sorted(by_type.items()):
        left = list(members)
        for h, n in hotels_by_type.get(key, ()):
            mine = [p for p in left if p in prefer_room and inst.room_hotel[prefer_room[p]] == h][:n]
            taken = set(mine)
            mine += [p for p in left if p not in taken][: n - len(mine)]
            block[(key[0], h)] += mine
            taken = set(mine)
            left = [p for p in left if p not in taken]
        unplaced += left

    _take_rooms(st, counts.rooms, block, prefer_room)
    repairs = 0
    for (g, h), members in sorted(block.items(), key=lambda item: (item[0][1], item[0][0])):
        left = _fill(st, g, h, _order_people(inst, members), may_open=False, prefer_room=prefer_room)
        repairs += len(left)
        if left:
            unplaced += _fill(st, g, h, left, may_open=True, prefer_room=prefer_room)
    st.release_empty_rooms(None if hotels is None else (r for h in hotels for r in inst.rooms_of_hotel[h]))
    _repair(inst, st, unplaced, prefer_room, hotels)
    return st, repairs


def _take_rooms(
    st: _State,
    rooms: dict[tuple[int, int, int, int], int],
    block: dict[tuple[int, int], list[int]],
    prefer_room: dict[int, int],
) -> None:
    """Give each group the free rooms the model counted for it: (group, hotel, beds, level) -> rooms."""
    inst = st.inst
    wanted_beds: Counter[tuple[str, int]] = Counter()
    for (g, h, size, _level), n in rooms.items():
        wanted_beds[(inst.group_delegation[g], h)] += size * n
    order = sorted(
        rooms.items(), key=lambda kv: (kv[0][1], -kv[0][3], inst.group_delegation[kv[0][0]], kv[0][0], -kv[0][2])
    )
    target: dict[tuple[str, int], int] = {}
    for (g, h, size, level), n in order:
        d = inst.group_delegation[g]
        before = {prefer_room[p] for p in block.get((g, h), ()) if p in prefer_room}
        for _ in range(n):
            floors = _delegation_floors(st, d, h)
            if not floors and (d, h) not in target:
                target[(d, h)] = _roomiest_floor(st, h, wanted_beds[(d, h)])
            aim = target.get((d, h), -1)
            best: tuple[object, ...] | None = None
            choice = -1
            for r in st.free_rooms[h]:
                if inst.rooms[r].beds != size or inst.room_tier[r] < level:
                    continue
                floor = inst.rooms[r].floor
                key = (
                    0 if r in before else 1,
                    inst.room_tier[r] - level,
                    0 if floor in floors else 1 if floor == aim else 2,
                    floor,
                    _natural(inst.rooms[r].room),
                )
                if best is None or key < best:
                    best, choice = key, r
            if choice < 0:
                break  # the model counted a room that is not free (cannot happen when the model is exact)
            st.take_room(choice, g)


def _compact_floors(
    inst: _Instance,
    st: _State,
    may_move: Callable[[int], bool],
    deadline: float | None,
    seed: int = 0,
    stopped: Callable[[], bool] = lambda: False,
) -> tuple[_State, int]:
    """Fewer floors per delegation: hand each hotel's rooms out again among the same room-mates.

    Each occupied room whose occupants all ``may_move(person)`` keeps them
    together and may move them to a free room of the same hotel, size and an
    adequate tier, or swap with another such room; nothing else about the plan
    changes (hotel, room-mates, beds per night), so hard rules 1-5 hold and only
    the extra-floor penalty can change. Per hotel a small CP-SAT model picks
    the fewest floors per delegation (rooms that cannot move count as floors
    already used); the hotels with the most extra floors go first, until
    ``deadline`` (None: every hotel) or until ``stopped()``. Returns the new state and floors saved.
    """
    out = st.copy()
    extra: list[tuple[int, int]] = []
    for h, rooms in enumerate(inst.rooms_of_hotel):
        floors: dict[str, set[int]] = defaultdict(set)
        for r in rooms:
            if out.occupants[r]:
                floors[inst.group_delegation[out.owner[r]]].add(inst.rooms[r].floor)
        n = sum(len(f) - 1 for f in floors.values())
        if n:
            extra.append((-n, h))
    saved = 0
    for _, h in sorted(extra):
        if stopped() or (deadline is not None and time.monotonic() >= deadline):
            break
        saved += _compact_hotel(inst, out, h, may_move, seed)
    return out, saved


def _compact_hotel(inst: _Instance, st: _State, h: int, may_move: Callable[[int], bool], seed: int) -> int:
    """One hotel of :func:`_compact_floors`; changes ``st`` only when floors go down. Returns floors saved."""
    rooms = inst.rooms_of_hotel[h]
    moving = sorted(
        (r for r in rooms if st.occupants[r] and r not in st.locked and all(map(may_move, st.occupants[r]))),
        key=lambda r: _natural(inst.rooms[r].room),
    )
    if not moving:
        return 0
    fixed_floors: dict[str, set[int]] = defaultdict(set)
    for r in rooms:
        if st.occupants[r] and r not in moving:
            fixed_floors[inst.group_delegation[st.owner[r]]].add(inst.rooms[r].floor)

    def unit(r: int) -> tuple[int, int, int]:  # (group, tier its occupants need, beds)
        return st.owner[r], max(inst.need[p] for p in st.occupants[r]), inst.rooms[r].beds

    now: dict[str, set[int]] = defaultdict(set)  # floors of the delegations with rooms that may move
    for r in moving:
        now[inst.group_delegation[st.owner[r]]].add(inst.rooms[r].floor)
    delegations = sorted(now)
    for d in delegations:
        now[d] |= fixed_floors.get(d, set())
    before = sum(len(fl) - 1 for fl in now.values())
    slots = sorted(set(st.free_rooms[h]) | set(moving), key=lambda r: _natural(inst.rooms[r].room))
    capacity = Counter((inst.rooms[r].floor, inst.rooms[r].beds, inst.room_tier[r]) for r in slots)
    units = Counter(unit(r) for r in moving)
    current = Counter((*unit(r), inst.rooms[r].floor, inst.room_tier[r]) for r in moving)
    floors = sorted({f for f, _, _ in capacity} | {f for fl in now.values() for f in fl})
    m = cp_model.CpModel()
    on = {(d, f): m.new_bool_var(f"on_{d}_{f}") for d in delegations for f in floors}
    for d in delegations:
        for f in fixed_floors.get(d, ()):
            m.add(on[(d, f)] == 1)
    take: dict[tuple[int, int, int, int, int], cp_model.IntVar] = {}
    by_slot: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    spare_tier = []  # accessible or ground-floor rooms given to people who do not need them (tie-break)
    for (g, need, beds), n in sorted(units.items()):
        d = inst.group_delegation[g]
        mine = []
        for (f, size, tier), c in sorted(capacity.items()):
            if size != beds or tier < need:
                continue
            v = m.new_int_var(0, min(n, c), f"take_{g}_{need}_{beds}_{f}_{tier}")
            m.add(v <= min(n, c) * on[(d, f)])
            take[(g, need, beds, f, tier)] = v
            by_slot[(f, size, tier)].append(v)
            mine.append(v)
            if tier > need:
                spare_tier.append((tier - need) * v)
        m.add(sum(mine) == n)
    for slot, vs in by_slot.items():
        m.add(sum(vs) <= capacity[slot])
    for choice, v in take.items():
        m.add_hint(v, current.get(choice, 0))
    for (d, f), v in on.items():
        m.add_hint(v, 1 if f in now[d] else 0)
    # floors first: the tie-break adds at most 2 per room
    m.minimize((2 * len(moving) + 1) * sum(on.values()) + sum(spare_tier))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = FLOOR_COMPACT_DET_TIME
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    after = sum(int(solver.value(v)) for v in on.values()) - len(delegations)
    if after >= before:
        return 0
    # concrete rooms: a room stays where the new counts allow it, the others take free slots
    quota = Counter({key: int(solver.value(v)) for key, v in take.items()})
    target: dict[int, int] = {}
    staying: set[int] = set()
    for r in moving:
        key = (*unit(r), inst.rooms[r].floor, inst.room_tier[r])
        if quota[key] > 0:
            quota[key] -= 1
            staying.add(r)
    open_slots: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for r in slots:
        if r not in staying:
            open_slots[(inst.rooms[r].floor, inst.rooms[r].beds, inst.room_tier[r])].append(r)
    # the new (floor, tier) of the rooms that move, per kind of room, in the model's order
    moves_to: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    for (g, need, beds, f, tier), n in sorted(quota.items()):
        moves_to[(g, need, beds)] += [(f, tier)] * n
    for r in moving:
        if r not in staying:
            f, tier = moves_to[unit(r)].pop(0)
            target[r] = open_slots[(f, inst.rooms[r].beds, tier)].pop(0)
    people = {r: (st.owner[r], st.occupants[r]) for r in target}
    for r in target:
        for p in people[r][1]:
            st.remove(p)
        st.release_room(r)
    for r, new_room in target.items():
        g, occupants = people[r]
        st.take_room(new_room, g)
        for p in occupants:
            st.place(p, new_room)
    return before - after


def _repair(
    inst: _Instance, st: _State, people: Sequence[int], prefer_room: dict[int, int], hotels: Sequence[int] | None = None
) -> None:
    """Put anyone still without a room into the cheapest hotel (of ``hotels``) with a suitable free bed."""
    if not people:
        return
    by_group: dict[int, list[int]] = defaultdict(list)
    for p in people:
        by_group[inst.group_of[p]].append(p)
    for g in sorted(by_group):
        left = _order_people(inst, by_group[g])
        d = inst.group_delegation[g]
        used = sorted(
            {
                inst.room_hotel[r]
                for gg in inst.groups_of_delegation[d]
                for (g2, h), rs in st.owned.items()
                if g2 == gg
                for r in rs
            }
        )
        order = used + [
            h for h in sorted(range(len(inst.hotels)), key=lambda h: (inst.unit_cost(d, h, 1), h)) if h not in used
        ]
        if hotels is not None:
            order = [h for h in order if h in hotels]
        for h in order:
            if not left:
                break
            left = _fill(st, g, h, left, may_open=True, prefer_room=prefer_room)


# ---------------------------------------------------------------------------
# Bounds
# ---------------------------------------------------------------------------


def _maximal_nights(stays: Iterable[tuple[int, int]]) -> list[int]:
    """Nights whose set of present stays is not contained in another night's (enough to check)."""
    stays = sorted(set(stays))
    starts = sorted({a for a, _ in stays})
    active = {n: frozenset(i for i, (a, b) in enumerate(stays) if a <= n < b) for n in starts}
    return [n for n in starts if active[n] and not any(active[n] < active[m] for m in starts)]


def lp_lower_bound(problem: AccommodationProblem, weights: Weights | None = None, backend: str = "CLP") -> float | None:
    """A lower bound on the cost of any plan, from a linear relaxation over every hotel.

    See :func:`_lp_relaxation` for what is relaxed. Returns None when the LP solver fails.
    """
    value, _ = _lp_relaxation(_Instance(problem, weights or Weights()), backend)
    return value


def relaxation_bound(
    problem: AccommodationProblem,
    weights: Weights | None = None,
    *,
    whole_hotels: bool = True,
    time_limit_s: float = 60.0,
) -> float | None:
    """A stronger lower bound: the LP relaxation with whole hotels and delegations (``open``, ``use`` 0/1).

    Solved with SCIP (bundled with OR-Tools) for at most ``time_limit_s``;
    returns the best bound SCIP proved, which is a valid lower bound on any
    plan whether or not SCIP finished. None when SCIP is not available.
    """
    inst = _Instance(problem, weights or Weights())
    value, _ = _lp_relaxation(inst, "SCIP" if whole_hotels else "CLP", integer=whole_hotels, time_limit_s=time_limit_s)
    return value


def _lp_relaxation(
    inst: _Instance,
    backend: str = "CLP",
    fill: float = 1.0,
    integer: bool = False,
    time_limit_s: float | None = None,
    guide_fill: float | None = None,
) -> tuple[float | None, dict[tuple[str, int, _Type], float]]:
    """The linear relaxation over every hotel: its value, and people per (delegation, hotel, type)
    in the relaxation re-solved with ``guide_fill`` (a guide for rounding; empty without one).

    With ``fill`` below 1 (a guide for rounding, not a bound) only that share
    of each hotel's beds may be used, leaving room for the last, part-full
    room of each group.

    Relaxes: whole rooms (beds are pooled per hotel, night and accessibility
    tier, so it also covers plans sharing a room between groups on different
    nights), whole hotels and delegations (``open`` and ``use`` between 0 and
    1); drops rules that cost nothing in some plan of the relaxation (extra
    floors, coaches apart, moves) and pins. Strengthened with ``people of a
    delegation present in a hotel on a night <= min(those present, hotel beds) x use``,
    ``people in a hotel on a night <= beds x open`` and two valid
    inequalities: a delegation whose busiest night does not fit into its k-1
    largest hotels uses at least k hotels, one in no hotel that holds its
    busiest night alone (beds, and beds of each accessibility tier) uses two (both unless one of its people goes
    without a bed), and its people present in a hotel on one night sleep on
    at least ``people / beds on the hotel's largest floor`` floors (extra
    floors >= that - use). Only nights no other night dominates are written
    out. Solved with CLP (GLOP if CLP is
    missing).
    """
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver(backend) or (None if integer else pywraplp.Solver.CreateSolver("GLOP"))
    if solver is None:
        return None, {}
    if time_limit_s is not None:
        solver.SetTimeLimit(int(time_limit_s * 1000))

    def whole_or_part(name: str) -> Any:
        return solver.IntVar(0, 1, name) if integer else solver.NumVar(0, 1, name)

    w = inst.w
    inf = solver.infinity()
    types: dict[str, Counter[_Type]] = defaultdict(Counter)
    for pi, p in enumerate(inst.people):
        types[p.delegation][_type_of(inst, pi)] += 1
    beds_tier = [[0, 0, 0] for _ in inst.hotels]  # beds with tier >= k
    for r, room in enumerate(inst.rooms):
        for k in range(inst.room_tier[r] + 1):
            beds_tier[inst.room_hotel[r]][k] += room.beds
    tier_nights = {k: _maximal_nights((t[1], t[2]) for ts in types.values() for t in ts if t[0] >= k) for k in range(3)}
    hotels = [h for h in range(len(inst.hotels)) if inst.hotel_beds[h] > 0]
    objective = solver.Objective()
    open_ = {}
    load = {}  # (hotel, night, tier) -> constraint: people <= beds x open
    xs: dict[tuple[str, int, _Type], object] = {}
    floor_pairs: dict[tuple[str, int], tuple[Any, list[Any]]] = {}  # (delegation, hotel) -> use, people present
    for h in hotels:
        v = whole_or_part(f"open_{h}")
        objective.SetCoefficient(v, w.hotel_opened)
        open_[h] = v
        for k in range(3):
            for night in tier_nights[k]:
                c = solver.Constraint(-inf, 0)
                c.SetCoefficient(v, -math.floor(beds_tier[h][k] * fill) if k == 0 else -beds_tier[h][k])
                load[(h, night, k)] = c
    beds_desc = sorted((inst.hotel_beds[h] for h in hotels), reverse=True)
    beds_on_floor: dict[tuple[int, int], int] = defaultdict(int)
    for r, room in enumerate(inst.rooms):
        beds_on_floor[(inst.room_hotel[r], room.floor)] += room.beds
    floor_beds = [0] * len(inst.hotels)  # beds on the hotel's largest floor
    for (h, _floor), beds in beds_on_floor.items():
        floor_beds[h] = max(floor_beds[h], beds)
    bound_only: list[Any] = []  # constraints for the bound, not the rounding guide
    for d in sorted(types):
        # a delegation's peak night must fit into the hotels it uses: at least this many hotels
        present_on = {
            night: sum(n for t, n in types[d].items() if t[1] <= night < t[2]) for night in {t[1] for t in types[d]}
        }
        busiest = min(present_on, key=lambda night: (-present_on[night], night))
        peak = present_on[busiest]
        least_hotels, covered = 0, 0
        for beds in beds_desc:
            if covered >= peak:
                break
            covered += beds
            least_hotels += 1
        extra = solver.NumVar(0, inf, f"extra_{d}")
        objective.SetCoefficient(extra, w.extra_hotel)
        # extra >= least_hotels - 1 unless someone of the delegation goes without a bed
        split = solver.Constraint(max(0, least_hotels - 1), inf)
        split.SetCoefficient(extra, 1)
        count_hotels = solver.Constraint(-inf, 1)  # sum use - extra <= 1
        count_hotels.SetCoefficient(extra, -1)
        # a delegation in no hotel that holds it alone (its busiest night, tier by tier) uses two at least:
        # sum(use of other hotels) + 2 x sum(use of hotels that hold it) >= 2 (unless someone goes without a bed)
        # the most people present on one night needing at least tier k (k = 0: everyone)
        peak_tier = [
            max(
                sum(n for t, n in types[d].items() if t[0] >= k and t[1] <= night < t[2])
                for night in {t[1] for t in types[d]}
            )
            for k in range(3)
        ]
        holds_alone = {h for h in hotels if all(beds_tier[h][k] >= peak_tier[k] for k in range(3))}
        two = None
        if least_hotels == 1 and len(holds_alone) < len(hotels):
            # written inactive when guides come first (they round worse with it), else active
            two = solver.Constraint(-inf if guide_fill is not None else 2, inf)
            bound_only.append(two)
        # people present on one night in a hotel <= min(those present, beds) x use, on each night
        # no other night of the delegation dominates (not all its people: stays may take turns in a bed)
        own_nights = _maximal_nights((t[1], t[2]) for t in types[d])
        present = {night: sum(n for t, n in types[d].items() if t[1] <= night < t[2]) for night in own_nights}
        in_hotel: dict[tuple[int, int], Any] = {}
        for h in hotels:
            u = whole_or_part(f"use_{d}_{h}")
            count_hotels.SetCoefficient(u, 1)
            if two is not None:
                two.SetCoefficient(u, 2 if h in holds_alone else 1)
            c = solver.Constraint(-inf, 0)  # use <= open
            c.SetCoefficient(u, 1)
            c.SetCoefficient(open_[h], -1)
            for night in own_nights:
                c = solver.Constraint(-inf, 0)
                c.SetCoefficient(u, -min(present[night], inst.hotel_beds[h]))
                in_hotel[(h, night)] = c
            if min(peak, inst.hotel_beds[h]) > floor_beds[h] > 0 and w.extra_floor and not integer:
                floor_pairs[(d, h)] = (u, [])
        for t, n in sorted(types[d].items()):
            everyone = solver.Constraint(n, n)
            un = solver.NumVar(0, n, "un")
            objective.SetCoefficient(un, w.person_without_bed)
            everyone.SetCoefficient(un, 1)
            split.SetCoefficient(un, max(0, least_hotels - 1))
            if two is not None:
                two.SetCoefficient(un, 2)
            for h in hotels:
                if beds_tier[h][t[0]] == 0:
                    continue
                v = solver.NumVar(0, n, "x")
                xs[(d, h, t)] = v
                objective.SetCoefficient(v, inst.unit_cost(d, h, t[2] - t[1]))
                everyone.SetCoefficient(v, 1)
                for night in own_nights:
                    if t[1] <= night < t[2]:
                        in_hotel[(h, night)].SetCoefficient(v, 1)
                if t[1] <= busiest < t[2] and (d, h) in floor_pairs:
                    floor_pairs[(d, h)][1].append(v)
                for k in range(t[0] + 1):
                    for night in tier_nights[k]:
                        if t[1] <= night < t[2]:
                            load[(h, night, k)].SetCoefficient(v, 1)
    for (d, h), (u, people_present) in floor_pairs.items():
        # people present on the delegation's busiest night sleep on distinct beds, so on at least
        # people / (beds of the hotel's largest floor) floors: extra floors >= that - use
        more_floors = solver.NumVar(0, inf, f"floors_{d}_{h}")
        objective.SetCoefficient(more_floors, w.extra_floor)
        c = solver.Constraint(-inf, 0)
        c.SetCoefficient(u, -1)
        c.SetCoefficient(more_floors, -1)
        for v in people_present:
            c.SetCoefficient(v, 1 / floor_beds[h])
    objective.SetMinimization()
    status = solver.Solve()
    guide: dict[tuple[str, int, _Type], float] = {}
    if status == pywraplp.Solver.OPTIMAL and guide_fill is not None and not integer:
        # the same model with a little room left in each hotel guides the rounding (re-solved warm);
        # the two-hotel inequalities come in only afterwards, for the bound: with them the guide
        # buys fractions of large hotels rather than moving people, and rounds worse
        value_before = float(objective.Value())
        for (h, _night, k), c in load.items():
            if k == 0:
                c.SetCoefficient(open_[h], -math.floor(beds_tier[h][0] * guide_fill))
        if solver.Solve() == pywraplp.Solver.OPTIMAL:
            shares = {key: v.solution_value() for key, v in xs.items()}  # type: ignore[attr-defined]
            guide = {key: x for key, x in shares.items() if x > 1e-6}
        for (h, _night, k), c in load.items():
            if k == 0:
                c.SetCoefficient(open_[h], -math.floor(beds_tier[h][0] * fill))
        for c in bound_only:
            c.SetLb(2)
        status = solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:  # the relaxation without them is a bound too
            return value_before, guide
    if integer:
        bound = max(0.0, objective.BestBound())  # every cost is non-negative, so 0 is a bound too
        return (
            float(bound)
            if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE) and math.isfinite(bound)
            else None
        ), {}
    if status != pywraplp.Solver.OPTIMAL:
        return None, {}
    return float(objective.Value()), guide


# ---------------------------------------------------------------------------
# Reasons: why someone has no bed, and the shortage by gender, night and need
# ---------------------------------------------------------------------------


def _unhoused(inst: _Instance, st: _State) -> list[Unhoused]:
    """Everyone without a room, with the night their kind of bed runs out."""
    free_tier = [0, 0, 0]  # beds in unowned rooms with tier >= k (free on every night)
    for rooms in st.free_rooms:
        for r in rooms:
            for k in range(inst.room_tier[r] + 1):
                free_tier[k] += inst.rooms[r].beds
    residual: dict[int, list[list[int]]] = {}
    out = []
    for pi, p in enumerate(inst.people):
        if st.room_of[pi] >= 0:
            continue
        g = inst.group_of[pi]
        if g not in residual:
            res = [[0] * max(inst.nights, 1) for _ in range(3)]
            for (gg, _h), owned_rooms in st.owned.items():
                if gg != g:
                    continue
                for r in owned_rooms:
                    for n in range(inst.nights):
                        for k in range(inst.room_tier[r] + 1):
                            res[k][n] += inst.rooms[r].beds - st.occ[r][n]
            residual[g] = res
        need = inst.need[pi]
        night = min(range(inst.first[pi], inst.end[pi]), key=lambda n: (free_tier[need] + residual[g][need][n], n))
        out.append(Unhoused(p.id, "no_bed", NEED_NAMES[need], night + inst.night0))
    return out


def shortage_summary(problem: AccommodationProblem, unhoused: Iterable[Unhoused]) -> list[tuple[str, int, str, int]]:
    """(gender, night, need, people short) for every night of the unhoused people's stays."""
    people = {p.id: p for p in problem.people}
    counts: Counter[tuple[str, int, str]] = Counter()
    for u in unhoused:
        p = people[u.person]
        for n in range(p.first_night, p.end_night):
            counts[(p.gender, n, u.need)] += 1
    return [
        (g, n, need, c) for (g, n, need), c in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))
    ]


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def _candidates(
    inst: _Instance, st: _State, greedy: _State, pool: Sequence[int], fixed: _Fixed, k: int, release: bool
) -> tuple[dict[str, list[int]], bool]:
    """Hotels each delegation may use in the model; True when that is every hotel for everyone."""
    delegations = {inst.people[p].delegation for p in pool}
    if release:
        delegations |= {inst.group_delegation[st.owner[r]] for r in fixed.kept}
    hotel_count = len(inst.hotels)
    with_room = [
        h
        for h in range(hotel_count)
        if st.free_rooms[h] or any(st.owned.get((g, h)) for g in range(len(inst.group_keys)))
    ]
    out: dict[str, list[int]] = {}
    complete = True
    for d in sorted(delegations):
        members = [p for g in inst.groups_of_delegation[d] for p in inst.members[g]]
        nights = max(1, round(sum(inst.end[p] - inst.first[p] for p in members) / max(1, len(members))))
        ranked = sorted(with_room, key=lambda h: (inst.unit_cost(d, h, nights), h))
        chosen = set(ranked if k == 0 else ranked[:k])
        if len(chosen) < len(with_room):
            complete = False
        for g in inst.groups_of_delegation[d]:
            for p in inst.members[g]:
                for state in (greedy, st):
                    if state.room_of[p] >= 0:
                        chosen.add(inst.room_hotel[state.room_of[p]])
        out[d] = sorted(chosen)
    return out, complete


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        t0: float,
        on_progress: ProgressFn | None,
        on_first: Callable[[float], None],
        on_solution: Callable[[cp_model.CpSolverSolutionCallback], None] | None = None,
    ) -> None:
        super().__init__()
        self.t0, self.on_progress, self.on_first, self.on_solution = t0, on_progress, on_first, on_solution
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = time.monotonic() - self.t0
        if self.solutions == 1:
            self.on_first(elapsed)
        if self.on_progress:
            self.on_progress(float(self.objective_value), float(self.best_objective_bound), elapsed, "solution")
        if self.on_solution:
            self.on_solution(self)


@dataclass
class _Search:
    """What one solve keeps track of while it improves the plan."""

    inst: _Instance
    fixed: _Fixed
    params: AccommodationParams
    t0: float
    on_progress: ProgressFn | None
    stop: threading.Event | None
    prefer_room: dict[int, int]
    best: _State
    best_objective: int
    first_feasible: float
    bound: float | None = None
    solutions: int = 0
    repairs: int = 0
    iterations: int = 0
    improvements: int = 0  # plans kept by any step
    lns_improved: int = 0  # neighbourhood re-plans kept
    cp_status: str = "not_run"
    cp_objective: int | None = None
    cp_bound: float | None = None
    variables: int = 0
    constraints: int = 0
    pairs: int = 0
    proven_optimal: bool = False
    size: int = 3  # hotels per neighbourhood; grows while the search stalls
    cp_complete: bool = False  # the whole model had every hotel as a candidate for everyone

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def stopped(self) -> bool:
        return bool(self.stop and self.stop.is_set())

    def report(self, message: str) -> None:
        if self.on_progress:
            self.on_progress(float(self.best_objective), self.bound, self.elapsed(), message)

    def offer(self, state: _State) -> bool:
        objective, _ = _evaluate(self.inst, state, self.fixed.previous_room)
        if objective < self.best_objective:
            self.best, self.best_objective = state, objective
            self.improvements += 1
            return True
        return False

    def run_cp(
        self,
        model: _Model,
        time_limit_s: float,
        report_solutions: bool,
        workers: int | None = None,
        seed: int | None = None,
        search_only: bool = False,
        on_solution: Callable[[cp_model.CpSolverSolutionCallback], None] | None = None,
    ) -> tuple[Any, cp_model.CpSolver]:
        """Solve a model; the stop event interrupts it (the best solution found is kept).

        ``search_only``: with two or more workers, all of them improve the
        plan by CP-SAT's own neighbourhood search and none works on a proof
        (for models too large to prove). ``on_solution`` is called with the
        callback on each solution (its values are the solution's).
        """
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
        if self.params.deterministic:
            # count work, not seconds; the wall-clock limit stays as a safety cap
            solver.parameters.max_deterministic_time = max(0.05, time_limit_s)
            solver.parameters.max_time_in_seconds = max(0.05, self.params.time_limit_s)
            workers = 1
        solver.parameters.num_workers = workers or self.params.workers
        if search_only and solver.parameters.num_workers >= 2:
            solver.parameters.use_lns_only = True
        solver.parameters.random_seed = self.params.seed if seed is None else seed
        solver.parameters.log_search_progress = self.params.log

        def first(elapsed: float) -> None:
            self.first_feasible = min(self.first_feasible, elapsed)

        reporter = _ProgressReporter(self.t0, self.on_progress if report_solutions else None, first, on_solution)
        done = threading.Event()
        watcher = None
        stop = self.stop
        if stop is not None:

            def watch() -> None:
                while not done.is_set():
                    if stop.wait(0.05):
                        solver.stop_search()
                        return

            watcher = threading.Thread(target=watch, name="accommodation-stop-watch", daemon=True)
            watcher.start()
        try:
            status = solver.solve(model.m, reporter)
        finally:
            done.set()
            if watcher:
                watcher.join()
        self.solutions += reporter.solutions
        return status, solver


def _unhoused_count(st: _State, people: Iterable[int]) -> int:
    return sum(1 for p in people if st.room_of[p] < 0)


def _house_most(search: _Search, pool: Sequence[int], deadline: float) -> None:
    """When the greedy start leaves people without a bed: a housing-only model houses as many as possible."""
    inst, fixed, params = search.inst, search.fixed, search.params
    current = search.best
    cap = _unhoused_count(current, pool)
    candidates, _ = _candidates(inst, fixed.state, current, pool, fixed, params.candidate_hotels, False)
    model = _Model(inst, fixed, pool, candidates, False, unhoused_cap=cap, housing_only=True)
    model.hint(current)
    limit = params.time_limit_s / 3 if params.deterministic else deadline - time.monotonic()
    status, solver = search.run_cp(model, limit, report_solutions=False)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and int(solver.objective_value) < cap:
        laid_out, repairs = _layout(inst, fixed, pool, model.values(solver), search.prefer_room)
        search.repairs += repairs
        if search.offer(laid_out):
            search.report("housed more people")


def _solve_whole(search: _Search, pool: Sequence[int], greedy: _State, deadline: float) -> None:
    """One CP-SAT model over the whole problem.

    Large problems (more than ``params.search_only_people`` to place) give
    each delegation fewer candidate hotels (``params.large_candidate_hotels``)
    and spend every worker on improving the plan rather than on a proof. The
    search's solutions are laid out and offered every ``WHOLE_LAYOUT_EVERY_S``
    seconds, so that progress shows real plans and a stop keeps the latest.
    """
    inst, fixed, params = search.inst, search.fixed, search.params
    release = params.release_previous_rooms and bool(fixed.kept)
    large = len(pool) > params.search_only_people
    k = params.candidate_hotels
    if large:
        k = params.large_candidate_hotels if k == 0 else min(k, params.large_candidate_hotels)
    candidates, complete = _candidates(inst, fixed.state, search.best, pool, fixed, k, release)
    cap = _unhoused_count(search.best, pool) + (sum(len(v) for v in fixed.kept.values()) if release else 0)
    model = _Model(inst, fixed, pool, candidates, release, unhoused_cap=cap)
    model.hint(search.best)
    proto = model.m.proto
    search.variables, search.constraints = len(proto.variables), len(proto.constraints)
    search.pairs = sum(len(v) for v in candidates.values())
    limit = params.time_limit_s / 2 if params.deterministic else deadline - time.monotonic()
    last_layout = time.monotonic()

    def lay_out_now(callback: cp_model.CpSolverSolutionCallback) -> None:
        nonlocal last_layout
        now = time.monotonic()
        if now - last_layout < WHOLE_LAYOUT_EVERY_S or deadline - now < WHOLE_LAYOUT_EVERY_S / 2:
            return
        last_layout = now
        laid_out, _repairs = _layout(inst, fixed, pool, model.values(callback), search.prefer_room)
        if search.offer(laid_out):
            search.report("improved the whole model's plan")

    # progress is reported for laid-out plans only: the model's objective leaves out the floors
    status, solver = search.run_cp(
        model,
        limit,
        report_solutions=False,
        search_only=large,
        on_solution=None if params.deterministic else lay_out_now,
    )
    search.cp_status = solver.status_name(status)
    # a search without a proof (large problems) reports no bound worth the name
    search.cp_complete = complete and not release and not large
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        search.cp_objective = int(solver.objective_value)
        search.cp_bound = float(solver.best_objective_bound)
        laid_out, repairs = _layout(inst, fixed, pool, model.values(solver), search.prefer_room)
        search.repairs += repairs
        if search.offer(laid_out):
            search.report("solved the whole model")
        # the model (whole rooms per group, floors left out) is a relaxation of room-per-group
        # plans: when the layout reaches its proven optimum, no such plan is cheaper
        laid_objective, _ = _evaluate(inst, laid_out, fixed.previous_room)
        search.proven_optimal = (
            status == cp_model.OPTIMAL and complete and not release and laid_objective <= search.cp_objective
        )


def _hotel_similarity(inst: _Instance) -> list[list[int]]:
    """For each hotel, the other hotels ordered by how alike their per-person costs are."""
    delegations = inst.delegation_ids
    profile = [[inst.unit_cost(d, h, 1) for d in delegations] for h in range(len(inst.hotels))]
    out = []
    for h, ph in enumerate(profile):
        dist = sorted(
            (sum(abs(a - b) for a, b in zip(ph, profile[k], strict=True)), k) for k in range(len(profile)) if k != h
        )
        out.append([k for _, k in dist])
    return out


def _neighbourhood(search: _Search, rng: random.Random, similar: list[list[int]]) -> list[int]:
    """A few hotels to re-plan together.

    In turn: the hotels of a delegation (split delegations more often) with
    its cheapest hotel; a hotel and hotels sharing a delegation with it; a
    hotel and the hotels most alike in cost.
    """
    inst, st, params = search.inst, search.best, search.params
    hotel_count = len(inst.hotels)
    people_in = [0] * hotel_count
    delegations_in: list[set[str]] = [set() for _ in range(hotel_count)]
    hotels_of: dict[str, set[int]] = defaultdict(set)
    for r, occupants in enumerate(st.occupants):
        if occupants:
            h = inst.room_hotel[r]
            d = inst.group_delegation[st.owner[r]]
            people_in[h] += len(occupants)
            delegations_in[h].add(d)
            hotels_of[d].add(h)
    hotels: list[int] = []
    kind = search.iterations % 3
    if kind == 0 and inst.delegation_ids:
        weights = [len(hotels_of.get(d, ())) + 0.25 for d in inst.delegation_ids]
        d = rng.choices(inst.delegation_ids, weights)[0]
        hotels = sorted(hotels_of.get(d, ()))
        rng.shuffle(hotels)
        nights = 10
        cheapest = min(range(hotel_count), key=lambda h: (inst.unit_cost(d, h, nights), h))
        if cheapest not in hotels:
            hotels.insert(1, cheapest)
    else:
        h0 = rng.randrange(hotel_count)
        hotels = [h0]
        if kind == 1:
            shared = sorted(h for h in range(hotel_count) if h != h0 and delegations_in[h] & delegations_in[h0])
            rng.shuffle(shared)
            hotels += shared
        hotels += [h for h in similar[h0][: search.size] if h not in hotels]
    chosen: list[int] = []
    total = 0
    for h in hotels:
        if chosen and total + people_in[h] > params.neighbourhood_people * search.size // params.neighbourhood_hotels:
            continue
        chosen.append(h)
        total += people_in[h]
        if len(chosen) >= search.size:
            break
    # every other time, a hotel with many free beds joins, so that someone can make way
    if hotel_count > len(chosen) and search.iterations % 2 == 0:
        roomy = sorted((h for h in range(hotel_count) if h not in chosen), key=lambda h: (-st.free_beds(h), h))[:8]
        if roomy:
            chosen.append(rng.choice(roomy))
    return sorted(chosen)


def _consolidate(search: _Search, deadline: float) -> None:
    """Quick moves that undo splits: bring a delegation's small parts into its main hotel,
    or move a whole delegation into one hotel with room for it."""
    inst, fixed = search.inst, search.fixed
    base_fixed = fixed.state
    for d in sorted(inst.delegation_ids):
        if (time.monotonic() > deadline and not search.params.deterministic) or search.stopped():
            return
        current = search.best
        parts: dict[int, list[int]] = defaultdict(list)
        for g in inst.groups_of_delegation[d]:
            for p in inst.members[g]:
                r = current.room_of[p]
                if r >= 0:
                    parts[inst.room_hotel[r]].append(p)
        if len(parts) < 2:
            continue
        movable = {h: [p for p in ps if base_fixed.room_of[p] < 0] for h, ps in parts.items()}
        main = max(parts, key=lambda h: (len(parts[h]), -h))
        trials: list[tuple[list[int], int]] = [
            (movable[h], main) for h in sorted(parts, key=lambda h: len(parts[h])) if h != main
        ]
        everyone = [p for h in parts for p in movable[h]]
        if len(everyone) == sum(len(ps) for ps in parts.values()):
            size = len(everyone)
            roomy = [
                h
                for h in range(len(inst.hotels))
                if current.free_beds(h) + sum(current.residual_beds(g, h) for g in inst.groups_of_delegation[d]) >= size
            ]
            nights = max(1, round(sum(inst.nights_of[p] for p in everyone) / max(1, size)))
            roomy.sort(key=lambda h: (inst.unit_cost(d, h, nights), h))
            trials += [(everyone, h) for h in roomy[:3]]
        groups = inst.groups_of_delegation[d]
        for people, target in trials:
            if not people:
                continue
            here = sum(1 for p in people if inst.room_hotel[current.room_of[p]] == target)
            if len(people) - here > current.free_beds(target) + sum(current.residual_beds(g, target) for g in groups):
                continue  # cannot fit: skip the costly trial
            # try the move in place, and undo it unless the plan gets cheaper
            st = search.best
            before = {p: st.room_of[p] for p in people}
            for p in people:
                st.remove(p)
            st.release_empty_rooms(set(before.values()))
            left: list[int] = []
            for g in groups:
                members = [p for p in people if inst.group_of[p] == g]
                if members:
                    left += _fill(
                        st, g, target, _order_people(inst, members), may_open=True, prefer_room=search.prefer_room
                    )
            objective = None if left else _evaluate(inst, st, fixed.previous_room)[0]
            if objective is not None and objective < search.best_objective:
                search.best_objective = objective
                search.improvements += 1
                search.report(f"kept delegation {d} together")
                current = st
                continue
            placed = {st.room_of[p] for p in people if st.room_of[p] >= 0}
            for p in people:
                st.remove(p)
            st.release_empty_rooms(placed)
            for p, r in before.items():
                st.place(p, r)


@dataclass
class _Job:
    """One neighbourhood re-plan: hotels, the people to re-place, and the plan it started from."""

    hotels: list[int]
    pool: list[int]
    start: _State
    seed: int
    with_unhoused: bool = False
    result: dict[int, int] | None = None  # person -> room (-1: none)
    repairs: int = 0


def _make_job(
    search: _Search, rng: random.Random, similar: list[list[int]], busy: set[int], take_unhoused: bool
) -> _Job | None:
    inst, base_fixed = search.inst, search.fixed.state
    current = search.best
    for _ in range(10):
        hotels = _neighbourhood(search, rng, similar)
        if not busy.intersection(hotels):
            break
    else:
        return None
    chosen = set(hotels)
    pool = [
        p
        for p in range(len(inst.people))
        if base_fixed.room_of[p] < 0
        and (
            (current.room_of[p] < 0 and take_unhoused)
            or (current.room_of[p] >= 0 and inst.room_hotel[current.room_of[p]] in chosen)
        )
    ]
    search.iterations += 1
    return _Job(hotels, pool, current, search.params.seed + search.iterations, take_unhoused)


def _run_job(search: _Search, job: _Job, time_limit_s: float, workers: int) -> _Job:
    """Re-plan the job's hotels with everything else fixed (runs in a worker thread)."""
    inst, fixed = search.inst, search.fixed
    current = job.start
    sub = current.copy()
    for p in job.pool:
        sub.remove(p)
    sub.release_empty_rooms(r for h in job.hotels for r in inst.rooms_of_hotel[h])
    sub_fixed = _Fixed(sub, fixed.pinned, {}, fixed.forced, fixed.previous_room, [])
    candidates = {d: sorted(job.hotels) for d in {inst.people[p].delegation for p in job.pool}}
    model = _Model(
        inst,
        sub_fixed,
        job.pool,
        candidates,
        release=False,
        unhoused_cap=_unhoused_count(current, job.pool),
        local=True,
    )
    model.hint(current)
    status, solver = search.run_cp(model, time_limit_s, report_solutions=False, workers=workers, seed=job.seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return job
    laid_out, job.repairs = _layout(
        inst, sub_fixed, job.pool, model.values(solver), search.prefer_room, hotels=job.hotels
    )
    job.result = {p: laid_out.room_of[p] for p in job.pool}
    return job


def _apply_job(search: _Search, job: _Job) -> None:
    """Put a job's re-plan into the best plan (other jobs only touched other hotels) and keep it if better."""
    if job.result is None:
        return
    inst = search.inst
    new = search.best.copy()
    movers = [p for p in job.pool if new.room_of[p] < 0 or inst.room_hotel[new.room_of[p]] in job.hotels]
    for p in movers:
        new.remove(p)
    new.release_empty_rooms(r for h in job.hotels for r in inst.rooms_of_hotel[h])
    for p in movers:
        r = job.result.get(p, -1)
        if r >= 0:
            if not new.fits(p, r):
                return  # another job changed what this one relied on
            new.place(p, r)
    if search.offer(new):
        search.report(f"improved by re-planning hotels {', '.join(inst.hotels[h].id for h in sorted(job.hotels))}")


def _lns(search: _Search, deadline: float) -> None:
    """Large-neighbourhood search: re-plan a few hotels at a time with the same CP-SAT model.

    With several workers, as many disjoint neighbourhoods are solved at once
    (one CP-SAT worker each), which suits these small models better than
    several workers on one.
    """
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

    inst = search.inst
    rng = random.Random(search.params.seed)
    similar = _hotel_similarity(inst)
    params = search.params
    lanes = 1 if params.deterministic else max(1, min(params.workers, len(inst.hotels) // 2 or 1))
    budget = params.max_neighbourhoods
    if params.deterministic and budget is None:
        budget = 40
    running: dict[Future[_Job], _Job] = {}
    stall, stall_limit = 0, max(LNS_STALL_MIN, LNS_STALL_PER_HOTEL * len(inst.hotels))
    search.size = min(params.neighbourhood_hotels, len(inst.hotels))
    max_size = min(len(inst.hotels), params.neighbourhood_hotels + LNS_GROW_HOTELS)
    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="accommodation-lns") as pool:
        while not search.stopped():
            now = time.monotonic()
            while len(running) < lanes and now < deadline - 0.2 and (budget is None or search.iterations < budget):
                busy = {h for job in running.values() for h in job.hotels}
                job = _make_job(
                    search, rng, similar, busy, take_unhoused=not any(j.with_unhoused for j in running.values())
                )
                if job is None:
                    break
                if not job.pool:
                    continue
                limit = (
                    params.neighbourhood_time_s
                    if params.deterministic
                    else min(params.neighbourhood_time_s, deadline - now)
                )
                running[pool.submit(_run_job, search, job, limit, 1)] = job
            if not running:
                break
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                finished = future.result()
                search.repairs += finished.repairs
                before = search.improvements
                _apply_job(search, finished)
                if search.improvements > before:
                    search.lns_improved += 1
                    stall = 0
                else:
                    stall += 1
            if stall >= stall_limit:
                if search.size >= max_size:
                    break  # many re-plans in a row found nothing better, even large ones: a local optimum
                search.size += 1  # look further: larger neighbourhoods
                stall = 0


def solve(
    problem: AccommodationProblem,
    params: AccommodationParams | None = None,
    *,
    on_progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> AccommodationPlan:
    """Assign rooms: greedy start, CP-SAT improvement, layout; never raises on a shortage.

    Small problems (at most ``params.whole_model_people`` people to place)
    are solved as one CP-SAT model, which may prove optimality. Larger ones,
    and small ones the whole model did not finish, are improved by
    re-solving the same model on a few hotels at a time (large-neighbourhood
    search) until the time limit or the stop event.

    Args:
        problem: the people, approved hotels and rooms, pins and previous plan.
        params: limits, seed, weights; defaults when None.
        on_progress: called with (objective, bound, elapsed seconds, message)
            after the greedy start and on every improvement.
        stop: when set, the search stops and the best plan so far is returned.

    Returns:
        The plan; people who cannot be housed are in ``unhoused`` with the
        night their kind of bed runs out.
    """
    params = params or AccommodationParams()
    t0 = time.monotonic()
    deadline = t0 + params.time_limit_s
    # the search leaves the last seconds to put delegations on fewer floors
    compact_s = min(FLOOR_COMPACT_MAX_S, FLOOR_COMPACT_SHARE * params.time_limit_s)
    search_deadline = deadline - compact_s
    inst = _Instance(problem, params.weights)
    fixed = _fix_occupants(inst)
    base = fixed.state
    pool = [pi for pi in range(len(inst.people)) if base.room_of[pi] < 0]
    prefer_room = {}
    for pi in pool:
        prev = fixed.previous_room.get(pi)
        if prev and prev in inst.room_index and fixed.forced.get(pi, ("",))[0] not in ("needs", "group"):
            prefer_room[pi] = inst.room_index[prev]

    greedy = _greedy(inst, base, _order_people(inst, pool), prefer_room)
    greedy_objective, _ = _evaluate(inst, greedy, fixed.previous_room)
    greedy_seconds = time.monotonic() - t0
    search = _Search(inst, fixed, params, t0, on_progress, stop, prefer_room, greedy, greedy_objective, greedy_seconds)
    search.report("greedy start")

    lp_bound = lp_seconds = None
    if (
        pool
        and not search.stopped()
        and (params.lp_bound or (len(pool) > params.search_only_people and not fixed.kept))
    ):
        t_lp = time.monotonic()
        # the bound, and (same model, re-solved) a relaxation leaving a little room in each hotel to guide the rounding
        rounding = not fixed.kept and not search.stopped()
        lp_value, shares = _lp_relaxation(inst, guide_fill=LP_GUIDE_FILL if rounding else None)
        lp_seconds = time.monotonic() - t_lp
        if params.lp_bound:
            lp_bound = search.bound = lp_value
            search.report("lower bound")
        if (
            shares
            and not search.stopped()
            and search.offer(_lp_guided(inst, base, _order_people(inst, pool), prefer_room, shares))
        ):
            search.first_feasible = min(search.first_feasible, search.elapsed())
            search.report("rounded the linear relaxation")

    release = params.release_previous_rooms and bool(fixed.kept)
    work = (pool or release) and inst.rooms
    if work and not search.stopped():
        _consolidate(search, min(search_deadline, time.monotonic() + params.time_limit_s / 4))
    if work and not search.stopped() and _unhoused_count(search.best, pool):
        _house_most(search, pool, min(search_deadline, time.monotonic() + params.time_limit_s / 3))
    if work and not search.stopped() and (len(pool) <= params.whole_model_people or release):
        _solve_whole(search, pool, greedy, search_deadline)
    if work and not search.proven_optimal and not search.stopped() and pool:
        _lns(search, search_deadline)
    if work and pool and not search.stopped():
        # people placed by this run may change room (not those kept, pinned or coming back to a previous room)
        def may_move(p: int) -> bool:
            return base.room_of[p] < 0 and p not in prefer_room

        # the last layout may run past the search's deadline: compaction still gets half its share
        # (with deterministic results it does every hotel, each within a fixed amount of work)
        compact_until = None if params.deterministic else max(deadline, time.monotonic() + compact_s / 2)
        compacted, saved = _compact_floors(inst, search.best, may_move, compact_until, params.seed, search.stopped)
        if saved and search.offer(compacted):
            search.report("fewer floors per delegation")

    bounds = [b for b in (lp_bound, search.cp_bound if search.proven_optimal else None) if b is not None]
    bound = max(bounds) if bounds else None
    if search.proven_optimal:
        bound = max(bound or 0.0, float(search.cp_objective or 0))
    best = search.best
    objective, penalties = _evaluate(inst, best, fixed.previous_room)
    if search.stopped():
        status_word = "stopped"
    elif search.proven_optimal and not any(p.rule == "extra_floor" for p in penalties):
        status_word = "optimal"
    else:
        status_word = "feasible"
    assignments = tuple(
        (inst.people[pi].id, inst.rooms[r].hotel, inst.rooms[r].room) for pi, r in enumerate(best.room_of) if r >= 0
    )
    moves = []
    for pi, (hotel_id, room_id) in sorted(fixed.previous_room.items(), key=lambda kv: inst.people[kv[0]].id):
        r = best.room_of[pi]
        now = (inst.rooms[r].hotel, inst.rooms[r].room) if r >= 0 else (None, None)
        if now == (hotel_id, room_id):
            continue
        if pi in fixed.forced:
            reason, night = fixed.forced[pi]
            forced = True
        elif pi in fixed.pinned:
            reason, night, forced = "pin", None, True
        else:
            reason, night, forced = "released", None, False
        moves.append(
            Move(
                inst.people[pi].id,
                hotel_id,
                room_id,
                now[0],
                now[1],
                forced,
                reason,
                None if night is None else night + inst.night0,
            )
        )
    stats = SolveStats(
        greedy_objective=greedy_objective,
        greedy_seconds=greedy_seconds,
        first_feasible_s=search.first_feasible,
        total_seconds=time.monotonic() - t0,
        cp_status=search.cp_status,
        cp_objective=search.cp_objective,
        cp_bound=search.cp_bound,
        cp_bound_is_global=search.cp_complete,
        lp_bound=lp_bound,
        lp_seconds=lp_seconds,
        solutions=search.solutions,
        variables=search.variables,
        constraints=search.constraints,
        candidate_pairs=search.pairs,
        layout_repairs=search.repairs,
        lns_iterations=search.iterations,
        lns_improvements=search.lns_improved,
    )
    return AccommodationPlan(
        assignments=assignments,
        unhoused=tuple(_unhoused(inst, best)),
        moves=tuple(moves),
        penalties=tuple(penalties),
        objective=objective,
        bound=bound,
        status=status_word,
        stats=stats,
        rejected_pins=tuple(fixed.rejected_pins),
    )


def greedy_baseline(
    problem: AccommodationProblem, weights: Weights | None = None
) -> tuple[int, tuple[PenaltyLine, ...], tuple[tuple[str, str, str], ...]]:
    """The plain baseline for comparison: delegation by delegation, nearest approved hotel with room.

    Returns (objective, penalties, assignments) under the same weights.
    """
    inst = _Instance(problem, weights or Weights())
    fixed = _fix_occupants(inst)
    pool = [pi for pi in range(len(inst.people)) if fixed.state.room_of[pi] < 0]
    st = _nearest_hotel_greedy(inst, fixed.state, pool)
    objective, penalties = _evaluate(inst, st, fixed.previous_room)
    assignments = tuple(
        (inst.people[pi].id, inst.rooms[r].hotel, inst.rooms[r].room) for pi, r in enumerate(st.room_of) if r >= 0
    )
    return objective, tuple(penalties), assignments


def evaluate(
    problem: AccommodationProblem, assignments: Iterable[tuple[str, str, str]], weights: Weights | None = None
) -> tuple[int, tuple[PenaltyLine, ...]]:
    """The objective and penalties of any plan given as (person, hotel, room) rows (no checks)."""
    inst = _Instance(problem, weights or Weights())
    previous_room: dict[int, tuple[str, str]] = {}
    for a in problem.previous:
        pi = inst.person_index.get(a.person)
        if pi is not None:
            previous_room.setdefault(pi, (a.hotel, a.room))
    st = _State(inst)
    for person, hotel, room in assignments:
        pi, r = inst.person_index.get(person), inst.room_index.get((hotel, room))
        if pi is not None and r is not None:
            st.owner[r] = inst.group_of[pi] if st.owner[r] == -1 else st.owner[r]
            st.occupants[r] = (*st.occupants[r], pi)
            st.room_of[pi] = r
    objective, penalties = _evaluate(inst, st, previous_room)
    return objective, tuple(penalties)
