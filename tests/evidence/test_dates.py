import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.evidence.dates import PartialDate, find_stated_date, parse_iso_date, parse_publication_date

DEC_2016 = PartialDate("2016-12-19", "day")


def stated(sentence, published=DEC_2016):
    date = find_stated_date(sentence, published)
    return None if date is None else (date.iso, date.precision)


# --- find_stated_date -----------------------------------------------------------------------------


def test_kermanshah_arrests_dated_november_2015_not_publication():
    sentence = (
        "Many active members and recruiters for ISIS active for two years have been arrested in "
        "Iran’s western Kermanshah province, said in November 2015 Bahman Reyhani, the regional "
        "commander of the revolutionary guards."
    )
    date = find_stated_date(sentence, DEC_2016)
    assert (date.iso, date.precision, date.text) == ("2015-11", "month", "November 2015")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The offensive was announced on 26 October 2017.", ("2017-10-26", "day")),
        ("On January 26, 2015, the spokesman released a statement.", ("2015-01-26", "day")),
        ("Sirte fell by December 2016.", ("2016-12", "month")),
        ("It split from the hardline group in 2013.", ("2013", "year")),
        ("UK services had disrupted 12 plots since June 2013.", ("2013-06", "month")),
        ("The paper was dated 2017-10-29.", ("2017-10-29", "day")),
        ("Police filed the report on 19/12/2016 in Berlin.", ("2016-12-19", "day")),
        ("Police filed the report on 12/19/2016 in Berlin.", ("2016-12-19", "day")),
        ("The citation reads AP, July 28. 2016.", ("2016-07-28", "day")),
    ],
)
def test_explicit_dates_keep_the_precision_the_text_states(sentence, expected):
    assert stated(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Darnah was lost in late 2015.", ("2015", "season")),
        ("Attacks were planned for early 2016.", ("2016", "season")),
        ("By the end of 2015 some 30,000 people had travelled.", ("2015", "season")),
        ("Two were killed in late February 2016.", ("2016-02", "season")),
        ("Fighting flared in mid-2014.", ("2014", "season")),
        ("The camp was built in the summer of 2015.", ("2015", "season")),
    ],
)
def test_qualified_spans_are_seasons_with_the_stated_year_or_month(sentence, expected):
    assert stated(sentence) == expected


def test_qualified_span_without_year_resolves_against_publication():
    assert stated("Three leaders were killed at the beginning of December.") == (
        "2016-12",
        "season",
    )
    assert stated("He estimated them at the first week of December.") == ("2016-12", "season")


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("He said that during 2014 and 2015 ISIS tried to approach.", "2014", "2015"),
        ("Between 2014 and 2015 the group grew.", "2014", "2015"),
        ("During the years 2003-2006 the leader followed a violent strategy.", "2003", "2006"),
        ("Prices rose from 2010 to 2012.", "2010", "2012"),
        ("Militias spread in the 1990s.", "1990", "1999"),
    ],
)
def test_spans_of_years_are_ranges(sentence, start, end):
    date = find_stated_date(sentence, DEC_2016)
    assert (date.iso, date.end_iso, date.precision) == (start, end, "range")


def test_month_without_year_is_the_latest_such_month_not_after_publication():
    assert stated("MacFarland estimated in August the remaining strength.") == ("2016-08", "month")
    assert stated("In December the city fell.") == ("2016-12", "month")
    march = PartialDate("2016-03-01", "day")
    assert stated("In June the group claimed the attack.", march) == ("2015-06", "month")


def test_month_and_day_without_year_resolve_like_months():
    sentence = "He was killed in an earlier coalition airstrike on November 16."
    assert stated(sentence) == ("2016-11-16", "day")
    assert stated("The market reopened on December 25.") == ("2015-12-25", "day")


def test_dates_that_need_a_publication_date_give_none_without_one():
    for sentence in (
        "The Paris attacks in November killed 130 people.",
        "The flow has been cut to a trickle this year.",
        "He was killed on November 16.",
        "Just two years ago leaders heralded a new epoch.",
    ):
        assert find_stated_date(sentence, None) is None, sentence


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The flow has been cut to a trickle this year.", ("2016", "year")),
        ("Turnout fell last year.", ("2015", "year")),
        ("A remarkable editorial last month in al-Naba was gloomy.", ("2016-11", "month")),
        ("They joined ISIS earlier this year.", ("2016", "year")),
        ("Numbers fell from 3,000 at the start of this year.", ("2016", "season")),
        ("Just two years ago leaders heralded a new epoch.", ("2014", "year")),
        ("The minister resigned yesterday.", ("2016-12-18", "day")),
    ],
)
def test_relative_dates_resolve_against_publication(sentence, expected):
    assert stated(sentence) == expected


