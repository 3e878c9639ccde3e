"""A claim's excerpt is a span of its document's text, cut out only when it is shown or written."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from geo.store.excerpts import TextsOf, contract_claims, excerpts, with_excerpts
from geo.store.schema import CLAIM_COLUMNS, FRAME_CLAIM_COLUMNS

TEXT = "Fighters left Mosul for Raqqa. Others stayed in Aleppo."


def frame(rows: list[dict]) -> pd.DataFrame:
    base = dict.fromkeys(FRAME_CLAIM_COLUMNS, "")
    return pd.DataFrame([{**base, **row} for row in rows], columns=FRAME_CLAIM_COLUMNS)


def test_the_excerpt_is_the_sentence_the_offsets_point_at():
    first_end = TEXT.index(".") + 1
    claims = frame([
        {"doc_id": "a", "start": 14, "end": 19, "excerpt_start": 0, "excerpt_end": first_end},
        {"doc_id": "a", "start": 24, "end": 29, "excerpt_start": 0, "excerpt_end": first_end},
        {"doc_id": "a", "start": 48, "end": 54, "excerpt_start": 31, "excerpt_end": len(TEXT)},
    ])  # fmt: skip
    shown = with_excerpts(claims, {"a": TEXT})
    assert shown["excerpt"].tolist() == [
        "Fighters left Mosul for Raqqa.",
        "Fighters left Mosul for Raqqa.",
        "Others stayed in Aleppo.",
    ]
    assert "excerpt" not in claims.columns  # the table held stays as it was


def test_claims_of_one_sentence_share_one_string():
    claims = frame([{"doc_id": "a", "excerpt_start": 0, "excerpt_end": 30}] * 3)
    values = excerpts(claims, {"a": TEXT})
    assert values[0] is values[1] is values[2]


def test_a_document_that_is_not_there_gives_an_empty_excerpt():
    claims = frame([{"doc_id": "gone", "excerpt_start": 0, "excerpt_end": 30}])
    assert with_excerpts(claims, {"a": TEXT})["excerpt"].tolist() == [""]


def test_the_files_for_people_get_the_contracts_columns_in_order():
    claims = frame([{"doc_id": "a", "excerpt_start": 31, "excerpt_end": len(TEXT)}])
    written = contract_claims(claims, {"a": TEXT})
    assert list(written.columns) == CLAIM_COLUMNS
    assert written.at[0, "excerpt"] == "Others stayed in Aleppo."


def test_a_table_read_from_claims_csv_keeps_its_excerpts():
    read = pd.DataFrame([{**dict.fromkeys(CLAIM_COLUMNS, ""), "excerpt": "as written"}])
    assert with_excerpts(read, {}) is read


def test_texts_of_documents_read_their_text_and_are_hashable_by_identity():
    documents = {"a": SimpleNamespace(text=TEXT)}
    texts = TextsOf(documents)
    assert texts["a"] is TEXT and texts.get("b") is None and list(texts) == ["a"]
    assert texts != TextsOf(documents) and len({texts, texts}) == 1
