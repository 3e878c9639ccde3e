"""The dashboard in headless Chromium: click the Mosul marker, read its excerpts, stay offline."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from geo.dashboard.filters import claims_for_place
from geo.dashboard.mapview import SELECTED_STYLE, place_css_class
from geo.dashboard.panel import excerpt_html

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def mosul(seeds_build):
    """Mosul's row in the places table and the first excerpt the panel lists for it, as text."""
    build = seeds_build
    mosul = build.places.loc[build.places["name"] == "Mosul"].iloc[0]
    claim = claims_for_place(build.claims_with_excerpts(), mosul["place_id"]).iloc[0]
    offset = int(claim["excerpt_start"])
    html = excerpt_html(claim["excerpt"], int(claim["start"]) - offset, int(claim["end"]) - offset)
    return mosul, unescape(re.sub(r"<[^>]+>", "", html))


def zoom_to(marker, place) -> None:
    """As a user would: zoom in on the place until its circle is clear of its neighbours' (at world
    zoom, Al Qayyarah's marker covers Mosul's)."""
    # The function returns nothing: handing the Leaflet map back to Python takes seconds.
    marker.evaluate(
        "(el, ll) => { window.map.setView(ll, 9, {animate: false}); }",
        [float(place["lat"]), float(place["lon"])],
    )


def show_mosul_marker(page, app_url, mosul):
    """Load the app and bring Mosul's marker into view; the marker."""
    page.goto(app_url)
    marker = page.frame_locator(MAP_FRAME).locator(
        "path." + ".".join(place_css_class(mosul["place_id"]).split())
    )
    expect(marker).to_have_count(1, timeout=90_000)
    zoom_to(marker, mosul)
    return marker


def open_and_click_mosul(page, app_url, mosul):
    """Load the app, click Mosul's marker; the marker and the panel's heading."""
    marker = show_mosul_marker(page, app_url, mosul)
    marker.click()
    heading = page.locator(".geo-place h3")
    expect(heading).to_have_text("Mosul", timeout=30_000)
    return marker, heading


def test_clicking_the_mosul_marker_shows_its_excerpts_and_nothing_leaves_the_machine(
    app_url, page, mosul
):
    mosul, excerpt = mosul
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    marker, _ = open_and_click_mosul(page, app_url, mosul)
    expect(page.locator(".geo-claim").first).to_contain_text(excerpt[:60])
    expect(page.locator(".geo-claim mark").first).to_have_text("Mosul")
    # Highlighted by the same rerun that opened the panel, not one click later.
    expect(marker).to_have_attribute("fill", SELECTED_STYLE["fillColor"])

    outside = [
        url for url in requests
        if urlparse(url).scheme in ("http", "https", "ws", "wss")
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]  # fmt: skip
    assert requests and not outside, outside


def test_clicking_a_marker_again_after_picking_another_place_selects_it_again(app_url, page, mosul):
    mosul, _ = mosul
    marker, heading = open_and_click_mosul(page, app_url, mosul)

    page.get_by_role("combobox", name="Place", exact=True).click()
    page.get_by_role("option").first.click()
    expect(heading).not_to_have_text("Mosul", timeout=30_000)

    zoom_to(marker, mosul)  # picking from the list moved the map to the picked place
    marker.click()
    expect(heading).to_have_text("Mosul", timeout=30_000)


def test_hovering_a_marker_shows_its_name_kind_and_claims(app_url, page, mosul, seeds_build):
    # One tooltip serves the whole layer: it must still name the marker under the pointer.
    mosul, _ = mosul
    n = int((seeds_build.claims["place_id"] == mosul["place_id"]).sum())
    marker = show_mosul_marker(page, app_url, mosul)
    marker.hover()
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(f"Mosul{mosul['kind']} · {n} claims", timeout=30_000)


def test_hovering_a_country_area_shows_its_name_and_claims(app_url, page, seeds_build):
    # Country areas build their tooltip with the same snippet as the markers (tooltip_box_js).
    iraq = seeds_build.places.loc[seeds_build.places["place_id"] == "country:IQ"].iloc[0]
    n = int((seeds_build.claims["place_id"] == "country:IQ").sum())
    page.goto(app_url)
    area = page.frame_locator(MAP_FRAME).locator(
        "path.area." + ".".join(place_css_class("country:IQ").split())
    )
    expect(area).to_have_count(1, timeout=90_000)
    area.dispatch_event("mouseover")  # its centre may lie under a town's marker
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(f"{iraq['name']}country (whole area) · {n} claims", timeout=30_000)
