"""Run a planning area end to end: load -> map -> solve -> check -> save -> (accept).

Each planning kind has a service ``planner.services.<kind>.plan_<kind>``
returning a :class:`~planner.services.base.PlanOutcome`. This module owns the
transactions around it: the run is recorded as ``running`` first (so the UI
can show it), progress is written to it while the solver works, and the plan
rows are saved in one short write transaction at the end. At most one run per
kind is accepted: the plan in force.

A running solve writes a heartbeat (``PlanRun.heartbeat``) every
:data:`~planner.jobs.HEARTBEAT_S` (5) seconds from a thread of its own. When the process doing
the solve stops (the web server with the thread runner, or a huey worker on
another machine) the heartbeat stops with it, and a ``running`` run whose
heartbeat is older than :data:`~planner.jobs.INTERRUPTED_AFTER_S` (60 s) is stored as
``interrupted`` the next time runs are listed (:func:`interrupt_stale_runs`).
An interrupted run has no plan rows and cannot be accepted: start it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from planner.check import check_plan
from planner.dataset import Dataset
from planner.jobs import HEARTBEAT_S, INTERRUPTED_AFTER_S
from planner.messages import N_, NUMBER, Template
from planner.models import PLAN_TABLES, Pin, PlanRun, utc_now
from planner.plan import KIND_FILES, KINDS, Plan
from planner.services.base import PlanOutcome, Progress, ProgressCallback
from planner.services.workbook import load_dataset

log = logging.getLogger(__name__)

# The order in which `planner solve` runs the kinds: people ride from where they sleep.
SOLVE_ORDER = ("accommodation", "transport", "volunteers")

# The hard rules of FORMAT.md each planning area answers for.
RULES_OF: dict[str, tuple[int, ...]] = {
    "accommodation": (1, 2, 3, 4, 5),
    "transport": (6, 7, 8, 9),
    "volunteers": (10, 11),
}


class NotBuiltYet(RuntimeError):
    """A planning area whose solver is not part of this version."""


class UnknownRun(LookupError):
    """No plan run with that id."""


NO_LONGER_PASSES = Template(
    N_(
        "plan run %(run)s no longer passes the independent check on the data as it is now "
        "(hard-rule violations: %(count)s; the run's check lists them): plan again"
    ),
    run=NUMBER,
    count=NUMBER,
)

MESSAGES: tuple[Template, ...] = (NO_LONGER_PASSES,)


class PlanNoLongerPasses(ValueError):
    """The run's plan breaks a hard rule on the data as it is now (people, hotels or rooms changed since)."""


# Files of other areas whose accepted rows an area's rules read: people ride from the hotel they sleep in.
AREA_READS: dict[str, tuple[str, ...]] = {"transport": ("rooming",)}


def check_area(data: Dataset, kind: str, plan: Plan, others: Plan) -> tuple[int, str]:
    """How many times one area's plan breaks its hard rules or its files' consistency; the checker's summary.

    Only the other areas' rows this area's rules read (``AREA_READS``) are
    checked alongside, as given: what is stale in another area's plan is that
    area's to mend, and never keeps this area's plan from being accepted.
    """
    context = Plan()
    for file in AREA_READS.get(kind, ()):
        context.table(file).extend(others.table(file))
    report = check_plan(data, context.merge(plan), kinds=[kind])
    own = [v for v in report.violations if v.rule in RULES_OF[kind] or v.rule == 0]
    return len(own), report.format(max_examples=5) if own else "ok"


def service_for(kind: str) -> Callable[..., PlanOutcome]:
    """The ``plan_<kind>`` function of a planning area."""
    if kind not in KINDS:
        raise ValueError(f"unknown planning kind {kind!r}; choose one of {', '.join(KINDS)}")
    name = f"planner.services.{kind}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise NotBuiltYet(f"the {kind} planner is not built yet") from None
        raise
    return getattr(module, f"plan_{kind}")  # type: ignore[no-any-return]


# The validated parameter dataclass each planning service takes.
PARAMS_CLASSES: dict[str, str] = {
    "accommodation": "AccommodationParams",
    "transport": "TransportParams",
    "volunteers": "VolunteerParams",
}


def params_for(kind: str, overrides: dict[str, Any]) -> Any:
    """The kind's parameter dataclass with ``overrides`` applied (validated by the dataclass)."""
    service_for(kind)  # says plainly when the area is not built
    cls = getattr(importlib.import_module(f"planner.services.{kind}"), PARAMS_CLASSES[kind])
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(overrides) - names
    if unknown:
        raise ValueError(f"unknown {kind} parameter(s): {', '.join(sorted(unknown))}")
    return cls(**overrides)


# ------------------------------------------------------------ plan storage


