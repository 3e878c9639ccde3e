"""Stitching Parquet files by copying their row groups: the file one writer makes of all the rows."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo.store.claims_parquet import CLAIMS_SCHEMA, claims_table
from geo.store.parquet_stitch import StitchError, stitch_parquet
from geo.store.schema import CLAIM_COLUMNS


def _claims(n: int) -> pd.DataFrame:
    rows = {name: [f"{name} {i % 7} é" for i in range(n)] for name in CLAIM_COLUMNS}
    for name in ("start", "end", "excerpt_start"):
        rows[name] = list(range(n))
    rows["doc_id"] = [f"doc{i // 4}" for i in range(n)]
    return pd.DataFrame(rows)


def _write(table: pa.Table, path, row_group_rows: int) -> None:
    with pq.ParquetWriter(path, CLAIMS_SCHEMA, compression="zstd") as writer:
        writer.write_table(table, row_group_size=row_group_rows)


def test_pieces_cut_at_row_group_ends_stitch_into_the_bytes_of_the_whole(tmp_path):
    table = claims_table(_claims(50))
    pq.write_table(table, tmp_path / "whole.parquet", row_group_size=8, compression="zstd")
    pieces = []
    for k, (start, stop) in enumerate([(0, 16), (16, 24), (24, 48), (48, 50)]):
        pieces.append(str(tmp_path / f"piece{k}.parquet"))
        _write(table.slice(start, stop - start), pieces[-1], 8)

    assert stitch_parquet(pieces, tmp_path / "stitched.parquet") == 50

    stitched = (tmp_path / "stitched.parquet").read_bytes()
    assert stitched == (tmp_path / "whole.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "stitched.parquet").metadata.num_row_groups == 7


def test_pieces_cut_anywhere_still_make_one_file_every_reader_reads(tmp_path):
    claims = _claims(23)
    table = claims_table(claims)
    pieces = []
    for k, (start, stop) in enumerate([(0, 5), (5, 5), (5, 19), (19, 23)]):
        pieces.append(str(tmp_path / f"piece{k}.parquet"))
        _write(table.slice(start, stop - start), pieces[-1], 4)
    path = tmp_path / "claims.parquet"

    stitch_parquet(pieces, path)

    assert pq.read_table(path).equals(table)
    pd.testing.assert_frame_equal(pd.read_parquet(path), pq.read_table(path).to_pandas())
    doc_ids = duckdb.sql(f"SELECT doc_id FROM '{path}'").fetchall()
    assert [d for (d,) in doc_ids] == list(claims["doc_id"])
    # Statistics moved with their row groups: DuckDB skips by them and still finds the rows.
    found = duckdb.sql(f"SELECT count(*) FROM '{path}' WHERE start >= 19").fetchall()[0][0]
    assert found == 4


def test_pieces_of_another_schema_are_refused_and_nothing_is_written(tmp_path):
    good = tmp_path / "good.parquet"
    _write(claims_table(_claims(3)), good, 4)
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"doc_id": ["a"]}), other)
    (tmp_path / "not.parquet").write_bytes(b"PAR1 not really")
    out = tmp_path / "out.parquet"

    with pytest.raises(StitchError, match="schema"):
        stitch_parquet([str(good), str(other)], out)
    with pytest.raises(StitchError, match="Parquet"):
        stitch_parquet([str(good), str(tmp_path / "not.parquet")], out)
    assert not out.exists()
