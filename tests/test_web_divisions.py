"""The divisions page: divisions per sport, athletes left over, settings with errors, CSV downloads."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from planner.dataset import Dataset
from planner.db import init_db, make_engine
from planner.services.divisions import DivisionParams, plan_divisions
from planner.users import create_user
from planner.workbook.io import read_workbook
from tests.dbhelpers import load
from tests.webhelpers import PASSWORD, login, make_app

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"


@pytest.fixture(scope="module")
def small_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the checked-in small fixture and a viewer and a hotel liaison."""
    path = tmp_path_factory.mktemp("divisions") / "web.sqlite"
    engine = make_engine(path)
    init_db(engine)
    load(engine, read_workbook(SMALL))
    with Session(engine) as s:
        create_user(s, "reader", PASSWORD, "viewer")
        create_user(s, "liaison", PASSWORD, "hotel_liaison", hotels=["H01"])
        s.commit()
    engine.dispose()
    return path


@pytest.fixture
def small_app(tmp_path: Path, small_database: Path) -> Iterator[Flask]:
    shutil.copyfile(small_database, tmp_path / "web.sqlite")
    application = make_app(tmp_path)
    yield application
    application.extensions["planner.engine"].dispose()


@pytest.fixture
def reader(small_app: Flask) -> FlaskClient:
    client = small_app.test_client()
    assert login(client, "reader").status_code == 302
    return client


@pytest.fixture(scope="module")
def expected() -> tuple[Dataset, object]:
    data = Dataset.from_workbook(read_workbook(SMALL))
    return data, plan_divisions(data)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_page_shows_every_division_with_names_and_the_athletes_left_over(reader, expected):
    data, report = expected
    assert report.divisions and report.left_over  # the fixture has both
    response = reader.get("/competition/divisions")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for row in report.divisions:
        assert row["division"] in page
        for athlete in row["athletes"]:
            p = data.people[athlete]
            assert f"{p.family_name} {p.given_name} ({p.delegation})" in page
    left = page.split('id="left-heading"', 1)[1]
    assert left.count("<tr>") == len(report.left_over) + 1  # header row + one per athlete
    for row in report.left_over:
        p = data.people[row["athlete"]]
        assert f"{p.family_name} {p.given_name}" in left
    # one captioned table per sport with divisions, headers scoped
    sports_with_divisions = {row["sport"] for row in report.divisions}
    assert page.count('<table class="divisions">') == len(sports_with_divisions)
    assert page.count("<caption") == len(sports_with_divisions) + 1
    assert 'scope="col"' in page and 'scope="row"' in page
    assert 'aria-current="page">Divisions' in page


