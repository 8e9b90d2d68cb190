"""Words shown for the planner's codes (roles, files, columns, plan kinds...), translatable."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from planner.workareas.schema import AREA_OF_SHEET

ROLE_NAMES = {
    "committee": _l("Committee"),
    "area_lead": _l("Area lead"),
    "volunteer_coordinator": _l("Volunteer coordinator"),
    "hotel_liaison": _l("Hotel liaison"),
    "viewer": _l("Viewer"),
}

AREA_NAMES = {
    "accommodation": _l("Accommodation"),
    "competition": _l("Competition and venues"),
    "transport": _l("Transport"),
    "volunteers": _l("Volunteers"),
    "federation": _l("Federation"),
}

KIND_NAMES = {
    "accommodation": _l("Accommodation"),
    "transport": _l("Transport"),
    "volunteers": _l("Volunteers"),
}

STATUS_NAMES = {
    "queued": _l("waiting"),
    "running": _l("running"),
    "stopping": _l("stopping"),
    "done": _l("finished"),
    "stopped": _l("stopped"),
    "failed": _l("failed"),
    "optimal": _l("optimal"),
    "feasible": _l("feasible"),
    "partial": _l("partial"),
    "infeasible": _l("infeasible"),
    "error": _l("error"),
    "interrupted": _l("interrupted"),
}

FILE_NAMES = {
    "event": _l("Event"),
    "delegations": _l("Delegations"),
    "people": _l("People"),
    "hotels": _l("Hotels"),
    "rooms": _l("Rooms"),
    "venues": _l("Venues"),
    "sessions": _l("Sessions"),
    "sports": _l("Sports"),
    "vehicles": _l("Vehicles"),
    "volunteers": _l("Volunteers"),
    "shifts": _l("Shifts"),
    "travel_times": _l("Travel times"),
    "rooming": _l("Rooming"),
    "transport": _l("Transport stops"),
    "manifest": _l("Manifests"),
    "roster": _l("Roster"),
    "liaisons": _l("Liaisons"),
    "unassigned": _l("Unassigned"),
    # work-area sheets (docs/WORKAREAS.md)
    "federation": _l("Federation"),
    "outreach_visits": _l("Outreach visits"),
    "awareness_events": _l("Awareness events"),
    "games_work_plans": _l("Games work plans"),
    "games_tasks": _l("Games tasks"),
    "games_events": _l("Games training and publicity events"),
    "games_milestones": _l("Games milestones"),
    "job_placements": _l("Job placements"),
    "levy_payments": _l("Levy payments"),
    "levy_chases": _l("Levy chases"),
    "social_security": _l("Social-security support"),
    "charity_medical_cards": _l("Charity medical cards"),
    "medical_insurance": _l("Medical insurance enrolments"),
    "training_courses": _l("Training courses"),
    "training_participants": _l("Training participants"),
    "sunshine_homes": _l("Sunshine Homes"),
    "sunshine_trainees": _l("Sunshine Home trainees"),
    "sunshine_workshop_jobs": _l("Sunshine Workshop jobs"),
    "sunshine_publications": _l("Sunshine publications"),
    "skills_competition_entries": _l("Skills competition entries"),
    "charity_sales": _l("Charity sales"),
    "rehab_services": _l("Rehabilitation services"),
    "health_checks": _l("Health checks"),
    "disabled_vehicles": _l("Disabled persons' vehicles"),
    "vehicle_inspections": _l("Vehicle inspections"),
    "petitions": _l("Petitions"),
    "carer_support": _l("Carer support"),
    # operational records that may refer to workbook records
    "pins": _l("Pins"),
    "hotel_surveys": _l("Hotel surveys"),
    "shift_attendance": _l("Shift check-ins"),
}

WORK_AREA_NAMES = {
    "federation": _l("The federation"),
    "social_environment": _l("Social environment"),
    "games": _l("Special Olympics preparation"),
    "employment": _l("Employment and social security"),
    "sunshine_homes": _l("Sunshine Homes"),
    "rehab": _l("Rehabilitation"),
    "stability": _l("Stability and petitions"),
}

WORK_AREA_DOCS = {
    "federation": _l("Who writes the report: the names of the federation, the district and the city."),
    "social_environment": _l("Outreach visits and condolence funds; awareness events."),
    "games": _l("Work plans and tasks of each functional area, training and publicity events, milestones."),
    "employment": _l(
        "Job placements, the employment-security levy, social-security support, charity medical cards, "
        "medical insurance, training courses."
    ),
    "sunshine_homes": _l(
        "Homes and trainees, Sunshine Workshop jobs, publications, skills competitions, charity sales."
    ),
    "rehab": _l("Rehabilitation services and subsidies, health checks, vehicles and their inspections."),
    "stability": _l("Letters, visits and calls and their resolution; volunteers serving carer households."),
}

VALUE_NAMES = {
    "yes": _l("yes"),
    "no": _l("no"),
    "F": _l("female"),
    "M": _l("male"),
    "athlete": _l("athlete"),
    "partner": _l("unified partner"),
    "coach": _l("coach"),
    "head": _l("head of delegation"),
    "staff": _l("staff"),
    "wheelchair": _l("wheelchair"),
    "accessible_room": _l("accessible room"),
    "ground_floor": _l("ground floor"),
    "medical": _l("medical"),
    "competition": _l("competition"),
    "training": _l("training"),
    "ceremony": _l("ceremony"),
    "bus": _l("bus"),
    "minibus": _l("minibus"),
    "accessible_van": _l("accessible van"),
    "car": _l("car"),
    "halal": _l("halal"),
    "vegetarian": _l("vegetarian"),
    "spring_festival": _l("Spring Festival"),
    "help_disabled_day": _l("Help-the-Disabled Day"),
    "traditional_festival": _l("traditional festival"),
    "other": _l("other"),
    "household": _l("household"),
    "child": _l("child"),
    "unit": _l("unit"),
    "help_week": _l("Help-the-Disabled week"),
    "commendation": _l("commendation"),
    "games": _l("games"),
    "performance": _l("performance"),
    "exhibition": _l("exhibition"),
    "hotel_reception": _l("hotel reception"),
    "community_reception": _l("community reception"),
    "volunteers": _l("volunteers"),
    "food_safety": _l("food safety"),
    "traffic": _l("traffic"),
    "security": _l("security"),
    "draft": _l("draft"),
    "formed": _l("formed"),
    "approved": _l("approved"),
    "todo": _l("to do"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "publicity": _l("publicity"),
    "countdown": _l("countdown"),
    "rally": _l("rally"),
    "committee_operational": _l("committee operational"),
    "mobilisation_rally": _l("mobilisation rally"),
    "venue": _l("venue"),
    "scattered": _l("scattered employment"),
    "welfare_enterprise": _l("welfare enterprise"),
    "self_employed": _l("self-employed"),
    "urban": _l("urban"),
    "rural": _l("rural"),
    "brochure": _l("brochure"),
    "bulletin": _l("bulletin"),
    "book": _l("book"),
    "child_rehab_card": _l("children's rehabilitation card"),
    "assistive_device": _l("assistive device"),
    "cataract_surgery": _l("cataract surgery"),
    "hearing_aid": _l("hearing aid"),
    "foster_care": _l("foster care"),
    "cochlear_implant": _l("cochlear implant"),
    "prosthesis": _l("prosthesis"),
    "letter": _l("letter"),
    "visit": _l("visit"),
    "phone": _l("phone call"),
    "bed": _l("bed"),
    "elderly_carer": _l("elderly carers of a disabled child"),
    "single_severe": _l("severely disabled person living alone"),
}

LAYER_NAMES = {
    "hotels": _l("Hotels"),
    "venues": _l("Venues"),
    "depots": _l("Depots"),
    "routes": _l("Routes"),
}

USE_NAMES = {
    "in_use": _l("in use"),
    "approved": _l("approved, not in use"),
    "not_approved": _l("not approved"),
    "competition": _l("competition"),
    "training": _l("training"),
    "ceremony": _l("ceremony"),
    "idle": _l("no session"),
    "other": _l("other"),
}

#: What a volunteer's changed assignment was (the ``what`` of a re-plan's moves).
MOVE_WHAT_NAMES = {
    "shift": _l("Shift"),
    "liaison": _l("Liaison"),
}

SHORTAGE_NAMES = {
    "bed": _l("beds"),
    "ride": _l("rides"),
    "shift": _l("shift places"),
    "liaison": _l("liaisons"),
}

COLUMN_NAMES = {
    "id": _l("Id"),
    "name": _l("Name"),
    "name_zh": _l("Chinese name"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "timezone": _l("Time zone"),
    "speed_kmh": _l("Average speed (km/h)"),
    "detour_factor": _l("Detour factor"),
    "arrival_buffer_min": _l("Arrival buffer (min)"),
    "max_ride_min": _l("Longest ride (min)"),
    "country": _l("Country"),
    "languages": _l("Languages"),
    "arrival_date": _l("Arrival date"),
    "departure_date": _l("Departure date"),
    "diet": _l("Diet"),
    "delegation": _l("Delegation"),
    "role": _l("Role"),
    "family_name": _l("Family name"),
    "given_name": _l("Given name"),
    "gender": _l("Gender"),
    "birth_date": _l("Birth date"),
    "sport": _l("Sport"),
    "needs": _l("Needs (medical, disability)"),
    "score": _l("Score"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "address": _l("Address"),
    "approved": _l("Approved"),
    "survey_score": _l("Survey score"),
    "cost_per_bed_night": _l("Cost per bed-night (CNY)"),
    "halal_kitchen": _l("Halal kitchen"),
    "hotel": _l("Hotel"),
    "room": _l("Room"),
    "floor": _l("Floor"),
    "beds": _l("Beds"),
    "accessible": _l("Accessible"),
    "sports": _l("Sports"),
    "renovation_progress": _l("Renovation progress (%)"),
    "venue": _l("Venue"),
    "date": _l("Date"),
    "start": _l("Start"),
    "end": _l("End"),
    "kind": _l("Kind"),
    "delegations": _l("Delegations"),
    "division_spread_pct": _l("Division spread (%)"),
    "lower_is_better": _l("Lower is better"),
    "seats": _l("Seats"),
    "depot_lat": _l("Depot latitude"),
    "depot_lon": _l("Depot longitude"),
    "wheelchair_places": _l("Wheelchair places"),
    "available_from": _l("Available from"),
    "available_to": _l("Available to"),
    "skills": _l("Skills"),
    "max_hours_per_day": _l("Most hours a day"),
    "place": _l("Place"),
    "function": _l("Function"),
    "needed": _l("Needed"),
    "from": _l("From"),
    "to": _l("To"),
    "minutes": _l("Minutes"),
    "person": _l("Person"),
    "check_in": _l("Check-in"),
    "check_out": _l("Check-out"),
    "vehicle": _l("Vehicle"),
    "trip": _l("Trip"),
    "seq": _l("Stop"),
    "arrive": _l("Arrives"),
    "depart": _l("Departs"),
    "session": _l("Session"),
    "board_seq": _l("Boards at stop"),
    "alight_seq": _l("Alights at stop"),
    "volunteer": _l("Volunteer"),
    "shift": _l("Shift"),
    "reason": _l("Reason"),
    # work-area sheets
    "amount_cny": _l("Amount (CNY)"),
    "amount_due_cny": _l("Amount due (CNY)"),
    "amount_recovered_cny": _l("Amount recovered (CNY)"),
    "approved_on": _l("Approved on"),
    "area": _l("Functional area"),
    "batch": _l("Batch"),
    "certified": _l("Certified"),
    "channel": _l("Channel"),
    "city": _l("City"),
    "city_zh": _l("City (Chinese)"),
    "closed_on": _l("Closed on"),
    "collective": _l("Collective petition"),
    "competition": _l("Competition"),
    "competition_zh": _l("Competition (Chinese)"),
    "copies": _l("Copies"),
    "course": _l("Course"),
    "deregistered_on": _l("Deregistered on"),
    "district": _l("District"),
    "district_zh": _l("District (Chinese)"),
    "done_on": _l("Done on"),
    "drafted_on": _l("Drafted on"),
    "due_date": _l("Due date"),
    "edition": _l("Edition"),
    "employer": _l("Employer"),
    "ended_on": _l("Ended on"),
    "enrolled_on": _l("Enrolled on"),
    "escalated": _l("Escalated"),
    "event": _l("Event"),
    "event_zh": _l("Event (Chinese)"),
    "group": _l("Group"),
    "holder": _l("Holder"),
    "home": _l("Sunshine Home"),
    "household": _l("Household"),
    "household_kind": _l("Kind of household"),
    "issued_on": _l("Issued on"),
    "items": _l("Items"),
    "kind_zh": _l("Kind (Chinese)"),
    "leader": _l("Led by"),
    "left_on": _l("Left on"),
    "monthly_amount_cny": _l("Monthly amount (CNY)"),
    "occasion": _l("Occasion"),
    "opened_on": _l("Opened on"),
    "organiser": _l("Organiser"),
    "owner": _l("Owner"),
    "participants": _l("Participants"),
    "passed": _l("Passed"),
    "people": _l("People"),
    "petitioner": _l("Petitioner"),
    "plan": _l("Work plan"),
    "plate": _l("Number plate"),
    "proceeds_cny": _l("Proceeds (CNY)"),
    "recipient": _l("Recipient"),
    "recipient_kind": _l("Kind of recipient"),
    "registered_on": _l("Registered on"),
    "resolved_on": _l("Resolved on"),
    "revised_on": _l("Revised on"),
    "sale_zh": _l("Sale (Chinese)"),
    "started_on": _l("Started on"),
    "status": _l("Status"),
    "street": _l("Town or sub-district"),
    "subject": _l("Subject"),
    "task": _l("Task"),
    "task_zh": _l("Task (Chinese)"),
    "theme": _l("Theme"),
    "theme_zh": _l("Theme (Chinese)"),
    "title": _l("Title"),
    "title_zh": _l("Title (Chinese)"),
    "unit": _l("Unit"),
    "with_supervision_office": _l("With the supervision office"),
    "workshop": _l("Workshop"),
    "workshop_zh": _l("Workshop (Chinese)"),
}

SURVEY_FIELD_NAMES = {
    "surveyed_on": _l("Surveyed on"),
    "surveyor": _l("Surveyor"),
    "fire_safety": _l("Fire safety"),
    "food_safety": _l("Food safety"),
    "security": _l("Security"),
    "accessibility": _l("Accessibility"),
    "halal_kitchen": _l("Halal kitchen"),
    "score": _l("Score (0 to 100)"),
    "decision": _l("Approval"),
    "notes": _l("Notes"),
}

PIN_FIELD_NAMES = {
    "person": _l("Person id"),
    "hotel": _l("Hotel"),
    "room": _l("Room"),
    "note": _l("Note"),
}

PATTERN_FIELD_NAMES = {
    "function": _l("Function"),
    "first_date": _l("First day"),
    "last_date": _l("Last day"),
    "start": _l("Start"),
    "end": _l("End"),
    "needed": _l("Volunteers needed per shift"),
    "places": _l("Places"),
    "skills": _l("Skills"),
    "languages": _l("Languages"),
    "weekdays": _l("Only these weekdays"),
    "id_prefix": _l("Id prefix"),
}

HINTS = {
    "list": _l("Separate items with ;"),
    "langlist": _l("Two-letter language codes separated by ; (first = preferred), e.g. es;en"),
    "date": _l("YYYY-MM-DD"),
    "time": _l("HH:MM, 24 hours"),
    "bool": "",
    "country": _l("Three-letter country code, e.g. CHN"),
    "id": _l("1-64 letters, digits, _ . -"),
}


def column_name(name: str) -> str:
    return str(COLUMN_NAMES.get(name, name.replace("_", " ").capitalize()))


def value_name(value: str) -> str:
    """The words for a code value (``F``, ``in_progress``, ``yes``); other values as they are."""
    found = VALUE_NAMES.get(value)
    return str(found) if found is not None else value


def number_text(value: object) -> str:
    """A number for a table: whole numbers with thousands separators, others with up to two decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["num"] = number_text
    app.jinja_env.globals.update(
        role_names=ROLE_NAMES,
        area_names=AREA_NAMES,
        kind_names=KIND_NAMES,
        status_names=STATUS_NAMES,
        file_names=FILE_NAMES,
        shortage_names=SHORTAGE_NAMES,
        move_what_names=MOVE_WHAT_NAMES,
        layer_names=LAYER_NAMES,
        use_names=USE_NAMES,
        column_name=column_name,
        value_name=value_name,
        survey_field_names=SURVEY_FIELD_NAMES,
        pin_field_names=PIN_FIELD_NAMES,
        pattern_field_names=PATTERN_FIELD_NAMES,
        work_area_names=WORK_AREA_NAMES,
        work_area_docs=WORK_AREA_DOCS,
        work_area_sheets=frozenset(AREA_OF_SHEET),
        hints=HINTS,
    )
