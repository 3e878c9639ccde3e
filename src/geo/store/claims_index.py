"""The claims index of a build: what the DuckDB page asks of claims.parquet, written once at build
time into OUT/claims-index/ so that the page never scans every claim to open or to show a place.

- `by_place.parquet`: the claims sorted by place, then in the panel's reading order (by date,
  undated last, then document and offset), in small row groups, with a place's claims in a few of
  them (a click reads those only: the row groups' min/max of place_id say which), and with the
  years each claim covers on each time axis and a document number as integer columns (a filter
  compares integers instead of parsing dates).
- `places.parquet`: claims and documents per place over the whole table (one row per place: the
  opening page's map and list, whatever the number of documents or sources);
- `place_sources.parquet`: claims and documents per (place, source); `sources.parquet`: claims,
  documents and reference-list claims per source; `timeline.parquet`: claims per (time axis,
  year, source), undated as a null year. With a document's claims all of one source (checked),
  these answer the opening page and any filter by sources or kinds of place exactly.
- `facts.json`: counts and year bounds of the whole table, and the claims.parquet it was made from
  (rows, bytes and a digest of its footer): an index that does not match is not used.

The index is derived data: deleting it loses nothing (the page then queries claims.parquet as it
is, more slowly), and `write_claims_index` remakes it from claims.parquet alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

INDEX_DIRNAME = "claims-index"
INDEX_VERSION = 1
BY_PLACE = "by_place.parquet"
PLACE_TOTALS = "places.parquet"  # optional: an index written before it existed has none
PLACE_SOURCES = "place_sources.parquet"
SOURCES = "sources.parquet"
TIMELINE = "timeline.parquet"
FACTS = "facts.json"
AXES = ("claim", "stated", "published")
BY_PLACE_ROW_GROUP = 16 * 1024  # a click reads a few of these, not a 128k-row group of the file
BUILD_MEMORY_LIMIT = "1GB"  # the sort spills to a temporary folder beyond it
READING_ORDER = "coalesce(date, '') = '', date, doc_id, start"  # a place's claims, oldest first


def year_sql(expression: str) -> str:
    """SQL: the year an ISO date starts with, NULL when it does not start with four digits."""
    return (
        f"CASE WHEN regexp_full_match(substr({expression}, 1, 4), '[0-9]{{4}}') "
        f"THEN CAST(substr({expression}, 1, 4) AS INTEGER) END"
    )


def axis_date_sql(axis: str) -> str:
    if axis == "published":
        return "coalesce(published, '')"
    if axis == "stated":
        return "CASE WHEN date_basis = 'stated' THEN coalesce(date, '') ELSE '' END"
    if axis == "claim":
        return "coalesce(date, '')"
    raise ValueError(f"unknown time axis {axis!r}; expected one of {', '.join(AXES)}")


def first_last_sql(axis: str) -> tuple[str, str]:
    """SQL for the first and last year each claim covers on `axis` (as timeline.axis_years)."""
    date = axis_date_sql(axis)
    first = year_sql(date)
    if axis == "published":
        return first, first
    end = f"CASE WHEN {date} <> '' THEN coalesce(date_end, '') ELSE '' END"
    return first, f"coalesce({year_sql(end)}, {first})"


def first_last_columns(axis: str) -> tuple[str, str]:
    """The index's columns holding `first_last_sql(axis)`, computed once at build time."""
    if axis not in AXES:
        raise ValueError(f"unknown time axis {axis!r}; expected one of {', '.join(AXES)}")
    return f"_{axis}_first", f"_{axis}_last"


def index_folder(claims_parquet: str | os.PathLike) -> Path:
    return Path(claims_parquet).parent / INDEX_DIRNAME


def _claims_stamp(claims_parquet: Path) -> dict:
    """What identifies a claims.parquet: rows, bytes, and a digest of its last 64 KiB (the footer,
    which holds every row group's size and statistics)."""
    size = claims_parquet.stat().st_size
    with claims_parquet.open("rb") as handle:
        handle.seek(max(0, size - 65536))
        tail = hashlib.sha256(handle.read()).hexdigest()
    return {"rows": pq.ParquetFile(claims_parquet).metadata.num_rows, "bytes": size, "tail": tail}


