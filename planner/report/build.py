"""Build the half-year report from the database: records -> figures -> text."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlmodel import Session, select

from planner.dataset import Dataset
from planner.report.figures import Figure, Period, RecordRef, Records, compute_figures, latest_half_year
from planner.report.labels import figure_label
from planner.report.model import LANGS, Report, format_value, zh
from planner.report.text import Writer, title_and_subtitle, write_sections
from planner.workareas.models import WORKAREA_TABLES
from planner.workareas.schema import WORKAREA_FILES, WORKAREA_SPECS

# Columns shown for a record in the appendix, after its id.
NOTE_COLUMNS: dict[str, tuple[str, ...]] = {
    "federation": ("name_zh", "name"),
    "outreach_visits": ("date", "leader", "recipient_kind", "recipient", "amount_cny"),
    "awareness_events": ("date", "kind", "name_zh", "edition"),
    "games_work_plans": ("area", "title_zh", "owner", "status"),
    "games_tasks": ("plan", "task_zh", "due_date", "status", "done_on"),
    "games_events": ("date", "kind", "name_zh", "place", "participants"),
    "games_milestones": ("kind", "name_zh", "done_on"),
    "job_placements": ("date", "person", "employer"),
    "levy_payments": ("date", "unit", "amount_cny"),
    "levy_chases": ("date", "unit", "amount_recovered_cny"),
    "social_security": ("person", "approved_on", "ended_on", "monthly_amount_cny"),
    "charity_medical_cards": ("issued_on", "holder", "amount_cny"),
    "medical_insurance": ("enrolled_on", "person"),
    "training_courses": ("name_zh", "start_date", "end_date"),
    "training_participants": ("course", "person", "certified"),
    "sunshine_homes": ("name_zh", "opened_on"),
    "sunshine_trainees": ("home", "person", "enrolled_on"),
    "sunshine_workshop_jobs": ("workshop_zh", "person", "started_on"),
    "sunshine_publications": ("date", "kind", "title_zh", "copies"),
    "skills_competition_entries": ("event_zh", "person", "home"),
    "charity_sales": ("date", "kind_zh", "items"),
    "rehab_services": ("date", "kind", "person"),
    "health_checks": ("date", "batch", "person"),
    "disabled_vehicles": ("plate", "owner"),
    "vehicle_inspections": ("vehicle", "date"),
    "petitions": ("date", "channel", "people", "resolved_on"),
    "carer_support": ("volunteer", "household", "household_kind"),
}


def load_records(session: Session) -> Records:
    """Every work-area record in the database, as typed rows by sheet (in import order)."""
    records: Records = {}
    for spec in WORKAREA_FILES:
        table = WORKAREA_TABLES[spec.name].__table__  # type: ignore[attr-defined]
        columns = [table.c[c.name] for c in spec.columns]
        # plain rows, not ORM objects: a half year holds tens of thousands of records
        result = session.connection().execute(select(*columns).order_by(table.c.seq, table.c.pk))
        rows = [dict(r._mapping) for r in result]
        if rows:
            records[spec.name] = rows
    return records


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record_notes(
    records: Records,
    data: Dataset | None,
    figures: dict[str, Figure],
    lang: str,
    hidden: Collection[tuple[str, str]] = (),
) -> dict[RecordRef, str]:
    """One line per record that a figure refers to (for the appendix); ``hidden`` (sheet, column) pairs left out."""
    wanted = {ref for f in figures.values() for ref in f.records}
    by_sheet: dict[str, set[str]] = {}
    for ref in wanted:
        by_sheet.setdefault(ref.sheet, set()).add(ref.id)
    notes: dict[RecordRef, str] = {}
    for sheet, ids in by_sheet.items():
        if sheet in WORKAREA_SPECS:
            columns = tuple(c for c in NOTE_COLUMNS.get(sheet, ()) if (sheet, c) not in hidden)
            for row in records.get(sheet, []):
                if row["id"] in ids:
                    text = " · ".join(_text(row.get(c)) for c in columns if row.get(c) is not None)
                    notes[RecordRef(sheet, row["id"])] = zh(text, lang) if lang == "zh-Hans" else text
        elif data is not None:
            beds = {f"{r.hotel}/{r.room}": r.beds for r in data.rooms} if sheet == "rooms" else {}
            for rid in ids:
                notes[RecordRef(sheet, rid)] = f"{beds[rid]} beds" if rid in beds else _planning_note(data, sheet, rid)
    return notes


def _planning_note(data: Dataset, sheet: str, rid: str) -> str:
    if sheet == "delegations" and rid in data.delegations:
        d = data.delegations[rid]
        return f"{d.name} · {d.country}"
    if sheet == "people" and rid in data.people:
        p = data.people[rid]
        return f"{p.delegation} · {p.role} · {p.sport or ''}".rstrip(" ·")
    if sheet == "volunteers" and rid in data.volunteers:
        v = data.volunteers[rid]
        return f"{v.family_name} {v.given_name}"
    if sheet == "hotels" and rid in data.hotels:
        h = data.hotels[rid]
        return f"{h.name_zh or h.name} · approved"
    if sheet == "venues" and rid in data.venues:
        venue = data.venues[rid]
        progress = "" if venue.renovation_progress is None else f" · {venue.renovation_progress:g}%"
        return f"{venue.name_zh or venue.name} · {';'.join(venue.sports)}{progress}"
    if sheet == "event":
        e = data.event
        return f"{e.name_zh or e.name} · {e.start_date.isoformat()}..{e.end_date.isoformat()}"
    return ""


def resolve_period(records: Records, date_from: date | None, date_to: date | None) -> Period:
    """The period asked for; without dates, the latest half year with records.

    Raises:
        ValueError: when no dates are given and there is no dated record, or the dates are reversed.
    """
    if date_from is None and date_to is None:
        latest = latest_half_year(records)
        if latest is None:
            raise ValueError("no dated work-area records: give --from and --to, or import the work-area sheets first")
        return latest
    if date_from is None:
        assert date_to is not None
        date_from = date(date_to.year, 1, 1) if date_to.month <= 6 else date(date_to.year, 7, 1)
    if date_to is None:
        date_to = date(date_from.year, 6, 30) if date_from.month <= 6 else date(date_from.year, 12, 31)
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    return Period(date_from, date_to)


def write_report(
    records: Records, data: Dataset | None, period: Period, lang: str, hidden: Collection[tuple[str, str]] = ()
) -> Report:
    """The report for ``period`` from records already loaded (no database needed).

    ``hidden``: (sheet, column) pairs the reader may not see (medical fields), left out of the record notes.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGS)}")
    figures = compute_figures(records, data, period)
    writer = Writer(lang, figures, period)
    fed = records.get("federation", [])
    fed_name = (fed[0].get("name_zh") or fed[0]["name"], fed[0]["name"]) if fed else None
    title, subtitle = title_and_subtitle(writer, fed_name)
    intro, sections = write_sections(writer)
    labels = {key: figure_label(key, lang) for key in figures}
    notes = record_notes(records, data, figures, lang, hidden)
    return Report(lang, title, subtitle, period, intro, sections, figures, labels, notes)


def build_report(
    session: Session,
    data: Dataset | None,
    date_from: date | None = None,
    date_to: date | None = None,
    lang: str = "zh-Hans",
) -> Report:
    """The federation's work summary for a period, every figure computed from records.

    Args:
        session: database session holding the work-area records.
        data: the planning data (Games figures), or ``None`` when no event is loaded.
        date_from, date_to: the period, both included; without them the latest
            half year with records (one date alone: its half year).
        lang: ``zh-Hans``, ``zh-Hant`` or ``en``.

    Raises:
        ValueError: unknown language, reversed dates, or no dated record to pick a period from.
    """
    records = load_records(session)
    period = resolve_period(records, date_from, date_to)
    return write_report(records, data, period, lang)


def figure_table(report: Report) -> list[dict[str, Any]]:
    """Each figure as a row (key, label, value, display, unit, record count), in report order."""
    order = report.used_keys() + [k for k in report.figures if k not in report.used_keys()]
    rows = []
    for key in order:
        f = report.figures[key]
        rows.append(
            {
                "key": key,
                "label": report.labels[key],
                "value": f.value,
                "display": format_value(f, report.lang, report.period),
                "unit": f.unit,
                "records": len(f.records),
            }
        )
    return rows
