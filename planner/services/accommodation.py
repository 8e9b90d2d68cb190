"""Accommodation planning service: the dataset in, a rooming plan with reasons out.

Translates a :class:`~planner.dataset.Dataset` into the pure solver's
:class:`~solvers.accommodation.AccommodationProblem` (approved hotels only,
nights as day numbers, travel minutes per delegation and hotel), runs it, and
turns the result back into plan rows (``rooming`` and ``unassigned``), the
cost explanation (one :class:`~planner.services.base.Penalty` per soft rule),
the moves of a re-plan and a shortage summary, all in plain English. Each
sentence is a :class:`~planner.messages.Template` (see :data:`MESSAGES`), so
the web can recognise a stored reason and show it in Chinese.

Example::

    outcome = plan_accommodation(data, params=AccommodationParams(time_limit_s=30))
    for row in outcome.plan.unassigned:
        print(row["id"], row["reason"])   # "no accessible room left for women of VEN on 2007-10-03"
"""

from __future__ import annotations

import statistics
import threading
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from planner.dataset import ATHLETE_GROUP, TRAVELLING_ROLES, Dataset, Hotel, Person
from planner.messages import DATE, N_, NUMBER, TOKEN, Choice, Joined, Message, Series, Template, words
from planner.plan import Plan
from planner.services.base import Penalty, PlanOutcome, Progress, ProgressCallback
from solvers.accommodation import (
    RULES,
    AccommodationParams,
    AccommodationPlan,
    AccommodationProblem,
    DelegationData,
    HotelData,
    Move,
    PersonData,
    PreviousAssignment,
    RoomData,
    Unhoused,
    Weights,
    shortage_summary,
    solve,
)

__all__ = ["AccommodationParams", "Weights", "plan_accommodation", "build_problem", "RULES"]

KIND = "accommodation"
#: A hotel without a survey score is priced as if it had the pass mark.
DEFAULT_SURVEY_SCORE = 60
GENDER_WORDS: dict[str, Template] = dict(zip(("F", "M"), words(N_("women"), N_("men")), strict=True))
NEED_WORDS: dict[str, Template] = dict(
    zip(
        ("accessible_room", "ground_floor", ""),
        words(N_("accessible room"), N_("ground-floor or accessible room"), N_("bed")),
        strict=True,
    )
)

# ------------------------------------------------------------------ sentences
NO_BED_LEFT = Template(
    N_("no %(need)s left for %(gender)s of %(delegation)s on %(night)s"),
    need=Choice(*NEED_WORDS.values()),
    gender=Choice(*GENDER_WORDS.values(), other=TOKEN),
    delegation=TOKEN,
    night=DATE,
)
HOTEL_NOT_APPROVED = Template(N_("hotel %(hotel)s is no longer approved"), hotel=TOKEN)
ROOM_GONE = Template(N_("room %(room)s is no longer in the rooms list"), room=TOKEN)
# the person's needs or the room may have changed: the sentence says neither
NOW_NEEDS_ACCESSIBLE = Template(N_("they need an accessible room and room %(room)s is not one"), room=TOKEN)
NOW_NEEDS_GROUND_FLOOR = Template(
    N_("they need the ground floor or an accessible room and room %(room)s is not one"), room=TOKEN
)
GROUP_CHANGED = Template(
    N_("their gender, delegation or role changed and room %(room)s stays with its other occupants"), room=TOKEN
)
DATES_CHANGED = Template(N_("their new dates do not fit room %(room)s"), room=TOKEN)
DATES_CHANGED_FULL = Template(
    N_("their new dates do not fit room %(room)s (full on %(night)s)"), room=TOKEN, night=DATE
)
ROOM_FULL = Template(N_("room %(room)s has no bed left for them on %(night)s"), room=TOKEN, night=DATE)
ROOM_PINNED = Template(N_("room %(room)s was pinned by hand to other people"), room=TOKEN)
PINNED_TO = Template(N_("pinned by hand to %(room)s"), room=TOKEN)
OPTIMISED = Template(N_("moved by the optimiser to improve the plan"))
MOVE_REASONS = (
    HOTEL_NOT_APPROVED,
    ROOM_GONE,
    NOW_NEEDS_ACCESSIBLE,
    NOW_NEEDS_GROUND_FLOOR,
    GROUP_CHANGED,
    DATES_CHANGED_FULL,
    DATES_CHANGED,
    ROOM_FULL,
    ROOM_PINNED,
    PINNED_TO,
    OPTIMISED,
)
MOVED_NO_BED = Template(N_("%(reason)s; no bed left for them"), reason=Choice(*MOVE_REASONS))
PIN_REASONS: dict[str, Template] = {
    "unknown_person": Template(N_("no such person")),
    "pinned_twice": Template(N_("the person is pinned twice; the first pin counts")),
    "room_unavailable": Template(N_("the room is not in an approved hotel's rooms list")),
    "needs": Template(N_("the room does not meet the person's needs")),
    "group": Template(N_("the room is pinned to people of another gender, delegation or role group")),
    "full": Template(N_("the room is full on a night of the person's stay")),
}
PIN_IGNORED = Template(
    N_("pin of %(person)s to %(room)s ignored: %(reason)s"),
    person=TOKEN,
    room=TOKEN,
    reason=Choice(*PIN_REASONS.values(), other=TOKEN),
)
NEEDING = Template(N_("%(count)s needing %(need)s"), count=NUMBER, need=Choice(*NEED_WORDS.values()))
WITHOUT_NEEDS = Template(N_("%(count)s without needs"), count=NUMBER)
#: How items of a list follow each other ("a, b").
LIST = N_("%(list)s, %(item)s")
NOT_HOUSED = Template(
    N_("%(count)s people could not be housed (%(parts)s); see the shortage by gender, night and need"),
    count=NUMBER,
    parts=Series(Choice(NEEDING, WITHOUT_NEEDS), ", ", LIST),
)
NO_APPROVED_HOTEL = Template(
    N_("no approved hotel has rooms: approve hotels (a passing survey) or add their rooms, then plan again")
)
MOVED_FROM_PREVIOUS = Template(
    N_("%(count)s people moved from the previous plan (%(forced)s forced by the changes)"), count=NUMBER, forced=NUMBER
)

