# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""The planner's sentences in Chinese: workbook errors, reasons, lists in Simplified and Traditional Chinese.

The planner writes English (the CLI, the plan files and the other tests see
it unchanged); each sentence is a template whose text is a message id of the
web's catalogues, and the web shows it in zh-Hans or zh-Hant with the same
file, row, column, value, person, night and need.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from planner.messages import Choice, Message, Series, Template, recognise
from planner.plan import Plan
from planner.rooming_lists import LABELS as ROOMING_LABELS
from planner.rooming_lists import rooming_html, write_rooming_csv, write_rooming_lists
from planner.services import accommodation, transport, volunteers
from planner.transport_lists import LABELS as TRANSPORT_LABELS
from planner.transport_lists import transport_html, write_transport_csv, write_transport_lists
from planner.volunteer_lists import LABELS as ROSTER_LABELS
from planner.volunteer_lists import LanguageList, language_list, roster_html, volunteer_calendar
from planner.workbook import io as workbook_io
from planner.workbook.io import CellError, WorkbookRejected, read_workbook, write_csv_folder
from solvers.accommodation import Unhoused
from tests.builders import (
    GAMES_DAY,
    delegation_row,
    hotel_row,
    make_dataset,
    make_workbook,
    manifest_row,
    person_row,
    rooming_row,
    roster_row,
    shift_row,
    stop_row,
    unassigned_row,
    vehicle_row,
    volunteer_row,
)
from tests.dbhelpers import store_accepted
from tests.webhelpers import app, client, login, post, web_template  # noqa: F401
from web.i18n import planner_templates

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "web" / "translations"
#: Every sentence the web recognises and translates (see the test that every planner module's are in it).
ALL_TEMPLATES = planner_templates()
#: Characters written differently in Traditional Chinese: none may appear in a zh-Hant text.
SIMPLIFIED_ONLY = set(
    "单团间楼层数员练伙医轮碍无这个们会说语时区车辆场馆报处图书长开关发结离队级义应实际为须则该项满调确认线"
)


def gettext_of(locale: str):  # type: ignore[no-untyped-def]
    """The compiled catalogue's gettext, as the web uses it (no Flask needed)."""
    return Translations.load(str(TRANSLATIONS), [locale]).gettext


def templates_within(templates: tuple[Template, ...]) -> list[Template]:
    """The templates and every word or sentence their parts may hold."""
    out: list[Template] = []
    todo = list(templates)
    while todo:
        t = todo.pop()
        if any(t is seen for seen in out):
            continue
        out.append(t)
        for part in t.parts.values():
            while isinstance(part, Series):
                part = part.item
            if isinstance(part, Choice):
                todo.extend(part.templates)
    return out


