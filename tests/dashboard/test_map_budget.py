"""The map's payload budget (geo.dashboard.map_budget): which places are drawn, which are counted
in grid cells, and what the map says about it."""

from __future__ import annotations

import json
import re

import folium
import numpy as np
import pandas as pd

from geo.dashboard import evidence_map
from geo.dashboard.map_budget import (
    MapBudget,
    map_view,
    notice,
    payload_bytes,
    thin_places,
)
from geo.dashboard.mapview import base_map, clusters_layer, json_for_script

HOSTILE = "<img src=x onerror=alert(1)></script>\"'`${x}"


def grid_of_places(n: int, seed: int = 0) -> pd.DataFrame:
    """`n` places spread over the world, busiest first (as the pages' summaries are)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "place_id": [f"geonames:{i}" for i in range(n)],
            "name": [f"Town {i}" for i in range(n)],
            "kind": "city",
            "country_code": "XX",
            "lat": rng.uniform(-60, 70, n).round(4),
            "lon": rng.uniform(-180, 180, n).round(4),
            "n_claims": np.sort(rng.integers(1, 500, n))[::-1],
        }
    )
    frame["n_docs"] = 1
    return frame


def world_value(zoom, south, west, north, east) -> dict:
    return {
        "zoom": zoom,
        "bounds": {
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
    }


def test_a_small_map_is_drawn_whole_and_says_nothing():
    places = grid_of_places(50)
    thinned = thin_places(places, MapBudget(places=100))
    assert len(thinned.drawn) == 50 and thinned.clusters.empty
    assert notice(thinned) is None


def test_the_busiest_places_are_drawn_and_every_other_place_is_counted_once():
    places = grid_of_places(20_000)
    thinned = thin_places(places, MapBudget(places=1_000))
    assert len(thinned.drawn) == 1_000
    assert set(thinned.drawn["place_id"]) == set(places["place_id"].head(1_000))
    # Truthful counts: the cells hold every place not drawn, and their claims.
    assert int(thinned.clusters["n_places"].sum()) == 19_000 == thinned.n_clustered
    assert int(thinned.clusters["n_claims"].sum()) == int(places["n_claims"].iloc[1_000:].sum())
    # A cell's circle lies among its places, and its bounds hold them all.
    clusters = thinned.clusters
    assert (clusters["south"] <= clusters["lat"]).all() and (
        clusters["lat"] <= clusters["north"]
    ).all()
    assert (clusters["west"] <= clusters["lon"]).all() and (
        clusters["lon"] <= clusters["east"]
    ).all()
    # At the world's zoom, 64-pixel cells: a few hundred circles at most, not thousands.
    assert len(clusters) <= (4 * 256 // 64) ** 2


def test_the_notice_says_how_many_places_are_drawn_and_how_to_see_the_others():
    thinned = thin_places(grid_of_places(20_000), MapBudget(places=1_000))
    text = notice(thinned)
    assert text.startswith("Showing 1,000 of 20,000 places on the map")
    assert "The other 19,000 are counted in the numbered grey circles" in text
    assert "zoom in" in text and "filters" in text and "list" in text


def test_the_selected_place_is_drawn_even_when_over_the_budget():
    places = grid_of_places(5_000)
    quiet = places["place_id"].iloc[-1]
    thinned = thin_places(places, MapBudget(places=10), selected=quiet)
    assert quiet in set(thinned.drawn["place_id"])
    assert len(thinned.drawn) == 11
    assert int(thinned.clusters["n_places"].sum()) == 5_000 - 11


def test_the_byte_budget_holds_long_and_escaped_names_back():
    places = grid_of_places(1_000)
    places.loc[:, "name"] = HOSTILE * 20  # 820 characters, a quarter of them escaped
    cost = payload_bytes(places)
    exact = len(json_for_script(HOSTILE * 20)) - 2  # without its quotes
    assert cost[0] >= exact + len(json_for_script(places["place_id"][0])) - 2
    thinned = thin_places(places, MapBudget(places=1_000, bytes=100_000))
    assert 0 < len(thinned.drawn) < 1_000
    assert payload_bytes(thinned.drawn).sum() <= 100_000


def test_zooming_in_draws_the_places_in_view_and_counts_the_rest_coarsely():
    places = grid_of_places(20_000)
    world = thin_places(places, MapBudget(places=500))
    # A quiet place, not drawn on the world map.
    quiet = places.iloc[-1]
    assert quiet["place_id"] not in set(world.drawn["place_id"])
    lat, lon = float(quiet["lat"]), float(quiet["lon"])
    view = map_view(world_value(7, lat - 1, lon - 1.5, lat + 1, lon + 1.5))
    assert view is not None and view.zoom == 7
    near = thin_places(places, MapBudget(places=500), view=view)
    assert quiet["place_id"] in set(near.drawn["place_id"])
    assert near.n_counted_in_view == 0  # few places in so small a view: all drawn
    assert int(near.clusters["n_places"].sum()) == 20_000 - len(near.drawn)
    assert "every place in and near this view" in notice(near)


def test_the_whole_world_or_a_broken_value_is_no_view():
    assert map_view(None) is None
    assert map_view({"zoom": 2}) is None
    assert map_view(world_value("x", 0, 0, 1, 1)) is None
    assert map_view(world_value(2, -80, -200, 80, 200)) is None  # the whole world
    assert map_view(world_value(5, 30, 10, 40, 20)) is not None


def test_a_small_pan_keeps_the_same_view():
    a = map_view(world_value(6, 30.0, 10.0, 38.0, 25.0))
    b = map_view(world_value(6, 30.05, 10.1, 38.05, 25.1))
    assert a == b


def test_a_view_across_the_date_line_holds_places_on_both_sides():
    view = map_view(world_value(5, -20, 170, -10, 190))  # Fiji, panned east past 180°
    inside = view.contains(np.array([-17.7, -17.7, 40.0]), np.array([178.0, -179.5, 0.0]))
    assert inside.tolist() == [True, True, False]


def test_areas_cost_their_outline():
    summary = pd.DataFrame(
        [
            ("country:RU", "Russia", "country", "RU", 61.0, 97.0, 5, 1),
            ("geonames:1", "Town", "city", "RU", 55.0, 37.0, 9, 1),
        ],
        columns=["place_id", "name", "kind", "country_code", "lat", "lon", "n_claims", "n_docs"],
    )
    tight = evidence_map.thinned_places(summary, budget=MapBudget(places=10, bytes=1_000))
    # Russia's outline is thousands of bytes: the town is drawn, the country counted.
    assert tight.drawn["place_id"].tolist() == ["geonames:1"]
    assert int(tight.clusters["n_places"].sum()) == 1
    roomy = evidence_map.thinned_places(summary, budget=MapBudget(places=10, bytes=10**6))
    assert len(roomy.drawn) == 2 and roomy.clusters.empty


def test_the_circles_carry_counts_only_and_draw_text_as_text():
    thinned = thin_places(grid_of_places(3_000), MapBudget(places=100))
    m = base_map()
    clusters_layer(thinned.clusters).add_to(m)
    page = m.get_root().render()
    assert "textContent" in page and "innerHTML" not in page
    (geojson,) = [
        c for c in clusters_layer(thinned.clusters)._children.values()
        if isinstance(c, folium.GeoJson)
    ]  # fmt: skip
    properties = [f["properties"] for f in geojson.data["features"]]
    assert {key for p in properties for key in p} == {"cluster", "n", "c", "b"}
    assert sum(p["n"] for p in properties) == 2_900
    json.dumps(geojson.data)  # plain numbers, nothing a document wrote
    assert re.search(r"createPane\(\s*['\"]clusters['\"]", page)


def test_a_map_that_holds_every_place_draws_them_all_whatever_the_view():
    places = grid_of_places(2_000)
    view = map_view(world_value(8, 10.0, 10.0, 11.0, 11.5))
    thinned = thin_places(places, MapBudget(places=2_000), view=view)
    assert len(thinned.drawn) == 2_000 and thinned.clusters.empty
    assert notice(thinned) is None


def test_zoomed_in_the_budget_left_goes_to_the_busiest_places_elsewhere():
    places = grid_of_places(20_000)
    quiet = places.iloc[-1]
    lat, lon = float(quiet["lat"]), float(quiet["lon"])
    view = map_view(world_value(8, lat - 0.5, lon - 0.8, lat + 0.5, lon + 0.8))
    thinned = thin_places(places, MapBudget(places=300), view=view)
    in_view = view.contains(places["lat"].to_numpy(), places["lon"].to_numpy())
    drawn = set(thinned.drawn["place_id"])
    assert set(places["place_id"][in_view]) <= drawn
    elsewhere = places[~in_view].head(300 - int(in_view.sum()))  # busiest first
    assert set(elsewhere["place_id"]) <= drawn
    assert len(drawn) == 300
    assert "and the busiest elsewhere" in notice(thinned)
