"""Coordinators' lists: rosters per place and day, eligible shifts, CSV/XLSX/HTML exports, iCalendar files."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest

from planner.plan import Plan
from planner.volunteer_lists import (
    eligible_shifts,
    eligible_shifts_by_volunteer,
    ics_fold,
    language_list,
    roster_by_place_day,
    roster_html,
    roster_lines,
    staffing_by_place_day,
    volunteer_calendar,
    write_roster_csv,
    write_roster_xlsx,
    write_volunteer_calendars,
)
from tests.builders import delegation_row, hotel_row, make_dataset, shift_row, venue_row, volunteer_row

STAMP = datetime(2007, 9, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def data():
    return make_dataset(
        people=[],
        sessions=[],
        delegations=[delegation_row("VEN", "es;en", name_zh="委内瑞拉")],
        venues=[venue_row("V01", name_zh="上海体育场"), venue_row("V02", lat=31.2, lon=121.5)],
        hotels=[hotel_row("H01", name_zh="锦江饭店")],
        rooms=[],
        vehicles=[],
        travel_times=[],
        volunteers=[
            volunteer_row("W1", "zh;en", family_name="王", given_name="芳"),
            volunteer_row("W2", "zh;es", "first_aid", family_name="=cmd", given_name="<b>Li</b>"),
            volunteer_row("W3", "zh", available_from="2007-10-04", max_hours_per_day=4),
        ],
        shifts=[
            shift_row("A", place="V01", date="2007-10-03", start="08:00", end="12:00", needed=2),
            shift_row("B", place="V02", date="2007-10-03", start="13:00", end="17:00", languages="es;fr"),
            shift_row("C", place="H01", date="2007-10-04", start="07:00", end="13:00", skills="first_aid"),
            shift_row("D", place="V01", date="2007-10-04", start="08:00", end="12:00", function="usher, gate 3; east"),
        ],
    )


@pytest.fixture
def plan():
    return Plan(
        roster=[
            {"volunteer": "W2", "shift": "B"},
            {"volunteer": "W1", "shift": "A"},
            {"volunteer": "W3", "shift": "D"},
            {"volunteer": "W1", "shift": "D"},
        ],
        liaisons=[{"volunteer": "W2", "delegation": "VEN"}],
    )


def test_roster_lines_per_place_and_day(data, plan) -> None:
    lines = roster_lines(data, plan)
    assert [(x.date, x.place, x.volunteer) for x in lines] == [
        (date(2007, 10, 3), "V01", "W1"),
        (date(2007, 10, 3), "V02", "W2"),
        (date(2007, 10, 4), "V01", "W1"),
        (date(2007, 10, 4), "V01", "W3"),
    ]
    assert lines[0].name == "王芳" and lines[1].name == "=cmd <b>Li</b>"
    assert [x.volunteer for x in roster_lines(data, plan, place="V01", day=date(2007, 10, 4))] == ["W1", "W3"]
    groups = roster_by_place_day(data, plan, lang="zh-Hans")
    assert list(groups) == [("V01", date(2007, 10, 3)), ("V01", date(2007, 10, 4)), ("V02", date(2007, 10, 3))]
    assert groups[("V01", date(2007, 10, 3))][0].place_name == "上海体育场"
    staffing = {(s.place, s.date): (s.needed, s.filled, s.short) for s in staffing_by_place_day(data, plan)}
    assert staffing[("V01", date(2007, 10, 3))] == (2, 1, 1)
    assert staffing[("H01", date(2007, 10, 4))] == (1, 0, 1)


@pytest.mark.parametrize(
    ("volunteer", "allowed", "forbidden"),
    [
        ("W1", {"A", "D"}, {"B", "C"}),  # no Spanish or French, no first aid
        ("W2", {"A", "B", "C", "D"}, set()),
        ("W3", {"D"}, {"A", "B", "C"}),  # from 10-04 only, 4 hours a day (C is 6 h)
    ],
)
def test_eligible_shifts(data, volunteer: str, allowed: set[str], forbidden: set[str]) -> None:
    mine = {s.id for s in eligible_shifts(data, volunteer)}
    assert allowed <= mine and not (forbidden & mine)


def test_liaison_duty_days_are_not_eligible(data, plan) -> None:
    # W2 is VEN's liaison 2007-10-01 .. 2007-10-05: none of its shifts are eligible then
    assert eligible_shifts(data, "W2", plan) == []
    assert {s.id for s in eligible_shifts(data, "W2")} == {"A", "B", "C", "D"}


def test_eligible_shifts_by_volunteer_agrees_with_one_by_one(data, plan) -> None:
    every = eligible_shifts_by_volunteer(data, plan)
    for v in data.volunteers:
        assert every[v] == [s.id for s in eligible_shifts(data, v, plan)]


def test_roster_csv_in_chinese(tmp_path, data, plan) -> None:
    path = write_roster_csv(data, plan, tmp_path / "roster.csv", lang="zh-Hans")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8 Chinese correctly
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["日期", "地点编号", "地点", "班次"]
    assert len(rows) == 5
    names = [r[8] for r in rows[1:]]
    assert "王芳" in names and "'=cmd <b>Li</b>" in names  # a formula-like name is escaped


def test_roster_xlsx(tmp_path, data, plan) -> None:
    path = write_roster_xlsx(data, plan, tmp_path / "roster.xlsx", lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["roster", "liaisons"]
    rows = list(book["roster"].iter_rows(values_only=True))
    assert rows[0][0] == "Date" and len(rows) == 5
    cells = [c for row in book["roster"].iter_rows() for c in row if c.value == "=cmd <b>Li</b>"]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    liaisons = list(book["liaisons"].iter_rows(values_only=True))
    assert liaisons[1][0] == "VEN" and liaisons[1][4] == "W2"


def test_roster_html(data, plan) -> None:
    page = roster_html(data, plan, lang="zh-Hans")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-Hans">' in page
    assert "&lt;b&gt;Li&lt;/b&gt;" in page and "<b>Li</b>" not in page
    assert page.count("<section>") == 3
    assert "委内瑞拉" in page and "上海体育场" in page
    one = roster_html(data, plan, place="V02")
    assert one.count("<section>") == 1 and "Delegation liaisons" not in one


def test_language_names() -> None:
    assert language_list(["fr", "es"]) == "French or Spanish"
    assert language_list(["fr", "es", "ar"], "and") == "French, Spanish and Arabic"
    assert language_list(["fr", "es"], lang="zh-Hans") == "法语或西班牙语"
    assert language_list(["xx"]) == "xx"


# ----------------------------------------------------------------- iCalendar
def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: CRLF line ends; a line starting with a space continues the previous one."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def components(lines: list[str]) -> list[tuple[str, dict[str, str]]]:
    """(name, properties) of each component, checking BEGIN/END nesting."""
    stack: list[tuple[str, dict[str, str]]] = []
    done = []
    for line in lines:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^;:]+)*", name), line
        if name == "BEGIN":
            stack.append((value, {}))
        elif name == "END":
            comp, props = stack.pop()
            assert comp == value
            done.append((comp, props))
        else:
            stack[-1][1][name] = value
    assert not stack
    return done


def test_icalendar_structure(data, plan) -> None:
    text = volunteer_calendar(data, plan, "W1", stamp=STAMP)
    comps = components(unfold(text))
    cal = comps[-1]
    assert cal[0] == "VCALENDAR" and cal[1]["VERSION"] == "2.0" and cal[1]["PRODID"]
    events = [props for name, props in comps if name == "VEVENT"]
    assert len(events) == 2
    for ev in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(ev)
        assert ev["DTSTAMP"] == "20070920T080000Z"
    # 08:00-12:00 in Shanghai (UTC+8) is 00:00-04:00 UTC
    assert (events[0]["DTSTART"], events[0]["DTEND"]) == ("20071003T000000Z", "20071003T040000Z")
    # the function "usher, gate 3; east" is escaped text
    assert events[1]["SUMMARY"].startswith("usher\\, gate 3\\; east - ")
    assert len({ev["UID"] for ev in events}) == 2


def test_icalendar_liaison_duty_is_all_day(data, plan) -> None:
    comps = components(unfold(volunteer_calendar(data, plan, "W2", lang="zh-Hans", stamp=STAMP)))
    events = [props for name, props in comps if name == "VEVENT"]
    duty = next(ev for ev in events if ev["UID"].startswith("liaison-"))
    # VEN stays 2007-10-01 .. 2007-10-05; DTEND of an all-day event is the day after
    assert duty["DTSTART;VALUE=DATE"] == "20071001" and duty["DTEND;VALUE=DATE"] == "20071006"
    assert "委内瑞拉" in duty["SUMMARY"]


def test_icalendar_files_per_volunteer(tmp_path, data, plan) -> None:
    paths = write_volunteer_calendars(data, plan, tmp_path, stamp=STAMP)
    assert sorted(p.name for p in paths) == ["W1.ics", "W2.ics", "W3.ics"]
    for p in paths:
        components(unfold(p.read_bytes().decode("utf-8")))
    with pytest.raises(KeyError):
        volunteer_calendar(data, plan, "NOBODY")


def test_ics_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "上海体育场" * 20
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
