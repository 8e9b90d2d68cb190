"""The ``planner`` command line.

Every command works on one database: ``--db PATH`` (a SQLite file or a
database URL), else ``DATABASE_URL``, else ``PLANNER_DB``, else
``var/planner.sqlite`` in the current folder.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from planner.db import database_url, init_db, make_engine

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

EXIT_REJECTED = 2


class Context:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self._engine: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from sqlalchemy.exc import ArgumentError, DBAPIError

            try:
                engine = make_engine(self.db)
                init_db(engine)
            except (ArgumentError, DBAPIError, ModuleNotFoundError) as exc:
                reason = getattr(exc, "orig", None) or exc
                _fail(f"cannot open the database {_safe_url(database_url(self.db))}: {str(reason).splitlines()[0]}")
            self._engine = engine
        return self._engine


def _safe_url(url: str) -> str:
    """A database URL without its password (it is printed)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot read is printed as given
        return url


pass_ctx = click.make_pass_decorator(Context)


class _Commands(click.Group):
    """Commands whose everyday failures (a file that cannot be written, no data yet) end in one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from planner.services.workbook import NoEventData

        try:
            return super().invoke(ctx)
        except NoEventData as exc:
            _fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    metavar="PATH",
    envvar="PLANNER_DB",
    help="SQLite file or database URL (default: $DATABASE_URL, else var/planner.sqlite).",
)
@click.version_option(package_name="sohd-planner")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Planner for a Special Olympics host district: house, move and staff the delegations."""
    ctx.obj = Context(db)  # without --db, database_url() reads DATABASE_URL, then PLANNER_DB


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[red]error:[/red] {message}")
    sys.exit(code)


# ------------------------------------------------------------------ data


@main.command()
@click.option("--reset", is_flag=True, help="Empty the planning data and plans first.")
@pass_ctx
def init(ctx: Context, reset: bool) -> None:
    """Create or upgrade the database schema."""
    engine = ctx.engine
    if reset:
        from sqlmodel import Session, delete

        from planner.models import PLAN_TABLES, PlanRun
        from planner.services.workbook import delete_all

        with Session(engine) as s:
            for model, _ in PLAN_TABLES.values():
                s.exec(delete(model))  # type: ignore[call-overload]
            s.exec(delete(PlanRun))  # type: ignore[call-overload]
            delete_all(s)
            s.commit()
    out.print(f"database ready: {database_url(ctx.db)}")


@main.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@pass_ctx
def import_(ctx: Context, path: Path) -> None:
    """Load a workbook: a folder of CSV files or one .xlsx (all or nothing).

    Every error is listed as `file, row, column, message`; on any error the
    database is left untouched and the exit status is 2.
    """
    from sqlmodel import Session

    from planner.services.workbook import import_workbook
    from planner.workbook.io import WorkbookRejected

    with Session(ctx.engine) as session:
        try:
            with console.status(f"reading, checking and loading {path}"):
                summary = import_workbook(session, path, by=os.environ.get("USER"))
        except WorkbookRejected as exc:
            console.print(f"[red]rejected:[/red] {path}: {len(exc.errors)} error(s); nothing was loaded")
            for e in exc.errors:
                out.print(f"{e.file}, {e.row}, {e.column}, {e.message}", markup=False)
            sys.exit(EXIT_REJECTED)
    for line in summary.lines():
        out.print(line, markup=False)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--xlsx", is_flag=True, help="Also write workbook.xlsx with every sheet.")
@pass_ctx
def export(ctx: Context, folder: Path, xlsx: bool) -> None:
    """Write the workbook and the accepted plans' files (rooming.csv, transport.csv, ...)."""
    from sqlmodel import Session

    from planner.services.planning import accepted_plan
    from planner.services.workbook import export_workbook

    with Session(ctx.engine) as session, console.status(f"writing {folder}"):
        written = export_workbook(session, folder, xlsx=xlsx, plan=accepted_plan(session))
    out.print(f"wrote {len(written)} files to {folder}")


