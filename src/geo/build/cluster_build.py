"""The build with its per-document work on a dask.distributed cluster (`python -m geo build
--scheduler ADDR`), without the claims ever passing through the client.

The client lists the corpus (a local folder every worker can read, or an fsspec URL) and sends the
workers only file names, in partitions of `pipeline.CHUNK_DOCUMENTS`. Each task reads its documents where they
lie, geoparses them with the worker's gazetteer (loaded once per worker and kept), writes their
claims as one Parquet part into the cache's parts folder (`geo.build.parts_cache`), and returns per
document what the final step needs: the part and row range of its claims, its places, its
unresolved mentions and its messages. The merge is on the workers too: tasks merge consecutive
row ranges of the parts into segments of whole row groups (`merge_on_cluster`), and the final step
(`geo.build.pipeline.write_outputs`) only stitches the segments' bytes into OUT/claims.parquet
(`geo.store.parquet_stitch`) and writes claims.csv from it batch by batch, so that neither the
client's memory nor its work grows with more than a copy of the claims. The output is the one
the one-machine build writes, claims.parquet byte for byte included.

Incremental: a file whose stamp (size, modification time, inode) and sources.csv row are unchanged
since the last cluster build is not sent again; its claims stay in their part.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from geo.build import cluster, pipeline
from geo.build.cache import build_fingerprint
from geo.build.claims import MAX_CLAIMS_PER_DOCUMENT, too_many_claims_warning
from geo.build.parts_cache import DocumentEntry, PartsCache
from geo.build.pipeline import (
    STAGES,
    BuildResult,
    ClaimsParts,
    corpus_places,
    document_claims,
    kept_places,
    kept_places_in,
    worker_geoparser,
)
from geo.build.progress import Reporter, StageClock
from geo.documents.listing import ListedFile, is_url, list_corpus, read_document_at
from geo.documents.reading import passed_over_notes, read_listed, unmatched_sources
from geo.store import claims_file, claims_parquet
from geo.store.claims_parquet import write_part
from geo.store.schema import PlaceRecord, places_frame

CLUSTER_CACHE_DIRNAME = "cluster"  # in the build cache folder: manifest, parts and segments
# Row groups (of claims_parquet.ROW_GROUP_ROWS claims) per merge task: 1,048,576 claims.
SEGMENT_ROW_GROUPS = 8


def _override(sources: dict[str, dict], file: ListedFile) -> str:
    doc_id = file.name[: file.name.rfind(".")]
    return repr(sources.get(doc_id) or sources.get(file.name))


def geoparse_part(
    files: list[ListedFile], shared: tuple[list[PlaceRecord], str, dict, str]
) -> dict:
    """One task on a worker: read, geoparse and write the claims of a partition of files.

    Returns per file its entry (None when it was skipped), its messages, the part's places and
    the seconds per stage; never the claims themselves."""
    layers, fingerprint, sources, parts_folder = shared
    seconds = dict.fromkeys(STAGES, 0.0)
    geoparser = worker_geoparser(layers, fingerprint)
    started = time.perf_counter()
    read = [read_listed(f.url, f.name, sources, read_document_at) for f in files]
    seconds["read"] += time.perf_counter() - started
    rows: list[dict] = []
    entries: list[tuple] = []  # per file: (document, first_row, n_rows, place_ids, unresolved)
    for document, _ in read:
        if document is None:
            entries.append(None)
            continue
        found = document_claims(document, geoparser, seconds)
        entries.append(
            (document, len(rows), len(found.rows), found.place_ids, found.unresolved, found.found)
        )
        rows += found.rows
    started = time.perf_counter()
    # The same frame as the one-machine build makes of a chunk's rows, so the same Parquet values.
    part = write_part(claims_file.rows_table(rows).to_pandas(), parts_folder) if rows else ""
    seconds["write"] += time.perf_counter() - started
    g = geoparser.gazetteer
    used = {pid for entry in entries if entry is not None for pid in entry[3]}
    out = []
    for file, (_, notes), entry in zip(files, read, entries, strict=True):
        if entry is None:
            out.append((None, tuple(notes)))
            continue
        document, first_row, n_rows, place_ids, unresolved, cut_from = entry
        out.append(
            (
                DocumentEntry(
                    name=file.name,
                    stamp=file.stamp,
                    override=_override(sources, file),
                    document=replace(document, text=""),
                    part=part if n_rows else "",
                    first_row=first_row,
                    n_rows=n_rows,
                    place_ids=place_ids,
                    unresolved=unresolved,
                    notes=tuple(notes),
                    found=cut_from,
                ),
                tuple(notes),
            )
        )
    records = {pid: g.record(g.by_id[pid]) for pid in used}
    return {"files": out, "records": records, "seconds": seconds}


def build_on_cluster(
    corpus: str | Path,
    places_csv: Path | None,
    *,
    cache_dir: Path,
    scheduler: str,
    progress: Reporter | None = None,
) -> BuildResult:
    """The build of `corpus` (a folder or an fsspec URL the workers can read) on the cluster at
    `scheduler`; the claims are left in parts under `cache_dir` (a folder the workers can write)
    for `write_outputs` to merge. The result's `claims` is None: see its `claims_parts`."""
    report = StageClock(progress)
    seconds = dict.fromkeys(STAGES, 0.0)
    started = time.perf_counter()
    report("read")
    listing = list_corpus(str(corpus))
    kept = kept_places(places_csv, cache_dir)
    # The corpus's own places file: in a local folder, read (and remembered) where it lies; from
    # a URL, as the listing found it.
    if not is_url(str(corpus)):
        own = corpus_places(Path(corpus), places_csv, cache_dir)
    elif listing.places_csv is not None:
        url, data = listing.places_csv
        own = kept_places_in(data, url)
    else:
        own = []
    layers = kept + own
    fingerprint = build_fingerprint(layers)
    cache = PartsCache.open(Path(cache_dir) / CLUSTER_CACHE_DIRNAME, fingerprint)
    files = listing.files
    reused = {
        f.name: entry
        for f in files
        if (entry := cache.reusable(f.name, f.stamp, _override(listing.sources, f))) is not None
    }
    todo = [f for f in files if f.name not in reused]
    seconds["read"] += time.perf_counter() - started
    report("read", len(files), len(files))

    size = pipeline.CHUNK_DOCUMENTS
    partitions = [todo[a : a + size] for a in range(0, len(todo), size)]
    # No line before the first result: an unreachable scheduler is the one line printed.
    bounds = [min(len(todo), (k + 1) * size) for k in range(len(partitions))]
    shared = (layers, fingerprint, listing.sources, str(cache.parts))
    results = cluster.map_in_order(
        scheduler, geoparse_part, partitions, shared,
        on_result=lambda k: report("geoparse", bounds[k], len(todo)),
    )  # fmt: skip

    report("claims")
    started = time.perf_counter()
    done: dict[str, tuple] = {}
    records: dict[str, PlaceRecord] = dict(cache.places)
    for result in results:
        for stage, spent in result["seconds"].items():
            seconds[stage] += spent
        records.update(result["records"])
        for file, found in zip(partitions.pop(0), result["files"], strict=True):
            done[file.name] = found
    warnings: list[str] = []
    live: dict[str, DocumentEntry] = {}
    runs: list[tuple[str, int, int]] = []
    unresolved: list[dict] = []
    used: dict[str, None] = {}
    seen: dict[str, str] = {}
    for item in listing.entries:
        if isinstance(item, str):
            warnings.append(item)
            continue
        entry = reused.get(item.name)
        if entry is None:
            entry, notes = done[item.name]
            warnings += notes
            if entry is None:
                continue
        else:
            warnings += entry.notes
        live[item.name] = entry
        seen[entry.document.doc_id] = item.name
        if entry.n_rows:
            runs.append((cache.part_url(entry), entry.first_row, entry.n_rows))
        used.update(dict.fromkeys(entry.place_ids))
        unresolved += entry.unresolved
    warnings += passed_over_notes(listing.passed_over)
    warnings += unmatched_sources(listing.sources, seen)
    warnings += [
        too_many_claims_warning(e.document.doc_id, e.found, MAX_CLAIMS_PER_DOCUMENT)
        for e in live.values()
        if e.found
    ]
    places = places_frame([records[pid] for pid in used])
    seconds["claims"] += time.perf_counter() - started

    report("write")
    started = time.perf_counter()
    segments = merge_on_cluster(scheduler, runs, cache)
    cache.save(live, records, segments)
    seconds["write"] += time.perf_counter() - started
    return BuildResult(
        places=places,
        claims=None,
        documents={e.document.doc_id: e.document for e in live.values()},
        warnings=warnings,
        kept_places=kept,
        corpus_places=own,
        unresolved=unresolved,
        claims_csv=None,
        seconds=seconds,
        reused=len(reused),
        claims_parts=ClaimsParts(runs, [str(cache.merged / name) for name in segments]),
    )


