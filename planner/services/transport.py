"""Transport planning: shuttles from the hotels to the sessions and back.

``plan_transport`` turns the accepted accommodation (who sleeps where) and
the sessions (who travels where and when, FORMAT.md) into ride requests,
solves each day with :mod:`solvers.transport` and writes the plan files
``transport``, ``manifest`` and ``unassigned`` (kind ``ride``).

Demand, per session: the travellers (``Dataset.travellers``) grouped into
*parties*, one per delegation and hotel. Each party needs a ride from its
hotel to the venue, arriving by ``start - arrival_buffer_min`` and at most
``max_wait_min`` earlier, and a ride back, boarding at the venue no earlier
than ``end`` and at most ``max_wait_min`` later.

- A party rides as one request (one vehicle) whenever some vehicle can take
  it whole. Otherwise it is cut into as few vehicle loads as possible: its
  wheelchair users with companions in the accessible vehicle loads, the rest
  in loads no larger than the biggest seat count, coaches spread so that each
  load of athletes has a coach (a coach rides with their athletes).
- Small parties of different delegations at the same hotel going to the
  same session may be joined into one request (they would share a vehicle
  anyway; it keeps big days tractable). Each party stays whole.
- A load mixing wheelchair users and walkers carries its two halves as
  alternatives (:attr:`solvers.transport.RideRequest.parts`): when no
  vehicle can take it whole, the solver carries the wheelchair users and
  the walkers apart, so that walkers are not left behind for want of a
  wheelchair place.

Every traveller not carried gets an ``unassigned`` ride row: id = person
when they have no bed at all, else ``person:session``, with the reason in
plain English (both legs' reasons joined by "; "). Each sentence (reasons,
run messages, progress, the soft rules' names and explanations) is a
:class:`~planner.messages.Template` (see :data:`MESSAGES`), so the web can
recognise a stored text and show it in Chinese.

The module also has :func:`recheck_transport`: the dispatcher's check of a
hand-edited transport plan (arrival times recomputed from travel times, then
every hard rule).
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from planner.dataset import Dataset, Person, Session, Vehicle
from planner.messages import DATE, N_, NUMBER, TOKEN, Choice, Joined, Message, Series, Template, Text, recognise
from planner.plan import Plan, Row
from planner.services.base import Penalty, PlanOutcome, Progress, ProgressCallback
from solvers import transport as solver

KIND = "transport"
OUT, BACK = "out", "back"

# ------------------------------------------------------------------ sentences
_CLOCK = Text(r"\d{2}:\d{2}")
#: Someone without a ride: "Given Family (P1, VEN)" (no ";" in the name: it separates a row's reasons).
WHO = Template(N_("%(name)s (%(person)s, %(delegation)s)"), name=Text(r"[^;]+?"), person=TOKEN, delegation=TOKEN)
LEG_OUT = Template(N_("to session %(session)s on %(day)s"), session=TOKEN, day=DATE)
LEG_BACK = Template(N_("back from session %(session)s on %(day)s"), session=TOKEN, day=DATE)
_WHO, _LEG = Choice(WHO), Choice(LEG_OUT, LEG_BACK)
SESSION_STARTS = Template(N_("starts %(time)s"), time=_CLOCK)
SESSION_ENDS = Template(N_("ends %(time)s"), time=_CLOCK)
NO_BED_AT_ALL = Template(N_("has no bed in the accommodation plan, so no hotel to ride from"))
NO_BED_THAT_NIGHT = Template(
    N_("has no bed for the night of %(night)s, so no hotel to ride from to session %(session)s"),
    night=DATE,
    session=TOKEN,
)
RIDE_TOO_LONG = Template(
    N_(
        "the drive between hotel %(hotel)s and venue %(venue)s takes %(drive)s min, longer than "
        "the longest ride allowed (%(longest)s min), %(leg)s"
    ),
    hotel=TOKEN,
    venue=TOKEN,
    drive=NUMBER,
    longest=NUMBER,
    leg=_LEG,
)
NO_WHEELCHAIR_VEHICLE = Template(
    N_("no vehicle has %(need)s wheelchair place for %(who)s %(leg)s"), need=NUMBER, who=_WHO, leg=_LEG
)
NO_WHEELCHAIR_VEHICLE_PLURAL = Template(
    N_("no vehicle has %(need)s wheelchair places for %(who)s %(leg)s"), need=NUMBER, who=_WHO, leg=_LEG
)
NO_VEHICLE_FITS = Template(N_("no vehicle has %(seats)s seats for %(who)s %(leg)s"), seats=NUMBER, who=_WHO, leg=_LEG)
NO_VEHICLE_IN_TIME = Template(
    N_("no vehicle of the right size is on the road in time for %(who)s %(leg)s (the session %(when)s)"),
    who=_WHO,
    leg=_LEG,
    when=Choice(SESSION_STARTS, SESSION_ENDS),
)
STOPPED = Template(N_("planning was stopped before a ride was found for %(who)s %(leg)s"), who=_WHO, leg=_LEG)
NO_WHEELCHAIR_PLACE_FREE = Template(N_("no wheelchair place free for %(who)s %(leg)s"), who=_WHO, leg=_LEG)
NO_SEAT_BESIDE_THEIR_PARTY = Template(
    N_("no vehicle free with a seat for %(who)s and wheelchair places for their party %(leg)s"), who=_WHO, leg=_LEG
)
NO_SEAT_FREE = Template(N_("no seat free for %(who)s %(leg)s"), who=_WHO, leg=_LEG)
#: Why someone has no ride on a leg (or at all): the reasons of an ``unassigned`` ride row.
REASONS: tuple[Template, ...] = (
    NO_BED_AT_ALL,
    NO_BED_THAT_NIGHT,
    RIDE_TOO_LONG,
    NO_WHEELCHAIR_VEHICLE,
    NO_WHEELCHAIR_VEHICLE_PLURAL,
    NO_VEHICLE_FITS,
    NO_VEHICLE_IN_TIME,
    STOPPED,
    NO_WHEELCHAIR_PLACE_FREE,
    NO_SEAT_BESIDE_THEIR_PARTY,
    NO_SEAT_FREE,
)
_REASON = Choice(*REASONS)
#: A row's reasons (the ride there and the ride back, say) one after the other: "reason; reason".
REASON_LIST = N_("%(list)s; %(item)s")
JOINED_REASONS = Template(REASON_LIST, list=Series(_REASON, "; ", REASON_LIST), item=_REASON)

# run messages
PLANNED = Template(
    N_(
        "%(days)s day(s), %(rides)s passenger rides on %(vehicle_days)s vehicle-days, "
        "%(driving_min)s driving minutes; %(unassigned)s unassigned ride row(s)"
    ),
    days=NUMBER,
    rides=NUMBER,
    vehicle_days=NUMBER,
    driving_min=NUMBER,
    unassigned=NUMBER,
)
LOADS_CUT = Template(
    N_(
        "%(day)s: %(count)s load(s) of wheelchair users with companions were cut in two "
        "(wheelchair users, walkers) for want of a vehicle with wheelchair places for all"
    ),
    day=DATE,
    count=NUMBER,
)

#: Each soft rule's name in the cost table; the rule's code is its English name (stored in runs as it is).
RULE_NAMES: dict[str, Template] = {
    "vehicles used": Template(N_("vehicles used")),
    "driving minutes": Template(N_("driving minutes")),
    "waiting at the venue": Template(N_("waiting at the venue")),
    "passengers without a ride": Template(N_("passengers without a ride")),
}
#: Each soft rule's explanation (the ``doc`` of its cost line).
RULE_DOCS: dict[str, Template] = {
    "vehicles used": Template(N_("Soft rule: each vehicle used on a day (vehicle-days).")),
    "driving minutes": Template(N_("Soft rule: minutes driven, empty or not, depot to depot.")),
    "waiting at the venue": Template(
        N_("Soft rule: person-minutes arriving earlier than the arrival buffer asks, or waiting after the end.")
    ),
    "passengers without a ride": Template(N_("Each passenger leg not carried.")),
}

# ------------------------------------------------------------------ progress
#: What :func:`solvers.transport.solve_transport` reports while it works (its ``SolveProgress.message``;
#: the solver imports no planner code), written again here as templates so the web can translate them.
SOLVER_PROGRESS: tuple[Template, ...] = (
    Template(N_("improved")),
    Template(N_("band %(band)s of %(bands)s planned (no better than the whole-day plan)"), band=NUMBER, bands=NUMBER),
    Template(N_("band %(band)s of %(bands)s planned"), band=NUMBER, bands=NUMBER),
)
#: A progress report of one day: "2007-10-03: improved (band 1 of 2)"; a solver text no template knows is kept.
DAY_PROGRESS = Template(
    N_("%(day)s: %(step)s (band %(band)s of %(bands)s)"),
    day=DATE,
    step=Choice(*SOLVER_PROGRESS, other=Text()),
    band=NUMBER,
    bands=NUMBER,
)
PROGRESS: tuple[Template, ...] = (DAY_PROGRESS, *SOLVER_PROGRESS)

MESSAGES: tuple[Template, ...] = (
    *REASONS,
    JOINED_REASONS,
    PLANNED,
    LOADS_CUT,
    *RULE_DOCS.values(),
    *RULE_NAMES.values(),
    *PROGRESS,
)
"""Every sentence of this service (no-ride reasons, run messages, soft rules, progress),
for :func:`planner.messages.recognise`."""


@dataclass(frozen=True)
class TransportParams:
    """Settings of a transport planning run (validated on creation).

    Attributes:
        time_limit_s: wall-clock budget of the whole run (all days), seconds.
        seed: orders the requests before each day's model is built.
        max_wait_min: longest a party may wait at the venue: arriving earlier
            than ``start - arrival_buffer_min``, or boarding after ``end``.
        ceremony_max_wait_min: the same for ceremonies, whose crowds need
            several rounds of every vehicle.
        join_parties: join small parties at the same hotel going to the same
            session into one request (each party stays whole).
        max_band_requests: a day with more requests is solved in time bands
            (see :mod:`solvers.transport`); 0 = never.
        first_solution: OR-Tools first solution strategy.
        wait_cost_in_search: optimise waiting at the venue during the search
            (otherwise only when the routes are fixed).
        days: plan only these days (empty = every day with sessions).
    """

    time_limit_s: float = 60.0
    seed: int = 0
    max_wait_min: int = 90
    ceremony_max_wait_min: int = 150
    join_parties: bool = True
    max_band_requests: int = 160
    first_solution: str = "LOCAL_CHEAPEST_INSERTION"
    wait_cost_in_search: bool = False
    days: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if not (isinstance(self.time_limit_s, int | float) and 0 < self.time_limit_s <= 24 * 3600):
            raise ValueError("time_limit_s must be more than 0 and at most 86400 seconds")
        if not (isinstance(self.seed, int) and self.seed >= 0):
            raise ValueError("seed must be a non-negative integer")
        for name in ("max_wait_min", "ceremony_max_wait_min"):
            value = getattr(self, name)
            if not (isinstance(value, int) and 0 <= value <= 720):
                raise ValueError(f"{name} must be an integer from 0 to 720")
        if not (isinstance(self.max_band_requests, int) and self.max_band_requests >= 0):
            raise ValueError("max_band_requests must be a non-negative integer")
        object.__setattr__(self, "days", tuple(date.fromisoformat(d) if isinstance(d, str) else d for d in self.days))
        # the solver validates the strategy name
        solver.SolveSettings(first_solution=self.first_solution)


# ------------------------------------------------------------------ demand


@dataclass(frozen=True)
class Load:
    """People who ride together on one leg: the solver's request, with its passengers."""

    id: str
    session: str
    leg: str  # OUT | BACK
    hotel: str
    venue: str
    people: tuple[str, ...]
    wheelchair_users: tuple[str, ...]

    @property
    def walkers(self) -> tuple[str, ...]:
        chairs = set(self.wheelchair_users)
        return tuple(p for p in self.people if p not in chairs)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def hotel_nights(rooming: Iterable[Row]) -> dict[str, list[tuple[str, date, date]]]:
    """person -> [(hotel, check_in, check_out)] from rooming rows."""
    out: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for row in rooming:
        out[str(row["person"])].append((str(row["hotel"]), _as_date(row["check_in"]), _as_date(row["check_out"])))
    return out


