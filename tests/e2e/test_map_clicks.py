"""A marker click selects its place on the first click, whether or not the map is wholly in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import MAP_FRAME, show_mosul_marker


@pytest.fixture(scope="module")
def mosul(seeds_build):
    return seeds_build.places.loc[seeds_build.places["name"] == "Mosul"].iloc[0]


def _main_scroll(page) -> float:
    """How far the page's main area is scrolled (Streamlit scrolls a section, not the window)."""
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return (m ? m.scrollTop : 0) + window.scrollY; }"
    )


@pytest.mark.parametrize(
    ("width", "height", "scroll"),
    [(1280, 720, 0), (1440, 900, 250), (414, 896, 300)],
    ids=[
        "1280x720, map's foot below the window",
        "1440x900, scrolled 250 px",
        "414x896, scrolled 300 px",
    ],
)
def test_the_first_click_on_a_marker_selects_it_when_the_map_is_partly_out_of_view(
    app_url, browser, mosul, width, height, scroll
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        marker = show_mosul_marker(page, app_url, mosul)
        if scroll:
            page.locator('[data-testid="stMain"]').evaluate(f"(m) => m.scrollBy(0, {scroll})")
        else:  # at this size the map's top shows but its foot is below the window
            marker.scroll_into_view_if_needed()
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["y"] < 0 or box["y"] + box["height"] > height, "the map is wholly in view"
        before = _main_scroll(page)
        marker.click()
        expect(page.locator(".geo-place h3")).to_have_text("Mosul")
        assert _main_scroll(page) == before  # the click did not move the page under the pointer
    finally:
        context.close()
