"""Workbook import (all-or-nothing, row-level errors) and export round trips."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from planner.models import Delegation, ImportLog, Person
from planner.services.workbook import import_workbook, load_workbook
from planner.workbook.io import CellError, WorkbookRejected, read_workbook, write_csv_folder, write_xlsx
from tests.builders import make_workbook, person_row


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """The builders' default world written as a CSV workbook."""
    folder = tmp_path / "mini"
    write_csv_folder(make_workbook(), folder)
    return folder


def _edit_csv(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    _edit_csv(path, edit)


def _counts(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(Person)).one(),
            s.exec(select(func.count()).select_from(Delegation)).one(),
            s.exec(select(func.count()).select_from(ImportLog)).one(),
        )


def test_import_then_reimport_changes_nothing(engine, mini_dir: Path) -> None:
    with Session(engine) as s:
        first = import_workbook(s, mini_dir)
    assert first.files["people"].new == 2 and first.changed
    with Session(engine) as s:
        again = import_workbook(s, mini_dir)
    assert not again.changed
    assert again.totals().unchanged == first.totals().new
    assert "nothing changed" in again.lines()[-1]
    assert _counts(engine)[2] == 1  # the no-op import left no log entry


def test_changed_workbook_counts_new_updated_removed(engine, mini_dir: Path, tmp_path: Path) -> None:
    with Session(engine) as s:
        import_workbook(s, mini_dir)
    changed = tmp_path / "changed"
    write_csv_folder(make_workbook(people=[person_row("P1", given_name="Ana María"), person_row("P3")]), changed)
    with Session(engine) as s:
        summary = import_workbook(s, changed)
        assert (summary.files["people"].new, summary.files["people"].updated, summary.files["people"].removed) == (
            1,
            1,
            1,
        )
        assert s.exec(select(Person).where(Person.id == "P1")).one().given_name == "Ana María"
        assert s.exec(select(Person).where(Person.id == "P2")).first() is None


def test_export_reproduces_the_input(engine, mini_dir: Path, tmp_path: Path) -> None:
    with Session(engine) as s:
        import_workbook(s, mini_dir)
        wb = load_workbook(s)
    out = tmp_path / "out"
    write_csv_folder(wb, out)
    for f in sorted(mini_dir.glob("*.csv")):
        assert (out / f.name).read_bytes() == f.read_bytes(), f.name
    assert read_workbook(out).tables == read_workbook(mini_dir).tables


def test_x_columns_are_kept_and_written_back(engine, mini_dir: Path, tmp_path: Path) -> None:
    def add_col(rows: list[list[str]]) -> None:
        rows[0].append("x_note")
        for i, r in enumerate(rows[1:], start=1):
            r.append(f"note {i}")

    _edit_csv(mini_dir / "people.csv", add_col)
    with Session(engine) as s:
        import_workbook(s, mini_dir)
        wb = load_workbook(s)
    assert wb.extra_columns["people"] == ["x_note"]
    assert [r["x_note"] for r in wb.rows("people")] == ["note 1", "note 2"]


