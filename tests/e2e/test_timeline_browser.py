"""The timeline in headless Chromium: brushing a span of years narrows the map to those years."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from geo.dashboard.filters import summarise_places
from geo.dashboard.timeline import in_years

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_brushing_a_span_on_the_timeline_filters_the_map(app_url, page, seeds_build):
    page.goto(app_url)
    places = page.frame_locator(MAP_FRAME).locator("path.place")
    expect(places.first).to_be_visible(timeout=90_000)
    total = len(seeds_build.places)
    expect(places).to_have_count(total, timeout=30_000)

    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()  # drawn below the map
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    # Drag across the left part of the plot: the older years, far fewer claims than 2016.
    # The axis starts where the claims are (2008 for the seeds): its left half holds the years
    # before 2016.
    y = box["y"] + box["height"] * 0.35
    page.mouse.move(box["x"] + box["width"] * 0.12, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    page.mouse.up()

    caption = page.get_by_text(re.compile(r"Timeline span \d{4}"))
    expect(caption).to_be_visible(timeout=30_000)
    years = [int(y) for y in re.findall(r"\d{4}", caption.inner_text())[:2]]
    first, last = years[0], years[-1]  # "Timeline span 1985–1996" or "Timeline span 2016"
    claims = seeds_build.claims
    expected = summarise_places(seeds_build.places, claims[in_years(claims, "claim", first, last)])
    assert 0 < len(expected) < total
    expect(places).to_have_count(len(expected), timeout=30_000)
    expect(page.get_by_text(f"Showing {len(expected)} places")).to_be_visible()
