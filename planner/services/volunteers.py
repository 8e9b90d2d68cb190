"""Plan volunteers: shift rosters and delegation liaisons (FORMAT.md rules 10 and 11).

The service translates the :class:`~planner.dataset.Dataset` into the pure
solver's problem (:mod:`solvers.volunteers`), runs it, and turns its answer
back into plan rows (``roster``, ``liaisons``, ``unassigned``) with reasons in
the coordinator's terms ("Venue V03, 2007-10-04 07:00-13:00: 2 short (French
speakers; only 1 eligible that day)"). Each sentence is a
:class:`~planner.messages.Template` (see :data:`MESSAGES`), so the web can
recognise a stored reason and show it in Chinese.

Priority of shifts: by ``function`` (:data:`DEFAULT_FUNCTION_PRIORITY`,
overridable in :class:`VolunteerParams`), 0..5, higher filled first.

Stated preferences: FORMAT.md has no column for them, so they are an optional
input of the service (``preferences=[VolunteerPreference(...)]``): a volunteer
who states any is best placed on a shift matching one of them (place and/or
function); it is a soft rule, never a guarantee.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.dataset import Dataset, Shift
from planner.messages import ANY, DATE, N_, NUMBER, TOKEN, Choice, Joined, Message, Parsed, Series, Template, Text
from planner.plan import Plan
from planner.services.base import Penalty, PlanOutcome, Progress, ProgressCallback
from planner.volunteer_lists import LanguageList, hhmm
from solvers import volunteers as solver

KIND = "volunteers"

DEFAULT_FUNCTION_PRIORITY: dict[str, int] = {
    "medical": 5,
    "first_aid": 5,
    "security": 4,
    "interpreter": 4,
    "interpretation": 4,
    "language": 4,
    "competition": 3,
    "sport": 3,
    "transport": 3,
    "accreditation": 3,
    "reception": 2,
    "hotel_reception": 2,
    "guide": 2,
    "catering": 2,
    "logistics": 1,
    "spectator_services": 1,
    "ceremony": 1,
}
"""Priority by shift function (lower case): 5 = filled first. Unknown functions get ``default_priority``."""

MAX_TOUCHES = 100  # ids listed per penalty; the count is always complete

# ------------------------------------------------------------------ sentences
#: Languages named in English, joined by "or" ("French, Spanish or English").
LANGUAGES_OR = Parsed(r".+?", lambda text: LanguageList.parse(text, "or"))
TIME = Text(r"\d{2}:\d{2}")
#: How items of a list follow each other ("a, b").
LIST = N_("%(list)s, %(item)s")
VENUE = Template(N_("Venue %(id)s"), id=TOKEN)
HOTEL = Template(N_("Hotel %(id)s"), id=TOKEN)
VOLUNTEERS = Template(N_("volunteers"))
SPEAKERS = Template(N_("%(languages)s speakers"), languages=LANGUAGES_OR)
VOLUNTEERS_WITH = Template(N_("volunteers with %(skills)s"))
SPEAKERS_WITH = Template(N_("%(languages)s speakers with %(skills)s"), languages=LANGUAGES_OR)
NOBODY_ELIGIBLE = Template(N_("nobody eligible that day"))
ON_THIS_SHIFT = Template(N_("%(count)s on this shift"), count=NUMBER)
ON_LIAISON_DUTY = Template(N_("%(count)s on liaison duty"), count=NUMBER)
ON_OTHER_SHIFTS = Template(N_("%(count)s on other shifts"), count=NUMBER)
ELIGIBLE = Template(
    N_("%(eligible)s eligible that day: %(where)s"),
    eligible=NUMBER,
    where=Series(Choice(ON_THIS_SHIFT, ON_LIAISON_DUTY, ON_OTHER_SHIFTS), ", ", LIST),
)
SHIFT_SHORT = Template(
    N_("%(place)s, %(date)s %(start)s-%(end)s: %(short)s short (%(who)s; %(why)s)"),
    place=Choice(VENUE, HOTEL, other=ANY),
    date=DATE,
    start=TIME,
    end=TIME,
    short=NUMBER,
    who=Choice(SPEAKERS_WITH, VOLUNTEERS_WITH, SPEAKERS, VOLUNTEERS),
    why=Choice(NOBODY_ELIGIBLE, ELIGIBLE),
)
NOBODY_SPEAKS = Template(N_("no volunteer speaks %(languages)s"), languages=LANGUAGES_OR)
NONE_AVAILABLE = Template(
    N_(
        "%(speakers)s volunteer(s) speak %(languages)s but none is available every day "
        "from %(arrival)s to %(departure)s"
    ),
    speakers=NUMBER,
    languages=LANGUAGES_OR,
    arrival=DATE,
    departure=DATE,
)
ALL_LIAISONS_ELSEWHERE = Template(
    N_(
        "the %(available)s volunteer(s) who speak %(languages)s and are available %(arrival)s to %(departure)s "
        "are liaisons of other delegations"
    ),
    available=NUMBER,
    languages=LANGUAGES_OR,
    arrival=DATE,
    departure=DATE,
)
MOVED_TO = {
    "shift": Template(N_("moved to shift %(to)s"), to=TOKEN),
    "liaison": Template(N_("moved to liaison %(to)s"), to=TOKEN),
}
NO_LONGER = {
    "shift": Template(N_("no longer on this shift")),
    "liaison": Template(N_("no longer on this liaison")),
}
PLACES_FILLED = Template(
    N_(
        "%(filled)s of %(needed)s shift places filled "
        "(no roster can fill more than %(bound)s with these liaisons, %(bound_all)s at all)."
    ),
    filled=NUMBER,
    needed=NUMBER,
    bound=NUMBER,
    bound_all=NUMBER,
)
LIAISONS_FOUND = Template(
    N_("%(liaisons)s of %(delegations)s delegations have a liaison."), liaisons=NUMBER, delegations=NUMBER
)
REPLAN_CHANGED = Template(N_("Re-plan: %(moved)s assignment(s) of the previous plan changed."), moved=NUMBER)

# ------------------------------------------------------------------ soft rules
#: A short name of each soft rule of :func:`solvers.volunteers.soft_rule_costs`, for the cost table.
RULE_NAMES: dict[str, Template] = {
    "unfilled_places": Template(N_("Empty places on shifts")),
    "unfilled_priority": Template(N_("Empty places on priority shifts")),
    "short_rest": Template(N_("Short rest between days")),
    "place_change": Template(N_("Changes of place")),
    "preference_missed": Template(N_("Shifts outside preferences")),
    "extra_shift_same_day": Template(N_("Extra shifts on one day")),
    "hours_imbalance": Template(N_("Uneven hours")),
    "moves": Template(N_("Volunteers taken off their shifts")),
    "no_liaison": Template(N_("Delegations without a liaison")),
    "liaison_language_rank": Template(N_("Liaisons not in the first language")),
    "liaison_scarcity": Template(N_("Sought-after volunteers made liaisons")),
    "liaison_changes": Template(N_("Liaison changes")),
}
#: Each rule's explanation as the solver writes it (``SoftRuleCost.doc``; the solver imports no planner
#: code), written again here as a template so the web can translate it (a test keeps them equal).
RULE_DOCS: dict[str, Template] = {
    "unfilled_places": Template(N_("volunteer places left empty on shifts")),
    "unfilled_priority": Template(N_("empty places x shift priority")),
    "short_rest": Template(
        N_("volunteer-days starting less than %(hours)s h after the previous day's last shift"), hours=NUMBER
    ),
    "place_change": Template(N_("changes of place between a volunteer's consecutive shifts")),
    "preference_missed": Template(N_("shifts outside the volunteer's stated preferences")),
    "extra_shift_same_day": Template(N_("second and later shifts of one volunteer on one day")),
    "hours_imbalance": Template(N_("hours that would have to change hands for everyone free to work the same hours")),
    "moves": Template(N_("volunteers taken off a shift of the previous plan")),
    "no_liaison": Template(N_("delegations without a liaison")),
    "liaison_language_rank": Template(N_("steps down the delegation's language list (0 = preferred language)")),
    "liaison_scarcity": Template(N_("shift demand for the skills and languages of volunteers made liaisons")),
    "liaison_changes": Template(N_("delegations whose liaison changed in a re-plan")),
}

# ------------------------------------------------------------------ progress
#: What the solver says while it works (``progress`` messages of :func:`solvers.volunteers.solve_volunteers`,
#: which imports no planner code), written again here as templates so the web can translate them; and "done".
PROGRESS: tuple[Template, ...] = (
    Template(N_("liaisons")),
    Template(N_("done")),  # said by plan_volunteers itself
    Template(N_("shifts, day %(day)s of %(days)s: %(filled)s places filled"), day=NUMBER, days=NUMBER, filled=NUMBER),
)

MESSAGES: tuple[Template, ...] = (
    SHIFT_SHORT,
    NOBODY_SPEAKS,
    NONE_AVAILABLE,
    ALL_LIAISONS_ELSEWHERE,
    *MOVED_TO.values(),
    *NO_LONGER.values(),
    PLACES_FILLED,
    LIAISONS_FOUND,
    REPLAN_CHANGED,
    *RULE_DOCS.values(),
    *RULE_NAMES.values(),
    *PROGRESS,
)
"""Every sentence of this service (reasons, moves, run messages, soft rules, progress),
for :func:`planner.messages.recognise`."""


@dataclass(frozen=True)
class VolunteerPreference:
    """A volunteer's stated wish: work at ``place`` (a venue or hotel id) and/or in ``function``."""

    volunteer: str
    place: str | None = None
    function: str | None = None


