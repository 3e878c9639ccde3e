"""People moving between places: "travelled to Syria", "returned to Europe", "left Syria and Iraq".

A sentence describes a movement when it has a movement verb (travel, return, flee, flow, ...). In such a
sentence a place is a destination after "to", "into" or "towards" (a few words may come between: "to
the Taliban 'liberated' territory in Afghanistan"), an origin after "from" or "out of" or right after
"left", "fled" or "escape"; places listed with "and"/"or"/commas share the role of the first. People
named by a demonym ("Trinidadians", "Lebanese militants") come from that place when the sentence
states no other origin. Flows (arcs) pair each origin with each destination of one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import pandas as pd

from geo.text.cues import Anchors
from geo.text.scan import fold

ORIGIN, DESTINATION = "origin", "destination"

_MOVE_VERB = re.compile(
    r"\b(?:travel(?:l?ed|l?ing|s)?|went|go(?:es|ing|ne)?|return(?:s|ed|ing)?|returnees?|"
    r"flow(?:s|ed|ing)?|fle(?:e|es|eing|d)|escap(?:e|es|ed|ing)|mov(?:e|es|ed|ing)|"
    r"head(?:s|ed|ing)|arriv(?:e|es|ed|ing)|reach(?:es|ed|ing)?|cross(?:es|ed|ing)|sent|send|"
    r"deport(?:ed|ing)?|transfer(?:red|ring)?|relocat(?:e|ed|ing)|migrat(?:e|ed|ing)|"
    r"infiltrat(?:e|ed|ing)|expand(?:s|ed|ing)?|left|leav(?:e|es|ing)|sweep|en\s+route|"
    r"smuggl(?:e|ed|ing)|withdr[ae]w(?:n|ing)?|retreat(?:s|ed|ing)?|come|came|coming|"
    r"(?:forc|driv|push|throw|thrown|threw|kick)(?:e|es|ed|en|ing)?\s+out|expel(?:s|led|ling)?|"
    r"evacuat(?:e|es|ed|ing)|displac(?:e|es|ed|ing)|exiled?|influx|returners?)\b",
    re.IGNORECASE,
)
# The same pattern, case-sensitive, over geo.text.scan.fold(sentence): it matches exactly where
# _MOVE_VERB does (fold maps a character to a lower-case ASCII letter exactly when re.IGNORECASE
# matches it to that letter, and keeps word and space characters), at a quarter of the cost.
_MOVE_VERB_FOLDED = re.compile(_MOVE_VERB.pattern)
# Anchors of _MOVE_VERB (geo.text.cues): each alternative opens with one where a word starts, or
# holds one after a space ("en route", "forced out"), so a sentence without any has no movement
# verb.
_MOVE_CUE = "movements.verb"
_MOVE_ANCHORS = (
    "travel went go return flow fle escap mov head arriv reach cross sent send deport transfer "
    "relocat migrat infiltrat expand left leav sweep route smuggl withdr retreat come came coming "
    "out expel evacuat displac exile influx"
)
CUES = (Anchors(_MOVE_CUE, tuple(_MOVE_ANCHORS.split()), word_start=True),)
# What comes right before a place (after `_FILLER` words) and the role it gives.
# Up to five words, none a verb helper, relative pronoun or conjunction: "to the Taliban 'liberated'
# territory in Afghanistan" yes, "from ISIS have stood in Turkey" no.
_FILLER = (
    r"(?:(?!(?:have|has|had|is|are|was|were|will|would|be|been|that|who|which|and|or|but|"
    r"said|says|because|since|while|as|when|where|after|before|until|if|within)\b)"
    r"[^\s.;:!?,\d]+\s+){0,5}?"
)
_CUE_WORD = re.compile(
    # "according to", "due to", "relevant to" name no destination.
    r"\b(?:(?P<dest>(?<!according\s)(?<!due\s)(?<!next\s)(?<!relevant\s)(?<!close\s)"
    r"(?<!compared\s)(?<!threat\s)(?<!response\s)(?<!allied\s)(?<!loyal\s)to|into|towards?|for)|(?P<origin>from|out\s+of)|"
    r"(?P<verb>left|leaving|leave|fled|flee|fleeing|escaped?|escaping|quit|expelled\s+from))\s+",
    re.IGNORECASE,
)
# "from" after these nouns says where an act or a word comes from, not a person: "a military
# response from Iran", "support from Russia", "a statement from Damascus".
_NOT_PEOPLE_FROM = re.compile(
    r"\b(?:response|responses|reaction|retaliation|support|help|aid|assistance|pressure|threats?|"
    r"statements?|messages?|calls?|permission|approval|funding|orders?|warnings?|criticism|"
    r"condemnation|backing|recognition|signals?|sanctions|intervention|answer|reply|letters?|"
    r"requests?|demands?|protests?|objections?|opposition|resistance|fire|shelling|strikes?|"
    r"airstrikes?|attacks?)\s+$",
    re.IGNORECASE,
)
# A place that receives people: "France is currently witnessing the biggest flow of returners",
# "Germany has seen an influx of refugees".
_RECEIVES = re.compile(
    r"(?:[’']s)?\s+(?:(?:is|are|was|were|has|have|had|been|be|will|would|may|might|could|also|"
    r"now|currently|already|still|increasingly|recently|itself)\s+)*"
    r"(?:witness|see|saw|seen|receiv|experienc|fac|host|absorb|welcom|record|register)\w*\s+"
    r"(?:(?:the|a|an|its|their|his|her|this|that|biggest|largest|greatest|highest|growing|steady|"
    r"new|major|massive|huge|large|small|first|second|significant|continuing|constant|rising)\s+)*"
    r"(?:flows?|influx(?:es)?|arrivals?|waves?|streams?|returns?|surges?)\s+of\s+(?:(?!by|from|of|on|against|in)\w+\s+){0,2}?"
    r"(?:returners?|returnees?|refugees|migrants|immigrants|asylum|fighters|militants|jihadis|"
    r"jihadists|recruits|volunteers|people|families|displaced)\b",
    re.IGNORECASE,
)
_AFTER_PREPOSITION = re.compile(rf"^{_FILLER}$")
_AFTER_VERB = re.compile(r"^(?:the\s+)?$", re.IGNORECASE)
_LIST_JOIN = re.compile(
    r"^\s*(?:(?:countries|states|nations|provinces|regions)\s*)?(?:,\s*)?"
    r"(?:(?-i:[A-Z])[\w-]*\s*,?\s*)?(?:(?:and|or|as\s+well\s+as)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"^\s*\[\d+\]")  # a line of a reference list cites, it does not claim
_LANDS_AFTER = re.compile(r"^\s+(?:countries|states|nations|lands|territor(?:y|ies)|soil)\b")
_PEOPLE_AFTER = re.compile(
    r"^\s+(?:citizens|nationals|fighters|militants|jihadis|jihadists|recruits|men|women|"
    r"volunteers|returnees|refugees)\b"
)


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the sentence
    end: int
    mention_type: str = "toponym"  # or "demonym"


def movement_roles(sentence: str, mentions: Sequence[Mention]) -> list[str]:
    """ORIGIN, DESTINATION or "" for each mention of `sentence`, in the order given."""
    if not states_movement(sentence):
        return [""] * len(mentions)
    return moving_roles(sentence, mentions)


def states_movement(sentence: str, cues: AbstractSet[str] | None = None) -> bool:
    """Whether the sentence has a movement verb (and is not a line of a reference list): the
    sentences where `movement_roles` can give a place a role. `cues`, when given, names the
    patterns whose anchors the sentence holds (`geo.text.cues`)."""
    if cues is not None and _MOVE_CUE not in cues:
        return False
    return bool(_MOVE_VERB_FOLDED.search(fold(sentence))) and not _REFERENCE.match(sentence)


def moving_roles(sentence: str, mentions: Sequence[Mention]) -> list[str]:
    """`movement_roles` of a sentence that `states_movement`."""
    roles = [""] * len(mentions)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    previous: int | None = None
    for i in order:
        m = mentions[i]
        before = sentence[max(0, m.start - 80) : m.start]
        if previous is not None and _LIST_JOIN.match(sentence[mentions[previous].end : m.start]):
            roles[i] = roles[previous]
        elif m.mention_type == "toponym" and _RECEIVES.match(sentence, m.end):
            roles[i] = DESTINATION
        else:
            # A cue counts only after the previous place: "to Europe because Turkey ..." does not
            # send anyone to Turkey.
            floor = 0 if previous is None else mentions[previous].end - (m.start - len(before))
            roles[i] = _nearest_cue(before, sentence, m, max(0, floor))
        previous = i
    if DESTINATION in roles and ORIGIN not in roles:
        for i, m in enumerate(mentions):
            if m.mention_type == "demonym" and not roles[i] and _is_people(sentence, m):
                roles[i] = ORIGIN
    return roles


def _nearest_cue(before: str, sentence: str, m: Mention, floor: int = 0) -> str:
    """The role given by the cue closest before the mention ("from A into B": B is a destination)."""
    for cue in reversed(list(_CUE_WORD.finditer(before, floor))):
        tail = before[cue.end() :]
        if cue["verb"]:
            return ORIGIN if _AFTER_VERB.match(tail) else ""
        if not _AFTER_PREPOSITION.match(tail):
            return ""
        if cue["origin"]:
            if _NOT_PEOPLE_FROM.search(before, 0, cue.start()):
                return ""
            return ORIGIN
        lands = m.mention_type == "toponym" or _LANDS_AFTER.match(sentence[m.end :])
        return DESTINATION if lands else ""
    return ""


def _is_people(sentence: str, m: Mention) -> bool:
    word = sentence[m.start : m.end]
    return word.endswith("s") or bool(_PEOPLE_AFTER.match(sentence[m.end :]))


FLOW_COLUMNS = ["origin_id", "destination_id", "n_claims", "n_docs", "excerpt"]


def flows(claims: pd.DataFrame) -> pd.DataFrame:
    """Origin -> destination pairs stated in one sentence, counted over `claims` (FLOW_COLUMNS)."""
    if claims.empty or "movement" not in claims.columns:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    moving = claims[claims["movement"].isin([ORIGIN, DESTINATION])]
    pairs = []
    for (doc_id, _), sentence in moving.groupby(["doc_id", "excerpt_start"], sort=False):
        origins = sentence.loc[sentence["movement"] == ORIGIN, "place_id"].unique()
        destinations = sentence.loc[sentence["movement"] == DESTINATION, "place_id"].unique()
        excerpt = str(sentence["excerpt"].iloc[0])
        pairs += [(o, d, doc_id, excerpt) for o in origins for d in destinations if o != d]
    if not pairs:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    frame = pd.DataFrame(pairs, columns=["origin_id", "destination_id", "doc_id", "excerpt"])
    return (
        frame.groupby(["origin_id", "destination_id"], sort=True)
        .agg(
            n_claims=("doc_id", "size"), n_docs=("doc_id", "nunique"), excerpt=("excerpt", "first")
        )
        .reset_index()[FLOW_COLUMNS]
    )
