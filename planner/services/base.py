"""Shared types of the planning services: progress reports and outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.plan import Plan


@dataclass(frozen=True)
class Progress:
    """A progress report of a running solve, for the CLI and the web UI."""

    kind: str
    elapsed_s: float
    objective: float | None = None
    bound: float | None = None
    message: str = ""
    fraction: float | None = None  # 0..1 when the step count is known


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Penalty:
    """One soft rule's share of a plan's cost: why the plan costs what it costs.

    ``weight`` is the documented weight of the rule, ``amount`` the count it
    multiplies (extra hotels, minutes, ...), ``cost`` = weight x amount, and
    ``touches`` names the delegations, rooms, volunteers... involved.
    """

    rule: str
    weight: float
    amount: float
    cost: float
    touches: tuple[str, ...] = ()
    doc: str = ""


@dataclass
class PlanOutcome:
    """What a planning service returns; the runner checks and stores it."""

    kind: str
    plan: Plan
    status: str  # optimal | feasible | partial | infeasible | stopped | error
    objective: float | None = None
    bound: float | None = None
    solve_seconds: float = 0.0
    penalties: list[Penalty] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)  # re-plans: who moved and why
