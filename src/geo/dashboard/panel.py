"""HTML for the side panel: a place's header, claim cards and the full document, all from untrusted text.

Every piece of document text goes through `html.escape`; the only markup is ours. Mentions are
highlighted by offsets (escape the text before, the mention and the text after, then wrap the
mention in <mark>), never by searching the escaped text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from html import escape
from pathlib import PurePath

from geo.dashboard.evidence_html import claim_evidence_html
from geo.evidence.dates import date_label, format_iso_date
from geo.text.stored_text import StoredText, whole

# Precisions an ISO date cannot express; for these the words from the text say more.
_COARSE_PRECISIONS = {"season", "range"}
MENTION_ANCHOR = "geo-mention"

PANEL_CSS = """
<style>
/* Less empty space above the title: the map should be visible without scrolling. */
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
.geo-place h3 { margin: 0 0 .2rem 0; }
.geo-place .geo-facts { color: #555; font-size: .9rem; line-height: 1.45; }
.geo-claim { border-left: 3px solid #c0392b; padding: .35rem .7rem; margin: .2rem 0 .3rem 0;
  background: rgba(128,128,128,.06); border-radius: 0 4px 4px 0; }
.geo-claim .geo-excerpt { margin: 0 0 .35rem 0; line-height: 1.5; overflow-wrap: anywhere; }
.geo-claim mark, .geo-doc mark { background: #ffe066; color: inherit; padding: 0 .1em;
  border-radius: 2px; font-weight: 600; }
.geo-claim .geo-meta { color: #555; font-size: .82rem; line-height: 1.4; }
.geo-claim .geo-meta b { color: #333; }
.geo-file { font-family: monospace; font-weight: normal; }
</style>
"""


def _slice_is_valid(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def highlighted(text: str | StoredText, start: int, end: int, mark_id: str | None = None) -> str:
    """`text` escaped, with text[start:end] wrapped in <mark>; no mark if the offsets do not fit.
    (A StoredText, a document's long text kept in the build cache's file, is sliced the same way.)"""
    if not _slice_is_valid(text, start, end):
        return escape(whole(text))
    id_attr = f' id="{escape(mark_id)}"' if mark_id else ""
    return (
        escape(text[:start])
        + f"<mark{id_attr}>"
        + escape(text[start:end])
        + "</mark>"
        + escape(text[end:])
    )


def _trim_around(text: str, start: int, end: int, context: int) -> tuple[str, int, int]:
    """Cut `text` to about `context` characters either side of [start, end), at word boundaries."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(text) else ""
    piece = prefix + text[lo:hi] + suffix
    shift = len(prefix) - lo
    return piece, start + shift, end + shift


def excerpt_html(excerpt: str, mention_start: int, mention_end: int, context: int = 400) -> str:
    """The excerpt escaped, whitespace collapsed, the mention in <mark>; very long excerpts are cut
    to `context` characters either side of the mention."""
    excerpt = excerpt or ""
    if not _slice_is_valid(excerpt, mention_start, mention_end):
        return escape(" ".join(excerpt.split()))
    # Collapse runs of whitespace in each piece separately so the offsets stay right.
    before = re.sub(r"\s+", " ", excerpt[:mention_start]).lstrip()
    mention = re.sub(r"\s+", " ", excerpt[mention_start:mention_end])
    after = re.sub(r"\s+", " ", excerpt[mention_end:]).rstrip()
    text = before + mention + after
    start, end = len(before), len(before) + len(mention)
    if len(text) > 2 * context + len(mention):
        text, start, end = _trim_around(text, start, end, context)
    return highlighted(text, start, end)


def _text(value: object) -> str:
    """A table cell as text: NaN and None become ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def claim_card_html(claim: Mapping) -> str:
    """One claim: the excerpt with the mention marked, who published it and when, who said it."""
    excerpt = claim.get("excerpt")
    excerpt = excerpt if isinstance(excerpt, str) else ""  # not stripped: offsets count every char
    offset = int(claim.get("excerpt_start") or 0)
    body = excerpt_html(excerpt, int(claim["start"]) - offset, int(claim["end"]) - offset)

    source, title, author = (_text(claim.get(k)) for k in ("source", "title", "author"))
    who = [f"<b>{escape(source)}</b>"] if source else []
    if source and not title and source == _text(claim.get("doc_id")):
        who = [untitled_html(source)]  # no outlet, no title: the file is all there is to name
    if title and title != source:
        who.append(f"<i>{escape(title)}</i>")
    if author:
        who.append(f"by {escape(author)}")

    date, basis = _text(claim.get("date")), _text(claim.get("date_basis"))
    when = escape(date_label(date, basis))
    date_text = _text(claim.get("date_text"))
    if basis == "stated" and date_text and _text(claim.get("date_precision")) in _COARSE_PRECISIONS:
        when += f" — “{escape(date_text)}”"
    published = _text(claim.get("published"))
    if published and basis != "published":
        when += f" · published {escape(format_iso_date(published))}"

    lines = [f'<div class="geo-excerpt">{body}</div>']
    if who:
        lines.append(f'<div class="geo-meta">{" · ".join(who)}</div>')
    lines.append(f'<div class="geo-meta">{when}</div>')
    attribution = _text(claim.get("attribution"))
    if attribution:
        lines.append(f'<div class="geo-meta">According to: {escape(attribution)}</div>')
    lines.append(claim_evidence_html(claim))  # how firmly stated, the reference its note cites
    return '<div class="geo-claim">' + "".join(lines) + "</div>"


def place_header_html(place: Mapping, n_claims: int, n_docs: int) -> str:
    """Name, kind, country, coordinates with their source, and how much the filtered corpus says."""
    facts = [escape(_text(place.get("kind")) or "place")]
    country = _text(place.get("country_code"))
    if country:
        facts.append(escape(country))
    lat, lon = float(place["lat"]), float(place["lon"])
    coords = f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'}, {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"
    coord_source = _text(place.get("source"))
    if coord_source:
        coords += f" (coordinates: {escape(coord_source)})"
    claims = f"{n_claims} claim{'s' * (n_claims != 1)} in {n_docs} document{'s' * (n_docs != 1)}"
    return (
        '<div class="geo-place">'
        f"<h3>{escape(_text(place.get('name')))}</h3>"
        f'<div class="geo-facts">{" · ".join(facts)}<br>{coords}<br><b>{claims}</b></div>'
        "</div>"
    )


def untitled_html(file_name: str) -> str:
    """A document that states no title, named by its file, and said to be so."""
    return (
        f'<b class="geo-file">{escape(file_name)}</b>'
        " <i>(file name: the document states no title)</i>"
    )


def document_header_html(title: str, outlet: str, author: str, published: str, path: str) -> str:
    """Above the full text: title, then outlet, author and publication date, then the file."""
    facts = [f for f in (outlet, author) if f and f != title]
    facts.append(format_iso_date(published) if published else "publication date unknown")
    heading = f"<b>{escape(title)}</b>" if title else untitled_html(PurePath(path).name)
    return (
        f'<div class="geo-doc-head">{heading}'
        f'<div style="color:#555;font-size:.9rem">{escape(" · ".join(facts))}'
        f"<br>File: <code>{escape(path)}</code></div></div>"
    )


def document_html(text: str | StoredText, start: int, end: int) -> str:
    """The whole document escaped, line breaks kept, the mention in <mark id="geo-mention">."""
    return (
        '<div class="geo-doc" style="white-space: pre-wrap; overflow-wrap: anywhere;">'
        + highlighted(text, start, end, mark_id=MENTION_ANCHOR)
        + "</div>"
    )


def document_page_html(text: str, start: int, end: int, height_px: int = 520) -> str:
    """A self-contained page for an iframe: the document in a scroll box, scrolled to the mention.

    The script is a constant of ours; the document text is escaped, so it cannot add any.
    """
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: "Source Serif Pro", Georgia, serif; font-size: 15px; color: #222; }}
.box {{ height: {int(height_px) - 4}px; overflow-y: auto; padding: 0 .8rem; line-height: 1.55;
  border: 1px solid #ddd; border-radius: 4px; box-sizing: border-box; }}
mark {{ background: #ffe066; color: inherit; font-weight: 600; padding: 0 .1em; }}
</style></head><body><div class="box">{document_html(text, start, end)}</div>
<script>
var m = document.getElementById("{MENTION_ANCHOR}");
if (m) {{ m.scrollIntoView({{block: "center"}}); }}
</script></body></html>"""


# Scrolls the full text to the mention when it is drawn in the page (st.html with
# unsafe_allow_javascript): our own script, the document's text is escaped.
SCROLL_TO_MENTION = f"""<script>
(function bring(tries) {{
    var marks = document.querySelectorAll('mark#{MENTION_ANCHOR}');
    var mark = marks[marks.length - 1];
    if (mark) {{ mark.scrollIntoView({{block: 'center'}}); return; }}
    if (tries > 0) {{ setTimeout(function () {{ bring(tries - 1); }}, 100); }}
}})(30);
</script>"""
