"""Who may change and see what: the federation's records and their medical fields."""

from __future__ import annotations

from planner.users import Actor, can_edit, can_see_sensitive, sensitive_fields


def test_the_federation_lead_edits_work_area_records_but_not_the_games_lists() -> None:
    lead = Actor("fed", "area_lead", "federation")
    assert can_edit(lead, "petitions") and can_edit(lead, "rehab_services")
    assert not can_edit(lead, "people")
    assert not can_edit(Actor("acc", "area_lead", "accommodation"), "petitions")


def test_medical_fields_of_federation_records_are_for_the_committee_and_the_federation_lead() -> None:
    assert "person" in sensitive_fields("rehab_services")
    assert can_see_sensitive(Actor("c", "committee"), file="rehab_services")
    assert can_see_sensitive(Actor("fed", "area_lead", "federation"), file="health_checks")
    assert not can_see_sensitive(Actor("acc", "area_lead", "accommodation"), file="health_checks")
    assert not can_see_sensitive(Actor("v", "viewer"), file="rehab_services")
    # the Games lists keep their own rule: the accommodation lead needs `needs` to plan
    assert can_see_sensitive(Actor("acc", "area_lead", "accommodation"), file="people")
