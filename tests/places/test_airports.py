"""Airports (airportsdata) in the gazetteer: named as readers name them, never by a bare code."""

from __future__ import annotations


def _by_mention(found) -> dict[str, tuple]:
    return {mention: (name, kind, country) for mention, name, kind, country, *_ in found}


def test_an_airport_named_alone_is_the_airport(places_in):
    found = _by_mention(places_in("Flights at Heathrow, west of London, were cancelled."))
    assert found["Heathrow"] == ("London Heathrow Airport", "landmark", "GB")


def test_an_airport_named_with_the_word_airport_is_the_airport(places_in):
    found = _by_mention(places_in("She flew from Gatwick Airport to Spain on Tuesday."))
    assert found["Gatwick Airport"] == ("London Gatwick Airport", "landmark", "GB")
    assert found["Spain"][1] == "country"


def test_an_airport_lies_at_its_own_point_not_its_city(places_in):
    (_, _, _, _, lat, lon), *_ = places_in("Passengers waited at Gatwick Airport for hours.")
    assert (round(lat, 1), round(lon, 1)) == (51.1, -0.2)  # Gatwick, 40 km south of London


def test_an_airport_code_written_as_a_word_is_no_place(places_in):
    assert places_in("LHR and LGW were busy. Sam said the LAX team would JFK it.") == []


def test_airport_names_that_are_people_first_are_not_bare_airport_names(places_in):
    # Boston Logan, New York's Kennedy: "Logan" and "Kennedy" are names before they are airports.
    found = places_in("Logan Paul met Kennedy staff on Tuesday.")
    assert all(kind != "landmark" for _, _, kind, *_ in found)


def test_a_bare_airport_name_needs_its_country_in_the_document(places_in):
    # Mather is Sacramento's airport and a surname: in a story from Vancouver it is the speaker.
    found = places_in('Vancouver, B.C. - "I overdosed 17 times," said Mather, 22.')
    assert all(kind != "landmark" for _, _, kind, *_ in found)


def test_the_name_airport_alone_is_no_airport(gazetteer):
    assert all(gazetteer.feature[c.index] != "airport" for c in gazetteer.candidates("Airport"))
