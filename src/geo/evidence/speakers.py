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
