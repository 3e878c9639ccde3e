"""One Parquet file made of several, by copying their row groups as they are (no decoding).

The build on a cluster merges its claims in pieces on the workers (each piece a Parquet file of
whole row groups); the client then only stitches the pieces together: their bytes are copied one
after the other and a footer listing every row group, with its offsets moved by where its piece
now starts, closes the file. The client's work is a copy, whatever the number of claims, and when
the pieces cut the rows where one writer would have cut its row groups, the file is byte for byte
the one that writer makes of all the rows at once.

The footer is Thrift (compact protocol, `parquet.thrift` in apache/parquet-format). It is decoded
here into plain values and encoded again as it was: only the offsets, the row count and the row
groups' ordinals change. pyarrow reads and writes footers but exposes no way to move a row group.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence

import fsspec

from geo.store.schema import atomic_output

MAGIC = b"PAR1"
COPY_BYTES = 8 * 1024 * 1024

# Compact-protocol types.
_TRUE, _FALSE, _I8, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

# Field ids of parquet.thrift that hold a file offset, or that the stitching changes.
_FILE_NUM_ROWS, _FILE_ROW_GROUPS = 3, 4
_GROUP_COLUMNS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 5, 7
_CHUNK_OFFSETS = (2, 4, 6)  # file_offset, offset_index_offset, column_index_offset
_CHUNK_META = 3
_META_OFFSETS = (9, 10, 11, 14)  # data, index and dictionary page offsets, bloom filter offset


class StitchError(ValueError):
    """The pieces are not Parquet files of one schema."""


# -- Thrift compact protocol: a struct is a list of [field id, type, value] ------------------------


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int):
        if kind in (_TRUE, _FALSE):  # inside a container: one byte
            return self.byte()
        if kind == _I8:
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            self.at += 8
            return self.data[self.at - 8 : self.at]
        if kind == _BINARY:
            size = self.varint()
            self.at += size
            return self.data[self.at - size : self.at]
        if kind in (_LIST, _SET):
            head = self.byte()
            size, element = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            return (element, [self.value(element) for _ in range(size)])
        if kind == _MAP:
            size = self.varint()
            types = self.byte() if size else 0
            pairs = [(self.value(types >> 4), self.value(types & 0x0F)) for _ in range(size)]
            return (types, pairs)
        if kind == _STRUCT:
            return self.struct()
        raise StitchError(f"unknown Thrift type {kind}")

    def struct(self) -> list[list]:
        fields, last = [], 0
        while True:
            head = self.byte()
            if head == 0:
                return fields
            kind, delta = head & 0x0F, head >> 4
            last = last + delta if delta else self.zigzag()
            if kind in (_TRUE, _FALSE):
                fields.append([last, kind, None])
            else:
                fields.append([last, kind, self.value(kind)])


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _encode(kind: int, value, out: bytearray) -> None:
    if kind in (_TRUE, _FALSE, _I8):
        out.append(value & 0xFF)
    elif kind in (_I16, _I32, _I64):
        out += _zigzag(value)
    elif kind == _DOUBLE:
        out += value
    elif kind == _BINARY:
        out += _varint(len(value)) + value
    elif kind in (_LIST, _SET):
        element, items = value
        if len(items) < 15:
            out.append(len(items) << 4 | element)
        else:
            out.append(0xF0 | element)
            out += _varint(len(items))
        for item in items:
            _encode(element, item, out)
    elif kind == _MAP:
        types, pairs = value
        out += _varint(len(pairs))
        if pairs:
            out.append(types)
        for key, item in pairs:
            _encode(types >> 4, key, out)
            _encode(types & 0x0F, item, out)
    elif kind == _STRUCT:
        _encode_struct(value, out)
    else:
        raise StitchError(f"unknown Thrift type {kind}")


def _encode_struct(fields: list[list], out: bytearray) -> None:
    last = 0
    for fid, kind, value in fields:
        if 0 < fid - last <= 15:
            out.append((fid - last) << 4 | kind)
        else:
            out.append(kind)
            out += _zigzag(fid)
        if kind not in (_TRUE, _FALSE):
            _encode(kind, value, out)
        last = fid
    out.append(0)


def _field(fields: list[list], fid: int) -> list | None:
    return next((f for f in fields if f[0] == fid), None)


# -- Parquet --------------------------------------------------------------------------------------


def read_footer(handle, size: int) -> tuple[list[list], int]:
    """The file's FileMetaData, decoded, and where its footer starts (where its row groups end)."""
    if size < 12:
        raise StitchError("too short to be a Parquet file")
    handle.seek(size - 8)
    tail = handle.read(8)
    if tail[4:] != MAGIC:
        raise StitchError("not a Parquet file (no PAR1 at its end)")
    length = struct.unpack("<I", tail[:4])[0]
    start = size - 8 - length
    if start < 4:
        raise StitchError("its footer is longer than the file")
    handle.seek(start)
    return _Reader(handle.read(length)).struct(), start


def encode_footer(metadata: list[list]) -> bytes:
    out = bytearray()
    _encode_struct(metadata, out)
    return bytes(out)


def _moved(row_group: list[list], shift: int, ordinal: int) -> list[list]:
    for fid, _, value in row_group:
        if fid == _GROUP_COLUMNS:
            for chunk in value[1]:
                for field in chunk:
                    if field[0] in _CHUNK_OFFSETS and field[2]:
                        field[2] += shift
                    elif field[0] == _CHUNK_META:
                        for meta in field[2]:
                            if meta[0] in _META_OFFSETS and meta[2]:
                                meta[2] += shift
    for field in row_group:
        if field[0] == _GROUP_FILE_OFFSET and field[2]:
            field[2] += shift
        elif field[0] == _GROUP_ORDINAL:
            field[2] = (ordinal + 2**15) % 2**16 - 2**15  # an i16, as parquet-cpp writes it
    return row_group


def stitch_parquet(pieces: Sequence[str], path: str | os.PathLike) -> int:
    """Write at `path` (atomically) one Parquet file holding the row groups of `pieces` (local
    paths or fsspec URLs of Parquet files of one schema), in order. Returns its rows."""
    if not pieces:
        raise StitchError("nothing to stitch")
    metadata: list[list] | None = None
    schema = None
    groups: list = []
    rows = 0
    with atomic_output(path, binary=True) as out:
        out.write(MAGIC)
        for piece in pieces:
            with fsspec.open(piece, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                footer, end = read_footer(handle, size)
                here = encode_footer([f for f in footer if f[0] not in (3, 4)])
                if metadata is None:
                    metadata, schema = footer, here
                elif here != schema:
                    raise StitchError(f"{piece}: not the schema of {pieces[0]}")
                shift = out.tell() - 4
                for group in (_field(footer, _FILE_ROW_GROUPS) or [0, 0, (_STRUCT, [])])[2][1]:
                    groups.append(_moved(group, shift, len(groups)))
                num_rows = _field(footer, _FILE_NUM_ROWS)
                rows += num_rows[2] if num_rows else 0
                handle.seek(4)
                left = end - 4
                while left:
                    block = handle.read(min(COPY_BYTES, left))
                    if not block:
                        raise StitchError(f"{piece}: cut short")
                    out.write(block)
                    left -= len(block)
        for field in metadata:
            if field[0] == _FILE_NUM_ROWS:
                field[2] = rows
            elif field[0] == _FILE_ROW_GROUPS:
                field[2] = (_STRUCT, groups)
        footer = encode_footer(metadata)
        out.write(footer + struct.pack("<I", len(footer)) + MAGIC)
    return rows
