"""Dates in reports: the publication date in a header, and the date a sentence states about its event.

Everything here reads plain text with regular expressions and returns `PartialDate` values whose ISO
form carries only what the text says (a year, a month or a day), never a guessed finer date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Container
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from geo.text.clauses import clause_spans
from geo.text.cues import Anchors
from geo.text.scan import fold, word_start_alternation

PRECISIONS = ("year", "month", "day", "season", "range")

# Bare years outside this window are far more often counts ("1500 fighters") than dates.
MIN_YEAR, MAX_YEAR = 1900, 2099

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the text states it: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.

    `precision` is year, month or day; season for a qualified span ("late 2015", iso = the year or the
    month if stated); range for a span of years (iso = start, end_iso = end). `text` is the words read.
    """

    iso: str
    precision: str
    text: str = ""
    end_iso: str = ""

    def __post_init__(self) -> None:
        # Validating here means no module can hand the rest of the pipeline an impossible date.
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        parts = _iso_parts(self.iso)
        if parts is None:
            raise ValueError(f"not a valid ISO date: {self.iso!r}")
        expected = {"year": 1, "month": 2, "day": 3}.get(self.precision)
        if expected is not None and len(parts) != expected:
            raise ValueError(f"{self.iso!r} does not have {self.precision} precision")
        if self.precision == "season" and len(parts) == 3:
            raise ValueError(f"a season is a year or a month, not {self.iso!r}")
        if self.precision == "range":
            end = _iso_parts(self.end_iso)
            if end is None or self.end_iso < self.iso:
                raise ValueError(f"not a valid range: {self.iso!r} to {self.end_iso!r}")
        elif self.end_iso:
            raise ValueError("end_iso is only for ranges")

    @property
    def year(self) -> int:
        return int(self.iso[:4])


def parse_iso_date(value: str) -> PartialDate | None:
    """Read 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (surrounding spaces allowed); None if it is not one."""
    text = value.strip()
    parts = _iso_parts(text)
    if parts is None:
        return None
    return PartialDate(text, ("year", "month", "day")[len(parts) - 1], text)


def _iso_parts(iso: str) -> tuple[int, ...] | None:
    match = _ISO.fullmatch(iso)
    if not match:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    if not 1 <= parts[0] <= 9999:
        return None
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        return None
    return parts


