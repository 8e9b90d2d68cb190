"""The volunteer solver on tiny problems: each hard rule with an allowed and a forbidden pair,
each soft rule deciding between two otherwise equal rosters, re-plans, bounds."""

from __future__ import annotations

import random
import threading
from collections import defaultdict

import pytest

from solvers.volunteers import (
    DelegationSpec,
    Preference,
    ShiftSpec,
    SolveOptions,
    VolunteerPlan,
    VolunteerProblem,
    VolunteerSpec,
    can_work,
    fill_upper_bound,
    greedy_plan,
    soft_rule_costs,
    solve_volunteers,
)

FAST = SolveOptions(time_limit_s=5, workers=1)


def vol(
    id: str, langs: str = "zh;en", skills: str = "", first: int = 0, last: int = 9, hours: int = 8
) -> VolunteerSpec:
    return VolunteerSpec(
        id, tuple(x for x in langs.split(";") if x), tuple(x for x in skills.split(";") if x), first, last, hours * 60
    )


def shift(
    id: str,
    day: int = 1,
    start: str = "08:00",
    end: str = "12:00",
    needed: int = 1,
    place: str = "V01",
    function: str = "guide",
    skills: str = "",
    langs: str = "",
    priority: int = 1,
) -> ShiftSpec:
    def minute(text: str) -> int:
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    return ShiftSpec(
        id,
        place,
        function,
        day,
        minute(start),
        minute(end),
        needed,
        tuple(x for x in skills.split(";") if x),
        tuple(x for x in langs.split(";") if x),
        priority,
    )


def solve(*, volunteers, shifts=(), delegations=(), **kw) -> VolunteerPlan:
    problem = VolunteerProblem(tuple(volunteers), tuple(shifts), tuple(delegations), **kw)
    plan = solve_volunteers(problem, FAST)
    assert_hard_rules(problem, plan)
    return plan


def assert_hard_rules(problem: VolunteerProblem, plan: VolunteerPlan) -> None:
    """Rules 10 and 11 re-checked here, independently of the solver's own bookkeeping."""
    vols = {v.id: v for v in problem.volunteers}
    shifts = {s.id: s for s in problem.shifts}
    dels = {d.id: d for d in problem.delegations}
    duty: dict[str, set[int]] = defaultdict(set)
    assert len({d for _, d in plan.liaisons}) == len(plan.liaisons), "one liaison per delegation"
    for v_id, d_id in plan.liaisons:
        v, d = vols[v_id], dels[d_id]
        assert set(v.languages) & set(d.languages)
        assert v.first_day <= d.first_day and d.last_day <= v.last_day
        stay = set(range(d.first_day, d.last_day + 1))
        assert not duty[v_id] & stay, "one delegation at a time"
        duty[v_id] |= stay
    assert len(set(plan.roster)) == len(plan.roster)
    staffed: dict[str, int] = defaultdict(int)
    day_shifts: dict[tuple[str, int], list[ShiftSpec]] = defaultdict(list)
    for v_id, s_id in plan.roster:
        v, s = vols[v_id], shifts[s_id]
        assert v.available(s.day)
        assert set(s.skills) <= set(v.skills)
        assert not s.languages or set(s.languages) & set(v.languages)
        assert s.day not in duty[v_id], "no shift during liaison duty"
        staffed[s_id] += 1
        day_shifts[(v_id, s.day)].append(s)
    for s_id, n in staffed.items():
        assert n <= shifts[s_id].needed
    for (v_id, _), worked in day_shifts.items():
        worked.sort(key=lambda s: s.start_min)
        assert sum(s.minutes for s in worked) <= vols[v_id].max_minutes_per_day
        for a, b in zip(worked, worked[1:], strict=False):
            assert a.end_min <= b.start_min, "no overlapping shifts"
    assert plan.places_filled == len(plan.roster) <= plan.fill_bound


def on(plan: VolunteerPlan, volunteer: str) -> set[str]:
    return {s for v, s in plan.roster if v == volunteer}


# ---------------------------------------------------------------- rule 10
@pytest.mark.parametrize(("shift_day", "allowed"), [(1, True), (3, False)])
def test_only_on_available_days(shift_day: int, allowed: bool) -> None:
    plan = solve(volunteers=[vol("A", first=0, last=2)], shifts=[shift("S", day=shift_day)])
    assert (("A", "S") in plan.roster) is allowed
    assert bool(plan.shift_shortages) is not allowed


