"""The background job runner: start, poll, stop, failures, huey backend."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.jobs import (
    FolderFiles,
    HueyFiles,
    HueyJobRunner,
    JobStatus,
    ThreadJobRunner,
    make_report_runner,
    report_target,
)
from planner.services.base import Progress


def fake_solve(steps: int = 50, step_s: float = 0.01, run_id: int = 7):
    """A solve that reports improving objectives until done or stopped; returns its run id."""

    def target(kind, params, progress, stop, by):
        start = time.monotonic()
        for i in range(steps):
            if stop.is_set():
                break
            progress(Progress(kind, time.monotonic() - start, objective=100.0 - i, bound=50.0, fraction=i / steps))
            time.sleep(step_s)
        return run_id

    return target


def wait_until(predicate, timeout_s: float = 5.0) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_job_runs_to_the_end_and_reports_its_run():
    runner = ThreadJobRunner(fake_solve(steps=5, run_id=42))
    job_id = runner.start("accommodation", {"time_limit_s": 1}, by="demo")
    status = runner.wait(job_id, 5)
    assert status is not None and status.state == "done"
    assert status.run_id == 42
    assert status.objective == 96.0 and status.bound == 50.0
    assert status.params == {"time_limit_s": 1} and status.by == "demo"
    assert status.elapsed_s > 0
    assert status.to_dict()["finished"] is True


def test_progress_is_visible_while_running_and_stop_keeps_the_run():
    runner = ThreadJobRunner(fake_solve(steps=10_000, step_s=0.005, run_id=3))
    job_id = runner.start("transport")
    assert wait_until(lambda: (s := runner.status(job_id)) is not None and s.objective is not None and s.objective < 99)
    running = runner.status(job_id)
    assert running.state == "running" and not running.finished
    assert runner.stop(job_id)
    status = runner.wait(job_id, 5)
    assert status.state == "stopped" and status.run_id == 3  # the best plan so far is kept
    assert status.stop_requested
    assert not runner.stop(job_id), "a finished job cannot be stopped again"


def test_jobs_wait_for_a_free_slot_and_a_queued_job_can_be_stopped():
    release = threading.Event()

    def blocking(kind, params, progress, stop, by):
        release.wait(5)
        return 1

    runner = ThreadJobRunner(blocking, max_running=1)
    first = runner.start("accommodation")
    second = runner.start("volunteers")
    assert wait_until(lambda: runner.status(first).state == "running")
    assert runner.status(second).state == "queued"
    assert runner.stop(second)
    release.set()
    assert runner.wait(first, 5).state == "done"
    second_status = runner.wait(second, 5)
    assert second_status.state == "stopped" and second_status.run_id is None
    assert [j.id for j in runner.jobs()] == [second, first]


def test_a_failing_job_reports_its_error_and_the_runner_goes_on():
    def broken(kind, params, progress, stop, by):
        raise RuntimeError("no event data")

    runner = ThreadJobRunner(broken)
    status = runner.wait(runner.start("accommodation"), 5)
    assert status.state == "failed" and "no event data" in status.error
    assert runner.status("no-such-job") is None
    assert not runner.stop("no-such-job")


def test_gap_from_objective_and_bound():
    s = JobStatus("x", "accommodation", objective=110.0, bound=100.0)
    assert s.gap == pytest.approx(10 / 110)
    assert JobStatus("y", "transport").gap is None


def _run_worker(huey):
    """A minimal huey worker thread (huey's own consumer installs signal handlers: main thread only)."""
    done = threading.Event()

    def loop():
        while not done.is_set():
            task = huey.dequeue()
            if task is None:
                time.sleep(0.02)
                continue
            huey.execute(task)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return done, thread


def _exercise_huey(huey):
    runner = HueyJobRunner(huey, target_factory=lambda: fake_solve(steps=10_000, step_s=0.005, run_id=9))
    done, thread = _run_worker(huey)
    try:
        job_id = runner.start("volunteers", {"time_limit_s": 2}, by="demo")
        assert wait_until(lambda: (s := runner.status(job_id)) is not None and s.objective is not None, 10)
        assert runner.stop(job_id)
        assert wait_until(lambda: runner.status(job_id).finished, 10)
        status = runner.status(job_id)
        assert status.state == "stopped" and status.run_id == 9
        assert [j.id for j in runner.jobs()] == [job_id]
    finally:
        done.set()
        thread.join(5)


def test_huey_runner_with_the_in_memory_queue():
    from huey import MemoryHuey

    _exercise_huey(MemoryHuey("planner-test", immediate=False))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@contextlib.contextmanager
def redis_server(folder):
    """A throw-away redis-server on a free port; yields its URL."""
    pytest.importorskip("redis", reason="the redis client package is not installed")
    from huey import RedisHuey

    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        url = f"redis://127.0.0.1:{port}/0"
        assert wait_until(lambda: _ping(RedisHuey("ping", url=url)), 5), "redis-server did not start"
        yield url
    finally:
        server.terminate()
        server.wait(5)


ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def huey_consumer(instance, env, log, pythonpath=()):
    """``huey_consumer INSTANCE`` in a process of its own (a worker as deployed); yields the process."""
    exe = Path(sys.executable).with_name("huey_consumer")
    path = os.pathsep.join([str(ROOT), *map(str, pythonpath)])
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [str(exe), instance, "-w", "1", "-d", "0.05", "-m", "0.3"],
            env={**os.environ, **env, "PYTHONPATH": path},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)


