"""Users, roles, permissions and the audit log (planner.users)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from planner.db import init_db, make_engine
from planner.users import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    LOCKOUT_FAILURES,
    Actor,
    audit,
    audit_entries,
    authenticate,
    can_edit,
    can_plan,
    can_see_sensitive,
    can_view,
    create_user,
    ensure_demo_users,
    ensure_tables,
    new_api_token,
    user_by_token,
)


@pytest.fixture
def session(tmp_path):
    engine = make_engine(tmp_path / "users.sqlite")
    init_db(engine)
    ensure_tables(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_passwords_are_hashed_and_checked(session):
    user = create_user(session, "li", "long enough secret", "viewer")
    session.commit()
    assert "long enough secret" not in user.password_hash
    assert authenticate(session, "li", "long enough secret") is user
    assert authenticate(session, "li", "wrong password!") is None
    assert authenticate(session, "nobody", "long enough secret") is None


def test_weak_password_unknown_role_and_taken_name_are_refused(session):
    with pytest.raises(ValueError, match="too short"):
        create_user(session, "a", "short", "viewer")
    with pytest.raises(ValueError, match="unknown role"):
        create_user(session, "b", "long enough secret", "admin")
    with pytest.raises(ValueError, match="needs an area"):
        create_user(session, "c", "long enough secret", "area_lead")
    with pytest.raises(ValueError, match="too short"):
        create_user(session, "c", " " * 12, "viewer")
    with pytest.raises(ValueError, match="only an area lead has an area"):
        create_user(session, "c", "long enough secret", "viewer", area="transport")
    with pytest.raises(ValueError, match="needs at least one hotel"):
        create_user(session, "c", "long enough secret", "hotel_liaison")
    with pytest.raises(ValueError, match="only a hotel liaison has hotels"):
        create_user(session, "c", "long enough secret", "viewer", hotels=["H01"])
    with pytest.raises(ValueError, match="at most 200 characters"):
        create_user(session, "c", "long enough secret", "viewer", display_name="x" * 201)
    create_user(session, "d", "long enough secret")
    session.commit()
    with pytest.raises(ValueError, match="taken"):
        create_user(session, "d", "another long secret")


def test_repeated_failures_lock_the_account(session):
    create_user(session, "wang", "long enough secret")
    session.commit()
    now = datetime(2007, 10, 1, 9, 0, tzinfo=UTC)
    for _ in range(LOCKOUT_FAILURES):
        assert authenticate(session, "wang", "guess guess guess", now=now) is None
    assert authenticate(session, "wang", "long enough secret", now=now) is None, "locked"
    later = now + timedelta(hours=1)
    assert authenticate(session, "wang", "long enough secret", now=later) is not None


def test_api_tokens_are_stored_hashed(session):
    user = create_user(session, "api", "long enough secret", "committee")
    token = new_api_token(user)
    session.commit()
    assert token not in (user.api_token_hash or "")
    assert user_by_token(session, token) is user
    assert user_by_token(session, token + "x") is None
    assert user_by_token(session, "") is None


def test_demo_account_is_a_committee_member(session):
    user = ensure_demo_users(session)
    session.commit()
    assert user.role == "committee"
    assert authenticate(session, DEMO_USERNAME, DEMO_PASSWORD) is not None
    assert ensure_demo_users(session).id == user.id


@pytest.mark.parametrize(
    ("actor", "file", "view", "edit"),
    [
        (Actor("c", "committee"), "people", True, True),
        (Actor("a", "area_lead", area="transport"), "vehicles", True, True),
        (Actor("a", "area_lead", area="transport"), "people", True, False),
        (Actor("v", "volunteer_coordinator"), "shifts", True, True),
        (Actor("v", "volunteer_coordinator"), "hotels", True, False),
        (Actor("h", "hotel_liaison", hotels=("H01",)), "people", False, False),
        (Actor("r", "viewer"), "people", True, False),
    ],
)
def test_roles_decide_what_may_be_seen_and_changed(actor, file, view, edit):
    assert can_view(actor, file) is view
    assert can_edit(actor, file) is edit


def test_planning_and_sensitive_fields_by_role():
    assert can_plan(Actor("c", "committee"), "transport")
    assert can_plan(Actor("v", "volunteer_coordinator"), "volunteers")
    assert not can_plan(Actor("v", "volunteer_coordinator"), "accommodation")
    assert not can_plan(Actor("r", "viewer"), "volunteers")
    assert can_see_sensitive(Actor("a", "area_lead", area="accommodation"))
    assert not can_see_sensitive(Actor("a", "area_lead", area="competition"))
    assert not can_see_sensitive(Actor("r", "viewer"))
    liaison = Actor("h", "hotel_liaison", hotels=("H01",))
    assert can_see_sensitive(liaison, "H01") and not can_see_sensitive(liaison, "H02")


def test_audit_entries_newest_first_and_filtered(session):
    audit(session, "demo", "view", "people", "P1", ["needs"], sensitive=True)
    audit(session, "demo", "change", "hotels", "H01", ["approved"], detail={"approved": [False, True]})
    audit(session, "li", "export", "workbook")
    session.commit()
    entries = audit_entries(session)
    assert [e.action for e in entries] == ["export", "change", "view"]
    sensitive = audit_entries(session, sensitive_only=True)
    assert [(e.entity, e.record, e.fields) for e in sensitive] == [("people", "P1", "needs")]
    assert [e.action for e in audit_entries(session, username="demo")] == ["change", "view"]
