import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.evidence.attribution import MAX_CHARS, find_attribution


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The flow has been cut to a trickle, according to U.S. intelligence assessments.[2]",
            "U.S. intelligence assessments",
        ),
        (
            "According to Der Spiegel newspaper, around 400 militants returned.",
            "Der Spiegel newspaper",
        ),
        (
            "About 45,000 were killed, according to Lieutenant General Sean MacFarland, who "
            "commands the campaign.",
            "Lieutenant General Sean MacFarland",
        ),
        (
            "However, according to Emily Winterbotham from the Royal United Services Institute "
            "(RUSI) Afghanistan does not provide the same environment.",
            "Emily Winterbotham from the Royal United Services Institute (RUSI)",
        ),
        (
            "According to Iran’s Intelligence Minister Mahmoud Alavi some armed groups had "
            "engaged the security forces in direct firefights.",
            "Iran’s Intelligence Minister Mahmoud Alavi",
        ),
    ],
)
def test_according_to_names_the_source(sentence, expected):
    assert find_attribution(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kabulov said that about 2,500 ISIS combatants are in Afghanistan.[23]", "Kabulov"),
        ("MacFarland estimated in August the remaining strength of ISIS.", "MacFarland"),
        ("Kabulov claimed ISIS is preparing to expand.", "Kabulov"),
        ("Iraqi commanders say they have killed at least 1,000 fighters.", "Iraqi commanders"),
        ("Britain has estimated that around 760,000 went to Syria.", "Britain"),
        ("Der Spiegle reported that many reasons push militants home.", "Der Spiegle"),
        (
            "Iraqi Prime Minister Haider Al-Abadi announced a large-scale offensive.",
            "Iraqi Prime Minister Haider Al-Abadi",
        ),
        (
            "A fundamentalist Lebanese source who has asked to remain anonymous told Asharq "
            "Al-Awsat that many militants split from ISIS.",
            "A fundamentalist Lebanese source",
        ),
        ("In April, Mahmoud Alavi said his forces dismantled a workshop.", "Mahmoud Alavi"),
        (
            "Iran’s Deputy Foreign Minister Hassan Qashqavi was quoted as saying that 80 died.",
            "Iran’s Deputy Foreign Minister Hassan Qashqavi",
        ),
        (
            "Jacob Zenn, a Fellow at The Jamestown Foundation, ironically noted that the IMU is gone.",
            "Jacob Zenn, a Fellow at The Jamestown Foundation",
        ),
        (
            "It seems the Russians inflate the threat as the same Kabulov declared in April 2016 "
            "that there are now 10,000 fighters.",
            "the same Kabulov",
        ),
    ],
)
def test_subject_of_a_reporting_verb_is_the_source(sentence, expected):
    assert find_attribution(sentence) == expected


def test_name_and_appositive_before_said_are_kept_together():
    sentence = (
        "Gen. John Nicholson, the top commander of US and NATO forces in Afghanistan, said the "
        "number of ISIS fighters in Afghanistan has declined."
    )
    expected = "Gen. John Nicholson, the top commander of US and NATO forces in Afghanistan"
    assert find_attribution(sentence) == expected


def test_appositive_after_name_and_intro_phrase():
    sentence = (
        "During an interview with Asharq Al-Awsat, Rodger Shanahan, research fellow at the Lowy "
        "Institute said that it’s difficult to count the returners."
    )
    assert find_attribution(sentence) == "Rodger Shanahan, research fellow at the Lowy Institute"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The leaders were plotting attacks on the West, the Pentagon said, and were part of "
            "a network.",
            "the Pentagon",
        ),
        (
            "Several suspects swore allegiance, but there is no evidence of contact with IS, "
            "Justice Minister Alexandre de Moraes said.",
            "Justice Minister Alexandre de Moraes",
        ),
        ("“The contingent might attempt to return,” the report said.[13]", "the report"),
        ("These sanctuaries, argues Whiteside, will be within Iraq and Syria.", "Whiteside"),
    ],
)
def test_speaker_after_the_claim(sentence, expected):
    assert find_attribution(sentence) == expected


def test_inverted_said_with_date_names_the_speaker_and_role():
    sentence = (
        "Many active members and recruiters for ISIS have been arrested in Iran’s western "
        "Kermanshah province, said in November 2015 Bahman Reyhani, the regional commander of "
        "the revolutionary guards."
    )
    expected = "Bahman Reyhani, the regional commander of the revolutionary guards"
    assert find_attribution(sentence) == expected


def test_inverted_speaker_stops_before_adding_clause():
    sentence = (
        "The rise of Islamic State poses concerns for Russia, said in September 2016 Zamir "
        "Kabulov, the Russian Foreign Ministry's envoy, adding that Washington is responsible."
    )
    assert find_attribution(sentence) == "Zamir Kabulov, the Russian Foreign Ministry's envoy"


def test_told_names_its_subject_not_its_listener():
    sentence = "A senior official told Reuters that the border was closed."
    assert find_attribution(sentence) == "A senior official"


@pytest.mark.parametrize(
    "sentence",
    [
        "He said Iran was boosting border checkpoints.",
        "The majority are former members of the TTP, he said, adding that they were forced out.",
        "The organization, they claim, has a list of places to hide.",
    ],
)
def test_pronouns_are_not_sources(sentence):
    assert find_attribution(sentence) == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Iraqi forces have entirely surrounded Mosul.",
        "The number declined from an estimated 3,000 to 1,500.",
        "It was reported that the bridge collapsed.",
        "The aforementioned attacks have confirmed the threat.",
        "The certification program adds to the airline's rules.",
        "I am glad to say my strength is growing.",
        "Many EU Member States are part of the coalition.",
        "",
    ],
)
def test_sentences_without_a_source_give_empty(sentence):
    assert find_attribution(sentence) == ""


