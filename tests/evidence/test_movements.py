import pandas as pd

from geo.evidence.movements import DESTINATION, ORIGIN, Mention, flows, movement_roles


def roles(sentence: str, *names: str, demonyms: tuple[str, ...] = ()) -> dict[str, str]:
    mentions = []
    for name in names:
        start = sentence.index(name)
        kind = "demonym" if name in demonyms else "toponym"
        mentions.append(Mention(start, start + len(name), kind))
    return dict(zip(names, movement_roles(sentence, mentions), strict=True))


def test_left_two_countries_and_returned_to_a_third():
    s = "Around 400 German militants have also left Syria and Iraq and returned to Germany."
    assert roles(s, "Syria", "Iraq", "Germany") == {
        "Syria": ORIGIN, "Iraq": ORIGIN, "Germany": DESTINATION,
    }  # fmt: skip


def test_people_named_by_a_demonym_come_from_their_country():
    s = "More than 100 Trinidadians are believed to have gone to Syria."
    assert roles(s, "Trinidadians", "Syria", demonyms=("Trinidadians",)) == {
        "Trinidadians": ORIGIN, "Syria": DESTINATION,
    }  # fmt: skip


def test_flow_to_a_territory_in_a_country_with_words_between():
    s = ("Fighters from Caucasus will flow to the Taliban “liberated” territory in Afghanistan "
         "and the Pakistan tribal areas.")  # fmt: skip
    assert roles(s, "Caucasus", "Afghanistan", "Pakistan") == {
        "Caucasus": ORIGIN, "Afghanistan": DESTINATION, "Pakistan": DESTINATION,
    }  # fmt: skip


def test_the_closest_cue_wins():
    s = "ISIS is preparing to expand from Afghanistan into Russia."
    assert roles(s, "Afghanistan", "Russia") == {"Afghanistan": ORIGIN, "Russia": DESTINATION}


def test_according_to_is_not_a_destination():
    s = "Fighters crossing the border fell to 50, according to Turkey."
    assert roles(s, "Turkey") == {"Turkey": ""}


def test_no_movement_verb_no_roles():
    assert roles("Mosul is under siege and Raqqa is next.", "Mosul", "Raqqa") == {
        "Mosul": "", "Raqqa": "",
    }  # fmt: skip


def test_flows_pair_origins_with_destinations_of_one_sentence():
    rows = [
        {"doc_id": "a", "excerpt_start": 0, "excerpt": "x", "place_id": p, "movement": m}
        for p, m in (("country:SY", ORIGIN), ("country:IQ", ORIGIN), ("country:DE", DESTINATION))
    ] + [{"doc_id": "b", "excerpt_start": 0, "excerpt": "y", "place_id": "country:DE",
          "movement": DESTINATION}]  # fmt: skip
    table = flows(pd.DataFrame(rows))
    assert set(zip(table["origin_id"], table["destination_id"], strict=True)) == {
        ("country:SY", "country:DE"), ("country:IQ", "country:DE"),
    }  # fmt: skip


def test_seed_trinidadians_travel_to_syria(seeds_build):
    table = flows(seeds_build.claims_with_excerpts())
    assert ("country:TT", "country:SY") in set(
        zip(table["origin_id"], table["destination_id"], strict=True)
    )


def test_the_folded_movement_verb_check_matches_where_the_case_insensitive_one_does():
    from geo.evidence.movements import _MOVE_VERB, _MOVE_VERB_FOLDED
    from geo.text.scan import fold

    # Lower-case literals only: fold(text) holds no upper-case letter to match.
    assert _MOVE_VERB_FOLDED.pattern == _MOVE_VERB.pattern.lower()
    sentences = [
        "They TRAVELLED to Syria.",
        "Fighters Fled from Mosul.",
        "They were en\nroute to Raqqa.",
        "E\u017fcaped to Iraq.",  # long s: re.IGNORECASE reads it as "s"
        "\u212aurds returned.",
        "RETURNEES came HOME.",
        "The government left office.",
        "Goal-oriented ago agone",
        "Fighters reached Mosul.",
        "No movement here at all.",
        "İstanbul crossings",
    ]
    for sentence in sentences:
        for text in (sentence, sentence.upper(), sentence.lower(), sentence.title()):
            expected = _MOVE_VERB.search(text)
            found = _MOVE_VERB_FOLDED.search(fold(text))
            assert (found and found.span()) == (expected and expected.span()), text


def test_forced_out_of_a_country_is_an_origin():
    s = "They were largely forced out of Pakistan by a government offensive and joined ISIS."
    assert roles(s, "Pakistan") == {"Pakistan": ORIGIN}
    assert roles("The group was driven out of Sirte.", "Sirte") == {"Sirte": ORIGIN}


def test_a_place_witnessing_a_flow_of_returners_is_a_destination():
    s = ("Few militants have returned to their countries, but France is currently witnessing the "
         "biggest flow of returners.")  # fmt: skip
    assert roles(s, "France") == {"France": DESTINATION}
    assert roles("Germany has seen an influx of refugees.", "Germany") == {"Germany": DESTINATION}
    # A wave of something other than people moving is no destination.
    assert roles("Germany has seen a wave of attacks by returnees.", "Germany") == {"Germany": ""}


def test_a_response_from_a_country_is_not_people_moving():
    s = "Crossing the 40-kilometer line would prompt a military response from Iran."
    assert roles(s, "Iran") == {"Iran": ""}
    s = "Fighters crossing the border got support from Turkey but fled from Syria."
    assert roles(s, "Turkey", "Syria") == {"Turkey": "", "Syria": ORIGIN}
