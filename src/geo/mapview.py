"""The map: an offline world basemap and one clickable layer of places, built as folium objects.

`base_map()` is the same on every call, so streamlit-folium keeps its iframe (and the user's zoom)
across reruns; the places go in through `st_folium(..., feature_group_to_add=places_layer(df))`.
Place names come from documents: they reach the page only as JSON data and are shown with
`textContent`, never parsed as HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import folium
import pandas as pd
from folium.utilities import JsCode

from geo.assets import leaflet_urls

PLACES_LAYER_COLUMNS = ["place_id", "name", "kind", "lat", "lon", "n_claims"]
AREA_KINDS = ("country", "admin1", "region")  # drawn as a centre point of an area, not a spot

WORLD_CENTER = (25.0, 10.0)
WORLD_ZOOM = 2
MAX_ZOOM_OFFLINE = 10  # the 1:110m coastline is meaningless beyond this
MAX_ZOOM_ONLINE = 18

SEA = "#dbe8f1"
LAND = {"fillColor": "#f5f2eb", "fillOpacity": 1, "color": "#bdb6a8", "weight": 0.6}

MIN_RADIUS, MAX_RADIUS = 5.0, 28.0
POINT_STYLE = {"color": "#8c2d04", "weight": 1, "fillColor": "#e8590c", "fillOpacity": 0.7}
AREA_STYLE = {
    "color": "#5f3dc4",
    "weight": 2,
    "dashArray": "4 3",
    "fillColor": "#5f3dc4",
    "fillOpacity": 0.06,
}
SELECTED_STYLE = {"color": "#000000", "weight": 3, "fillColor": "#ffd43b"}
SELECTED_FILL_OPACITY = {"point": 0.9, "area": 0.35}

_NOT_CLASS_CHAR = re.compile(r"[^A-Za-z0-9_-]")


def place_css_class(place_id: str) -> str:
    """The CSS class a place's marker carries, e.g. "country:IQ" -> "place-country-IQ".

    Every character outside [A-Za-z0-9_-] becomes "-" (so distinct ids can share a class).
    The map's JavaScript applies the same rule, code point by code point.
    """
    return "place-" + _NOT_CLASS_CHAR.sub("-", str(place_id))


def marker_radius(n_claims: float) -> float:
    """Pixels: grows with the square root of the claim count, so area tracks the count."""
    n = max(0.0, float(n_claims)) if pd.notna(n_claims) else 0.0
    return round(min(MAX_RADIUS, max(MIN_RADIUS, 4.0 + 2.0 * math.sqrt(n))), 1)


@lru_cache(maxsize=1)
def _world_geojson_text() -> str:
    return resources.files("geo").joinpath("data/world_110m.geojson").read_text("utf-8")


def world_geojson() -> dict:
    """Natural Earth 1:110m countries (a fresh copy: folium may keep a reference)."""
    return json.loads(_world_geojson_text())


def base_map(online_tiles: bool = False) -> folium.Map:
    """A world map that loads nothing from the network unless `online_tiles` asks for OSM tiles."""
    m = folium.Map(
        location=WORLD_CENTER,
        zoom_start=WORLD_ZOOM,
        tiles=None,
        min_zoom=1,
        max_zoom=MAX_ZOOM_ONLINE if online_tiles else MAX_ZOOM_OFFLINE,
        max_bounds=True,
        prefer_canvas=False,  # markers must be SVG paths: browser tests select them
        control_scale=True,
    )
    js_urls, css_urls = leaflet_urls()
    # Instance attributes: folium's class defaults pull jQuery, Bootstrap and FontAwesome from CDNs.
    m.default_js = [("leaflet", js_urls[0])]
    m.default_css = [("leaflet_css", css_urls[0])]
    m.get_root().header.add_child(
        folium.Element(f"<style>div.leaflet-container {{ background: {SEA}; }}</style>")
    )
    # Below the tile pane (200): with online tiles the basemap shows only where tiles fail.
    folium.map.CustomPane("basemap", z_index=150, pointer_events=False).add_to(m)
    folium.GeoJson(
        world_geojson(),
        name="countries",
        control=False,
        interactive=False,  # a click on a country must not replace the selected place
        pane="basemap",
        style=LAND,
        attribution="Natural Earth",
    ).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", max_zoom=MAX_ZOOM_ONLINE).add_to(m)
    return m


# Static JavaScript: per-place values arrive only as feature properties (JSON data).
_MARKER_STYLES = json.dumps(
    {
        "areaKinds": list(AREA_KINDS),
        "area": AREA_STYLE,
        "point": POINT_STYLE,
        "selected": SELECTED_STYLE,
        "selectedFill": SELECTED_FILL_OPACITY,
    },
    separators=(",", ":"),
)
_POINT_TO_LAYER = JsCode(
    """function (feature, latlng) {
    var S = """
    + _MARKER_STYLES
    + """;
    var p = feature.properties;
    var area = S.areaKinds.indexOf(p.kind) >= 0;
    var style = Object.assign({}, area ? S.area : S.point);
    if (p.sel) {
        Object.assign(style, S.selected);
        style.fillOpacity = area ? S.selectedFill.area : S.selectedFill.point;
    }
    style.radius = p.r;
    return L.circleMarker(latlng, style);
}"""
)

_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var p = feature.properties;
    // Same rule as geo.mapview.place_css_class; the u flag makes it per code point, like Python.
    layer.options.className = 'place place-' + String(p.id).replace(/[^A-Za-z0-9_-]/gu, '-');
    layer.bindTooltip(function () {
        var box = document.createElement('div');
        var title = document.createElement('b');
        title.textContent = p.name;
        box.appendChild(title);
        box.appendChild(document.createElement('br'));
        box.appendChild(document.createTextNode(
            p.kind + ' \\u00b7 ' + p.n + (p.n === 1 ? ' claim' : ' claims')));
        return box;
    }, {direction: 'top'});
}"""
)


