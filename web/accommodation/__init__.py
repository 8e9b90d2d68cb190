"""Accommodation operations: the reception-hotel survey and hand-made room pins.

- ``/accommodation/``: every hotel with its approval, latest survey and beds;
  the pins fixed by hand.
- ``/accommodation/hotels/<id>``: record a survey (fire safety, food safety,
  security, accessibility, halal kitchen, score) with
  :func:`planner.services.hotels.record_survey`, which approves or rejects
  the hotel; a wrong value is shown next to its field. Past surveys, newest first.
- ``/accommodation/pins``: fix a person's room by hand (the next plan keeps
  it) or release it.

Who may: reading is for everyone but hotel liaisons; recording surveys and
pins is for those who may change hotels / plan accommodation (the committee
and the accommodation lead). Every change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from planner.messages import MessageError
from planner.models import Hotel, HotelSurvey, Person, Pin, Room
from planner.services.hotels import (
    PASS_SCORE,
    InputError,
    SurveyInput,
    pin_person,
    record_survey,
    surveys_of,
    unpin_person,
)
from planner.users import audit, can_edit, can_plan
from planner.workbook.io import parse_date
from web import db
from web.auth import actor
from web.i18n import planner_text

bp = Blueprint("accommodation", __name__, url_prefix="/accommodation")

CHECKS = ("fire_safety", "food_safety", "security", "accessibility", "halal_kitchen")


def _readers_only() -> None:
    if actor().role == "hotel_liaison":
        abort(403)


def _hotel_or_404(hotel_id: str) -> Hotel:
    hotel = db.session().exec(select(Hotel).where(Hotel.id == hotel_id)).first()
    if hotel is None:
        abort(404)
    return hotel


def _beds_by_hotel() -> dict[str, tuple[int, int]]:
    """Hotel id -> (rooms, beds)."""
    rows = db.session().exec(select(Room.hotel, func.count(), func.sum(Room.beds)).group_by(Room.hotel))  # type: ignore[call-overload]
    return {hotel: (int(rooms), int(beds or 0)) for hotel, rooms, beds in rows}


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """Hotels with their approval and latest survey; pins."""
    _readers_only()
    s = db.session()
    hotels = list(s.exec(select(Hotel).order_by(Hotel.seq, Hotel.pk)))  # type: ignore[arg-type]
    latest: dict[str, HotelSurvey] = {}
    for survey in s.exec(select(HotelSurvey)):
        known = latest.get(survey.hotel)
        if known is None or (survey.surveyed_on, survey.pk or 0) > (known.surveyed_on, known.pk or 0):
            latest[survey.hotel] = survey
    pins = len(s.exec(select(Pin.pk)).all())  # type: ignore[call-overload]
    return render_template(
        "accommodation/index.html",
        hotels=hotels,
        latest=latest,
        beds=_beds_by_hotel(),
        pins=pins,
        may_pin=can_plan(actor(), "accommodation"),
    )


# ------------------------------------------------------------------ surveys


@dataclass
class SurveyForm:
    """The survey form as typed, and the errors of its fields."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def empty_survey_form(hotel: Hotel) -> SurveyForm:
    values: dict[str, Any] = {"surveyed_on": date.today().isoformat(), "score": "", "surveyor": "", "notes": ""}
    values.update({c: False for c in CHECKS})
    values["halal_kitchen"] = bool(hotel.halal_kitchen)
    values["decision"] = "auto"
    return SurveyForm(values)


def read_survey_form(hotel_id: str, form: Any) -> tuple[SurveyForm, SurveyInput | None]:
    """The survey a submitted form describes, or the errors of its fields."""
    typed = SurveyForm(
        {
            "surveyed_on": form.get("surveyed_on", "").strip(),
            "surveyor": form.get("surveyor", "").strip()[:200],
            "score": form.get("score", "").strip(),
            "notes": form.get("notes", "").strip()[:2000],
            "decision": form.get("decision", "auto"),
            **{c: form.get(c) == "yes" for c in CHECKS},
        }
    )
    v, errors = typed.values, typed.errors
    surveyed_on = None
    try:
        surveyed_on = parse_date(v["surveyed_on"])  # the workbook's own reading: YYYY-MM-DD, 1900-2100
    except MessageError as exc:
        errors["surveyed_on"] = planner_text(exc.detail)
    score = None
    try:
        if "_" in v["score"]:  # float() reads "1_0" as 10
            raise ValueError(v["score"])
        score = float(v["score"].replace(",", "."))
        if not 0 <= score <= 100:
            errors["score"] = _("The score is a number from 0 to 100.")
    except ValueError:
        errors["score"] = _("The score is a number from 0 to 100.")
    if v["decision"] not in ("auto", "approve", "reject"):
        errors["decision"] = _("Choose how the survey decides the approval.")
    if errors:
        return typed, None
    assert surveyed_on is not None and score is not None
    approve = {"auto": None, "approve": True, "reject": False}[v["decision"]]
    return typed, SurveyInput(
        hotel=hotel_id,
        surveyed_on=surveyed_on,
        fire_safety=v["fire_safety"],
        food_safety=v["food_safety"],
        security=v["security"],
        accessibility=v["accessibility"],
        halal_kitchen=v["halal_kitchen"],
        score=score,
        surveyor=v["surveyor"] or None,
        notes=v["notes"] or None,
        approve=approve,
    )


