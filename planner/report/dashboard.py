"""The report's figures as chart-ready data for the dashboard page.

Everything here is plain JSON-able data (str, int, float, lists, dicts): the
web helper draws it. Numbers are the report's own figures (same keys, same
records), plus month-by-month series of the same records where people would
rather look than read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from planner.dataset import Dataset
from planner.report.build import load_records, resolve_period, write_report
from planner.report.figures import REHAB_FIGURES, Period, Records
from planner.report.labels import figure_label
from planner.report.model import MONTHS_EN, Report, format_with_unit, zh

CHART_TITLES: dict[str, tuple[str, str]] = {
    "petitions_by_month": ("每月信訪(來信、來訪、電話)", "Petitions by month (letters, visits, calls)"),
    "outreach_by_month": ("每月走訪慰問戶數", "Outreach visits by month"),
    "placements_by_month": ("每月推薦安置就業人數", "Job placements by month"),
    "levy_by_month": ("每月殘保金徵收(萬元)", "Levy collected by month (CNY 10,000)"),
    "rehab_by_kind": ("康復服務(人次)", "Rehabilitation services"),
    "venue_renovation": ("場館改造進度(%)", "Venue renovation (%)"),
    "games_tasks": ("特奧任務完成情況", "Games tasks done"),
    "petitions_resolved": ("信訪辦結率(%)", "Petitions resolved (%)"),
    "vehicle_inspection": ("殘車年檢率(%)", "Vehicle inspection rate (%)"),
}
SERIES_NAMES: dict[str, tuple[str, str]] = {
    "letter": ("來信", "Letters"),
    "visit": ("來訪", "Visits"),
    "phone": ("電話", "Calls"),
    "visits": ("走訪慰問", "Visits"),
    "placements": ("安置", "Placements"),
    "levy": ("殘保金", "Levy"),
    "services": ("人次", "People"),
    "progress": ("進度", "Progress"),
    "done": ("已完成", "Done"),
    "due": ("到期", "Due"),
}


def _words(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh_text, en_text = table[key]
    return en_text if lang == "en" else zh(zh_text, lang)


def _json(value: object) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _months(period: Period) -> list[tuple[int, int]]:
    out = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _month_label(year: int, month: int, lang: str) -> str:
    return f"{MONTHS_EN[month - 1][:3]} {year}" if lang == "en" else f"{year}年{month}月"


def _monthly(rows: list[dict[str, Any]], column: str, period: Period, weight: str | None = None) -> list[float]:
    totals: dict[tuple[int, int], float] = {}
    for r in rows:
        day = r.get(column)
        if day is not None and period.has(day):
            month = (day.year, day.month)
            totals[month] = totals.get(month, 0.0) + (float(r.get(weight) or 0) if weight else 1.0)
    return [totals.get(m, 0.0) for m in _months(period)]


def _chart(
    key: str, kind: str, labels: list[str], series: list[tuple[str, list[float]]], lang: str, figures: list[str]
) -> dict[str, Any]:
    return {
        "key": key,
        "title": _words(CHART_TITLES, key, lang),
        "kind": kind,
        "labels": labels,
        "series": [{"name": _words(SERIES_NAMES, name, lang), "values": values} for name, values in series],
        "figures": figures,
    }


def dashboard_data(report: Report, records: Records | None = None, data: Dataset | None = None) -> dict[str, Any]:
    """The dashboard for ``report``: its figures by section, and charts.

    Args:
        report: a built report (its figures and language are used).
        records: the same records the report was built from, for the monthly series (optional).
        data: the planning data, for the per-venue renovation chart (optional).

    Returns:
        ``{"title", "lang", "period": {"from", "to"}, "sections": [{"key", "title",
        "figures": [{"key", "label", "value", "display", "unit", "records", "anchor"}]}],
        "charts": [{"key", "title", "kind", "labels", "series": [{"name", "values"}], "figures"}]}``;
        chart kinds are ``bar``, ``stacked_bar``, ``line`` and ``gauge`` (one value out of 100).
    """
    lang, period = report.lang, report.period
    sections = []
    for section in report.sections:
        keys: dict[str, None] = {}
        for para in section.paragraphs:
            for key in para.figure_keys():
                if not key.startswith("federation."):
                    keys.setdefault(key, None)
        figs = []
        for key in keys:
            f = report.figures[key]
            figs.append(
                {
                    "key": key,
                    "label": report.labels[key],
                    "value": _json(f.value),
                    "display": format_with_unit(f, lang, period),
                    "unit": f.unit,
                    "records": len(f.records),
                    "anchor": "fig-" + key.replace(".", "-").replace("_", "-"),
                }
            )
        sections.append({"key": section.key, "title": section.title, "figures": figs})

    charts: list[dict[str, Any]] = []
    month_labels = [_month_label(y, m, lang) for y, m in _months(period)]
    if records:
        petitions = records.get("petitions", [])
        if any(period.has(p["date"]) for p in petitions):
            series = [
                (c, _monthly([p for p in petitions if p["channel"] == c], "date", period))
                for c in ("letter", "visit", "phone")
            ]
            charts.append(
                _chart(
                    "petitions_by_month",
                    "stacked_bar",
                    month_labels,
                    series,
                    lang,
                    ["petitions.letters", "petitions.visit_batches", "petitions.phone_people"],
                )
            )
        for key, sheet, column, name, weight, fig in (
            ("outreach_by_month", "outreach_visits", "date", "visits", None, "outreach.visits"),
            ("placements_by_month", "job_placements", "date", "placements", None, "employment.placements"),
            ("levy_by_month", "levy_payments", "date", "levy", "amount_cny", "levy.amount_cny"),
        ):
            rows = records.get(sheet, [])
            values = _monthly(rows, column, period, weight)
            if weight == "amount_cny":
                values = [round(v / 10000, 2) for v in values]
            if any(values):
                charts.append(
                    _chart(
                        key, "line" if key == "levy_by_month" else "bar", month_labels, [(name, values)], lang, [fig]
                    )
                )
    rehab_keys = [f"rehab.{k}" for k in REHAB_FIGURES if report.figures[f"rehab.{k}"].has_records]
    if rehab_keys:
        values = [float(report.figures[k].value or 0) for k in rehab_keys]  # type: ignore[arg-type]
        charts.append(
            _chart(
                "rehab_by_kind",
                "bar",
                [figure_label(k, lang) for k in rehab_keys],
                [("services", values)],
                lang,
                rehab_keys,
            )
        )
    if data is not None and data.venues:
        venues = sorted((v for v in data.venues.values() if v.renovation_progress is not None), key=lambda v: v.id)
        if venues:
            labels = [(v.name_zh or v.name) if lang != "en" else v.name for v in venues]
            if lang == "zh-Hans":
                labels = [zh(label, lang) for label in labels]
            charts.append(
                _chart(
                    "venue_renovation",
                    "bar",
                    labels,
                    [("progress", [float(v.renovation_progress or 0) for v in venues])],
                    lang,
                    ["games.renovation_pct"],
                )
            )
    if report.figures["games.tasks_due"].has_records:
        due = float(report.figures["games.tasks_due"].value or 0)  # type: ignore[arg-type]
        done = float(report.figures["games.tasks_done"].value or 0)  # type: ignore[arg-type]
        charts.append(
            _chart(
                "games_tasks",
                "gauge",
                [""],
                [("done", [round(100 * done / due, 1) if due else 0.0])],
                lang,
                ["games.tasks_due", "games.tasks_done"],
            )
        )
    for key, fig in (
        ("petitions_resolved", "petitions.resolved_pct"),
        ("vehicle_inspection", "vehicles.inspection_rate"),
    ):
        f = report.figures[fig]
        if f.has_records:
            charts.append(_chart(key, "gauge", [""], [("progress", [round(float(f.value or 0), 1)])], lang, [fig]))  # type: ignore[arg-type]
    return {
        "title": report.title,
        "lang": lang,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "sections": sections,
        "charts": charts,
    }


def build_dashboard(
    session: Session,
    data: Dataset | None,
    date_from: date | None = None,
    date_to: date | None = None,
    lang: str = "zh-Hans",
) -> dict[str, Any]:
    """Load the records, write the report and return :func:`dashboard_data` for it."""
    records = load_records(session)
    period = resolve_period(records, date_from, date_to)
    report = write_report(records, data, period, lang)
    return dashboard_data(report, records, data)
