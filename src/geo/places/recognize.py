"""Find toponyms and demonyms in text: gazetteer look-ups over capitalised word spans, with the rules
that keep names of people and organisations (Abu Bakr al-Baghdadi, Sher Wali Wardak, the Jamestown
Foundation) and ordinary words (Nice to meet you, Select Page) from becoming places.

`find_mentions` is pure: text and gazetteer in, `Mention`s out (offsets into the text). Which place a
mention denotes is decided later by `geo.places.resolve`, which sees the whole document.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple

from wordfreq import get_frequency_dict

from geo.places.gazetteer import Candidate, Gazetteer
from geo.places.recognizer_model import DEFAULT_MODEL, RecognizerModel, default_model
from geo.text.normalize import name_key, name_keys

MAX_SPAN_TOKENS = 6

# Words that open a sentence or join names without being part of a name.
FUNCTION_WORDS = frozenset(
    """a an the of in on at to from by for with without and or nor but as after before since during
    while when whereas where if then than both either neither across inside outside near between among
    amid like unlike although though because however moreover meanwhile furthermore also even still
    yet so thus therefore this that these those its it their his her our we they he she i you my your
    me us them who whom whose which what why how there here all any some many most much more less few
    several each every no not only just into onto upon over under through throughout toward towards
    against via per about around beyond within along until till once twice according following
    despite besides instead rather whether let recently today yesterday tomorrow now then""".split()
)
# Words joining the parts of one multi-word place name ("Trinidad and Tobago", "Port of Spain").
CONNECTORS = frozenset(
    "of and the de del la le du des da do dos al el ad ar as at an ibn bin".split()
)
# Capitalised words after a place name that make the whole an organisation or a publication.
ORG_WORDS = frozenset(
    """university college institute institution foundation times post journal news herald tribune
    gazette agency ministry council committee party front bank company corporation inc ltd llc club
    fc airlines airways association society school academy hospital media press review monitor analyst
    forum newsletter daily weekly magazine radio tv television broadcasting network movement
    organization organisation office department services service brigade brigades battalion regiment
    corps command centre center group foundation's trust fund federation union league conference
    summit accord accords agreement protocol declaration convention treaty report reports studies
    observer chronicle express telegraph guardian mail star sun standard record courier dispatch
    bulletin weekly quarterly fellowship program programme project initiative commission authority
    police army navy guards guard forces force militia tigers""".split()
)
# Capitalised words after a place name searched for an organisation word ("Kurdistan Workers Party").
ORG_RUN_WORDS = 3
# Words after a place name that say what kind of place it is: the name is still the place.
FEATURE_WORDS = frozenset(
    """province governorate region state district county prefecture oblast municipality city town
    village river valley airport dam base mountains mountain desert sea gulf bay island islands
    peninsula strait lake square street bridge border camp port coast basin plain plains highlands
    oasis crossing area areas""".split()
)
# Capitalised words after a place name that make the whole the name of a street or a river, which
# lie elsewhere or run far: Haifa Street is in Baghdad and Hampton Avenue in Baltimore, not in Haifa
# or Hampton; the Niger River is not at Niger's centre point nor the Jordan River in Jordan.
ELSEWHERE_WORDS = frozenset(
    """street st avenue ave road rd boulevard blvd lane drive parade terrace crescent river
    creek""".split()
)
ADMIN_CUE_WORDS = frozenset(
    "province governorate region state district county prefecture oblast".split()
)
# Verbs of reporting: "the X reported" names a publication or a body that speaks.
REPORTING_VERBS = frozenset(
    """said says reported reports wrote writes told tells noted notes published publishes
    revealed reveals claimed claims announced announces added adds argued argues
    quoted quotes""".split()
)
# Words after a building's name that make it the institution in it ("White House spokesman").
OFFICE_WORDS = frozenset(
    """spokesman spokeswoman spokesperson press official officials aide aides adviser advisers
    strategist staff counsel chief condemned stated""".split()
)
# Verbs of saying after a name: a person speaks.
SPEECH_VERBS = frozenset("said says told added explained testified tweeted tweets".split())
# Capitalised words before a place name that are part of the place's description, not another name.
MODIFIERS = frozenset(
    """north south east west northern southern eastern western central upper lower greater
    northeast northwest southeast southwest northeastern northwestern southeastern southwestern
    inner outer old new mid far near""".split()
)
PERSON_TITLES = frozenset(
    """mr mrs ms dr president minister general gen lt col sgt capt captain colonel major sheikh shaykh
    imam mullah emir amir king queen prince princess sultan senator sen rep governor gov ayatollah
    commander chancellor premier pope saint sir lord lady judge justice abu umm ibn bin bint marshal
    sheriff deputy detective sergeant lieutenant officer constable mayor""".split()
)
# Holidays, which name times: towns named after them need the evidence of a place.
HOLIDAYS = frozenset(
    """christmas easter thanksgiving halloween hanukkah ramadan passover diwali pentecost lent
    advent epiphany""".split()
)
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred thousand dozens
    dozen""".split()
)
# A common English word is only a place when the evidence is strong (checked by the resolver).
COMMON_WORD_ZIPF = 4.0
SENTENCE_START_COMMON_ZIPF = 3.3
TITLE_LINE_COMMON_ZIPF = 4.3
# A country's other name that is one of the commonest English words ("Man" for the Isle of Man,
# zipf 5.8) is read as the word when it opens a sentence; "America" (5.2) and "Britain" are not.
ORDINARY_ALIAS_ZIPF = 5.5
# A capitalised common word after a place name makes a team or brand, a rare one a surname.
ORG_NEIGHBOUR_ZIPF = 4.0
# Lower-case particles inside personal names: "Abu al Hassan al Muhajir", "Osama bin Laden".
NAME_PARTICLES = frozenset("al el bin ibn bint de da di van von der den du la le".split())
# Titles that never begin a place name ("Abu", "Umm", "Ibn" do: Abu Kamal, Umm Qasr).
HONORIFICS = frozenset(
    """mr mrs ms dr president minister general gen lt col sgt capt captain colonel sheikh shaykh
    imam mullah emir amir king queen prince princess sultan senator sen rep governor gov ayatollah
    commander chancellor premier pope sir lord lady judge sens reps govs marshal sheriff deputy
    detective sergeant lieutenant constable""".split()
)
# "| by Karmon, Ely (Dr.)", ", by Sophie Mangal": bylines name people, never places.
# "(Reporting by Jon Smith; Editing by Ann Lee)": wire-service credits name people too.
_BYLINE = re.compile(
    r"(?im)(?:^|[|,(;]\s*)(?:(?:additional\s+)?(?:reporting|editing|writing)\s+)?by\s+"
    r"[A-Z][^\n|]{0,60}$"
)

# "... redeveloped. BY CHAD KLIMACK Advocate Reporter": a byline in capitals, wherever it stands,
# names the writer; the capitals end where the paper's ordinary words begin (a headline written in
# capitals throughout never ends so).
_CAPITALS_BYLINE = re.compile(r"(?<![\w.])BY (?:[A-Z][A-Z'’.-]+ ){1,3}(?=[A-Z][a-z])")


def _bylines(text: str) -> list[tuple[int, int]]:
    """The spans of the bylines of a text, in text order, not overlapping."""
    spans = [m.span() for m in _BYLINE.finditer(text)]
    if "BY " in text:  # most texts have none: no need to run the pattern over them
        spans = sorted(spans + [m.span() for m in _CAPITALS_BYLINE.finditer(text)])
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# "St. Louis", "Ft. Worth", "Sault Ste. Marie": the abbreviation, period included, is a word of the
# name when another capitalised word follows it.
_NAME_ABBREVIATION = r"(?:St|Ste|Mt|Ft|Pt)\.(?=[ \u00a0][A-Z])"
# The same alternatives with their first letter already read ("(?<=S)t" is the "St" of "St."):
# a pattern that opens with one character class lets the regular expression engine skip to the
# next such character in C instead of trying every alternative at every position (the run pattern
# below finds its runs twice as fast so). The matches are those of the plain alternation
# `(?:[A-Z]\.){2,}|(?:St|Ste|Mt|Ft|Pt)\.(?=...)|...`, tried in the same order.
_AFTER_FIRST_LETTER = (
    r"(?<=[A-Z])\.(?:[A-Z]\.)+"  # "U.S.", "D.C."
    r"|(?<=[SMFP])(?:(?<=S)t|(?<=S)te|(?<=[MFP])t)\.(?=[ \u00a0][A-Z])"  # _NAME_ABBREVIATION
)
_TOKEN = re.compile(rf"\w(?:{_AFTER_FIRST_LETTER}|\w*(?:[’'\-‐‑]\w+)*)", re.UNICODE)
_POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)
# ", Ore." / ", N.Y." / ", BC" right after a name: a state or province abbreviation.
_ABBREVIATION_AFTER = re.compile(
    r",\s?((?:[A-Z]\.){2,}|[A-Z]\.\s?[A-Z][a-z]{1,3}\.|[A-Z][a-z]{1,4}\.|[A-Z]{2}(?![\w.]))"
)  # "W.Va." and "W. Va." too
# A news dateline: a town in capitals opening the story, its state perhaps, then a dash or the
# agency ("ATLANTA - ", "CHARLESTON, W.Va. -- ", "GEORGETOWN, Ky. (WKYT)").
_DATELINE_AFTER = re.compile(
    r"(?:,\s?(?:[A-Z][A-Za-z]{0,4}\.\s?){1,2}|,\s?[A-Z][a-z]+)?\s?(?:[—–]|-{1,3}\s|\()"
)
# Words before and after a name whose identity the learned model weighs ("in X", "X said").
_BEFORE_WORDS = frozenset(
    """in at from near to of outside inside across into toward towards through throughout around
    via between and or the a an by for with on said says told""".split()
)
_AFTER_WORDS = frozenset(
    """said says told added explained wrote who whose is was has had and or in on at to of for
    resident residents county city state province""".split()
)
# The rule that a town named only by one of its other names needs the evidence of a place.
ANOTHER_NAME_ONLY = "a town's other name or spelling, with no evidence of a place"
# A big place named by another name ("Kiev" for Kyiv) is evidence enough when the document names
# its country.
ANOTHER_NAME_SUPPORT_MIN_POPULATION = 100_000
# Words before a name that put it in a place: "in X", "near X".
PLACE_PREPOSITIONS = frozenset(
    """in at from near outside inside across into toward towards through throughout around via
    between within along past beyond""".split()
)
_LIST_ENDS = frozenset((" and ", " or ", ", and ", ", or "))
_SAINT = re.compile(r"(?:St\.?|Saint|Ste\.?) [A-Z]")
_FEAST_DAY = re.compile(r"(?:['’]s)? (?:Day|Eve)\b")
_IN_A_PLACE_AFTER = re.compile(r" (?:in|near) ([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})")
_WORD_AFTER = re.compile(r"[ \u00a0]([A-Za-z]+)")
# ", Iowa", " and Lancaster counties": another capitalised name listed after a name.
_LISTED_NAME_AFTER = re.compile(
    r"(?:, (?:and |or )?| and | or )([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})"
)
# "<Name> A. <Name>": a middle initial, after a given name or before a surname.
_INITIAL_AFTER = re.compile(r" [A-Z]\. [A-Z][a-z]")
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z][a-z]+ [A-Z]\. \Z")
# " of Ohio", " of New South Wales": the capitalised name after "of".
_OF_NAME = re.compile(r" of (?:the )?([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})")
# "her daughter, Brittany", "his mother Nawal", "twin sister, Jessi": a word of kinship before a
# name (in lower case: "Father Christmas" and "Mother Russia" are other things).
KINSHIP_WORDS = frozenset(
    """son daughter wife husband brother sister mother father grandson granddaughter grandmother
    grandfather niece nephew cousin aunt uncle widow widower stepson stepdaughter fiance fiancee
    fiancé fiancée girlfriend boyfriend""".split()
)


