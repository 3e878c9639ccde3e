"""A 50 MB document through the whole build: minutes of geoparsing, so run with `pytest -m slow`
(.ci/run does, after the rest of the suite)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.build.pipeline import DEFAULT_CORPUS
from geo.store.schema import read_claims, read_places

pytestmark = pytest.mark.slow


def test_a_50_mb_document_is_built_whole_with_correct_offsets(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    seeds = "\n\n".join(p.read_text("utf-8") for p in sorted(DEFAULT_CORPUS.glob("*.txt")))
    data = (seeds * (50 * 2**20 // len(seeds.encode()) + 1)).encode()[: 50 * 2**20]
    (corpus / "big.txt").write_bytes(data)  # cut at 50 MiB, perhaps inside a character
    (corpus / "small.txt").write_text("Small report\n\nFighters left Mosul.\n", "utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr
    claims = read_claims(out / "claims.csv")
    assert set(claims["doc_id"]) == {"big", "small"}
    assert set(claims["place_id"]) <= {r.place_id for r in read_places(out / "places.csv")}
    text = data.decode("utf-8", errors="replace")  # as the build decoded it
    big = claims[claims["doc_id"] == "big"]
    assert big["end"].max() > 49 * 2**20  # mentions to the very end of the file
    for start, end, mention in zip(big["start"], big["end"], big["mention"], strict=True):
        assert text[start:end] == mention