@dataclass(frozen=True)
class VolunteerParams:
    """Settings of a volunteer planning run (validated on creation).

    Attributes:
        time_limit_s: wall-clock budget of the whole run, seconds.
        workers: CP-SAT search workers (the machine's cores).
        seed: CP-SAT random seed.
        min_rest_between_days_min: soft rule: minutes between a volunteer's last
            shift of one day and first shift of the next (default 11 h).
        function_priority: priority 0..5 per shift function (lower case),
            replacing :data:`DEFAULT_FUNCTION_PRIORITY`; empty = the default.
        default_priority: priority of functions not listed.
    """

    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    min_rest_between_days_min: int = solver.DEFAULT_MIN_REST_MIN
    function_priority: tuple[tuple[str, int], ...] = ()
    default_priority: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.function_priority, Mapping):
            object.__setattr__(self, "function_priority", tuple(sorted(self.function_priority.items())))
        if not (isinstance(self.time_limit_s, int | float) and 0 < self.time_limit_s <= 24 * 3600):
            raise ValueError("time_limit_s must be more than 0 and at most 86400 seconds")
        if not (isinstance(self.workers, int) and 1 <= self.workers <= 64):
            raise ValueError("workers must be an integer from 1 to 64")
        if not (isinstance(self.seed, int) and self.seed >= 0):
            raise ValueError("seed must be a non-negative integer")
        if not (isinstance(self.min_rest_between_days_min, int) and 0 <= self.min_rest_between_days_min <= 1440):
            raise ValueError("min_rest_between_days_min must be an integer from 0 to 1440")
        for name, prio in (*self.function_priority, ("default_priority", self.default_priority)):
            if not (isinstance(prio, int) and 0 <= prio <= solver.MAX_PRIORITY):
                raise ValueError(f"priority of {name!r} must be an integer from 0 to {solver.MAX_PRIORITY}")

    def priority_of(self, function: str) -> int:
        table = dict(self.function_priority) if self.function_priority else DEFAULT_FUNCTION_PRIORITY
        return table.get(function.lower(), self.default_priority)


