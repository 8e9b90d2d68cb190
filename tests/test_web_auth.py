# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""Web UI: signing in, CSRF, rate limit, security headers, languages."""

from __future__ import annotations

import pytest

from tests.webhelpers import PASSWORD, app, client, login, make_app, post, runner, web_template  # noqa: F401
from web.i18n import language_of_header, language_of_tag


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/api/me").status_code == 401


def test_sign_in_and_out(client):
    assert login(client, "chair", "wrong password!!").status_code == 401
    response = login(client)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Dashboard" in page and "Shanghai 2007" in page
    assert post(client, "/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_session_cookie_is_http_only_and_same_site(client):
    response = login(client)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookie_is_secure_by_default(tmp_path):
    application = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    assert application.config["SESSION_COOKIE_SECURE"] is True
    application.extensions["planner.engine"].dispose()


def test_changes_need_the_csrf_token(client):
    login(client)
    assert client.post("/language", data={"lang": "en"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert post(client, "/language", {"lang": "en"}).status_code == 302


def test_login_is_rate_limited(client):
    for _ in range(10):
        login(client, "chair", "not the password")
    blocked = login(client, "chair", PASSWORD)
    assert blocked.status_code == 429


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh-CN", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("zh-MO", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh", "zh_Hans"),
        ("en-GB", "en"),
        ("fr-FR", None),
    ],
)
def test_language_of_browser_tag_goes_by_script(tag, language):
    assert language_of_tag(tag) == language


def test_language_of_header_takes_the_best_we_have():
    assert language_of_header("fr-FR, zh-HK;q=0.8, en;q=0.5", "zh_Hans") == "zh_Hant"
    assert language_of_header("de, fr", "zh_Hans") == "en"
    assert language_of_header(None, "zh_Hans") == "zh_Hans"


@pytest.mark.parametrize(
    ("header", "lang", "word"),
    [("zh-CN", "zh-Hans", "登录"), ("zh-TW,zh;q=0.9", "zh-Hant", "登入"), ("en-US", "en", "Sign in")],
)
def test_pages_come_in_the_browser_language(client, header, lang, word):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert word in page


def test_user_can_switch_language(client):
    login(client)
    post(client, "/language", {"lang": "zh_Hant", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page
    # the choice is kept on the account: a new session gets it too
    other = client.application.test_client()
    login(other)
    assert '<html lang="zh-Hant">' in other.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    login(client)
    response = post(client, "/language", {"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_cli_creates_users(runner):
    result = runner.invoke(args=["create-user", "newbie", "--role", "viewer", "--password", "long enough secret"])
    assert result.exit_code == 0, result.output
    assert "added newbie" in result.output
    client = runner.app.test_client()
    assert login(client, "newbie", "long enough secret").status_code == 302
