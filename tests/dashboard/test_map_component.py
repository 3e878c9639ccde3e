from unittest import mock

import pandas as pd
import streamlit_folium
from streamlit_folium import st_folium

from geo.dashboard import map_component
from geo.dashboard.evidence_map import country_areas_layer, flows_layer, split_by_shape
from geo.dashboard.mapview import base_map, places_layer

SUMMARY = pd.DataFrame(
    {"place_id": ["geonames:99072", "country:SY", "country:IQ", "admin1:IQ.01"],
     "name": ["Mosul", "Syria </script>", "Iraq", "Nineveh"],
     "kind": ["city", "country", "country", "admin1"], "country_code": ["IQ", "SY", "IQ", "IQ"],
     "lat": [36.34, 35.0, 33.0, 36.0], "lon": [43.13, 38.0, 44.0, 42.5],
     "n_claims": [3, 1, 5, 2]}
)  # fmt: skip


def layers(selected=None) -> list:
    """The dashboard's layers: country areas under the markers (evidence_ui.map_layers)."""
    countries, markers = split_by_shape(SUMMARY)
    return [country_areas_layer(countries, selected), places_layer(markers, selected)]


def component_arguments(show) -> dict:
    with mock.patch.object(streamlit_folium, "_component_func") as component:
        component.starts_at_zero = True  # leave the mock unwrapped (folium_clicks)
        show()
    (kwargs,) = [c.kwargs for c in component.call_args_list]
    return {k: v for k, v in kwargs.items() if k != "on_change"}


def test_show_map_sends_what_st_folium_sends():
    options = dict(returned_objects=["last_active_drawing", "last_object_clicked_count"],
                   center=(36.0, 40.0), zoom=5, key="map", height=600)  # fmt: skip
    parts = map_component.base_map_parts(False)
    for selected in (None, "country:SY", "geonames:99072"):
        theirs = component_arguments(
            lambda selected=selected: st_folium(
                base_map(),
                feature_group_to_add=layers(selected),
                use_container_width=True,
                **options,
            )  # fmt: skip
        )
        script = map_component.layers_script(layers(selected))
        ours = component_arguments(
            lambda script=script: map_component.show_map(parts, script, **options)
        )
        assert ours == theirs


def test_other_layers_take_streamlit_folium_own_path():
    flows = pd.DataFrame(
        {"origin_id": ["country:SY"], "destination_id": ["geonames:99072"], "n_claims": [2]}
    )
    group = flows_layer(flows, SUMMARY)
    assert group._children  # an arc is drawn
    theirs = streamlit_folium._get_feature_group_string(
        flows_layer(flows, SUMMARY), map=base_map(), idx=0
    )
    assert map_component.layers_script([group]) == theirs


def test_the_shared_basemap_is_not_changed_by_drawing_layers():
    parts = map_component.base_map_parts(False)
    script = parts.script
    map_component.layers_script(layers())
    assert map_component.base_map_parts(False) is parts and parts.script == script
