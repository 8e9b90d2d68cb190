"""Special Olympics divisioning of each sport's athletes (rules in :mod:`solvers.divisions`).

``plan_divisions(data)`` divides the athletes of every sport (or of one) into
divisions of 3-8 athletes of one gender and age group whose qualifying
scores differ by at most the sport's ``division_spread_pct`` (sports.csv,
15% by default; ``lower_is_better`` for times), merging adjacent age groups
and then genders where a group would be too small. Ages are taken on the
event's first day. The result is two lists of rows for display and export:
the divisions and the athletes left over, with the reason in plain English
(a :class:`~planner.messages.MessageText` keeping its template, see
:data:`MESSAGES`, so the web can show it in Chinese).

Only athletes are divided (role ``athlete``); unified partners, coaches and
staff are not. Team sports are divided athlete by athlete too: the data
have no team entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.dataset import Dataset, Person
from planner.messages import N_, NUMBER, Message, MessageError, MessageText, Template
from solvers import divisions as solver

# Special Olympics age groups for individual sports (years, inclusive); None = no upper limit.
DEFAULT_AGE_GROUPS: tuple[tuple[int, int | None], ...] = ((8, 11), (12, 15), (16, 21), (22, 29), (30, None))

# ------------------------------------------------------------------ sentences
NO_AGE_GROUP = Template(N_("at least one age group is needed"))
AGE_GROUPS_OVERLAP = Template(N_("age groups must be increasing and not overlap"))
BAD_SIZES = Template(N_("need 1 <= min_size <= max_size"))
NO_SCORE = Template(N_("no qualifying score in %(sport)s"))
TOO_FEW_CLOSE = Template(
    N_(
        "fewer than %(size)s athletes of their gender and age group have a score in %(sport)s "
        "within %(spread)s%% of theirs"
    ),
    size=NUMBER,
)
TOO_FEW_CLOSE_MERGING_AGES = Template(
    N_(
        "fewer than %(size)s athletes of their gender and age group (even with an adjacent age group) "
        "have a score in %(sport)s within %(spread)s%% of theirs"
    ),
    size=NUMBER,
)
TOO_FEW_CLOSE_MERGING_GENDERS = Template(
    N_(
        "fewer than %(size)s athletes of their gender and age group (even with the other gender) "
        "have a score in %(sport)s within %(spread)s%% of theirs"
    ),
    size=NUMBER,
)
TOO_FEW_CLOSE_MERGING_BOTH = Template(
    N_(
        "fewer than %(size)s athletes of their gender and age group (even with an adjacent age group "
        "or the other gender) have a score in %(sport)s within %(spread)s%% of theirs"
    ),
    size=NUMBER,
)
#: Why an athlete is left over, by (merge adjacent age groups, merge genders).
TOO_FEW_CLOSE_BY_MERGES = {
    (False, False): TOO_FEW_CLOSE,
    (True, False): TOO_FEW_CLOSE_MERGING_AGES,
    (False, True): TOO_FEW_CLOSE_MERGING_GENDERS,
    (True, True): TOO_FEW_CLOSE_MERGING_BOTH,
}

MESSAGES: tuple[Template, ...] = (
    NO_AGE_GROUP,
    AGE_GROUPS_OVERLAP,
    BAD_SIZES,
    NO_SCORE,
    *TOO_FEW_CLOSE_BY_MERGES.values(),
)
"""Every sentence of this module, for :func:`planner.messages.recognise`."""


@dataclass(frozen=True)
class DivisionParams:
    """Divisioning settings (validated on creation).

    Attributes:
        age_groups: (from, to) ages in years, youngest first; ``to`` None = and older.
            Athletes younger than the first group count in the first group.
        min_size, max_size: athletes per division.
        merge_adjacent_age_groups: allow a division across two adjacent age groups.
        merge_genders: allow a mixed division when a gender's group is too small.
        roles: which people are divided.
    """

    age_groups: tuple[tuple[int, int | None], ...] = DEFAULT_AGE_GROUPS
    min_size: int = 3
    max_size: int = 8
    merge_adjacent_age_groups: bool = True
    merge_genders: bool = True
    roles: tuple[str, ...] = ("athlete",)

    def __post_init__(self) -> None:
        if not self.age_groups:
            raise MessageError(NO_AGE_GROUP())
        previous_end = -1
        for lo, hi in self.age_groups:
            if lo <= previous_end or (hi is not None and hi < lo):
                raise MessageError(AGE_GROUPS_OVERLAP())
            previous_end = hi if hi is not None else 10**6
        if not (
            isinstance(self.min_size, int) and isinstance(self.max_size, int) and 1 <= self.min_size <= self.max_size
        ):
            raise MessageError(BAD_SIZES())


@dataclass
class DivisionsReport:
    """Divisions and athletes left over, as rows (one list per table)."""

    divisions: list[dict[str, Any]] = field(default_factory=list)
    left_over: list[dict[str, Any]] = field(default_factory=list)
    sports: list[str] = field(default_factory=list)

    @property
    def athletes_divided(self) -> int:
        return sum(row["size"] for row in self.divisions)


def age_on(birth: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_label(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else f"{lo}-{hi}"


def age_group_of(age: int, groups: tuple[tuple[int, int | None], ...]) -> int:
    """Index of the age group of ``age`` (the first group for the very young, the last for gaps above)."""
    for i, (lo, hi) in enumerate(groups):
        if age < lo:
            return max(0, i - 1) if i else 0
        if hi is None or age <= hi:
            return i
    return len(groups) - 1


def left_over_message(data: Dataset, cause: str, sport: str, params: DivisionParams) -> Message:
    """Why an athlete is left over: no score, or too few athletes close enough even after the allowed merges."""
    if cause == solver.LEFT_NO_SCORE:
        return NO_SCORE(sport=sport)
    template = TOO_FEW_CLOSE_BY_MERGES[(params.merge_adjacent_age_groups, params.merge_genders)]
    return template(size=params.min_size, sport=sport, spread=f"{data.sport(sport).division_spread_pct:g}")


def _reason(data: Dataset, cause: str, sport: str, params: DivisionParams) -> str:
    return MessageText(left_over_message(data, cause, sport, params))


def plan_divisions(data: Dataset, sport: str | None = None, *, params: DivisionParams | None = None) -> DivisionsReport:
    """Divide the athletes of ``sport`` (or of every sport) into divisions.

    Args:
        data: the planning data (people's sport, gender, birth date and score; sports.csv).
        sport: one sport, or None for every sport that has athletes.
        params: age groups, sizes and merging rules.

    Returns:
        A :class:`DivisionsReport` with ``divisions`` rows (sport, division,
        gender, age_group, size, athletes, best_score, worst_score,
        spread_pct, merged) and ``left_over`` rows (sport, athlete,
        delegation, gender, age_group, score, reason).
    """
    params = params or DivisionParams()
    labels = tuple(age_label(lo, hi) for lo, hi in params.age_groups)
    by_sport: dict[str, list[Person]] = {}
    for p in sorted(data.people.values(), key=lambda p: p.id):
        if p.role in params.roles and p.sport and (sport is None or p.sport == sport):
            by_sport.setdefault(p.sport, []).append(p)
    report = DivisionsReport(sports=sorted(by_sport))
    for name in report.sports:
        people = by_sport[name]
        rules = data.sport(name)
        group_of = {p.id: age_group_of(age_on(p.birth_date, data.event.start_date), params.age_groups) for p in people}
        problem = solver.DivisionProblem(
            name,
            labels,
            tuple(solver.Competitor(p.id, p.gender, group_of[p.id], p.score) for p in people),
            solver.DivisionRules(
                min_size=params.min_size,
                max_size=params.max_size,
                spread_pct=rules.division_spread_pct,
                lower_is_better=rules.lower_is_better,
                merge_adjacent_age_groups=params.merge_adjacent_age_groups,
                merge_genders=params.merge_genders,
            ),
        )
        result = solver.plan_divisions(problem)
        for d in result.divisions:
            report.divisions.append(
                {
                    "sport": name,
                    "division": d.id,
                    "gender": d.gender,
                    "age_group": "/".join(d.age_groups),
                    "size": len(d.athletes),
                    "athletes": d.athletes,
                    "best_score": d.best_score,
                    "worst_score": d.worst_score,
                    "spread_pct": d.spread_pct,
                    "merged": d.merged,
                }
            )
        person = data.people
        for lo in result.left_over:
            p = person[lo.athlete]
            report.left_over.append(
                {
                    "sport": name,
                    "athlete": p.id,
                    "delegation": p.delegation,
                    "gender": p.gender,
                    "age_group": labels[group_of[p.id]],
                    "score": p.score,
                    "reason": _reason(data, lo.cause, name, params),
                }
            )
    return report
