"""The build: documents -> mentions -> places -> claims, as plain functions over in-memory data.

`geoparse` is the text-level step that `python -m geo geoparse` exposes; `build_corpus` runs it over
a folder and joins the claims. Files are read and written only in `build_corpus`/`write_outputs`.

Documents are read and geoparsed independently of one another, in chunks: in forked worker
processes when `jobs` > 1 (the gazetteer, loaded once in the parent, is shared copy-on-write), and
only when they changed since the last build when a build cache is given (`geo.build.cache`). The
parent lists the folder, hands out chunks of file names and joins what comes back; reading (decode,
hash, header) is done by the process that geoparses the file, so that the parent's serial share of
a parallel build stays small. Either way the output
is the same, in document order. The build on a dask.distributed cluster is
`geo.build.cluster_build`: its workers read the documents and write their claims as Parquet parts
themselves, through this module's per-document functions, and `write_outputs` merges the parts.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.build.cache import (
    BuildCache,
    NewDocument,
    ReadingState,
    build_fingerprint,
    remembered_places,
)
from geo.build.claims import (
    CLAIM_KEYS,
    MAX_CLAIMS_PER_DOCUMENT,
    claim_columns,
    first_mentions,
    rows_of,
    too_many_claims_warning,
)
from geo.build.progress import Reporter, StageClock
from geo.documents.reading import (
    Document,
    corpus_documents,
    extract_metadata,
    list_folder,
    read_document,
    read_listed,
)
from geo.places.gazetteer import Gazetteer, cache_path, load_index
from geo.places.recognize import MentionFinder
from geo.places.resolve import ResolvedMention, Resolver
from geo.store import claims_file, heap
from geo.store.claims_index import write_claims_index
from geo.store.claims_parquet import (
    CLAIMS_PARQUET,
    frame_claims_table,
    merge_parts,
    write_claims_parquet,
)
from geo.store.excerpts import TextsOf, contract_claims, excerpt_array
from geo.store.parquet_stitch import stitch_parquet
from geo.store.schema import (
    CORPUS_PLACES_CSV,
    FRAME_CLAIM_COLUMNS,
    PLACE_COLUMNS,
    PlaceRecord,
    claims_frame,
    parse_places,
    places_frame,
    read_places,
    write_csv_atomically,
)
from geo.text.normalize import name_key

PROJECT_DIR = Path(__file__).resolve().parents[3]
DEFAULT_CORPUS = PROJECT_DIR / "seeds"
DEFAULT_PLACES_CSV = PROJECT_DIR / "data" / "places.csv"


@dataclass
class ClaimsParts:
    """Where a cluster build left its claims: row ranges of Parquet parts, in document order."""

    runs: list[tuple[str, int, int]]  # (part URL, first row, rows)
    # The same rows merged on the workers into Parquet files of whole row groups, in order:
    # claims.parquet is their bytes stitched together (geo.store.parquet_stitch). None: merge runs.
    segments: list[str] | None = None

    @property
    def rows(self) -> int:
        return sum(rows for _, _, rows in self.runs)


@dataclass
class BuildResult:
    places: pd.DataFrame  # the places that claims refer to (PLACE_COLUMNS)
    # FRAME_CLAIM_COLUMNS: the excerpt is documents[doc_id].text[excerpt_start:excerpt_end]
    # (claims_with_excerpts), not a copy per claim. None after a build on a cluster, whose
    # claims (CLAIM_COLUMNS) stay in claims_parts.
    claims: pd.DataFrame | None
    documents: dict[str, Document]
    warnings: list[str] = field(default_factory=list)
    kept_places: list[PlaceRecord] = field(default_factory=list)  # curated/cached input rows
    # The kept rows of the corpus's own places file (corpus_places_csv), laid over kept_places.
    # Inputs like them, but they stay in the corpus folder: write_outputs does not copy them.
    corpus_places: list[PlaceRecord] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)  # mentions recognised but not placed
    # The claims as claims.csv lines (UTF-8), one piece per document (geo.store.claims_file); None when
    # unknown. Pieces from the build cache are views of its files: write them, do not keep them.
    claims_csv: list[bytes | memoryview] | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per stage (STAGES), summed over jobs
    reused: int = 0  # documents whose results came from the build cache
    claims_parts: ClaimsParts | None = None  # after a build on a cluster

    @property
    def n_claims(self) -> int:
        return self.claims_parts.rows if self.claims is None else len(self.claims)

    def texts(self) -> TextsOf:
        """doc_id -> the document's text, which the claims' excerpts are spans of (the same
        object on every call while `documents` is the same, for memos keyed on it)."""
        texts = self.__dict__.get("_texts")
        if texts is None or texts.documents is not self.documents:
            texts = self.__dict__["_texts"] = TextsOf(self.documents)
        return texts

    def claims_with_excerpts(self) -> pd.DataFrame:
        """The claims with the data contract's columns (CLAIM_COLUMNS), excerpt included."""
        return contract_claims(self.claims, self.texts())