def test_one_sport_and_settings_change_the_divisions(reader, expected):
    data, _ = expected
    sport = "athletics"
    strict = plan_divisions(data, sport, params=DivisionParams(merge_adjacent_age_groups=False, merge_genders=False))
    page = reader.get(f"/competition/divisions?set=1&sport={sport}&min_size=3&max_size=8").get_data(as_text=True)
    shown = set(re.findall(r'<th scope="row">([^<]+)</th>', page.split('id="left-heading"', 1)[0]))
    assert shown == {row["division"] for row in strict.divisions}
    assert all(not row["merged"] for row in strict.divisions)
    assert "aquatics-" not in page  # only the chosen sport
    assert 'id="division-merge_ages" name="merge_ages" value="yes" >' in page  # unchecked stays unchecked


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_size=0&max_size=8", "min_size"),
        ("min_size=5&max_size=4", "max_size"),
        ("min_size=three&max_size=8", "min_size"),
        ("min_size=3&max_size=8&sport=curling", "sport"),
    ],
)
def test_a_bad_setting_shows_its_error_next_to_its_field(reader, query, field):
    response = reader.get(f"/competition/divisions?set=1&{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert f'href="#division-{field}"' in page
    block = re.search(rf'<div class="field has-error">\s*<label for="division-{field}">.*?</div>', page, re.S)
    assert block, f"no error next to {field}"
    assert f'id="error-{field}"' in block.group(0)
    assert f'aria-describedby="error-{field}"' in block.group(0)
    assert page.count("has-error") == 1
    assert "Download" not in page.split("</form>", 1)[1] and "<table" not in page


def test_csv_downloads_hold_the_rows_of_both_tables(reader, expected):
    data, report = expected
    response = reader.get("/competition/divisions/divisions.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["division"] for r in rows] == [r["division"] for r in report.divisions]
    for got, want in zip(rows, report.divisions, strict=True):
        assert got["athlete_ids"].split(";") == list(want["athletes"])
        assert int(got["size"]) == want["size"]
        first = data.people[want["athletes"][0]]
        assert f"{first.family_name} {first.given_name} ({first.delegation})" in got["athletes"]
    left = list(csv.DictReader(io.StringIO(reader.get("/competition/divisions/left_over.csv").get_data(as_text=True))))
    assert [(r["athlete"], r["reason"]) for r in left] == [(r["athlete"], r["reason"]) for r in report.left_over]
    assert reader.get("/competition/divisions/other.csv").status_code == 404
    assert reader.get("/competition/divisions/divisions.csv?set=1&min_size=0").status_code == 400


def test_chinese_page_translates_reasons_and_words(small_app, expected):
    _, report = expected
    client = small_app.test_client()
    login(client, "reader")
    page = client.get("/competition/divisions", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in page
    text = _text(page)
    assert "fewer than" not in text and "no qualifying score" not in text
    assert "Divisions" not in text and "分组" in text
    no_score = sum(1 for row in report.left_over if row["score"] is None)
    assert text.count("的资格赛成绩") == no_score
    assert text.count("的运动员少于 3 名") == len(report.left_over) - no_score


def test_signed_out_users_are_sent_to_sign_in_and_hotel_liaisons_refused(small_app):
    client = small_app.test_client()
    for path in ("/competition/divisions", "/competition/divisions/divisions.csv"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    login(client, "liaison")
    assert client.get("/competition/divisions").status_code == 403
    assert "/competition/divisions" not in client.get("/lists/").get_data(as_text=True)


SPORT_NAMES = {
    "en": {
        "athletics": "Athletics",
        "aquatics": "Aquatics",
        "basketball": "Basketball",
        "football": "Football",
        "table_tennis": "Table tennis",
    },
    "zh": {"athletics": "田径", "aquatics": "游泳", "basketball": "篮球", "football": "足球", "table_tennis": "乒乓球"},
}
TOO_FEW = {
    "en": "fewer than 3 athletes of their gender and age group (even with an adjacent age group or the other gender) "
    "have a score in {sport} within 15% of theirs",
    "zh-CN": "同性别同年龄组中（即使合并相邻年龄组或另一性别）{sport}成绩与其相差不超过 15% 的运动员少于 3 名",
    "zh-TW": "同性別同年齡組中（即使合併相鄰年齡組或另一性別）{sport}成績與其相差不超過 15% 的運動員少於 3 名",
}


@pytest.mark.parametrize("lang", ["en", "zh-CN", "zh-TW"])
def test_sports_and_reasons_are_named_in_the_pages_language(small_app, expected, lang):
    """Sport names (sports.csv's name or name_zh) and the service's reasons in the page's language."""
    _, report = expected
    names = SPORT_NAMES["en" if lang == "en" else "zh"]
    client = small_app.test_client()
    login(client, "reader")
    page = client.get("/competition/divisions", headers={"Accept-Language": lang}).get_data(as_text=True)
    left = page.split('id="left-heading"', 1)[1]
    rows = re.findall(
        r'<th scope="row">[^<]*</th><td>[^<]*</td><td>([^<]*)</td>.*?<td>([^<]*)</td>\s*</tr>', left, re.S
    )
    assert len(rows) == len(report.left_over) > 0
    for (sport, reason), row in zip(rows, report.left_over, strict=True):
        assert sport == names[row["sport"]]
        assert reason == TOO_FEW[lang].format(sport=names[row["sport"]])
    options = re.findall(r'<option value="(\w+)" >([^<]+)</option>', page)
    assert options and all(name == names[code] for code, name in options)
    other = SPORT_NAMES["zh" if lang == "en" else "en"]
    assert not any(f">{name}<" in page for name in other.values())
