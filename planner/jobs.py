"""Background jobs: long solves never run inside a web request.

A solve is started as a job and gets a job id at once; callers poll its
progress (objective, bound, elapsed), may ask it to stop, and find the plan
run it stored (a stopped solve keeps the best plan found so far: the planning
service stores it, the runner only passes the stop request on).

Two runners with the same interface:

- :class:`ThreadJobRunner` (the embedded default): threads in this process,
  no extra server. At most ``max_running`` solves run at once (the machine
  may have two cores); the others wait in the queue.
- :class:`HueyJobRunner`: the same jobs on a huey queue (Redis), for workers
  on other machines sharing a PostgreSQL database. Start workers with
  ``PLANNER_HUEY_URL=redis://host:6379/0 DATABASE_URL=... huey_consumer planner.jobs.huey``.

A job on a huey worker writes its status at least every :data:`HEARTBEAT_S`
seconds; a running job silent for :data:`INTERRUPTED_AFTER_S` is shown as
``interrupted`` (its worker stopped). The plan run it was writing is marked
the same way from its own heartbeat in the database
(:func:`planner.services.planning.interrupt_stale_runs`).

Report exports (PDF/DOCX, :func:`report_target`) are jobs too: on a thread
runner of the web process writing to a folder (:class:`FolderFiles`), or with
huey on the same queue as the solves (task ``planner.report``), the worker
putting the file into huey's storage (:class:`HueyFiles`), which the web
process reads to offer the download: no folder has to be shared.

No Flask here: the web UI, the API and the CLI all use these classes.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from planner.services.base import Progress

ProgressCallback = Callable[[Progress], None]
JobTarget = Callable[[str, dict[str, Any], ProgressCallback, threading.Event, str | None], int | None]
"""A job's work: ``(kind, params, progress, stop, by) -> plan run id``."""

STATES = ("queued", "running", "stopping", "done", "stopped", "failed", "interrupted")
FINISHED = ("done", "stopped", "failed", "interrupted")

HEARTBEAT_S = 5.0
"""A running job (and the plan run it writes) says it is alive this often, in seconds."""

INTERRUPTED_AFTER_S = 60.0
"""A running job or plan run silent for this long (seconds) is interrupted: the process running it stopped.
Twelve missed heartbeats, so a busy machine or database does not trip it by mistake."""

INTERRUPTED_MESSAGE = "the worker running this job stopped before it finished; start it again"


@dataclass
class JobStatus:
    """What a poller sees of a job. Times are seconds since the epoch."""

    id: str
    kind: str
    state: str = "queued"
    by: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    queued_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    objective: float | None = None
    bound: float | None = None
    message: str = ""
    fraction: float | None = None
    run_id: int | None = None
    error: str | None = None
    stop_requested: bool = False
    heartbeat_at: float | None = None  # huey: when the worker last wrote this status

    def silent_for(self, now: float | None = None) -> float:
        """Seconds since a running job last said it is alive (0 unless running or stopping)."""
        if self.state not in ("running", "stopping"):
            return 0.0
        last = self.heartbeat_at or self.started_at or self.queued_at
        return (now or time.time()) - last

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def elapsed_s(self) -> float:
        """Seconds the job has been running (0 while queued)."""
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.time()) - self.started_at

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 = proven optimal), when both are known."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["elapsed_s"] = round(self.elapsed_s, 2)
        out["gap"] = self.gap
        out["finished"] = self.finished
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobStatus:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    def apply(self, p: Progress) -> None:
        """Take the figures of a progress report."""
        if p.objective is not None:
            self.objective = p.objective
        if p.bound is not None:
            self.bound = p.bound
        if p.message:
            self.message = p.message
        if p.fraction is not None:
            self.fraction = p.fraction


class JobRunner(Protocol):
    """What the web UI and the API need of a job runner."""

    def start(self, kind: str, params: dict[str, Any] | None = None, by: str | None = None) -> str: ...

    def status(self, job_id: str) -> JobStatus | None: ...

    def stop(self, job_id: str) -> bool: ...

    def jobs(self) -> list[JobStatus]: ...


