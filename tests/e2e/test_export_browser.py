"""The export buttons in headless Chromium: each file is made when its button is pressed (not on
every rerun) and arrives whole, in the format its name says."""

from __future__ import annotations

import csv
import io
import json

from playwright.sync_api import expect

from geo.store.schema import CLAIM_COLUMNS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def download(page, label: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    with open(info.value.path(), "rb") as handle:
        return info.value.suggested_filename, handle.read()


def test_each_export_downloads_the_current_view(app_url, browser, seeds_build):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(app_url)
        expect(
            page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first
        ).to_be_visible(timeout=90_000)
        n_claims, n_places = len(seeds_build.claims), seeds_build.claims["place_id"].nunique()

        name, data = download(page, f"Claims CSV ({n_claims})")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert name == "claims.csv" and len(rows) == n_claims
        assert set(CLAIM_COLUMNS) <= set(rows[0])

        name, data = download(page, f"Claims GeoJSON ({n_claims})")
        collection = json.loads(data)
        assert name == "claims.geojson" and collection["type"] == "FeatureCollection"
        assert len(collection["features"]) == n_claims

        name, data = download(page, f"Places GeoJSON ({n_places})")
        assert name == "places.geojson" and len(json.loads(data)["features"]) == n_places
    finally:
        context.close()
