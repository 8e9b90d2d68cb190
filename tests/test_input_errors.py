# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Every wrong input gets a clear error naming its field, never a 500 or a traceback, and nothing saved is lost.

Probes the JSON API (wrong JSON types, missing or non-JSON bodies, unknown columns, unusable
``version_id``), the pages' forms (shift patterns, users) and the CLI (a database that cannot be
opened, files that cannot be written, no data yet). Where a record was saved before, the failing
request must leave it as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from planner.cli import main
from planner.models import Hotel, HotelSurvey, Shift
from planner.users import User
from tests.test_web_api import token_for
from tests.webhelpers import PASSWORD, app, client, login, post, web_template  # noqa: F401


def engine_of(app):
    return app.extensions["planner.engine"]


def stored_hotel(app, hotel_id: str = "H01") -> dict[str, Any]:
    with Session(engine_of(app)) as s:
        h = s.exec(select(Hotel).where(Hotel.id == hotel_id)).one()
        return h.model_dump()


def hotel_count(app) -> int:
    with Session(engine_of(app)) as s:
        return len(s.exec(select(Hotel)).all())


def h01(client, headers) -> dict[str, Any]:
    hotels = client.get("/api/records/hotels", headers=headers).get_json()
    return next(r for r in hotels["records"] if r["values"]["id"] == "H01")


def names(response, *fields: str) -> dict[str, Any]:
    """The JSON error body; asserts it names every field in ``errors``."""
    body = response.get_json()
    assert isinstance(body, dict) and body.get("error"), body
    for field in fields:
        assert field in body.get("errors", {}), (field, body)
        assert body["errors"][field], (field, body)
    return body


# ---------------------------------------------------------------- the JSON API


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": [1]}, "page"),
        ({"page": 0}, "page"),
        ({"page": 1.5}, "page"),
        ({"filters": [1]}, "filters"),
        ({"filters": "approved"}, "filters"),
        ({"filters": {"approved": {"a": 1}}}, "filters"),
        ({"q": {"a": 1}}, "q"),
    ],
)
def test_search_names_the_wrong_field(client, app, body, field):
    headers = token_for(app, "chair")
    response = client.post("/api/records/hotels/search", json=body, headers=headers)
    assert response.status_code == 400
    names(response, field)


@pytest.mark.parametrize("page", ["abc", "0", "-2", "1.5"])
def test_listing_names_a_wrong_page_in_the_query(client, app, page):
    response = client.get(f"/api/records/hotels?page={page}", headers=token_for(app, "chair"))
    assert response.status_code == 400
    names(response, "page")


def test_search_still_takes_a_page_number_as_text_and_a_true_filter(client, app):
    headers = token_for(app, "chair")
    response = client.post(
        "/api/records/hotels/search", json={"page": "1", "filters": {"approved": True}}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["records"]
    assert all(r["values"]["approved"] is True for r in response.get_json()["records"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "not json", "content_type": "application/json"},
        {"data": "name=x", "content_type": "application/x-www-form-urlencoded"},
        {"json": [1, 2]},
        {"json": "values"},
        {},
    ],
)
def test_a_body_that_is_no_json_object_is_a_400_that_says_so(client, app, kwargs):
    headers = token_for(app, "chair")
    before = stored_hotel(app)
    for method, path in (
        ("post", "/api/records/hotels/search"),
        ("post", "/api/records/hotels"),
        ("put", f"/api/records/hotels/{h01(client, headers)['pk']}"),
        ("post", "/api/solves"),
    ):
        response = getattr(client, method)(path, headers=headers, **kwargs)
        assert response.status_code == 400, (method, path)
        assert "JSON object" in response.get_json()["message"]
    assert stored_hotel(app) == before


