"""Words shown for the planner's codes (roles, files, columns, plan kinds...), translatable."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

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


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        role_names=ROLE_NAMES,
        area_names=AREA_NAMES,
        kind_names=KIND_NAMES,
        status_names=STATUS_NAMES,
        file_names=FILE_NAMES,
        shortage_names=SHORTAGE_NAMES,
        layer_names=LAYER_NAMES,
        use_names=USE_NAMES,
        column_name=column_name,
        hints=HINTS,
    )