def _make(
    year: int, month: int | None, day: int | None, precision: str, text: str
) -> PartialDate | None:
    """A PartialDate for the given parts, or None when they are not a real calendar date."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    iso = f"{year:04d}"
    if month is not None:
        if not 1 <= month <= 12:
            return None
        iso += f"-{month:02d}"
        if day is not None:
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                return None
            iso += f"-{day:02d}"
    return PartialDate(iso, precision, text)


# --- vocabulary ---------------------------------------------------------------------------------

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
# Title and upper case only, matched case-sensitively: "may" and "march" are usually verbs, and
# a case-sensitive alternation lets the regex engine skip ahead on the first letter.
_MONTH_FULL = "|".join(
    variant
    for m in range(1, 13)
    for variant in (calendar.month_name[m], calendar.month_name[m].upper())
)
_MONTH_ABBR = "|".join(
    variant
    for name in "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec".split()
    for variant in (name, name.upper())
)
# Abbreviations need a period or a following number; "Jan" alone is also a first name.
_MONTH_ANY = rf"(?:(?:{_MONTH_FULL})|(?:{_MONTH_ABBR})\.?)"
# \b(?:_MONTH_ANY) and \b(?:_MONTH_FULL) as choices between first letters (geo.text.scan): the
# engine jumps from capital to capital instead of trying every month at every word.
_MONTH_ANY_AT_WORD = word_start_alternation(
    [*_MONTH_FULL.split("|"), *(rf"{abbr}\.?" for abbr in _MONTH_ABBR.split("|"))], regex=True
)
_MONTH_FULL_AT_WORD = word_start_alternation(_MONTH_FULL.split("|"))
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_YEAR = r"(?:19|20)\d\d"


def _century_after(not_before: str) -> str:
    """The "19" or "20" opening a year, where the character before it is not `not_before`:
    rf"(?<!{not_before})(?:19|20)", with the look-behind moved after the first digit, so that the
    engine jumps from "1" to "2" instead of trying the look-behind at every position."""
    return rf"(?:1(?<!{not_before}.)9|2(?<!{not_before}.)0)"


_CENTURY_AFTER_NON_DIGIT = _century_after(r"\d")
_CENTURY_AFTER_NON_NUMBER = _century_after(r"[\d.,]")  # "1.2015" and "3,2015" are not years
_CENTURY_AFTER_SPACE = _century_after(r"[\w/.-]")  # nor "x2015", "/2015", "-2015"

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"a": 1, "an": 1}

# A word before a date that makes it adverbial ("in 2015", "by December 2016"); the rule that picks
# the governing date prefers such dates over adjectival ones ("the November 2015 attacks").
_PREPOSITIONS = (
    "in|on|by|since|during|until|till|from|between|at|of|before|after|through|throughout|around|"
    "circa|as of|starting|beginning|ending|ended|over|within|into"
)
_CUE_BEFORE = re.compile(
    rf"\b(?:{_PREPOSITIONS})\s+(?:(?:the|a|an|its|their|his|her|this|that|last|early|late|"
    rf"mid|very)[\s-]+){{0,2}}$",
    re.IGNORECASE,
)
_SEASON_QUALIFIER = (
    r"(?:early|late|mid(?:dle)?|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|close|turn|"
    r"(?:first|second|last)\s+half|(?:first|second|third|fourth|last|final)\s+quarter|"
    r"(?:first|second|third|fourth|last|final)\s+(?:few\s+)?(?:days?|weeks?|months?)|"
    r"(?:early|final|last|closing|opening)\s+(?:days|weeks|months))\s+of)"
)
_SEASON_WORD = r"(?:spring|summer|autumn|fall|winter)"


# --- patterns -----------------------------------------------------------------------------------
# Each pattern names its parts; the `_*_candidates` functions turn matches into `_Candidate`s.
# Patterns start at a month word or a year; the cue before it ("in", "on", "between") is checked in
# a short window (`_cue_match`), because leading alternations of prepositions are slow to scan for.

_P_MDY = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?P<month>{_MONTH_ANY})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s*[,.]{{1,2}}\s*|\s+)(?P<year>{_YEAR})(?!\d)"
)
# (?<![\d,.])\d{1,2} written as \d(?<![\d,.].)\d?, so that the engine jumps from digit to digit.
_P_DMY = re.compile(
    rf"(?P<day>\d(?<![\d,.].)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month>{_MONTH_ANY}),?\s+(?P<year>{_YEAR})(?!\d)"
)
_WEEKDAY_BEFORE = re.compile(rf"\b{_WEEKDAY},?\s+(?:the\s+)?$")
_P_ISO = re.compile(
    rf"(?P<year>{_CENTURY_AFTER_SPACE}\d\d)[-/](?P<month>\d{{1,2}})[-/](?P<day>\d{{1,2}})(?![\w/-]|\.\d)"
)
_P_NUMERIC = re.compile(
    rf"(?P<a>\d(?<![\w/.-].)\d?)(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<year>{_YEAR})"
    r"(?![\w/-]|\.\d)"
)
_P_MONTH_YEAR = re.compile(
    rf"(?P<month>{_MONTH_ANY_AT_WORD}),?\s+(?:of\s+)?(?P<year>{_YEAR})(?!\d|,\d)"
)
_P_SEASON = re.compile(
    rf"\b(?:the\s+)?(?P<season>{_SEASON_WORD})(?:\s+of)?\s+(?P<year>{_YEAR})(?!\d|,\d)",
    re.IGNORECASE,
)
_P_QUALIFIED = re.compile(
    rf"\b(?P<qual>{_SEASON_QUALIFIER})[\s-]*(?:(?P<month>(?-i:{_MONTH_FULL}))"
    rf"(?:,?\s+(?P<year>{_YEAR}))?|(?P<bare>{_YEAR})|(?P<rel>this|last)\s+year)\b(?!\d|,\d)",
    re.IGNORECASE,
)
_P_RANGE = re.compile(
    rf"(?P<start>{_YEAR})\s*(?:[-–—]|\bto\b|\band\b|\bthrough\b|\buntil\b)\s*(?P<end>{_YEAR})"
    r"(?!\d|,\d)"
)
_CUE_RANGE = re.compile(
    rf"\b(?:between|{_PREPOSITIONS})(?:\s+the\s+(?:years?|period))?\s+$", re.IGNORECASE
)
_P_DECADE = re.compile(rf"(?P<decade>{_CENTURY_AFTER_NON_DIGIT}\d)0s\b(?P<after>\s*[a-z]*)")
_CUE_DECADE = re.compile(
    rf"\b(?P<cue>{_PREPOSITIONS})\s+the\s+(?P<qual>(?:early|mid|late)[\s-]+)?$", re.IGNORECASE
)
_P_YEAR = re.compile(
    rf"(?P<year>{_CENTURY_AFTER_NON_NUMBER}\d\d)\b(?!\d|[,.]\d|%)(?P<after>\s*[a-z]*)"
)
_CUE_YEAR = re.compile(rf"\b(?P<cue>{_PREPOSITIONS})\s+(?:the\s+year\s+)?$", re.IGNORECASE)
_P_MONTH_DAY = re.compile(
    rf"(?P<month>{_MONTH_ANY_AT_WORD})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[,.]?\s*\d)"
)
_CUE_MONTH_DAY = re.compile(
    rf"\b(?:on|by|since|until|till|from|before|after|of)\s+(?:{_WEEKDAY},?\s+)?$", re.IGNORECASE
)
_P_DAY_MONTH = re.compile(
    rf"(?P<day>\d(?<![\d,.].)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_FULL})\b"
    r"(?!,?\s*\d)"
)
_CUE_DAY_MONTH = re.compile(
    r"\b(?:on|by|since|until|till|from|before|after)\s+(?:the\s+)?$", re.IGNORECASE
)
_P_MONTH_ALONE = re.compile(rf"(?P<month>{_MONTH_FULL_AT_WORD})\b(?!\s*,?\s*\d)")
_CUE_MONTH = re.compile(
    rf"\b(?:{_PREPOSITIONS}|a|an|last|this)\s+(?P<qual>(?:early|late|mid)[\s-]+)?$", re.IGNORECASE
)
_P_THIS_LAST = re.compile(
    r"\b(?:(?P<earlier>earlier|later)\s+)?(?P<which>this|last)\s+(?P<unit>year|month)\b",
    re.IGNORECASE,
)
_P_AGO = re.compile(
    r"\b(?P<count>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
    r"\s+(?P<unit>year|month)s?\s+ago\b",
    re.IGNORECASE,
)
_P_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
# Dates counted from an earlier date of the text, not from publication: "a year later", "the
# following month", "that same year". "Two years before the war" counts from the war, so "before"
# and "after" count only at the end of a phrase.
_COUNT_WORDS = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an"
_P_ANAPHORIC = re.compile(
    rf"\b(?:(?P<count>{_COUNT_WORDS})\s+(?P<unit>year|month)s?\s+"
    r"(?:(?P<later>later|afterwards?|after(?=\s*[,.;:]|\s*$))|(?P<earlier>earlier|before(?=\s*[,.;:]|\s*$)))"
    r"|the\s+(?P<which>following|next|previous|preceding)\s+(?P<unit2>year|month)"
    r"|(?:(?:later|earlier)\s+)?(?:that|the)\s+(?P<same>same\s+)?(?P<unit3>year|month)"
    r"(?=\s*[,.;:]|\s*$|\s+(?:when|as|after|before)\b)"
    r"|(?:later|earlier)\s+that\s+(?P<unit4>year|month))\b",
    re.IGNORECASE,
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_HAS_YEAR = re.compile(rf"{_CENTURY_AFTER_NON_DIGIT}\d\d(?!\d)")
# What _P_NUMERIC needs ("19/12/2016"), found by jumping from digit to digit.
_HAS_NUMERIC = re.compile(r"\d[/.-]\d")
# \b(?:{_MONTH_ABBR}|May|MAY), which the engine scans for a capital letter at a time.
_HAS_MONTH = re.compile(word_start_alternation([*_MONTH_ABBR.split("|"), "May", "MAY"]))
_QUALIFIER_WORDS = ("early", "late", "mid", "end", "beginning", "start", "middle", "close", "turn",
                    "half", "quarter", "day", "week", "month")  # fmt: skip
_SEASON_WORDS = ("spring", "summer", "autumn", "fall", "winter")

# Pre-checks of `_candidates` as anchors found once per document (geo.text.cues): each holds
# wherever the check it stands for holds (the folded text holds every letter sequence its
# lower-cased text does), so a sentence without the anchor fails the check. The other checks
# ("19" or "20", the qualifier and season words) stay substring tests of the sentence: their words
# are so common in a document that finding each occurrence would cost more than it saves.
_MONTH, _YEAR_OR_MONTH = "dates.month", "dates.year_or_month"
_AGO, _YESTERDAY = "dates.ago", "dates.yesterday"
CUES = (
    # What _HAS_MONTH finds: an abbreviation, "May" or "MAY" where a word starts, as written.
    Anchors(_MONTH, (*_MONTH_ABBR.split("|"), "May", "MAY"), folded=False, word_start=True),
    Anchors(_YEAR_OR_MONTH, ("year", "month")),
    Anchors(_AGO, (" ago",)),
    Anchors(_YESTERDAY, ("yesterday",)),
)
# Without one of these, or "19" or "20", a sentence has no date candidate at all.
_ANY_DATE = frozenset(a.name for a in CUES)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    cued: bool
    # What the words say before resolving against the publication date.
    # "absolute", "month" (month of unknown year), "monthday", "relative" (to publication),
    # "anaphoric" (to the text's previous date: offset > 0 is later)
    kind: str
    date: PartialDate | None = None
    month: int = 0
    day: int = 0
    precision: str = ""
    offset: int = 0  # years or months back for relative dates
    unit: str = ""


def _month_number(word: str) -> int | None:
    """Month number of a capitalised month word; lowercase "may"/"march" are verbs, not months."""
    if not word or not word[0].isupper():
        return None
    return _MONTHS.get(word.rstrip(".").lower())


def _cued(text: str, start: int) -> bool:
    return bool(_CUE_BEFORE.search(text[max(0, start - 40) : start]))


def _candidates(text: str, cues: AbstractSet[str] | None = None) -> list[_Candidate]:
    """Every date-like expression in the text, overlapping ones included.

    Cheap tests come first: most sentences name no year or month, and each full pattern costs tens
    of microseconds on a long sentence. `cues`, when given, names the anchors (CUES) the text
    holds, found once for the whole document: a test whose anchor is absent is not made.
    """
    found: list[_Candidate] = []
    century = "19" in text or "20" in text
    if cues is None:
        cues = _ANY_DATE
    elif not century and cues.isdisjoint(_ANY_DATE):
        return found
    lower = text.lower()
    has_year = century and _HAS_YEAR.search(text) is not None
    has_month = _MONTH in cues and _HAS_MONTH.search(text) is not None
    if has_year:
        _year_candidates(text, lower, has_month, found)
    if has_month:
        _month_candidates(text, found)
    # Without a year or a month word only "late this year" and the like can match, and they say
    # "this" or "last" (looked for in the folded text, as the pattern ignores case: geo.text.scan).
    this_year = _YEAR_OR_MONTH in cues and "year" in lower and _has_this_or_last(text)
    if (has_year or has_month or this_year) and any(w in lower for w in _QUALIFIER_WORDS):
        for m in _P_QUALIFIED.finditer(text):
            _add_qualified(text, m, found)
    _relative_candidates(text, lower, found, cues)
    return found


def _has_this_or_last(text: str) -> bool:
    folded = fold(text)
    return "this" in folded or "last" in folded


def _year_candidates(text: str, lower: str, has_month: bool, found: list[_Candidate]) -> None:
    def absolute(start: int, end: int, date: PartialDate | None, cued: bool | None = None) -> None:
        if date is not None:
            cued = _cued(text, start) if cued is None else cued
            found.append(_Candidate(start, end, cued, "absolute", date))

    if has_month:
        for m in _P_MDY.finditer(text):
            month = _month_number(m["month"])
            if month:
                absolute(*m.span(), _make(int(m["year"]), month, int(m["day"]), "day", m[0]))
        for m in _P_DMY.finditer(text):
            month = _month_number(m["month"])
            if month:
                # "Sunday, 29 October 2017": the weekday belongs to the date's words.
                weekday = _cue_match(_WEEKDAY_BEFORE, text, m.start())
                start = weekday.start() if weekday else m.start()
                date = _make(int(m["year"]), month, int(m["day"]), "day", text[start : m.end()])
                absolute(start, m.end(), date)
        for m in _P_MONTH_YEAR.finditer(text):
            month = _month_number(m["month"])
            if month:
                absolute(*m.span(), _make(int(m["year"]), month, None, "month", m[0]))
    if "-" in text or "/" in text:
        for m in _P_ISO.finditer(text):
            date = _make(int(m["year"]), int(m["month"]), int(m["day"]), "day", m[0])
            absolute(*m.span(), date)
    if _HAS_NUMERIC.search(text):
        for m in _P_NUMERIC.finditer(text):
            absolute(*m.span(), _numeric_date(int(m["a"]), int(m["b"]), int(m["year"]), m[0]))
    if any(word in lower for word in _SEASON_WORDS):
        for m in _P_SEASON.finditer(text):
            absolute(*m.span(), _make(int(m["year"]), None, None, "season", m[0]))
    for m in _P_RANGE.finditer(text):
        start, end = int(m["start"]), int(m["end"])
        if start < end and _cue_match(_CUE_RANGE, text, m.start()):
            absolute(*m.span(), PartialDate(str(start), "range", m[0], str(end)), cued=True)
    for m in _P_YEAR.finditer(text):
        cue = _cue_match(_CUE_YEAR, text, m.start())
        if cue and not _count_after_of(cue["cue"], m["after"]):
            date = _make(int(m["year"]), None, None, "year", m["year"])
            absolute(*m.span("year"), date, cued=True)
    if "0s" in text:  # "the 1990s"
        for m in _P_DECADE.finditer(text):
            decade = int(m["decade"]) * 10
            cue = _cue_match(_CUE_DECADE, text, m.start())
            if cue and not _count_after_of(cue["cue"], m["after"]):
                start = m.start() - len(cue["qual"] or "")
                end = m.end("decade") + 2
                date = PartialDate(str(decade), "range", text[start:end], str(decade + 9))
                absolute(start, end, date, cued=True)


def _month_candidates(text: str, found: list[_Candidate]) -> None:
    for pattern, cue in ((_P_MONTH_DAY, _CUE_MONTH_DAY), (_P_DAY_MONTH, _CUE_DAY_MONTH)):
        for m in pattern.finditer(text):
            month = _month_number(m["month"])
            if month and _cue_match(cue, text, m.start()):
                found.append(
                    _Candidate(*m.span(), True, "monthday", month=month, day=int(m["day"]))
                )
    for m in _P_MONTH_ALONE.finditer(text):
        month = _month_number(m["month"])
        cue = _cue_match(_CUE_MONTH, text, m.start()) if month else None
        if cue:
            start = m.start() - len(cue["qual"] or "")
            found.append(_Candidate(start, m.end(), True, "month", month=month, precision="month"))


def _relative_candidates(
    text: str, lower: str, found: list[_Candidate], cues: Container[str]
) -> None:
    year_or_month = _YEAR_OR_MONTH in cues and ("year" in lower or "month" in lower)
    # A match names a year or a month too (letters that only their ASCII cases match).
    if year_or_month and ("this " in lower or "last " in lower):
        for m in _P_THIS_LAST.finditer(text):
            if m["which"].lower() == "last" and _cue_match(_THE_BEFORE, text, m.start()):
                continue  # "over the last year" is the past twelve months, not a calendar year
            unit = m["unit"].lower()
            back = 1 if m["which"].lower() == "last" else 0
            found.append(
                _Candidate(*m.span(), True, "relative", precision=unit, offset=back, unit=unit)
            )
    if _AGO in cues and " ago" in lower:
        for m in _P_AGO.finditer(text):
            count = m["count"].lower()
            back = int(count) if count.isdigit() else _NUMBER_WORDS[count]
            unit = m["unit"].lower()
            found.append(
                _Candidate(*m.span(), True, "relative", precision=unit, offset=back, unit=unit)
            )
    if year_or_month:  # every counted expression names one
        for m in _P_ANAPHORIC.finditer(text):
            _add_anaphoric(m, found)
    if _YESTERDAY in cues and "yesterday" in lower:
        for m in _P_YESTERDAY.finditer(text):
            found.append(
                _Candidate(*m.span(), True, "relative", precision="day", offset=1, unit="day")
            )


def counts_from_earlier_date(sentence: str, cues: AbstractSet[str] | None = None) -> bool:
    """Whether the sentence dates something from an earlier date of the text ("a year later").
    `cues`, when given, names the anchors (CUES) the sentence holds."""
    if not isinstance(sentence, str) or (cues is not None and _YEAR_OR_MONTH not in cues):
        return False
    lower = sentence.lower()
    # Every such expression names a year or a month: most sentences are ruled out without a search.
    return ("year" in lower or "month" in lower) and _P_ANAPHORIC.search(sentence) is not None


def _add_anaphoric(m: re.Match, found: list[_Candidate]) -> None:
    if m["count"]:
        count = m["count"].lower()
        back = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        unit, offset = m["unit"].lower(), back if m["later"] else -back
    elif m["which"]:
        unit = m["unit2"].lower()
        offset = 1 if m["which"].lower() in ("following", "next") else -1
    else:
        unit, offset = (m["unit3"] or m["unit4"]).lower(), 0
    found.append(_Candidate(*m.span(), True, "anaphoric", precision=unit, offset=offset, unit=unit))


def _cue_match(cue: re.Pattern, text: str, start: int) -> re.Match | None:
    """The cue pattern matched against the words just before `start` ("in the early" 1990s)."""
    return cue.search(text, max(0, start - 40), start)


def _count_after_of(cue: str, after: str) -> bool:
    """True for "of 2000 fighters" or "of the 1990s situation": after "of", a date ends the phrase."""
    after = after.strip()
    return cue.lower() == "of" and bool(after) and after not in {"and", "to", "until"}


def _numeric_date(a: int, b: int, year: int, text: str) -> PartialDate | None:
    """Day first ("19/12/2016"), unless only the month-first reading is a real date."""
    return _make(year, b, a, "day", text) or _make(year, a, b, "day", text)


def _add_qualified(text: str, m: re.Match, found: list[_Candidate]) -> None:
    start, end = m.span()
    cued = _cued(text, start)
    if m["month"]:
        month = _month_number(m["month"])
        if not month:
            return
        if m["year"]:
            date = _make(int(m["year"]), month, None, "season", m[0])
            if date:
                found.append(_Candidate(start, end, cued, "absolute", date))
        else:
            found.append(_Candidate(start, end, True, "month", month=month, precision="season"))
    elif m["bare"]:
        date = _make(int(m["bare"]), None, None, "season", m[0])
        if date:
            found.append(_Candidate(start, end, cued, "absolute", date))
    else:
        back = 1 if m["rel"].lower() == "last" else 0
        found.append(
            _Candidate(start, end, True, "relative", precision="season", offset=back, unit="year")
        )


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the earliest, then longest, of overlapping expressions ("late February 2016" over
    "February 2016")."""
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if kept and cand.start < kept[-1].end:
            continue
        kept.append(cand)
    return kept


