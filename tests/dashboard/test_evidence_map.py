import folium
import pandas as pd

from geo.dashboard.evidence_html import agreement_html, claim_evidence_html, number_pages
from geo.dashboard.evidence_map import (
    arc_points,
    country_areas_layer,
    country_shape,
    flows_layer,
    legend_html,
    split_by_shape,
)
from geo.evidence.quantities import place_quantities

SUMMARY = pd.DataFrame(
    [
        {"place_id": "country:AF", "name": "Afghanistan", "kind": "country", "country_code": "AF",
         "lat": 33.0, "lon": 65.0, "n_claims": 29, "n_docs": 2},
        {"place_id": "country:BH", "name": "Bahrain", "kind": "country", "country_code": "BH",
         "lat": 26.0, "lon": 50.5, "n_claims": 1, "n_docs": 1},
        {"place_id": "admin1:AF.18", "name": "Nangarhar", "kind": "admin1", "country_code": "AF",
         "lat": 34.2, "lon": 70.6, "n_claims": 3, "n_docs": 1},
        {"place_id": "admin1:IQ.01", "name": "Al Anbar", "kind": "admin1", "country_code": "IQ",
         "lat": 33.4, "lon": 42.0, "n_claims": 2, "n_docs": 1},
        {"place_id": "geonames:1", "name": "Kabul", "kind": "city", "country_code": "AF",
         "lat": 34.5, "lon": 69.2, "n_claims": 4, "n_docs": 1},
    ]
)  # fmt: skip


def test_countries_and_provinces_with_an_outline_are_areas_and_the_rest_stay_markers():
    areas, markers = split_by_shape(SUMMARY)
    assert list(areas["name"]) == ["Afghanistan", "Nangarhar"]
    # Bahrain: too small at 1:110m; Al Anbar: its borders do not close around its towns alone in
    # Natural Earth's lines (scripts/make_basemap_detail.py), so it keeps its ring.
    assert list(markers["name"]) == ["Bahrain", "Al Anbar", "Kabul"]


def test_country_area_is_its_outline_with_its_id():
    layer = country_areas_layer(split_by_shape(SUMMARY)[0], selected_id="country:AF")
    (geojson,) = layer._children.values()
    province, country = geojson.data["features"]  # the selected place on top
    assert country["geometry"] == country_shape("AF")
    assert country["properties"]["id"] == "country:AF" and country["properties"]["sel"]
    assert province["properties"]["id"] == "admin1:AF.18"


def inside(lon: float, lat: float, geometry: dict) -> bool:
    """Whether a point lies in a (Multi)Polygon: ray casting over every ring (holes count)."""
    polygons = geometry["coordinates"]
    polygons = [polygons] if geometry["type"] == "Polygon" else polygons
    crossings = 0
    for ring in (ring for polygon in polygons for ring in polygon):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def test_a_province_area_holds_its_towns_and_is_drawn_over_its_country():
    layer = country_areas_layer(split_by_shape(SUMMARY)[0])
    (geojson,) = layer._children.values()
    country, province = geojson.data["features"]  # a province over its shaded country
    assert province["properties"]["kind"] == "admin1"
    assert inside(70.45, 34.43, province["geometry"])  # Jalalabad, Nangarhar's capital
    assert not inside(69.17, 34.53, province["geometry"])  # Kabul, in the next province
    assert inside(70.45, 34.43, country["geometry"])


def test_arcs_run_from_origin_to_destination():
    points = arc_points((35.0, 38.0), (51.0, 10.0))
    assert points[0] == [38.0, 35.0] and points[-1] == [10.0, 51.0]


def test_flows_layer_labels_each_arc_with_its_ends():
    places = SUMMARY.rename(columns={})
    table = pd.DataFrame([{"origin_id": "geonames:1", "destination_id": "country:AF",
                           "n_claims": 2, "n_docs": 1, "excerpt": "x"}])  # fmt: skip
    (geojson,) = flows_layer(table, places)._children.values()
    assert (
        geojson.data["features"][0]["properties"]["label"] == "Kabul → Afghanistan · 2 statements"
    )


