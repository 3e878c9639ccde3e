"""Split a document into sentences as character spans, so every claim can point back into the text.

Linear and regex-based (a corpus may be tens of megabytes): blank lines end paragraphs, terminal
punctuation ends sentences unless it closes an abbreviation or initial, and single line breaks end a
sentence only where the line looks like a heading or a list item rather than wrapped prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_SENTENCE_CHARS = 1500

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# Terminal punctuation, an ellipsis written ". . .", closing quotes/brackets and footnote markers
# ("Afghanistan.[22]") stay with the sentence they end.
_TERMINAL = re.compile(
    r"[.!?…](?:[^\S\n]?[.!?…])*"
    r"(?:[\"'”’»)\]]|\[\d{1,4}(?:[-–,]\s?\d{1,4})*\])*"
    r"(?=\s|$)"
)
_WORD = re.compile(r"\w+|\S")
# The word before a period ("Gen", "U.S"): letters, dots between them, within 30 characters. Read
# backwards from the period in the reversed text (`_word_before`), in one match from its end.
WORD_BEFORE_CHARS = 30
_WORD_BEFORE_REVERSED = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*")
# Titles before a name never end a sentence ("Gen. John Nicholson").
_TITLES = {
    "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "brig", "cmdr", "dr", "mr",
    "mrs", "ms", "messrs", "prof", "sen", "rep", "gov", "st", "rev", "hon", "pres", "mt", "ft",
    "vs", "cf", "approx", "ca", "al",
}  # fmt: skip
# Abbreviations that come before a number ("No. 4", "Vol. 10", "Jan. 26").
_BEFORE_NUMBER = {
    "no", "nos", "vol", "vols", "p", "pp", "art", "fig", "ch", "sec", "para", "op", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
# After an initial or a dotted acronym ("J. Weston", "the U.S. State Department") a capitalised word
# usually continues the name; these words usually start a new sentence instead.
_SENTENCE_STARTERS = {
    "the", "this", "that", "these", "those", "it", "its", "in", "on", "at", "for", "from", "by",
    "with", "as", "but", "and", "or", "if", "when", "while", "after", "before", "since", "however",
    "moreover", "according", "he", "she", "they", "we", "i", "a", "an", "there", "their", "his",
    "her", "our", "some", "many", "most", "all", "one", "meanwhile", "yet", "so", "such", "what",
    "who", "why", "how", "where", "other", "both", "during", "although", "thus", "then", "still",
}  # fmt: skip
_OPENERS = "\"'“‘«([¿¡"
# A line that ends like this continues on the next line ("the head of\nBritish intelligence").
_CONTINUING_CHARS = tuple(",([/&+=–—-")
_CONTINUING_WORDS = {
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "that",
    "as", "but", "his", "her", "its", "their", "our", "is", "are", "was", "were", "than", "into",
    "between", "de", "al",
}  # fmt: skip
_LIST_ITEM = re.compile(r"[^\S\n]*(?:[-*•·▪–—]\s|\d{1,3}[.)]\s|\[\d{1,4}\]|[a-z][.)]\s)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in document order; text[start:end] is a sentence without the
    whitespace around it, and every non-space character of the text lies in exactly one span."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int]] = []
    backwards = text[::-1]
    for para_start, para_end in _paragraphs(text):
        cuts = {
            *_line_cuts(text, para_start, para_end),
            *_punctuation_cuts(text, para_start, para_end, backwards),
        }
        start = para_start
        for cut in [*sorted(cuts), para_end]:
            _add_stripped(text, start, cut, spans)
            start = cut
    return spans


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans between blank lines."""
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _punctuation_cuts(text: str, start: int, end: int, backwards: str) -> Iterator[int]:
    """Offsets after terminal punctuation that ends a sentence (`backwards`: the text reversed)."""
    for m in _TERMINAL.finditer(text, start, end):
        following = _next_word(text, m.end(), end)
        if following is None:
            continue
        if following[:1].islower():
            continue  # "U.S. intelligence", ". . . they will": the sentence goes on
        if m.group()[0] == "." and not _ends_sentence_after_period(
            text, m.start(), following, backwards
        ):
            continue
        yield m.end()


