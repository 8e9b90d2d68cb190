"""Rooming lists per hotel and per delegation: CSV, XLSX and HTML, in Chinese and English."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from planner.dataset import Dataset
from planner.plan import Plan
from planner.rooming_lists import (
    rooming_by_delegation,
    rooming_by_hotel,
    rooming_html,
    write_rooming_csv,
    write_rooming_lists,
    write_rooming_xlsx,
)
from tests.builders import hotel_row, make_dataset, person_row, room_row, rooming_row


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def data() -> Dataset:
    return make_dataset(
        people=[
            person_row("P1", family_name="=Evil", given_name="Ana"),
            person_row("P2", family_name="李", given_name="娜", delegation="CHN"),
            person_row("P3", role="coach", needs="wheelchair"),
            person_row("P4", gender="M"),
        ],
        hotels=[hotel_row("H01", name_zh="和平饭店"), hotel_row("H02", lat=31.22, lon=121.48)],
        rooms=[
            room_row("H01", "101", beds=2, floor=1, accessible=True),
            room_row("H01", "1001", beds=2, floor=10),
            room_row("H01", "201", beds=2, floor=2),
            room_row("H02", "101", beds=2, floor=1),
        ],
    )


@pytest.fixture
def plan(data: Dataset) -> Plan:
    return Plan(
        rooming=[
            rooming_row(data, "P1", "H01", "1001"),
            rooming_row(data, "P2", "H01", "201"),
            rooming_row(data, "P3", "H01", "101"),
        ],
        unassigned=[{"kind": "bed", "id": "P4", "reason": "no bed left for men of VEN on 2007-10-01"}],
    )


def test_lists_group_by_hotel_in_room_order_and_by_delegation(data: Dataset, plan: Plan) -> None:
    by_hotel = rooming_by_hotel(data, plan)
    assert list(by_hotel) == ["H01"]
    assert [line.room for line in by_hotel["H01"]] == ["101", "201", "1001"]  # floor, then natural order
    by_delegation = rooming_by_delegation(data, plan)
    assert sorted(by_delegation) == ["CHN", "VEN"]
    assert {line.person for line in by_delegation["VEN"]} == {"P1", "P3"}


def test_csv_per_hotel_in_chinese_escapes_formulas(tmp_path: Path, data: Dataset, plan: Plan) -> None:
    (path,) = write_rooming_csv(data, plan, tmp_path, by="hotel", lang="zh-Hans")
    assert path.name == "rooming_hotel_H01_zh-Hans.csv"
    rows = read_csv(path)
    assert rows[0][:3] == ["房号", "楼层", "床位"]
    names = [r[6] for r in rows[1:]]
    assert "李娜" in names and "'=EVIL Ana" in names
    assert any("教练员" in r for r in rows[1:])


def test_delegation_csv_lists_people_without_a_bed_with_the_reason(tmp_path: Path, data: Dataset, plan: Plan) -> None:
    paths = {p.name: p for p in write_rooming_csv(data, plan, tmp_path, by="delegation", lang="en")}
    rows = read_csv(paths["rooming_delegation_VEN_en.csv"])
    assert rows[-1][0] == "P4" and rows[-1][-1] == "no bed left for men of VEN on 2007-10-01"


def test_xlsx_has_a_sheet_per_hotel_with_a_title(tmp_path: Path, data: Dataset, plan: Plan) -> None:
    path = write_rooming_xlsx(data, plan, tmp_path / "h.xlsx", by="hotel", lang="zh-Hans", show_needs=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["H01"]
    ws = book["H01"]
    assert "和平饭店" in ws.cell(1, 1).value
    header = [c.value for c in ws[2]]
    assert header[-1] == "特殊需要"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert len(values) == 3
    assert any(v[-1] == "轮椅" for v in values)
    assert any(v[6] == "=EVIL Ana" and ws.cell(3 + i, 7).data_type == "s" for i, v in enumerate(values))


def test_html_escapes_and_hides_needs_unless_asked(data: Dataset, plan: Plan) -> None:
    page = rooming_html(data, plan, by="delegation", lang="en")
    assert "<h2>Delegation rooming list: VEN (VEN)</h2>" in page
    assert "wheelchair" not in page
    assert "no bed left for men of VEN" in page
    assert "<script" not in page
    assert "wheelchair" in rooming_html(data, plan, by="hotel", lang="en", show_needs=True)


def test_write_all_lists_in_both_languages(tmp_path: Path, data: Dataset, plan: Plan) -> None:
    paths = write_rooming_lists(data, plan, tmp_path)
    names = {p.name for p in paths}
    for lang in ("en", "zh-Hans"):
        for by in ("hotel", "delegation"):
            assert f"rooming_{by}_{lang}.xlsx" in names and f"rooming_{by}_{lang}.html" in names
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    with pytest.raises(ValueError):
        write_rooming_lists(data, plan, tmp_path, formats=("pdf",))
