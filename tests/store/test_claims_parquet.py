"""claims.parquet holds the claims of claims.csv, with the data contract's columns and types."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from geo.build import pipeline
from geo.build.pipeline import CLAIMS_PARQUET, write_outputs
from geo.cli import main
from geo.store.claims_parquet import CLAIMS_SCHEMA, claims_table, read_claims_parquet
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