def test_a_delete_with_a_body_that_is_no_object_is_refused_and_deletes_nothing(client, app):
    headers = token_for(app, "chair")
    record = client.post(
        "/api/records/petitions",
        json={"values": {"id": "PT9101", "date": "2007-05-05", "channel": "phone"}},
        headers=headers,
    ).get_json()
    pk = record["pk"]
    for body in ([1], "x", 3):
        response = client.delete(f"/api/records/petitions/{pk}", json=body, headers=headers)
        assert response.status_code == 400
        assert "JSON object" in response.get_json()["message"]
    for version in ("abc", "1.5", "true"):
        response = client.delete(f"/api/records/petitions/{pk}?version_id={version}", headers=headers)
        assert response.status_code == 422
        names(response, "version_id")
    response = client.delete(f"/api/records/petitions/{pk}", headers=headers)  # no version at all
    assert response.status_code == 422
    names(response, "version_id")
    assert client.get(f"/api/records/petitions/{pk}", headers=headers).status_code == 200
    gone = client.delete(f"/api/records/petitions/{pk}", json={"version_id": record["version_id"]}, headers=headers)
    assert gone.status_code == 204


def test_wrong_values_name_their_column_and_nothing_is_saved(client, app):
    headers = token_for(app, "chair")
    count = hotel_count(app)
    cases = [
        ({"id": ["H99"], "name": {"zh": "x"}, "lat": 31, "lon": 121, "approved": True}, ("id", "name")),
        ({"id": "H99", "name": "x", "lat": 31, "lon": 121, "approved": "yes", "stars": 5}, ("stars",)),
        ({"id": "H99", "name": "x", "lat": 95, "lon": 200, "approved": "yes"}, ("lat", "lon")),
        ({"id": "H99", "name": "x", "lat": "north", "lon": 121, "approved": "maybe"}, ("lat", "approved")),
        ({"id": "H01", "name": "twin", "lat": 31, "lon": 121, "approved": "yes"}, ("id",)),
        ({"id": "H 99", "name": "x", "lat": 31, "lon": 121, "approved": "yes"}, ("id",)),
    ]
    for values, fields in cases:
        response = client.post("/api/records/hotels", json={"values": values}, headers=headers)
        assert response.status_code == 422, (values, response.get_json())
        names(response, *fields)
    response = client.post("/api/records/hotels", json={"values": ["H99"]}, headers=headers)
    assert response.status_code == 400
    names(response, "values")
    assert hotel_count(app) == count