# Rows of a sheet in Excel and LibreOffice Calc: beyond this, claims.csv is written on request only.
SPREADSHEET_ROWS = 1_048_576
STAGES = ("read", "find", "resolve", "claims", "write")
CHUNK_DOCUMENTS = 50  # documents per unit of work handed to a worker


class Geoparser:
    """Recognition and resolution over one gazetteer; the same object serves build and geoparse."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.finder = MentionFinder(gazetteer)
        self.resolver = Resolver(gazetteer)

    def mentions(self, text: str, doc_id: str | None = None) -> list:
        """The names recognised in a text, less those a reviewer marked as not a place (in the
        document `doc_id`, or everywhere): they neither make a claim nor weigh as context."""
        mentions = self.finder.find(text)
        g = self.gazetteer
        if not g.not_places:
            return mentions
        return [m for m in mentions if not g.is_not_a_place(name_key(m.text), doc_id)]

    def parse(
        self, text: str, seconds: dict[str, float] | None = None, doc_id: str | None = None
    ) -> tuple[list[ResolvedMention], list]:
        """Resolved mentions, and the recognised mentions no place could be given to.

        `seconds`, when given, accumulates the time spent in the "find" and "resolve" stages;
        `doc_id` names the document, for the names marked as not a place in it only."""
        started = time.perf_counter()
        mentions = self.mentions(text, doc_id)
        found = time.perf_counter()
        resolved = self.resolver.resolve(mentions, text)
        if seconds is not None:
            seconds["find"] += found - started
            seconds["resolve"] += time.perf_counter() - found
        placed = {id(r.mention) for r in resolved}
        return resolved, [m for m in mentions if id(m) not in placed]


def load_gazetteer(
    places_csv: Path | None = DEFAULT_PLACES_CSV,
    base: Gazetteer | None = None,
    corpus_dir: Path | None = None,
) -> tuple[Gazetteer, list[PlaceRecord]]:
    """The cached base index with the curated and geocoder-cached rows of places_csv laid over it,
    and then those of the corpus's own places file (`corpus_places_csv`) when there is one."""
    kept = kept_places(places_csv) + corpus_places(corpus_dir, places_csv)
    return (base if base is not None else load_index()).with_places(kept), kept


def corpus_places_csv(corpus_dir: Path) -> Path:
    """The corpus's own places file: its curated rows and the corrections made while reviewing it."""
    return Path(corpus_dir) / CORPUS_PLACES_CSV


def corpus_places(
    corpus_dir: Path | None, places_csv: Path | None, cache_dir: Path | None = None
) -> list[PlaceRecord]:
    """The kept rows of the corpus's own places file, laid over those of `places_csv` (none when
    it is that same file, or when there is no such file)."""
    if corpus_dir is None:
        return []
    own = corpus_places_csv(corpus_dir)
    if places_csv is not None and _same_file(own, Path(places_csv)):
        return []
    return kept_places(own, cache_dir)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def kept_places(places_csv: Path | None, cache_dir: Path | None = None) -> list[PlaceRecord]:
    """The curated and geocoder-cached rows of places_csv: inputs that every build keeps.

    With a build cache folder, the validated rows are remembered there per content of the file."""
    if not places_csv:
        return []
    if cache_dir is not None:
        return remembered_places(Path(cache_dir), Path(places_csv), _is_kept)
    return [r for r in read_places(places_csv) if _is_kept(r)]