def _resolve(
    cand: _Candidate, text: str, published: PartialDate | None, anchor: PartialDate | None = None
) -> PartialDate | None:
    """The candidate as a PartialDate; expressions like "in June" or "last year" need `published`,
    "a year later" an `anchor` (the text's previous date)."""
    if cand.kind == "absolute":
        return cand.date
    words = text[cand.start : cand.end]
    if cand.kind == "anaphoric":
        return _count_from(anchor, cand, words)
    if published is None or published.precision == "range":
        return None
    pub = _iso_parts(published.iso)
    if pub is None:
        return None
    if cand.kind == "relative":
        if cand.unit == "year":
            return _make(pub[0] - cand.offset, None, None, cand.precision, words)
        if cand.unit == "month" and len(pub) >= 2:
            year, month = divmod(pub[0] * 12 + pub[1] - 1 - cand.offset, 12)
            return _make(year, month + 1, None, cand.precision, words)
        if cand.unit == "day" and len(pub) == 3:
            day = dt.date(*pub) - dt.timedelta(days=cand.offset)
            return _make(day.year, day.month, day.day, "day", words)
        return None
    # A month (and day) without a year: the most recent one not after publication.
    if len(pub) < 2:
        return None
    pub_month_day = (pub[1], pub[2] if len(pub) == 3 else 31)
    if cand.kind == "month":
        year = pub[0] if cand.month <= pub[1] else pub[0] - 1
        return _make(year, cand.month, None, cand.precision, words)
    year = pub[0] if (cand.month, cand.day) <= pub_month_day else pub[0] - 1
    return _make(year, cand.month, cand.day, "day", words)


