# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Solves whose process stopped: a run left ``running`` without a heartbeat is interrupted, a live one is not."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from planner import jobs as jobs_module
from planner.cli import main
from planner.jobs import HueyJobRunner, JobStatus
from planner.models import PlanRun, RoomAssignment, utc_now
from planner.plan import Plan
from planner.services import planning
from planner.services.base import PlanOutcome
from planner.services.planning import accept_run, interrupt_stale_runs, list_runs, run_plan
from tests.builders import make_dataset, make_workbook, rooming_row
from tests.dbhelpers import load
from tests.test_web_jobs import huey_consumer, needs_redis, redis_server, wait_until
from tests.webhelpers import app, client, login, make_app, post, web_template  # noqa: F401


def store_run(engine, *, status="running", heartbeat_age_s=None, created_age_s=0.0, rows=False) -> int:
    """A plan run as a solve leaves it; ``heartbeat_age_s=None`` stores none (runs from before heartbeats)."""
    now = utc_now()
    with Session(engine) as s:
        run = PlanRun(
            kind="accommodation",
            status=status,
            created=now - timedelta(seconds=created_age_s),
            heartbeat=None if heartbeat_age_s is None else now - timedelta(seconds=heartbeat_age_s),
            objective=12.0,
        )
        s.add(run)
        s.commit()
        s.refresh(run)
        if rows:
            data = make_dataset()
            planning.save_plan_rows(s, run.id, Plan(rooming=[rooming_row(data, "P1", "H01", "101")]))
            s.commit()
        return run.id


def status_of(engine, run_id: int) -> PlanRun:
    with Session(engine) as s:
        run = s.get(PlanRun, run_id)
        assert run is not None
        return run


# ----------------------------------------------------------------- database


def test_a_running_run_with_an_old_heartbeat_is_stored_as_interrupted(engine) -> None:
    stale = store_run(engine, heartbeat_age_s=planning.INTERRUPTED_AFTER_S + 30, created_age_s=600, rows=True)
    live = store_run(engine, heartbeat_age_s=2, created_age_s=600)
    done = store_run(engine, status="feasible", heartbeat_age_s=3600, created_age_s=3600)
    with Session(engine) as s:
        shown = {r.id: r.status for r in list_runs(s)}
    assert shown == {stale: "interrupted", live: "running", done: "feasible"}
    stored = status_of(engine, stale)
    assert stored.status == "interrupted" and not stored.accepted
    assert "start it again" in json.loads(stored.messages)[0].lower()
    with Session(engine) as s:  # the half-written plan is gone with it
        assert s.exec(select(RoomAssignment).where(RoomAssignment.run_id == stale)).first() is None
    assert status_of(engine, live).status == "running"
    assert interrupt_stale_runs(engine) == [], "marking is done once"


def test_a_run_from_before_heartbeats_counts_from_its_start(engine) -> None:
    old = store_run(engine, heartbeat_age_s=None, created_age_s=3600)
    young = store_run(engine, heartbeat_age_s=None, created_age_s=5)
    assert interrupt_stale_runs(engine) == [old]
    assert status_of(engine, young).status == "running"
    later = utc_now() + timedelta(seconds=planning.INTERRUPTED_AFTER_S)
    assert interrupt_stale_runs(engine, now=later) == [young]


def test_an_interrupted_run_cannot_be_accepted(engine) -> None:
    stale = store_run(engine, heartbeat_age_s=3600, created_age_s=3600, rows=True)
    with Session(engine) as s, pytest.raises(ValueError, match="running"):
        accept_run(s, stale)  # not yet marked: still refused
    interrupt_stale_runs(engine)
    with Session(engine) as s:
        with pytest.raises(ValueError, match="interrupted"):
            accept_run(s, stale)
        assert planning.accepted_run(s, "accommodation") is None


def fake_service(seconds: float, outcome_status: str = "feasible", raise_: BaseException | None = None):
    """A planning service that works ``seconds`` without reporting progress (a long model build)."""

    def plan_accommodation(data, *, previous, params, progress, stop, **extra):
        time.sleep(seconds)
        if raise_ is not None:
            raise raise_
        return PlanOutcome("accommodation", Plan(), outcome_status, objective=1.0, bound=1.0)

    return plan_accommodation


def test_a_live_solve_keeps_beating_and_is_never_interrupted(sqlite_engine, monkeypatch) -> None:
    monkeypatch.setattr(planning, "HEARTBEAT_S", 0.05)
    monkeypatch.setattr(planning, "INTERRUPTED_AFTER_S", 0.4)
    monkeypatch.setattr(planning, "service_for", lambda kind: fake_service(1.5))
    load(sqlite_engine, make_workbook())
    result: list[int] = []
    solve = threading.Thread(target=lambda: result.append(run_plan(sqlite_engine, "accommodation")))
    solve.start()
    seen: set[str] = set()
    beats = set()
    while solve.is_alive():  # four times the limit passes while the service says nothing
        with Session(sqlite_engine) as s:
            runs = list_runs(s)
            seen.update(r.status for r in runs)
            beats.update(r.heartbeat for r in runs if r.status == "running")
        time.sleep(0.05)
    solve.join()
    assert seen >= {"running"} and "interrupted" not in seen
    assert len(beats) >= 5, "the heartbeat is written while the service works"
    assert status_of(sqlite_engine, result[0]).status == "feasible"


