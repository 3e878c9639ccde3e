import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from geo.dashboard.panel import (
    claim_card_html,
    document_header_html,
    document_html,
    document_page_html,
    excerpt_html,
    place_header_html,
)
from geo.evidence.dates import date_label


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_mention_is_marked_by_offsets():
    html = excerpt_html("Fighters left Mosul for Raqqa.", 14, 19)
    assert "<mark>Mosul</mark>" in html


def test_markup_in_document_text_is_escaped_not_rendered():
    text = '<script>alert(1)</script> "Mosul" <img src=x onerror=alert(2)>'
    html = excerpt_html(text, text.index("Mosul"), text.index("Mosul") + 5)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Mosul</mark>" in html


def test_mention_that_contains_markup_stays_escaped_inside_the_mark():
    text = "x <b>Mosul</b> y"
    html = excerpt_html(text, 2, 14)
    assert "<mark>&lt;b&gt;Mosul&lt;/b&gt;</mark>" in html


def test_offsets_outside_the_excerpt_give_plain_escaped_text():
    assert excerpt_html("a < b", 3, 99) == "a &lt; b"
    assert "<mark>" not in excerpt_html("Mosul", 4, 2)


def test_long_excerpt_is_cut_around_the_mention():
    text = "word " * 500 + "Mosul" + " word" * 500
    start = text.index("Mosul")
    html = excerpt_html(text, start, start + 5, context=100)
    assert "<mark>Mosul</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 300


def test_line_breaks_in_the_excerpt_collapse_to_spaces():
    text = "the city of\n\n  Mosul\nfell"
    html = excerpt_html(text, text.index("Mosul"), text.index("Mosul") + 5)
    assert html == "the city of <mark>Mosul</mark> fell"


@given(st.text(max_size=60), st.text(min_size=1, max_size=10), st.text(max_size=60))
def test_highlighting_never_loses_or_adds_text(before, mention, after):
    text = before + mention + after
    html = excerpt_html(text, len(before), len(before) + len(mention), context=10_000)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert " ".join(visible_text(html).split()) == " ".join(text.split())
    marked = re.search(r"<mark>(.*)</mark>", html, re.S)
    assert marked and unescape(marked.group(1)).split() == mention.split()


def test_date_labels_say_where_the_date_comes_from():
    assert date_label("2015-11", "stated") == "Nov 2015 (stated in text)"
    assert date_label("2016-12-19", "published") == "19 Dec 2016 (publication date)"
    assert date_label("2017", "stated") == "2017 (stated in text)"
    assert date_label("", "unknown") == "date unknown"


CLAIM = {
    "excerpt": "In November 2015 he was arrested in Mosul, officials said.",
    "excerpt_start": 100,
    "start": 136,
    "end": 141,
    "date": "2015-11",
    "date_basis": "stated",
    "date_precision": "month",
    "date_text": "In November 2015",
    "published": "2016-12-19",
    "source": "ATbar",
    "title": "The Demise of the Caliphate: Quo Vadis ISIS?",
    "author": "Karmon, Ely (Dr.)",
    "attribution": "officials",
}


def test_claim_card_shows_excerpt_source_title_author_dates_and_attribution():
    html = claim_card_html(CLAIM)
    text = visible_text(html)
    assert "<mark>Mosul</mark>" in html
    assert "ATbar" in text and "Quo Vadis ISIS?" in text and "Karmon, Ely (Dr.)" in text
    assert "Nov 2015 (stated in text)" in text
    assert "published 19 Dec 2016" in text
    assert "According to: officials" in text


def test_claim_card_marks_the_mention_when_the_excerpt_starts_with_blank_lines():
    excerpt = "\n\n  Fighting in Mosul went on."
    card = {**CLAIM, "excerpt": excerpt, "excerpt_start": 10, "start": 10 + excerpt.index("Mosul")}
    card["end"] = card["start"] + 5
    assert "<mark>Mosul</mark>" in claim_card_html(card)


def test_claim_card_escapes_every_field():
    evil = {
        k: '<img src=x onerror="alert(1)">' for k in ("source", "title", "author", "attribution")
    }
    html = claim_card_html({**CLAIM, **evil})
    assert "<img" not in html


def test_claim_card_without_date_or_author_says_date_unknown():
    html = claim_card_html(
        {
            **CLAIM,
            "date": "",
            "date_basis": "unknown",
            "published": "",
            "author": "",
            "attribution": "",
        }
    )
    text = visible_text(html)
    assert "date unknown" in text and "According to" not in text and " by " not in text


def test_claim_card_does_not_repeat_a_title_that_is_the_source():
    html = claim_card_html({**CLAIM, "source": "Quo Vadis", "title": "Quo Vadis"})
    assert visible_text(html).count("Quo Vadis") == 1


def test_place_header_lists_kind_country_coordinates_and_counts():
    place = {"name": "Mosul", "kind": "city", "country_code": "IQ", "lat": 36.34, "lon": 43.13,
             "source": "GeoNames 99072"}  # fmt: skip
    text = visible_text(place_header_html(place, 12, 3))
    assert "Mosul" in text and "city" in text and "IQ" in text
    assert "36.3400°N, 43.1300°E" in text and "GeoNames 99072" in text
    assert "12 claims in 3 documents" in text


def test_document_keeps_its_text_and_anchors_the_mention():
    text = "Title\n\nLine <one> & Mosul.\n"
    html = document_html(text, text.index("Mosul"), text.index("Mosul") + 5)
    assert '<mark id="geo-mention">Mosul</mark>' in html
    assert visible_text(html) == text


def test_document_page_scrolls_to_the_mention_and_runs_no_script_from_the_text():
    text = "</div><script>alert(1)</script> Mosul"
    page = document_page_html(text, text.index("Mosul"), text.index("Mosul") + 5)
    assert page.count("<script>") == 1  # ours
    assert "scrollIntoView" in page and 'id="geo-mention"' in page


def test_document_header_names_outlet_author_date_and_file_escaped():
    html = document_header_html("T <i>", "Outlet", "A. Author", "2016-12-19", "seeds/x.txt")
    text = visible_text(html)
    assert "T <i>" in text and "<i>" not in html
    assert "Outlet · A. Author · 19 Dec 2016" in text and "seeds/x.txt" in text


def test_document_header_without_outlet_or_date_does_not_repeat_the_title():
    text = visible_text(document_header_html("Title", "", "", "", "seeds/x.txt"))
    assert text.count("Title") == 1 and "publication date unknown" in text


def test_a_claim_of_an_untitled_document_names_its_file_as_a_file():
    from geo.dashboard.panel import claim_card_html

    claim = {"excerpt": "Mosul fell.", "excerpt_start": 0, "start": 0, "end": 5,
             "source": "notes.txt", "title": "", "doc_id": "notes.txt", "author": ""}  # fmt: skip
    html = claim_card_html(claim)
    assert '<b class="geo-file">notes.txt</b>' in html
    assert "file name: the document states no title" in html
    assert "<b>notes.txt</b>" not in html
