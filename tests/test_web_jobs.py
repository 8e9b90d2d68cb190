"""The background job runner: start, poll, stop, failures, huey backend."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time

import pytest

from planner.jobs import HueyJobRunner, JobStatus, ThreadJobRunner
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


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_huey_runner_with_redis(tmp_path):
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
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        huey = RedisHuey("planner-test", url=f"redis://127.0.0.1:{port}/0")
        assert wait_until(lambda: _ping(huey), 5), "redis-server did not start"
        _exercise_huey(huey)
    finally:
        server.terminate()
        server.wait(5)


def _ping(huey) -> bool:
    try:
        return bool(huey.storage.conn.ping())
    except Exception:
        return False