def test_a_dead_solve_stops_beating_and_is_interrupted(sqlite_engine, monkeypatch) -> None:
    """The process dies in the service: nothing more is written, and the limit later the run is interrupted."""
    monkeypatch.setattr(planning, "HEARTBEAT_S", 0.05)
    monkeypatch.setattr(planning, "INTERRUPTED_AFTER_S", 0.3)
    load(sqlite_engine, make_workbook())
    frozen = threading.Event()

    def dies(data, **kwargs):  # stands for a process killed mid-solve: its heartbeat thread stops with it
        monkeypatch.setattr(planning._Heartbeat, "beat", lambda self: None)
        frozen.set()
        time.sleep(1.0)
        raise SystemExit  # the killed process never comes back; here the thread ends

    monkeypatch.setattr(planning, "service_for", lambda kind: dies)
    solve = threading.Thread(target=lambda: pytest.raises(SystemExit, run_plan, sqlite_engine, "accommodation"))
    solve.start()
    assert frozen.wait(5)
    time.sleep(0.5)
    with Session(sqlite_engine) as s:
        runs_before = {r.id: r.status for r in list_runs(s)}
    solve.join()
    assert list(runs_before.values()) == ["interrupted"]


def test_a_solve_torn_down_from_outside_is_stored_as_interrupted_at_once(sqlite_engine, monkeypatch) -> None:
    monkeypatch.setattr(planning, "service_for", lambda kind: fake_service(0.0, raise_=KeyboardInterrupt()))
    load(sqlite_engine, make_workbook())
    with pytest.raises(KeyboardInterrupt):
        run_plan(sqlite_engine, "accommodation")
    with Session(sqlite_engine) as s:
        (run,) = s.exec(select(PlanRun)).all()
    assert run.status == "interrupted" and run.heartbeat is not None


def test_a_failing_check_or_store_marks_the_run_as_error_not_running(sqlite_engine, monkeypatch) -> None:
    monkeypatch.setattr(planning, "service_for", lambda kind: fake_service(0.0))

    def broken_check(*args, **kwargs):
        raise RuntimeError("checker broke")

    monkeypatch.setattr(planning, "check_plan", broken_check)
    load(sqlite_engine, make_workbook())
    with pytest.raises(RuntimeError):
        run_plan(sqlite_engine, "accommodation")
    with Session(sqlite_engine) as s:
        (run,) = s.exec(select(PlanRun)).all()
    assert run.status == "error" and "checker broke" in run.messages


def test_cli_runs_shows_interrupted_runs(tmp_path) -> None:
    from planner.db import init_db, make_engine

    db = tmp_path / "cli.sqlite"
    engine = make_engine(db)
    init_db(engine)
    stale = store_run(engine, heartbeat_age_s=3600, created_age_s=3600)
    live = store_run(engine, heartbeat_age_s=1)
    engine.dispose()
    result = CliRunner().invoke(main, ["--db", str(db), "runs"])
    assert result.exit_code == 0, result.output
    lines = {int(line.split()[0]): line for line in result.output.splitlines() if line.strip()[:1].isdigit()}
    assert "interrupted" in lines[stale] and "start it again" in result.output.lower()
    assert "running" in lines[live] and "interrupted" not in lines[live]


# ---------------------------------------------------------------- huey jobs


def test_a_huey_job_whose_worker_went_silent_is_interrupted_a_live_one_is_not(monkeypatch) -> None:
    from huey import MemoryHuey

    runner = HueyJobRunner(MemoryHuey("planner-test", immediate=False), target_factory=lambda: None)
    now = time.time()
    silent = JobStatus("silent", "transport", state="running", started_at=now - 600, heartbeat_at=now - 300)
    live = JobStatus("live", "transport", state="running", started_at=now - 600, heartbeat_at=now - 2)
    queued = JobStatus("queued", "transport", queued_at=now - 3600)  # waits for a worker: not interrupted
    for st in (silent, live, queued):
        runner._put(st)
    got = runner.status("silent")
    assert got.state == "interrupted" and got.finished and "start it again" in got.error.lower()
    assert not runner.stop("silent"), "an interrupted job cannot be stopped"
    assert runner.status("live").state == "running"
    assert runner.status("queued").state == "queued"


