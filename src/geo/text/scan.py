"""Cheap pre-checks that let the claim analysers skip a regular expression that cannot match.

Most sentences hold none of the words a cue pattern looks for, and a case-insensitive pattern with
many alternatives costs far more per character than Python's substring search. So a pattern gets a
few *anchors*: lower-case letter sequences of which every match of the pattern contains at least one.
`fold(text)` lower-cases a text so that `any(anchor in fold(text) ...)` is false only when the
pattern (matched with re.IGNORECASE) has no match; the pattern itself still decides when it is true.

Why `str.lower()` alone is not enough: re.IGNORECASE also matches "ı" and "İ" to "i", "ſ" to "s" and
the Kelvin sign to "k", and "İ".lower() is two characters. `fold` maps those four to their ASCII
letter first; tests/test_textscan.py checks over every code point that a character matches an ASCII
letter under re.IGNORECASE exactly when `fold` gives that letter, and that `fold` keeps the length
and whether each character is a letter, digit or space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters re.IGNORECASE matches to an ASCII letter that str.lower() does not lower to one.
_FOLD_FIRST = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_NEEDS_FOLD_FIRST = re.compile("[\u0130\u0131\u017f\u212a]")


def fold(text: str) -> str:
    """`text` lower-cased for anchor checks: same length, one character for each character."""
    if not text.isascii() and _NEEDS_FOLD_FIRST.search(text):
        text = text.translate(_FOLD_FIRST)
    return text.lower()


def letter_variants(letter: str) -> str:
    """Every character that re.IGNORECASE matches to the ASCII letter `letter` ("Kk\u212a" for
    "k"): a character class that finds the letter in any case without the IGNORECASE flag, which
    would keep the engine from skipping ahead to the characters a pattern can start with."""
    low = letter.lower()
    return low.upper() + low + "".join(chr(c) for c, a in _FOLD_FIRST.items() if a == low)


def has_any(folded: str, anchors: Iterable[str]) -> bool:
    """Whether the folded text contains one of the anchors."""
    for anchor in anchors:
        if anchor in folded:
            return True
    return False


def word_start_alternation(words: Iterable[str], *, regex: bool = False) -> str:
    r"""A regex matching one of `words` where a word starts, like `\b(?:w1|w2|...)` for words that
    begin with a word character, but written as a choice between literal first characters, each
    followed by the `\b` test as a look-behind: the regex engine then skips straight to the
    positions holding one of those characters instead of trying every alternative everywhere.
    Alternatives keep their order among words with the same first character (the others cannot
    match at the same place). With `regex`, the words are patterns whose first character is a
    literal word character ("Jan\\.?")."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:] if regex else re.escape(word[1:]))
    # After the first character c at position p, "(?<!\w.)" holds when p is the text's start or
    # text[p - 1] is not a word character: \b at p, since c is a word character.
    return (
        "(?:"
        + "|".join(
            f"{re.escape(first)}(?<!\\w.)(?:{'|'.join(rests)})" for first, rests in by_first.items()
        )
        + ")"
    )