def test_legend_explains_areas_and_rings():
    text = legend_html(show_flows=True)
    assert "province with known borders: its whole area" in text
    assert "province without known borders, county or region: ring at its centre" in text
    assert "people moving" in text


def test_evidence_under_a_claim_is_escaped():
    html = claim_evidence_html({"hedging": "reported", "hedging_cue": "<b>reportedly</b>",
                                "reference": "[22] <script>x</script> AP"})  # fmt: skip
    assert "&lt;b&gt;reportedly&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<script>" not in html


def test_agreement_counts_documents_and_speakers_and_escapes_them():
    claims = pd.DataFrame(
        [
            {"claim_id": "a:1", "doc_id": "a", "source": "AP", "excerpt": "About 2,500 ISIS "
             "fighters are there.", "excerpt_start": 0, "attribution": "<i>Kabulov</i>",
             "date": "2016-09", "date_basis": "stated", "date_text": "September 2016",
             "published": "2016-12-19", "reference": "", "footnotes": ""},
            {"claim_id": "b:1", "doc_id": "b", "source": "RT", "excerpt": "There are 10,000 IS "
             "fighters.", "excerpt_start": 0, "attribution": "", "date": "2016-04",
             "date_basis": "stated", "date_text": "April 2016", "published": "2016-04-19",
             "reference": "", "footnotes": ""},
        ]
    )  # fmt: skip
    html = agreement_html(claims)
    assert "<b>2</b> documents from <b>2</b> sources" in html
    assert "&lt;i&gt;Kabulov&lt;/i&gt;" in html and "<i>Kabulov" not in html
    assert "2,500" in html and "10,000" in html and "≠" in html


def _claims_stating(values: list[str]) -> pd.DataFrame:
    """One claim per value, each in its own document: "<value> fighters are there."."""
    return pd.DataFrame(
        [
            {"claim_id": f"d{k}:1", "doc_id": f"d{k}", "source": "AP",
             "excerpt": f"About {v} fighters are there.", "excerpt_start": 0,
             "attribution": "", "date": "", "date_basis": "", "date_text": "",
             "published": "2016-04-19", "reference": "", "footnotes": ""}
            for k, v in enumerate(values)
        ]
    )  # fmt: skip


def test_numbers_table_shows_one_page_at_a_time_with_the_total():
    claims = _claims_stating([f"{1000 + k:,}" for k in range(30)])
    numbers = place_quantities(claims)
    assert len(numbers) == 30 and number_pages(len(numbers)) == 2
    first = agreement_html(claims, numbers, page=1, per_page=25)
    assert first.count('class="geo-num"') == 25 and "Numbers 1–25 of 30" in first
    second = agreement_html(claims, numbers, page=2, per_page=25)
    assert second.count('class="geo-num"') == 5 and "Numbers 26–30 of 30" in second
    assert "<b>30</b> documents" in second  # the summary counts every claim, not the page's


def test_numbers_table_on_a_later_page_is_still_escaped():
    claims = _claims_stating(["1,000", "2,000", "3,000"]).assign(attribution="<b>Kabulov</b> said")
    html = agreement_html(claims, page=3, per_page=1)
    assert "Numbers 3–3 of 3" in html and "&lt;b&gt;" in html and "<b>Kabulov" not in html


def test_a_short_numbers_table_has_no_page_count():
    claims = _claims_stating(["1,000", "2,000"])
    assert "Numbers" not in agreement_html(claims) and number_pages(2) == 1


def test_the_country_layer_sends_the_json_of_its_features():
    from geo.dashboard.mapview import json_for_script

    iraq = {"place_id": "country:IQ", "name": "Iraq </script>", "kind": "country",
            "country_code": "IQ", "lat": 33.0, "lon": 44.0, "n_claims": 7, "n_docs": 1}  # fmt: skip
    summary = pd.concat([SUMMARY, pd.DataFrame([iraq])], ignore_index=True)
    areas = split_by_shape(summary)[0]
    assert len(areas) == 3  # Afghanistan, Nangarhar (a province with its area), Iraq
    (layer,) = country_areas_layer(areas, "country:AF")._children.values()
    assert layer.data_js == json_for_script(layer.data)
    assert layer._get_self_bounds() == folium.GeoJson(layer.data)._get_self_bounds()
