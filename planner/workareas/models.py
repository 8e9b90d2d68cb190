"""Database tables of the work areas, one per sheet of ``schema.WORKAREA_FILES``.

Attributes are named exactly like the sheet's columns, so the generic
importer and exporter (``planner.services.workbook``) map rows both ways
without a table of names; money is ``Numeric``, references are foreign keys
to the referenced sheet's ``id``, and every table has the ``version_id``
optimistic-lock column of ``planner.models``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field

from planner.models import WorkbookTable, _version_column

_v = _version_column()


class Federation(WorkbookTable, table=True):
    """Who writes the report: the names that fill the report's place names."""

    __workbook__ = "federation"
    __tablename__ = "federation"
    id: str = Field(unique=True, max_length=64)
    name: str
    name_zh: str | None = None
    district: str
    district_zh: str | None = None
    city: str | None = None
    city_zh: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class OutreachVisit(WorkbookTable, table=True):
    """One row per household, child or unit visited (and the condolence fund given)."""

    __workbook__ = "outreach_visits"
    __tablename__ = "outreach_visits"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    leader: str
    occasion: str | None = None
    recipient_kind: str
    recipient: str
    street: str | None = None
    amount_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class AwarenessEvent(WorkbookTable, table=True):
    """One row per awareness event: Help-the-Disabled Day and week, commendations, games, performances, exhibitions."""

    __workbook__ = "awareness_events"
    __tablename__ = "awareness_events"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    kind: str
    name_zh: str
    name: str | None = None
    edition: int | None = None
    theme_zh: str | None = None
    theme: str | None = None
    participants: int | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class GamesWorkPlan(WorkbookTable, table=True):
    """One row per functional-area work plan of the Games."""

    __workbook__ = "games_work_plans"
    __tablename__ = "games_work_plans"
    id: str = Field(unique=True, max_length=64)
    area: str
    title_zh: str
    title: str | None = None
    owner: str
    drafted_on: dt.date = Field(index=True)
    status: str
    revised_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class GamesTask(WorkbookTable, table=True):
    """One row per task of a work plan."""

    __workbook__ = "games_tasks"
    __tablename__ = "games_tasks"
    id: str = Field(unique=True, max_length=64)
    plan: str = Field(foreign_key="games_work_plans.id", index=True, max_length=64)
    task_zh: str
    task: str | None = None
    owner: str
    due_date: dt.date
    status: str
    done_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class GamesEvent(WorkbookTable, table=True):
    """One row per Games training or publicity event (countdown days, exhibitions, touring shows)."""

    __workbook__ = "games_events"
    __tablename__ = "games_events"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    kind: str
    name_zh: str
    name: str | None = None
    place: str | None = None
    participants: int | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class GamesMilestone(WorkbookTable, table=True):
    """One row per milestone of the host committee."""

    __workbook__ = "games_milestones"
    __tablename__ = "games_milestones"
    id: str = Field(unique=True, max_length=64)
    kind: str
    name_zh: str
    name: str | None = None
    due_date: dt.date
    done_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class JobPlacement(WorkbookTable, table=True):
    """One row per disabled person placed in a job on the federation's recommendation."""

    __workbook__ = "job_placements"
    __tablename__ = "job_placements"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    person: str
    employer: str
    kind: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class LevyPayment(WorkbookTable, table=True):
    """One row per employment-security levy payment collected (全徵差退)."""

    __workbook__ = "levy_payments"
    __tablename__ = "levy_payments"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    unit: str
    amount_cny: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class LevyChase(WorkbookTable, table=True):
    """One row per employer chased for unpaid levy."""

    __workbook__ = "levy_chases"
    __tablename__ = "levy_chases"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    unit: str
    amount_due_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    amount_recovered_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    with_supervision_office: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SocialSecuritySupport(WorkbookTable, table=True):
    """One row per person approved for social-security support."""

    __workbook__ = "social_security"
    __tablename__ = "social_security"
    id: str = Field(unique=True, max_length=64)
    person: str
    group: str | None = None
    approved_on: dt.date = Field(index=True)
    ended_on: dt.date | None = None
    monthly_amount_cny: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class CharityMedicalCard(WorkbookTable, table=True):
    """One row per Charity Medical Card issued."""

    __workbook__ = "charity_medical_cards"
    __tablename__ = "charity_medical_cards"
    id: str = Field(unique=True, max_length=64)
    issued_on: dt.date = Field(index=True)
    holder: str
    amount_cny: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class MedicalInsuranceEnrolment(WorkbookTable, table=True):
    """One row per person enrolled in basic medical insurance."""

    __workbook__ = "medical_insurance"
    __tablename__ = "medical_insurance"
    id: str = Field(unique=True, max_length=64)
    enrolled_on: dt.date = Field(index=True)
    person: str
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class TrainingCourse(WorkbookTable, table=True):
    """One row per run (期) of a vocational training course."""

    __workbook__ = "training_courses"
    __tablename__ = "training_courses"
    id: str = Field(unique=True, max_length=64)
    name_zh: str
    name: str | None = None
    start_date: dt.date
    end_date: dt.date | None = None
    organiser: str | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class TrainingParticipant(WorkbookTable, table=True):
    """One row per disabled person on a course run."""

    __workbook__ = "training_participants"
    __tablename__ = "training_participants"
    id: str = Field(unique=True, max_length=64)
    course: str = Field(foreign_key="training_courses.id", index=True, max_length=64)
    person: str
    certified: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SunshineHome(WorkbookTable, table=True):
    """One row per Sunshine Home (陽光之家) day centre."""

    __workbook__ = "sunshine_homes"
    __tablename__ = "sunshine_homes"
    id: str = Field(unique=True, max_length=64)
    name_zh: str
    name: str | None = None
    street: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SunshineTrainee(WorkbookTable, table=True):
    """One row per trainee enrolled at a Sunshine Home."""

    __workbook__ = "sunshine_trainees"
    __tablename__ = "sunshine_trainees"
    id: str = Field(unique=True, max_length=64)
    home: str = Field(foreign_key="sunshine_homes.id", index=True, max_length=64)
    person: str
    enrolled_on: dt.date | None = None
    left_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SunshineWorkshopJob(WorkbookTable, table=True):
    """One row per person employed at a Sunshine Workshop."""

    __workbook__ = "sunshine_workshop_jobs"
    __tablename__ = "sunshine_workshop_jobs"
    id: str = Field(unique=True, max_length=64)
    workshop_zh: str
    workshop: str | None = None
    person: str
    home: str | None = Field(default=None, foreign_key="sunshine_homes.id", index=True, max_length=64)
    started_on: dt.date = Field(index=True)
    ended_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SunshinePublication(WorkbookTable, table=True):
    """One row per print run (brochure, bulletin issue, book)."""

    __workbook__ = "sunshine_publications"
    __tablename__ = "sunshine_publications"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    kind: str
    title_zh: str
    title: str | None = None
    copies: int | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class SkillsCompetitionEntry(WorkbookTable, table=True):
    """One row per entrant per event of a vocational skills competition."""

    __workbook__ = "skills_competition_entries"
    __tablename__ = "skills_competition_entries"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    competition_zh: str
    competition: str | None = None
    event_zh: str
    event: str | None = None
    person: str
    home: str | None = Field(default=None, foreign_key="sunshine_homes.id", index=True, max_length=64)
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class CharitySale(WorkbookTable, table=True):
    """One row per kind of work sold at a charity sale of trainees' works."""

    __workbook__ = "charity_sales"
    __tablename__ = "charity_sales"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    sale_zh: str
    home: str | None = Field(default=None, foreign_key="sunshine_homes.id", index=True, max_length=64)
    kind_zh: str
    kind: str | None = None
    items: int
    proceeds_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class RehabService(WorkbookTable, table=True):
    """One row per rehabilitation service or subsidy granted to one person."""

    __workbook__ = "rehab_services"
    __tablename__ = "rehab_services"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    kind: str
    person: str
    amount_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class HealthCheck(WorkbookTable, table=True):
    """One row per person given a health check."""

    __workbook__ = "health_checks"
    __tablename__ = "health_checks"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    batch: str
    person: str
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class DisabledVehicle(WorkbookTable, table=True):
    """One row per registered motorised vehicle for disabled people (殘疾人專用車)."""

    __workbook__ = "disabled_vehicles"
    __tablename__ = "disabled_vehicles"
    id: str = Field(unique=True, max_length=64)
    owner: str
    plate: str | None = None
    registered_on: dt.date | None = None
    deregistered_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class VehicleInspection(WorkbookTable, table=True):
    """One row per annual inspection of a disabled person's vehicle."""

    __workbook__ = "vehicle_inspections"
    __tablename__ = "vehicle_inspections"
    id: str = Field(unique=True, max_length=64)
    vehicle: str = Field(foreign_key="disabled_vehicles.id", index=True, max_length=64)
    date: dt.date = Field(index=True)
    passed: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class Petition(WorkbookTable, table=True):
    """One row per letter, visit batch or phone enquiry received."""

    __workbook__ = "petitions"
    __tablename__ = "petitions"
    id: str = Field(unique=True, max_length=64)
    date: dt.date = Field(index=True)
    channel: str
    people: int | None = None
    petitioner: str | None = None
    subject: str | None = None
    resolved_on: dt.date | None = None
    escalated: bool | None = None
    collective: bool | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


