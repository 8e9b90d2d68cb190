"""Property tests: any single wrong cell in a workbook is either accepted or rejected with its place named.

The small fixture is copied, one cell (any file, row and column) is replaced by
generated text, and the workbook is read back (as a CSV folder and as .xlsx).
Whatever the text, the reader must not fail in any other way than
:class:`WorkbookRejected`, every error it reports must name the file, and the
errors must name the row and column of the changed cell when they are about it.
A workbook that is accepted must also build a :class:`planner.dataset.Dataset`
(what every solver starts from) without an exception.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.dataset import Dataset
from planner.workbook.io import WorkbookRejected, read_workbook

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
FILES = sorted(p.name for p in SMALL.glob("*.csv"))


def _rows(name: str) -> list[list[str]]:
    with (SMALL / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


TABLES = {name: _rows(name) for name in FILES}

# text a person or another program might put into a cell: typos, numbers in odd formats, dates, lists,
# formulas, whitespace, Chinese, control characters, very long text
cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e9",
            "NaN",
            "inf",
            "3.5",
            "1,000",
            "２",
            "2007-02-30",
            "2007-10-02",
            "10/2/2007",
            "25:00",
            "09:30",
            "2007-10-02T25:00",
            "yes",
            "no",
            "true",
            "maybe",
            "=1+1",
            "@SUM(A1)",
            "en;;zh",
            "xx",
            "男",
            "accessible_room",
            "wheelchair",
            "91",
            "181",
            "-91.5",
            "\x00",
            "a\nb",
            "x" * 5000,
        ]
    ),
)


@st.composite
def one_wrong_cell(draw: st.DrawFn) -> tuple[str, int, int, str]:
    name = draw(st.sampled_from(FILES))
    rows = TABLES[name]
    row = draw(st.integers(1, max(1, len(rows) - 1)))
    col = draw(st.integers(0, len(rows[0]) - 1))
    return name, row, col, draw(cell_text)


def _write_folder(folder: Path, name: str, row: int, col: int, text: str) -> None:
    for other in FILES:
        shutil.copy(SMALL / other, folder / other)
    rows = [list(r) for r in TABLES[name]]
    if row >= len(rows):  # a file with a header only: add a row of the changed cell
        rows.append([""] * len(rows[0]))
    rows[row][col] = text
    with (folder / name).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def _check(path: Path, name: str, row: int, col: int) -> None:
    header = TABLES[name][0]
    try:
        wb = read_workbook(path)
    except WorkbookRejected as rejected:
        assert rejected.errors, "a rejection must say what is wrong"
        for error in rejected.errors:
            assert error.file, error
            assert error.message.strip(), error
        about_cell = [e for e in rejected.errors if e.file.endswith(name) or e.file.endswith(name[:-4])]
        for error in about_cell:
            if error.column == header[col] and error.row:
                assert error.row == row + 1  # spreadsheet rows count the header as row 1
        return
    Dataset.from_workbook(wb)  # an accepted workbook must be usable


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_wrong_cell())
def test_any_wrong_csv_cell_is_accepted_or_named(case: tuple[str, int, int, str]) -> None:
    name, row, col, text = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_folder(folder, name, row, col, text)
        _check(folder, name, row, col)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_wrong_cell())
def test_any_wrong_xlsx_cell_is_accepted_or_named(case: tuple[str, int, int, str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    name, row, col, text = case
    text = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)  # .xlsx cannot hold control characters
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        folder.mkdir()
        _write_folder(folder, name, row, col, text)
        book = openpyxl.Workbook()
        book.remove(book.active)
        for other in FILES:
            sheet = book.create_sheet(other[:-4])
            with (folder / other).open(encoding="utf-8", newline="") as f:
                for values in csv.reader(f):
                    sheet.append(values)
        target = Path(tmp) / "workbook.xlsx"
        book.save(target)
        _check(target, name, row, col)


@st.composite
def one_missing_row(draw: st.DrawFn) -> tuple[str, int]:
    name = draw(st.sampled_from([n for n in FILES if len(TABLES[n]) > 1]))
    return name, draw(st.integers(1, len(TABLES[name]) - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_missing_row())
def test_a_deleted_row_is_accepted_or_its_references_named(case: tuple[str, int]) -> None:
    """Deleting a hotel, venue, delegation... leaves references to it: each must be named, file and row."""
    name, row = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for other in FILES:
            shutil.copy(SMALL / other, folder / other)
        rows = [r for i, r in enumerate(TABLES[name]) if i != row]
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
        try:
            wb = read_workbook(folder)
        except WorkbookRejected as rejected:
            assert rejected.errors
            for error in rejected.errors:
                assert error.file and error.message.strip(), error
                assert error.row >= 1 or not error.column, error  # a cell error names its row
            return
        Dataset.from_workbook(wb)