def _count_from(anchor: PartialDate | None, cand: _Candidate, words: str) -> PartialDate | None:
    """ "a year later" after July 2004 is 2005; "the following month" after July 2004 is 2004-08."""
    if anchor is None:
        return None
    parts = _iso_parts(anchor.end_iso or anchor.iso)  # a year after a span counts from its end
    if parts is None:
        return None
    if cand.unit == "year":
        return _make(parts[0] + cand.offset, None, None, "year", words)
    if len(parts) < 2:
        return None  # "six months later" after "in 2015": the month is unknown
    year, month = divmod(parts[0] * 12 + parts[1] - 1 + cand.offset, 12)
    return _make(year, month + 1, None, "month", words)


def find_stated_date(
    sentence: str,
    published: PartialDate | None,
    anchor: PartialDate | None = None,
    cues: AbstractSet[str] | None = None,
) -> PartialDate | None:
    """The date the sentence states about what it describes, or None.

    Rule: of the date expressions found, the first one introduced by a preposition ("in", "on", "by",
    "since" ...) governs, else the first one. Relative expressions ("in June", "last year") are read
    against `published`, "a year later" against an earlier date of the same sentence, else against
    `anchor` (the text's previous date); without them they give None rather than a guess.
    `cues`, when given, names the anchors (CUES) the sentence holds (`geo.text.cues`).
    """
    return stated_dates(sentence, published, anchor, cues).sentence


