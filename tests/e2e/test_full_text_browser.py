"""The full text opens in the app's own font, scrolled to the mention, and nothing the app calls
is a Streamlit API past its removal date (the server logs no deprecation warning)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import show_mosul_marker


@pytest.fixture(scope="module")
def mosul(seeds_build):
    return seeds_build.places.loc[seeds_build.places["name"] == "Mosul"].iloc[0]


def test_the_full_text_is_in_the_apps_font_scrolled_to_the_mention_with_no_deprecated_api(
    app_server, page, mosul
):
    url = app_server()  # a server of its own, so that its log holds this visit only
    marker = show_mosul_marker(page, url, mosul)
    marker.click()
    expect(page.locator(".geo-place h3")).to_have_text("Mosul")
    page.get_by_role("button", name="Full text").first.click()
    dialog = page.get_by_role("dialog")
    mark = dialog.locator("mark#geo-mention")
    expect(mark).to_have_count(1)
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_text("Mosul")
    font = "(el) => getComputedStyle(el).fontFamily"
    app_font = page.locator(".geo-place h3").evaluate(font)
    assert dialog.locator(".geo-doc").evaluate(font) == app_font

    log = app_server.logs[url].read_text()
    assert "will be removed" not in log and "deprecat" not in log.lower(), log