def sql_literal(path: Path) -> str:
    """A path as a quoted SQL string literal (DuckDB: a quote inside is doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


def write_claims_index(claims_parquet: str | os.PathLike) -> Path:
    """Write OUT/claims-index/ from OUT/claims.parquet (replacing an older index); its folder."""
    claims_parquet = Path(claims_parquet)
    final = index_folder(claims_parquet)
    work = claims_parquet.parent / f".{INDEX_DIRNAME}-{uuid.uuid4().hex}.tmp"
    work.mkdir()
    try:
        with tempfile.TemporaryDirectory(prefix="geo-index-", dir=claims_parquet.parent) as spill:
            db = duckdb.connect(
                ":memory:",
                config={"memory_limit": BUILD_MEMORY_LIMIT, "temp_directory": spill,
                        "preserve_insertion_order": False},
            )  # fmt: skip
            db.execute("SET enable_progress_bar = false")
            try:
                facts = _write_tables(db, claims_parquet, work)
            finally:
                db.close()
        facts["claims_parquet"] = _claims_stamp(claims_parquet)
        facts["version"] = INDEX_VERSION
        (work / FACTS).write_text(json.dumps(facts, indent=1, sort_keys=True), encoding="utf-8")
        _replace_folder(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _replace_folder(new: Path, final: Path) -> None:
    """Put `new` at `final`; an older index is moved aside first, then deleted."""
    old = None
    if final.exists():
        old = final.parent / f".{INDEX_DIRNAME}-{uuid.uuid4().hex}.old"
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_tables(db: duckdb.DuckDBPyConnection, claims_parquet: Path, work: Path) -> dict:
    years = []
    for axis in AXES:
        first, last = first_last_sql(axis)
        first_column, last_column = first_last_columns(axis)
        years += [f"{first} AS {first_column}", f"{last} AS {last_column}"]
    by_place = work / BY_PLACE
    db.execute(
        f"COPY (SELECT *, {', '.join(years)}, "
        "CAST(dense_rank() OVER (ORDER BY doc_id) AS INTEGER) AS _doc "
        f"FROM read_parquet({sql_literal(claims_parquet)}) ORDER BY place_id, {READING_ORDER}) "
        f"TO {sql_literal(by_place)} "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {BY_PLACE_ROW_GROUP})"
    )
    db.execute(f"CREATE VIEW claims AS SELECT * FROM read_parquet({sql_literal(by_place)})")

    def copy(sql: str, name: str) -> None:
        db.execute(f"COPY ({sql}) TO {sql_literal(work / name)} (FORMAT parquet)")

    copy(
        "SELECT place_id, count(*) AS n_claims, count(DISTINCT _doc) AS n_docs "
        "FROM claims WHERE place_id IS NOT NULL GROUP BY ALL ORDER BY ALL",
        PLACE_TOTALS,
    )
    copy(
        "SELECT place_id, source, count(*) AS n_claims, count(DISTINCT _doc) AS n_docs "
        "FROM claims WHERE place_id IS NOT NULL GROUP BY ALL ORDER BY ALL",
        PLACE_SOURCES,
    )
    copy(
        "SELECT source, count(*) AS n_claims, count(DISTINCT _doc) AS n_docs, "
        "count(*) FILTER (WHERE coalesce(note, '') <> '') AS n_notes "
        "FROM claims GROUP BY ALL ORDER BY ALL",
        SOURCES,
    )
    copy(
        "SELECT * FROM ("
        + " UNION ALL ".join(
            f"SELECT '{axis}' AS axis, CAST({first_last_columns(axis)[0]} AS BIGINT) AS year, "
            f"source, count(*) AS n FROM claims GROUP BY ALL"
            for axis in AXES
        )
        + ") ORDER BY ALL",
        TIMELINE,
    )
    facts = {
        "claims": db.execute("SELECT count(*) FROM claims").fetchone()[0],
        "documents": db.execute("SELECT count(DISTINCT _doc) FROM claims").fetchone()[0],
        "source_per_document": db.execute(
            "SELECT count(*) = 0 FROM (SELECT _doc FROM claims GROUP BY _doc "
            "HAVING count(DISTINCT coalesce(source, '\x00')) > 1)"
        ).fetchone()[0],
        "year_bounds": {},
    }
    for axis in AXES:
        first, last = first_last_columns(axis)
        low, high = db.execute(f"SELECT min({first}), max({last}) FROM claims").fetchone()
        facts["year_bounds"][axis] = None if low is None else [int(low), int(high)]
    return facts


@dataclass(frozen=True)
class ClaimsIndex:
    """An index that matches its claims.parquet: the paths of its tables and its facts."""

    folder: Path
    facts: dict

    def path(self, name: str) -> Path:
        return self.folder / name


def open_claims_index(claims_parquet: str | os.PathLike) -> ClaimsIndex | None:
    """The index beside claims.parquet when it was made from that very file, else None."""
    claims_parquet = Path(claims_parquet)
    folder = index_folder(claims_parquet)
    try:
        facts = json.loads((folder / FACTS).read_text(encoding="utf-8"))
        if facts.get("version") != INDEX_VERSION:
            return None
        if facts.get("claims_parquet") != _claims_stamp(claims_parquet):
            return None
        names = (BY_PLACE, PLACE_SOURCES, SOURCES, TIMELINE)
        if not all((folder / name).is_file() for name in names):
            return None
    except (OSError, ValueError):
        return None
    return ClaimsIndex(folder, facts)
