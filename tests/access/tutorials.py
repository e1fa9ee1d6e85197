"""Access expectations of the tutorials routes: members read and write, coordinators
organise (reorder, nest, delete, restore); outsiders get 404 everywhere."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401
from tests.documents.conftest import png_bytes

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("tutorials.tutorial_index", "GET"): in_network(200, 200),
    ("tutorials.tutorial_preview", "POST"): in_network(200, 200),
    ("tutorials.tutorial_create", "GET"): in_network(200, 200),
    ("tutorials.tutorial_create", "POST"): in_network(200, 200),  # empty: the form says why
    ("tutorials.tutorial_link", "GET"): in_network(302, 302),
    ("tutorials.tutorial_detail", "GET"): in_network(200, 200),
    ("tutorials.tutorial_print", "GET"): in_network(200, 200),
    ("tutorials.tutorial_export", "GET"): in_network(200, 200),
    ("tutorials.tutorial_edit", "GET"): in_network(200, 200),
    ("tutorials.tutorial_edit", "POST"): in_network(302, 302),  # nothing sent: nothing changes
    ("tutorials.tutorial_attach", "POST"): in_network(302, 302),  # no file: told so
    ("tutorials.tutorial_history", "GET"): in_network(200, 200),
    ("tutorials.tutorial_revision", "GET"): in_network(200, 200),
    ("tutorials.tutorial_revision_restore", "POST"): in_network(302, 302),  # stale: told so
    ("tutorials.tutorial_move", "POST"): in_network(403, 302),
    ("tutorials.tutorial_parent", "POST"): in_network(403, 302),
    ("tutorials.tutorial_delete", "POST"): in_network(403, 302),
    ("tutorials.tutorial_restore", "POST"): in_network(403, 302),
}


def build(users: dict, private, values: dict) -> dict:
    """A tutorial of the private network, written by the member, with an image."""
    from workspace.documents import service as documents
    from workspace.documents import uploads
    from workspace.tutorials import service
    from workspace.tutorials.models import LINK_TYPE

    tutorial = service.create_tutorial(users["member"], private, "Filtres dans Zimbra",
                                       "## Créer un filtre\n\n1. Préférences\n2. Filtres")
    [image] = uploads.upload_documents(users["member"], private, None, [
        ("capture.png", uploads.incoming_bytes(png_bytes()))]).created
    documents.link_document(users["member"], image, LINK_TYPE, tutorial.id)
    return {"tutorial_id": tutorial.id, "tutorial_slug": tutorial.slug}
