"""Shuttle routing: pickup-and-delivery with time windows, seats and wheelchair places.

The problem is one day of shuttle service. Each :class:`RideRequest` is a
group of passengers that must ride together on one vehicle from a pickup
place to a drop-off place (a party from its hotel to a session's venue, or
back). A vehicle leaves its depot inside its daily window, serves any number
of requests (several trips: it may go back and forth between hotels and
venues all day), and returns to its depot before the window closes.

Hard constraints (modelled exactly):

- pickup before drop-off, on the same vehicle;
- time windows at the pickup and at the drop-off;
- seats and wheelchair places (two capacity dimensions; a wheelchair user
  uses a wheelchair place, never a seat);
- consecutive stops at least the travel time apart (waiting is allowed);
- the vehicle's daily window, from its depot and back;
- no passenger longer on board than ``max_ride_min`` (pickup to drop-off).

Objective, weighted so that it is lexicographic in practice (see
:class:`TransportWeights`): vehicles used, then driving minutes, then
person-minutes spent waiting at the venue. A request that cannot be served
is dropped at a penalty larger than any vehicle, and reported with a cause.

Model: OR-Tools routing (``pywrapcp``) with ``AddPickupAndDelivery`` pairs,
a time dimension (slack = waiting) with time windows, a pickup-to-delivery
limit per pair (the ride time), two capacity dimensions with per-vehicle
capacities, start and end nodes shared by the vehicles at one place (so
that identical vehicles form one class for the search) and fixed costs, and
one disjunction per node for optional service.

Search, per band:

1. :func:`construct_routes`, a greedy start in plain Python: the requests of
   one drop-off place and window (a session's parties going there) or of
   one pickup place and window (going home) are packed into shuttle trips,
   and the trips are handed in time order to the vehicle already on the
   road with the least empty driving, a new vehicle only when none can.
   OR-Tools' own first-solution heuristics took longer than the whole budget
   on a Games day; this takes milliseconds and serves everyone there.
2. OR-Tools local search (tabu search by default) from that start,
   for the band's share of the time limit. Tabu search beat guided local
   search on every fixture day at 10 s and 60 s (the small day's 233
   driving minutes became 232 on four seeds out of four; see the CHANGELOG
   for the figures and ``benchmarks/transport.py`` to measure).
3. :func:`schedule_route`: the timetable of each route by a small linear
   program (the routing search reports only bounds on times, and its
   ride-time limit lives in its filters, not in propagation).

Then, for the whole day:

4. :func:`_eliminate_vehicles`: vehicles are saved one at a time by moving
   every trip of one vehicle (its visits between two moments it is empty)
   whole into gaps of the others' days, making room by moving one of their
   trips elsewhere when needed. The routing search almost never empties a
   vehicle by itself (each move that would must first make it worse), and
   a vehicle costs more than any driving; on the Games day this took the
   greedy plan from 121 vehicles to about 103 in 15 s.
5. :func:`_improve_by_windows`: the routing search again, over one time
   window of trips at a time with the rest of the day fixed, in passes
   with other window sizes and cut points while time is left; after the
   first pass each window's search starts with some related requests taken
   out (ruin and recreate), so that it leaves its local optimum, and keeps
   what it finds only if it is no worse.

On a day of one band, steps 1-3 get a quarter of the time (the local search
of the whole day settles early: guided local search on the small fixture's
day after 6 s, then stayed 1-2 % behind PyVRP for the remaining 52 s) and
steps 4-5 the rest.

Only routing-native constraints are used: a generic ``solver.Add()``
constraint is re-propagated at every move and made the search crawl.

Decomposition, and what it costs:

- *By day* (done by the caller): every vehicle starts and ends each day at
  its depot inside its own daily window and requests never span midnight,
  so the days are independent problems. The only link is the objective's
  "vehicles used": solving day by day counts vehicle-days, which is what a
  hired fleet is paid by. Nothing else is lost.
- *By time band* (done here, only when a day has more requests than
  ``max_band_requests``): requests are sorted by the middle of their
  service span and cut at the widest gaps in time. Bands are solved in
  order; each vehicle enters the next band where and when it finished the
  previous one (empty: every request of a band is completed inside it), and
  a vehicle already paid for in an earlier band costs nothing more. This is
  a rolling-horizon heuristic, not exact: an earlier band cannot place its
  vehicles for the next band's demand, and a request whose window straddles
  a cut cannot share a vehicle with the other side. ``benchmarks/transport.py``
  compares bands with the whole-day model on the district fixture's busiest
  day (small enough for both): at the same time budget the banded search
  was as good or better, since the whole-day model's local search moves
  more slowly.
- *The cost of the rolling horizon, and its repair.* On the Games day (23
  bands) the banded solve used 148 vehicles where the greedy start of the
  whole day (:func:`construct_routes` over all requests, no search) used
  121: an earlier band's search leaves vehicles where the later bands cannot
  use them. So a day of several bands first takes the whole-day greedy plan
  and saves what vehicles it can (step 4), then spends up to half the time
  on the banded solve, abandoned as soon as it uses clearly more vehicles
  than the whole-day plan does for the same requests (on the Games day
  after 8 of 23 bands); a finished banded plan has its vehicles saved too
  (on the district day 12 -> 10, against 11 for the whole-day plan), the
  better of the two is kept and the rest of the time goes to improving it
  window by window (step 5): the search re-plans one time window of trips
  while every vehicle must still reach its next trip in time, which keeps
  the rest of the day valid and lets the window see where the vehicles are
  needed next.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

PICKUP = "pickup"
DROPOFF = "dropoff"

# Causes of an unserved request (the caller turns them into plain words).
CAUSE_RIDE_TOO_LONG = "ride_too_long"  # the direct drive is longer than the longest allowed ride
CAUSE_NO_VEHICLE_FITS = "no_vehicle_fits"  # no vehicle has enough seats / wheelchair places
CAUSE_NO_WHEELCHAIR_VEHICLE = "no_wheelchair_vehicle"  # no vehicle has enough wheelchair places
CAUSE_NO_VEHICLE_IN_TIME = "no_vehicle_in_time"  # no fitting vehicle's daily window allows the ride
CAUSE_FLEET_BUSY = "fleet_busy"  # fitting vehicles exist but all were needed elsewhere
CAUSE_STOPPED = "stopped"  # the solve was stopped before this request was planned

DAY_MIN = 24 * 60
HORIZON_MIN = 2 * DAY_MIN


@dataclass(frozen=True)
class TransportVehicle:
    """A vehicle available on the day.

    Attributes:
        id: vehicle id.
        seats: seated passengers (driver excluded).
        wheelchair_places: places for wheelchair users.
        depot: place id of its depot (a key of :attr:`TransportProblem.places`).
        available_from_min, available_to_min: daily window, minutes since midnight.
    """

    id: str
    seats: int
    wheelchair_places: int
    depot: str
    available_from_min: int
    available_to_min: int

    def __post_init__(self) -> None:
        if self.seats < 0 or self.wheelchair_places < 0:
            raise ValueError(f"vehicle {self.id}: seats and wheelchair places must be >= 0")
        if not 0 <= self.available_from_min <= self.available_to_min <= HORIZON_MIN:
            raise ValueError(
                f"vehicle {self.id}: daily window {self.available_from_min}-{self.available_to_min} is not valid"
            )

    def fits(self, seated: int, wheelchairs: int) -> bool:
        """Whether a group of ``seated`` + ``wheelchairs`` passengers fits at once."""
        return seated <= self.seats and wheelchairs <= self.wheelchair_places


@dataclass(frozen=True)
class RideRequest:
    """A group that rides together from ``pickup`` to ``dropoff``.

    Attributes:
        id: unique request id (the caller's key back to its passengers).
        pickup, dropoff: place ids.
        seated: passengers needing a seat.
        wheelchairs: passengers needing a wheelchair place.
        pickup_window: (earliest, latest) pickup, minutes since midnight.
        dropoff_window: (earliest, latest) drop-off, minutes since midnight.
        wait_at: which end is the venue, for the waiting term of the
            objective: ``"dropoff"`` (waiting = latest drop-off - actual
            drop-off: arriving early for a session), ``"pickup"`` (waiting =
            actual pickup - earliest pickup: waiting after a session), or
            ``""`` (no waiting cost).
        parts: optional smaller requests that together carry the same
            passengers (same places and windows), used only when the whole
            group finds no vehicle: e.g. a party's wheelchair users and its
            walkers, when keeping them together would leave them all behind
            for want of a wheelchair place.
    """

    id: str
    pickup: str
    dropoff: str
    seated: int
    wheelchairs: int
    pickup_window: tuple[int, int]
    dropoff_window: tuple[int, int]
    wait_at: str = ""
    parts: tuple[RideRequest, ...] = ()

    def __post_init__(self) -> None:
        if self.seated < 0 or self.wheelchairs < 0 or self.seated + self.wheelchairs == 0:
            raise ValueError(f"request {self.id}: needs at least one passenger")
        for name, (a, b) in (("pickup", self.pickup_window), ("dropoff", self.dropoff_window)):
            if not 0 <= a <= b <= HORIZON_MIN:
                raise ValueError(f"request {self.id}: {name} window {a}-{b} is not valid")
        if self.wait_at not in ("", PICKUP, DROPOFF):
            raise ValueError(f"request {self.id}: wait_at must be '', 'pickup' or 'dropoff'")
        if self.parts:
            if (sum(p.seated for p in self.parts), sum(p.wheelchairs for p in self.parts)) != (
                self.seated,
                self.wheelchairs,
            ):
                raise ValueError(f"request {self.id}: its parts must carry the same passengers")
            if any(p.parts or (p.pickup, p.dropoff) != (self.pickup, self.dropoff) for p in self.parts):
                raise ValueError(f"request {self.id}: parts go the same way and have no parts themselves")

    @property
    def passengers(self) -> int:
        return self.seated + self.wheelchairs

    @property
    def anchor_min(self) -> float:
        """The middle of the request's service span (used to cut time bands)."""
        return (self.pickup_window[0] + self.dropoff_window[1]) / 2


@dataclass(frozen=True)
class TransportWeights:
    """Objective weights. The defaults make the objective lexicographic in practice.

    A vehicle costs as much as 10,000 driving minutes (more than any vehicle
    can drive in a day), a driving minute as much as 1,000 person-minutes of
    waiting, and leaving one passenger without a ride costs more than ten
    vehicles.
    """

    vehicle: int = 10_000_000
    driving_min: int = 1_000
    waiting_person_min: int = 1
    unserved_passenger: int = 100_000_000

    def __post_init__(self) -> None:
        if min(self.vehicle, self.driving_min, self.waiting_person_min, self.unserved_passenger) < 0:
            raise ValueError("objective weights must be >= 0")


@dataclass(frozen=True)
class TransportProblem:
    """One day of shuttle service.

    Attributes:
        places: place ids (hotels, venues, depots); indexes of ``travel_min``.
        travel_min: ``travel_min[i][j]`` = whole minutes from ``places[i]`` to ``places[j]``.
        vehicles: the fleet.
        requests: the groups to carry.
        max_ride_min: longest time on board for any passenger; None = no limit.
        weights: objective weights.
        apart: pairs of request ids that share passengers (a party's ride to
            one session and its ride back from another, say). Such requests
            never ride on the same trip of a vehicle (the visits between two
            moments it is empty), so that a passenger is on a trip at most
            once, as the trip's manifest lists them; a request's parts count
            as the request.
    """

    places: tuple[str, ...]
    travel_min: tuple[tuple[int, ...], ...]
    vehicles: tuple[TransportVehicle, ...]
    requests: tuple[RideRequest, ...]
    max_ride_min: int | None = 60
    weights: TransportWeights = field(default_factory=TransportWeights)
    apart: tuple[tuple[str, str], ...] = ()
    place_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.places)
        if len(set(self.places)) != n:
            raise ValueError("place ids must be unique")
        if len(self.travel_min) != n or any(len(row) != n for row in self.travel_min):
            raise ValueError("travel_min must be a square matrix over places")
        if any(t < 0 for row in self.travel_min for t in row):
            raise ValueError("travel times must be >= 0")
        index = {p: i for i, p in enumerate(self.places)}
        object.__setattr__(self, "place_index", index)
        if len({v.id for v in self.vehicles}) != len(self.vehicles):
            raise ValueError("vehicle ids must be unique")
        ids = [r.id for r in self.requests] + [p.id for r in self.requests for p in r.parts]
        if len(set(ids)) != len(ids):
            raise ValueError("request ids (parts included) must be unique")
        for v in self.vehicles:
            if v.depot not in index:
                raise ValueError(f"vehicle {v.id}: depot {v.depot!r} is not a place")
        for r in self.requests:
            if r.pickup not in index or r.dropoff not in index:
                raise ValueError(f"request {r.id}: pickup or drop-off is not a place")
        if self.max_ride_min is not None and self.max_ride_min < 0:
            raise ValueError("max_ride_min must be >= 0")
        whole = {r.id for r in self.requests}
        for pair in self.apart:
            if len(pair) != 2 or pair[0] == pair[1] or not set(pair) <= whole:
                raise ValueError(f"apart: {pair!r} is not a pair of two request ids")

    def travel(self, a: str, b: str) -> int:
        """Minutes from place ``a`` to place ``b``."""
        return self.travel_min[self.place_index[a]][self.place_index[b]]

    def request_index(self) -> dict[str, RideRequest]:
        """Every request and every part by id."""
        out = {r.id: r for r in self.requests}
        out.update({p.id: p for r in self.requests for p in r.parts})
        return out