# ------------------------------------------------------------------ catalogues


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_every_planner_sentence_is_translated_with_the_same_parts(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        compiled = read_mo(fh)
    texts = {t.text for t in templates_within(ALL_TEMPLATES)} | {
        accommodation.LIST,
        volunteers.LIST,
        transport.REASON_LIST,
    }
    assert len(texts) > 100
    for text in sorted(texts):
        entry = catalog.get(text)
        assert entry is not None and entry.string and not entry.fuzzy, f"{locale}: no translation of {text!r}"
        assert sorted(re.findall(r"%\((\w+)\)s", entry.string)) == sorted(re.findall(r"%\((\w+)\)s", text)), text
        assert compiled.get(text) is not None and compiled.get(text).string == entry.string, f"{locale}: stale .mo"
        if locale == "zh_Hant":
            assert not SIMPLIFIED_ONLY & set(entry.string), f"Simplified characters in {entry.string!r}"


def test_every_planner_module_with_sentences_is_extracted_and_recognised() -> None:
    """A module with ``N_`` sentences is in web/babel.cfg and its MESSAGES are among the web's templates."""
    config = (ROOT / "web" / "babel.cfg").read_text(encoding="utf-8")
    known = {id(t) for t in ALL_TEMPLATES}
    found = []
    for path in sorted((ROOT / "planner").rglob("*.py")):
        if path.name == "messages.py" or "N_(" not in path.read_text(encoding="utf-8"):
            continue
        name = path.relative_to(ROOT).as_posix()
        found.append(name)
        assert f"[python: {name}]" in config, f"{name} is not extracted (web/babel.cfg)"
        templates = getattr(importlib.import_module(name[:-3].replace("/", ".")), "MESSAGES", ())
        assert templates, f"{name} has no MESSAGES"
        assert all(id(t) in known for t in templates), f"{name}: MESSAGES not in web.i18n.planner_templates"
    assert len(found) >= 9


# ------------------------------------------------------------------ workbook errors


def rejected(tmp_path: Path, **change: tuple[str, int, str, object]) -> list[CellError]:
    wb = make_workbook()
    for file, index, column, value in change.values():
        wb.tables[file][index][column] = value
    folder = tmp_path / "wb"
    write_csv_folder(wb, folder)
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(folder)
    return caught.value.errors


def test_cell_errors_keep_their_english_and_carry_the_message(tmp_path: Path) -> None:
    errors = rejected(tmp_path, beds=("rooms", 0, "beds", "two"), gender=("people", 0, "gender", "X"))
    beds = next(e for e in errors if e.column == "beds")
    assert (beds.file, beds.row, beds.message) == ("rooms.csv", 2, "expected a whole number, got 'two'")
    assert beds.detail == workbook_io.NOT_WHOLE(value="'two'")
    assert beds == CellError("rooms.csv", 2, "beds", "expected a whole number, got 'two'")  # as tests compare them
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")
    assert beds.detail.localise(hans, "zh-Hans") == "应为整数，实际为 'two'"
    assert beds.detail.localise(hant, "zh-Hant") == "應為整數，實際為 'two'"
    gender = next(e for e in errors if e.column == "gender")
    assert gender.detail is not None
    assert gender.detail.localise(hans, "zh-Hans") == "未知的值 'X'；允许的值：F, M"


def test_every_english_error_is_recognised_from_its_text(tmp_path: Path) -> None:
    """A CellError that lost its message (written out, read back) is still recognised from the English."""
    errors = rejected(tmp_path, beds=("rooms", 0, "beds", "-1"), date=("delegations", 0, "arrival_date", "2007-02-30"))
    errors += rejected(tmp_path, ref=("people", 0, "delegation", "ZZZ"))
    assert len(errors) >= 3
    for e in errors:
        assert e.detail is not None
        assert recognise(e.message, ALL_TEMPLATES) == Message(
            e.detail.template, tuple((k, str(v)) for k, v in e.detail.params)
        )


def upload(client, tmp_path: Path, wb) -> str:  # type: ignore[no-untyped-def]
    folder = tmp_path / "upload"
    write_csv_folder(wb, folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for p in folder.glob("*.csv"):
            z.write(p, f"workbook/{p.name}")
    buffer.seek(0)
    response = post(client, "/workbook/upload", {"workbook": (buffer, "bad.zip")}, content_type="multipart/form-data")
    assert response.status_code == 422
    return response.get_data(as_text=True)


def error_rows(page: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r'<tr><td>([^<]*)</td><td class="number">(\d*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)


@pytest.mark.parametrize(
    ("lang", "beds", "gender"),
    [
        ("zh_Hans", "应为整数，实际为 &#39;two&#39;", "未知的值 &#39;X&#39;；允许的值：F, M"),
        ("zh_Hant", "應為整數，實際為 &#39;two&#39;", "未知的值 &#39;X&#39;；允許的值：F, M"),
        ("en", "expected a whole number, got &#39;two&#39;", "unknown value &#39;X&#39;; allowed: F, M"),
    ],
)
def test_upload_shows_cell_errors_in_the_users_language(client, tmp_path, lang, beds, gender) -> None:
    login(client)
    post(client, "/language", {"lang": lang, "next": "/"})
    wb = make_workbook()
    wb.tables["rooms"][0]["beds"] = "two"
    wb.tables["people"][0]["gender"] = "X"
    rows = error_rows(upload(client, tmp_path, wb))
    assert ("rooms.csv", "2", "beds", beds) in rows
    assert ("people.csv", "2", "gender", gender) in rows


@pytest.mark.parametrize(
    ("lang", "text"),
    [("zh_Hans", "&#39;ZZZ&#39; 不是 delegations 中的编号"), ("zh_Hant", "&#39;ZZZ&#39; 不是 delegations 中的編號")],
)
def test_upload_shows_cross_file_errors_in_chinese(client, tmp_path, lang, text) -> None:
    login(client)
    post(client, "/language", {"lang": lang, "next": "/"})
    wb = make_workbook()
    wb.tables["people"][1]["delegation"] = "ZZZ"
    assert ("people.csv", "3", "delegation", text) in error_rows(upload(client, tmp_path, wb))


# ------------------------------------------------------------------ reasons


def test_unhoused_reason_in_english_simplified_and_traditional() -> None:
    data = make_dataset()
    night = make_dataset().people["P1"].arrival_date.toordinal()
    u = Unhoused(person="P1", reason="no_bed", need="accessible_room", night=night)
    english = accommodation.unhoused_reason(data, u)
    day = data.people["P1"].arrival_date.isoformat()
    assert english == f"no accessible room left for women of VEN on {day}"
    message = recognise(english, ALL_TEMPLATES)
    assert message is not None and str(message) == english
    assert message.localise(gettext_of("zh_Hans"), "zh-Hans") == f"{day} 已没有可分配给 VEN 女子的无障碍房间"
    assert message.localise(gettext_of("zh_Hant"), "zh-Hant") == f"{day} 已沒有可分配給 VEN 女子的無障礙房間"


def test_shift_and_liaison_shortages_in_chinese() -> None:
    data = make_dataset(
        people=[],
        sessions=[],
        delegations=[delegation_row("EGY", "ar;fr")],
        volunteers=[volunteer_row("A1", "ar")],
        shifts=[shift_row("AR", languages="fr;ar", skills="first_aid", needed=3, date="2007-10-08")],
    )
    shift = data.shifts["AR"]
    english = volunteers.shift_shortage_reason(data, shift, short=2, eligible=3, on_liaison_duty=1, filled=1)
    assert english == (
        "Venue V01, 2007-10-08 08:00-12:00: 2 short (Arabic or French speakers with first aid; "
        "3 eligible that day: 1 on this shift, 1 on liaison duty, 1 on other shifts)"
    )
    message = recognise(english, ALL_TEMPLATES)
    assert message is not None and str(message) == english
    assert message.localise(gettext_of("zh_Hans"), "zh-Hans") == (
        "场馆 V01，2007-10-08 08:00-12:00：缺 2 人（会说阿拉伯语或法语并具备 first aid 技能的志愿者；"
        "当天有 3 人符合条件：1 人已在本班次，1 人担任联络员，1 人在其他班次）"
    )
    assert message.localise(gettext_of("zh_Hant"), "zh-Hant") == (
        "場館 V01，2007-10-08 08:00-12:00：缺 2 人（會說阿拉伯語或法語並具備 first aid 技能的志願者；"
        "當天有 3 人符合條件：1 人已在本班次，1 人擔任聯絡員，1 人在其他班次）"
    )
    liaison = volunteers.liaison_shortage_reason(data, "EGY", speakers=1, available=0)
    found = recognise(liaison, ALL_TEMPLATES)
    assert found is not None and found.args["languages"] == LanguageList(("ar", "fr"), "or")
    assert found.localise(gettext_of("zh_Hant"), "zh-Hant").startswith("有 1 名志願者會說阿拉伯語或法語，但沒有人能在")


def test_text_that_is_no_planner_sentence_is_not_recognised() -> None:
    assert recognise("no room left for women of VEN", ALL_TEMPLATES) is None
    assert recognise("no bed left for women of VEN on tomorrow", ALL_TEMPLATES) is None


# ------------------------------------------------------------------ printable lists


@pytest.fixture
def rooming_world():  # type: ignore[no-untyped-def]
    data = make_dataset(
        people=[person_row("P1"), person_row("P2", family_name="李", given_name="娜", delegation="CHN")],
        hotels=[hotel_row("H01", name_zh="和平饭店"), hotel_row("H02", approved=False, lat=31.22, lon=121.48)],
    )
    plan = Plan(
        rooming=[rooming_row(data, "P2", "H01", "101")],
        unassigned=[unassigned_row("bed", "P1", "no bed left for women of VEN on 2007-10-03")],
    )
    return data, plan


def test_traditional_labels_are_written_out_and_differ_where_they_should() -> None:
    for labels in (ROOMING_LABELS, ROSTER_LABELS, TRANSPORT_LABELS):
        assert labels["zh-Hant"].keys() == labels["zh-Hans"].keys() == labels["en"].keys()
        text = "".join(labels["zh-Hant"].values())
        assert not SIMPLIFIED_ONLY & set(text), sorted(SIMPLIFIED_ONLY & set(text))
    assert ROOMING_LABELS["zh-Hant"]["title_delegation"] == "代表團住宿名單"
    assert ROOMING_LABELS["zh-Hans"]["title_delegation"] == "代表团住宿名单"
    assert ROSTER_LABELS["zh-Hant"]["title"] == "志願者排班表"
    assert TRANSPORT_LABELS["zh-Hant"]["title_timetable"] == "車輛時刻表"
    assert TRANSPORT_LABELS["zh-Hans"]["title_timetable"] == "车辆时刻表"
    assert language_list(["fr", "es"], lang="zh-Hant") == "法語或西班牙語"
    assert language_list(["it", "lo"], "and", lang="zh-Hant") == "義大利語和寮語"


def test_zh_hant_rooming_list_with_chinese_names_and_translated_reasons(rooming_world, tmp_path: Path) -> None:
    data, plan = rooming_world
    hant = gettext_of("zh_Hant")

    def reasons(text: str) -> str:
        found = recognise(text, ALL_TEMPLATES)
        return found.localise(hant, "zh-Hant") if found else text

    page = rooming_html(data, plan, by="delegation", lang="zh-Hant", reasons=reasons)
    assert '<html lang="zh-Hant">' in page and "代表團住宿名單" in page and "未安排床位" in page
    assert "2007-10-03 已沒有可分配給 VEN 女子的床位" in page
    assert "no bed left" not in page
    by_hotel = rooming_html(data, plan, by="hotel", lang="zh-Hant")
    assert "酒店住宿名單: 和平饭店 (H01)" in by_hotel  # the hotel's own Chinese name, as the data gives it
    (path,) = write_rooming_csv(data, plan, tmp_path, by="hotel", lang="zh-Hant")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:4] == ["房號", "樓層", "床位", "無障礙"]
    # without a translation the plan's English reason is kept
    assert "no bed left for women of VEN on 2007-10-03" in rooming_html(data, plan, by="delegation", lang="zh-Hant")


def test_all_lists_in_three_languages(rooming_world, tmp_path: Path) -> None:
    data, plan = rooming_world
    names = {p.name for p in write_rooming_lists(data, plan, tmp_path, formats=("html",))}
    assert names == {
        f"rooming_{by}_{lang}.html" for by in ("hotel", "delegation") for lang in ("en", "zh-Hans", "zh-Hant")
    }


def test_zh_hant_roster_and_calendar() -> None:
    data = make_dataset()
    plan = Plan(roster=[roster_row("L1", "F1")])
    page = roster_html(data, plan, lang="zh-Hant")
    assert '<html lang="zh-Hant">' in page and "志願者排班表" in page and "場館 V01" in page
    calendar = volunteer_calendar(data, plan, "L1", lang="zh-Hant")
    assert "X-WR-CALNAME:志願者排班表 L1" in calendar
    with pytest.raises(ValueError):
        roster_html(data, plan, lang="zh-TW")


@pytest.fixture
def transport_world():  # type: ignore[no-untyped-def]
    data = make_dataset(
        hotels=[hotel_row("H01", name_zh="和平饭店"), hotel_row("H02", approved=False, lat=31.22, lon=121.48)],
    )
    plan = Plan(
        transport=[
            stop_row("B1", "T1", 0, "B1", depart="08:50"),
            stop_row("B1", "T1", 1, "H01", arrive="09:10", depart="09:12", session="S1"),
            stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
        ],
        manifest=[manifest_row("B1", "T1", "P1", 1, 2)],
        unassigned=[unassigned_row("ride", "P2:S1", "a reason the planner wrote")],
    )
    return data, plan


def test_zh_hant_transport_lists_with_chinese_names_and_the_reasons_given(transport_world, tmp_path: Path) -> None:
    data, plan = transport_world
    timetable = transport_html(data, plan, "timetable", "zh-Hant")
    assert '<html lang="zh-Hant">' in timetable and "車輛時刻表" in timetable
    assert "<td>和平饭店</td>" in timetable and "<td>車場</td>" in timetable  # the hotel's own Chinese name
    itinerary = transport_html(data, plan, "itinerary", "zh-Hant", reasons=lambda text: f"«{text}»")
    assert "代表團交通行程" in itinerary and "未安排乘車" in itinerary and "前往場次" in itinerary
    assert "<td>«a reason the planner wrote»</td>" in itinerary
    assert "<td>a reason the planner wrote</td>" in transport_html(data, plan, "itinerary", "zh-Hant")
    (path,) = write_transport_csv(data, plan, tmp_path, "manifest", "zh-Hant")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh))[:4] == ["編號", "姓名", "代表團", "身份"]
    assert path.name.endswith("_zh-Hant.csv")
    every = write_transport_lists(data, plan, tmp_path / "all", formats=("html",), langs=("zh-Hant",))
    assert {p.name for p in every} == {
        f"{kind}_zh-Hant.html" for kind in ("timetable", "manifest", "itinerary", "overview")
    }


