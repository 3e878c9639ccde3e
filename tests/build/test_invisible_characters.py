"""A zero-width space or a soft hyphen inside a name (text copied from the web) hides nothing: the
document is read without them, so the place is recognised and the speaker stays one person."""

from __future__ import annotations

from geo.build.pipeline import build_corpus
from geo.evidence.speakers import speaker_names


def test_a_zero_width_space_inside_a_name_neither_hides_the_place_nor_splits_the_speaker(
    tmp_path,
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "Weekly report\n\nFighters reached Ra\u200bqqa in 2016, said Ahmed Al-Hal\u00adabi. "
        "Later, Ahmed Al\u200b-Halabi said fighters left Mos\u2060ul.\n"
    )
    (corpus / "report.txt").write_text(text, encoding="utf-8")
    build = build_corpus(corpus)
    assert set(build.claims["mention"]) >= {"Raqqa", "Mosul"}
    document = build.documents["report"]
    assert "\u200b" not in document.text and "\u00ad" not in document.text
    for claim in build.claims.to_dict("records"):  # offsets index the text as read
        assert document.text[claim["start"] : claim["end"]] == claim["mention"]
    speakers = set(speaker_names(build.claims["attribution"]).values()) - {""}
    assert speakers == {"Ahmed Al-Halabi"}, speakers