@needs_redis
def test_huey_runner_with_redis(tmp_path):
    from huey import RedisHuey

    with redis_server(tmp_path) as url:
        _exercise_huey(RedisHuey("planner-test", url=url))


def _ping(huey) -> bool:
    try:
        return bool(huey.storage.conn.ping())
    except Exception:
        return False


# ----------------------------------------------------------- report exports


REPORT_PARAMS = {"from": "2007-01-01", "to": "2007-06-30", "lang": "en", "format": "md"}


def test_report_target_writes_whole_files_to_a_folder_and_to_huey_storage(sqlite_engine, tmp_path):
    from huey import MemoryHuey

    from planner.report import Period, load_records, write_report
    from planner.report.render import to_markdown

    folder = FolderFiles(tmp_path / "reports")
    stored = HueyFiles(MemoryHuey("planner-test", immediate=False))
    reports = []
    for files in (folder, stored):
        target = report_target(sqlite_engine, files)
        target("report", {**REPORT_PARAMS, "file": "a.md"}, reports.append, threading.Event(), "chair")
        assert files.exists("a.md") and not files.exists("b.md")
    with Session(sqlite_engine) as s:
        expected = to_markdown(write_report(load_records(s), None, Period(date(2007, 1, 1), date(2007, 6, 30)), "en"))
    assert folder.read("a.md").decode() == expected == stored.read("a.md").decode()
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["a.md"], "no partial file is left behind"
    assert reports[-1].fraction == 1.0
    with pytest.raises(ValueError):
        folder.read("../a.md")


def test_huey_files_are_forgotten_after_a_day(monkeypatch):
    from huey import MemoryHuey

    files = HueyFiles(MemoryHuey("planner-test", immediate=False))
    with files.writing("old.pdf") as path:
        path.write_bytes(b"%PDF old")
    later = time.time() + 25 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    with files.writing("new.pdf") as path:  # saving a file forgets those older than a day
        path.write_bytes(b"%PDF new")
    assert files.read("old.pdf") is None and not files.exists("old.pdf")
    assert files.read("new.pdf") == b"%PDF new"


def test_report_runner_follows_the_jobs_backend(sqlite_engine, tmp_path):
    from huey import MemoryHuey

    runner, files = make_report_runner({"JOBS_BACKEND": "thread"}, sqlite_engine, tmp_path / "r")
    assert isinstance(runner, ThreadJobRunner) and isinstance(files, FolderFiles)
    huey = MemoryHuey("planner-test", immediate=False)
    solves = HueyJobRunner(huey, target_factory=lambda: fake_solve())
    runner, files = make_report_runner({"JOBS_BACKEND": "huey"}, sqlite_engine, tmp_path / "r", solves=solves)
    assert isinstance(runner, HueyJobRunner) and runner.huey is huey and isinstance(files, HueyFiles)
    job = runner.start("report", {**REPORT_PARAMS, "file": "x.md"}, by="chair")
    assert runner.status(job).state == "queued", "with huey the export waits for a worker"
    assert [j.id for j in runner.jobs()] == [job] and solves.jobs() == [], "reports and solves keep their own lists"
    done, thread = _run_worker(huey)
    try:
        assert wait_until(lambda: runner.status(job).finished, 30)
    finally:
        done.set()
        thread.join(5)
    assert runner.status(job).state == "done" and files.read("x.md").startswith(b"# ")


def test_the_worker_module_registers_solves_and_reports(monkeypatch):
    import planner.jobs as jobs_module

    monkeypatch.setenv("PLANNER_HUEY_URL", "redis://127.0.0.1:1/0")  # not connected until used
    monkeypatch.setattr(jobs_module, "_worker_runner", None)
    huey = jobs_module.huey
    registered = set(huey._registry._registry)  # keys end in the task's name
    assert {name for name in ("planner.solve", "planner.report") if any(k.endswith(name) for k in registered)} == {
        "planner.solve",
        "planner.report",
    }
