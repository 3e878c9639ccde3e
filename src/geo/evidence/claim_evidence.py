"""What a claim's sentence says about its own evidence: how firmly (hedging), which numbered notes it
cites (footnotes), whether it stands in the reference list itself (note), and whether its place is
where people came from or went to (movement).

`add_evidence` fills those columns of the claim rows of one document; `geo.build.claims` calls it.
"""

from __future__ import annotations

from collections import defaultdict

from geo.evidence.footnotes import Notes
from geo.evidence.hedging import find_hedging
from geo.evidence.movements import Mention, movement_roles

EVIDENCE_COLUMNS = ["hedging", "hedging_cue", "footnotes", "reference", "movement", "note"]


def add_evidence(text: str, rows: list[dict]) -> list[dict]:
    """The same rows, each with EVIDENCE_COLUMNS filled in from its sentence and the document."""
    notes = Notes(text)
    by_sentence: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_sentence[int(row["excerpt_start"])].append(row)
    for sentence_start, sentence_rows in by_sentence.items():
        sentence = sentence_rows[0]["excerpt"]
        hedge = find_hedging(sentence)
        cited = notes.cited_by(sentence_start, sentence_start + len(sentence))
        footnotes = "|".join(str(r.number) for r in cited)
        reference = "\n".join(f"[{r.number}] {r.text}" for r in cited)
        mentions = [
            Mention(
                int(r["start"]) - sentence_start, int(r["end"]) - sentence_start, r["mention_type"]
            )
            for r in sentence_rows
        ]
        roles = movement_roles(sentence, mentions)
        # A sentence in the reference list ("[29] ... detained in Kermanshah," Rudaw, ...) is
        # what a cited piece says, not the document's own claim: marked with its note number.
        note = notes.note_at(sentence_start)
        note = "" if note is None else str(note)
        for row, role in zip(sentence_rows, roles, strict=True):
            row["hedging"] = hedge.level
            row["hedging_cue"] = hedge.cue
            row["footnotes"] = footnotes
            row["reference"] = reference
            row["movement"] = role
            row["note"] = note
    return rows