@pytest.mark.parametrize(("second_start", "both"), [("12:00", True), ("11:00", False)])
def test_no_two_overlapping_shifts(second_start: str, both: bool) -> None:
    plan = solve(
        volunteers=[vol("A", hours=12)],
        shifts=[shift("S1", start="08:00", end="12:00"), shift("S2", start=second_start, end="16:00")],
    )
    assert len(on(plan, "A")) == (2 if both else 1)


@pytest.mark.parametrize(("max_hours", "both"), [(9, True), (8, False)])
def test_hours_a_day(max_hours: int, both: bool) -> None:
    plan = solve(
        volunteers=[vol("A", hours=max_hours)],
        shifts=[shift("S1", start="08:00", end="12:00"), shift("S2", start="13:00", end="18:00")],
    )
    assert len(on(plan, "A")) == (2 if both else 1)


@pytest.mark.parametrize(("skills", "allowed"), [("first_aid;driver", True), ("first_aid", False)])
def test_every_required_skill(skills: str, allowed: bool) -> None:
    plan = solve(volunteers=[vol("A", skills=skills)], shifts=[shift("S", skills="first_aid;driver")])
    assert (("A", "S") in plan.roster) is allowed


@pytest.mark.parametrize(("langs", "allowed"), [("zh;es", True), ("zh;en", False)])
def test_one_required_language(langs: str, allowed: bool) -> None:
    plan = solve(volunteers=[vol("A", langs=langs)], shifts=[shift("S", langs="fr;es")])
    assert (("A", "S") in plan.roster) is allowed


def test_never_more_than_needed() -> None:
    plan = solve(volunteers=[vol(f"A{i}") for i in range(5)], shifts=[shift("S", needed=3)])
    assert len(plan.roster) == 3
    assert not plan.shift_shortages


def test_can_work_matches_the_rule() -> None:
    a = vol("A", langs="zh;fr", skills="first_aid", first=1, last=2, hours=4)
    assert can_work(a, shift("S", skills="first_aid", langs="fr;es"))
    assert not can_work(a, shift("S", start="08:00", end="12:30"))  # longer than 4 h
    assert not can_work(a, shift("S", day=3))


# ---------------------------------------------------------------- rule 11
@pytest.mark.parametrize(("langs", "allowed"), [("zh;en", True), ("zh;fr", False)])
def test_liaison_speaks_a_delegation_language(langs: str, allowed: bool) -> None:
    plan = solve(volunteers=[vol("A", langs=langs)], delegations=[DelegationSpec("VEN", ("es", "en"), 0, 4)])
    assert (("A", "VEN") in plan.liaisons) is allowed
    assert bool(plan.liaison_shortages) is not allowed


@pytest.mark.parametrize(("last_day", "allowed"), [(4, True), (3, False)])
def test_liaison_available_for_the_whole_stay(last_day: int, allowed: bool) -> None:
    plan = solve(volunteers=[vol("A", last=last_day)], delegations=[DelegationSpec("GBR", ("en",), 0, 4)])
    assert (("A", "GBR") in plan.liaisons) is allowed


@pytest.mark.parametrize(("second_arrives", "serves_both"), [(5, True), (4, False)])
def test_liaison_serves_one_delegation_at_a_time(second_arrives: int, serves_both: bool) -> None:
    plan = solve(
        volunteers=[vol("A", last=9)],
        delegations=[DelegationSpec("GBR", ("en",), 0, 4), DelegationSpec("USA", ("en",), second_arrives, 8)],
    )
    assert len(plan.liaisons) == (2 if serves_both else 1)


@pytest.mark.parametrize(("shift_day", "allowed"), [(5, True), (4, False)])
def test_liaison_works_no_shift_during_the_stay(shift_day: int, allowed: bool) -> None:
    plan = solve(
        volunteers=[vol("A")], shifts=[shift("S", day=shift_day)], delegations=[DelegationSpec("GBR", ("en",), 0, 4)]
    )
    assert ("A", "GBR") in plan.liaisons  # a missing liaison weighs more than one empty place
    assert (("A", "S") in plan.roster) is allowed


