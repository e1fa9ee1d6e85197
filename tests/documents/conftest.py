"""Fixtures of the documents tests: a network with a member, a coordinator, an outsider, and
helpers to upload through the real form."""
from __future__ import annotations

import io

import pytest
from PIL import Image

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes(size=(40, 30), color=(11, 79, 108)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def library(make_user, make_network, make_organisation):
    """(network, member, coordinator, outsider)"""
    coulaines = make_organisation("Coulaines")
    member = make_user(first_name="Isabelle", last_name="Roux", organisation_id=coulaines.id)
    coordinator = make_user(first_name="Nathalie", last_name="Girard")
    outsider = make_user(first_name="Paul", last_name="Dehors")
    network = make_network("Réseau patrimoine bâti", members=[member],
                           coordinators=[coordinator])
    make_network("Réseau informatique", members=[outsider])
    return network, member, coordinator, outsider


@pytest.fixture
def upload(client):
    """Post files through the upload form: upload(network, ("name", bytes), ..., folder=id)."""

    def send(network, *files, folder=None, test_client=None):
        data = {"files": [(io.BytesIO(content), name) for name, content in files]}
        url = f"/n/{network.slug}/documents/upload" + (f"?folder={folder}" if folder else "")
        return (test_client or client).post(url, data=data, content_type="multipart/form-data")

    return send
