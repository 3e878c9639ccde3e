"""The recogniser reads runs of capitalised words, not every token: the words around a run must
still count as they did when the whole text was tokenised."""

from __future__ import annotations

import pytest

from geo.places.recognize import _NAME_RUN, MentionFinder


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