def hotel_on(stays: Sequence[tuple[str, date, date]], day: date) -> str | None:
    """The hotel someone sleeps in on the night of ``day`` (or, on their last day, the night before)."""
    for hotel, check_in, check_out in stays:
        if check_in <= day < check_out:
            return hotel
    for hotel, check_in, check_out in stays:
        if check_in < day <= check_out:
            return hotel
    return None


@dataclass
class Demand:
    """The loads of every day, and who cannot ride at all."""

    loads_by_day: dict[date, list[Load]] = field(default_factory=dict)
    no_bed: dict[str, Message] = field(default_factory=dict)  # ride id -> reason
    parties: int = 0
    travellers: int = 0


def _fleet_shapes(vehicles: Iterable[Vehicle]) -> list[tuple[int, int]]:
    return sorted({(v.seats, v.wheelchair_places) for v in vehicles}, reverse=True)


def _fits_some(shapes: Sequence[tuple[int, int]], seated: int, chairs: int) -> bool:
    return any(s >= seated and w >= chairs for s, w in shapes)


def _order_for_cutting(people: Sequence[Person]) -> list[Person]:
    """Coaches first, then by role and id, so that coaches are spread over the loads."""
    rank = {"coach": 0, "head": 1, "staff": 2, "athlete": 3, "partner": 4}
    return sorted(people, key=lambda p: (rank.get(p.role, 5), p.id))


