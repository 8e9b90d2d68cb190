"""Competition: the Special Olympics divisions of each sport and the athletes left over.

The page reads its settings from the query string (no personal data in
them): which sport, the smallest and largest division, and whether
adjacent age groups or the two genders may be merged. The divisions come
from :func:`planner.services.divisions.plan_divisions`; the same tables can
be downloaded as CSV files (the download is in the audit log: it holds names).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from planner.dataset import Dataset
from planner.messages import Message
from planner.services.divisions import DivisionParams, DivisionsReport, plan_divisions
from planner.services.workbook import NoEventData, load_dataset
from planner.users import audit, can_view
from web import db
from web.auth import actor, require
from web.i18n import html_lang, planner_message, planner_text

bp = Blueprint("competition", __name__, url_prefix="/competition")

# The largest division the page accepts: Special Olympics divisions hold 3-8 athletes,
# so far larger sizes are typing mistakes.
MAX_DIVISION_SIZE = 50
TABLES = ("divisions", "left_over")


def _may_view(who: Any) -> bool:
    return can_view(who, "people")


@dataclass
class DivisionForm:
    """The settings as typed (``values``), the errors by field and, when valid, the params."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    params: DivisionParams | None = None
    sport: str | None = None


def _whole_number(form: DivisionForm, name: str) -> int | None:
    text = str(form.values[name]).strip()
    if not re.fullmatch(r"\d{1,3}", text):
        form.errors[name] = _("Enter a whole number.")
        return None
    return int(text)


def read_form(args: Any, sports: list[str]) -> DivisionForm:
    """Read the settings from the query string and validate them with :class:`DivisionParams`."""
    defaults = DivisionParams()
    submitted = args.get("set") == "1"
    values = {
        "sport": args.get("sport", ""),
        "min_size": args.get("min_size", str(defaults.min_size)),
        "max_size": args.get("max_size", str(defaults.max_size)),
        "merge_ages": args.get("merge_ages") == "yes" if submitted else defaults.merge_adjacent_age_groups,
        "merge_genders": args.get("merge_genders") == "yes" if submitted else defaults.merge_genders,
    }
    form = DivisionForm(values)
    if values["sport"] and values["sport"] not in sports:
        form.errors["sport"] = _("Choose a sport from the list.")
    form.sport = values["sport"] or None
    min_size = _whole_number(form, "min_size")
    max_size = _whole_number(form, "max_size")
    if max_size is not None and max_size > MAX_DIVISION_SIZE:
        form.errors["max_size"] = _("At most %(size)d athletes.", size=MAX_DIVISION_SIZE)
    if form.errors or min_size is None or max_size is None:
        return form
    try:
        form.params = DivisionParams(
            min_size=min_size,
            max_size=max_size,
            merge_adjacent_age_groups=bool(values["merge_ages"]),
            merge_genders=bool(values["merge_genders"]),
        )
    except ValueError:
        # DivisionParams only says "need 1 <= min_size <= max_size": name the field that breaks it.
        if min_size < 1:
            form.errors["min_size"] = _("At least 1 athlete.")
        else:
            form.errors["max_size"] = _("Not fewer than the smallest division (%(size)d).", size=min_size)
    return form


def sport_name(data: Dataset, sport: str) -> str:
    """The sport's name in the page's language (its Chinese name on a Chinese page, as other pages name places)."""
    rules = data.sport(sport)
    return (rules.name_zh if html_lang() != "en" and rules.name_zh else rules.name) or sport


def person_name(data: Dataset, person_id: str) -> str:
    p = data.people.get(person_id)
    return f"{p.family_name} {p.given_name}" if p else person_id


def reason_text(data: Dataset, row: dict[str, Any]) -> str:
    """Why an athlete is left over, in the page's language.

    The service's reason is a message (:data:`planner.services.divisions.MESSAGES`);
    its sport (the id, in the CSV and the API) is named as the page names sports.
    """
    message = planner_message(row["reason"])
    if message is None:
        return str(row["reason"])
    named = tuple((k, sport_name(data, v) if k == "sport" else v) for k, v in message.params)
    return planner_text(Message(message.template, named))


def gender_text(code: str) -> str:
    return {"F": _("women"), "M": _("men"), "mixed": _("mixed")}.get(code, code)


