"""Each evidence reader given the anchors found once per document (geo.evidence.cues) finds
exactly what it finds reading the sentence alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.evidence import attribution, dates, hedging, movements
from geo.evidence.cues import evidence_cues
from geo.evidence.dates import PartialDate
from geo.text.sentences import split_sentences

VOCABULARY = (
    # speakers
    ["said", "Said", "unsaid", "says", "told", "tells", "was quoted as saying", "according to",
     "ACCORDING TO", "he", "she", "they", "He said", ", said", "the ministry", "Jane Doe",
     "added that", "confirmed", "states", "United States", "noted", "claims",
     # hedging
     "reportedly", "rumours", "denied", "did not confirm", "unconfirmed", "may", "might",
     "possibly", "claimed responsibility", "alleged", "reports say", "is believed", "seems to",
     "estimated", "assessed", "officially", "verified", "no evidence",
     # movements
     "travelled to", "went", "go", "government", "ago", "returned", "fled", "escaped", "moved",
     "headed", "ahead", "arrived", "reached", "crossed", "sent", "present", "left", "leaving",
     "en route", "forced out", "kicked  out", "smuggled", "withdrew", "came", "coming", "expelled",
     "evacuated", "displaced", "exiled", "influx", "from", "to", "into", "out of", "Syria",
     "Iraq", "Europe", "Turkish", "fighters",
     # dates
     "in", "on", "by", "since", "late", "early", "the end of", "this year", "last month", "June",
     "May", "MAY", "Mayor", "Jan.", "Sept", "SEPT", "Dec", "February", "29", "2016", "1999",
     "12019", "2014 and 2015", "2003-2006", "19/12/2016", "2016-05-03", "1990s", "two years ago",
     "yesterday", "a year later", "the following month", "that same year", "Sunday,", "spring",
     "of", "year", "YEAR", "months",
     # odd characters and layout
     "\u0130", "\u0131", "\u017f", "\u212a", "é", "_", "x", "3", "[12]", "“", "”", '"', ",",
     ".", ";", "\n", "\n\n", " "]
)  # fmt: skip
WORDS = st.sampled_from(VOCABULARY)
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", ". ", ", "])
DOCUMENTS = st.one_of(
    st.lists(st.tuples(WORDS, SEPARATORS), max_size=60).map(
        lambda pairs: "".join(w + s for w, s in pairs)
    ),
    st.text(max_size=80),
)
PUBLISHED = st.one_of(
    st.none(),
    st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)).map(
        lambda d: PartialDate(d.isoformat(), "day")
    ),
)


_EARLIER = PartialDate("2004-07", "month")


def _assert_same_readings(text, spans, published):
    cues = evidence_cues(text)
    for start, end in spans:
        sentence, present = text[start:end], cues.present(start, end)
        assert attribution.find_speaker(sentence, present) == attribution.find_speaker(sentence)
        assert attribution.find_attribution(sentence, present) == attribution.find_attribution(
            sentence
        )
        assert hedging.find_hedging(sentence, present) == hedging.find_hedging(sentence)
        assert movements.states_movement(sentence, present) == movements.states_movement(sentence)
        assert dates.counts_from_earlier_date(sentence, present) == dates.counts_from_earlier_date(
            sentence
        )
        assert dates.stated_dates(sentence, published, None, present) == dates.stated_dates(
            sentence, published
        )
        # The earlier date is looked for only when the sentence counts from one.
        earlier = dates.counts_from_earlier_date(sentence)
        assert dates.stated_dates(
            sentence, published, None, present, lambda: _EARLIER
        ) == dates.stated_dates(sentence, published, _EARLIER if earlier else None)


def test_each_word_read_in_a_sentence_gives_the_same_with_the_document_cues():
    published = PartialDate("2016-05-03", "day")
    for word in VOCABULARY:
        for text in (f"In {word}, officials said.", f"{word} Syria", f"Fighters {word} Syria in"):
            _assert_same_readings(text, [(0, len(text)), *split_sentences(text)], published)


def _spans(text: str, data) -> list[tuple[int, int]]:
    """The document's sentences and a few spans anywhere (a name cut by the sentence cap makes
    a claim's excerpt of two sentences)."""
    spans = list(split_sentences(text))
    for _ in range(3):
        start = data.draw(st.integers(0, len(text)))
        spans.append((start, data.draw(st.integers(start, len(text)))))
    return spans


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS, PUBLISHED, st.data())
def test_each_reader_finds_with_the_document_cues_what_it_finds_alone(text, published, data):
    _assert_same_readings(text, _spans(text, data), published)


def test_the_anchors_are_what_every_match_of_their_pattern_holds():
    """Every alternative of the patterns, written out, holds an anchor where the cues look."""
    text = (
        "He said. They were quoted as saying. Officials say. Travelled, travelling, went, goes, "
        "gone, returnees, flowing, fleeing, fled, escaping, moving, heading, arriving, reaches, "
        "crossing, sent, send, deported, transferred, relocated, migrating, infiltrated, expands, "
        "left, leaves, sweep, en  route, smuggling, withdrawn, withdrew, retreats, come, came, "
        "coming, forced out, driven out, pushed out, thrown out, threw out, kicked out, expelled, "
        "evacuating, displaced, exiled, influx, returners."
    )
    cues = evidence_cues(text)
    for m in movements._MOVE_VERB.finditer(text):
        assert "movements.verb" in cues.present(m.start(), m.end()), m.group()
    for m in attribution._VERB.finditer(text):
        assert "attribution.verb" in cues.present(m.start(), m.end()), m.group()