def test_json_numbers_and_true_false_are_taken_for_their_columns(client, app):
    headers = token_for(app, "chair")
    values = {"id": "H99", "name": "Lakeside", "lat": 31.2, "lon": 121, "approved": True}
    response = client.post("/api/records/hotels", json={"values": values}, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["values"]["approved"] is True
    assert response.get_json()["values"]["lon"] == 121


def test_an_update_may_not_change_a_records_key(client, app):
    headers = token_for(app, "chair")
    created = client.post(
        "/api/records/hotels",
        json={"values": {"id": "H98", "name": "Lakeside", "lat": 31.2, "lon": 121, "approved": True}},
        headers=headers,
    ).get_json()
    pk, version = created["pk"], created["version_id"]
    renamed = {"values": {"id": "H97", "name": "Renamed"}, "version_id": version}
    response = client.patch(f"/api/records/hotels/{pk}", json=renamed, headers=headers)
    assert response.status_code == 422
    names(response, "id")
    same_id = {"values": {"id": "H98", "name": "Renamed"}, "version_id": version}
    response = client.patch(f"/api/records/hotels/{pk}", json=same_id, headers=headers)
    assert response.status_code == 200 and response.get_json()["values"]["name"] == "Renamed"


def test_an_update_without_a_usable_version_is_a_422_and_the_record_is_kept(client, app):
    headers = token_for(app, "chair")
    record = h01(client, headers)
    before = stored_hotel(app)
    for body in (
        {"values": {"name": "Other"}},
        {"values": {"name": "Other"}, "version_id": "abc"},
        {"values": {"name": "Other"}, "version_id": [record["version_id"]]},
        {"values": {"name": "Other"}, "version_id": True},
    ):
        response = client.put(f"/api/records/hotels/{record['pk']}", json=body, headers=headers)
        assert response.status_code == 422, body
        names(response, "version_id")
    stale = client.patch(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": "Other"}, "version_id": record["version_id"] + 1},
        headers=headers,
    )
    assert stale.status_code == 409
    bad = client.patch(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": "Other", "lat": "north", "floor": 3}, "version_id": record["version_id"]},
        headers=headers,
    )
    assert bad.status_code == 422
    names(bad, "floor")
    bad = client.patch(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": "Other", "lat": "north"}, "version_id": str(record["version_id"])},
        headers=headers,
    )
    assert bad.status_code == 422
    names(bad, "lat")
    assert stored_hotel(app) == before
    ok = client.patch(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": "Jinjiang"}, "version_id": str(record["version_id"])},
        headers=headers,
    )
    assert ok.status_code == 200 and ok.get_json()["values"]["name"] == "Jinjiang"


def test_a_solve_names_a_wrong_kind_and_starts_nothing(client, app):
    from web import db

    headers = token_for(app, "chair")
    for kind in ("nope", ["accommodation"], None, 3):
        response = client.post("/api/solves", json={"kind": kind, "time_limit_s": 5}, headers=headers)
        assert response.status_code == 422
        names(response, "kind")
    for limit in ("abc", [5], {"s": 5}, -1, 1e9, True, "1_0"):
        response = client.post("/api/solves", json={"kind": "accommodation", "time_limit_s": limit}, headers=headers)
        assert response.status_code == 400
        assert "time limit" in response.get_json()["message"]
    with app.app_context():
        assert db.jobs().jobs() == []


def test_api_errors_are_in_the_callers_language(client, app):
    headers = {**token_for(app, "chair"), "Accept-Language": "zh-CN"}
    response = client.post("/api/records/hotels/search", json={"page": "abc"}, headers=headers)
    body = response.get_json()
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", body["errors"]["page"]), body
    response = client.post("/api/records/hotels/search", json=[1], headers=headers)
    assert re.search(r"[\u4e00-\u9fff]", response.get_json()["message"])


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
COLUMNS = st.sampled_from(["id", "name", "lat", "lon", "approved", "halal_kitchen", "zzz", ""])


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(["search", "create", "update", "delete"]),
    body=st.one_of(
        JSON_VALUES,
        st.fixed_dictionaries(
            {},
            optional={
                "values": st.one_of(JSON_VALUES, st.dictionaries(COLUMNS, JSON_VALUES, max_size=4)),
                "version_id": JSON_VALUES,
                "page": JSON_VALUES,
                "q": JSON_VALUES,
                "filters": st.one_of(JSON_VALUES, st.dictionaries(COLUMNS, JSON_VALUES, max_size=3)),
            },
        ),
    ),
)
def test_fuzzed_json_never_gives_a_500_and_never_loses_h01(client, app, target, body):
    headers = token_for(app, "chair")
    record = h01(client, headers)
    before = stored_hotel(app)
    path = {
        "search": "/api/records/hotels/search",
        "create": "/api/records/hotels",
        "update": f"/api/records/hotels/{record['pk']}",
        "delete": f"/api/records/hotels/{record['pk']}",
    }[target]
    method = {"search": "post", "create": "post", "update": "put", "delete": "delete"}[target]
    response = getattr(client, method)(path, data=json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code < 500, (target, body, response.get_data(as_text=True))
    if response.status_code >= 400:
        assert response.get_json().get("error"), response.get_data(as_text=True)
    after = stored_hotel(app)
    if not (target == "update" and response.status_code == 200):
        # the hotel's rooms refer to it: it is never deleted, and only a successful update changes it
        assert after == before, (target, body)


# ------------------------------------------------------------------- pages


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


@pytest.mark.parametrize("weekdays", [["²"], ["x"], ["9"], ["-1"]])
def test_a_tampered_weekday_is_named_next_to_its_field_and_no_shift_is_saved(client, app, weekdays):
    login(client, "coach")
    with Session(engine_of(app)) as s:
        before = len(s.exec(select(Shift)).all())
    response = post(client, "/volunteers/patterns", {**PATTERN, "weekdays": weekdays, "action": "save"})
    assert response.status_code == 422
    assert re.search(r'id="error-weekdays">[^<]+<', response.get_data(as_text=True))
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(Shift)).all()) == before