def cut_party(people: Sequence[Person], shapes: Sequence[tuple[int, int]]) -> list[list[Person]]:
    """Cut a party into vehicle loads: whole if some vehicle takes it, else as few loads as possible.

    Wheelchair users go into loads shaped for the vehicle with the most
    wheelchair places, each with walkers as companions (a coach first);
    the other walkers are cut into loads of nearly equal size no bigger than
    the biggest seat count, with the coaches dealt out one per load first.
    Wheelchair users for whom no vehicle has a wheelchair place are returned
    as a load of their own (the solver reports it as impossible).
    """
    chairs = [p for p in people if p.wheelchair]
    walkers = _order_for_cutting([p for p in people if not p.wheelchair])
    if not shapes or _fits_some(shapes, len(walkers), len(chairs)):
        return [list(people)]
    loads: list[list[Person]] = []
    accessible = [(w, s) for s, w in shapes if w > 0]
    if chairs:
        if not accessible:
            loads.append(chairs)
        else:
            places, seats = max(accessible)
            for k in range(0, len(chairs), places):
                group = chairs[k : k + places]
                companions = walkers[:seats]
                walkers = walkers[seats:]
                loads.append(companions + group)
    if walkers:
        biggest = max(s for s, _ in shapes)
        if biggest <= 0:
            loads.append(walkers)
        else:
            n = math.ceil(len(walkers) / biggest)
            coaches = [p for p in walkers if p.role == "coach"]
            others = [p for p in walkers if p.role != "coach"]
            groups: list[list[Person]] = [[] for _ in range(n)]
            for i, p in enumerate(coaches):
                groups[i % n].append(p)
            sizes = [len(walkers) // n + (1 if i < len(walkers) % n else 0) for i in range(n)]
            for g, size in zip(groups, sizes, strict=True):
                while len(g) < size and others:
                    g.append(others.pop(0))
            for g in groups:  # more coaches than room: overflow fills the remaining space
                while others and len(g) < biggest:
                    g.append(others.pop(0))
            loads.extend(g for g in groups if g)
    return loads


def build_demand(data: Dataset, rooming: Iterable[Row], params: TransportParams) -> Demand:
    """Loads per day from the sessions' travellers and where they sleep."""
    stays = hotel_nights(rooming)
    shapes = _fleet_shapes(data.vehicles.values())
    seat_counts = [v.seats for v in data.vehicles.values() if v.seats > 0]
    join_up_to = int(statistics.median(seat_counts)) if seat_counts else 0
    demand = Demand()
    wanted_days = set(params.days)
    sessions = sorted(data.sessions.values(), key=lambda s: (s.date, s.start_min, s.id))
    for session in sessions:
        if wanted_days and session.date not in wanted_days:
            continue
        parties: dict[tuple[str, str], list[Person]] = defaultdict(list)
        for person in data.travellers(session):
            demand.travellers += 1
            hotel = hotel_on(stays.get(person.id, ()), session.date)
            if hotel is None:
                if person.id not in stays:
                    demand.no_bed[person.id] = NO_BED_AT_ALL()
                else:
                    demand.no_bed[f"{person.id}:{session.id}"] = NO_BED_THAT_NIGHT(
                        night=session.date.isoformat(), session=session.id
                    )
                continue
            parties[(person.delegation, hotel)].append(person)
        demand.parties += len(parties)
        loads_of_session: list[tuple[str, list[Person]]] = []
        for (_delegation, hotel), people in sorted(parties.items()):
            loads_of_session.extend((hotel, load) for load in cut_party(people, shapes))
        if params.join_parties and join_up_to:
            loads_of_session = _join_small_loads(loads_of_session, join_up_to)
        day_loads = demand.loads_by_day.setdefault(session.date, [])
        for k, (hotel, load) in enumerate(loads_of_session, start=1):
            ids = tuple(p.id for p in load)
            chairs = tuple(p.id for p in load if p.wheelchair)
            for leg in (OUT, BACK):
                day_loads.append(
                    Load(f"{session.id}/{hotel}/{k}/{leg}", session.id, leg, hotel, session.venue, ids, chairs)
                )
    return demand


def _join_small_loads(loads: list[tuple[str, list[Person]]], up_to: int) -> list[tuple[str, list[Person]]]:
    """First-fit decreasing of walker-only loads at the same hotel into loads of at most ``up_to``."""
    out: list[tuple[str, list[Person]]] = []
    by_hotel: dict[str, list[list[Person]]] = defaultdict(list)
    for hotel, load in loads:
        if any(p.wheelchair for p in load) or len(load) >= up_to:
            out.append((hotel, load))
        else:
            by_hotel[hotel].append(load)
    for hotel, small in sorted(by_hotel.items()):
        bins: list[list[Person]] = []
        for load in sorted(small, key=lambda ld: (-len(ld), ld[0].id)):
            for b in bins:
                if len(b) + len(load) <= up_to:
                    b.extend(load)
                    break
            else:
                bins.append(list(load))
        out.extend((hotel, b) for b in bins)
    return out


def _windows(
    data: Dataset, session: Session, load: Load, params: TransportParams
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(pickup window, drop-off window) of a load, minutes since midnight."""
    ride = data.event.max_ride_min
    wait = params.ceremony_max_wait_min if session.kind == "ceremony" else params.max_wait_min
    if load.leg == OUT:
        latest = session.start_min - data.event.arrival_buffer_min
        drive = data.travel_min(load.hotel, load.venue)
        drop = (max(0, latest - wait), max(0, latest))
        pick = (max(0, drop[0] - ride), max(0, latest - drive))
        return pick, drop
    drive = data.travel_min(load.venue, load.hotel)
    pick = (session.end_min, session.end_min + wait)
    drop = (session.end_min + drive, session.end_min + wait + ride)
    return pick, drop


def shared_depots(data: Dataset) -> dict[str, str]:
    """vehicle id -> the place id standing for its depot in the solver.

    Vehicles whose depots have the same coordinates and that no travel-time
    override names share one depot place (the first such vehicle's id): the
    travel times from and to them are the same by FORMAT.md's formula, and
    OR-Tools searches vehicles with the same start, end and size as one
    class, which made its local search on a Games day about a thousand
    times faster than with a depot per vehicle.
    """
    overridden = {a for a, _ in data.travel_overrides} | {b for _, b in data.travel_overrides}
    first_at: dict[tuple[float, float], str] = {}
    out: dict[str, str] = {}
    for v in sorted(data.vehicles.values(), key=lambda v: v.id):
        if v.id in overridden:
            out[v.id] = v.id
        else:
            out[v.id] = first_at.setdefault((v.depot_lat, v.depot_lon), v.id)
    return out


def _request(
    load: Load, pick: tuple[int, int], drop: tuple[int, int], parts: tuple[solver.RideRequest, ...] = ()
) -> solver.RideRequest:
    chairs = len(load.wheelchair_users)
    seated = len(load.people) - chairs
    if load.leg == OUT:
        return solver.RideRequest(load.id, load.hotel, load.venue, seated, chairs, pick, drop, solver.DROPOFF, parts)
    return solver.RideRequest(load.id, load.venue, load.hotel, seated, chairs, pick, drop, solver.PICKUP, parts)


def build_problem(
    data: Dataset, loads: Sequence[Load], params: TransportParams, *, ride_limit: bool = True
) -> solver.TransportProblem:
    """The solver's problem for one day's loads."""
    vehicles = sorted(data.vehicles.values(), key=lambda v: v.id)
    places = sorted(set(shared_depots(data).values()) | {ld.hotel for ld in loads} | {ld.venue for ld in loads})
    travel = tuple(tuple(data.travel_min(a, b) for b in places) for a in places)
    apart = sharing_passengers(loads)
    windows = {ld.id: _windows(data, data.sessions[ld.session], ld, params) for ld in loads}
    windows = _one_ride_at_a_time(windows, loads, data.sessions)
    requests = []
    for ld in loads:
        pick, drop = windows[ld.id]
        # a party mixing wheelchair users and walkers may be cut in two when no vehicle can take it whole
        parts = (
            tuple(_request(part, pick, drop) for part in split_mixed(ld)) if ld.wheelchair_users and ld.walkers else ()
        )
        requests.append(_request(ld, pick, drop, parts))
    depot_of = shared_depots(data)
    fleet = tuple(
        solver.TransportVehicle(
            v.id, v.seats, v.wheelchair_places, depot_of[v.id], v.available_from_min, v.available_to_min
        )
        for v in vehicles
    )
    return solver.TransportProblem(
        tuple(places),
        travel,
        fleet,
        tuple(requests),
        data.event.max_ride_min if ride_limit else None,
        apart=apart,
    )


Window = tuple[int, int]


def _one_ride_at_a_time(
    windows: dict[str, tuple[Window, Window]], loads: Iterable[Load], sessions: Mapping[str, Session]
) -> dict[str, tuple[Window, Window]]:
    """Windows cut so that nobody's ride to a session boards before their ride back from the last one is set down.

    Each person's legs in the order they happen (a ride there by the
    session's start, a ride back from its end): where a ride back is followed
    by a ride to the next session, the ride back's drop-off window and the
    next ride's pickup window may overlap (sessions less than about three
    hours apart), and on two vehicles someone would board the second before
    leaving the first. Both windows are then cut at the middle of their
    overlap: the ride back must be set down by then, the next ride boards
    from then on. This gives up some plans (both early in the overlap, say)
    for a rule every plan keeps. Only a ride back is ever cut at its end and
    only a ride there at its start, so several cuts never conflict; the
    other legs' order follows from the sessions' times.
    """
    legs: dict[str, list[tuple[int, int, Load]]] = defaultdict(list)
    for ld in loads:
        session = sessions[ld.session]
        when = (session.end_min, 0) if ld.leg == BACK else (session.start_min, 1)
        for pid in ld.people:
            legs[pid].append((*when, ld))
    follows: set[tuple[str, str]] = set()
    for person_legs in legs.values():
        person_legs.sort(key=lambda leg: (leg[0], leg[1], leg[2].id))
        for (_, _, before), (_, _, after) in zip(person_legs, person_legs[1:], strict=False):
            if before.leg == BACK and after.leg == OUT and before.id in windows and after.id in windows:
                follows.add((before.id, after.id))
    out = dict(windows)
    for back, then in sorted(follows):
        (_, (drop_lo, drop_hi)), ((pick_lo, pick_hi), _) = windows[back], windows[then]
        lo, hi = max(drop_lo, pick_lo), min(drop_hi, pick_hi)
        if drop_hi <= pick_lo or lo > hi:
            continue  # already one after the other, or no time to reach the hotel between (left to the checker)
        middle = (lo + hi) // 2
        pick, (drop_lo, drop_hi) = out[back]
        out[back] = (pick, (drop_lo, min(drop_hi, middle)))
        (pick_lo, pick_hi), drop = out[then]
        out[then] = ((max(pick_lo, middle), pick_hi), drop)
    return out


def sharing_passengers(loads: Iterable[Load]) -> tuple[tuple[str, str], ...]:
    """Pairs of load ids with someone in both (their legs of one day): never on one trip of a vehicle.

    A trip's manifest lists each passenger once (one row per passenger on a
    trip), so a party set down at its hotel cannot board again for its next
    session on the same trip while others are still on board.
    """
    loads_of: dict[str, list[str]] = defaultdict(list)
    for ld in loads:
        for pid in ld.people:
            loads_of[pid].append(ld.id)
    pairs = {(min(a, b), max(a, b)) for ids in loads_of.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return tuple(sorted(pairs))


# ----------------------------------------------------------------- reasons


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _who(data: Dataset, pid: str) -> Message:
    p = data.people[pid]
    return WHO(name=f"{p.given_name} {p.family_name}", person=pid, delegation=p.delegation)


def ride_reason_message(data: Dataset, load: Load, cause: str, pid: str) -> Message:
    """Why ``pid`` of ``load`` has no ride on that leg, as a message (``str()`` is the plain English)."""
    session = data.sessions[load.session]
    day = session.date.isoformat()
    leg = LEG_OUT(session=session.id, day=day) if load.leg == OUT else LEG_BACK(session=session.id, day=day)
    chair = pid in load.wheelchair_users
    if cause == solver.CAUSE_RIDE_TOO_LONG:
        drive = data.travel_min(load.hotel, load.venue) if load.leg == OUT else data.travel_min(load.venue, load.hotel)
        return RIDE_TOO_LONG(hotel=load.hotel, venue=load.venue, drive=drive, longest=data.event.max_ride_min, leg=leg)
    who = _who(data, pid)
    if cause == solver.CAUSE_NO_WHEELCHAIR_VEHICLE:
        need = len(load.wheelchair_users)
        return (NO_WHEELCHAIR_VEHICLE_PLURAL if need > 1 else NO_WHEELCHAIR_VEHICLE)(need=need, who=who, leg=leg)
    if cause == solver.CAUSE_NO_VEHICLE_FITS:
        return NO_VEHICLE_FITS(seats=len(load.walkers), who=who, leg=leg)
    if cause == solver.CAUSE_NO_VEHICLE_IN_TIME:
        when = (
            SESSION_STARTS(time=_hhmm(session.start_min))
            if load.leg == OUT
            else SESSION_ENDS(time=_hhmm(session.end_min))
        )
        return NO_VEHICLE_IN_TIME(who=who, leg=leg, when=when)
    if cause == solver.CAUSE_STOPPED:
        return STOPPED(who=who, leg=leg)
    if chair:
        return NO_WHEELCHAIR_PLACE_FREE(who=who, leg=leg)
    if load.wheelchair_users:
        return NO_SEAT_BESIDE_THEIR_PARTY(who=who, leg=leg)
    return NO_SEAT_FREE(who=who, leg=leg)


def ride_reason(data: Dataset, load: Load, cause: str, pid: str) -> str:
    """Plain-English reason why ``pid`` of ``load`` has no ride on that leg (:func:`ride_reason_message`)."""
    return str(ride_reason_message(data, load, cause, pid))


def reasons_text(reasons: Sequence[Message]) -> str:
    """A ride row's reasons as one text, each once, in order: "reason; reason" (:data:`JOINED_REASONS`)."""
    merged = _merge_legs(reasons)
    return str(merged[0] if len(merged) == 1 else Joined(tuple(merged), REASON_LIST))


# -------------------------------------------------------------- plan rows


def _stamp(day: date, minute: int | None) -> datetime | None:
    if minute is None:
        return None
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)


