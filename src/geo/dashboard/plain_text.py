"""Text from documents, links and users placed in Streamlit elements that render Markdown (captions,
notices, labels): shown as written, never interpreted.

Streamlit renders such strings as GitHub Markdown with LaTeX (`$…$`), colour and icon directives
(`:red[…]`, `:material/…:`) and link literals: `![](http://host/p.png)` in a link would make every
visitor's browser fetch a remote image, `[log in](http://host)` would be a clickable link. Every
ASCII punctuation character is backslash-escaped (CommonMark renders an escaped character as
itself, and a link, image, directive, formula, entity, emphasis, heading or HTML tag needs one of
them unescaped), and line breaks become spaces (no heading or list can start). Escapes do not stop
GitHub's link literals (`http://…`, `www.…`, `name@host.org` become links after escapes are
resolved): an invisible WORD JOINER (U+2060) goes after the scheme's colon, after "www" and before
"@", so that the text reads the same and no link is made.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINK_LITERAL = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def markdown_text(text: object) -> str:
    """`text` for a Markdown-rendering element, to be shown literally, on one line."""
    one_line = _LINK_LITERAL.sub(WORD_JOINER, " ".join(str(text).split()))
    return _PUNCTUATION.sub(r"\\\1", one_line)


def as_shown(markdown: str) -> str:
    """What a person reads of a string that `markdown_text` escaped (for tests and logs)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")