def _next_word(text: str, pos: int, end: int) -> str | None:
    """The word starting the next sentence candidate, opening quotes and brackets skipped."""
    while pos < end and text[pos].isspace():
        pos += 1
    while pos < end and text[pos] in _OPENERS:
        pos += 1
    if pos >= end:
        return None
    m = _WORD.match(text, pos, min(end, pos + 40))
    return m.group() if m else None


def word_before(text: str, period: int, backwards: str) -> str | None:
    """The longest run of letters with single dots between them ("U.S") that ends right before
    `period` (or before a line break there), within WORD_BEFORE_CHARS characters; None when a
    letter does not end there. `backwards` is text[::-1]: the run is matched from its end."""
    start = max(0, period - WORD_BEFORE_CHARS)
    end = period - 1 if period > start and text[period - 1] == "\n" else period
    n = len(text)
    m = _WORD_BEFORE_REVERSED.match(backwards, n - end, n - start)
    return None if m is None else text[end - (m.end() - m.start()) : end]


def _ends_sentence_after_period(text: str, period: int, following: str, backwards: str) -> bool:
    word = word_before(text, period, backwards)
    if word is None:
        # After a number: "in 2015. The" ends a sentence, "July 28. 2016" is a typo inside one.
        return not following[:1].isdigit()
    lower = word.lower()
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER and following[:1].isdigit():
        return False
    if lower in {"e.g", "i.e", "viz"}:
        return False
    is_initial = len(word) == 1 and word.isupper()
    is_acronym = "." in word
    if is_initial or is_acronym:
        return following.lower() in _SENTENCE_STARTERS or following[:1].isdigit()
    return True


def _line_cuts(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets of line starts that begin a new sentence although no punctuation ends the previous
    line: headings, short lines and list items. Wrapped prose paragraphs are left alone."""
    lines = _lines(text, start, end)
    if len(lines) < 2:
        return
    wrapped = _looks_hard_wrapped([text[s:e].strip() for s, e in lines])
    for (prev_start, prev_end), (line_start, line_end) in zip(lines, lines[1:], strict=False):
        line = text[line_start:line_end]
        first = _next_word(text, line_start, line_end)
        if first is None:
            continue
        if _LIST_ITEM.match(line):
            yield line_start
            continue
        if first[:1].islower() or wrapped:
            continue
        if not _continues(text[prev_start:prev_end]):
            yield line_start


def _continues(line: str) -> bool:
    line = line.rstrip()
    if line.endswith(_CONTINUING_CHARS):
        return True
    last = line.rsplit(None, 1)[-1] if line else ""
    return last.lower() in _CONTINUING_WORDS


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    pos = start
    while pos <= end:
        newline = text.find("\n", pos, end)
        if newline == -1:
            lines.append((pos, end))
            break
        lines.append((pos, newline))
        pos = newline + 1
    return lines


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """True for prose wrapped at a fixed width: three or more lines whose lengths (all but the last)
    are similar and under 100 characters."""
    body = [len(line) for line in lines[:-1]]
    if len(lines) < 3 or not body:
        return False
    return min(body) >= 40 and max(body) <= 100 and max(body) - min(body) <= 25


def _add_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append text[start:end] without surrounding whitespace, in pieces no longer than the cap."""
    start, end = _strip_span(text, start, end)
    while end - start > MAX_SENTENCE_CHARS:
        cut = _long_cut(text, start, end)
        piece = _strip_span(text, start, cut)
        if piece[0] < piece[1]:
            spans.append(piece)
        start, end = _strip_span(text, cut, end)
    if start < end:
        spans.append((start, end))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    # Index arithmetic rather than slicing: slicing the rest of a long run at every cut is quadratic.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _long_cut(text: str, start: int, end: int) -> int:
    """Where to break an over-long run: the last line break, else the last space, within the cap."""
    limit = start + MAX_SENTENCE_CHARS
    for sep in ("\n", " "):
        cut = text.rfind(sep, start + 1, limit)
        if cut > start and text[start:cut].strip():
            return cut
    return limit