def merge_plan(
    runs: list[tuple[str, int, int]], segment_rows: int
) -> list[list[tuple[str, int, int]]]:
    """The runs (part, first row, rows) cut into consecutive pieces of `segment_rows` rows (the
    last one shorter), a run split where a piece ends."""
    plan: list[list[tuple[str, int, int]]] = [[]]
    room = segment_rows
    for url, start, rows in runs:
        while rows:
            if not room:
                plan.append([])
                room = segment_rows
            taken = min(rows, room)
            plan[-1].append((url, start, taken))
            start, rows, room = start + taken, rows - taken, room - taken
    return [piece for piece in plan if piece]


def merge_segment(job: tuple[str, list[tuple[str, int, int]]], shared: tuple[str, int]) -> str:
    """One task on a worker: merge row ranges of parts into the segment file `job[0]` (in the
    merged folder), in row groups of the build's size. Returns its name."""
    name, runs = job
    folder, row_group_rows = shared
    claims_parquet.merge_parts(runs, Path(folder) / name, row_group_rows)
    return name


def merge_on_cluster(
    scheduler: str, runs: list[tuple[str, int, int]], cache: PartsCache
) -> list[str]:
    """The claims merged, on the workers, into segments of SEGMENT_ROW_GROUPS whole row groups,
    in document order; returns their names in the merged folder. `write_outputs` stitches them
    into claims.parquet by copying their bytes: the file the one-machine build writes. A segment
    is named by what it holds, so that an incremental build merges again only the segments whose
    rows changed (those from the first added or removed document on)."""
    row_group_rows = claims_parquet.ROW_GROUP_ROWS
    plan = merge_plan(runs, SEGMENT_ROW_GROUPS * row_group_rows)
    names = [cache.segment_name(piece, row_group_rows) for piece in plan]
    todo = [(n, p) for n, p in zip(names, plan, strict=True) if not (cache.merged / n).is_file()]
    cluster.map_in_order(scheduler, merge_segment, todo, (str(cache.merged), row_group_rows))
    return names
