"""Special Olympics divisioning: spread, 3-8 size, gender and age split, merging."""

from __future__ import annotations

import itertools
import random

import pytest

from planner.services.divisions import DivisionParams, age_group_of, age_on, plan_divisions
from solvers.divisions import (
    LEFT_NO_SCORE,
    LEFT_TOO_FEW,
    MIXED,
    Competitor,
    DivisionProblem,
    DivisionRules,
    best_partition,
)
from solvers.divisions import plan_divisions as divide
from tests.builders import make_dataset, person_row

AGES = ("8-11", "12-15", "16-21", "22-29", "30+")


def _problem(*athletes: tuple[str, str, int, float | None], **rules) -> DivisionProblem:
    return DivisionProblem("athletics", AGES, tuple(Competitor(*a) for a in athletes), DivisionRules(**rules))


def _members(plan) -> list[set[str]]:
    return [set(d.athletes) for d in plan.divisions]


def test_spread_rule_splits_scores_more_than_15_percent_apart():
    plan = divide(_problem(("a", "F", 2, 10.0), ("b", "F", 2, 11.0), ("c", "F", 2, 11.5), ("d", "F", 2, 12.0)))
    assert _members(plan) in ([{"a", "b", "c"}], [{"b", "c", "d"}])
    assert len(plan.left_over) == 1 and plan.left_over[0].cause == LEFT_TOO_FEW
    for d in plan.divisions:
        assert max(d.best_score, d.worst_score) <= min(d.best_score, d.worst_score) * 1.15


def test_spread_comes_from_the_rules():
    athletes = [(c, "F", 2, s) for c, s in zip("abcd", (10.0, 11.0, 11.5, 12.0), strict=True)]
    assert _members(divide(_problem(*athletes, spread_pct=25))) == [{"a", "b", "c", "d"}]


def test_divisions_have_three_to_eight_athletes():
    plan = divide(_problem(*[(f"x{i}", "M", 3, 50.0) for i in range(10)]))
    sizes = sorted(len(d.athletes) for d in plan.divisions)
    assert len(sizes) == 2 and sum(sizes) == 10 and all(3 <= s <= 8 for s in sizes)
    assert not plan.left_over
    two = divide(_problem(("a", "M", 3, 50.0), ("b", "M", 3, 50.0)))
    assert not two.divisions and {lo.athlete for lo in two.left_over} == {"a", "b"}


def test_genders_and_age_groups_are_divided_apart_when_each_is_big_enough():
    athletes = [(f"f{i}", "F", 2, 20.0) for i in range(3)]
    athletes += [(f"m{i}", "M", 2, 20.0) for i in range(3)]
    athletes += [(f"o{i}", "F", 3, 20.0) for i in range(3)]
    plan = divide(_problem(*athletes))
    assert sorted((d.gender, d.age_groups) for d in plan.divisions) == [
        ("F", ("16-21",)),
        ("F", ("22-29",)),
        ("M", ("16-21",)),
    ]
    assert all(d.merged == "" for d in plan.divisions)


def test_small_groups_merge_with_the_adjacent_age_group_first():
    athletes = [("a", "F", 2, 20.0), ("b", "F", 2, 20.5), ("c", "F", 3, 21.0), ("d", "F", 3, 20.0), ("m", "M", 2, 20.0)]
    plan = divide(_problem(*athletes))
    assert len(plan.divisions) == 1
    d = plan.divisions[0]
    assert d.gender == "F" and d.age_groups == ("16-21", "22-29") and d.merged == "age groups"
    assert set(d.athletes) == {"a", "b", "c", "d"}
    assert [lo.athlete for lo in plan.left_over] == ["m"]


def test_age_groups_two_apart_never_merge():
    plan = divide(_problem(("a", "F", 1, 20.0), ("b", "F", 1, 20.0), ("c", "F", 3, 20.0), ("d", "F", 3, 20.0)))
    assert not plan.divisions
    assert len(plan.left_over) == 4


def test_genders_merge_when_a_group_would_be_too_small():
    plan = divide(_problem(("a", "F", 2, 20.0), ("b", "F", 2, 20.5), ("c", "M", 2, 21.0), ("d", "M", 2, 20.0)))
    assert len(plan.divisions) == 1 and plan.divisions[0].gender == MIXED and plan.divisions[0].merged == "genders"
    no_mixing = divide(
        _problem(
            ("a", "F", 2, 20.0), ("b", "F", 2, 20.5), ("c", "M", 2, 21.0), ("d", "M", 2, 20.0), merge_genders=False
        )
    )
    assert not no_mixing.divisions


