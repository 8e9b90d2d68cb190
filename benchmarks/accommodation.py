"""Accommodation benchmark: bounds, objective, gap, times, greedy baseline and a 5% re-plan.

Run (prints one table, figures side by side)::

    /work/venv/bin/python -m benchmarks.accommodation --size games --workers 2

What it measures, on the fixture of the given size:

- the plain greedy baseline (delegation by delegation, nearest approved
  hotel with room) and its objective under the same weights;
- a quick run (``--quick-limit``, default 8 s) whose plan is checked by
  ``planner.check.check_plan``: the first plan that passes the checker;
- the full run (``--time-limit``, default 60 s, ``--workers``): objective,
  the LP lower bound over every hotel (CLP), the CP-SAT bound when the whole
  model was solved with every hotel a candidate for everyone, optionally a stronger bound from the same relaxation
  with whole hotels and delegations (SCIP, ``--mip-bound-s``), the gap,
  time to the first feasible plan and to the final plan;
- a re-plan after 5% of the people change (a quarter each: removed, added,
  arrival/departure moved a day, gender corrected) with the accepted plan as
  ``previous`` (``--replan-limit``, default 12 s so that the whole re-plan stays
  within 15 s): time, people moved and how
  many of them the change forced to move.

Timings depend on the machine and on what else runs on it; say so when
quoting them.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from planner.dataset import Dataset
from planner.plan import Plan
from planner.services.accommodation import AccommodationParams, build_problem, plan_accommodation
from planner.services.base import PlanOutcome, Progress
from planner.workbook.io import Workbook
from solvers.accommodation import Weights, greedy_baseline, relaxation_bound


@dataclass
class Timeline:
    """Progress reports of one run: when the first plan came and when the last improvement did."""

    started: float
    first_plan_s: float | None = None
    last_improvement_s: float | None = None
    best: float | None = None

    def __call__(self, p: Progress) -> None:
        if p.objective is None:
            return
        if self.first_plan_s is None:
            self.first_plan_s = p.elapsed_s
        if self.best is None or p.objective < self.best - 1e-9:
            self.best = p.objective
            self.last_improvement_s = p.elapsed_s


def load(size: str, seed: int) -> Workbook:
    try:
        from fixtures.generate import generate
    except ImportError:  # pragma: no cover - the fixtures are part of the repository
        sys.exit("fixtures.generate is missing: this benchmark needs the fixture generator")
    return generate(size, seed)


def change_people(wb: Workbook, share: float, seed: int) -> tuple[Workbook, dict[str, set[str]]]:
    """A copy of the workbook with ``share`` of the people changed, a quarter each way."""
    rng = random.Random(seed)
    out = copy.deepcopy(wb)
    people = out.tables["people"]
    delegations = {d["id"]: d for d in out.tables["delegations"]}
    n = max(4, round(len(people) * share))
    chosen = rng.sample(range(len(people)), n)
    quarter = n // 4
    removed_idx = set(chosen[:quarter])
    dated = chosen[quarter : 2 * quarter]
    gendered = chosen[2 * quarter : 3 * quarter]
    templates = chosen[3 * quarter :]
    changed: dict[str, set[str]] = {"removed": set(), "added": set(), "dates": set(), "gender": set()}
    for i in dated:
        p = people[i]
        d = delegations[p["delegation"]]
        arrival = p["arrival_date"] or d["arrival_date"]
        departure = p["departure_date"] or d["departure_date"]
        if rng.random() < 0.5 and departure - arrival > timedelta(days=1):
            p["arrival_date"] = arrival + timedelta(days=1)
        else:
            p["departure_date"] = departure + timedelta(days=1)
        changed["dates"].add(p["id"])
    for i in gendered:
        people[i]["gender"] = "M" if people[i]["gender"] == "F" else "F"
        changed["gender"].add(people[i]["id"])
    added = []
    for k, i in enumerate(templates):
        new = dict(people[i])
        new["id"] = f"{new['delegation']}-N{k:03d}"
        new["gender"] = rng.choice("FM")
        added.append(new)
        changed["added"].add(new["id"])
    changed["removed"] = {people[i]["id"] for i in removed_idx}
    out.tables["people"] = [p for i, p in enumerate(people) if i not in removed_idx] + added
    out.row_numbers["people"] = list(range(2, len(out.tables["people"]) + 2))
    return out, changed


def check(data: Dataset, outcome: PlanOutcome) -> tuple[bool, str]:
    try:
        from planner.check import check_plan
    except ImportError:  # pragma: no cover
        return True, "checker missing"
    report = check_plan(data, outcome.plan, kinds=["accommodation"])
    return report.ok, "ok" if report.ok else report.format(max_examples=3)


def fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="games", choices=("small", "district", "games"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--quick-limit", type=float, default=8.0)
    ap.add_argument(
        "--replan-limit",
        type=float,
        default=12.0,
        help="solver limit of the re-plan (the wall time adds building the problem and the plan rows)",
    )
    ap.add_argument("--change", type=float, default=0.05, help="share of people changed for the re-plan")
    ap.add_argument("--mip-bound-s", type=float, default=0.0, help="also run the SCIP bound this long (0: skip)")
    args = ap.parse_args(argv)

    rows: list[tuple[str, str]] = []
    t = time.monotonic()
    wb = load(args.size, args.seed)
    data = Dataset.from_workbook(wb)
    problem = build_problem(data)
    rows.append(
        (
            "instance",
            f"{args.size}: {len(data.people):,} people, {len(problem.hotels)} approved hotels, "
            f"{len(problem.rooms):,} rooms, {sum(r.beds for r in problem.rooms):,} beds",
        )
    )
    rows.append(("data built in", f"{time.monotonic() - t:.1f} s"))

    t = time.monotonic()
    baseline, _, _ = greedy_baseline(problem, Weights())
    baseline_s = time.monotonic() - t

    quick = plan_accommodation(
        data, params=AccommodationParams(time_limit_s=args.quick_limit, workers=args.workers, seed=args.seed)
    )
    quick_ok, quick_msg = check(data, quick)

    timeline = Timeline(time.monotonic())
    t = time.monotonic()
    full = plan_accommodation(
        data,
        params=AccommodationParams(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed),
        progress=timeline,
    )
    full_wall = time.monotonic() - t
    full_ok, full_msg = check(data, full)

    mip_bound = mip_s = None
    if args.mip_bound_s > 0:
        t = time.monotonic()
        mip_bound = relaxation_bound(problem, Weights(), whole_hotels=True, time_limit_s=args.mip_bound_s)
        mip_s = time.monotonic() - t

    changed_wb, changed = change_people(wb, args.change, args.seed + 1)
    changed_data = Dataset.from_workbook(changed_wb)
    t = time.monotonic()
    again = plan_accommodation(
        changed_data,
        previous=Plan(rooming=full.plan.rooming),
        params=AccommodationParams(
            time_limit_s=args.replan_limit, workers=args.workers, seed=args.seed, lp_bound=False
        ),
        changed=set().union(*changed.values()),
    )
    replan_s = time.monotonic() - t
    replan_ok, replan_msg = check(changed_data, again)
    touched = changed["dates"] | changed["gender"]
    moved = {m["person"] for m in again.moved}
    forced = {m["person"] for m in again.moved if m["forced"]}
    unforced_unchanged = moved - touched

    lp = full.stats.get("lp_bound")
    bounds = [b for b in (lp, mip_bound) if b is not None]
    best_bound = max(bounds) if bounds else None
    gap = (full.objective - best_bound) / full.objective if best_bound and full.objective else None
    rows += [
        ("greedy baseline objective (nearest hotel)", f"{fmt(baseline)}  ({baseline_s:.1f} s)"),
        (
            f"quick run ({args.quick_limit:g} s) objective, checker",
            f"{fmt(quick.objective)}  check {'passed' if quick_ok else 'FAILED: ' + quick_msg}  wall {quick.solve_seconds:.1f} s",
        ),
        (f"full run ({args.time_limit:g} s, {args.workers} workers) objective", fmt(full.objective)),
        ("  checker", "passed" if full_ok else "FAILED: " + full_msg),
        ("  status", full.status),
        ("  LP lower bound (CLP, every hotel)", f"{fmt(lp)}  ({fmt(full.stats.get('lp_seconds'), 1)} s)"),
        (
            "  CP-SAT bound (whole model, room-per-group plans)",
            "- (neighbourhood search only)"
            if full.stats.get("cp_status") == "not_run"
            else fmt(full.stats.get("cp_bound"))
            if full.stats.get("cp_bound_is_global")
            else f"- (the model had a few candidate hotels per delegation: its {fmt(full.stats.get('cp_bound'))} bounds only those plans)",
        ),
        (
            "  relaxation bound, whole hotels (SCIP)",
            f"{fmt(mip_bound)}  ({fmt(mip_s, 1)} s)" if mip_bound is not None else "- (not run; --mip-bound-s)",
        ),
        ("  gap to best proven bound", f"{gap:.2%}" if gap is not None else "-"),
        ("  better than greedy by", f"{(baseline - full.objective) / baseline:.2%}"),
        ("  time to first feasible plan", f"{fmt(timeline.first_plan_s, 1)} s"),
        (
            "  time to final plan (last improvement)",
            f"{fmt(timeline.last_improvement_s, 1)} s  (wall {full_wall:.1f} s)",
        ),
        (
            "  neighbourhoods tried / improved",
            f"{full.stats.get('lns_iterations')} / {full.stats.get('lns_improvements')}",
        ),
        ("  penalties", "; ".join(f"{p.rule} {fmt(p.amount)}" for p in full.penalties)),
        (
            f"re-plan after {args.change:.0%} change",
            f"removed {len(changed['removed'])}, added {len(changed['added'])}, dates {len(changed['dates'])}, gender {len(changed['gender'])}",
        ),
        ("  time", f"{replan_s:.1f} s  check {'passed' if replan_ok else 'FAILED: ' + replan_msg}"),
        ("  people moved / forced by the change", f"{len(moved)} / {len(forced)}"),
        ("  moved although nothing about them changed", str(len(unforced_unchanged))),
        ("  without a bed after the re-plan", str(len(again.plan.unassigned))),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
