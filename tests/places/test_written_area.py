"""A town written with its state or county ("Canaan, Vermont") that the gazetteer does not know
there is placed at that area, not at a small namesake elsewhere; a town named after a province of
another country yields to the province where the story is in that country (geo.places.resolve)."""

from __future__ import annotations

from geo.places.recognize import MentionFinder
from geo.places.resolve import Resolver


def _chosen(gazetteer, text: str) -> dict[str, tuple[str, str]]:
    """Mention text -> (kind, admin1 code or country code) of the place chosen."""
    mentions = MentionFinder(gazetteer).find(text)
    return {
        r.mention.text: (
            gazetteer.kind[r.index],
            gazetteer.admin1[r.index] or gazetteer.country_code[r.index],
        )
        for r in Resolver(gazetteer).resolve(mentions, text)
    }


def test_a_village_the_gazetteer_lacks_is_placed_in_the_state_written_after_it(gazetteer):
    # Canaan, Vermont has a few hundred people: GeoNames' cities500 lists other Canaans only.
    assert _chosen(gazetteer, "The fair in Canaan, Vermont, drew a crowd.")["Canaan"] == (
        "admin1",
        "US.VT",
    )


def test_a_state_abbreviation_after_a_dateline_town_places_the_town(gazetteer):
    chosen = _chosen(gazetteer, "HOLLIDAY, Mo. — A man was held in Monroe County on Friday.")
    assert chosen["HOLLIDAY"] == ("admin1", "US.MO")


def test_a_town_known_in_the_state_written_after_it_is_that_town(gazetteer):
    assert _chosen(gazetteer, "He moved to Paris, Texas, last year.")["Paris"] == (
        "city",
        "US.TX",
    )


def test_a_well_known_city_before_a_country_in_a_list_stays_itself(gazetteer):
    # "Kiev, Georgia and Armenia" is a list, not Kiev in Georgia.
    chosen = _chosen(gazetteer, "Flights between Kiev, Georgia and Armenia resumed on Monday.")
    assert chosen["Kiev"] == ("city", "UA.12")


def test_a_town_named_after_a_foreign_province_yields_where_the_story_is_in_that_country(
    gazetteer,
):
    # Ontario, California is named after the province; Toronto and Ottawa put the story there.
    text = (
        "Ontario's education minister said Friday that schools in Toronto and Ottawa will "
        "share space, as districts in Ohio and Texas have done."
    )
    assert _chosen(gazetteer, text)["Ontario"] == ("admin1", "CA.08")


def test_the_town_stays_where_the_story_is_about_its_own_region(gazetteer):
    text = "Police in Ontario, a city east of Los Angeles, arrested two men in Pomona."
    assert _chosen(gazetteer, text)["Ontario"] == ("city", "US.CA")