# ------------------------------------------------------------------ web lists


def test_web_lists_offer_traditional_chinese_and_translate_reasons(client, app, transport_world) -> None:
    from tests.test_web_operations import engine_of

    data = make_dataset()
    store_accepted(
        engine_of(app),
        "accommodation",
        Plan(
            rooming=[rooming_row(data, "P1", "H01", "101")],
            unassigned=[unassigned_row("bed", "P2", "no bed left for women of VEN on 2007-10-03")],
        ),
    )
    store_accepted(engine_of(app), "volunteers", Plan(roster=[roster_row("L1", "F1")]))
    store_accepted(engine_of(app), "transport", transport_world[1])
    login(client)
    index = client.get("/lists/").get_data(as_text=True)
    for lang in ("zh-Hans", "zh-Hant", "en"):
        assert f"/lists/rooming-all-hotel.xlsx?lang={lang}" in index
        assert f"/lists/rosters.csv?lang={lang}" in index
        assert f"/lists/transport-timetable.xlsx?lang={lang}" in index
    itinerary = client.get("/lists/itineraries/VEN.csv?lang=zh-Hant").data.decode("utf-8-sig")
    assert itinerary.splitlines()[0].startswith("日期,場次,方向,出發地,出發,目的地,到達,車輛,車次,人數")
    assert "未安排乘車" in itinerary and "a reason the planner wrote" in itinerary  # no template knows it: as written
    timetable = client.get("/lists/vehicles/B1/timetable.html?lang=zh-Hant").get_data(as_text=True)
    assert "車輛時刻表" in timetable and "<td>車場</td>" in timetable
    assert '<span lang="zh-Hant">繁體中文</span>' in index
    text = client.get("/lists/rooming-by-delegation/VEN.csv?lang=zh-Hant").data.decode("utf-8-sig")
    assert "未安排床位" in text and "2007-10-03 已沒有可分配給 VEN 女子的床位" in text
    text = client.get("/lists/rooming-by-delegation/VEN.csv?lang=zh-Hans").data.decode("utf-8-sig")
    assert "未安排床位" in text and "2007-10-03 已没有可分配给 VEN 女子的床位" in text
    # the list's language decides, not the page's: an English list keeps the plan's words
    text = client.get("/lists/rooming-by-delegation/VEN.csv?lang=en").data.decode("utf-8-sig")
    assert "no bed left for women of VEN on 2007-10-03" in text
    roster = client.get("/lists/rosters.csv?lang=zh-Hant").data.decode("utf-8-sig")
    assert roster.splitlines()[0].startswith("日期,地點編號,地點,班次,崗位")
    calendar = client.get("/lists/calendars/L1.ics?lang=zh-Hant")
    assert calendar.status_code == 200 and "志願者排班表" in calendar.get_data(as_text=True)
    assert 'lang="zh-Hant">繁體中文</a>' in client.get("/volunteers/people/L1").get_data(as_text=True)