def kept_places_in(data: bytes, source: str) -> list[PlaceRecord]:
    """The curated and geocoder-cached rows of a places file's bytes, read from `source` (a URL:
    a corpus's own curated-places.csv in an object store), validated."""
    return [r for r in parse_places(data, source) if _is_kept(r)]


def _is_kept(record: PlaceRecord) -> bool:
    return record.origin != "gazetteer"


@dataclass
class DocumentClaims:
    """What one document adds to the build."""

    columns: dict[str, list]  # its claims, column by column (geo.build.claims.CLAIM_KEYS)
    place_ids: tuple[str, ...]  # the places they refer to, first use first
    unresolved: tuple[dict, ...]  # mentions recognised but not placed
    found: int = 0  # the resolved mentions before MAX_CLAIMS_PER_DOCUMENT cut them (0: not cut)

    @property
    def n_rows(self) -> int:
        return len(self.columns["claim_id"])

    @property
    def rows(self) -> list[dict]:
        """Its claims as one dict each (CLAIM_COLUMNS, and excerpt_end)."""
        return rows_of(self.columns)


def document_claims(
    document: Document, geoparser: Geoparser, seconds: dict[str, float] | None = None
) -> DocumentClaims:
    document = document.whole()  # a long text kept in the build cache's file, decoded
    resolved, unplaced = geoparser.parse(document.text, seconds, document.doc_id)
    started = time.perf_counter()
    # "Georgetown University" names a university: no claim about Georgetown.
    resolved = [r for r in resolved if not r.mention.embedded]
    found = len(resolved) if len(resolved) > MAX_CLAIMS_PER_DOCUMENT else 0
    resolved = first_mentions(resolved, MAX_CLAIMS_PER_DOCUMENT)
    # The names left unplaced: as many, from the start of the text.
    unplaced = first_mentions(unplaced, MAX_CLAIMS_PER_DOCUMENT)
    g = geoparser.gazetteer
    columns = claim_columns(document, resolved, g)
    unresolved = tuple(
        {
            "doc_id": document.doc_id,
            "mention": m.text,
            "start": m.start,
            "end": m.end,
            # Ordinary words ("August") are recognised candidates too; see online geocoding.
            "ordinary_word": m.common_word or m.zipf >= 3.0,
        }
        for m in unplaced
        if not m.embedded
    )
    place_ids = tuple(dict.fromkeys(g.place_id[r.index] for r in resolved))
    if seconds is not None:
        seconds["claims"] += time.perf_counter() - started
    return DocumentClaims(columns, place_ids, unresolved, found)


@dataclass
class _Chunk:
    """What a worker hands back for a chunk of files: the documents read, their claims and what
    reading added to the build cache (not the places: the parent has the same gazetteer)."""

    # Per file: the document read (None: skipped), the messages about it, its cache key, and its
    # claims' rows in `claims` as (first row, rows), or None when the build cache has them.
    files: list[tuple[Document | None, list[str], str, tuple[int, int] | None]]
    claims: pd.DataFrame  # the rows of its geoparsed documents, in order (FRAME_CLAIM_COLUMNS)
    documents: list[NewDocument]  # those documents' entries, in order
    seconds: dict[str, float]
    reading: ReadingState | None  # what reading added to the build cache


@dataclass(frozen=True)
class _Work:
    """A build's files to read and geoparse, with what every chunk of them needs."""

    # Per file: (name, path) to read, or the document that the build cache gave the parent.
    files: list[tuple[str, str] | Document]
    sources: dict[str, dict]
    geoparser: Geoparser
    cache: BuildCache | None


