from geo.evidence.hedging import HEDGING_LEVELS, Hedge, find_hedging


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


# Every form each level's cues spell, in several cases: find_hedging skips a level whose anchors
# (geo.evidence.hedging._ANCHORS) a sentence lacks, so each form must hold one of them.
CUE_FORMS = {
    "rumoured": "rumor rumors rumour rumours rumored rumoured rumoredly rumouredly hearsay unverified",
    "denied": "denies denied deny denying",
    "unconfirmed": (
        "unconfirmed|did not confirm|do not yet verify|does not confirm|could not verify|"
        "would not confirm|has not confirmed|have not verified|had not yet confirm|"
        "didn't confirm|don’t verify|doesn't confirm|couldn’t verify|cannot confirm|can't verify|"
        "not confirmed|not been verified|no evidence"
    ),
    "speculative": "may might could possible possibly probable probably likely perhaps "
    "presumable presumably",
    "claimed": "claimed responsibility|claims responsibility|claiming responsibility|"
    "claim responsibility|claims|claimed|alleged|allegedly|allege|alleges|purported|purportedly",
    "reported": "reportedly|according to reports|per media|according to some sources|"
    "according to local media|per unnamed sources|report say|reports said|reports suggest|"
    "report suggests|reports suggested|reports indicate|report indicates|reports indicated|"
    "it was reported|were reported|is reported|are reported|has been reported|"
    "have been reported|sources say",
    "believed": "is believed|are thought|was suspected|were understood|been widely believed|"
    "apparently|it seems|seems to|seem to|seemed to|appears to|appear to|appeared to|suspect|"
    "suspects|suspected",
    "estimated": "estimate estimates estimated estimating evaluate evaluates evaluated "
    "evaluating assess assesses assessed assessing assessment assessments approximately roughly",
    "confirmed": "confirm confirms confirmed confirming verified officially",
}


def _forms(level: str) -> list[str]:
    text = CUE_FORMS[level]
    return text.split("|") if "|" in text else text.split()


def test_every_cue_form_is_found_in_any_case():
    from geo.evidence.hedging import _PATTERNS

    for level in CUE_FORMS:
        for form in _forms(level):
            for spelled in (form, form.upper(), form.title(), form.replace(" ", "\n  ")):
                sentence = f"Fighters {spelled} in Mosul."
                if level == "speculative" and spelled != form:
                    continue  # "May" is the month
                assert _PATTERNS[level].search(" ".join(sentence.split())), (level, spelled)
                # The weakest level present wins: no weaker level's cue is in these sentences,
                # except where a form spells one ("did not confirm" holds "confirm").
                expected = next(
                    lv for lv in HEDGING_LEVELS if _PATTERNS[lv].search(" ".join(sentence.split()))
                )
                assert find_hedging(sentence).level == expected, (level, spelled)


def test_what_correspondents_have_reported_is_a_report():
    s = ("Military correspondents in Iraq have recently reported that fighters are surrendering in "
         "Hawija.")  # fmt: skip
    assert find_hedging(s) == Hedge("reported", "have recently reported")
    assert find_hedging("The weekly reported that Mosul fell.").level == "reported"
    # A noun followed by "that" is not someone reporting.
    assert find_hedging("The reports that reached Paris were long.").level == ""