@dataclass
class _Stop:
    place: str
    session: str | None
    action: str | None
    arrive: int | None
    depart: int | None
    boards: list[str] = field(default_factory=list)  # load ids picked up here
    alights: list[str] = field(default_factory=list)  # load ids dropped here


def route_trips(data: Dataset, route: solver.VehicleDay, loads: dict[str, Load]) -> list[list[_Stop]]:
    """A vehicle's day as trips of stops.

    Consecutive visits at the same place for the same session and of the same
    kind (all pickups or all drop-offs) are one stop. A new trip starts
    whenever the vehicle is empty; the first trip leaves from the depot and
    the last one ends there.
    """
    stops: list[_Stop] = [_Stop(route.vehicle, None, None, None, route.leave_depot_min)]
    for v in route.visits:
        load = loads[v.request]
        last = stops[-1]
        same = (
            last.place == v.place
            and last.session == load.session
            and last.action == v.action
            and data.travel_min(v.place, v.place) == 0
        )
        if same:
            last.depart = v.depart_min
        else:
            last = _Stop(v.place, load.session, v.action, v.arrive_min, v.depart_min)
            stops.append(last)
        (last.boards if v.action == solver.PICKUP else last.alights).append(v.request)
    stops.append(_Stop(route.vehicle, None, None, route.return_depot_min, None))
    trips: list[list[_Stop]] = [[]]
    on_board = 0
    for i, stop in enumerate(stops):
        trips[-1].append(stop)
        on_board += sum(len(loads[r].people) for r in stop.boards) - sum(len(loads[r].people) for r in stop.alights)
        if on_board == 0 and stop.alights and i + 1 < len(stops) - 1:
            trips.append([])
    return trips