def _read_and_geoparse(work: _Work, first: int, stop: int) -> _Chunk:
    """Read files first..stop-1 of `work` and geoparse those the build cache does not know."""
    seconds = dict.fromkeys(STAGES, 0.0)
    cache = work.cache
    started = time.perf_counter()
    read = cache.reader(read_document, extract_metadata) if cache is not None else read_document
    found: list[tuple[Document | None, list[str], str]] = []
    for item in work.files[first:stop]:
        if isinstance(item, Document):
            document, notes = item, []
        else:
            document, notes = read_listed(item[1], item[0], work.sources, read)
        key = cache.key(document) if cache is not None and document is not None else ""
        found.append((document, notes, key))
    reading = cache.take_reading() if cache is not None else None
    seconds["read"] += time.perf_counter() - started
    new = [
        document is not None and (cache is None or key not in cache.documents)
        for document, _, key in found
    ]
    chunk = _geoparse_chunk(
        [document for (document, _, _), is_new in zip(found, new, strict=True) if is_new],
        [key for (_, _, key), is_new in zip(found, new, strict=True) if is_new],
        work.geoparser,
        seconds,
    )
    files, row, entries = [], 0, iter(chunk.documents)
    for (document, notes, key), is_new in zip(found, new, strict=True):
        span = None
        if is_new:
            entry = next(entries)
            span, row = (row, entry.n_rows), row + entry.n_rows
        files.append((document, notes, key, span))
    return _Chunk(files, chunk.claims, chunk.documents, seconds, reading)


@dataclass
class _Geoparsed:
    claims: pd.DataFrame  # the rows of its documents, in order (FRAME_CLAIM_COLUMNS)
    documents: list[NewDocument]


def _geoparse_chunk(
    documents: list[Document], keys: list[str], geoparser: Geoparser, seconds: dict[str, float]
) -> _Geoparsed:
    found = [document_claims(document, geoparser, seconds) for document in documents]
    # The chunk's rows as one Arrow table: its claims frame and its claims.csv lines.
    started = time.perf_counter()
    columns: dict[str, list] = {key: [] for key in CLAIM_KEYS}
    for claims in found:
        for key, values in claims.columns.items():
            columns[key] += values
    table = claims_file.columns_table(columns) if columns["claim_id"] else None
    seconds["claims"] += time.perf_counter() - started
    # Serialised here, in parallel, not at the end; the whole chunk at once, column by column.
    started = time.perf_counter()
    texts = [b""] * len(found)
    if table is not None:
        text, offsets = claims_file.table_lines(table)
        bounds = np.cumsum([0, *(claims.n_rows for claims in found)])
        texts = [text[offsets[a] : offsets[b]] for a, b in zip(bounds, bounds[1:], strict=False)]
    seconds["write"] += time.perf_counter() - started
    done = [
        NewDocument(key, claims.n_rows, claims.place_ids, claims.unresolved, text, claims.found)
        for key, claims, text in zip(keys, found, texts, strict=True)
    ]
    started = time.perf_counter()
    frame = _frame(table, columns["excerpt_end"])
    seconds["claims"] += time.perf_counter() - started
    return _Geoparsed(frame, done)


def _frame(table, excerpt_ends: list[int]) -> pd.DataFrame:
    """The claims frame (FRAME_CLAIM_COLUMNS) of rows whose Arrow table (CLAIM_COLUMNS) is `table`
    and whose excerpts end at `excerpt_ends`: the excerpt's text leaves, its end offset comes in."""
    if table is None:
        return claims_frame([], FRAME_CLAIM_COLUMNS)
    ends = pa.array(excerpt_ends, type=pa.int64())
    table = table.drop_columns(["excerpt"])
    table = table.add_column(FRAME_CLAIM_COLUMNS.index("excerpt_end"), "excerpt_end", ends)
    return table.to_pandas()


# What forked workers inherit: the build's _Work. Only chunk bounds cross the pipe to them.
_FORKED: _Work | None = None


def _read_and_geoparse_in_worker(bounds: tuple[int, int]) -> _Chunk:
    return _read_and_geoparse(_FORKED, *bounds)


# On a Dask worker: the geoparser of each build fingerprint, loaded by the first task that needs it
# and kept for the next ones (a worker serves many tasks, often of the same build).
_WORKER_GEOPARSERS: dict[str, Geoparser] = {}
_WORKER_LOCK = threading.Lock()


def worker_geoparser(layers: list[PlaceRecord], fingerprint: str) -> Geoparser:
    """On a Dask worker: the geoparser of this build, loaded by the first task that needs it.

    Fails with a clear message when the worker's code or data differ from the client's."""
    with _WORKER_LOCK:
        geoparser = _WORKER_GEOPARSERS.get(fingerprint)
        if geoparser is None:
            mine = build_fingerprint(layers)
            if mine != fingerprint:
                raise RuntimeError(
                    f"this worker runs other code or data packages than the client (build "
                    f"fingerprint {mine}, client {fingerprint}): install the same version of "
                    "the project where the workers run"
                )
            _WORKER_GEOPARSERS.clear()  # one build's index at a time
            geoparser = Geoparser(load_index().with_places(layers))
            _WORKER_GEOPARSERS[fingerprint] = geoparser
    return geoparser


