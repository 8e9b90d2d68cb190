"""The `planner` command line: exit codes, messages, and the checker catching a broken plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.db import make_engine
from planner.plan import Plan
from planner.workbook.io import write_csv_folder
from tests.builders import make_workbook
from tests.dbhelpers import store_accepted


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    write_csv_folder(make_workbook(), folder)
    return folder


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and result.output.startswith("Usage:")


def test_import_rejects_with_exit_2_and_row_level_errors(tmp_path: Path, mini_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    code, _ = run(db, "import", str(mini_dir))
    assert code == 0
    bad = tmp_path / "bad"
    shutil.copytree(mini_dir, bad)
    text = (bad / "rooms.csv").read_text(encoding="utf-8")
    (bad / "rooms.csv").write_text(text.replace("H01,101,1,2,yes", "H01,101,1,9,yes"), encoding="utf-8")
    code, output = run(db, "import", str(bad))
    assert code == 2
    assert "rooms.csv, 2, beds, must be at most 6" in output
    code, output = run(db, "import", str(mini_dir))
    assert code == 0 and "nothing changed" in output


def test_export_writes_workbook_and_plan_files(tmp_path: Path, mini_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    run(db, "import", str(mini_dir))
    code, _ = run(db, "export", str(tmp_path / "out"), "--xlsx")
    assert code == 0
    for name in ("event", "people", "rooms", "rooming", "unassigned"):
        assert (tmp_path / "out" / f"{name}.csv").exists(), name
    assert (tmp_path / "out" / "workbook.xlsx").exists()


def _store_accepted(db: Path, kind: str, plan: Plan) -> None:
    engine = make_engine(db)
    store_accepted(engine, kind, plan)
    engine.dispose()


def _rooming(person: str, room: str) -> dict[str, object]:
    from datetime import date

    return {
        "person": person,
        "hotel": "H01",
        "room": room,
        "check_in": date(2007, 10, 1),
        "check_out": date(2007, 10, 5),
    }


def test_check_passes_a_good_plan_and_fails_a_broken_one(tmp_path: Path, mini_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    run(db, "import", str(mini_dir))
    # P1 is an athlete, P2 a coach of the same delegation: separate rooms keep rule 3.
    _store_accepted(db, "accommodation", Plan(rooming=[_rooming("P1", "201"), _rooming("P2", "301")]))
    code, output = run(db, "check")
    assert code == 0, output
    # Broken on purpose: athlete and coach in one room (rule 3).
    _store_accepted(db, "accommodation", Plan(rooming=[_rooming("P1", "201"), _rooming("P2", "201")]))
    code, output = run(db, "check")
    assert code == 1
    assert "3" in output and "P1" in output


def test_moves_lists_who_a_replan_moved_and_why(tmp_path: Path, mini_dir: Path) -> None:
    import csv

    db = tmp_path / "p.sqlite"
    run(db, "import", str(mini_dir))
    code, output = run(db, "solve", "--only", "accommodation", "--time-limit", "2", "--workers", "1")
    assert code == 0, output
    run(db, "export", str(tmp_path / "first"))
    with (tmp_path / "first" / "rooming.csv").open(encoding="utf-8") as fh:
        room = next(r for r in csv.DictReader(fh) if r["person"] == "P1")
    # P1's room leaves the rooms list: the re-plan must move P1, and only P1 and room-mates
    rooms = (mini_dir / "rooms.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in rooms if not line.startswith(f"{room['hotel']},{room['room']},")]
    assert len(kept) == len(rooms) - 1
    (mini_dir / "rooms.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert run(db, "import", str(mini_dir))[0] == 0
    code, output = run(db, "solve", "--only", "accommodation", "--time-limit", "2", "--workers", "1")
    assert code == 0, output
    second = int(output.split("accommodation: run ")[1].split()[0])
    assert f"who moved and why: planner moves {second}" in output
    code, output = run(db, "moves", str(second))
    assert code == 0
    line = next(x for x in output.splitlines() if x.startswith("P1 "))
    assert f"{room['hotel']}/{room['room']} ->" in line and "forced" in line and "no longer in the rooms list" in line
    assert run(db, "moves", "99")[0] != 0


def test_check_of_an_exported_folder(tmp_path: Path, mini_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    run(db, "import", str(mini_dir))
    _store_accepted(db, "accommodation", Plan(rooming=[_rooming("P1", "201"), _rooming("P2", "201")]))
    run(db, "export", str(tmp_path / "out"))
    result = CliRunner().invoke(main, ["check", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "P2" in result.output


def test_commands_without_data_say_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    code, output = run(db, "solve", "--only", "volunteers")
    assert code == 1
    assert "import" in output


def test_solve_rejects_a_bad_parameter(tmp_path: Path, mini_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    run(db, "import", str(mini_dir))
    result = CliRunner().invoke(main, ["--db", str(db), "solve", "--time-limit", "soon"])
    assert result.exit_code == 2
    assert "time-limit" in result.output


def test_divisions_command_writes_both_tables(tmp_path: Path, small_dir: Path) -> None:
    db = tmp_path / "p.sqlite"
    run(db, "import", str(small_dir))
    code, output = run(db, "divisions", "--output", str(tmp_path / "div"))
    assert code == 0
    assert "divisions" in output
    header = (tmp_path / "div" / "divisions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("sport,division,gender,age_group,size")
    assert (tmp_path / "div" / "left_over.csv").exists()
    result = CliRunner().invoke(main, ["--db", str(db), "divisions", "--min-size", "9", "--max-size", "8"])
    assert result.exit_code == 2 and "min_size" in result.output
