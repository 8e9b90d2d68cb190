"""Benchmark: volunteer rosters and liaisons on the games fixture and a 20,000-volunteer variant.

Instances: the games fixture, the same with a third of its volunteers (so
places go unfilled and choices matter), and a 20,000-volunteer variant. For
each, side by side: shift places needed, the max-flow upper
bound (the most any roster could fill; with and without the chosen
liaisons), places filled and wall time of the planner, and the same for a
greedy baseline. Every plan is re-checked by ``planner.check.check_plan``.

    /work/venv/bin/python benchmarks/volunteers.py                 # both instances
    /work/venv/bin/python benchmarks/volunteers.py --only games --time-limit 60

Targets (issue 5): games within 60 s and within 1.5% of the bound; 20,000
volunteers within 5 minutes. The games data come from
``fixtures.generate.generate("games")``; when that module is missing (or has
no volunteers), a games-sized instance is synthesised here from Random(seed).
The 20,000 variant clones volunteers and scales every shift's ``needed`` by
the same factor, so demand grows with supply.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.dataset import Dataset, Delegation, Event, Hotel, Shift, Venue, Volunteer  # noqa: E402
from planner.plan import Plan  # noqa: E402
from planner.services.volunteers import VolunteerParams, build_problem, plan_volunteers  # noqa: E402
from solvers.volunteers import fill_upper_bound, greedy_plan  # noqa: E402

FOREIGN = [("en", 0.55), ("fr", 0.05), ("es", 0.05), ("ru", 0.04), ("ja", 0.03), ("ko", 0.03), ("ar", 0.02)]
FOREIGN += [("de", 0.02), ("pt", 0.01), ("it", 0.01)]


def _delegation_languages() -> list[tuple[str, str, tuple[str, ...]]]:
    try:
        from fixtures.countries import COUNTRIES

        return [(c.delegation, c.name, c.languages) for c in COUNTRIES]
    except ImportError:  # pragma: no cover - the table is part of the repo
        langs = [("en",), ("es", "en"), ("fr",), ("ar", "en"), ("ru",), ("pt",), ("zh",)]
        return [(f"D{i:03d}", f"Delegation {i}", langs[i % len(langs)]) for i in range(170)]


def synthetic_games(seed: int = 0, volunteers: int = 6000) -> Dataset:
    """A games-sized volunteer instance: 30 venues, 100 hotels, ~170 delegations, ``volunteers`` volunteers."""
    rng = random.Random(seed)
    first, last = date(2007, 10, 2), date(2007, 10, 11)
    event = Event("SH2007", "Shanghai 2007", "2007年世界夏季特奥会", first, last)
    delegations = {}
    for d_id, name, langs in _delegation_languages():
        arrive = first - timedelta(days=rng.randint(1, 4))
        leave = last + timedelta(days=rng.randint(1, 2))
        delegations[d_id] = Delegation(d_id, name, None, d_id[:3], tuple(langs), arrive, leave, None)
    venues = {
        f"V{i:02d}": Venue(f"V{i:02d}", f"Venue {i}", None, 31.2 + i / 100, 121.4 + i / 100, ("athletics",), True, 100)
        for i in range(1, 31)
    }
    hotels = {
        f"H{i:03d}": Hotel(f"H{i:03d}", f"Hotel {i}", None, 31.1 + i / 500, 121.3 + i / 500, True, 80, None, False)
        for i in range(1, 101)
    }
    vols = {}
    for i in range(volunteers):
        langs = ["zh"]
        for lang, p in FOREIGN:
            if rng.random() < p:
                langs.append(lang)
        skills = [sk for sk, p in (("first_aid", 0.08), ("driver", 0.04), ("sign_language", 0.01)) if rng.random() < p]
        r = rng.random()
        if r < 0.55:
            a, b = date(2007, 9, 27), date(2007, 10, 13)
        elif r < 0.85:
            a, b = first, last
        else:
            a = date(2007, 9, 27) + timedelta(days=rng.randint(0, 12))
            b = a + timedelta(days=rng.randint(2, 6))
        hours = rng.choices([8.0, 6.0, 10.0, 4.0], [0.7, 0.15, 0.1, 0.05])[0]
        vols[f"VOL{i:05d}"] = Volunteer(
            f"VOL{i:05d}", f"F{i}", f"G{i}", None, tuple(langs), frozenset(skills), a, b, hours
        )
    shifts: dict[str, Shift] = {}

    def add(place: str, function: str, day: date, start: int, end: int, needed: int, skills=(), languages=()) -> None:
        sid = f"{place}-{day:%m%d}-{start // 60:02d}-{function}"
        shifts[sid] = Shift(sid, place, function, day, start, end, needed, frozenset(skills), frozenset(languages))

    day = first
    while day <= last:
        competition = first < day < last
        for v_id in venues:
            if not competition:
                continue
            for start, end in ((7 * 60, 13 * 60), (13 * 60, 19 * 60)):
                add(v_id, "competition", day, start, end, rng.randint(5, 9))
                add(v_id, "medical", day, start, end, rng.randint(1, 2), skills=("first_aid",))
                add(v_id, "interpreter", day, start, end, 1, languages=(rng.choice(["en", "fr", "es", "ru", "ar"]),))
            for start in (8 * 60, 12 * 60, 16 * 60):  # 4-hour spectator shifts: some volunteers can do two
                add(v_id, "spectator_services", day, start, start + 240, rng.randint(2, 4), languages=("en",))
        if not competition:
            add("V01", "ceremony", day, 16 * 60, 22 * 60, 250)
        day += timedelta(days=1)
    day = date(2007, 9, 28)
    while day <= date(2007, 10, 13):
        for h_id in hotels:
            guests = rng.sample(sorted({lang for d in delegations.values() for lang in d.languages[:1]}), 1)
            add(h_id, "reception", day, 7 * 60, 15 * 60, 2, languages=tuple(guests) if guests[0] != "zh" else ())
            add(h_id, "reception", day, 15 * 60, 23 * 60, 1, languages=("en",))
            if rng.random() < 0.1:
                add(h_id, "transport", day, 9 * 60, 17 * 60, 1, skills=("driver",))
        day += timedelta(days=1)
    return Dataset(event, delegations, {}, hotels, [], venues=venues, volunteers=vols, shifts=shifts)


def load_games(seed: int) -> tuple[Dataset, str]:
    """The games fixture if the generator exists (and has volunteers), else the synthetic instance."""
    try:
        from fixtures.generate import generate  # type: ignore[import-not-found]
    except ImportError:
        return synthetic_games(seed), "synthetic games instance (fixtures.generate not available)"
    data = Dataset.from_workbook(generate("games", seed))
    if not data.volunteers or not data.shifts:
        return synthetic_games(seed), "synthetic games instance (games fixture has no volunteers/shifts)"
    return data, "fixtures.generate('games')"


def scale_volunteers(data: Dataset, target: int, seed: int = 0) -> Dataset:
    """A variant with ``target`` volunteers: clones (availability shifted by up to a day) and
    every shift's ``needed`` scaled by the same factor."""
    rng = random.Random(seed)
    originals = sorted(data.volunteers.values(), key=lambda v: v.id)
    factor = target / len(originals)
    vols = {}
    for i in range(target):
        v = originals[i % len(originals)]
        if i < len(originals):
            vols[v.id] = v
            continue
        shift = rng.choice((-1, 0, 0, 1))
        a = v.available_from + timedelta(days=shift)
        b = max(a, v.available_to + timedelta(days=shift))
        new_id = f"{v.id}-c{i // len(originals)}"[:64]
        vols[new_id] = replace(v, id=new_id, available_from=a, available_to=b)
    shifts = {sid: replace(s, needed=max(1, round(s.needed * factor))) for sid, s in data.shifts.items()}
    return replace(data, volunteers=vols, shifts=shifts)


