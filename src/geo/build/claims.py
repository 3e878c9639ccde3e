"""Join resolved mentions to what the document says about them: one claim per mention.

A claim is the sentence holding the mention (the excerpt), dated by the date the sentence states,
else by the document's publication date, else unknown, and attributed when the sentence says who
said it.
"""

from __future__ import annotations

from bisect import bisect_right

from geo.documents.reading import Document
from geo.evidence.attribution import find_attribution
from geo.evidence.claim_evidence import add_evidence
from geo.evidence.dates import PartialDate, find_stated_date
from geo.places.gazetteer import Gazetteer
from geo.places.resolve import ResolvedMention
from geo.text.sentences import split_sentences


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
    doc_id, source, title, author = (
        document.doc_id,
        document.source,
        document.title,
        document.author,
    )
    published_iso = published.iso if published else ""
    place_ids = gazetteer.place_id
    # What a sentence says is read once, however many places it names: its text and the columns
    # from its date and attribution.
    per_sentence: dict[tuple[int, int], tuple] = {}
    rows = []
    for item in resolved:
        mention = item.mention
        start, end = mention.start, mention.end
        span = _sentence_at(spans, starts, start, end)
        if span is None:
            # A sentence splitter never cuts a name in two, but keep the claim if it ever does.
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            span = (line_start, len(text) if line_end < 0 else line_end)
        said = per_sentence.get(span)
        if said is None:
            sentence = text[span[0] : span[1]]
            said = per_sentence[span] = (
                sentence,
                *_date_columns(find_stated_date(sentence, published), published),
                find_attribution(sentence),
            )
        excerpt, date, precision, date_text, basis, date_end, attribution = said
        rows.append(
            {
                "claim_id": f"{doc_id}:{start}",
                "doc_id": doc_id,
                "place_id": place_ids[item.index],
                "mention": text[start:end],
                "start": start,
                "end": end,
                "mention_type": mention.mention_type,
                "excerpt": excerpt,
                "excerpt_start": span[0],
                "date": date,
                "date_precision": precision,
                "date_text": date_text,
                "date_basis": basis,
                "published": published_iso,
                "source": source,
                "title": title,
                "author": author,
                "attribution": attribution,
                "date_end": date_end,
            }
        )
    return add_evidence(text, rows)


def _date_columns(
    stated: PartialDate | None, published: PartialDate | None
) -> tuple[str, str, str, str, str]:
    """date, date_precision, date_text, date_basis and date_end of a claim: the date its sentence
    states, else the publication date, else unknown."""
    if stated is not None:
        return stated.iso, stated.precision, stated.text, "stated", stated.end_iso
    if published is not None:
        return published.iso, published.precision, "", "published", ""
    return "", "", "", "unknown", ""
