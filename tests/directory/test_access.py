"""Directory predicates, without HTTP: who sees a person, who edits a profile."""
from __future__ import annotations

from tests.roles import EVERYONE_INSIDE
from workspace.directory import access
from workspace.extensions import db


def test_active_people_are_seen_by_every_signed_in_user(roles):
    assert roles.who(access.can_see_person, roles.member) == EVERYONE_INSIDE | {"outsider"}


def test_a_closed_account_is_seen_by_administrators_only(roles):
    roles.member.is_active = False
    db.session.commit()
    assert roles.who(access.can_see_person, roles.member) == {"admin"}


def test_one_edits_one_s_own_profile_only(roles):
    assert roles.who(access.can_edit_profile, roles.member) == {"member"}
