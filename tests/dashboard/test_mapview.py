import csv
import json
import re
from importlib import resources

import folium
import pandas as pd
import pytest

from geo.dashboard.assets import LEAFLET_DIR, leaflet_urls
from geo.dashboard.mapview import (
    MAX_RADIUS,
    MIN_RADIUS,
    base_map,
    clicked_place_id,
    legend_html,
    marker_radius,
    place_css_class,
    places_layer,
    world_geojson,
)

COLUMNS = ["place_id", "name", "kind", "country_code", "lat", "lon", "n_claims"]
HOSTILE = "<img src=x onerror=alert(1)></script>\"'`${x}"


def places(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


MOSUL = ("geonames:99072", "Mosul", "city", "IQ", 36.34, 43.13, 45)
IRAQ = ("country:IQ", "Iraq", "country", "IQ", 33.05, 43.77, 120)


def page_html(layer: folium.FeatureGroup, **map_args) -> str:
    m = base_map(**map_args)
    layer.add_to(m)
    return m.get_root().render()


def layer_features(layer: folium.FeatureGroup) -> list[dict]:
    (geojson,) = [c for c in layer._children.values() if isinstance(c, folium.GeoJson)]
    return geojson.data["features"]


def test_offline_map_page_loads_nothing_from_the_network():
    html = page_html(places_layer(places(MOSUL, IRAQ)))
    assert re.findall(r"https?://", html) == []
    assert '<script src="../geo.dashboard.assets.leaflet/leaflet.js">' in html


def test_online_tiles_only_when_asked():
    assert "openstreetmap" not in page_html(places_layer(places(MOSUL))).lower()
    assert "tile.openstreetmap.org" in page_html(places_layer(places(MOSUL)), online_tiles=True)


def test_base_map_is_the_same_on_every_call():
    def normalized() -> str:  # folium names elements with random hex ids
        return re.sub(r"_[0-9a-f]{32}", "_ID", base_map().get_root().render())

    assert normalized() == normalized()


def test_countries_do_not_take_clicks():
    m = base_map()
    (countries,) = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert countries.options["interactive"] is False


def test_hostile_place_name_reaches_the_page_only_as_escaped_data():
    layer = places_layer(places(("curated:x", HOSTILE, "city", "", 10.0, 20.0, 1)))
    html = page_html(layer)
    assert "<img" not in html
    assert html.count("</script>") == html.count("<script")  # nothing closes a script early
    assert layer_features(layer)[0]["properties"]["name"] == HOSTILE
    # The tooltip puts the name in with textContent, never through an HTML parser.
    assert "title.textContent = p.name" in html
    assert "innerHTML" not in html


def test_marker_class_names_are_sanitized():
    assert place_css_class("geonames:99072") == "place-geonames-99072"
    assert place_css_class("admin1:IQ.15") == "place-admin1-IQ-15"
    assert place_css_class('a b"<é😀>_-') == "place-a-b-----_-"


def test_no_places_give_an_empty_layer_that_still_renders():
    layer = places_layer(places())
    assert isinstance(layer, folium.FeatureGroup)
    assert layer._children == {}
    assert re.findall(r"https?://", page_html(layer)) == []


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="n_claims"):
        places_layer(pd.DataFrame({"place_id": ["a"], "name": ["A"]}))


def test_each_place_is_one_point_with_its_id_name_kind_and_count():
    features = layer_features(places_layer(places(MOSUL, IRAQ)))
    by_id = {f["properties"]["id"]: f for f in features}
    assert set(by_id) == {"geonames:99072", "country:IQ"}
    mosul = by_id["geonames:99072"]
    assert mosul["geometry"] == {"type": "Point", "coordinates": [43.13, 36.34]}
    assert {k: mosul["properties"][k] for k in ("name", "kind", "n")} == {
        "name": "Mosul",
        "kind": "city",
        "n": 45,
    }


def test_place_without_coordinates_is_left_off_the_map():
    nowhere = ("curated:x", "Nowhere", "city", "", None, None, 3)
    ids = [f["properties"]["id"] for f in layer_features(places_layer(places(MOSUL, nowhere)))]
    assert ids == ["geonames:99072"]


def test_selected_place_is_flagged_and_drawn_on_top():
    small = ("geonames:1", "Tiny", "city", "IQ", 30.0, 40.0, 1)
    features = layer_features(
        places_layer(places(MOSUL, small, IRAQ), selected_id="geonames:99072")
    )
    assert [f["properties"]["id"] for f in features] == [
        "country:IQ",
        "geonames:1",
        "geonames:99072",
    ]
    assert [f["properties"].get("sel", False) for f in features] == [False, False, True]


