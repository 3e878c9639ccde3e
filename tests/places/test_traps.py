"""The traps a new user met on news nobody here had read (issue 14), each on sentences written for
the test: words read as codes or aliases, names of companies, publications and people, organisations
that hold a place name, context read the wrong way, and places missed."""

from __future__ import annotations


def _names(found) -> list[str]:
    return [name for _, name, *_ in found]


def _by_mention(found) -> dict[str, tuple]:
    return {mention: (name, kind, country) for mention, name, kind, country, *_ in found}


# -- ordinary words read as codes or aliases ---------------------------------------------------------


def test_words_that_spell_country_codes_are_not_countries(places_in):
    found = places_in(
        "Can you imagine the queues? Are we facing a winter of discontent? "
        "What if You'd Been a Soldier? Pool operators and Ben Alexander agreed."
    )
    assert found == []


def test_initials_of_a_name_the_text_spells_out_are_that_name(geoparser):
    text = (
        "The Neighborhood Improvement Coordination Effort, or NICE program, starts soon. "
        "NICE will help residents."
    )
    assert _all_names(geoparser, text) == []
    # Initials that spell the place itself stay the place.
    text = "Talks between the United Arab Emirates (UAE) and Oman went on. The UAE said no."
    assert _all_names(geoparser, text).count("UAE") == 2


def test_a_long_text_is_searched_for_a_words_initials_once(geoparser, monkeypatch):
    # The search for the spelled-out name reads the whole text: once per mention, a long report
    # naming "NICE" thousands of times read its text thousands of times (a 50 MB file: hours).
    from geo.places import recognize

    searched = []
    search = recognize.re.search

    def counted(pattern, string, *args, **kwargs):
        if string is text:
            searched.append(pattern)
        return search(pattern, string, *args, **kwargs)

    monkeypatch.setattr(recognize.re, "search", counted)
    text = "The Neighborhood Improvement Coordination Effort, or NICE program, starts soon. " + (
        "NICE will help residents. " * 500
    )
    assert _all_names(geoparser, text) == []
    assert len(searched) == 1


def test_codes_written_in_capitals_are_countries(places_in):
    names = _names(places_in("Talks between the UAE and the USA resumed in the U.K. capital."))
    assert names == ["United Arab Emirates", "United States", "United Kingdom"]


def test_a_short_word_in_a_line_written_in_capitals_is_no_code(places_in):
    assert places_in("WHAT CAN WE DO ABOUT IT AND WHY\nNothing, said the mayor.") == []


def test_man_opening_a_headline_is_not_the_isle_of_man(places_in):
    found = places_in("Man charged after crash on the bypass. Police said the man was 34.")
    assert found == []


def test_man_opening_a_headline_is_no_island_even_when_man_is_never_lower_case(places_in):
    assert places_in("Man charged after crash on the bypass. Police said he was 34.") == []
    # A country's other name that is no common word still opens a sentence as the country.
    assert _names(places_in("Britain said on Monday it would help.")) == ["United Kingdom"]
    assert _names(places_in("The talks ended. US officials left.")) == ["United States"]


def test_a_former_name_before_a_common_noun_is_no_place(places_in):
    # "Molotov" is a former name of Perm: with no word of place around it, and Russia never
    # named, it is the weapon's name.
    assert places_in("Protesters threw Molotov cocktails at the police.") == []
    assert places_in("The restaurant's Peking duck was praised.") == []


def test_a_former_name_with_evidence_of_a_place_is_the_place(places_in):
    assert _names(places_in("He was born in Stalingrad in 1950.")) == ["Volgograd"]
    assert _names(places_in("She survived the siege of Leningrad.")) == ["Saint Petersburg"]
    # A big city's other name is the city when the document names its country.
    found = places_in("Ukraine closed the border as Kiev authorities met.")
    assert _names(found) == ["Ukraine", "Kyiv"]


def test_a_surname_that_is_only_a_towns_other_name_is_no_place(places_in, geoparser):
    assert places_in("The budget will pass, Weber said on Monday.") == []
    assert places_in("Weber and Bates met the council on Monday.") == []
    # Written once as a place, the name is a place throughout the document.
    placed, unplaced = geoparser.parse("Mayors met in Weber. Police said Weber residents cheered.")
    assert [r.mention.text for r in placed] + [m.text for m in unplaced] == ["Weber", "Weber"]


def test_a_town_spelled_only_like_an_ordinary_word_is_not_placed(places_in):
    assert places_in("Mallard ducks nested by the pond this spring.") == []


