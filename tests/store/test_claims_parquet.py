"""claims.parquet holds the claims of claims.csv, with the data contract's columns and types."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from geo.build import pipeline
from geo.build.pipeline import CLAIMS_PARQUET, write_outputs
from geo.cli import main
from geo.store import claims_file, claims_parquet
from geo.store.claims_parquet import (
    CLAIMS_SCHEMA,
    claims_table,
    merge_parts,
    read_claims_parquet,
    write_claims_parquet,
    write_part,
)
from geo.store.schema import CLAIM_COLUMNS, claims_frame, read_claims


def test_the_seeds_claims_read_the_same_from_parquet_as_from_csv(seeds_build, tmp_path):
    write_outputs(seeds_build, tmp_path)
    from_parquet = read_claims_parquet(tmp_path / CLAIMS_PARQUET)
    pd.testing.assert_frame_equal(from_parquet, read_claims(tmp_path / "claims.csv"))
    schema = pq.read_schema(tmp_path / CLAIMS_PARQUET)
    assert schema.names == CLAIM_COLUMNS
    assert schema.field("start").type == "int64" and schema.field("excerpt").type == "string"


def test_empty_text_is_an_empty_string_never_null_and_markup_is_kept_as_text():
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(start=3, end=8, excerpt_start=0, excerpt='=cmd|"x" <script>alert(1)</script>')
    row["attribution"] = None
    table = claims_table(claims_frame([row]))
    assert table.schema == CLAIMS_SCHEMA
    assert table.column("attribution").null_count == 0
    assert table.column("attribution")[0].as_py() == ""
    assert table.column("excerpt")[0].as_py() == row["excerpt"]


def test_a_build_without_claims_writes_an_empty_table_of_the_same_columns(tmp_path):
    table = claims_table(claims_frame([]))
    assert table.num_rows == 0 and table.schema == CLAIMS_SCHEMA


def test_claims_beyond_a_spreadsheet_go_to_parquet_only_and_export_writes_the_same_csv(
    seeds_build, tmp_path, monkeypatch
):
    full = tmp_path / "full"
    write_outputs(seeds_build, full)
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("stale,claims\n")
    monkeypatch.setattr(pipeline, "SPREADSHEET_ROWS", 10)
    _, claims_path = write_outputs(seeds_build, out)
    assert claims_path == out / CLAIMS_PARQUET
    assert not (out / "claims.csv").exists()  # no stale claims beside the new ones

    assert main(["export", "--out", str(out)]) == 0
    assert (out / "claims.csv").read_bytes() == (full / "claims.csv").read_bytes()


def test_export_without_a_build_is_a_one_line_error(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "claims.parquet not found" in err and len(err.strip().splitlines()) == 1


def test_parts_merged_by_row_ranges_are_those_rows_in_order_in_full_row_groups(
    seeds_build, tmp_path, monkeypatch
):
    """A cluster build's final step: ranges of parts, merged a row group at a time, and the
    claims.csv streamed from the merged file are those of the same rows written at once."""
    claims = seeds_build.claims_with_excerpts()  # what a worker writes: the contract's columns
    parts = tmp_path / "parts"
    parts.mkdir()
    half = len(claims) // 2
    first = write_part(claims.iloc[:half], str(parts))
    second = write_part(claims.iloc[half:].reset_index(drop=True), str(parts))
    assert sorted(p.name for p in parts.iterdir()) == sorted([first, second])  # no temporary left
    runs = [(str(parts / first), 0, 3), (str(parts / first), 3, half - 3),
            (str(parts / second), 0, len(claims) - half)]  # fmt: skip
    monkeypatch.setattr(claims_parquet, "ROW_GROUP_ROWS", 100)
    merged = tmp_path / CLAIMS_PARQUET
    assert merge_parts(runs, merged) == len(claims)
    groups = [pq.ParquetFile(merged).metadata.row_group(i).num_rows for i in range(
        pq.ParquetFile(merged).metadata.num_row_groups)]  # fmt: skip
    assert all(n == 100 for n in groups[:-1]) and sum(groups) == len(claims)
    pd.testing.assert_frame_equal(
        read_claims_parquet(merged), read_claims_parquet(_written(claims, tmp_path / "at-once"))
    )
    monkeypatch.setattr(claims_file, "PARQUET_BATCH_ROWS", 64)
    streamed = tmp_path / "claims.csv"
    claims_file.write_claims_text(claims_file.parquet_lines(merged), streamed)
    write_outputs(seeds_build, tmp_path / "full")
    assert streamed.read_bytes() == (tmp_path / "full" / "claims.csv").read_bytes()


def test_a_range_that_skips_a_document_leaves_its_rows_out(seeds_build, tmp_path):
    claims = seeds_build.claims_with_excerpts()
    name = write_part(claims, str(tmp_path))
    merged = tmp_path / CLAIMS_PARQUET
    merge_parts([(str(tmp_path / name), 0, 2), (str(tmp_path / name), 5, 1)], merged)
    got = read_claims_parquet(merged)
    assert list(got["claim_id"]) == list(claims["claim_id"].iloc[[0, 1, 5]])


def _written(claims: pd.DataFrame, folder) -> object:
    folder.mkdir()
    write_claims_parquet(claims, folder / CLAIMS_PARQUET)
    return folder / CLAIMS_PARQUET