def test_liaison_preferred_language_first() -> None:
    plan = solve(
        volunteers=[vol("EN", langs="zh;en"), vol("ES", langs="zh;es")],
        delegations=[DelegationSpec("VEN", ("es", "en"), 0, 4)],
    )
    assert plan.liaisons == (("ES", "VEN"),)
    # with only the second language available, that is used
    plan = solve(volunteers=[vol("EN", langs="zh;en")], delegations=[DelegationSpec("VEN", ("es", "en"), 0, 4)])
    assert plan.liaisons == (("EN", "VEN"),)
    assert next(c for c in plan.costs if c.rule == "liaison_language_rank").amount == 1


# Soft-rule tests run with the names both ways round, so no tie-break can pass them by luck.
BOTH_WAYS = pytest.mark.parametrize("a, b", [("A", "B"), ("B", "A")])


@BOTH_WAYS
def test_liaison_is_taken_from_volunteers_shifts_need_least(a: str, b: str) -> None:
    medic, plain = a, b
    plan = solve(
        volunteers=[vol(medic, skills="first_aid"), vol(plain)],
        shifts=[shift(f"S{d}", day=d, skills="first_aid") for d in range(3)],
        delegations=[DelegationSpec("GBR", ("en",), 0, 4)],
    )
    assert plan.liaisons == ((plain, "GBR"),)
    assert len(on(plan, medic)) == 3


# ------------------------------------------------------------- shortages
def test_too_few_speakers_is_a_shortage_not_a_failure() -> None:
    plan = solve(
        volunteers=[vol("AR", langs="zh;ar"), vol("EN1"), vol("EN2")],
        shifts=[shift("S", langs="ar", needed=3)],
        delegations=[DelegationSpec("EGY", ("ar",), 5, 6), DelegationSpec("QAT", ("ar",), 5, 6)],
    )
    assert plan.status == "partial"
    assert plan.roster == (("AR", "S"),)
    (short,) = plan.shift_shortages
    assert (short.shift, short.short, short.eligible) == ("S", 2, 1)
    (missing,) = plan.liaison_shortages
    assert (missing.speakers, missing.available) == (1, 1)
    assert next(c for c in plan.costs if c.rule == "no_liaison").amount == 1


# ------------------------------------------------------------- soft rules
@BOTH_WAYS
def test_higher_priority_is_filled_first(a: str, b: str) -> None:
    plan = solve(
        volunteers=[vol("X")],
        shifts=[
            shift(a, function="guide", priority=1),
            shift(b, function="medical", priority=5, start="09:00", end="13:00"),
        ],
    )
    assert plan.roster == (("X", b),)


@BOTH_WAYS
def test_rest_between_days(a: str, b: str) -> None:
    early, noon = a, b
    shifts = [
        shift("LATE", day=0, start="18:00", end="23:00"),
        shift(early, day=1, start="07:00", end="11:00"),
        shift(noon, day=1, start="10:00", end="14:00"),
    ]
    plan = solve(volunteers=[vol("X")], shifts=shifts)
    assert on(plan, "X") == {"LATE", noon}
    assert next(c for c in plan.costs if c.rule == "short_rest").amount == 0


@BOTH_WAYS
def test_same_place_across_days(a: str, b: str) -> None:
    shifts = [
        shift("D0", day=0, place=f"V0{a}"),
        shift("D1A", day=1, place="V0A"),
        shift("D1B", day=1, place="V0B"),
    ]
    plan = solve(volunteers=[vol("X", first=0, last=1), vol("Y", first=1, last=1)], shifts=shifts)
    assert on(plan, "X") == {"D0", f"D1{a}"}
    assert next(c for c in plan.costs if c.rule == "place_change").amount == 0


@BOTH_WAYS
def test_stated_preferences(a: str, b: str) -> None:
    shifts = [shift(a, place="V01"), shift(b, place="V02", function="usher")]
    plan = solve(volunteers=[vol("X")], shifts=shifts, preferences=(Preference("X", place="V02"),))
    assert plan.roster == (("X", b),)
    plan = solve(volunteers=[vol("X")], shifts=shifts, preferences=(Preference("X", function="guide", place="V01"),))
    assert plan.roster == (("X", a),)
    plan = solve(volunteers=[vol("X")], shifts=shifts, preferences=(Preference("X", function="usher"),))
    assert plan.roster == (("X", b),)