def test_relative_month_needs_a_publication_month():
    assert find_stated_date("Talks collapsed last month.", PartialDate("2016", "year")) is None


def test_past_twelve_months_are_not_last_calendar_year():
    assert stated("Over the last year the group lost ground.") is None


def test_iranian_year_end_date_in_parentheses_is_read():
    sentence = (
        "His forces disbanded three terrorist groups in the past Iranian year "
        "(ended on March 19, 2016)."
    )
    assert stated(sentence) == ("2016-03-19", "day")


@pytest.mark.parametrize(
    "sentence",
    [
        "Militants have reached 30,000 from at least 86 countries.",
        "It lost 45% of its territory.",
        "Less than a month after 9/11, the war began.",
        "As many as 1,750 foreign jihadis have returned.[22]",
        "A total of 2000 fighters remain.",
        "The 2015 attacks changed the city.",
        "They may return and march on the capital.",
        "Room 1984 was empty.",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(sentence):
    assert find_stated_date(sentence, DEC_2016) is None


def test_prepositional_date_governs_over_adjectival_one():
    sentence = "The November 13, 2015 Paris attacks were planned in Raqqa in October 2015."
    assert stated(sentence) == ("2015-10", "month")


def test_first_date_governs_when_none_has_a_preposition():
    sentence = "Two of them plotted the November 13, 2015 Paris attacks."
    assert stated(sentence) == ("2015-11-13", "day")


def test_first_prepositional_date_governs_later_ones():
    sentence = (
        "In April, Alavi said his forces dismantled a workshop during the elections in February."
    )
    assert stated(sentence) == ("2016-04", "month")


def test_impossible_calendar_dates_are_not_returned():
    assert find_stated_date("It happened on February 30, 2016.", DEC_2016) is None
    assert stated("It happened on February 29, 2016.") == ("2016-02-29", "day")
    assert find_stated_date("It happened on February 29, 2015.", DEC_2016) is None


def test_stated_date_text_is_the_words_in_the_sentence():
    sentence = "Iraqi forces attacked Kirkuk in October 2016, killing 80."
    assert find_stated_date(sentence, DEC_2016).text == "October 2016"


# --- parse_publication_date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "iso", "precision"),
    [
        (
            "The Demise of the Caliphate\n\n19/12/2016 | by Karmon, Ely (Dr.)\n\nBody.",
            "2016-12-19",
            "day",
        ),
        (
            "Sunday, October 29, 2017\n\nWhat if You’d Been an ISIS Fighter?, by Sophie Mangal",
            "2017-10-29",
            "day",
        ),
        ("Wednesday, July 13, 2016\n\nThe End of the Caliphate\n", "2016-07-13", "day"),
        ("Title\n29 October 2017\nText.", "2017-10-29", "day"),
        ("Title\n2017-10-29\nText.", "2017-10-29", "day"),
        ("Title\nOctober 2017\nText.", "2017-10", "month"),
        ("Title\nPublished: March 3, 2016 at 10:15 am\nText.", "2016-03-03", "day"),
        ("Title\nBy Jane Doe | 5 May 2016\nText.", "2016-05-05", "day"),
        ("Title\n12/19/2016\nText.", "2016-12-19", "day"),
    ],
)
def test_publication_date_read_from_header_shapes(header, iso, precision):
    date = parse_publication_date(header)
    assert (date.iso, date.precision) == (iso, precision)


def test_site_name_year_range_is_not_a_publication_date():
    header = (
        "Middle-east Arab News Opinion | Asharq Al-awsat\n\n"
        "ISIS Aggravates Violence | ASHARQ AL-AWSAT English Archive 2005 -2017\nSelect Page\n"
    )
    assert parse_publication_date(header) is None


def test_dates_in_prose_or_titles_are_not_publication_dates():
    assert (
        parse_publication_date(
            "Title\n\nOn October 7, 2001, less than a month later, the war began."
        )
        is None
    )
    assert parse_publication_date("The November 2015 attacks revisited\n\nBody text.") is None
    assert (
        parse_publication_date("October 7, 2001, less than a month later, the war began.") is None
    )


def test_publication_date_is_only_looked_for_in_the_header():
    text = "Title\n" + "A line of body text.\n" * 20 + "October 29, 2017\n"
    assert parse_publication_date(text) is None


def test_updated_date_is_used_only_when_no_other_date_is_stated():
    assert parse_publication_date("T\nUpdated: May 2, 2017\nMay 1, 2017\n").iso == "2017-05-01"
    assert parse_publication_date("T\nLast updated: May 2, 2017\n").iso == "2017-05-02"


def test_no_stated_date_gives_none():
    assert parse_publication_date("Islamic State, Ltd.\nIslamic State, Ltd.\n\nText.") is None
    assert parse_publication_date("") is None


# --- PartialDate ---------------------------------------------------------------------------------


def test_partial_date_rejects_impossible_or_mismatched_values():
    for args in (("2016-02-30", "day"), ("2016-13", "month"), ("2016", "day"), ("2016", "weekly")):
        with pytest.raises(ValueError):
            PartialDate(*args)
    with pytest.raises(ValueError):
        PartialDate("2015", "range", end_iso="2014")
    assert PartialDate("2016-02", "season").year == 2016


def test_parse_iso_date_accepts_only_iso_shapes():
    assert parse_iso_date(" 2016-03 ") == PartialDate("2016-03", "month", "2016-03")
    for bad in ("2016-3", "19/12/2016", "2016-02-30", "", "March 2016"):
        assert parse_iso_date(bad) is None


# --- properties ----------------------------------------------------------------------------------

DATE_WORDS = st.sampled_from(
    ["in", "on", "by", "since", "late", "early", "the end of", "this year", "last month", "June",
     "May", "February", "29", "30", "31", "2016", "1999", "2014 and 2015", "2003-2006", "/", "-",
     ", ", ".", " ", "\n", "ago", "two years", "yesterday", "Sunday,", "1990s", "of"]
)  # fmt: skip
SENTENCES = st.one_of(st.text(), st.lists(DATE_WORDS, max_size=25).map(" ".join))
PUBLISHED = st.one_of(
    st.none(),
    st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).map(
        lambda d: PartialDate(d.isoformat(), "day")
    ),
    st.integers(1900, 2099).map(lambda y: PartialDate(str(y), "year")),
)


