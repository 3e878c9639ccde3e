"""The document's other names corroborate a local namesake (geo.places.document_places)."""

from __future__ import annotations

from geo.places.document_places import DocumentPlaces
from geo.places.recognize import MentionFinder
from geo.places.resolve import Resolver
from geo.text.normalize import name_key


def _resolved(gazetteer, text: str) -> dict[str, str]:
    """Mention text -> admin1 code (or country code) of the place chosen."""
    mentions = MentionFinder(gazetteer).find(text)
    return {
        r.mention.text: gazetteer.admin1[r.index] or gazetteer.country_code[r.index]
        for r in Resolver(gazetteer).resolve(mentions)
    }


def test_a_town_with_two_neighbours_named_in_the_story_is_the_local_namesake(gazetteer):
    text = (
        "A Columbus woman was fined on Monday. She had accused a man from Norfolk, and the "
        "case was heard in the Platte County court."
    )
    assert _resolved(gazetteer, text)["Columbus"] == "US.NE"


def test_world_news_keeps_the_well_known_places(gazetteer):
    text = "Ministers met in Paris and Berlin on Monday to discuss the budget."
    chosen = _resolved(gazetteer, text)
    assert chosen["Paris"].startswith("FR") and chosen["Berlin"].startswith("DE")


def test_a_state_name_does_not_vouch_for_the_towns_named_after_it(gazetteer):
    mentions = MentionFinder(gazetteer).find(
        "A federal judge in Wyoming halted the rule; officials in Washington appealed."
    )
    document = DocumentPlaces(gazetteer, mentions)
    washington = next(m for m in mentions if m.text == "Washington")
    for candidate in washington.candidates:
        assert "wyoming" not in document.names_near(candidate.index, name_key("Washington"))


def test_a_name_does_not_corroborate_itself(gazetteer):
    mentions = MentionFinder(gazetteer).find("Columbus police said Columbus schools reopen.")
    document = DocumentPlaces(gazetteer, mentions)
    columbus = mentions[0]
    assert all(not document.names_near(c.index, name_key("Columbus")) for c in columbus.candidates)


def test_the_resolver_reports_how_many_names_lie_nearby(gazetteer):
    resolver = Resolver(gazetteer)
    mentions = MentionFinder(gazetteer).find(
        "A Columbus woman was fined. She had accused a man from Schuyler, and the case was "
        "heard in the Platte County court."
    )
    resolver.resolve(mentions)
    columbus = next(m for m in mentions if m.text == "Columbus")
    rows = dict(resolver.candidate_features(columbus))
    nebraska = max(
        (i for i in rows if gazetteer.admin1[i] == "US.NE"), key=lambda i: gazetteer.population[i]
    )
    assert rows[nebraska].get("names_nearby=2+") == 1.0


def test_a_small_namesake_corroborated_by_its_county_is_placed_there(gazetteer):
    # Paris, Tennessee is the seat of Henry County; Puryear lies a few miles north.
    text = (
        "A Paris man was arrested on Sunday. He lives near Puryear and was held in the "
        "Henry County jail."
    )
    assert _resolved(gazetteer, text)["Paris"] == "US.TN"


def test_a_name_does_not_put_its_own_country_in_the_story(gazetteer):
    # Lebanon the country is resolved first; its country must not then vouch for itself
    # against the Lebanon that lies next to Harrisburg.
    text = "A woman from Lebanon died on Monday in a hospital in Harrisburg."
    assert _resolved(gazetteer, text)["Lebanon"] == "US.PA"


def test_a_country_named_by_its_own_name_and_others_stays_the_country(gazetteer):
    text = "Lebanon and Syria signed the accord in Beirut on Monday."
    assert _resolved(gazetteer, text)["Lebanon"] == "LB"