def plan_of_run(session: Session, run_id: int) -> Plan:
    """The rows a plan run stored, as a :class:`Plan`."""
    plan = Plan()
    for file, (model, names) in PLAN_TABLES.items():
        back = {v: k for k, v in names.items()}
        rows = session.exec(select(model).where(model.run_id == run_id).order_by(model.pk))  # type: ignore[attr-defined]
        table = plan.table(file)
        for obj in rows:
            d = obj.model_dump(exclude={"pk", "run_id"})
            table.append({back.get(k, k): v for k, v in d.items()})
    return plan


def save_plan_rows(session: Session, run_id: int, plan: Plan) -> None:
    for file, (model, names) in PLAN_TABLES.items():
        for row in plan.table(file):
            session.add(model(run_id=run_id, **{names.get(k, k): v for k, v in row.items()}))


def accepted_run(session: Session, kind: str) -> PlanRun | None:
    return session.exec(select(PlanRun).where(PlanRun.kind == kind, PlanRun.accepted == True)).first()  # noqa: E712


def accepted_plan(session: Session, kind: str | None = None) -> Plan:
    """The accepted plan of one kind, or of every kind merged."""
    plan = Plan()
    for k in [kind] if kind else KINDS:
        run = accepted_run(session, k)
        if run is not None and run.id is not None:
            plan = plan.merge(plan_of_run(session, run.id).only(k))
    return plan


def accept_run(session: Session, run_id: int, *, recheck: bool = True) -> PlanRun:
    """Make a run the accepted plan of its kind (the previous one is kept, no longer accepted).

    The run's plan is checked again on the data as it is now (``recheck``):
    people, hotels or rooms may have changed since it was made, also while it
    was being solved. A plan that no longer passes is not accepted
    (:class:`PlanNoLongerPasses`); the run's check then says why.
    """
    run = session.get(PlanRun, run_id)
    if run is None:
        raise UnknownRun(f"no plan run {run_id}")
    if run.status in ("running", "error", "interrupted"):
        raise ValueError(f"plan run {run_id} is {run.status} and cannot be accepted")
    if recheck:
        others = Plan()
        for k in KINDS:
            if k != run.kind:
                others = others.merge(accepted_plan(session, k))
        plan = plan_of_run(session, run_id).only(run.kind)
        problems, summary = check_area(load_dataset(session), run.kind, plan, others)
        run.check_ok, run.check_summary = not problems, summary  # the run's check says how it stands now
        if problems:
            session.add(run)
            session.commit()
            raise PlanNoLongerPasses(str(NO_LONGER_PASSES(run=run_id, count=problems)))
    for other in session.exec(select(PlanRun).where(PlanRun.kind == run.kind, PlanRun.accepted == True)):  # noqa: E712
        other.accepted = False
        session.add(other)
    run.accepted = True
    session.add(run)
    session.commit()
    return run


def list_runs(session: Session, kind: str | None = None) -> list[PlanRun]:
    """Plan runs, newest first; runs whose solve stopped with its process are stored as interrupted first."""
    interrupt_stale_runs(session.get_bind())
    q = select(PlanRun).order_by(PlanRun.id.desc())  # type: ignore[union-attr]
    if kind:
        q = q.where(PlanRun.kind == kind)
    return list(session.exec(q))


def compare_runs(session: Session, run_id: int, base_id: int | None = None) -> dict[str, Any]:
    """What a run changes against the accepted run of its kind (or ``base_id``)."""
    run = session.get(PlanRun, run_id)
    if run is None:
        raise UnknownRun(f"no plan run {run_id}")
    if base_id is None:
        base = accepted_run(session, run.kind)
        base_id = base.id if base else None
    new = plan_of_run(session, run_id).only(run.kind)
    old = plan_of_run(session, base_id).only(run.kind) if base_id else Plan()
    base_run = session.get(PlanRun, base_id) if base_id else None
    out: dict[str, Any] = {
        "run": run_id,
        "base": base_id,
        "objective": run.objective,
        "base_objective": base_run.objective if base_run else None,
        "unassigned": len(new.unassigned),
        "base_unassigned": len(old.unassigned),
        "changes": [],
    }
    # Per file: what identifies an assignment, and what it assigns.
    keyed: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
        "rooming": ("person", lambda r: f"{r['hotel']}/{r['room']}"),
        "liaisons": ("delegation", lambda r: str(r["volunteer"])),
    }
    for file in KIND_FILES[run.kind]:
        if file in keyed:
            field, value = keyed[file]
            a = {r[field]: value(r) for r in old.table(file)}
            b = {r[field]: value(r) for r in new.table(file)}
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    out["changes"].append({"file": file, "id": k, "from": a.get(k), "to": b.get(k)})
        elif file == "roster":
            a_set = {(r["volunteer"], r["shift"]) for r in old.roster}
            b_set = {(r["volunteer"], r["shift"]) for r in new.roster}
            for v, sh in sorted(a_set - b_set):
                out["changes"].append({"file": file, "id": v, "from": sh, "to": None})
            for v, sh in sorted(b_set - a_set):
                out["changes"].append({"file": file, "id": v, "from": None, "to": sh})
        else:  # trips are rebuilt as a whole: report their count
            out["changes"].append({"file": file, "id": "*", "from": len(old.table(file)), "to": len(new.table(file))})
    return out