def planning_target(engine: Any) -> JobTarget:
    """The default job: ``planner.services.planning.run_plan`` on ``engine``."""

    def run(
        kind: str, params: dict[str, Any], progress: ProgressCallback, stop: threading.Event, by: str | None
    ) -> int | None:
        from planner.services.planning import params_for, run_plan

        typed = params_for(kind, params) if params else None
        return run_plan(engine, kind, params=typed, progress=progress, stop=stop, by=by)

    return run


def _finish(status: JobStatus, run_id: int | None, stop: threading.Event) -> None:
    status.run_id = run_id
    status.finished_at = time.time()
    status.state = "stopped" if stop.is_set() else "done"


def _fail(status: JobStatus, exc: BaseException) -> None:
    status.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    status.finished_at = time.time()
    status.state = "failed"


class ThreadJobRunner:
    """Runs jobs in threads of this process (the embedded default).

    Args:
        target: the work of a job; by default :func:`planning_target` of ``engine``.
        engine: the database, when ``target`` is not given.
        max_running: solves running at once; later ones wait their turn.
        keep: finished jobs remembered for polling.
    """

    def __init__(
        self, target: JobTarget | None = None, *, engine: Any = None, max_running: int = 1, keep: int = 200
    ) -> None:
        if target is None:
            if engine is None:
                raise ValueError("give a target or an engine")
            target = planning_target(engine)
        self._target = target
        self._slots = threading.Semaphore(max_running)
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, tuple[JobStatus, threading.Event, threading.Thread]] = OrderedDict()
        self._keep = keep

    def start(self, kind: str, params: dict[str, Any] | None = None, by: str | None = None) -> str:
        """Queue a job; returns its id at once."""
        job_id = uuid.uuid4().hex
        status = JobStatus(job_id, kind, by=by, params=dict(params or {}))
        stop = threading.Event()
        thread = threading.Thread(target=self._run, args=(status, stop), name=f"job-{kind}-{job_id[:8]}", daemon=True)
        with self._lock:
            self._jobs[job_id] = (status, stop, thread)
            self._forget_old()
        thread.start()
        return job_id

    def _forget_old(self) -> None:
        finished = [k for k, (s, _, _) in self._jobs.items() if s.finished]
        for k in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[k]

    def _run(self, status: JobStatus, stop: threading.Event) -> None:
        with self._slots:
            if stop.is_set():  # stopped while queued: nothing to keep
                status.finished_at = time.time()
                status.state = "stopped"
                return
            status.started_at = time.time()
            status.state = "stopping" if stop.is_set() else "running"
            try:
                run_id = self._target(status.kind, status.params, status.apply, stop, status.by)
            except BaseException as exc:  # a failed solve must not take the server down
                _fail(status, exc)
                return
            _finish(status, run_id, stop)

    def status(self, job_id: str) -> JobStatus | None:
        """The job's status (a copy), or ``None`` for an unknown id."""
        with self._lock:
            entry = self._jobs.get(job_id)
        if entry is None:
            return None
        return JobStatus.from_dict(asdict(entry[0]))

    def stop(self, job_id: str) -> bool:
        """Ask a job to stop; the best plan so far is kept. False if unknown or finished."""
        with self._lock:
            entry = self._jobs.get(job_id)
        if entry is None or entry[0].finished:
            return False
        status, stop, _ = entry
        stop.set()
        status.stop_requested = True
        if status.state == "running":
            status.state = "stopping"
        return True

    def jobs(self) -> list[JobStatus]:
        """Every remembered job, newest first."""
        with self._lock:
            entries = list(self._jobs.values())
        return [JobStatus.from_dict(asdict(s)) for s, _, _ in reversed(entries)]

    def wait(self, job_id: str, timeout_s: float | None = None) -> JobStatus | None:
        """Block until the job finishes (tests and the CLI); returns its status."""
        with self._lock:
            entry = self._jobs.get(job_id)
        if entry is None:
            return None
        entry[2].join(timeout_s)
        return self.status(job_id)


# ------------------------------------------------------------------- huey

