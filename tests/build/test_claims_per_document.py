"""A document with more place mentions than MAX_CLAIMS_PER_DOCUMENT keeps its first ones, and the
build says so (in its warnings: the command line prints them, the dashboard lists them)."""

from __future__ import annotations

from types import SimpleNamespace

from geo.build import pipeline
from geo.build.claims import first_mentions
from geo.build.pipeline import build_corpus

NAMES = ["Mosul", "Raqqa", "Aleppo", "Baghdad", "Kirkuk", "Homs", "Tikrit", "Fallujah"]


def test_first_mentions_keeps_the_first_in_the_order_of_the_text_in_their_given_order():
    mentions = [SimpleNamespace(text=n, start=s) for n, s in [("b", 50), ("a", 10), ("c", 90)]]
    assert [m.text for m in first_mentions(mentions, 2)] == ["b", "a"]
    assert first_mentions(mentions, 3) is mentions


def test_a_document_past_the_cap_keeps_its_first_claims_with_a_warning(
    tmp_path, monkeypatch, gazetteer
):
    monkeypatch.setattr(pipeline, "MAX_CLAIMS_PER_DOCUMENT", 5)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    long = "Fighters moved between " + ", ".join(NAMES) + " and back."
    (corpus / "long.txt").write_text(f"A report\n\n{long}\n", encoding="utf-8")
    (corpus / "short.txt").write_text("A note\n\nFighters held Mosul and Raqqa.\n")
    for reused in (0, 2):  # geoparsed, then from the build cache
        result = build_corpus(corpus, None, gazetteer, cache_dir=tmp_path / "cache")
        assert result.reused == reused
        claims = result.claims
        kept = claims[claims["doc_id"] == "long"]
        assert kept["mention"].tolist() == NAMES[:5]
        assert len(claims[claims["doc_id"] == "short"]) == 2
        assert result.warnings == [
            "long: 8 place mentions, more than the 5 claims kept per document; only the first "
            "5 (in the order of the text) are on the map"
        ]