def test_hours_imbalance_measure() -> None:
    problem = VolunteerProblem((vol("X"), vol("Y")), (shift("D0", day=0), shift("D1", day=1)))
    one_does_all = {c.rule: c.amount for c in soft_rule_costs(problem, [("X", "D0"), ("X", "D1")], [])}
    shared = {c.rule: c.amount for c in soft_rule_costs(problem, [("X", "D0"), ("Y", "D1")], [])}
    assert one_does_all["hours_imbalance"] == 4  # X 8 h, Y 0 h: 4 h would have to change hands
    assert shared["hours_imbalance"] == 0


@BOTH_WAYS
def test_hours_are_balanced(a: str, b: str) -> None:
    plan = solve(volunteers=[vol(a), vol(b)], shifts=[shift("D0", day=0), shift("D1", day=1)])
    assert len(on(plan, a)) == len(on(plan, b)) == 1


def test_a_second_shift_goes_to_an_idle_volunteer_first() -> None:
    plan = solve(
        volunteers=[vol("X", hours=8), vol("Y", hours=8)],
        shifts=[shift("AM", start="08:00", end="12:00"), shift("PM", start="13:00", end="17:00")],
    )
    assert len(on(plan, "X")) == len(on(plan, "Y")) == 1


# --------------------------------------------------------------- re-plans
def _problem(seed: int, volunteers: int = 40, multi: bool = False) -> VolunteerProblem:
    rng = random.Random(seed)
    langs = ["en", "fr", "es", "ar"]
    vols = []
    for i in range(volunteers):
        spoken = ["zh", *rng.sample(langs, rng.choice([0, 1, 1, 2]))]
        skills = ["first_aid"] if rng.random() < 0.2 else []
        first = rng.randint(0, 2)
        vols.append(vol(f"V{i:02d}", ";".join(spoken), ";".join(skills), first, rng.randint(first, 4), 8))
    times = [("07:00", "13:00"), ("13:00", "19:00")] if not multi else [("08:00", "12:00"), ("12:00", "16:00")]
    shifts = []
    for day in range(5):
        for place in ("V01", "H01"):
            for start, end in times:
                shifts.append(shift(f"{place}-{day}-{start}-g", day, start, end, rng.randint(1, 3), place))
                shifts.append(shift(f"{place}-{day}-{start}-m", day, start, end, 1, place, "medical", "first_aid"))
                lang = rng.choice(langs)
                shifts.append(shift(f"{place}-{day}-{start}-i", day, start, end, 1, place, "interpreter", langs=lang))
    dels = (DelegationSpec("D1", ("fr", "en"), 0, 2), DelegationSpec("D2", ("es",), 1, 3))
    return VolunteerProblem(tuple(vols), tuple(shifts), dels)


def test_replan_with_nothing_changed_moves_nobody() -> None:
    problem = _problem(1)
    first = solve_volunteers(problem, FAST)
    again = solve_volunteers(
        VolunteerProblem(
            problem.volunteers,
            problem.shifts,
            problem.delegations,
            previous_roster=first.roster,
            previous_liaisons=first.liaisons,
        ),
        FAST,
    )
    assert again.moves == ()
    assert set(again.roster) == set(first.roster)
    assert set(again.liaisons) == set(first.liaisons)


def test_replan_after_dropouts_moves_few() -> None:
    problem = _problem(2, volunteers=60)
    first = solve_volunteers(problem, FAST)
    dropped = {first.roster[0][0], first.roster[-1][0]}
    remaining = tuple(v for v in problem.volunteers if v.id not in dropped)
    replanned = VolunteerProblem(
        remaining,
        problem.shifts,
        problem.delegations,
        previous_roster=first.roster,
        previous_liaisons=first.liaisons,
    )
    after = solve_volunteers(replanned, FAST)
    assert_hard_rules(replanned, after)
    lost = sum(1 for v, _ in first.roster if v in dropped)
    kept = set(first.roster) & set(after.roster)
    # everyone who stayed keeps their shifts, except a few moved to fill holes
    assert len(kept) >= len(first.roster) - lost - len(after.moves)
    assert len(after.moves) <= lost
    # and the re-plan fills as many places as a fresh plan would
    fresh = solve_volunteers(VolunteerProblem(remaining, problem.shifts, problem.delegations), FAST)
    assert after.places_filled == fresh.places_filled


