from geo.hedging import find_hedging


def level(sentence: str) -> str:
    return find_hedging(sentence).level


def test_reportedly_is_reported():
    hedge = find_hedging("He reportedly fled to Syria.")
    assert (hedge.level, hedge.cue) == ("reported", "reportedly")


def test_rumors_are_rumoured_even_next_to_weaker_words():
    assert level("Rumors, possibly planted as psychological warfare, report a coalition.") == (
        "rumoured"
    )


def test_an_estimated_number_is_estimated():
    assert level("The number declined from an estimated 3,000 to 1,500.") == "estimated"


def test_claimed_responsibility_is_claimed_with_its_words():
    hedge = find_hedging("ISIS claimed responsibility for a deadly attack in Kabul.")
    assert (hedge.level, hedge.cue) == ("claimed", "claimed responsibility")


def test_confirmed_that_is_confirmed_but_did_not_confirm_is_unconfirmed():
    assert level("A spokesman confirmed that it had the documents.") == "confirmed"
    assert level("Syrian officials did not confirm the plan.") == "unconfirmed"


def test_the_month_may_is_not_a_hedge():
    assert level("In May 2016 the fighters left Mosul.") == ""


def test_a_plain_sentence_has_no_hedge():
    assert find_hedging("Fighters reached Mosul.").level == ""
    assert find_hedging("").level == ""