# ------------------------------------------------------- interrupted runs

# A running solve writes its heartbeat every HEARTBEAT_S seconds (5); a ``running`` run whose heartbeat is
# older than INTERRUPTED_AFTER_S (60: twelve missed beats) is interrupted. The same limits as the jobs'.
INTERRUPTED_MESSAGE = (
    "The solve stopped when the server (or the job worker) running it stopped; no plan was kept. Start it again."
)


def _stale(cutoff: datetime) -> Any:
    # runs stored before heartbeats existed have none: their start time counts instead
    heartbeat = col(PlanRun.heartbeat)
    return and_(
        col(PlanRun.status) == "running",
        or_(heartbeat < cutoff, and_(heartbeat.is_(None), col(PlanRun.created) < cutoff)),
    )


def interrupt_stale_runs(bind: Engine | Connection, *, now: datetime | None = None) -> list[int]:
    """Store every ``running`` run without a heartbeat for ``INTERRUPTED_AFTER_S`` (60 s) as ``interrupted``.

    Works whichever process ran the solve: it reads only the database. Plan
    rows of such a run (there should be none: they are written with the final
    status in one transaction) are removed, so nothing half-written can be
    accepted or downloaded. Runs in its own short transaction; returns the ids.
    """
    cutoff = (now or utc_now()) - timedelta(seconds=INTERRUPTED_AFTER_S)
    done = []
    with Session(bind) as s:
        candidates = [i for i in s.exec(select(PlanRun.id).where(_stale(cutoff))) if i is not None]
        if not candidates:
            return []
        try:
            for run_id in candidates:
                # conditional: a solve that came back to life (or finished) meanwhile is left alone
                result = s.execute(
                    update(PlanRun)
                    .where(col(PlanRun.id) == run_id, _stale(cutoff))
                    .values(status="interrupted", accepted=False, messages=json.dumps([INTERRUPTED_MESSAGE]))
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    for model, _names in PLAN_TABLES.values():
                        s.execute(delete(model).where(model.run_id == run_id))  # type: ignore[attr-defined]
                    done.append(run_id)
            s.commit()
        except OperationalError:  # the database is busy: listing goes on, the next listing marks them
            log.warning("could not mark plan runs %s interrupted now", candidates, exc_info=True)
            return []
    if done:
        log.warning("plan runs %s stopped with their process and are now marked interrupted", done)
    return done


class _Heartbeat:
    """Writes ``PlanRun.heartbeat`` every :data:`HEARTBEAT_S` seconds from a thread, while a solve runs."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        self._engine = engine
        self._run_id = run_id
        self._every = HEARTBEAT_S
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-run-{run_id}", daemon=True)

    def beat(self) -> None:
        with Session(self._engine) as s:
            s.execute(
                update(PlanRun)
                .where(col(PlanRun.id) == self._run_id, col(PlanRun.status) == "running")
                .values(heartbeat=utc_now())
            )
            s.commit()

    def _beat(self) -> None:
        while not self._done.wait(self._every):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a busy database: the next beat tries again
                log.warning("heartbeat of plan run %s not written", self._run_id, exc_info=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()


def _mark(engine: Engine, run_id: int, status: str, message: str, started: float) -> None:
    with Session(engine) as s:
        r = s.get(PlanRun, run_id)
        if r is None:
            return
        r.status = status
        r.messages = json.dumps([message], ensure_ascii=False)
        r.solve_seconds = time.monotonic() - started
        s.add(r)
        s.commit()


# ---------------------------------------------------------------- running


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def person_digests(data: Dataset) -> dict[str, str]:
    """A short digest per person of every field the accommodation plan depends on."""
    out = {}
    for p in data.people.values():
        text = "|".join(
            (
                p.delegation,
                p.role,
                p.gender,
                ";".join(sorted(p.needs)),
                p.arrival_date.isoformat(),
                p.departure_date.isoformat(),
            )
        )
        out[p.id] = hashlib.blake2s(text.encode(), digest_size=6).hexdigest()
    return out


def changed_people(session: Session, data: Dataset, digests: dict[str, str]) -> list[str]:
    """People whose planning fields changed since the accepted accommodation plan (or who are new)."""
    run = accepted_run(session, "accommodation")
    if run is None or not run.input_digest:
        return []
    before: dict[str, str] = json.loads(run.input_digest)
    return sorted(pid for pid, d in digests.items() if before.get(pid) != d)


def solve_inputs(session: Session, kind: str, data: Dataset) -> dict[str, Any]:
    """Keyword arguments a kind's service needs beyond the data: accepted plans it builds on, pins."""
    extra: dict[str, Any] = {}
    if kind == "accommodation":
        extra["pins"] = [(p.person, p.hotel, p.room) for p in session.exec(select(Pin))]
        extra["changed"] = changed_people(session, data, person_digests(data))
    if kind == "transport":
        rooming = accepted_plan(session, "accommodation").rooming
        if not rooming:
            raise NotBuiltYet(
                "transport needs an accepted accommodation plan: run `planner solve --only accommodation` first"
            )
        extra["rooming"] = rooming
    return extra


def run_plan(
    engine: Engine,
    kind: str,
    *,
    params: Any = None,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    by: str | None = None,
    accept: bool = False,
    run_id: int | None = None,
) -> int:
    """Solve one planning area on the stored data, check and store the plan; return the run id.

    The run is stored even when the solver fails (status ``error``, message
    kept); when the solve is torn down from outside (``KeyboardInterrupt``,
    ``SystemExit``) it is stored as ``interrupted``, and when its process dies
    without a word its heartbeat stops (see :func:`interrupt_stale_runs`).
    With ``accept=True`` a plan that passes the checker becomes the accepted
    plan of its kind.
    """
    service = service_for(kind)
    with Session(engine) as session:
        data = load_dataset(session)
        previous_accepted = accepted_plan(session, kind)
        extra = solve_inputs(session, kind, data)
        others = Plan()
        for k in KINDS:
            if k != kind:
                others = others.merge(accepted_plan(session, k))
        made_by_caller = run_id is not None
        if run_id is None:
            run = PlanRun(
                kind=kind,
                created_by=by,
                status="running",
                heartbeat=utc_now(),
                parameters=json.dumps(_jsonable(params)),
            )
            session.add(run)
            session.commit()
            session.refresh(run)
            assert run.id is not None
            run_id = run.id
    heartbeat = _Heartbeat(engine, run_id)
    if made_by_caller:
        heartbeat.beat()  # its heartbeat starts now

    last_write = [0.0]

    def on_progress(p: Progress) -> None:
        if progress is not None:
            progress(p)
        now = time.monotonic()
        if now - last_write[0] >= 1.0:  # keep writes short and rare
            last_write[0] = now
            with Session(engine) as s:
                r = s.get(PlanRun, run_id)
                if r is not None:
                    r.progress = json.dumps(_jsonable(p))
                    r.objective, r.bound = p.objective, p.bound
                    r.heartbeat = utc_now()
                    s.add(r)
                    s.commit()

    started = time.monotonic()
    try:
        with heartbeat:
            outcome = service(
                data,
                previous=previous_accepted if any(previous_accepted.table(f) for f in KIND_FILES[kind]) else None,
                params=params,
                progress=on_progress,
                stop=stop,
                **extra,
            )
            plan = outcome.plan.only(kind)
            problems, check_summary = check_area(data, kind, plan, others)
            with Session(engine) as s:  # the plan rows and the final status: one transaction
                r = s.get(PlanRun, run_id)
                assert r is not None
                save_plan_rows(s, run_id, plan)
                r.status = outcome.status
                r.objective = outcome.objective
                r.bound = outcome.bound
                r.solve_seconds = outcome.solve_seconds or (time.monotonic() - started)
                r.penalties = json.dumps(_jsonable(outcome.penalties), ensure_ascii=False)
                r.stats = json.dumps(_jsonable(outcome.stats), ensure_ascii=False)
                r.messages = json.dumps(outcome.messages, ensure_ascii=False)
                r.moved = json.dumps(_jsonable(outcome.moved), ensure_ascii=False)
                if kind == "accommodation":
                    r.input_digest = json.dumps(person_digests(data), separators=(",", ":"))
                r.check_ok, r.check_summary = not problems, check_summary
                r.heartbeat = utc_now()
                s.add(r)
                s.commit()
    except Exception as exc:
        _mark(engine, run_id, "error", f"{type(exc).__name__}: {exc}", started)
        raise
    except BaseException:  # torn down from outside (Ctrl-C, a worker shutting down): say so, keep nothing
        try:
            _mark(engine, run_id, "interrupted", INTERRUPTED_MESSAGE, started)
        except Exception:  # noqa: BLE001 - the heartbeat then tells
            log.warning("plan run %s could not be marked interrupted", run_id, exc_info=True)
        raise
    if accept and not problems:
        # checked again on the data as it is now: it may have changed while the solver ran
        with Session(engine) as s:
            try:
                accept_run(s, run_id)
            except PlanNoLongerPasses:
                log.info("plan run %s was not accepted: the data changed while it was solved", run_id)
    return run_id