def plan_rows(
    data: Dataset, day: date, routes: Iterable[solver.VehicleDay], loads: dict[str, Load]
) -> tuple[list[Row], list[Row], dict[str, tuple[str, str]]]:
    """transport rows, manifest rows, and load id -> (vehicle, trip) for one day."""
    transport: list[Row] = []
    manifest: list[Row] = []
    carried: dict[str, tuple[str, str]] = {}
    for route in routes:
        for t, stops in enumerate(route_trips(data, route, loads), start=1):
            trip = f"{day.isoformat()}-{t}"
            board_seq: dict[str, int] = {}
            alight_seq: dict[str, int] = {}
            for seq, stop in enumerate(stops, start=1):
                transport.append(
                    {
                        "vehicle": route.vehicle,
                        "trip": trip,
                        "seq": seq,
                        "place": stop.place,
                        "arrive": _stamp(day, stop.arrive),
                        "depart": _stamp(day, stop.depart),
                        "session": stop.session,
                    }
                )
                for r in stop.boards:
                    board_seq[r] = seq
                for r in stop.alights:
                    alight_seq[r] = seq
            for r, b in board_seq.items():
                carried[r] = (route.vehicle, trip)
                for pid in loads[r].people:
                    manifest.append(
                        {
                            "vehicle": route.vehicle,
                            "trip": trip,
                            "person": pid,
                            "board_seq": b,
                            "alight_seq": alight_seq[r],
                        }
                    )
    return transport, manifest, carried


