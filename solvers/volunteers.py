"""Volunteer rosters and delegation liaisons (FORMAT.md hard rules 10 and 11).

Pure optimisation: frozen dataclasses in, frozen dataclasses out; this module
imports only OR-Tools and the standard library. Days are integers (day 0 is
whatever first date the caller chose), times are integer minutes since
midnight, hours a day are integer minutes.

Hard rules (never broken by :func:`solve_volunteers`):

- Hard rule: a volunteer works shifts only on days they are available.
- Hard rule: a volunteer never works two overlapping shifts (one ending at
  13:00 and one starting at 13:00 do not overlap).
- Hard rule: a volunteer works at most ``max_minutes_per_day`` a day.
- Hard rule: a volunteer on a shift holds every skill it requires and at least
  one of its languages (when it lists any).
- Hard rule: a shift never gets more than ``needed`` volunteers.
- Hard rule: a liaison speaks one of the delegation's languages, is available
  on every day of its stay (arrival to departure, both included), serves one
  delegation at a time and works no shift on those days.

Soft rules (each a named weight below; the plan's cost is their sum):

- Soft rule: fill shifts, higher priority first (``WEIGHT_UNFILLED_PLACE``,
  ``WEIGHT_UNFILLED_PRIORITY``).
- Soft rule: re-plans move as few volunteers as possible (``WEIGHT_MOVE``,
  ``WEIGHT_LIAISON_CHANGE``).
- Soft rule: rest between days: no shift starting less than ``min_rest_min``
  after the previous day's last shift ended (``WEIGHT_SHORT_REST``).
- Soft rule: same place across days (``WEIGHT_PLACE_CHANGE``).
- Soft rule: stated preferences (``WEIGHT_PREFERENCE_MISSED``).
- Soft rule: balance hours between volunteers (``WEIGHT_HOURS_IMBALANCE``,
  ``WEIGHT_EXTRA_SHIFT_SAME_DAY``).
- Soft rule: liaisons speak the delegation's preferred language first
  (``WEIGHT_LIAISON_LANGUAGE_RANK``), every delegation gets one
  (``WEIGHT_NO_LIAISON``), and liaisons are not taken from volunteers that
  shifts are short of (``WEIGHT_LIAISON_SCARCITY``).

How the work is split, and what each split costs
------------------------------------------------
One CP-SAT model over every volunteer x shift pair of a Games (tens of
thousands of volunteers, thousands of shifts) does not build in Python, so:

1. **Liaisons first**, as an assignment problem (a min-cost flow; a small
   CP-SAT model when a volunteer could serve delegations one after another,
   see :func:`plan_liaisons`). Each delegation
   keeps only its cheapest candidates (as many as there are delegations
   sharing one of its languages, plus its previous liaison): any optimal
   assignment can be exchanged onto those, so this pruning loses nothing.
   *Cost of the split:* the liaison model sees the shifts only through a
   scarcity estimate (how much shifts ask for each skill and language); a
   liaison may still be a volunteer some shift would have needed. The
   benchmark measures this against the bound computed without liaisons.
2. **Then shifts, day by day.** Every hard rule of rule 10 lives inside one
   day (availability, overlaps, hours a day, skills, languages, needed), so
   filling each day as well as possible fills the whole event as well as
   possible: *this split costs no filled place.* The soft rules that link
   days (rest between days, same place across days, balance of hours) are
   planned forward: day d knows what days before it did, not what later days
   will ask. *Cost:* those three soft rules are optimised greedily in time.
3. **Inside a day, people are counted, not enumerated.** Volunteers with the
   same languages and skills (as far as that day's shifts ask for them) are
   interchangeable for the hard rules, and so are shifts with the same times,
   requirements and priority ("classes").

   - When nobody can work two shifts that day (the usual 6-8 hour shifts), the
     day is a transportation problem and one min-cost max-flow
     (volunteer -> (kind, time) -> class -> shift) solves it exactly: the most
     places filled, then the cheapest soft-rule cost (priority, rest, place,
     preferences, moves, balance). The flow is integral, so no rounding.
   - When some volunteers could work two or more shifts a day, that flow
     (everyone at most one shift) is tried first; if it already fills as
     much as the day's max-flow bound, the day is done. Otherwise a CP-SAT
     model over counts decides how many volunteers of each kind take each daily
     pattern of non-overlapping shifts and how many fill each class. It is
     exact for the hard rules (any count solution can be laid out on
     individuals). The same flow then lays out individuals. *Cost:* which
     member of a kind takes which pattern follows a rule (least hours worked
     first) rather than being optimised for place continuity, and at most
     ``PATTERN_LIMIT`` patterns per day are offered (smallest first).

The bound :func:`fill_upper_bound` sums, per day, a max-flow relaxation over
the same counts (each kind can give each time slot at most its head count and
each day at most head count x longest pattern) and, on days where some can
work several shifts, the smaller LP relaxation of the counting model (GLOP):
no roster can fill more.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ortools.graph.python import max_flow, min_cost_flow
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

# ------------------------------------------------------------------ weights
MAX_PRIORITY = 5
WEIGHT_UNFILLED_PLACE = 10_000
"""Soft rule: per volunteer place left empty on a shift (filling comes first)."""
WEIGHT_UNFILLED_PRIORITY = 200
"""Soft rule: per empty place x the shift's priority (0..5): important shifts are filled first."""
WEIGHT_MOVE = 1_000
"""Soft rule (re-plans): per volunteer taken off a shift the previous plan gave them."""
WEIGHT_SHORT_REST = 100
"""Soft rule: per volunteer-day whose first shift starts too soon after the previous day's last."""
WEIGHT_PLACE_CHANGE = 40
"""Soft rule: per change of place between a volunteer's consecutive shifts."""
WEIGHT_PREFERENCE_MISSED = 20
"""Soft rule: per shift matching none of the volunteer's stated preferences (when they stated any)."""
WEIGHT_EXTRA_SHIFT_SAME_DAY = 10
"""Soft rule (balance): per second, third... shift of one volunteer on one day."""
WEIGHT_HOURS_IMBALANCE = 1
"""Soft rule (balance): per hour volunteers work away from the average (half the total deviation).
Inside the model: per hour already worked by a volunteer given more work, so the least worked go first."""
WEIGHT_NO_LIAISON = 100_000
"""Soft rule: per delegation without a liaison."""
WEIGHT_LIAISON_LANGUAGE_RANK = 1_000
"""Soft rule: per step down the delegation's language list (0 = its preferred language)."""
WEIGHT_LIAISON_SCARCITY = 100
"""Soft rule: per unit of shift demand for the liaison's skills and languages (demand / supply)."""
WEIGHT_LIAISON_CHANGE = 5_000
"""Soft rule (re-plans): per delegation whose liaison changes."""

PATTERN_LIMIT = 64
"""Most daily patterns (sets of non-overlapping shift times) offered per hours-a-day limit."""
DEFAULT_MIN_REST_MIN = 11 * 60
MINUTES_PER_DAY = 24 * 60


