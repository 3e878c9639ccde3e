"""Numbered notes: "... to between 1,000 and 1,500.[22]" and, at the end, "[22] AP, July 28. 2016."

A reference is a line that opens with "[n]"; a note marker is "[n]" anywhere else. A sentence cites the
markers inside it, else the first marker after it in the same paragraph (analysts often put one note
at the end of a paragraph that covers all of it). "Ibid." is the reference before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from geo.evidence.dates import PartialDate, find_stated_date

_REFERENCE_LINE = re.compile(r"(?m)^[ \t\u00a0]*\[(\d{1,3})\][ \t\u00a0]*(\S.*)$")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_IBID = re.compile(r"^ibid\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    number: int
    text: str  # as written, "Ibid." replaced by the reference it repeats
    date: PartialDate | None  # the date the reference states (when the cited piece appeared)
    start: int  # offset of the line in the document


class Notes:
    """The reference list of one document and the note markers in its text."""

    def __init__(self, text: str):
        self.text = text
        self.references: dict[int, Reference] = {}
        previous: Reference | None = None
        for m in _REFERENCE_LINE.finditer(text):
            number, body = int(m[1]), " ".join(m[2].split())
            if _IBID.match(body) and previous is not None:
                body = f"{previous.text} (ibid.)"
                date = previous.date
            else:
                date = find_stated_date(body, None)
            ref = Reference(number, body, date, m.start())
            self.references.setdefault(number, ref)
            previous = ref
        line_starts = {r.start for r in self.references.values()}
        self._reference_lines = {r.start: r.number for r in self.references.values()}
        self._markers = [
            (m.start(), int(m[1]))
            for m in _MARKER.finditer(text)
            if int(m[1]) in self.references and not self._opens_reference(m.start(), line_starts)
        ]
        self._marker_positions = [pos for pos, _ in self._markers]

    def _opens_reference(self, pos: int, line_starts: set[int]) -> bool:
        line_start = self.text.rfind("\n", 0, pos) + 1
        return line_start in line_starts and not self.text[line_start:pos].strip(" \t\u00a0")

    def cited_by(self, start: int, end: int) -> list[Reference]:
        """The references the sentence text[start:end] cites (see the module docstring)."""
        if not self._markers:
            return []
        # Markers are in text order: find the first at or after `start` by bisection.
        i = bisect_left(self._marker_positions, start)
        inside = []
        while i < len(self._markers) and self._markers[i][0] < end:
            inside.append(self._markers[i][1])
            i += 1
        if not inside and i < len(self._markers):
            paragraph_end = self.text.find("\n", end)
            paragraph_end = len(self.text) if paragraph_end < 0 else paragraph_end
            if self._markers[i][0] < paragraph_end:
                inside = [self._markers[i][1]]
        return [self.references[n] for n in dict.fromkeys(inside)]

    def in_reference_list(self, start: int) -> bool:
        """Whether offset `start` lies on a reference line (a citation, not a claim of the text)."""
        return self.note_at(start) is not None

    def note_at(self, start: int) -> int | None:
        """The number of the note whose reference line holds offset `start`, else None."""
        return self._reference_lines.get(self.text.rfind("\n", 0, start) + 1)