# ---------------------------------------------------------------- service


def split_mixed(load: Load) -> list[Load]:
    """A load of wheelchair users and walkers as two loads."""
    return [
        replace(load, id=load.id + "/chairs", people=load.wheelchair_users),
        replace(load, id=load.id + "/walkers", people=load.walkers, wheelchair_users=()),
    ]


def _previous_rides(
    data: Dataset, previous: Plan
) -> dict[tuple[str, str, str], tuple[str, str, tuple[datetime, int], tuple[datetime, int]]]:
    """(person, session, leg) -> (vehicle, trip, board stop key, alight stop key) in a previous plan.

    A stop key orders a vehicle's stops: (its trip's first time, seq). The leg
    is ``out`` when the ride ends at a venue.
    """
    trip_start: dict[tuple[str, str], datetime] = {}
    stops: dict[tuple[str, str, int], Row] = {}
    for row in previous.transport:
        key = (str(row["vehicle"]), str(row["trip"]))
        stops[(*key, int(row["seq"]))] = row
        for t in (row.get("arrive"), row.get("depart")):
            if isinstance(t, datetime) and (key not in trip_start or t < trip_start[key]):
                trip_start[key] = t
    out: dict[tuple[str, str, str], tuple[str, str, tuple[datetime, int], tuple[datetime, int]]] = {}
    for row in previous.manifest:
        vehicle, trip = str(row["vehicle"]), str(row["trip"])
        board = stops.get((vehicle, trip, int(row["board_seq"])))
        alight = stops.get((vehicle, trip, int(row["alight_seq"])))
        start = trip_start.get((vehicle, trip))
        if board is None or alight is None or start is None:
            continue
        leg = OUT if str(alight["place"]) in data.venues else BACK
        session = str((alight if leg == OUT else board).get("session") or "")
        out[(str(row["person"]), session, leg)] = (
            vehicle,
            trip,
            (start, int(row["board_seq"])),
            (start, int(row["alight_seq"])),
        )
    return out


def _hints_from_previous(
    previous_rides: dict[tuple[str, str, str], tuple[str, str, tuple[datetime, int], tuple[datetime, int]]],
    loads: Sequence[Load],
) -> dict[str, list[tuple[str, str]]]:
    """Route hints: each load on the vehicle and at the stops where most of its people rode before."""
    placed: dict[str, list[tuple[tuple[datetime, int], int, str, str]]] = defaultdict(list)
    for ld in loads:
        votes: dict[tuple[str, str, tuple[datetime, int], tuple[datetime, int]], int] = defaultdict(int)
        for pid in ld.people:
            ride = previous_rides.get((pid, ld.session, ld.leg))
            if ride is not None:
                votes[ride] += 1
        if not votes:
            continue
        vehicle, _trip, board_key, alight_key = max(votes, key=lambda r: (votes[r], r[0], r[1]))
        placed[vehicle].append((board_key, 1, ld.id, solver.PICKUP))
        placed[vehicle].append((alight_key, 0, ld.id, solver.DROPOFF))
    return {v: [(rid, action) for _, _, rid, action in sorted(items)] for v, items in placed.items()}


