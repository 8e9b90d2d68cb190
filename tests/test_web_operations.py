# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Operations pages: hotel surveys, room pins, the plan run's explanations, volunteer check-in, shift patterns, roster files."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
from sqlmodel import Session, select

from planner.models import Hotel, HotelSurvey, Pin, PlanRun, Shift, ShiftAttendance
from planner.plan import Plan
from planner.users import AuditLog
from tests.builders import liaison_row, roster_row
from tests.dbhelpers import store_accepted
from tests.webhelpers import app, client, login, post, web_template  # noqa: F401

SURVEY = {
    "surveyed_on": "2007-05-10",
    "surveyor": "Wang",
    "fire_safety": "yes",
    "food_safety": "yes",
    "security": "yes",
    "accessibility": "yes",
    "score": "82",
    "decision": "auto",
}


def engine_of(app):
    return app.extensions["planner.engine"]


def hotel(app, hotel_id):
    with Session(engine_of(app)) as s:
        return s.exec(select(Hotel).where(Hotel.id == hotel_id)).one()


# ---------------------------------------------------------------- surveys


def test_a_passing_survey_approves_the_hotel_and_is_listed(client, app):
    login(client, "housing")
    assert not hotel(app, "H02").approved
    response = post(client, "/accommodation/hotels/H02", SURVEY)
    assert response.status_code == 302
    h = hotel(app, "H02")
    assert h.approved and h.survey_score == 82
    page = client.get("/accommodation/hotels/H02").get_data(as_text=True)
    assert "2007-05-10" in page and "Wang" in page
    assert "Survey recorded: the hotel is approved." in page
    index = client.get("/accommodation/").get_data(as_text=True)
    assert re.search(r"H02</span></th>\s*<td>yes</td>\s*<td class=\"number\">82</td>", index)
    with Session(engine_of(app)) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.entity == "hotel_surveys")).one()
        assert (entry.username, entry.record) == ("housing", "H02")


