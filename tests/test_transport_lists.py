"""Transport lists: timetables, manifests, itineraries, hourly overview; CSV, XLSX, HTML in three languages."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from planner.listing import LANGS
from planner.plan import Plan
from planner.services.transport import TransportParams, plan_transport
from planner.transport_lists import (
    KINDS,
    day_overview,
    itineraries,
    manifests,
    timetables,
    transport_html,
    write_transport_lists,
    write_transport_xlsx,
)
from tests.builders import make_dataset, person_row, rooming_row, vehicle_row


@pytest.fixture(scope="module")
def planned():
    people = [
        person_row("C1", role="coach", family_name="=EVIL"),
        person_row("A1"),
        person_row("A2", needs="wheelchair"),
        person_row("A3"),
        person_row("X1", delegation="CHN", family_name="王", given_name="芳"),
    ]
    data = make_dataset(people=people, vehicles=[vehicle_row("B1", seats=3, wheelchair_places=1)])
    rooming = [rooming_row(data, pid, "H01", "301") for pid in data.people if pid != "X1"]
    outcome = plan_transport(data, rooming=rooming, params=TransportParams(time_limit_s=1.0))
    return data, outcome.plan


def test_timetable_lists_every_stop_from_depot_to_depot(planned):
    data, plan = planned
    tables = timetables(data, plan, "en")
    assert [t.key for t in tables] == ["B1_2007-10-03"]
    rows = tables[0].rows
    assert rows[0][2] == "B1" and rows[0][3] == "depot" and rows[-1][2] == "B1"
    assert sum(r[7] for r in rows) == len(plan.manifest) == sum(r[8] for r in rows)
    assert rows[-1][9] == 0 and all(r[9] <= 4 for r in rows)  # 3 seats + 1 wheelchair place
    assert len(rows) == len(plan.transport)


def test_manifest_shows_who_rides_in_a_wheelchair_place(planned):
    data, plan = planned
    tables = manifests(data, plan, "en")
    assert sum(len(t.rows) for t in tables) == len(plan.manifest)
    riding = {row[0]: row[4] for t in tables for row in t.rows}
    assert riding["A2"] == "wheelchair place" and riding["A1"] == "seat"
    assert all(t.title.startswith("Trip manifest: B1 Trip ") for t in tables)


def test_itinerary_gives_each_delegation_its_rides_and_who_has_none(planned):
    data, plan = planned
    tables = {t.key: t for t in itineraries(data, plan, "en")}
    ven = tables["VEN"]
    assert {row[2] for row in ven.rows} == {"to the session", "back"}
    assert sum(row[9] for row in ven.rows) == 8  # four people, there and back
    assert all(row[1] == "S1" and row[7] == "B1" for row in ven.rows)
    chn = tables["CHN"]
    assert not chn.rows and [n[0] for n in chn.notes] == ["X1"]
    assert "no bed" in chn.notes[0][3]


def test_overview_counts_vehicles_on_the_road_each_hour(planned):
    data, plan = planned
    (table,) = day_overview(data, plan, "zh-Hans")
    assert table.title.startswith("每小时在途车辆")
    assert max(r[1] for r in table.rows) == 1
    assert sum(r[3] for r in table.rows) == len(plan.manifest)
    assert sum(r[2] for r in table.rows) == len({(m["vehicle"], m["trip"]) for m in plan.manifest})


def test_every_list_in_every_format_and_language(planned, tmp_path):
    data, plan = planned
    paths = write_transport_lists(data, plan, tmp_path)
    assert {p.suffix for p in paths} == {".csv", ".xlsx", ".html"}
    assert len([p for p in paths if p.suffix == ".xlsx"]) == len(KINDS) * len(LANGS)
    assert {p.stem.rsplit("_", 1)[1] for p in paths} == {"en", "zh-Hans", "zh-Hant"}
    manifest_csv = next(p for p in paths if p.name.startswith("manifest_") and p.name.endswith("_zh-Hans.csv"))
    with manifest_csv.open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header[:3] == ["编号", "姓名", "代表团"]
    texts = [p.read_text(encoding="utf-8-sig") for p in paths if p.suffix == ".csv" and p.name.startswith("manifest_")]
    assert any("'=EVIL Given C1" in t for t in texts), "a name starting with = is not written as a formula"


def test_xlsx_keeps_formula_like_text_as_text(planned, tmp_path):
    data, plan = planned
    path = write_transport_xlsx(data, plan, tmp_path / "m.xlsx", "manifest", "en")
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == "=EVIL Given C1"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_html_is_escaped_and_translated(planned):
    data, plan = planned
    page = transport_html(data, plan, "itinerary", "zh-Hans")
    assert '<html lang="zh-Hans">' in page and "代表团交通行程" in page and "未安排乘车" in page
    assert "<td>=EVIL" not in page  # names are in manifests, not itineraries
    manifest_page = transport_html(data, plan, "manifest", "en")
    assert "=EVIL Given C1" in manifest_page and "<script" not in manifest_page
    with pytest.raises(ValueError):
        transport_html(data, plan, "manifest", "fr")


def test_empty_plan_says_so(tmp_path):
    data = make_dataset()
    assert "No transport is planned." in transport_html(data, Plan(), "timetable", "en")
    path = write_transport_xlsx(data, Plan(), tmp_path / "e.xlsx", "overview", "en")
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "No transport is planned."
