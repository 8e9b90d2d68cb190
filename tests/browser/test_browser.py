"""The web UI in a real browser: sign in, import, solve, watch, accept, map, lists, languages; axe on every page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from planner.workbook.io import write_csv_folder
from tests.browser.conftest import run_axe, sign_in
from tests.builders import make_workbook, volunteer_row

pytestmark = pytest.mark.browser


def workbook_zip(folder: Path, **changes: Any) -> Path:
    wb = make_workbook(**changes)
    write_csv_folder(wb, folder / "csv")
    target = folder / "workbook.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((folder / "csv").glob("*.csv")):
            archive.write(path, path.name)
    return target


def switch_language(page: Any, lang: str) -> None:
    page.select_option("#lang-select", lang)
    page.locator("header form").first.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_sign_in_import_solve_accept_map_lists_language(page, tmp_path):
    from playwright.sync_api import expect

    sign_in(page)
    expect(page.locator("h1")).to_contain_text("Dashboard")

    # a wrong workbook: every error listed, nothing saved
    bad = make_workbook()
    bad.tables["people"][0]["gender"] = "X"
    write_csv_folder(bad, tmp_path / "bad")
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        for path in (tmp_path / "bad").glob("*.csv"):
            archive.write(path, path.name)
    page.goto("/workbook/")
    page.set_input_files("#workbook-file", str(tmp_path / "bad.zip"))
    page.locator("form[action$='/workbook/upload'] button").click()
    expect(page.locator("#import-errors")).to_contain_text("people.csv")
    expect(page.locator("#import-errors")).to_contain_text("gender")

    # a good one, with a third volunteer
    volunteers = [
        volunteer_row("L1", "zh;en", "first_aid"),
        volunteer_row("L2", "es"),
        volunteer_row("L3", "es;en", "first_aid"),
    ]
    page.goto("/workbook/")
    page.set_input_files("#workbook-file", str(workbook_zip(tmp_path, volunteers=volunteers)))
    page.locator("form[action$='/workbook/upload'] button").click()
    expect(page.locator("#import-summary")).to_contain_text("Volunteers")

    # solve the volunteers as a job, watch it finish, accept the plan
    page.goto("/plans/")
    page.fill("#limit-volunteers", "10")
    page.locator("form[action$='/volunteers/solve'] button").click()
    page.wait_for_url(re.compile(r".*/plans/jobs/\w+$"))
    expect(page.locator("#job-result")).to_be_visible(timeout=90_000)
    expect(page.locator("#job-state")).not_to_have_text("running")
    page.locator("#job-run-link").click()
    page.locator("form[action$='/accept'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("accepted plan")

    # the map: Leaflet served by the app, layers, and the table
    page.goto("/maps/?day=2007-10-03")
    frame = page.frame_locator("iframe.map-frame")
    expect(frame.locator(".leaflet-container")).to_be_visible()
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("Hotels: in use")
    expect(page.locator("table")).to_contain_text("H01")

    # lists
    page.goto("/lists/")
    page.locator("a[href='/lists/rooming/H01']").click()
    expect(page.locator("table").first).to_contain_text("Family P1")
    page.goto("/lists/vehicles/B1")
    expect(page.locator("body")).to_contain_text("09:12")

    # switch language
    switch_language(page, "zh_Hant")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator("nav[aria-label]")).to_contain_text("總覽")
    switch_language(page, "zh_Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("nav[aria-label]")).to_contain_text("总览")

    # a solve's progress in the reader's language (the page polls the API's message_local)
    page.goto("/plans/")
    page.fill("#limit-volunteers", "5")
    page.locator("form[action$='/volunteers/solve'] button").click()
    page.wait_for_url(re.compile(r".*/plans/jobs/\w+$"))
    expect(page.locator("#job-result")).to_be_visible(timeout=90_000)
    expect(page.locator("#job-message")).to_have_text("已完成")


PAGES = [
    "/",
    "/records/",
    "/records/people",
    "/records/people/new",
    "/records/hotels",
    "/workbook/",
    "/plans/",
    "/lists/",
    "/lists/rooming/H01",
    "/lists/vehicles/B1",
    "/lists/itineraries/VEN",
    "/maps/?day=2007-10-03",
    "/admin/users",
    "/admin/audit",
    "/admin/account",
    "/records/areas/",
    "/records/areas/stability",
    "/records/petitions",
    "/records/petitions/new",
    "/report/?from=2007-01-01&to=2007-06-30",
    "/report/figures/petitions.letters?from=2007-01-01&to=2007-06-30",
    "/report/dashboard?from=2007-01-01&to=2007-06-30",
    "/accommodation/",
    "/accommodation/hotels/H02",
    "/accommodation/pins",
    "/volunteers/?day=2007-10-03&as_of=09:00",
    "/volunteers/people/L1",
    "/volunteers/patterns",
    "/competition/divisions",
    "/competition/divisions?set=1&sport=athletics&min_size=0&max_size=8",
]


@pytest.mark.parametrize("lang", ["zh_Hans", "zh_Hant", "en"])
def test_no_accessibility_violations_on_any_page(page, lang):
    page.goto("/login")
    switch_language(page, lang)
    problems: dict[str, Any] = {}
    found = run_axe(page)
    if found:
        problems["/login"] = found
    sign_in(page)
    edit_link = None
    for path in PAGES:
        page.goto(path)
        if path == "/maps/?day=2007-10-03":
            page.frame_locator("iframe.map-frame").locator(".leaflet-container").wait_for()
        found = run_axe(page)
        if found:
            problems[path] = found
        if path == "/records/people":
            edit_link = page.locator("table tbody a").first.get_attribute("href")
    # a record form with its errors shown, and a plan run page
    assert edit_link
    page.goto(edit_link)
    page.fill("#field-birth_date", "")
    page.locator("form.stacked-form button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found = run_axe(page)
    if found:
        problems[edit_link + " (with errors)"] = found
    page.goto("/plans/")
    run_link = page.locator("a[href^='/plans/runs/']").first.get_attribute("href")
    page.goto(run_link)
    found = run_axe(page)
    if found:
        problems[run_link] = found
    # forms with their errors shown, a confirmation page, a preview
    page.goto("/accommodation/hotels/H02")
    page.fill("#survey-score", "150")
    page.locator("form.stacked-form button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    page.goto("/volunteers/patterns")
    page.fill("#pattern-function", "spectator_services")
    page.locator("button[value=preview]").click()
    page.locator("#preview-heading").wait_for()
    found = run_axe(page)
    if found:
        problems["/volunteers/patterns (preview)"] = found
    page.goto("/records/petitions")
    page.goto(page.locator("table tbody a").first.get_attribute("href") + "/delete")
    found = run_axe(page)
    if found:
        problems["/records/petitions/<pk>/delete"] = found
    assert problems == {}, problems


def test_half_year_report_figures_records_export_and_dashboard(page):
    """From the report to a figure's records and one record; a Word file written in the background; charts."""
    from playwright.sync_api import expect

    sign_in(page)
    switch_language(page, "en")  # an earlier test may have left another language on the account
    page.locator("nav[aria-label] a", has_text="Report").click()
    expect(page.locator("h1")).to_have_text("Half-year report")
    expect(page.locator("#period-from")).to_have_value("2007-01-01")
    page.select_option("#period-lang", "zh-Hant")
    page.locator(".period-form button[type=submit]").click()
    article = page.locator("article.report")
    expect(article).to_have_attribute("lang", "zh-Hant")
    expect(article.locator("h2")).to_contain_text("工作總結")
    # a figure in the text leads to its appendix entry, which leads to its records, which lead to a record
    letters = page.locator("#fig-petitions-letters")
    article.locator("a.fig[href='#fig-petitions-letters']").first.click()
    expect(letters).to_be_in_viewport()
    letters.locator("a[href^='/report/figures/petitions.letters']").click()
    expect(page.locator("h1")).to_contain_text("來信")
    first = page.locator("table tbody a").first
    record_id = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(record_id)
    # PDF/DOCX are written by a background job; the page offers the file when it is done
    page.go_back()
    page.locator("a", has_text="Back to the report").click()
    page.locator("form[action$='/report/export'] button", has_text="Word").click()
    expect(page.locator("#export-ready")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.locator("#export-link").click()
    assert download.value.suggested_filename == "report-2007-01-01-2007-06-30-zh-Hant.docx"
    # the dashboard: SVG charts, each with its numbers in a table
    page.goto("/report/dashboard?from=2007-01-01&to=2007-06-30&lang=en")
    charts = page.locator("figure.chart-box")
    expect(charts.first.locator("svg[role=img] title")).to_have_count(1)
    assert charts.count() == page.locator("table.chart-data").count() > 0


def test_axe_finds_violations_when_there_are_some(page):
    """The accessibility check itself works: a page without lang, title or alt text fails it."""
    page.set_content("<html><body><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><input></body></html>")
    ids = {v["id"] for v in run_axe(page)}
    assert {"html-has-lang", "image-alt", "label"} <= ids
