"""Cue words found once per document, so that a sentence is read by a cue's regular expression only
when one of the cue's anchors lies inside it.

An evidence module gives each of its patterns a few *anchors* (`Anchors`): literal words of which
every match of the pattern contains one. `CueScanner` finds every anchor of every pattern in a whole
document in one pass of a compiled Aho-Corasick automaton (ahocorasick-rs), and `DocumentCues.present`
then tells which patterns have an anchor inside a sentence's span. A pattern whose anchors are absent
cannot match there, so its search is skipped; where an anchor is present the pattern still decides.

Anchors are matched in `geo.text.scan.fold(text)` (as re.IGNORECASE matches ASCII letters) or as
written (for case-sensitive patterns), and optionally only where a word starts (for patterns that
open with \\b): the character before is not an ASCII letter, digit or underscore, or it lies outside
the span asked about. Each test only ever lets more sentences through than the pattern would match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick_rs

from geo.text.scan import fold

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Anchors:
    """The anchors of one pattern (`name`): every match of the pattern contains one of `words`,
    found in the folded text (`folded`, for a pattern that ignores case) or as written, and where
    a word starts when `word_start` (every match opens with the anchor, after a \\b)."""

    name: str
    words: tuple[str, ...]
    folded: bool = True
    word_start: bool = False

    def __post_init__(self) -> None:
        if not self.words or any(not word for word in self.words):
            raise ValueError(f"{self.name}: anchors must be non-empty words")
        if self.folded and any(fold(word) != word for word in self.words):
            raise ValueError(f"{self.name}: folded anchors are written in lower case")


class CueScanner:
    """The anchors of many patterns, compiled into at most two automata (folded text, text as
    written) that `scan` runs once over a document."""

    def __init__(self, anchors: Iterable[Anchors]):
        self.anchors = list(anchors)
        names = [a.name for a in self.anchors]
        if len(set(names)) != len(names):
            raise ValueError("pattern names must be unique")
        bit = {name: 1 << i for i, name in enumerate(names)}
        self._names = names
        self._automata = []
        for folded in (True, False):
            # One automaton entry per distinct (word, word_start); each entry marks its patterns.
            entries: dict[tuple[str, bool], int] = {}
            for a in self.anchors:
                if a.folded != folded:
                    continue
                for word in _fewest(a.words, a.word_start):
                    key = (word, a.word_start)
                    entries[key] = entries.get(key, 0) | bit[a.name]
            if not entries:
                continue
            keys = list(entries)
            automaton = ahocorasick_rs.AhoCorasick(
                [word for word, _ in keys], matchkind=ahocorasick_rs.MatchKind.Standard
            )
            self._automata.append(
                (folded, automaton, [entries[k] for k in keys], [ws for _, ws in keys])
            )
        self._sets: dict[int, frozenset[str]] = {0: _NOTHING}

    def scan(self, text: str) -> DocumentCues:
        """Every anchor occurrence in `text`, ready to be asked about spans."""
        hits: list[tuple[int, int, int, bool]] = []
        for folded, automaton, masks, word_starts in self._automata:
            found = automaton.find_matches_as_indexes(
                fold(text) if folded else text, overlapping=True
            )
            # The word-start test reads the text as written: a character before that is an ASCII
            # letter, digit or underscore is a word character for \b in any case.
            hits += [
                (start, end, masks[i], word_starts[i] and start > 0 and text[start - 1] in _WORD)
                for i, start, end in found
            ]
        hits.sort()
        return DocumentCues(self, hits)

    def names_of(self, mask: int) -> frozenset[str]:
        names = self._sets.get(mask)
        if names is None:
            names = self._sets[mask] = frozenset(
                name for i, name in enumerate(self._names) if mask >> i & 1
            )
        return names


class DocumentCues:
    """The anchors found in one document, by position."""

    def __init__(self, scanner: CueScanner, hits: Sequence[tuple[int, int, int, bool]]):
        self._scanner = scanner
        self._starts = [h[0] for h in hits]
        self._hits = hits

    def present(self, start: int, end: int) -> frozenset[str]:
        """The names of the patterns that have an anchor inside text[start:end] (a pattern named
        here may still not match; one not named cannot)."""
        hits, i, mask = self._hits, bisect_left(self._starts, start), 0
        while i < len(hits):
            hit_start, hit_end, hit_mask, inside_word = hits[i]
            if hit_start >= end:
                break
            # Searched alone, the span's first character starts a word whatever came before.
            if hit_end <= end and (not inside_word or hit_start == start):
                mask |= hit_mask
            i += 1
        return self._scanner.names_of(mask)


def _fewest(words: Iterable[str], word_start: bool) -> list[str]:
    """The words less those that hold another of them (at their start, for word-start anchors):
    wherever the longer one occurs, so does the shorter."""
    unique = sorted(set(words), key=lambda w: (len(w), w))
    kept: list[str] = []
    for word in unique:
        if not any(word.startswith(k) if word_start else k in word for k in kept):
            kept.append(word)
    return kept
