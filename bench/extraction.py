"""Text-extraction benchmark: 1,000 mixed documents through ``extract_text``, one after the
other, then two at a time.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/extraction.py               # 1,000 documents
    .venv/bin/python bench/extraction.py --count 200   # quicker

What it does: a temporary folder receives variants of the real fixtures of
tests/fixtures/documents (ODT, DOCX, ODS, XLSX, ODP, PPTX with a different word in their
text each time, copies of the PDF) and generated French text, Markdown, CSV and HTML of
2 to 60 KB, in equal shares. Every document then goes through ``extract_text`` with the
default limits (one child process each): first sequentially, then from a process pool of 2
workers. It prints documents per second (wall clock) and the median and 95th percentile
time per document, for each run and per format, checks that every document came out "done",
and writes the figures to bench/results/extraction-<timestamp>.json (git-ignored). The
temporary folder is removed at the end. Standard library plus the extraction package.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workspace.documents.extraction import extract_text  # noqa: E402
from workspace.documents.extraction.formats import DOCX, ODP, ODS, ODT, PPTX, XLSX  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
RESULTS = ROOT / "bench" / "results"
WORDS = ("chaudière", "réseau", "énergie", "bâtiment", "œuvre", "façade", "isolation", "Coulaines",
         "Yvré-l'Évêque", "Sargé-lès-le-Mans", "Allonnes", "Mulsanne", "maîtrise", "chaufferie",
         "été", "hiver", "coût", "économie", "rénovation", "Ça", "école", "gymnase", "pompe")
# Office fixtures: the word replaced in their main part to make each copy different.
OFFICE = {"odt": ("atelier.odt", ODT), "docx": ("atelier.docx", DOCX),
          "ods": ("communes.ods", ODS), "xlsx": ("communes.xlsx", XLSX),
          "odp": ("presentation.odp", ODP), "pptx": ("presentation.pptx", PPTX)}
TEXTUAL = {"txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "html": "text/html"}
KINDS = ["pdf", *OFFICE, *TEXTUAL]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def office_variant(source: Path, target: Path, word: str) -> None:
    """Copy a zip container, with "condensation" replaced by ``word`` in its XML parts
    (mimetype kept first and stored, as ODF requires)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(b"condensation", word.encode())
            copy.writestr(info, data, compress_type=info.compress_type)


def text_document(kind: str, rng: random.Random) -> str:
    size = rng.randint(2_000, 60_000)
    if kind == "csv":
        lines = ["Commune;Équipement;Coût"]
        while sum(map(len, lines)) < size:
            lines.append(f"{rng.choice(WORDS)};{sentence(rng)};{rng.randint(100, 90_000)}")
        return "\n".join(lines)
    paragraphs = []
    while sum(map(len, paragraphs)) < size:
        paragraphs.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 6))))
    if kind == "html":
        body = "".join(f"<p class=\"texte\">{p}</p>\n" for p in paragraphs)
        return (f"<!doctype html><html lang=\"fr\"><head><title>{sentence(rng)}</title>"
                f"<style>p {{ margin: 0 }}</style></head><body><h1>Compte rendu</h1>{body}"
                "</body></html>")
    if kind == "md":
        return "# Compte rendu\n\n" + "\n\n".join(f"- {p}" for p in paragraphs)
    return "\n\n".join(paragraphs)


def build_corpus(folder: Path, count: int) -> list[tuple[str, str, str]]:
    """(path, mime, kind) for ``count`` documents, the kinds in turn."""
    rng = random.Random(2024)
    corpus = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        path = folder / f"document-{number:04d}.{kind}"
        if kind == "pdf":
            shutil.copyfile(FIXTURES / "atelier.pdf", path)
            mime = "application/pdf"
        elif kind in OFFICE:
            name, mime = OFFICE[kind]
            office_variant(FIXTURES / name, path, f"{rng.choice(WORDS)} n° {number}")
        else:
            mime = TEXTUAL[kind]
            path.write_text(text_document(kind, rng), encoding="utf-8")
        corpus.append((str(path), mime, kind))
    return corpus


def timed_extraction(item: tuple[str, str, str]) -> tuple[str, str, float]:
    path, mime, kind = item
    started = time.perf_counter()
    result = extract_text(path, mime)
    return kind, result.status, time.perf_counter() - started


def run(corpus: list[tuple[str, str, str]], workers: int) -> dict:
    started = time.perf_counter()
    if workers == 1:
        outcomes = [timed_extraction(item) for item in corpus]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(timed_extraction, corpus, chunksize=4))
    wall = time.perf_counter() - started
    durations = [seconds for _, _, seconds in outcomes]
    per_kind = defaultdict(list)
    for kind, _, seconds in outcomes:
        per_kind[kind].append(seconds)
    return {
        "workers": workers,
        "documents": len(corpus),
        "wall_seconds": round(wall, 2),
        "documents_per_second": round(len(corpus) / wall, 1),
        "p50_ms": round(percentile(durations, 50) * 1000, 1),
        "p95_ms": round(percentile(durations, 95) * 1000, 1),
        "statuses": dict(Counter(status for _, status, _ in outcomes)),
        "p50_ms_per_kind": {kind: round(percentile(values, 50) * 1000, 1)
                            for kind, values in per_kind.items()},
    }


def percentile(values: list[float], rank: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[rank - 1]


def report(figures: dict) -> None:
    label = "sequential" if figures["workers"] == 1 else f"pool of {figures['workers']}"
    print(f"{label:>12}: {figures['documents']} documents in {figures['wall_seconds']} s, "
          f"{figures['documents_per_second']} documents/s, p50 {figures['p50_ms']} ms, "
          f"p95 {figures['p95_ms']} ms, statuses {figures['statuses']}")
    kinds = ", ".join(f"{kind} {ms}" for kind, ms in figures["p50_ms_per_kind"].items())
    print(f"{'':>12}  p50 per format (ms): {kinds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tilt-extraction-bench-"))
    try:
        corpus = build_corpus(folder, args.count)
        size = sum(Path(path).stat().st_size for path, _, _ in corpus)
        print(f"{len(corpus)} documents, {size / 1024**2:.1f} MiB, in {folder}")
        runs = [run(corpus, workers=1), run(corpus, workers=2)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for figures in runs:
        report(figures)
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"extraction-{datetime.now():%Y%m%d-%H%M%S}.json"
    output.write_text(json.dumps({"python": platform.python_version(),
                                  "machine": platform.machine(), "runs": runs},
                                 indent=2, ensure_ascii=False))
    print(f"written to {output.relative_to(ROOT)}")
    return 0 if all(figures["statuses"] == {"done": args.count} for figures in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