def test_formula_like_text_round_trips_through_csv_and_xlsx(engine, mini_dir: Path, tmp_path: Path) -> None:
    _set_cell(mini_dir / "people.csv", 2, "given_name", "'=SUM(A1)")
    _set_cell(mini_dir / "people.csv", 3, "family_name", "'@home")
    with Session(engine) as s:
        import_workbook(s, mini_dir)
        stored = {p.id: p for p in s.exec(select(Person))}
        wb = load_workbook(s)
    assert stored["P1"].given_name == "=SUM(A1)"
    assert stored["P2"].family_name == "@home"
    out = tmp_path / "out"
    write_csv_folder(wb, out)
    assert "'=SUM(A1)" in (out / "people.csv").read_text(encoding="utf-8")
    xlsx = write_xlsx(wb, tmp_path / "wb.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    cells = [c for row in book["people"].iter_rows() for c in row if c.value == "=SUM(A1)"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert read_workbook(xlsx).tables["people"] == read_workbook(mini_dir).tables["people"]


def test_xlsx_import_equals_csv_import(tmp_path: Path, mini_dir: Path) -> None:
    xlsx = write_xlsx(read_workbook(mini_dir), tmp_path / "mini.xlsx")
    assert read_workbook(xlsx).tables == read_workbook(mini_dir).tables


def test_xlsx_formulas_without_a_saved_value_are_named_not_dropped(tmp_path: Path, mini_dir: Path) -> None:
    """A program that writes formulas but no values (openpyxl itself) leaves the cell empty on reading."""
    import openpyxl

    xlsx = write_xlsx(read_workbook(mini_dir), tmp_path / "mini.xlsx")
    book = openpyxl.load_workbook(xlsx)
    sheet = book["rooms"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("beds") + 1, value="=1+1")
    sheet.cell(row=3, column=header.index("floor") + 1, value="=2*1")
    # a formula whose result is the empty text: spreadsheet programs save it as t="str" with an empty value
    empty_text = sheet.cell(row=4, column=header.index("accessible") + 1, value='=IF(1=1,"","yes")')
    book.save(xlsx)
    _rewrite_xlsx_part(
        xlsx, "xl/worksheets/sheet", f'<c r="{empty_text.coordinate}"', f'<c r="{empty_text.coordinate}" t="str"'
    )
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(xlsx)
    unsaved = {(e.file, e.row, e.column) for e in info.value.errors if "has no saved value" in e.message}
    assert unsaved == {("mini.xlsx:rooms", 2, "beds"), ("mini.xlsx:rooms", 3, "floor")}
    assert any("=1+1" in e.message for e in info.value.errors)


def _rewrite_xlsx_part(path: Path, prefix: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the parts of an .xlsx whose names start with ``prefix``."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name.startswith(prefix) and old.encode() in data:
                data = data.replace(old.encode(), new.encode())
            archive.writestr(name, data)


def test_bom_and_gb18030_are_accepted(mini_dir: Path) -> None:
    people = mini_dir / "people.csv"
    _set_cell(people, 2, "family_name", "王")
    text = people.read_text(encoding="utf-8")
    people.write_bytes(text.encode("gb18030"))
    (mini_dir / "hotels.csv").write_bytes("\ufeff".encode() + (mini_dir / "hotels.csv").read_bytes())
    wb = read_workbook(mini_dir)
    assert wb.rows("people")[0]["family_name"] == "王"
    assert wb.rows("hotels")[0]["id"] == "H01"


BAD_CASES = [
    # (file, row, column, value, expected column in error, words in message)
    ("people.csv", 2, "birth_date", "2007-02-30", "birth_date", "no such date"),
    ("people.csv", 2, "gender", "X", "gender", "allowed"),
    ("people.csv", 2, "delegation", "ZZZ", "delegation", "not an id in delegations"),
    ("people.csv", 3, "id", "P1", "id", "duplicate"),
    ("people.csv", 2, "id", "P 1", "id", "not a valid id"),
    ("people.csv", 2, "sport", "", "sport", "required for a athlete"),
    ("people.csv", 2, "needs", "wheelchair;jetpack", "needs", "jetpack"),
    ("hotels.csv", 2, "approved", "maybe", "approved", "yes/no"),
    ("hotels.csv", 2, "lat", "123.5", "lat", "latitude"),
    ("hotels.csv", 2, "cost_per_bed_night", "12.345", "cost_per_bed_night", "2 decimals"),
    ("hotels.csv", 2, "cost_per_bed_night", "1E+308", "cost_per_bed_night", "at most 1,000,000,000,000"),
    ("hotels.csv", 2, "cost_per_bed_night", "1_000", "cost_per_bed_night", "expected an amount"),
    ("hotels.csv", 2, "lat", "3_1.2", "lat", "expected a number"),
    ("people.csv", 2, "birth_date", "0199-01-01", "birth_date", "not between 1900-01-01 and 2100-12-31"),
    ("delegations.csv", 2, "departure_date", "9999-12-31", "departure_date", "not between 1900-01-01 and 2100-12-31"),
    ("rooms.csv", 2, "beds", "7", "beds", "at most 6"),
    ("rooms.csv", 3, "room", "101", "room", "duplicate"),
    ("delegations.csv", 2, "departure_date", "2007-09-01", "departure_date", "after arrival"),
    ("delegations.csv", 2, "country", "Venezuela", "country", "alpha-3"),
    ("delegations.csv", 2, "languages", "spanish", "languages", "639-1"),
    ("sessions.csv", 2, "start", "25:00", "start", "HH:MM"),
    ("sessions.csv", 2, "end", "09:00", "end", "after start"),
    ("vehicles.csv", 2, "id", "H01", "id", "already used in hotels"),
    ("shifts.csv", 2, "place", "B1", "place", "hotel or venue"),
    ("event.csv", 2, "timezone", "Mars/Olympus", "timezone", "time zone"),
    ("travel_times.csv", 2, "minutes", "abc", "minutes", "whole number"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "err_column", "words"), BAD_CASES)
def test_bad_cell_is_rejected_with_its_row_and_the_database_is_untouched(
    sqlite_engine,
    mini_dir: Path,
    tmp_path: Path,
    file: str,
    row: int,
    column: str,
    value: str,
    err_column: str,
    words: str,
) -> None:
    with Session(sqlite_engine) as s:
        import_workbook(s, mini_dir)
    before = _counts(sqlite_engine)
    bad = tmp_path / "bad"
    shutil.copytree(mini_dir, bad)
    _set_cell(bad / "people.csv", 2, "given_name", "Changed")  # a valid change that must not land
    _set_cell(bad / file, row, column, value)
    with Session(sqlite_engine) as s, pytest.raises(WorkbookRejected) as info:
        import_workbook(s, bad)
    matching = [e for e in info.value.errors if e.file == file and e.row == row and e.column == err_column]
    assert matching, info.value.errors
    assert any(words in e.message for e in matching), matching
    assert _counts(sqlite_engine) == before
    with Session(sqlite_engine) as s:
        assert s.exec(select(Person).where(Person.id == "P1")).one().given_name != "Changed"


def test_every_error_is_reported_in_one_run(mini_dir: Path) -> None:
    _set_cell(mini_dir / "people.csv", 2, "gender", "X")
    _set_cell(mini_dir / "rooms.csv", 3, "beds", "0")
    _set_cell(mini_dir / "hotels.csv", 2, "lon", "east")

    def add_typo(rows: list[list[str]]) -> None:
        rows[0].append("colour")
        for r in rows[1:]:
            r.append("blue")

    _edit_csv(mini_dir / "venues.csv", add_typo)
    (mini_dir / "rooms.csv").rename(mini_dir / "rooms.csv.bak")
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(mini_dir)
    found = {(e.file, e.row, e.column) for e in info.value.errors}
    assert ("people.csv", 2, "gender") in found
    assert ("hotels.csv", 2, "lon") in found
    assert ("venues.csv", 1, "colour") in found
    assert any(e.file == "rooms.csv" and "required file" in e.message for e in info.value.errors)


def test_structural_problems(mini_dir: Path, tmp_path: Path) -> None:
    def drop_column(rows: list[list[str]]) -> None:
        i = rows[0].index("gender")
        for r in rows:
            del r[i]

    _edit_csv(mini_dir / "people.csv", drop_column)
    _edit_csv(mini_dir / "event.csv", lambda rows: rows.append(list(rows[1])))
    _edit_csv(mini_dir / "hotels.csv", lambda rows: rows[1].extend(["", "surplus"]))
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(mini_dir)
    errors = info.value.errors
    assert CellError("people.csv", 1, "gender", "required column is missing") in errors
    assert any(e.file == "event.csv" and "exactly one row" in e.message for e in errors)
    assert any(e.file == "hotels.csv" and e.row == 2 and "cells" in e.message for e in errors)


def test_broken_xlsx_and_wrong_path_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(bad)
    assert "xlsx" in info.value.errors[0].message
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(WorkbookRejected):
        read_workbook(other)


def test_not_utf8_nor_gb18030_is_rejected(mini_dir: Path) -> None:
    (mini_dir / "people.csv").write_bytes(b"id,delegation\n\xff\xfe\xfd\x80\x80\n")
    with pytest.raises(WorkbookRejected) as info:
        read_workbook(mini_dir)
    assert any(e.file == "people.csv" for e in info.value.errors)


def _round_trip(engine, folder: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        import_workbook(s, folder)
    with Session(engine) as s:
        assert not import_workbook(s, folder).changed
        write_csv_folder(load_workbook(s), out)
    for f in sorted(folder.glob("*.csv")):
        assert (out / f.name).read_bytes() == f.read_bytes(), f"{f.name} differs after import and export"


def test_small_fixture_round_trips_byte_for_byte(engine, small_dir: Path, tmp_path: Path) -> None:
    _round_trip(engine, small_dir, tmp_path / "out")


@pytest.mark.slow
def test_district_fixture_round_trips_byte_for_byte(sqlite_engine, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    _round_trip(sqlite_engine, FIXTURES / "district", tmp_path / "out")


@pytest.mark.slow
def test_games_fixture_imports_and_round_trips(sqlite_engine, tmp_path: Path) -> None:
    from fixtures.generate import generate

    folder = tmp_path / "games"
    write_csv_folder(generate("games"), folder)
    _round_trip(sqlite_engine, folder, tmp_path / "out")