def _word_of_kinship_before(text: str, start: int) -> str | None:
    """The word of kinship right before a name ("son Bryan", "her daughter, Brittany")."""
    end = start - 1
    if end < 1 or text[end] != " ":
        return None
    if text[end - 1] == ",":
        end -= 1
    begin = end
    while begin > 0 and text[begin - 1].isalpha():
        begin -= 1
    word = text[begin:end]
    if word in KINSHIP_WORDS and (begin == 0 or text[begin - 1] not in "-_"):
        return word
    return None


# 'Katherine "Kay" Parsons', "Robert ‘Bobby’ Jones": a nickname between a given name and a surname.
_NICKNAME_AFTER = re.compile(r" [\"“‘'][A-Z][a-z]+[\"”’'] [A-Z][a-z]")
# "8 a.m. EST", "10:30 GMT", "noon ET": a time of day before a time zone.
_TIME_OF_DAY_BEFORE = re.compile(
    r"(?:\d:\d\d|\b[ap]\.\s?m\.|\d ?[ap]m|\bnoon|\bmidnight) \Z", re.IGNORECASE
)
# "African American", "Anglo-Americans": the first half of a people's name of descent.
_DESCENT_BEFORE = re.compile(r"(?<![\w-])([A-Z][a-z]+)[ \u00a0-]\Z")
# "the Clinton administration", "the Clinton and Bush Jr administrations".
_ADMINISTRATION_AFTER = re.compile(
    r"(?: and [A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)?)? administrations?\b"
)
# "her mother, Pinelake resident Ellery": the name says where the relative lives.
_RESIDENT_AFTER = re.compile(r" (?:residents?|natives?|man|woman|couple|family)\b")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # "HAPs", "IEDs": never a town's name
_WHITE_SPACE = re.compile(r"\s+")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”()\[\]]|\n\s*\n")


@dataclass(slots=True)
class Mention:
    """A span of text that names (or, for a demonym, implies) a place."""

    start: int
    end: int
    text: str
    candidates: list[Candidate]
    mention_type: str = "toponym"  # or "demonym"
    admin_cue: bool = False  # "Kermanshah province", "the province of Khozestan"
    common_word: bool = False  # the span is also an ordinary English word
    # A common word that the document never writes in lower case, away from a sentence's start
    # and headlines: "Boston", "Seattle" in a story, not "reading" or "nice".
    never_lower: bool = False
    fuzzy: bool = False  # candidates found by consonant skeleton only
    zipf: float = 0.0  # how common the span is as an English word or name (wordfreq)
    # Part of an organisation's name ("Georgetown University", "University of Baghdad"): still a
    # toponym to a geoparser, but what the sentence says is not about the place.
    embedded: bool = False
    # "Portland, Oregon", "Nelson, B.C.": the province or country written right after the name.
    container: Mention | None = None
    # "California or Washington", "Georgia, Armenia and Azerbaijan": the names listed with this one.
    listed_with: list[Mention] | None = None
    notes: list[str] = field(default_factory=list)
    # What the learned model weighs (`MentionFinder` features); empty under the hand rules.
    features: dict[str, float] = field(default_factory=dict)
    # The first rule that weighs against the name (`MentionFinder._weigh_against`): the hand rules
    # reject the name on it, the learned model weighs it with the other evidence.
    weighed_against: str | None = None
    # Joined to another capitalised name that is no place word ("Sher Wali Wardak", "Jordan
    # Peterson"): part of a longer name, a fact that no learned weight overrides.
    inside_a_name: bool = False
    # The learned model's probability that the name is a place (None under the hand rules).
    place_probability: float | None = None
    # The capitalised name joined after it, read as a team's or a brand's ("Eagles" in
    # "Philadelphia Eagles"): a surname instead when the document writes it after a title.
    name_after: str | None = None


class Token(NamedTuple):
    start: int
    end: int  # possessive "'s" excluded
    text: str


# A run of words that may hold a place name: capitalised words (or "al-Mayadin"), joined by single
# spaces and the lower-case particles of names ("Trinidad and Tobago", "Osama bin Laden"). A run
# starts where `_TOKEN` starts a token, so tokenising the run alone gives the document's tokens.
_PARTICLE_WORDS = "|".join(sorted(CONNECTORS | NAME_PARTICLES, key=len, reverse=True))
# The first letter of a run: an ASCII capital or any letter beyond ASCII (checked later), so that the
# regular expression engine can skip ahead to the next such character.
_RUN_FIRST = (
    r"[A-Z\u00c0-\U0010ffff](?:" + _AFTER_FIRST_LETTER + r"|(?<=[^\W\d_])\w*(?:[’'\-‐‑]\w+)*)"
)
_RUN_NEXT = (
    r"(?:(?:[A-Z]\.){2,}|" + _NAME_ABBREVIATION + r""
    r"|(?:(?i:[a-z]{2,3})-(?=[^\W\d_a-z])|[^\W\d_a-z])\w*(?:[’'\-‐‑]\w+)*)"
)
_NAME_RUN = re.compile(
    _RUN_FIRST + rf"(?:[ \u00a0](?:(?i:{_PARTICLE_WORDS})[ \u00a0])*{_RUN_NEXT})*"
)
_JOINERS = "’'-‐‑"
_CONTEXT_TOKENS = 4  # tokens read before a run: "the province of X", "bin", "X of"
_CONTEXT_CHARS = 28
_RUN_CACHE_LIMIT = 1_000_000  # distinct runs remembered; then forgotten all at once


def _run_tokens(run: str) -> tuple[Token, ...]:
    """The tokens of a run's text, offsets into it: what `_tokens_between` finds for the run
    wherever it occurs, as the tokens never look beyond the run's ends."""
    return tuple(_tokens_between(run, 0, len(run)))


def _inside_token(text: str, position: int) -> bool:
    """Whether a token that starts before `position` goes on through it."""
    before = text[position - 1]
    return (
        before.isalnum()
        or before == "_"
        or (
            before in _JOINERS
            and position > 1
            and (text[position - 2].isalnum() or text[position - 2] == "_")
        )
    )


def _token_start(text: str, position: int) -> int:
    while position and _inside_token(text, position):
        position -= 1
    return position


def _word_token(start: int, end: int, word: str) -> Token:
    """The token of a word at [start, end); a possessive "'s" is left out of it."""
    if len(word) > 3 and word[-2] in "’'" and word[-1] in "sS":
        return Token(start, end - 2, word[:-2])
    return Token(start, end, word)


def _as_tokens(matches, text: str, start: int, end: int) -> list[Token]:
    """Tokens from `_TOKEN` matches within text[start:end] (possessives looked for only when that
    stretch of text holds an apostrophe)."""
    if text.find("'", start, end) < 0 and text.find("’", start, end) < 0:
        make = Token._make  # twice as fast as calling Token(...) for the many tokens of a corpus
        return [make((m.start(), m.end(), m.group())) for m in matches]
    return [_word_token(m.start(), m.end(), m.group()) for m in matches]


def _tokens_between(text: str, start: int, end: int) -> list[Token]:
    """The tokens of text[start:end], which must begin and end at token boundaries."""
    return _as_tokens(_TOKEN.finditer(text, start, end), text, start, end)