@main.command()
@click.argument("size", type=click.Choice(["small", "district", "games"]))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=0, show_default=True, help="Random seed; the same seed gives the same files.")
@click.option("--xlsx", is_flag=True, help="Write one .xlsx (FOLDER/SIZE.xlsx) besides the CSV files.")
def fixtures(size: str, folder: Path, seed: int, xlsx: bool) -> None:
    """Generate deterministic demo data of a given SIZE into FOLDER."""
    from fixtures.generate import generate
    from planner.workbook.io import write_csv_folder, write_xlsx

    with console.status(f"generating {size} fixture"):
        wb = generate(size, seed=seed)
        write_csv_folder(wb, folder)
        if xlsx:
            write_xlsx(wb, folder / f"{size}.xlsx")
    out.print(f"wrote the {size} workbook to {folder} ({len(wb.rows('people'))} people)")


# --------------------------------------------------------------- planning


def _progress_printer(kind: str) -> Any:
    from planner.services.base import Progress

    last = [0.0]

    def show(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        parts = [f"{kind}: {p.elapsed_s:6.1f}s"]
        if p.objective is not None:
            parts.append(f"objective {p.objective:,.0f}")
        if p.bound is not None:
            parts.append(f"bound {p.bound:,.0f}")
        if p.message:
            parts.append(p.message)
        console.print("  " + "  ".join(parts), markup=False)

    return show


def solve_kinds(ctx: Context, kinds: list[str], overrides: dict[str, Any], accept: bool = True) -> bool:
    """Run planning kinds in order; print a summary of each; True when every plan passed the checker."""
    import json

    from sqlmodel import Session

    from planner.models import PlanRun
    from planner.services.planning import NotBuiltYet, params_for, plan_of_run, run_plan

    all_ok = True
    for kind in kinds:
        try:
            params = params_for(kind, overrides) if overrides else None
        except NotBuiltYet as exc:
            console.print(f"[yellow]{kind}:[/yellow] {exc}")
            continue
        except ModuleNotFoundError:
            console.print(f"[yellow]{kind}:[/yellow] the {kind} planner is not built yet")
            continue
        except (TypeError, ValueError) as exc:
            _fail(f"{kind}: {exc}")
        stop = threading.Event()
        try:
            run_id = run_plan(
                ctx.engine,
                kind,
                params=params,
                progress=_progress_printer(kind),
                stop=stop,
                accept=accept,
                by=os.environ.get("USER"),
            )
        except NotBuiltYet as exc:
            console.print(f"[yellow]{kind}:[/yellow] {exc}")
            continue
        except KeyboardInterrupt:
            stop.set()
            raise
        with Session(ctx.engine) as s:
            run = s.get(PlanRun, run_id)
            assert run is not None
            unassigned = len(plan_of_run(s, run_id).unassigned)
            line = f"{kind}: run {run_id} {run.status}"
            if run.objective is not None:
                line += f", objective {run.objective:,.0f}"
            if run.bound is not None:
                line += f", bound {run.bound:,.0f}"
            line += f", {run.solve_seconds or 0:.1f}s, {unassigned} unassigned"
            line += ", check ok" if run.check_ok else ", CHECK FAILED"
            line += ", accepted" if run.accepted else ""
            out.print(line, markup=False)
            for m in json.loads(run.messages or "[]")[:10]:
                out.print(f"  {m}", markup=False)
            if json.loads(run.moved or "[]"):
                out.print(f"  who moved and why: planner moves {run_id}", markup=False)
            if not run.check_ok:
                all_ok = False
                out.print(run.check_summary or "", markup=False)
    return all_ok


@main.command()
@click.option(
    "--only", "only", type=click.Choice(["accommodation", "transport", "volunteers"]), help="Plan one area only."
)
@click.option("--time-limit", type=float, metavar="S", help="Seconds each solver may run.")
@click.option("--workers", type=int, help="Solver threads (CP-SAT).")
@click.option("--seed", type=int, help="Solver random seed.")
@click.option("--no-accept", is_flag=True, help="Keep the new plans as candidates; do not accept them.")
@pass_ctx
def solve(
    ctx: Context, only: str | None, time_limit: float | None, workers: int | None, seed: int | None, no_accept: bool
) -> None:
    """Plan accommodation, then transport, then volunteers (or one area with --only)."""
    from planner.services.planning import SOLVE_ORDER

    overrides: dict[str, Any] = {}
    if time_limit is not None:
        overrides["time_limit_s"] = time_limit
    if workers is not None:
        overrides["workers"] = workers
    if seed is not None:
        overrides["seed"] = seed
    kinds = [only] if only else list(SOLVE_ORDER)
    ok = _solve_or_explain(ctx, kinds, overrides, accept=not no_accept)
    if not ok:
        sys.exit(1)


def _solve_or_explain(ctx: Context, kinds: list[str], overrides: dict[str, Any], accept: bool) -> bool:
    from planner.services.workbook import NoEventData

    try:
        return solve_kinds(ctx, kinds, overrides, accept)
    except NoEventData as exc:
        _fail(str(exc))
    return False


@main.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--examples", default=5, show_default=True, type=click.IntRange(min=0), help="Examples shown per rule.")
@pass_ctx
def check(ctx: Context, folder: Path | None, examples: int) -> None:
    """Re-check every hard rule of FORMAT.md on the accepted plans (or on an exported FOLDER).

    Uses no solver code. Exits 1 when any rule is broken.
    """
    from planner.check import check_plan
    from planner.dataset import Dataset

    if folder is not None:
        from planner.plan import read_plan_folder
        from planner.workbook.io import WorkbookRejected

        try:
            wb, plan = read_plan_folder(folder)
        except WorkbookRejected as exc:
            console.print(f"[red]rejected:[/red] {folder}: {len(exc.errors)} error(s)")
            for e in exc.errors:
                out.print(f"{e.file}, {e.row}, {e.column}, {e.message}", markup=False)
            sys.exit(EXIT_REJECTED)
        data = Dataset.from_workbook(wb)
        source = str(folder)
    else:
        from sqlmodel import Session

        from planner.services.planning import accepted_plan
        from planner.services.workbook import NoEventData, load_dataset

        with Session(ctx.engine) as session:
            try:
                data = load_dataset(session)
            except NoEventData as exc:
                _fail(str(exc))
            plan = accepted_plan(session)
        source = "the accepted plans"
    report = check_plan(data, plan)
    out.print(report.format(max_examples=examples), markup=False)
    if not report.ok:
        console.print(f"[red]{len(report.violations)} violation(s)[/red] in {source}")
        sys.exit(1)
    out.print(f"all hard rules hold in {source}")


@main.command()
@click.option("--sport", help="One sport (default: every sport with athletes).")
@click.option("--min-size", type=int, default=3, show_default=True, help="Fewest athletes in a division.")
@click.option("--max-size", type=int, default=8, show_default=True, help="Most athletes in a division.")
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), help="Write divisions.csv and left_over.csv here."
)
@pass_ctx
def divisions(ctx: Context, sport: str | None, min_size: int, max_size: int, output: Path | None) -> None:
    """Divide athletes into Special Olympics divisions (3-8 by gender, age and score spread)."""
    import csv

    from sqlmodel import Session

    from planner.services.divisions import DivisionParams, plan_divisions
    from planner.services.workbook import NoEventData, load_dataset

    try:
        params = DivisionParams(min_size=min_size, max_size=max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--min-size/--max-size") from None
    with Session(ctx.engine) as session:
        try:
            data = load_dataset(session)
        except NoEventData as exc:
            _fail(str(exc))
    if sport is not None and not any(p.sport == sport for p in data.people.values()):
        raise click.BadParameter(f"no athlete competes in {sport!r}", param_hint="--sport")
    report = plan_divisions(data, sport, params=params)
    for name in report.sports:
        rows = [d for d in report.divisions if d["sport"] == name]
        left = [a for a in report.left_over if a["sport"] == name]
        out.print(
            f"{name}: {len(rows)} divisions, {sum(d['size'] for d in rows)} athletes divided, {len(left)} left over",
            markup=False,
        )
    for a in report.left_over[:20]:
        out.print(f"  left over: {a['athlete']} ({a['sport']}): {a['reason']}", markup=False)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for name, rows in (("divisions", report.divisions), ("left_over", report.left_over)):
            with (output / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                if rows:
                    w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
                    w.writeheader()
                    w.writerows(
                        {k: (";".join(v) if isinstance(v, (list, tuple)) else v) for k, v in r.items()} for r in rows
                    )
        out.print(f"wrote {output / 'divisions.csv'} and {output / 'left_over.csv'}")


@main.command()
@pass_ctx
def runs(ctx: Context) -> None:
    """List plan runs (newest first).

    A run still "running" whose solve has given no sign of life for a minute
    (its server or job worker stopped) is shown, and stored, as "interrupted".
    """
    from sqlmodel import Session

    from planner.models import utc_now
    from planner.services.planning import list_runs

    with Session(ctx.engine) as s:
        runs = list_runs(s)
        now = utc_now()
        for r in runs:
            flag = "accepted" if r.accepted else ""
            if r.status == "running" and r.heartbeat is not None:
                flag = f"alive {max(0.0, (now - r.heartbeat).total_seconds()):.0f} s ago"
            obj = f"{r.objective:,.0f}" if r.objective is not None else "-"
            out.print(
                f"{r.id:>4}  {r.kind:<13} {r.status:<11} objective {obj:>12}  {r.created:%Y-%m-%d %H:%M}  {flag}",
                markup=False,
            )
        if any(r.status == "interrupted" for r in runs):
            out.print(
                "interrupted: the solve stopped when the server or job worker running it stopped; "
                "no plan was kept. Start it again (planner solve --only KIND).",
                markup=False,
            )


@main.command()
@click.argument("run_id", type=int)
@pass_ctx
def moves(ctx: Context, run_id: int) -> None:
    """Who plan run RUN_ID moved from the plan accepted before it, from where to where, and (rooms, shifts) why."""
    import json

    from sqlmodel import Session

    from planner.models import PlanRun

    with Session(ctx.engine) as s:
        run = s.get(PlanRun, run_id)
        if run is None:
            _fail(f"no plan run {run_id}")
        assert run is not None
        rows = json.loads(run.moved or "[]")
    if not rows:
        out.print(f"run {run_id} moved nobody", markup=False)
    for m in rows:
        who = m.get("person") or m.get("volunteer")
        what = f"{m['what']} " if m.get("what") else ""
        if m.get("session"):  # a ride: which session and which way
            what = f"{m['session']} {m.get('leg', '')} "
        forced = {True: "forced", False: "chosen"}.get(m.get("forced"), "")
        to = m.get("to") or "-"
        line = f"{who}  {what}{m.get('from') or '-'} -> {to}  {forced}  {m.get('reason', '')}"
        out.print(line.replace("    ", "  "), markup=False)


@main.command()
@click.argument("run_id", type=int)
@pass_ctx
def accept(ctx: Context, run_id: int) -> None:
    """Make plan run RUN_ID the accepted plan of its kind."""
    from sqlmodel import Session

    from planner.services.planning import UnknownRun, accept_run

    with Session(ctx.engine) as s:
        try:
            run = accept_run(s, run_id)
        except (UnknownRun, ValueError) as exc:
            _fail(str(exc))
        out.print(f"run {run_id} is now the accepted {run.kind} plan")


# ---------------------------------------------------------------- outputs


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    from planner.workbook.io import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:  # not a date, or outside the years records may hold
        raise click.BadParameter(str(exc), param_hint=name) from None


@main.command()
@click.option(
    "--from", "date_from", metavar="D", help="First day (YYYY-MM-DD); default: the latest half year with records."
)
@click.option("--to", "date_to", metavar="D", help="Last day (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(["zh-Hans", "zh-Hant", "en"]), default="zh-Hant", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf", "docx"]), default="html", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: out/report.<format>)."
)
@pass_ctx
def report(ctx: Context, date_from: str | None, date_to: str | None, lang: str, fmt: str, output: Path | None) -> None:
    """Write the federation's half-year work summary from the stored records."""
    from sqlmodel import Session

    from planner.report import build_report, render_report
    from planner.services.workbook import NoEventData, load_dataset

    output = output or Path("out") / f"report.{fmt}"
    d_from, d_to = _parse_day(date_from, "--from"), _parse_day(date_to, "--to")
    if d_from and d_to and d_to < d_from:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    with Session(ctx.engine) as session:
        try:
            data = load_dataset(session)
        except NoEventData:
            data = None  # the Games figures then say "no records"
        try:
            with console.status("writing the report"):
                built = build_report(session, data, d_from, d_to, lang)
        except ValueError as exc:
            _fail(str(exc))
    output.parent.mkdir(parents=True, exist_ok=True)
    path = render_report(built, fmt, output)
    out.print(f"wrote {path}")


