"""Workbook sheets of the federation's work areas (optional sheets, same rules as FORMAT.md).

Every sheet keeps *records*, one row per thing that happened or exists (a
visit, a payment, a placement, a petition, a home...), never a typed-in
total: every figure of the half-year report is a count or a sum over these
rows in the report's period (see docs/WORKAREAS.md). Each sheet has an ``id``
column so a figure can name the records behind it.
"""

from __future__ import annotations

from planner.workbook.schema import Column, FileSpec


def _c(name: str, kind: str = "str", required: bool = False, doc: str = "", **kw: float) -> Column:
    return Column(name, kind, required, doc=doc, **kw)  # type: ignore[arg-type]


def _id() -> Column:
    return _c("id", "id", True, "the record's own id, unique within the sheet")


def _money(name: str, required: bool = False, doc: str = "") -> Column:
    return _c(name, "money", required, doc, minimum=0)


def _count(name: str, required: bool = False, doc: str = "", minimum: float = 0) -> Column:
    return _c(name, "int", required, doc, minimum=minimum, maximum=10_000_000)


def _enum(name: str, values: tuple[str, ...], required: bool = False, doc: str = "") -> Column:
    return _c(name, "enum:" + "|".join(values), required, doc)


# ------------------------------------------------------------ code lists

OUTREACH_OCCASIONS = ("spring_festival", "help_disabled_day", "traditional_festival", "other")
RECIPIENT_KINDS = ("household", "child", "unit")
AWARENESS_KINDS = ("help_disabled_day", "help_week", "commendation", "games", "performance", "exhibition", "other")
FUNCTIONAL_AREAS = (
    "hotel_reception",
    "community_reception",
    "competition",
    "volunteers",
    "food_safety",
    "traffic",
    "medical",
    "security",
)
PLAN_STATUSES = ("draft", "formed", "approved")
TASK_STATUSES = ("todo", "in_progress", "done")
GAMES_EVENT_KINDS = ("training", "publicity", "countdown", "exhibition", "rally", "other")
MILESTONE_KINDS = ("committee_operational", "mobilisation_rally", "venue", "other")
PLACEMENT_KINDS = ("scattered", "welfare_enterprise", "self_employed", "other")
SUPPORT_GROUPS = ("urban", "rural")
PUBLICATION_KINDS = ("brochure", "bulletin", "book", "other")
REHAB_KINDS = (
    "child_rehab_card",
    "assistive_device",
    "cataract_surgery",
    "hearing_aid",
    "foster_care",
    "cochlear_implant",
    "prosthesis",
)
PETITION_CHANNELS = ("letter", "visit", "phone")
CARER_HOUSEHOLD_KINDS = ("elderly_carer", "single_severe")

# ------------------------------------------------------------------ sheets

FEDERATION = FileSpec(
    "federation",
    (
        _id(),
        _c("name", "str", True, "the federation, e.g. Jiangwan District Disabled Persons' Federation"),
        _c("name_zh", "str", False, "e.g. 江灣區殘疾人聯合會"),
        _c("district", "str", True, "the district in English, e.g. Jiangwan District"),
        _c("district_zh", "str", False, "e.g. 江灣區"),
        _c("city", "str", False, "e.g. Shanghai"),
        _c("city_zh", "str", False, "e.g. 上海"),
    ),
    single_row=True,
    doc="Who writes the report: the names that fill the report's place names.",
)

OUTREACH_VISITS = FileSpec(
    "outreach_visits",
    (
        _id(),
        _c("date", "date", True),
        _c("leader", "str", True, "who led the visit (name and office)"),
        _enum("occasion", OUTREACH_OCCASIONS, False, "default other"),
        _enum(
            "recipient_kind", RECIPIENT_KINDS, True, "a poor disabled person's household, a disabled child, or a unit"
        ),
        _c("recipient", "str", True, "household head, child or unit visited"),
        _c("street", "str", False, "town or sub-district"),
        _money("amount_cny", False, "condolence fund handed over, CNY; empty = none"),
    ),
    doc="One row per household, child or unit visited (and the condolence fund given).",
)

