"""The work-area sheets: schema and tables agree, checks catch errors, the demo records round-trip."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Numeric
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fixtures.workareas import add_workareas, generate_workareas
from planner.report import build_report, load_records
from planner.workareas.models import WORKAREA_TABLES
from planner.workareas.schema import WORKAREA_FILES, WORKAREA_SPECS
from planner.workareas.validate import validate_workareas
from planner.workbook.io import Workbook, WorkbookRejected, read_workbook, write_csv_folder
from tests.test_report_figures import _games_workbook, row


def test_every_sheet_has_a_table_with_the_same_column_names() -> None:
    assert list(WORKAREA_TABLES) == [spec.name for spec in WORKAREA_FILES]
    for spec in WORKAREA_FILES:
        model = WORKAREA_TABLES[spec.name]
        table = model.__table__  # type: ignore[attr-defined]
        assert model.__workbook__ == spec.name and table.name == spec.name
        assert {c.name for c in spec.columns} <= set(table.c.keys()), spec.name
        assert "version_id" in table.c and model.__mapper__.version_id_col is table.c.version_id
        for col in spec.columns:
            assert (col.kind == "money") == isinstance(table.c[col.name].type, Numeric), (spec.name, col.name)
            assert table.c[col.name].nullable == (not col.required), (spec.name, col.name)
        refs = {c.name: c.kind.split(":", 1)[1] for c in spec.columns if c.kind.startswith("ref:")}
        for name, target in refs.items():
            (fk,) = table.c[name].foreign_keys
            assert fk.target_fullname == f"{target}.id"


def test_every_sheet_has_an_id_and_is_optional() -> None:
    for spec in WORKAREA_FILES:
        assert spec.key == ("id",) and spec.columns[0].kind == "id" and not spec.required


def test_demo_records_are_valid_and_deterministic() -> None:
    first, again, other = generate_workareas(0), generate_workareas(0), generate_workareas(1)
    assert first == again
    assert first != other
    assert set(first) == set(WORKAREA_SPECS)
    wb = add_workareas(Workbook())
    assert validate_workareas(wb, {}) == []
    for sheet, rows in first.items():
        assert rows, sheet
        assert all(list(r) == [c.name for c in WORKAREA_SPECS[sheet].columns] for r in rows)


def test_demo_records_have_the_magnitudes_of_a_district() -> None:
    recs = generate_workareas(0)
    assert 300 <= len(recs["outreach_visits"]) <= 1500
    assert 20 <= len(recs["job_placements"]) <= 200
    assert 100 <= len(recs["petitions"]) <= 2000
    in_period = [r for rows in recs.values() for r in rows for k in ("date",) if r.get(k) is not None]
    assert all(date(2007, 1, 1) <= r["date"] <= date(2007, 6, 30) for r in in_period)


def _write_with_planning(folder: Path, extra: dict[str, list[dict]]) -> None:
    wb = _games_workbook()
    for name, rows in extra.items():
        wb.tables[name] = rows
    write_csv_folder(wb, folder)


def test_csv_round_trip_of_the_demo_records(tmp_path: Path) -> None:
    records = generate_workareas(0)
    _write_with_planning(tmp_path, records)
    wb = read_workbook(tmp_path)
    for sheet, rows in records.items():
        assert wb.rows(sheet) == rows, sheet


def _errors(tmp_path: Path, extra: dict[str, list[dict]]) -> list[tuple[str, int, str, str]]:
    _write_with_planning(tmp_path, extra)
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(tmp_path)
    return [(e.file, e.row, e.column, e.message) for e in caught.value.errors]


def test_duplicate_ids_and_bad_references_are_reported_by_row(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        {
            "training_courses": [row("training_courses", id="T1", name_zh="甲", start_date="2007-03-01")],
            "training_participants": [
                row("training_participants", id="P1", course="T1", person="a"),
                row("training_participants", id="P1", course="T9", person="b"),
            ],
        },
    )
    assert ("training_participants.csv", 3, "id", "duplicate id 'P1' (first at row 2)") in errors
    assert ("training_participants.csv", 3, "course", "'T9' is not an id in training_courses") in errors


def test_a_reference_to_a_missing_sheet_is_an_error(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path, {"vehicle_inspections": [row("vehicle_inspections", id="I1", vehicle="V1", date="2007-03-01")]}
    )
    assert errors == [
        (
            "vehicle_inspections.csv",
            2,
            "vehicle",
            "'V1' refers to the sheet disabled_vehicles, which the workbook does not have",
        )
    ]


def test_dates_out_of_order_and_inconsistent_status(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        {
            "petitions": [row("petitions", id="P1", date="2007-03-05", channel="letter", resolved_on="2007-03-01")],
            "games_work_plans": [
                row(
                    "games_work_plans",
                    id="W1",
                    area="security",
                    title_zh="安保",
                    owner="o",
                    drafted_on="2007-01-10",
                    status="formed",
                )
            ],
            "games_tasks": [
                row("games_tasks", id="T1", plan="W1", task_zh="a", owner="o", due_date="2007-03-01", status="done"),
                row(
                    "games_tasks",
                    id="T2",
                    plan="W1",
                    task_zh="b",
                    owner="o",
                    due_date="2007-03-01",
                    status="todo",
                    done_on="2007-02-01",
                ),
            ],
            "levy_chases": [
                row(
                    "levy_chases",
                    id="C1",
                    date="2007-05-01",
                    unit="U",
                    amount_due_cny=Decimal(100),
                    amount_recovered_cny=Decimal(150),
                )
            ],
        },
    )
    assert ("petitions.csv", 2, "resolved_on", "resolved_on (2007-03-01) is before date (2007-03-05)") in errors
    assert ("games_tasks.csv", 2, "done_on", "a task with status done needs done_on") in errors
    assert ("games_tasks.csv", 3, "status", "done_on is given but the status is todo") in errors
    assert ("levy_chases.csv", 2, "amount_recovered_cny", "recovered 150 is more than the amount due 100") in errors


def test_cell_errors_name_file_row_and_column(tmp_path: Path) -> None:
    _write_with_planning(tmp_path, {})
    with (tmp_path / "petitions.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "channel", "people", "x_note"])
        w.writerow(["P1", "2007-02-30", "fax", "0", "kept"])
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(tmp_path)
    found = {(e.file, e.row, e.column) for e in caught.value.errors}
    assert found == {("petitions.csv", 2, "date"), ("petitions.csv", 2, "channel"), ("petitions.csv", 2, "people")}


def test_import_through_the_workbook_service_then_report(tmp_path: Path, sqlite_engine: Engine) -> None:
    from planner.services.workbook import export_workbook, import_workbook, load_dataset

    records = {
        "federation": generate_workareas(0)["federation"],
        "petitions": [
            row("petitions", id=f"P{i}", date="2007-04-01", channel="phone", resolved_on="2007-04-01") for i in range(5)
        ],
        "disabled_vehicles": [row("disabled_vehicles", id="V1", owner="a")],
        "vehicle_inspections": [row("vehicle_inspections", id="I1", vehicle="V1", date="2007-03-01")],
    }
    _write_with_planning(tmp_path / "in", records)
    with Session(sqlite_engine) as session:
        summary = import_workbook(session, tmp_path / "in")
        assert summary.files["petitions"].new == 5
        stored = load_records(session)
        assert stored["petitions"] == records["petitions"]
        report = build_report(session, load_dataset(session), date(2007, 1, 1), date(2007, 6, 30), "zh-Hant")
        assert report.figures["petitions.phone_people"].value == 5
        assert report.figures["vehicles.inspection_rate"].value == 100.0
        export_workbook(session, tmp_path / "out")
    again = read_workbook(tmp_path / "out")
    assert again.rows("petitions") == records["petitions"]
    with Session(sqlite_engine) as session:
        assert not import_workbook(session, tmp_path / "out").changed


def test_docs_describe_every_sheet_and_column() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "WORKAREAS.md").read_text(encoding="utf-8")
    for spec in WORKAREA_FILES:
        start = doc.index(f"### {spec.name}.csv")
        end = doc.find("\n### ", start + 1)
        block = doc[start : end if end > 0 else len(doc)]
        for col in spec.columns:
            assert f"| {col.name} | {'yes' if col.required else 'no'} |" in block, (spec.name, col.name)