# ------------------------------------------------------------- translation
@dataclass
class _Calendar:
    """Dates <-> the solver's integer days."""

    first: date

    def day(self, d: date) -> int:
        return (d - self.first).days

    def date(self, day: int) -> date:
        return self.first + timedelta(days=day)


def _calendar(data: Dataset) -> _Calendar:
    dates = [data.event.start_date]
    dates += [s.date for s in data.shifts.values()]
    dates += [d.arrival_date for d in data.delegations.values()]
    dates += [v.available_from for v in data.volunteers.values()]
    return _Calendar(min(dates))


def build_problem(
    data: Dataset,
    params: VolunteerParams,
    previous: Plan | None = None,
    preferences: Iterable[VolunteerPreference] = (),
) -> tuple[solver.VolunteerProblem, _Calendar]:
    """The solver's problem for ``data`` (and the day numbering used)."""
    cal = _calendar(data)
    volunteers = tuple(
        solver.VolunteerSpec(
            id=v.id,
            languages=tuple(v.languages),
            skills=tuple(sorted(v.skills)),
            first_day=cal.day(v.available_from),
            last_day=cal.day(v.available_to),
            # floor, so the checker's hours (max_hours_per_day * 60) are never exceeded
            max_minutes_per_day=math.floor(v.max_hours_per_day * 60 + 1e-9),
        )
        for v in sorted(data.volunteers.values(), key=lambda v: v.id)
    )
    shifts = tuple(
        solver.ShiftSpec(
            id=s.id,
            place=s.place,
            function=s.function,
            day=cal.day(s.date),
            start_min=s.start_min,
            end_min=s.end_min,
            needed=s.needed,
            skills=tuple(sorted(s.skills)),
            languages=tuple(sorted(s.languages)),
            priority=params.priority_of(s.function),
        )
        for s in sorted(data.shifts.values(), key=lambda s: s.id)
    )
    delegations = tuple(
        solver.DelegationSpec(d.id, tuple(d.languages), cal.day(d.arrival_date), cal.day(d.departure_date))
        for d in sorted(data.delegations.values(), key=lambda d: d.id)
    )
    prefs = tuple(
        solver.Preference(p.volunteer, p.place, p.function) for p in preferences if p.volunteer in data.volunteers
    )
    prev_roster: tuple[tuple[str, str], ...] = ()
    prev_liaisons: tuple[tuple[str, str], ...] = ()
    if previous is not None:
        prev_roster = tuple((str(r["volunteer"]), str(r["shift"])) for r in previous.roster)
        prev_liaisons = tuple((str(r["volunteer"]), str(r["delegation"])) for r in previous.liaisons)
    problem = solver.VolunteerProblem(
        volunteers=volunteers,
        shifts=shifts,
        delegations=delegations,
        preferences=prefs,
        previous_roster=prev_roster,
        previous_liaisons=prev_liaisons,
        min_rest_min=params.min_rest_between_days_min,
    )
    return problem, cal


