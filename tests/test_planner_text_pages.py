# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Pages that show what the planner wrote (reasons, moves, run messages, states) in the reader's language.

The plan keeps English; the run page and the dashboard show each sentence in
zh-Hans or zh-Hant with its own people, rooms, dates and numbers.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from sqlmodel import Session, select

from planner.jobs import STATES
from planner.models import Person, PlanRun
from planner.plan import Plan
from planner.services.planning import save_plan_rows
from tests.builders import unassigned_row
from tests.dbhelpers import store_accepted
from tests.test_planner_messages_i18n import error_rows, upload
from tests.test_web_operations import engine_of
from tests.webhelpers import app, client, csrf_token, login, post, web_template, workbook_with_workareas  # noqa: F401

BED = "no bed left for women of VEN on 2007-10-03"
SHIFT = "moved to shift F2"
RUN_MESSAGE = "3 people moved from the previous plan (1 forced by the changes)"


def store_run(app, status: str = "feasible", **fields: object) -> int:  # type: ignore[no-untyped-def]
    with Session(engine_of(app)) as s:
        run = PlanRun(kind="accommodation", status=status, **fields)
        s.add(run)
        s.commit()
        s.refresh(run)
        assert run.id is not None
        save_plan_rows(s, run.id, Plan(unassigned=[unassigned_row("bed", "P2", BED)]))
        s.commit()
        return run.id


def page(client, lang: str, path: str) -> str:  # type: ignore[no-untyped-def]
    """``path`` as the committee chair reading ``lang`` sees it."""
    with client.session_transaction() as session:
        signed_in = bool(session.get("_user_id"))
    if not signed_in:
        login(client)
    post(client, "/language", {"lang": lang, "next": "/"})
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "bed", "moved", "message", "what"),
    [
        (
            "zh_Hans",
            "2007-10-03 已没有可分配给 VEN 女子的床位",
            "已手动固定到 H01/101",
            "3 人的安排与上一方案不同（其中 1 人因数据变更而必须调整）",
            "联络员",
        ),
        (
            "zh_Hant",
            "2007-10-03 已沒有可分配給 VEN 女子的床位",
            "已手動固定到 H01/101",
            "3 人的安排與上一方案不同（其中 1 人因資料變更而必須調整）",
            "聯絡員",
        ),
        ("en", BED, "pinned by hand to H01/101", RUN_MESSAGE, "Liaison"),
    ],
)
def test_run_page_shows_reasons_moves_and_messages_in_the_users_language(
    client, app, lang, bed, moved, message, what
) -> None:
    moves = [
        {"person": "P1", "from": "H01/102", "to": "H01/101", "reason": "pinned by hand to H01/101", "forced": True},
        {"volunteer": "L1", "what": "liaison", "from": "VEN", "to": None, "reason": "no longer on this liaison"},
    ]
    run_id = store_run(app, messages=json.dumps([RUN_MESSAGE]), moved=json.dumps(moves))
    text = page(client, lang, f"/plans/runs/{run_id}")
    assert f"<td>{bed}</td>" in text
    assert f"<td>{moved}</td>" in text
    assert f"<li>{message}</li>" in text
    assert f'<span class="hint">({what})</span>' in text
    if lang != "en":
        assert BED not in text and RUN_MESSAGE not in text and "pinned by hand" not in text


def test_text_no_template_knows_is_shown_as_it_is(client, app) -> None:
    run_id = store_run(app, messages=json.dumps(["something the solver said"]))
    assert "<li>something the solver said</li>" in page(client, "zh_Hans", f"/plans/runs/{run_id}")


def test_every_job_and_run_state_has_a_translated_name(app) -> None:
    from flask_babel import force_locale

    from web.labels import STATUS_NAMES

    run_states = ("running", "optimal", "feasible", "partial", "infeasible", "stopped", "error", "interrupted")
    assert set(STATES) | set(run_states) <= set(STATUS_NAMES)
    with app.test_request_context(), force_locale("zh_Hant"):
        assert str(STATUS_NAMES["interrupted"]) == "已中斷"
        untranslated = [k for k, v in STATUS_NAMES.items() if str(v).isascii()]
        assert untranslated == []


