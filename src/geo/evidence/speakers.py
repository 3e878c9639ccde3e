"""Who is speaking, as one name per person or body: "Zamir Kabulov, the Russian ... director",
"Kabulov" and "the same Kabulov" are one source.

An attribution is cut to its head (before the first comma or parenthesis, without "the same" and
similar openers); heads that end with a shorter head's words are the same speaker, named by the
shortest head of two or more words ("Zamir Kabulov"), else by the head itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NO_SPEAKER = "(not attributed)"

_OPENERS = re.compile(r"^(?:(?:the|a|an)\s+)?(?:same|said|aforementioned|above)\s+", re.IGNORECASE)


def attribution_head(attribution: str) -> str:
    """'Zamir Kabulov, the Russian ... director' -> 'Zamir Kabulov'; 'the same Kabulov' -> 'Kabulov'."""
    if not isinstance(attribution, str):
        return ""
    head = re.split(r"[,;(]", attribution, maxsplit=1)[0]
    head = _OPENERS.sub("", " ".join(head.split()))
    return head.strip(" .:")


def speaker_names(attributions: Iterable[str]) -> dict[str, str]:
    """Every non-empty attribution -> the name of its speaker, merged across spellings."""
    heads = {a: attribution_head(a) for a in set(attributions) if isinstance(a, str) and a.strip()}
    distinct = {h for h in heads.values() if h}
    # Heads by their word tuples, and every head under each of its proper word suffixes: finding
    # the heads a head ends with, or that end with it, is then a look-up, not a scan of all heads
    # (a corpus of thousands of documents has tens of thousands of distinct attributions).
    by_words: dict[tuple[str, ...], set[str]] = {}
    by_suffix: dict[tuple[str, ...], set[str]] = {}
    for h in distinct:
        words = tuple(h.split())
        by_words.setdefault(words, set()).add(h)
        for k in range(1, len(words)):
            by_suffix.setdefault(words[k:], set()).add(h)

    def name_for(head: str) -> str:
        if not head:
            return ""
        # This head, the capitalised heads it ends with, and the heads that end with it.
        words = tuple(head.split())
        group = {head}
        for k in range(1, len(words)):
            group |= {h for h in by_words.get(words[k:], ()) if h[:1].isupper()}
        if head[:1].isupper():
            group |= by_suffix.get(words, set())
        named = [h for h in group if len(h.split()) >= 2 and h[:1].isupper()]
        return min(named, key=lambda h: (len(h.split()), h)) if named else head

    return {a: name_for(h) or a for a, h in heads.items()}


_DETERMINER_HEAD = re.compile(
    r"^(?:the|a|an|some|several|many|various|one|two|three|four|five|six|its|their|his|her|this|"
    r"that|these|those|other|another|both|all|each|every|no|most)\b",
    re.IGNORECASE,
)
_NOUN_END = re.compile(r"\s(?:in|of|from|at|for|with|on|to|by)\s")


def antecedent(pronoun: str, earlier: Iterable[str]) -> str:
    """Who a speaking pronoun refers to: the nearest earlier attribution (nearest first), when it
    fits: "he"/"she" a named person ("Gen. John Nicholson, ...", "Kabulov"), "they" a plural
    ("Iraqi commanders", "military correspondents in Iraq"). "" when the nearest does not fit."""
    for attribution in earlier:
        if not isinstance(attribution, str) or not attribution.strip():
            continue
        head = attribution_head(attribution)
        return attribution if _fits(pronoun, head) else ""
    return ""


def _fits(pronoun: str, head: str) -> bool:
    words = head.split()
    if not words:
        return False
    if pronoun == "they":
        noun = _NOUN_END.split(head, maxsplit=1)[0].split()
        last = noun[-1] if noun else ""
        return last.islower() and last.endswith("s") and not last.endswith("ss")
    # A person is named: capitalised, not "the ministry" or "some reports", not an acronym (MI6),
    # not a bare plural opening a sentence ("Experts say").
    if len(words) == 1 and head.endswith("s"):
        return False
    return head[:1].isupper() and not _DETERMINER_HEAD.match(head) and not head.isupper()
