# ruff: noqa: F811  (pytest fixtures imported from tests.webhelpers)
"""The half-year report page, its downloads and export jobs, and the work-area dashboard with SVG charts."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from datetime import date

import pytest
from markupsafe import escape
from sqlmodel import Session, select

from planner.report import build_report
from planner.report.render import anchor
from planner.services.workbook import load_dataset
from planner.users import AuditLog
from tests.webhelpers import app, client, login, post, web_template  # noqa: F401
from web.report.charts import _nice_top, chart_rows, chart_svg, number_text

PERIOD = {"from": "2007-01-01", "to": "2007-06-30"}


def engine_of(app):
    return app.extensions["planner.engine"]


def expected_report(app, lang="en", **period):
    with Session(engine_of(app)) as s:
        return build_report(
            s,
            load_dataset(s),
            period.get("date_from", date(2007, 1, 1)),
            period.get("date_to", date(2007, 6, 30)),
            lang,
        )


def test_default_period_is_the_latest_half_year_with_records(client):
    login(client)
    page = client.get("/report/").get_data(as_text=True)
    assert 'id="period-from" name="from" type="date" value="2007-01-01"' in page
    assert 'id="period-to" name="to" type="date" value="2007-06-30"' in page
    assert '<option value="en" lang="en" selected>' in page  # the page's language by default


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_report_in_the_page_links_every_figure_to_its_records(client, app, lang):
    login(client)
    report = expected_report(app, lang)
    response = client.get("/report/", query_string={**PERIOD, "lang": lang})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<article class="report" lang="{lang}"' in page
    assert str(escape(report.title)) in page and str(escape(report.sections[0].title)) in page
    linked = set(re.findall(r'<a class="fig" href="#(fig-[\w-]+)">', page))
    with_records = {anchor(k) for k in report.used_keys() if report.figures[k].has_records}
    assert linked == with_records and linked
    for key, fig in report.figures.items():  # every figure has its appendix entry
        assert f'id="{anchor(key)}"' in page
        if fig.has_records:
            assert f'href="/report/figures/{key}?from=2007-01-01&amp;to=2007-06-30&amp;lang={lang}"' in page


def test_a_figure_page_lists_its_records_with_links_to_them(client, app):
    login(client)
    report = expected_report(app)
    key = "petitions.letters"
    refs = report.figures[key].records
    assert refs
    page = client.get(f"/report/figures/{key}", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
    links = re.findall(r'<td><a href="/records/petitions/(\d+)">(PT\d+)</a></td>', page)
    assert sorted(rid for _pk, rid in links) == sorted(r.id for r in refs)
    pk, rid = links[0]
    assert rid in client.get(f"/records/petitions/{pk}").get_data(as_text=True)
    assert client.get("/report/figures/no.such.figure", query_string=PERIOD).status_code == 404


def test_figure_pages_and_downloads_name_people_of_medical_records_only_for_those_who_may_see_them(client, app):
    from sqlalchemy import text

    with Session(engine_of(app)) as s:
        named = {
            row[0]
            for row in s.exec(text("SELECT person FROM health_checks UNION SELECT person FROM rehab_services"))
            if row[0]
        }
    assert named
    report = expected_report(app)
    keys = [k for k in report.figures if k.split(".")[0] in ("health", "rehab") and report.figures[k].records]
    assert keys

    def names_shown(username):
        login(client, username)
        pages = [
            client.get(f"/report/figures/{key}", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
            for key in keys
        ]
        pages.append(client.get("/report/download.md", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True))
        post(client, "/logout")
        return {n for n in named if any(n in page for page in pages)}

    assert names_shown("chair")  # the committee sees who the records are about
    assert names_shown("reader") == set() and names_shown("housing") == set()


def test_wrong_periods_are_explained_next_to_the_fields(client):
    login(client)
    response = client.get("/report/", query_string={"from": "2007-06-30", "to": "2007-01-01", "lang": "en"})
    assert response.status_code == 422
    assert re.search(r'id="error-to">The last day is before the first day', response.get_data(as_text=True))
    response = client.get("/report/", query_string={"from": "2007-02-30", "lang": "xx"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="error-from"' in page and 'id="error-lang"' in page
    assert 'class="report"' not in page
    # a far year is a typo, not a period to count month by month (it used to end in a 500)
    for path in ("/report/", "/report/dashboard"):
        response = client.get(path, query_string={"from": "2007-07-01", "to": "9999-12-31", "lang": "en"})
        assert response.status_code == 422
        assert re.search(
            r'id="error-to">[^<]*is not between 1900-01-01 and 2100-12-31', response.get_data(as_text=True)
        )


def test_adding_a_petition_changes_the_figures_shown(client, app):
    login(client)
    before = expected_report(app).figures["petitions.letters"].value
    form = {"id": "PT9002", "date": "2007-03-03", "channel": "letter", "resolved_on": "2007-03-04"}
    assert post(client, "/records/petitions/new", form).status_code == 302
    page = client.get("/report/figures/petitions.letters", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
    assert f"Letters received: {before + 1}" in page or f": {before + 1}</span></h1>" in page
    assert ">PT9002</a>" in page


def test_markdown_and_html_downloads_are_audited(client, app):
    login(client)
    report = expected_report(app, "zh-Hant")
    md = client.get("/report/download.md", query_string={**PERIOD, "lang": "zh-Hant"})
    assert md.status_code == 200 and "attachment" in md.headers["Content-Disposition"]
    assert md.get_data(as_text=True).startswith(f"# {report.title}")
    html = client.get("/report/download.html", query_string={**PERIOD, "lang": "zh-Hant"})
    assert '<html lang="zh-Hant">' in html.get_data(as_text=True)
    assert client.get("/report/download.pdf", query_string=PERIOD).status_code == 404  # a job, not a request
    with Session(engine_of(app)) as s:
        exports = s.exec(select(AuditLog).where(AuditLog.entity == "report", AuditLog.action == "export")).all()
        assert [e.record for e in exports] == ["2007-01-01..2007-06-30"] * 2


def wait_for(client, job_url, timeout_s=60.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get(job_url + "/status").get_json()
        if status["finished"]:
            return status
        time.sleep(0.1)
    raise AssertionError("the export job did not finish")


@pytest.mark.slow
def test_docx_is_written_by_a_background_job_for_its_owner_only(client, app):
    login(client)
    response = post(client, "/report/export", {**PERIOD, "lang": "zh-Hans", "format": "docx"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert 'data-status-url="' in client.get(job_url).get_data(as_text=True)
    status = wait_for(client, job_url)
    assert status["state"] == "done" and status["ready"], status
    with client.get(status["file_url"]) as download:
        assert download.status_code == 200
        assert "report-2007-01-01-2007-06-30-zh-Hans.docx" in download.headers["Content-Disposition"]
        document = zipfile.ZipFile(io.BytesIO(download.data)).read("word/document.xml").decode()
    assert expected_report(app, "zh-Hans").title in document
    post(client, "/logout")
    login(client, "reader")
    assert client.get(job_url).status_code == 403
    assert client.get(status["file_url"]).status_code == 403


def test_export_needs_a_known_format_and_csrf(client):
    login(client)
    assert post(client, "/report/export", {**PERIOD, "lang": "en", "format": "exe"}).status_code == 400
    assert client.post("/report/export", data={**PERIOD, "lang": "en", "format": "pdf"}).status_code == 400
    assert client.get("/report/exports/unknown-job").status_code == 404


def test_hotel_liaisons_do_not_see_the_report(client):
    login(client, "liaison")
    for path in ("/report/", "/report/dashboard", "/report/download.md"):
        assert client.get(path).status_code == 403, path


def test_dashboard_draws_charts_with_their_numbers_in_tables(client, app):
    login(client)
    page = client.get("/report/dashboard", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
    charts = re.findall(r'<svg class="chart" role="img" aria-labelledby="(chart-[\w]+-title)"', page)
    assert "chart-petitions_by_month-title" in charts
    assert len(re.findall(r'<table class="chart-data">', page)) == len(charts)
    # the petition chart's table says how many letters came each month, as the records do
    with Session(engine_of(app)) as s:
        from planner.workareas.models import Petition

        letters = [p for p in s.exec(select(Petition).where(Petition.channel == "letter"))]
    march = sum(1 for p in letters if p.date.month == 3 and p.date.year == 2007)
    block = page.split('id="caption-petitions_by_month"', 1)[1].split("</figure>", 1)[0]
    assert re.search(rf'<th scope="row">Mar 2007</th><td class="number">{march}</td>', block)
    report = expected_report(app)
    assert f'href="/report/?from=2007-01-01&amp;to=2007-06-30&amp;lang=en#{anchor("petitions.letters")}"' in page
    assert str(escape(report.labels["petitions.letters"])) in page
    assert "<script" not in page.split("</head>", 1)[1]  # no inline or external chart script


def test_bar_lengths_are_proportional_and_gauges_stay_within_100():
    chart = {
        "key": "t",
        "title": "T",
        "kind": "bar",
        "labels": ["a", "b"],
        "series": [{"name": "n", "values": [10.0, 5.0]}],
        "figures": [],
    }
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', str(chart_svg(chart)))]
    assert len(widths) == 2 and widths[0] == pytest.approx(2 * widths[1])
    gauge = {**chart, "kind": "gauge", "labels": [""], "series": [{"name": "n", "values": [130.0]}]}
    assert ">100%</text>" in str(chart_svg(gauge))
    assert chart_rows(chart) == [("a", ["10"]), ("b", ["5"])]
    assert number_text(1234.5) == "1,234.50" and _nice_top(613.5) == 1000 and _nice_top(18) == 20
    with pytest.raises(ValueError):
        chart_svg({**chart, "kind": "pie"})


def test_chart_text_is_escaped():
    chart = {
        "key": "x",
        "title": "<b>",
        "kind": "stacked_bar",
        "labels": ["<script>"],
        "series": [{"name": "a&b", "values": [1.0]}, {"name": "c", "values": [2.0]}],
        "figures": [],
    }
    svg = str(chart_svg(chart))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg and "&lt;b&gt;" in svg


def _export_docx(client):
    response = post(client, "/report/export", {**PERIOD, "lang": "en", "format": "docx"})
    assert response.status_code == 302
    return response.headers["Location"]


def _assert_docx_download(client, app, status):
    with client.get(status["file_url"]) as download:
        assert download.status_code == 200
        assert "report-2007-01-01-2007-06-30-en.docx" in download.headers["Content-Disposition"]
        document = zipfile.ZipFile(io.BytesIO(download.data)).read("word/document.xml").decode()
    assert expected_report(app, "en").title in document


@pytest.mark.slow
def test_with_huey_the_export_is_written_by_a_worker_and_served_from_the_queue_storage(client, app, tmp_path):
    from huey import MemoryHuey

    from planner.jobs import HueyJobRunner, make_report_runner
    from tests.test_web_jobs import _run_worker

    huey = MemoryHuey("planner-test", immediate=False)
    runner, files = make_report_runner(
        {"JOBS_BACKEND": "huey"}, engine_of(app), tmp_path / "unused", solves=HueyJobRunner(huey)
    )
    app.extensions["web.report_jobs"], app.extensions["web.report_files"] = runner, files
    login(client)
    job_url = _export_docx(client)
    time.sleep(0.5)
    waiting = client.get(job_url + "/status").get_json()
    assert waiting["state"] == "queued" and not waiting["ready"], "the web process does not write it"
    done, thread = _run_worker(huey)
    try:
        status = wait_for(client, job_url)
    finally:
        done.set()
        thread.join(5)
    assert status["state"] == "done" and status["ready"], status
    _assert_docx_download(client, app, status)
    assert list((tmp_path / "reports").iterdir()) == [], "nothing is written to the web process's folder"
    post(client, "/logout")
    login(client, "reader")
    assert client.get(status["file_url"]).status_code == 403


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_with_huey_a_worker_process_writes_the_export(app, tmp_path):
    """The web app and a ``huey_consumer planner.jobs.huey`` process share Redis and the database, nothing else."""
    from tests.test_web_jobs import huey_consumer, redis_server
    from tests.webhelpers import make_app

    app.extensions["planner.engine"].dispose()
    with redis_server(tmp_path) as url:
        web = make_app(tmp_path, JOBS_BACKEND="huey", HUEY_URL=url, REPORT_FOLDER=str(tmp_path / "web-reports"))
        client = web.test_client()
        login(client)
        job_url = _export_docx(client)
        env = {"PLANNER_HUEY_URL": url, "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite'}"}
        with huey_consumer("planner.jobs.huey", env, tmp_path / "worker.log"):
            status = wait_for(client, job_url)
        assert status["state"] == "done" and status["ready"], (status, (tmp_path / "worker.log").read_text())
        _assert_docx_download(client, web, status)
        assert not (tmp_path / "web-reports").exists(), "the web process writes no report file"
        web.extensions["planner.engine"].dispose()
