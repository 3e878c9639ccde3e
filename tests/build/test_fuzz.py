"""Property tests: any text, any bytes, and the pipeline still gives valid claims, never an exception.

Texts are drawn from all of Unicode, and from pieces that exercise the rules (place names, dates,
quotes, attributions, markup, odd line breaks and invisible characters) joined at random.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from html import unescape
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.build.claims import claim_rows
from geo.cli import geoparse_record
from geo.dashboard.panel import claim_card_html, document_html
from geo.documents.reading import (
    Document,
    UnreadableDocument,
    decode_text,
    extract_metadata,
    read_document,
    without_invisible_characters,
)
from geo.evidence.dates import parse_iso_date
from geo.store.schema import DATE_BASES, claims_frame, read_claims, write_csv_atomically
from geo.text.sentences import split_sentences

PIECES = [
    # places, spelling variants, demonyms and traps
    "Mosul", "Raqqa", "Raqa", "Sirte", "Kermanshah province", "Nangarhar", "Trinidad and Tobago",
    "Deir Ezzor", "Tal-Afar", "Iraq", "Iraqi", "Syrians", "U.S.", "the EU", "Abu Bakr al-Baghdadi",
    "Georgetown University", "Nice", "Kabulov", "MOSUL", "mosul", "Mosul’s", "Al-Raqqa", "São Paulo",
    "Kirkūk", "الموصل", "Москва", "東京",
    # dates
    "in November 2015", "on 19/12/2016", "2017", "last spring", "between 2014 and 2016",
    "Sunday, October 29, 2017", "Feb. 30, 2016", "31/02/2017", "0000", "9999-99-99", "in 1066",
    "two years ago", "the next day", "early 2016", "the 1990s",
    # attribution and quotes
    " said ", "according to ", " told Reuters", "“", "”", "‘", "’", '"', "'", "`",
    # structure and invisible characters
    ". ", ", ", "; ", "\n", "\r\n", "\r", "\n\n", "\t", "\u2028", "\u2029", "\x85", "\x0c",
    "\ufeff", "\u200b", "\u200d", "\u00a0", "\u0301", "…", "—", "-", "(", ")", "[1]", "1.", "•",
    # markup
    "<script>alert(1)</script>", "<b>", "&amp;", "&lt;", "<img src=x onerror=alert(1)>",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=80).map(
        "".join
    ),
)
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
OUR_TAGS = re.compile(r'</?(?:div|b|i|mark)(?: (?:class|id)="[\w-]+")?>')


def is_iso_date(value: str) -> bool:
    if not ISO.fullmatch(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0] or 1, parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return parse_iso_date(value) is not None


def document_for(text: str) -> Document:
    return Document(doc_id="fuzz", path="fuzz.txt", text=text, **extract_metadata("fuzz", text))


def claims_of(geoparser, text: str) -> list[dict]:
    resolved, _ = geoparser.parse(text)
    resolved = [r for r in resolved if not r.mention.embedded]
    return claim_rows(document_for(text), resolved, geoparser.gazetteer)


@FUZZ
@given(text=texts)
@example(text="Fighters left Mosul\rfor Raqqa in November 2015.\r")
@example(text="\ufeffMosul\u2028Raqqa\x85Sirte")
def test_any_text_gives_valid_claims(geoparser, text):
    for claim in claims_of(geoparser, text):
        start, end = claim["start"], claim["end"]
        assert 0 <= start < end <= len(text)
        assert text[start:end] == claim["mention"]
        excerpt_start = claim["excerpt_start"]
        assert excerpt_start <= start and end <= excerpt_start + len(claim["excerpt"])
        assert text[excerpt_start : excerpt_start + len(claim["excerpt"])] == claim["excerpt"]
        assert text[excerpt_start : claim["excerpt_end"]] == claim["excerpt"]  # the span held
        assert claim["date"] == "" or is_iso_date(claim["date"]), claim["date"]
        assert claim["published"] == "" or is_iso_date(claim["published"]), claim["published"]
        assert claim["date_basis"] in DATE_BASES
        assert (claim["date"] == "") == (claim["date_basis"] == "unknown")
        assert claim["mention_type"] in ("toponym", "demonym")


@FUZZ
@given(text=texts)
def test_any_claim_is_shown_with_every_character_escaped(geoparser, text):
    for claim in claims_of(geoparser, text):
        html = claim_card_html(claim)
        assert "<" not in OUR_TAGS.sub("", html), html
        assert html.count("<mark>") == 1
        # Nothing is lost either: the excerpt reads back from the HTML, spaces collapsed.
        shown = unescape(OUR_TAGS.sub("", html.split('<div class="geo-meta">')[0]))
        assert " ".join(claim["mention"].split()) in shown
    page = document_html(text, 0, min(len(text), 5))
    body = page[page.index(">") + 1 : -len("</div>")]
    assert "<" not in OUR_TAGS.sub("", body)
    assert unescape(OUR_TAGS.sub("", body)) == text


@settings(max_examples=60, deadline=None, derandomize=True)
@given(text=texts)
@example(text="Mosul\r\rRaqqa\r")
def test_claims_read_back_from_the_file_as_written(geoparser, text):
    frame = claims_frame(claims_of(geoparser, text))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        write_csv_atomically(frame, path)
        back = read_claims(path)
    assert back.to_dict("records") == frame.to_dict("records")


@FUZZ
@given(text=texts)
def test_geoparse_output_points_into_the_text(geoparser, text):
    answer = geoparse_record(geoparser, {"id": 1, "text": text})
    for toponym in answer["toponyms"]:
        assert text[toponym["start"] : toponym["end"]] == toponym["name"]


@FUZZ
@given(text=texts)
def test_sentences_cover_the_text_in_order(text):
    spans = split_sentences(text)
    ends = [0]
    for start, end in spans:
        assert ends[-1] <= start < end <= len(text)
        ends.append(end)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        texts.map(lambda t: t.encode("utf-8")),
        texts.map(lambda t: t.encode("utf-16")),
        texts.map(lambda t: t.encode("cp1252", errors="ignore")),
        texts.map(lambda t: t.encode("utf-8")[:-1]),
    )
)
@example(data="Mo\u00adsul and Ra\u200bqqa\n".encode())  # invisible characters are dropped
def test_any_bytes_decode_or_are_refused_as_binary(data):
    decoded = decode_text(data)
    assert isinstance(decoded.text, str) and decoded.replaced >= 0
    if decoded.encoding == "utf-8" and not decoded.replaced:
        assert decoded.text == data.decode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_bytes(data)
        try:
            document = read_document(path)
        except UnreadableDocument as exc:
            assert exc.reason.startswith("binary content")
        else:
            # The document's text is the decoded text without characters that print as nothing
            # (zero-width space, soft hyphen, …: geo.documents.reading.without_invisible_characters).
            assert document.text == without_invisible_characters(decoded.text)