def test_a_huey_worker_beats_while_its_job_runs(monkeypatch) -> None:
    from huey import MemoryHuey

    monkeypatch.setattr(jobs_module, "HEARTBEAT_S", 0.05)
    monkeypatch.setattr(jobs_module, "INTERRUPTED_AFTER_S", 0.4)
    release = threading.Event()

    def quiet(kind, params, progress, stop, by):  # no progress reports at all
        release.wait(5)
        return 5

    huey = MemoryHuey("planner-test", immediate=False)
    runner = HueyJobRunner(huey, target_factory=lambda: quiet)
    job_id = runner.start("volunteers")
    worker = threading.Thread(target=lambda: huey.execute(huey.dequeue()), daemon=True)
    worker.start()
    seen = set()
    end = time.monotonic() + 1.5  # almost four times the limit
    while time.monotonic() < end:
        seen.add(runner.status(job_id).state)
        time.sleep(0.05)
    release.set()
    worker.join(5)
    assert "running" in seen and "interrupted" not in seen
    assert runner.status(job_id).state == "done" and runner.status(job_id).run_id == 5


# ---------------------------------------------------------------------- web


def test_the_plans_pages_show_an_interrupted_run_and_refuse_to_accept_it(client, app) -> None:
    engine = app.extensions["planner.engine"]
    stale = store_run(engine, heartbeat_age_s=3600, created_age_s=3600)
    live = store_run(engine, heartbeat_age_s=1)
    login(client)
    index = client.get("/plans/").get_data(as_text=True)
    assert '<span class="error">interrupted</span>' in index
    page = client.get(f"/plans/runs/{stale}").get_data(as_text=True)
    assert "so no plan was kept" in page
    assert "Accept this plan" not in page
    assert post(client, f"/plans/runs/{stale}/accept").status_code == 409
    assert status_of(engine, stale).status == "interrupted" and not status_of(engine, stale).accepted
    live_page = client.get(f"/plans/runs/{live}").get_data(as_text=True)
    assert "so no plan was kept" not in live_page and "Accept this plan" not in live_page


def test_the_job_page_says_a_huey_job_was_interrupted(client, app) -> None:
    from huey import MemoryHuey

    runner = HueyJobRunner(MemoryHuey("planner-test", immediate=False), target_factory=lambda: None)
    now = time.time()
    runner._put(
        JobStatus("j1", "accommodation", by="chair", state="running", started_at=now - 900, heartbeat_at=now - 800)
    )
    app.extensions["planner.jobs"] = runner
    login(client)
    page = client.get("/plans/jobs/j1").get_data(as_text=True)
    assert "so no plan was kept" in page
    assert 'id="stop-form" hidden' in page
    assert client.get("/api/jobs/j1").get_json()["state"] == "interrupted"


# ------------------------------------------------- separate worker process

SLOW_WORKER = """
import time

from planner import jobs
from planner.services import planning

jobs.HEARTBEAT_S = planning.HEARTBEAT_S = 0.2


def never_ends(data, **kwargs):
    time.sleep(600)


planning.service_for = lambda kind: never_ends
huey = jobs.huey
"""


@pytest.mark.slow
@needs_redis
def test_a_solve_on_a_killed_huey_worker_process_is_interrupted(app, tmp_path, monkeypatch) -> None:
    """The web app and a worker process share Redis and the database; the worker is killed mid-solve."""
    app.extensions["planner.engine"].dispose()
    (tmp_path / "slow_worker.py").write_text(SLOW_WORKER)
    monkeypatch.setattr(jobs_module, "INTERRUPTED_AFTER_S", 1.5)
    monkeypatch.setattr(planning, "INTERRUPTED_AFTER_S", 1.5)
    with redis_server(tmp_path) as url:
        web = make_app(tmp_path, JOBS_BACKEND="huey", HUEY_URL=url)
        client = web.test_client()
        login(client)
        job_id = (
            post(client, "/plans/accommodation/solve", {"time_limit_s": "60"}).headers["Location"].rsplit("/", 1)[1]
        )

        def job():
            return client.get(f"/api/jobs/{job_id}").get_json()

        def run_states():
            return [r["status"] for r in client.get("/api/plans").get_json()]

        env = {"PLANNER_HUEY_URL": url, "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite'}"}
        with huey_consumer("slow_worker.huey", env, tmp_path / "worker.log", pythonpath=[tmp_path]) as worker:
            assert wait_until(lambda: job()["state"] == "running" and run_states() == ["running"], 30), (
                tmp_path / "worker.log"
            ).read_text()
            end = time.monotonic() + 2 * 1.5  # alive: twice the limit passes without a word from the solver
            while time.monotonic() < end:
                assert job()["state"] == "running" and run_states() == ["running"]
                time.sleep(0.2)
            worker.kill()
            worker.wait(5)
            # the job's status (in Redis) and its run (in the database) each fall silent
            assert wait_until(lambda: job()["state"] == "interrupted", 5)
            assert wait_until(lambda: run_states() == ["interrupted"], 5)
        assert job()["finished"]
        with Session(web.extensions["planner.engine"]) as s:
            (run,) = s.exec(select(PlanRun)).all()
        assert "so no plan was kept" in client.get(f"/plans/runs/{run.id}").get_data(as_text=True)
        assert post(client, f"/plans/runs/{run.id}/accept").status_code == 409
        assert "so no plan was kept" in client.get(f"/plans/jobs/{job_id}").get_data(as_text=True)
        web.extensions["planner.engine"].dispose()