@dataclass(frozen=True)
class StatedDates:
    """The dates one sentence states: the sentence's governing date, and the dates its own clauses
    and phrases state, so that each place takes the date of the words around it."""

    sentence: PartialDate | None = None
    # (start, end, date) of the phrases (cut at commas too) and conjuncts (cut at conjunctions)
    # that state a date introduced by a preposition or counted from another date.
    phrases: tuple[tuple[int, int, PartialDate], ...] = ()
    conjuncts: tuple[tuple[int, int, PartialDate], ...] = ()

    def at(self, position: int) -> PartialDate | None:
        """The date for words at `position`: their phrase's, else their conjunct's, else the
        sentence's ("Darnah in late 2015 and Sirte by December 2016")."""
        for spans in (self.phrases, self.conjuncts):
            for start, end, date in spans:
                if start <= position < end:
                    return date
        return self.sentence


_NO_DATES = StatedDates()


def stated_dates(
    sentence: str,
    published: PartialDate | None,
    anchor: PartialDate | None = None,
    cues: AbstractSet[str] | None = None,
    anchor_of: Callable[[], PartialDate | None] | None = None,
) -> StatedDates:
    """The sentence's governing date (`find_stated_date`'s rule) and its clauses' own dates.

    `anchor_of`, when given, finds `anchor` and is called only when the sentence counts a date
    from an earlier one ("a year later"): finding the earlier date reads the sentences before.
    """
    if not isinstance(sentence, str) or not sentence:
        return _NO_DATES
    found = _non_overlapping(_candidates(sentence, cues))
    if not found:
        return _NO_DATES
    if anchor_of is not None and any(c.kind == "anaphoric" for c in found):
        anchor = anchor_of()
    resolved: list[tuple[_Candidate, PartialDate | None]] = []
    for cand in found:
        # "In July 2004 he spoke; a year later he wrote": counted from the sentence's own date.
        before = next((d for c, d in reversed(resolved) if d is not None and c.kind != "anaphoric"),
                      anchor)  # fmt: skip
        resolved.append((cand, _resolve(cand, sentence, published, before)))
    chosen = next((pair for pair in resolved if pair[0].cued), resolved[0])
    governing = chosen[1]
    cued = [(c, d) for c, d in resolved if c.cued and d is not None]
    if len(cued) < 2:
        return StatedDates(governing)
    protected = [(c.start, c.end) for c in found]
    return StatedDates(
        governing,
        _dates_of_spans(clause_spans(sentence, protected), cued),
        _dates_of_spans(clause_spans(sentence, protected, commas=False), cued),
    )


