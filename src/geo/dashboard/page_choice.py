"""Which page `streamlit run app.py` draws: the in-memory page, or the page that queries a build's
claims where they lie (geo.dashboard.query_page) when the corpus has a large built output.

A corpus's built output is the folder of the places file the app is given (`--places OUT/places.csv`;
by default data/, where `python -m geo build` writes). It is taken when its claims.parquet holds
more than LARGE_BUILD_CLAIMS claims and its first documents are files of the corpus (so that the
build of another corpus is never shown under this one's name). `--built OUT` always takes the
query page, `--in-memory` never does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from geo.documents.reading import DOCUMENT_SUFFIXES
from geo.store.claims_parquet import CLAIMS_PARQUET, count_rows, first_doc_ids

# Above this many claims the in-memory page would hold more than about 1.3 GB (it held 1.6 GB for
# 10,000 reports, about 370,000 claims: bench/results/app.md); the query page holds the places.
LARGE_BUILD_CLAIMS = 300_000


@dataclass(frozen=True)
class LargeBuild:
    folder: Path  # the build's output folder (places.csv, claims.parquet)
    claims: int
    newer_documents: int  # documents of the corpus changed since the build


def large_build_for(corpus: Path, places_csv: Path) -> LargeBuild | None:
    """The corpus's built output when it is large enough for the query page, else None."""
    folder = Path(places_csv).parent
    parquet = folder / CLAIMS_PARQUET
    if not (parquet.is_file() and (folder / "places.csv").is_file()):
        return None
    try:
        claims = count_rows(parquet)
        if claims <= LARGE_BUILD_CLAIMS or not _of_corpus(first_doc_ids(parquet), Path(corpus)):
            return None
        built = parquet.stat().st_mtime_ns
    except (OSError, ValueError):  # not a Parquet file, or unreadable: the in-memory page
        return None
    return LargeBuild(folder, claims, _newer_documents(Path(corpus), built))


def _of_corpus(doc_ids: list[str], corpus: Path) -> bool:
    return any(
        (corpus / f"{doc_id}{suffix}").is_file()
        for doc_id in doc_ids
        for suffix in DOCUMENT_SUFFIXES
    )


def _newer_documents(corpus: Path, built_ns: int) -> int:
    """Document files of the corpus modified after the build's claims were written."""
    newer = 0
    with os.scandir(corpus) as entries:
        for entry in entries:
            try:
                if (
                    os.path.splitext(entry.name)[1].lower() in DOCUMENT_SUFFIXES
                    and entry.stat().st_mtime_ns > built_ns
                ):
                    newer += 1
            except OSError:
                continue
    return newer


def switch_note(large: LargeBuild) -> str:
    """What the page says about the switch (plain text: the caller escapes it)."""
    note = (
        f"{large.claims:,} claims, more than the {LARGE_BUILD_CLAIMS:,} this page loads in "
        f"memory: they are queried where they lie, in {large.folder / CLAIMS_PARQUET}. "
        "Start the app with --in-memory to load them anyway."
    )
    if large.newer_documents:
        note += (
            f" {large.newer_documents:,} document(s) changed since that build: run "
            f"python -m geo build --out {large.folder} to include them."
        )
    return note
