"""The build on the seed corpus and through the command line."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest

from geo.build.pipeline import DEFAULT_CORPUS, build_corpus, write_outputs
from geo.store.schema import CLAIM_COLUMNS, PLACE_COLUMNS, read_claims, read_places

SEED_PLACES = {
    # name as written -> (lat, lon) where it is on Earth
    "Mosul": (36.34, 43.13),
    "Raqqa": (35.95, 39.01),
    "Sirte": (31.21, 16.59),
    "Nangarhar": (34.3, 70.5),
    "Kermanshah": (34.3, 47.0),
    "Trinidad and Tobago": (10.5, -61.3),
}


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def _joined(build) -> pd.DataFrame:
    return build.claims.merge(build.places, on="place_id", suffixes=("", "_place"))


@pytest.mark.parametrize("written, where", SEED_PLACES.items())
def test_seed_places_sit_where_they_are_on_earth(seeds_build, written, where):
    rows = _joined(seeds_build)
    rows = rows[rows["mention"] == written]
    assert len(rows), f"{written} not found in the seeds"
    for _, row in rows.iterrows():
        assert _km(row["lat"], row["lon"], *where) < 120, (written, row["name"])


def test_seed_traps_produce_no_places(seeds_build):
    claims = seeds_build.claims
    for trap in (
        "Baghdadi",
        "Kabulov",
        "Wardak",
        "Jamestown",
        "Georgetown",
        "Maqdisi",
        "Tehran Times",
    ):
        assert not claims["mention"].str.contains(trap).any(), trap
    # No mention is a piece of a longer word (Kabul in Kabulov, Baghdad in al-Baghdadi).
    for _, claim in claims.iterrows():
        text = seeds_build.documents[claim["doc_id"]].text
        assert not text[claim["end"] : claim["end"] + 1].isalpha(), claim["mention"]


def test_kermanshah_arrests_are_dated_2015_not_2016(seeds_build):
    claims = seeds_build.claims_with_excerpts()
    arrests = claims[claims["excerpt"].str.contains("arrested in Iran’s western Kermanshah")]
    assert len(arrests) >= 1
    assert set(arrests["date"]) == {"2015-11"}
    assert set(arrests["date_basis"]) == {"stated"}
    assert "Bahman Reyhani" in arrests.iloc[0]["attribution"]


def test_undated_document_claims_are_marked_unknown_not_guessed(seeds_build):
    doc = seeds_build.documents["000_e6a695510d53d6a8"]
    assert doc.published is None
    claims = seeds_build.claims[seeds_build.claims["doc_id"] == doc.doc_id]
    stated = claims["date_basis"] == "stated"
    assert (claims.loc[~stated, "date"] == "").all()
    assert (claims.loc[~stated, "date_basis"] == "unknown").all()


def test_every_claim_offset_points_at_its_mention_and_excerpt(seeds_build):
    for _, claim in seeds_build.claims_with_excerpts().iterrows():
        text = seeds_build.documents[claim["doc_id"]].text
        assert text[claim["start"] : claim["end"]] == claim["mention"]
        start = claim["excerpt_start"]
        assert text[start : start + len(claim["excerpt"])] == claim["excerpt"]
        assert start <= claim["start"] and claim["end"] <= start + len(claim["excerpt"])


def test_written_files_follow_the_contract_and_read_back(seeds_build, tmp_path):
    places_path, claims_path = write_outputs(seeds_build, tmp_path)
    places = pd.read_csv(places_path, dtype=str, keep_default_na=False)
    assert list(places.columns) == PLACE_COLUMNS
    assert list(read_claims(claims_path).columns) == CLAIM_COLUMNS
    records = read_places(places_path)
    claimed = set(read_claims(claims_path)["place_id"])
    assert claimed <= {r.place_id for r in records}
    # Curated rows survive the build untouched.
    assert any(r.origin == "curated" and r.place_id == "curated:trinidad-island" for r in records)


def test_build_is_deterministic(seeds_build, gazetteer):
    again = build_corpus(DEFAULT_CORPUS)
    pd.testing.assert_frame_equal(seeds_build.claims, again.claims)
    pd.testing.assert_frame_equal(seeds_build.places, again.places)


def _run_cli(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cli_build_writes_both_files(tmp_path):
    done = _run_cli("build", "--out", str(tmp_path), "--quiet")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "places.csv").exists() and (tmp_path / "claims.csv").exists()


def test_cli_missing_corpus_folder_is_a_one_line_error(tmp_path):
    done = _run_cli("build", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "corpus folder not found" in done.stderr


def test_cli_unknown_option_exits_non_zero():
    done = _run_cli("build", "--bogus")
    assert done.returncode != 0


def test_cli_geoparse_answers_one_line_per_line_in_order():
    lines = [
        {"id": "a", "text": "Fighters left Mosul for Raqqa."},
        {"id": "b", "text": ""},
        {"id": "c", "text": "nothing here"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    done = _run_cli("geoparse", stdin=stdin)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", None]
    names = [t["name"] for t in out[0]["toponyms"]]
    assert names == ["Mosul", "Raqqa"]
    text = lines[0]["text"]
    for t in out[0]["toponyms"]:
        assert text[t["start"] : t["end"]] == t["name"]
    assert out[1]["toponyms"] == [] and out[2]["toponyms"] == []
