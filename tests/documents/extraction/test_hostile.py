"""Hostile and broken files end with a clear outcome and a French reason, in a child
process that takes the blow: the test process itself keeps its memory."""
from __future__ import annotations

import importlib.util
import zipfile

import pytest

from workspace.documents.extraction import ExtractionLimits, extract_text
from workspace.documents.extraction.common import ExtractionFailure
from workspace.documents.extraction.formats import DOCX, ODT
from workspace.documents.extraction.zipguard import GuardedZip

from .support import FIXTURES, HOSTILE, make_hostile, peak_memory_mib

PDF = "application/pdf"
MEMORY_MIB = ExtractionLimits().memory_bytes / 1024**2


@pytest.fixture(autouse=True)
def parent_stays_small():
    """What the child decompresses must never reach this process: its peak memory may not
    rise by a quarter of the child's limit during a test."""
    before = peak_memory_mib()
    yield
    assert peak_memory_mib() < before + MEMORY_MIB / 4


@pytest.mark.parametrize(("name", "mime", "status", "reason"), [
    ("entite-externe.odt", ODT, "failed", "Document XML refusé : déclaration DOCTYPE interdite."),
    ("milliard-de-rires.docx", DOCX, "failed",
     "Document XML refusé : déclaration DOCTYPE interdite."),
    ("tronque.pdf", PDF, "failed", "PDF illisible ou tronqué."),
    ("bombe-flate.pdf", PDF, "failed", "PDF suspect : données compressées démesurées."),
    ("bombe-memoire.pdf", PDF, "failed", "Mémoire insuffisante pour extraire ce fichier."),
    ("protege.pdf", PDF, "failed", "Le fichier est protégé par un mot de passe."),
    ("protege.odt", ODT, "failed", "Le fichier est protégé par un mot de passe."),
    ("protege.docx", DOCX, "failed", "Le fichier est protégé par un mot de passe."),
    ("vide.pdf", PDF, "unsupported", "Le fichier est vide."),
])
def test_hostile_file_gives_a_clear_outcome(name, mime, status, reason):
    result = extract_text(HOSTILE / name, mime)
    assert (result.status, result.reason, result.pages) == (status, reason, [])


def test_pdf_encrypted_without_user_password():
    """AES needs the cryptography package: without it the reason says so; with it, the text."""
    result = extract_text(HOSTILE / "chiffre-aes.pdf", PDF)
    if importlib.util.find_spec("cryptography") is None:
        assert (result.status, result.reason) == (
            "failed", "PDF chiffré : ce chiffrement n'est pas pris en charge.")
    else:
        assert result.status == "done" and "Deuxième page" in result.pages[1]


@pytest.mark.parametrize(("kind", "reason"), [
    ("honest", "Archive suspecte : taux de compression anormal."),
    # Headers claiming 4 KB: zipfile stops there and the checksum gives the lie away.
    ("lying", "Fichier endommagé : archive illisible."),
])
def test_zip_bomb_disguised_as_odt_is_refused(zip_bombs, kind, reason):
    with zipfile.ZipFile(zip_bombs[kind]) as archive:
        assert archive.read("mimetype") == ODT.encode()
    result = extract_text(zip_bombs[kind], ODT)
    assert (result.status, result.reason) == ("failed", reason)


def test_archive_with_too_many_entries_is_refused(tmp_path):
    path = tmp_path / "nombreux.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(51):
            archive.writestr(f"word/media/image{number}.png", b"")
    result = extract_text(path, DOCX, ExtractionLimits(max_zip_entries=50))
    assert (result.status, result.reason) == ("failed", "Archive suspecte : trop de fichiers.")


def test_archive_declaring_too_much_is_refused_before_reading():
    result = extract_text(FIXTURES / "atelier.odt", ODT,
                          ExtractionLimits(max_unzipped_bytes=10_000))
    assert (result.status, result.reason) == (
        "failed", "Archive trop volumineuse une fois décompressée.")


def test_real_bytes_are_counted_while_reading():
    """Headers can lie: even once they have passed, reading stops at the real budget."""
    limits = {**vars(ExtractionLimits())}
    with GuardedZip(str(FIXTURES / "atelier.odt"), limits) as archive:
        archive.max_total = 1000  # as if the headers had announced less than the data holds
        with pytest.raises(ExtractionFailure) as raised:
            b"".join(archive.stream("content.xml"))
    assert raised.value.reason == "Archive trop volumineuse une fois décompressée."


def test_pdf_with_a_damaged_page_keeps_the_others(tmp_path):
    data = bytearray((FIXTURES / "atelier.pdf").read_bytes())
    start = data.index(b"stream\n", data.index(b"\n2 0 obj")) + len(b"stream\n")  # page 1
    end = data.index(b"endstream", start)
    data[start:end] = bytes(end - start)
    path = tmp_path / "page-abimee.pdf"
    path.write_bytes(bytes(data))
    result = extract_text(path, PDF)
    assert result.status == "done"
    assert result.pages[0] == "" and "Deuxième page" in result.pages[1]


def test_hostile_generator_matches_the_committed_files(tmp_path):
    make_hostile.write_all(tmp_path)
    for committed in HOSTILE.iterdir():
        if committed.name not in ("protege.pdf", "chiffre-aes.pdf"):  # random keys
            assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), \
                committed.name