def _dates_of_spans(
    spans: list[tuple[int, int]], cued: list[tuple[_Candidate, PartialDate]]
) -> tuple[tuple[int, int, PartialDate], ...]:
    """Each span with the first cued date that starts in it; spans without one are left out."""
    out = []
    for start, end in spans:
        date = next((d for c, d in cued if start <= c.start < end), None)
        if date is not None:
            out.append((start, end, date))
    return tuple(out)


# --- publication dates in headers ----------------------------------------------------------------

HEADER_LINES = 15
HEADER_CHARS = 1500

_LABEL = r"(?:first\s+published|published|posted|last\s+updated|updated|dated|date)(?:\s+on)?\s*:?"
_LINE_PREFIX = re.compile(
    rf"^[^\w]*(?:by\s+[^|•·\n]{{1,60}}?\s*[|•·,–—-]\s*)?(?:{_LABEL}\s*)?$"
    r"|^.{0,80}[|•·–—-]\s*$",
    re.IGNORECASE,
)
# After the date: nothing, a separator, a time or time zone, or ", by"/", updated" - never prose
# ("October 7, 2001, the war began" is a sentence, not a dateline).
_LINE_SUFFIX = re.compile(
    r"^\s*(?:$|[|•·;–—(]|-\s|,?\s*(?:by\s|at\s|updated\b|\d{1,2}[:.]\d{2}\b)"
    r"|(?:at\s+)?\d{1,2}[:.]\d{2}\b|(?-i:[A-Z]{2,4})\s*$)",
    re.IGNORECASE,
)
_LABELLED_YEAR = re.compile(rf"\b{_LABEL}\s*(?P<year>{_YEAR})\b(?!\s*[-–—]\s*\d)", re.IGNORECASE)
_UPDATED = re.compile(r"\b(?:last\s+)?updated\b", re.IGNORECASE)