def _tokens_around(
    text: str, start: int, end: int, run_tokens: tuple[Token, ...] | None = None
) -> tuple[list[Token], int, bool]:
    """The tokens of the run text[start:end] with a few before it and the one after it; the index
    of the run's first token; whether the first token returned is the text's first token.

    `run_tokens`, when given, are the run's own tokens with offsets into the run's text (the same
    for every occurrence of the run: worked out once, `_run_tokens`)."""
    span = _CONTEXT_CHARS
    while True:
        window = max(0, start - span)
        if window > 0:
            # Tokens never hold white space: begin just after some, so that no token is cut.
            space = _WHITE_SPACE.search(text, window, start)
            window = space.end() if space else start
        before = list(_TOKEN.finditer(text, window, start))
        if len(before) >= _CONTEXT_TOKENS or window == 0 or span >= start:
            break
        span *= 3
    cut = max(0, len(before) - _CONTEXT_TOKENS)
    following = _TOKEN.search(text, end)
    kept = before[cut:]
    tokens = _as_tokens(kept, text, kept[0].start() if kept else start, start)
    if run_tokens is None:
        tokens += _tokens_between(text, start, end)
    else:
        make = Token._make
        tokens += [make((a + start, b + start, word)) for a, b, word in run_tokens]
    if following is not None:
        tokens += _as_tokens((following,), text, *following.span())
    return tokens, len(before) - cut, window == 0 and cut == 0


class _SentenceStarts:
    """Whether token k opens a sentence, a line or a quotation (computed when asked).

    `first_opens` says whether token 0 opens the text: false when the tokens are a window that
    starts after other text."""

    def __init__(self, text: str, tokens: list[Token], first_opens: bool = True):
        self.text, self.tokens, self.first_opens = text, tokens, first_opens

    def __contains__(self, k: int) -> bool:
        if k == 0:
            return self.first_opens
        gap = self.text[self.tokens[k - 1].end : self.tokens[k].start]
        return "\n" in gap or bool(_SENTENCE_BREAK.search(gap))


class _TitleCaseLines:
    """Whether a position stands on a headline-like line, where every word is capitalised anyway."""

    def __init__(self, text: str):
        self.text = text
        self._lines: dict[int, bool] = {}
        self._shouted: dict[int, bool] = {}

    def _line(self, position: int) -> tuple[int, str]:
        text = self.text
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", start)
        return start, text[start : len(text) if end < 0 else end]

    def at(self, position: int) -> bool:
        start = self.text.rfind("\n", 0, position) + 1
        if start not in self._lines:
            _, line = self._line(position)
            words = [w for w in _TOKEN.findall(line) if len(w) > 3 and w[0].isalpha()]
            capitals = sum(1 for w in words if w[0].isupper())
            self._lines[start] = len(words) >= 3 and capitals / len(words) >= 0.75
        return self._lines[start]

    def all_caps(self, position: int) -> bool:
        """Whether the line is written in capitals throughout ("WHAT CAN WE DO?"): there a
        word in capitals is no code or abbreviation."""
        start = self.text.rfind("\n", 0, position) + 1
        if start not in self._shouted:
            _, line = self._line(position)
            words = [w for w in _TOKEN.findall(line) if len(w) > 1 and w[0].isalpha()]
            upper = sum(1 for w in words if w.isupper())
            self._shouted[start] = len(words) >= 3 and upper / len(words) >= 0.75
        return self._shouted[start]


class _LowerCaseWords:
    """Whether the text uses a word as an ordinary lower-case word anywhere (asked per word, each
    answer remembered: a word never written so is looked for through the whole text once)."""

    def __init__(self, text: str):
        self.text = text
        self._known: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._search(word)
        return known

    def _search(self, word: str) -> bool:
        text = self.text
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                return True
            start = text.find(word, end)
        return False


@lru_cache(maxsize=200_000)  # pure, and asked of the same few words all the time
def is_capitalised(word: str) -> bool:
    if not word or not word[0].isalpha():
        return False
    if word[0].isupper():
        return True
    # "al-Mayadin", "at-Tanf": a lower-case article attached to a capitalised name.
    head, sep, rest = word.partition("-")
    return bool(sep) and head.lower() in CONNECTORS and rest[:1].isupper()


@lru_cache(maxsize=200_000)
def _lower(word: str) -> str:
    return word.lower().replace("’", "'")


@lru_cache(maxsize=1)
def _english_frequencies() -> dict[str, float]:
    return get_frequency_dict("en")


_WORD_PARTS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=200_000)
def word_zipf(word: str) -> float:
    """Zipf frequency of a word (or phrase) in English, from wordfreq's table.

    A phrase combines its words as wordfreq does (1 / sum of 1/f), so "two rivers" is rarer than
    "two" or "rivers"; a word wordfreq does not know scores 0.
    """
    frequencies = _english_frequencies()
    parts = _WORD_PARTS.findall(word.lower())
    if not parts:
        return 0.0
    inverse = 0.0
    for part in parts:
        frequency = frequencies.get(part, 0.0)
        if frequency <= 0:
            return 0.0
        inverse += 1 / frequency
    return round(math.log10(1 / inverse) + 9, 2)


# "Mullah-led", "US-backed", "Iran-based", "Taliban-ruled": a compound adjective that ends in a
# participle describes the name after it and is never part of that name.
_COMPOUND_MODIFIER = re.compile(
    r"[^\W\d_][\w’']*(?:-[\w’']+)*-(?:[a-z]+ed|run|held|born|built|made)"
)


def is_compound_modifier(word: str) -> bool:
    """Whether the word is a hyphenated modifier ("Mullah-led", "Kabul-based"), not a name."""
    return _COMPOUND_MODIFIER.fullmatch(word) is not None


def _is_name_token(token: Token) -> bool:
    return is_capitalised(token.text) and _lower(token.text) not in FUNCTION_WORDS


def _gap(text: str, left: Token, right: Token) -> str:
    return text[left.end : right.start]


@lru_cache(maxsize=200_000)
def _plain_letters(name: str) -> str:
    """Letters and apostrophes, without accents, case, spaces, hyphens or periods."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    return "".join(
        ch for ch in decomposed if not unicodedata.combining(ch) and ch not in " -.\u00a0"
    ).casefold()


def _same_name_shortened(name: str, written: str) -> bool:
    """Whether one of two names (`_plain_letters`) begins with the other, or the name ends with
    the written one ("Laguna" for the Province of Laguna)."""
    return name.startswith(written) or written.startswith(name) or name.endswith(written)


def written_as(name: str, written: str) -> bool:
    """The text writes the place's own name, accents and case aside ("Ma'an" is not "Man")."""
    return _plain_letters(name) == _plain_letters(written)


def _opens_sentence(text: str, position: int) -> bool:
    """Whether a word at `position` opens a sentence, a line or the text: looking back over
    spaces, quotation marks and brackets, the text starts, a line ends or a sentence ends."""
    k = position - 1
    while k >= 0:
        ch = text[k]
        if ch == "\n":
            return True
        if ch.isspace() or ch in "\"“”‘’'([":
            k -= 1
            continue
        return ch in ".!?:;|"
    return True


def _joined(text: str, left: Token, right: Token) -> bool:
    """Two tokens belong to one name run: only a space (or nothing after a possessive-free end)."""
    gap = _gap(text, left, right)
    return gap in (" ", "\u00a0") and left.end == left.start + len(left.text)


