"""Documents that carry HTML and script: in a real browser nothing runs and the text shows as written.

The corpus (tests/conftest.py, `hostile_corpus`) puts `<script>`, `<img onerror>`, quotes,
apostrophes and backticks next to "Mosul" in the text, the title, the outlet, the author, an
attribution and a file name.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo.build.pipeline import build_corpus
from geo.dashboard.mapview import place_css_class

HOSTILE_FILE_NAME = "note <img src=x onerror=alert(9)>.txt"  # as in tests/conftest.py

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def hostile_app(app_server, hostile_corpus, gazetteer):
    build = build_corpus(hostile_corpus)
    mosul = build.places.loc[build.places["name"] == "Mosul"].iloc[0]
    return app_server("--corpus", str(hostile_corpus)), mosul


@pytest.fixture
def dialogs(page):
    """Every alert/confirm/prompt any frame of the page opens (each one dismissed)."""
    opened: list[str] = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def click_mosul(page, url: str, mosul):
    """Load the app, check the map is drawn, click Mosul's marker; the map frame."""
    page.goto(url)
    map_frame = page.frame_locator(MAP_FRAME).first
    expect(map_frame.locator(".leaflet-container")).to_have_count(1, timeout=90_000)
    marker = map_frame.locator("path." + ".".join(place_css_class(mosul["place_id"]).split()))
    expect(marker).to_have_count(1, timeout=60_000)
    marker.evaluate(
        "(el, ll) => { window.map.setView(ll, 8, {animate: false}); }",
        [float(mosul["lat"]), float(mosul["lon"])],
    )
    marker.click()
    expect(page.locator(".geo-place h3")).to_have_text("Mosul", timeout=30_000)
    return map_frame


def test_markup_in_documents_shows_as_text_runs_nothing_and_keeps_the_map(
    page, dialogs, hostile_app
):
    url, mosul = hostile_app
    map_frame = click_mosul(page, url, mosul)
    # The detector works: a dialog the test opens itself is seen.
    page.evaluate("() => alert('probe')")
    assert dialogs == ["probe"]
    # The basemap is drawn too: the map is not blank.
    assert map_frame.locator("path").count() > 50

    claims = page.locator(".geo-claim")
    expect(claims.first).to_be_visible()
    panel_text = " ".join(claims.all_inner_texts())
    for literal in (
        "<img src=x onerror=alert(1)> Fighters left Mosul",  # the excerpt
        "<script>alert(2)</script> too.",
        "\"quoted\", 'single', `backtick`",
        '<img src=x onerror=alert(5)> Title "quoted" it\'s `tick`',  # the title
        "<script>alert(6)</script> Outlet",  # the outlet, the claim's source
        "O'Brien <svg onload=alert(7)>",  # the author
        "According to: Jane <img src=x onerror=alert(3)>",  # the attribution
    ):
        assert literal in panel_text, literal
    expect(page.locator(".geo-claim mark").first).to_have_text("Mosul")

    # The full text (in the page, beside our own scroll script) shows the header and the
    # document literally too.
    page.get_by_role("button", name="Full text").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("<script>alert(6)</script> Outlet", timeout=30_000)
    document = dialog
    expect(document.locator(".geo-doc")).to_contain_text("<script>alert('title')</script> Mosul")
    expect(document.locator("mark#geo-mention")).to_have_text("Mosul")

    # Nothing the documents carry became an element in any frame, and no script ran.
    for frame in page.frames:
        assert frame.locator("img[src='x'], svg[onload], b[onmouseover]").count() == 0, frame.url
    assert dialogs == ["probe"]


def test_a_file_named_with_markup_is_shown_literally(page, dialogs, hostile_app):
    url, mosul = hostile_app
    click_mosul(page, url, mosul)
    card = page.locator(".geo-claim", has_text="Refugees from Sirte reached Mosul")
    expect(card).to_contain_text("Ahmed <b onmouseover=alert(8)>")
    # The card's own "Full text" button: the innermost block that holds the card.
    block = page.locator('[data-testid="stVerticalBlock"]', has=card).last
    block.get_by_role("button", name="Full text").click()
    expect(page.get_by_role("dialog")).to_contain_text(HOSTILE_FILE_NAME, timeout=30_000)
    for frame in page.frames:
        assert frame.locator("img[src='x'], b[onmouseover]").count() == 0, frame.url
    assert dialogs == []