HUEY_STATUS_KEY = "planner-job:{}"
HUEY_STOP_KEY = "planner-job-stop:{}"
HUEY_INDEX_KEY = "planner-jobs"


class HueyJobRunner:
    """Runs jobs on a huey queue; status and stop requests travel through huey's storage.

    Args:
        huey: a huey instance (``RedisHuey`` in production; ``MemoryHuey`` in tests).
        task: ``solve`` (huey task ``planner.solve``) or ``report`` (``planner.report``);
            each has its own list of jobs.
        target_factory: builds the job's work inside the worker; by default
            :func:`planning_target` (solves) or :func:`report_target` into
            :class:`HueyFiles` (reports) on ``make_engine(database)``.
        database: the database URL the workers use (shared PostgreSQL).
    """

    def __init__(
        self,
        huey: Any,
        *,
        task: str = "solve",
        database: str | None = None,
        target_factory: Callable[[], JobTarget] | None = None,
    ) -> None:
        if task not in ("solve", "report"):
            raise ValueError(f"unknown job task {task!r}: solve or report")
        self.huey = huey
        self.task = task
        self._index_key = HUEY_INDEX_KEY if task == "solve" else f"{HUEY_INDEX_KEY}:{task}"
        self._database = database
        self._engine: Any = None
        self._target_factory = target_factory or self._default_target
        self._task = huey.task(name=f"planner.{task}")(self._work)

    def _default_target(self) -> JobTarget:
        if self._engine is None:  # one engine (and connection pool) per worker, not per job
            from planner.db import make_engine

            self._engine = make_engine(self._database)
        if self.task == "report":
            return report_target(self._engine, HueyFiles(self.huey))
        return planning_target(self._engine)

    def _put(self, status: JobStatus) -> None:
        self.huey.put(HUEY_STATUS_KEY.format(status.id), json.dumps(status.to_dict()))

    def _get(self, job_id: str) -> JobStatus | None:
        raw = self.huey.get(HUEY_STATUS_KEY.format(job_id), peek=True)
        if raw is None:
            return None
        status = JobStatus.from_dict(json.loads(raw))
        if status.silent_for() > INTERRUPTED_AFTER_S:  # its worker stopped during the job
            status.finished_at = status.heartbeat_at or status.started_at
            status.state = "interrupted"
            status.error = INTERRUPTED_MESSAGE
        return status

    def _stop_requested(self, job_id: str) -> bool:
        return self.huey.get(HUEY_STOP_KEY.format(job_id), peek=True) is not None

    def start(self, kind: str, params: dict[str, Any] | None = None, by: str | None = None) -> str:
        job_id = uuid.uuid4().hex
        status = JobStatus(job_id, kind, by=by, params=dict(params or {}))
        self._put(status)
        index = json.loads(self.huey.get(self._index_key, peek=True) or "[]")
        self.huey.put(self._index_key, json.dumps(([job_id] + index)[:200]))
        self._task(job_id)
        return job_id

    def _work(self, job_id: str) -> None:
        """Runs inside a huey worker."""
        status = self._get(job_id)
        if status is None:
            return
        stop = threading.Event()
        if self._stop_requested(job_id):
            status.state, status.finished_at = "stopped", time.time()
            self._put(status)
            return
        status.state, status.started_at = "running", time.time()
        status.heartbeat_at = status.started_at
        self._put(status)
        done = threading.Event()

        def watch() -> None:
            """Passes a stop request on, and writes the status every HEARTBEAT_S: the job is alive."""
            while not done.wait(0.3):
                if not stop.is_set() and self._stop_requested(job_id):
                    stop.set()
                now = time.time()
                if now - (status.heartbeat_at or 0.0) >= HEARTBEAT_S:
                    status.heartbeat_at = now
                    self._put(status)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        last_put = [0.0]

        def progress(p: Progress) -> None:
            status.apply(p)
            if stop.is_set():
                status.state, status.stop_requested = "stopping", True
            now = time.time()
            if now - last_put[0] >= 0.2:  # do not flood the queue's storage
                last_put[0] = now
                status.heartbeat_at = now
                self._put(status)

        try:
            run_id = self._target_factory()(status.kind, status.params, progress, stop, status.by)
        except BaseException as exc:
            _fail(status, exc)
        else:
            _finish(status, run_id, stop)
        finally:
            done.set()
            watcher.join()
            self.huey.get(HUEY_STOP_KEY.format(job_id))  # consume the stop flag
        self._put(status)

    def status(self, job_id: str) -> JobStatus | None:
        return self._get(job_id)

    def stop(self, job_id: str) -> bool:
        status = self._get(job_id)
        if status is None or status.finished:
            return False
        self.huey.put(HUEY_STOP_KEY.format(job_id), "1")
        return True

    def jobs(self) -> list[JobStatus]:
        index = json.loads(self.huey.get(self._index_key, peek=True) or "[]")
        found = (self._get(job_id) for job_id in index)
        return [s for s in found if s is not None]