def test_planner_text_in_the_page_language(app) -> None:
    from web.i18n import planner_text

    reason = "no bed left for women of VEN on 2007-10-03"
    with app.test_request_context(headers={"Accept-Language": "zh-TW"}):
        assert planner_text(reason) == "2007-10-03 已沒有可分配給 VEN 女子的床位"
        assert planner_text(reason, "zh-Hans") == "2007-10-03 已没有可分配给 VEN 女子的床位"
        assert planner_text(reason, "en") == reason
        assert planner_text("something else entirely") == "something else entirely"
        assert planner_text(None) == ""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert planner_text(reason) == reason


# ------------------------------------------------------------------ soft rules


def test_accommodation_rule_texts_are_the_solvers_rules() -> None:
    """The service's templates say exactly what ``solvers.accommodation.RULES`` says, for every rule, in order."""
    from solvers.accommodation import RULES

    assert {rule: t.text for rule, t in accommodation.RULE_DOCS.items()} == RULES
    assert list(accommodation.RULE_NAMES) == list(RULES)


def test_volunteer_rule_texts_are_what_the_solver_writes() -> None:
    """Every cost line of the volunteer solver is named, and its explanation is its rule's template."""
    from solvers import volunteers as solver

    data = make_dataset()
    problem, _ = volunteers.build_problem(data, volunteers.VolunteerParams(min_rest_between_days_min=11 * 60))
    costs = solver.soft_rule_costs(problem, [], [])
    assert [c.rule for c in costs] == list(volunteers.RULE_NAMES) == list(volunteers.RULE_DOCS)
    for c in costs:
        assert volunteers.RULE_DOCS[c.rule].match(c.doc) is not None, c.doc
    rest = volunteers.RULE_DOCS["short_rest"].match(next(c.doc for c in costs if c.rule == "short_rest"))
    assert rest is not None and rest.localise(gettext_of("zh_Hant"), "zh-Hant") == (
        "距前一天最後一個班次結束不足 11 小時就開始工作的志願者工作日"
    )