@pytest.mark.parametrize(("lang", "word"), [("zh_Hans", "已中断"), ("zh_Hant", "已中斷"), ("en", "interrupted")])
def test_an_interrupted_run_shows_its_state_in_the_users_language(client, app, lang, word) -> None:
    run_id = store_run(app, status="interrupted")
    assert f"<dd>{word}</dd>" in page(client, lang, f"/plans/runs/{run_id}")
    assert f'<span class="error">{word}</span>' in page(client, lang, "/plans/")


@pytest.mark.parametrize(
    ("lang", "bed"),
    [("zh_Hans", "2007-10-03 已没有可分配给 VEN 女子的床位"), ("zh_Hant", "2007-10-03 已沒有可分配給 VEN 女子的床位")],
)
def test_dashboard_shortage_examples_in_the_users_language(client, app, lang, bed) -> None:
    store_accepted(engine_of(app), "accommodation", Plan(unassigned=[unassigned_row("bed", "P2", BED)]))
    text = page(client, lang, "/")
    assert f"<td>{bed}</td>" in text and BED not in text


# ------------------------------------------------------------------ work-area sheets and record forms


def field_errors(text: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-(\w+)">([^<]*)</p>', text))


@pytest.mark.parametrize(
    ("lang", "date", "channel", "empty", "order"),
    [
        (
            "zh_Hans",
            "不存在的日期：&#39;2007-06-31&#39;",
            "未知的值 &#39;fax&#39;；允许的值：letter, visit, phone",
            "必填值为空",
            "resolved_on（2007-06-10）早于 date（2007-06-20）",
        ),
        (
            "zh_Hant",
            "不存在的日期：&#39;2007-06-31&#39;",
            "未知的值 &#39;fax&#39;；允許的值：letter, visit, phone",
            "必填值為空",
            "resolved_on（2007-06-10）早於 date（2007-06-20）",
        ),
        (
            "en",
            "no such date: &#39;2007-06-31&#39;",
            "unknown value &#39;fax&#39;; allowed: letter, visit, phone",
            "required value is empty",
            "resolved_on (2007-06-10) is before date (2007-06-20)",
        ),
    ],
)
def test_record_form_errors_in_the_users_language(client, lang, date, channel, empty, order) -> None:
    page(client, lang, "/records/petitions")
    form = {"id": "", "date": "2007-06-31", "channel": "fax", "people": "0"}
    response = post(client, "/records/petitions/new", form)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert (errors["id"], errors["date"], errors["channel"]) == (empty, date, channel)
    assert errors["people"] == {"zh_Hans": "不得小于 1，实际为 0", "zh_Hant": "不得小於 1，實際為 0"}.get(
        lang, "must be at least 1, got 0"
    )
    form.update(id="PT9001", date="2007-06-20", channel="visit", people="3", resolved_on="2007-06-10")
    response = post(client, "/records/petitions/new", form)
    assert response.status_code == 422  # resolved before it was received: a check across the row
    text = response.get_data(as_text=True)
    assert field_errors(text)["resolved_on"] == order
    assert f"{order}</li>" in text  # and in the summary at the top


def test_the_api_still_gets_record_errors_as_english_text(client) -> None:
    login(client)
    post(client, "/language", {"lang": "zh_Hans", "next": "/"})
    token = csrf_token(client, "/")
    response = client.post(
        "/api/records/petitions",
        json={"values": {"id": "PT9002", "date": "2007-06-31", "channel": "visit", "people": "1"}},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["date"] == "no such date: '2007-06-31'"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("zh_Hans", "resolved_on（2007-06-10）早于 date（2007-06-20）"),
        ("zh_Hant", "resolved_on（2007-06-10）早於 date（2007-06-20）"),
    ],
)
def test_upload_shows_work_area_sheet_errors_in_chinese(client, tmp_path, lang, text) -> None:
    wb = workbook_with_workareas()
    row = wb.tables["petitions"][0]
    row.update(date=dt.date(2007, 6, 20), resolved_on=dt.date(2007, 6, 10))
    wb.tables["games_tasks"][0].update(status="done", done_on=None)
    page(client, lang, "/workbook/")
    rows = error_rows(upload(client, tmp_path, wb))
    assert ("petitions.csv", str(wb.row_numbers["petitions"][0]), "resolved_on", text) in rows
    done = (
        "状态为 done（已完成）的任务须填写 done_on"
        if lang == "zh_Hans"
        else "狀態為 done（已完成）的任務須填寫 done_on"
    )
    assert ("games_tasks.csv", str(wb.row_numbers["games_tasks"][0]), "done_on", done) in rows


