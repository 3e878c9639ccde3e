"""The address bar holds the view after every change, so that copying it shares what is shown."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _wait_for_query(page, test_js: str) -> dict:
    """Wait until the address bar's query (window.location, what a user copies) passes `test_js`,
    a JS expression over `q` (URLSearchParams); its parameters."""
    page.wait_for_function(
        f"() => {{ const q = new URLSearchParams(location.search); return {test_js}; }}"
    )
    return parse_qs(urlparse(page.evaluate("() => location.href")).query)


def test_the_url_follows_each_change_of_source_and_of_the_arcs_switch_and_keeps_the_place(
    app_url, page
):
    # The place stays selected too: its list's labels used to carry claim counts, which the
    # source filter changed, and the next change (the arcs switch) then lost the place.
    page.goto(f"{app_url}/?place=country%3AIQ")
    expect(page.locator(".geo-place h3")).to_have_text("Iraq", timeout=90_000)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").filter(has_text="Sources").click()
    option = page.get_by_role("option").last
    source = option.inner_text().strip()
    option.click()
    sidebar.get_by_text("Filters", exact=True).click()  # closes the list
    # No other widget is touched: the change itself brings the URL along.
    query = _wait_for_query(page, "q.getAll('source').length > 0")
    assert query["source"] == [source] and query["place"] == ["country:IQ"]

    sidebar.get_by_text("Show movements (arcs)").click()
    query = _wait_for_query(page, "q.get('arcs') === '1'")
    assert query["source"] == [source] and query["place"] == ["country:IQ"]
    sidebar.get_by_text("Show movements (arcs)").click()
    query = _wait_for_query(page, "!q.has('arcs')")
    assert query["source"] == [source]
