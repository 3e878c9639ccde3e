"""Numbers stated about a place, with their unit, subject, speaker and date, side by side.

"the number of ISIS fighters in Afghanistan has declined from an estimated 3,000 at the start of this
year to between 1,000 and 1,500" gives two quantities of ISIS fighters. A number counts only when its
unit is read from the text: right after it ("2,500 ISIS combatants") or from "the number of X" in the
same sentence; bare numbers, years, dates, durations and note markers are left out, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from geo.evidence.dates import PartialDate, find_stated_date, parse_iso_date
from geo.evidence.speakers import speaker_names

# Plural nouns a count can be of -> the unit they are compared under.
UNITS = {
    **dict.fromkeys(
        "fighters combatants militants jihadists jihadis terrorists insurgents mujahideen".split(),
        "fighters",
    ),
    **dict.fromkeys("troops soldiers".split(), "troops"),
    **dict.fromkeys("people persons men individuals".split(), "people"),
    **dict.fromkeys("citizens nationals".split(), "citizens"),
    **dict.fromkeys("killed dead deaths".split(), "killed"),
    **{w: w for w in "recruits members returnees civilians refugees names cases strikes attacks "
       "plots suspects wounded prisoners".split()},
}  # fmt: skip
_GROUP_WORDS = {"isis": "ISIS", "is": "ISIS", "isil": "ISIS", "daesh": "ISIS", "islamic": "ISIS"}
_MODIFIERS = {
    "foreign", "armed", "potential", "former", "remaining", "jihadist", "radical", "militant",
    "active", "new", "local", "hardened", "experienced", "suspected", "more", "other",
}  # fmt: skip
_TIME_UNITS = re.compile(
    r"^[\s-]*(?:years?|months?|days?|weeks?|hours?|minutes?|decades?|centur(?:y|ies)|page|"
    r"year-old|times)\b",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_NUM = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    r"(?P<qual>\b(?:an?\s+estimated|estimated|about|around|approximately|roughly|some|nearly|"
    r"almost|over|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|as\s+many\s+as|"
    r"as\s+few\s+as)\s+)?(?P<between>\bbetween\s+)?"
    rf"(?<![\w\[/.,])(?P<a>{_NUM})(?:(?(between)\s*(?:and|-|–)\s*|\s*(?:-|–|\bto\b)\s*)(?P<b>{_NUM}))?"
    r"(?![\w\]/]|\.\d)(?P<pct>\s*(?:%|percent\b|per\s+cent\b))?",
    re.IGNORECASE,
)
_NUMBER_OF = re.compile(r"\bnumbers?\s+of\s+", re.IGNORECASE)
_OF_WHAT = re.compile(r"^\s+of\s+(?:(?:the|its|their)\s+)?(?:[A-Z][\w-]*[’']s\s+)?(?P<what>[a-z]+)")


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float
    text: str  # the words, "between 1,000 and 1,500"
    unit: str  # "fighters", "%"
    subject: str  # what is counted, "ISIS fighters"
    start: int  # offsets in the sentence
    end: int
    when: PartialDate | None = None  # a date stated right after the number

    @property
    def value(self) -> str:
        """'3,000', '1,000–1,500', '15–20%'."""
        pct = "%" if self.unit == "%" else ""
        low = f"{self.low:,.0f}" if self.low == int(self.low) else f"{self.low:,}"
        if self.high == self.low:
            return low + pct
        high = f"{self.high:,.0f}" if self.high == int(self.high) else f"{self.high:,}"
        return f"{low}–{high}{pct}"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_quantities(sentence: str, published: PartialDate | None = None) -> list[Quantity]:
    """Every number in the sentence whose unit the text states, in reading order."""
    if not isinstance(sentence, str) or not any(ch.isdigit() for ch in sentence):
        return []
    matches = [m for m in _QUANTITY.finditer(sentence) if not _is_date_or_duration(sentence, m)]
    found: list[Quantity] = []
    for k, m in enumerate(matches):
        unit, subject = _unit_after(sentence, m)
        if not unit:
            unit, subject = _unit_from_number_of(sentence[: m.start()])
        if not unit:
            continue
        low = _number(m["a"])
        high = _number(m["b"]) if m["b"] else low
        if high < low:
            continue  # "10-2" is a score or a code, not a range
        # The date stated right after the number, up to the next number: "3,000 at the start of
        # this year to ...".
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(sentence)
        tail = re.split(r"[;:]", sentence[m.end() : min(stop, m.end() + 45)], maxsplit=1)[0]
        when = find_stated_date(tail, published) if tail.strip() else None
        start = m.start("between") if m["between"] else m.start("a")
        found.append(Quantity(low, high, sentence[start : m.end()].strip(), unit, subject,
                              start, m.end(), when))  # fmt: skip
    return found


def _is_date_or_duration(sentence: str, m: re.Match) -> bool:
    a = m["a"]
    before, after = sentence[: m.start("a")], sentence[m.end() :]
    if re.search(rf"\b{_MONTH}\.?\s*$", before) or re.match(rf"^\s*(?:of\s+)?{_MONTH}\b", after):
        return True  # "December 8", "26 October"
    if re.search(rf"\b{_MONTH}\.?\s+\d{{1,2}}\s*[,.]\s*$", before):
        return True  # the year of "November 13, 2015"
    if not m["pct"] and re.fullmatch(r"(?:19|20)\d\d", a) and not m["b"]:
        if re.search(r"\b(?:in|since|until|till|during|after|before|early|late|mid)[\s-]*$",
                     before, re.IGNORECASE):  # fmt: skip
            return True  # "In 2016 fighters left": the year, though a unit word follows
        return not _unit_after(sentence, m)[0]  # a year, unless it counts something
    if m["pct"]:
        return False
    return bool(_TIME_UNITS.match(after) or re.match(r"^(?:st|nd|rd|th|s)\b", after))


def _unit_after(sentence: str, m: re.Match) -> tuple[str, str]:
    if m["pct"]:
        what = _OF_WHAT.match(sentence[m.end() :])
        return "%", (f"% of {what['what']}" if what else "%")
    mods: list[str] = []
    for token in re.findall(r"[\w’'-]+", sentence[m.end() : m.end() + 60])[:5]:
        word = token.lower()
        if word in UNITS:
            return UNITS[word], _subject(mods, UNITS[word])
        if token[:1].isupper() or word in _MODIFIERS:
            mods.append(token)
            continue
        break
    return "", ""


def _unit_from_number_of(before: str) -> tuple[str, str]:
    """The unit of "the number of ISIS fighters ... has declined from 3,000": the last such phrase."""
    for m in reversed(list(_NUMBER_OF.finditer(before))):
        tokens = re.findall(r"[\w’'-]+", before[m.end() :])[:4]
        for k, token in enumerate(tokens):
            if token.lower() in UNITS:
                unit = UNITS[token.lower()]
                return unit, _subject(tokens[:k], unit)
    return "", ""


def _subject(mods: list[str], unit: str) -> str:
    """'ISIS fighters' from ["IS"] and fighters; group names are merged (IS, ISIL, Islamic State)."""
    words: list[str] = []
    for mod in mods:
        word = mod.lower().strip("’'")
        if word in ("state",) and words and words[-1] == "ISIS":
            continue  # "Islamic State"
        name = _GROUP_WORDS.get(word)
        if name:
            if name not in words:
                words.append(name)
        elif word not in ("the", "a", "an", "of", "and") and mod[:1].isupper():
            words.append(mod)
    return " ".join([*words, unit])


QUANTITY_COLUMNS = [
    "subject", "value", "low", "high", "speaker", "when", "when_basis", "source", "published",
    "doc_id", "claim_id", "excerpt", "number_text", "footnotes", "tied", "also_names",
]  # fmt: skip
# `tied`: the number stands in the same clause as the place's mention, so the sentence states it
# about the place; else (`also_names`: the place's words in the sentence) it is only stated in a
# sentence that also names the place, and is not shown as the place's figure.

# Where a sentence's clauses meet: a semicolon or dash, or a comma before a word that opens a new
# clause ("..., and it seems the Iraqis ...", "..., while in Kirkuk 80 people ..."), or such a
# word alone ("whereas", "while"). A number and a place in different clauses are not tied.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:—–]\s+|\s+-\s+"
    r"|,\s+(?=(?:and|but|or|so|yet|while|whereas|although|though|as|after|before|when|where|"
    r"which|who|whom|whose|since|because|if|unless|until|days|weeks|months|years)\b)"
    r"|\s+(?=(?:while|whereas|although)\b)",
    re.IGNORECASE,
)


def clause_of(sentence: str, offset: int) -> int:
    """The number of the clause (0, 1, ...) the character at `offset` of the sentence is in."""
    return sum(1 for m in _CLAUSE_BREAK.finditer(sentence, 0, max(0, offset)) if m.end() <= offset)


_CLAIM_FIELDS = ("excerpt", "published", "attribution", "source", "doc_id", "claim_id",
                 "footnotes", "date_basis", "date_text", "date", "reference",
                 "excerpt_start")  # fmt: skip


def _mentions_by_sentence(claims: pd.DataFrame) -> dict[tuple, list[tuple[int, str]]]:
    """(doc_id, excerpt_start) -> the place's mentions in that sentence: (offset in the sentence,
    words). Empty when the claims have no offsets."""
    needed = ("doc_id", "excerpt_start", "start", "mention")
    if any(c not in claims.columns for c in needed):
        return {}
    found: dict[tuple, list[tuple[int, str]]] = {}
    for doc_id, excerpt_start, start, mention in zip(
        *(claims[c].tolist() for c in needed), strict=True
    ):
        try:
            offset = int(start) - int(excerpt_start)
        except (TypeError, ValueError):
            continue
        found.setdefault((doc_id, excerpt_start), []).append((offset, str(mention)))
    return found


@lru_cache(maxsize=1 << 16)
def _quantities_of(sentence: str, published: PartialDate | None) -> tuple[Quantity, ...]:
    return tuple(find_quantities(sentence, published))


_REFERENCE_LINE = re.compile(r"\s*\[\d+\]")


def _sentence_quantities(sentence, published: PartialDate | None) -> list[Quantity]:
    """find_quantities, remembered per sentence: the dashboard's panel reads the same sentences
    on every click on a place (thousands for a country)."""
    if not isinstance(sentence, str):
        return find_quantities(sentence, published)
    return list(_quantities_of(sentence, published))


def place_quantities(claims: pd.DataFrame) -> pd.DataFrame:
    """Quantities in the sentences of `claims` (one place's), one row each (QUANTITY_COLUMNS).

    The date of a number is, in order: a date stated right after it; the sentence's stated date
    when no other number took it; the date of the report the sentence cites in a note; the
    publication date.
    """
    rows: list[dict] = []
    if claims.empty:
        return pd.DataFrame(columns=QUANTITY_COLUMNS)
    speakers = speaker_names(claims["attribution"])
    mentions = _mentions_by_sentence(claims)
    sentences = claims.drop_duplicates(["doc_id", "excerpt_start"])
    # Only the columns read below: a busy place has tens of thousands of claims.
    # Read column by column: to_dict("records") boxes every value of an Arrow-backed column one by
    # one, which for a country's claims was most of the panel's time.
    fields = [c for c in _CLAIM_FIELDS if c in sentences.columns]
    publication_dates: dict[str, PartialDate | None] = {}  # a few hundred distinct dates
    for values in zip(*(sentences[c].tolist() for c in fields), strict=True):
        claim = dict(zip(fields, values, strict=True))
        if _REFERENCE_LINE.match(str(claim["excerpt"])):
            continue  # a line of the reference list: the cited piece's title, not a claim
        iso = str(claim.get("published") or "")
        if iso not in publication_dates:
            publication_dates[iso] = parse_iso_date(iso)
        published = publication_dates[iso]
        quantities = _sentence_quantities(claim["excerpt"], published)
        if not quantities:
            continue
        taken = {q.when.text for q in quantities if q.when is not None}
        sentence = str(claim["excerpt"])
        key = (claim["doc_id"], claim.get("excerpt_start"))
        place_clauses = {clause_of(sentence, offset) for offset, _ in mentions.get(key, [])}
        named = ", ".join(dict.fromkeys(text for _, text in mentions.get(key, [])))
        for q in quantities:
            when, basis = _when(q, claim, taken, published)
            # Without the place's offsets (an older claims file) every number counts as tied.
            tied = not place_clauses or clause_of(sentence, q.start) in place_clauses
            rows.append(
                {
                    "subject": q.subject,
                    "value": q.value,
                    "low": q.low,
                    "high": q.high,
                    "speaker": speakers.get(claim.get("attribution") or "", ""),
                    "when": when,
                    "when_basis": basis,
                    "source": claim.get("source", ""),
                    "published": claim.get("published", ""),
                    "doc_id": claim["doc_id"],
                    "claim_id": claim["claim_id"],
                    "excerpt": claim["excerpt"],
                    "number_text": q.text,
                    "footnotes": claim.get("footnotes", ""),
                    "tied": tied,
                    "also_names": "" if tied else named,
                }
            )
    frame = pd.DataFrame(rows, columns=QUANTITY_COLUMNS)
    if frame.empty:
        return frame
    # The place's own numbers first; those only stated beside it after them.
    frame = frame.assign(_order=frame["when"].replace("", "9999"), _beside=~frame["tied"])
    return frame.sort_values(["_beside", "subject", "_order", "low"], kind="stable").drop(
        columns=["_order", "_beside"]
    )


def _when(q: Quantity, claim: dict, taken: set[str], published) -> tuple[str, str]:
    if q.when is not None:
        return q.when.iso, f"stated: “{q.when.text}”"
    if claim.get("date_basis") == "stated" and claim.get("date_text") not in taken:
        return str(claim["date"]), f"stated: “{claim.get('date_text', '')}”"
    reference = str(claim.get("reference") or "").split("\n")[0]
    cited = find_stated_date(reference, None) if reference else None
    if cited is not None:
        note = reference.split("]", 1)[0].lstrip("[")
        return cited.iso, f"date of the report cited in note [{note}]"
    if published is not None:
        return published.iso, "publication date"
    return "", "date unknown"


def subjects_with_disagreement(quantities: pd.DataFrame) -> list[str]:
    """Subjects stated with more than one value about the place: the ones to read side by side
    (numbers only stated beside the place are left out)."""
    if "tied" in quantities.columns:
        quantities = quantities[quantities["tied"].astype(bool)]
    if quantities.empty:
        return []
    values = quantities.groupby("subject")["value"].nunique()
    return sorted(values[values > 1].index)