def huey_from_url(url: str, name: str = "planner") -> Any:
    """A ``RedisHuey`` for ``redis://host:port/db`` (needs the ``redis`` package)."""
    from huey import RedisHuey

    return RedisHuey(name, url=url)


def make_runner(config: dict[str, Any], engine: Any) -> JobRunner:
    """The runner a configuration asks for.

    ``JOBS_BACKEND`` = ``thread`` (default) or ``huey`` (then ``HUEY_URL`` is
    the Redis URL and ``DATABASE`` the database the workers share).
    """
    backend = (config.get("JOBS_BACKEND") or "thread").lower()
    if backend == "thread":
        return ThreadJobRunner(engine=engine, max_running=int(config.get("JOBS_MAX_RUNNING") or 1))
    if backend == "huey":
        url = config.get("HUEY_URL")
        if not url:
            raise ValueError("JOBS_BACKEND=huey needs HUEY_URL (redis://host:6379/0)")
        return HueyJobRunner(huey_from_url(url), database=str(engine.url.render_as_string(hide_password=False)))
    raise ValueError(f"unknown JOBS_BACKEND {backend!r}: thread or huey")


# --------------------------------------------------------- report exports

KEEP_EXPORTS_S = 24 * 3600
"""Written report files are kept this long (seconds) for their download."""


class ExportFiles(Protocol):
    """Where report export jobs put their files and the web process finds them."""

    def writing(self, name: str) -> Any:
        """A context manager giving the path to write ``name`` to; the file appears whole when it exits."""
        ...

    def exists(self, name: str) -> bool: ...

    def read(self, name: str) -> bytes | None: ...

    def forget_older_than(self, seconds: float) -> None: ...


