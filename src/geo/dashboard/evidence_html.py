"""HTML for the evidence in the side panel: hedging and cited reference under a claim, agreement
per place (documents, speakers, numbers side by side). Document text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

from geo.evidence.dates import format_iso_date
from geo.evidence.quantities import place_quantities, subjects_with_disagreement
from geo.evidence.speakers import NO_SPEAKER, speaker_names

EVIDENCE_CSS = """
<style>
.geo-agree { font-size: .86rem; line-height: 1.45; margin: .2rem 0 .5rem 0; }
.geo-agree table { border-collapse: collapse; width: 100%; margin-top: .3rem; }
.geo-agree th, .geo-agree td { border-bottom: 1px solid rgba(128,128,128,.25); padding: .15rem .35rem;
  text-align: left; vertical-align: top; }
.geo-agree th { font-weight: 600; color: #444; }
.geo-agree .geo-num { font-weight: 700; white-space: nowrap; }
.geo-agree .geo-differ { color: #c0392b; font-weight: 600; }
.geo-agree .geo-basis { color: #777; font-size: .78rem; }
.geo-claim .geo-hedge { display: inline-block; background: #fff3bf; color: #5c4400; border-radius: 3px;
  padding: 0 .3em; font-size: .78rem; }
.geo-claim .geo-ref { color: #444; font-size: .8rem; border-top: 1px dotted #bbb; margin-top: .25rem;
  padding-top: .15rem; overflow-wrap: anywhere; }
</style>
"""


NUMBERS_PER_PAGE = 25  # rows of the numbers table at a time: a country can have thousands


def number_pages(n_numbers: int, per_page: int = NUMBERS_PER_PAGE) -> int:
    """How many pages the numbers table of `n_numbers` rows takes (at least one)."""
    return max(1, -(-n_numbers // per_page))


def agreement_html(
    place_claims: pd.DataFrame,
    quantities: pd.DataFrame | None = None,
    page: int = 1,
    per_page: int = NUMBERS_PER_PAGE,
) -> str:
    """How many documents and speakers say something about the place, and the numbers they give,
    side by side by subject, with speaker, date and source: one page of them, so that a place
    with thousands of numbers does not send them all to the browser at once.

    `quantities` is `place_quantities(place_claims)` when the caller already has it."""
    n_docs = place_claims["doc_id"].nunique()
    n_outlets = place_claims["source"].nunique()
    names = speaker_names(place_claims["attribution"].fillna(""))
    named = sorted({n for n in names.values() if n and n != NO_SPEAKER}, key=str.casefold)
    shown = ", ".join(escape(s) for s in named[:8]) + (" …" if len(named) > 8 else "")
    parts = [
        f"<b>{n_docs}</b> document{'s' * (n_docs != 1)} from <b>{n_outlets}</b> "
        f"source{'s' * (n_outlets != 1)}",
        f"<b>{len(named)}</b> attributed speaker{'s' * (len(named) != 1)}"
        + (f": {shown}" if named else ""),
    ]
    html = '<div class="geo-agree">' + "<br>".join(parts)
    if quantities is None:
        quantities = place_quantities(place_claims)
    if not quantities.empty:
        html += _numbers_table_html(quantities, page, per_page)
    return html + "</div>"


def _numbers_table_html(quantities: pd.DataFrame, page: int, per_page: int) -> str:
    """One page of the numbers table; disagreement and sources are judged over all of them."""
    differ = set(subjects_with_disagreement(quantities))
    one_source = quantities["source"].nunique() == 1  # then said once, under the table
    n_pages = number_pages(len(quantities), per_page)
    page = min(max(page, 1), n_pages)
    first = (page - 1) * per_page
    rows = []
    for q in quantities.iloc[first : first + per_page].to_dict("records"):
        subject = escape(q["subject"])
        if q["subject"] in differ:
            subject = (
                f'<span class="geo-differ" title="stated with different values">{subject} ≠</span>'
            )
        when = escape(format_iso_date(q["when"])) if q["when"] else "date unknown"
        beside = ""
        if not q.get("tied", True):
            # Not the place's figure: the sentence names the place in another clause.
            beside = (
                '<div class="geo-basis">stated in a sentence that also names '
                f"{escape(str(q.get('also_names') or 'this place'))}</div>"
            )
        rows.append(
            f'<tr><td>{subject}{beside}</td><td class="geo-num">{escape(q["value"])}</td>'
            f"<td>{escape(q['speaker']) or '<i>not attributed</i>'}</td>"
            f'<td>{when}<div class="geo-basis">{escape(q["when_basis"])}</div></td>'
            + ("" if one_source else f"<td>{escape(str(q['source']))}</td>")
            + "</tr>"
        )
    in_head = "" if one_source else "<th>in</th>"
    html = ""
    if n_pages > 1:
        html += (
            f'<div class="geo-basis">Numbers {first + 1:,}–{first + len(rows):,} of '
            f"{len(quantities):,}, by subject, then date</div>"
        )
    html += (
        f"<table><tr><th>counting</th><th>number</th><th>per</th><th>when</th>{in_head}</tr>"
        + "".join(rows)
        + "</table>"
    )
    if one_source:
        source = escape(str(quantities["source"].iloc[0]))
        html += (
            f'<div class="geo-basis">All in <i>{source}</i>. ≠: stated with different values.</div>'
        )
    else:
        html += '<div class="geo-basis">≠: stated with different values.</div>'
    return html


def claim_evidence_html(claim: Mapping) -> str:
    """Under a claim card: whether it comes from the reference list, how firmly it is stated and
    the reference its note cites."""
    lines = []
    note = claim.get("note") or ""
    if isinstance(note, str) and note:
        lines.append(
            f'<div class="geo-meta">From the reference list, note [{escape(note)}]: what a cited '
            "piece says, not the document's own statement.</div>"
        )
    level = claim.get("hedging") or ""
    if isinstance(level, str) and level:
        cue = claim.get("hedging_cue") or ""
        lines.append(
            f'<div class="geo-meta">Stated as: <span class="geo-hedge">{escape(level)}</span>'
            + (f" (“{escape(str(cue))}”)" if cue else "")
            + "</div>"
        )
    reference = claim.get("reference") or ""
    if isinstance(reference, str) and reference:
        refs = "<br>".join(escape(line) for line in reference.split("\n"))
        lines.append(f'<div class="geo-ref">Cited: {refs}</div>')
    return "".join(lines)