def test_quoted_name_keeps_its_quotes_balanced():
    sentence = 'The "Caucasian Knot" has reported that mines were laid.'
    assert find_attribution(sentence) == 'The "Caucasian Knot"'


def test_dateline_is_not_part_of_the_source():
    sentence = "WINNIPEG — Manitoba's Opposition New Democrats said Thursday they plan a delay."
    assert find_attribution(sentence) == "Manitoba's Opposition New Democrats"


def test_long_sources_are_capped_at_a_word_boundary():
    name = "the " + " ".join(["Committee"] * 60)
    who = find_attribution(f"Taxes rose, according to {name}.")
    assert 0 < len(who) <= MAX_CHARS
    assert who.endswith("Committee")


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(
            st.sampled_from(
                [
                    "said",
                    "according to",
                    "told",
                    ",",
                    "the",
                    "The Pentagon",
                    "he",
                    "Gen.",
                    "“",
                    "”",
                    '"',
                    "was",
                    "in November 2015",
                    "Jane Doe",
                    "who",
                    "in which",
                    "[3]",
                    ".",
                    "adding",
                    "WINNIPEG —",
                    "(RUSI)",
                    "U.S.",
                ]
            ),  # fmt: skip
            max_size=30,
        ).map(" ".join),
    )
)
def test_find_attribution_never_raises_and_returns_short_text(sentence):
    who = find_attribution(sentence)
    assert isinstance(who, str)
    assert len(who) <= MAX_CHARS
    assert who == who.strip()


def test_the_factored_verb_pattern_matches_what_the_plain_alternation_matches():
    import re

    from geo.evidence.attribution import _VERB, _VERBS, _word_alternation

    plain = re.compile(rf"\b(?:(?:was|is|were|are)\s+quoted\s+as\s+saying|(?:{_VERBS}))\b")
    assert re.fullmatch(_word_alternation(["say", "says", "said", "sa"]), "sa")
    verbs = _VERBS.split("|")
    # Every verb, its prefixes and extensions, alone and inside longer words.
    words = {
        w for v in verbs for w in (v, v[:-1], v + "s", v + "d", "un" + v, v.title(), v.upper())
    }
    text = " ".join(sorted(words)) + ", said X. He was quoted as saying; is quoted as  saying"
    assert [m.span() for m in _VERB.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(_VERB.finditer(text))) > len(verbs)
    for verb in verbs:
        assert _VERB.fullmatch(verb), verb


def test_the_abbreviation_and_phrase_end_checks_agree_with_their_plain_forms():
    import re

    from geo.evidence.attribution import _PHRASE_END, _TITLE_ABBREVIATIONS, _ends_with_abbreviation

    plain_end = re.compile(r"[;:\[]|\.(?=\s|$|\[|[”\"’'])")
    texts = [
        "Gen. John Nicholson, the U.S.A. commander; said: [1] it. “Yes.” ok.x 'a.' end.",
        "according to the U.S. State Department. The",
        "Lt Col Brig Capt Pres Mr Dr. J. K. Rowling U.S.A.B.C.D.E.F",
        "a.b.c.d.e.f.g.h.i.j.k.l.m Xyz Capt\n",
        "Ms",
        "",
        "Gen",
        "ZGen xCapt 3Capt Capt. St.",
    ]
    for text in texts:
        assert [m.span() for m in _PHRASE_END.finditer(text)] == [
            m.span() for m in plain_end.finditer(text)
        ]
        for end in range(len(text) + 1):
            expected = _TITLE_ABBREVIATIONS.search(text[:end]) is not None
            assert _ends_with_abbreviation(text, end) == expected, (text, end)


@pytest.mark.parametrize(
    "sentence, pronoun",
    [
        (
            "The majority are former members of the TTP, he said, adding that they were forced out.",
            "he",
        ),
        ("Forty kilometers, he said, was as close as Iran would permit.", "he"),
        ("She added that the border was closed.", "she"),
        ("“The measures have been adopted,” he added.", "he"),
        ("The organization, they claim, has a list of places to hide.", "they"),
        ("Iran is ready, said he.", "he"),
        # Named in the same sentence: "in which he declared" refers to al-Adnani.
        ("Al-Adnani released a statement in which he declared a new province.", ""),
        ("Kabulov said he was worried.", ""),
        ("He went to Syria.", ""),
    ],
)
def test_a_speaking_pronoun_is_found(sentence, pronoun):
    from geo.evidence.attribution import find_referring_speaker

    assert find_referring_speaker(sentence) == pronoun


@pytest.mark.parametrize(
    "sentence",
    [
        "Fighters left Mosul, he said.",
        "According to the ministry, 300 people fled, she added.",
        "Jane Doe, the spokeswoman, said the road was closed.",
        "The road was closed.",
        "She said that the attacks confirmed the threat, officials said.",
        "It was reported that they said nothing.",
        "   ",
        "They told reporters\nthat\tthe town had fallen.",
    ],
)
def test_find_speaker_reads_what_the_two_readers_read(sentence):
    from geo.evidence.attribution import find_referring_speaker, find_speaker

    who = find_attribution(sentence)
    assert find_speaker(sentence) == (who, "" if who else find_referring_speaker(sentence))


_WORDS = ["he", "she", "said", "told", "according", "to", "the", "Jane", "Doe", ",", ".", "that",
          "officials", "was", "added", "\n", "“", "”", "Ministry", "confirmed", "they"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14))
def test_find_speaker_agrees_with_the_two_readers_on_any_word_sequence(words):
    from geo.evidence.attribution import find_referring_speaker, find_speaker

    sentence = " ".join(words)
    who = find_attribution(sentence)
    assert find_speaker(sentence) == (who, "" if who else find_referring_speaker(sentence))
