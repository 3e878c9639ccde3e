"""Zoomed in on a place, the offline basemap shows province borders, rivers, lakes, the coast and
the names of provinces and towns, all loaded from this machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import MAP_FRAME, show_mosul_marker

from geo.dashboard.mapview import DETAIL_LAYERS, place_css_class


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


def test_in_a_narrow_window_the_attribution_and_the_legend_leave_the_map_readable(app_url, browser):
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
        # The legend under the map stays inside the window too.
        entries = page.locator(".geo-legend > span")
        expect(entries.first).to_be_visible()
        for entry in entries.all():
            box = entry.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 414, entry.inner_text()
    finally:
        context.close()


def test_a_province_with_known_borders_is_drawn_as_its_area_and_selects_on_click(
    app_url, page, seeds_build
):
    # Nangarhar: its borders close around its towns in Natural Earth's lines (admin1_areas.json).
    places = seeds_build.places
    province = places.loc[places["place_id"] == "admin1:AF.18"].iloc[0]
    n = int((seeds_build.claims["place_id"] == "admin1:AF.18").sum())
    page.goto(app_url)
    frame = page.frame_locator(MAP_FRAME)
    area = frame.locator("path.area." + ".".join(place_css_class("admin1:AF.18").split()))
    expect(area).to_have_count(1, timeout=90_000)
    # No ring at its centre as well: one symbol per place.
    expect(
        frame.locator("path.place:not(.area)." + place_css_class("admin1:AF.18").split()[-1])
    ).to_have_count(0)
    area.dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(f"{province['name']}province (whole area) · {n} claims")
    area.dispatch_event("click")
    expect(page.locator(".geo-place h3")).to_have_text(province["name"], timeout=30_000)