# ----------------------------------------------------------------- reasons
def _place(data: Dataset, place: str) -> Message | str:
    if place in data.venues:
        return VENUE(id=place)
    if place in data.hotels:
        return HOTEL(id=place)
    return place


def shift_shortage_message(
    data: Dataset, shift: Shift, short: int, eligible: int, on_liaison_duty: int = 0, filled: int = 0
) -> Message:
    """Why a shift is short, as a coordinator says it (see :func:`shift_shortage_reason`)."""
    languages = LanguageList(tuple(sorted(shift.languages)), "or")
    skills = " and ".join(sorted(sk.replace("_", " ") for sk in shift.skills))
    if shift.languages:
        who = SPEAKERS_WITH(languages=languages, skills=skills) if skills else SPEAKERS(languages=languages)
    else:
        who = VOLUNTEERS_WITH(skills=skills) if skills else VOLUNTEERS()
    if eligible == 0:
        why = NOBODY_ELIGIBLE()
    else:
        elsewhere = eligible - on_liaison_duty - filled
        parts = tuple(
            template(count=n)
            for n, template in (
                (filled, ON_THIS_SHIFT),
                (on_liaison_duty, ON_LIAISON_DUTY),
                (elsewhere, ON_OTHER_SHIFTS),
            )
            if n > 0
        )
        why = ELIGIBLE(eligible=eligible, where=Joined(parts, LIST))
    return SHIFT_SHORT(
        place=_place(data, shift.place),
        date=shift.date.isoformat(),
        start=hhmm(shift.start_min),
        end=hhmm(shift.end_min),
        short=short,
        who=who,
        why=why,
    )


def shift_shortage_reason(
    data: Dataset, shift: Shift, short: int, eligible: int, on_liaison_duty: int = 0, filled: int = 0
) -> str:
    """Why a shift is short, as a coordinator says it.

    Example: ``Venue V03, 2007-10-04 07:00-13:00: 2 short (French speakers; 3 eligible that day:
    1 on this shift, 1 on liaison duty, 1 on other shifts)``.
    """
    return str(shift_shortage_message(data, shift, short, eligible, on_liaison_duty, filled))


def liaison_shortage_message(data: Dataset, delegation_id: str, speakers: int, available: int) -> Message:
    """Why a delegation has no liaison (see :func:`liaison_shortage_reason`)."""
    d = data.delegations[delegation_id]
    languages = LanguageList(tuple(d.languages), "or")
    arrival, departure = d.arrival_date.isoformat(), d.departure_date.isoformat()
    if speakers == 0:
        return NOBODY_SPEAKS(languages=languages)
    if available == 0:
        return NONE_AVAILABLE(speakers=speakers, languages=languages, arrival=arrival, departure=departure)
    return ALL_LIAISONS_ELSEWHERE(available=available, languages=languages, arrival=arrival, departure=departure)


def liaison_shortage_reason(data: Dataset, delegation_id: str, speakers: int, available: int) -> str:
    """Why a delegation has no liaison, in plain words."""
    return str(liaison_shortage_message(data, delegation_id, speakers, available))


def move_reason(what: str, after: str | None) -> str:
    """Why a volunteer's row of the previous plan changed: ``moved to shift F2`` / ``no longer on this shift``."""
    if after:
        return str(MOVED_TO[what](to=after)) if what in MOVED_TO else f"moved to {what} {after}"
    return str(NO_LONGER[what]()) if what in NO_LONGER else f"no longer on this {what}"


