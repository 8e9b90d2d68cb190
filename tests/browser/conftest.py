"""Browser tests: the app on a live local server, driven by Playwright with Debian's Chromium.

Needs ``apt-get install chromium fonts-noto-cjk`` and ``npm install`` in this
folder (axe-core). Playwright never downloads a browser here: it launches
``/usr/bin/chromium``. Without them the tests are skipped with the reason.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from planner.db import init_db, make_engine
from planner.plan import Plan
from planner.users import create_user
from tests.builders import make_dataset, manifest_row, rooming_row, roster_row, stop_row
from tests.dbhelpers import load, store_accepted
from tests.webhelpers import workbook_with_workareas

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"


def _requirements() -> str | None:
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)"
    if not AXE.exists():
        return "no axe-core (npm install in tests/browser)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the small world, some work-area records, accepted plans to list and map, and the users."""
    path = tmp_path_factory.mktemp("browser") / "web.sqlite"
    engine = make_engine(path)
    init_db(engine)
    load(engine, workbook_with_workareas())
    data = make_dataset()
    store_accepted(
        engine,
        "accommodation",
        Plan(rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")]),
    )
    store_accepted(
        engine,
        "transport",
        Plan(
            transport=[
                stop_row("B1", "T1", 0, "B1", depart="08:50"),
                stop_row("B1", "T1", 1, "H01", arrive="09:10", depart="09:12", session="S1"),
                stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
            ],
            manifest=[manifest_row("B1", "T1", "P1", 1, 2), manifest_row("B1", "T1", "P2", 1, 2)],
        ),
    )
    store_accepted(engine, "volunteers", Plan(roster=[roster_row("L1", "F1")]))
    with Session(engine) as s:
        create_user(s, "chair", PASSWORD, "committee", display_name="Chair")
        s.commit()
    with engine.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def live_server(browser_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on 127.0.0.1 (a free port) in a thread, with its own copy of the database."""
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    from werkzeug.serving import make_server

    from web import create_app

    folder = tmp_path_factory.mktemp("live")
    shutil.copyfile(browser_database, folder / "web.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser tests",
            "DATABASE_URL": str(folder / "web.sqlite"),
            "SESSION_COOKIE_SECURE": False,
            "DEMO_ACCOUNT": "no",
            "DEFAULT_LANGUAGE": "en",
            "LOGIN_ATTEMPTS_PER_WINDOW": 1000,
            "REPORT_FOLDER": str(folder / "reports"),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["planner.engine"].dispose()


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def sign_in(page: Any, username: str = "chair", password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Violations of WCAG 2.0/2.1/2.2 A and AA on the current page (frames included)."""
    source = AXE.read_text(encoding="utf-8")
    for frame in page.frames:
        frame.evaluate(source)  # evaluated by the debugger protocol: the page's CSP does not apply
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
        }"""
    )
    return result  # type: ignore[no-any-return]