AWARENESS_EVENTS = FileSpec(
    "awareness_events",
    (
        _id(),
        _c("date", "date", True),
        _enum("kind", AWARENESS_KINDS, True),
        _c("name_zh", "str", True),
        _c("name", "str", False, "English name"),
        _count(
            "edition",
            False,
            "the n-th time it is held (e.g. 17 for the 17th National Help-the-Disabled Day)",
            minimum=1,
        ),
        _c("theme_zh", "str"),
        _c("theme", "str"),
        _count("participants"),
    ),
    doc="One row per awareness event: Help-the-Disabled Day and week, commendations, games, performances, exhibitions.",
)

GAMES_WORK_PLANS = FileSpec(
    "games_work_plans",
    (
        _id(),
        _enum("area", FUNCTIONAL_AREAS, True, "functional area of the host committee"),
        _c("title_zh", "str", True),
        _c("title", "str"),
        _c("owner", "str", True, "office or person responsible"),
        _c("drafted_on", "date", True),
        _enum("status", PLAN_STATUSES, True, "draft, formed (basically formed, being refined) or approved"),
        _c("revised_on", "date", False, "latest revision"),
    ),
    doc="One row per functional-area work plan of the Games.",
)

GAMES_TASKS = FileSpec(
    "games_tasks",
    (
        _id(),
        _c("plan", "ref:games_work_plans", True),
        _c("task_zh", "str", True),
        _c("task", "str"),
        _c("owner", "str", True),
        _c("due_date", "date", True),
        _enum("status", TASK_STATUSES, True),
        _c("done_on", "date", False, "required when status is done"),
    ),
    doc="One row per task of a work plan.",
)

GAMES_EVENTS = FileSpec(
    "games_events",
    (
        _id(),
        _c("date", "date", True),
        _enum("kind", GAMES_EVENT_KINDS, True, "training, publicity, countdown, exhibition, rally"),
        _c("name_zh", "str", True),
        _c("name", "str"),
        _c("place", "str"),
        _count("participants"),
    ),
    doc="One row per Games training or publicity event (countdown days, exhibitions, touring shows).",
)

GAMES_MILESTONES = FileSpec(
    "games_milestones",
    (
        _id(),
        _enum(
            "kind",
            MILESTONE_KINDS,
            True,
            "committee_operational: the executive committee runs as a body; mobilisation_rally: rally prepared",
        ),
        _c("name_zh", "str", True),
        _c("name", "str"),
        _c("due_date", "date", True),
        _c("done_on", "date", False, "empty = not reached yet"),
    ),
    doc="One row per milestone of the host committee.",
)

JOB_PLACEMENTS = FileSpec(
    "job_placements",
    (
        _id(),
        _c("date", "date", True),
        _c("person", "str", True, "the disabled person placed"),
        _c("employer", "str", True),
        _enum("kind", PLACEMENT_KINDS, False, "default scattered (分散安排就業)"),
    ),
    doc="One row per disabled person placed in a job on the federation's recommendation.",
)

LEVY_PAYMENTS = FileSpec(
    "levy_payments",
    (
        _id(),
        _c("date", "date", True),
        _c("unit", "str", True, "employer (name or registration number)"),
        _money("amount_cny", True),
    ),
    doc="One row per employment-security levy payment collected (全徵差退).",
)

LEVY_CHASES = FileSpec(
    "levy_chases",
    (
        _id(),
        _c("date", "date", True),
        _c("unit", "str", True),
        _money("amount_due_cny", False, "levy demanded"),
        _money("amount_recovered_cny", False, "levy recovered by the chase; empty = nothing yet"),
        _c(
            "with_supervision_office",
            "bool",
            False,
            "chased together with the district government's supervision office",
        ),
    ),
    doc="One row per employer chased for unpaid levy.",
)

SOCIAL_SECURITY = FileSpec(
    "social_security",
    (
        _id(),
        _c("person", "str", True, "severely disabled person without work"),
        _enum("group", SUPPORT_GROUPS, False),
        _c("approved_on", "date", True),
        _c("ended_on", "date", False, "last day of support; empty = still supported"),
        _money("monthly_amount_cny", True, "support paid per month"),
    ),
    doc="One row per person approved for social-security support.",
)

CHARITY_MEDICAL_CARDS = FileSpec(
    "charity_medical_cards",
    (
        _id(),
        _c("issued_on", "date", True),
        _c("holder", "str", True),
        _money("amount_cny", True, "value loaded on the card"),
    ),
    doc="One row per Charity Medical Card issued.",
)

