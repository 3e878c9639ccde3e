"""The anchors of every evidence pattern that reads a sentence (attribution, dates, hedging,
movements), found in a whole document in one pass (`geo.text.cues`): a claim's sentence is then
read only by the patterns whose anchors it holds."""

from __future__ import annotations

from geo.evidence import attribution, dates, hedging, movements
from geo.text.cues import CueScanner, DocumentCues

_SCANNER = CueScanner([*attribution.CUES, *dates.CUES, *hedging.CUES, *movements.CUES])


def evidence_cues(text: str) -> DocumentCues:
    """Where the document holds each evidence pattern's anchors."""
    return _SCANNER.scan(text)