def test_an_ordinary_word_spelled_unlike_any_place_is_the_word(geoparser):
    # "Room" meets "Rom" (and Rome's German name) only through the look-up's folded doubled
    # letters, "Sun" meets Anshun only without its article "An".
    assert _all_names(geoparser, "The club meets at the high school, Room 113, at 6 p.m.") == []
    assert _all_names(geoparser, "It was reported by Sun Media on Monday.") == []
    text = "Volunteers asked about Safety Action for Fire and Electricity on Monday."
    assert _all_names(geoparser, text) == []


def test_an_epithet_x_of_the_y_makes_no_claim_about_a_town(places_in):
    found = places_in("The group called itself the Organization in the Land of the Two Rivers.")
    assert "Two Rivers" not in _names(found)


# -- companies, publications and people -----------------------------------------------------------


def test_a_company_named_like_a_town_alias_is_not_that_town(places_in):
    assert places_in("Search engines such as Google ranked the story first.") == []


def test_the_atlantic_with_a_capital_the_is_the_magazine_not_the_ocean(places_in):
    assert places_in("A video by The Atlantic showed the speech.") == []
    assert _names(places_in("The convoy crossed the Atlantic in May.")) == ["Atlantic Ocean"]


def test_the_atlantic_reporting_at_a_sentence_start_is_the_magazine(places_in):
    assert places_in("The Atlantic reported that the talks had failed.") == []
    assert places_in("Later the Atlantic said it had checked the quotes.") == []


def test_a_place_called_the_x_keeps_its_the(places_in):
    assert _names(places_in("The court sits in The Hague.")) == ["The Hague"]


def test_people_named_in_wire_credits_are_not_places(places_in):
    found = places_in("The talks ended.\n(Reporting by Jon Smith; Editing by Bill Rigby)")
    assert found == []


def test_a_byline_in_capitals_inside_a_line_names_the_writer(geoparser):
    text = "Prices fell. BY KENT MALLETT Advocate Reporter March 30, 2009 NEWARK -- Sales slowed."
    names = _all_names(geoparser, text)
    assert "NEWARK" in names and "KENT" not in names and "MALLETT" not in names
    # A headline written in capitals throughout is no byline.
    assert _all_names(geoparser, "TROOPS HIT BY CHAD REBELS IN DESERT") == ["CHAD"]


def _all_names(geoparser, text: str) -> list[str]:
    """Every name the geoparser takes for a place, placed or not."""
    placed, unplaced = geoparser.parse(text)
    return sorted([r.mention.text for r in placed] + [m.text for m in unplaced])


def test_a_spelling_variant_needs_the_evidence_of_a_place(geoparser):
    # "Alstom" sounds like Aalst and Alès; a company is no town.
    assert _all_names(geoparser, "The engineering company Alstom will build the plant.") == []
    assert _all_names(geoparser, "Rebels are losing Menbj in Syria.") == ["Menbj", "Syria"]


def test_a_middle_initial_marks_a_persons_name(geoparser):
    assert _all_names(geoparser, "The new mayor, Virginia L. Lane, was sworn in.") == []
    text = "Judge Mary K. Hendricks heard the case. Hendricks said she would rule soon."
    assert _all_names(geoparser, text) == []


def test_a_surname_spelled_like_a_demonym_is_a_person(geoparser):
    text = "Officer Monica French said the grant was spent. French said it was audited."
    assert _all_names(geoparser, text) == []
    # A people speaks with its article; a demonym inside a longer name stays.
    assert _all_names(geoparser, "The French said no.") == ["French"]
    assert _all_names(geoparser, "A Single European Sky was planned.") == ["European"]


def test_a_small_town_does_not_speak(geoparser):
    text = "The plan will work, Hendricks said on Monday. Hendricks is the city engineer."
    assert _all_names(geoparser, text) == []
    assert _all_names(geoparser, '"It will rain," said Hendricks.') == []
    # A place with a preposition before it, or a country, still "says".
    assert _all_names(geoparser, "Doctors in Hendricks said the staff was tired.") == ["Hendricks"]
    assert _all_names(geoparser, "Britain said the staff was tired.") == ["Britain"]


def test_a_person_named_after_a_region_who_speaks_is_the_person(geoparser):
    # Nelson is also a region of New Zealand, which keeps the name a place elsewhere; seen in a
    # person's name, then speaking, it is the person.
    text = "The suspect ran off, said sheriff's Lt. Pat Nelson. She was cooperating, Nelson said."
    assert _all_names(geoparser, text) == []
    text = 'Mayor John Manchester met the president. "It was a fine day," Manchester said.'
    assert _all_names(geoparser, text) == []


