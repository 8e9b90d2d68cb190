# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""The JSON API: token or session+CSRF auth, same roles and checks, OpenAPI document."""

from __future__ import annotations

import io
import time
import zipfile

from sqlmodel import Session, select

from planner.models import Hotel
from planner.users import User, new_api_token
from planner.workbook.io import write_csv_folder
from tests.builders import make_workbook
from tests.test_web_pages import accepted_everything, fake_runs
from tests.webhelpers import app, client, csrf_token, login, web_template  # noqa: F401


def token_for(app, username):
    with Session(app.extensions["planner.engine"]) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        token = new_api_token(user)
        s.add(user)
        s.commit()
    return {"Authorization": f"Bearer {token}"}


def test_openapi_document_describes_every_route(client, app):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    routes = {
        r.rule.replace("<file>", "{file}")
        .replace("<int:pk>", "{pk}")
        .replace("<int:run_id>", "{run_id}")
        .replace("<job_id>", "{job_id}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/") and r.rule != "/api/openapi.json"
    }
    assert routes <= documented, routes - documented


def test_token_auth_reads_and_writes_without_csrf(client, app):
    headers = token_for(app, "chair")
    assert client.get("/api/me", headers=headers).get_json()["role"] == "committee"
    hotels = client.get("/api/records/hotels", headers=headers).get_json()
    h01 = next(r for r in hotels["records"] if r["values"]["id"] == "H01")
    response = client.put(
        f"/api/records/hotels/{h01['pk']}",
        json={"version_id": h01["version_id"], "values": {"name": "Jinjiang"}},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["values"]["name"] == "Jinjiang"
    stale = client.put(
        f"/api/records/hotels/{h01['pk']}",
        json={"version_id": h01["version_id"], "values": {"name": "Other"}},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.get_json()["current"]["name"] == "Jinjiang"
    bad = client.put(
        f"/api/records/hotels/{h01['pk']}",
        json={"version_id": h01["version_id"] + 1, "values": {"lat": "north"}},
        headers=headers,
    )
    assert bad.status_code == 422 and "lat" in bad.get_json()["errors"]
    assert client.get("/api/me", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_session_calls_need_the_csrf_header(client, app):
    login(client)
    body = {"values": {"id": "V09", "name": "Hall", "lat": "31.2", "lon": "121.4", "sports": "judo"}}
    assert client.post("/api/records/venues", json=body).status_code == 400
    # a made-up token next to the session cookie does not switch the CSRF check off
    made_up = {"Authorization": "Bearer not-a-token"}
    assert client.post("/api/records/venues", json=body, headers=made_up).status_code == 400
    form = {"username": "nocsrf", "password": "long enough password", "role": "committee"}
    assert client.post("/admin/users", data=form, headers=made_up).status_code == 400
    # a request with a token acts as the token's user, not the session's (so no session rides along)
    assert client.get("/api/me", headers=token_for(app, "reader")).get_json()["username"] == "reader"
    assert client.get("/api/me", headers=made_up).status_code == 401
    refused = client.post("/admin/users", data=form, headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 400 and "安全令牌" in refused.get_data(as_text=True)
    ok = client.post("/api/records/venues", json=body, headers={"X-CSRFToken": csrf_token(client, "/")})
    assert ok.status_code == 201


def test_same_roles_as_the_pages(client, app):
    headers = token_for(app, "reader")
    with Session(app.extensions["planner.engine"]) as s:
        pk = s.exec(select(Hotel).where(Hotel.id == "H01")).one().pk
    assert client.put(f"/api/records/hotels/{pk}", json={"values": {"name": "x"}}, headers=headers).status_code == 403
    assert client.post("/api/solves", json={"kind": "accommodation"}, headers=headers).status_code == 403
    people = client.get("/api/records/people", headers=headers).get_json()["records"]
    assert "needs" not in people[0]["values"]
    liaison = token_for(app, "liaison")
    assert client.get("/api/records/people", headers=liaison).status_code == 403


def test_search_is_posted(client, app):
    headers = token_for(app, "chair")
    found = client.post("/api/records/people/search", json={"q": "given p2"}, headers=headers).get_json()
    assert [r["values"]["id"] for r in found["records"]] == ["P2"]
    filtered = client.post(
        "/api/records/people/search", json={"filters": {"role": "coach"}}, headers=headers
    ).get_json()
    assert filtered["total"] == 1


def test_solve_poll_stop_accept_through_the_api(client, app):
    fake_runs(app)
    headers = token_for(app, "chair")
    started = client.post("/api/solves", json={"kind": "accommodation", "time_limit_s": 5}, headers=headers)
    assert started.status_code == 202
    job_id = started.get_json()["job_id"]
    time.sleep(0.05)
    assert client.post(f"/api/jobs/{job_id}/stop", headers=headers).get_json()["stop_requested"]
    for _ in range(300):
        job = client.get(f"/api/jobs/{job_id}", headers=headers).get_json()
        if job["finished"]:
            break
        time.sleep(0.01)
    assert job["state"] == "stopped"
    run = client.get(f"/api/plans/{job['run_id']}", headers=headers).get_json()
    assert len(run["plan"]["rooming"]) == 2
    assert client.post(f"/api/plans/{job['run_id']}/accept", headers=headers).get_json()["accepted"] is True
    accepted = client.get("/api/plans/accepted", headers=headers).get_json()
    assert {r["person"] for r in accepted["accommodation"]["rooming"]} == {"P1", "P2"}
    assert client.get(f"/api/plans/{job['run_id']}/compare", headers=headers).status_code == 200
    unknown = client.post("/api/solves", json={"kind": "nonsense"}, headers=headers)
    assert unknown.status_code == 422 and "kind" in unknown.get_json()["errors"]


def test_import_reports_errors_by_file_row_column(client, app, tmp_path):
    headers = token_for(app, "chair")
    wb = make_workbook()
    wb.tables["hotels"][0]["lat"] = 95.0
    folder = tmp_path / "wb"
    write_csv_folder(wb, folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for p in folder.glob("*.csv"):
            z.write(p, p.name)
    buffer.seek(0)
    response = client.post(
        "/api/import", data={"workbook": (buffer, "wb.zip")}, headers=headers, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert {"file": "hotels.csv", "row": 2, "column": "lat"} in [
        {k: e[k] for k in ("file", "row", "column")} for e in response.get_json()["errors"]
    ]


def test_dashboard_figures(client, app):
    accepted_everything(app)
    headers = token_for(app, "chair")
    figures = client.get("/api/dashboard", headers=headers).get_json()
    assert figures["housed"] == 2 and figures["people"] == 2
    assert figures["sessions_covered"] == 1 and figures["places_filled"] == 1


def test_work_area_records_and_deletes_through_the_api(client, app):
    headers = token_for(app, "chair")
    listed = {f["file"] for f in client.get("/api/records", headers=headers).get_json()}
    assert {"petitions", "games_work_plans", "people"} <= listed
    plans = client.post("/api/records/games_work_plans/search", json={"q": "WP01"}, headers=headers).get_json()
    wp01 = next(r for r in plans["records"] if r["values"]["id"] == "WP01")
    refused = client.delete(
        f"/api/records/games_work_plans/{wp01['pk']}?version_id={wp01['version_id']}", headers=headers
    )
    assert refused.status_code == 409
    refs = refused.get_json()["references"]
    assert refs and all(r["file"] == "games_tasks" and r["column"] == "plan" for r in refs)
    added = client.post(
        "/api/records/petitions",
        json={"values": {"id": "PT9100", "date": "2007-05-05", "channel": "phone"}},
        headers=headers,
    )
    assert added.status_code == 201, added.get_json()
    record = added.get_json()
    assert client.delete(f"/api/records/petitions/{record['pk']}?version_id=0", headers=headers).status_code == 409
    reader = token_for(app, "reader")
    assert client.delete(f"/api/records/petitions/{record['pk']}", headers=reader).status_code == 403
    gone = client.delete(f"/api/records/petitions/{record['pk']}?version_id={record['version_id']}", headers=headers)
    assert gone.status_code == 204
    assert client.get(f"/api/records/petitions/{record['pk']}", headers=headers).status_code == 404


def test_report_figures_through_the_api(client, app):
    headers = token_for(app, "reader")
    body = client.get("/api/report?lang=en", headers=headers).get_json()
    assert body["period"] == {"from": "2007-01-01", "to": "2007-06-30"}
    figures = {f["key"]: f for f in body["figures"]}
    letters = figures["petitions.letters"]
    from planner.workareas.models import Petition

    with Session(app.extensions["planner.engine"]) as s:
        count = len(s.exec(select(Petition).where(Petition.channel == "letter")).all())
    assert letters["value"] == count and letters["records"] == count
    bad = client.get("/api/report?from=2007-07-01&to=2007-01-01", headers=headers)
    assert bad.status_code == 422 and "to" in bad.get_json()["errors"]