def users(app) -> dict[str, dict[str, Any]]:
    with Session(engine_of(app)) as s:
        return {u.username: u.model_dump() for u in s.exec(select(User))}


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"username": "", "role": "viewer"}, "username"),
        ({"username": "x" * 65, "role": "viewer"}, "username"),
        ({"username": "two words", "role": "viewer"}, "username"),
        ({"username": "tab\tname", "role": "viewer"}, "username"),
        ({"username": "lily", "role": "hotel_liaison", "hotels": "H01;NOPE"}, "NOPE"),
    ],
)
def test_adding_a_user_with_a_wrong_value_says_which_and_adds_nobody(client, app, form, words):
    login(client)
    before = users(app)
    response = post(client, "/admin/users", {"password": PASSWORD, **form})
    assert response.status_code == 422
    error = re.search(r'id="add-user-error">([^<]+)<', response.get_data(as_text=True))
    assert error and words in error.group(1), error
    assert users(app) == before


def test_a_wrong_username_is_said_in_chinese(client, app):
    login(client)
    post(client, "/language", {"lang": "zh_Hans"})
    response = post(client, "/admin/users", {"password": PASSWORD, "username": "two words", "role": "viewer"})
    error = re.search(r'id="add-user-error">([^<]+)<', response.get_data(as_text=True))
    assert error and "用户名" in error.group(1) and "64" in error.group(1), error


def test_changing_a_liaison_to_an_unknown_hotel_is_refused_and_the_user_kept(client, app):
    login(client)
    before = users(app)
    liaison = before["liaison"]
    response = post(
        client, f"/admin/users/{liaison['id']}", {"role": "hotel_liaison", "hotels": "NOPE", "active": "yes"}
    )
    assert response.status_code == 400
    assert "NOPE" in response.get_data(as_text=True)
    assert users(app) == before
    missing = post(client, "/admin/users/99999", {"role": "viewer"})
    assert missing.status_code == 404


def test_a_role_change_from_the_users_row_keeps_only_what_the_new_role_uses(client, app):
    """The row's form still sends the old area or hotels; changing the role must not trip over them."""
    login(client)
    before = users(app)
    lead, liaison = before["housing"], before["liaison"]
    row = {"role": "viewer", "area": "accommodation", "hotels": "", "active": "yes"}
    assert post(client, f"/admin/users/{lead['id']}", row).status_code == 302
    row = {"role": "viewer", "area": "", "hotels": "H01", "active": "yes"}
    assert post(client, f"/admin/users/{liaison['id']}", row).status_code == 302
    after = users(app)
    assert (after["housing"]["role"], after["housing"]["area"]) == ("viewer", None)
    assert (after["liaison"]["role"], after["liaison"]["hotels"]) == ("viewer", None)
    # a liaison still needs a hotel
    row = {"role": "hotel_liaison", "area": "", "hotels": "", "active": "yes"}
    assert post(client, f"/admin/users/{liaison['id']}", row).status_code == 400


def test_a_survey_with_wrong_values_is_shown_again_and_nothing_is_saved(client, app):
    login(client)
    with Session(engine_of(app)) as s:
        before = len(s.exec(select(HotelSurvey)).all())
    for form, field in (
        ({"surveyed_on": "2007-02-30", "score": "80"}, "surveyed_on"),
        ({"surveyed_on": "2007-02-01", "score": "nan"}, "score"),
        ({"surveyed_on": "2007-02-01", "score": "101"}, "score"),
        ({"surveyed_on": "2007-02-01", "score": "80", "decision": "maybe"}, "decision"),
    ):
        response = post(client, "/accommodation/hotels/H01", form)
        assert response.status_code == 422
        assert re.search(rf'id="error-{field}"', response.get_data(as_text=True)), field
    assert post(client, "/accommodation/hotels/NOPE", {"surveyed_on": "2007-02-01", "score": "80"}).status_code == 404
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(HotelSurvey)).all()) == before


# --------------------------------------------------------------------- CLI


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("bogus://nowhere", "cannot open the database bogus://nowhere"),
        ("postgresql://someone:secret@127.0.0.1:1/none", "cannot open the database postgresql://someone:***@"),
    ],
)
def test_a_database_that_cannot_be_opened_is_one_line(db, words):
    code, output = cli("--db", db, "runs")
    assert code == 1
    assert words in output and "Traceback" not in output and "secret" not in output