def _read_and_geoparse_all(
    work: _Work, jobs: int = 1, on_progress: Callable[[int], None] | None = None
) -> list[_Chunk]:
    """Read and geoparse the work's files in chunks, in `jobs` forked processes when there is
    more than one chunk (and the platform can fork); the chunks come back in order.
    `on_progress` is told how many files are done after each chunk."""
    global _FORKED
    n = len(work.files)
    bounds = [(a, min(a + CHUNK_DOCUMENTS, n)) for a in range(0, n, CHUNK_DOCUMENTS)]

    def counted(chunks) -> list[_Chunk]:
        out = []
        for (_, end), chunk in zip(bounds, chunks, strict=True):
            out.append(chunk)
            if on_progress is not None:
                on_progress(end)
        return out

    if jobs <= 1 or len(bounds) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return counted(_read_and_geoparse(work, a, b) for a, b in bounds)
    _FORKED = work
    # Frozen objects are left alone by the collector, so the workers' pages stay shared.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(bounds))) as pool:
            # imap: the chunks in order, each as soon as it and those before it are done
            return counted(pool.imap(_read_and_geoparse_in_worker, bounds, chunksize=1))
    finally:
        _FORKED = None
        gc.unfreeze()


def _concat_claims(pieces: list[tuple[pd.DataFrame, int, int]]) -> pd.DataFrame:
    """The claim rows of every piece (frame, first row, end row), in order."""
    merged: list[list] = []
    for frame, start, stop in pieces:
        if start == stop:
            continue
        if merged and merged[-1][0] is frame and merged[-1][2] == start:
            merged[-1][2] = stop  # contiguous rows of one frame: one slice
        else:
            merged.append([frame, start, stop])
    if not merged:
        return claims_frame([], FRAME_CLAIM_COLUMNS)
    if len(merged) == 1 and merged[0][1] == 0 and merged[0][2] == len(merged[0][0]):
        return merged[0][0].reset_index(drop=True)
    return pd.concat([f.iloc[a:b] for f, a, b in merged], ignore_index=True)


def build_corpus(
    corpus_dir: Path = DEFAULT_CORPUS,
    places_csv: Path | None = DEFAULT_PLACES_CSV,
    gazetteer: Gazetteer | None = None,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Reporter | None = None,
) -> BuildResult:
    """Read a corpus folder and return its places and claims (only the build cache is written).

    `gazetteer` is the base index (default: `load_index()`, loaded only if a document needs
    geoparsing); `jobs` > 1 geoparses in that many forked processes (on a dask.distributed
    cluster: `geo.build.cluster_build.build_on_cluster`); `cache_dir` keeps each document's results so that the next build geoparses only the
    documents that changed; `progress` is told each stage and how many documents are done.
    """
    with heap.fewer_collections():
        return _build_corpus(corpus_dir, places_csv, gazetteer, jobs, cache_dir, progress)


