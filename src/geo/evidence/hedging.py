"""How firmly a sentence states its claim: "reportedly", "rumors", "estimated", "confirmed", ...

Rule-based on purpose, like `geo.evidence.attribution`: a short list of cue words per level, read with regular
expressions. A sentence with no cue is a plain statement (""). When several cues are present the
weakest wins ("confirmed reports that may ..." is as firm as its weakest word).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from geo.text.cues import Anchors
from geo.text.scan import fold, has_any

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
        r"indicate[sd]?)|(?:it\s+)?(?:was|were|is|are|has\s+been|have\s+been)\s+reported|"
        r"sources\s+say|"
        # Someone's report, not the writer's own statement: "correspondents ... have recently
        # reported that", "Der Spiegel reported that".
        r"(?:has|have|had)\s+(?:(?:also|recently|previously|earlier|already|now|just)\s+)?reported|"
        r"reported\s+that"
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
# Every match of a level's cues contains one of its anchors (see geo.text.scan): a sentence holding
# none of them is not searched for that level. Most sentences hold none of any level's.
_ANCHORS: dict[str, tuple[str, ...]] = {
    "rumoured": ("rumo", "hearsay", "unverified"),
    "denied": ("deni", "deny"),
    "unconfirmed": ("confirm", "verif", "evidence"),
    "speculative": (
        "may", "might", "could", "possibl", "probabl", "likely", "perhaps", "presumabl",
    ),
    "claimed": ("claim", "alleg", "purport"),
    "reported": ("report", "sources", "media"),
    "believed": ("believed", "thought", "suspect", "understood", "apparently", "seem", "appear"),
    "estimated": ("estimat", "evaluat", "assess", "approximately", "roughly"),
    "confirmed": ("confirm", "verified", "officially"),
}  # fmt: skip
# The same anchors, for finding them once per document (geo.text.cues).
CUES = tuple(Anchors(f"hedging.{level}", words) for level, words in _ANCHORS.items())
_CUE_OF = {level: f"hedging.{level}" for level in _ANCHORS}
_HEDGING_CUES = frozenset(_CUE_OF.values())


@dataclass(frozen=True)
class Hedge:
    """The firmness level of a sentence ("" for a plain statement) and the words it was read from."""

    level: str
    cue: str = ""


_PLAIN = Hedge("")


def find_hedging(sentence: str, cues: AbstractSet[str] | None = None) -> Hedge:
    """The weakest hedge the sentence uses, with its words, or Hedge("") when it has none.
    `cues`, when given, names the patterns whose anchors the sentence holds (`geo.text.cues`)."""
    if not isinstance(sentence, str) or (cues is not None and cues.isdisjoint(_HEDGING_CUES)):
        return _PLAIN
    if not sentence.strip():
        return _PLAIN
    folded = fold(sentence) if cues is None else ""
    text = ""
    # Levels in order, weakest first: the first whose cues occur is the answer ("did not confirm"
    # is read as unconfirmed before "confirm" could be read as confirmed).
    for level in HEDGING_LEVELS:
        if not (has_any(folded, _ANCHORS[level]) if cues is None else _CUE_OF[level] in cues):
            continue
        text = text or " ".join(sentence.split())
        match = _PATTERNS[level].search(text)
        if match is None:
            continue
        return Hedge(level, match.group())
    return _PLAIN


def hedging_label(level: str) -> str:
    """'reported (reportedly, according to reports)': what the filter and the panel show."""
    return HEDGING_LABELS.get(level if isinstance(level, str) else "", str(level))
