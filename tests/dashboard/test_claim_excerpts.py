"""The claims the dashboard holds keep no copy of their sentence; the cards show the sentence."""

from __future__ import annotations

import re
from html import unescape

from geo.dashboard import evidence_ui, panel


def _shown_excerpt(html: str) -> str:
    body = re.search(r'<div class="geo-excerpt">(.*?)</div>', html).group(1)
    return unescape(re.sub(r"<[^>]+>", "", body))


def test_the_held_claims_have_offsets_and_no_sentence_text(seeds_build):
    claims = seeds_build.claims
    assert "excerpt" not in claims.columns
    assert (claims["excerpt_start"] <= claims["start"]).all()
    assert (claims["end"] <= claims["excerpt_end"]).all()


def test_each_card_shows_the_sentence_of_its_document_with_the_mention_marked(seeds_build):
    mosul = seeds_build.places.loc[seeds_build.places["name"] == "Mosul", "place_id"].iloc[0]
    rows = evidence_ui.with_excerpts(
        evidence_ui.place_claims(seeds_build.claims, mosul), seeds_build.texts()
    )
    assert len(rows) > 3
    for claim in rows.to_dict("records"):
        text = seeds_build.documents[claim["doc_id"]].text
        sentence = text[claim["excerpt_start"] : claim["excerpt_end"]]
        assert claim["excerpt"] == sentence
        html = panel.claim_card_html(claim)
        assert _shown_excerpt(html) == " ".join(sentence.split())
        assert f"<mark>{claim['mention']}</mark>" in html


def test_the_excerpts_of_a_place_are_cut_once_per_table(seeds_build):
    rows = evidence_ui.place_claims(seeds_build.claims, seeds_build.claims["place_id"].iloc[0])
    texts = seeds_build.texts()
    assert texts is seeds_build.texts()  # one mapping per build: the memo below keys on it
    assert evidence_ui.with_excerpts(rows, texts) is evidence_ui.with_excerpts(rows, texts)
