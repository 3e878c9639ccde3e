"""streamlit-folium's map component, fed from what was already rendered.

`st_folium(base_map(), feature_group_to_add=layers)` renders the whole basemap (its countries
included) through folium's templates on every rerun, then the layers, then hashes the result:
the largest share of a rerun of the dashboard. The basemap is the same on every call, so here it
is rendered once per process (`base_map_parts`), the layers once per filter state and selection by
the caller (`layers_script`), and `show_map` hands the component the same arguments st_folium
would (tests/dashboard/test_map_component.py holds the two equal).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from textwrap import dedent

import folium
import streamlit as st
import streamlit_folium
from folium.elements import ElementAddToElement
from streamlit_folium import (
    _get_feature_group_string,
    _get_header,
    _get_html,
    _get_map_string,
    generate_js_hash,
    generate_leaflet_string,
    get_full_id,
)

from geo.dashboard import assets, folium_clicks
from geo.dashboard.mapview import GeoJsonLayer, base_map


@dataclass(frozen=True)
class MapParts:
    """The basemap as st_folium sends it (read only: shared by every session)."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: int | None
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]

    @functools.cached_property
    def hash_keys(self) -> dict:
        return {}

    def component_key(self, key: str | None) -> str:
        """The component's key as st_folium derives it (a hash of the script: 0.01 s each)."""
        try:
            return self.hash_keys[key]
        except KeyError:
            value = self.hash_keys[key] = generate_js_hash(self.script, key, False)
            return value


def _bounds_dict(bounds: list) -> dict:
    (south, west), (north, east) = bounds
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}


def _links(fig) -> tuple[list[str], list[str]]:
    """The CSS and JS files of the map and its children (st_folium's walk)."""
    css: list[str] = []
    js: list[str] = []

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fig):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


@functools.lru_cache(maxsize=2)
def base_map_parts(online_tiles: bool = False) -> MapParts:
    """mapview.base_map rendered as st_folium renders it, once per process and kind of tiles."""
    fig = base_map(online_tiles=online_tiles)
    fig.get_root().render()
    fig.render()
    html = _get_html(fig)
    header = _get_header(fig)
    script = _get_map_string(fig)
    try:
        bounds = fig.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    css, js = _links(fig)
    return MapParts(
        script=script,
        header=header,
        html=html,
        map_id=get_full_id(fig),
        bounds=_bounds_dict(bounds),
        zoom=fig.options.get("zoom"),
        css_links=tuple(css),
        js_links=tuple(js),
    )


def layers_script(layers: list[folium.FeatureGroup]) -> str:
    """The layers' JavaScript as st_folium's `feature_group_to_add` makes it. They are rendered
    into a scratch map, not the shared basemap (rendering attaches them to the map)."""
    scratch = folium.Map(tiles=None)
    return "".join(_group_script(group, scratch, i) for i, group in enumerate(layers))


def _group_script(group: folium.FeatureGroup, scratch: folium.Map, idx: int) -> str:
    """streamlit-folium's _get_feature_group_string without folium's render pass, for groups of
    GeoJsonLayers (the dashboard's). That pass only attaches each layer to its parent, and
    compiles every element's script as a jinja template on the way (most of the time of drawing
    the layers for a newly selected place); the script itself is generated from the templates
    afterwards either way. Anything else takes streamlit-folium's own path."""
    if not all(isinstance(child, GeoJsonLayer) for child in group._children.values()):
        return _get_feature_group_string(group, map=scratch, idx=idx)
    group._id = f"feature_group_{idx}"
    group.add_to(scratch)
    for element in (*group._children.values(), group):  # as Layer.render and GeoJsonLayer.render
        if element.show:
            element.add_child(
                ElementAddToElement(element.get_name(), element._parent.get_name()),
                name=element.get_name() + "_add",
            )
    script = generate_leaflet_string(group, base_id=f"feature_group_{idx}")
    script = dedent(script.replace(get_full_id(scratch), "map_div"))
    return script + dedent(
        f"""
        map_div.addLayer(feature_group_feature_group_{idx});
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_feature_group_{idx});
        """
    )


def show_map(
    parts: MapParts,
    layers_js: str,
    *,
    key: str,
    center=None,
    zoom: int | None = None,
    height: int = 700,
    returned_objects: list[str],
    on_change: Callable[[], None] | None = None,
) -> dict | None:
    """st_folium(fig, feature_group_to_add=..., use_container_width=True, key=key, ...) for the
    fig of `parts` and the layers of `layers_js`; returns what the component returns."""
    assets.register_leaflet_route()  # the parts may have been rendered before a server ran
    folium_clicks.start_click_count_at_zero()
    component_key = parts.component_key(key)
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": parts.bounds,
        "zoom": parts.zoom,
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }

    def changed() -> None:  # as st_folium's: the map's value under the caller's key
        st.session_state[key] = st.session_state.get(component_key, {})
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        script=parts.script,
        header=parts.header,
        html=parts.html,
        id=parts.map_id,
        key=component_key,
        height=height,
        width=None,  # use_container_width
        returned_objects=returned_objects,
        default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=zoom,
        center=center,
        feature_group=layers_js,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(parts.css_links),
        js_links=list(parts.js_links),
        on_change=changed,
        wrap_longitude=False,
    )
