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