def test_a_relative_named_after_a_word_of_kinship_is_a_person(geoparser):
    text = "Surviving in addition to her husband are son Bryan, husband of Pamela Rittle."
    assert _all_names(geoparser, text) == []
    text = "The woman was accused of harming her daughter, Brittany, last year."
    assert _all_names(geoparser, text) == []
    assert _all_names(geoparser, "She lives there with her twin sister, Jessi.") == []
    # The place where the relative lives stays a place.
    assert "Bryan" in _all_names(geoparser, "Her mother, Bryan resident Ann Lee, called.")


def test_an_airport_does_not_speak(geoparser):
    # Mather is also an airport's other name: a person speaks, then is named alone.
    text = '"I was lucky," said Mather, 22, on Saturday. Mather is now in a treatment program.'
    assert _all_names(geoparser, text) == []


def test_a_small_town_does_not_report(geoparser):
    text = "Twelve had serious injuries, Xinhua news agency reported. The fire was out, Xinhua reported."
    assert _all_names(geoparser, text) == []


def test_an_officers_title_is_no_town(geoparser):
    assert _all_names(geoparser, "Fire Marshal Tim Tharau said the fire was out.") == []


def test_a_person_who_tweets_is_the_person(geoparser):
    text = "Broadway star Lin-Manuel Miranda was ill. Miranda tweeted on Monday that he was well."
    assert _all_names(geoparser, text) == []


def test_a_time_zone_after_a_time_of_day_is_no_country_code(geoparser):
    text = "More than 100 were in line when the polls opened at 8 a.m. EST on Tuesday."
    assert _all_names(geoparser, text) == []
    text = "Talks with 60 US diplomats ended at 10:30 a.m. in Atlanta."
    assert _all_names(geoparser, text) == ["Atlanta", "US"]


def test_an_organisation_word_after_a_possessive_is_no_town(geoparser):
    assert _all_names(geoparser, "He died in Addenbrooke's Hospital a few days ago.") == []
    text = "A study by Omaha's Center for Public Affairs Research was published."
    assert _all_names(geoparser, text) == ["Omaha"]


def test_a_given_name_before_a_nickname_is_a_person(geoparser):
    text = 'Two men are charged in the beating of Katherine "Kay" Parsons, 41.'
    assert _all_names(geoparser, text) == []


def test_a_given_name_after_a_title_stays_a_person_without_it(geoparser):
    text = "He met President Vladimir Putin at noon. Critics asked about ties with Vladimir Putin."
    assert _all_names(geoparser, text) == []
    # A title before a place name alone is an epithet: the place stays a place elsewhere.
    text = "Harold Patterson, known as 'Mr. Arlington,' dies. He loved Arlington."
    assert _all_names(geoparser, text) == ["Arlington"]


def test_a_given_name_before_a_surname_written_after_a_title_is_a_person(geoparser):
    text = "Obama said he had told Vladimir Putin to stop. He warned Mr Putin of consequences."
    assert _all_names(geoparser, text) == []


def test_a_holiday_is_a_time_unless_written_as_a_place(geoparser):
    text = "Heathrow staff will strike on Christmas Day and over Christmas."
    assert "Christmas" not in _all_names(geoparser, text)
    text = "The parade passed through Christmas, Fla., on Saturday."
    assert _all_names(geoparser, text) == ["Christmas", "Fla."]


def test_a_surname_spelled_like_a_country_stays_the_person(geoparser):
    text = "An award went to firefighter Augustin Hondares, born in Honduras. Hondares drove off."
    names = _all_names(geoparser, text)
    assert "Honduras" in names and "Hondares" not in names


def test_a_presidents_administration_is_no_small_town(geoparser):
    text = "The Bush administration blamed the Clinton administration for the talks."
    assert "Clinton" not in _all_names(geoparser, text)
    text = "Later the Clinton and Bush administrations waited."
    assert "Clinton" not in _all_names(geoparser, text)
    # A city's administration is the city's.
    text = "The Baghdad administration met in Baghdad."
    assert _all_names(geoparser, text) == ["Baghdad", "Baghdad"]


def test_a_people_named_by_descent_is_no_claim_about_the_country(geoparser):
    text = "The foundation honors accomplished African-Americans. Anglo-Americans came in droves."
    assert _all_names(geoparser, text) == []
    # The country's own demonym alone stays.
    text = "She was the first African American woman elected. American troops left."
    assert _all_names(geoparser, text) == ["African", "American"]


def test_a_given_name_spelled_like_a_small_town_is_not_that_town(places_in):
    assert places_in("Leelah explained in her note that she felt alone.") == []


def test_senators_abbreviated_are_not_the_town_of_sens(places_in):
    assert places_in("U.S. Sens. Tim Walters and Jay Rock voted against it.") == [
        ("U.S.", "United States", "country", "US", *places_in("U.S.")[0][4:])
    ]


