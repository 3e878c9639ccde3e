"""The dashboard in headless Chromium: click the Mosul marker, read its excerpts, stay offline."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

from geo.filters import claims_for_place
from geo.mapview import place_css_class
from geo.panel import excerpt_html
from geo.pipeline import build_corpus

ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def first_mosul_excerpt() -> tuple[str, str]:
    """Mosul's place id and the start of the first excerpt the panel lists for it."""
    build = build_corpus(ROOT / "seeds")
    mosul = build.places.loc[build.places["name"] == "Mosul", "place_id"].iloc[0]
    claim = claims_for_place(build.claims, mosul).iloc[0]
    offset = int(claim["excerpt_start"])
    html = excerpt_html(claim["excerpt"], int(claim["start"]) - offset, int(claim["end"]) - offset)
    return mosul, unescape(re.sub(r"<[^>]+>", "", html))


def test_clicking_the_mosul_marker_shows_its_excerpts_and_nothing_leaves_the_machine(app_url, page):
    mosul, excerpt = first_mosul_excerpt()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(app_url)
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator("path." + ".".join(place_css_class(mosul).split()))
    expect(marker).to_have_count(1, timeout=90_000)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    marker.click()

    header = page.locator(".geo-place h3")
    expect(header).to_have_text("Mosul", timeout=30_000)
    expect(page.locator(".geo-claim").first).to_contain_text(excerpt[:60])
    expect(page.locator(".geo-claim mark").first).to_have_text("Mosul")

    outside = [
        url for url in requests
        if urlparse(url).scheme in ("http", "https", "ws", "wss")
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]  # fmt: skip
    assert requests and not outside, outside
