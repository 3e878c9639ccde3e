"""claims.csv lines serialised column by column (Arrow) are the csv module's bytes."""

from __future__ import annotations

import pandas as pd

from geo.store import claims_file
from geo.store.schema import CLAIM_COLUMNS, claims_frame

AWKWARD = [
    "plain",
    "",
    'a "quoted" word',
    "Kabul, Afghanistan",
    "line\nbreak",
    "old\rmac",
    "windows\r\nend",
    '"',
    ",",
    " leading and trailing ",
    "Ḩalab – حلب – 北京 – 🙂",
    "tab\tinside",
]


def row(k: int, value: str | None) -> dict:
    values = {name: f"{name}-{k}" for name in CLAIM_COLUMNS}
    values.update(start=k, end=k + 5, excerpt_start=max(0, k - 3))
    values["excerpt"] = value
    values["attribution"] = value
    values["note"] = None if k % 2 else ""
    return values


def test_lines_written_by_column_are_the_csv_modules_bytes_row_by_row():
    rows = [row(k, value) for k, value in enumerate([*AWKWARD, None])]
    text, offsets = claims_file.table_lines(claims_file.rows_table(rows))
    assert text == claims_file.rows_text(rows).encode("utf-8")
    assert len(offsets) == len(rows) + 1
    for k, one in enumerate(rows):
        assert text[offsets[k] : offsets[k + 1]] == claims_file.rows_text([one]).encode("utf-8")


def test_columns_that_never_need_quotes_are_written_as_they_are():
    rows = [row(k, "no comma here") for k in range(3)]
    text, _ = claims_file.table_lines(claims_file.rows_table(rows))
    assert text.decode("utf-8") == claims_file.rows_text(rows)
    assert b'"' not in text


def test_no_rows_are_no_bytes():
    text, offsets = claims_file.table_lines(claims_file.rows_table([]))
    assert text == b"" and list(offsets) == [0]


def test_the_table_makes_the_same_frame_as_the_rows():
    rows = [row(k, value) for k, value in enumerate(AWKWARD)]
    pd.testing.assert_frame_equal(claims_file.rows_table(rows).to_pandas(), claims_frame(rows))


def test_columns_table_is_rows_table_of_the_same_rows():
    offsets = ("start", "end", "excerpt_start")
    rows = [
        {name: 7 + i if name in offsets else f'{name} "{i}",\n' for name in CLAIM_COLUMNS}
        for i in range(3)
    ]
    columns = {name: [row[name] for row in rows] for name in CLAIM_COLUMNS}
    columns["excerpt_end"] = [9, 9, 9]  # keys outside the schema are left out
    assert claims_file.columns_table(columns).equals(claims_file.rows_table(rows))