def test_a_file_that_is_no_database_is_one_line(tmp_path: Path):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello\n" * 100)
    code, output = cli("--db", str(not_db), "runs")
    assert code == 1
    assert "cannot open the database" in output and "file is not a database" in output
    assert not_db.read_text() == "hello\n" * 100


def test_outputs_that_cannot_be_written_and_no_data_are_one_line(tmp_path: Path, small_dir: Path):
    db = tmp_path / "p.sqlite"
    code, output = cli("--db", str(db), "map", str(tmp_path / "map.html"))
    assert code == 1 and "holds no event yet" in output and "Traceback" not in output
    assert cli("--db", str(db), "import", str(small_dir))[0] == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (
        ("export", str(blocker / "out")),
        ("map", str(blocker / "map.html")),
        ("divisions", "--output", str(blocker / "div")),
        ("fixtures", "small", str(blocker / "fx")),
    ):
        code, output = cli("--db", str(db), *args)
        assert code == 1, args
        assert "error:" in output and str(blocker) in output and "Traceback" not in output, args


def test_option_values_out_of_range_are_refused_by_name(tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    code, output = cli("--db", db, "serve", "--port", "99999999")
    assert code == 2 and "--port" in output
    code, output = cli("--db", db, "check", "--examples", "-1")
    assert code == 2 and "--examples" in output


# ------------------------------------------------- two saves at the same moment


def test_a_record_saved_twice_at_the_same_moment_is_a_form_error_not_a_500(client, app, monkeypatch):
    """The workbook check passed (the other save was not committed yet); the database's unique key refuses."""
    import web.records.operations as operations

    monkeypatch.setattr(operations, "cross_check", lambda *args: {})
    login(client)
    count, before = hotel_count(app), stored_hotel(app)
    form = {"id": "H01", "name": "Twin", "lat": "31.2", "lon": "121.4", "approved": "yes"}
    response = post(client, "/records/hotels/new", form)
    assert response.status_code == 422
    assert re.search(
        r'href="#field-id">[^<]+</a>: Someone saved a record with this key', response.get_data(as_text=True)
    )
    assert hotel_count(app) == count and stored_hotel(app) == before
    headers = token_for(app, "chair")
    api = client.post("/api/records/hotels", json={"values": form}, headers=headers)
    assert api.status_code == 422
    names(api, "id")
    assert hotel_count(app) == count


def test_shifts_saved_by_someone_else_at_the_same_moment_save_nothing(client, app, monkeypatch):
    import web.volunteers as volunteers

    with Session(engine_of(app)) as s:
        existing = s.exec(select(Shift)).all()
        taken = existing[0].id
    made = [
        {
            "id": shift_id,
            "place": "V01",
            "function": "spectator_services",
            "date": existing[0].date,
            "start": existing[0].start,
            "end": existing[0].end,
            "needed": 2,
            "skills": None,
            "languages": None,
        }
        for shift_id in ("V01-new-shift", taken)
    ]
    monkeypatch.setattr(volunteers, "expand_pattern", lambda data, pattern: made)
    login(client, "coach")
    response = post(client, "/volunteers/patterns", {**PATTERN, "action": "save"})
    assert response.status_code == 409
    assert re.search(r'id="error-id_prefix">[^<]*Someone saved shifts', response.get_data(as_text=True))
    with Session(engine_of(app)) as s:
        assert sorted(x.id for x in s.exec(select(Shift))) == sorted(x.id for x in existing)


# ------------------------------------------- numbers and characters no database holds

HUGE = "9" * 25  # more than a 64-bit database integer


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/records/hotels/{HUGE}"),
        ("post", f"/records/hotels/{HUGE}"),
        ("get", f"/records/hotels/{HUGE}/delete"),
        ("get", f"/plans/runs/{HUGE}"),
        ("post", f"/plans/runs/{HUGE}/accept"),
        ("get", f"/plans/runs/{HUGE}/plan.zip"),
        ("post", f"/admin/users/{HUGE}"),
        ("get", f"/api/records/hotels/{HUGE}"),
        ("put", f"/api/records/hotels/{HUGE}"),
        ("delete", f"/api/records/hotels/{HUGE}"),
        ("get", f"/api/plans/{HUGE}"),
        ("get", f"/api/plans/{HUGE}/compare"),
        ("post", f"/api/plans/{HUGE}/accept"),
    ],
)
def test_a_record_number_too_large_for_the_database_is_not_found(client, app, method, path):
    login(client)
    if path.startswith("/api/"):
        response = getattr(client, method)(path, json={"values": {}}, headers=token_for(app, "chair"))
    elif method == "post":
        response = post(client, path, {"role": "viewer"})
    else:
        response = client.get(path)
    assert response.status_code == 404