def test_areas_are_drawn_under_towns_and_big_markers_under_small_ones():
    small = ("geonames:1", "Tiny", "city", "IQ", 30.0, 40.0, 1)
    features = layer_features(places_layer(places(small, MOSUL, IRAQ)))
    assert [f["properties"]["id"] for f in features] == [
        "country:IQ",
        "geonames:99072",
        "geonames:1",
    ]


def test_marker_radius_grows_with_the_square_root_of_claims_within_bounds():
    assert marker_radius(0) == MIN_RADIUS
    assert marker_radius(1) < marker_radius(4) < marker_radius(100)
    assert marker_radius(100) - marker_radius(25) == pytest.approx(2 * (10 - 5))
    assert marker_radius(1_000_000) == MAX_RADIUS


def click(place_id):
    return {"last_active_drawing": {"type": "Feature", "properties": {"id": place_id}}}


def test_clicked_place_is_returned_while_it_is_shown():
    assert clicked_place_id(click("country:IQ"), {"country:IQ", "geonames:99072"}) == "country:IQ"


def test_click_on_a_place_filtered_out_since_is_ignored():
    assert clicked_place_id(click("country:IQ"), {"geonames:99072"}) is None


def test_clicked_place_is_checked_against_values_of_a_series_not_its_index():
    shown = pd.Series(["country:IQ"], index=["geonames:99072"])
    assert clicked_place_id(click("geonames:99072"), shown) is None
    assert clicked_place_id(click("country:IQ"), shown) == "country:IQ"


@pytest.mark.parametrize(
    "output", [None, {}, {"last_active_drawing": None}, {"last_active_drawing": {"type": "x"}}]
)
def test_no_click_gives_no_place(output):
    assert clicked_place_id(output, {"country:IQ"}) is None


def test_legend_is_static_html():
    assert legend_html() == legend_html()
    assert "<script" not in legend_html() and "dashed" in legend_html()


def test_leaflet_files_ship_and_are_linked_through_the_component_route():
    js, css = leaflet_urls()
    assert js == ["../geo.dashboard.assets.leaflet/leaflet.js"]
    assert css == ["../geo.dashboard.assets.leaflet/leaflet.css"]
    assert (LEAFLET_DIR / "leaflet.js").stat().st_size > 100_000
    assert (LEAFLET_DIR / "leaflet.css").is_file()


# --- the shipped basemap data


def inside(lon: float, lat: float, rings) -> bool:
    hit = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > lat) != (y1 > lat) and lon < (x1 - x0) * (lat - y0) / (y1 - y0) + x0:
                hit = not hit
    return hit


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def test_basemap_countries_carry_iso_codes_fixed_by_name():
    features = world_geojson()["features"]
    codes = {f["properties"]["name"]: f["properties"]["iso_a2"] for f in features}
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes.values())
    assert (codes["France"], codes["Norway"], codes["Kosovo"]) == ("FR", "NO", "XK")
    text = json.dumps(world_geojson())
    assert not re.search(r"\d\.\d{3}", text)  # two decimals at most


def test_every_country_point_lies_on_land_of_its_country():
    features = world_geojson()["features"]
    path = resources.files("geo").joinpath("data/country_points.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["country_code"] for r in rows} == {f["properties"]["iso_a2"] for f in features}
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        own = [f for f in features if f["properties"]["iso_a2"] == row["country_code"]]
        assert any(inside(lon, lat, p) for f in own for p in polygons(f["geometry"])), row
        assert row["method"] in {"centroid", "polylabel", "scanline"}


def test_the_offline_basemap_fetches_its_detail_layers_from_files_it_ships():
    from geo.dashboard.assets import BASEMAP_DIR
    from geo.dashboard.mapview import DETAIL_LAYERS

    html = base_map().get_root().render()
    for name, _, _ in DETAIL_LAYERS:
        assert json.loads((BASEMAP_DIR / name).read_text("utf-8"))["features"], name
        assert name in html
    for name in ("towns.json", "provinces.json"):
        columns = json.loads((BASEMAP_DIR / name).read_text("utf-8"))
        assert set(columns) == {"name", "lat", "lon", "pop"}
        assert columns["pop"] == sorted(columns["pop"], reverse=True)  # most populous first
    # With online tiles the tiles have their own detail: nothing more is fetched.
    assert "geoBasemap" not in base_map(online_tiles=True).get_root().render()
