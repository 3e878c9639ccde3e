"""A story's dateline: the town it was filed from (geo.text.dateline)."""

from __future__ import annotations

from geo.text.dateline import datelines, find_dateline


def _place(text: str) -> str | None:
    found = find_dateline(text)
    return None if found is None else text[found.start : found.end]


def test_a_town_in_capitals_with_its_state_and_a_dash_is_a_dateline():
    found = find_dateline("GAINESVILLE, Fla. — A man was arrested on Monday.")
    assert found is not None
    assert (found.place, found.region, found.agency) == ("GAINESVILLE", "Fla.", None)
    assert (found.start, found.end) == (0, len("GAINESVILLE"))


def test_the_agency_in_brackets_follows_the_town():
    found = find_dateline("WASHINGTON (Reuters) - The Senate voted on Tuesday.")
    assert found is not None and (found.place, found.agency) == ("WASHINGTON", "Reuters")


def test_a_town_in_ordinary_case_is_a_dateline_only_before_an_agency():
    assert _place("Washington (CNN)\nThe senator said on Monday that he would vote no.") == (
        "Washington"
    )
    assert _place("Washington said on Monday that he would vote no.") is None


def test_a_dateline_may_follow_the_headline():
    text = "Council approves budget. SPRINGFIELD — The city council voted 5-2 on Monday."
    assert _place(text) == "SPRINGFIELD"


def test_several_words_in_capitals_and_a_state_written_with_two_stops():
    found = find_dateline("SOUTH CHARLESTON, W.Va. -- A restaurant reopened on Friday.")
    assert found is not None and (found.place, found.region) == ("SOUTH CHARLESTON", "W.Va.")


def test_a_line_opening_with_a_town_in_capitals_then_the_story():
    assert _place("LONDON The latest on the talks between the two governments.") == "LONDON"


def test_the_abbreviation_of_saint_is_part_of_the_town():
    assert _place("ST. LOUIS – Police announced an arrest on Sunday.") == "ST. LOUIS"
    assert len(datelines("ST. LOUIS – Police announced an arrest on Sunday.")) == 1


def test_capitals_inside_a_story_are_no_dateline():
    text = "The council met on Monday and the mayor said the NATO summit was not discussed. " * 8
    assert find_dateline(text + "PARIS — A later paragraph.") is None
    assert find_dateline("Officials said the budget would pass. It was a close vote.") is None


def test_a_headline_in_capitals_without_a_dash_is_no_dateline():
    assert find_dateline("Some city news, and more. BREAKING NEWS on the council.") is None
