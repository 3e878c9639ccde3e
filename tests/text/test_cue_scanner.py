"""Cue words found once per document (geo.text.cues): a span is said to hold a pattern's anchor
exactly when searching the span alone for the anchor would find it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.text.cues import Anchors, CueScanner, _fewest
from geo.text.scan import fold

SCANNER = CueScanner(
    [
        Anchors("verb", ("said", "say", "quoted"), folded=False, word_start=True),
        Anchors("according", ("according",)),
        Anchors("month", ("Jan", "May", "MAY"), folded=False, word_start=True),
        Anchors("move", ("go", "route", "left"), word_start=True),
        Anchors("unit", ("year", "month")),
    ]
)


def test_a_sentence_holds_the_anchors_inside_it_and_no_others():
    text = "Officials said so. The Army left in May. Nothing here."
    cues = SCANNER.scan(text)
    assert cues.present(0, 18) == {"verb"}
    assert cues.present(19, 40) == {"move", "month"}
    assert cues.present(41, len(text)) == set()
    # An anchor cut by the span's end is not inside it.
    assert cues.present(0, 12) == set()


def test_folded_anchors_match_in_any_case_as_ignorecase_does():
    text = "ACCORDING to the Year before. \u212aYear. yEAR"
    cues = SCANNER.scan(text)
    assert cues.present(0, 9) == {"according"}
    assert cues.present(17, 21) == {"unit"}


def test_as_written_anchors_keep_their_case():
    cues = SCANNER.scan("SAID MAY may Jan")
    assert cues.present(0, 4) == set()
    assert cues.present(5, 8) == {"month"}
    assert cues.present(9, 12) == set()


def test_word_start_anchors_inside_a_word_do_not_count_unless_the_span_starts_there():
    text = "unsaid xgo 3go _go égo éloquent said"
    cues = SCANNER.scan(text)
    assert cues.present(0, 6) == set()  # "said" inside "unsaid"
    assert cues.present(7, 18) == set()  # after an ASCII letter, digit or underscore
    # Searched alone, "said" opens the span: \b holds there.
    assert cues.present(2, 6) == {"verb"}
    # A non-ASCII letter before is let through: the pattern itself decides.
    assert cues.present(19, 22) == {"move"}


def test_fewest_drops_words_that_hold_a_shorter_one():
    assert _fewest(["said", "say", "says", "unsaid"], word_start=False) == ["say", "said"]
    assert _fewest(["said", "say", "says", "unsaid"], word_start=True) == ["say", "said", "unsaid"]


def test_anchor_specs_are_checked():
    with pytest.raises(ValueError):
        Anchors("x", ())
    with pytest.raises(ValueError):
        Anchors("x", ("Said",))  # folded anchors are lower case
    with pytest.raises(ValueError):
        CueScanner([Anchors("x", ("a",)), Anchors("x", ("b",))])


# --- property: the scan agrees with searching each span alone -----------------------------------

PIECES = st.sampled_from(
    ["said", "Said", "SAID", "unsaid", "say", "quoted", "according", "ACCORDING", "accord",
     "Jan", "JAN", "jan", "May", "MAY", "Mayor", "go", "GO", "ago", "government", "route", "left",
     "year", "YEAR", "Year", "month", "months", "x", "3", "_", "é", "\u0130", "\u0131", "\u017f",
     "\u212a", "\u03a3", " ", " ", "\n", ".", ",", "-", "\u00a0"]
)  # fmt: skip
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=60))
_ASCII_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _holds(span_text: str, anchors: Anchors) -> bool:
    haystack = fold(span_text) if anchors.folded else span_text
    for word in anchors.words:
        at = haystack.find(word)
        while at >= 0:
            if not anchors.word_start or at == 0 or span_text[at - 1] not in _ASCII_WORD:
                return True
            at = haystack.find(word, at + 1)
    return False


@settings(max_examples=500, deadline=None)
@given(TEXTS, st.data())
def test_present_is_what_a_search_of_the_span_alone_finds(text, data):
    cues = SCANNER.scan(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = {a.name for a in SCANNER.anchors if _holds(text[start:end], a)}
    assert cues.present(start, end) == expected