class FolderFiles:
    """Files in a folder of this machine (the thread runner: the web process writes and serves them)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, name: str) -> Path:
        path = self.folder / name
        if path.parent != self.folder:
            raise ValueError(f"not a plain file name: {name!r}")
        return path

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        target = self._path(name)
        partial = target.with_name(target.name + ".part")
        try:
            yield partial
            partial.replace(target)  # the file appears whole or not at all
        finally:
            partial.unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        return path.read_bytes() if path.is_file() else None

    def forget_older_than(self, seconds: float) -> None:
        cutoff = time.time() - seconds
        for path in self.folder.glob("*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


HUEY_FILE_KEY = "planner-file:{}"
HUEY_FILES_INDEX_KEY = "planner-files"


class HueyFiles:
    """Files in huey's storage (Redis): the web process and every worker reach them, wherever they run.

    A worker saving a file removes the files saved more than :data:`KEEP_EXPORTS_S` ago.
    """

    def __init__(self, huey: Any) -> None:
        self.huey = huey

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="planner-export-") as folder:
            path = Path(folder) / name
            yield path
            self.huey.put(HUEY_FILE_KEY.format(name), path.read_bytes())
        index = json.loads(self.huey.get(HUEY_FILES_INDEX_KEY, peek=True) or "{}")
        index[name] = time.time()
        self.huey.put(HUEY_FILES_INDEX_KEY, json.dumps(index))
        self.forget_older_than(KEEP_EXPORTS_S)

    def exists(self, name: str) -> bool:
        return bool(self.huey.storage.has_data_for_key(HUEY_FILE_KEY.format(name)))

    def read(self, name: str) -> bytes | None:
        data = self.huey.get(HUEY_FILE_KEY.format(name), peek=True)
        return data if isinstance(data, bytes) else None

    def forget_older_than(self, seconds: float) -> None:
        index = json.loads(self.huey.get(HUEY_FILES_INDEX_KEY, peek=True) or "{}")
        cutoff = time.time() - seconds
        old = [name for name, saved in index.items() if saved < cutoff]
        if not old:
            return
        for name in old:
            self.huey.delete(HUEY_FILE_KEY.format(name))
            del index[name]
        self.huey.put(HUEY_FILES_INDEX_KEY, json.dumps(index))


def report_target(engine: Any, files: ExportFiles) -> JobTarget:
    """The work of a report export job: build the report of ``params`` and write it to ``files``.

    ``params``: ``from``, ``to`` (ISO dates), ``lang``, ``format`` (``pdf``,
    ``docx``, ``md`` or ``html``) and ``file``, the name to save it as.
    """

    def run(
        kind: str, params: dict[str, Any], progress: ProgressCallback, stop: threading.Event, by: str | None
    ) -> int | None:
        from sqlmodel import Session

        from planner.report import Period, load_records, render_report, write_report
        from planner.services.workbook import NoEventData, load_dataset

        started = time.monotonic()
        progress(Progress(kind, 0.0, message="reading the records", fraction=0.1))
        with Session(engine) as s:
            try:
                data = load_dataset(s)
            except NoEventData:
                data = None
            records = load_records(s)
        period = Period(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))
        report = write_report(records, data, period, params["lang"])
        if stop.is_set():
            return None
        progress(Progress(kind, time.monotonic() - started, message="writing the file", fraction=0.4))
        with files.writing(params["file"]) as path:
            render_report(report, params["format"], path)
        progress(Progress(kind, time.monotonic() - started, message="done", fraction=1.0))
        return None

    return run


def make_report_runner(
    config: dict[str, Any], engine: Any, folder: str | Path, solves: JobRunner | None = None
) -> tuple[JobRunner, ExportFiles]:
    """The runner of report exports and where their files go, as ``JOBS_BACKEND`` asks.

    ``thread``: one export at a time in this process, files in ``folder``.
    ``huey``: the solves' queue (``solves``, else ``HUEY_URL``), files in huey's storage.
    """
    backend = (config.get("JOBS_BACKEND") or "thread").lower()
    if backend == "huey":
        if isinstance(solves, HueyJobRunner):
            huey = solves.huey
        elif config.get("HUEY_URL"):
            huey = huey_from_url(config["HUEY_URL"])
        else:
            raise ValueError("JOBS_BACKEND=huey needs HUEY_URL (redis://host:6379/0)")
        database = str(engine.url.render_as_string(hide_password=False))
        return HueyJobRunner(huey, task="report", database=database), HueyFiles(huey)
    files = FolderFiles(folder)
    return ThreadJobRunner(report_target(engine, files), max_running=1), files


def __getattr__(name: str) -> Any:
    """``planner.jobs.huey``: the worker's huey instance (solves and report exports), for
    ``huey_consumer planner.jobs.huey``.

    Reads ``PLANNER_HUEY_URL`` (Redis) and ``DATABASE_URL`` from the environment.
    """
    if name == "huey":
        import os

        global _worker_runner
        if _worker_runner is None:
            url = os.environ.get("PLANNER_HUEY_URL")
            if not url:
                raise RuntimeError("set PLANNER_HUEY_URL=redis://host:6379/0 for the huey workers")
            huey = huey_from_url(url)
            database = os.environ.get("DATABASE_URL")
            _worker_runner = HueyJobRunner(huey, database=database)
            HueyJobRunner(huey, task="report", database=database)  # registers planner.report
        return _worker_runner.huey
    raise AttributeError(name)


_worker_runner: HueyJobRunner | None = None
