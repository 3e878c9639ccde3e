"""claims.parquet: the claims of a build as one Parquet file, beside claims.csv.

The columns are those of the data contract (`geo.store.schema.CLAIM_COLUMNS`), in that order, with
the offsets as 64-bit integers and every other column as UTF-8 text ("" where the CSV has an empty
field), so that DuckDB, pyarrow, pandas and GDAL read the same table as `read_claims` reads from
claims.csv. Written atomically, like every output of the build.

A build on a cluster writes it in steps: each task writes the claims of its documents as a part
(`write_part`, a Parquet file of the same columns); tasks merge row ranges of the parts, in
document order, into segments of whole row groups (`merge_parts`, holding a row group at a time);
the client stitches the segments' bytes into the one file (`geo.store.parquet_stitch`). One file
rather than the folder of parts: every reader opens it by its name (DuckDB's read_parquet, GDAL and
QGIS included), and the rows keep the order the one-machine build writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.store.schema import CLAIM_COLUMNS, atomic_output

CLAIMS_PARQUET = "claims.parquet"  # its name in a build's output folder
OFFSET_COLUMNS = ("start", "end", "excerpt_start")
CLAIMS_SCHEMA = pa.schema(
    [(name, pa.int64() if name in OFFSET_COLUMNS else pa.string()) for name in CLAIM_COLUMNS]
)
ROW_GROUP_ROWS = 128 * 1024  # row groups a reader can skip by their statistics


def claims_table(claims: pd.DataFrame) -> pa.Table:
    """The claims as an Arrow table of CLAIMS_SCHEMA (missing text as "", never null)."""
    columns = []
    for field in CLAIMS_SCHEMA:
        values = claims[field.name]
        if field.name not in OFFSET_COLUMNS:
            values = values.fillna("").astype(str)
        columns.append(pa.array(values, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(columns, schema=CLAIMS_SCHEMA)


def frame_claims_table(claims: pd.DataFrame, excerpts: pa.Array) -> pa.Table:
    """`claims_table` of claims held without their excerpt (the build's frame, whose text columns
    are Arrow already) and the excerpts: the same table, column by column in Arrow."""
    table = pa.Table.from_pandas(claims, preserve_index=False)
    columns = []
    for field in CLAIMS_SCHEMA:
        if field.name == "excerpt":
            columns.append(excerpts)
            continue
        column = table.column(field.name).cast(field.type)
        if field.name not in OFFSET_COLUMNS and column.null_count:
            column = pc.fill_null(column, "")
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=CLAIMS_SCHEMA)


def write_claims_parquet(claims: pd.DataFrame | pa.Table, path: str | os.PathLike) -> None:
    """Write the claims (a frame of CLAIM_COLUMNS, or its `claims_table`)."""
    table = claims if isinstance(claims, pa.Table) else claims_table(claims)
    with (
        atomic_output(path, binary=True) as handle,
        pq.ParquetWriter(handle, CLAIMS_SCHEMA, compression="zstd") as writer,
    ):
        for start in range(0, table.num_rows, ROW_GROUP_ROWS):
            _write_row_group(writer, table.slice(start, ROW_GROUP_ROWS))


def read_claims_parquet(path: str | os.PathLike) -> pd.DataFrame:
    """The claims as `geo.store.schema.read_claims` gives them from claims.csv."""
    return pq.read_table(path, schema=CLAIMS_SCHEMA).to_pandas()


def write_part(claims: pd.DataFrame, folder: str) -> str:
    """Write claims as a new part in `folder` (a local path or an fsspec URL); returns its file
    name. The part appears under its name only once it is complete."""
    fs, root = fsspec.core.url_to_fs(str(folder))
    name = f"part-{uuid.uuid4().hex}.parquet"
    tmp = f"{root}/.{name}.tmp"
    with fs.open(tmp, "wb") as handle:
        pq.write_table(claims_table(claims), handle, compression="zstd")
    fs.mv(tmp, f"{root}/{name}")
    return name


def merge_parts(
    runs: Iterable[tuple[str, int, int]],
    path: str | os.PathLike,
    row_group_rows: int | None = None,
) -> int:
    """Write the claims file from row ranges of parts, in order: (part URL, first row, rows).

    One part is read at a time, and rows are written in row groups of `row_group_rows` (by default
    ROW_GROUP_ROWS) as they fill, so that memory holds about a row group whatever the number of
    claims. Returns the rows."""
    size = row_group_rows or ROW_GROUP_ROWS
    total = 0
    with (
        atomic_output(path, binary=True) as handle,
        pq.ParquetWriter(handle, CLAIMS_SCHEMA, compression="zstd") as writer,
    ):
        pending: list[pa.Table] = []
        pending_rows = 0
        url, part = None, None
        for run_url, start, rows in runs:
            if not rows:
                continue
            if run_url != url:
                with fsspec.open(run_url, "rb") as part_file:
                    part = pq.read_table(part_file, schema=CLAIMS_SCHEMA)
                url = run_url
            pending.append(part.slice(start, rows))
            pending_rows += rows
            total += rows
            while pending_rows >= size:
                table = pa.concat_tables(pending)
                _write_row_group(writer, table.slice(0, size))
                pending = [table.slice(size)]
                pending_rows -= size
        if pending_rows:
            _write_row_group(writer, pa.concat_tables(pending))
    return total


def _write_row_group(writer: pq.ParquetWriter, table: pa.Table) -> None:
    """One row group, from one contiguous array per column: the writer's pages (and where a
    column's dictionary gives way) depend on where the arrays it is given end, so the rows are
    joined first, whether they come from a build's frame or from several parts; the same rows
    then make the same bytes, on one machine as on a cluster."""
    writer.write_table(table.combine_chunks(), row_group_size=table.num_rows)


def count_rows(path: str | os.PathLike) -> int:
    """The claims in a claims.parquet file, from its footer (the rows are not read)."""
    return pq.ParquetFile(path).metadata.num_rows


def first_doc_ids(path: str | os.PathLike, limit: int = 20) -> list[str]:
    """The first distinct doc_ids of a claims.parquet file (from its first row group only)."""
    parquet = pq.ParquetFile(path)
    if parquet.metadata.num_row_groups == 0:
        return []
    column = parquet.read_row_group(0, columns=["doc_id"]).column("doc_id")
    return list(dict.fromkeys(column.slice(0, 10_000).to_pylist()))[:limit]
