"""The recogniser reads runs of capitalised words, not every token: the words around a run must
still count as they did when the whole text was tokenised."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.places.recognize import (
    _NAME_ABBREVIATION,
    _NAME_RUN,
    _PARTICLE_WORDS,
    _RUN_NEXT,
    _TOKEN,
    MentionFinder,
)


@pytest.fixture(scope="module")
def finder(gazetteer):
    return MentionFinder(gazetteer)


def names(finder, text):
    return [(m.text, m.mention_type) for m in finder.find(text)]


def test_a_lower_case_article_joined_to_a_name_opens_the_run(finder):
    text = "Fighters fled al-Mayadin for Raqqa."
    assert [m.group() for m in _NAME_RUN.finditer(text)] == ["Fighters", "Mayadin", "Raqqa"]
    assert ("al-Mayadin", "toponym") in names(finder, text)


def test_particles_join_one_run(finder):
    runs = [m.group() for m in _NAME_RUN.finditer("He met Osama bin Laden in Trinidad and Tobago.")]
    assert runs == ["He", "Osama bin Laden", "Trinidad and Tobago"]
    assert names(finder, "He flew to Trinidad and Tobago.") == [("Trinidad and Tobago", "toponym")]


def test_an_abbreviation_and_a_hyphen_split_names(finder):
    found = names(finder, "Talks on the U.S.-Mexico border went on.")
    assert ("U.S.", "toponym") in found and ("Mexico", "toponym") in found


def test_a_possessive_ends_a_name(finder):
    assert names(finder, "They reached Iraq's Mosul in 2016.") == [
        ("Iraq", "toponym"),
        ("Mosul", "toponym"),
    ]


def test_an_ordinary_word_opening_the_text_is_not_a_place(finder):
    assert names(finder, "Nice to meet you, said the minister.") == []
    # The same word after long punctuation still opens its sentence.
    assert names(finder, "=" * 200 + "\nNice to meet you.") == []


def test_cue_words_before_the_run_are_read(finder):
    (mention,) = finder.find("Fighters moved to the province of Khozestan last year.")
    assert mention.admin_cue


def test_a_name_inside_a_person_name_is_not_a_place_later_either(finder):
    text = "Analyst Craig Whiteside wrote the report. Whiteside argues it failed."
    assert names(finder, text) == []


def test_the_same_run_in_two_contexts_is_judged_in_each(finder):
    text = "President Jordan spoke. Fighters crossed into Jordan."
    assert names(finder, text) == [("Jordan", "toponym")]
    assert finder.find(text)[0].start == text.rindex("Jordan")


# The patterns as plain alternations (the recogniser's own open with one character class, which
# the regular expression engine skips to faster): they must find the same matches.
_PLAIN_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|{_NAME_ABBREVIATION}|\w+(?:[’'\-‐‑]\w+)*")
_PLAIN_RUN = re.compile(
    rf"(?:(?:[A-Z]\.){{2,}}|{_NAME_ABBREVIATION}|[A-Z\u00c0-\U0010ffff](?<=[^\W\d_])\w*"
    rf"(?:[’'\-‐‑]\w+)*)"
    rf"(?:[ \u00a0](?:(?i:{_PARTICLE_WORDS})[ \u00a0])*{_RUN_NEXT})*"
)
_TRICKY = [
    "St. Louis and Ste. Marie, Mt. Hood, Ft. Worth, Pt. Reyes; St.Louis St. louis Ste.",
    "The U.S.-Mexico border, D.C., A.B.C. and a.b. or U.S",
    "Fighters fled al-Mayadin for Raqqa; iPhone users in Deir ez-Zor.",
    "Élodie went to Ürümqi and Ōsaka, then 東京 and Москва with O'Neil's friend.",
    "Mosul’s old city, Tall ‘Afar, Ma'an; 2016 SMFP S.M. St Ste Mt. Ft.",
]


def _spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", _TRICKY)
def test_the_fast_patterns_match_as_the_plain_alternations(text):
    assert _spans(_TOKEN, text) == _spans(_PLAIN_TOKEN, text)
    assert _spans(_NAME_RUN, text) == _spans(_PLAIN_RUN, text)


@settings(max_examples=400)
@given(st.text(alphabet=" .-'’\u00a0\nabeStMFPUSADCxÉé東1", max_size=60))
def test_the_fast_patterns_match_as_the_plain_alternations_on_any_text(text):
    assert _spans(_TOKEN, text) == _spans(_PLAIN_TOKEN, text)
    assert _spans(_NAME_RUN, text) == _spans(_PLAIN_RUN, text)
