"""claims.parquet: the claims of a build as one Parquet file, beside claims.csv.

The columns are those of the data contract (`geo.store.schema.CLAIM_COLUMNS`), in that order, with
the offsets as 64-bit integers and every other column as UTF-8 text ("" where the CSV has an empty
field), so that DuckDB, pyarrow, pandas and GDAL read the same table as `read_claims` reads from
claims.csv. Written atomically, like every output of the build.
"""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
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


def write_claims_parquet(claims: pd.DataFrame, path: str | os.PathLike) -> None:
    table = claims_table(claims)
    with atomic_output(path, binary=True) as handle:
        pq.write_table(table, handle, row_group_size=ROW_GROUP_ROWS, compression="zstd")


def read_claims_parquet(path: str | os.PathLike) -> pd.DataFrame:
    """The claims as `geo.store.schema.read_claims` gives them from claims.csv."""
    return pq.read_table(path, schema=CLAIMS_SCHEMA).to_pandas()