# ------------------------------------------------------------------ problem
@dataclass(frozen=True)
class VolunteerSpec:
    """A volunteer: lower-case languages and skills, available days (inclusive)."""

    id: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    first_day: int
    last_day: int
    max_minutes_per_day: int

    def available(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class ShiftSpec:
    """A shift: ``needed`` places at ``place`` on ``day`` from ``start_min`` to ``end_min``.

    ``skills`` are all required, ``languages`` at least one (when given).
    ``priority`` 0..MAX_PRIORITY: higher is filled first when volunteers are short.
    """

    id: str
    place: str
    function: str
    day: int
    start_min: int
    end_min: int
    needed: int
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    priority: int = 0

    @property
    def minutes(self) -> int:
        return self.end_min - self.start_min


@dataclass(frozen=True)
class DelegationSpec:
    """A delegation needing a liaison from ``first_day`` to ``last_day`` (both included)."""

    id: str
    languages: tuple[str, ...]  # first = preferred
    first_day: int
    last_day: int


@dataclass(frozen=True)
class Preference:
    """A volunteer's stated wish: work at ``place`` and/or in ``function``.

    FORMAT.md has no column for this; callers pass these separately. A
    volunteer with several preferences is content with a shift matching any.
    """

    volunteer: str
    place: str | None = None
    function: str | None = None

    def matches(self, shift: ShiftSpec) -> bool:
        return (self.place is None or self.place == shift.place) and (
            self.function is None or self.function == shift.function
        )


@dataclass(frozen=True)
class VolunteerProblem:
    """Everything the roster and liaison planning needs.

    ``previous_roster`` / ``previous_liaisons`` (volunteer, shift) and
    (volunteer, delegation) pairs of an earlier plan: a re-plan keeps them
    where they are still valid unless moving buys filled places.
    """

    volunteers: tuple[VolunteerSpec, ...]
    shifts: tuple[ShiftSpec, ...]
    delegations: tuple[DelegationSpec, ...] = ()
    preferences: tuple[Preference, ...] = ()
    previous_roster: tuple[tuple[str, str], ...] = ()
    previous_liaisons: tuple[tuple[str, str], ...] = ()
    min_rest_min: int = DEFAULT_MIN_REST_MIN


@dataclass(frozen=True)
class SolveOptions:
    """Limits of one solve: total wall time, CP-SAT workers and seed."""

    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise ValueError("time_limit_s must be positive")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.seed < 0:
            raise ValueError("seed must not be negative")


# ------------------------------------------------------------------- result
@dataclass(frozen=True)
class ShiftShortage:
    """A shift left ``short`` places.

    ``eligible`` volunteers could work it that day at all (available, skills,
    a language, hours a day); ``on_liaison_duty`` of them are liaisons that day
    and ``filled`` are on it.
    """

    shift: str
    short: int
    eligible: int
    on_liaison_duty: int = 0
    filled: int = 0


@dataclass(frozen=True)
class LiaisonShortage:
    """A delegation without liaison: ``speakers`` speak one of its languages,
    ``available`` of them are free on every day of its stay (before other liaisons)."""

    delegation: str
    speakers: int
    available: int


@dataclass(frozen=True)
class SoftRuleCost:
    """One soft rule's share of the plan's cost: ``weight`` x ``amount``."""

    rule: str
    weight: int
    amount: int
    touches: tuple[str, ...] = ()
    doc: str = ""

    @property
    def cost(self) -> int:
        return self.weight * self.amount


@dataclass(frozen=True)
class Move:
    """A re-plan took ``volunteer`` off ``before`` (a shift or a delegation); ``after`` is the new one, if any."""

    volunteer: str
    what: str  # "shift" | "liaison"
    before: str
    after: str | None


@dataclass(frozen=True)
class VolunteerPlan:
    """The roster, the liaisons, what is short, and why the plan costs what it costs."""

    roster: tuple[tuple[str, str], ...]  # (volunteer, shift)
    liaisons: tuple[tuple[str, str], ...]  # (volunteer, delegation)
    shift_shortages: tuple[ShiftShortage, ...]
    liaison_shortages: tuple[LiaisonShortage, ...]
    costs: tuple[SoftRuleCost, ...]
    moves: tuple[Move, ...]
    status: str  # complete | partial | stopped
    places_needed: int
    places_filled: int
    fill_bound: int  # max-flow bound given the chosen liaisons
    solve_seconds: float
    stats: Mapping[str, object] = field(default_factory=dict)

    @property
    def objective(self) -> int:
        return sum(c.cost for c in self.costs)


ProgressFn = Callable[[str, float], None]
"""Called with a message and the fraction done (0..1)."""


# ------------------------------------------------------------------ helpers
def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def can_work(volunteer: VolunteerSpec, shift: ShiftSpec) -> bool:
    """Hard rule 10 for one pair on its own: day, skills, languages and length."""
    if not volunteer.available(shift.day) or shift.minutes > volunteer.max_minutes_per_day:
        return False
    if not set(shift.skills) <= set(volunteer.skills):
        return False
    return not shift.languages or bool(set(shift.languages) & set(volunteer.languages))


def liaison_days(problem: VolunteerProblem, liaisons: Iterable[tuple[str, str]]) -> dict[str, set[int]]:
    """Days each liaison is busy with its delegation(s)."""
    delegations = {d.id: d for d in problem.delegations}
    busy: dict[str, set[int]] = defaultdict(set)
    for vol, dele in liaisons:
        d = delegations[dele]
        busy[vol].update(range(d.first_day, d.last_day + 1))
    return busy


def _day_patterns(slots: list[tuple[int, int]], max_minutes: int) -> tuple[tuple[tuple[int, ...], ...], bool]:
    """Sets of pairwise non-overlapping slots (indices into ``slots``, sorted by start)
    whose minutes add up to at most ``max_minutes``, smallest sets first, at most
    PATTERN_LIMIT (every single slot always); and whether that is all of them."""
    level: list[tuple[tuple[int, ...], int, int]] = []  # (pattern, minutes, last end)
    for i, (s, e) in enumerate(slots):
        if e - s <= max_minutes:
            level.append(((i,), e - s, e))
    out = [p for p, _, _ in level]
    while level:
        nxt = []
        for pat, mins, last_end in level:
            for j in range(pat[-1] + 1, len(slots)):
                s, e = slots[j]
                if s >= last_end and mins + e - s <= max_minutes:
                    nxt.append((pat + (j,), mins + e - s, e))
        if len(out) + len(nxt) > PATTERN_LIMIT:
            out.extend(p for p, _, _ in nxt[: max(0, PATTERN_LIMIT - len(out))])
            return tuple(out), False
        level = nxt
        out.extend(p for p, _, _ in level)
    return tuple(out), True


@dataclass
class _Day:
    """One day's shifts grouped for counting: time slots, classes, volunteer kinds."""

    day: int
    shifts: list[ShiftSpec]
    slots: list[tuple[int, int]]
    slot_of: dict[str, int]
    langs: frozenset[str]
    skills: frozenset[str]
    classes: list[tuple[int, frozenset[str], frozenset[str], int]]  # (slot, skills, languages, priority)
    class_of: dict[str, int]
    class_shifts: list[list[ShiftSpec]]
    patterns: dict[int, tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    complete: dict[int, bool] = field(default_factory=dict)
    _eligible: dict[tuple[frozenset[str], frozenset[str], int], bool] = field(default_factory=dict)

    @classmethod
    def build(cls, day: int, shifts: list[ShiftSpec]) -> _Day:
        slots = sorted({(s.start_min, s.end_min) for s in shifts})
        index = {t: i for i, t in enumerate(slots)}
        slot_of = {s.id: index[(s.start_min, s.end_min)] for s in shifts}
        class_index: dict[tuple[int, frozenset[str], frozenset[str], int], int] = {}
        class_of: dict[str, int] = {}
        class_shifts: list[list[ShiftSpec]] = []
        for s in sorted(shifts, key=lambda s: s.id):
            key = (slot_of[s.id], frozenset(s.skills), frozenset(s.languages), s.priority)
            if key not in class_index:
                class_index[key] = len(class_shifts)
                class_shifts.append([])
            class_of[s.id] = class_index[key]
            class_shifts[class_index[key]].append(s)
        return cls(
            day=day,
            shifts=shifts,
            slots=slots,
            slot_of=slot_of,
            langs=frozenset(lang for s in shifts for lang in s.languages),
            skills=frozenset(sk for s in shifts for sk in s.skills),
            classes=list(class_index),
            class_of=class_of,
            class_shifts=class_shifts,
        )

    def kind(self, v: VolunteerSpec) -> tuple[frozenset[str], frozenset[str]]:
        """The volunteer's languages and skills as far as today's shifts ask for them."""
        return frozenset(v.languages) & self.langs, frozenset(v.skills) & self.skills

    def patterns_for(self, max_minutes: int) -> tuple[tuple[int, ...], ...]:
        """Daily patterns open to someone working at most ``max_minutes`` a day."""
        if max_minutes not in self.patterns:
            self.patterns[max_minutes], self.complete[max_minutes] = _day_patterns(self.slots, max_minutes)
        return self.patterns[max_minutes]

    def all_patterns(self, max_minutes: int) -> bool:
        """Whether :meth:`patterns_for` lists every pattern (none cut by PATTERN_LIMIT)."""
        self.patterns_for(max_minutes)
        return self.complete[max_minutes]

    def eligible(self, kind: tuple[frozenset[str], frozenset[str]], c: int) -> bool:
        key = (kind[0], kind[1], c)
        ok = self._eligible.get(key)
        if ok is None:
            _, skills, langs, _ = self.classes[c]
            ok = skills <= kind[1] and (not langs or bool(langs & kind[0]))
            self._eligible[key] = ok
        return ok


def _shifts_by_day(shifts: Iterable[ShiftSpec]) -> dict[int, list[ShiftSpec]]:
    out: dict[int, list[ShiftSpec]] = defaultdict(list)
    for s in shifts:
        if s.needed > 0:
            out[s.day].append(s)
    return out


# -------------------------------------------------------------------- bound
def fill_upper_bound(problem: VolunteerProblem, busy_days: Mapping[str, Iterable[int]] | None = None) -> int:
    """The most shift places any roster could fill: per day, a max-flow relaxation, or the
    LP relaxation of the counting model where that is smaller; summed over days.

    ``busy_days`` (e.g. liaisons' stays) removes volunteers on those days;
    without it the bound ignores liaisons and holds for every plan.
    """
    busy = {v: set(days) for v, days in (busy_days or {}).items()}
    total = 0
    for day, shifts in sorted(_shifts_by_day(problem.shifts).items()):
        d = _Day.build(day, shifts)
        flow_bound = _day_fill_bound(d, problem.volunteers, busy)
        lp_bound = _day_lp_bound(d, problem.volunteers, busy)
        total += flow_bound if lp_bound is None else min(flow_bound, lp_bound)
    return total


def _day_lp_bound(d: _Day, volunteers: Iterable[VolunteerSpec], busy: Mapping[str, set[int]]) -> int | None:
    """A tighter bound for days where some can work several shifts: the LP relaxation of the
    counting model over every daily pattern (the convex hull of each kind's possible days).

    None when nobody can work two shifts (the max-flow is then exact) or when
    patterns were cut by PATTERN_LIMIT (the LP would then not be a bound).
    """
    counts: dict[tuple[frozenset[str], frozenset[str], int], int] = defaultdict(int)
    for v in volunteers:
        if v.available(d.day) and d.day not in busy.get(v.id, ()):
            counts[(*d.kind(v), v.max_minutes_per_day)] += 1
    if not any(len(p) > 1 for (_, _, m) in counts for p in d.patterns_for(m)):
        return None
    if not all(d.all_patterns(m) for (_, _, m) in counts):
        return None
    need = [sum(s.needed for s in shifts) for shifts in d.class_shifts]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    fill: dict[int, list[pywraplp.Variable]] = defaultdict(list)
    for k, ((langs, skills, max_min), n) in enumerate(sorted(counts.items(), key=lambda kv: repr(kv[0]))):
        patterns = d.patterns_for(max_min)
        if not patterns:
            continue
        y = [lp.NumVar(0, n, f"y{k}_{i}") for i in range(len(patterns))]
        lp.Add(lp.Sum(y) <= n)
        for slot in sorted({t for p in patterns for t in p}):
            xs = []
            for c, cls in enumerate(d.classes):
                if cls[0] == slot and need[c] and d.eligible((langs, skills), c):
                    x = lp.NumVar(0, min(n, need[c]), f"x{k}_{c}")
                    xs.append(x)
                    fill[c].append(x)
            if xs:
                lp.Add(lp.Sum(xs) <= lp.Sum([y[i] for i, p in enumerate(patterns) if slot in p]))
    for c, xs in fill.items():
        lp.Add(lp.Sum(xs) <= need[c])
    lp.Maximize(lp.Sum([x for xs in fill.values() for x in xs]))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - a bounded, feasible LP
        return None
    return math.floor(lp.Objective().Value() + 1e-6)


def _day_fill_bound(d: _Day, volunteers: Iterable[VolunteerSpec], busy: Mapping[str, set[int]]) -> int:
    counts: dict[tuple[frozenset[str], frozenset[str], int], int] = defaultdict(int)
    for v in volunteers:
        if v.available(d.day) and d.day not in busy.get(v.id, ()):
            counts[(*d.kind(v), v.max_minutes_per_day)] += 1
    need = [sum(s.needed for s in shifts) for shifts in d.class_shifts]
    classes_in_slot: dict[int, list[int]] = defaultdict(list)
    for c, (slot, *_rest) in enumerate(d.classes):
        classes_in_slot[slot].append(c)
    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    class_node = {c: 2 + c for c in range(len(d.classes))}
    next_node = 2 + len(d.classes)
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    for c in range(len(d.classes)):
        tails.append(class_node[c])
        heads.append(sink)
        caps.append(need[c])
    for (langs, skills, max_min), n in counts.items():
        patterns = d.patterns_for(max_min)
        if not patterns:
            continue
        kind_node = next_node
        next_node += 1
        tails.append(source)
        heads.append(kind_node)
        caps.append(n * max(len(p) for p in patterns))
        for slot in sorted({t for p in patterns for t in p}):
            slot_node = next_node
            next_node += 1
            tails.append(kind_node)
            heads.append(slot_node)
            caps.append(n)
            for c in classes_in_slot[slot]:
                if d.eligible((langs, skills), c):
                    tails.append(slot_node)
                    heads.append(class_node[c])
                    caps.append(min(n, need[c]))
    if len(tails) == len(d.classes):
        return 0
    flow.add_arcs_with_capacity(tails, heads, caps)
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:  # pragma: no cover - capacities are small integers
        raise RuntimeError(f"max-flow bound failed: {status}")
    return int(flow.optimal_flow())


# ----------------------------------------------------------------- liaisons
def shift_demand_scarcity(problem: VolunteerProblem) -> dict[str, float]:
    """Demand / supply of every skill and language shifts ask for, in volunteer-days.

    Keys are ``skill:<name>`` and ``lang:<code>``; a shift asking for one of
    several languages spreads its demand over them.
    """
    demand: dict[str, float] = defaultdict(float)
    for s in problem.shifts:
        for sk in s.skills:
            demand[f"skill:{sk}"] += s.needed
        for lang in s.languages:
            demand[f"lang:{lang}"] += s.needed / len(s.languages)
    days_with_shifts = {s.day for s in problem.shifts}
    supply: dict[str, float] = defaultdict(float)
    for v in problem.volunteers:
        days = sum(1 for day in days_with_shifts if v.available(day))
        if not days:
            continue
        for sk in v.skills:
            supply[f"skill:{sk}"] += days
        for lang in v.languages:
            supply[f"lang:{lang}"] += days
    out = {k: min(1.0, demand[k] / supply[k]) if supply[k] else 1.0 for k in demand}
    # any volunteer's time: shift minutes asked for / volunteer minutes offered
    asked = sum(s.needed * s.minutes for s in problem.shifts)
    offered = sum(
        v.max_minutes_per_day * sum(1 for day in days_with_shifts if v.available(day)) for v in problem.volunteers
    )
    out["time"] = min(1.0, asked / offered) if offered else 1.0
    return out


def _scarcity_points(v: VolunteerSpec, scarcity: Mapping[str, float]) -> int:
    """How much shifts would miss this volunteer, in tenths (WEIGHT_LIAISON_SCARCITY is per 0.1)."""
    total = sum(scarcity.get(f"skill:{sk}", 0.0) for sk in v.skills)
    total += sum(scarcity.get(f"lang:{lang}", 0.0) for lang in v.languages)
    total += scarcity.get("time", 0.0) * v.max_minutes_per_day / 480  # a full 8-hour day counts 1
    return round(10 * total)


def _liaison_candidates(
    problem: VolunteerProblem, scarcity: Mapping[str, float]
) -> tuple[dict[str, list[tuple[int, str]]], dict[str, tuple[int, int]]]:
    """Per delegation, its cheapest candidates (cost, volunteer), and (speakers, available) counts."""
    vols = {v.id: v for v in problem.volunteers}
    speakers: dict[str, list[VolunteerSpec]] = defaultdict(list)
    for v in problem.volunteers:
        for lang in v.languages:
            speakers[lang].append(v)
    points = {v.id: _scarcity_points(v, scarcity) for v in problem.volunteers}
    for lang in speakers:
        speakers[lang].sort(key=lambda v: (points[v.id], v.id))
    previous = {d: v for v, d in problem.previous_liaisons}
    # re-plans: a new liaison leaves the shifts the previous plan gave them during the stay
    shifts = {s.id: s for s in problem.shifts}
    rostered_days: dict[str, list[int]] = defaultdict(list)
    for v_id, s_id in problem.previous_roster:
        if s_id in shifts:
            rostered_days[v_id].append(shifts[s_id].day)
    for days in rostered_days.values():
        days.sort()

    def moves_cost(v_id: str, d: DelegationSpec) -> int:
        days = rostered_days.get(v_id)
        if not days:
            return 0
        return WEIGHT_MOVE * (bisect.bisect_right(days, d.last_day) - bisect.bisect_left(days, d.first_day))

    # delegations that can compete for the same volunteers: those sharing a language
    by_lang: dict[str, set[str]] = defaultdict(set)
    for d in problem.delegations:
        for lang in d.languages:
            by_lang[lang].add(d.id)
    candidates: dict[str, list[tuple[int, str]]] = {}
    counts: dict[str, tuple[int, int]] = {}
    for d in problem.delegations:
        rivals = set().union(*(by_lang[lang] for lang in d.languages)) if d.languages else {d.id}
        keep = len(rivals)
        seen: set[str] = set()
        found: list[tuple[int, str]] = []
        n_speakers = n_available = 0
        for rank, lang in enumerate(d.languages):
            taken = 0
            for v in speakers.get(lang, ()):
                if v.id in seen:
                    continue
                seen.add(v.id)
                n_speakers += 1
                if v.first_day <= d.first_day and v.last_day >= d.last_day:
                    n_available += 1
                    # speakers come cheapest first, so the first `keep` suffice, unless a
                    # re-plan adds move costs: then every speaker is priced
                    if taken < keep or rostered_days:
                        cost = rank * WEIGHT_LIAISON_LANGUAGE_RANK + points[v.id] * WEIGHT_LIAISON_SCARCITY // 10
                        if v.id != previous.get(d.id):
                            cost += moves_cost(v.id, d)
                        found.append((cost, v.id))
                        taken += 1
        found = heapq.nsmallest(keep, found)
        prev = previous.get(d.id)
        if prev in vols and prev not in {vid for _, vid in found}:
            pv = vols[prev]
            shared = [r for r, lang in enumerate(d.languages) if lang in pv.languages]
            if shared and pv.first_day <= d.first_day and pv.last_day >= d.last_day:
                found.append(
                    (shared[0] * WEIGHT_LIAISON_LANGUAGE_RANK + points[prev] * WEIGHT_LIAISON_SCARCITY // 10, prev)
                )
        if prev in {vid for _, vid in found}:
            found = [(c if vid == prev else c + WEIGHT_LIAISON_CHANGE, vid) for c, vid in found]
        candidates[d.id] = found
        counts[d.id] = (n_speakers, n_available)
    return candidates, counts


def plan_liaisons(
    problem: VolunteerProblem,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    stop: threading.Event | None = None,
) -> tuple[tuple[tuple[str, str], ...], tuple[LiaisonShortage, ...], str]:
    """Hard rule 11 and the liaison paragraph of FORMAT.md: one liaison per delegation.

    When no candidate could serve two delegations one after the other (at a
    Games all stays overlap), "one delegation at a time" means "one
    delegation", and the problem is an assignment: a min-cost max-flow
    solves it exactly (most delegations served, then cheapest). Otherwise a
    CP-SAT model adds "at most one delegation per volunteer and day", with
    the flow's answer as its starting point.

    Returns (volunteer, delegation) pairs, the delegations left without one,
    and how it was solved ("flow" or the CP-SAT status name).
    """
    if not problem.delegations:
        return (), (), "flow"
    scarcity = shift_demand_scarcity(problem)
    candidates, counts = _liaison_candidates(problem, scarcity)
    delegations = {d.id: d for d in problem.delegations}
    pairs = _liaisons_by_flow(candidates)
    by_volunteer: dict[str, list[str]] = defaultdict(list)
    for d_id, cands in candidates.items():
        for _, v_id in cands:
            by_volunteer[v_id].append(d_id)

    # two of a volunteer's delegations are apart when one leaves before the other arrives
    sequential = any(
        min(delegations[d].last_day for d in dels) < max(delegations[d].first_day for d in dels)
        for dels in by_volunteer.values()
        if len(dels) > 1
    )
    how = "flow"
    if sequential:
        pairs, how = _liaisons_by_cpsat(candidates, delegations, by_volunteer, pairs, time_limit_s, workers, seed, stop)
    served = {d for _, d in pairs}
    shortages = tuple(LiaisonShortage(d.id, *counts[d.id]) for d in problem.delegations if d.id not in served)
    return tuple(sorted(pairs, key=lambda p: p[1])), shortages, how


def _liaisons_by_flow(candidates: Mapping[str, list[tuple[int, str]]]) -> list[tuple[str, str]]:
    """Each volunteer liaison of at most one delegation: min-cost max-flow."""
    flow = min_cost_flow.SimpleMinCostFlow()
    dels = sorted(candidates)
    vols = sorted({v for cands in candidates.values() for _, v in cands})
    if not vols:
        return []
    d_node = {d: 2 + i for i, d in enumerate(dels)}
    v_node = {v: 2 + len(dels) + i for i, v in enumerate(vols)}
    tails, heads, caps, costs = [], [], [], []
    pair_arcs: list[tuple[str, str]] = []
    for d in dels:
        tails.append(0)
        heads.append(d_node[d])
        caps.append(1)
        costs.append(0)
    for v in vols:
        tails.append(v_node[v])
        heads.append(1)
        caps.append(1)
        costs.append(0)
    first_pair = len(tails)
    for d in dels:
        for cost, v in candidates[d]:
            tails.append(d_node[d])
            heads.append(v_node[v])
            caps.append(1)
            costs.append(cost)
            pair_arcs.append((v, d))
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(0, len(dels))
    flow.set_node_supply(1, -len(dels))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - integral data
        raise RuntimeError(f"liaison flow failed: {status}")
    used = flow.flows(list(range(first_pair, len(tails)))).tolist()
    return [pair for pair, f in zip(pair_arcs, used, strict=True) if f]


def _liaisons_by_cpsat(
    candidates: Mapping[str, list[tuple[int, str]]],
    delegations: Mapping[str, DelegationSpec],
    by_volunteer: Mapping[str, list[str]],
    start: list[tuple[str, str]],
    time_limit_s: float,
    workers: int,
    seed: int,
    stop: threading.Event | None,
) -> tuple[list[tuple[str, str]], str]:
    """Liaisons when a volunteer may serve delegations one after another: CP-SAT."""
    model = cp_model.CpModel()
    pick: dict[tuple[str, str], cp_model.IntVar] = {}
    terms = []
    for d_id, cands in candidates.items():
        for cost, v_id in cands:
            var = model.new_bool_var(f"liaison[{d_id},{v_id}]")
            pick[(d_id, v_id)] = var
            terms.append((cost - WEIGHT_NO_LIAISON, var))
        if cands:
            model.add_at_most_one(pick[(d_id, v)] for _, v in cands)
    # one delegation at a time: at most one per volunteer on every day
    for v_id, dels in by_volunteer.items():
        if len(dels) < 2:
            continue
        days = sorted({day for d in dels for day in range(delegations[d].first_day, delegations[d].last_day + 1)})
        groups: set[frozenset[str]] = set()
        for day in days:
            here = frozenset(d for d in dels if delegations[d].first_day <= day <= delegations[d].last_day)
            if len(here) >= 2:
                groups.add(here)
        for g in groups:
            if not any(g < other for other in groups):
                model.add_at_most_one(pick[(d, v_id)] for d in sorted(g))
    model.minimize(sum(c * var for c, var in terms))
    for v_id, d_id in start:
        model.add_hint(pick[(d_id, v_id)], True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = _solve_with_stop(solver, model, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, solver.status_name(status)  # the flow's answer is feasible
    return [(v_id, d_id) for (d_id, v_id), var in pick.items() if solver.value(var)], solver.status_name(status)


def _solve_with_stop(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stop: threading.Event | None
) -> cp_model.CpSolverStatus:
    """Solve, and stop the search (keeping the best solution) as soon as ``stop`` is set."""
    if stop is None:
        return solver.solve(model)
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(0.05):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()


# ------------------------------------------------------------------- roster
@dataclass
class _State:
    """What earlier days left behind for a volunteer."""

    worked_min: int = 0
    last_place: str | None = None
    last_day: int | None = None
    last_end_min: int = 0


@dataclass
class _DayOutcome:
    roster: list[tuple[str, str]]
    used_cpsat: bool = False
    cpsat_status: str = ""


class _RosterPlanner:
    """Plans the shifts day by day (see the module docstring for the split)."""

    def __init__(
        self,
        problem: VolunteerProblem,
        busy: Mapping[str, set[int]],
        options: SolveOptions,
        stop: threading.Event | None,
    ) -> None:
        self.problem = problem
        self.busy = busy
        self.options = options
        self.stop = stop
        self.vols = {v.id: v for v in problem.volunteers}
        self.shifts = {s.id: s for s in problem.shifts}
        self.state: dict[str, _State] = defaultdict(_State)
        self.prefs: dict[str, list[Preference]] = defaultdict(list)
        for p in problem.preferences:
            if p.volunteer in self.vols:
                self.prefs[p.volunteer].append(p)
        # previous roster pairs that are still valid on their own
        self.previous: dict[str, dict[int, list[ShiftSpec]]] = defaultdict(lambda: defaultdict(list))
        for v_id, s_id in problem.previous_roster:
            v, s = self.vols.get(v_id), self.shifts.get(s_id)
            if v and s and can_work(v, s) and s.day not in busy.get(v_id, ()):
                self.previous[v_id][s.day].append(s)

    # -- one day -------------------------------------------------------
    def plan_day(self, day: int, shifts: list[ShiftSpec], time_limit_s: float) -> _DayOutcome:
        d = _Day.build(day, shifts)
        free = [
            v
            for v in self.problem.volunteers
            if v.available(day) and day not in self.busy.get(v.id, ()) and d.patterns_for(v.max_minutes_per_day)
        ]
        free.sort(key=lambda v: v.id)
        penalised = {v.id: self._rest_penalised_slots(v.id, d) for v in free}
        pinned = {v.id: frozenset(d.slot_of[s.id] for s in self.previous[v.id].get(day, ())) for v in free}
        # first everyone at most one shift: one flow, exact when nobody can do two
        outcome = _DayOutcome(self._lay_out(d, free, {}, penalised, pinned))
        multi = any(len(p) > 1 for v in free for p in d.patterns_for(v.max_minutes_per_day))
        if not multi or time_limit_s <= 0.05 or (self.stop and self.stop.is_set()):
            return outcome
        if len(outcome.roster) >= _day_fill_bound(d, free, {}):
            return outcome  # already as full as any roster could be
        # some volunteers could work two shifts and places are still empty: choose daily patterns
        outcome.used_cpsat = True
        assigned, outcome.cpsat_status = self._choose_patterns(d, free, penalised, pinned, time_limit_s)
        if assigned:
            roster = self._lay_out(d, free, assigned, penalised, pinned)
            if len(roster) > len(outcome.roster):
                outcome.roster = roster
        return outcome

    def _rest_penalised_slots(self, v_id: str, d: _Day) -> frozenset[int]:
        st = self.state.get(v_id)
        if st is None or st.last_day != d.day - 1:
            return frozenset()
        rest_from = st.last_end_min + self.problem.min_rest_min - MINUTES_PER_DAY
        return frozenset(i for i, (start, _) in enumerate(d.slots) if start < rest_from)

    def _choose_patterns(
        self,
        d: _Day,
        free: list[VolunteerSpec],
        penalised: Mapping[str, frozenset[int]],
        pinned: Mapping[str, frozenset[int]],
        time_limit_s: float,
    ) -> tuple[dict[str, tuple[int, ...]], str]:
        """CP-SAT over counts: how many of each kind take each daily pattern."""
        types: dict[tuple, list[VolunteerSpec]] = defaultdict(list)
        for v in free:
            types[(*d.kind(v), v.max_minutes_per_day, penalised[v.id], pinned[v.id])].append(v)
        need = [sum(s.needed for s in shifts) for shifts in d.class_shifts]
        model = cp_model.CpModel()
        objective: list[Any] = []
        y: dict[tuple[int, int], cp_model.IntVar] = {}
        class_fill: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        type_list = sorted(
            types.items(),
            key=lambda kv: (sorted(kv[0][0]), sorted(kv[0][1]), kv[0][2], sorted(kv[0][3]), sorted(kv[0][4])),
        )
        for k, (key, members) in enumerate(type_list):
            langs, skills, max_min, rest_slots, p0 = key
            n = len(members)
            patterns = d.patterns_for(max_min)
            for pi, pat in enumerate(patterns):
                var = model.new_int_var(0, n, f"y[{k},{pi}]")
                y[(k, pi)] = var
                cost = WEIGHT_EXTRA_SHIFT_SAME_DAY * (len(pat) - 1) - WEIGHT_MOVE * len(p0 & set(pat))
                if rest_slots & set(pat):
                    cost += WEIGHT_SHORT_REST
                if cost:
                    objective.append(cost * var)
            model.add(sum(y[(k, pi)] for pi in range(len(patterns))) <= n)
            for slot in sorted({t for p in patterns for t in p}):
                xs = []
                for c, cls in enumerate(d.classes):
                    if cls[0] == slot and need[c] and d.eligible((langs, skills), c):
                        x = model.new_int_var(0, min(n, need[c]), f"x[{k},{c}]")
                        xs.append(x)
                        class_fill[c].append(x)
                if xs:
                    model.add(sum(xs) <= sum(y[(k, pi)] for pi, p in enumerate(patterns) if slot in p))
        for c, xs in class_fill.items():
            model.add(sum(xs) <= need[c])
            weight = WEIGHT_UNFILLED_PLACE + WEIGHT_UNFILLED_PRIORITY * d.classes[c][3]
            objective.append(-weight * sum(xs))
        model.minimize(sum(objective))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        # stop once no solution can fill one more place: soft-rule costs are below one place's weight
        solver.parameters.absolute_gap_limit = WEIGHT_UNFILLED_PLACE // 2
        # a counting model is nearly an LP: one worker with the full linear relaxation proves it
        # optimal in milliseconds where the default portfolio on two workers wanders for seconds
        solver.parameters.linearization_level = 2
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.options.seed
        status = _solve_with_stop(solver, model, self.stop)
        assigned: dict[str, tuple[int, ...]] = {}
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return assigned, solver.status_name(status)
        for k, (key, members) in enumerate(type_list):
            patterns = d.patterns_for(key[2])
            if all(len(p) == 1 for p in patterns):
                continue  # single-shift kinds are laid out freely by the flow
            # balance: the least worked take the longest patterns
            order = sorted(members, key=lambda v: (self.state[v.id].worked_min if v.id in self.state else 0, v.id))
            by_length = sorted(
                range(len(patterns)), key=lambda pi: (-sum(d.slots[t][1] - d.slots[t][0] for t in patterns[pi]), pi)
            )
            i = 0
            for pi in by_length:
                for _ in range(solver.value(y[(k, pi)])):
                    if i < len(order):
                        assigned[order[i].id] = patterns[pi]
                        i += 1
        return assigned, solver.status_name(status)

    def _lay_out(
        self,
        d: _Day,
        free: list[VolunteerSpec],
        assigned: Mapping[str, tuple[int, ...]],
        penalised: Mapping[str, frozenset[int]],
        pinned: Mapping[str, frozenset[int]],
    ) -> list[tuple[str, str]]:
        """Min-cost max-flow from volunteers' work units to shifts."""
        flow = min_cost_flow.SimpleMinCostFlow()
        source, sink = 0, 1
        nodes = 2
        tails: list[int] = []
        heads: list[int] = []
        caps: list[int] = []
        costs: list[int] = []

        def arc(t: int, h: int, cap: int, cost: int) -> int:
            tails.append(t)
            heads.append(h)
            caps.append(cap)
            costs.append(cost)
            return len(tails) - 1

        shift_node: dict[str, int] = {}
        for s in sorted(d.shifts, key=lambda s: s.id):
            shift_node[s.id] = nodes
            arc(nodes, sink, s.needed, (MAX_PRIORITY - s.priority) * WEIGHT_UNFILLED_PRIORITY)
            nodes += 1
        class_node: dict[int, int] = {}
        class_arcs: list[tuple[int, str]] = []  # (arc index, shift id)
        for c, shifts in enumerate(d.class_shifts):
            class_node[c] = nodes
            nodes += 1
            for s in shifts:
                class_arcs.append((arc(class_node[c], shift_node[s.id], s.needed, 0), s.id))
        classes_in_slot: dict[int, list[int]] = defaultdict(list)
        for c, cls in enumerate(d.classes):
            classes_in_slot[cls[0]].append(c)
        shifts_at: dict[tuple[str, int], list[ShiftSpec]] = defaultdict(list)
        for s in d.shifts:
            shifts_at[(s.place, d.slot_of[s.id])].append(s)
        kind_slot_node: dict[tuple[frozenset[str], frozenset[str], int], int] = {}
        group_arcs: list[tuple[int, tuple[frozenset[str], frozenset[str], int], int]] = []  # (arc, kind-slot, class)

        def kind_slot(kind: tuple[frozenset[str], frozenset[str]], slot: int) -> int:
            key = (kind[0], kind[1], slot)
            node = kind_slot_node.get(key)
            if node is None:
                nonlocal nodes
                node = kind_slot_node[key] = nodes
                nodes += 1
                for c in classes_in_slot[slot]:
                    if d.eligible(kind, c):
                        group_arcs.append((arc(node, class_node[c], len(free), 0), key, c))
            return node

        unit_arcs: list[tuple[int, str, str]] = []  # (arc, volunteer, shift) straight to a shift
        unit_kind_arcs: dict[int, str] = {}
        for v in free:
            kind = d.kind(v)
            st = self.state.get(v.id)
            worked_h = st.worked_min // 60 if st else 0
            ref_place = st.last_place if st else None
            prefs = self.prefs.get(v.id, [])
            previous = {s.id for s in self.previous[v.id].get(d.day, ())}
            units: list[tuple[tuple[int, ...], bool]]
            if v.id in assigned:
                units = [((slot,), i > 0) for i, slot in enumerate(assigned[v.id])]
            else:
                units = [(tuple(p[0] for p in d.patterns_for(v.max_minutes_per_day) if len(p) == 1), False)]
            for slots, extra in units:
                is_pinned = bool(pinned[v.id] & set(slots)) if v.id in assigned else bool(pinned[v.id])
                unit = nodes
                nodes += 1
                arc(
                    source,
                    unit,
                    1,
                    (0 if is_pinned else WEIGHT_MOVE)
                    + worked_h * WEIGHT_HOURS_IMBALANCE
                    + (WEIGHT_EXTRA_SHIFT_SAME_DAY if extra else 0),
                )
                generic = (
                    (WEIGHT_MOVE if is_pinned else 0)
                    + (WEIGHT_PLACE_CHANGE if ref_place else 0)
                    + (WEIGHT_PREFERENCE_MISSED if prefs else 0)
                )
                direct: dict[str, int] = {}
                for slot in slots:
                    rest = WEIGHT_SHORT_REST if slot in penalised[v.id] else 0
                    a = arc(unit, kind_slot(kind, slot), 1, generic + rest)
                    unit_kind_arcs[a] = v.id
                    targets: list[ShiftSpec] = [
                        s for s in self.previous[v.id].get(d.day, ()) if d.slot_of[s.id] == slot
                    ]
                    if ref_place:
                        targets += shifts_at.get((ref_place, slot), [])
                    if prefs:
                        targets += [s for s in d.shifts if d.slot_of[s.id] == slot and any(p.matches(s) for p in prefs)]
                    for s in targets:
                        if s.id in direct or not d.eligible(kind, d.class_of[s.id]):
                            continue
                        cost = rest
                        if is_pinned and s.id not in previous:
                            cost += WEIGHT_MOVE
                        if ref_place and s.place != ref_place:
                            cost += WEIGHT_PLACE_CHANGE
                        if prefs and not any(p.matches(s) for p in prefs):
                            cost += WEIGHT_PREFERENCE_MISSED
                        direct[s.id] = cost
                for s_id, cost in sorted(direct.items()):
                    unit_arcs.append((arc(unit, shift_node[s_id], 1, cost), v.id, s_id))
        if not tails:
            return []
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        flow.set_node_supply(source, len(tails))
        flow.set_node_supply(sink, -len(tails))
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - integral data, no negative cycles
            raise RuntimeError(f"min-cost flow failed: {status}")
        flows = flow.flows(list(range(len(tails)))).tolist()
        roster: list[tuple[str, str]] = []
        for a, v_id, s_id in unit_arcs:
            if flows[a]:
                roster.append((v_id, s_id))
        # decompose kind-slot -> class -> shift flows onto the volunteers routed there
        waiting: dict[int, list[str]] = defaultdict(list)
        for a, v_id in unit_kind_arcs.items():
            if flows[a]:
                waiting[heads[a]].append(v_id)
        in_class: dict[int, list[str]] = defaultdict(list)
        for a, key, c in group_arcs:
            for _ in range(flows[a]):
                in_class[c].append(waiting[kind_slot_node[key]].pop())
        class_of_node = {node: c for c, node in class_node.items()}
        for a, s_id in class_arcs:
            queue = in_class[class_of_node[tails[a]]]
            for _ in range(flows[a]):
                roster.append((queue.pop(), s_id))
        return roster

    def keep_previous(self, day: int, shifts: list[ShiftSpec]) -> list[tuple[str, str]]:
        """The previous plan's still-valid assignments of one day (hard rules re-checked)."""
        room = {s.id: s.needed for s in shifts}
        kept: list[tuple[str, str]] = []
        for v_id in sorted(self.previous):
            v = self.vols[v_id]
            mine: list[ShiftSpec] = []
            for s in sorted(self.previous[v_id].get(day, ()), key=lambda s: (s.start_min, s.id)):
                fits = sum(x.minutes for x in mine) + s.minutes <= v.max_minutes_per_day
                if (
                    room.get(s.id, 0) > 0
                    and fits
                    and not any(_overlap(x.start_min, x.end_min, s.start_min, s.end_min) for x in mine)
                ):
                    mine.append(s)
                    room[s.id] -= 1
                    kept.append((v_id, s.id))
        return kept

    def record_day(self, day: int, roster: list[tuple[str, str]]) -> None:
        by_vol: dict[str, list[ShiftSpec]] = defaultdict(list)
        for v_id, s_id in roster:
            by_vol[v_id].append(self.shifts[s_id])
        for v_id, shifts in by_vol.items():
            shifts.sort(key=lambda s: s.start_min)
            st = self.state[v_id]
            st.worked_min += sum(s.minutes for s in shifts)
            st.last_place = shifts[-1].place
            st.last_day = day
            st.last_end_min = shifts[-1].end_min


# -------------------------------------------------------------------- solve
def solve_volunteers(
    problem: VolunteerProblem,
    options: SolveOptions | None = None,
    *,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> VolunteerPlan:
    """Plan liaisons, then the roster day by day; report what is short and why it costs what it costs."""
    options = options or SolveOptions()
    started = time.monotonic()
    deadline = started + options.time_limit_s
    _check_problem(problem)
    if progress:
        progress("liaisons", 0.0)
    liaisons, liaison_short, liaison_status = plan_liaisons(
        problem, min(10.0, 0.15 * options.time_limit_s), options.workers, options.seed, stop
    )
    busy = liaison_days(problem, liaisons)
    planner = _RosterPlanner(problem, busy, options, stop)
    by_day = _shifts_by_day(problem.shifts)
    days = sorted(by_day)
    roster: list[tuple[str, str]] = []
    cpsat_days = 0
    cpsat_statuses: dict[str, int] = defaultdict(int)
    for i, day in enumerate(days):
        if stop is not None and stop.is_set():
            # stopped: the days not planned keep what the previous plan gave them, if anything
            out = _DayOutcome(planner.keep_previous(day, by_day[day]))
        else:
            share = max(0.0, deadline - time.monotonic()) / (len(days) - i)
            out = planner.plan_day(day, by_day[day], share)
        planner.record_day(day, out.roster)
        roster.extend(out.roster)
        if out.used_cpsat:
            cpsat_days += 1
            cpsat_statuses[out.cpsat_status] += 1
        if progress:
            progress(
                f"shifts, day {i + 1} of {len(days)}: {len(out.roster):,} places filled", (i + 1) / max(1, len(days))
            )
    roster.sort()
    bound = fill_upper_bound(problem, busy)
    shortages = _shift_shortages(problem, roster, busy)
    moves = _moves(problem, roster, liaisons)
    costs = soft_rule_costs(problem, roster, liaisons, moves)
    needed = sum(s.needed for s in problem.shifts)
    stopped = stop is not None and stop.is_set()
    status = "stopped" if stopped else ("partial" if shortages or liaison_short else "complete")
    return VolunteerPlan(
        roster=tuple(roster),
        liaisons=liaisons,
        shift_shortages=shortages,
        liaison_shortages=liaison_short,
        costs=costs,
        moves=moves,
        status=status,
        places_needed=needed,
        places_filled=len(roster),
        fill_bound=bound,
        solve_seconds=time.monotonic() - started,
        stats={
            "days": len(days),
            "cpsat_days": cpsat_days,
            "cpsat_statuses": dict(cpsat_statuses),
            "liaison_status": liaison_status,
        },
    )


def _check_problem(problem: VolunteerProblem) -> None:
    ids = [v.id for v in problem.volunteers]
    if len(set(ids)) != len(ids):
        raise ValueError("volunteer ids must be unique")
    sids = [s.id for s in problem.shifts]
    if len(set(sids)) != len(sids):
        raise ValueError("shift ids must be unique")
    for s in problem.shifts:
        if not 0 <= s.start_min < s.end_min <= MINUTES_PER_DAY:
            raise ValueError(f"shift {s.id}: end must be after start, the same day")
        if s.needed < 0 or not 0 <= s.priority <= MAX_PRIORITY:
            raise ValueError(f"shift {s.id}: needed must be >= 0 and priority 0..{MAX_PRIORITY}")


def _shift_shortages(
    problem: VolunteerProblem, roster: Iterable[tuple[str, str]], busy: Mapping[str, set[int]]
) -> tuple[ShiftShortage, ...]:
    filled: dict[str, int] = defaultdict(int)
    for _, s_id in roster:
        filled[s_id] += 1
    short_by_day: dict[int, list[ShiftSpec]] = defaultdict(list)
    for s in problem.shifts:
        if filled[s.id] < s.needed:
            short_by_day[s.day].append(s)
    out = []
    for day, shifts in sorted(short_by_day.items()):
        # count volunteers by what decides eligibility, not one by one
        kinds: dict[tuple[frozenset[str], frozenset[str], int], list[int]] = defaultdict(lambda: [0, 0])
        for v in problem.volunteers:
            if v.available(day):
                counts = kinds[(frozenset(v.languages), frozenset(v.skills), v.max_minutes_per_day)]
                counts[0] += 1
                counts[1] += day in busy.get(v.id, ())
        for s in shifts:
            eligible = on_duty = 0
            skills, langs = set(s.skills), set(s.languages)
            for (v_langs, v_skills, max_min), (n, n_busy) in kinds.items():
                if s.minutes <= max_min and skills <= v_skills and (not langs or langs & v_langs):
                    eligible += n
                    on_duty += n_busy
            out.append(ShiftShortage(s.id, s.needed - filled[s.id], eligible, on_duty, filled[s.id]))
    return tuple(sorted(out, key=lambda x: x.shift))


def _moves(
    problem: VolunteerProblem, roster: Iterable[tuple[str, str]], liaisons: Iterable[tuple[str, str]]
) -> tuple[Move, ...]:
    vols = {v.id: v for v in problem.volunteers}
    shifts = {s.id: s for s in problem.shifts}
    now = set(roster)
    by_vol_day: dict[tuple[str, int], list[str]] = defaultdict(list)
    for v_id, s_id in now:
        by_vol_day[(v_id, shifts[s_id].day)].append(s_id)
    moves = []
    for v_id, s_id in problem.previous_roster:
        if v_id in vols and s_id in shifts and (v_id, s_id) not in now:
            after = sorted(by_vol_day.get((v_id, shifts[s_id].day), []))
            moves.append(Move(v_id, "shift", s_id, after[0] if after else None))
    liaison_of = {d: v for v, d in liaisons}
    delegation_of: dict[str, list[str]] = defaultdict(list)
    for v, d in liaisons:
        delegation_of[v].append(d)
    dels = {d.id for d in problem.delegations}
    for v_id, d_id in problem.previous_liaisons:
        if v_id in vols and d_id in dels and liaison_of.get(d_id) != v_id:
            after = sorted(delegation_of.get(v_id, []))
            moves.append(Move(v_id, "liaison", d_id, after[0] if after else None))
    return tuple(sorted(moves, key=lambda m: (m.volunteer, m.what, m.before)))


def soft_rule_costs(
    problem: VolunteerProblem,
    roster: Iterable[tuple[str, str]],
    liaisons: Iterable[tuple[str, str]],
    moves: Iterable[Move] = (),
) -> tuple[SoftRuleCost, ...]:
    """Every soft rule's amount in a plan, measured on the plan itself (not on the model)."""
    roster = list(roster)
    liaisons = list(liaisons)
    shifts = {s.id: s for s in problem.shifts}
    vols = {v.id: v for v in problem.volunteers}
    filled: dict[str, int] = defaultdict(int)
    per_vol: dict[str, list[ShiftSpec]] = defaultdict(list)
    for v_id, s_id in roster:
        filled[s_id] += 1
        per_vol[v_id].append(shifts[s_id])
    short = {s.id: s.needed - filled[s.id] for s in problem.shifts if filled[s.id] < s.needed}
    costs = [
        SoftRuleCost(
            "unfilled_places",
            WEIGHT_UNFILLED_PLACE,
            sum(short.values()),
            tuple(sorted(short)),
            "volunteer places left empty on shifts",
        ),
        SoftRuleCost(
            "unfilled_priority",
            WEIGHT_UNFILLED_PRIORITY,
            sum(n * shifts[s].priority for s, n in short.items()),
            tuple(sorted(s for s in short if shifts[s].priority)),
            "empty places x shift priority",
        ),
    ]
    rest: list[str] = []
    place: list[str] = []
    pref_missed: list[str] = []
    extra: list[str] = []
    extra_n = 0
    prefs: dict[str, list[Preference]] = defaultdict(list)
    for p in problem.preferences:
        prefs[p.volunteer].append(p)
    hours: dict[str, float] = {}
    for v_id, worked in per_vol.items():
        worked.sort(key=lambda s: (s.day, s.start_min))
        hours[v_id] = sum(s.minutes for s in worked) / 60
        day_last_end: dict[int, int] = {}
        day_first_start: dict[int, int] = {}
        per_day: dict[int, int] = defaultdict(int)
        for s in worked:
            day_last_end[s.day] = max(day_last_end.get(s.day, 0), s.end_min)
            day_first_start[s.day] = min(day_first_start.get(s.day, MINUTES_PER_DAY), s.start_min)
            per_day[s.day] += 1
        for day, first in day_first_start.items():
            if day - 1 in day_last_end and first + MINUTES_PER_DAY - day_last_end[day - 1] < problem.min_rest_min:
                rest.append(v_id)
        for a, b in zip(worked, worked[1:], strict=False):
            if a.place != b.place:
                place.append(v_id)
        if prefs.get(v_id):
            pref_missed += [v_id for s in worked if not any(p.matches(s) for p in prefs[v_id])]
        n_extra = sum(n - 1 for n in per_day.values())
        if n_extra:
            extra.append(v_id)
            extra_n += n_extra
    busy = liaison_days(problem, liaisons)
    shift_days = {s.day for s in problem.shifts}
    could_work = [
        v.id
        for v in problem.volunteers
        if any(v.available(day) and day not in busy.get(v.id, ()) for day in shift_days)
    ]
    imbalance = 0
    if could_work:
        mean = sum(hours.get(v, 0.0) for v in could_work) / len(could_work)
        imbalance = round(sum(abs(hours.get(v, 0.0) - mean) for v in could_work) / 2)
    costs += [
        SoftRuleCost(
            "short_rest",
            WEIGHT_SHORT_REST,
            len(rest),
            tuple(sorted(set(rest))),
            f"volunteer-days starting less than {problem.min_rest_min // 60} h after the previous day's last shift",
        ),
        SoftRuleCost(
            "place_change",
            WEIGHT_PLACE_CHANGE,
            len(place),
            tuple(sorted(set(place))),
            "changes of place between a volunteer's consecutive shifts",
        ),
        SoftRuleCost(
            "preference_missed",
            WEIGHT_PREFERENCE_MISSED,
            len(pref_missed),
            tuple(sorted(set(pref_missed))),
            "shifts outside the volunteer's stated preferences",
        ),
        SoftRuleCost(
            "extra_shift_same_day",
            WEIGHT_EXTRA_SHIFT_SAME_DAY,
            extra_n,
            tuple(sorted(extra)),
            "second and later shifts of one volunteer on one day",
        ),
        SoftRuleCost(
            "hours_imbalance",
            WEIGHT_HOURS_IMBALANCE,
            imbalance,
            (),
            "hours that would have to change hands for everyone free to work the same hours",
        ),
        SoftRuleCost(
            "moves",
            WEIGHT_MOVE,
            sum(1 for m in moves if m.what == "shift"),
            tuple(sorted({m.volunteer for m in moves if m.what == "shift"})),
            "volunteers taken off a shift of the previous plan",
        ),
    ]
    delegations = {d.id: d for d in problem.delegations}
    served = {d for _, d in liaisons}
    rank_total = 0
    not_first: list[str] = []
    scarcity = shift_demand_scarcity(problem)
    scarcity_total = 0
    for v_id, d_id in liaisons:
        d, v = delegations[d_id], vols[v_id]
        rank = min((r for r, lang in enumerate(d.languages) if lang in v.languages), default=len(d.languages))
        rank_total += rank
        if rank:
            not_first.append(d_id)
        scarcity_total += _scarcity_points(v, scarcity)
    missing = sorted(set(delegations) - served)
    costs += [
        SoftRuleCost("no_liaison", WEIGHT_NO_LIAISON, len(missing), tuple(missing), "delegations without a liaison"),
        SoftRuleCost(
            "liaison_language_rank",
            WEIGHT_LIAISON_LANGUAGE_RANK,
            rank_total,
            tuple(sorted(not_first)),
            "steps down the delegation's language list (0 = preferred language)",
        ),
        SoftRuleCost(
            "liaison_scarcity",
            WEIGHT_LIAISON_SCARCITY,
            math.floor(scarcity_total / 10),
            (),
            "shift demand for the skills and languages of volunteers made liaisons",
        ),
        SoftRuleCost(
            "liaison_changes",
            WEIGHT_LIAISON_CHANGE,
            sum(1 for m in moves if m.what == "liaison"),
            tuple(sorted({m.before for m in moves if m.what == "liaison"})),
            "delegations whose liaison changed in a re-plan",
        ),
    ]
    return tuple(costs)


# ----------------------------------------------------------------- baseline
def greedy_plan(problem: VolunteerProblem) -> VolunteerPlan:
    """A simple baseline for the benchmark: liaisons then shifts, first fit, no optimisation.

    Liaisons: delegations with fewest speakers first take the first free
    speaker of the best language. Shifts: each day, highest priority first,
    each place to the least worked eligible volunteer who still fits.
    """
    started = time.monotonic()
    delegations = sorted(problem.delegations, key=lambda d: (d.first_day, d.id))
    busy_days: dict[str, set[int]] = defaultdict(set)
    liaisons: list[tuple[str, str]] = []
    short_liaisons: list[LiaisonShortage] = []
    for d in delegations:
        stay = set(range(d.first_day, d.last_day + 1))
        chosen = None
        for lang in d.languages:
            for v in problem.volunteers:
                if (
                    lang in v.languages
                    and v.first_day <= d.first_day
                    and v.last_day >= d.last_day
                    and not busy_days[v.id] & stay
                ):
                    chosen = v
                    break
            if chosen:
                break
        if chosen:
            busy_days[chosen.id] |= stay
            liaisons.append((chosen.id, d.id))
        else:
            short_liaisons.append(LiaisonShortage(d.id, 0, 0))
    worked: dict[str, int] = defaultdict(int)
    roster: list[tuple[str, str]] = []
    for day, shifts in sorted(_shifts_by_day(problem.shifts).items()):
        today_data = _Day.build(day, shifts)
        groups: dict[tuple[frozenset[str], frozenset[str]], list[VolunteerSpec]] = defaultdict(list)
        for v in problem.volunteers:
            if v.available(day) and day not in busy_days.get(v.id, ()):
                groups[today_data.kind(v)].append(v)
        for members in groups.values():
            members.sort(key=lambda v: (worked[v.id], v.id))
        # generalists first: volunteers with rare skills/languages are kept for shifts that need them
        group_order = sorted(groups, key=lambda g: (len(g[0]) + len(g[1]), sorted(g[0]), sorted(g[1])))
        today: dict[str, list[ShiftSpec]] = defaultdict(list)
        full: set[str] = set()
        first_open = dict.fromkeys(groups, 0)  # members before this index are full for the day
        shortest = min(s.minutes for s in shifts)
        for s in sorted(shifts, key=lambda s: (-s.priority, s.start_min, s.id)):
            c = today_data.class_of[s.id]
            left = s.needed
            for g in group_order:
                if left == 0:
                    break
                if not today_data.eligible(g, c):
                    continue
                members = groups[g]
                while first_open[g] < len(members) and members[first_open[g]].id in full:
                    first_open[g] += 1
                for v in itertools.islice(members, first_open[g], None):
                    if left == 0:
                        break
                    if v.id in full:
                        continue
                    mine = today[v.id]
                    used = sum(x.minutes for x in mine)
                    if used + s.minutes > v.max_minutes_per_day or any(
                        _overlap(x.start_min, x.end_min, s.start_min, s.end_min) for x in mine
                    ):
                        continue
                    mine.append(s)
                    roster.append((v.id, s.id))
                    left -= 1
                    if used + s.minutes + shortest > v.max_minutes_per_day:
                        full.add(v.id)
        for v_id, mine in today.items():
            worked[v_id] += sum(x.minutes for x in mine)
    roster.sort()
    shortages = _shift_shortages(problem, roster, busy_days)
    costs = soft_rule_costs(problem, roster, liaisons)
    return VolunteerPlan(
        roster=tuple(roster),
        liaisons=tuple(liaisons),
        shift_shortages=shortages,
        liaison_shortages=tuple(short_liaisons),
        costs=costs,
        moves=(),
        status="partial" if shortages or short_liaisons else "complete",
        places_needed=sum(s.needed for s in problem.shifts),
        places_filled=len(roster),
        fill_bound=fill_upper_bound(problem, busy_days),
        solve_seconds=time.monotonic() - started,
    )