# ------------------------------------------------------------------ progress


def test_every_progress_message_of_a_solve_is_a_known_template() -> None:
    """What the accommodation and volunteer solvers report while they work is recognised, and reads in Chinese."""
    from planner.services.accommodation import AccommodationParams, plan_accommodation
    from planner.services.base import Progress

    data = make_dataset()
    seen: list[Progress] = []
    plan_accommodation(data, params=AccommodationParams(time_limit_s=2, workers=1), progress=seen.append)
    volunteers.plan_volunteers(data, params=volunteers.VolunteerParams(time_limit_s=2, workers=1), progress=seen.append)
    texts = {p.message for p in seen if p.message}
    assert {"greedy start", "liaisons"} <= texts
    templates = (*accommodation.PROGRESS, *volunteers.PROGRESS)
    unknown = [t for t in texts if recognise(t, templates) is None]
    assert unknown == []
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")
    improved = recognise("improved by re-planning hotels H01, H02", templates)
    assert improved is not None and improved.localise(hans, "zh-Hans") == "重新规划酒店 H01，H02 后方案更优"
    day = recognise("shifts, day 2 of 3: 1,204 places filled", templates)
    assert day is not None and day.localise(hant, "zh-Hant") == "班次：第 2 天（共 3 天），已填補 1,204 個崗位"


# ------------------------------------------------------------------ the checker