_v = _version_column()


class CarerSupport(WorkbookTable, table=True):
    """One row per volunteer serving one household."""

    __workbook__ = "carer_support"
    __tablename__ = "carer_support"
    id: str = Field(unique=True, max_length=64)
    volunteer: str
    household: str
    household_kind: str
    started_on: dt.date = Field(index=True)
    ended_on: dt.date | None = None
    version_id: int = Field(default=1, sa_column=_v)
    __mapper_args__ = {"version_id_col": _v}


del _v

WORKAREA_TABLES: dict[str, type[WorkbookTable]] = {
    cls.__workbook__: cls
    for cls in (
        Federation,
        OutreachVisit,
        AwarenessEvent,
        GamesWorkPlan,
        GamesTask,
        GamesEvent,
        GamesMilestone,
        JobPlacement,
        LevyPayment,
        LevyChase,
        SocialSecuritySupport,
        CharityMedicalCard,
        MedicalInsuranceEnrolment,
        TrainingCourse,
        TrainingParticipant,
        SunshineHome,
        SunshineTrainee,
        SunshineWorkshopJob,
        SunshinePublication,
        SkillsCompetitionEntry,
        CharitySale,
        RehabService,
        HealthCheck,
        DisabledVehicle,
        VehicleInspection,
        Petition,
        CarerSupport,
    )
}