# ------------------------------------------------------------------ soft rules
#: A short name of each soft rule of :data:`solvers.accommodation.RULES`, for the cost table.
RULE_NAMES: dict[str, Template] = {
    "person_without_bed": Template(N_("People without a bed")),
    "hotel_opened": Template(N_("Hotels used")),
    "extra_hotel": Template(N_("Extra hotels per delegation")),
    "extra_floor": Template(N_("Extra floors per delegation")),
    "travel_min": Template(N_("Travel time to the venues")),
    "bed_night_cost": Template(N_("Cost of the bed-nights")),
    "survey_score": Template(N_("Hotel survey scores")),
    "halal_outside_halal_hotel": Template(N_("Halal delegations outside halal hotels")),
    "coach_apart_from_athletes": Template(N_("Coaches and staff apart from their athletes")),
    "moved": Template(N_("People moved from the previous plan")),
}
#: Each rule's explanation: the solver's :data:`~solvers.accommodation.RULES` text (the solver imports
#: no planner code), written again here as a template so the web can translate it (a test keeps them equal).
RULE_DOCS: dict[str, Template] = {
    "person_without_bed": Template(N_("Shortage: per person who could not be given a room (listed as unassigned).")),
    "hotel_opened": Template(
        N_("Soft rule: per hotel used; each opened hotel needs its own reception and food-safety team.")
    ),
    "extra_hotel": Template(
        N_("Soft rule: per hotel a delegation uses beyond its first (keep each delegation in one hotel).")
    ),
    "extra_floor": Template(N_("Soft rule: per floor a delegation uses in a hotel beyond its first.")),
    "travel_min": Template(
        N_(
            "Soft rule: per person per minute from the hotel to the nearest venue of each of the delegation's "
            "sports (weighted by its athletes, partners and coaches)."
        )
    ),
    "bed_night_cost": Template(N_("Soft rule: per CNY of cost_per_bed_night x nights, for everyone housed.")),
    "survey_score": Template(N_("Soft rule: per person-night per point the hotel's survey score falls below 100.")),
    "halal_outside_halal_hotel": Template(
        N_("Soft rule: per person of a halal delegation housed in a hotel without a halal kitchen.")
    ),
    "coach_apart_from_athletes": Template(
        N_(
            "Soft rule: per coach, head or staff member housed in a hotel where none of their delegation's "
            "athletes or partners sleep."
        )
    ),
    "moved": Template(N_("Soft rule: per person whose hotel or room differs from the previous accepted plan.")),
}

