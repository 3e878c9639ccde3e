"""Selecting a row of "Needs review" opens that place in the panel and brings the panel into view."""

from __future__ import annotations

from playwright.sync_api import expect

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
ROW_PX = 35  # Streamlit's data grid: header and rows 35 px high


def test_selecting_a_row_of_needs_review_brings_the_user_to_its_place(app_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(app_url)
        expect(page.frame_locator(MAP_FRAME).locator("path.place").first).to_be_attached(
            timeout=90_000
        )
        expander = page.get_by_test_id("stExpander").filter(has_text="Needs review")
        expander.get_by_text("Needs review").click()
        grid = expander.get_by_test_id("stDataFrame")
        expect(grid).to_be_visible()
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        # The first data row's selection box, at the grid's left edge.
        page.mouse.click(box["x"] + 12, box["y"] + ROW_PX + ROW_PX / 2)
        panel = page.locator(".geo-place")
        expect(panel).to_be_attached()
        expect(panel).to_be_in_viewport()
    finally:
        context.close()
