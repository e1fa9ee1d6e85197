"""Tutorial predicates, without HTTP: members write, coordinators organise, and a deleted
page is seen and restored by coordinators only."""
from __future__ import annotations

from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.extensions import db
from workspace.tutorials import access, service


def _page(roles, parent=None):
    page = service.create_tutorial(roles.member, roles.network, "Sauvegardes",
                                   "Étape 1 : vérifier le NAS.", parent)
    db.session.commit()
    return page


def test_members_write_and_coordinators_organise(roles):
    page = _page(roles)
    assert roles.who(access.can_see_tutorial, page) == EVERYONE_INSIDE
    assert roles.who(access.can_write_tutorials, roles.network) == EVERYONE_INSIDE
    assert roles.who(access.can_edit_tutorial, page) == EVERYONE_INSIDE
    assert roles.who(access.can_organise_tutorials, roles.network) == MANAGERS


def test_a_deleted_page_is_seen_by_organisers_and_edited_by_no_one(roles):
    page = _page(roles)
    service.delete_tutorial(roles.coordinator, page)
    db.session.commit()
    assert roles.who(access.can_see_tutorial, page) == MANAGERS
    assert roles.who(access.can_edit_tutorial, page) == set()
    assert roles.who(access.can_add_subpage, page) == set()


def test_sub_pages_nest_one_level_deep(roles):
    top = _page(roles)
    child = _page(roles, parent=top)
    assert roles.who(access.can_add_subpage, top) == EVERYONE_INSIDE
    assert roles.who(access.can_add_subpage, child) == set()


def test_readers_of_an_open_network_read_but_do_not_write(roles):
    page = _page(roles)
    roles.network.is_private = False
    db.session.commit()
    assert "outsider" in roles.who(access.can_see_tutorial, page)
    assert "outsider" not in roles.who(access.can_edit_tutorial, page)
