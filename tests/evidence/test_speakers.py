from geo.evidence.speakers import attribution_head, speaker_names


def test_one_speaker_however_the_attribution_names_him():
    names = speaker_names(
        ["Zamir Kabulov, the Russian Foreign Ministry's director", "Kabulov", "the same Kabulov"]
    )
    assert set(names.values()) == {"Zamir Kabulov"}


def test_a_title_before_a_name_seen_elsewhere_is_dropped():
    names = speaker_names(["Iran’s Intelligence Minister Mahmoud Alavi", "Mahmoud Alavi"])
    assert set(names.values()) == {"Mahmoud Alavi"}


def test_generic_words_are_not_merged_into_named_bodies():
    names = speaker_names(["officials", "Iraqi officials"])
    assert names == {"officials": "officials", "Iraqi officials": "Iraqi officials"}


def test_head_drops_the_appositive_and_parenthesis():
    assert attribution_head("Gen. John Nicholson, the top commander") == "Gen. John Nicholson"
    assert attribution_head("The Brazilian Intelligence Agency (Abin)") == (
        "The Brazilian Intelligence Agency"
    )


def test_he_refers_to_the_person_named_before():
    from geo.evidence.speakers import antecedent

    nicholson = "Gen. John Nicholson, the top commander of US and NATO forces in Afghanistan"
    assert antecedent("he", ["", nicholson]) == nicholson
    assert antecedent("she", ["Kabulov"]) == "Kabulov"


def test_they_refers_to_a_plural_named_before():
    from geo.evidence.speakers import antecedent

    assert antecedent("they", ["The Iraqi counter-terrorism experts"]) == (
        "The Iraqi counter-terrorism experts"
    )
    assert antecedent("they", ["military correspondents in Iraq"]) == (
        "military correspondents in Iraq"
    )


def test_a_pronoun_that_does_not_fit_the_nearest_speaker_names_no_one():
    from geo.evidence.speakers import antecedent

    assert antecedent("they", ["a counterterrorism official", "Iraqi commanders"]) == ""
    assert antecedent("he", ["the ministry"]) == ""
    assert antecedent("he", ["Experts"]) == ""  # a plural opening a sentence
    assert antecedent("he", ["MI6"]) == ""
    assert antecedent("he", []) == ""
