"""A claim's excerpt is a span of its document's text, cut out only when something shows or writes it.

The claims a build holds in memory (`geo.store.schema.FRAME_CLAIM_COLUMNS`) keep the excerpt as
offsets, `excerpt_start` and `excerpt_end`: a sentence that names ten places is held once, in its
document's text, rather than once per claim (a 19 MB document of one line made 300,000 claims,
each with a copy of its sentence of up to 1,500 characters). A card, a citation, an export and the
files written for people (claims.csv, claims.parquet, whose contract has the `excerpt` column) get
the text back here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.store.schema import CLAIM_COLUMNS
from geo.text.stored_text import StoredText


class TextsOf(Mapping):
    """doc_id -> text (a str, or a StoredText: sliced the same way), read from a mapping doc_id ->
    document (anything with a `text`) without copying it. Hashable by identity, so that a memo of excerpts can be keyed on it."""

    def __init__(self, documents: Mapping):
        self.documents = documents

    def __getitem__(self, doc_id: str) -> str | StoredText:
        return self.documents[doc_id].text

    def get(self, doc_id, default=None):
        document = self.documents.get(doc_id)
        return default if document is None else document.text

    def __iter__(self) -> Iterator[str]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __eq__(self, other) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


def excerpt_of(text: str | StoredText | None, start: int, end: int) -> str:
    """text[start:end], or "" when there is no text."""
    return text[int(start) : int(end)] if isinstance(text, str | StoredText) else ""


def excerpts(claims: pd.DataFrame, texts: Mapping[str, str]) -> list[str]:
    """The excerpt of every claim (doc_id, excerpt_start, excerpt_end) from its document's text in
    `texts` (doc_id -> text); "" for a document not there. Claims of one sentence share one string."""
    cut: dict[tuple, str] = {}
    values = []
    # A document's claims come one after another: its text is looked up once for them.
    last_doc, text = None, None
    for doc_id, start, end in zip(
        claims["doc_id"].tolist(),
        claims["excerpt_start"].tolist(),
        claims["excerpt_end"].tolist(),
        strict=True,
    ):
        key = (doc_id, start, end)
        value = cut.get(key)
        if value is None:
            if doc_id != last_doc or last_doc is None:
                last_doc, text = doc_id, texts.get(doc_id)
            value = cut[key] = excerpt_of(text, start, end)
        values.append(value)
    return values


def with_excerpts(claims: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """The claims with their `excerpt` column (a new frame; `claims` is left alone). A frame that
    has the column already (read from claims.csv, say) is returned as it is."""
    if "excerpt" in claims.columns:
        return claims
    frame = claims.copy(deep=False)
    position = list(frame.columns).index("excerpt_start") if "excerpt_start" in frame else 0
    frame.insert(position, "excerpt", pd.Series(excerpts(claims, texts), index=frame.index,
                                                dtype="str"))  # fmt: skip
    return frame


def contract_claims(claims: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """The claims with exactly the data contract's columns (CLAIM_COLUMNS), excerpt included."""
    return with_excerpts(claims, texts)[CLAIM_COLUMNS]


def excerpt_array(claims: pd.DataFrame, texts: Mapping[str, str]) -> pa.Array:
    """`excerpts` as an Arrow array of text, for the files written for people: cut document by
    document (a document's claims come one after another), with no memo per claim."""
    n = len(claims)
    if not n:
        return pa.array([], pa.string())
    doc_ids = pa.chunked_array(pa.array(claims["doc_id"])).combine_chunks()
    if doc_ids.null_count:  # no document: no text
        doc_ids = pc.fill_null(doc_ids.cast(pa.string()), "")
    changes = pc.not_equal(doc_ids.slice(1), doc_ids.slice(0, n - 1))
    bounds = [0, *(np.flatnonzero(changes.to_numpy(zero_copy_only=False)) + 1).tolist(), n]
    firsts = doc_ids.take(pa.array(bounds[:-1])).to_pylist()
    starts = claims["excerpt_start"].tolist()
    ends = claims["excerpt_end"].tolist()
    values: list[str] = []
    for doc_id, a, b in zip(firsts, bounds, bounds[1:], strict=False):
        text = texts.get(doc_id)
        if isinstance(text, str):
            values += [text[start:end] for start, end in zip(starts[a:b], ends[a:b], strict=True)]
        else:
            values += [""] * (b - a)
    return pa.array(values, pa.string())