@dataclass(frozen=True)
class SolveSettings:
    """How to search.

    Attributes:
        time_limit_s: wall-clock budget for the whole day (all bands).
        seed: orders the requests before the model is built; the same seed,
            data and limits give the same first solution.
        max_band_requests: a day with more requests is cut into time bands
            (see the module docstring); 0 = never cut.
        first_solution: an OR-Tools ``FirstSolutionStrategy`` name.
        metaheuristic: an OR-Tools ``LocalSearchMetaheuristic`` name.
        wait_cost_in_search: include the waiting term during the search
            (exact, slower on big bands); otherwise it is optimised only when
            the routes are fixed, by the final scheduling of each route.
        descent_only_up_to: bands of at most this many requests stop at the
            first local optimum instead of running the metaheuristic until
            the time limit.
    """

    time_limit_s: float = 30.0
    seed: int = 0
    max_band_requests: int = 160
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "TABU_SEARCH"
    wait_cost_in_search: bool = False
    descent_only_up_to: int = 12

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise ValueError("time_limit_s must be > 0")
        if self.max_band_requests < 0:
            raise ValueError("max_band_requests must be >= 0")
        if not hasattr(routing_enums_pb2.FirstSolutionStrategy, self.first_solution):
            raise ValueError(f"unknown first solution strategy {self.first_solution!r}")
        if not hasattr(routing_enums_pb2.LocalSearchMetaheuristic, self.metaheuristic):
            raise ValueError(f"unknown metaheuristic {self.metaheuristic!r}")


@dataclass(frozen=True)
class SolveProgress:
    """A progress report: a better solution of a band was found, or a band finished."""

    elapsed_s: float
    band: int  # 1-based
    bands: int
    objective: int | None
    message: str


@dataclass(frozen=True)
class Visit:
    """A vehicle serving one end of a request.

    ``arrive_min`` is when the vehicle is there and service starts (for a
    pickup: not before the pickup window opens); ``depart_min`` when it
    leaves for the next place (waiting, if any, happens here).
    """

    request: str
    action: str  # PICKUP | DROPOFF
    place: str
    arrive_min: int
    depart_min: int


@dataclass(frozen=True)
class VehicleDay:
    """A vehicle's day: out of the depot, its visits in order, back to the depot."""

    vehicle: str
    depot: str
    leave_depot_min: int
    return_depot_min: int
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class Unserved:
    """A request left without a ride, and why (a ``CAUSE_*`` code)."""

    request: str
    cause: str


@dataclass(frozen=True)
class TransportPlan:
    """The solver's answer for one day.

    Attributes:
        routes: used vehicles only.
        unserved: requests not carried, with causes.
        status: ``feasible`` (everything served), ``partial`` (some unserved),
            ``stopped`` (stop requested; what was planned is kept) or ``error``.
        vehicles_used, driving_min, waiting_person_min: the objective's terms.
        objective: weighted objective (unserved penalties included).
        solve_seconds: wall time.
        bands: number of time bands solved.
    """

    routes: tuple[VehicleDay, ...]
    unserved: tuple[Unserved, ...]
    status: str
    vehicles_used: int
    driving_min: int
    waiting_person_min: int
    objective: int
    solve_seconds: float
    bands: int


# --------------------------------------------------------------- evaluation


def waiting_person_min(request: RideRequest, pickup_min: int, dropoff_min: int) -> int:
    """Person-minutes the request's passengers wait at the venue (``pickup_min`` = when the vehicle leaves)."""
    if request.wait_at == DROPOFF:
        return request.passengers * max(0, request.dropoff_window[1] - dropoff_min)
    if request.wait_at == PICKUP:
        return request.passengers * max(0, pickup_min - request.pickup_window[0])
    return 0


def evaluate(
    problem: TransportProblem, routes: Sequence[VehicleDay], unserved_ids: Sequence[str]
) -> tuple[int, int, int, int]:
    """(vehicles used, driving minutes, waiting person-minutes, weighted objective) of routes."""
    w = problem.weights
    by_id = problem.request_index()
    driving = waiting = used = 0
    for route in routes:
        if not route.visits:
            continue
        used += 1
        places = [route.depot, *(v.place for v in route.visits), route.depot]
        driving += sum(problem.travel(a, b) for a, b in zip(places, places[1:], strict=False))
        pickups = {v.request: v.depart_min for v in route.visits if v.action == PICKUP}  # boarding time
        for v in route.visits:
            if v.action == DROPOFF:
                waiting += waiting_person_min(by_id[v.request], pickups[v.request], v.arrive_min)
    lost = sum(by_id[i].passengers for i in unserved_ids)
    objective = (
        used * w.vehicle + driving * w.driving_min + waiting * w.waiting_person_min + lost * w.unserved_passenger
    )
    return used, driving, waiting, objective


def check_routes(problem: TransportProblem, routes: Sequence[VehicleDay]) -> list[str]:
    """Every hard constraint broken by ``routes`` (empty list = all kept). Used by tests."""
    errors: list[str] = []
    by_id = problem.request_index()
    vehicles = {v.id: v for v in problem.vehicles}
    seen: set[str] = set()
    apart_index = _Apart(problem)
    for route in routes:
        veh = vehicles[route.vehicle]
        if route.leave_depot_min < veh.available_from_min or route.return_depot_min > veh.available_to_min:
            errors.append(f"{route.vehicle}: outside its daily window")
        clock, here = route.leave_depot_min, route.depot
        seated = wheels = 0
        picked: dict[str, int] = {}
        for v in route.visits:
            if v.arrive_min < clock + problem.travel(here, v.place):
                errors.append(f"{route.vehicle}: reaches {v.place} for {v.request} too fast")
            if v.depart_min < v.arrive_min:
                errors.append(f"{route.vehicle}: leaves {v.place} before arriving")
            r = by_id[v.request]
            window = r.pickup_window if v.action == PICKUP else r.dropoff_window
            if not window[0] <= v.arrive_min <= window[1]:
                errors.append(f"{route.vehicle}: {v.action} of {v.request} at {v.arrive_min} outside {window}")
            sign = 1 if v.action == PICKUP else -1
            seated += sign * r.seated
            wheels += sign * r.wheelchairs
            if seated > veh.seats or wheels > veh.wheelchair_places:
                errors.append(f"{route.vehicle}: over capacity after {v.action} of {v.request}")
            if v.action == PICKUP:
                picked[v.request] = v.depart_min
                seen.add(v.request)
            else:
                if v.request not in picked:
                    errors.append(f"{route.vehicle}: drops {v.request} before picking it up")
                elif problem.max_ride_min is not None and v.arrive_min - picked[v.request] > problem.max_ride_min:
                    errors.append(f"{route.vehicle}: {v.request} rides {v.arrive_min - picked[v.request]} min")
            clock, here = v.depart_min, v.place
        if route.return_depot_min < clock + problem.travel(here, route.depot):
            errors.append(f"{route.vehicle}: back at the depot too fast")
        if seated or wheels:
            errors.append(f"{route.vehicle}: ends the day with passengers on board")
        for a, b in _shared_on_trips(problem, route, by_id, apart_index):
            errors.append(f"{route.vehicle}: {a} and {b} share passengers and ride on one trip")
    if problem.apart:
        rides: dict[str, list[tuple[int, int]]] = defaultdict(list)  # request (parts as it) -> (board, set down)
        for route in routes:
            boards = {v.request: v.depart_min for v in route.visits if v.action == PICKUP}
            for v in route.visits:
                if v.action == DROPOFF and v.request in boards:
                    rides[apart_index.parent.get(v.request, v.request)].append((boards[v.request], v.arrive_min))
        for a, b in problem.apart:
            if any(not (a_off <= b_on or b_off <= a_on) for a_on, a_off in rides[a] for b_on, b_off in rides[b]):
                errors.append(f"{a} and {b} share passengers and ride at the same time")
    return errors


