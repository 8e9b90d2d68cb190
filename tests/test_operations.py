"""Hotel surveys, room pins and volunteer attendance (use cases the CLI and web share)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from planner.models import Hotel, Pin
from planner.plan import Plan
from planner.services.attendance import check_in, check_out, hours_worked, not_arrived
from planner.services.hotels import InputError, SurveyInput, pin_person, record_survey, surveys_of, unpin_person
from planner.services.workbook import load_dataset
from tests.builders import make_workbook, person_row
from tests.dbhelpers import load, store_accepted


def _survey(**kw: object) -> SurveyInput:
    base = dict(
        hotel="H02",
        surveyed_on=date(2007, 5, 10),
        fire_safety=True,
        food_safety=True,
        security=True,
        accessibility=True,
        halal_kitchen=False,
        score=82.0,
    )
    base.update(kw)
    return SurveyInput(**base)  # type: ignore[arg-type]


def test_a_passing_survey_approves_a_hotel_and_a_failing_one_withdraws_it(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook())
    with Session(sqlite_engine) as s:
        record_survey(s, _survey())
        assert s.exec(select(Hotel).where(Hotel.id == "H02")).one().approved is True
        record_survey(s, _survey(surveyed_on=date(2007, 6, 1), fire_safety=False))
        hotel = s.exec(select(Hotel).where(Hotel.id == "H02")).one()
        assert hotel.approved is False
        assert [x.surveyed_on for x in surveys_of(s, "H02")] == [date(2007, 6, 1), date(2007, 5, 10)]


def test_the_latest_survey_decides_not_the_one_typed_in_last(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook())
    with Session(sqlite_engine) as s:
        record_survey(s, _survey(surveyed_on=date(2007, 9, 1), fire_safety=False, score=40.0))
        # a back-dated passing survey joins the history but does not approve the hotel
        record_survey(s, _survey(surveyed_on=date(2007, 3, 1), score=90.0, halal_kitchen=True))
        hotel = s.exec(select(Hotel).where(Hotel.id == "H02")).one()
        assert (hotel.approved, hotel.survey_score, hotel.halal_kitchen) == (False, 40.0, False)
        assert [x.surveyed_on for x in surveys_of(s, "H02")] == [date(2007, 9, 1), date(2007, 3, 1)]
        # a later one, and one on the same day entered later, decide
        record_survey(s, _survey(surveyed_on=date(2007, 9, 5), score=85.0))
        assert s.exec(select(Hotel).where(Hotel.id == "H02")).one().approved is True
        record_survey(s, _survey(surveyed_on=date(2007, 9, 5), security=False, score=50.0))
        hotel = s.exec(select(Hotel).where(Hotel.id == "H02")).one()
        assert (hotel.approved, hotel.survey_score) == (False, 50.0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hotel": "NOPE"}, "hotel"),
        ({"score": 140.0}, "score"),
        ({"security": False, "approve": True}, "approve"),
        ({"surveyed_on": date(2072, 5, 10)}, "surveyed_on"),  # 2027 mistyped: it would decide for good
    ],
)
def test_survey_input_errors_name_the_field_and_save_nothing(sqlite_engine, changes: dict, field: str) -> None:
    load(sqlite_engine, make_workbook())
    with Session(sqlite_engine) as s:
        with pytest.raises(InputError) as info:
            record_survey(s, _survey(**changes))
        assert info.value.field == field
        assert surveys_of(s, "H02") == []


def test_pins_respect_needs_and_approval(sqlite_engine) -> None:
    wb = make_workbook(people=[person_row("P1", needs="wheelchair"), person_row("P2", role="coach")])
    load(sqlite_engine, wb)
    with Session(sqlite_engine) as s:
        with pytest.raises(InputError, match="accessible"):
            pin_person(s, "P1", "H01", "201")
        with pytest.raises(InputError, match="not approved"):
            pin_person(s, "P2", "H02", "101")
        pin_person(s, "P1", "H01", "101")
        pin_person(s, "P1", "H01", "101", note="again")  # re-pinning updates, never duplicates
        assert len(list(s.exec(select(Pin)))) == 1
        assert unpin_person(s, "P1") and not unpin_person(s, "P1")


def test_pins_keep_room_mates_of_one_group_and_within_the_beds(sqlite_engine) -> None:
    people = [
        person_row("P3", departure_date="2007-10-03"),
        person_row("P4"),
        person_row("P5", gender="M"),
        person_row("P6", role="coach"),
        person_row("P7"),
        person_row("P8", arrival_date="2007-10-03"),
    ]
    load(sqlite_engine, make_workbook(people=people))
    with Session(sqlite_engine) as s:
        pin_person(s, "P3", "H01", "201")
        pin_person(s, "P4", "H01", "201")
        for person, words in (("P5", "pinned to P3"), ("P6", "pinned to P3"), ("P7", "all pinned to other people")):
            with pytest.raises(InputError, match=words) as info:
                pin_person(s, person, "H01", "201")
            assert info.value.field == "room"
        with pytest.raises(InputError, match="2007-10-01"):
            pin_person(s, "P7", "H01", "201")
        pin_person(s, "P8", "H01", "201")  # P3 leaves on the 3rd: P8 takes the bed from that night
        assert sorted(p.person for p in s.exec(select(Pin))) == ["P3", "P4", "P8"]
        pin_person(s, "P4", "H01", "201", note="again")  # re-pinning is no extra person
        with pytest.raises(InputError) as info:
            pin_person(s, "P7", "NOPE", "201")
        assert info.value.field == "hotel"


def test_an_import_that_drops_a_checked_in_volunteer_or_shift_is_refused_whole(sqlite_engine) -> None:
    from planner.models import ShiftAttendance, Volunteer
    from planner.services.workbook import apply_workbook
    from planner.workbook.io import WorkbookRejected

    load(sqlite_engine, make_workbook())
    store_accepted(sqlite_engine, "volunteers", Plan(roster=[{"volunteer": "L1", "shift": "F1"}]))
    with Session(sqlite_engine) as s:
        check_in(s, "L1", "F1", at=datetime(2007, 10, 3, 0, 0, tzinfo=UTC))
        without_l1 = make_workbook()
        without_l1.tables["volunteers"] = [v for v in without_l1.tables["volunteers"] if v["id"] != "L1"]
        without_l1.tables["people"][0]["given_name"] = "Changed"  # a valid change that must not land either
        with pytest.raises(WorkbookRejected) as info:
            apply_workbook(s, without_l1, "new.xlsx")
        s.rollback()
        ((error),) = info.value.errors
        assert (error.file, error.column) == ("new.xlsx:volunteers", "id")
        assert (
            "'L1' is not in this new.xlsx:volunteers, but 1 check-ins (hours worked) name it: keep its row"
            in error.message
        )
        assert s.exec(select(Volunteer).where(Volunteer.id == "L1")).first() is not None
        assert len(list(s.exec(select(ShiftAttendance)))) == 1
        assert load_dataset(s).people["P1"].given_name != "Changed"


def test_check_in_out_records_hours_and_finds_who_is_missing(sqlite_engine) -> None:
    load(sqlite_engine, make_workbook())
    store_accepted(sqlite_engine, "volunteers", Plan(roster=[{"volunteer": "L1", "shift": "F1"}]))
    with Session(sqlite_engine) as s:
        data = load_dataset(s)
        shift_day = data.shifts["F1"].date
        assert not_arrived(s, data, datetime(shift_day.year, shift_day.month, shift_day.day, 9, 0)) == [
            {"volunteer": "L1", "shift": "F1", "place": "V01"}
        ]
        with pytest.raises(InputError):
            check_in(s, "L2", "F1")  # not rostered
        check_in(s, "L1", "F1", at=datetime(2007, 10, 3, 0, 0, tzinfo=UTC))
        with pytest.raises(InputError, match="already"):
            check_in(s, "L1", "F1")
        row = check_out(s, "L1", "F1", at=datetime(2007, 10, 3, 4, 30, tzinfo=UTC))
        assert row.hours_worked == 4.5
        assert hours_worked(s) == {"L1": 4.5}
        assert not_arrived(s, data, datetime(shift_day.year, shift_day.month, shift_day.day, 9, 0)) == []
