"""claims.csv written document by document.

Each document's claim rows are turned into CSV text once, where they are made (in a build worker,
or from the build cache), and claims.csv is the header followed by those pieces in document order.
Writing a large corpus is then a file copy, and an incremental build rewrites the file without
serialising the rows it did not change. The text is byte for byte what `geo.store.schema`'s writer
produces for the same rows (tests/test_parallel_build.py checks it): the csv module's minimal
quoting, fields holding a line break quoted, rows ending in "\\n".

A build worker serialises a whole chunk of documents at once, column by column in Arrow's compute
kernels (`table_lines`), rather than row by row through the csv module (`rows_text`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import itemgetter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.store.claims_parquet import CLAIMS_SCHEMA, OFFSET_COLUMNS
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


# The characters that make the csv module quote a field (QUOTE_MINIMAL): the delimiter, the quote
# character and those of the "\r\n" line terminator (see _Rows).
_NEEDS_QUOTES = '[,"\r\n]'
# The claim rows in memory: text columns (None is null) and the offsets as 64-bit integers.
ROWS_SCHEMA = pa.schema(
    [(name, pa.int64() if name in OFFSET_COLUMNS else pa.large_string()) for name in CLAIM_COLUMNS]
)


def rows_table(rows: Sequence[dict]) -> pa.Table:
    """Claim rows (dicts with the CLAIM_COLUMNS keys) as an Arrow table of ROWS_SCHEMA, one column
    at a time; `.to_pandas()` is `geo.store.schema.claims_frame(rows)`."""
    return columns_table({name: [row[name] for row in rows] for name in ROWS_SCHEMA.names})


def columns_table(columns: Mapping[str, Sequence]) -> pa.Table:
    """Claim rows given column by column (a list of values for each CLAIM_COLUMNS name; other keys
    are left out) as an Arrow table of ROWS_SCHEMA: `rows_table` of the same rows."""
    arrays = [
        pa.array(columns[name], type=kind)
        for name, kind in zip(ROWS_SCHEMA.names, ROWS_SCHEMA.types, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=ROWS_SCHEMA)


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, type=pa.large_string())


def _holds_quote_characters(chunk: pa.Array) -> bool:
    """Whether any value of a text array holds a character that needs quoting: a search of its
    bytes (all values at once) for the four ASCII bytes, which UTF-8 uses for nothing else."""
    data = chunk.buffers()[2]
    if data is None or not len(chunk):
        return False
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
    first, last = offsets[chunk.offset], offsets[chunk.offset + len(chunk)]
    values = memoryview(data)[first:last].tobytes()
    return any(character in values for character in (b",", b'"', b"\r", b"\n"))


def _csv_field(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column's CSV fields as the csv module writes them: text quoted (its quotes doubled) only
    when it holds a comma, a quote or a line break; null as the empty field."""
    if pa.types.is_integer(column.type):
        return pc.cast(column, pa.large_string())
    if column.null_count:
        column = pc.fill_null(column, _text(""))
    if not any(map(_holds_quote_characters, column.chunks)):
        return column  # most columns: their bytes hold none of those characters
    needs_quotes = pc.match_substring_regex(column, _NEEDS_QUOTES)
    quote = _text('"')
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(column, '"', '""'), quote, _text("")
    )
    return pc.if_else(needs_quotes, quoted, column)


def table_lines(table: pa.Table) -> tuple[bytes, np.ndarray]:
    """The claims.csv lines of a table of claim rows (rows_table), without a header: the UTF-8
    text, and the byte offset where each row starts followed by the end (len(table) + 1 values),
    so that rows a:b are text[offsets[a]:offsets[b]]. The same bytes as `rows_text`."""
    if not len(table):
        return b"", np.zeros(1, dtype=np.int64)
    fields = [_csv_field(table.column(name)) for name in CLAIM_COLUMNS]
    lines = pc.binary_join_element_wise(*fields, _text(","))
    lines = pc.binary_join_element_wise(lines, _text("\n"), _text(""))
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    _, offsets_buffer, data = lines.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    offsets = offsets[lines.offset : lines.offset + len(lines) + 1]
    text = memoryview(data)[offsets[0] : offsets[-1]].tobytes()
    return text, offsets - offsets[0]


def write_claims_text(pieces: Iterable[str | bytes | memoryview], path: str | os.PathLike) -> None:
    """Write the header and the pieces (text, or its UTF-8 bytes) so that a reader never sees a
    half-written file."""
    with atomic_output(path, binary=True) as handle:
        handle.write(header_text().encode("utf-8"))
        for piece in pieces:
            handle.write(
                piece.encode("utf-8", "surrogatepass") if isinstance(piece, str) else piece
            )


PARQUET_BATCH_ROWS = 64 * 1024


def parquet_lines(path: str | os.PathLike) -> Iterator[bytes]:
    """The claims.csv lines of a claims.parquet file, a batch of rows at a time (its "" fields
    are the empty fields that null values give): memory holds a batch, not the file."""
    parquet = pq.ParquetFile(path)
    # Row group by row group: iter_batches kept more of the file's buffers as it went (peak
    # memory grew with the file).
    for group in range(parquet.metadata.num_row_groups):
        rows = parquet.read_row_group(group)
        for batch in rows.to_batches(max_chunksize=PARQUET_BATCH_ROWS):
            table = pa.Table.from_batches([batch], schema=CLAIMS_SCHEMA).cast(ROWS_SCHEMA)
            yield table_lines(table)[0]
        del rows