def _build_corpus(
    corpus_dir: Path,
    places_csv: Path | None,
    gazetteer: Gazetteer | None,
    jobs: int,
    cache_dir: Path | None,
    progress: Reporter | None,
) -> BuildResult:
    report = StageClock(progress)
    seconds = dict.fromkeys(STAGES, 0.0)
    started = time.perf_counter()
    kept = kept_places(places_csv, cache_dir)
    own = corpus_places(corpus_dir, places_csv, cache_dir)
    layers = kept + own  # the corpus's own rows last: they win over the places file's
    cache = BuildCache.open(Path(cache_dir), build_fingerprint(layers)) if cache_dir else None
    report("read")  # after the places files: a bad one is the first and only line printed
    listing = list_folder(Path(corpus_dir))
    # Files that an earlier build read are read here, through the build cache (an unchanged file
    # from it: no decoding, hash or header to read), to learn whether it has their claims; every
    # other file is read by the process that geoparses it.
    known: dict[int, tuple[Document | None, list[str], str]] = {}
    work: list[tuple[str, str] | Document] = []
    positions: list[int] = []  # in listing.entries, of each file of `work`
    read = cache.reader(read_document, extract_metadata) if cache is not None else None
    for position, entry in enumerate(listing.entries):
        if isinstance(entry, str):
            continue
        name, path = entry
        if cache is None or not cache.knows(path):
            work.append(entry)
            positions.append(position)
            continue
        document, notes = read_listed(path, name, listing.sources, read)
        key = cache.key(document) if document is not None else ""
        if document is not None and key not in cache.documents:
            work.append(document)  # changed since: geoparsed again
            positions.append(position)
            continue
        known[position] = (document, notes, key)
    # What the workers' copies of the cache read is handed back to it chunk by chunk; this first.
    read_first = cache.take_reading() if cache is not None else None
    seconds["read"] += time.perf_counter() - started
    report("read", len(listing.files), len(listing.files))

    layered: Gazetteer | None = None
    chunks: list[_Chunk] = []
    if work:
        # Outside the stages: the index's load is measured on its own (bench/build.py).
        if gazetteer is None:
            report("index" if cache_path().exists() else "index-build")
        layered = (gazetteer if gazetteer is not None else load_index()).with_places(layers)
        report("geoparse", 0, len(work))
        chunks = _read_and_geoparse_all(
            _Work(work, listing.sources, Geoparser(layered), cache), jobs,
            on_progress=lambda done: report("geoparse", done, len(work)),
        )  # fmt: skip

    report("claims")
    started = time.perf_counter()
    # Per position in the listing: the document read, its messages and key, and where its rows are.
    read_here: dict[int, tuple] = {}
    new_frames: list[pd.DataFrame] = []
    new_entries: dict[int, NewDocument] = {}
    files = iter(positions)
    if read_first is not None:
        cache.absorb_reading(read_first)
    for chunk in chunks:
        for stage, spent in chunk.seconds.items():
            seconds[stage] += spent
        if chunk.reading is not None:
            cache.absorb_reading(chunk.reading)
        new = iter(chunk.documents)
        for document, notes, key, span in chunk.files:
            position = next(files)
            read_here[position] = (document, notes, key, span, len(new_frames))
            if span is not None:
                new_entries[position] = next(new)
        new_frames.append(chunk.claims)

    def read(position: int, name: str, path: str):
        found = known.get(position) or read_here[position]
        return found[0], found[1]

    documents, warnings, read_positions = corpus_documents(listing, read)
    pieces: list[tuple[pd.DataFrame, int, int]] = []
    new_pieces: list[tuple[pd.DataFrame, int, int]] = []
    new_documents: list[NewDocument] = []
    csv_pieces: list[bytes | memoryview] = []
    keys: list[str] = []
    used: dict[str, None] = {}
    new_used: dict[str, None] = {}
    unresolved: list[dict] = []
    for document, position in zip(documents, read_positions, strict=True):
        found = known.get(position)
        if found is not None:
            entry = cache.documents[found[2]]
            keys.append(found[2])
            pieces.append(cache.rows(entry))
            csv_pieces.append(cache.lines(entry))
        else:
            _, _, key, span, frame = read_here[position]
            keys.append(key)
            if span is None:  # a file touched, but its document as the cache has it
                entry = cache.documents[key]
                pieces.append(cache.rows(entry))
                csv_pieces.append(cache.lines(entry))
            else:
                entry = new_entries[position]
                piece = (new_frames[frame], span[0], span[0] + span[1])
                pieces.append(piece)
                new_pieces.append(piece)
                new_documents.append(entry)
                csv = entry.csv
                csv_pieces.append(
                    csv.encode("utf-8", "surrogatepass") if isinstance(csv, str) else csv
                )
                new_used.update(dict.fromkeys(entry.place_ids))
        used.update(dict.fromkeys(entry.place_ids))
        unresolved += entry.unresolved
        if entry.found:
            warnings.append(
                too_many_claims_warning(document.doc_id, entry.found, MAX_CLAIMS_PER_DOCUMENT)
            )
    claims = _concat_claims(pieces)
    new_claims = _concat_claims(new_pieces)

    # The places' records from the parent's own gazetteer (the workers' is a copy of it): made
    # here for the few thousand places used, rather than unpickled chunk by chunk.
    records: dict[str, PlaceRecord] = {}
    for place_id in used:
        record = None
        if place_id not in new_used and cache is not None:
            record = cache.places.get(place_id)
        if record is None:
            if layered is None:  # a cache without the record: should not happen, but recover
                layered = (gazetteer if gazetteer is not None else load_index()).with_places(layers)
            record = layered.record(layered.by_id[place_id])
        records[place_id] = record
    places = places_frame(list(records.values()))
    seconds["claims"] += time.perf_counter() - started

    if cache is not None:
        report("write")
        started = time.perf_counter()
        cache.save(new_documents, new_claims, records, set(keys))
        seconds["write"] += time.perf_counter() - started
    return BuildResult(
        places=places,
        claims=claims,
        documents={d.doc_id: d for d in documents},
        warnings=warnings,
        kept_places=kept,
        corpus_places=own,
        unresolved=unresolved,
        claims_csv=csv_pieces,
        seconds=seconds,
        reused=len(documents) - len(new_documents),
    )