# ----------------------------------------------------------------- service
def plan_volunteers(
    data: Dataset,
    *,
    previous: Plan | None = None,
    params: VolunteerParams | None = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    preferences: Iterable[VolunteerPreference] | None = None,
    **_ignored: Any,
) -> PlanOutcome:
    """Roster volunteers onto shifts and give every delegation a liaison.

    Args:
        data: the planning data.
        previous: the plan in force; a re-plan keeps its still-valid rows and
            moves as few volunteers as possible (reported in ``moved``).
        params: time limit, workers, seed, rest, priorities.
        progress: called with :class:`Progress` reports.
        stop: set it to stop early; the plan built so far is returned.
        preferences: optional stated preferences (not part of FORMAT.md).

    Returns:
        A :class:`PlanOutcome` of kind ``volunteers``: ``roster``,
        ``liaisons`` and ``unassigned`` (``shift`` / ``liaison``) rows.
    """
    params = params or VolunteerParams()
    started = time.monotonic()
    problem, cal = build_problem(data, params, previous, preferences or ())

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(Progress(KIND, time.monotonic() - started, message=message, fraction=fraction))

    result = solver.solve_volunteers(
        problem,
        solver.SolveOptions(time_limit_s=params.time_limit_s, workers=params.workers, seed=params.seed),
        progress=report,
        stop=stop,
    )
    plan = Plan(
        roster=[{"volunteer": v, "shift": s} for v, s in result.roster],
        liaisons=[{"volunteer": v, "delegation": d} for v, d in result.liaisons],
    )
    for short in result.shift_shortages:
        shift = data.shifts[short.shift]
        plan.unassigned.append(
            {
                "kind": "shift",
                "id": short.shift,
                "reason": shift_shortage_reason(
                    data, shift, short.short, short.eligible, short.on_liaison_duty, short.filled
                ),
            }
        )
    for missing in result.liaison_shortages:
        plan.unassigned.append(
            {
                "kind": "liaison",
                "id": missing.delegation,
                "reason": liaison_shortage_reason(data, missing.delegation, missing.speakers, missing.available),
            }
        )
    bound_all = solver.fill_upper_bound(problem)
    no_candidate = sum(1 for m in result.liaison_shortages if m.available == 0)
    objective_bound = (result.places_needed - bound_all) * solver.WEIGHT_UNFILLED_PLACE
    objective_bound += no_candidate * solver.WEIGHT_NO_LIAISON
    penalties = [
        Penalty(c.rule, c.weight, c.amount, c.cost, tuple(c.touches[:MAX_TOUCHES]), c.doc)
        for c in result.costs
        if c.amount
    ]
    moved = [
        {
            "volunteer": m.volunteer,
            "what": m.what,
            "from": m.before,
            "to": m.after,
            "reason": move_reason(m.what, m.after),
        }
        for m in result.moves
    ]
    status = {"complete": "feasible", "partial": "partial", "stopped": "stopped"}[result.status]
    messages = [
        str(
            PLACES_FILLED(
                filled=f"{result.places_filled:,}",
                needed=f"{result.places_needed:,}",
                bound=f"{result.fill_bound:,}",
                bound_all=f"{bound_all:,}",
            )
        ),
        str(LIAISONS_FOUND(liaisons=f"{len(result.liaisons):,}", delegations=f"{len(data.delegations):,}")),
    ]
    if moved:
        messages.append(str(REPLAN_CHANGED(moved=f"{len(moved):,}")))
    stats: dict[str, Any] = {
        "volunteers": len(data.volunteers),
        "shifts": len(data.shifts),
        "delegations": len(data.delegations),
        "places_needed": result.places_needed,
        "places_filled": result.places_filled,
        "fill_bound": result.fill_bound,
        "fill_bound_without_liaisons": bound_all,
        "liaisons": len(result.liaisons),
        "liaisons_missing": len(result.liaison_shortages),
        "shifts_short": len(result.shift_shortages),
        "moved": len(moved),
        "first_day": cal.first.isoformat(),
        **dict(result.stats),
    }
    report("done", 1.0)
    return PlanOutcome(
        kind=KIND,
        plan=plan,
        status=status,
        objective=float(result.objective),
        bound=float(objective_bound),
        solve_seconds=time.monotonic() - started,
        penalties=penalties,
        stats=stats,
        messages=messages,
        moved=moved,
    )
