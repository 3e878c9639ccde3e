"""Text from links, documents and users shown in Markdown-rendering elements: every construct that
could turn it into a link, an image, a formula or markup is escaped."""

from __future__ import annotations

import re

import pytest

from geo.dashboard.plain_text import WORD_JOINER, markdown_text


@pytest.mark.parametrize(
    "text",
    [
        "![](http://host/p.png)",
        "[Session expired – log in](http://host)",
        "$x^2$ and $$\\int$$",
        ":red[alarm] :material/warning:",
        "<img src=x onerror=alert(1)>",
        "**bold** _it_ `code` ~~gone~~",
        "&lt;b&gt; &#60;",
        "# heading\n- item\n1. item\n> quote\n===",
    ],
)
def test_markup_is_escaped_so_that_it_shows_as_written(text):
    escaped = markdown_text(text)
    assert "\n" not in escaped
    # Every ASCII punctuation character is escaped by a backslash of its own.
    punctuation = re.compile(r"[!-/:-@\[-`{-~]")
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert punctuation.fullmatch(escaped[i + 1]), escaped
            i += 2
        else:
            assert not punctuation.fullmatch(escaped[i]), escaped
            i += 1
    # Unescaping gives back the text (line breaks as spaces).
    unescaped = re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "")
    assert unescaped == " ".join(text.split())


def test_link_literals_are_broken_by_an_invisible_word_joiner():
    escaped = markdown_text("http://host/x www.host.org me@host.org")
    assert "http\\:" + WORD_JOINER + "\\/\\/" in escaped
    assert "www" + WORD_JOINER + "\\." in escaped and "me" + WORD_JOINER + "\\@" in escaped


def test_plain_words_and_non_ascii_are_left_alone():
    assert markdown_text("Raqqa — Ar-Raqqah") == "Raqqa — Ar\\-Raqqah"
    assert markdown_text("Amira Said") == "Amira Said"