class _Apart:
    """``problem.apart`` as a set of pairs, and the request each part belongs to."""

    def __init__(self, problem: TransportProblem) -> None:
        self.pairs = {frozenset(pair) for pair in problem.apart}
        self.parent = {p.id: r.id for r in problem.requests for p in r.parts}


def _shared_on_trips(
    problem: TransportProblem, route: VehicleDay, by_id: Mapping[str, RideRequest], index: _Apart | None = None
) -> list[tuple[str, str]]:
    """Pairs of ``route``'s requests (ids as visited) on one trip that ``problem.apart`` keeps apart."""
    if not problem.apart:
        return []
    index = index or _Apart(problem)
    apart, parent = index.pairs, index.parent
    found = []
    for trip in _trips_of(route, by_id):
        on_trip = list(dict.fromkeys(x.request for x in trip))
        for i, a in enumerate(on_trip):
            for b in on_trip[i + 1 :]:
                if frozenset((parent.get(a, a), parent.get(b, b))) in apart:
                    found.append((a, b))
    return found


# ------------------------------------------------------------- pre-checks


def static_cause(problem: TransportProblem, r: RideRequest) -> str | None:
    """Why ``r`` cannot be served by any vehicle even on an empty road, or None."""
    drive = problem.travel(r.pickup, r.dropoff)
    if problem.max_ride_min is not None and drive > problem.max_ride_min:
        return CAUSE_RIDE_TOO_LONG
    fitting = [v for v in problem.vehicles if v.fits(r.seated, r.wheelchairs)]
    if not fitting:
        if r.wheelchairs and not any(v.wheelchair_places >= r.wheelchairs for v in problem.vehicles):
            return CAUSE_NO_WHEELCHAIR_VEHICLE
        return CAUSE_NO_VEHICLE_FITS
    if not any(_vehicle_can_serve_alone(problem, v, r) for v in fitting):
        return CAUSE_NO_VEHICLE_IN_TIME
    return None


def _vehicle_can_serve_alone(problem: TransportProblem, v: TransportVehicle, r: RideRequest) -> bool:
    at_pickup = max(v.available_from_min + problem.travel(v.depot, r.pickup), r.pickup_window[0])
    if at_pickup > r.pickup_window[1]:
        return False
    at_dropoff = max(at_pickup + problem.travel(r.pickup, r.dropoff), r.dropoff_window[0])
    if at_dropoff > r.dropoff_window[1]:
        return False
    if problem.max_ride_min is not None and at_dropoff - at_pickup > problem.max_ride_min:
        # waiting for the drop-off window with passengers on board: leave later instead
        at_pickup = at_dropoff - problem.travel(r.pickup, r.dropoff)
        if at_pickup > r.pickup_window[1]:
            return False
    return at_dropoff + problem.travel(r.dropoff, v.depot) <= v.available_to_min


# ------------------------------------------------------------------ bands


def split_into_bands(requests: Sequence[RideRequest], max_band_requests: int) -> list[list[RideRequest]]:
    """Requests in time order, cut into bands of at most ``max_band_requests``, at the widest gaps."""
    ordered = sorted(requests, key=lambda r: (r.anchor_min, r.id))
    n = len(ordered)
    if max_band_requests <= 0 or n <= max_band_requests:
        return [ordered] if ordered else []
    bands = math.ceil(n / max_band_requests)
    size = n / bands
    cuts: list[int] = []
    for k in range(1, bands):
        target = round(k * size)
        previous = cuts[-1] if cuts else 0
        # any cut that leaves this band and the later ones within the size limit
        lo = max(previous + 1, n - (bands - k) * max_band_requests)
        hi = min(n - 1, previous + max_band_requests)
        # cut before the request that follows the widest gap in time
        best = max(
            range(lo, hi + 1), key=lambda i: (ordered[i].anchor_min - ordered[i - 1].anchor_min, -abs(i - target))
        )
        cuts.append(best)
    edges = [0, *cuts, n]
    return [ordered[a:b] for a, b in zip(edges, edges[1:], strict=False) if b > a]


@dataclass
class _VehicleState:
    """Where and when a vehicle is free, between bands."""

    place: str
    free_from_min: int
    used: bool = False
    visits: list[Visit] = field(default_factory=list)
    leave_depot_min: int | None = None


# --------------------------------------------------------- greedy start


@dataclass
class _Trip:
    """Visits a vehicle makes without becoming empty, timed relative to its first stop."""

    steps: list[tuple[RideRequest, str]]
    offsets: list[int]  # minutes from the first stop to each stop
    seated: int  # most seated passengers on board at once
    wheelchairs: int
    earliest_start: int
    latest_start: int

    @property
    def first_place(self) -> str:
        r, action = self.steps[0]
        return r.pickup if action == PICKUP else r.dropoff

    @property
    def last_place(self) -> str:
        r, action = self.steps[-1]
        return r.pickup if action == PICKUP else r.dropoff

    @property
    def duration(self) -> int:
        return self.offsets[-1]


def _make_trip(problem: TransportProblem, steps: list[tuple[RideRequest, str]]) -> _Trip | None:
    """Time a sequence of visits driven without waiting; None if no start time keeps every rule."""
    offsets = [0]
    places = [r.pickup if a == PICKUP else r.dropoff for r, a in steps]
    for a, b in zip(places, places[1:], strict=False):
        offsets.append(offsets[-1] + problem.travel(a, b))
    earliest, latest = 0, HORIZON_MIN
    seated = wheels = peak_seated = peak_wheels = 0
    picked: dict[str, int] = {}
    for (r, action), off in zip(steps, offsets, strict=True):
        lo, hi = r.pickup_window if action == PICKUP else r.dropoff_window
        earliest, latest = max(earliest, lo - off), min(latest, hi - off)
        if action == PICKUP:
            picked[r.id] = off
            seated, wheels = seated + r.seated, wheels + r.wheelchairs
            peak_seated, peak_wheels = max(peak_seated, seated), max(peak_wheels, wheels)
        else:
            if problem.max_ride_min is not None and off - picked[r.id] > problem.max_ride_min:
                return None
            seated, wheels = seated - r.seated, wheels - r.wheelchairs
    if earliest > latest:
        return None
    return _Trip(steps, offsets, peak_seated, peak_wheels, earliest, latest)


def _build_trips(problem: TransportProblem, requests: Sequence[RideRequest]) -> list[_Trip]:
    """Group requests into shuttle trips.

    Requests going to the same place in the same window (a session's parties
    going there) are collected farthest first, adding the nearest pickups
    while the biggest suitable vehicle has room and every ride stays within
    the limit; requests leaving the same place in the same window (going
    home) likewise, dropping off nearest first.
    """
    shapes = sorted({(v.seats, v.wheelchair_places) for v in problem.vehicles}, reverse=True)
    converging: dict[tuple[str, tuple[int, int]], list[RideRequest]] = defaultdict(list)
    diverging: dict[tuple[str, tuple[int, int]], list[RideRequest]] = defaultdict(list)
    for r in requests:
        if r.wait_at == PICKUP:
            diverging[(r.pickup, r.pickup_window)].append(r)
        else:
            converging[(r.dropoff, r.dropoff_window)].append(r)
    trips: list[_Trip] = []

    def shape_for(r: RideRequest) -> tuple[int, int]:
        fitting = [(s, w) for s, w in shapes if s >= r.seated and w >= r.wheelchairs]
        if not fitting:
            return (r.seated, r.wheelchairs)
        if r.wheelchairs:
            return max(fitting, key=lambda sw: (sw[0], sw[1]))
        return max(fitting, key=lambda sw: (sw[0], -sw[1]))

    for (hub, _), group in sorted(converging.items()):
        remaining = sorted(group, key=lambda r: (-problem.travel(r.pickup, hub), r.id))
        while remaining:
            seed = remaining.pop(0)
            seats, chairs = shape_for(seed)
            members = [seed]
            trip = _make_trip(problem, [(seed, PICKUP), (seed, DROPOFF)])
            load_s, load_w = seed.seated, seed.wheelchairs
            while trip is not None and remaining:
                here = members[-1].pickup
                fitting = [r for r in remaining if load_s + r.seated <= seats and load_w + r.wheelchairs <= chairs]
                fitting.sort(key=lambda r: (problem.travel(here, r.pickup), r.id))
                for r in fitting[:6]:
                    order = [*members, r]
                    candidate = _make_trip(problem, [(m, PICKUP) for m in order] + [(m, DROPOFF) for m in order])
                    if candidate is not None:
                        members, trip = order, candidate
                        load_s, load_w = load_s + r.seated, load_w + r.wheelchairs
                        remaining.remove(r)
                        break
                else:
                    break
            if trip is not None:
                trips.append(trip)
    for (hub, _), group in sorted(diverging.items()):
        remaining = sorted(group, key=lambda r: (-problem.travel(hub, r.dropoff), r.id))
        while remaining:
            seed = remaining.pop(0)
            seats, chairs = shape_for(seed)
            members = [seed]  # in reverse order of drop-off: the farthest is dropped last
            trip = _make_trip(problem, [(seed, PICKUP), (seed, DROPOFF)])
            load_s, load_w = seed.seated, seed.wheelchairs
            while trip is not None and remaining:
                here = members[-1].dropoff
                fitting = [r for r in remaining if load_s + r.seated <= seats and load_w + r.wheelchairs <= chairs]
                fitting.sort(key=lambda r: (problem.travel(r.dropoff, here), r.id))
                for r in fitting[:6]:
                    order = [*members, r]
                    steps = [(m, PICKUP) for m in order] + [(m, DROPOFF) for m in reversed(order)]
                    candidate = _make_trip(problem, steps)
                    if candidate is not None:
                        members, trip = order, candidate
                        load_s, load_w = load_s + r.seated, load_w + r.wheelchairs
                        remaining.remove(r)
                        break
                else:
                    break
            if trip is not None:
                trips.append(trip)
    return trips


