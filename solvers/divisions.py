"""Special Olympics divisioning: groups of 3-8 athletes of like gender, age and ability.

Rules implemented (after the Special Olympics sports rules for individual
events):

1. A division has ``min_size`` to ``max_size`` athletes (3-8).
2. Its athletes have one gender and one age group.
3. Its best and worst scores differ by at most ``spread_pct`` percent of the
   lower score (the "15% rule"): ``highest <= lowest * (1 + spread_pct/100)``.
   The test is the same for times (``lower_is_better``) and for distances or
   points; ``lower_is_better`` only decides which end of a division is its
   best and which division is the strongest.

Athletes are first divided within their own gender and age group. Where that
leaves athletes over (a group too small, or a score too far from everyone
else's), the rules allow merging, in this order:

4. *Adjacent age groups*, same gender: the athletes left over in one age
   group are divided together with those left over in the next older group.
   Athletes are never merged across two age-group boundaries.
5. *Mixed gender*, same (or adjacent) age group: athletes still left over
   are divided with those of the other gender, the same way.

The spread rule and the size limits hold for merged divisions too. Athletes
still left over are returned with the reason.

Within one pool, the best division into groups is computed exactly: among
partitions into *runs of consecutive scores* (an optimal grouping can always
be taken so, since swapping athletes between interleaved groups never widens
a spread) a dynamic program chooses, in this order, the fewest athletes left
over, the fewest divisions, and the smallest total spread. The staged
merging is not globally optimal: an athlete placed in step 1 is not
reconsidered in steps 4-5.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

MIXED = "mixed"

# Causes of an athlete left over.
LEFT_NO_SCORE = "no_score"
LEFT_TOO_FEW = "too_few"  # fewer than min_size athletes could be grouped with them, even after merging


@dataclass(frozen=True)
class Competitor:
    """An athlete to be divided."""

    id: str
    gender: str  # "F" or "M"
    age_group: int  # index into DivisionProblem.age_groups
    score: float | None


@dataclass(frozen=True)
class DivisionRules:
    """Division sizes, spread, and which merges are allowed."""

    min_size: int = 3
    max_size: int = 8
    spread_pct: float = 15.0
    lower_is_better: bool = False
    merge_adjacent_age_groups: bool = True
    merge_genders: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.min_size <= self.max_size:
            raise ValueError("need 1 <= min_size <= max_size")
        if self.spread_pct < 0:
            raise ValueError("spread_pct must be >= 0")

    def within_spread(self, low: float, high: float) -> bool:
        """Whether scores ``low <= high`` may share a division."""
        return high - low <= self.spread_pct / 100 * abs(low) + 1e-9


@dataclass(frozen=True)
class DivisionProblem:
    """One sport's athletes and the divisioning rules."""

    sport: str
    age_groups: tuple[str, ...]  # labels, youngest first
    competitors: tuple[Competitor, ...]
    rules: DivisionRules = field(default_factory=DivisionRules)

    def __post_init__(self) -> None:
        if len({c.id for c in self.competitors}) != len(self.competitors):
            raise ValueError("competitor ids must be unique")
        for c in self.competitors:
            if not 0 <= c.age_group < len(self.age_groups):
                raise ValueError(f"{c.id}: age group {c.age_group} out of range")


@dataclass(frozen=True)
class Division:
    """A division: athletes best first."""

    id: str
    gender: str  # F, M or mixed
    age_groups: tuple[str, ...]  # one group, or two adjacent ones when merged
    athletes: tuple[str, ...]
    best_score: float
    worst_score: float
    spread_pct: float
    merged: str  # "" | "age groups" | "genders"


@dataclass(frozen=True)
class LeftOver:
    """An athlete in no division, and why (a ``LEFT_*`` cause)."""

    athlete: str
    cause: str


@dataclass(frozen=True)
class DivisionPlan:
    """Divisions (strongest first within each gender and age group) and athletes left over."""

    sport: str
    divisions: tuple[Division, ...]
    left_over: tuple[LeftOver, ...]


def best_partition(
    scored: Sequence[Competitor], rules: DivisionRules
) -> tuple[list[list[Competitor]], list[Competitor]]:
    """Exact grouping of one pool into divisions by the dynamic program described above.

    Returns (groups, left over); groups are lists of competitors in score order.
    """
    pool = sorted(scored, key=lambda c: (c.score, c.id))  # type: ignore[arg-type,return-value]
    n = len(pool)
    inf = (n + 1, n + 1, float("inf"))
    # best[i] = (left over, divisions, total spread) for the first i athletes, and how it ends
    best: list[tuple[int, int, float]] = [inf] * (n + 1)
    back: list[int | None] = [None] * (n + 1)  # start of the last group, or None = athlete i-1 left over
    best[0] = (0, 0, 0.0)
    for i in range(1, n + 1):
        left, divs, spread = best[i - 1]
        best[i], back[i] = (left + 1, divs, spread), None
        for size in range(rules.min_size, min(rules.max_size, i) + 1):
            j = i - size
            low, high = pool[j].score, pool[i - 1].score
            assert low is not None and high is not None
            if not rules.within_spread(low, high):
                break  # a bigger group only widens the spread
            prev = best[j]
            width = (high - low) / abs(low) if low else 0.0
            candidate = (prev[0], prev[1] + 1, prev[2] + width)
            if candidate < best[i]:
                best[i], back[i] = candidate, j
    groups: list[list[Competitor]] = []
    left_over: list[Competitor] = []
    i = n
    while i > 0:
        start = back[i]
        if start is None:
            left_over.append(pool[i - 1])
            i -= 1
        else:
            groups.append(pool[start:i])
            i = start
    groups.reverse()
    left_over.reverse()
    return groups, left_over