def output_places(result: BuildResult) -> pd.DataFrame:
    """places.csv as written: every curated or cached input row, then the gazetteer places used."""
    kept = places_frame(result.kept_places)
    generated = result.places[~result.places["place_id"].isin(kept["place_id"])]
    frame = pd.concat([kept, generated], ignore_index=True)
    return frame[PLACE_COLUMNS]


def write_outputs(
    result: BuildResult, out_dir: Path, claims_csv: bool | None = None
) -> tuple[Path, Path]:
    """places.csv, claims.parquet with its index (geo.store.claims_index) and, when the claims fit a spreadsheet (or `claims_csv` is
    True), claims.csv in out_dir. Returns the paths of places.csv and of the claims file written
    for people: claims.csv, else claims.parquet (a claims.csv left from an earlier build is then
    removed, so that no stale claims sit beside the new ones; `python -m geo export` writes it)."""
    with heap.fewer_collections():
        return _write_outputs(result, Path(out_dir), claims_csv)


def _write_outputs(
    result: BuildResult, out_dir: Path, claims_csv: bool | None
) -> tuple[Path, Path]:
    places_path, claims_path = out_dir / "places.csv", out_dir / "claims.csv"
    write_csv_atomically(output_places(result), places_path)
    claims = None
    parts = result.claims_parts
    if parts is not None and parts.segments:  # a cluster build, merged on the workers
        stitch_parquet(parts.segments, out_dir / CLAIMS_PARQUET)
    elif parts is not None:  # a cluster build: merged here from its parts
        merge_parts(parts.runs, out_dir / CLAIMS_PARQUET)
    elif "excerpt" in result.claims.columns:
        claims = result.claims_with_excerpts()
        write_claims_parquet(claims, out_dir / CLAIMS_PARQUET)
    else:  # the files for people carry the excerpt, cut from the texts straight into Arrow
        excerpts = excerpt_array(result.claims, result.texts())
        write_claims_parquet(frame_claims_table(result.claims, excerpts), out_dir / CLAIMS_PARQUET)
    write_claims_index(out_dir / CLAIMS_PARQUET)  # what the DuckDB page asks, answered once
    if claims_csv is None:
        claims_csv = fits_a_spreadsheet(result.n_claims)
    if not claims_csv:
        claims_path.unlink(missing_ok=True)
        return places_path, out_dir / CLAIMS_PARQUET
    if result.claims_parts is not None:
        claims_file.write_claims_text(
            claims_file.parquet_lines(out_dir / CLAIMS_PARQUET), claims_path
        )
    elif result.claims_csv is not None and len(result.claims_csv) == len(result.documents):
        claims_file.write_claims_text(result.claims_csv, claims_path)  # same bytes, no re-encoding
    else:
        write_csv_atomically(
            claims if claims is not None else result.claims_with_excerpts(), claims_path
        )
    return places_path, claims_path


def fits_a_spreadsheet(n_claims: int) -> bool:
    """Whether claims.csv, with its header, opens whole in a spreadsheet."""
    return n_claims + 1 <= SPREADSHEET_ROWS