def assert_valid(date, text):
    assert date is None or isinstance(date, PartialDate)
    if date is not None:
        # Constructing it again re-runs the validation; the words must come from the text.
        PartialDate(date.iso, date.precision, date.text, date.end_iso)
        assert date.text and date.text in text


@settings(max_examples=400, deadline=None)
@given(SENTENCES, PUBLISHED)
def test_find_stated_date_never_raises_and_returns_valid_dates(sentence, published):
    assert_valid(find_stated_date(sentence, published), sentence)


@settings(max_examples=400, deadline=None)
@given(SENTENCES)
def test_parse_publication_date_never_raises_and_returns_valid_dates(text):
    assert_valid(parse_publication_date(text), text)


def test_the_date_patterns_written_for_fast_scanning_match_as_their_plain_forms():
    import re

    from geo.evidence import dates as d

    month_any, month_full, year = d._MONTH_ANY, d._MONTH_FULL, d._YEAR
    plain = {
        d._P_DMY: rf"(?<![\d,.])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<month>{month_any}),?\s+(?P<year>{year})(?!\d)",
        d._P_MONTH_YEAR: rf"\b(?P<month>{month_any}),?\s+(?:of\s+)?(?P<year>{year})(?!\d|,\d)",
        d._P_MONTH_DAY: rf"\b(?P<month>{month_any})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
        r"(?!\s*[,.]?\s*\d)",
        d._P_DAY_MONTH: rf"(?<![\d,.])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<month>{month_full})\b(?!,?\s*\d)",
        d._P_MONTH_ALONE: rf"\b(?P<month>{month_full})\b(?!\s*,?\s*\d)",
    }
    texts = [
        "On 29 October 2017, 3rd of May, 2016 and 12 Sept. 2015 (1,5 June 2014; 1.5 June).",
        "Sept. 3, Sep 4 2016, SEPT 2016, September 2016, of January 2015, Jan. 2015, Jan 2015,",
        "xMay 2016, éJune 2016, _July 2016, 4June 2016, June 42016, in May, May, MAY 2016, Mayor",
        "Marches in March; the 1st March; 123 March 2016; 23 March; 7 Decembers; Dec. 7th, 2016",
        "June\n2016 and 9\tAugust\n2016, Monday, 2 May 2016. On\u00a05 May 2016",
        "",
    ]
    for fast, pattern in plain.items():
        slow = re.compile(pattern)
        for text in texts:
            expected = [(m.span(), m.groupdict()) for m in slow.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected, text


# --- each clause its own date, dates counted from the text's previous date -----------------------


def test_each_place_takes_the_date_of_its_own_phrase():
    from geo.evidence.dates import stated_dates

    s = ("But with the loss of its strongholds, Darnah in late 2015 and Sirte by December 2016, "
         "its fortunes appear uncertain.")  # fmt: skip
    dates = stated_dates(s, DEC_2016)
    assert dates.at(s.index("Darnah")).text == "late 2015"
    assert dates.at(s.index("Sirte")).iso == "2016-12"
    assert dates.sentence.text == "late 2015"  # the sentence's governing date is unchanged


def test_a_phrase_without_a_date_takes_its_conjuncts_then_the_sentences():
    from geo.evidence.dates import stated_dates

    s = "In 2014 fighters took Mosul, and in 2015 they reached Raqqa, Syria, after a march."
    dates = stated_dates(s, DEC_2016)
    assert dates.at(s.index("Mosul")).iso == "2014"
    assert dates.at(s.index("Raqqa")).iso == "2015"
    assert dates.at(s.index("Syria")).iso == "2015"  # same conjunct as Raqqa
    one = "In 2014 fighters took Mosul, Raqqa and Sirte."
    assert {stated_dates(one, DEC_2016).at(one.index(p)).iso for p in ("Raqqa", "Sirte")} == {
        "2014"
    }


def test_a_year_later_counts_from_the_texts_previous_date_not_publication():
    july_2004 = PartialDate("2004-07", "month")
    date = find_stated_date("A year later, he criticized the killing in Iraq.", DEC_2016, july_2004)
    assert (date.iso, date.precision, date.text) == ("2005", "year", "A year later")
    assert find_stated_date("The following month, they left Mosul.", DEC_2016, july_2004).iso == (
        "2004-08"
    )
    assert find_stated_date("Later that year they left Mosul.", DEC_2016, july_2004).iso == "2004"
    assert (
        find_stated_date("Two years earlier, they held Mosul.", DEC_2016, july_2004).iso == "2002"
    )


def test_a_year_later_counts_from_an_earlier_date_in_the_same_sentence():
    from geo.evidence.dates import stated_dates

    s = "In July 2004 he spoke in Amman; a year later he wrote from Iraq."
    dates = stated_dates(s, DEC_2016)
    assert dates.at(s.index("Amman")).iso == "2004-07"
    assert dates.at(s.index("Iraq")).iso == "2005"


def test_counted_dates_without_an_earlier_date_are_unknown():
    assert stated("A year later, he left Iraq.") is None
    # Counted from an event, not a date: "before the war" gives no date.
    assert stated("Two years before the war they left Mosul.", None) is None
    # Six months after a year: the month is unknown.
    assert (
        find_stated_date("Six months later he left.", DEC_2016, PartialDate("2015", "year")) is None
    )


def test_ago_still_counts_from_publication():
    july_2016 = PartialDate("2016-07-13", "day")
    assert stated("Just two years ago, leaders heralded the caliphate.", july_2016) == (
        "2014",
        "year",
    )


def test_counted_from_earlier_date_is_detected():
    from geo.evidence.dates import counts_from_earlier_date

    assert counts_from_earlier_date("Less than a year later, the flow was cut.")
    assert counts_from_earlier_date("They left the following year.")
    assert not counts_from_earlier_date("They left two years ago.")
    assert not counts_from_earlier_date("Two years before the war they left.")


_PLAIN_YEAR_PATTERNS = {
    "_HAS_YEAR": r"(?<!\d)(?:19|20)\d\d(?!\d)",
    "_P_YEAR": r"(?<![\d.,])(?P<year>(?:19|20)\d\d)\b(?!\d|[,.]\d|%)(?P<after>\s*[a-z]*)",
    "_P_DECADE": r"(?<!\d)(?P<decade>(?:19|20)\d)0s\b(?P<after>\s*[a-z]*)",
    "_P_ISO": r"(?<![\w/.-])(?P<year>(?:19|20)\d\d)[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?![\w/-]|\.\d)",
    "_P_NUMERIC": r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)"
    r"(?P<year>(?:19|20)\d\d)(?![\w/-]|\.\d)",
}


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["19", "20", "2", "1", "9", "0", "5", "s", "0s", " ", "-", "/", ".", ",",
                         "%", "a", "\n", "in ", "٣", "_"]),
        max_size=16,
    )
)  # fmt: skip
def test_year_patterns_match_where_their_look_behind_first_forms_do(pieces):
    import re

    from geo.evidence import dates

    text = "".join(pieces)
    for name, plain in _PLAIN_YEAR_PATTERNS.items():
        fast = getattr(dates, name)
        expected = [(m.span(), m.groupdict()) for m in re.finditer(plain, text)]
        assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected, name


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["this", "thİs", "thıs", "laſt", "last", "LAST", " ", "year", "YEAR",
                         "month", "late", "early", "end of", "the", "turn", "of", "-", "\n",
                         "Yesterday", "a", "s"]),
        max_size=12,
    )
)  # fmt: skip
def test_relative_date_patterns_only_match_where_their_cheap_tests_look(pieces):
    from geo.evidence import dates

    text = "".join(pieces)
    lower = text.lower()
    has_year = dates._HAS_YEAR.search(text) is not None
    has_month = dates._HAS_MONTH.search(text) is not None
    if dates._P_QUALIFIED.search(text) and not (has_year or has_month):
        assert dates._has_this_or_last(text)
    if dates._P_THIS_LAST.search(text):
        assert "year" in lower or "month" in lower
