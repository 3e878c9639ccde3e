"""Long texts taken from the build cache stay in its file: the same claims, excerpts and views."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.build import cache as build_cache
from geo.build.cache import CACHE_DIRNAME
from geo.build.pipeline import build_corpus
from geo.build.review import mention_resolutions
from geo.dashboard import panel
from geo.text.stored_text import StoredText

# Curly quotes and a dash: a str of 2 bytes a character. Long enough for several index blocks.
PARAGRAPH = (
    "“Fighters left Mosul for Raqqa in November 2015,” the Iraqi officer said — others went "
    "to Sirte, in Libya, and to Gaziantep. "
)
REPORTS = {
    "a_long": "Thursday, June 16, 2016\n\nMosul after the siege\n\n" + PARAGRAPH * 60,
    "b_short": "Kabul, “the capital”, saw attacks; Karbala, too.\n",
}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(build_cache, "STORED_TEXT_BYTES", 1000)  # a_long is 8 KB, b_short not
    folder = tmp_path / "corpus"
    folder.mkdir()
    an_hour_ago = time.time() - 3600  # files touched just before a build are always read again
    for doc_id, text in REPORTS.items():
        path = folder / f"{doc_id}.txt"
        path.write_text(text, encoding="utf-8")
        os.utime(path, (an_hour_ago, an_hour_ago))
    return folder


def test_a_long_text_from_the_cache_gives_the_same_claims_excerpts_and_full_text(
    corpus, tmp_path, gazetteer
):
    fresh = build_corpus(corpus, gazetteer=gazetteer, cache_dir=tmp_path / CACHE_DIRNAME)
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=tmp_path / CACHE_DIRNAME)
    assert again.reused == 2
    stored = again.documents["a_long"].text
    assert isinstance(stored, StoredText) and isinstance(again.documents["b_short"].text, str)
    assert str(stored) == fresh.documents["a_long"].text
    pd.testing.assert_frame_equal(again.claims, fresh.claims)
    excerpts = again.claims_with_excerpts()
    pd.testing.assert_frame_equal(excerpts, fresh.claims_with_excerpts())
    assert excerpts["excerpt"].str.contains("“").any()
    text = fresh.documents["a_long"].text
    for claim in again.claims[again.claims["doc_id"] == "a_long"].head(30).to_dict("records"):
        start, end = claim["start"], claim["end"]
        assert panel.document_html(stored, start, end) == panel.document_html(text, start, end)
    assert panel.document_html(stored, -1, 5) == panel.document_html(text, -1, 5)  # no mark


def test_the_text_still_reads_after_the_cache_is_compacted_or_removed(corpus, tmp_path, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    fresh = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    shutil.rmtree(cache)  # a later build, or a user, removes the segment files
    (corpus / "c_new.txt").write_text("Fighters reached Aleppo.\n", encoding="utf-8")
    build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)  # writes segments of the same name
    pd.testing.assert_frame_equal(again.claims_with_excerpts(), fresh.claims_with_excerpts())


def test_a_long_text_whose_metadata_changed_is_geoparsed_again_from_the_cache(
    corpus, tmp_path, gazetteer
):
    cache = tmp_path / CACHE_DIRNAME
    build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    (corpus / "sources.csv").write_text("doc_id,title\na_long,The siege\n", encoding="utf-8")
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert again.reused == 1  # b_short; a_long's key changed with its title
    assert isinstance(again.documents["a_long"].text, StoredText)
    pd.testing.assert_frame_equal(
        again.claims_with_excerpts(),
        build_corpus(corpus, gazetteer=gazetteer).claims_with_excerpts(),
    )


def test_review_weighs_a_stored_text_as_the_str(corpus, tmp_path, geoparser, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    fresh = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    pd.testing.assert_frame_equal(
        mention_resolutions(geoparser, list(again.documents.values())),
        mention_resolutions(geoparser, list(fresh.documents.values())),
    )


def test_a_damaged_cached_text_is_read_from_its_file_again(corpus, tmp_path, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    fresh = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    for texts in Path(cache).glob("claims-*.texts"):
        data = bytearray(texts.read_bytes())
        data[data.index("“".encode()) + 1] = 0x41  # a quote's second byte: not UTF-8 any more
        texts.write_bytes(bytes(data))
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert again.documents["a_long"].text == fresh.documents["a_long"].text
    pd.testing.assert_frame_equal(again.claims_with_excerpts(), fresh.claims_with_excerpts())
