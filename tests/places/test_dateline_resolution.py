"""A story's dateline places its other names (geo.places.resolve, geo.text.dateline)."""

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