def check(data: Dataset, plan: Plan) -> str:
    try:
        from planner.check import check_plan
    except ImportError:  # pragma: no cover
        return "checker missing"
    report = check_plan(data, plan, kinds=["volunteers"])
    return "ok" if report.ok else f"{len(report.violations)} violations"


def run(name: str, data: Dataset, time_limit_s: float, workers: int, seed: int, greedy: bool) -> list[str]:
    params = VolunteerParams(time_limit_s=time_limit_s, workers=workers, seed=seed)
    problem, _ = build_problem(data, params)
    needed = sum(s.needed for s in problem.shifts)
    t0 = time.monotonic()
    bound_all = fill_upper_bound(problem)
    bound_s = time.monotonic() - t0
    rows = [
        f"== {name}: {len(data.volunteers):,} volunteers, {len(data.shifts):,} shifts, "
        f"{needed:,} places, {len(data.delegations)} delegations"
    ]
    rows.append(f"   upper bound (max-flow / LP, without liaisons): {bound_all:,} places ({bound_s:.1f} s)")
    header = f"   {'method':<10} {'filled':>9} {'bound*':>9} {'gap*':>7} {'gap':>7} {'liaisons':>9} {'time s':>8} check"
    rows.append(header)
    results = []
    if greedy:
        t0 = time.monotonic()
        g = greedy_plan(problem)
        g_time = time.monotonic() - t0
        g_plan = Plan(
            roster=[{"volunteer": v, "shift": s} for v, s in g.roster],
            liaisons=[{"volunteer": v, "delegation": d} for v, d in g.liaisons],
        )
        results.append(("greedy", g.places_filled, g.fill_bound, len(g.liaisons), g_time, check(data, g_plan)))
    t0 = time.monotonic()
    out = plan_volunteers(data, params=params)
    p_time = time.monotonic() - t0
    results.append(
        (
            "planner",
            out.stats["places_filled"],
            out.stats["fill_bound"],
            out.stats["liaisons"],
            p_time,
            check(data, out.plan),
        )
    )
    for method, filled, bound, liaisons, seconds, ok in results:
        gap_given = 100 * (bound - filled) / bound if bound else 0.0
        gap_all = 100 * (bound_all - filled) / bound_all if bound_all else 0.0
        rows.append(
            f"   {method:<10} {filled:>9,} {bound:>9,} {gap_given:>6.2f}% {gap_all:>6.2f}% "
            f"{liaisons:>4}/{len(data.delegations):<4} {seconds:>8.1f} {ok}"
        )
    rows.append("   bound* = the bound given that method's liaisons (each liaison is off shifts for a whole stay);")
    rows.append("   gap = against the bound without liaisons (no plan giving every delegation a liaison reaches it)")
    rows.append(f"   planner stats: {out.stats}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["games", "scarce", "20k"], help="run one instance")
    ap.add_argument("--time-limit", type=float, default=None, help="planner time limit (default 60 s games, 300 s 20k)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--volunteers", type=int, default=20000, help="size of the scaled variant")
    ap.add_argument("--no-greedy", action="store_true")
    args = ap.parse_args(argv)
    started = time.monotonic()
    games, source = load_games(args.seed)
    print(f"games data: {source} (built in {time.monotonic() - started:.1f} s)")
    print("timings on a shared 2-core machine")
    if args.only in (None, "games"):
        for line in run("games", games, args.time_limit or 60.0, args.workers, args.seed, not args.no_greedy):
            print(line, flush=True)
    if args.only in (None, "scarce"):
        # the games data with a third of its volunteers: places go unfilled, choices matter
        rng = random.Random(args.seed)
        kept = set(rng.sample(sorted(games.volunteers), len(games.volunteers) // 3))
        scarce = replace(games, volunteers={k: v for k, v in games.volunteers.items() if k in kept})
        for line in run(
            "games, 1/3 of volunteers", scarce, args.time_limit or 60.0, args.workers, args.seed, not args.no_greedy
        ):
            print(line, flush=True)
    if args.only in (None, "20k"):
        big = scale_volunteers(games, args.volunteers, args.seed)
        name = f"{args.volunteers // 1000}k variant"
        for line in run(name, big, args.time_limit or 300.0, args.workers, args.seed, not args.no_greedy):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
