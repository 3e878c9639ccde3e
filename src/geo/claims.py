"""Join resolved mentions to what the document says about them: one claim per mention.

A claim is the sentence holding the mention (the excerpt), dated by the date the sentence states,
else by the document's publication date, else unknown, and attributed when the sentence says who
said it.
"""

from __future__ import annotations

from bisect import bisect_right

from geo.attribution import find_attribution
from geo.dates import PartialDate, find_stated_date
from geo.documents import Document
from geo.evidence import add_evidence
from geo.gazetteer import Gazetteer
from geo.resolve import ResolvedMention
from geo.sentences import split_sentences


def _sentence_at(spans: list[tuple[int, int]], starts: list[int], start: int, end: int):
    """The sentence span holding [start, end), or None when no single sentence does."""
    k = bisect_right(starts, start) - 1
    if k >= 0 and spans[k][0] <= start and end <= spans[k][1]:
        return spans[k]
    return None


def claim_rows(
    document: Document, resolved: list[ResolvedMention], gazetteer: Gazetteer
) -> list[dict]:
    text = document.text
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    published = document.published
    per_sentence: dict[tuple[int, int], tuple[PartialDate | None, str]] = {}
    rows = []
    for item in resolved:
        mention = item.mention
        span = _sentence_at(spans, starts, mention.start, mention.end)
        if span is None:
            # A sentence splitter never cuts a name in two, but keep the claim if it ever does.
            line_start = text.rfind("\n", 0, mention.start) + 1
            line_end = text.find("\n", mention.end)
            span = (line_start, len(text) if line_end < 0 else line_end)
        if span not in per_sentence:
            sentence = text[span[0] : span[1]]
            per_sentence[span] = (find_stated_date(sentence, published), find_attribution(sentence))
        stated, attribution = per_sentence[span]
        if stated is not None:
            date, basis = stated, "stated"
        elif published is not None:
            date, basis = published, "published"
        else:
            date, basis = None, "unknown"
        rows.append(
            {
                "claim_id": f"{document.doc_id}:{mention.start}",
                "doc_id": document.doc_id,
                "place_id": gazetteer.place_id[item.index],
                "mention": text[mention.start : mention.end],
                "start": mention.start,
                "end": mention.end,
                "mention_type": mention.mention_type,
                "excerpt": text[span[0] : span[1]],
                "excerpt_start": span[0],
                "date": date.iso if date else "",
                "date_precision": date.precision if date else "",
                "date_text": stated.text if stated is not None else "",
                "date_basis": basis,
                "published": published.iso if published else "",
                "source": document.source,
                "title": document.title,
                "author": document.author,
                "attribution": attribution,
                "date_end": stated.end_iso if stated is not None else "",
            }
        )
    return add_evidence(text, rows)
