"""A story's dateline places its other names, and a name that is a country and a US state
reads by the country the story is about (geo.places.resolve, geo.text.dateline)."""

from __future__ import annotations

from geo.places.recognize import MentionFinder
from geo.places.resolve import Resolver


def _resolved(gazetteer, text: str) -> dict[str, str]:
    """Mention text -> admin1 code (or country code) of the place chosen, reading the dateline."""
    mentions = MentionFinder(gazetteer).find(text)
    return {
        r.mention.text: gazetteer.admin1[r.index] or gazetteer.country_code[r.index]
        for r in Resolver(gazetteer).resolve(mentions, text)
    }


def test_a_namesake_in_the_dateline_state_is_the_one_meant(gazetteer):
    story = "The mayor of Dublin said on Monday that the new park will open in June."
    assert _resolved(gazetteer, "COLUMBUS, Ohio (AP) — " + story)["Dublin"] == "US.OH"


def test_without_a_dateline_the_well_known_place_stays(gazetteer):
    story = "The mayor of Dublin said on Monday that the new park will open in June."
    assert _resolved(gazetteer, story)["Dublin"].startswith("IE")


def test_a_dateline_town_without_its_state_still_places_the_story(gazetteer):
    text = "ATLANTA — The mayor of Athens said on Monday that the new park will open in June."
    assert _resolved(gazetteer, text)["Athens"] == "US.GA"


def test_the_state_written_in_the_dateline_prevails_over_a_namesake_of_its_town(gazetteer):
    # No Holliday in Missouri is in the gazetteer; the dateline still says Missouri.
    text = "HOLLIDAY, Mo. — A man was held in Monroe County on Friday."
    assert _resolved(gazetteer, text)["Monroe County"] == "US.MO"


def test_without_the_text_the_recognisers_dateline_note_is_used(gazetteer):
    text = "ATLANTA — The mayor of Athens said on Monday that the new park will open in June."
    mentions = MentionFinder(gazetteer).find(text)
    chosen = {
        r.mention.text: gazetteer.admin1[r.index] for r in Resolver(gazetteer).resolve(mentions)
    }
    assert chosen["Athens"] == "US.GA"


def test_georgia_in_a_story_about_atlanta_and_savannah_is_the_state(gazetteer):
    chosen = _resolved(gazetteer, "Georgia lawmakers met in Atlanta and Savannah on Monday.")
    assert chosen["Georgia"] == "US.GA"


def test_georgia_where_the_story_names_only_the_united_states_is_the_state(gazetteer):
    text = "Georgia residents will be able to dial 2-1-1 for help, officials in Texas said."
    assert _resolved(gazetteer, text)["Georgia"] == "US.GA"


def test_georgia_beside_another_foreign_country_stays_the_country(gazetteer):
    text = "Russian troops entered Georgia on Friday, officials in Washington said."
    assert _resolved(gazetteer, text)["Georgia"] == "GE"