def test_checker_messages_keep_their_english_and_read_in_chinese() -> None:
    """Violations and warnings of accommodation and volunteers are templates: same English, Chinese with their ids."""
    from planner import check
    from planner.check import check_plan
    from tests.builders import liaison_row

    data = make_dataset()
    rooming = [rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "101")]
    roster = [roster_row("L2", "F1"), roster_row("L1", "F1")]
    report = check_plan(data, Plan(rooming=rooming, roster=roster, liaisons=[liaison_row("L2", "VEN")]))
    messages = {v.code: v.message for v in [*report.violations, *report.warnings]}
    assert messages["athlete_with_adult"] == "room H01/101 puts athlete P1 with coach P2 on 2007-10-01"
    assert messages["missing_skill"] == "L2 works shift F1 without the required skill(s) first_aid"
    assert messages["over_staffed"] == "shift F1 has 2 volunteers but needs 1"
    assert messages["liaison_on_shift"] == "liaison L2 of VEN also works shift F1 on 2007-10-03, during VEN's stay"
    assert messages["liaison_unlisted"] == "delegation CHN has no liaison and no unassigned liaison row"
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")

    def zh(code: str, gettext, lang: str) -> str:  # type: ignore[no-untyped-def]
        message = recognise(messages[code], check.VIOLATIONS)
        assert message is not None, messages[code]
        return message.localise(gettext, lang)

    assert zh("athlete_with_adult", hans, "zh-Hans") == "房间 H01/101 在 2007-10-01 让运动员 P1 与教练员 P2 同住"
    assert zh("athlete_with_adult", hant, "zh-Hant") == "房間 H01/101 在 2007-10-01 讓運動員 P1 與教練員 P2 同住"
    assert zh("missing_skill", hans, "zh-Hans") == "L2 上班次 F1，但不具备所需技能 first_aid"
    assert zh("over_staffed", hant, "zh-Hant") == "班次 F1 安排了 2 名志願者，但只需要 1 名"
    assert zh("liaison_on_shift", hans, "zh-Hans") == "VEN 的联络员 L2 在 VEN 停留期间的 2007-10-03 还上了班次 F1"
    assert zh("liaison_unlisted", hant, "zh-Hant") == "代表團 CHN 沒有聯絡員，unassigned 中也沒有其 liaison 行"


def test_checker_transport_messages_read_in_chinese_with_trips_stops_and_times() -> None:
    from planner import check
    from planner.check import check_plan

    data = make_dataset()
    plan = Plan(
        rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")],
        transport=[
            stop_row("B1", "T1", 0, "B1", depart="08:50"),
            stop_row("B1", "T1", 1, "H01", arrive="09:00", depart="09:02"),
            stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
        ],
        manifest=[manifest_row("B1", "T1", "P1", 1, 2)],
    )
    report = check_plan(data, plan, kinds=["transport"])
    messages = {(v.code, v.ids[0]): v.message for v in report.violations}
    late = messages[("no_ride_there", "P1")]
    assert late == (
        "P1 (VEN) has no ride from hotel H01 to session S1 at V01 arriving by 2007-10-03 09:30 "
        "(vehicle B1 trip T1 arrives 2007-10-03 09:32), and no unassigned ride row"
    )
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")

    def zh(text: str, gettext, lang: str) -> str:  # type: ignore[no-untyped-def]
        message = recognise(text, check.VIOLATIONS)
        assert message is not None, text
        return message.localise(gettext, lang)

    assert zh(late, hans, "zh-Hans") == (
        "P1（VEN）没有从酒店 H01前往 V01 赛程 S1、于 2007-10-03 09:30 前到达的乘车安排"
        "（车辆 B1 车次 T1 于 2007-10-03 09:32 到达），unassigned 中也没有 ride 行"
    )
    assert zh(messages[("too_fast", "B1")], hant, "zh-Hant") == (
        "車輛 B1 車次 T1 於 2007-10-03 08:50 離開第 0 站（B1）、2007-10-03 09:00 到達第 1 站（H01）："
        "只用 10 分鐘，但這段路需要 20 分鐘"
    )
    assert zh(messages[("not_back_to_depot", "B1")], hans, "zh-Hans") == (
        "车辆 B1 在 2007-10-03 结束于 V01（车辆 B1 车次 T1），而不是回到其车场 B1"
    )


# ------------------------------------------------------------------ transport


@pytest.fixture(scope="module")
def transport_outcome():  # type: ignore[no-untyped-def]
    """A real transport plan in which A1 (in a wheelchair) has no ride: the only vehicle has no wheelchair place."""
    from planner.services.base import Progress

    data = make_dataset(
        people=[person_row("C1", role="coach"), person_row("A1", needs="wheelchair")],
        vehicles=[vehicle_row("B1", seats=3, wheelchair_places=0)],
    )
    rooming = [rooming_row(data, pid, "H01", "301") for pid in data.people]
    seen: list[Progress] = []
    params = transport.TransportParams(time_limit_s=2.0)
    return transport.plan_transport(data, rooming=rooming, params=params, progress=seen.append), seen


#: A1's reasons, there and back (the row writes them in the order the solver reports them), and in Chinese.
A1_NO_RIDE = {
    "no vehicle has 1 wheelchair place for Given A1 Family A1 (A1, VEN) to session S1 on 2007-10-03": (
        "Given A1 Family A1（A1，VEN）2007-10-03 前往赛程 S1时，没有任何车辆具备 1 个轮椅位",
        "Given A1 Family A1（A1，VEN）2007-10-03 前往賽程 S1時，沒有任何車輛具備 1 個輪椅位",
    ),
    "no vehicle has 1 wheelchair place for Given A1 Family A1 (A1, VEN) back from session S1 on 2007-10-03": (
        "Given A1 Family A1（A1，VEN）2007-10-03 从赛程 S1 返回时，没有任何车辆具备 1 个轮椅位",
        "Given A1 Family A1（A1，VEN）2007-10-03 從賽程 S1 返回時，沒有任何車輛具備 1 個輪椅位",
    ),
}


