"""The built-corpus page (`--built OUT`, claims queried by DuckDB) in headless Chromium: the busiest
place's marker is drawn, a click on it lists its claims, and the full text opens from its file."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from test_browser import MAP_FRAME, zoom_to

from geo.dashboard.filters import ClaimFilter
from geo.dashboard.mapview import place_css_class
from geo.store.claims_query import ClaimsQuery
from geo.store.schema import places_frame, read_places

ROOT = Path(__file__).resolve().parents[2]


def test_a_marker_of_the_built_corpus_opens_its_claims_and_full_text(
    app_server, page, built_corpus
):
    corpus, out = built_corpus
    query = ClaimsQuery(out / "claims.parquet", places_frame(read_places(out / "places.csv")))
    busiest = query.summarise_places().query("kind not in ('country', 'admin1')").iloc[0]
    query.close()
    url = app_server("--built", str(out), "--corpus", str(corpus))
    page.goto(url)
    expect(page.get_by_text("DuckDB over claims.parquet")).to_be_visible(timeout=90_000)
    marker = page.frame_locator(MAP_FRAME).locator(
        "path." + ".".join(place_css_class(busiest["place_id"]).split())
    )
    expect(marker).to_have_count(1, timeout=90_000)
    zoom_to(marker, busiest)
    marker.click()
    expect(page.locator(".geo-place h3")).to_have_text(busiest["name"], timeout=30_000)
    expect(page.locator(".geo-claim").first).to_be_visible()
    page.get_by_role("button", name="Full text").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("mark").first).to_be_visible(timeout=30_000)


def test_brushing_the_built_corpus_timeline_narrows_the_places_and_the_link(
    app_server, page, built_corpus
):
    corpus, out = built_corpus
    query = ClaimsQuery(out / "claims.parquet", places_frame(read_places(out / "places.csv")))
    total = len(query.summarise_places())
    url = app_server("--built", str(out), "--corpus", str(corpus))
    page.goto(url)
    expect(page.get_by_text(f"Showing {total:,} places")).to_be_visible(timeout=90_000)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()  # drawn below the map
    expect(chart).to_be_visible(timeout=30_000)
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.35
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
    page.mouse.up()

    caption = page.get_by_text(re.compile(r"Years \d{4}"))
    expect(caption).to_be_visible(timeout=30_000)
    years = [int(y) for y in re.findall(r"\d{4}", caption.inner_text())[:2]]
    first, last = years[0], years[-1]
    expected = query.summarise_places(ClaimFilter(years=(first, last)))
    query.close()
    assert 0 < len(expected) < total
    expect(page.get_by_text(f"Showing {len(expected):,} places")).to_be_visible(timeout=30_000)
    years = str(first) if first == last else f"{first}-{last}"
    expect(page).to_have_url(re.compile(rf"[?&]years={years}\b"), timeout=30_000)
