from unittest import mock

import pandas as pd
import streamlit_folium
from streamlit_folium import st_folium

from geo.dashboard import map_component
from geo.dashboard.mapview import base_map, places_layer

SUMMARY = pd.DataFrame(
    {"place_id": ["geonames:99072", "country:SY"], "name": ["Mosul", "Syria </script>"],
     "kind": ["city", "country"], "lat": [36.34, 35.0], "lon": [43.13, 38.0],
     "n_claims": [3, 1]}
)  # fmt: skip


def component_arguments(show) -> dict:
    with mock.patch.object(streamlit_folium, "_component_func") as component:
        component.starts_at_zero = True  # leave the mock unwrapped (folium_clicks)
        show()
    (kwargs,) = [c.kwargs for c in component.call_args_list]
    return {k: v for k, v in kwargs.items() if k != "on_change"}


def test_show_map_sends_what_st_folium_sends():
    options = dict(returned_objects=["last_active_drawing", "last_object_clicked_count"],
                   center=(36.0, 40.0), zoom=5, key="map", height=600)  # fmt: skip
    theirs = component_arguments(
        lambda: st_folium(
            base_map(),
            feature_group_to_add=[places_layer(SUMMARY, "country:SY")],
            use_container_width=True,
            **options,
        )  # fmt: skip
    )
    parts = map_component.base_map_parts(False)
    layers = map_component.layers_script([places_layer(SUMMARY, "country:SY")])
    ours = component_arguments(lambda: map_component.show_map(parts, layers, **options))
    assert ours == theirs


def test_the_shared_basemap_is_not_changed_by_drawing_layers():
    parts = map_component.base_map_parts(False)
    script = parts.script
    map_component.layers_script([places_layer(SUMMARY)])
    assert map_component.base_map_parts(False) is parts and parts.script == script
