"""Privacy predicates, without HTTP: administrators anonymise (never themselves), read the
audit log and edit the legal pages."""
from __future__ import annotations

from workspace.privacy import access


def test_administrators_use_the_privacy_tools(roles):
    assert roles.who(access.can_anonymise_accounts) == {"admin"}
    assert roles.who(access.can_read_audit_log) == {"admin"}
    assert roles.who(access.can_edit_legal_pages) == {"admin"}


def test_an_administrator_anonymises_others_never_themselves(roles):
    assert roles.who(access.can_anonymise, roles.member) == {"admin"}
    assert roles.who(access.can_anonymise, roles.admin) == set()
