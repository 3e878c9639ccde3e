"""claims.csv written document by document.

Each document's claim rows are turned into CSV text once, where they are made (in a build worker,
or from the build cache), and claims.csv is the header followed by those pieces in document order.
Writing a large corpus is then a file copy, and an incremental build rewrites the file without
serialising the rows it did not change. The text is byte for byte what `geo.store.schema`'s writer
produces for the same rows (tests/test_parallel_build.py checks it): the csv module's minimal
quoting, fields holding a line break quoted, rows ending in "\\n".
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from operator import itemgetter

from geo.store.schema import CLAIM_COLUMNS, atomic_output

_ROW_VALUES = itemgetter(*CLAIM_COLUMNS)


class _Rows:
    """A file for csv writers that collects rows, ending each in "\\n" instead of "\\r\\n".

    "\\r\\n" as the writer's terminator makes it quote any field holding a lone "\\r"."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, row: str) -> int:
        self.parts.append(row[:-2] + "\n" if row.endswith("\r\n") else row)
        return len(row)


def _writer(sink: _Rows):
    return csv.writer(sink, lineterminator="\r\n")


def header_text(columns: Sequence[str] = CLAIM_COLUMNS) -> str:
    sink = _Rows()
    _writer(sink).writerow(columns)
    return "".join(sink.parts)


def rows_text(rows: Iterable[dict]) -> str:
    """The CSV lines of claim rows (dicts with the CLAIM_COLUMNS keys), without a header."""
    sink = _Rows()
    _writer(sink).writerows(_ROW_VALUES(row) for row in rows)
    return "".join(sink.parts)


def write_claims_text(pieces: Iterable[str | bytes | memoryview], path: str | os.PathLike) -> None:
    """Write the header and the pieces (text, or its UTF-8 bytes) so that a reader never sees a
    half-written file."""
    with atomic_output(path, binary=True) as handle:
        handle.write(header_text().encode("utf-8"))
        for piece in pieces:
            handle.write(
                piece.encode("utf-8", "surrogatepass") if isinstance(piece, str) else piece
            )
