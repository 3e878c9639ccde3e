"""A long text kept as UTF-8 bytes outside Python's `str`, decoded a span at a time.

CPython stores a `str` at 1, 2 or 4 bytes a character, the widest character deciding: one curly
quote in a 19 MB report makes it a 40 MB string. A server that only shows excerpts of a text (spans
of it: character offsets) and, on a click, the whole of it, need not hold it as a `str`. A
`StoredText` holds the text's UTF-8 bytes, in memory or where a `read(offset, size)` function finds
them (a file), with an index of where every block of about BLOCK_BYTES bytes starts, in bytes and in
characters: `text[start:end]` then decodes only the blocks the span lies in, and gives exactly the
characters `str(text)[start:end]` gives. Build one with `StoredText.of_bytes`, or with a reader.

Offsets stay character offsets: the bytes are split only where a character starts, and every block
is decoded (strictly, lone surrogates allowed as the build cache writes them) when the index is
made, so a text that is not well-formed UTF-8 fails there, not on a later click.
"""

from __future__ import annotations

import bisect
import codecs
from array import array
from collections.abc import Callable

BLOCK_BYTES = 4096  # index granularity: a span reads and decodes at most two blocks more than it
READ_BYTES = 1 << 20  # how much the index reads at a time
_ERRORS = "surrogatepass"  # as geo.build.cache writes texts


def _decode(data) -> str:
    return codecs.utf_8_decode(data, _ERRORS, True)[0]


def _character_start(data, i: int) -> int:
    """`i` moved back over UTF-8 continuation bytes (10xxxxxx) to the start of its character;
    at most three: a longer run is not UTF-8, and decoding the block says so."""
    for _ in range(3):
        if i <= 0 or data[i] & 0xC0 != 0x80:
            break
        i -= 1
    return i


class StoredText:
    """A text of `size` UTF-8 bytes that `read(offset, size) -> bytes` returns pieces of; sliced
    like a `str` (the slice is a `str`), `len` in characters, `str()` for the whole text."""

    __slots__ = ("_read", "_size", "_bytes_at", "_chars_at", "__weakref__")

    def __init__(
        self,
        read: Callable[[int, int], bytes],
        size: int,
        *,
        block: int = BLOCK_BYTES,
        chunk: int = READ_BYTES,
    ):
        self._read = read
        self._size = int(size)
        self._bytes_at, self._chars_at = self._index(max(block, 4), max(chunk, block, 4))

    @classmethod
    def of_bytes(cls, data: bytes, **sizes: int) -> StoredText:
        """The text of these UTF-8 bytes, held in memory."""
        data = bytes(data)
        return cls(lambda offset, size: data[offset : offset + size], len(data), **sizes)

    @classmethod
    def of_str(cls, text: str, **sizes: int) -> StoredText:
        return cls.of_bytes(text.encode("utf-8", _ERRORS), **sizes)

    def _bytes(self, offset: int, size: int) -> bytes:
        data = self._read(offset, size)
        if len(data) != size:
            raise ValueError(f"a stored text's bytes {offset}-{offset + size} could not be read")
        return data

    def _index(self, block: int, chunk: int) -> tuple[array, array]:
        """Block starts in bytes and in characters, with the text's end last."""
        bytes_at, chars_at = array("q", [0]), array("q", [0])
        characters, position = 0, 0
        while position < self._size:
            # One byte more than a chunk: whether a character starts where the chunk ends.
            piece = memoryview(self._bytes(position, min(chunk + 1, self._size - position)))
            end = len(piece)
            if position + end < self._size:  # the character cut there is read again next time
                end = _character_start(piece, chunk)
            start = 0
            while start < end:
                stop = end if end - start <= block else _character_start(piece, start + block)
                characters += len(_decode(piece[start:stop]))
                bytes_at.append(position + stop)
                chars_at.append(characters)
                start = stop
            position += end
        return bytes_at, chars_at

    def __len__(self) -> int:
        return self._chars_at[-1]

    def __bool__(self) -> bool:
        return self._size > 0

    def __str__(self) -> str:
        return _decode(self._bytes(0, self._size))

    def __getitem__(self, key) -> str:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return str(self)[key]
            return self._span(start, stop)
        index = key.__index__()
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("string index out of range")
        return self._span(index, index + 1)

    def _span(self, start: int, stop: int) -> str:
        if start >= stop:
            return ""
        first = bisect.bisect_right(self._chars_at, start) - 1
        last = bisect.bisect_left(self._chars_at, stop)  # the block boundary at or after `stop`
        begin = self._bytes_at[first]
        text = _decode(self._bytes(begin, self._bytes_at[last] - begin))
        skip = self._chars_at[first]
        return text[start - skip : stop - skip]

    def utf8(self) -> bytes:
        """The text's UTF-8 bytes (lone surrogates as "surrogatepass" writes them)."""
        return self._bytes(0, self._size)

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        if codecs.lookup(encoding).name == "utf-8" and errors == _ERRORS:
            return self.utf8()
        return str(self).encode(encoding, errors)

    def isspace(self) -> bool:
        return bool(self) and all(
            self._span(self._chars_at[i], self._chars_at[i + 1]).isspace()
            for i in range(len(self._chars_at) - 1)
        )

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if isinstance(other, StoredText):
            return self._size == other._size and self.utf8() == other.utf8()
        return isinstance(other, str) and len(other) == len(self) and str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))  # equal to the str it equals

    def __reduce__(self):
        # Pickled (to a child process) as its bytes, held in memory there.
        return StoredText.of_bytes, (self.utf8(),)

    def __repr__(self) -> str:
        return f"<StoredText of {len(self):,} characters ({self._size:,} bytes of UTF-8)>"


def whole(text: str | StoredText) -> str:
    """The text as one `str` (a `StoredText` decoded)."""
    return text if isinstance(text, str) else str(text)