def test_a_nul_character_in_a_form_is_refused_with_its_field_and_nothing_is_saved(client, app):
    login(client)
    with Session(engine_of(app)) as s:
        before = len(s.exec(select(HotelSurvey)).all())
    response = post(
        client, "/accommodation/hotels/H01", {"surveyed_on": "2007-02-01", "score": "80", "notes": "a\x00b"}
    )
    assert response.status_code == 400
    assert "notes" in response.get_data(as_text=True) and "NUL" in response.get_data(as_text=True)
    with Session(engine_of(app)) as s:
        assert len(s.exec(select(HotelSurvey)).all()) == before
    assert client.get("/records/hotels?page=1\x00").status_code == 400
    api = client.post(
        "/api/records/hotels/search", json={"q": "x"}, query_string={"page": "\x00"}, headers=token_for(app, "chair")
    )
    assert api.status_code == 400 and "page" in api.get_json()["message"]


@pytest.mark.parametrize("name", ["Bad\x00name", "Bell\x07", "Esc\x1b[31m"])
def test_control_characters_in_a_value_are_named_and_not_saved(client, app, name):
    headers = token_for(app, "chair")
    record = h01(client, headers)
    before = stored_hotel(app)
    response = client.put(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": name}, "version_id": record["version_id"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert "control character" in names(response, "name")["errors"]["name"]
    login(client)
    page = post(client, f"/records/hotels/{record['pk']}", {**record["values"], "name": name, "version_id": "1"})
    if "\x00" in name:  # refused before any form is read: the NUL names its field
        assert page.status_code == 400 and "NUL" in page.get_data(as_text=True)
    else:
        assert page.status_code == 422 and "control character" in page.get_data(as_text=True)
    assert stored_hotel(app) == before
    tab = client.put(
        f"/api/records/hotels/{record['pk']}",
        json={"values": {"name": "Two\tparts"}, "version_id": record["version_id"]},
        headers=headers,
    )
    assert tab.status_code == 200  # tab and line breaks are ordinary text


def zipped_workbook(tmp_path: Path, change) -> Any:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    from planner.workbook.io import write_csv_folder
    from tests.builders import make_workbook

    folder = tmp_path / "csv"
    write_csv_folder(make_workbook(), folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            text = f.read_text(encoding="utf-8")
            z.writestr(f.name, change(text) if f.name == "hotels.csv" else text)
    buf.seek(0)
    return buf


def with_note(text: str, note: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0] + ",x_note", lines[1] + "," + note, *(line + ",ok" for line in lines[2:])]) + "\n"


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (lambda text: text.replace("Hotel H01", "Hotel\x01H01"), "name"),
        (lambda text: with_note(text, "bad\x00note"), "x_note"),
    ],
)
def test_an_imported_control_character_is_named_by_file_row_and_column(client, app, tmp_path, change, column):
    before = stored_hotel(app)
    response = client.post(
        "/api/import",
        data={"workbook": (zipped_workbook(tmp_path, change), "workbook.zip")},
        content_type="multipart/form-data",
        headers=token_for(app, "chair"),
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert any(
        e["file"] == "hotels.csv" and e["row"] == 2 and e["column"] == column and "control character" in e["message"]
        for e in errors
    ), errors
    assert stored_hotel(app) == before


def test_text_stored_with_control_characters_before_still_downloads_as_xlsx(client, app):
    import io

    import openpyxl

    with Session(engine_of(app)) as s:
        h = s.exec(select(Hotel).where(Hotel.id == "H01")).one()
        h.name = "Old\x01name"
        s.add(h)
        s.commit()
    login(client)
    response = client.get("/workbook/download/workbook.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["hotels"]
    assert "Old\ufffdname" in [c.value for row in sheet.iter_rows() for c in row]