def test_survey_errors_are_shown_next_to_their_fields(client, app):
    login(client)
    response = post(client, "/accommodation/hotels/H02", {**SURVEY, "score": "150", "surveyed_on": "2007-02-30"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="error-score">The score is a number from 0 to 100', page)
    for wrong in ({"score": "1_0"}, {"surveyed_on": "0001-01-01"}):
        assert post(client, "/accommodation/hotels/H02", {**SURVEY, **wrong}).status_code == 422
    assert 'id="error-surveyed_on"' in page and 'href="#survey-score"' in page
    # the service's own rule: a hotel failing fire safety cannot be approved
    unsafe = {k: v for k, v in SURVEY.items() if k != "fire_safety"}
    response = post(client, "/accommodation/hotels/H02", {**unsafe, "decision": "approve"})
    assert response.status_code == 422
    assert re.search(r'id="error-decision">[^<]*cannot be approved', response.get_data(as_text=True))
    with Session(engine_of(app)) as s:
        assert s.exec(select(HotelSurvey)).all() == []
    assert not hotel(app, "H02").approved


def test_a_failing_survey_withdraws_approval(client, app):
    login(client)
    assert hotel(app, "H01").approved
    assert post(client, "/accommodation/hotels/H01", {**SURVEY, "score": "40"}).status_code == 302
    assert not hotel(app, "H01").approved


def test_a_back_dated_survey_is_kept_but_the_latest_decides(client, app):
    login(client, "housing")
    later = {**SURVEY, "surveyed_on": "2007-09-01", "score": "40"}
    assert post(client, "/accommodation/hotels/H01", later).status_code == 302
    zh = {"Accept-Language": "zh-CN"}
    back_dated = {**SURVEY, "surveyed_on": "2007-03-01", "score": "95"}
    assert post(client, "/accommodation/hotels/H01", back_dated, headers=zh).status_code == 302
    assert not hotel(app, "H01").approved and hotel(app, "H01").survey_score == 40
    page = client.get("/accommodation/hotels/H01", headers=zh).get_data(as_text=True)
    assert "2007-09-01" in page and "2007-03-01" in page
    assert "2007-09-01 的评估日期更晚，仍以其为准：该酒店未获批准" in page


def test_only_accommodation_roles_record_surveys(client):
    login(client, "reader")
    page = client.get("/accommodation/hotels/H01").get_data(as_text=True)
    assert "Past surveys" in page and "Record the survey" not in page
    assert post(client, "/accommodation/hotels/H01", SURVEY).status_code == 403
    post(client, "/logout")
    login(client, "liaison")
    assert client.get("/accommodation/").status_code == 403


# ------------------------------------------------------------------- pins


def test_pin_and_release_a_room(client, app):
    login(client, "housing")
    response = post(
        client, "/accommodation/pins", {"person": "P1", "hotel": "H01", "room": "101", "note": "wheelchair"}
    )
    assert response.status_code == 302
    page = client.get("/accommodation/pins").get_data(as_text=True)
    assert re.search(r"<td>P1</td><td>Family P1 Given P1</td><td>VEN</td>\s*<td>H01</td><td>101</td>", page)
    with Session(engine_of(app)) as s:
        assert s.exec(select(Pin)).one().created_by == "housing"
    assert post(client, "/accommodation/pins/remove", {"person": "P1"}).status_code == 302
    with Session(engine_of(app)) as s:
        assert s.exec(select(Pin)).all() == []
        assert len(s.exec(select(AuditLog).where(AuditLog.entity == "pins")).all()) == 2
    assert post(client, "/accommodation/pins/remove", {"person": "P1"}).status_code == 404


def test_pin_errors_name_the_field(client):
    login(client)
    response = post(client, "/accommodation/pins", {"person": "P1", "hotel": "H02", "room": "101"})
    assert response.status_code == 422
    assert re.search(r'id="error-hotel">[^<]*not approved', response.get_data(as_text=True))
    response = post(client, "/accommodation/pins", {"person": "NOBODY", "hotel": "H01", "room": "101"})
    assert re.search(r'id="error-person">[^<]*no person', response.get_data(as_text=True))
    response = post(client, "/accommodation/pins", {"person": "P1", "hotel": "H01", "room": "999"})
    assert re.search(r'id="error-room">[^<]*no room', response.get_data(as_text=True))
    response = post(client, "/accommodation/pins", {"person": "", "hotel": "", "room": ""})
    assert (
        len(
            re.findall(
                r'<p class="field-error" id="error-\w+">This field is required.</p>', response.get_data(as_text=True)
            )
        )
        == 3
    )


def test_only_planners_pin(client):
    login(client, "coach")
    assert "Pin a person to a room" not in client.get("/accommodation/pins").get_data(as_text=True)
    assert post(client, "/accommodation/pins", {"person": "P1", "hotel": "H01", "room": "101"}).status_code == 403


# ------------------------------------------------------ plan explanations


def test_run_page_explains_costs_shortage_and_moves(client, app):
    penalties = [
        {
            "rule": "extra_hotel",
            "weight": 1000,
            "amount": 2,
            "cost": 2000,
            "touches": ["VEN", "CHN"],
            "doc": "Soft rule",
        },
        {"rule": "bed_night_cost", "weight": 1, "amount": 3677430, "cost": 3677430, "touches": [], "doc": ""},
    ]
    stats = {"shortage": [{"gender": "F", "night": "2007-10-03", "need": "accessible_room", "short": 2}], "people": 2}
    moved = [
        {"person": "P1", "from": "H01/101", "to": "H01/201", "reason": "their new dates do not fit", "forced": True}
    ]
    with Session(engine_of(app)) as s:
        run = PlanRun(
            kind="accommodation",
            status="partial",
            objective=3679430,
            penalties=json.dumps(penalties),
            stats=json.dumps(stats),
            moved=json.dumps(moved),
        )
        s.add(run)
        s.commit()
        run_id = run.id
    login(client)
    page = client.get(f"/plans/runs/{run_id}").get_data(as_text=True)
    costs = page.split('id="cost-heading"', 1)[1].split("</table>", 1)[0]
    assert costs.index("bed_night_cost") < costs.index("extra_hotel")  # the largest cost first
    assert '<td class="number">3,677,430</td>' in costs and "<td>VEN, CHN</td>" in costs
    assert '<td class="number">100%</td>' in costs and '<td class="number">0%</td>' in costs
    assert re.search(r"<td>2007-10-03</td><td>female</td><td>accessible room</td><td class=\"number\">2</td>", page)
    assert re.search(
        r"<td>P1</td>\s*<td>H01/101</td>\s*<td>H01/201</td>\s*<td>their new dates do not fit</td>\s*<td>yes</td>", page
    )


# -------------------------------------------------------------- volunteers


def with_roster(app):
    store_accepted(
        engine_of(app), "volunteers", Plan(roster=[roster_row("L1", "F1")], liaisons=[liaison_row("L2", "VEN")])
    )


def test_check_in_and_out_with_hours_and_who_has_not_arrived(client, app):
    with_roster(app)
    login(client, "coach")
    page = client.get("/volunteers/?day=2007-10-03&as_of=09:00").get_data(as_text=True)
    missing = page.split('id="missing-heading"', 1)[1].split("</section>", 1)[0]
    assert "Not arrived yet (1)" in page and ">L1</a>" in missing
    assert post(client, "/volunteers/check-in", {"volunteer": "L1", "shift": "F1", "time": "08:05"}).status_code == 302
    page = client.get("/volunteers/?day=2007-10-03&as_of=09:00").get_data(as_text=True)
    assert "Not arrived yet (0)" in page and "2007-10-03 08:05" in page
    post(client, "/volunteers/check-out", {"volunteer": "L1", "shift": "F1", "time": "12:35"})
    with Session(engine_of(app)) as s:
        row = s.exec(select(ShiftAttendance)).one()
        assert row.hours_worked == 4.5
        assert row.checked_in.hour == 0 and row.checked_in.minute == 5  # 08:05 in Shanghai is 00:05 UTC
    page = client.get("/volunteers/?day=2007-10-03").get_data(as_text=True)
    assert re.search(r"L1</a></td><td>Family L1 Given L1</td><td>4.50</td>", page)


def test_check_in_refusals_are_explained(client, app):
    with_roster(app)
    login(client)
    response = post(client, "/volunteers/check-in", {"volunteer": "L2", "shift": "F1"}, follow_redirects=True)
    assert "Not recorded: volunteer L2 is not on shift F1" in response.get_data(as_text=True)
    response = post(client, "/volunteers/check-out", {"volunteer": "L1", "shift": "F1"}, follow_redirects=True)
    assert "has not checked in" in response.get_data(as_text=True)
    response = post(
        client, "/volunteers/check-in", {"volunteer": "L1", "shift": "F1", "time": "8h"}, follow_redirects=True
    )
    assert "Enter the time as HH:MM" in response.get_data(as_text=True)
    with Session(engine_of(app)) as s:
        assert s.exec(select(ShiftAttendance)).all() == []
    post(client, "/logout")
    login(client, "reader")
    assert post(client, "/volunteers/check-in", {"volunteer": "L1", "shift": "F1"}).status_code == 403


def test_volunteer_page_lists_eligible_shifts_and_calendar(client, app):
    with_roster(app)
    login(client)
    page = client.get("/volunteers/people/L1").get_data(as_text=True)
    eligible = page.split('id="eligible-heading"', 1)[1]
    assert "<td>F1</td><td>yes</td>" in eligible
    assert "/lists/calendars/L1.ics?lang=en" in page
    # L2 speaks only Spanish and has no first-aid skill: F1 needs first aid
    assert (
        "<td>F1</td>"
        not in client.get("/volunteers/people/L2").get_data(as_text=True).split('id="eligible-heading"', 1)[1]
    )
    calendar = client.get("/lists/calendars/L1.ics?lang=en")
    text = calendar.get_data(as_text=True)
    assert calendar.mimetype == "text/calendar" and text.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:20071003T000000Z" in text  # 08:00 Shanghai
    assert client.get("/lists/calendars/NOBODY.ics").status_code == 404


def test_roster_downloads_in_two_languages_are_audited(client, app):
    with_roster(app)
    login(client, "coach")
    assert "/lists/rosters.xlsx?lang=zh-Hans" in client.get("/lists/").get_data(as_text=True)
    csv_zh = client.get("/lists/rosters.csv?lang=zh-Hans")
    assert csv_zh.data.startswith("\ufeff".encode()) and "志愿者" in csv_zh.data.decode("utf-8-sig").splitlines()[0]
    assert "Family L1 Given L1" in csv_zh.data.decode("utf-8-sig")
    xlsx = client.get("/lists/rosters.xlsx?lang=en")
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(xlsx.data)).namelist()
    html = client.get("/lists/rosters.html?lang=en").get_data(as_text=True)
    assert "F1" in html and "Delegation liaisons" in html
    assert client.get("/lists/rosters.pdf?lang=en").status_code == 404
    assert client.get("/lists/rosters.csv?lang=fr").status_code == 404
    with Session(engine_of(app)) as s:
        exports = s.exec(select(AuditLog).where(AuditLog.entity == "roster")).all()
        assert sorted(json.loads(e.detail)["format"] for e in exports) == ["csv", "html", "xlsx"]
    post(client, "/logout")
    login(client, "liaison")
    assert client.get("/lists/rosters.csv?lang=en").status_code == 403


# ----------------------------------------------------------- shift patterns

PATTERN = {
    "function": "spectator_services",
    "first_date": "2007-10-03",
    "last_date": "2007-10-05",
    "start": "07:00",
    "end": "13:00",
    "needed": "4",
    "places_choice": "list",
    "places": "V01;H01",
    "languages": "en",
}


def test_pattern_preview_then_save(client, app):
    login(client, "coach")
    preview = post(client, "/volunteers/patterns", {**PATTERN, "action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "6 shifts would be created" in page
    assert "Save 6 shifts" in page and "V01-20071003-0700-spectator_services" in page
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(Shift)).all()) == 1  # nothing saved by a preview
    saved = post(client, "/volunteers/patterns", {**PATTERN, "action": "save"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/records/shifts")
    with Session(engine_of(app)) as s:
        shifts = s.exec(select(Shift).where(Shift.function == "spectator_services")).all()
        assert sorted({(x.place, str(x.date)) for x in shifts}) == sorted(
            (p, f"2007-10-0{d}") for p in ("V01", "H01") for d in (3, 4, 5)
        )
        assert all(x.needed == 4 and x.languages == "en" for x in shifts)
        entry = s.exec(select(AuditLog).where(AuditLog.entity == "shifts")).one()
        assert json.loads(entry.detail)["created"] == 6
    # the same pattern again makes new ids, never overwriting
    post(client, "/volunteers/patterns", {**PATTERN, "action": "save"})
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(Shift).where(Shift.function == "spectator_services")).all()) == 12


def test_pattern_errors_are_shown_next_to_the_fields(client, app):
    login(client)
    bad = {**PATTERN, "end": "06:00", "places": "V01;NOWHERE", "languages": "english", "action": "save"}
    response = post(client, "/volunteers/patterns", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("end", "places", "languages"):
        assert re.search(rf'id="error-{name}">[^<]+<', page), name
    assert "Save " not in page
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(Shift)).all()) == 1
    post(client, "/logout")
    login(client, "reader")
    assert client.get("/volunteers/patterns").status_code == 403


