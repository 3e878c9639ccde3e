"""Zoomed in on a place, the offline basemap shows province borders, rivers, lakes, the coast and
the names of provinces and towns, all loaded from this machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import MAP_FRAME, show_mosul_marker

from geo.dashboard.mapview import DETAIL_LAYERS


@pytest.fixture(scope="module")
def mosul(seeds_build):
    return seeds_build.places.loc[seeds_build.places["name"] == "Mosul"].iloc[0]


def test_zoomed_in_the_basemap_names_towns_and_provinces_and_draws_their_borders_and_rivers(
    app_url, page, mosul
):
    marker = show_mosul_marker(page, app_url, mosul)  # zoom 9 on Mosul
    frame = page.frame_locator(MAP_FRAME)
    files = [name for name, _, _ in DETAIL_LAYERS] + ["towns.json", "provinces.json"]
    loaded = "() => Object.keys((window.geoBasemap || {}).loaded || {}).sort().join(',')"
    page.wait_for_function(
        f"""() => {{
            const f = document.querySelector('{MAP_FRAME}');
            const s = f && f.contentWindow.geoBasemap;
            return s && Object.keys(s.loaded).length + Object.keys(s.failed).length >= {len(files)};
        }}"""
    )
    state = marker.evaluate("() => JSON.stringify(window.geoBasemap)")
    assert marker.evaluate(loaded) == ",".join(sorted(files)), state
    assert marker.evaluate("() => Object.keys(window.geoBasemap.failed).length") == 0, state
    counts = marker.evaluate("() => Object.values(window.geoBasemap.loaded)")
    assert all(n > 0 for n in counts), state
    # Names of the towns around Mosul and of its province, as text on the map.
    expect(frame.locator(".geo-town").first).to_be_visible()
    expect(frame.locator(".geo-province").first).to_be_visible()
    assert frame.locator(".geo-town").count() >= 3


def test_in_a_narrow_window_the_attribution_leaves_the_scale_bar_readable(app_url, browser):
    # At 414 px the attribution (bottom right) ran over the scale bar (bottom left).
    context = browser.new_context(viewport={"width": 414, "height": 896})
    page = context.new_page()
    try:
        page.goto(app_url)
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator("path.place").first).to_be_visible(timeout=90_000)
        scale = frame.locator(".leaflet-control-scale").bounding_box()
        credit = frame.locator(".leaflet-control-attribution").bounding_box()
        assert scale["x"] + scale["width"] <= credit["x"] or (
            scale["y"] + scale["height"] <= credit["y"]
            or credit["y"] + credit["height"] <= scale["y"]
        ), (scale, credit)
        expect(frame.locator(".leaflet-control-attribution")).to_contain_text("GeoNames")
    finally:
        context.close()