@bp.route("/hotels/<hotel_id>", methods=["GET", "POST"])
def hotel(hotel_id: str):  # type: ignore[no-untyped-def]
    """A hotel's surveys, and the form to record a new one."""
    _readers_only()
    h = _hotel_or_404(hotel_id)
    may_survey = can_edit(actor(), "hotels")
    form = empty_survey_form(h)
    status = 200
    if request.method == "POST":
        if not may_survey:
            abort(403)
        form, survey = read_survey_form(hotel_id, request.form)
        if survey is not None:
            s = db.session()
            try:
                saved = record_survey(s, survey)
            except InputError as exc:
                s.rollback()
                form.errors[exc.field if exc.field in form.values else "decision"] = str(exc).split(": ", 1)[-1]
            else:
                audit(
                    s,
                    actor(),
                    "change",
                    "hotel_surveys",
                    hotel_id,
                    ["approved", "survey_score", "halal_kitchen"],
                    detail={"approved": saved.approved, "score": saved.score, "surveyed_on": saved.surveyed_on},
                )
                s.commit()
                latest = surveys_of(s, hotel_id)[0]
                if latest.pk != saved.pk:
                    # a back-dated survey joins the history; the latest one still decides
                    day = latest.surveyed_on.isoformat()
                    if latest.approved:
                        message = _(
                            "Survey recorded. The survey of %(date)s is later and still decides: the hotel is approved.",
                            date=day,
                        )
                    else:
                        message = _(
                            "Survey recorded. The survey of %(date)s is later and still decides: "
                            "the hotel is not approved.",
                            date=day,
                        )
                    flash(message, "info")
                elif saved.approved:
                    flash(_("Survey recorded: the hotel is approved."), "success")
                else:
                    flash(_("Survey recorded: the hotel is not approved."), "success")
                return redirect(url_for("accommodation.hotel", hotel_id=hotel_id))
        status = 422
    rooms, beds = _beds_by_hotel().get(hotel_id, (0, 0))
    return (
        render_template(
            "accommodation/hotel.html",
            hotel=_hotel_or_404(hotel_id),
            surveys=surveys_of(db.session(), hotel_id),
            form=form,
            checks=CHECKS,
            may_survey=may_survey,
            pass_score=PASS_SCORE,
            rooms=rooms,
            beds=beds,
        ),
        status,
    )


# ------------------------------------------------------------------- pins


def _pin_rows() -> list[dict[str, Any]]:
    s = db.session()
    pins = list(s.exec(select(Pin).order_by(Pin.hotel, Pin.room, Pin.person)))
    ids = [p.person for p in pins]
    names = {}
    for start in range(0, len(ids), 500):
        for pid, family, given, delegation in s.exec(
            select(Person.id, Person.family_name, Person.given_name, Person.delegation).where(
                Person.id.in_(ids[start : start + 500])  # type: ignore[attr-defined]
            )
        ):
            names[pid] = (f"{family} {given}", delegation)
    return [
        {
            "pin": p,
            "name": names.get(p.person, ("", ""))[0],
            "delegation": names.get(p.person, ("", ""))[1],
            "known": p.person in names,
        }
        for p in pins
    ]


def _pins_page(values: dict[str, str], errors: dict[str, str], status: int = 200):  # type: ignore[no-untyped-def]
    s = db.session()
    hotels = list(s.exec(select(Hotel).where(Hotel.approved == True).order_by(Hotel.seq, Hotel.pk)))  # type: ignore[arg-type]  # noqa: E712
    return (
        render_template(
            "accommodation/pins.html",
            pins=_pin_rows(),
            hotels=hotels,
            values=values,
            errors=errors,
            may_pin=can_plan(actor(), "accommodation"),
        ),
        status,
    )


@bp.get("/pins")
def pins():  # type: ignore[no-untyped-def]
    _readers_only()
    return _pins_page({"person": "", "hotel": "", "room": "", "note": ""}, {})


@bp.post("/pins")
def add_pin():  # type: ignore[no-untyped-def]
    """Fix a person's room by hand (person ids travel in the form, never in the URL)."""
    _readers_only()
    if not can_plan(actor(), "accommodation"):
        abort(403)
    values = {k: request.form.get(k, "").strip()[:200] for k in ("person", "hotel", "room", "note")}
    errors = {k: _("This field is required.") for k in ("person", "hotel", "room") if not values[k]}
    if errors:
        return _pins_page(values, errors, 422)
    s = db.session()
    try:
        pin = pin_person(
            s, values["person"], values["hotel"], values["room"], values["note"] or None, by=actor().username
        )
    except InputError as exc:
        s.rollback()
        errors[exc.field if exc.field in values else "person"] = str(exc).split(": ", 1)[-1]
        return _pins_page(values, errors, 422)
    audit(s, actor(), "change", "pins", pin.person, ["hotel", "room"], detail={"hotel": pin.hotel, "room": pin.room})
    s.commit()
    flash(_("Pinned %(person)s to %(hotel)s / %(room)s.", person=pin.person, hotel=pin.hotel, room=pin.room), "success")
    return redirect(url_for("accommodation.pins"))


@bp.post("/pins/remove")
def remove_pin():  # type: ignore[no-untyped-def]
    _readers_only()
    if not can_plan(actor(), "accommodation"):
        abort(403)
    person = request.form.get("person", "").strip()
    s = db.session()
    if not unpin_person(s, person):
        abort(404)
    audit(s, actor(), "change", "pins", person, ["hotel", "room"], detail={"removed": True})
    s.commit()
    flash(_("Pin of %(person)s removed: the next plan may move them.", person=person), "success")
    return redirect(url_for("accommodation.pins"))