MEDICAL_INSURANCE = FileSpec(
    "medical_insurance",
    (
        _id(),
        _c("enrolled_on", "date", True),
        _c("person", "str", True, "urban severely disabled person without work"),
    ),
    doc="One row per person enrolled in basic medical insurance.",
)

TRAINING_COURSES = FileSpec(
    "training_courses",
    (
        _id(),
        _c("name_zh", "str", True),
        _c("name", "str"),
        _c("start_date", "date", True),
        _c("end_date", "date"),
        _c("organiser", "str"),
    ),
    doc="One row per run (期) of a vocational training course.",
)

TRAINING_PARTICIPANTS = FileSpec(
    "training_participants",
    (
        _id(),
        _c("course", "ref:training_courses", True),
        _c("person", "str", True),
        _c("certified", "bool", False, "obtained the qualification certificate"),
    ),
    doc="One row per disabled person on a course run.",
)

SUNSHINE_HOMES = FileSpec(
    "sunshine_homes",
    (
        _id(),
        _c("name_zh", "str", True),
        _c("name", "str"),
        _c("street", "str", False, "town or sub-district"),
        _c("opened_on", "date"),
        _c("closed_on", "date"),
    ),
    doc="One row per Sunshine Home (陽光之家) day centre.",
)

SUNSHINE_TRAINEES = FileSpec(
    "sunshine_trainees",
    (
        _id(),
        _c("home", "ref:sunshine_homes", True),
        _c("person", "str", True),
        _c("enrolled_on", "date"),
        _c("left_on", "date"),
    ),
    doc="One row per trainee enrolled at a Sunshine Home.",
)

SUNSHINE_WORKSHOP_JOBS = FileSpec(
    "sunshine_workshop_jobs",
    (
        _id(),
        _c("workshop_zh", "str", True, "the Sunshine Workshop (陽光工場), e.g. 江灣鎮陽光工場"),
        _c("workshop", "str", False, "its English name"),
        _c("person", "str", True, "person with an intellectual disability employed"),
        _c("home", "ref:sunshine_homes", False, "the Sunshine Home the person comes from"),
        _c("started_on", "date", True),
        _c("ended_on", "date"),
    ),
    doc="One row per person employed at a Sunshine Workshop.",
)

SUNSHINE_PUBLICATIONS = FileSpec(
    "sunshine_publications",
    (
        _id(),
        _c("date", "date", True),
        _enum("kind", PUBLICATION_KINDS, True),
        _c("title_zh", "str", True),
        _c("title", "str"),
        _count("copies", False, "copies printed"),
    ),
    doc="One row per print run (brochure, bulletin issue, book).",
)

SKILLS_COMPETITION_ENTRIES = FileSpec(
    "skills_competition_entries",
    (
        _id(),
        _c("date", "date", True),
        _c("competition_zh", "str", True, "e.g. 第三屆區殘疾人職業技能競賽"),
        _c("competition", "str"),
        _c("event_zh", "str", True, "the competition event (項目), e.g. 電腦中文輸入"),
        _c("event", "str"),
        _c("person", "str", True),
        _c("home", "ref:sunshine_homes", False, "set when the entrant is a Sunshine Home trainee"),
    ),
    doc="One row per entrant per event of a vocational skills competition.",
)

CHARITY_SALES = FileSpec(
    "charity_sales",
    (
        _id(),
        _c("date", "date", True),
        _c("sale_zh", "str", True, "the sale or exhibition"),
        _c("home", "ref:sunshine_homes", False),
        _c("kind_zh", "str", True, "kind of work (e.g. 十字繡, 串珠)"),
        _c("kind", "str"),
        _count("items", True, "pieces of that kind sold", minimum=1),
        _money("proceeds_cny"),
    ),
    doc="One row per kind of work sold at a charity sale of trainees' works.",
)

REHAB_SERVICES = FileSpec(
    "rehab_services",
    (
        _id(),
        _c("date", "date", True, "approval or delivery date"),
        _enum("kind", REHAB_KINDS, True),
        _c("person", "str", True),
        _money("amount_cny", False, "subsidy"),
    ),
    doc="One row per rehabilitation service or subsidy granted to one person.",
)

HEALTH_CHECKS = FileSpec(
    "health_checks",
    (
        _id(),
        _c("date", "date", True),
        _c("batch", "str", True, "the group (批) that went together"),
        _c("person", "str", True),
    ),
    doc="One row per person given a health check.",
)