# ------------------------------------------------------------------ hotel surveys, pins, shift patterns


@pytest.mark.parametrize(
    ("lang", "approve", "not_approved", "accessible"),
    [
        (
            "zh_Hans",
            "消防安全、食品安全或安保检查未通过的酒店不能批准",
            "酒店 H02 未获批准",
            "P2 需要无障碍房间；H01/201 不是无障碍房间",
        ),
        (
            "zh_Hant",
            "消防安全、食品安全或安保檢查未通過的酒店不能批准",
            "酒店 H02 未獲批准",
            "P2 需要無障礙房間；H01/201 不是無障礙房間",
        ),
    ],
)
def test_survey_and_pin_errors_in_chinese(client, app, lang, approve, not_approved, accessible) -> None:
    from tests.test_web_operations import SURVEY

    page(client, lang, "/accommodation/")
    unsafe = {k: v for k, v in SURVEY.items() if k != "fire_safety"}
    response = post(client, "/accommodation/hotels/H02", {**unsafe, "decision": "approve"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["decision"] == approve
    response = post(client, "/accommodation/pins", {"person": "P1", "hotel": "H02", "room": "101"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert field_errors(text)["hotel"] == not_approved and f"{not_approved}</li>" in text
    with Session(engine_of(app)) as s:
        person = s.exec(select(Person).where(Person.id == "P2")).one()
        person.needs = "wheelchair"
        s.add(person)
        s.commit()
    response = post(client, "/accommodation/pins", {"person": "P2", "hotel": "H01", "room": "201"})
    assert field_errors(response.get_data(as_text=True))["room"] == accessible


@pytest.mark.parametrize(
    ("lang", "end", "places", "languages"),
    [
        (
            "zh_Hans",
            "06:00 不晚于开始时间 07:00（班次须在同一天结束）",
            "&#39;NOWHERE&#39; 既不是场馆也不是酒店",
            "&#39;english&#39; 不是两个字母的 ISO 639-1 语言代码",
        ),
        (
            "zh_Hant",
            "06:00 不晚於開始時間 07:00（班次須在同一天結束）",
            "&#39;NOWHERE&#39; 既不是場館也不是酒店",
            "&#39;english&#39; 不是兩個字母的 ISO 639-1 語言代碼",
        ),
        (
            "en",
            "06:00 is not after start 07:00 (a shift ends the same day)",
            "&#39;NOWHERE&#39; is neither a venue nor a hotel",
            "&#39;english&#39; is not a two-letter ISO 639-1 code",
        ),
    ],
)
def test_shift_pattern_errors_in_the_users_language(client, lang, end, places, languages) -> None:
    from tests.test_web_operations import PATTERN

    page(client, lang, "/volunteers/patterns")
    bad = {**PATTERN, "end": "06:00", "places": "V01;NOWHERE", "languages": "english", "action": "preview"}
    response = post(client, "/volunteers/patterns", bad)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert (errors["end"], errors["places"], errors["languages"]) == (end, places, languages)


# ------------------------------------------------------------------ check-ins and divisions


def test_check_in_errors_keep_english_and_read_in_chinese(app) -> None:
    from planner.services.attendance import check_in, check_out
    from planner.services.hotels import InputError
    from tests.builders import roster_row
    from web.i18n import planner_text

    store_accepted(engine_of(app), "volunteers", Plan(roster=[roster_row("L1", "F1")]))
    with Session(engine_of(app)) as s:
        with pytest.raises(InputError) as caught:
            check_in(s, "L2", "F1")
        not_rostered = caught.value
        with pytest.raises(InputError) as caught:
            check_out(s, "L1", "F1")
        not_in = caught.value
    assert str(not_rostered) == "shift: volunteer L2 is not on shift F1 in the accepted roster"
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert planner_text(not_rostered) == "在采用的排班表中，志愿者 L2 不在班次 F1"
        assert planner_text(not_in, "zh-Hant") == "志願者 L1 尚未在班次 F1 簽到"
        # the English after "field: " (as the pages take it) is recognised too
        assert planner_text(str(not_in).split(": ", 1)[1]) == "志愿者 L1 尚未在班次 F1 签到"


@pytest.mark.parametrize(
    ("lang", "not_rostered", "not_in"),
    [
        ("zh_Hans", "未记录：在采用的排班表中，志愿者 L2 不在班次 F1", "未记录：志愿者 L1 尚未在班次 F1 签到"),
        ("zh_Hant", "未記錄：在採用的排班表中，志願者 L2 不在班次 F1", "未記錄：志願者 L1 尚未在班次 F1 簽到"),
        (
            "en",
            "Not recorded: volunteer L2 is not on shift F1 in the accepted roster",
            "Not recorded: volunteer L1 has not checked in to F1",
        ),
    ],
)
def test_check_in_refusal_is_flashed_in_the_users_language(client, app, lang, not_rostered, not_in) -> None:
    from tests.builders import roster_row

    store_accepted(engine_of(app), "volunteers", Plan(roster=[roster_row("L1", "F1")]))
    page(client, lang, "/")
    response = post(client, "/volunteers/check-in", {"volunteer": "L2", "shift": "F1"}, follow_redirects=True)
    assert not_rostered in response.get_data(as_text=True)
    response = post(client, "/volunteers/check-out", {"volunteer": "L1", "shift": "F1"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert not_in in text
    if lang != "en":
        assert "is not on shift" not in text and "has not checked in" not in text


def test_division_reasons_and_setting_errors_in_chinese(app) -> None:
    from planner.services.divisions import DivisionParams, plan_divisions
    from tests.builders import make_dataset, person_row
    from web.i18n import planner_text

    people = [
        person_row("A1", birth_date="1990-10-02", score=10.0),
        person_row("A2", birth_date="1990-10-03", score=10.5),
        person_row("A3", birth_date="1989-01-01", score=11.0),
        person_row("A4", birth_date="1980-01-01", score=30.0),
        person_row("A5", birth_date="1980-01-01", score=None),
    ]
    report = plan_divisions(make_dataset(people=people), "athletics")
    reasons = {row["athlete"]: row["reason"] for row in report.left_over}
    assert reasons["A4"] == (
        "fewer than 3 athletes of their gender and age group (even with an adjacent age group or the other gender) "
        "have a score in athletics within 15% of theirs"
    )
    with pytest.raises(ValueError, match="min_size") as caught:
        DivisionParams(min_size=5, max_size=4)
    with app.test_request_context(headers={"Accept-Language": "zh-TW"}):
        assert planner_text(reasons["A4"]) == (
            "同性別同年齡組中（即使合併相鄰年齡組或另一性別）athletics成績與其相差不超過 15% 的運動員少於 3 名"
        )
        assert planner_text(reasons["A5"], "zh-Hans") == "没有athletics的资格赛成绩"
        assert planner_text(str(reasons["A4"]), "zh-Hans").startswith("同性别同年龄组中")  # recognised from English
        assert planner_text(caught.value) == "須滿足 1 <= min_size <= max_size"


# ------------------------------------------------------------------ list pages


@pytest.mark.parametrize(("lang", "depot", "hotel"), [("zh_Hans", "车场", "和平饭店"), ("en", "Depot", "Hotel H01")])
def test_vehicle_page_names_places_in_the_users_language(client, app, lang, depot, hotel) -> None:
    from planner.models import Hotel
    from tests.builders import manifest_row, stop_row

    store_accepted(
        engine_of(app),
        "transport",
        Plan(
            transport=[
                stop_row("B1", "T1", 0, "B1", depart="08:50"),
                stop_row("B1", "T1", 1, "H01", arrive="09:10", depart="09:12", session="S1"),
                stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
            ],
            manifest=[manifest_row("B1", "T1", "P1", 1, 2)],
        ),
    )
    with Session(engine_of(app)) as s:
        h01 = s.exec(select(Hotel).where(Hotel.id == "H01")).one()
        h01.name_zh = "和平饭店"
        s.add(h01)
        s.commit()
    text = page(client, lang, "/lists/vehicles/B1")
    assert f'<td>{depot} <span class="code">B1</span></td>' in text
    assert f'<td>{hotel} <span class="code">H01</span></td>' in text


# ------------------------------------------------------------------ the cost table


def cost_rows(text: str) -> list[tuple[str, str, str]]:
    """(name, code, explanation) of each rule in the run page's cost table."""
    table = html.unescape(text.split('id="cost-heading"', 1)[1].split("<tfoot>", 1)[0])
    return re.findall(
        r'<th scope="row">([^<]*?)(?: <span class="code">([^<]*)</span>)?(?:<br><span class="hint">([^<]*)</span>)?</th>',
        table,
    )


HOTELS_DOC = "Soft rule: per hotel used; each opened hotel needs its own reception and food-safety team."
REST_DOC = "volunteer-days starting less than 10 h after the previous day's last shift"


@pytest.mark.parametrize(
    ("lang", "hotels", "rest"),
    [
        (
            "zh_Hans",
            ("启用的酒店", "软规则：每使用一家酒店计一次；每家启用的酒店都需要自己的接待和食品安全团队。"),
            ("两天之间休息不足", "距前一天最后一个班次结束不足 10 小时就开始工作的志愿者工作日"),
        ),
        (
            "zh_Hant",
            ("啟用的酒店", "軟規則：每使用一家酒店計一次；每家啟用的酒店都需要自己的接待和食品安全團隊。"),
            ("兩天之間休息不足", "距前一天最後一個班次結束不足 10 小時就開始工作的志願者工作日"),
        ),
        ("en", ("Hotels used", HOTELS_DOC), ("Short rest between days", REST_DOC)),
    ],
)
def test_cost_table_names_and_explains_rules_in_the_users_language(client, app, lang, hotels, rest) -> None:
    from solvers.accommodation import RULES

    assert RULES["hotel_opened"] == HOTELS_DOC
    line = {"weight": 1, "amount": 1, "cost": 1, "touches": []}
    accommodation = store_run(
        app,
        penalties=json.dumps(
            [
                {**line, "rule": "hotel_opened", "doc": HOTELS_DOC, "cost": 3},
                {**line, "rule": "extra_floor", "doc": "an explanation of an older run"},
            ]
        ),
    )
    first, second = cost_rows(page(client, lang, f"/plans/runs/{accommodation}"))
    assert first == (hotels[0], "hotel_opened", hotels[1])
    assert second[1:] == ("extra_floor", "an explanation of an older run")  # not its rule's template: as stored
    with Session(engine_of(app)) as s:
        run = PlanRun(
            kind="volunteers",
            status="feasible",
            penalties=json.dumps([{**line, "rule": "short_rest", "doc": REST_DOC}]),
        )
        s.add(run)
        s.commit()
        volunteers_run = run.id
    assert cost_rows(page(client, lang, f"/plans/runs/{volunteers_run}")) == [(rest[0], "short_rest", rest[1])]


def test_a_rule_without_a_name_keeps_its_code_and_stored_explanation(client, app) -> None:
    doc = "Soft rule: a rule of an older run."
    line = {"weight": 1, "amount": 2, "cost": 2, "touches": [], "rule": "older rule", "doc": doc}
    with Session(engine_of(app)) as s:
        run = PlanRun(kind="transport", status="feasible", penalties=json.dumps([line]))
        s.add(run)
        s.commit()
        run_id = run.id
    assert cost_rows(page(client, "zh_Hans", f"/plans/runs/{run_id}")) == [("older rule", "", doc)]


TRANSPORT_REASON = (
    "no wheelchair place free for Given W1 Family W1 (W1, VEN) to session S1 on 2007-10-03; "
    "no seat free for Given W1 Family W1 (W1, VEN) back from session S1 on 2007-10-03"
)
TRANSPORT_MESSAGE = (
    "1 day(s), 1,204 passenger rides on 12 vehicle-days, 3,456 driving minutes; 1 unassigned ride row(s)"
)


@pytest.mark.parametrize(
    ("lang", "reason", "message", "vehicles"),
    [
        (
            "zh_Hans",
            "Given W1 Family W1（W1，VEN）2007-10-03 前往赛程 S1时，没有空余的轮椅位；"
            "Given W1 Family W1（W1，VEN）2007-10-03 从赛程 S1 返回时，没有空余座位",
            "1 天：12 个车辆工作日运送乘客 1,204 人次，行驶 3,456 分钟；未安排乘车记录 1 条",
            ("使用的车辆", "vehicles used", "软规则：每辆车每使用一天计一次（车辆工作日）。"),
        ),
        (
            "zh_Hant",
            "Given W1 Family W1（W1，VEN）2007-10-03 前往賽程 S1時，沒有空餘的輪椅位；"
            "Given W1 Family W1（W1，VEN）2007-10-03 從賽程 S1 返回時，沒有空餘座位",
            "1 天：12 個車輛工作日運送乘客 1,204 人次，行駛 3,456 分鐘；未安排乘車記錄 1 條",
            ("使用的車輛", "vehicles used", "軟規則：每輛車每使用一天計一次（車輛工作日）。"),
        ),
        (
            "en",
            TRANSPORT_REASON,
            TRANSPORT_MESSAGE,
            ("vehicles used", "", "Soft rule: each vehicle used on a day (vehicle-days)."),
        ),
    ],
)
def test_transport_run_page_in_the_users_language(client, app, lang, reason, message, vehicles) -> None:
    """A transport run's no-ride reasons, summary and cost lines, as plan_transport stores them."""
    from planner.services import transport

    line = {"weight": 1, "amount": 12, "cost": 12, "touches": [], "rule": "vehicles used"}
    with Session(engine_of(app)) as s:
        run = PlanRun(
            kind="transport",
            status="partial",
            messages=json.dumps([TRANSPORT_MESSAGE]),
            penalties=json.dumps([{**line, "doc": transport.RULE_DOCS["vehicles used"].text}]),
        )
        s.add(run)
        s.commit()
        s.refresh(run)
        assert run.id is not None
        save_plan_rows(s, run.id, Plan(unassigned=[unassigned_row("ride", "W1:S1", TRANSPORT_REASON)]))
        s.commit()
        run_id = run.id
    text = page(client, lang, f"/plans/runs/{run_id}")
    assert f"<td>{reason}</td>" in html.unescape(text)
    assert f"<li>{message}</li>" in text
    assert cost_rows(text) == [vehicles]


# ------------------------------------------------------------------ job progress and errors


def failing_job(app, message: str, error: BaseException) -> str:  # type: ignore[no-untyped-def]
    """A job that reports ``message`` and then fails with ``error``; returns its id when it has failed."""
    from planner.jobs import ThreadJobRunner
    from planner.services.base import Progress

    def target(kind, params, progress, stop, by):  # type: ignore[no-untyped-def]
        progress(Progress(kind, 0.1, objective=10.0, message=message))
        raise error

    runner = ThreadJobRunner(target)
    app.extensions["planner.jobs"] = runner
    job_id = runner.start("volunteers", {"time_limit_s": 1}, by="chair")
    status = runner.wait(job_id, 5)
    assert status is not None and status.state == "failed"
    return job_id


def planner_errors(app, tmp_path) -> tuple[BaseException, BaseException]:  # type: ignore[no-untyped-def]
    """The errors the planner raises for a solve without event data and a transport solve without rooming."""
    from planner.db import init_db, make_engine
    from planner.services.planning import NotBuiltYet, solve_inputs
    from planner.services.workbook import NoEventData, load_dataset
    from tests.builders import make_dataset

    engine = make_engine(tmp_path / "empty.sqlite")
    init_db(engine)
    with Session(engine) as s, pytest.raises(NoEventData) as no_data:
        load_dataset(s)
    engine.dispose()
    with Session(engine_of(app)) as s, pytest.raises(NotBuiltYet) as no_rooming:
        solve_inputs(s, "transport", make_dataset())
    return no_data.value, no_rooming.value


@pytest.mark.parametrize(
    ("lang", "message", "no_data", "no_rooming"),
    [
        (
            "zh_Hans",
            "班次：第 2 天（共 3 天），已填补 1,204 个岗位",
            "数据库中还没有赛事数据：请先上传工作簿（命令行：`planner import PATH` 或 `planner demo`）",
            "交通规划需要一个已采用的住宿方案：请先规划并采用住宿方案（命令行：`planner solve --only accommodation`）",
        ),
        (
            "zh_Hant",
            "班次：第 2 天（共 3 天），已填補 1,204 個崗位",
            "資料庫中還沒有賽事資料：請先上傳工作簿（命令列：`planner import PATH` 或 `planner demo`）",
            "交通規劃需要一個已採用的住宿方案：請先規劃並採用住宿方案（命令列：`planner solve --only accommodation`）",
        ),
        (
            "en",
            "shifts, day 2 of 3: 1,204 places filled",
            "the database holds no event yet: run `planner import PATH` (or `planner demo`) first",
            "transport needs an accepted accommodation plan: run `planner solve --only accommodation` first",
        ),
    ],
)
def test_job_progress_and_errors_in_the_users_language(
    client, app, tmp_path, lang, message, no_data, no_rooming
) -> None:
    english = "shifts, day 2 of 3: 1,204 places filled"
    page(client, lang, "/")
    for error, local in zip(planner_errors(app, tmp_path), (no_data, no_rooming), strict=True):
        job_id = failing_job(app, english, error)
        job = client.get(f"/api/jobs/{job_id}").get_json()
        assert job["message"] == english and job["message_local"] == message  # the API's English is unchanged
        assert job["error"].endswith(f"{type(error).__name__}: {error}") and job["error_local"] == local
        text = html.unescape(client.get(f"/plans/jobs/{job_id}").get_data(as_text=True))
        assert f'<dd id="job-message">{message}</dd>' in text
        assert f'<p id="job-error" class="error" >{local}</p>' in text


@pytest.mark.parametrize(
    ("lang", "improved", "planned"),
    [
        (
            "zh_Hans",
            "2007-10-03：方案已改进（第 1 个时段，共 2 个）",
            "2007-10-04：第 2 个时段（共 2 个）已规划完毕（第 2 个时段，共 2 个）",
        ),
        (
            "zh_Hant",
            "2007-10-03：方案已改進（第 1 個時段，共 2 個）",
            "2007-10-04：第 2 個時段（共 2 個）已規劃完畢（第 2 個時段，共 2 個）",
        ),
        ("en", "2007-10-03: improved (band 1 of 2)", "2007-10-04: band 2 of 2 planned (band 2 of 2)"),
    ],
)
def test_transport_job_progress_in_the_users_language(client, app, lang, improved, planned) -> None:
    """The transport service's progress (the day, the solver's own words, the band) on the job page and API."""
    page(client, lang, "/")
    for english, local in (
        ("2007-10-03: improved (band 1 of 2)", improved),
        ("2007-10-04: band 2 of 2 planned (band 2 of 2)", planned),
    ):
        job_id = failing_job(app, english, RuntimeError("something broke"))
        job = client.get(f"/api/jobs/{job_id}").get_json()
        assert job["message"] == english and job["message_local"] == local
        text = html.unescape(client.get(f"/plans/jobs/{job_id}").get_data(as_text=True))
        assert f'<dd id="job-message">{local}</dd>' in text


def test_an_unknown_job_error_and_message_are_shown_as_written(client, app) -> None:
    page(client, "zh_Hans", "/")
    job_id = failing_job(app, "something the solver said", RuntimeError("something broke"))
    job = client.get(f"/api/jobs/{job_id}").get_json()
    assert job["message_local"] == "something the solver said"
    assert job["error_local"] == job["error"] == "RuntimeError: something broke"


# ------------------------------------------------------------------ accepting a plan, adding a user


@pytest.mark.parametrize(
    ("lang", "refusals"),
    [
        ("zh_Hans", {"running": "“运行中”", "error": "“错误”", "interrupted": "“已中断”"}),
        ("zh_Hant", {"running": "「執行中」", "error": "「錯誤」", "interrupted": "「已中斷」"}),
        ("en", {"running": "running", "error": "error", "interrupted": "interrupted"}),
    ],
)
def test_a_refused_acceptance_says_why_in_the_users_language(client, app, lang, refusals) -> None:
    page(client, lang, "/")
    for status, word in refusals.items():
        run_id = store_run(app, status=status, heartbeat=dt.datetime.now(dt.UTC))
        response = post(client, f"/plans/runs/{run_id}/accept")
        assert response.status_code == 409
        text = html.unescape(response.get_data(as_text=True))
        expected = {
            "zh_Hans": f"第 {run_id} 次运行的状态为{word}，不能采用",
            "zh_Hant": f"第 {run_id} 次執行的狀態為{word}，不能採用",
            "en": f"plan run {run_id} is {word} and cannot be accepted",
        }[lang]
        assert f"<p>{expected}</p>" in text


@pytest.mark.parametrize(
    ("lang", "taken", "short", "no_area"),
    [
        ("zh_Hans", "用户名 'reader' 已被占用", "密码太短：至少需要 10 个字符", "领域负责人需要指定领域"),
        ("zh_Hant", "使用者名稱 'reader' 已被使用", "密碼太短：至少需要 10 個字元", "領域負責人需要指定領域"),
        (
            "en",
            "username 'reader' is taken",
            "password too short: at least 10 characters",
            "an area lead needs an area",
        ),
    ],
)
def test_add_user_errors_in_the_users_language(client, app, lang, taken, short, no_area) -> None:
    from planner.users import MIN_PASSWORD_LENGTH

    assert MIN_PASSWORD_LENGTH == 10
    page(client, lang, "/")
    good = {"username": "newcomer", "password": "long enough secret", "role": "viewer"}
    for form, error in (
        ({**good, "username": "reader"}, taken),
        ({**good, "password": "short"}, short),
        ({**good, "role": "area_lead"}, no_area),
    ):
        response = post(client, "/admin/users", form)
        assert response.status_code == 422
        text = html.unescape(response.get_data(as_text=True))
        assert f'<p class="error" role="alert" id="add-user-error">{error}</p>' in text


# ------------------------------------------------------------------ the checker's summary


def check_summary(text: str) -> list[str]:
    return html.unescape(text.split('<pre class="check-summary">', 1)[1].split("</pre>", 1)[0]).splitlines()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh_Hans",
            [
                "已核查：住宿，志愿者（1,204 个床位，3 个班次岗位），用时 0.3 秒。",
                "未通过：2 条规则共有 4 处违反。",
                "规则 1（房间容量）：3",
                "  - a message no template knows 1",
                "  - a message no template knows 2",
                "  ……另有 1 条",
                "规则 11（联络员会说代表团的语言，每个代表团一名）：1",
                "  - a message no template knows 4",
                "提醒：1",
                "  - a warning",
            ],
        ),
        (
            "zh_Hant",
            [
                "已核查：住宿，志願者（1,204 個床位，3 個班次崗位），用時 0.3 秒。",
                "未通過：2 條規則共有 4 處違反。",
                "規則 1（房間容量）：3",
                "  - a message no template knows 1",
                "  - a message no template knows 2",
                "  ……另有 1 條",
                "規則 11（聯絡員會說代表團的語言，每個代表團一名）：1",
                "  - a message no template knows 4",
                "提醒：1",
                "  - a warning",
            ],
        ),
    ],
)
def test_check_summary_reads_in_the_users_language(client, app, lang, expected) -> None:
    from planner.check import CheckReport, Violation

    broken = [Violation(1, "x", f"a message no template knows {i}") for i in (1, 2, 3)]
    report = CheckReport(
        [*broken, Violation(11, "x", "a message no template knows 4")],
        [Violation(10, "w", "a warning")],
        ("accommodation", "volunteers"),
        {"beds": 1204, "stops": 0, "shift places": 3},
        0.3,
    )
    english = report.format(max_examples=2)
    assert english.splitlines()[:3] == [
        "Checked: accommodation, volunteers (1,204 beds, 3 shift places) in 0.3 s.",
        "NOT OK: 4 violation(s) of 2 rule(s).",
        "Rule 1 (room capacity): 3",
    ]
    run_id = store_run(app, check_ok=False, check_summary=english)
    assert check_summary(page(client, lang, f"/plans/runs/{run_id}")) == expected
    assert check_summary(page(client, "en", f"/plans/runs/{run_id}")) == english.splitlines()


def test_check_summary_examples_read_in_the_users_language(client, app) -> None:
    from planner.check import check_plan
    from tests.builders import make_dataset, rooming_row

    data = make_dataset()
    plan = Plan(rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "101")])
    english = check_plan(data, plan).format(max_examples=5)
    assert "  - room H01/101 puts athlete P1 with coach P2 on 2007-10-01" in english.splitlines()
    run_id = store_run(app, check_ok=False, check_summary=english)
    lines = check_summary(page(client, "zh_Hant", f"/plans/runs/{run_id}"))
    assert lines[1:] == [
        "未通過：1 條規則共有 1 處違反。",
        "規則 3（運動員和融合夥伴不與教練員、團長和工作人員同住）：1",
        "  - 房間 H01/101 在 2007-10-01 讓運動員 P1 與教練員 P2 同住",
    ]
    assert lines[0].startswith("已核查：住宿（2 個床位），用時 ")