# ------------------------------------------------------------ rooming lists


def with_rooming(app):
    from tests.builders import make_dataset, rooming_row, unassigned_row

    data = make_dataset()
    store_accepted(
        engine_of(app),
        "accommodation",
        Plan(
            rooming=[rooming_row(data, "P1", "H01", "101")],
            unassigned=[unassigned_row("bed", "P2", "no bed left for women of VEN on 2007-10-03")],
        ),
    )


def test_a_plan_that_no_longer_passes_is_not_accepted_and_the_page_says_why(client, app):
    from planner.services.planning import save_plan_rows
    from tests.builders import make_dataset, rooming_row

    with Session(engine_of(app)) as s:  # a plan made while H02 was approved; it is not approved now
        run = PlanRun(kind="accommodation", status="feasible", check_ok=True, check_summary="ok")
        s.add(run)
        s.commit()
        s.refresh(run)
        save_plan_rows(s, run.id, Plan(rooming=[rooming_row(make_dataset(), "P1", "H02", "101")]))
        s.commit()
        run_id = run.id
    login(client)
    response = post(client, f"/plans/runs/{run_id}/accept", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 409
    assert f"第 {run_id} 次运行的方案在当前数据上已通不过独立核查" in response.get_data(as_text=True)
    with Session(engine_of(app)) as s:
        stored = s.get(PlanRun, run_id)
        assert stored is not None and not stored.accepted and stored.check_ok is False
    page = client.get(f"/plans/runs/{run_id}").get_data(as_text=True)
    assert "P1 is roomed in hotel H02, which is not approved" in page  # the run's check lists the broken rule


def test_rooming_list_files_per_hotel_with_needs_for_those_who_may_see_them(client, app):
    from planner.models import Person

    with Session(engine_of(app)) as s:
        p1 = s.exec(select(Person).where(Person.id == "P1")).one()
        p1.needs = "wheelchair"
        s.add(p1)
        s.commit()
    with_rooming(app)
    login(client)
    assert "/lists/rooming/H01.xlsx?lang=zh-Hans" in client.get("/lists/rooming/H01").get_data(as_text=True)
    text = client.get("/lists/rooming/H01.csv?lang=zh-Hans").data.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "姓名" in header and "特殊需要" in header and "FAMILY P1 Given P1" in row and "轮椅" in row
    book = zipfile.ZipFile(io.BytesIO(client.get("/lists/rooming/H01.xlsx?lang=en").data))
    assert "xl/workbook.xml" in book.namelist()
    assert "FAMILY P1" in client.get("/lists/rooming/H01.html?lang=en").get_data(as_text=True)
    assert client.get("/lists/rooming/H02.csv?lang=en").status_code == 404  # nobody housed there
    post(client, "/logout")
    login(client, "reader")
    text = client.get("/lists/rooming/H01.csv?lang=en").data.decode("utf-8-sig")
    assert "Needs" not in text and "wheelchair" not in text
    with Session(engine_of(app)) as s:
        exports = s.exec(select(AuditLog).where(AuditLog.entity == "rooming")).all()
        assert [(e.username, e.sensitive) for e in exports] == [("chair", True)] * 3 + [("reader", False)]


def test_list_pages_and_downloads_of_ids_with_a_dot(app):
    """FORMAT.md ids may hold a dot: "/rooming/regal.east" is that hotel's page, not a download in format "east"."""
    urls = app.url_map.bind("localhost")
    assert urls.match("/lists/rooming/regal.east") == ("lists.rooming", {"hotel_id": "regal.east"})
    assert urls.match("/lists/rooming/regal.east.csv") == (
        "lists.rooming_download",
        {"hotel_id": "regal.east", "fmt": "csv"},
    )
    assert urls.match("/lists/itineraries/D.1") == ("lists.itinerary", {"delegation_id": "D.1"})
    assert urls.match("/lists/itineraries/D.1.xlsx") == (
        "lists.itinerary_download",
        {"delegation_id": "D.1", "fmt": "xlsx"},
    )


def test_hotel_liaisons_download_their_own_hotels_only(client, app):
    with_rooming(app)
    login(client, "liaison")
    assert client.get("/lists/rooming/H01.csv?lang=en").status_code == 200
    assert client.get("/lists/rooming/H02.csv?lang=en").status_code == 403
    assert client.get("/lists/rooming-by-delegation/VEN.csv?lang=en").status_code == 403
    assert client.get("/lists/rooming-all-delegation.xlsx?lang=en").status_code == 403
    every = client.get("/lists/rooming-all-hotel.html?lang=en").get_data(as_text=True)
    assert "(H01)" in every and "(H02)" not in every


def test_delegation_rooming_list_names_who_has_no_bed_and_why(client, app):
    with_rooming(app)
    login(client)
    assert "/lists/rooming-by-delegation/VEN.csv?lang=en" in client.get("/lists/itineraries/VEN").get_data(as_text=True)
    text = client.get("/lists/rooming-by-delegation/VEN.csv?lang=en").data.decode("utf-8-sig")
    assert "FAMILY P1 Given P1" in text  # family names in capitals, as on passports
    assert "FAMILY P2 Given P2" in text and "no bed left for women of VEN on 2007-10-03" in text
    # every row has the header's columns; the reason is the last one, under "Reason"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(None not in row and None not in row.values() for row in rows)
    no_bed = [row for row in rows if row["Person"] == "P2"]
    assert len(no_bed) == 1 and no_bed[0]["Hotel name"] == "Without a bed" and no_bed[0]["Room"] == ""
    assert no_bed[0]["Reason"] == "no bed left for women of VEN on 2007-10-03"
    assert [row["Reason"] for row in rows if row["Person"] == "P1"] == [""]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/lists/rooming-by-delegation/VEN.xlsx?lang=en").data))
    sheet = [list(r) for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    header = sheet[0]
    p2 = next(dict(zip(header, r, strict=True)) for r in sheet[1:] if r[0] == "P2")
    assert p2["Hotel name"] == "Without a bed" and p2["Reason"].startswith("no bed left for women of VEN")
    assert client.get("/lists/rooming-by-delegation/CHN.csv?lang=en").status_code == 404
    assert client.get("/lists/rooming-by-delegation/VEN.csv?lang=fr").status_code == 404


# ----------------------------------------------------------- transport lists


def test_transport_lists_timetables_itineraries_and_guarded_manifests(client, app):
    from tests.test_web_pages import accepted_everything

    accepted_everything(app)
    login(client)
    index = client.get("/lists/").get_data(as_text=True)
    assert "/lists/transport-manifest.xlsx?lang=zh-Hans" in index
    timetable = client.get("/lists/vehicles/B1/timetable.html?lang=en").get_data(as_text=True)
    assert "09:12" in timetable and "S1" in timetable
    manifest = client.get("/lists/vehicles/B1/manifest.html?lang=zh-Hans").get_data(as_text=True)
    assert "FAMILY P1 Given P1" in manifest
    assert client.get("/lists/vehicles/NOPE/timetable.html?lang=en").status_code == 404
    book = zipfile.ZipFile(io.BytesIO(client.get("/lists/transport-overview.xlsx?lang=en").data))
    assert "xl/workbook.xml" in book.namelist()
    itinerary = client.get("/lists/itineraries/VEN.csv?lang=en").data.decode("utf-8-sig")
    assert itinerary.splitlines()[1].startswith("2007-10-03,S1,") and itinerary.splitlines()[1].endswith(",2")
    assert "/lists/itineraries/VEN.xlsx?lang=en" in client.get("/lists/itineraries/VEN").get_data(as_text=True)
    with Session(engine_of(app)) as s:
        audited = s.exec(select(AuditLog).where(AuditLog.entity == "transport")).all()
        assert [(json.loads(a.detail)["list"], a.sensitive) for a in audited] == [
            ("timetable", False),
            ("manifest", True),
            ("overview", False),
            ("itinerary", False),
        ]
    post(client, "/logout")
    login(client, "reader")  # a viewer reads timetables, not who rides in a wheelchair place
    assert client.get("/lists/vehicles/B1/timetable.xlsx?lang=en").status_code == 200
    assert client.get("/lists/vehicles/B1/manifest.xlsx?lang=en").status_code == 403
    assert client.get("/lists/transport-manifest.html?lang=en").status_code == 403
    assert "transport-manifest" not in client.get("/lists/").get_data(as_text=True)
