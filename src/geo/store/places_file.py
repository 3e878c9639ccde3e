"""Writing a places file that people edit and keep in version control: only what changed changes.

`write_places` writes a list of place rows over an existing places file so that the rows it leaves
as they were keep their bytes (number formats, quoting, line endings, a byte-order mark), and the
optional columns (`schema.OPTIONAL_PLACE_COLUMNS`, those of corrections) are there only while some
row fills them. Undoing a correction therefore gives back the file byte for byte.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from geo.store.schema import (
    OPTIONAL_PLACE_COLUMNS,
    PLACE_COLUMNS,
    REQUIRED_PLACE_COLUMNS,
    PlaceRecord,
    atomic_output,
    parse_places,
)

_BOM = "\ufeff"


@dataclass(frozen=True)
class _Row:
    text: str  # the row as it stands in the file, its line ending included
    fields: dict[str, str]  # column -> the field as written
    record: PlaceRecord  # the row as read


@dataclass(frozen=True)
class _File:
    bom: bool
    newline: str
    header_text: str
    header: list[str]
    rows: dict[str, _Row]  # place_id -> row
    final_newline: bool  # whether the last line ends in a line ending


def write_places(records: list[PlaceRecord], path: str | os.PathLike) -> None:
    """Write `records` as the places file at `path` (atomically), keeping the bytes of every row
    that is unchanged. A file left with no row is removed: it holds nothing a build would read."""
    path = Path(path)
    old = _read(path)
    if not records:
        if old is not None:
            path.unlink()
        return
    columns = _columns(records, old)
    same_header = old is not None and columns == old.header
    newline = old.newline if old is not None else "\n"
    parts = [_BOM] if old is not None and old.bom else []
    parts.append(old.header_text if same_header else _line(columns, newline))
    for record in records:
        row = old.rows.get(record.place_id) if old is not None else None
        if row is not None and same_header and row.record == record:
            text = row.text
        else:
            text = _line([_field(column, record, row) for column in columns], newline)
        if parts[-1] and not parts[-1].endswith(("\n", "\r")):
            parts[-1] += newline  # the file's last line had no line ending
        parts.append(text)
    if old is not None and not old.final_newline:  # as the file was: no line ending at the end
        parts[-1] = parts[-1].rstrip("\r\n")
    with atomic_output(path) as handle:
        handle.write("".join(parts))


def _columns(records: list[PlaceRecord], old: _File | None) -> list[str]:
    """The file's columns as they are, less the optional ones no row fills any more, plus the
    columns it lacks that some row fills (in the contract's order, at the end)."""
    rows = [r.to_row() for r in records]
    used = {c for c in PLACE_COLUMNS if any(row[c] not in ("", None) for row in rows)}
    wanted = [c for c in PLACE_COLUMNS if c in REQUIRED_PLACE_COLUMNS or c in used]
    if old is None:
        return wanted
    kept = [c for c in old.header if c not in OPTIONAL_PLACE_COLUMNS or c in used]
    return kept + [c for c in wanted if c not in kept]


def _field(column: str, record: PlaceRecord, row: _Row | None) -> str:
    """The field of `record` in `column`: as the file wrote it when the value is unchanged."""
    value = record.to_row().get(column, "")
    if row is not None and column in row.fields and row.record.to_row().get(column, "") == value:
        return row.fields[column]
    return "" if value is None else str(value)


def _line(fields: list[str], newline: str) -> str:
    buffer = io.StringIO()
    # "\r\n" as the terminator makes the writer quote fields holding a lone "\r" as well.
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue()[:-2] + newline


def _read(path: Path) -> _File | None:
    """The file's rows as written, or None when there is no file. Validated as read_places does."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    records = parse_places(data, path)  # raises SchemaError on a broken file, as read_places
    text = data.decode("utf-8-sig")
    lines = io.StringIO(text, newline="").readlines()  # each with its own line ending
    if not lines:
        return None
    reader = csv.reader(lines)
    header = [name.strip() for name in next(reader)]
    header_end = reader.line_num
    first = lines[0]
    newline = "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"
    by_id = {r.place_id: r for r in records}
    rows: dict[str, _Row] = {}
    start = header_end
    for fields in reader:
        end = reader.line_num
        if fields:
            named = dict(zip(header, fields, strict=False))
            place_id = named.get("place_id", "").strip()
            if place_id in by_id:
                rows[place_id] = _Row("".join(lines[start:end]), named, by_id[place_id])
        start = end
    return _File(
        bom=data.startswith(_BOM.encode()),
        newline=newline,
        header_text="".join(lines[:header_end]),
        header=header,
        rows=rows,
        final_newline=lines[-1].endswith(("\n", "\r")),
    )
