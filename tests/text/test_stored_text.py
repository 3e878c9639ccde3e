"""A text kept as UTF-8 bytes gives exactly the characters the same text as a str gives."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.text.stored_text import StoredText, whole

# Every kind of character: ASCII, Latin-1, curly quotes (2 bytes in a str, 3 in UTF-8), astral
# (4 and 4), combining marks, line breaks, and lone surrogates as the build cache writes them.
CHARACTERS = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
    st.sampled_from("“”‘’—…éß\u0301\r\n \t\U0001f600\u200b"),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
)
TEXTS = st.text(CHARACTERS, max_size=300)
SIZES = st.integers(min_value=4, max_value=64)  # small blocks: many boundaries in a short text


@settings(max_examples=300, deadline=None)
@given(TEXTS, SIZES, SIZES, st.data())
def test_every_span_is_the_same_characters_as_the_str_gives(text, block, chunk, data):
    stored = StoredText.of_str(text, block=block, chunk=chunk)
    assert len(stored) == len(text)
    assert str(stored) == whole(stored) == text
    bound = st.integers(min_value=-len(text) - 3, max_value=len(text) + 3)
    for _ in range(20):
        start, stop = data.draw(bound), data.draw(bound)
        assert stored[start:stop] == text[start:stop]
        assert stored[start:] == text[start:]
        assert stored[:stop] == text[:stop]
    if text:
        index = data.draw(st.integers(min_value=-len(text), max_value=len(text) - 1))
        assert stored[index] == text[index]
    assert stored[::2] == text[::2]


@settings(max_examples=200, deadline=None)
@given(TEXTS, SIZES)
def test_it_equals_encodes_and_pickles_as_the_str(text, block):
    stored = StoredText.of_str(text, block=block, chunk=block)
    assert stored == text and stored == StoredText.of_str(text) and hash(stored) == hash(text)
    assert stored.encode("utf-8", "surrogatepass") == text.encode("utf-8", "surrogatepass")
    assert stored.isspace() == text.isspace()
    assert bool(stored) == bool(text)
    again = pickle.loads(pickle.dumps(stored))
    assert isinstance(again, StoredText) and str(again) == text


def test_a_long_text_read_from_a_file_decodes_only_the_blocks_of_a_span(tmp_path):
    text = "“Mosul”, he said. " * 20_000  # 380,000 characters, 460,000 bytes
    path = tmp_path / "text"
    path.write_bytes(text.encode("utf-8"))
    reads = []

    def read(offset, size):
        reads.append(size)
        with path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(size)

    stored = StoredText(read, path.stat().st_size)
    reads.clear()
    assert stored[200_001:200_010] == text[200_001:200_010]
    assert sum(reads) <= 2 * 4096
    assert stored[-5:] == text[-5:]


def test_bytes_that_are_not_utf8_are_refused_when_indexed():
    with pytest.raises(UnicodeDecodeError):
        StoredText.of_bytes("Raqqa “".encode() + b"\xff rest", block=4, chunk=4)
    with pytest.raises(UnicodeDecodeError):
        StoredText.of_bytes("cut “".encode()[:-1])  # a character cut short at the end


def test_a_file_that_shrank_is_an_error_not_a_short_excerpt():
    data = b"Mosul and Raqqa"
    stored = StoredText(lambda offset, size: data[offset : offset + size], len(data))
    data = data[:5]
    with pytest.raises(ValueError, match="could not be read"):
        stored[6:11]
