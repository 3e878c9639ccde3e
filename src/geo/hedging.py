"""How firmly a sentence states its claim: "reportedly", "rumors", "estimated", "confirmed", ...

Rule-based on purpose, like `geo.attribution`: a short list of cue words per level, read with regular
expressions. A sentence with no cue is a plain statement (""). When several cues are present the
weakest wins ("confirmed reports that may ..." is as firm as its weakest word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Weakest first: the order in which cues win, and the order the filter lists them in.
HEDGING_LEVELS = (
    "rumoured",
    "denied",
    "unconfirmed",
    "speculative",
    "claimed",
    "reported",
    "believed",
    "estimated",
    "confirmed",
)
HEDGING_LABELS = {
    "rumoured": "rumoured (rumors, hearsay)",
    "denied": "denied",
    "unconfirmed": "unconfirmed (did not confirm)",
    "speculative": "speculative (may, could, probably)",
    "claimed": "claimed (claimed responsibility, alleged)",
    "reported": "reported (reportedly, according to reports)",
    "believed": "believed (believed, it seems)",
    "estimated": "estimated (estimated, assessed)",
    "confirmed": "confirmed",
    "": "plain statement (no hedge word)",
}

_CUES: dict[str, str] = {
    "rumoured": r"rumou?rs?|rumou?red(?:ly)?|hearsay|unverified",
    "denied": r"denie[sd]|deny(?:ing)?",
    "unconfirmed": (
        r"unconfirmed|(?:did|do|does|could|would|has|have|had)\s+not\s+(?:yet\s+)?"
        r"(?:confirm|verify)|(?:didn['’]t|don['’]t|doesn['’]t|couldn['’]t|can(?:no|['’])t)\s+"
        r"(?:confirm|verify)|not\s+(?:been\s+)?(?:confirmed|verified)|no\s+evidence"
    ),
    "speculative": (
        # "may" only in lower case: "May 2016" is a month.
        r"(?-i:may)|might|could|possibl[ey]|probabl[ey]|likely|perhaps|presumabl[ey]"
    ),
    "claimed": (
        r"claim(?:s|ed|ing)?\s+responsibility|claim(?:s|ed)|alleged(?:ly)?|allege[sd]?|purported(?:ly)?"
    ),
    "reported": (
        r"reportedly|(?:according\s+to|per)\s+(?:some|various|several|many|unnamed|media|press|"
        r"local|other)?\s*(?:reports|sources|media)|reports?\s+(?:say|said|suggest(?:s|ed)?|"
        r"indicate[sd]?)|(?:it\s+)?(?:was|were|is|are|has\s+been|have\s+been)\s+reported|sources\s+say"
    ),
    "believed": (
        r"(?:is|are|was|were|been)\s+(?:widely\s+)?(?:believed|thought|suspected|understood)|"
        r"apparently|it\s+seems|seem(?:s|ed)?\s+to|appear(?:s|ed)?\s+to|suspect(?:s|ed)?"
    ),
    "estimated": (
        r"estimat(?:e|es|ed|ing)|evaluat(?:e|es|ed|ing)|assess(?:es|ed|ing)?|assessments?|"
        r"approximately|roughly"
    ),
    "confirmed": r"confirm(?:s|ed|ing)?|verified|officially",
}
_PATTERNS = {level: re.compile(rf"\b(?:{_CUES[level]})\b", re.IGNORECASE) for level in _CUES}
# Every cue of every level in one pattern, weakest level first, to scan a sentence once.
_ANY_CUE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{level}>{_CUES[level]})" for level in HEDGING_LEVELS) + r")\b",
    re.IGNORECASE,
)
_RANK = {level: rank for rank, level in enumerate(HEDGING_LEVELS)}


@dataclass(frozen=True)
class Hedge:
    """The firmness level of a sentence ("" for a plain statement) and the words it was read from."""

    level: str
    cue: str = ""


def find_hedging(sentence: str) -> Hedge:
    """The weakest hedge the sentence uses, with its words, or Hedge("") when it has none."""
    if not isinstance(sentence, str) or not sentence.strip():
        return Hedge("")
    text = " ".join(sentence.split())
    # One scan finds levels whose cues occur; the weakest of them bounds the answer. A cue hidden
    # under an overlapping match is caught by checking every level up to that bound, in order.
    found = [_RANK[m.lastgroup] for m in _ANY_CUE.finditer(text)]
    if not found:
        return Hedge("")
    for level in HEDGING_LEVELS[: min(found) + 1]:
        match = _PATTERNS[level].search(text)
        if match is None:
            continue
        if level == "confirmed" and _PATTERNS["unconfirmed"].search(text):
            continue  # "did not confirm" was already handled as the weaker level
        return Hedge(level, match.group())
    return Hedge("")


def hedging_label(level: str) -> str:
    """'reported (reportedly, according to reports)': what the filter and the panel show."""
    return HEDGING_LABELS.get(level if isinstance(level, str) else "", str(level))