class MentionFinder:
    """Scans text for gazetteer names. Holds the gazetteer; every method is a pure function of text."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        model: RecognizerModel | None = DEFAULT_MODEL,
        collect_features: bool = False,
    ) -> None:
        self.gazetteer = gazetteer
        self.collect_features = collect_features  # features even without a model (training)
        # Learned accept/reject weights (src/geo/data/recognizer_weights.json); None: the hand
        # rules decide (a name any rule weighs against is rejected).
        self.model = default_model() if model is DEFAULT_MODEL else model
        _english_frequencies()  # loaded with the index, not on the first document
        # Span text -> look-up result. Bounded by the distinct capitalised spans of the corpus.
        self._span_cache: dict[str, tuple | None] = {}
        # Run text -> the gazetteer names in it (`_scan_run`): most runs recur and name nothing.
        self._run_cache: dict[str, tuple] = {}
        # The plain letters of the buildings' names (`_names_a_building`), read when first asked.
        self._building_names: frozenset[str] | None = None
        # Run text -> its tokens (`_run_tokens`), for the runs that hold a name.
        self._run_token_cache: dict[str, tuple[Token, ...]] = {}
        # Span text -> whether a candidate is written so (`_written_as_a_place`).
        self._written_as_cache: dict[str, bool] = {}

    def find(self, text: str, *, undecided: bool = False) -> list[Mention]:
        """The place names of a text. `undecided`: every gazetteer hit that no rule of fact
        rejects, with its features and `weighed_against`, before any decision (for training)."""
        title_case = _TitleCaseLines(text)
        lower_case = _LowerCaseWords(text)
        self._spelled_names: dict[str, str | None] = {}  # this text's (`_spelled_out`)
        bylines = _bylines(text)  # in text order, not overlapping
        byline_starts = [a for a, _ in bylines]
        mentions: list[Mention] = []
        run_cache, run_token_cache = self._run_cache, self._run_token_cache
        if len(run_cache) > _RUN_CACHE_LIMIT:
            run_cache.clear()
            self._written_as_cache.clear()
            run_token_cache.clear()
        # Only runs of capitalised words can hold a name: the regular expression finds them; each
        # distinct run is scanned for gazetteer names once, and the words around a run are
        # tokenised only when it holds one.
        for run in _NAME_RUN.finditer(text):
            start, end = run.span()
            if start and not text[start - 1].isspace() and _inside_token(text, start):
                start = _token_start(text, start)  # "al-Mayadin", or "iPhone" (no name)
                run_text = text[start:end]
            else:
                run_text = run.group()
            names = run_cache.get(run_text)
            if names is None:
                names = run_cache[run_text] = self._scan_run(run_text)
            if not names:
                continue
            tokens: list[Token] | None = None  # the run's, with the context around it
            for r, width, name_start, name_end, found in names:
                name_start += start
                name_end += start
                if bylines:
                    k = bisect_right(byline_starts, name_start) - 1
                    if k >= 0 and name_start < bylines[k][1]:
                        continue
                if tokens is None:
                    run_tokens = run_token_cache.get(run_text)
                    if run_tokens is None:
                        run_tokens = run_token_cache[run_text] = _run_tokens(run_text)
                    tokens, offset, first_opens = _tokens_around(text, start, end, run_tokens)
                    sentence_starts = _SentenceStarts(text, tokens, first_opens)
                candidates, mention_type, common_word, fuzzy = found
                mention = Mention(
                    name_start,
                    name_end,
                    text[name_start:name_end],
                    list(candidates),
                    mention_type=mention_type,
                    common_word=common_word,
                    fuzzy=fuzzy,
                )
                word = _lower(mention.text)
                # wordfreq splits "Al-Qa'im" and "Abu Kamal" into common pieces; only plain words count.
                mention.zipf = word_zipf(word) if word.isalpha() else 0.0
                if self._accept(
                    text,
                    tokens,
                    r + offset,
                    width,
                    mention,
                    sentence_starts,
                    title_case,
                    lower_case,
                ):
                    mentions.append(mention)
        _given_names(text, mentions)
        self._support_other_names(mentions)
        if self.model is not None or undecided:
            self._add_document_features(mentions, _person_names(mentions))
            if undecided:
                return mentions
            return self.finish(text, self.decide(mentions))
        return self.decide_by_hand(text, mentions)

    def _support_other_names(self, mentions: list[Mention]) -> None:
        """A name that names a town only by another name, with no evidence of a place around
        it, is the town all the same when the document writes it elsewhere with that evidence,
        or when the town is big and another name in the document names its country ("Kiev
        authorities" in a story that says "Ukraine"); a small town is not ("Baine said" in a
        story about Texas)."""
        g = self.gazetteer
        doubted = [m for m in mentions if m.weighed_against == ANOTHER_NAME_ONLY]
        if not doubted:
            return
        # One name, one sense in a document: written once with the evidence of a place ("in
        # Kasba Bonli"), it is the place where written without ("once-deprived Kasba Bonli").
        evident = {
            name_key(m.text)
            for m in mentions
            if m.weighed_against is None and self._named_only_by_another_name(m)
        }
        named = {
            g.country_code[c.index]
            for m in mentions
            if m.weighed_against is None
            for c in m.candidates
            if g.kind[c.index] == "country" or c.match == "demonym"
        }
        for m in doubted:
            if name_key(m.text) in evident or any(
                g.country_code[c.index] in named
                and g.population[c.index] >= ANOTHER_NAME_SUPPORT_MIN_POPULATION
                for c in m.candidates
            ):
                # The rules applied after this one only weigh: the next note is the next weight.
                later = m.notes[m.notes.index(ANOTHER_NAME_ONLY) + 1 :]
                m.notes.remove(ANOTHER_NAME_ONLY)
                m.weighed_against = later[0] if later else None

    def decide_by_hand(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """The hand rules' decision: a name that any rule weighs against is no place, nor is a
        name seen inside a person's name, unless it is prominent ("Craig Whiteside", then
        "argues Whiteside"); a prominent one too when it speaks ("Lt. Pat Nelson", then "Nelson
        said": the person speaks, not the region of New Zealand)."""
        person_names = _person_names(mentions)
        mentions = self._link_containers(text, [m for m in mentions if m.weighed_against is None])
        mentions = [
            m
            for m in mentions
            if name_key(m.text) not in person_names
            or m.mention_type == "demonym"
            or (self._is_prominent(m) and not _speaks(text, m))
        ]
        _link_lists(text, mentions)
        return mentions

    def decide(
        self, mentions: list[Mention], model: RecognizerModel | None = None
    ) -> list[Mention]:
        """The names the learned model takes for places (each given its `place_probability`);
        never a name inside a longer name."""
        model = model or self.model
        kept = []
        for mention in mentions:
            if mention.inside_a_name:
                continue
            probability = model.probability(mention.features)
            mention.place_probability = probability
            if probability >= model.threshold:
                kept.append(mention)
        return kept

    def finish(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Link the names kept: "Town, Province" pairs and lists of names."""
        mentions = self._link_containers(text, mentions)
        _link_lists(text, mentions)
        return mentions

    def _link_containers(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Find "Town, Province" pairs, reading state and province abbreviations ("Ore.", "BC")
        in that position only, where they cannot be ordinary words ("Wash your hands")."""
        g = self.gazetteer
        linked: list[Mention] = []
        skip_until = -1
        for k, mention in enumerate(mentions):
            if mention.start < skip_until:
                continue  # replaced by the abbreviation read below
            linked.append(mention)
            if mention.mention_type != "toponym" or mention.embedded:
                continue
            match = _ABBREVIATION_AFTER.match(text, mention.end)
            written = match.group(1).replace(" ", "") if match else ""
            if match and written in g.by_abbreviation:
                region = Mention(
                    match.start(1),
                    match.end(1),
                    match.group(1),
                    [Candidate(g.by_abbreviation[written], "alias")],
                    admin_cue=True,
                )
                mention.container = region
                linked.append(region)
                skip_until = region.end
                continue
            following = mentions[k + 1] if k + 1 < len(mentions) else None
            if following is not None and text[mention.end : following.start] in (", ", ","):
                # "Portland, Oregon", "Bakewell, Derbyshire", "Shelby, Cleveland County"
                if any(
                    g.kind[c.index] in ("admin1", "admin2", "country") for c in following.candidates
                ):
                    mention.container = following
        return linked

    # -- candidate spans --------------------------------------------------------------------------

    def _scan_run(self, run: str) -> tuple[tuple[int, int, int, int, tuple], ...]:
        """The gazetteer names in a run, longest first, left to right: (first token, tokens,
        start, end, look-up result), offsets into the run. A pure function of the run's text."""
        if " " in run or "\u00a0" in run:
            tokens = _tokens_between(run, 0, len(run))
        else:
            tokens = [_word_token(0, len(run), run)]  # one word: the commonest run
        names = []
        resume = 0  # the first token not yet consumed by a name
        for i, token in enumerate(tokens):
            if i < resume or not is_capitalised(token.text):
                continue
            word = _lower(token.text)
            if word in FUNCTION_WORDS and word != "us":
                continue
            found = self._longest_match(run, tokens, i)
            if found is not None:
                names.append((i, *found))
                resume = i + found[0]
        return tuple(names)

    def _longest_match(
        self, text: str, tokens: list[Token], i: int
    ) -> tuple[int, int, int, tuple] | None:
        """The longest name opening at token i: (tokens, start, end, look-up result)."""
        limit = min(len(tokens), i + MAX_SPAN_TOKENS)
        best = None
        j = i
        while j < limit:
            if j > i and not _joined(text, tokens[j - 1], tokens[j]):
                break
            last = tokens[j]
            if (j == i or is_capitalised(last.text)) and not (
                j > i and _lower(last.text) in CONNECTORS
            ):
                found = self._lookup(text[tokens[i].start : last.end])
                if found is not None:
                    best = (j - i + 1, tokens[i].start, last.end, found)
            elif _lower(last.text) not in CONNECTORS:
                break
            j += 1
        if best is None:
            best = self._hyphen_parts(tokens[i])
        return best

    def _lookup(self, span: str) -> tuple | None:
        """What the gazetteer knows of the span (results cached per distinct span)."""
        try:
            return self._span_cache[span]
        except KeyError:
            found = self._span_cache[span] = self._lookup_span(span)
            return found

    def _lookup_span(self, span: str) -> tuple[tuple, str, bool, bool] | None:
        key, stripped = name_keys(span)
        g = self.gazetteer
        if len(key) < 2 or (len(key) == 2 and not span.isupper()):
            return None
        # Codes and abbreviations ("UAE", "U.S.") match only as written: "Can", "Are" and "Been"
        # are words, not Canada, the United Arab Emirates and Benin.
        codes = g.code_candidates(span) if span.isupper() else []
        if span.isupper() and len(key) <= 3:
            # "US", "UK", "EU": an abbreviation counts only where a country or region is known to
            # be written that way ("IS" is not Iceland, "SA" not South Africa).
            candidates = [c for c in codes if g.kind[c.index] in ("country", "region")]
        else:
            candidates = g.candidates_by_keys(key, stripped)
            known = {c.index for c in candidates}
            candidates += [c for c in codes if c.index not in known]
        if candidates:
            # Acronyms and words in all-capital captions (RUSI, LENOIR) are weak evidence.
            return tuple(candidates), "toponym", span.isupper() and len(key) > 3, False
        demonyms = g.demonym_candidates_by_key(key)
        if demonyms:
            return tuple(demonyms), "demonym", False, False
        # A transliteration variant the gazetteer lacks (Menbj, Khozestan): the resolver accepts
        # these only with corroboration (the country named in the document, or a "province" cue).
        if len(key) >= 5 and not span.isupper():
            fuzzy = g.skeleton_candidates_by_key(stripped)
            if 0 < len(fuzzy) <= 4 and word_zipf(span.lower()) < 2.5:
                return tuple(fuzzy), "toponym", False, True
        return None

    def _hyphen_parts(self, token: Token) -> tuple[int, int, int, tuple] | None:
        """'Turkey-Syria border', 'US-led': a compound of names; take its first prominent part.
        In a modifier ("Kabul-based", "Mosul-born") the first part names a place of any kind."""
        if "-" not in token.text:
            return None
        kind = self.gazetteer.kind
        modifier = is_compound_modifier(token.text)
        offset = token.start
        for part in token.text.split("-"):
            if is_capitalised(part) and len(part) >= 2:
                found = self._lookup(part)
                if found is not None and modifier and found[1] == "toponym":
                    # Only places known well enough to describe something by: "Mullah-led" is
                    # not a hamlet in Spain.
                    known = tuple(c for c in found[0] if self._known_for_modifier(c.index))
                    if known:
                        return 1, offset, offset + len(part), (known, *found[1:])
                if found is not None and any(kind[c.index] == "country" for c in found[0]):
                    countries = tuple(c for c in found[0] if kind[c.index] == "country")
                    return 1, offset, offset + len(part), (countries, *found[1:])
            offset += len(part) + 1
        return None

    def _known_for_modifier(self, index: int) -> bool:
        g = self.gazetteer
        return g.kind[index] not in ("city", "admin2") or g.population[index] >= 100_000

    # -- acceptance rules -------------------------------------------------------------------------

    def _accept(
        self,
        text: str,
        tokens: list[Token],
        i: int,
        width: int,
        mention: Mention,
        sentence_starts: _SentenceStarts,
        title_case: _TitleCaseLines,
        lower_case: _LowerCaseWords,
    ) -> bool:
        """Whether no rule of fact rejects the name; rules that are evidence only set
        `weighed_against`. With a learned model (or for training) the features are read here."""
        args = (text, tokens, i, width, mention, sentence_starts, title_case, lower_case)
        if not self._apply_rules(*args):
            return False
        if self.model is not None or self.collect_features:
            mention.features = self._mention_features(*args)
        return True

    def _apply_rules(
        self,
        text: str,
        tokens: list[Token],
        i: int,
        width: int,
        mention: Mention,
        sentence_starts: _SentenceStarts,
        title_case: _TitleCaseLines,
        lower_case: _LowerCaseWords,
    ) -> bool:
        first, last = tokens[i], tokens[i + width - 1]
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + width] if i + width < len(tokens) else None
        if is_compound_modifier(last.text):
            after = None  # "Iran-based group": the word after the modifier is not in the name
        after_joined = after is not None and _joined(text, last, after)
        # Whether the name stands on a headline-like line: worked out only if a rule asks.
        in_title_line = partial(title_case.at, first.start)
        word = _lower(first.text)
        if width == 1 and word in MODIFIERS:
            mention.notes.append("a direction or modifier on its own")
            return False
        if word.rstrip(".") in HONORIFICS:
            mention.notes.append(f"opens with a personal title ({first.text})")
            return False
        if width == 1 and _PLURAL_ACRONYM.fullmatch(first.text):
            mention.notes.append("a plural acronym (HAPs, NGOs)")
            return False
        if (
            width == 1
            and first.text.isalpha()
            and first.text.isupper()
            and len(first.text) <= 3
            and title_case.all_caps(first.start)
        ):
            mention.notes.append("a word in a line written in capitals, not a code")
            return False

        if (
            width == 1
            and before is not None
            and _lower(first.text) in ORG_WORDS
            and _gap(text, before, first) in ("'s ", "’s ")
        ):
            # "Addenbrooke's Hospital", "Omaha's Center for Public Affairs Research": the
            # organisation of the name before, not a town called Hospital or Center.
            mention.notes.append("an organisation word after a possessive")
            return False
        if (
            width == 1
            and mention.text.isalpha()
            and mention.text.isupper()
            and 3 <= len(mention.text) <= 6
            and not title_case.all_caps(first.start)  # a headline's words are no initials
        ):
            spelled = self._spelled_out(text, mention)
            if spelled is not None:
                # "the Neighborhood Improvement Coordination Effort, or NICE program": the
                # initials of a name the text spells out, not Nice (while "United Arab
                # Emirates (UAE)" spells the place itself).
                self._weigh_against(mention, f"the initials of a name ({spelled})")
        if mention.text.isupper() and _TIME_OF_DAY_BEFORE.search(
            text, max(0, mention.start - 12), mention.start
        ):
            # "opened at 8 a.m. EST": a time zone, not Estonia's code.
            mention.notes.append("a time zone after a time of day")
            return False
        if (
            after_joined
            and after.text[0].isupper()
            and _lower(after.text).rstrip(".") in ELSEWHERE_WORDS
        ):
            mention.notes.append(f"part of a street's or river's name ({after.text})")
            return False
        if mention.mention_type == "demonym" and after_joined and after.text == "Quarter":
            mention.notes.append("names a city quarter (French Quarter, Jewish Quarter)")
            return False
        # A place name followed by an organisation word is the organisation's name.
        # "St. John's University", "Cook Children's Medical Center": through a possessive too.
        org_after = after_joined or (
            after is not None and text[last.end : after.start] in ("'s ", "’s ")
        )
        if org_after and _lower(_POSSESSIVE.sub("", after.text)) in ORG_WORDS:
            mention.notes.append(f"part of an organisation name ({after.text})")
            mention.embedded = True
        elif mention.mention_type == "toponym" and after_joined and after.text[:1].isupper():
            # "Kurdistan Workers Party", "Georgia Power Company": the organisation word ends the
            # run of capitalised words that the place name opens.
            word_after = self._organisation_word_ending(text, tokens, i + width)
            if word_after is not None:
                mention.notes.append(f"part of an organisation name ({word_after})")
                mention.embedded = True
        if after is not None and _lower(after.text) in ADMIN_CUE_WORDS and after_joined:
            # "Kermanshah province", "Anbar Province"
            mention.admin_cue = True
        if (
            before is not None
            and before.text == "the"
            and i >= 3
            and _lower(tokens[i - 2].text) == "of"
            and mention.mention_type == "toponym"
            # A capitalised word before "of the" names a thing, headline or not.
            and self._names_an_organisation(text, tokens, i - 3, lambda: False)
        ):
            # "Land of the Two Rivers", "Church of the Holy Sepulchre": a name of its own.
            mention.notes.append("inside a name (X of the Y)")
            mention.embedded = True
        if before is not None and _lower(before.text) == "of" and i >= 2:
            cue = tokens[i - 2].text
            if cue in ADMIN_CUE_WORDS:  # lower-case: "the province of Khozestan"
                mention.admin_cue = True
            elif mention.mention_type == "toponym" and self._names_an_organisation(
                text, tokens, i - 2, in_title_line
            ):
                # "University of Baghdad", "Islamic State of Iraq": an organisation's name.
                mention.notes.append("inside an organisation name (X of Y)")
                mention.embedded = True
        if mention.admin_cue and not any(
            self.gazetteer.kind[c.index] == "admin1" for c in mention.candidates
        ):
            # "the province of Hamedan" when the gazetteer spells the province Hamadan.
            mention.candidates += [
                c
                for c in self.gazetteer.skeleton_candidates(mention.text)
                if self.gazetteer.kind[c.index] == "admin1"
            ]
        if (
            mention.text.startswith(("St", "Saint"))
            and _SAINT.match(mention.text)
            and _FEAST_DAY.match(text, mention.end)
        ):
            # "St. Patrick's Day", "St Andrew's Eve": a feast day named after the saint.
            mention.notes.append("a saint's feast day")
            return False
        if _lower(mention.text) in HOLIDAYS and not self._evidence_of_a_place(
            text, tokens, i, mention
        ):
            # "over Christmas", "on Christmas Day": a holiday is a time; the towns named after
            # one (Christmas, Florida) need the evidence of a place.
            self._weigh_against(mention, "a holiday's name")
        if mention.mention_type == "demonym" and self._after_a_descent(text, mention):
            # "African American", "Anglo-Americans", "Irish-American": one people named by its
            # descent and its country together, an ethnonym rather than a word about the place.
            self._weigh_against(mention, "the second half of a people's name of descent")
        if mention.mention_type == "demonym":
            # "Monica French said", '," French said': a surname spelled like a demonym. (A people
            # speaks with an article: "the French said".)
            neighbour = self._name_neighbour(text, tokens, i - 1, -1)
            if (
                neighbour is not None
                # the demonym ends the name ("Single European Sky" is another kind of name)
                and not (after_joined and is_capitalised(after.text))
                and self._is_plain_name(neighbour, in_title_line)
                and not _opens_sentence(text, neighbour.start)
            ):
                self._weigh_against(mention, f"preceded by another name ({neighbour.text})")
            elif (
                width == 1
                and after_joined
                and _lower(after.text) in SPEECH_VERBS
                and not (before is not None and _lower(before.text) in ("the", "a", "an"))
            ):
                self._weigh_against(mention, f"a surname before a verb of saying ({after.text})")
            return True
        if width > 1 and self._part_of_another_place(text, tokens[i : i + width], mention):
            # "the Southern District of Ohio": a part of Ohio, not Hong Kong's Southern District.
            mention.notes.append("a direction and a place word, of another place")
            return False
        if (
            first.text.isupper()
            and len(first.text) >= 3
            and _DATELINE_AFTER.match(text, last.end)
            and _opens_sentence(text, first.start)
        ):
            mention.notes.append("a dateline")
            mention.common_word = False  # capitals here are the dateline's style
            return not mention.embedded

        # "a video by The Atlantic", "said The Independent": a capital "The" inside a sentence
        # opens a title (a publication, a book, a band), unless the place is called "The X"
        # (The Hague, The Bronx, The Gambia). "The Atlantic reported" opens a sentence with the
        # title: "the X" that reports, says or writes is a publication or an organisation, as no
        # ocean, town or river speaks (a country does, by metonymy: "the US said").
        if (
            width == 1  # "The Khorasan Province claimed" names the province
            and before is not None
            and _lower(before.text) == "the"
            and _gap(text, before, first) == " "
            and not (after_joined and is_capitalised(after.text))  # The Washington Post
            and not mention.text.isupper()  # The US
            and not any(self.gazetteer.kind[c.index] == "country" for c in mention.candidates)
            and not self._called_with_the(mention)
        ):
            if before.text == "The" and not _opens_sentence(text, before.start):
                self._weigh_against(mention, "a title opening with a capital The")
            elif (
                after_joined
                and _lower(after.text) in REPORTING_VERBS
                and not any(self.gazetteer.kind[c.index] == "admin1" for c in mention.candidates)
            ):
                self._weigh_against(mention, f"the X {after.text}: a speaker, not a place")

        # Person titles: "President Tehran" never; "Gen. John Nicholson" never reaches here.
        if before is not None and _lower(before.text.rstrip(".")) in PERSON_TITLES:
            gap = _gap(text, before, first)
            if gap in (" ", ". ") and is_capitalised(before.text):
                if not (after_joined and _is_name_token(after)):
                    # "President Tehran" never; "Mr. Arlington" (an epithet) says no more.
                    mention.notes.append(f"after a personal title ({before.text})")
                    return False
                # A given name between a title and a surname, which the document may write
                # again without the title: "President Vladimir Putin", then "Vladimir Putin"
                # (not the town of Vladimir).
                self._weigh_against(mention, f"a person's name after a title ({before.text})")
                mention.inside_a_name = True

        if _NICKNAME_AFTER.match(text, mention.end):
            # 'Katherine "Kay" Parsons': a given name, a nickname in quotation marks, a surname.
            self._weigh_against(mention, "a given name before a nickname")
        kin = _word_of_kinship_before(text, mention.start)
        if kin is not None and not _RESIDENT_AFTER.match(text, mention.end):
            # "her daughter, Brittany", "son Bryan, husband of ...": a relative is a person.
            self._weigh_against(mention, f"a given name after a word of kinship ({kin})")

        # A middle initial between two capitalised words marks a person's name: "David A.
        # Ellwood", "Virginia L. Lane" (on a headline line too).
        start = mention.start
        if text.startswith(" ", mention.end) and _INITIAL_AFTER.match(text, mention.end):
            self._weigh_against(mention, "followed by a middle initial and a name")
            mention.inside_a_name = True
        elif (
            start >= 3
            and text[start - 2 : start] == ". "
            and _INITIAL_BEFORE.search(text, max(0, start - 40), start)
        ):
            self._weigh_against(mention, "preceded by a name and a middle initial")
            mention.inside_a_name = True

        # Inside a longer capitalised name: "Sher Wali Wardak", "Jordan Peterson", "Abu al Hassan
        # al Muhajir". On headline lines every word is capitalised, so there only rare words count.
        neighbour = self._name_neighbour(text, tokens, i - 1, -1)
        if (
            neighbour is not None
            and self._is_plain_name(neighbour, in_title_line)
            # "Another Gainesville business": a word capitalised only because it opens the
            # sentence, and written in lower case elsewhere in the text, is no name.
            and not (
                _opens_sentence(text, neighbour.start) and _lower(neighbour.text) in lower_case
            )
        ):
            self._weigh_against(mention, f"preceded by another name ({neighbour.text})")
            mention.inside_a_name = True
        neighbour = self._name_neighbour(text, tokens, i + width, +1)
        if (
            neighbour is not None
            and self._is_plain_name(neighbour, in_title_line)
            and not self._names_country(neighbour)
        ):
            if (
                word_zipf(_lower(neighbour.text)) >= ORG_NEIGHBOUR_ZIPF
                # "Lexington County Coroner's Office": a name that says it is a place is no
                # person's; what follows names something there.
                or _lower(last.text) in FEATURE_WORDS
            ):
                # "Philadelphia Eagles", "Chicago Bulls": a team or brand named after the place
                # (unless the document names a person so: `_given_names`).
                mention.notes.append(f"part of a name ({neighbour.text})")
                mention.embedded = True
                mention.name_after = neighbour.text
            else:
                self._weigh_against(mention, f"followed by another name ({neighbour.text})")
                mention.inside_a_name = True

        if (
            width == 1
            and after_joined
            and _lower(after.text) in SPEECH_VERBS | REPORTING_VERBS
            and self._only_towns(mention)
            and not (before is not None and _lower(before.text) in PLACE_PREPOSITIONS | {"of"})
        ):
            # "Baine said", '," Shingleton said': a small town does not speak; a person does.
            # ("the CHU in Montpellier said", "the 20-year-old from Brampton said" keep theirs.)
            # Nor does it report: "Xinhua reported" names the agency, not a town of that name.
            self._weigh_against(mention, f"a surname before a verb of saying ({after.text})")
        elif (
            width == 1
            and before is not None
            and _lower(before.text) in ("said", "says")
            and _gap(text, before, first) == " "
            and text[last.end : last.end + 1] in (".", ",")
            and self._only_towns(mention)
        ):
            # '," said Noma.': the speaker named after the verb.
            self._weigh_against(mention, f"a surname after a verb of saying ({before.text})")
        if _ADMINISTRATION_AFTER.match(text, mention.end) and self._only_towns(mention):
            # "the Clinton administration", "the Clinton and Bush administrations": a president's
            # government, named by his surname, not a small town's.
            self._weigh_against(mention, "a surname before administration")
        if self._names_a_building(mention) and self._names_the_institution(
            text, tokens, i, mention
        ):
            # "condemned by the White House", "White House spokesman", "The White House
            # stated", "the White House's decision": the institution housed there, not the
            # building ("at the White House" stays the building).
            self._weigh_against(mention, "a building named for the institution in it")
        if self._named_only_by_another_name(mention) and not self._evidence_of_a_place(
            text, tokens, i, mention
        ):
            # (A spelling variant, "Menbj" for Manbij, needs it as much: "Alstom" is no Alès.)
            self._weigh_against(mention, ANOTHER_NAME_ONLY)

        if width == 1:
            word = _lower(first.text)
            zipf = word_zipf(word)
            if (
                zipf >= COMMON_WORD_ZIPF
                and mention.mention_type == "toponym"
                and not mention.text.isupper()
                and not self._written_as_a_place(mention)
            ):
                # "Room 113" is no Rom (nor Rome, "Rom" in German), "Sun Media" no Anshun: an
                # ordinary word that matches places only through the look-up's folds (doubled
                # letters, a final -ah) is the word.
                self._weigh_against(mention, "an ordinary word spelled unlike any place")
            at_start = i in sentence_starts
            if (
                at_start
                and zipf >= SENTENCE_START_COMMON_ZIPF
                and not self._well_known_by_name(mention, lower_case)
            ):
                self._weigh_against(mention, "ordinary word opening a sentence")
            if zipf >= COMMON_WORD_ZIPF or (at_start and zipf >= SENTENCE_START_COMMON_ZIPF):
                mention.common_word = True
                mention.never_lower = (
                    not at_start
                    and word.isalpha()
                    and not in_title_line()
                    and word not in lower_case
                )
        return True

    # -- features of the learned decision ---------------------------------------------------------

    def _mention_features(
        self,
        text: str,
        tokens: list[Token],
        i: int,
        width: int,
        mention: Mention,
        sentence_starts: _SentenceStarts,
        title_case: _TitleCaseLines,
        lower_case: _LowerCaseWords,
    ) -> dict[str, float]:
        """General facts about a name and the words around it (no document-wide facts)."""
        g = self.gazetteer
        first, last = tokens[i], tokens[i + width - 1]
        f: dict[str, float] = {"type=" + mention.mention_type: 1.0}
        name = mention.text
        f["tokens=" + ("1" if width == 1 else "2" if width == 2 else "3+")] = 1.0
        if name.isupper():
            f["all_capitals" if len(name) > 3 else "short_capitals"] = 1.0
        if "." in name:
            f["periods"] = 1.0
        if mention.start != first.start or mention.end < last.end:
            f["part_of_a_word"] = 1.0  # "Iran-based", "Turkey-Syria"
        word = _lower(name)
        zipf = mention.zipf
        if width == 1 and word.isalpha():
            f["zipf"] = zipf
            if zipf == 0.0:
                f["unknown_word"] = 1.0
            if zipf >= 3.0:
                f["zipf>=3"] = 1.0
            if zipf >= 4.0:
                f["zipf>=4"] = 1.0
            if word in lower_case:
                f["written_lower_case_too"] = 1.0
        else:
            f["phrase_zipf"] = word_zipf(word)
        if i in sentence_starts:
            f["opens_a_sentence"] = 1.0
        if title_case.at(first.start):
            f["title_case_line"] = 1.0
        for flag in ("common_word", "never_lower", "fuzzy", "embedded", "admin_cue"):
            if getattr(mention, flag):
                f[flag] = 1.0
        for note in mention.notes:
            f["rule=" + note.split(" (", 1)[0]] = 1.0
        # The word before: a preposition of place, an article, a name, a number ...
        before = tokens[i - 1] if i > 0 else None
        if before is None or _opens_sentence(text, first.start):
            f["before=start"] = 1.0
        else:
            gap = _gap(text, before, first)
            lowered = _lower(before.text)
            if gap.strip():
                f["before=punctuation"] = 1.0
            elif lowered in _BEFORE_WORDS:
                f["before=" + lowered] = 1.0
            elif before.text[0].isdigit():
                f["before=number"] = 1.0
            elif len(before.text) == 1 and before.text.isupper():
                f["before=initial"] = 1.0
            elif before.text[0].isupper():
                f["before=capitalised"] = 1.0
            else:
                f["before=lower"] = 1.0
            if gap == ". " and len(before.text) == 1 and before.text.isupper():
                f["before=initial"] = 1.0  # "Kevin G. Fulmer"
        # The word after: a verb of saying, a possessive, a province, a name ...
        after = _TOKEN.search(text, mention.end, mention.end + 40)
        tail = text[mention.end : after.start() if after else mention.end + 2]
        if text.startswith(("'s", "’s"), mention.end):
            f["after=possessive"] = 1.0
        elif after is None:
            f["after=end"] = 1.0
        elif tail.strip():
            mark = tail.strip()[0]
            f["after=" + (mark if mark in ',.;:()-—–"“”' else "punctuation")] = 1.0
            if mark == "," and _ABBREVIATION_AFTER.match(text, mention.end):
                written = _ABBREVIATION_AFTER.match(text, mention.end).group(1).replace(" ", "")
                if written in g.by_abbreviation:
                    f["after=province_abbreviation"] = 1.0
        else:
            lowered = _lower(after.group())
            if lowered in _AFTER_WORDS:
                f["after=" + lowered] = 1.0
            elif after.group()[0].isdigit():
                f["after=number"] = 1.0
            elif lowered in ORG_WORDS:
                f["after=organisation_word"] = 1.0
            elif lowered in FEATURE_WORDS:
                f["after=feature_word"] = 1.0
            elif after.group()[0].isupper():
                f["after=capitalised"] = 1.0
            else:
                f["after=lower"] = 1.0
        # The candidate places: kinds, size, how the name matched.
        population = 0
        kinds = set()
        matches = set()
        named = False
        for c in mention.candidates:
            index = c.index
            kinds.add(g.kind[index])
            matches.add(c.match)
            population = max(population, g.population[index])
            if g.feature[index] == "airport":
                kinds.add("airport")
            if g.origin[index] == "curated":
                kinds.add("curated")
            if not named and c.match in ("name", "article", "demonym"):
                named = written_as(g.name[index], name)
        for kind in kinds:
            f["kind=" + kind] = 1.0
        for match in matches:
            f["match=" + match] = 1.0
        if named:
            f["written_as_its_name"] = 1.0
        f["log_population"] = math.log10(population + 1)
        f["log_candidates"] = math.log10(len(mention.candidates) + 1)
        return f

    def _add_document_features(self, mentions: list[Mention], person_names: set[str]) -> None:
        """Facts about the rest of the document: whether the name is written elsewhere with no
        rule against it, or inside a person's name, whether other names name its countries."""
        g = self.gazetteer
        clear: dict[str, int] = {}  # name -> times written with no rule weighing against it
        countries: dict[str, set[str]] = {}  # country code -> names that put it in the document
        keys = []
        for m in mentions:
            key = name_key(m.text)
            keys.append(key)
            if m.weighed_against is None:
                clear[key] = clear.get(key, 0) + 1
                codes = {g.country_code[c.index] for c in m.candidates}
                vouched = {
                    g.country_code[c.index]
                    for c in m.candidates
                    if g.kind[c.index] == "country" or c.match == "demonym"
                }
                if not vouched and len(codes) == 1 and not m.common_word:
                    vouched = codes
                for code in vouched:
                    if code:
                        countries.setdefault(code, set()).add(key)
        for m, key in zip(mentions, keys, strict=True):
            f = m.features
            # (How long the document is, or how often it repeats a name, says more about a
            # corpus's annotators than about the name: no feature of it.)
            if clear.get(key, 0) > (m.weighed_against is None):
                f["written_elsewhere_with_no_rule_against"] = 1.0
            if key in person_names and m.weighed_against is None:
                f["seen_in_a_person_name"] = 1.0
            prominent = m.mention_type == "toponym" and self._is_prominent(m)
            if prominent:
                f["prominent"] = 1.0
            if m.weighed_against is None and (
                key not in person_names or prominent or m.mention_type == "demonym"
            ):
                f["hand_rules_accept"] = 1.0
            own = {g.country_code[c.index] for c in m.candidates}
            if any(countries.get(code, set()) - {key} for code in own if code):
                f["country_named_by_other_names"] = 1.0

    @staticmethod
    def _weigh_against(mention: Mention, note: str) -> None:
        """A rule that is evidence, not a fact: the hand rules reject the name on it (the first
        such note is kept in `weighed_against`); the learned model weighs it with the rest."""
        mention.notes.append(note)
        if mention.weighed_against is None:
            mention.weighed_against = note

    def _named_only_by_another_name(self, mention: Mention) -> bool:
        """Whether the name matches only towns or counties, and only by one of their other names
        (a former name, a surname the town was named after: "Molotov" for Perm, "Baine" for
        Attalla) or by a spelling variant (`Mention.fuzzy`), never by a town's own name."""
        if mention.fuzzy:
            return mention.mention_type == "toponym" and not mention.admin_cue
        if mention.mention_type != "toponym" or mention.text.isupper() or not mention.candidates:
            return False
        g = self.gazetteer
        if not all(
            c.match in ("alias", "article-alias") and g.kind[c.index] in ("city", "admin2")
            for c in mention.candidates
        ):
            return False
        # A longer or shorter form of the town's own name is that name: "Clacton" for
        # Clacton-on-Sea, "Calamba City" for Calamba, "Phila." for Philadelphia.
        written = _plain_letters(mention.text)
        return not any(
            _same_name_shortened(_plain_letters(g.name[c.index]), written)
            for c in mention.candidates
        )

    def _evidence_of_a_place(
        self, text: str, tokens: list[Token], i: int, mention: Mention
    ) -> bool:
        """Whether the words around a name say it is a place: a preposition of place before it
        ("in Kasba Bonli", "Jeremy Watson, 30, of Ten Mile", "the town of X"), a place word
        after it ("Kiser Lake"), its state or province after it ("Taji, Iraq", "Leon, Iowa"),
        or other place names listed with it ("Douglas, Sarpy and Lancaster counties")."""
        if mention.admin_cue:
            return True
        g = self.gazetteer
        before = tokens[i - 1] if i > 0 else None
        if before is not None and _gap(text, before, tokens[i]) in (" ", "\u00a0"):
            word = _lower(before.text)
            if word in PLACE_PREPOSITIONS or word in FEATURE_WORDS:  # "in X", "Camp X"
                return True
            if word == "of" and i >= 2:
                previous = tokens[i - 2]
                if (
                    # "the siege of Leningrad"; a small town needs more than "of": "the
                    # investigation of Weems" names a person
                    self._a_big_place(mention)
                    or "," in _gap(text, previous, before)
                    or previous.text[0].isdigit()
                    or _lower(previous.text) in FEATURE_WORDS
                ):
                    return True
        if before is not None and _gap(text, before, tokens[i]) in _LIST_ENDS:
            # The name listed before: the capitalised words that end at `before` (a comma alone
            # may end a clause: "In the Port of Los Angeles, Samra found").
            k = i - 1
            while k > 0 and i - k < MAX_SPAN_TOKENS and is_capitalised(tokens[k - 1].text):
                if not _joined(text, tokens[k - 1], tokens[k]):
                    break
                k -= 1
            for start in range(k, i):
                found = self._lookup(text[tokens[start].start : before.end])
                if found is not None:
                    if self._a_place_by_its_own_name(found):
                        return True
                    break
        word_after = _WORD_AFTER.match(text, mention.end)
        if word_after is not None and _lower(word_after.group(1)) in FEATURE_WORDS:
            return True
        abbreviation = _ABBREVIATION_AFTER.match(text, mention.end)
        if abbreviation and abbreviation.group(1).replace(" ", "") in g.by_abbreviation:
            return True
        where = _IN_A_PLACE_AFTER.match(text, mention.end)  # "Menbj in Syria"
        if where is not None:
            words = where.group(1).split(" ")
            for n in range(len(words), 0, -1):
                found = self._lookup(" ".join(words[:n]))
                if found is not None:
                    if self._a_place_by_its_own_name(found):
                        return True
                    break
        listed = _LISTED_NAME_AFTER.match(text, mention.end)
        if listed is not None:
            words = listed.group(1).split(" ")
            for n in range(len(words), 0, -1):
                found = self._lookup(" ".join(words[:n]))
                if found is not None:
                    return self._a_place_by_its_own_name(found)
        return False

    def _spelled_out(self, text: str, mention: Mention) -> str | None:
        """The capitalised words of the text whose initials spell the mention ("Neighborhood
        Improvement Coordination Effort" for NICE), unless they name one of its places."""
        # The text is searched once per word in capitals and document (the search reads the whole
        # text: once per mention, a long document's many "ISIS" took hours).
        if mention.text not in self._spelled_names:
            words = r"(?:[ \u00a0](?:of|and|for|the|on|in|to|&)[ \u00a0]|[ \u00a0-])".join(
                rf"{letter}[a-z]+" for letter in mention.text
            )
            found = re.search(rf"\b{words}\b", text)
            self._spelled_names[mention.text] = None if found is None else found.group()
        name = self._spelled_names[mention.text]
        if name is None:
            return None
        spelled = self._lookup(name)
        own = {c.index for c in mention.candidates}
        if spelled is not None and any(c.index in own for c in spelled[0]):
            return None
        return name

    def _after_a_descent(self, text: str, mention: Mention) -> bool:
        """Whether a demonym follows another one (or "Anglo", "Afro") joined to it by a space or
        a hyphen: "African American", "Anglo-Americans"."""
        before = _DESCENT_BEFORE.search(text, max(0, mention.start - 20), mention.start)
        if before is None:
            return False
        word = before.group(1)
        if word in ("Anglo", "Afro"):
            return True
        found = self._lookup(word)
        return found is not None and found[1] == "demonym"

    def _written_as_a_place(self, mention: Mention) -> bool:
        """Whether some candidate's name or other name is written as the text writes it."""
        # (A province cue adds candidates: then the span's look-up is not all there is.)
        known = None if mention.admin_cue else self._written_as_cache.get(mention.text)
        if known is None:
            g = self.gazetteer
            written = _plain_letters(mention.text)
            known = any(
                _plain_letters(name) == written
                for c in mention.candidates
                for name in (g.name[c.index], *g.aliases[c.index])
            )
            if not mention.admin_cue:
                self._written_as_cache[mention.text] = known
        return known

    def _names_a_building(self, mention: Mention) -> bool:
        """Whether the name is written as a landmark's own name, other than an airport's."""
        if self._building_names is None:
            g = self.gazetteer
            self._building_names = frozenset(
                _plain_letters(g.name[i])
                for i, kind in enumerate(g.kind)
                if kind == "landmark" and g.feature[i] != "airport"
            )
        return bool(self._building_names) and _plain_letters(mention.text) in self._building_names

    @staticmethod
    def _names_the_institution(text: str, tokens: list[Token], i: int, mention: Mention) -> bool:
        """Whether the words around a building's name make it the institution in it: "by the
        X", "X's", "X spokesman", "the X said"."""
        if text.startswith(("'s", "’s"), mention.end):
            return True
        if i >= 2 and _lower(tokens[i - 1].text) == "the" and _lower(tokens[i - 2].text) == "by":
            return True
        word_after = _WORD_AFTER.match(text, mention.end)
        return word_after is not None and (
            _lower(word_after.group(1)) in OFFICE_WORDS
            or _lower(word_after.group(1)) in REPORTING_VERBS
        )

    def _only_towns(self, mention: Mention) -> bool:
        """Whether every candidate is a town or county too small to speak for its government, or
        an airport (no airport speaks: "said Mather" names a person, not Mather Airport)."""
        g = self.gazetteer
        return all(
            (
                g.kind[c.index] in ("city", "admin2")
                and g.population[c.index] < ANOTHER_NAME_SUPPORT_MIN_POPULATION
            )
            or g.feature[c.index] == "airport"
            for c in mention.candidates
        )

    def _a_big_place(self, mention: Mention) -> bool:
        g = self.gazetteer
        return any(
            g.population[c.index] >= ANOTHER_NAME_SUPPORT_MIN_POPULATION for c in mention.candidates
        )

    def _a_place_by_its_own_name(self, found: tuple) -> bool:
        """Whether a look-up result names a place by its own name, or a country or province: two
        surnames listed together ("Weber and Bates") are no evidence of each other's town."""
        g = self.gazetteer
        return found[1] == "toponym" and any(
            c.match in ("name", "article") or g.kind[c.index] in ("country", "admin1")
            for c in found[0]
        )

    def _part_of_another_place(self, text: str, span: list[Token], mention: Mention) -> bool:
        """Whether a name made only of a direction and a place word ("Southern District",
        "Central Region") is followed by "of" and a place in none of its own countries: then
        it describes a part of that place ("the Southern District of Ohio"), not a namesake."""
        if not all(_lower(t.text) in MODIFIERS or _lower(t.text) in FEATURE_WORDS for t in span):
            return False
        after = _OF_NAME.match(text, mention.end)
        if after is None:
            return False
        words = after.group(1).split(" ")
        found = None
        for n in range(len(words), 0, -1):  # the longest name: "of New South Wales Police"
            found = self._lookup(" ".join(words[:n]))
            if found is not None:
                break
        if found is None or found[1] != "toponym":
            return False
        g = self.gazetteer
        theirs = {g.country_code[c.index] for c in found[0]}
        return not any(g.country_code[c.index] in theirs for c in mention.candidates)

    def _called_with_the(self, mention: Mention) -> bool:
        """Whether one of the mention's places is called "The <name>" (The Hague), capital
        T and all: "the Atlantic" is a description, "The Hague" a name."""
        g = self.gazetteer
        called = f"The {mention.text}"
        return any(
            g.name[c.index] == called or called in g.aliases[c.index] for c in mention.candidates
        )

    @staticmethod
    def _organisation_word_ending(text: str, tokens: list[Token], k: int) -> str | None:
        """The organisation word (ORG_WORDS) that ends the run of capitalised words starting at
        tokens[k], at most ORG_RUN_WORDS of them ("Workers Party"); None when the run has none."""
        previous = tokens[k - 1]
        for token in tokens[k : k + ORG_RUN_WORDS]:
            if not token.text[:1].isupper() or not _joined(text, previous, token):
                return None
            if _lower(_POSSESSIVE.sub("", token.text)) in ORG_WORDS:
                return token.text
            previous = token
        return None

    def _names_an_organisation(
        self, text: str, tokens: list[Token], k: int, title_line: Callable[[], bool]
    ) -> bool:
        """Whether the capitalised words ending at k (before "of") name an organisation."""
        run = []
        while k >= 0 and is_capitalised(tokens[k].text):
            run.append(tokens[k])
            if k == 0 or not _joined(text, tokens[k - 1], tokens[k]):
                break
            k -= 1
        words = [_lower(t.text) for t in run]
        if not words or words[0] in ("republic", "kingdom", "emirate", "sultanate", "commonwealth"):
            return False  # official country names: "Kingdom of Saudi Arabia"
        return any(w in ORG_WORDS for w in words) or any(
            self._is_plain_name(t, title_line) and _lower(t.text) not in FEATURE_WORDS for t in run
        )

    @staticmethod
    def _name_neighbour(text: str, tokens: list[Token], k: int, step: int) -> Token | None:
        """The capitalised token joined to a span at k, looking through "al", "bin", "de"."""
        previous = tokens[k - step] if 0 <= k - step < len(tokens) else None
        while 0 <= k < len(tokens):
            token = tokens[k]
            pair = (token, previous) if step < 0 else (previous, token)
            if previous is None or not _joined(text, *pair):
                return None
            if token.text in NAME_PARTICLES:
                previous, k = token, k + step
                continue
            return token if is_capitalised(token.text) else None
        return None

    def _names_country(self, token: Token) -> bool:
        found = self._lookup(token.text)
        return found is not None and (
            found[1] == "demonym"
            or any(self.gazetteer.kind[c.index] == "country" for c in found[0])
        )

    def _is_plain_name(self, token: Token, title_line: Callable[[], bool] | None = None) -> bool:
        """A capitalised word that is neither a function word, a modifier nor a place word."""
        word = _lower(token.text)
        if title_line is not None and word_zipf(word) >= TITLE_LINE_COMMON_ZIPF and title_line():
            return False
        return (
            _is_name_token(token)
            and word not in HONORIFICS  # "U.S. Sen. Byrd", "Ohio Gov. Strickland"
            and word not in NUMBER_WORDS  # "Three Eastland County residents"
            and word not in MODIFIERS
            and word not in CONNECTORS
            and word not in FEATURE_WORDS
            and not token.text.isupper()
            and not is_compound_modifier(token.text)
            and not self._names_country(token)
        )

    def _is_prominent(self, mention: Mention) -> bool:
        """A country, province, region or big city: "the Baghdad Shi'a government" stays Baghdad."""
        g = self.gazetteer
        # Counties and districts are no more prominent than towns: many are named after people;
        # nor are airports, named after people or their towns. A name that matches a place
        # only by its consonants ("Hondares" for Honduras) is not that place's name at all.
        if mention.fuzzy:
            return False
        return any(
            (g.kind[c.index] not in ("city", "admin2") and g.feature[c.index] != "airport")
            or g.population[c.index] >= 1_000_000
            for c in mention.candidates
        )

    def _well_known_by_name(self, mention: Mention, lower_case: _LowerCaseWords) -> bool:
        """A country, a province or a big city under its own name: "London's murder tally",
        "Oklahoma lawmakers" open sentences as places; "Nice words" does not. A country's other
        name counts only when the text never writes it as a lower-case word and it is not one of
        the commonest English words ("Britain" does; "Man" for the Isle of Man does not)."""
        g = self.gazetteer
        word = _lower(mention.text)
        return any(
            (
                g.kind[c.index] == "country"
                and (
                    c.match != "alias"
                    or (
                        word not in lower_case
                        # a code written as one ("US") is no word
                        and (mention.text.isupper() or word_zipf(word) < ORDINARY_ALIAS_ZIPF)
                    )
                )
            )
            or (
                c.match in ("name", "article")
                and written_as(g.name[c.index], mention.text)
                and (g.kind[c.index] == "admin1" or g.population[c.index] >= 500_000)
            )
            for c in mention.candidates
        )


# Titles written before a surname alone: "Mr Putin", "Dr. Smith", "President Obama".
_SURNAME_TITLE_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|President|Sen|Rep|Gov|Gen|Judge|Sheriff|Mayor)\.? \Z"
)
_NAME_GOES_ON = re.compile(r"[\w'’-]|[ \u00a0][A-Z]")