def construct_routes(
    problem: TransportProblem, requests: Sequence[RideRequest], states: dict[str, _VehicleState]
) -> dict[str, list[tuple[RideRequest, str]]]:
    """A quick plan for ``requests``: shuttle trips handed to vehicles in time order.

    Each trip goes to the vehicle already on the road that reaches its first
    stop in time with the least empty driving; only when none can, a new
    vehicle is taken (the roomiest that fits, from the nearest depot). A trip
    no vehicle can take is cut into single requests, and a single request
    into its parts when it has some; what still finds no vehicle is left for
    the search (and, failing that, reported unserved).
    This is the search's first solution: it is found in a fraction of a
    second where OR-Tools' own first-solution heuristics took longer than the
    whole budget on a Games day.
    """
    vehicles = sorted(problem.vehicles, key=lambda v: v.id)
    where = {v.id: states[v.id].place for v in vehicles}
    free = {v.id: states[v.id].free_from_min for v in vehicles}
    used = {v.id for v in vehicles if states[v.id].used}
    plan: dict[str, list[tuple[RideRequest, str]]] = defaultdict(list)
    pending = sorted(_build_trips(problem, requests), key=lambda t: (t.earliest_start, t.latest_start))
    queue = list(pending)
    while queue:
        trip = queue.pop(0)
        best: tuple[tuple[int, ...], TransportVehicle, int] | None = None
        for v in vehicles:
            if v.seats < trip.seated or v.wheelchair_places < trip.wheelchairs:
                continue
            drive = problem.travel(where[v.id], trip.first_place)
            start = max(trip.earliest_start, free[v.id] + drive, v.available_from_min + drive)
            if start > trip.latest_start:
                continue
            if start + trip.duration + problem.travel(trip.last_place, v.depot) > v.available_to_min:
                continue
            if v.id in used:
                # on the road already: keep wheelchair places free for wheelchair users, least empty driving
                key: tuple[int, ...] = (0, int(v.wheelchair_places > trip.wheelchairs == 0), drive, start)
            else:
                # a new vehicle: keep wheelchair places for wheelchair users, prefer room for more
                key = (1, v.wheelchair_places - trip.wheelchairs, -v.seats, drive)
            if best is None or key < best[0]:
                best = (key, v, start)
        if best is None:
            # cut the trip into its requests; a lone request into its parts (wheelchair users / walkers)
            if len(trip.steps) > 2:
                pieces = [r for r, action in trip.steps if action == PICKUP]
            else:
                pieces = list(trip.steps[0][0].parts)
            smaller = [t for t in (_make_trip(problem, [(r, PICKUP), (r, DROPOFF)]) for r in pieces) if t is not None]
            queue = sorted(queue + smaller, key=lambda t: (t.earliest_start, t.latest_start))
            continue
        _, v, start = best
        plan[v.id].extend(trip.steps)
        where[v.id] = trip.last_place
        free[v.id] = start + trip.duration
        used.add(v.id)
    return dict(plan)


def construct_start(problem: TransportProblem) -> dict[str, list[tuple[str, str]]]:
    """Our greedy first plan for the whole day (no bands, no search): ``vehicle id -> [(request id, action)]``.

    Used by ``benchmarks/transport.py`` to give PyVRP the same start as ours.
    """
    states = {v.id: _VehicleState(v.depot, v.available_from_min) for v in problem.vehicles}
    routes = construct_routes(problem, problem.requests, states)
    return {vid: [(r.id, action) for r, action in steps] for vid, steps in routes.items()}


# ------------------------------------------------------------------ solve


