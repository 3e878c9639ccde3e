"""Claims read clause by clause: each place gets the date, speaker and movement of its own words."""

from __future__ import annotations

from geo.build.claims import claim_rows
from geo.documents.reading import Document, extract_metadata
from geo.text.sentences import MAX_SENTENCE_CHARS, split_sentences


def claims_by_mention(geoparser, text: str) -> dict[str, dict]:
    document = Document(doc_id="t", path="t.txt", text=text, **extract_metadata("t", text))
    resolved, _ = geoparser.parse(text)
    resolved = [r for r in resolved if not r.mention.embedded]
    return {c["mention"]: c for c in claim_rows(document, resolved, geoparser.gazetteer)}


REPORT = """Wednesday, July 13, 2016

The fate of the caliphate

Its strongholds fell, Darnah in late 2015 and Sirte by December 2016.

In July 2004, the cleric criticized attacks in Amman. He was later released. A year later, he \
criticized the killing of Shi'a in Iraq.

General Jane Roe, the commander of forces in Afghanistan, said the number of fighters had fallen. \
Most of those in Nangarhar came from Pakistan, she said.

Military correspondents have recently reported that fighters are surrendering in Mosul.
"""


def test_two_dates_in_one_sentence_date_each_place_by_its_own_phrase(geoparser):
    claims = claims_by_mention(geoparser, REPORT)
    assert (claims["Darnah"]["date"], claims["Darnah"]["date_text"]) == ("2015", "late 2015")
    assert (claims["Sirte"]["date"], claims["Sirte"]["date_text"]) == ("2016-12", "December 2016")


def test_a_year_later_is_counted_from_the_paragraphs_date(geoparser):
    claims = claims_by_mention(geoparser, REPORT)
    assert claims["Amman"]["date"] == "2004-07"
    iraq = claims["Iraq"]
    assert (iraq["date"], iraq["date_basis"], iraq["date_text"]) == (
        "2005",
        "stated",
        "A year later",
    )


def test_she_said_is_the_claim_of_the_person_named_before(geoparser):
    claims = claims_by_mention(geoparser, REPORT)
    roe = "General Jane Roe, the commander of forces in Afghanistan"
    assert claims["Afghanistan"]["attribution"] == roe
    assert claims["Nangarhar"]["attribution"] == roe
    assert claims["Pakistan"]["attribution"] == roe


def test_a_pronoun_does_not_reach_into_another_paragraph_past_its_first_sentence(geoparser):
    text = ("A report\n\nGeneral Jane Roe said the border was calm.\n\nThe roads were empty. "
            "Fighters held Mosul, she said.\n")  # fmt: skip
    assert claims_by_mention(geoparser, text)["Mosul"]["attribution"] == ""


def test_what_correspondents_reported_is_a_report(geoparser):
    claims = claims_by_mention(geoparser, REPORT)
    assert claims["Mosul"]["hedging"] == "reported"


def _seed_claim(seeds_build, mention: str, excerpt_words: str) -> dict:
    claims = seeds_build.claims_with_excerpts()
    rows = claims[(claims["mention"] == mention) & claims["excerpt"].str.contains(excerpt_words)]
    assert len(rows) == 1, (mention, excerpt_words, len(rows))
    return rows.iloc[0].to_dict()


def test_seed_claims_read_clause_by_clause(seeds_build):
    sirte = _seed_claim(seeds_build, "Sirte", "Darnah in late 2015")
    assert (sirte["date"], sirte["date_text"]) == ("2016-12", "December 2016")
    iraq = _seed_claim(seeds_build, "Iraq", "A year later, al-Maqdisi")
    assert (iraq["date"], iraq["date_text"]) == ("2005", "A year later")
    syria = _seed_claim(seeds_build, "Syria", "Just two years ago")
    assert syria["date"] == "2014"
    pakistan = _seed_claim(seeds_build, "Pakistan", "forced out of Pakistan")
    assert pakistan["attribution"].startswith("Gen. John Nicholson")
    assert pakistan["movement"] == "origin"
    assert _seed_claim(seeds_build, "France", "biggest flow of returners")["movement"] == (
        "destination"
    )
    assert _seed_claim(seeds_build, "Iran", "military response from Iran")["movement"] == ""
    hawija = _seed_claim(seeds_build, "Al-Hawija", "have recently reported")
    assert hawija["hedging"] == "reported"


def test_seed_places_in_compounds_and_well_known_sites_make_claims(seeds_build):
    afghanistan = _seed_claim(seeds_build, "Afghanistan", "Mullah-led Afghanistan")
    assert afghanistan["date"] == "2001-10-07"
    guantanamo = _seed_claim(seeds_build, "Guantanamo Bay", "sent to Guantanamo Bay")
    assert guantanamo["place_id"] == "curated:guantanamo-bay"
    places = seeds_build.places.set_index("place_id")
    assert places.loc["curated:guantanamo-bay", "country_code"] == "CU"


def test_a_name_cut_in_two_by_the_sentence_length_cap_gets_two_sentences_not_the_line(geoparser):
    # One line: the splitter cuts it every MAX_SENTENCE_CHARS at a space, here inside "New York".
    text = "a" * 1495 + " New York fighters" + " and more fighters" * 2000 + "\n"
    assert split_sentences(text)[0][1] == 1499  # "… New" | "York …"
    claim = claims_by_mention(geoparser, text)["New York"]
    assert claim["excerpt"].startswith("a" * 100) and "New York fighters" in claim["excerpt"]
    assert len(claim["excerpt"]) <= 2 * MAX_SENTENCE_CHARS
    assert text[claim["excerpt_start"] : claim["excerpt_end"]] == claim["excerpt"]
