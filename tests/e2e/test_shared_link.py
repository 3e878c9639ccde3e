"""A shared link reopens the same view: filters and selected place from the URL."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from geo.mapview import SELECTED_STYLE, place_css_class

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_a_shared_url_opens_the_same_place_and_filters_and_names_what_it_ignored(
    app_url, page, seeds_build
):
    mosul = seeds_build.places.loc[seeds_build.places["name"] == "Mosul"].iloc[0]
    page.goto(f"{app_url}/?kind=city&source=No+Such+Outlet&place={quote(mosul['place_id'])}")
    expect(page.locator(".geo-place h3")).to_have_text("Mosul", timeout=90_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_test_id("stMultiSelect").filter(has_text="Kinds of place")
    ).to_contain_text("city")
    expect(
        page.get_by_text("Ignored source(s) not in this corpus: 'No Such Outlet'.")
    ).to_be_visible()
    marker = page.frame_locator(MAP_FRAME).locator(
        "path." + ".".join(place_css_class(mosul["place_id"]).split())
    )
    expect(marker).to_have_attribute("fill", SELECTED_STYLE["fillColor"], timeout=30_000)
    # Only city markers are drawn: the filter from the link is in force.
    countries = page.frame_locator(MAP_FRAME).locator("path[class*='place-country-']")
    expect(countries).to_have_count(0)
    # The URL now holds the view as the app understands it (the stale source dropped).
    expect(page).to_have_url(f"{app_url}/?kind=city&place={quote(mosul['place_id'], safe='')}")


def test_a_link_to_an_unknown_place_opens_the_dashboard_with_a_notice(app_url, page):
    page.goto(f"{app_url}/?place=geonames%3A0&years=soon")
    expect(page.get_by_text("no such place in this corpus")).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Ignored years='soon'")).to_be_visible()
    expect(page.get_by_text("Click a place on the map, or pick one above")).to_be_visible()
