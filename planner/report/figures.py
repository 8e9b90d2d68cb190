"""Every figure of the half-year report, computed from records.

A :class:`Figure` has a stable key (``"petitions.letters"``), a value, a unit
and the records it was computed from, so every number in the report can be
traced to rows of the work-area sheets (or of the planning data). A figure
whose records are empty has no value: the report then says "no records in
this period" instead of printing a number.

Period rules (docs/WORKAREAS.md):

- things that happen on a day (a visit, a payment, a petition...) count when
  their date is inside the period, both ends included;
- things that last (a Sunshine Home, a trainee, a person on social-security
  support, a registered vehicle) count when they are active on the period's
  last day; volunteers serving households count when the service overlaps
  the period.

All functions here are pure: records in, figures out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from planner.dataset import Dataset

Row = dict[str, Any]
Records = dict[str, list[Row]]
Value = int | float | Decimal | str | date | None


@dataclass(frozen=True, order=True)
class RecordRef:
    """One record: the sheet (or planning file) and its id."""

    sheet: str
    id: str

    def __str__(self) -> str:
        return f"{self.sheet}/{self.id}"


@dataclass(frozen=True)
class Figure:
    """One figure of the report.

    Attributes:
        key: stable name, ``area.what`` (``"outreach.amount_cny"``).
        value: the number (int, Decimal for money in CNY, float for percentages),
            a date, or text for names taken from records; ``None`` when no record.
        unit: ``count``, ``cny``, ``percent``, ``ordinal``, ``year``, ``days``,
            ``date``, ``month``, ``name`` or ``names``.
        records: the records the figure was computed from (for counts and
            sums: the rows counted; for rates: the rows of the denominator).
        texts: for ``names`` figures, the names in record order (already
            de-duplicated), by language-neutral source (``zh`` and ``en``).
    """

    key: str
    value: Value
    unit: str
    records: tuple[RecordRef, ...] = ()
    texts: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def has_records(self) -> bool:
        return bool(self.records)


@dataclass(frozen=True)
class Period:
    """The report's period, both ends included."""

    start: date
    end: date

    def has(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def active_at_end(self, since: date | None, until: date | None) -> bool:
        """Active on the last day: started on or before it, not ended before it."""
        return (since is None or since <= self.end) and (until is None or until >= self.end)

    def overlaps(self, since: date | None, until: date | None) -> bool:
        return (since is None or since <= self.end) and (until is None or until >= self.start)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# ------------------------------------------------------------------ helpers


def _refs(sheet: str, rows: Iterable[Row]) -> tuple[RecordRef, ...]:
    return tuple(RecordRef(sheet, str(r["id"])) for r in rows)


def count(key: str, sheet: str, rows: list[Row]) -> Figure:
    """Number of ``rows``; no value when there are none."""
    return Figure(key, len(rows) if rows else None, "count", _refs(sheet, rows))


def total(key: str, sheet: str, rows: list[Row], column: str, unit: str = "cny") -> Figure:
    """Sum of ``column`` over ``rows`` (empty cells count as 0); records = rows with a value."""
    given = [r for r in rows if r.get(column) is not None]
    if not given:
        return Figure(key, None, unit, ())
    value: Any = sum((r[column] for r in given), Decimal(0) if unit == "cny" else 0)
    return Figure(key, value, unit, _refs(sheet, given))


def distinct(key: str, sheet: str, rows: list[Row], column: str) -> Figure:
    """Number of different values of ``column`` among ``rows``."""
    values = {r[column] for r in rows if r.get(column) is not None}
    return Figure(key, len(values) if rows else None, "count", _refs(sheet, rows))


def names(key: str, sheet: str, rows: list[Row], zh: str, en: str | None = None) -> Figure:
    """The different names in ``zh`` (and their English ``en``) among ``rows``, first seen first."""
    seen: dict[str, str] = {}
    for r in rows:
        text = r.get(zh)
        if text and text not in seen:
            seen[text] = (r.get(en) if en else None) or text
    if not seen:
        return Figure(key, None, "names", ())
    return Figure(key, "、".join(seen), "names", _refs(sheet, rows), tuple(seen.items()))


def rate(key: str, sheet: str, rows: list[Row], good: Callable[[Row], bool]) -> Figure:
    """Percentage of ``rows`` for which ``good`` holds; records = all rows examined."""
    if not rows:
        return Figure(key, None, "percent", ())
    return Figure(key, 100.0 * sum(1 for r in rows if good(r)) / len(rows), "percent", _refs(sheet, rows))


def in_period(records: Records, sheet: str, column: str, period: Period) -> list[Row]:
    return [r for r in records.get(sheet, []) if period.has(r.get(column))]


class _Figures(dict[str, Figure]):
    def put(self, figure: Figure) -> None:
        if figure.key in self:  # pragma: no cover - programming error
            raise KeyError(f"figure {figure.key} computed twice")
        self[figure.key] = figure


# ------------------------------------------------------------ by work area


def federation_figures(records: Records, period: Period, out: _Figures) -> None:
    """Names of the district and the city (from the single federation row)."""
    rows = records.get("federation", [])[:1]
    for key, zh, en in (("federation.district", "district_zh", "district"), ("federation.city", "city_zh", "city")):
        row = rows[0] if rows else {}
        text_zh, text_en = row.get(zh) or row.get(en), row.get(en) or row.get(zh)
        if text_zh:
            out.put(Figure(key, text_zh, "name", _refs("federation", rows), ((str(text_zh), str(text_en)),)))
        else:
            out.put(Figure(key, None, "name", ()))


def social_environment_figures(records: Records, period: Period, out: _Figures) -> None:
    """Outreach visits, condolence funds and awareness events."""
    visits = in_period(records, "outreach_visits", "date", period)
    out.put(count("outreach.visits", "outreach_visits", visits))
    out.put(total("outreach.amount_cny", "outreach_visits", visits, "amount_cny"))
    out.put(
        count(
            "outreach.help_day_visits",
            "outreach_visits",
            [v for v in visits if v.get("occasion") == "help_disabled_day"],
        )
    )
    events = in_period(records, "awareness_events", "date", period)
    for kind, key in (
        ("help_disabled_day", "awareness.help_day_edition"),
        ("help_week", "awareness.help_week_edition"),
    ):
        marked = [e for e in events if e["kind"] == kind and e.get("edition")]
        out.put(
            Figure(key, marked[0]["edition"], "ordinal", _refs("awareness_events", marked[:1]))
            if marked
            else Figure(key, None, "ordinal")
        )
    themed = [e for e in events if e["kind"] in ("help_disabled_day", "help_week") and e.get("theme_zh")]
    out.put(names("awareness.theme", "awareness_events", themed[:1], "theme_zh", "theme"))
    activities = [e for e in events if e["kind"] not in ("help_disabled_day", "help_week")]
    out.put(names("awareness.activities", "awareness_events", activities, "name_zh", "name"))
    out.put(count("awareness.activity_count", "awareness_events", activities))


AREA_NAMES: dict[str, tuple[str, str]] = {
    "hotel_reception": ("賓館接待", "hotel reception"),
    "community_reception": ("社區接待", "community reception"),
    "competition": ("競賽", "competition"),
    "volunteers": ("志願者", "volunteers"),
    "food_safety": ("食品監督", "food safety supervision"),
    "traffic": ("交通保障", "traffic"),
    "medical": ("衛生保障", "medical"),
    "security": ("安保", "security"),
}


def games_record_figures(records: Records, period: Period, out: _Figures) -> None:
    """Work plans, tasks, milestones, training and publicity events of the Games preparation."""
    plans = [
        p
        for p in records.get("games_work_plans", [])
        if p["status"] in ("formed", "approved") and p["drafted_on"] <= period.end
    ]
    order = list(AREA_NAMES)
    plans.sort(key=lambda p: (order.index(p["area"]) if p["area"] in order else len(order), p["id"]))
    area_rows = [{"id": p["id"], "zh": AREA_NAMES[p["area"]][0], "en": AREA_NAMES[p["area"]][1]} for p in plans]
    out.put(names("games.plan_areas", "games_work_plans", area_rows, "zh", "en"))
    out.put(count("games.plans_formed", "games_work_plans", plans))
    due = [t for t in records.get("games_tasks", []) if t["due_date"] <= period.end]
    out.put(count("games.tasks_due", "games_tasks", due))
    done = [t for t in due if t["status"] == "done" and t.get("done_on") is not None and t["done_on"] <= period.end]
    out.put(count("games.tasks_done", "games_tasks", done))
    for kind, key in (
        ("committee_operational", "games.committee_operational_on"),
        ("mobilisation_rally", "games.rally_prepared_on"),
    ):
        done = [
            m
            for m in records.get("games_milestones", [])
            if m["kind"] == kind and m.get("done_on") and m["done_on"] <= period.end
        ]
        done.sort(key=lambda m: m["done_on"])
        out.put(
            Figure(key, done[0]["done_on"], "date", _refs("games_milestones", done[:1]))
            if done
            else Figure(key, None, "date")
        )
    events = in_period(records, "games_events", "date", period)
    trainings = [e for e in events if e["kind"] == "training"]
    out.put(count("games.trainings", "games_events", trainings))
    out.put(total("games.training_participants", "games_events", trainings, "participants", unit="count"))
    publicity = [e for e in events if e["kind"] in ("countdown", "publicity", "exhibition", "rally", "other")]
    publicity.sort(
        key=lambda e: (("countdown", "publicity", "exhibition", "rally", "other").index(e["kind"]), e["date"], e["id"])
    )
    out.put(names("games.publicity_names", "games_events", publicity, "name_zh", "name"))
    out.put(count("games.publicity_events", "games_events", publicity))


def games_planning_figures(data: Dataset | None, period: Period, out: _Figures) -> None:
    """Figures taken from the planning data: delegations, athletes, hotels, venues, the event."""
    keys = (
        "games.year", "games.event_name", "games.opening", "games.days_to_opening", "games.countries",
        "games.athletes", "games.coaches", "games.volunteers", "games.sports", "games.hotels_approved",
        "games.beds_approved", "games.venues", "games.renovation_pct",
    )  # fmt: skip
    if data is None:
        for key in keys:
            out.put(Figure(key, None, "count"))
        return
    ev = data.event
    event_ref = (RecordRef("event", ev.id),)
    out.put(Figure("games.year", ev.start_date.year, "year", event_ref))
    out.put(Figure("games.event_name", ev.name_zh or ev.name, "name", event_ref, ((ev.name_zh or ev.name, ev.name),)))
    out.put(Figure("games.opening", ev.start_date, "date", event_ref))
    days = (ev.start_date - period.end).days
    out.put(Figure("games.days_to_opening", days if days > 0 else None, "days", event_ref if days > 0 else ()))
    delegations = sorted(data.delegations.values(), key=lambda d: d.id)
    countries = {d.country for d in delegations}
    out.put(
        Figure(
            "games.countries",
            len(countries) or None,
            "count",
            _refs("delegations", [{"id": d.id} for d in delegations]),
        )
    )
    people = sorted(data.people.values(), key=lambda p: p.id)
    athletes = [{"id": p.id} for p in people if p.role in ("athlete", "partner")]
    coaches = [{"id": p.id} for p in people if p.role == "coach"]
    out.put(count("games.athletes", "people", athletes))
    out.put(count("games.coaches", "people", coaches))
    out.put(count("games.volunteers", "volunteers", [{"id": v} for v in sorted(data.volunteers)]))
    venues = sorted(data.venues.values(), key=lambda v: v.id)
    sport_rows = []
    for v in venues:
        for s in v.sports:
            sport = data.sport(s)
            sport_rows.append({"id": v.id, "zh": sport.name_zh or sport.name, "en": sport.name})
    out.put(names("games.sports", "venues", sport_rows, "zh", "en"))
    approved = sorted((h for h in data.hotels.values() if h.approved), key=lambda h: h.id)
    out.put(count("games.hotels_approved", "hotels", [{"id": h.id} for h in approved]))
    approved_ids = {h.id for h in approved}
    rooms = [r for r in data.rooms if r.hotel in approved_ids]
    beds = sum(r.beds for r in rooms)
    out.put(
        Figure(
            "games.beds_approved",
            beds or None,
            "count",
            tuple(RecordRef("rooms", f"{r.hotel}/{r.room}") for r in rooms) if beds else (),
        )
    )
    out.put(count("games.venues", "venues", [{"id": v.id} for v in venues]))
    progress = [v for v in venues if v.renovation_progress is not None]
    mean = sum(v.renovation_progress or 0.0 for v in progress) / len(progress) if progress else None
    out.put(Figure("games.renovation_pct", mean, "percent", _refs("venues", [{"id": v.id} for v in progress])))


def employment_figures(records: Records, period: Period, out: _Figures) -> None:
    """Placements, the levy, social-security support, medical cards and insurance, training."""
    out.put(count("employment.placements", "job_placements", in_period(records, "job_placements", "date", period)))
    paid = in_period(records, "levy_payments", "date", period)
    out.put(distinct("levy.units_paid", "levy_payments", paid, "unit"))
    out.put(total("levy.amount_cny", "levy_payments", paid, "amount_cny"))
    chases = in_period(records, "levy_chases", "date", period)
    out.put(distinct("levy.units_chased", "levy_chases", chases, "unit"))
    out.put(total("levy.recovered_cny", "levy_chases", chases, "amount_recovered_cny"))

    support = records.get("social_security", [])
    out.put(count("social_security.approved", "social_security", [s for s in support if period.has(s["approved_on"])]))
    out.put(
        count(
            "social_security.enrolled",
            "social_security",
            [s for s in support if period.active_at_end(s["approved_on"], s.get("ended_on"))],
        )
    )
    paid_rows, paid_total = [], Decimal(0)
    for s in support:
        months = support_months(s["approved_on"], s.get("ended_on"), period)
        if months:
            paid_rows.append(s)
            paid_total += s["monthly_amount_cny"] * months
    out.put(
        Figure(
            "social_security.paid_cny", paid_total if paid_rows else None, "cny", _refs("social_security", paid_rows)
        )
    )

    cards = in_period(records, "charity_medical_cards", "issued_on", period)
    out.put(count("charity_cards.issued", "charity_medical_cards", cards))
    out.put(total("charity_cards.amount_cny", "charity_medical_cards", cards, "amount_cny"))
    enrolled = in_period(records, "medical_insurance", "enrolled_on", period)
    out.put(count("medical_insurance.enrolled", "medical_insurance", enrolled))
    enrolment_months = sorted({(r["enrolled_on"].year, r["enrolled_on"].month) for r in enrolled})
    month_value = f"{enrolment_months[0][0]:04d}-{enrolment_months[0][1]:02d}" if len(enrolment_months) == 1 else None
    out.put(
        Figure(
            "medical_insurance.month", month_value, "month", _refs("medical_insurance", enrolled) if month_value else ()
        )
    )

    courses = in_period(records, "training_courses", "start_date", period)
    course_ids = {c["id"] for c in courses}
    out.put(names("training.course_names", "training_courses", courses, "name_zh", "name"))
    out.put(count("training.courses", "training_courses", courses))
    people = [p for p in records.get("training_participants", []) if p["course"] in course_ids]
    out.put(count("training.participants", "training_participants", people))
    out.put(count("training.certified", "training_participants", [p for p in people if p.get("certified")]))


def support_months(approved_on: date, ended_on: date | None, period: Period) -> int:
    """Calendar months of ``period`` in which a person on support is paid.

    A person is paid for every calendar month (within the period) on any day
    of which the support was in force.
    """
    months = 0
    year, month = period.start.year, period.start.month
    while date(year, month, 1) <= period.end:
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        last = min(nxt - timedelta(days=1), period.end)
        first = max(first, period.start)
        if approved_on <= last and (ended_on is None or ended_on >= first):
            months += 1
        year, month = nxt.year, nxt.month
    return months


def sunshine_figures(records: Records, period: Period, out: _Figures) -> None:
    """Sunshine Homes, trainees, the workshop, publications, the skills competition, charity sales."""
    homes = [
        h for h in records.get("sunshine_homes", []) if period.active_at_end(h.get("opened_on"), h.get("closed_on"))
    ]
    out.put(count("sunshine.homes", "sunshine_homes", homes))
    trainees = [
        t for t in records.get("sunshine_trainees", []) if period.active_at_end(t.get("enrolled_on"), t.get("left_on"))
    ]
    out.put(count("sunshine.trainees", "sunshine_trainees", trainees))
    jobs = [
        j for j in records.get("sunshine_workshop_jobs", []) if period.active_at_end(j["started_on"], j.get("ended_on"))
    ]
    out.put(names("sunshine.workshops", "sunshine_workshop_jobs", jobs, "workshop_zh", "workshop"))
    out.put(count("sunshine.workshop_jobs", "sunshine_workshop_jobs", jobs))
    pubs = in_period(records, "sunshine_publications", "date", period)
    brochures = [p for p in pubs if p["kind"] == "brochure"]
    out.put(names("sunshine.brochure_titles", "sunshine_publications", brochures, "title_zh", "title"))
    out.put(total("sunshine.brochure_copies", "sunshine_publications", brochures, "copies", unit="count"))
    out.put(
        names(
            "sunshine.bulletins",
            "sunshine_publications",
            [p for p in pubs if p["kind"] == "bulletin"],
            "title_zh",
            "title",
        )
    )
    out.put(
        names("sunshine.books", "sunshine_publications", [p for p in pubs if p["kind"] == "book"], "title_zh", "title")
    )
    entries = in_period(records, "skills_competition_entries", "date", period)
    out.put(names("skills.competitions", "skills_competition_entries", entries, "competition_zh", "competition"))
    out.put(distinct("skills.entrants", "skills_competition_entries", entries, "person"))
    out.put(distinct("skills.events", "skills_competition_entries", entries, "event_zh"))
    from_homes = [e for e in entries if e.get("home")]
    out.put(distinct("skills.sunshine_entrants", "skills_competition_entries", from_homes, "person"))
    sales = in_period(records, "charity_sales", "date", period)
    out.put(distinct("sales.events", "charity_sales", sales, "sale_zh"))
    out.put(distinct("sales.kinds", "charity_sales", sales, "kind_zh"))
    out.put(total("sales.items", "charity_sales", sales, "items", unit="count"))


REHAB_FIGURES = (
    "child_rehab_card",
    "assistive_device",
    "cataract_surgery",
    "hearing_aid",
    "foster_care",
    "cochlear_implant",
    "prosthesis",
)


def rehab_figures(records: Records, period: Period, out: _Figures) -> None:
    """Rehabilitation services by kind, health checks, vehicle inspections."""
    services = in_period(records, "rehab_services", "date", period)
    for kind in REHAB_FIGURES:
        out.put(count(f"rehab.{kind}", "rehab_services", [s for s in services if s["kind"] == kind]))
    checks = in_period(records, "health_checks", "date", period)
    out.put(distinct("health.batches", "health_checks", checks, "batch"))
    out.put(count("health.people", "health_checks", checks))
    registered = [
        v
        for v in records.get("disabled_vehicles", [])
        if period.active_at_end(v.get("registered_on"), v.get("deregistered_on"))
    ]
    registered_ids = {v["id"] for v in registered}
    inspections = in_period(records, "vehicle_inspections", "date", period)
    passed = {i["vehicle"] for i in inspections if i.get("passed") is not False and i["vehicle"] in registered_ids}
    inspected_rows = [v for v in registered if v["id"] in passed]
    out.put(count("vehicles.inspected", "disabled_vehicles", inspected_rows))
    out.put(rate("vehicles.inspection_rate", "disabled_vehicles", registered, lambda v: v["id"] in passed))


def stability_figures(records: Records, period: Period, out: _Figures) -> None:
    """Petitions (letters, visits, calls), their resolution, escalations; volunteers for carers."""
    petitions = in_period(records, "petitions", "date", period)
    by_channel = {c: [p for p in petitions if p["channel"] == c] for c in ("letter", "visit", "phone")}
    out.put(count("petitions.letters", "petitions", by_channel["letter"]))
    out.put(count("petitions.visit_batches", "petitions", by_channel["visit"]))
    out.put(
        total(
            "petitions.visit_people",
            "petitions",
            [{**p, "people": p.get("people") or 1} for p in by_channel["visit"]],
            "people",
            unit="count",
        )
    )
    out.put(
        total(
            "petitions.phone_people",
            "petitions",
            [{**p, "people": p.get("people") or 1} for p in by_channel["phone"]],
            "people",
            unit="count",
        )
    )

    def resolved(p: Row) -> bool:
        return p.get("resolved_on") is not None and p["resolved_on"] <= period.end

    out.put(rate("petitions.resolved_pct", "petitions", petitions, resolved))
    for channel, key in (("letter", "letters"), ("visit", "visits"), ("phone", "phone")):
        out.put(rate(f"petitions.{key}_resolved_pct", "petitions", by_channel[channel], resolved))
    # Zero escalations is a finding about every petition of the period, so those are its records.
    for key, column in (("petitions.escalated", "escalated"), ("petitions.collective", "collective")):
        out.put(
            Figure(
                key,
                sum(1 for p in petitions if p.get(column)) if petitions else None,
                "count",
                _refs("petitions", petitions),
            )
        )
    carers = [c for c in records.get("carer_support", []) if period.overlaps(c["started_on"], c.get("ended_on"))]
    out.put(distinct("carers.volunteers", "carer_support", carers, "volunteer"))
    out.put(distinct("carers.households", "carer_support", carers, "household"))


def compute_figures(records: Records, data: Dataset | None, period: Period) -> dict[str, Figure]:
    """Every figure of the report for ``period``.

    Args:
        records: work-area rows by sheet, typed as the workbook reader gives them.
        data: the planning data (the Games), or ``None`` when none is loaded.
        period: the report's period.

    Returns:
        Figure key -> figure, in report order.
    """
    out = _Figures()
    federation_figures(records, period, out)
    social_environment_figures(records, period, out)
    games_planning_figures(data, period, out)
    games_record_figures(records, period, out)
    employment_figures(records, period, out)
    sunshine_figures(records, period, out)
    rehab_figures(records, period, out)
    stability_figures(records, period, out)
    return dict(out)


DATE_COLUMNS: dict[str, str] = {
    "outreach_visits": "date",
    "awareness_events": "date",
    "games_events": "date",
    "games_tasks": "due_date",
    "job_placements": "date",
    "levy_payments": "date",
    "levy_chases": "date",
    "social_security": "approved_on",
    "charity_medical_cards": "issued_on",
    "medical_insurance": "enrolled_on",
    "training_courses": "start_date",
    "sunshine_publications": "date",
    "skills_competition_entries": "date",
    "charity_sales": "date",
    "rehab_services": "date",
    "health_checks": "date",
    "vehicle_inspections": "date",
    "petitions": "date",
}


def latest_half_year(records: Records, today: date | None = None) -> Period | None:
    """The latest half year (1 Jan-30 Jun or 1 Jul-31 Dec) holding a dated record.

    Dates after ``today`` (planned tasks, future milestones) are ignored when
    ``today`` is given. Returns ``None`` when there is no dated record at all.
    """
    latest: date | None = None
    for sheet, column in DATE_COLUMNS.items():
        if sheet == "games_tasks":
            continue  # due dates are plans, not records of work done
        for row in records.get(sheet, []):
            day = row.get(column)
            if day is None or (today is not None and day > today):
                continue
            if latest is None or day > latest:
                latest = day
    if latest is None:
        return None
    if latest.month <= 6:
        return Period(date(latest.year, 1, 1), date(latest.year, 6, 30))
    return Period(date(latest.year, 7, 1), date(latest.year, 12, 31))
