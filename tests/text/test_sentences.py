import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.text.sentences import MAX_SENTENCE_CHARS, split_sentences


def sentences(text):
    return [text[start:end] for start, end in split_sentences(text)]


def test_plain_sentences_split_at_terminal_punctuation():
    assert sentences("Mosul is besieged. Raqqa is next! Will it fall? Nobody knows.") == [
        "Mosul is besieged.",
        "Raqqa is next!",
        "Will it fall?",
        "Nobody knows.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Gen. John Nicholson said the number declined.",
        "Dr. Ely Karmon and Mr. Smith met Lt. Col. Jones in St. Petersburg.",
        "The U.S. intelligence assessments were grim.",
        "The report, e.g. the annex, and i.e. the summary were leaked.",
        "See Vol. 10, No. 4 of the review.",
        "The attack on Jan. 26, 2015 was claimed.",
        "J. Weston Phippen wrote the piece.",
        "Haroro J. Ingram evaluates the video.",
        "The rate rose to 3.5 percent.",
        "They are under the illusion that . . . they will win.",
    ],
)
def test_abbreviations_initials_decimals_and_ellipses_do_not_end_sentences(text):
    assert sentences(text) == [text]


def test_acronym_before_a_sentence_starter_ends_the_sentence():
    assert sentences("He moved to the U.S. The family followed.") == [
        "He moved to the U.S.",
        "The family followed.",
    ]


def test_closing_quotes_and_footnote_markers_stay_with_their_sentence():
    text = 'He said it was "unprecedented." Then he left.[11] The report said so.”[40] Next one.'
    assert sentences(text) == [
        'He said it was "unprecedented."',
        "Then he left.[11]",
        "The report said so.”[40]",
        "Next one.",
    ]


def test_blank_line_always_ends_a_sentence():
    assert sentences("Joining Jabhat Fatah al-Sham in Syria\n\nMany fighters will join") == [
        "Joining Jabhat Fatah al-Sham in Syria",
        "Many fighters will join",
    ]


def test_heading_lines_end_at_their_line_break():
    text = "ISIS Aggravates Violence | ASHARQ AL-AWSAT\nSelect Page\nMedia ID: 55355578\n"
    assert sentences(text) == [
        "ISIS Aggravates Violence | ASHARQ AL-AWSAT",
        "Select Page",
        "Media ID: 55355578",
    ]


def test_line_ending_with_colon_ends_before_a_capitalised_line():
    text = "Signals indicate it is preparing for the loss:\nA remarkable editorial was gloomy."
    assert sentences(text) == [
        "Signals indicate it is preparing for the loss:",
        "A remarkable editorial was gloomy.",
    ]


def test_wrapped_lines_continue_the_sentence():
    caption = (
        "Michael Delefortrie, who joined a terrorist group in Belgium\n"
        "and travelled to Syria to become a jihadi fighter, is pictured here\n"
        "after his return."
    )
    assert sentences(caption) == [caption]


def test_hard_wrapped_paragraph_keeps_capitalised_line_starts_inside_sentences():
    text = (
        "Many if not most of the fighters will join the ranks of the\n"
        "Front in Syria, which was the most powerful faction opposing\n"
        "President Bashar al-Assad and the Islamic State militant group.\n"
        "It split from the group in 2013."
    )
    assert len(sentences(text)) == 2
    assert sentences(text)[1] == "It split from the group in 2013."


def test_list_items_are_sentences_of_their_own():
    text = "Measures include\n- detention\n- forfeiture of travel documents\n- citizenship removal"
    assert sentences(text) == [
        "Measures include",
        "- detention",
        "- forfeiture of travel documents",
        "- citizenship removal",
    ]


def test_windows_line_endings_are_handled_and_offsets_kept():
    text = "First line here.\r\n\r\nSecond paragraph.\r\nThird line."
    assert sentences(text) == ["First line here.", "Second paragraph.", "Third line."]


def test_over_long_runs_are_split_at_line_breaks_then_spaces():
    long_line = " ".join(["word"] * 1000)
    text = f"{long_line}\n{long_line}"
    spans = split_sentences(text)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert text[spans[0][0] : spans[0][1]].startswith("word word")
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_empty_and_blank_texts_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


def check_spans(text, spans):
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        assert end - start <= MAX_SENTENCE_CHARS
        # Every non-space character belongs to some sentence: only whitespace between spans.
        assert not text[previous_end:start].strip()
        previous_end = end
    assert not text[previous_end:].strip()


PIECES = st.sampled_from(
    ["Gen.", "U.S.", "J.", "word", "Word", ".", "?", "!", "...", ". . .", "\n", "\n\n", "\r\n",
     " ", "”", '"', "[22]", "3.5", "No.", "- ", "the", "of", ":", "\u00a0", "\u2028", "é", "Ä"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(PIECES, max_size=60).map("".join)))
def test_spans_are_ordered_stripped_capped_and_cover_all_text(text):
    check_spans(text, split_sentences(text))


def test_long_unpunctuated_text_splits_in_linear_time():
    text = "word " * 400_000  # 2 MB with no sentence ends; a quadratic split would take minutes
    spans = split_sentences(text)
    check_spans(text, spans)
    assert len(spans) > 1000


# The word before a period was found by searching this pattern over the 30 characters before it.
_WORD_BEFORE_SEARCHED = re.compile(r"(?:[^\W\d_]+\.)*[^\W\d_]+$")
_AROUND_PERIODS = st.lists(
    st.sampled_from(["U", "S", ".", "Gen", "e.g", "é", "ß", "1", "_", " ", "\n", "..", "x" * 28]),
    max_size=20,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_AROUND_PERIODS, st.text(max_size=50)), st.data())
def test_the_word_before_a_period_read_backwards_is_what_the_search_found(text, data):
    from geo.text.sentences import word_before

    period = data.draw(st.integers(0, len(text)))
    m = _WORD_BEFORE_SEARCHED.search(text, max(0, period - 30), period)
    assert word_before(text, period, text[::-1]) == (m.group() if m else None)