def plan_transport(
    data: Dataset,
    *,
    rooming: Sequence[Row] = (),
    previous: Plan | None = None,
    params: TransportParams | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    **_ignored: Any,
) -> PlanOutcome:
    """Plan the shuttles of every session day.

    Args:
        data: the planning data.
        rooming: the accepted accommodation's rooming rows (people ride from
            where they sleep; people without a bed cannot ride).
        previous: the transport plan in force; its vehicle assignments are
            the starting point of the search, and who moved is reported.
        params: time limit, seed, waiting limits...
        progress: called with :class:`Progress` reports.
        stop: set it to stop early; what was planned is kept and the rest
            is reported as unassigned.

    Returns:
        A :class:`PlanOutcome` of kind ``transport``: ``transport``,
        ``manifest`` and ``unassigned`` (``ride``) rows.
    """
    params = params or TransportParams()
    started = time.monotonic()
    demand = build_demand(data, rooming, params)
    days = sorted(d for d, loads in demand.loads_by_day.items() if loads)
    total_loads = sum(len(demand.loads_by_day[d]) for d in days) or 1
    plan = Plan()
    unassigned: dict[str, list[Message]] = defaultdict(list)
    for ride_id, reason in demand.no_bed.items():
        unassigned[ride_id].append(reason)
    stats: dict[str, Any] = {
        "travellers": demand.travellers,
        "parties": demand.parties,
        "days": {},
    }
    totals = {"vehicle_days": 0, "driving_min": 0, "waiting_person_min": 0, "objective": 0, "unserved_passengers": 0}
    statuses: list[str] = []
    messages: list[str] = []
    done_loads = 0
    moved: list[dict[str, Any]] = []
    previous_rides = _previous_rides(data, previous) if previous else {}

    for day in days:
        loads = demand.loads_by_day[day]
        if stop is not None and stop.is_set():
            for ld in loads:
                for pid in ld.people:
                    unassigned[f"{pid}:{ld.session}"].append(ride_reason_message(data, ld, solver.CAUSE_STOPPED, pid))
            statuses.append("stopped")
            continue
        remaining = max(0.5, params.time_limit_s - (time.monotonic() - started))
        remaining_loads = total_loads - done_loads
        budget = remaining * len(loads) / remaining_loads
        day_fraction = (done_loads / total_loads, len(loads) / total_loads)

        def on_progress(p: solver.SolveProgress, day: date = day, frac: tuple[float, float] = day_fraction) -> None:
            if progress is not None:
                progress(
                    Progress(
                        KIND,
                        time.monotonic() - started,
                        objective=p.objective,
                        message=progress_message(day, p),
                        fraction=frac[0] + frac[1] * (p.band if p.objective is None else p.band - 1) / p.bands,
                    )
                )

        hints = _hints_from_previous(previous_rides, loads) if previous_rides else None
        result, by_id = _solve_day(data, loads, params, budget, on_progress, stop, hints)
        cut = [ld for ld in loads if any(f"{ld.id}/{half}" in by_id.served for half in ("chairs", "walkers"))]
        if cut:
            messages.append(str(LOADS_CUT(day=day.isoformat(), count=len(cut))))
        done_loads += len(demand.loads_by_day[day])
        transport, manifest, carried = plan_rows(data, day, result.routes, by_id)
        plan.transport.extend(transport)
        plan.manifest.extend(manifest)
        for u in result.unserved:
            ld = by_id[u.request]
            for pid in ld.people:
                unassigned[f"{pid}:{ld.session}"].append(ride_reason_message(data, ld, u.cause, pid))
        if previous_rides:
            for ld_id, (vehicle, trip) in carried.items():
                ld = by_id[ld_id]
                for pid in ld.people:
                    before = previous_rides.get((pid, ld.session, ld.leg))
                    if before is not None and before[0] != vehicle:
                        moved.append(
                            {
                                "person": pid,
                                "session": ld.session,
                                "leg": ld.leg,
                                "from": f"{before[0]} {before[1]}",
                                "to": f"{vehicle} {trip}",
                            }
                        )
        statuses.append(result.status)
        stats["days"][day.isoformat()] = {
            "loads": len(loads),
            "vehicles_used": result.vehicles_used,
            "driving_min": result.driving_min,
            "waiting_person_min": result.waiting_person_min,
            "bands": result.bands,
            "unserved_loads": len(result.unserved),
            "solve_seconds": round(result.solve_seconds, 2),
            "status": result.status,
        }
        totals["vehicle_days"] += result.vehicles_used
        totals["driving_min"] += result.driving_min
        totals["waiting_person_min"] += result.waiting_person_min
        totals["objective"] += result.objective
        totals["unserved_passengers"] += sum(len(by_id[u.request].people) for u in result.unserved)

    for ride_id, reasons in sorted(unassigned.items()):
        plan.unassigned.append({"kind": "ride", "id": ride_id, "reason": reasons_text(reasons)})
    stats.update(totals)
    stats["rides_planned"] = len(plan.manifest)
    weights = solver.TransportWeights()
    penalties = [
        Penalty(
            "vehicles used",
            weights.vehicle,
            totals["vehicle_days"],
            weights.vehicle * totals["vehicle_days"],
            doc=RULE_DOCS["vehicles used"].text,
        ),
        Penalty(
            "driving minutes",
            weights.driving_min,
            totals["driving_min"],
            weights.driving_min * totals["driving_min"],
            doc=RULE_DOCS["driving minutes"].text,
        ),
        Penalty(
            "waiting at the venue",
            weights.waiting_person_min,
            totals["waiting_person_min"],
            weights.waiting_person_min * totals["waiting_person_min"],
            doc=RULE_DOCS["waiting at the venue"].text,
        ),
        Penalty(
            "passengers without a ride",
            weights.unserved_passenger,
            totals["unserved_passengers"],
            weights.unserved_passenger * totals["unserved_passengers"],
            touches=tuple(sorted(unassigned))[:100],
            doc=RULE_DOCS["passengers without a ride"].text,
        ),
    ]
    if "stopped" in statuses or (stop is not None and stop.is_set()):
        status = "stopped"
    elif plan.unassigned:
        status = "partial"
    else:
        status = "feasible"
    messages.insert(
        0,
        str(
            PLANNED(
                days=len(days),
                rides=f"{stats['rides_planned']:,}",
                vehicle_days=f"{totals['vehicle_days']:,}",
                driving_min=f"{totals['driving_min']:,}",
                unassigned=f"{len(plan.unassigned):,}",
            )
        ),
    )
    return PlanOutcome(
        KIND,
        plan,
        status,
        objective=float(totals["objective"]),
        bound=None,
        solve_seconds=time.monotonic() - started,
        penalties=penalties,
        stats=stats,
        messages=messages,
        moved=moved,
    )


def _merge_legs(reasons: Sequence[Message]) -> list[Message]:
    """Drop repeated reasons (the same English), keep order."""
    seen: dict[str, Message] = {}
    for r in reasons:
        seen.setdefault(str(r), r)
    return list(seen.values())


def progress_message(day: date, p: solver.SolveProgress) -> str:
    """A solver progress report of ``day`` in English: "2007-10-03: improved (band 1 of 2)" (:data:`DAY_PROGRESS`)."""
    step = recognise(p.message, SOLVER_PROGRESS) or p.message
    return str(DAY_PROGRESS(day=day.isoformat(), step=step, band=p.band, bands=p.bands))


