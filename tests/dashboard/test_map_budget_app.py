"""Both pages thin their map with geo.dashboard.map_budget: the in-memory page on the seeds, with
a budget smaller than its places, under streamlit.testing (the map component mocked)."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

from streamlit.testing.v1 import AppTest

from geo.dashboard import map_budget

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def _run(at: AppTest, answer: dict | None = None) -> tuple[AppTest, dict]:
    """Run the page; the map component answers `answer`. Returns the component's arguments."""
    with mock.patch("geo.dashboard.page.show_map", return_value=answer) as show_map:
        at.run()
    return at, show_map.call_args


def _zoomed_on(lat: float, lon: float) -> dict:
    return {
        "zoom": 9,
        "bounds": {
            "_southWest": {"lat": lat - 0.4, "lng": lon - 0.7},
            "_northEast": {"lat": lat + 0.4, "lng": lon + 0.7},
        },
    }


def test_the_in_memory_page_draws_its_budget_says_so_and_draws_more_when_zoomed(
    monkeypatch, seeds_build
):
    monkeypatch.setattr(map_budget, "BUDGET", map_budget.MapBudget(places=10))
    monkeypatch.setattr(sys, "argv", ["app.py"])
    at = AppTest.from_file(str(APP), default_timeout=120)
    at, call = _run(at)
    assert not at.exception and not at.error
    n_places = int(seeds_build.places["lat"].notna().sum())
    notice = next(c.value for c in at.caption if "places on the map" in c.value)
    assert f"Showing 10 of {n_places:,} places on the map" in notice
    assert f"The other {n_places - 10:,} are counted in the numbered grey circles" in notice
    # Over its budget, the map reports its view; the layers carry the counts.
    assert {"bounds", "zoom"} <= set(call.kwargs["returned_objects"])
    layers_js = call.args[1]
    assert "geo-cluster" in layers_js
    # A place the world map only counts is drawn when the map reports a view around it.
    places = seeds_build.places.dropna(subset=["lat"]).set_index("place_id", drop=False)
    counts = seeds_build.claims["place_id"].value_counts()
    cities = [p for p in counts.index if p in places.index and places.at[p, "kind"] == "city"]
    quiet = places.loc[cities[-1]]  # a town with the fewest claims
    assert f'"{quiet["place_id"]}"' not in layers_js
    at.session_state["map"] = _zoomed_on(float(quiet["lat"]), float(quiet["lon"]))
    at, call = _run(at, _zoomed_on(float(quiet["lat"]), float(quiet["lon"])))
    assert not at.exception
    assert f'"{quiet["place_id"]}"' in call.args[1]


def test_a_corpus_within_the_budget_keeps_its_map_as_it_was(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py"])
    at, call = _run(AppTest.from_file(str(APP), default_timeout=120))
    assert not at.exception
    assert not any("places on the map" in c.value for c in at.caption)
    assert call.kwargs["returned_objects"] == ["last_active_drawing", "last_object_clicked_count"]


def _run_query_page(at: AppTest, answer: dict | None = None) -> tuple[AppTest, dict]:
    with mock.patch("geo.dashboard.query_page.st_folium", return_value=answer) as st_folium:
        at.run()
    return at, st_folium.call_args


def test_the_query_page_of_50000_places_draws_its_budget_and_finds_any_place_by_name(
    monkeypatch, many_places_build
):
    monkeypatch.setattr(sys, "argv", ["app.py", "--built", str(many_places_build)])
    at, call = _run_query_page(AppTest.from_file(str(APP), default_timeout=300))
    assert not at.exception and not at.error
    notice = next(c.value for c in at.caption if "places on the map" in c.value)
    assert "Showing 5,000 of 50,000 places on the map" in notice
    assert {"bounds", "zoom"} <= set(call.kwargs["returned_objects"])
    # The list holds the busiest 5,000; the search finds a quiet place by part of its name,
    # markup included (it is shown as text), and once picked it is drawn.
    place_list = at.selectbox(key="q_place")
    assert len(place_list.options) == 5_000
    assert not any("onerror" in option for option in place_list.options)
    at.text_input(key="q_find").input("ONERROR")
    at, call = _run_query_page(at)
    (hostile,) = [o for o in at.selectbox(key="q_place").options if "onerror" in o]
    at.selectbox(key="q_place").select(hostile)
    at, call = _run_query_page(at)
    assert not at.exception
    place_id = at.session_state["q_place"]
    (markers,) = call.kwargs["feature_group_to_add"][-1]._children.values()
    assert place_id in {f["properties"]["id"] for f in markers.data["features"]}


def test_the_query_page_within_the_budget_keeps_its_map_as_it_was(monkeypatch, built_corpus):
    corpus, out = built_corpus
    monkeypatch.setattr(sys, "argv", ["app.py", "--built", str(out), "--corpus", str(corpus)])
    at, call = _run_query_page(AppTest.from_file(str(APP), default_timeout=300))
    assert not at.exception
    assert not any("places on the map" in c.value for c in at.caption)
    assert call.kwargs["returned_objects"] == ["last_active_drawing", "last_object_clicked_count"]