def plan_divisions(problem: DivisionProblem) -> DivisionPlan:
    """Divide one sport's athletes (see the module docstring for the rules)."""
    rules = problem.rules
    labels = problem.age_groups
    left_over: list[LeftOver] = [LeftOver(c.id, LEFT_NO_SCORE) for c in problem.competitors if c.score is None]
    scored = [c for c in problem.competitors if c.score is not None]
    made: list[tuple[str, tuple[int, ...], list[Competitor], str]] = []  # (gender, age groups, athletes, merged)

    # 1. within gender and age group
    remaining: dict[tuple[str, int], list[Competitor]] = defaultdict(list)
    by_group: dict[tuple[str, int], list[Competitor]] = defaultdict(list)
    for c in scored:
        by_group[(c.gender, c.age_group)].append(c)
    for (gender, age), pool in sorted(by_group.items()):
        groups, rest = best_partition(pool, rules)
        made.extend((gender, (age,), g, "") for g in groups)
        remaining[(gender, age)] = rest

    # 4. adjacent age groups, same gender
    if rules.merge_adjacent_age_groups:
        for gender in sorted({g for g, _ in remaining}):
            carried: list[Competitor] = []  # left over in the next younger age group
            for age in range(len(labels)):
                own = remaining.get((gender, age), [])
                if carried and own:
                    groups, rest = best_partition(carried + own, rules)
                    for g in groups:
                        ages = tuple(sorted({c.age_group for c in g}))
                        made.append((gender, ages, g, "age groups" if len(ages) > 1 else ""))
                    still = {c.id for c in rest}
                    remaining[(gender, age - 1)] = [c for c in carried if c.id in still]
                    remaining[(gender, age)] = [c for c in own if c.id in still]
                carried = remaining.get((gender, age), [])

    # 5. mixed gender, same age group (or adjacent, when step 4 is allowed)
    leftovers_by_age: dict[int, list[Competitor]] = defaultdict(list)
    for rest in remaining.values():
        for c in rest:
            leftovers_by_age[c.age_group].append(c)
    carried = []
    for age in range(len(labels)):
        own = leftovers_by_age.get(age, [])
        if rules.merge_genders and own:
            groups, rest = best_partition(carried + own, rules)
            for g in groups:
                ages = tuple(sorted({c.age_group for c in g}))
                genders = {c.gender for c in g}
                if len(genders) > 1:
                    made.append((MIXED, ages, g, "genders"))
                else:
                    made.append((next(iter(genders)), ages, g, "age groups" if len(ages) > 1 else ""))
        else:
            rest = carried + own
        still = {c.id for c in rest}
        left_over.extend(LeftOver(c.id, LEFT_TOO_FEW) for c in carried if c.id in still)
        carried = [c for c in own if c.id in still] if rules.merge_adjacent_age_groups else []
        if not rules.merge_adjacent_age_groups:
            left_over.extend(LeftOver(c.id, LEFT_TOO_FEW) for c in own if c.id in still)
    left_over.extend(LeftOver(c.id, LEFT_TOO_FEW) for c in carried)

    divisions = _name_divisions(problem, made)
    return DivisionPlan(problem.sport, tuple(divisions), tuple(sorted(left_over, key=lambda lo: lo.athlete)))


def _name_divisions(
    problem: DivisionProblem, made: list[tuple[str, tuple[int, ...], list[Competitor], str]]
) -> list[Division]:
    """Divisions with ids, strongest first within each gender and age label."""
    rules = problem.rules
    labels = problem.age_groups
    keyed: dict[tuple[str, tuple[int, ...]], list[tuple[list[Competitor], str]]] = defaultdict(list)
    for gender, ages, group, merged in made:
        keyed[(gender, ages)].append((group, merged))
    out: list[Division] = []
    gender_order = {"F": 0, "M": 1, MIXED: 2}
    for (gender, ages), groups in sorted(
        keyed.items(), key=lambda kv: (kv[0][1], gender_order.get(kv[0][0], 3), kv[0][0])
    ):
        label = "/".join(labels[a] for a in ages)

        def strength(item: tuple[list[Competitor], str]) -> float:
            scores = [c.score for c in item[0] if c.score is not None]
            return min(scores) if rules.lower_is_better else -max(scores)

        for k, (group, merged) in enumerate(sorted(groups, key=strength), start=1):
            ordered = sorted(group, key=lambda c: (c.score if rules.lower_is_better else -(c.score or 0.0), c.id))
            scores = [c.score for c in ordered if c.score is not None]
            low, high = min(scores), max(scores)
            out.append(
                Division(
                    f"{problem.sport}-{gender}-{label}-{k}",
                    gender,
                    tuple(labels[a] for a in ages),
                    tuple(c.id for c in ordered),
                    scores[0],
                    scores[-1],
                    round((high - low) / abs(low) * 100, 2) if low else 0.0,
                    merged,
                )
            )
    return out
