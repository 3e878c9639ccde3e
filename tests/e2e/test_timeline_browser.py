"""The timeline in headless Chromium: the year slider and the timeline's brush are one time filter.
Brushing a span sets the slider, the map and the link; moving the slider moves the span drawn on
the chart."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
from PIL import Image
from playwright.sync_api import expect

from geo.dashboard.filters import ClaimFilter, filter_claims, summarise_places
from geo.dashboard.timeline import FILTER_BAND, timeline_counts

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
YEARS_CAPTION = re.compile(r"Years \d{4}")


def _band_rgb() -> tuple[int, int, int]:
    """The filter band's colour as drawn over the chart's white background."""
    rgb = [int(FILTER_BAND["color"][i : i + 2], 16) for i in (1, 3, 5)]
    alpha = FILTER_BAND["opacity"]
    return tuple(round(255 - alpha * (255 - c)) for c in rgb)


def band_extent(chart) -> tuple[int, int] | None:
    """The first and last pixel column of the chart shaded as the year filter's band (read from
    a screenshot: the chart is drawn on a canvas), or None when no band is drawn."""
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    width, height = image.size
    pixels = image.load()
    band = _band_rgb()
    columns = [
        x
        for x in range(width)
        if sum(
            all(abs(a - b) <= 3 for a, b in zip(pixels[x, y], band, strict=True))
            for y in range(height)
        )
        >= 20  # a band is the plot's height; a stray antialiased pixel is not
    ]
    return (columns[0], columns[-1]) if columns else None


def wait_for_band(page, test) -> tuple[int, int] | None:
    """The band's extent once `test` accepts it: the chart is redrawn after the rerun that
    changed the filter (a wait for the page, as expect's, up to 30 s; not a timed assertion)."""
    for _ in range(120):
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        chart.scroll_into_view_if_needed()
        extent = band_extent(chart)
        if test(extent):
            return extent
        page.wait_for_timeout(250)
    raise AssertionError(f"the chart's band is {extent}")


def slider_years(page) -> tuple[int, int]:
    thumbs = page.get_by_test_id("stSidebar").get_by_test_id("stSlider").get_by_role("slider")
    return int(thumbs.first.input_value()), int(thumbs.last.input_value())


def places_in_years(build, first: int, last: int) -> pd.DataFrame:
    """The places the map shows with the year filter at first-last (undated claims included, as
    the sidebar's checkbox is by default)."""
    shown = filter_claims(build.claims, build.places, ClaimFilter(years=(first, last)))
    return summarise_places(build.places, shown)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_the_year_slider_and_the_timeline_brush_are_one_filter(app_url, page, seeds_build):
    page.goto(app_url)
    places = page.frame_locator(MAP_FRAME).locator("path.place")
    expect(places.first).to_be_visible(timeout=90_000)
    total = len(seeds_build.places)
    expect(places).to_have_count(total, timeout=30_000)
    bounds = slider_years(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()  # drawn below the map
    expect(chart).to_be_visible()
    assert band_extent(chart) is None  # every year: no band

    # Drag across the left part of the plot: the older years, far fewer claims than 2016. The
    # axis starts where the claims are (2008 for the seeds): its left half holds the years
    # before 2016.
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.35
    page.mouse.move(box["x"] + box["width"] * 0.12, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    page.mouse.up()

    # The brushed span is the year filter: the slider moves to it, and the caption, the link and
    # the map follow.
    thumbs = page.get_by_test_id("stSidebar").get_by_test_id("stSlider").get_by_role("slider")
    expect(thumbs.last).not_to_have_value(str(bounds[1]))
    first, last = slider_years(page)
    assert bounds[0] < first <= last < bounds[1]
    shown = f"{first}" if first == last else f"{first}–{last}"
    expect(page.get_by_text(f"Years {shown}", exact=False)).to_be_visible()
    expected = places_in_years(seeds_build, first, last)
    assert 0 < len(expected) < total
    expect(places).to_have_count(len(expected), timeout=30_000)
    expect(page.get_by_text(f"Showing {len(expected)} places")).to_be_visible()
    page.wait_for_function("() => new URLSearchParams(location.search).has('years')")
    years_param = f"{first}-{last}" if first != last else f"{first}"
    assert query(page) == {"years": [years_param]}  # once, and no second (span) parameter
    brushed = wait_for_band(page, lambda extent: extent is not None)

    # Moving the slider's lower end one year on moves the band on the chart, the map and the link.
    thumbs.first.press("ArrowRight")
    moved = f"{first + 1}" if first + 1 == last else f"{first + 1}–{last}"
    expect(page.get_by_text(f"Years {moved}", exact=False)).to_be_visible()
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('years') === '{first + 1}-{last}'"
        if first + 1 != last
        else f"() => new URLSearchParams(location.search).get('years') === '{last}'"
    )
    narrowed = places_in_years(seeds_build, first + 1, last)
    expect(places).to_have_count(len(narrowed), timeout=30_000)
    # One year's width off the band's left end; its right end stays.
    year_px = (brushed[1] - brushed[0]) / (last - first + 1)
    wait_for_band(
        page,
        lambda extent: (
            extent is not None
            and abs(extent[0] - (brushed[0] + year_px)) <= 3
            and abs(extent[1] - brushed[1]) <= 3
        ),
    )

    # Showing all years clears both.
    page.get_by_role("button", name="Show all years").click()
    expect(page.get_by_text(YEARS_CAPTION)).to_have_count(0)
    expect(places).to_have_count(total, timeout=30_000)
    expect(thumbs.first).to_have_value(str(bounds[0]))
    expect(thumbs.last).to_have_value(str(bounds[1]))
    page.wait_for_function("() => !new URLSearchParams(location.search).has('years')")
    wait_for_band(page, lambda extent: extent is None)


def test_the_timeline_legend_names_every_source_whole_in_a_narrow_window(
    app_url, browser, seeds_build
):
    # 414 px wide (a phone): the legend was a column beside the plot, its names cut at 110 px and
    # its last entry over the axis title.
    context = browser.new_context(viewport={"width": 414, "height": 896})
    page = context.new_page()
    try:
        page.goto(app_url)
        expect(page.frame_locator(MAP_FRAME).locator("path.place").first).to_be_visible(
            timeout=90_000
        )
        legend = page.locator(".geo-timeline-legend")
        legend.scroll_into_view_if_needed()
        items = legend.locator(".geo-legend-item")
        sources = set(timeline_counts(seeds_build.claims, "claim")["source"])  # the dated ones
        expect(items).to_have_count(len(sources))
        assert {item.inner_text() for item in items.all()} == sources
        chart = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
        for item in items.all():
            box = item.bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= 414  # inside the window
            assert box["y"] >= chart["y"] + chart["height"]  # under the chart, not over it
            # Not cut: the whole name is laid out (no ellipsis, no hidden overflow).
            assert item.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    finally:
        context.close()