# -- organisations that contain a place name ------------------------------------------------------


def test_a_party_named_after_a_region_makes_no_claim_about_it(places_in):
    names = _names(places_in("Officials blamed the Kurdistan Workers Party for the attack."))
    assert names == []
    assert places_in("the Kurdistan Workers Party said it would talk.") == []
    assert places_in("Shares of the Georgia Power Company rose.") == []
    # A place word or a plain capitalised word after the name leaves the place a place.
    assert _names(places_in("Fighters fled to Kurdistan Province last week.")) != []


def test_a_saints_feast_day_is_no_place(geoparser):
    text = "Crashes rose on St. Patrick's Day, and on St Andrew's Eve, police said."
    assert _all_names(geoparser, text) == []


def test_a_university_after_a_possessive_is_an_organisation(places_in):
    assert places_in("She studied at St. John's University for a year.") == []


def test_white_house_is_the_landmark_in_washington_not_a_town(places_in):
    found = _by_mention(places_in("The dinner at the White House went ahead."))
    assert found == {"White House": ("White House", "landmark", "US")}
    # Its spokesman, its decisions and what it says are the institution's, not the building's.
    assert places_in("A White House spokesman said the visit would go ahead.") == []
    assert places_in("It was condemned by the White House and the White House's lawyers.") == []
    found = _by_mention(places_in("She grew up in White House, Tennessee."))
    assert found["White House"] == ("White House", "city", "US")


def test_a_direction_and_a_place_word_of_another_place_is_part_of_that_place(places_in):
    found = _by_mention(places_in("He was charged in the Southern District of Ohio last year."))
    assert found == {"Ohio": ("Ohio", "admin1", "US")}
    found = _by_mention(places_in("Fighting spread in the Eastern Province of Saudi Arabia."))
    assert found["Eastern Province"][1:] == ("admin1", "SA")


# -- context --------------------------------------------------------------------------------------


def test_georgia_in_a_story_about_atlanta_and_savannah_is_the_state(places_in):
    found = _by_mention(
        places_in("Mayors from Atlanta and Savannah asked Georgia lawmakers for more money.")
    )
    assert found["Georgia"] == ("Georgia", "admin1", "US")


def test_georgia_in_a_story_about_tbilisi_is_the_country(places_in):
    found = _by_mention(
        places_in("Protesters filled the streets of Tbilisi, the capital of Georgia.")
    )
    assert found["Georgia"] == ("Georgia", "country", "GE")


# -- places missed ----------------------------------------------------------------------------------


def test_a_dateline_in_capitals_is_the_town(places_in):
    found = _by_mention(places_in("Council backs new budget. HARTFORD — The council voted 8-1."))
    assert found["HARTFORD"][0] == "Hartford"
    found = _by_mention(places_in("Lanes reopen. CHARLESTON, W.Va. -- All lanes were closed."))
    assert found["CHARLESTON"] == ("Charleston", "city", "US")
    assert found["W.Va."] == ("West Virginia", "admin1", "US")


def test_state_abbreviations_after_a_town_are_the_states(places_in):
    found = _by_mention(
        places_in(
            "She moved from Columbia, S.C., to Gainesville, Fla., and then to Oakland, Calif."
        )
    )
    assert found["S.C."] == ("South Carolina", "admin1", "US")
    assert found["Gainesville"] == ("Gainesville", "city", "US")
    assert found["Calif."] == ("California", "admin1", "US")


def test_a_county_written_with_its_type_word_is_found(places_in):
    found = _by_mention(places_in("Deputies from Anderson County, S.C., made the arrest."))
    assert found["Anderson County"][1:] == ("admin2", "US")


def test_a_word_opening_a_sentence_does_not_make_a_town_a_surname(places_in):
    found = places_in(
        "Shops in Gainesville, Texas, are busy. Another Gainesville business opened on Monday, "
        "and another one will open soon."
    )
    assert [m for m, *_ in found].count("Gainesville") == 2


def test_a_number_or_an_office_around_a_county_leaves_it_a_county(places_in):
    found = _by_mention(
        places_in(
            "Three Eastland County residents were charged, the Lexington County Coroner's Office "
            "said."
        )
    )
    assert found["Eastland County"][1:] == ("admin2", "US")
    assert "Lexington County" not in found  # inside the office's name: no claim of its own


def test_a_bare_airport_or_county_name_is_recognised(geoparser):
    # Which Heathrow or which Anderson County is the resolver's question; the name is found.
    assert _all_names(geoparser, "Flights from Heathrow were delayed on Monday.") == ["Heathrow"]
    text = "Deputies in Anderson County made the arrest."
    assert _all_names(geoparser, text) == ["Anderson County"]