def _place_features(places: pd.DataFrame, selected_id: str | None) -> list[dict]:
    features = []
    for row in places[PLACES_LAYER_COLUMNS].itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        n = int(row.n_claims) if pd.notna(row.n_claims) else 0
        props = {
            "id": str(row.place_id),
            "name": "" if pd.isna(row.name) else str(row.name),
            "kind": "" if pd.isna(row.kind) else str(row.kind),
            "n": n,
            "r": marker_radius(n),
        }
        if selected_id is not None and props["id"] == selected_id:
            props["sel"] = True
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
                "properties": props,
            }
        )

    # SVG paints in order: areas under spots, big under small, the selection on top, so every
    # marker keeps a clickable part.
    def paint_order(f: dict) -> tuple:
        p = f["properties"]
        return (p.get("sel", False), p["kind"] not in AREA_KINDS, -p["r"], p["id"])

    features.sort(key=paint_order)
    return features


def places_layer(places: pd.DataFrame, selected_id: str | None = None) -> folium.FeatureGroup:
    """One GeoJson layer of circle markers, one per place; each feature carries its place `id`."""
    missing = [c for c in PLACES_LAYER_COLUMNS if c not in places.columns]
    if missing:
        raise ValueError(f"places_layer: missing columns {missing}")
    group = folium.FeatureGroup(name="places", control=False)
    features = _place_features(places, selected_id)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="places",
            control=False,
            pointToLayer=_POINT_TO_LAYER,
            on_each_feature=_ON_EACH_FEATURE,
        ).add_to(group)
    return group


def clicked_place_id(st_folium_output: dict | None, valid_ids: Iterable[str]) -> str | None:
    """The id of the place last clicked, or None when nothing, or a place no longer shown."""
    try:
        place_id = st_folium_output["last_active_drawing"]["properties"]["id"]
    except (TypeError, KeyError):
        return None
    if not isinstance(valid_ids, (set, frozenset)):
        # A pandas Series would test its index with `in`, not its values.
        valid_ids = set(valid_ids)
    return place_id if place_id in valid_ids else None


def _swatch(style: dict, fill_opacity: float) -> str:
    border = "dashed" if "dashArray" in style else "solid"
    return (
        '<span style="display:inline-block;width:12px;height:12px;border-radius:50%;'
        f"vertical-align:middle;border:2px {border} {style['color']};"
        f'background:{_rgba(style["fillColor"], fill_opacity)};margin-right:4px"></span>'
    )


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def legend_html() -> str:
    """A static legend (no document text) for st.markdown(..., unsafe_allow_html=True)."""
    items = [
        (_swatch(POINT_STYLE, POINT_STYLE["fillOpacity"]), "town, site or landmark"),
        (_swatch(AREA_STYLE, 0.15), "country, province or region (its centre)"),
        (_swatch(SELECTED_STYLE, SELECTED_FILL_OPACITY["point"]), "selected"),
    ]
    rows = "".join(
        f'<span style="margin-right:14px;white-space:nowrap">{swatch}{html.escape(label)}</span>'
        for swatch, label in items
    )
    return f'<div class="geo-legend" style="font-size:0.85rem">{rows} size: number of claims</div>'