class _Loads(dict[str, Load]):
    """Load id -> load, parts of cut loads included; ``served`` = ids that got a vehicle."""

    served: set[str]


def _solve_day(
    data: Dataset,
    loads: Sequence[Load],
    params: TransportParams,
    time_limit_s: float,
    on_progress: Callable[[solver.SolveProgress], None],
    stop: threading.Event | None,
    hints: dict[str, list[tuple[str, str]]] | None,
) -> tuple[solver.TransportPlan, _Loads]:
    problem = build_problem(data, loads, params)
    settings = solver.SolveSettings(
        time_limit_s=max(0.5, time_limit_s),
        seed=params.seed,
        max_band_requests=params.max_band_requests,
        first_solution=params.first_solution,
        wait_cost_in_search=params.wait_cost_in_search,
    )
    result = solver.solve_transport(problem, settings, progress=on_progress, stop=stop, initial_routes=hints or None)
    by_id = _Loads({ld.id: ld for ld in loads})
    for ld in loads:
        if ld.wheelchair_users and ld.walkers:
            by_id.update({part.id: part for part in split_mixed(ld)})
    by_id.served = {v.request for route in result.routes for v in route.visits}
    return result, by_id


# ------------------------------------------------------- hand-edit re-check


@dataclass
class Retimed:
    """A stop whose time the re-check changed."""

    vehicle: str
    trip: str
    seq: int
    place: str
    given_arrive: datetime | None
    arrive: datetime | None
    given_depart: datetime | None
    depart: datetime | None

    def describe(self) -> str:
        def hm(t: datetime | None) -> str:
            return "-" if t is None else t.strftime("%H:%M")

        return (
            f"vehicle {self.vehicle} trip {self.trip} stop {self.seq} ({self.place}): "
            f"arrive {hm(self.given_arrive)} -> {hm(self.arrive)}, depart {hm(self.given_depart)} -> {hm(self.depart)}"
        )


@dataclass
class TransportRecheck:
    """The outcome of re-checking a hand-edited transport plan."""

    plan: Plan  # the plan with recomputed times
    retimed: list[Retimed]
    violations: list[Any]  # planner.check.Violation
    warnings: list[Any]

    @property
    def ok(self) -> bool:
        return not self.violations


def retime_transport(data: Dataset, transport: Sequence[Row]) -> tuple[list[Row], list[Retimed]]:
    """Recompute arrival times of every vehicle's stops from the travel times.

    A vehicle's stops are taken trip by trip (trips in order of their first
    time, stops by ``seq``). The first stop of its day keeps its times. Inside
    a trip, the vehicle arrives when it left the previous stop plus the travel
    time. The first stop of a later trip keeps its arrival if the vehicle can
    be there by then (it may wait between trips), else the earliest possible
    arrival. A stop keeps its departure time unless that is before the
    (recomputed) arrival, when it departs on arrival: the dispatcher's
    departures are the schedule, arrivals follow from the road.
    """
    rows = [dict(r) for r in transport]
    by_vehicle: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_vehicle[str(r["vehicle"])][str(r["trip"])].append(r)
    retimed: list[Retimed] = []

    def first_time(stops: list[Row]) -> datetime:
        times = [t for s in stops for t in (s.get("arrive"), s.get("depart")) if isinstance(t, datetime)]
        return min(times) if times else datetime.max

    for vehicle, trips in sorted(by_vehicle.items()):
        previous: Row | None = None
        for stops in sorted(trips.values(), key=lambda st: (first_time(st), str(st[0]["trip"]))):
            stops.sort(key=lambda s: int(s["seq"]))
            for i, stop in enumerate(stops):
                given_arrive, given_depart = stop.get("arrive"), stop.get("depart")
                left = None if previous is None else (previous.get("depart") or previous.get("arrive"))
                own = given_arrive if isinstance(given_arrive, datetime) else given_depart
                same_day = isinstance(left, datetime) and isinstance(own, datetime) and left.date() == own.date()
                if previous is not None and same_day and stop["place"] and previous["place"]:
                    assert isinstance(left, datetime)
                    try:
                        earliest = left + timedelta(minutes=data.travel_min(str(previous["place"]), str(stop["place"])))
                    except KeyError:  # an unknown place: the checker reports it
                        earliest = None
                    if earliest is not None:
                        if i > 0:
                            stop["arrive"] = earliest
                        elif isinstance(given_arrive, datetime):
                            stop["arrive"] = max(given_arrive, earliest)
                        elif isinstance(given_depart, datetime) and given_depart < earliest:
                            stop["depart"] = earliest
                        arrive = stop.get("arrive")
                        depart = stop.get("depart")
                        if isinstance(arrive, datetime) and isinstance(depart, datetime) and depart < arrive:
                            stop["depart"] = arrive
                if stop.get("arrive") != given_arrive or stop.get("depart") != given_depart:
                    retimed.append(
                        Retimed(
                            vehicle,
                            str(stop["trip"]),
                            int(stop["seq"]),
                            str(stop["place"]),
                            given_arrive,
                            stop.get("arrive"),
                            given_depart,
                            stop.get("depart"),
                        )
                    )
                previous = stop
    return rows, retimed


def recheck_transport(data: Dataset, plan: Plan) -> TransportRecheck:
    """The dispatcher's check of a hand-edited transport plan.

    Arrival times are recomputed from travel times (:func:`retime_transport`),
    then the independent checker re-checks every transport rule (6-9 and
    the plan-file consistency) on the retimed plan; ``plan.rooming`` tells
    where people sleep.
    """
    from planner.check import check_plan  # written in parallel; imported when used

    rows, retimed = retime_transport(data, plan.transport)
    fixed = Plan(
        rooming=list(plan.rooming), transport=rows, manifest=list(plan.manifest), unassigned=list(plan.unassigned)
    )
    report = check_plan(data, fixed, kinds=["transport"])
    return TransportRecheck(fixed, retimed, list(report.violations), list(report.warnings))