DISABLED_VEHICLES = FileSpec(
    "disabled_vehicles",
    (
        _id(),
        _c("owner", "str", True),
        _c("plate", "str"),
        _c("registered_on", "date"),
        _c("deregistered_on", "date"),
    ),
    doc="One row per registered motorised vehicle for disabled people (殘疾人專用車).",
)

VEHICLE_INSPECTIONS = FileSpec(
    "vehicle_inspections",
    (
        _id(),
        _c("vehicle", "ref:disabled_vehicles", True),
        _c("date", "date", True),
        _c("passed", "bool", False, "default yes"),
    ),
    doc="One row per annual inspection of a disabled person's vehicle.",
)

PETITIONS = FileSpec(
    "petitions",
    (
        _id(),
        _c("date", "date", True, "received on"),
        _enum("channel", PETITION_CHANNELS, True, "letter, visit (one batch of visitors) or phone enquiry"),
        _count("people", False, "people in the visit batch or on the call; default 1", minimum=1),
        _c("petitioner", "str"),
        _c("subject", "str"),
        _c("resolved_on", "date", False, "empty = still open"),
        _c("escalated", "bool", False, "the petitioner went above the district (越級上訪)"),
        _c("collective", "bool", False, "a collective petition (集訪)"),
    ),
    doc="One row per letter, visit batch or phone enquiry received.",
)

CARER_SUPPORT = FileSpec(
    "carer_support",
    (
        _id(),
        _c("volunteer", "str", True),
        _c("household", "str", True),
        _enum(
            "household_kind",
            CARER_HOUSEHOLD_KINDS,
            True,
            "elderly parents caring for a disabled child (老養殘), or a severely disabled person living alone",
        ),
        _c("started_on", "date", True),
        _c("ended_on", "date"),
    ),
    doc="One row per volunteer serving one household.",
)

# Order: referenced sheets first.
WORKAREA_FILES: tuple[FileSpec, ...] = (
    FEDERATION,
    OUTREACH_VISITS,
    AWARENESS_EVENTS,
    GAMES_WORK_PLANS,
    GAMES_TASKS,
    GAMES_EVENTS,
    GAMES_MILESTONES,
    JOB_PLACEMENTS,
    LEVY_PAYMENTS,
    LEVY_CHASES,
    SOCIAL_SECURITY,
    CHARITY_MEDICAL_CARDS,
    MEDICAL_INSURANCE,
    TRAINING_COURSES,
    TRAINING_PARTICIPANTS,
    SUNSHINE_HOMES,
    SUNSHINE_TRAINEES,
    SUNSHINE_WORKSHOP_JOBS,
    SUNSHINE_PUBLICATIONS,
    SKILLS_COMPETITION_ENTRIES,
    CHARITY_SALES,
    REHAB_SERVICES,
    HEALTH_CHECKS,
    DISABLED_VEHICLES,
    VEHICLE_INSPECTIONS,
    PETITIONS,
    CARER_SUPPORT,
)

WORKAREA_SPECS: dict[str, FileSpec] = {f.name: f for f in WORKAREA_FILES}

# Work area of each sheet (for pages and the documentation).
AREA_OF_SHEET: dict[str, str] = {
    "federation": "federation",
    "outreach_visits": "social_environment",
    "awareness_events": "social_environment",
    "games_work_plans": "games",
    "games_tasks": "games",
    "games_events": "games",
    "games_milestones": "games",
    "job_placements": "employment",
    "levy_payments": "employment",
    "levy_chases": "employment",
    "social_security": "employment",
    "charity_medical_cards": "employment",
    "medical_insurance": "employment",
    "training_courses": "employment",
    "training_participants": "employment",
    "sunshine_homes": "sunshine_homes",
    "sunshine_trainees": "sunshine_homes",
    "sunshine_workshop_jobs": "sunshine_homes",
    "sunshine_publications": "sunshine_homes",
    "skills_competition_entries": "sunshine_homes",
    "charity_sales": "sunshine_homes",
    "rehab_services": "rehab",
    "health_checks": "rehab",
    "disabled_vehicles": "rehab",
    "vehicle_inspections": "rehab",
    "petitions": "stability",
    "carer_support": "stability",
}