def solve_transport(
    problem: TransportProblem,
    settings: SolveSettings | None = None,
    *,
    progress: Callable[[SolveProgress], None] | None = None,
    stop: threading.Event | None = None,
    initial_routes: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> TransportPlan:
    """Plan one day of shuttles.

    Args:
        problem: the day's fleet, requests and travel times.
        settings: search settings (time limit, seed, band size...).
        progress: called at every improving solution and at the end of each band.
        stop: when set, the search ends as soon as possible; the best plan so
            far is kept and unplanned requests are reported as stopped.
        initial_routes: an optional hint, ``vehicle id -> [(request id,
            "pickup"|"dropoff"), ...]`` (e.g. from the previous plan); used
            as the first solution of a band when it is feasible there.

    Returns:
        A :class:`TransportPlan`.
    """
    settings = settings or SolveSettings()
    started = time.monotonic()
    # keep a little time for timetabling the last band and for the caller's paperwork
    deadline = started + settings.time_limit_s - min(2.0, 0.03 * settings.time_limit_s)
    unserved: list[Unserved] = []
    servable: list[RideRequest] = []
    for r in problem.requests:
        cause = static_cause(problem, r)
        if cause is None:
            servable.append(r)
        else:
            unserved.append(Unserved(r.id, cause))
    rng = random.Random(settings.seed)
    servable.sort(key=lambda r: r.id)
    rng.shuffle(servable)
    bands = split_into_bands(servable, settings.max_band_requests)
    # With several bands, also the greedy plan of the whole day (no search): the rolling horizon
    # cannot place vehicles for later bands and may end up with more vehicles than this plan
    # (measured on the Games day: 148 vehicles banded, 121 greedy). Both plans get their vehicles
    # cut down by moving whole trips (_eliminate_vehicles); the banded solve is abandoned once it is
    # clearly behind; the better plan is then improved window by window.
    whole_day = _whole_day_greedy(problem, servable) if len(bands) > 1 else None
    improve_until = deadline
    by_id = problem.request_index()
    greedy_lost, greedy_objective = 0, math.inf
    greedy_vehicles_of: dict[str, set[str]] = defaultdict(set)  # request -> vehicles of the whole-day plan
    greedy_so_far: set[str] = set()  # vehicles the whole-day plan uses for the bands solved so far
    if whole_day is not None:
        greedy_routes, greedy_unserved = whole_day
        now = time.monotonic()
        greedy_routes = _eliminate_vehicles(problem, greedy_routes, now + (deadline - now) * ELIMINATE_SHARE, stop)
        greedy_lost = sum(by_id[u.request].passengers for u in greedy_unserved)
        greedy_unserved = unserved + greedy_unserved  # the static causes, then what the fleet could not carry
        whole_day = greedy_routes, greedy_unserved
        greedy_objective = evaluate(problem, greedy_routes, [u.request for u in greedy_unserved])[3]
        parent = {p.id: r.id for r in servable for p in r.parts}
        for route in greedy_routes:
            for visit in route.visits:
                greedy_vehicles_of[parent.get(visit.request, visit.request)].add(route.vehicle)
        deadline = time.monotonic() + (deadline - time.monotonic()) * IMPROVE_SHARE_BANDED
    elif len(servable) >= WINDOWS_FROM:
        # one band: its search converges early (a small day: in 6 s of 58), windows go on from there
        deadline = time.monotonic() + (deadline - time.monotonic()) * SINGLE_BAND_SHARE
    states = {v.id: _VehicleState(v.depot, v.available_from_min) for v in problem.vehicles}
    stopped = abandoned = False
    overhead_s = 0.0
    lost = 0  # passengers the bands left behind so far
    for k, band in enumerate(bands):
        if stop is not None and stop.is_set():
            stopped = True
        if stopped or abandoned:
            unserved.extend(Unserved(r.id, CAUSE_STOPPED) for r in band)
            continue
        remaining_requests = sum(len(b) for b in bands[k:])
        band_started = time.monotonic()
        share = (deadline - band_started) * len(band) / remaining_requests
        search_s = share - overhead_s  # building the model and timetabling also take time
        final = k == len(bands) - 1
        dropped = _solve_band(
            problem, band, states, final, search_s, settings, k, len(bands), started, progress, stop, initial_routes
        )
        spent = time.monotonic() - band_started
        overhead_s = (
            max(overhead_s, spent - max(search_s, 0.0))
            if k == 0
            else (overhead_s + max(0.0, spent - max(search_s, 0.0))) / 2
        )
        unserved.extend(Unserved(rid, CAUSE_FLEET_BUSY) for rid in dropped)
        lost += sum(by_id[rid].passengers for rid in dropped)
        # Vehicles already paid for and passengers already left behind only add up in later bands:
        # compared with what the whole-day plan uses for the same requests, the banded plan is
        # abandoned once clearly behind. Somewhat more vehicles are tolerated: saving vehicles often
        # brings it below the whole-day plan (a district day: 12 -> 10 against 11), and its search
        # left it less driving.
        for r in band:
            greedy_so_far.update(greedy_vehicles_of[r.id])
        banded_used = sum(1 for s in states.values() if s.used)
        abandoned = whole_day is not None and (
            lost > greedy_lost
            or banded_used > max(len(greedy_so_far) * BANDED_VEHICLES_TOLERANCE, len(greedy_so_far) + 2)
        )
        if progress is not None:
            progress(
                SolveProgress(
                    time.monotonic() - started,
                    k + 1,
                    len(bands),
                    None,
                    f"band {k + 1} of {len(bands)} planned"
                    + (" (no better than the whole-day plan)" if abandoned else ""),
                )
            )
    routes = []
    for v in problem.vehicles:
        s = states[v.id]
        if not s.visits:
            continue
        assert s.leave_depot_min is not None
        back = s.free_from_min + problem.travel(s.place, v.depot)
        routes.append(VehicleDay(v.id, v.depot, s.leave_depot_min, back, tuple(s.visits)))
    stopped = stopped or (stop is not None and stop.is_set())
    if whole_day is not None and not stopped:
        if not abandoned:
            now = time.monotonic()
            routes = _eliminate_vehicles(problem, routes, now + (improve_until - now) * ELIMINATE_SHARE, stop)
        if abandoned or greedy_objective <= evaluate(problem, routes, [u.request for u in unserved])[3]:
            routes, unserved = whole_day
        routes = _improve_by_windows(problem, routes, improve_until, settings, started, progress, stop)
    elif not stopped and len(servable) >= WINDOWS_FROM:
        now = time.monotonic()
        routes = _eliminate_vehicles(problem, routes, now + (improve_until - now) * ELIMINATE_SHARE, stop)
        limit = max(SINGLE_BAND_WINDOW, len(servable) // 2)
        routes = _improve_by_windows(problem, routes, improve_until, settings, started, progress, stop, limit)
    routes, apart = _keep_apart(problem, routes)
    if apart:
        unserved.extend(Unserved(rid, CAUSE_FLEET_BUSY) for rid in apart)
    used, driving, waiting, objective = evaluate(problem, routes, [u.request for u in unserved])
    status = "stopped" if stopped else "partial" if unserved else "feasible"
    return TransportPlan(
        tuple(routes),
        tuple(sorted(unserved, key=lambda u: u.request)),
        status,
        used,
        driving,
        waiting,
        objective,
        time.monotonic() - started,
        len(bands),
    )


MIN_SEARCH_S = 0.2  # a band with less time left keeps its greedy plan
IMPROVE_SHARE_BANDED = 0.5  # on a day of several bands: share of the time for the banded solve
ELIMINATE_SHARE = 0.25  # share of the time left for saving vehicles (_eliminate_vehicles) of a plan
# the banded solve goes on while it uses at most this times the whole-day plan's vehicles
BANDED_VEHICLES_TOLERANCE = 1.2
SINGLE_BAND_SHARE = 0.25  # on a day of one band: share of the time for its search, the rest for windows
WINDOWS_FROM = 25  # a day of one band with at least this many requests is also improved window by window
SINGLE_BAND_WINDOW = 32  # ... in windows of up to this many requests, or half the day's
WINDOW_SEARCH_S_PER_REQUEST = 0.06  # longest search of one window, per request in it (more passes instead)
WINDOW_RUIN_SHARE = 0.3  # window passes after the first start each window's search without this share of it
WINDOW_PASSES_UNCHANGED = 20  # window passes in a row that changed nothing end the improvement


def _trips_of(route: VehicleDay, by_id: Mapping[str, RideRequest]) -> list[list[Visit]]:
    """A vehicle day's visits cut where the vehicle is empty."""
    trips: list[list[Visit]] = []
    on_board = 0
    for visit in route.visits:
        if on_board == 0:
            trips.append([])
        trips[-1].append(visit)
        on_board += by_id[visit.request].passengers * (1 if visit.action == PICKUP else -1)
    return trips


# ------------------------------------------------------- vehicle elimination


def _trip_of_visits(problem: TransportProblem, visits: Sequence[Visit], by_id: Mapping[str, RideRequest]) -> _Trip:
    """One trip of a timetabled route as a :class:`_Trip`.

    Driven without waiting when that keeps every rule (its start may then
    move within a window); otherwise (the search made it wait with
    passengers on board) fixed at its timetabled times.
    """
    steps = [(by_id[x.request], x.action) for x in visits]
    trip = _make_trip(problem, steps)
    if trip is not None:
        return trip
    seated = wheels = peak_seated = peak_wheels = 0
    for r, action in steps:
        sign = 1 if action == PICKUP else -1
        seated, wheels = seated + sign * r.seated, wheels + sign * r.wheelchairs
        peak_seated, peak_wheels = max(peak_seated, seated), max(peak_wheels, wheels)
    start = visits[0].arrive_min
    return _Trip(steps, [x.arrive_min - start for x in visits], peak_seated, peak_wheels, start, start)


class _TripChains:
    """Each vehicle's day as a chain of trips, with the earliest and latest start of each trip.

    A trip may start anywhere in its own window as long as the vehicle gets
    there from the previous trip (or its depot) and still reaches the next
    trip (or its depot) in time; waiting happens between trips, with nobody
    on board, so moving whole trips between vehicles never touches a ride.
    """

    def __init__(self, problem: TransportProblem, chains: dict[str, list[_Trip]]) -> None:
        self.problem = problem
        self.vehicles = {v.id: v for v in problem.vehicles}
        self.chains = chains
        self._times: dict[str, tuple[list[int], list[int]]] = {}

    def times(self, vid: str) -> tuple[list[int], list[int]]:
        """(earliest start, latest start) of each trip of ``vid``'s chain."""
        cached = self._times.get(vid)
        if cached is not None:
            return cached
        v, chain, travel = self.vehicles[vid], self.chains[vid], self.problem.travel
        earliest: list[int] = []
        clock, here = v.available_from_min, v.depot
        for t in chain:
            start = max(t.earliest_start, clock + travel(here, t.first_place))
            earliest.append(start)
            clock, here = start + t.duration, t.last_place
        latest = [0] * len(chain)
        bound, there = v.available_to_min, v.depot
        for k in range(len(chain) - 1, -1, -1):
            t = chain[k]
            latest[k] = min(t.latest_start, bound - travel(t.last_place, there) - t.duration)
            bound, there = latest[k], t.first_place
        self._times[vid] = (earliest, latest)
        return earliest, latest

    def best_gap(self, trip: _Trip, vid: str) -> tuple[int, int] | None:
        """(added driving, position) of the cheapest place for ``trip`` in ``vid``'s chain, or None."""
        v = self.vehicles[vid]
        if trip.seated > v.seats or trip.wheelchairs > v.wheelchair_places:
            return None
        chain, travel = self.chains[vid], self.problem.travel
        earliest, latest = self.times(vid)
        best: tuple[int, int] | None = None
        for k in range(len(chain) + 1):
            if k:
                here, free = chain[k - 1].last_place, earliest[k - 1] + chain[k - 1].duration
            else:
                here, free = v.depot, v.available_from_min
            if free > trip.latest_start:
                break
            there, due = (chain[k].first_place, latest[k]) if k < len(chain) else (v.depot, v.available_to_min)
            start = max(trip.earliest_start, free + travel(here, trip.first_place))
            if start <= trip.latest_start and start + trip.duration + travel(trip.last_place, there) <= due:
                added = travel(here, trip.first_place) + travel(trip.last_place, there) - travel(here, there)
                if best is None or added < best[0]:
                    best = (added, k)
        return best

    def insert(self, trip: _Trip, vid: str, k: int) -> None:
        self.chains[vid].insert(k, trip)
        self._times.pop(vid, None)

    def pop(self, vid: str, k: int) -> _Trip:
        self._times.pop(vid, None)
        return self.chains[vid].pop(k)

    def empty(self, vid: str) -> list[_Trip]:
        """Take every trip off ``vid``."""
        trips, self.chains[vid] = self.chains[vid], []
        self._times.pop(vid, None)
        return trips

    def restore(self, saved: Mapping[str, list[_Trip]]) -> None:
        for vid, chain in saved.items():
            self.chains[vid] = list(chain)
            self._times.pop(vid, None)

    def rehome(self, vid: str, trips: list[_Trip], others: list[str], deadline: float) -> bool:
        """Move ``vid``'s ``trips`` to the ``others``' chains; False (chains half changed) if some trip finds no place.

        The trip with the fewest places left goes first, to its cheapest
        place. A trip with no place may take the place of one trip of another
        vehicle when that trip finds a place elsewhere (one ejection).
        """
        pending = list(trips)
        while pending:
            if time.monotonic() > deadline:
                return False
            options = []
            for t in pending:
                places = [(g[0], u, g[1]) for u in others for g in (self.best_gap(t, u),) if g is not None]
                options.append((len(places), t, places))
                if not places:
                    break
            count, trip, places = min(options, key=lambda o: o[0])
            pending.remove(trip)
            if count:
                _, u, k = min(places)
                self.insert(trip, u, k)
            elif not self._eject_for(trip, others):
                return False
        return True

    def _eject_for(self, trip: _Trip, others: list[str]) -> bool:
        """Put ``trip`` in place of one trip of another chain that itself moves elsewhere; False if none can."""
        best: tuple[int, str, int, str] | None = None
        for u in others:
            v = self.vehicles[u]
            if trip.seated > v.seats or trip.wheelchairs > v.wheelchair_places:
                continue
            for j in range(len(self.chains[u])):
                out = self.chains[u][j]
                if out.earliest_start > trip.latest_start + EJECT_NEAR_MIN or (
                    out.latest_start + out.duration + EJECT_NEAR_MIN < trip.earliest_start
                ):
                    continue
                self.pop(u, j)
                gap = self.best_gap(trip, u)
                if gap is not None:
                    self.insert(trip, u, gap[1])
                    for x in others:
                        moved = self.best_gap(out, x) if x != u else None
                        if moved is not None and (best is None or gap[0] + moved[0] < best[0]):
                            best = (gap[0] + moved[0], u, j, x)
                    self.pop(u, gap[1])
                self.insert(out, u, j)
        if best is None:
            return False
        _, u, j, x = best
        out = self.pop(u, j)
        gap = self.best_gap(trip, u)
        assert gap is not None
        self.insert(trip, u, gap[1])
        moved = self.best_gap(out, x)
        assert moved is not None
        self.insert(out, x, moved[1])
        return True


EJECT_NEAR_MIN = 120  # a trip is ejected for another only if their times are this close


def _eliminate_vehicles(
    problem: TransportProblem,
    routes: Sequence[VehicleDay],
    deadline: float,
    stop: threading.Event | None = None,
) -> list[VehicleDay]:
    """Fewer vehicles for the same plan: move every trip of one vehicle to the others, while it works.

    The vehicle with the fewest requests goes first. Its trips (the visits
    between two moments it is empty) are moved whole, each to the cheapest
    gap of another vehicle's day that it fits in time and in size, making
    room by moving one trip of that vehicle elsewhere when needed; if all its
    trips find a place the vehicle is saved, otherwise nothing changes and
    the next vehicle is tried. A trip keeps its passengers and its order, so
    every ride is as before; only the vehicle's time between trips changes.
    Stops when no vehicle can be saved or at ``deadline``. The routing search
    rarely empties a vehicle on its own: a vehicle is saved only by moving
    all its trips at once.
    """
    by_id = problem.request_index()
    chains = _TripChains(
        problem, {r.vehicle: [_trip_of_visits(problem, t, by_id) for t in _trips_of(r, by_id)] for r in routes}
    )
    original = {r.vehicle: r for r in routes}
    changed: set[str] = set()
    failed: set[str] = set()
    while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
        candidates = [vid for vid, chain in chains.chains.items() if chain and vid not in failed]
        if len(candidates) < 2:
            break
        vid = min(candidates, key=lambda u: (sum(len(t.steps) for t in chains.chains[u]), u))
        others = [u for u, chain in chains.chains.items() if chain and u != vid]
        saved = {u: list(chains.chains[u]) for u in others}
        trips = chains.empty(vid)
        if chains.rehome(vid, trips, others, deadline):
            changed.update(u for u in others if list(map(id, chains.chains[u])) != list(map(id, saved[u])))
            changed.add(vid)
            failed.clear()
        else:
            chains.restore(saved)
            chains.restore({vid: trips})
            failed.add(vid)
    if not changed:
        return list(routes)
    vehicles = {v.id: v for v in problem.vehicles}
    out = []
    for vid, route in original.items():
        if vid not in changed:
            out.append(route)
        elif chains.chains[vid]:
            try:
                out.append(_timetable(problem, vehicles[vid], [s for t in chains.chains[vid] for s in t.steps]))
            except RuntimeError:  # pragma: no cover - every chain is kept feasible
                return list(routes)
    return out


def _timetable(
    problem: TransportProblem, vehicle: TransportVehicle, steps: Sequence[tuple[RideRequest, str]]
) -> VehicleDay:
    """The vehicle's day from its depot for ``steps`` in this order (:func:`schedule_route`)."""
    leave, times = schedule_route(problem, vehicle, vehicle.depot, vehicle.available_from_min, steps)
    visits = tuple(
        Visit(r.id, action, r.pickup if action == PICKUP else r.dropoff, arrive, depart)
        for (r, action), (arrive, depart) in zip(steps, times, strict=True)
    )
    back = visits[-1].depart_min + problem.travel(visits[-1].place, vehicle.depot)
    return VehicleDay(vehicle.id, vehicle.depot, leave, back, visits)


def _keep_apart(problem: TransportProblem, routes: Sequence[VehicleDay]) -> tuple[list[VehicleDay], list[str]]:
    """Routes with no two requests of a ``problem.apart`` pair on one trip, and the requests that found no place.

    The searches do not know who rides in which request, so now and then a
    party is set down at its hotel and a request with some of the same
    people boards there while others are still on board: one trip, the same
    passengers twice. The later request of such a pair (by pickup window) is
    taken out of its route (what is left is timed again; fewer stops leave
    more time and room, unless travel times break the triangle inequality)
    and driven as a trip of its own by the vehicle with the cheapest gap in
    its day (an unused vehicle costs a vehicle); if no vehicle has a gap, the
    other request of the pair is tried, and if neither fits, the later one
    that can be taken out is left out (returned); a clash that no removal
    can time is left for the checker to report. Rare once the
    service has cut such requests' time windows apart: on the Games
    fixture's busiest day (about 3,100 requests, 9,700 pairs) two runs
    found 1 and 0.
    """
    if not problem.apart:
        return list(routes), []
    by_id = problem.request_index()
    index = _Apart(problem)
    vehicles = {v.id: v for v in problem.vehicles}
    days = {r.vehicle: r for r in routes}
    dropped: list[str] = []
    stuck: set[tuple[str, str]] = set()  # clashes no removal can mend (left for the checker to report)
    while True:
        clash = next(
            (
                (vid, pair)
                for vid, day in days.items()
                for pair in _shared_on_trips(problem, day, by_id, index)
                if pair not in stuck
            ),
            None,
        )
        if clash is None:
            break
        vid, pair = clash
        order = sorted(pair, key=lambda rid: (by_id[rid].pickup_window, rid), reverse=True)
        fallback: tuple[str, dict[str, VehicleDay]] | None = None  # the first request that can be left out
        for rid in order:
            rest = _without_request(problem, days, vehicles, by_id, vid, rid)
            if rest is None:
                continue
            moved = _drive_alone(problem, rest, vehicles, by_id, rid)
            if moved is not None:
                days = moved
                break
            fallback = fallback or (rid, rest)
        else:
            if fallback is None:
                stuck.add(pair)
            else:
                dropped.append(fallback[0])
                days = fallback[1]
    return [days[v.id] for v in problem.vehicles if v.id in days], dropped


def _without_request(
    problem: TransportProblem,
    days: Mapping[str, VehicleDay],
    vehicles: Mapping[str, TransportVehicle],
    by_id: Mapping[str, RideRequest],
    vid: str,
    rid: str,
) -> dict[str, VehicleDay] | None:
    """``days`` with request ``rid`` taken off ``vid`` (timed again); None if what is left cannot be timed."""
    out = dict(days)
    rest = [(by_id[x.request], x.action) for x in days[vid].visits if x.request != rid]
    try:
        if rest:
            out[vid] = _timetable(problem, vehicles[vid], rest)
        else:
            del out[vid]
    except RuntimeError:  # travel times without the triangle inequality: a shortcut may be slower
        return None
    return out


def _drive_alone(
    problem: TransportProblem,
    days: Mapping[str, VehicleDay],
    vehicles: Mapping[str, TransportVehicle],
    by_id: Mapping[str, RideRequest],
    rid: str,
) -> dict[str, VehicleDay] | None:
    """``days`` (without request ``rid``) with ``rid`` driven as a trip of its own; None if no vehicle can."""
    r = by_id[rid]
    alone = _make_trip(problem, [(r, PICKUP), (r, DROPOFF)])
    if alone is None:
        return None
    out = dict(days)
    chains = _TripChains(
        problem,
        {
            v.id: [_trip_of_visits(problem, t, by_id) for t in _trips_of(out[v.id], by_id)] if v.id in out else []
            for v in problem.vehicles
        },
    )
    best: tuple[int, str, int] | None = None
    for v in problem.vehicles:
        gap = chains.best_gap(alone, v.id)
        if gap is None:
            continue
        cost = gap[0] * problem.weights.driving_min + (0 if v.id in out else problem.weights.vehicle)
        if best is None or cost < best[0]:
            best = (cost, v.id, gap[1])
    if best is None:
        return None
    _, target, k = best
    chains.insert(alone, target, k)
    try:
        out[target] = _timetable(problem, vehicles[target], [step for t in chains.chains[target] for step in t.steps])
    except RuntimeError:  # pragma: no cover - best_gap keeps the chain feasible
        return None
    return out


def _improve_by_windows(
    problem: TransportProblem,
    routes: Sequence[VehicleDay],
    deadline: float,
    settings: SolveSettings,
    started: float,
    progress: Callable[[SolveProgress], None] | None,
    stop: threading.Event | None,
    limit: int | None = None,
) -> list[VehicleDay]:
    """Improve a whole-day plan by local search over one time window of trips at a time.

    The trips (visits between two moments a vehicle is empty) are cut by start
    time into windows of at most ``limit`` requests (default
    ``max_band_requests``). For each window, the OR-Tools search re-plans its
    requests with every vehicle starting where and when its earlier trips
    leave it and having to reach the first stop of its later trips by the
    planned time, so the rest of the day stays feasible; the drive to that
    stop is paid in the window, and a vehicle with no trips outside the
    window may be saved. Unlike the banded solve, each window sees where the
    vehicles must be next. While time is left the day is cut again, with
    other window sizes and cut points (drawn from ``settings.seed``), so that
    trips cut apart once meet in a later pass, and each window's search
    starts without ``WINDOW_RUIN_SHARE`` of its requests (those closest in
    time and place to a random one); it stops after
    ``WINDOW_PASSES_UNCHANGED`` passes in a row that changed nothing.
    """
    by_id = problem.request_index()
    days = {r.vehicle: r for r in routes}
    limit = max(1, settings.max_band_requests if limit is None else limit)
    rng = random.Random(settings.seed)
    passes = unchanged = 0
    while time.monotonic() < deadline - MIN_SEARCH_S and not (stop is not None and stop.is_set()):
        size = first = limit
        if passes:
            size = rng.randint(max(1, limit // 2), limit)
            first = rng.randint(max(1, size // 4), size)
        windows = _windows_of(days, by_id, size, first)
        ruin = WINDOW_RUIN_SHARE if passes else 0.0
        if _improve_windows_pass(problem, days, windows, deadline, settings, started, progress, stop, ruin, rng):
            unchanged = 0
        else:
            unchanged += 1
            if unchanged >= WINDOW_PASSES_UNCHANGED:
                break  # the search has settled
        passes += 1
    return [days[v.id] for v in problem.vehicles if v.id in days]


def _windows_of(
    days: Mapping[str, VehicleDay], by_id: Mapping[str, RideRequest], limit: int, first: int
) -> dict[str, int]:
    """Request id -> window number: trips in order of start, at most ``limit`` requests a window (``first`` in the first)."""
    all_trips = sorted(
        (
            (trip[0].arrive_min, vid, [x.request for x in trip])
            for vid, r in days.items()
            for trip in _trips_of(r, by_id)
        ),
        key=lambda t: (t[0], t[1]),
    )
    window_of: dict[str, int] = {}
    window, count = 0, 0
    for _, _, members in all_trips:
        n = len(set(members))
        if count and count + n > (first if window == 0 else limit):
            window, count = window + 1, 0
        count += n
        for rid in members:
            window_of[rid] = window
    return window_of


def _improve_windows_pass(
    problem: TransportProblem,
    days: dict[str, VehicleDay],
    window_of: Mapping[str, int],
    deadline: float,
    settings: SolveSettings,
    started: float,
    progress: Callable[[SolveProgress], None] | None,
    stop: threading.Event | None,
    ruin_share: float = 0.0,
    rng: random.Random | None = None,
) -> bool:
    """One pass of :func:`_improve_by_windows` over the windows in ``window_of``; changes ``days``; True if it did.

    ``ruin_share``: that share of each window's requests, close to a random
    one in time and place, is taken out of the search's start (see
    :func:`_search_band`), so that it starts from elsewhere.
    """
    by_id = problem.request_index()
    windows = max(window_of.values(), default=-1) + 1
    improved = False
    for k in range(windows):
        now = time.monotonic()
        if now >= deadline - MIN_SEARCH_S or (stop is not None and stop.is_set()):
            break
        requests = sorted({rid for rid, w in window_of.items() if w == k})
        band = [by_id[rid] for rid in requests]
        states: dict[str, _VehicleState] = {}
        ends: dict[str, tuple[str, int]] = {}
        prefix: dict[str, list[Visit]] = {}
        suffix: dict[str, list[Visit]] = {}
        hint: dict[str, list[tuple[str, str]]] = {}
        for v in problem.vehicles:
            visits = days[v.id].visits if v.id in days else ()
            before = [x for x in visits if window_of[x.request] < k]
            after = [x for x in visits if window_of[x.request] > k]
            inside = [(x.request, x.action) for x in visits if window_of[x.request] == k]
            prefix[v.id], suffix[v.id] = before, after
            if inside:
                hint[v.id] = inside
            place, free = (before[-1].place, before[-1].arrive_min) if before else (v.depot, v.available_from_min)
            states[v.id] = _VehicleState(place, free, used=bool(before or after))
            ends[v.id] = (after[0].place, after[0].arrive_min) if after else (v.depot, v.available_to_min)
        share = min((deadline - now) / (windows - k), WINDOW_SEARCH_S_PER_REQUEST * max(len(band), 10))
        ruin: list[str] = []
        if ruin_share > 0 and rng is not None and band:
            seed = rng.choice(band)

            def distance(r: RideRequest, seed: RideRequest = seed) -> float:
                # half an hour apart weighs like ten minutes' drive apart at both ends
                return (
                    abs(r.anchor_min - seed.anchor_min) / 30
                    + (problem.travel(seed.pickup, r.pickup) + problem.travel(seed.dropoff, r.dropoff)) / 10
                )

            ruin = [r.id for r in sorted(band, key=distance)[: math.ceil(ruin_share * len(band))]]
        found = _search_band(
            problem, band, states, True, share, settings, k, windows, started, progress, stop, [hint], ends, ruin
        )
        if found is None:
            continue
        changed: dict[str, VehicleDay | None] = {}
        try:
            for v in problem.vehicles:
                new_inside = [(r.id, a) for r, a in found.get(v.id, [])]
                if new_inside == hint.get(v.id, []):
                    continue
                steps = [(by_id[x.request], x.action) for x in prefix[v.id]]
                steps += found.get(v.id, [])
                steps += [(by_id[x.request], x.action) for x in suffix[v.id]]
                if not steps:
                    changed[v.id] = None
                    continue
                leave, times = schedule_route(problem, v, v.depot, v.available_from_min, steps)
                visits_out = tuple(
                    Visit(r.id, a, r.pickup if a == PICKUP else r.dropoff, arrive, depart)
                    for (r, a), (arrive, depart) in zip(steps, times, strict=True)
                )
                back = visits_out[-1].depart_min + problem.travel(visits_out[-1].place, v.depot)
                changed[v.id] = VehicleDay(v.id, v.depot, leave, back, visits_out)
        except RuntimeError:  # pragma: no cover - the search keeps the later trips reachable
            continue
        for vid, day in changed.items():
            if day is None:
                days.pop(vid, None)
            else:
                days[vid] = day
        improved = improved or bool(changed)
    return improved


def _whole_day_greedy(
    problem: TransportProblem, servable: Sequence[RideRequest]
) -> tuple[list[VehicleDay], list[Unserved]] | None:
    """The greedy plan (:func:`construct_routes`) of the whole day, timetabled; None if a timetable fails."""
    states = {v.id: _VehicleState(v.depot, v.available_from_min) for v in problem.vehicles}
    plan = construct_routes(problem, servable, states)
    routes = []
    placed: set[str] = set()
    for v in problem.vehicles:
        steps = plan.get(v.id)
        if not steps:
            continue
        try:
            leave, times = schedule_route(problem, v, v.depot, v.available_from_min, steps)
        except RuntimeError:  # pragma: no cover - the greedy trips are timed feasibly
            return None
        visits = tuple(
            Visit(r.id, action, r.pickup if action == PICKUP else r.dropoff, arrive, depart)
            for (r, action), (arrive, depart) in zip(steps, times, strict=True)
        )
        placed.update(r.id for r, _ in steps)
        back = visits[-1].depart_min + problem.travel(visits[-1].place, v.depot)
        routes.append(VehicleDay(v.id, v.depot, leave, back, visits))
    unserved: list[Unserved] = []
    for r in servable:
        if r.id in placed:
            continue
        missing = [p.id for p in r.parts if p.id not in placed] if any(p.id in placed for p in r.parts) else [r.id]
        unserved.extend(Unserved(rid, CAUSE_FLEET_BUSY) for rid in missing)
    return routes, unserved


def _solve_band(
    problem: TransportProblem,
    band: list[RideRequest],
    states: dict[str, _VehicleState],
    final: bool,
    time_limit_s: float,
    settings: SolveSettings,
    band_no: int,
    bands: int,
    started: float,
    progress: Callable[[SolveProgress], None] | None,
    stop: threading.Event | None,
    initial_routes: Mapping[str, Sequence[tuple[str, str]]] | None,
) -> list[str]:
    """Plan one band in place (appends visits to ``states``); returns the ids of dropped requests.

    The greedy plan (:func:`construct_routes`) is the first solution; the
    OR-Tools local search improves it for ``time_limit_s`` when there is time.
    """
    routes = construct_routes(problem, band, states)
    # requests the greedy plan had to cut are searched as their parts from here on
    placed = {r.id for steps in routes.values() for r, _ in steps}
    band = [
        part
        for r in band
        for part in (r.parts if r.id not in placed and any(p.id in placed for p in r.parts) else (r,))
    ]
    if time_limit_s >= MIN_SEARCH_S and not (stop is not None and stop.is_set()):
        hints = [_as_ids(routes)]
        if initial_routes:
            hints.insert(0, _as_ids(dict(initial_routes)))
        found = _search_band(
            problem, band, states, final, time_limit_s, settings, band_no, bands, started, progress, stop, hints
        )
        if found is not None:
            routes = found
    served: set[str] = set()
    for v in problem.vehicles:
        steps = routes.get(v.id, [])
        if not steps:
            continue
        state = states[v.id]
        served.update(r.id for r, _ in steps)
        leave, times = schedule_route(problem, v, state.place, state.free_from_min, steps)
        if not state.used:
            state.leave_depot_min = leave
        elif state.visits:
            state.visits[-1] = replace(state.visits[-1], depart_min=leave)
        for (r, action), (arrive, depart) in zip(steps, times, strict=True):
            state.visits.append(Visit(r.id, action, r.pickup if action == PICKUP else r.dropoff, arrive, depart))
        last = state.visits[-1]
        state.place, state.free_from_min, state.used = last.place, last.depart_min, True
    return [r.id for r in band if r.id not in served]


def _search_band(
    problem: TransportProblem,
    band: list[RideRequest],
    states: dict[str, _VehicleState],
    final: bool,
    time_limit_s: float,
    settings: SolveSettings,
    band_no: int,
    bands: int,
    started: float,
    progress: Callable[[SolveProgress], None] | None,
    stop: threading.Event | None,
    hints: list[dict[str, list[tuple[str, str]]]],
    ends: Mapping[str, tuple[str, int]] | None = None,
    ruin: Collection[str] = (),
) -> dict[str, list[tuple[RideRequest, str]]] | None:
    """OR-Tools local search over one band from the first hint that fits; None if it found nothing better.

    ``ruin``: requests taken out of that hint before the search starts (it
    must place them again); the result must still be no worse than the hint.

    ``ends``: where and by when each vehicle must be at the end of the band
    (vehicle id -> (place, latest minute)); by default its depot, within its
    daily window.
    """
    w = problem.weights
    vehicles = problem.vehicles
    nv = len(vehicles)
    # Nodes: one start node per place where some vehicle is now, one end node per depot, then a
    # pickup and a drop-off node per request. Vehicles sharing start and end nodes, capacities,
    # fixed cost and time bounds form one vehicle class, which the search handles once: with a
    # node per vehicle, 300 vehicles made the first solution of 160 requests take 19 s.
    start_places = sorted({states[v.id].place for v in vehicles})
    end_of = {v.id: (ends[v.id] if ends is not None else (v.depot, v.available_to_min)) for v in vehicles}
    end_places = sorted({end_of[v.id][0] for v in vehicles})
    start_node = {place: i for i, place in enumerate(start_places)}
    end_node = {place: len(start_places) + i for i, place in enumerate(end_places)}
    base = len(start_places) + len(end_places)
    node_place = [problem.place_index[p] for p in start_places + end_places]
    for r in band:
        node_place += [problem.place_index[r.pickup], problem.place_index[r.dropoff]]
    n = len(node_place)
    tm = problem.travel_min
    time_matrix = [[tm[a][b] for b in node_place] for a in node_place]
    drive_weight = w.driving_min
    cost_matrix = [[t * drive_weight for t in row] for row in time_matrix]
    if not final:
        # the drive home is paid for by the band that really ends the day
        for row in cost_matrix:
            for j in range(len(start_places), base):
                row[j] = 0
    manager = pywrapcp.RoutingIndexManager(
        n, nv, [start_node[states[v.id].place] for v in vehicles], [end_node[end_of[v.id][0]] for v in vehicles]
    )
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    cost_cb = routing.RegisterTransitMatrix(cost_matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    time_cb = routing.RegisterTransitMatrix(time_matrix)
    routing.AddDimension(time_cb, HORIZON_MIN, HORIZON_MIN, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    seated = [0] * n
    wheels = [0] * n
    for i, r in enumerate(band):
        p, d = base + 2 * i, base + 2 * i + 1
        seated[p], seated[d] = r.seated, -r.seated
        wheels[p], wheels[d] = r.wheelchairs, -r.wheelchairs
    seat_cb = routing.RegisterUnaryTransitVector(seated)
    routing.AddDimensionWithVehicleCapacity(seat_cb, 0, [v.seats for v in vehicles], True, "seats")
    wheel_cb = routing.RegisterUnaryTransitVector(wheels)
    routing.AddDimensionWithVehicleCapacity(wheel_cb, 0, [v.wheelchair_places for v in vehicles], True, "wheelchairs")

    for k, v in enumerate(vehicles):
        s = states[v.id]
        start = time_dim.CumulVar(routing.Start(k))
        start.SetRange(min(max(v.available_from_min, s.free_from_min), v.available_to_min), v.available_to_min)
        time_dim.CumulVar(routing.End(k)).SetRange(v.available_from_min, min(v.available_to_min, end_of[v.id][1]))
        routing.SetFixedCostOfVehicle(0 if s.used else w.vehicle, k)

    ride_limit = problem.max_ride_min

    def ride_limit_fn(pickup_alternative: int, delivery_alternative: int) -> int:
        assert ride_limit is not None
        return ride_limit

    for i, r in enumerate(band):
        p = manager.NodeToIndex(base + 2 * i)
        d = manager.NodeToIndex(base + 2 * i + 1)
        # Only routing-native constraints here: a generic solver.Add() constraint is re-propagated
        # by the CP solver at every insertion and move, which made the first solution of a
        # 300-request day take longer than the whole time budget.
        routing.AddPickupAndDelivery(p, d)  # same vehicle, pickup first, both or neither served
        cp, cd = time_dim.CumulVar(p), time_dim.CumulVar(d)
        if ride_limit is not None:
            time_dim.SetPickupToDeliveryLimitFunctionForPair(ride_limit_fn, i)
        cp.SetRange(*r.pickup_window)
        cd.SetRange(*r.dropoff_window)
        penalty = w.unserved_passenger * r.passengers
        routing.AddDisjunction([p], penalty)
        routing.AddDisjunction([d], penalty)
        # Vehicles too small for the group are excluded by the capacity dimensions, which the
        # insertion heuristics see. (Restricting VehicleVar directly is invisible to them and made
        # the first solution fail; SetAllowedVehiclesForIndex rejects Python lists on 9.15.)
        if settings.wait_cost_in_search and w.waiting_person_min:
            coefficient = w.waiting_person_min * r.passengers
            if r.wait_at == DROPOFF:
                time_dim.SetCumulVarSoftLowerBound(d, r.dropoff_window[1], coefficient)
            elif r.wait_at == PICKUP:
                time_dim.SetCumulVarSoftUpperBound(p, r.pickup_window[0], coefficient)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, settings.first_solution)
    if len(band) <= settings.descent_only_up_to:
        # a handful of requests: the first local optimum is as good as it gets; stop there
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    else:
        params.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, settings.metaheuristic)
    params.time_limit.FromMilliseconds(max(100, int(time_limit_s * 1000)))

    if stop is not None:
        routing.AddSearchMonitor(solver.CustomLimit(stop.is_set))
    if progress is not None:

        def report() -> None:
            progress(
                SolveProgress(time.monotonic() - started, band_no + 1, bands, routing.CostVar().Value(), "improved")
            )

        routing.AddAtSolutionCallback(report)

    routing.CloseModelWithParameters(params)
    first = None
    for hint in hints:
        first = _hint_assignment(routing, manager, band, vehicles, base, hint)
        if first is not None:
            break
    if first is None:
        return None
    start = first
    if ruin:
        left = {vid: [step for step in seq if step[0] not in ruin] for vid, seq in hint.items()}
        start = _hint_assignment(routing, manager, band, vehicles, base, left) or first
    solution = routing.SolveFromAssignmentWithParameters(start, params)
    if solution is None or solution.ObjectiveValue() > first.ObjectiveValue():
        return None
    routes: dict[str, list[tuple[RideRequest, str]]] = {}
    for k, v in enumerate(vehicles):
        steps: list[tuple[RideRequest, str]] = []
        index = solution.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            steps.append((band[(node - base) // 2], PICKUP if (node - base) % 2 == 0 else DROPOFF))
            index = solution.Value(routing.NextVar(index))
        if steps:
            routes[v.id] = steps
    return routes


def _as_ids(routes: Mapping[str, Sequence[tuple[Any, str]]]) -> dict[str, list[tuple[str, str]]]:
    return {vid: [(r if isinstance(r, str) else r.id, action) for r, action in seq] for vid, seq in routes.items()}


# Weights of the timetable of a fixed route (person-minutes unless said otherwise).
_SCHEDULE_WAIT = 4  # waiting at the venue: before the arrival buffer, or after the end
_SCHEDULE_RIDE = 2  # time on board
_SCHEDULE_DWELL = 1  # vehicle-minutes standing at a stop with passengers on board, or before a pickup
_SCHEDULE_DUTY = 1  # vehicle-minutes from leaving to the last stop


def schedule_route(
    problem: TransportProblem,
    vehicle: TransportVehicle,
    start_place: str,
    free_from_min: int,
    steps: Sequence[tuple[RideRequest, str]],
    fallback: Sequence[int] | None = None,
) -> tuple[int, list[tuple[int, int]]]:
    """The timetable of a route whose order is fixed: (leave start, [(arrive, depart) per step]).

    The routing search guarantees that a timetable exists, but the time
    values it reports are only bounds (the ride-time limit is enforced by its
    filters, not by propagation), so the timetable is computed here by a small
    linear program over arrival and departure times: driving takes exactly the
    travel time, waiting happens at stops, every window, the vehicle's window
    and the ride-time limit (drop-off arrival minus pickup departure) hold.
    It minimises waiting at the venue, then time on board, then the vehicle's
    standing time. The constraints are differences of two times, so the
    optimum is integral.

    Args:
        fallback: arrival times to use if the program fails (should not happen).
    """
    from ortools.linear_solver import pywraplp  # only needed here

    m = len(steps)
    places = [start_place] + [r.pickup if a == PICKUP else r.dropoff for r, a in steps]
    travel = [problem.travel(places[j], places[j + 1]) for j in range(m)]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    horizon = float(HORIZON_MIN)
    leave = lp.NumVar(float(max(vehicle.available_from_min, free_from_min)), float(vehicle.available_to_min), "leave")
    arrive = [lp.NumVar(0.0, horizon, f"a{j}") for j in range(m)]
    depart = [lp.NumVar(0.0, horizon, f"d{j}") for j in range(m)]
    objective = lp.Objective()
    objective.SetMinimization()
    pickup_at: dict[str, int] = {}
    on_board = 0
    for j, (r, action) in enumerate(steps):
        before = depart[j - 1] if j else leave
        lp.Add(arrive[j] == before + travel[j])
        lp.Add(depart[j] >= arrive[j])
        lo, hi = r.pickup_window if action == PICKUP else r.dropoff_window
        arrive[j].SetBounds(float(lo), float(hi))
        if action == PICKUP:
            pickup_at[r.id] = j
            if r.wait_at == PICKUP:  # boarding after the session's end: waiting at the venue
                objective.SetCoefficient(depart[j], objective.GetCoefficient(depart[j]) + _SCHEDULE_WAIT * r.passengers)
            standing_cost = _SCHEDULE_DWELL
            on_board += r.passengers
        else:
            p = pickup_at[r.id]
            if problem.max_ride_min is not None:
                lp.Add(arrive[j] - depart[p] <= problem.max_ride_min)
            objective.SetCoefficient(arrive[j], objective.GetCoefficient(arrive[j]) + _SCHEDULE_RIDE * r.passengers)
            objective.SetCoefficient(depart[p], objective.GetCoefficient(depart[p]) - _SCHEDULE_RIDE * r.passengers)
            if r.wait_at == DROPOFF:  # arriving before the latest drop-off: waiting at the venue
                objective.SetCoefficient(arrive[j], objective.GetCoefficient(arrive[j]) - _SCHEDULE_WAIT * r.passengers)
            on_board -= r.passengers
            standing_cost = _SCHEDULE_DWELL if on_board else 0  # an empty vehicle may stand anywhere
        objective.SetCoefficient(depart[j], objective.GetCoefficient(depart[j]) + standing_cost)
        objective.SetCoefficient(arrive[j], objective.GetCoefficient(arrive[j]) - standing_cost)
    lp.Add(depart[m - 1] + problem.travel(places[-1], vehicle.depot) <= vehicle.available_to_min)
    objective.SetCoefficient(depart[m - 1], objective.GetCoefficient(depart[m - 1]) + _SCHEDULE_DUTY)
    objective.SetCoefficient(leave, objective.GetCoefficient(leave) - _SCHEDULE_DUTY)
    # the last stop of the route: the vehicle leaves on arrival (what follows is another band or home)
    lp.Add(depart[m - 1] == arrive[m - 1])
    if lp.Solve() == pywraplp.Solver.OPTIMAL:
        times = [(round(arrive[j].solution_value()), round(depart[j].solution_value())) for j in range(m)]
        return round(leave.solution_value()), times
    if fallback is None:  # pragma: no cover - the routing search guarantees a timetable
        raise RuntimeError(f"no timetable for vehicle {vehicle.id}")
    times = [(fallback[j], fallback[j] if j + 1 == m else fallback[j + 1] - travel[j + 1]) for j in range(m)]
    return fallback[0] - travel[0], times


def _hint_assignment(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    band: list[RideRequest],
    vehicles: tuple[TransportVehicle, ...],
    base: int,
    hints: Mapping[str, Sequence[tuple[str, str]]],
) -> pywrapcp.Assignment | None:
    """An assignment following ``hints`` restricted to this band, or None if it is not feasible."""
    node_of = {}
    for i, r in enumerate(band):
        node_of[(r.id, PICKUP)] = base + 2 * i
        node_of[(r.id, DROPOFF)] = base + 2 * i + 1
    routes = []
    used: set[int] = set()
    for v in vehicles:
        seq = []
        for key in hints.get(v.id, ()):
            node = node_of.get(key)
            if node is None or node in used:
                continue
            seq.append(manager.NodeToIndex(node))
            used.add(node)
        routes.append(seq)
    # a pickup without its drop-off (or the reverse) in the same route makes the hint unusable
    for seq in routes:
        nodes = {manager.IndexToNode(i) for i in seq}
        for node in list(nodes):
            partner = node + 1 if (node - base) % 2 == 0 else node - 1
            if partner not in nodes:
                return None
    if not any(routes):
        return None
    return routing.ReadAssignmentFromRoutes(routes, True)