def _written_after_a_title(text: str, name: str) -> bool:
    """Whether the text writes the name alone after a personal title ("Mr Putin")."""
    position = text.find(name)
    while position != -1:
        end = position + len(name)
        if _SURNAME_TITLE_BEFORE.search(
            text, max(0, position - 12), position
        ) and not _NAME_GOES_ON.match(text, end):
            return True
        position = text.find(name, end)
    return False


def _given_names(text: str, mentions: list[Mention]) -> None:
    """A name read as a team's or a brand's place ("Vladimir Putin" as if "Philadelphia Eagles")
    is a given name when the document writes the name after it as a surname, after a title
    ("Mr Putin"): the pair is a person's name."""
    surnames: dict[str, bool] = {}
    for m in mentions:
        if not m.name_after:
            continue
        if m.name_after not in surnames:
            surnames[m.name_after] = _written_after_a_title(text, m.name_after)
        if surnames[m.name_after]:
            MentionFinder._weigh_against(m, f"a given name before a surname ({m.name_after})")
            m.inside_a_name = True


def _speaks(text: str, mention: Mention) -> bool:
    """Whether a verb of saying follows the name: "Nelson said", "Morris told the paper"."""
    word_after = _WORD_AFTER.match(text, mention.end)
    return word_after is not None and word_after.group(1) in SPEECH_VERBS


def _person_names(mentions: list[Mention]) -> set[str]:
    """Names seen inside a person's name ("Craig Whiteside"): they denote that person later in
    the document too ("argues Whiteside")."""
    return {
        name_key(m.text)
        for m in mentions
        if m.weighed_against is not None
        and m.weighed_against.startswith(
            ("preceded by", "followed by", "a surname", "a given name", "a person's name")
        )
    }


_LIST_SEPARATORS = frozenset((", ", " and ", " or ", ", and ", ", or "))


def _link_lists(text: str, mentions: list[Mention]) -> None:
    """Give each name in a list of names ("Texas, California or Washington") the others of its list.

    Only place names joined by commas, "and" or "or" count; the resolver decides which pairs are
    really "Town, Province" instead."""
    group: list[Mention] = []
    for mention in mentions:
        if mention.mention_type != "toponym" or mention.embedded:
            group = []
            continue
        if group and text[group[-1].end : mention.start] in _LIST_SEPARATORS:
            group.append(mention)
            mention.listed_with = group
            if len(group) == 2:
                group[0].listed_with = group
        else:
            group = [mention]


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    return MentionFinder(gazetteer).find(text)
