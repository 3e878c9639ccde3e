from geo.evidence.dates import parse_iso_date
from geo.evidence.quantities import find_quantities, place_quantities

PUBLISHED = parse_iso_date("2016-12-19")


def found(sentence: str):
    return [(q.value, q.subject) for q in find_quantities(sentence, PUBLISHED)]


def test_a_number_takes_its_unit_and_group_from_the_words_after_it():
    assert found("Kabulov said that about 2,500 ISIS combatants are in Afghanistan.[23]") == [
        ("2,500", "ISIS fighters")
    ]


def test_a_range_and_the_number_of_phrase():
    sentence = (
        "He said the number of ISIS fighters in Afghanistan has declined from an estimated 3,000 "
        "at the start of this year to between 1,000 and 1,500."
    )
    quantities = find_quantities(sentence, PUBLISHED)
    assert [(q.value, q.subject) for q in quantities] == [
        ("3,000", "ISIS fighters"),
        ("1,000–1,500", "ISIS fighters"),
    ]
    assert quantities[0].when.iso == "2016" and quantities[1].when is None


def test_years_dates_durations_and_note_markers_are_not_quantities():
    assert found("On November 13, 2015, in 2016, for 15 years, since 9/11 and [22].") == []


def test_a_bare_number_without_a_unit_is_not_guessed():
    assert found("The group has reached 30,000 by now.") == []


def test_percentages_keep_what_they_are_of():
    assert found("The Taliban controls 15-20% of Afghanistan’s territory.") == [
        ("15–20%", "% of territory")
    ]


def test_afghanistan_fighter_numbers_in_the_seed_analysis(seeds_build):
    claims = seeds_build.claims_with_excerpts()
    table = place_quantities(claims[claims["place_id"] == "country:AF"])
    fighters = table[table["subject"] == "ISIS fighters"]
    got = {(r.value, r.speaker, r.when) for r in fighters.itertuples()}
    assert {
        ("3,000", "Gen. John Nicholson", "2016"),  # "at the start of this year"
        ("1,000–1,500", "Gen. John Nicholson", "2016-07-28"),  # later: the AP report of note [22]
        ("2,500", "Zamir Kabulov", "2016-09-13"),  # September: the RT report of note [23]
        ("10,000", "Zamir Kabulov", "2016-04"),  # "declared in April 2016"
    } == got


def test_a_year_after_in_is_not_a_count_though_a_unit_follows():
    assert find_quantities("In 2016 fighters left Mosul for Raqqa.") == []
    assert find_quantities("Since 2014 refugees have arrived in Erbil.") == []
    (force,) = find_quantities("A force of 2000 fighters left Mosul.")
    assert (force.low, force.unit) == (2000, "fighters")


def _one_place_claims(sentence: str, mention: str):
    import pandas as pd

    start = sentence.index(mention)
    return pd.DataFrame([{
        "claim_id": "c1", "doc_id": "d1", "excerpt": sentence, "excerpt_start": 100,
        "start": 100 + start, "end": 100 + start + len(mention), "mention": mention,
        "published": "2016-12-01", "attribution": "", "source": "The Courier", "footnotes": "",
        "date_basis": "published", "date_text": "", "date": "2016-12-01", "reference": "",
    }])  # fmt: skip


def test_a_number_in_another_clause_is_not_credited_to_the_place():
    sentence = (
        "Sleeper cells attacked the oil city of Kirkuk, killing at least 80 people, "
        "days after the fighting in Mosul had stopped."
    )
    mosul = place_quantities(_one_place_claims(sentence, "Mosul"))
    assert mosul["value"].tolist() == ["80"] and not mosul["tied"].iloc[0]
    assert mosul["also_names"].iloc[0] == "Mosul"
    kirkuk = place_quantities(_one_place_claims(sentence, "Kirkuk"))
    assert kirkuk["tied"].iloc[0] and kirkuk["also_names"].iloc[0] == ""


def test_a_number_in_the_places_own_clause_is_its_figure():
    sentence = "About 3,000 fighters remain in Mosul, officials said."
    table = place_quantities(_one_place_claims(sentence, "Mosul"))
    assert table["tied"].tolist() == [True]


def test_the_panel_says_a_number_was_only_stated_beside_the_place():
    from geo.dashboard.evidence_html import agreement_html

    sentence = (
        "Recent advances have cost the group 12 percent of its territory, and it seems the army "
        "is on the verge of a major effort to retake Mosul."
    )
    claims = _one_place_claims(sentence, "Mosul")
    html = agreement_html(claims)
    assert "stated in a sentence that also names Mosul" in html
