"""Find a news story's dateline: the town it was filed from, written where the story opens.

"GAINESVILLE, Fla. — ", "WASHINGTON (Reuters) - ", "Washington (CNN)", "LONDON The Latest on":
the town (in capitals, or in any case when a news agency follows it in brackets), perhaps its
state or country, perhaps the agency, then a dash, the agency's bracket or, at the start of a
line, the story's first capitalised word. A dateline opens the text, a line, or the story right
after its headline's full stop; it is looked for in the first DATELINE_WINDOW characters only.

A dateline says where the story was written, which for a local paper is its own town: the
resolver reads the places of the story's other names in its light. This module only reads text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a dateline may start: the first characters of a story (a headline may come first).
DATELINE_WINDOW = 400

# A town in capitals: "ST. LOUIS", "ISLE OF PALMS", "WINSTON-SALEM", "FALLS VILLAGE" (1-4 words).
_CAPS_WORD = r"[A-Z][A-Z'’.\-]*[A-Z.](?![a-z])|[A-Z](?![A-Za-z])"
_CAPS_PLACE = rf"(?:{_CAPS_WORD})(?:[ \u00a0](?:{_CAPS_WORD})){{0,3}}"
# A town in ordinary case, only before an agency's bracket: "Washington (CNN)", "Fort Worth (AP)".
_MIXED_PLACE = r"[A-Z][a-z]+(?:[ \u00a0-][A-Z][a-z]+){0,2}"
# Its state or country: ", Fla.", ", W.Va.", ", N.C.", ", Ohio", ", New Mexico", ", Kazakhstan".
_REGION = (
    r",[ \u00a0]?(?P<region>(?:[A-Z][A-Za-z]{0,4}\.[ \u00a0]?){1,2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
# The news agency or broadcaster: "(AP)", "(Reuters)", "(WKYT)", "(ABC7)".
_AGENCY = (
    r"[ \u00a0]?\((?P<agency>[A-Z][A-Za-z0-9&.\-]{0,15}(?: [A-Z][A-Za-z0-9&.\-]{0,15}){0,2})\)"
)
# The dash after it: em or en dash (or the Windows-1252 em dash byte that some feeds keep), or
# one to three hyphens followed by a space.
_DASH = r"[ \u00a0]*(?:[—–\x97]|-{1,3}(?=[ \u00a0]))"

_CAPS_DATELINE = re.compile(
    rf"(?P<place>{_CAPS_PLACE})(?:{_REGION})?(?:{_AGENCY})?(?P<dash>{_DASH})?"
)
_MIXED_DATELINE = re.compile(rf"(?P<place>{_MIXED_PLACE})(?:{_REGION})?{_AGENCY}")
# At a line's start only: capitals then the story's first word ("LONDON The Latest on ...").
_STORY_WORD = re.compile(r"[ \u00a0]+[A-Z][a-z]")
# Where a story may start: the text's or a line's start, or after the headline's full stop.
_OPENING = re.compile(r"(?:^|\n)[ \t\u00a0]*|(?<=[.!?])[ \u00a0]+")


@dataclass(frozen=True)
class Dateline:
    """The town of a dateline (`start`, `end`: its span in the text) and what came with it."""

    start: int
    end: int
    place: str
    region: str | None = None  # "Fla.", "Ohio", "Kazakhstan"
    agency: str | None = None  # "AP", "Reuters"


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening the story, or None when it has none."""
    return next(iter(datelines(text)), None)


def datelines(text: str) -> list[Dateline]:
    """Every span of the story's opening that reads as a dateline, first first: the caller keeps
    the first whose town it recognises ("TIGER Grant Event. IMMOKALEE – ..." reads as two)."""
    found = []
    for n, opening in enumerate(_OPENING.finditer(text[:DATELINE_WINDOW])):
        start = opening.end()
        if found and start < found[-1].end:
            continue  # "ST. LOUIS": not a second dateline after "ST."
        # The story's opening: a line's start, or right after the headline (its first sentence).
        opens = _line_start(text, start) or n <= 1
        dateline = _dateline_at(text, start, _line_start(text, start), opens)
        if dateline is not None and all(d.start != dateline.start for d in found):
            found.append(dateline)
    return found


def _line_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\u00a0")
    return before == "" or before.endswith("\n")


def _dateline_at(text: str, start: int, at_line_start: bool, opens: bool) -> Dateline | None:
    caps = _CAPS_DATELINE.match(text, start)
    if caps is not None and sum(ch.isalpha() for ch in caps.group("place")) >= 3:
        if caps.group("dash") or caps.group("agency"):
            return _dateline(caps)
        if at_line_start and caps.group("region") is None and _STORY_WORD.match(text, caps.end()):
            return _dateline(caps)  # "LONDON The Latest on ..."
    mixed = _MIXED_DATELINE.match(text, start) if opens else None
    if mixed is not None:
        return _dateline(mixed)
    return None


def _dateline(match: re.Match) -> Dateline:
    place, region, agency = match.group("place", "region", "agency")
    # "HOUSTON. —": the stop is not the town's; "PLYMOUTH CO. —" keeps its abbreviation's.
    stripped = place if re.search(r"\b[A-Z]{1,3}\.$", place) else place.rstrip(".")
    start = match.start("place")
    return Dateline(
        start=start,
        end=start + len(stripped),
        place=stripped,
        region=region.strip() if region else None,
        agency=agency.strip() if agency else None,
    )
