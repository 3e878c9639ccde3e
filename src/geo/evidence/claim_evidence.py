"""What a claim's sentence says about its own evidence: how firmly (hedging), which numbered notes it
cites (footnotes), whether it stands in the reference list itself (note), and whether its place is
where people came from or went to (movement).

`add_evidence` fills those columns of the claim rows of one document; `geo.build.claims` calls it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from geo.evidence.footnotes import Notes
from geo.evidence.hedging import find_hedging
from geo.evidence.movements import Mention, moving_roles, states_movement
from geo.text.cues import DocumentCues

EVIDENCE_COLUMNS = ["hedging", "hedging_cue", "footnotes", "reference", "movement", "note"]


def add_evidence(text: str, rows: list[dict]) -> list[dict]:
    """The same rows, each with EVIDENCE_COLUMNS filled in from its sentence and the document."""
    columns = evidence_columns(
        text,
        [int(r["start"]) for r in rows],
        [int(r["end"]) for r in rows],
        [r["mention_type"] for r in rows],
        [int(r["excerpt_start"]) for r in rows],
        [r["excerpt"] for r in rows],
    )
    for i, row in enumerate(rows):
        for name in EVIDENCE_COLUMNS:
            row[name] = columns[name][i]
    return rows


def evidence_columns(
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
    mention_types: Sequence[str],
    excerpt_starts: Sequence[int],
    excerpts: Sequence[str],
    cues: DocumentCues | None = None,
) -> dict[str, list[str]]:
    """EVIDENCE_COLUMNS of the claims of one document, given column by column (a claim's mention
    at text[start:end], in its sentence `excerpt` starting at `excerpt_start`): each sentence is
    read once, with every mention it holds. `cues`: the document's `geo.evidence.cues`, so that a
    sentence is read only by the patterns whose anchors it holds."""
    n = len(starts)
    columns: dict[str, list[str]] = {name: [""] * n for name in EVIDENCE_COLUMNS}
    hedging, hedging_cue, footnotes_of, reference_of, movement, note_of = (
        columns[name] for name in EVIDENCE_COLUMNS
    )
    notes = Notes(text)
    by_sentence: dict[int, list[int]] = defaultdict(list)
    for i, sentence_start in enumerate(excerpt_starts):
        by_sentence[sentence_start].append(i)
    for sentence_start, rows in by_sentence.items():
        sentence = excerpts[rows[0]]
        present = (
            None if cues is None else cues.present(sentence_start, sentence_start + len(sentence))
        )
        # Columns start as "": only what a sentence states is written (most state nothing).
        hedge = find_hedging(sentence, present)
        if hedge.level:
            for i in rows:
                hedging[i], hedging_cue[i] = hedge.level, hedge.cue
        cited = notes.cited_by(sentence_start, sentence_start + len(sentence))
        if cited:
            footnotes = "|".join(str(r.number) for r in cited)
            reference = "\n".join(f"[{r.number}] {r.text}" for r in cited)
            for i in rows:
                footnotes_of[i], reference_of[i] = footnotes, reference
        if states_movement(sentence, present):
            mentions = [
                Mention(starts[i] - sentence_start, ends[i] - sentence_start, mention_types[i])
                for i in rows
            ]
            for i, role in zip(rows, moving_roles(sentence, mentions), strict=True):
                movement[i] = role
        # A sentence in the reference list ("[29] ... detained in Kermanshah," Rudaw, ...) is
        # what a cited piece says, not the document's own claim: marked with its note number.
        note = notes.note_at(sentence_start)
        if note is not None:
            for i in rows:
                note_of[i] = str(note)
    return columns
