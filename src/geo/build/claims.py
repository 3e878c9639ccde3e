"""Join resolved mentions to what the document says about them: one claim per mention.

A claim is the sentence holding the mention (the excerpt), dated by the date its own clause states
(else the sentence's, else the document's publication date, else unknown), and attributed when the
sentence says who said it, or says "he said" after a sentence that names him.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import partial

from geo.documents.reading import Document
from geo.evidence.attribution import find_attribution, find_speaker
from geo.evidence.claim_evidence import EVIDENCE_COLUMNS, evidence_columns
from geo.evidence.cues import evidence_cues
from geo.evidence.dates import PartialDate, StatedDates, find_stated_date, stated_dates
from geo.evidence.speakers import antecedent
from geo.places.gazetteer import Gazetteer
from geo.places.resolve import ResolvedMention
from geo.text.cues import DocumentCues
from geo.text.sentences import split_sentences

# Claims kept from one document: its first this many resolved mentions, in the order of the text.
# A long report (the seeds' longest names places once every 120 characters) stays well under it;
# a document past it (a 19 MB upload of one line made 300,000) is cut there, with a warning, so
# that one file cannot fill the server's memory or slow every filter change (README, "Limits").
MAX_CLAIMS_PER_DOCUMENT = 10_000

# How far back a sentence looks for the date that "a year later" counts from, and for the person
# that "he said" refers to.
ANCHOR_SENTENCES = 10
ANTECEDENT_SENTENCES = 3


def _sentence_at(spans: list[tuple[int, int]], starts: list[int], start: int, end: int):
    """The sentence span holding [start, end), or None when no single sentence does."""
    k = bisect_right(starts, start) - 1
    if k >= 0 and spans[k][0] <= start and end <= spans[k][1]:
        return spans[k]
    return None


def _sentences_around(
    spans: list[tuple[int, int]], starts: list[int], start: int, end: int
) -> tuple[int, int]:
    """The sentences that [start, end) overlaps, as one span: a name that the cap on a sentence's
    length cut in two ("... New | York ..."). Never more than the sentences it touches: the line
    around it could be a whole document written on one line (a 19 MB excerpt, read for dates and
    speakers, held once per claim)."""
    if not spans:
        return start, end
    first = max(0, bisect_right(starts, start) - 1)
    last = max(first, bisect_right(starts, max(start, end - 1)) - 1)
    return min(spans[first][0], start), max(spans[last][1], end)


def first_mentions(resolved: list, limit: int = MAX_CLAIMS_PER_DOCUMENT) -> list:
    """The first `limit` mentions in the order of the text (all of them when there are no more),
    in the order they were given."""
    if len(resolved) <= limit:
        return resolved
    by_start = sorted(range(len(resolved)), key=lambda i: _start_of(resolved[i]))
    kept = set(by_start[:limit])
    return [item for i, item in enumerate(resolved) if i in kept]


def _start_of(item) -> int:
    mention = getattr(item, "mention", item)
    return mention.start


def too_many_claims_warning(doc_id: str, found: int, limit: int = MAX_CLAIMS_PER_DOCUMENT) -> str:
    return (
        f"{doc_id}: {found:,} place mentions, more than the {limit:,} claims kept per document; "
        f"only the first {limit:,} (in the order of the text) are on the map"
    )


# The columns of one document's claims (`claim_columns`), in this order: CLAIM_COLUMNS, the
# excerpt's end offset (the build keeps the excerpt as a span of the text) and the evidence columns.
CLAIM_KEYS = (
    "claim_id", "doc_id", "place_id", "mention", "start", "end", "mention_type", "excerpt",
    "excerpt_start", "excerpt_end", "date", "date_precision", "date_text", "date_basis",
    "published", "source", "title", "author", "attribution", "date_end", *EVIDENCE_COLUMNS,
)  # fmt: skip


def claim_rows(
    document: Document, resolved: list[ResolvedMention], gazetteer: Gazetteer
) -> list[dict]:
    """The document's claims, one dict per claim (`claim_columns` as rows)."""
    return rows_of(claim_columns(document, resolved, gazetteer))


