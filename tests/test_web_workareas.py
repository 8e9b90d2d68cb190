# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Work-area records in the web UI: grouped by area, add and edit with validation, delete with references."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from planner.models import Hotel, Person, Pin, Room
from planner.users import AuditLog
from planner.workareas.models import GamesTask, GamesWorkPlan, Petition
from planner.workareas.schema import AREA_OF_SHEET, WORKAREA_FILES
from tests.webhelpers import app, client, csrf_token, login, post, web_template  # noqa: F401


def engine_of(app):
    return app.extensions["planner.engine"]


def pk_of(app, model, **where):
    with Session(engine_of(app)) as s:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.exec(query).one().pk


def form_values(client, path):
    """The values of a record form as the browser would send them back."""
    page = client.get(path).get_data(as_text=True)
    values = dict(re.findall(r'<input id="field-(\w+)" name="\w+" value="([^"]*)"', page))
    for name, block in re.findall(r'<select id="field-(\w+)" name="\w+"[^>]*>(.*?)</select>', page, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', block)
        values[name] = chosen.group(1) if chosen else ""
    version = re.search(r'name="version_id" value="(\d+)"', page)
    return values, (version.group(1) if version else None)


def test_every_work_area_sheet_is_listed_under_its_area(client):
    login(client)
    page = client.get("/records/areas/").get_data(as_text=True)
    for spec in WORKAREA_FILES:
        assert f'href="/records/{spec.name}"' in page, spec.name
    for area in set(AREA_OF_SHEET.values()):
        assert f'href="/records/areas/{area}"' in page
    assert 'href="/records/areas/"' in client.get("/").get_data(as_text=True)  # in the main navigation
    area = client.get("/records/areas/stability").get_data(as_text=True)
    assert re.search(r'href="/records/petitions">Petitions</a>.*?<td class="number">30</td>', area, flags=re.S)
    assert "/records/carer_support" in area and "/records/job_placements" not in area


def test_every_work_area_sheet_browses_and_opens_a_form(client):
    login(client)
    for spec in WORKAREA_FILES:
        browse = client.get(f"/records/{spec.name}")
        assert browse.status_code == 200, spec.name
        assert 'aria-label="Work areas"' in browse.get_data(as_text=True)
        if not spec.single_row:
            form = client.get(f"/records/{spec.name}/new").get_data(as_text=True)
            assert all(f'id="field-{c.name}"' in form for c in spec.columns), spec.name


def test_code_values_are_shown_in_words_of_the_language(client):
    login(client)
    post(client, "/language", {"lang": "zh_Hans"})
    page = client.get("/records/petitions").get_data(as_text=True)
    assert "<td>来信</td>" in page or "<td>来访</td>" in page or "<td>电话咨询</td>" in page
    assert '<option value="letter" >来信</option>' in page


def test_add_a_petition_with_errors_next_to_the_fields_then_saved(client, app):
    login(client)
    form = {"id": "PT9001", "date": "2007-06-31", "channel": "fax", "people": "0"}
    response = post(client, "/records/petitions/new", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("date", "channel", "people"):
        assert re.search(rf'id="error-{name}">[^<]+<', page), name
    form.update(date="2007-06-20", channel="visit", people="3", resolved_on="2007-06-10")
    response = post(client, "/records/petitions/new", form)
    assert response.status_code == 422  # resolved before it was received
    assert re.search(r'id="error-resolved_on">[^<]*before', response.get_data(as_text=True))
    form["resolved_on"] = "2007-06-25"
    assert post(client, "/records/petitions/new", form).status_code == 302
    with Session(engine_of(app)) as s:
        saved = s.exec(select(Petition).where(Petition.id == "PT9001")).one()
        assert (saved.channel, saved.people, str(saved.resolved_on)) == ("visit", 3, "2007-06-25")
        audit = s.exec(select(AuditLog).where(AuditLog.entity == "petitions")).all()
        assert [(a.action, a.record) for a in audit] == [("change", "PT9001")]


def test_a_reference_to_a_missing_work_plan_is_refused(client):
    login(client)
    form = {
        "id": "WT9999",
        "plan": "WP99",
        "task_zh": "測試",
        "owner": "區殘聯",
        "due_date": "2007-06-01",
        "status": "todo",
    }
    response = post(client, "/records/games_tasks/new", form)
    assert response.status_code == 422
    assert re.search(r"id=\"error-plan\">[^<]*WP99[^<]*not an id in games_work_plans", response.get_data(as_text=True))


def test_two_people_editing_one_petition(client, app):
    login(client)
    pk = pk_of(app, Petition, id="PT0001")
    values, version = form_values(client, f"/records/petitions/{pk}")
    stale = dict(values)
    values["subject"] = "first"
    assert post(client, f"/records/petitions/{pk}", {**values, "version_id": version}).status_code == 302
    stale["subject"] = "second"
    response = post(client, f"/records/petitions/{pk}", {**stale, "version_id": version})
    assert response.status_code == 409
    with Session(engine_of(app)) as s:
        assert s.get(Petition, pk).subject == "first"


def test_area_leads_and_viewers_read_work_area_records_but_do_not_change_them(client, app):
    login(client, "housing")
    assert client.get("/records/petitions").status_code == 200
    assert client.get("/records/petitions/new").status_code == 403
    pk = pk_of(app, Petition, id="PT0001")
    assert client.get(f"/records/petitions/{pk}/delete").status_code == 403
    assert post(client, f"/records/petitions/{pk}/delete", {"version_id": "1"}).status_code == 403
    post(client, "/logout")
    login(client, "liaison")
    assert client.get("/records/areas/").status_code == 403
    assert client.get("/records/petitions").status_code == 403


def test_delete_asks_first_then_deletes_and_audits(client, app):
    login(client)
    pk = pk_of(app, Petition, id="PT0002")
    edit = client.get(f"/records/petitions/{pk}").get_data(as_text=True)
    assert f'href="/records/petitions/{pk}/delete"' in edit
    confirm = client.get(f"/records/petitions/{pk}/delete").get_data(as_text=True)
    assert "Deleting cannot be undone" in confirm and "PT0002" in confirm
    version = re.search(r'name="version_id" value="(\d+)"', confirm).group(1)
    # no CSRF token: refused
    assert client.post(f"/records/petitions/{pk}/delete", data={"version_id": version}).status_code == 400
    response = post(client, f"/records/petitions/{pk}/delete", {"version_id": version})
    assert response.status_code == 302 and response.headers["Location"].endswith("/records/petitions")
    with Session(engine_of(app)) as s:
        assert s.get(Petition, pk) is None
        entry = s.exec(select(AuditLog).where(AuditLog.action == "delete")).one()
        assert (entry.entity, entry.record, entry.sensitive) == ("petitions", "PT0002", False)
        assert '"channel": "letter"' in entry.detail


def test_delete_of_a_changed_record_is_refused(client, app):
    login(client)
    pk = pk_of(app, Petition, id="PT0003")
    values, version = form_values(client, f"/records/petitions/{pk}")
    post(client, f"/records/petitions/{pk}", {**values, "subject": "changed", "version_id": version})
    response = post(client, f"/records/petitions/{pk}/delete", {"version_id": version})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    with Session(engine_of(app)) as s:
        assert s.get(Petition, pk) is not None


def test_delete_is_refused_while_other_records_refer_to_it(client, app):
    login(client)
    pk = pk_of(app, GamesWorkPlan, id="WP01")
    with Session(engine_of(app)) as s:
        tasks = sorted(t.id for t in s.exec(select(GamesTask).where(GamesTask.plan == "WP01")))
    assert tasks
    response = post(client, f"/records/games_work_plans/{pk}/delete", {"version_id": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Other records refer to this one" in page
    listed = re.findall(r"<tr><td>Games tasks</td><td>(\w+)</td><td>Work plan</td></tr>", page)
    assert listed == tasks
    with Session(engine_of(app)) as s:
        assert s.get(GamesWorkPlan, pk) is not None


def test_planning_records_keep_their_references_too(client, app):
    login(client)
    hotel = pk_of(app, Hotel, id="H02")
    response = post(client, f"/records/hotels/{hotel}/delete", {"version_id": "1"})
    assert response.status_code == 409
    assert "<tr><td>Rooms</td><td>H02,101</td><td>Hotel</td></tr>" in response.get_data(as_text=True)
    # a room nobody refers to goes; a person with a hand-made pin does not
    room = pk_of(app, Room, hotel="H02", room="101")
    assert post(client, f"/records/rooms/{room}/delete", {"version_id": "1"}).status_code == 302
    with Session(engine_of(app)) as s:
        s.add(Pin(person="P2", hotel="H01", room="201"))
        s.commit()
    person = pk_of(app, Person, id="P2")
    response = post(client, f"/records/people/{person}/delete", {"version_id": "1"})
    assert response.status_code == 409
    assert "<tr><td>Pins</td><td>P2</td><td>Person</td></tr>" in response.get_data(as_text=True)


def test_the_event_cannot_be_deleted(client, app):
    from planner.models import Event

    login(client)
    with Session(engine_of(app)) as s:
        pk = s.exec(select(Event)).one().pk
    assert "Delete this record" not in client.get(f"/records/event/{pk}").get_data(as_text=True)
    response = client.post(f"/records/event/{pk}/delete", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 409
    with Session(engine_of(app)) as s:
        assert s.get(Event, pk) is not None


def test_deleting_a_person_with_needs_is_a_sensitive_audit_entry(client, app):
    login(client)
    pk = pk_of(app, Person, id="P1")
    values, version = form_values(client, f"/records/people/{pk}")
    post(client, f"/records/people/{pk}", {**values, "needs": "wheelchair", "version_id": version})
    with Session(engine_of(app)) as s:
        version = str(s.get(Person, pk).version_id)
    assert post(client, f"/records/people/{pk}/delete", {"version_id": version}).status_code == 302
    with Session(engine_of(app)) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "delete")).one()
        assert entry.sensitive and entry.fields == "needs" and "wheelchair" not in (entry.detail or "")
