from geo.dashboard.filters import ClaimFilter, count_in_notes, filter_claims
from geo.evidence.footnotes import Notes

TEXT = (
    "Nicholson said the number fell to 1,500. Most are in Nangarhar, he said.[22]\n\n"
    "Kabulov said 2,500 are there.[23] Another sentence without a note.\n\n"
    "[22] “Five US troops wounded in Afghanistan,” AP, July 28. 2016.\n\n"
    "[23]  RT NEWS, September 13, 2016.\n\n"
    "[24] Ibid.\n"
)


def numbers(notes, sentence):
    start = TEXT.index(sentence)
    return [r.number for r in notes.cited_by(start, start + len(sentence))]


def test_a_sentence_cites_the_marker_inside_it():
    assert numbers(Notes(TEXT), "Kabulov said 2,500 are there.[23]") == [23]


def test_a_sentence_without_a_marker_cites_the_note_that_closes_its_paragraph():
    assert numbers(Notes(TEXT), "Nicholson said the number fell to 1,500.") == [22]


def test_a_marker_in_another_paragraph_is_not_borrowed():
    assert numbers(Notes(TEXT), "Another sentence without a note.") == []


def test_references_carry_their_text_and_date_and_ibid_repeats_the_previous_one():
    notes = Notes(TEXT)
    assert notes.references[22].text.startswith("“Five US troops")
    assert notes.references[22].date.iso == "2016-07-28"
    assert notes.references[24].text.startswith("RT NEWS")
    assert notes.references[24].date.iso == "2016-09-13"


def test_reference_lines_are_citations_not_claims():
    notes = Notes(TEXT)
    assert notes.in_reference_list(TEXT.index("AP, July"))
    assert not notes.in_reference_list(TEXT.index("Kabulov said"))


def test_a_text_without_notes_cites_nothing():
    assert Notes("Plain text [sic] about Mosul.").cited_by(0, 20) == []


def test_seed_analysis_cites_note_22_for_nicholson(seeds_build):
    claims = seeds_build.claims_with_excerpts()
    nicholson = claims[claims["excerpt"].str.startswith("Gen. John Nicholson")]
    assert set(nicholson["footnotes"]) == {"22"}
    assert nicholson["reference"].iloc[0].startswith("[22] “Five US troops wounded")


def test_claims_read_from_the_reference_list_carry_their_note_number(seeds_build):
    claims = seeds_build.claims
    in_notes = claims[claims["note"] != ""]
    # "[29] “Iranian army: ISIS members and recruiters detained in Kermanshah,” Rudaw, ..."
    kermanshah = in_notes[in_notes["mention"] == "Kermanshah"]
    assert "29" in set(kermanshah["note"])
    # The analysis' own sentences about Kermanshah are not notes.
    own = claims[(claims["mention"] == "Kermanshah") & (claims["note"] == "")]
    assert not own.empty
    assert all(note.isdigit() for note in in_notes["note"])
    shown = filter_claims(claims, seeds_build.places, ClaimFilter(include_notes=False))
    assert (shown["note"] == "").all()
    assert len(shown) == len(claims) - count_in_notes(claims)
    assert 0 < count_in_notes(claims) < len(claims)