def test_transport_reasons_keep_their_english_and_every_branch_is_recognised() -> None:
    """Each no-ride reason (every cause, both legs, one or more wheelchair users) is its template's English."""
    from solvers import transport as solver

    data = make_dataset(people=[person_row("C1", role="coach"), person_row("W1", needs="wheelchair")])
    causes = (
        solver.CAUSE_RIDE_TOO_LONG,
        solver.CAUSE_NO_WHEELCHAIR_VEHICLE,
        solver.CAUSE_NO_VEHICLE_FITS,
        solver.CAUSE_NO_VEHICLE_IN_TIME,
        solver.CAUSE_STOPPED,
        solver.CAUSE_FLEET_BUSY,
    )
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")
    found = set()
    for leg in (transport.OUT, transport.BACK):
        for chairs in ((), ("W1",), ("W1", "W2")):
            load = transport.Load(f"S1/H01/1/{leg}", "S1", leg, "H01", "V01", ("C1", "W1"), chairs)
            for cause in causes:
                for pid in ("C1", "W1"):
                    message = transport.ride_reason_message(data, load, cause, pid)
                    english = transport.ride_reason(data, load, cause, pid)
                    assert english == str(message)
                    again = recognise(english, ALL_TEMPLATES)
                    assert again is not None and again.template == message.template and str(again) == english
                    found.add(message.template)
                    for gettext, lang in ((hans, "zh-Hans"), (hant, "zh-Hant")):
                        local = again.localise(gettext, lang)
                        assert (
                            "S1" in local
                            and "2007-10-03" in local
                            and not re.search("[a-z]{3,}", local.replace("Given", "").replace("Family", ""))
                        ), local
    assert found == {t.text for t in transport.REASONS} - {
        transport.NO_BED_AT_ALL.text,
        transport.NO_BED_THAT_NIGHT.text,
    }
    no_seat = transport.ride_reason(
        data, transport.Load("S1/H01/1/out", "S1", "out", "H01", "V01", ("C1",), ()), solver.CAUSE_FLEET_BUSY, "C1"
    )
    assert no_seat == "no seat free for Given C1 Family C1 (C1, VEN) to session S1 on 2007-10-03"


def test_a_real_no_ride_reason_and_the_cost_lines_through_the_web_filter(app, transport_outcome) -> None:
    """plan_transport's stored English: the web shows the reason, run message and cost lines in zh-Hans and zh-Hant."""
    from dataclasses import asdict

    from web.plans import penalty_rows

    outcome, _seen = transport_outcome
    reasons = {r["id"]: r["reason"] for r in outcome.plan.unassigned}
    assert list(reasons) == ["A1:S1"]
    parts = reasons["A1:S1"].split("; ")
    assert sorted(parts) == sorted(A1_NO_RIDE)
    assert outcome.messages[0].startswith("1 day(s), 2 passenger rides on 1 vehicle-days, ")
    assert outcome.messages[0].endswith(" driving minutes; 1 unassigned ride row(s)")
    filter_ = app.jinja_env.filters["planner_text"]
    lines = [asdict(p) for p in outcome.penalties]
    expected = {
        "zh-CN": (
            "；".join(A1_NO_RIDE[part][0] for part in parts),
            "1 天：1 个车辆工作日运送乘客 2 人次，行驶 ",
            ("未安排乘车的乘客", "每位乘客每个未安排车辆的单程计一次。"),
            ("使用的车辆", "软规则：每辆车每使用一天计一次（车辆工作日）。"),
        ),
        "zh-TW": (
            "；".join(A1_NO_RIDE[part][1] for part in parts),
            "1 天：1 個車輛工作日運送乘客 2 人次，行駛 ",
            ("未安排乘車的乘客", "每位乘客每個未安排車輛的單程計一次。"),
            ("使用的車輛", "軟規則：每輛車每使用一天計一次（車輛工作日）。"),
        ),
    }
    for header, (reason, summary, no_ride, vehicles) in expected.items():
        with app.test_request_context(headers={"Accept-Language": header}):
            assert filter_(reasons["A1:S1"]) == reason
            assert filter_(outcome.messages[0]).startswith(summary)
            assert filter_(outcome.messages[0]).endswith(
                "；未安排乘" + ("车记录 1 条" if header == "zh-CN" else "車記錄 1 條")
            )
            rows = {row["rule"]: (row["name"], row["explanation"]) for row in penalty_rows("transport", lines)}
            assert rows["passengers without a ride"] == no_ride
            assert rows["vehicles used"] == vehicles
            assert all(not re.search("[a-z]", name + doc) for name, doc in rows.values()), rows
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert filter_(reasons["A1:S1"]) == reasons["A1:S1"]
        # a printed list's language, not the page's
        assert filter_(reasons["A1:S1"], "zh-Hant") == "；".join(A1_NO_RIDE[part][1] for part in parts)
        rows = {row["rule"]: row["name"] for row in penalty_rows("transport", lines)}
        assert rows["waiting at the venue"] == "waiting at the venue"  # the English name is the rule's code


