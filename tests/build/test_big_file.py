"""A 50 MB document through the whole build: geoparsed to its end, its claims cut at
MAX_CLAIMS_PER_DOCUMENT with a warning that counts every mention found. Run with `pytest -m slow`
(.ci/run does, after the rest of the suite)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from geo.build.claims import MAX_CLAIMS_PER_DOCUMENT
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
    # The first MAX_CLAIMS_PER_DOCUMENT mentions in the order of the text become claims...
    assert len(big) == MAX_CLAIMS_PER_DOCUMENT
    for start, end, mention in zip(big["start"], big["end"], big["mention"], strict=True):
        assert text[start:end] == mention
    # ... and the warning counts the mentions of the whole text: as many as the first claims'
    # density over the first part of the text predicts for all 50 MB (the text repeats itself).
    warning = re.search(r"big: ([\d,]+) place mentions, more than the", done.stdout + done.stderr)
    assert warning, done.stdout + done.stderr
    found = int(warning.group(1).replace(",", ""))
    expected = MAX_CLAIMS_PER_DOCUMENT * len(text) / big["end"].max()
    assert 0.95 * expected < found < 1.05 * expected