# ------------------------------------------------------------------ progress
#: What the solver says while it works (``on_progress`` messages of :func:`solvers.accommodation.solve`,
#: which imports no planner code): written again here as templates so the web can translate them.
PROGRESS: tuple[Template, ...] = (
    Template(N_("greedy start")),
    Template(N_("lower bound")),
    Template(N_("rounded the linear relaxation")),
    Template(N_("solution")),
    Template(N_("housed more people")),
    Template(N_("solved the whole model")),
    Template(N_("improved the whole model's plan")),
    Template(N_("fewer floors per delegation")),
    Template(N_("kept delegation %(delegation)s together"), delegation=TOKEN),
    Template(N_("improved by re-planning hotels %(hotels)s"), hotels=Series(TOKEN, ", ", LIST)),
)

MESSAGES: tuple[Template, ...] = (
    NO_BED_LEFT,
    MOVED_NO_BED,
    *MOVE_REASONS,
    PIN_IGNORED,
    NOT_HOUSED,
    NO_APPROVED_HOTEL,
    MOVED_FROM_PREVIOUS,
    *RULE_DOCS.values(),
    *RULE_NAMES.values(),
    *PROGRESS,
)
"""Every sentence of this service (reasons, moves, run messages, soft rules, progress),
for :func:`planner.messages.recognise`."""


def _need(p: Person) -> str:
    if p.needs_accessible_room:
        return "accessible_room"
    if p.needs_ground_floor:
        return "ground_floor"
    return ""


def _whole_cny(value: Decimal | float | None) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if value is not None else 0


def _hotel_data(hotel: Hotel, default_cost: int) -> HotelData:
    """A hotel as the solver sees it: whole CNY, a score from 0 to 100 (defaults when not surveyed)."""
    cost = _whole_cny(hotel.cost_per_bed_night) if hotel.cost_per_bed_night is not None else default_cost
    score = DEFAULT_SURVEY_SCORE if hotel.survey_score is None else float(hotel.survey_score)
    return HotelData(hotel.id, hotel.halal_kitchen, cost, max(0, min(100, round(score))))