@main.command("map")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--day", metavar="D", help="Show the routes of this day (YYYY-MM-DD); default: the busiest day.")
@pass_ctx
def map_(ctx: Context, output: Path, day: str | None) -> None:
    """Write a standalone map (venues, hotels, depots, routes) that opens with no server and no internet."""
    try:
        maps = importlib.import_module("planner.maps")
    except ModuleNotFoundError:
        _fail("the map is not built yet")
    path = maps.write_map(ctx.engine, output, day=_parse_day(day, "--day"))
    out.print(f"wrote {path}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@pass_ctx
def serve(ctx: Context, host: str, port: int) -> None:
    """Serve the web UI."""
    try:
        web = importlib.import_module("web")
        create_app = web.create_app
    except (ModuleNotFoundError, AttributeError):
        _fail("the web UI is not built yet")
    app = create_app({"DATABASE_URL": database_url(ctx.db)})
    out.print(f"serving on http://{host}:{port}/  (stop with Ctrl+C)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def fixture_folder(size: str) -> Path:
    import fixtures

    return Path(fixtures.__file__).parent / size


@main.command()
@click.option("--size", type=click.Choice(["small", "district"]), default="district", show_default=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--time-limit", type=float, default=None, metavar="S", help="Seconds each solver may run.")
@click.option("--no-serve", is_flag=True, help="Stop after writing the files.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def demo(
    click_ctx: click.Context, size: str, out_dir: Path, time_limit: float | None, no_serve: bool, host: str, port: int
) -> None:
    """Load the embedded demo workbook, plan everything, write plan/report/map to OUT, then serve the UI."""
    ctx: Context = click_ctx.obj
    out.print(f"database: {database_url(ctx.db)}")
    click_ctx.invoke(import_, path=fixture_folder(size))
    overrides = {"time_limit_s": time_limit} if time_limit else {}
    from planner.services.planning import SOLVE_ORDER

    ok = _solve_or_explain(ctx, list(SOLVE_ORDER), overrides, accept=True)
    click_ctx.invoke(export, folder=out_dir, xlsx=True)
    if ok:
        click_ctx.invoke(check, folder=None, examples=5)
    for step, kwargs in (
        (
            report,
            {"date_from": None, "date_to": None, "lang": "zh-Hant", "fmt": "html", "output": out_dir / "report.html"},
        ),
        (map_, {"output": out_dir / "map.html", "day": None}),
    ):
        try:
            click_ctx.invoke(step, **kwargs)
        except SystemExit as exc:
            if exc.code:
                console.print(f"[yellow]skipped {step.name}[/yellow]")
    out.print(f"outputs in {out_dir.resolve()}")
    if not no_serve:
        click_ctx.invoke(serve, host=host, port=port)


if __name__ == "__main__":  # pragma: no cover
    main()
