"""Split a sentence into clauses and phrases as character spans, so that each place can be read with
the words of its own clause ("Darnah in late 2015 and Sirte by December 2016": two phrases, two dates).

Rule-based: a clause ends at a comma, semicolon, colon, dash or bracket, and a new one starts at a
coordinating or subordinating conjunction ("and", "but", "while", "although", ...). A cut never
falls inside a span the caller protects (a date expression such as "between 2014 and 2015").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Punctuation that closes a phrase: the cut falls after it. A comma inside a number ("2,000") or a
# hyphen inside a word ("Turkey-Syria") is not one.
_PUNCTUATION = re.compile(r"[;:()\[\]]|,(?!\d)|\s[—–-]{1,2}\s|—")
# Words that open a new clause: the cut falls before them.
_CONJUNCTION = re.compile(
    r"(?<=\s)(?:and|but|or|nor|while|whilst|whereas|although|though|because|yet)\b",
    re.IGNORECASE,
)


def clause_spans(
    sentence: str, protected: Iterable[tuple[int, int]] = (), commas: bool = True
) -> list[tuple[int, int]]:
    """Spans (start, end) that tile the sentence from 0 to len(sentence), in order; no cut falls
    strictly inside a protected span. With commas=False only conjunctions and the stronger
    punctuation cut: "and Raqqa, Syria, in 2015" stays one conjunct."""
    if not isinstance(sentence, str) or not sentence:
        return []
    guarded = sorted(protected)
    cuts = {m.end() for m in _PUNCTUATION.finditer(sentence) if commas or m.group() != ","}
    cuts |= {m.start() for m in _CONJUNCTION.finditer(sentence)}
    cuts = sorted(c for c in cuts if 0 < c < len(sentence) and not _inside(c, guarded))
    spans = []
    start = 0
    for cut in cuts:
        if cut > start:
            spans.append((start, cut))
            start = cut
    spans.append((start, len(sentence)))
    return spans


def clause_at(spans: list[tuple[int, int]], position: int) -> int:
    """Index of the span holding `position` (the last span for a position at or past the end)."""
    for k, (start, end) in enumerate(spans):
        if start <= position < end:
            return k
    return len(spans) - 1


def _inside(cut: int, protected: list[tuple[int, int]]) -> bool:
    return any(start < cut < end for start, end in protected)