def test_transport_rule_texts_are_what_the_service_writes(transport_outcome) -> None:
    """Every cost line of plan_transport is named, and its explanation is its rule's template."""
    outcome, _seen = transport_outcome
    assert [p.rule for p in outcome.penalties] == list(transport.RULE_NAMES) == list(transport.RULE_DOCS)
    for p in outcome.penalties:
        assert transport.RULE_DOCS[p.rule].match(p.doc) is not None, p.doc
        assert str(transport.RULE_NAMES[p.rule]()) == p.rule


def test_transport_progress_and_run_messages_read_in_chinese(transport_outcome) -> None:
    """The day's progress (the solver's own words included) and the cut-in-two message are templates."""
    from solvers.transport import SolveProgress

    _outcome, seen = transport_outcome
    texts = [p.message for p in seen if p.message]
    assert texts and all(t.startswith("2007-10-03: ") for t in texts)
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")
    for text in texts:
        message = recognise(text, ALL_TEMPLATES)
        assert message is not None and message.template == transport.DAY_PROGRESS.text, text
        assert isinstance(message.args["step"], Message), text  # the solver's words are known too
        assert not re.search("[a-z]", message.localise(hans, "zh-Hans")), text

    def progress(step: str, band: int = 2, bands: int = 3) -> str:
        return transport.progress_message(GAMES_DAY, SolveProgress(1.0, band, bands, None, step))

    planned = progress("band 2 of 3 planned (no better than the whole-day plan)")
    assert planned == "2007-10-03: band 2 of 3 planned (no better than the whole-day plan) (band 2 of 3)"
    found = recognise(planned, ALL_TEMPLATES)
    assert found is not None
    assert found.localise(hans, "zh-Hans") == (
        "2007-10-03：第 2 个时段（共 3 个）已规划完毕，但不优于全天方案（第 2 个时段，共 3 个）"
    )
    improved = recognise(progress("improved", 1, 1), ALL_TEMPLATES)
    assert (
        improved is not None and improved.localise(hant, "zh-Hant") == "2007-10-03：方案已改進（第 1 個時段，共 1 個）"
    )
    unknown = recognise(progress("something new"), ALL_TEMPLATES)  # a solver text no template knows: kept
    assert (
        unknown is not None and unknown.localise(hant, "zh-Hant") == "2007-10-03：something new（第 2 個時段，共 3 個）"
    )
    cut = str(transport.LOADS_CUT(day="2007-10-03", count=2))
    assert cut == (
        "2007-10-03: 2 load(s) of wheelchair users with companions were cut in two "
        "(wheelchair users, walkers) for want of a vehicle with wheelchair places for all"
    )
    found = recognise(cut, ALL_TEMPLATES)
    assert found is not None and found.localise(hant, "zh-Hant") == (
        "2007-10-03：由於沒有輪椅位足以容納所有人的車輛，2 批輪椅使用者及其同行人員被分成兩組（輪椅使用者一組，其餘乘客一組）"
    )


def test_transport_no_bed_reasons_and_joined_reasons_read_in_chinese() -> None:
    hans, hant = gettext_of("zh_Hans"), gettext_of("zh_Hant")
    night = str(transport.NO_BED_THAT_NIGHT(night="2007-10-03", session="S1"))
    assert night == "has no bed for the night of 2007-10-03, so no hotel to ride from to session S1"
    found = recognise(night, ALL_TEMPLATES)
    assert (
        found is not None
        and found.localise(hant, "zh-Hant") == "2007-10-03 當晚沒有床位，因此沒有前往賽程 S1 的出發酒店"
    )
    # three reasons in one row (a name with parentheses does not confuse the reading)
    who = transport.WHO(name="Ana (Jr.) Diaz", person="P9", delegation="VEN")
    legs = [transport.LEG_OUT(session="S1", day="2007-10-03"), transport.LEG_BACK(session="S1", day="2007-10-03")]
    reasons = [transport.NO_SEAT_FREE(who=who, leg=legs[0]), transport.STOPPED(who=who, leg=legs[1])]
    reasons += [transport.NO_SEAT_FREE(who=who, leg=legs[0])]  # the same again: written once
    text = transport.reasons_text(reasons)
    assert text == (
        "no seat free for Ana (Jr.) Diaz (P9, VEN) to session S1 on 2007-10-03; "
        "planning was stopped before a ride was found for Ana (Jr.) Diaz (P9, VEN) back from session S1 on 2007-10-03"
    )
    found = recognise(text, ALL_TEMPLATES)
    assert found is not None and found.template == transport.JOINED_REASONS.text
    assert found.localise(hans, "zh-Hans") == (
        "Ana (Jr.) Diaz（P9，VEN）2007-10-03 前往赛程 S1时，没有空余座位；"
        "Ana (Jr.) Diaz（P9，VEN）2007-10-03 从赛程 S1 返回时的乘车尚未安排，规划就已停止"
    )
