# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Pages that show what the planner wrote (reasons, moves, run messages, states) in the reader's language.

The plan keeps English; the run page and the dashboard show each sentence in
zh-Hans or zh-Hant with its own people, rooms, dates and numbers.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from planner.jobs import STATES
from planner.models import PlanRun
from planner.plan import Plan
from planner.services.planning import save_plan_rows
from tests.builders import unassigned_row
from tests.dbhelpers import store_accepted
from tests.test_web_operations import engine_of
from tests.webhelpers import app, client, login, post, web_template  # noqa: F401

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