def rows_of(columns: dict[str, list]) -> list[dict]:
    """Claims given column by column as one dict each (the keys in the columns' order)."""
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def claim_columns(
    document: Document, resolved: list[ResolvedMention], gazetteer: Gazetteer
) -> dict[str, list]:
    """The document's claims as columns (CLAIM_KEYS -> one value per resolved mention): what a
    build turns into an Arrow table, with no Python object per claim on the way."""
    text = document.text
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    # Where the document holds the evidence patterns' anchors, found in one pass.
    cues = evidence_cues(text)
    published = document.published
    published_iso = published.iso if published else ""
    place_ids = gazetteer.place_id
    n = len(resolved)
    columns: dict[str, list] = {key: [] for key in CLAIM_KEYS}
    # What a sentence says is read once, however many places it names: its text, its dates and
    # attribution, and the date columns of a place in it when the whole sentence has one date.
    per_sentence: dict[tuple[int, int], tuple] = {}
    claim_spans: list[tuple[int, int]] = []
    dated: list[tuple[str, str, str, str, str]] = []
    for item in resolved:
        mention = item.mention
        start, end = mention.start, mention.end
        span = _sentence_at(spans, starts, start, end)
        if span is None:
            span = _sentences_around(spans, starts, start, end)
        said = per_sentence.get(span)
        if said is None:
            said = per_sentence[span] = _read_sentence(text, spans, starts, span, published, cues)
        claim_spans.append(span)
        dates = said[1]
        if dates.phrases or dates.conjuncts:
            dated.append(_date_columns(dates.at(start - span[0]), published))
        else:
            dated.append(said[3])
    columns["place_id"] = [place_ids[item.index] for item in resolved]
    columns["mention"] = [text[item.mention.start : item.mention.end] for item in resolved]
    columns["start"] = start_of = [item.mention.start for item in resolved]
    columns["end"] = end_of = [item.mention.end for item in resolved]
    columns["mention_type"] = mention_type = [item.mention.mention_type for item in resolved]
    columns["excerpt"] = excerpt = [per_sentence[span][0] for span in claim_spans]
    columns["excerpt_start"] = excerpt_start = [span[0] for span in claim_spans]
    columns["excerpt_end"] = [span[1] for span in claim_spans]
    columns["attribution"] = [per_sentence[span][2] for span in claim_spans]
    if dated:
        for key, values in zip(
            ("date", "date_precision", "date_text", "date_basis", "date_end"),
            zip(*dated, strict=True),
            strict=True,
        ):
            columns[key] = list(values)
    doc_id = document.doc_id
    columns["claim_id"] = [f"{doc_id}:{start}" for start in start_of]
    for key, value in (
        ("doc_id", doc_id),
        ("published", published_iso),
        ("source", document.source),
        ("title", document.title),
        ("author", document.author),
    ):
        columns[key] = [value] * n
    columns.update(
        evidence_columns(text, start_of, end_of, mention_type, excerpt_start, excerpt, cues)
    )
    return columns


def _read_sentence(
    text: str,
    spans: list[tuple[int, int]],
    starts: list[int],
    span: tuple[int, int],
    published: PartialDate | None,
    cues: DocumentCues,
) -> tuple[str, StatedDates, str, tuple[str, str, str, str, str]]:
    """The sentence at `span`, its dates, its attribution and the date columns of its date."""
    sentence = text[span[0] : span[1]]
    present = cues.present(*span)
    k = _index_of(spans, starts, span)
    # "a year later" counts from the date of an earlier sentence, looked for only then.
    anchor_of = None if k is None else partial(_previous_date, text, spans, k, published, cues)
    attribution, pronoun = find_speaker(sentence, present)
    if pronoun and k is not None:
        attribution = antecedent(pronoun, _earlier_attributions(text, spans, k, cues))
    dates = stated_dates(sentence, published, None, present, anchor_of)
    return sentence, dates, attribution, _date_columns(dates.sentence, published)


def _index_of(spans: list[tuple[int, int]], starts: list[int], span: tuple[int, int]) -> int | None:
    k = bisect_right(starts, span[0]) - 1
    return k if k >= 0 and spans[k] == span else None


def _previous_date(
    text: str,
    spans: list[tuple[int, int]],
    k: int,
    published: PartialDate | None,
    cues: DocumentCues,
) -> PartialDate | None:
    """The date the nearest earlier sentence states, which "a year later" counts from."""
    for j in range(k - 1, max(-1, k - 1 - ANCHOR_SENTENCES), -1):
        start, end = spans[j]
        date = find_stated_date(text[start:end], published, None, cues.present(start, end))
        if date is not None:
            return date
    return None


def _earlier_attributions(text: str, spans: list[tuple[int, int]], k: int, cues: DocumentCues):
    """Attributions of the sentences before sentence k, nearest first, within its paragraph (or
    the paragraph before, for a sentence that opens one). A sentence where a pronoun speaks
    continues the same speaker, so it is passed over."""
    crossed = 0
    for j in range(k - 1, max(-1, k - 1 - ANTECEDENT_SENTENCES), -1):
        if "\n\n" in text[spans[j][1] : spans[j + 1][0]].replace("\r", "").replace(" ", ""):
            crossed += 1
            if crossed > 1 or j < k - 1:
                return
        start, end = spans[j]
        yield find_attribution(text[start:end], cues.present(start, end))


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
