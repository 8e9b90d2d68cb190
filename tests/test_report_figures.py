"""Each figure of the half-year report, computed from tiny record sets written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from planner.dataset import Dataset
from planner.report.figures import Period, RecordRef, compute_figures, latest_half_year, support_months
from planner.workareas.schema import WORKAREA_SPECS
from planner.workbook.io import Workbook

H1 = Period(date(2007, 1, 1), date(2007, 6, 30))


def row(sheet: str, **values: Any) -> dict[str, Any]:
    """A typed row of ``sheet``: every column present, ISO strings turned into dates."""
    spec = WORKAREA_SPECS[sheet]
    assert set(values) <= set(spec.by_name), set(values) - set(spec.by_name)
    out: dict[str, Any] = {c.name: None for c in spec.columns}
    for name, value in values.items():
        if spec.by_name[name].kind == "date" and isinstance(value, str):
            value = date.fromisoformat(value)
        if spec.by_name[name].kind == "money" and value is not None:
            value = Decimal(str(value))
        out[name] = value
    return out


def figures(
    records: dict[str, list[dict[str, Any]]], data: Dataset | None = None, period: Period = H1
) -> dict[str, Any]:
    return compute_figures(records, data, period)


def ids(fig: Any) -> set[str]:
    return {r.id for r in fig.records}


def test_outreach_counts_visits_in_the_period_and_sums_funds() -> None:
    recs = {
        "outreach_visits": [
            row(
                "outreach_visits",
                id="A",
                date="2007-02-10",
                leader="L",
                recipient_kind="household",
                recipient="x",
                amount_cny=500,
            ),
            row(
                "outreach_visits",
                id="B",
                date="2007-05-20",
                leader="L",
                recipient_kind="unit",
                recipient="y",
                amount_cny="3000.50",
                occasion="help_disabled_day",
            ),
            row(
                "outreach_visits",
                id="C",
                date="2007-07-01",
                leader="L",
                recipient_kind="child",
                recipient="z",
                amount_cny=800,
            ),
            row("outreach_visits", id="D", date="2007-03-01", leader="L", recipient_kind="child", recipient="w"),
        ]
    }
    f = figures(recs)
    assert f["outreach.visits"].value == 3 and ids(f["outreach.visits"]) == {"A", "B", "D"}
    assert f["outreach.amount_cny"].value == Decimal("3500.50") and ids(f["outreach.amount_cny"]) == {"A", "B"}
    assert f["outreach.help_day_visits"].value == 1


def test_awareness_editions_theme_and_activities() -> None:
    recs = {
        "awareness_events": [
            row(
                "awareness_events",
                id="D",
                date="2007-05-20",
                kind="help_disabled_day",
                name_zh="助殘日",
                edition=17,
                theme_zh="主題",
            ),
            row("awareness_events", id="W", date="2007-05-14", kind="help_week", name_zh="助殘週", edition=8),
            row("awareness_events", id="G", date="2007-05-18", kind="games", name_zh="運動會", name="Games"),
            row("awareness_events", id="E", date="2007-05-21", kind="exhibition", name_zh="展覽", name="Show"),
        ]
    }
    f = figures(recs)
    assert f["awareness.help_day_edition"].value == 17 and ids(f["awareness.help_day_edition"]) == {"D"}
    assert f["awareness.help_week_edition"].value == 8
    assert f["awareness.theme"].value == "主題"
    assert f["awareness.activities"].value == "運動會、展覽" and ids(f["awareness.activities"]) == {"G", "E"}
    assert f["awareness.activity_count"].value == 2


def test_levy_counts_distinct_units_and_sums_amounts() -> None:
    recs = {
        "levy_payments": [
            row("levy_payments", id="P1", date="2007-03-01", unit="U1", amount_cny=100),
            row("levy_payments", id="P2", date="2007-04-01", unit="U1", amount_cny=50),
            row("levy_payments", id="P3", date="2007-04-01", unit="U2", amount_cny=25),
        ],
        "levy_chases": [
            row("levy_chases", id="C1", date="2007-05-01", unit="U3", amount_due_cny=100, amount_recovered_cny=100),
            row("levy_chases", id="C2", date="2007-05-02", unit="U4", amount_due_cny=100),
        ],
    }
    f = figures(recs)
    assert f["levy.units_paid"].value == 2 and f["levy.amount_cny"].value == Decimal(175)
    assert f["levy.units_chased"].value == 2
    assert f["levy.recovered_cny"].value == Decimal(100) and ids(f["levy.recovered_cny"]) == {"C1"}


def test_social_security_approved_enrolled_and_paid_by_month() -> None:
    recs = {
        "social_security": [
            # before the period, still supported: 6 months x 300
            row("social_security", id="OLD", person="a", approved_on="2005-01-01", monthly_amount_cny=300),
            # approved on 15 March: March..June = 4 months x 200
            row("social_security", id="NEW", person="b", approved_on="2007-03-15", monthly_amount_cny=200),
            # ended 10 February: January and February x 100
            row(
                "social_security",
                id="END",
                person="c",
                approved_on="2004-01-01",
                ended_on="2007-02-10",
                monthly_amount_cny=100,
            ),
        ]
    }
    f = figures(recs)
    assert f["social_security.approved"].value == 1 and ids(f["social_security.approved"]) == {"NEW"}
    assert f["social_security.enrolled"].value == 2 and ids(f["social_security.enrolled"]) == {"OLD", "NEW"}
    assert f["social_security.paid_cny"].value == Decimal(6 * 300 + 4 * 200 + 2 * 100)


def test_support_months_counts_months_with_any_day_in_force() -> None:
    assert support_months(date(2007, 6, 30), None, H1) == 1
    assert support_months(date(2007, 7, 1), None, H1) == 0
    assert support_months(date(2006, 1, 1), date(2006, 12, 31), H1) == 0
    assert support_months(date(2006, 1, 1), date(2007, 1, 1), H1) == 1


def test_cards_insurance_and_training() -> None:
    recs = {
        "charity_medical_cards": [
            row("charity_medical_cards", id="M1", issued_on="2007-02-01", holder="a", amount_cny=500),
            row("charity_medical_cards", id="M2", issued_on="2007-02-02", holder="b", amount_cny=800),
        ],
        "medical_insurance": [
            row("medical_insurance", id="I1", enrolled_on="2007-06-03", person="a"),
            row("medical_insurance", id="I2", enrolled_on="2007-06-20", person="b"),
        ],
        "training_courses": [
            row("training_courses", id="T1", name_zh="中式烹調師", start_date="2007-03-01"),
            row("training_courses", id="T2", name_zh="電腦初級操作員", start_date="2006-12-01"),
        ],
        "training_participants": [
            row("training_participants", id="P1", course="T1", person="a", certified=True),
            row("training_participants", id="P2", course="T1", person="b", certified=False),
            row("training_participants", id="P3", course="T2", person="c", certified=True),
        ],
    }
    f = figures(recs)
    assert (f["charity_cards.issued"].value, f["charity_cards.amount_cny"].value) == (2, Decimal(1300))
    assert f["medical_insurance.enrolled"].value == 2 and f["medical_insurance.month"].value == "2007-06"
    assert f["training.courses"].value == 1 and f["training.course_names"].value == "中式烹調師"
    assert f["training.participants"].value == 2 and f["training.certified"].value == 1
    assert ids(f["training.certified"]) == {"P1"}


def test_insurance_month_is_empty_when_enrolments_span_months() -> None:
    recs = {
        "medical_insurance": [
            row("medical_insurance", id="I1", enrolled_on="2007-05-03", person="a"),
            row("medical_insurance", id="I2", enrolled_on="2007-06-20", person="b"),
        ]
    }
    assert figures(recs)["medical_insurance.month"].value is None


def test_sunshine_homes_trainees_workshop_and_publications() -> None:
    recs = {
        "sunshine_homes": [
            row("sunshine_homes", id="H1", name_zh="甲", opened_on="2005-01-01"),
            row("sunshine_homes", id="H2", name_zh="乙", opened_on="2005-01-01", closed_on="2007-03-01"),
            row("sunshine_homes", id="H3", name_zh="丙", opened_on="2007-08-01"),
        ],
        "sunshine_trainees": [
            row("sunshine_trainees", id="S1", home="H1", person="a"),
            row("sunshine_trainees", id="S2", home="H1", person="b", left_on="2007-05-01"),
        ],
        "sunshine_workshop_jobs": [
            row("sunshine_workshop_jobs", id="J1", workshop_zh="江灣鎮陽光工場", person="a", started_on="2006-01-01"),
            row(
                "sunshine_workshop_jobs",
                id="J2",
                workshop_zh="江灣鎮陽光工場",
                person="b",
                started_on="2006-01-01",
                ended_on="2007-01-31",
            ),
        ],
        "sunshine_publications": [
            row("sunshine_publications", id="B1", date="2007-03-01", kind="brochure", title_zh="宣傳冊", copies=3000),
            row("sunshine_publications", id="B2", date="2007-05-01", kind="brochure", title_zh="宣傳冊", copies=2000),
            row("sunshine_publications", id="Q1", date="2007-04-01", kind="bulletin", title_zh="季刊", copies=100),
        ],
    }
    f = figures(recs)
    assert f["sunshine.homes"].value == 1 and ids(f["sunshine.homes"]) == {"H1"}
    assert f["sunshine.trainees"].value == 1
    assert f["sunshine.workshop_jobs"].value == 1 and f["sunshine.workshops"].value == "江灣鎮陽光工場"
    assert f["sunshine.brochure_copies"].value == 5000 and f["sunshine.brochure_titles"].value == "宣傳冊"
    assert f["sunshine.bulletins"].value == "季刊"
    assert f["sunshine.books"].value is None and not f["sunshine.books"].has_records


def test_skills_competition_and_charity_sales() -> None:
    entry = "skills_competition_entries"
    recs = {
        "sunshine_homes": [row("sunshine_homes", id="H1", name_zh="甲")],
        entry: [
            row(
                entry,
                id="E1",
                date="2007-04-25",
                competition_zh="第三屆",
                event_zh="電腦中文輸入",
                person="a",
                home="H1",
            ),
            row(entry, id="E2", date="2007-04-25", competition_zh="第三屆", event_zh="插花", person="a", home="H1"),
            row(entry, id="E3", date="2007-04-25", competition_zh="第三屆", event_zh="插花", person="b"),
        ],
        "charity_sales": [
            row("charity_sales", id="S1", date="2007-03-01", sale_zh="一", kind_zh="串珠", items=10),
            row("charity_sales", id="S2", date="2007-03-01", sale_zh="一", kind_zh="剪紙", items=5),
            row("charity_sales", id="S3", date="2007-04-01", sale_zh="二", kind_zh="串珠", items=7),
        ],
    }
    f = figures(recs)
    assert (f["skills.entrants"].value, f["skills.events"].value, f["skills.sunshine_entrants"].value) == (2, 2, 1)
    assert f["skills.competitions"].value == "第三屆"
    assert (f["sales.events"].value, f["sales.kinds"].value, f["sales.items"].value) == (2, 2, 22)


@pytest.mark.parametrize(
    "kind",
    [
        "child_rehab_card",
        "assistive_device",
        "cataract_surgery",
        "hearing_aid",
        "foster_care",
        "cochlear_implant",
        "prosthesis",
    ],
)
def test_each_rehab_kind_counts_only_its_own_records(kind: str) -> None:
    recs = {
        "rehab_services": [
            row("rehab_services", id="R1", date="2007-02-01", kind=kind, person="a"),
            row("rehab_services", id="R2", date="2007-03-01", kind=kind, person="b"),
            row(
                "rehab_services",
                id="R3",
                date="2007-03-01",
                kind="prosthesis" if kind != "prosthesis" else "hearing_aid",
                person="c",
            ),
            row("rehab_services", id="R4", date="2006-12-31", kind=kind, person="d"),
        ]
    }
    f = figures(recs)
    assert f[f"rehab.{kind}"].value == 2 and ids(f[f"rehab.{kind}"]) == {"R1", "R2"}


def test_health_checks_and_vehicle_inspection_rate() -> None:
    recs = {
        "health_checks": [
            row("health_checks", id="C1", date="2007-03-01", batch="1", person="a"),
            row("health_checks", id="C2", date="2007-03-01", batch="1", person="b"),
            row("health_checks", id="C3", date="2007-04-01", batch="2", person="c"),
        ],
        "disabled_vehicles": [
            row("disabled_vehicles", id="V1", owner="a"),
            row("disabled_vehicles", id="V2", owner="b"),
            row("disabled_vehicles", id="V3", owner="c", deregistered_on="2006-05-01"),
            row("disabled_vehicles", id="V4", owner="d"),
        ],
        "vehicle_inspections": [
            row("vehicle_inspections", id="I1", vehicle="V1", date="2007-03-01"),
            row("vehicle_inspections", id="I2", vehicle="V2", date="2007-03-02", passed=True),
            row("vehicle_inspections", id="I4", vehicle="V4", date="2007-03-03", passed=False),
        ],
    }
    f = figures(recs)
    assert (f["health.batches"].value, f["health.people"].value) == (2, 3)
    assert f["vehicles.inspected"].value == 2
    assert f["vehicles.inspection_rate"].value == pytest.approx(200 / 3)
    assert ids(f["vehicles.inspection_rate"]) == {"V1", "V2", "V4"}


def test_petitions_by_channel_rates_and_escalations() -> None:
    recs = {
        "petitions": [
            row("petitions", id="L1", date="2007-01-05", channel="letter", resolved_on="2007-01-20"),
            row("petitions", id="L2", date="2007-06-25", channel="letter"),
            row("petitions", id="V1", date="2007-02-01", channel="visit", people=3, resolved_on="2007-02-01"),
            row("petitions", id="V2", date="2007-02-02", channel="visit", resolved_on="2007-02-05", collective=True),
            row("petitions", id="P1", date="2007-03-01", channel="phone", resolved_on="2007-03-01"),
            row("petitions", id="P2", date="2007-07-01", channel="phone", resolved_on="2007-07-01"),
        ]
    }
    f = figures(recs)
    assert f["petitions.letters"].value == 2
    assert (f["petitions.visit_batches"].value, f["petitions.visit_people"].value) == (2, 4)
    assert f["petitions.phone_people"].value == 1
    assert f["petitions.letters_resolved_pct"].value == 50.0
    assert f["petitions.visits_resolved_pct"].value == 100.0
    assert f["petitions.resolved_pct"].value == pytest.approx(80.0)
    assert f["petitions.escalated"].value == 0 and f["petitions.collective"].value == 1
    assert len(f["petitions.escalated"].records) == 5  # zero is a finding about every petition of the period


def test_carer_volunteers_and_households_overlapping_the_period() -> None:
    recs = {
        "carer_support": [
            row(
                "carer_support",
                id="C1",
                volunteer="v1",
                household="h1",
                household_kind="elderly_carer",
                started_on="2006-01-01",
            ),
            row(
                "carer_support",
                id="C2",
                volunteer="v1",
                household="h2",
                household_kind="single_severe",
                started_on="2007-03-01",
            ),
            row(
                "carer_support",
                id="C3",
                volunteer="v2",
                household="h2",
                household_kind="single_severe",
                started_on="2006-01-01",
                ended_on="2006-12-31",
            ),
        ]
    }
    f = figures(recs)
    assert (f["carers.volunteers"].value, f["carers.households"].value) == (1, 2)


def test_games_records_plans_tasks_milestones_events() -> None:
    recs = {
        "games_work_plans": [
            row(
                "games_work_plans",
                id="W1",
                area="security",
                title_zh="安保",
                owner="o",
                drafted_on="2007-01-10",
                status="formed",
            ),
            row(
                "games_work_plans",
                id="W2",
                area="hotel_reception",
                title_zh="賓館",
                owner="o",
                drafted_on="2007-01-10",
                status="approved",
            ),
            row(
                "games_work_plans",
                id="W3",
                area="traffic",
                title_zh="交通",
                owner="o",
                drafted_on="2007-01-10",
                status="draft",
            ),
        ],
        "games_tasks": [
            row(
                "games_tasks",
                id="T1",
                plan="W1",
                task_zh="a",
                owner="o",
                due_date="2007-03-01",
                status="done",
                done_on="2007-02-20",
            ),
            row("games_tasks", id="T2", plan="W1", task_zh="b", owner="o", due_date="2007-04-01", status="in_progress"),
            row("games_tasks", id="T3", plan="W1", task_zh="c", owner="o", due_date="2007-09-01", status="todo"),
        ],
        "games_milestones": [
            row(
                "games_milestones",
                id="M1",
                kind="committee_operational",
                name_zh="x",
                due_date="2007-03-31",
                done_on="2007-03-15",
            ),
            row("games_milestones", id="M2", kind="mobilisation_rally", name_zh="y", due_date="2007-08-01"),
        ],
        "games_events": [
            row("games_events", id="E1", date="2007-02-01", kind="training", name_zh="培訓", participants=50),
            row("games_events", id="E2", date="2007-03-01", kind="training", name_zh="培訓", participants=70),
            row("games_events", id="E3", date="2007-06-24", kind="countdown", name_zh="倒計時100天"),
            row("games_events", id="E4", date="2007-04-01", kind="publicity", name_zh="圖片巡展"),
        ],
    }
    f = figures(recs)
    assert f["games.plans_formed"].value == 2 and f["games.plan_areas"].value == "賓館接待、安保"
    assert (f["games.tasks_due"].value, f["games.tasks_done"].value) == (2, 1)
    assert f["games.committee_operational_on"].value == date(2007, 3, 15)
    assert f["games.rally_prepared_on"].value is None
    assert (f["games.trainings"].value, f["games.training_participants"].value) == (2, 120)
    assert f["games.publicity_names"].value == "倒計時100天、圖片巡展" and f["games.publicity_events"].value == 2


def _games_workbook() -> Workbook:
    d = date(2007, 10, 1)
    wb = Workbook()
    wb.tables = {
        "event": [
            {
                "id": "E",
                "name": "Games",
                "name_zh": "特奧會",
                "start_date": date(2007, 10, 2),
                "end_date": date(2007, 10, 11),
            }
        ],
        "delegations": [
            {
                "id": "VEN",
                "name": "Venezuela",
                "country": "VEN",
                "languages": ("es",),
                "arrival_date": d,
                "departure_date": date(2007, 10, 5),
            },
            {
                "id": "VE2",
                "name": "Venezuela B",
                "country": "VEN",
                "languages": ("es",),
                "arrival_date": d,
                "departure_date": date(2007, 10, 5),
            },
            {
                "id": "CHN",
                "name": "China",
                "country": "CHN",
                "languages": ("zh",),
                "arrival_date": d,
                "departure_date": date(2007, 10, 5),
            },
        ],
        "people": [
            {
                "id": "P1",
                "delegation": "VEN",
                "role": "athlete",
                "family_name": "A",
                "given_name": "B",
                "gender": "F",
                "birth_date": date(1990, 1, 1),
                "sport": "swimming",
            },
            {
                "id": "P2",
                "delegation": "CHN",
                "role": "partner",
                "family_name": "A",
                "given_name": "B",
                "gender": "F",
                "birth_date": date(1990, 1, 1),
                "sport": "swimming",
            },
            {
                "id": "P3",
                "delegation": "CHN",
                "role": "coach",
                "family_name": "A",
                "given_name": "B",
                "gender": "M",
                "birth_date": date(1970, 1, 1),
                "sport": "swimming",
            },
            {
                "id": "P4",
                "delegation": "CHN",
                "role": "head",
                "family_name": "A",
                "given_name": "B",
                "gender": "M",
                "birth_date": date(1970, 1, 1),
            },
        ],
        "hotels": [
            {"id": "H1", "name": "One", "lat": 31.2, "lon": 121.4, "approved": True},
            {"id": "H2", "name": "Two", "lat": 31.2, "lon": 121.4, "approved": False},
        ],
        "rooms": [
            {"hotel": "H1", "room": "101", "floor": 1, "beds": 2},
            {"hotel": "H1", "room": "102", "floor": 1, "beds": 3},
            {"hotel": "H2", "room": "101", "floor": 1, "beds": 2},
        ],
        "venues": [
            {
                "id": "V1",
                "name": "Pool",
                "lat": 31.2,
                "lon": 121.4,
                "sports": ("swimming",),
                "renovation_progress": 80.0,
            },
            {
                "id": "V2",
                "name": "Hall",
                "lat": 31.2,
                "lon": 121.4,
                "sports": ("table_tennis",),
                "renovation_progress": None,
            },
        ],
        "sports": [{"id": "swimming", "name": "Swimming", "name_zh": "游泳"}],
        "volunteers": [
            {
                "id": "L1",
                "family_name": "王",
                "given_name": "明",
                "languages": ("zh",),
                "available_from": d,
                "available_to": d,
            },
        ],
    }
    return wb


def test_games_planning_figures_come_from_the_dataset() -> None:
    data = Dataset.from_workbook(_games_workbook())
    f = figures({}, data)
    assert f["games.countries"].value == 2 and len(f["games.countries"].records) == 3
    assert f["games.athletes"].value == 2 and ids(f["games.athletes"]) == {"P1", "P2"}
    assert f["games.coaches"].value == 1 and f["games.volunteers"].value == 1
    assert f["games.hotels_approved"].value == 1
    assert f["games.beds_approved"].value == 5 and ids(f["games.beds_approved"]) == {"H1/101", "H1/102"}
    assert f["games.venues"].value == 2 and f["games.renovation_pct"].value == 80.0
    assert f["games.sports"].value == "游泳、table_tennis"
    assert f["games.days_to_opening"].value == (date(2007, 10, 2) - date(2007, 6, 30)).days
    assert f["games.year"].value == 2007 and f["games.year"].records == (RecordRef("event", "E"),)


def test_without_planning_data_games_figures_have_no_records() -> None:
    f = figures({})
    assert all(not f[k].has_records for k in f if k.startswith("games."))


def test_no_records_means_no_value() -> None:
    f = figures({})
    assert all(fig.value is None and not fig.has_records for fig in f.values())


def test_latest_half_year_with_records() -> None:
    recs = {"petitions": [row("petitions", id="P", date="2007-08-03", channel="letter")]}
    assert latest_half_year(recs) == Period(date(2007, 7, 1), date(2007, 12, 31))
    recs["petitions"][0]["date"] = date(2007, 2, 3)
    assert latest_half_year(recs) == Period(date(2007, 1, 1), date(2007, 6, 30))
    assert latest_half_year({}) is None