def delegation_travel_min(data: Dataset, hotel_ids: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """Minutes from each hotel to the venues of each delegation's sports.

    For every athlete, partner and coach with a sport, the ride from the
    hotel to the nearest venue holding that sport; a delegation's figure is
    the average over those people (whole minutes, 0 when nobody has a venue).
    """
    venues_of: dict[str, list[str]] = {}
    for v in data.venues.values():
        for s in v.sports:
            venues_of.setdefault(s, []).append(v.id)
    nearest: dict[tuple[str, str], int] = {}
    out: dict[str, tuple[int, ...]] = {}
    for d, people in data.people_by_delegation.items():
        sports = Counter(p.sport for p in people if p.role in TRAVELLING_ROLES and p.sport in venues_of)
        total = sum(sports.values())
        if not total:
            out[d] = tuple(0 for _ in hotel_ids)
            continue
        row = []
        for h in hotel_ids:
            minutes = 0
            for sport, count in sports.items():
                key = (h, sport)
                if key not in nearest:
                    nearest[key] = min(data.travel_min(h, v) for v in venues_of[sport])
                minutes += nearest[key] * count
            row.append(round(minutes / total))
        out[d] = tuple(row)
    return out


def build_problem(
    data: Dataset,
    *,
    previous: Plan | None = None,
    pins: Sequence[tuple[str, str, str]] = (),
    changed: Collection[str] = (),
) -> AccommodationProblem:
    """The solver's view of the data: approved hotels and their rooms, people, pins, previous rows."""
    approved = sorted(h.id for h in data.hotels.values() if h.approved)
    rooms_of = Counter(r.hotel for r in data.rooms)
    hotel_ids = [h for h in approved if rooms_of[h]]
    known_costs = [h.cost_per_bed_night for h in data.hotels.values() if h.cost_per_bed_night is not None]
    default_cost = _whole_cny(statistics.median(known_costs)) if known_costs else 0
    hotels = tuple(_hotel_data(data.hotels[h], default_cost) for h in hotel_ids)
    usable = set(hotel_ids)
    rooms = tuple(RoomData(r.hotel, r.room, r.floor, r.beds, r.accessible) for r in data.rooms if r.hotel in usable)
    travel = delegation_travel_min(data, hotel_ids)
    delegations = tuple(
        DelegationData(d.id, halal=(d.diet or "").lower() == "halal", travel_min=travel.get(d.id, ()))
        for d in sorted(data.delegations.values(), key=lambda d: d.id)
    )
    people = tuple(
        PersonData(
            id=p.id,
            delegation=p.delegation,
            gender=p.gender,
            athlete_group=p.role in ATHLETE_GROUP,
            need=_need(p),
            first_night=p.arrival_date.toordinal(),
            end_night=p.departure_date.toordinal(),
        )
        for p in sorted(data.people.values(), key=lambda p: p.id)
    )
    previous_rows: tuple[PreviousAssignment, ...] = ()
    if previous is not None:
        previous_rows = tuple(
            PreviousAssignment(
                str(r["person"]),
                str(r["hotel"]),
                str(r["room"]),
                _as_date(r["check_in"]).toordinal(),
                _as_date(r["check_out"]).toordinal(),
            )
            for r in previous.rooming
        )
    pinned = tuple((str(person), str(hotel), str(room)) for person, hotel, room in pins)
    return AccommodationProblem(hotels, rooms, delegations, people, pinned, previous_rows, tuple(sorted(changed)))


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def unhoused_message(data: Dataset, u: Unhoused) -> Message:
    """Why ``u`` has no bed: "no accessible room left for women of VEN on 2007-10-03"."""
    p = data.people[u.person]
    gender: Message | str = GENDER_WORDS[p.gender]() if p.gender in GENDER_WORDS else p.gender
    return NO_BED_LEFT(
        need=NEED_WORDS.get(u.need, NEED_WORDS[""])(),
        gender=gender,
        delegation=p.delegation,
        night=date.fromordinal(u.night).isoformat(),
    )


def unhoused_reason(data: Dataset, u: Unhoused) -> str:
    """Plain words: "no accessible room left for women of VEN on 2007-10-03"."""
    return str(unhoused_message(data, u))


def move_message(data: Dataset, m: Move) -> Message:
    """Why a person of the previous plan is in another room (or none) now."""
    where = f"{m.from_hotel}/{m.from_room}"
    if m.reason == "room_unavailable":
        hotel = data.hotels.get(m.from_hotel)
        if hotel is not None and not hotel.approved:
            text = HOTEL_NOT_APPROVED(hotel=m.from_hotel)
        else:
            text = ROOM_GONE(room=where)
    elif m.reason == "needs":
        p = data.people[m.person]
        text = (NOW_NEEDS_ACCESSIBLE if p.needs_accessible_room else NOW_NEEDS_GROUND_FLOOR)(room=where)
    elif m.reason == "group":
        text = GROUP_CHANGED(room=where)
    elif m.reason == "dates":
        if m.night is not None:
            text = DATES_CHANGED_FULL(room=where, night=date.fromordinal(m.night).isoformat())
        else:
            text = DATES_CHANGED(room=where)
    elif m.reason == "full" and m.night is not None:
        text = ROOM_FULL(room=where, night=date.fromordinal(m.night).isoformat())
    elif m.reason == "pinned":
        text = ROOM_PINNED(room=where)
    elif m.reason == "pin":
        text = PINNED_TO(room=f"{m.to_hotel}/{m.to_room}")
    else:
        text = OPTIMISED()
    if m.to_hotel is None:
        text = MOVED_NO_BED(reason=text)
    return text


def move_reason(data: Dataset, m: Move) -> str:
    """Why a person of the previous plan is in another room (or none) now, in English."""
    return str(move_message(data, m))


def to_outcome(data: Dataset, problem: AccommodationProblem, result: AccommodationPlan) -> PlanOutcome:
    """Plan rows, penalties, moves and statistics of a solver result."""
    rooms = {(r.hotel, r.room): r for r in data.rooms}
    rooming = []
    for person, hotel, room in sorted(result.assignments, key=lambda a: (a[1], rooms[(a[1], a[2])].floor, a[2], a[0])):
        p = data.people[person]
        rooming.append(
            {"person": person, "hotel": hotel, "room": room, "check_in": p.arrival_date, "check_out": p.departure_date}
        )
    unassigned = [
        {"kind": "bed", "id": u.person, "reason": unhoused_reason(data, u)}
        for u in sorted(result.unhoused, key=lambda u: u.person)
    ]
    plan = Plan(rooming=rooming, unassigned=unassigned)

    penalties = [
        Penalty(
            rule=line.rule,
            weight=float(line.weight),
            amount=float(line.amount),
            cost=float(line.cost),
            touches=line.touches,
            doc=RULES[line.rule],
        )
        for line in result.penalties
    ]
    moved = [
        {
            "person": m.person,
            "from": f"{m.from_hotel}/{m.from_room}",
            "to": f"{m.to_hotel}/{m.to_room}" if m.to_hotel is not None else None,
            "reason": move_reason(data, m),
            "forced": m.forced,
        }
        for m in result.moves
    ]
    shortage = [
        {"gender": g, "night": date.fromordinal(n).isoformat(), "need": need or "bed", "short": c}
        for g, n, need, c in shortage_summary(problem, result.unhoused)
    ]
    used_rooms = {(h, r) for _, h, r in result.assignments}
    s = result.stats
    stats = {
        "people": len(data.people),
        "housed": len(result.assignments),
        "unhoused": len(result.unhoused),
        "hotels_used": len({h for _, h, _ in result.assignments}),
        "rooms_used": len(used_rooms),
        "beds_in_used_rooms": sum(rooms[k].beds for k in used_rooms),
        "moved": len(result.moves),
        "forced_moves": sum(1 for m in result.moves if m.forced),
        "greedy_objective": s.greedy_objective,
        "first_feasible_s": round(s.first_feasible_s, 3),
        "lp_bound": s.lp_bound,
        "lp_seconds": None if s.lp_seconds is None else round(s.lp_seconds, 3),
        "cp_status": s.cp_status,
        "cp_objective": s.cp_objective,
        "cp_bound": s.cp_bound,
        "cp_bound_is_global": s.cp_bound_is_global,
        "lns_iterations": s.lns_iterations,
        "lns_improvements": s.lns_improvements,
        "layout_repairs": s.layout_repairs,
        "model_variables": s.variables,
        "model_constraints": s.constraints,
        "shortage": shortage,
    }
    messages: list[str] = []
    if result.unhoused:
        by_need = Counter(u.need or "bed" for u in result.unhoused)
        parts = Joined(
            tuple(
                NEEDING(count=c, need=NEED_WORDS[n]()) if n != "bed" else WITHOUT_NEEDS(count=c)
                for n, c in sorted(by_need.items())
            ),
            LIST,
        )
        messages.append(str(NOT_HOUSED(count=len(result.unhoused), parts=parts)))
        if not problem.rooms:
            messages.append(str(NO_APPROVED_HOTEL()))
    for person, hotel, room, code in result.rejected_pins:
        reason = PIN_REASONS[code]() if code in PIN_REASONS else code
        messages.append(str(PIN_IGNORED(person=person, room=f"{hotel}/{room}", reason=reason)))
    if result.moves:
        forced = sum(1 for m in result.moves if m.forced)
        messages.append(str(MOVED_FROM_PREVIOUS(count=len(result.moves), forced=forced)))
    status = result.status
    if result.unhoused and status != "stopped":
        status = "partial"
    gap = None
    if result.bound is not None and result.objective > 0:
        gap = max(0.0, (result.objective - result.bound) / result.objective)
    stats["gap"] = gap
    return PlanOutcome(
        kind=KIND,
        plan=plan,
        status=status,
        objective=float(result.objective),
        bound=result.bound,
        solve_seconds=s.total_seconds,
        penalties=penalties,
        stats=stats,
        messages=messages,
        moved=moved,
    )


def plan_accommodation(
    data: Dataset,
    *,
    previous: Plan | None = None,
    pins: Sequence[tuple[str, str, str]] = (),
    params: AccommodationParams | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    changed: Collection[str] = (),
) -> PlanOutcome:
    """Put every delegation member into a room for every night of their stay.

    Args:
        data: the planning data.
        previous: the accepted plan; its assignments are kept where they are
            still valid, and who had to move (and why) is in ``outcome.moved``.
        pins: (person, hotel, room) fixed by hand.
        params: solver parameters (time limit, workers, seed, weights).
        progress: called with the objective, the bound and the elapsed time.
        stop: set it to stop the search; the best plan so far is returned.
        changed: ids of people whose records changed since ``previous`` (from
            the import that brought the new name list). Optional: when two
            room mates can no longer share (one's gender was corrected), the
            one who changed moves; without it the plan rows cannot tell who.

    Returns:
        A :class:`PlanOutcome` of kind ``accommodation``; people who cannot be
        housed are ``unassigned`` rows of kind ``bed`` with the reason, and
        ``stats["shortage"]`` sums them up by gender, night and need.
    """
    problem = build_problem(data, previous=previous, pins=pins, changed=changed)

    def on_progress(objective: float | None, bound: float | None, elapsed_s: float, message: str) -> None:
        if progress is not None:
            progress(Progress(kind=KIND, elapsed_s=elapsed_s, objective=objective, bound=bound, message=message))

    result = solve(problem, params, on_progress=on_progress, stop=stop)
    return to_outcome(data, problem, result)