def test_replan_moves_one_volunteer_to_fill_a_language_shift() -> None:
    volunteers = [vol("FR1", langs="zh;fr"), vol("FR2", langs="zh;fr"), vol("PLAIN", langs="zh")]
    shifts = [shift("FRENCH", langs="fr"), shift("GENERAL")]
    previous = (("FR1", "FRENCH"), ("FR2", "GENERAL"))
    plan = solve(volunteers=volunteers[1:], shifts=shifts, previous_roster=previous)
    assert set(plan.roster) == {("FR2", "FRENCH"), ("PLAIN", "GENERAL")}
    assert [(m.volunteer, m.before, m.after) for m in plan.moves] == [("FR2", "GENERAL", "FRENCH")]


# ------------------------------------------------------------ scale, bound
@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("multi", [False, True])
def test_random_plans_keep_the_rules_and_meet_the_bound(seed: int, multi: bool) -> None:
    problem = _problem(seed, volunteers=50, multi=multi)
    plan = solve_volunteers(problem, FAST)
    assert_hard_rules(problem, plan)
    assert plan.fill_bound <= fill_upper_bound(problem)
    # one shift a day each: the flow is exact; two: the counting CP-SAT model proves it here
    assert plan.places_filled == plan.fill_bound
    baseline = greedy_plan(problem)
    assert_hard_rules(problem, baseline)
    no_liaisons = VolunteerProblem(problem.volunteers, problem.shifts)
    assert solve_volunteers(no_liaisons, FAST).places_filled >= greedy_plan(no_liaisons).places_filled


def test_objective_is_the_sum_of_named_costs() -> None:
    plan = solve_volunteers(_problem(5), FAST)
    assert plan.objective == sum(c.weight * c.amount for c in plan.costs)
    assert {c.rule for c in plan.costs} >= {"unfilled_places", "short_rest", "place_change", "hours_imbalance"}
    unfilled = next(c for c in plan.costs if c.rule == "unfilled_places")
    assert unfilled.amount == plan.places_needed - plan.places_filled


def test_same_seed_same_plan() -> None:
    problem = _problem(6, multi=True)
    assert solve_volunteers(problem, FAST).roster == solve_volunteers(problem, FAST).roster


def test_stop_returns_a_valid_plan() -> None:
    problem = _problem(7, multi=True)
    stop = threading.Event()
    stop.set()
    plan = solve_volunteers(problem, FAST, stop=stop)
    assert plan.status == "stopped"
    assert_hard_rules(problem, plan)


def test_bad_problems_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        solve_volunteers(VolunteerProblem((vol("A"), vol("A")), ()), FAST)
    with pytest.raises(ValueError, match="end must be after start"):
        solve_volunteers(VolunteerProblem((vol("A"),), (shift("S", start="12:00", end="08:00"),)), FAST)
    with pytest.raises(ValueError):
        SolveOptions(time_limit_s=0)


def test_stop_keeps_the_previous_plan() -> None:
    problem = _problem(8)
    first = solve_volunteers(problem, FAST)
    stop = threading.Event()
    stop.set()
    replanned = VolunteerProblem(
        problem.volunteers,
        problem.shifts,
        problem.delegations,
        previous_roster=first.roster,
        previous_liaisons=first.liaisons,
    )
    again = solve_volunteers(replanned, FAST, stop=stop)
    assert again.status == "stopped"
    assert set(again.roster) == set(first.roster) and again.moves == ()
    assert_hard_rules(replanned, again)


def test_bound_knows_overlapping_shifts_cannot_both_be_worked() -> None:
    # A and B overlap; C (which X may not work) is what makes two shifts a day possible at all
    problem = VolunteerProblem(
        (vol("X", hours=12),),
        (
            shift("A", start="08:00", end="12:00"),
            shift("B", start="10:00", end="14:00"),
            shift("C", start="14:00", end="18:00", skills="driver"),
        ),
    )
    assert fill_upper_bound(problem) == 1
    assert solve_volunteers(problem, FAST).places_filled == 1