def merged_text(code: str) -> str:
    return {"": _("no"), "age groups": _("age groups merged"), "genders": _("genders merged")}.get(code, code)


def _sports_of(data: Dataset) -> list[str]:
    return sorted({p.sport for p in data.people.values() if p.sport})


def _load() -> tuple[Dataset, DivisionForm, DivisionsReport | None]:
    try:
        data = load_dataset(db.session())
    except NoEventData:
        abort(404, _("There is no event data yet."))
    form = read_form(request.args, _sports_of(data))
    report = plan_divisions(data, form.sport, params=form.params) if form.params else None
    return data, form, report


def _rows(data: Dataset, report: DivisionsReport) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The two tables with names, delegations and words in the page's language."""
    divisions = []
    for row in report.divisions:
        athletes = [
            {"id": a, "name": person_name(data, a), "delegation": data.people[a].delegation if a in data.people else ""}
            for a in row["athletes"]
        ]
        divisions.append({**row, "sport_name": sport_name(data, row["sport"]), "members": athletes})
    left_over = [
        {
            **row,
            "sport_name": sport_name(data, row["sport"]),
            "name": person_name(data, row["athlete"]),
            "reason_text": reason_text(data, row),
        }
        for row in report.left_over
    ]
    return divisions, left_over


@bp.get("/divisions")
@require(_may_view)
def divisions():  # type: ignore[no-untyped-def]
    """The page: settings form, divisions per sport, athletes left over."""
    data, form, report = _load()
    division_rows, left_rows = _rows(data, report) if report else ([], [])
    by_sport: dict[str, list[dict[str, Any]]] = {}
    for row in division_rows:
        by_sport.setdefault(row["sport"], []).append(row)
    sports = [(s, sport_name(data, s)) for s in _sports_of(data)]
    query = {
        k: v
        for k, v in request.args.items()
        if k in ("sport", "min_size", "max_size", "merge_ages", "merge_genders", "set")
    }
    status = 400 if form.errors else 200
    page = render_template(
        "competition/divisions.html",
        form=form,
        sports=sports,
        report=report,
        by_sport=by_sport,
        sport_names=dict(sports),
        left_over=left_rows,
        query=query,
        gender_text=gender_text,
        merged_text=merged_text,
        max_division_size=MAX_DIVISION_SIZE,
    )
    return page, status


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def divisions_csv(data: Dataset, report: DivisionsReport, table: str) -> str:
    """One table as CSV text (column names as in the service's rows; names and delegations added)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if table == "divisions":
        writer.writerow(
            [
                "sport",
                "division",
                "gender",
                "age_group",
                "size",
                "athletes",
                "athlete_ids",
                "best_score",
                "worst_score",
                "spread_pct",
                "merged",
            ]
        )
        for row in report.divisions:
            names = [
                f"{person_name(data, a)} ({data.people[a].delegation if a in data.people else ''})"
                for a in row["athletes"]
            ]
            writer.writerow(
                [
                    row["sport"],
                    row["division"],
                    row["gender"],
                    row["age_group"],
                    row["size"],
                    "; ".join(names),
                    ";".join(row["athletes"]),
                    _fmt(row["best_score"]),
                    _fmt(row["worst_score"]),
                    _fmt(row["spread_pct"]),
                    row["merged"],
                ]
            )
    else:
        writer.writerow(["sport", "athlete", "name", "delegation", "gender", "age_group", "score", "reason"])
        for row in report.left_over:
            writer.writerow(
                [
                    row["sport"],
                    row["athlete"],
                    person_name(data, row["athlete"]),
                    row["delegation"],
                    row["gender"],
                    row["age_group"],
                    _fmt(row["score"]),
                    row["reason"],
                ]
            )
    return out.getvalue()


@bp.get("/divisions/<table>.csv")
@require(_may_view)
def download(table: str):  # type: ignore[no-untyped-def]
    """The divisions or the athletes left over as a CSV file, with the page's settings."""
    if table not in TABLES:
        abort(404)
    data, form, report = _load()
    if report is None:
        abort(400, _("The division settings are not valid."))
    s = db.session()
    audit(s, actor(), "export", "divisions", form.sport, detail={"table": table})
    s.commit()
    name = f"{table.replace('_', '-')}-{form.sport or 'all'}.csv"
    response = Response(divisions_csv(data, report, table), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # names of people
    return response