def header_lines(text: str) -> list[tuple[int, str]]:
    """The first non-blank lines of a document (offset, line), where titles, bylines and dates sit."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text[:HEADER_CHARS].split("\n"):
        if line.strip():
            lines.append((offset, line))
            if len(lines) == HEADER_LINES:
                break
        offset += len(line) + 1
    return lines


@lru_cache(maxsize=4096)  # documents.extract_metadata asks about each header line up to 3 times
def date_in_header_line(line: str) -> PartialDate | None:
    """The date a header line states as its main content ("Sunday, October 29, 2017",
    "19/12/2016 | by ..."), or None when the line is prose or the date sits inside a title."""
    if len(line) > 200:
        return None
    found = [
        c
        for c in _non_overlapping(_candidates(line))
        if c.kind == "absolute" and c.date is not None and c.date.precision in ("day", "month")
    ]
    for cand in found:
        start, end = cand.start, cand.end
        if _LINE_PREFIX.match(line[:start]) and _LINE_SUFFIX.match(line[end:]):
            if len(line) - end <= 120:
                return cand.date
    labelled = _LABELLED_YEAR.search(line)
    if labelled and _LINE_PREFIX.match(line[: labelled.start()]):
        return _make(int(labelled["year"]), None, None, "year", labelled["year"])
    return None


def parse_publication_date(text: str) -> PartialDate | None:
    """The publication date stated in the document's header (first 15 lines, 1,500 characters).

    Only a line whose main content is a date counts, so dates inside titles, prose or site names
    ("Archive 2005 -2017") are ignored; None when the header states no date.
    """
    if not isinstance(text, str) or not text:
        return None
    updated: PartialDate | None = None
    for _, line in header_lines(text):
        date = date_in_header_line(line)
        if date is None:
            continue
        # "Updated" is a later edit; prefer a plain or "Published" date when both appear.
        if _UPDATED.search(line):
            updated = updated or date
            continue
        return date
    return updated


_MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_BASIS_LABELS = {"stated": "stated in text", "published": "publication date"}


def format_iso_date(iso: str) -> str:
    """'2016-12-19' -> '19 Dec 2016', '2015-11' -> 'Nov 2015', '2015' -> '2015'; other text unchanged."""
    iso = (iso or "").strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", iso)
    if not match:
        return iso
    year, month, day = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    label = f"{_MONTH_ABBREVIATIONS[int(month) - 1]} {year}"
    return f"{int(day)} {label}" if day else label


def date_label(date: str, basis: str) -> str:
    """The claim date with where it comes from: 'Nov 2015 (stated in text)',
    '19 Dec 2016 (publication date)', or 'date unknown'."""
    date = (date or "").strip()
    if not date or basis == "unknown":
        return "date unknown"
    reason = _BASIS_LABELS.get(basis)
    return f"{format_iso_date(date)} ({reason})" if reason else format_iso_date(date)
