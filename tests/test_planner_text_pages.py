# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Pages that show what the planner wrote (reasons, moves, run messages, states) in the reader's language.

The plan keeps English; the run page and the dashboard show each sentence in
zh-Hans or zh-Hant with its own people, rooms, dates and numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import Session

from planner.jobs import STATES
from planner.models import PlanRun
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
    done = "状态为 done（已完成）的任务须填写 done_on" if lang == "zh_Hans" else "狀態為 done（已完成）的任務須填寫 done_on"
    assert ("games_tasks.csv", str(wb.row_numbers["games_tasks"][0]), "done_on", done) in rows
