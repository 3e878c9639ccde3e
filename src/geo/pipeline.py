"""The build: documents -> mentions -> places -> claims, as plain functions over in-memory data.

`geoparse` is the text-level step that `python -m geo geoparse` exposes; `build_corpus` runs it over
a folder and joins the claims. Files are read and written only in `build_corpus`/`write_outputs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.claims import claim_rows
from geo.documents import Document, read_corpus
from geo.gazetteer import Gazetteer, load_index
from geo.recognize import MentionFinder
from geo.resolve import ResolvedMention, Resolver
from geo.schema import (
    PLACE_COLUMNS,
    PlaceRecord,
    claims_frame,
    places_frame,
    read_places,
    write_csv_atomically,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = PROJECT_DIR / "seeds"
DEFAULT_PLACES_CSV = PROJECT_DIR / "data" / "places.csv"


@dataclass
class BuildResult:
    places: pd.DataFrame  # the places that claims refer to (PLACE_COLUMNS)
    claims: pd.DataFrame  # CLAIM_COLUMNS
    documents: dict[str, Document]
    warnings: list[str] = field(default_factory=list)
    kept_places: list[PlaceRecord] = field(default_factory=list)  # curated/cached input rows
    unresolved: list[dict] = field(default_factory=list)  # mentions recognised but not placed


class Geoparser:
    """Recognition and resolution over one gazetteer; the same object serves build and geoparse."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.finder = MentionFinder(gazetteer)
        self.resolver = Resolver(gazetteer)

    def parse(self, text: str) -> tuple[list[ResolvedMention], list]:
        """Resolved mentions, and the recognised mentions no place could be given to."""
        mentions = self.finder.find(text)
        resolved = self.resolver.resolve(mentions)
        placed = {id(r.mention) for r in resolved}
        return resolved, [m for m in mentions if id(m) not in placed]


def load_gazetteer(
    places_csv: Path | None = DEFAULT_PLACES_CSV, base: Gazetteer | None = None
) -> tuple[Gazetteer, list[PlaceRecord]]:
    """The cached base index with the curated and geocoder-cached rows of places_csv laid over it."""
    kept = [r for r in read_places(places_csv) if r.origin != "gazetteer"] if places_csv else []
    return (base if base is not None else load_index()).with_places(kept), kept


def build_documents(
    documents: list[Document], geoparser: Geoparser
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    rows: list[dict] = []
    unresolved: list[dict] = []
    used: dict[str, int] = {}
    g = geoparser.gazetteer
    for document in documents:
        resolved, unplaced = geoparser.parse(document.text)
        # "Georgetown University" names a university: no claim about Georgetown.
        resolved = [r for r in resolved if not r.mention.embedded]
        unplaced = [m for m in unplaced if not m.embedded]
        rows += claim_rows(document, resolved, g)
        for item in resolved:
            used.setdefault(g.place_id[item.index], item.index)
        unresolved += [
            {
                "doc_id": document.doc_id,
                "mention": m.text,
                "start": m.start,
                "end": m.end,
                # Ordinary words ("August") are recognised candidates too; see online geocoding.
                "ordinary_word": m.common_word or m.zipf >= 3.0,
            }
            for m in unplaced
        ]
    places = places_frame([g.record(i) for i in used.values()])
    return places, claims_frame(rows), unresolved


def build_corpus(
    corpus_dir: Path = DEFAULT_CORPUS,
    places_csv: Path | None = DEFAULT_PLACES_CSV,
    gazetteer: Gazetteer | None = None,
) -> BuildResult:
    """Read a corpus folder and return its places and claims (nothing is written)."""
    documents, warnings = read_corpus(Path(corpus_dir))
    layered, kept = load_gazetteer(places_csv, gazetteer)
    geoparser = Geoparser(layered)
    places, claims, unresolved = build_documents(documents, geoparser)
    return BuildResult(
        places=places,
        claims=claims,
        documents={d.doc_id: d for d in documents},
        warnings=warnings,
        kept_places=kept,
        unresolved=unresolved,
    )


def output_places(result: BuildResult) -> pd.DataFrame:
    """places.csv as written: every curated or cached input row, then the gazetteer places used."""
    kept = places_frame(result.kept_places)
    generated = result.places[~result.places["place_id"].isin(kept["place_id"])]
    frame = pd.concat([kept, generated], ignore_index=True)
    return frame[PLACE_COLUMNS]


def write_outputs(result: BuildResult, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    places_path, claims_path = out_dir / "places.csv", out_dir / "claims.csv"
    write_csv_atomically(output_places(result), places_path)
    write_csv_atomically(result.claims, claims_path)
    return places_path, claims_path