def test_times_put_the_fastest_division_first():
    athletes = [(c, "M", 2, t) for c, t in zip("abcdef", (13.0, 10.0, 13.5, 10.5, 14.0, 11.0), strict=True)]
    plan = divide(_problem(*athletes, lower_is_better=True))
    first, second = plan.divisions
    assert first.id.endswith("-1") and set(first.athletes) == {"b", "d", "f"}
    assert first.athletes[0] == "b" and first.best_score == 10.0 and first.worst_score == 11.0
    assert set(second.athletes) == {"a", "c", "e"}


def test_athletes_without_a_score_are_left_over():
    plan = divide(_problem(("a", "F", 2, None), ("b", "F", 2, 1.0), ("c", "F", 2, 1.0), ("d", "F", 2, 1.0)))
    assert [(lo.athlete, lo.cause) for lo in plan.left_over] == [("a", LEFT_NO_SCORE)]


@pytest.mark.parametrize("seed", range(6))
def test_runs_of_consecutive_scores_place_as_many_athletes_as_any_grouping(seed):
    rng = random.Random(seed)
    pool = [Competitor(f"p{i}", "F", 0, round(rng.uniform(10, 16), 1)) for i in range(8)]
    rules = DivisionRules(min_size=2, max_size=4)
    groups, left = best_partition(pool, rules)
    for g in groups:
        scores = [c.score for c in g]
        assert rules.min_size <= len(g) <= rules.max_size and rules.within_spread(min(scores), max(scores))
    assert len(left) == _fewest_left_over(pool, rules)


def _fewest_left_over(pool: list[Competitor], rules: DivisionRules) -> int:
    """Brute force over every set of disjoint valid groups."""
    valid = []
    for size in range(rules.min_size, rules.max_size + 1):
        for combo in itertools.combinations(range(len(pool)), size):
            scores = [pool[i].score for i in combo]
            if rules.within_spread(min(scores), max(scores)):
                valid.append(frozenset(combo))
    best = len(pool)

    def extend(used: frozenset[int], start: int) -> None:
        nonlocal best
        best = min(best, len(pool) - len(used))
        for k in range(start, len(valid)):
            if not valid[k] & used:
                extend(used | valid[k], k + 1)

    extend(frozenset(), 0)
    return best


# ------------------------------------------------------------------ service


def test_service_uses_ages_on_the_first_day_and_the_sport_spread():
    people = [
        person_row("A1", birth_date="1990-10-02", score=10.0),  # 17 on 2007-10-02
        person_row("A2", birth_date="1990-10-03", score=10.5),  # still 16
        person_row("A3", birth_date="1989-01-01", score=11.0),
        person_row("A4", birth_date="1980-01-01", score=30.0),
        person_row("C1", role="coach", score=10.0),
    ]
    data = make_dataset(people=people)
    report = plan_divisions(data, "athletics")
    assert report.sports == ["athletics"]
    assert [(d["age_group"], d["size"]) for d in report.divisions] == [("16-21", 3)]
    assert [row["athlete"] for row in report.left_over] == ["A4"]
    assert "within 15% of theirs" in report.left_over[0]["reason"]
    assert report.athletes_divided == 3
    assert age_on(data.people["A1"].birth_date, data.event.start_date) == 17
    assert age_on(data.people["A2"].birth_date, data.event.start_date) == 16


def test_age_group_lookup_and_params():
    groups = DivisionParams().age_groups
    assert [age_group_of(a, groups) for a in (6, 8, 15, 21, 29, 30, 70)] == [0, 0, 1, 2, 3, 4, 4]
    with pytest.raises(ValueError):
        DivisionParams(age_groups=((10, 20), (15, 30)))
    with pytest.raises(ValueError):
        DivisionParams(min_size=5, max_size=4)


def test_small_fixture_divisions_keep_every_rule():
    from fixtures.generate import generate
    from planner.dataset import Dataset

    data = Dataset.from_workbook(generate("small"))
    report = plan_divisions(data)
    assert report.divisions
    athletes = {p.id: p for p in data.people.values() if p.role == "athlete"}
    placed = [a for row in report.divisions for a in row["athletes"]]
    assert len(placed) == len(set(placed))
    assert set(placed) | {row["athlete"] for row in report.left_over} == {a for a, p in athletes.items() if p.sport}
    for row in report.divisions:
        members = [athletes[a] for a in row["athletes"]]
        assert 3 <= row["size"] == len(members) <= 8
        assert len({m.sport for m in members}) == 1
        if row["gender"] != MIXED:
            assert {m.gender for m in members} == {row["gender"]}
        scores = [m.score for m in members]
        spread = data.sport(row["sport"]).division_spread_pct
        assert max(scores) <= min(scores) * (1 + spread / 100) + 1e-9
