"""Shift patterns: many shifts at once, valid rows, every problem reported together."""

from __future__ import annotations

from datetime import date, time

import pytest

from planner.shift_patterns import ShiftPattern, ShiftPatternError, expand_pattern, expand_patterns
from tests.builders import hotel_row, make_dataset, shift_row, venue_row


def places() -> dict:
    return {
        "venues": [venue_row("V01"), venue_row("V02", lat=31.2, lon=121.5), venue_row("V03", lat=31.3, lon=121.4)],
        "hotels": [hotel_row("H01"), hotel_row("H02", approved=False)],
        "rooms": [],
        "vehicles": [],
        "travel_times": [],
    }


@pytest.fixture
def data():
    return make_dataset(**places(), shifts=[shift_row("V01-20071004-0700-spectator_services")])


def pattern(**kw) -> ShiftPattern:
    base = dict(
        function="spectator_services",
        first_date="2007-10-03",
        last_date="2007-10-06",
        start="07:00",
        end="13:00",
        needed=4,
    )
    return ShiftPattern(**{**base, **kw})


def test_every_day_at_every_venue(data) -> None:
    rows = expand_pattern(data, pattern(languages="EN;fr", skills="First_Aid"))
    assert len(rows) == 4 * 3
    assert {r["place"] for r in rows} == {"V01", "V02", "V03"}
    assert {r["date"] for r in rows} == {date(2007, 10, d) for d in range(3, 7)}
    first = rows[0]
    assert (first["start"], first["end"], first["needed"]) == (time(7), time(13), 4)
    assert first["languages"] == ("en", "fr") and first["skills"] == ("first_aid",)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    # an id that already exists gets a suffix
    assert "V01-20071004-0700-spectator_services-2" in ids
    assert "V01-20071004-0700-spectator_services" not in ids


def test_rows_make_a_valid_workbook(data) -> None:
    rows = expand_patterns(
        data,
        [pattern(places="all"), pattern(function="reception desk", places="H01;V02", start="13:00", end="19:00")],
    )
    assert len({r["id"] for r in rows}) == len(rows) == 4 * 4 + 4 * 2  # "all" = venues and approved hotels
    rebuilt = make_dataset(**places(), shifts=rows)  # validated like an imported workbook
    assert len(rebuilt.shifts) == len(rows)
    assert all(rebuilt.shifts[r["id"]].start_min in (420, 780) for r in rows)


def test_weekdays_and_listed_places(data) -> None:
    rows = expand_pattern(
        data, pattern(places=("V02",), first_date="2007-10-01", last_date="2007-10-14", weekdays=(5, 6))
    )
    assert [r["date"].isoformat() for r in rows] == ["2007-10-06", "2007-10-07", "2007-10-13", "2007-10-14"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "07:00"}, "end"),
        ({"end": "25:00"}, "end"),
        ({"last_date": "2007-10-01"}, "last_date"),
        ({"first_date": "3 Oct"}, "first_date"),
        ({"needed": 0}, "needed"),
        ({"needed": True}, "needed"),
        ({"places": "V09"}, "places"),
        ({"places": ""}, "places"),
        ({"languages": "english"}, "languages"),
        ({"function": " "}, "function"),
        ({"weekdays": (7,)}, "weekdays"),
        ({"id_prefix": "bad prefix"}, "id_prefix"),
        ({"first_date": "2007-01-01", "last_date": "2008-12-31"}, "last_date"),
    ],
)
def test_each_problem_is_reported(data, changes: dict, field: str) -> None:
    with pytest.raises(ShiftPatternError) as err:
        expand_pattern(data, pattern(**changes))
    assert field in {p.field for p in err.value.problems}


def test_all_problems_at_once_and_nothing_made(data) -> None:
    with pytest.raises(ShiftPatternError) as err:
        expand_patterns(data, [pattern(), pattern(end="06:00", needed=-1, places="V01;NOPE")])
    fields = {p.field for p in err.value.problems}
    assert fields == {"pattern 2 end", "pattern 2 needed", "pattern 2 places"}
    assert "NOPE" in str(err.value)


def test_long_functions_still_make_valid_ids(data) -> None:
    rows = expand_pattern(data, pattern(function="x" * 90, id_prefix="SS-", places="V01", last_date="2007-10-03"))
    (row,) = rows
    assert len(row["id"]) <= 64 and row["id"].startswith("SS-V01-20071003-0700-x")
