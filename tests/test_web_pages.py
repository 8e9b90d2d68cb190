# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Web UI pages: records with validation and locking, roles, audit, upload, downloads, plans, lists, maps."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile

import pytest
from sqlmodel import Session, select

from planner.models import Person, PlanRun
from planner.plan import Plan
from planner.services.planning import save_plan_rows
from planner.users import AuditLog
from planner.workbook.io import write_csv_folder
from tests.builders import make_dataset, make_workbook, manifest_row, rooming_row, roster_row, stop_row
from tests.dbhelpers import store_accepted
from tests.webhelpers import app, client, login, post, web_template  # noqa: F401


def person_pk(app, person_id="P1"):
    with Session(app.extensions["planner.engine"]) as s:
        return s.exec(select(Person).where(Person.id == person_id)).one().pk


def person_form(client, pk, file="people"):
    page = client.get(f"/records/{file}/{pk}").get_data(as_text=True)
    values = dict(re.findall(r'<input id="field-(\w+)" name="\w+" value="([^"]*)"', page))
    for name, block in re.findall(r'<select id="field-(\w+)" name="\w+"[^>]*>(.*?)</select>', page, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', block)
        values[name] = chosen.group(1) if chosen else ""
    version = re.search(r'name="version_id" value="(\d+)"', page)
    return values, (version.group(1) if version else None)


def test_browse_and_search_without_names_in_the_url(client):
    login(client)
    page = client.get("/records/people").get_data(as_text=True)
    assert "Family P1" in page and "Family P2" in page
    response = post(client, "/records/people/filter", {"q": "Given P2"})
    assert response.status_code == 302 and "P2" not in response.headers["Location"]
    page = client.get("/records/people").get_data(as_text=True)
    assert "Family P2" in page and "Family P1" not in page
    post(client, "/records/people/filter", {"clear": "1"})
    assert "Family P1" in client.get("/records/people").get_data(as_text=True)


def test_invalid_values_are_shown_next_to_the_field_and_nothing_is_saved(client, app):
    login(client)
    pk = person_pk(app)
    values, version = person_form(client, pk)
    values.update(birth_date="1990-02-30", gender="X")
    response = post(client, f"/records/people/{pk}", {**values, "version_id": version})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="error-birth_date">[^<]*no such date', page)
    assert 'aria-invalid="true"' in page and 'href="#field-gender"' in page
    # cross-file rules too: a departure before the arrival
    values, version = person_form(client, pk)
    values.update(arrival_date="2007-10-04", departure_date="2007-10-02")
    response = post(client, f"/records/people/{pk}", {**values, "version_id": version})
    assert response.status_code == 422 and "error-" in response.get_data(as_text=True)
    with Session(app.extensions["planner.engine"]) as s:
        assert s.get(Person, pk).arrival_date is None
    # a mistyped year: refused on its field (it would make every day-by-day page thousands of years long)
    values, version = person_form(client, pk)
    values.update(departure_date="9999-12-31")
    response = post(client, f"/records/people/{pk}", {**values, "version_id": version})
    assert response.status_code == 422
    assert re.search(
        r'id="error-departure_date">[^<]*is not between 1900-01-01 and 2100-12-31', response.get_data(as_text=True)
    )


def test_the_dashboard_lists_nights_around_the_games_only(app):
    """Stored data with a far departure (from before dates were checked) keeps the nights table short."""
    import dataclasses
    from datetime import date, timedelta

    from web.dashboard.figures import NIGHTS_MARGIN_DAYS, compute

    data = make_dataset()
    person = next(iter(data.people.values()))
    data.people[person.id] = dataclasses.replace(person, departure_date=date(2100, 12, 31))
    rooming = [rooming_row(data, person.id, "H01", "101")]  # check-out: the new departure
    figures = compute(data, Plan(rooming=rooming), date(2007, 9, 1))
    games_days = (data.event.end_date - data.event.start_date).days
    assert len(figures.nights) <= games_days + 2 * NIGHTS_MARGIN_DAYS
    assert figures.nights[-1].night == data.event.end_date + timedelta(days=NIGHTS_MARGIN_DAYS) - timedelta(days=1)
    assert all(n.occupied == 1 for n in figures.nights if n.night >= person.arrival_date)


def test_edit_saves_and_a_stale_form_is_refused(client, app):
    login(client)
    pk = person_pk(app)
    values, version = person_form(client, pk)
    stale = dict(values)
    values["given_name"] = "Maria"
    assert post(client, f"/records/people/{pk}", {**values, "version_id": version}).status_code == 302
    stale["given_name"] = "Marta"
    response = post(client, f"/records/people/{pk}", {**stale, "version_id": version})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    with Session(app.extensions["planner.engine"]) as s:
        person = s.get(Person, pk)
        assert person.given_name == "Maria" and person.version_id == int(version) + 1
        changes = s.exec(select(AuditLog).where(AuditLog.action == "change", AuditLog.entity == "people")).all()
        assert [c.record for c in changes] == ["P1"]


@pytest.mark.parametrize(
    ("file", "model", "field", "first", "second"),
    [
        ("event", "Event", "name", "Shanghai 2007 SOWSG", "Special Olympics 2007"),
        ("travel_times", "TravelTime", "minutes", "25", "35"),
    ],
)
def test_every_file_refuses_a_stale_form(client, app, file, model, field, first, second):
    """Two people editing the event or a travel time: the second save is refused, not silently applied."""
    import planner.models

    table = getattr(planner.models, model)
    with Session(app.extensions["planner.engine"]) as s:
        pk = s.exec(select(table)).first().pk
    login(client)
    values, version = person_form(client, pk, file)
    assert version is not None
    stale = dict(values)
    assert post(client, f"/records/{file}/{pk}", {**values, field: first, "version_id": version}).status_code == 302
    response = post(client, f"/records/{file}/{pk}", {**stale, field: second, "version_id": version})
    assert response.status_code == 409
    with Session(app.extensions["planner.engine"]) as s:
        assert str(getattr(s.get(table, pk), field)) == first


def test_add_a_record(client, app):
    login(client)
    form = {"id": "V02", "name": "Pool", "lat": "31.19", "lon": "121.44", "sports": "swimming", "accessible": "yes"}
    response = post(client, "/records/venues/new", form)
    assert response.status_code == 302
    assert "Pool" in client.get("/records/venues").get_data(as_text=True)
    again = post(client, "/records/venues/new", form)
    assert again.status_code == 422 and "duplicate" in again.get_data(as_text=True)


def test_roles_decide_who_may_change_what(client, app):
    pk = person_pk(app)
    login(client, "reader")
    values, version = person_form(client, pk)
    assert post(client, f"/records/people/{pk}", {**values, "version_id": version}).status_code == 403
    assert client.get("/records/people/new").status_code == 403
    assert client.get("/admin/users").status_code == 403
    post(client, "/logout")
    login(client, "coach")
    assert client.get("/records/shifts/new").status_code == 200
    assert client.get("/records/hotels/new").status_code == 403
    assert post(client, "/plans/accommodation/solve", {"time_limit_s": "5"}).status_code == 403


def test_medical_fields_hidden_from_viewers_and_audited_for_others(client, app):
    login(client, "reader")
    page = client.get("/records/people").get_data(as_text=True)
    assert "Needs" not in page
    post(client, "/logout")
    login(client, "housing")
    page = client.get("/records/people").get_data(as_text=True)
    assert "Needs (medical, disability)" in page
    with Session(app.extensions["planner.engine"]) as s:
        views = s.exec(select(AuditLog).where(AuditLog.sensitive == True)).all()  # noqa: E712
        assert [(v.username, v.action, v.fields) for v in views] == [("housing", "view", "needs")]
    post(client, "/logout")
    login(client)
    page = client.get("/admin/audit?sensitive=1").get_data(as_text=True)
    assert "housing" in page


def _zip_of(wb, tmp_path):
    folder = tmp_path / "wb"
    write_csv_folder(wb, folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for p in folder.glob("*.csv"):
            z.write(p, f"workbook/{p.name}")
    buffer.seek(0)
    return buffer


def test_upload_lists_every_error_and_saves_nothing(client, app, tmp_path):
    login(client)
    wb = make_workbook()
    wb.tables["people"][0]["gender"] = "X"
    wb.tables["rooms"][0]["beds"] = 9
    response = post(
        client, "/workbook/upload", {"workbook": (_zip_of(wb, tmp_path), "bad.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td>([^<]*)</td><td class=\"number\">(\d*)</td><td>([^<]*)</td>", page)
    assert ("people.csv", "2", "gender") in rows and ("rooms.csv", "2", "beds") in rows
    with Session(app.extensions["planner.engine"]) as s:
        assert s.exec(select(Person).where(Person.id == "P1")).one().gender == "F"


def test_upload_a_good_workbook(client, app, tmp_path):
    login(client)
    wb = make_workbook()
    wb.tables["people"][1]["given_name"] = "Renamed"
    response = post(
        client,
        "/workbook/upload",
        {"workbook": (_zip_of(wb, tmp_path), "good.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Workbook imported" in response.get_data(as_text=True)
    with Session(app.extensions["planner.engine"]) as s:
        assert s.exec(select(Person).where(Person.id == "P2")).one().given_name == "Renamed"


def test_only_the_committee_imports(client, tmp_path):
    login(client, "housing")
    response = post(
        client,
        "/workbook/upload",
        {"workbook": (_zip_of(make_workbook(), tmp_path), "x.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403


def test_downloads_and_export_audit(client, app):
    login(client)
    xlsx = client.get("/workbook/download/workbook.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/workbook/download/workbook.zip").data))
    assert "people.csv" in archive.namelist()
    assert "needs" in archive.read("people.csv").decode().splitlines()[0]
    assert client.get("/workbook/download/plans.zip").status_code == 200
    with Session(app.extensions["planner.engine"]) as s:
        exports = s.exec(select(AuditLog).where(AuditLog.action == "export")).all()
        assert len(exports) == 3 and any(e.sensitive for e in exports)


def test_workbook_download_blanks_the_medical_fields_each_user_may_not_see(client, app):
    """The federation's records name people in rehabilitation, health checks, insurance and charity cards:
    the committee sees them; an accommodation lead sees people's needs (audited) but not those; a viewer neither."""
    import csv

    def download(username):
        login(client, username)
        archive = zipfile.ZipFile(io.BytesIO(client.get("/workbook/download/workbook.zip").data))
        post(client, "/logout")
        tables = {}
        for name in archive.namelist():
            tables[name[:-4]] = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        return tables

    def filled(tables, file, field):
        return sum(1 for row in tables[file] if row[field])

    federation = (("rehab_services", "person"), ("health_checks", "person"), ("medical_insurance", "person"))
    federation += (("charity_medical_cards", "holder"),)
    chair, housing, reader = download("chair"), download("housing"), download("reader")
    for file, field in federation:
        assert filled(chair, file, field) > 0, file
        assert filled(housing, file, field) == 0 and filled(reader, file, field) == 0, file
    with Session(app.extensions["planner.engine"]) as s:
        exports = s.exec(select(AuditLog).where(AuditLog.action == "export")).all()
        by_user = {e.username: (e.sensitive, e.fields) for e in exports}
    assert by_user["reader"] == (False, None)
    assert by_user["housing"] == (True, "people.needs")
    assert by_user["chair"][0] and "rehab_services.person" in by_user["chair"][1]


def fake_runs(app):
    """Replace the job target with one that stores a small accommodation plan, reporting progress."""
    from planner.jobs import ThreadJobRunner
    from planner.services.base import Progress

    engine = app.extensions["planner.engine"]
    release = threading.Event()

    def target(kind, params, progress, stop, by):
        data = make_dataset()
        for i in range(200):
            progress(Progress(kind, i * 0.01, objective=100.0 - i, bound=40.0))
            if stop.is_set() or release.is_set():
                break
            time.sleep(0.01)
        with Session(engine) as s:
            run = PlanRun(
                kind=kind,
                status="stopped" if stop.is_set() else "feasible",
                objective=60.0,
                bound=40.0,
                created_by=by,
                check_ok=True,
            )
            s.add(run)
            s.commit()
            s.refresh(run)
            save_plan_rows(
                s, run.id, Plan(rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")])
            )
            s.commit()
            return run.id

    app.extensions["planner.jobs"] = ThreadJobRunner(target)
    return release


def test_solve_as_a_job_watch_stop_compare_accept(client, app):
    fake_runs(app)
    login(client)
    response = post(client, "/plans/accommodation/solve", {"time_limit_s": "5"})
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    assert "data-job-url" in client.get(f"/plans/jobs/{job_id}").get_data(as_text=True)
    for _ in range(200):
        job = client.get(f"/api/jobs/{job_id}").get_json()
        if job["objective"] is not None:
            break
        time.sleep(0.01)
    assert job["state"] == "running" and job["bound"] == 40.0
    post(client, f"/plans/jobs/{job_id}/stop")
    for _ in range(300):
        job = client.get(f"/api/jobs/{job_id}").get_json()
        if job["finished"]:
            break
        time.sleep(0.01)
    assert job["state"] == "stopped" and job["run_id"]
    run_page = client.get(f"/plans/runs/{job['run_id']}").get_data(as_text=True)
    assert "Accept this plan" in run_page and "There is no accepted plan of this kind yet" in run_page
    assert post(client, f"/plans/runs/{job['run_id']}/accept").status_code == 302
    with Session(app.extensions["planner.engine"]) as s:
        assert s.get(PlanRun, job["run_id"]).accepted
    assert "2 / 2" in client.get("/").get_data(as_text=True)  # people housed


def test_compare_shows_who_moved(client, app):
    data = make_dataset()
    engine = app.extensions["planner.engine"]
    store_accepted(
        engine,
        "accommodation",
        Plan(rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")]),
    )
    with Session(engine) as s:
        run = PlanRun(kind="accommodation", status="feasible", objective=10.0)
        s.add(run)
        s.commit()
        s.refresh(run)
        save_plan_rows(
            s, run.id, Plan(rooming=[rooming_row(data, "P1", "H01", "301"), rooming_row(data, "P2", "H01", "201")])
        )
        s.commit()
        run_id = run.id
    login(client)
    page = client.get(f"/plans/runs/{run_id}").get_data(as_text=True)
    assert re.search(r"<td>P1</td><td>H01/101</td><td>H01/301</td>", page)


def accepted_everything(app):
    data = make_dataset()
    engine = app.extensions["planner.engine"]
    store_accepted(
        engine,
        "accommodation",
        Plan(rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")]),
    )
    store_accepted(
        engine,
        "transport",
        Plan(
            transport=[
                stop_row("B1", "T1", 0, "B1", depart="08:50"),
                stop_row("B1", "T1", 1, "H01", arrive="09:10", depart="09:12", session="S1"),
                stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
            ],
            manifest=[manifest_row("B1", "T1", "P1", 1, 2), manifest_row("B1", "T1", "P2", 1, 2)],
        ),
    )
    store_accepted(engine, "volunteers", Plan(roster=[roster_row("L1", "F1")]))


def test_lists_are_printable_and_liaisons_see_their_hotels_only(client, app):
    accepted_everything(app)
    login(client)
    index = client.get("/lists/").get_data(as_text=True)
    for link in ("/lists/rooming/H01", "/lists/vehicles/B1", "/lists/rosters/2007-10-03", "/lists/itineraries/VEN"):
        assert link in index
        page = client.get(link)
        assert page.status_code == 200, link
        assert "print-button" in page.get_data(as_text=True)
    assert "Family P1 Given P1" in client.get("/lists/vehicles/B1").get_data(as_text=True)
    assert "Family L1" in client.get("/lists/rosters/2007-10-03").get_data(as_text=True)
    assert "09:12" in client.get("/lists/itineraries/VEN").get_data(as_text=True)
    post(client, "/logout")
    login(client, "liaison")
    assert client.get("/lists/rooming/H01").status_code == 200
    assert client.get("/lists/rooming/H02").status_code == 403
    assert client.get("/lists/vehicles/B1").status_code == 403
    assert client.get("/records/people").status_code == 403
    assert client.get("/maps/").status_code == 403


def test_map_page_frame_and_download_work_offline(client, app):
    accepted_everything(app)
    login(client)
    page = client.get("/maps/?day=2007-10-03").get_data(as_text=True)
    assert '<iframe class="map-frame"' in page and "Hotel H01" in page and "2 passengers" in page
    frame = client.get("/maps/frame?day=2007-10-03")
    html = frame.get_data(as_text=True)
    assert '<script src="/vendor/leaflet/leaflet.js"></script>' in html
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?://", html)
    assert "'sha256-" in frame.headers["Content-Security-Policy"]
    with client.get("/vendor/leaflet/leaflet.js") as asset:
        assert asset.status_code == 200 and b"Leaflet" in asset.get_data()
    download = client.get("/maps/map.html?day=2007-10-03")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "L.map(" in download.get_data(as_text=True)
