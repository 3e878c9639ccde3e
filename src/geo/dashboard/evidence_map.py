"""Honest precision and movement on the map: countries as their shapes, flows as arcs.

A country is not a point: it is drawn as its Natural Earth outline (shaded by its number of claims),
so it cannot be mistaken for a town at its centre. A province is drawn as its area where the basemap
has one (src/geo/data/basemap/admin1_areas.json: the faces Natural Earth's borders close, named by
the towns inside them, for 1,623 of 3,747 provinces; scripts/make_basemap_detail.py); other
provinces and regions keep a dashed ring at their centre (the legend says so). Each layer is a folium FeatureGroup for
`st_folium(feature_group_to_add=[...])`; document text reaches the page only as JSON data.
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import lru_cache
from importlib import resources

import folium
import numpy as np
import pandas as pd
from folium.utilities import JsCode, get_bounds

from geo.dashboard import map_budget
from geo.dashboard.map_budget import (
    MapBudget,
    MapView,
    ThinnedPlaces,
    payload_bytes,
    thin_places,
)
from geo.dashboard.mapview import (
    AREA_STYLE,
    AREAS_PANE,
    POINT_STYLE,
    SELECTED_STYLE,
    GeoJsonLayer,
    _swatch,
    clusters_layer,
    json_for_script,
    places_layer,
    tooltip_box_js,
    world_geojson,
)

COUNTRY_STYLE = {"color": "#5f3dc4", "weight": 1.2, "fillColor": "#7950f2"}
COUNTRY_FILL = (0.12, 0.5)  # fill opacity for the fewest and the most claims
FLOW_STYLE = {"color": "#0b7285", "opacity": 0.75}
# Each feature carries its own style (Python computes it: shade by count, the selection).
_STYLE_FROM_PROPERTIES = JsCode("function (feature) { return feature.properties.style; }")


@lru_cache(maxsize=1)
def _country_shapes() -> dict[str, dict]:
    return {
        f["properties"]["iso_a2"]: f["geometry"]
        for f in world_geojson()["features"]
        if f["properties"].get("iso_a2")
    }


_FEATURE_ID = re.compile(r'^\{"type":"Feature","properties":\{"id":"([^"]+)"')


@lru_cache(maxsize=1)
def _province_lines() -> dict[str, str]:
    """place_id ("admin1:IQ.15") -> its feature's line of admin1_areas.json (one feature a line,
    scripts/make_basemap_detail.py): indexed without parsing 1,623 shapes (0.7 s on a busy
    machine) on the first map that shows a province."""
    text = resources.files("geo").joinpath("data/basemap/admin1_areas.json").read_text("utf-8")
    lines = {}
    for line in text.splitlines():
        found = _FEATURE_ID.match(line)
        if found:
            lines[found.group(1)] = line.rstrip(",")
    return lines


@lru_cache(maxsize=4096)
def _province_shape(place_id: str) -> dict | None:
    line = _province_lines().get(place_id)
    return json.loads(line)["geometry"] if line is not None else None


def area_shape(kind: str, place_id: str, country_code: str) -> dict | None:
    """The area a place is drawn as (GeoJSON geometry): a country's outline, a province's area
    where the basemap has it; None for everything drawn as a marker."""
    if kind == "country":
        return country_shape(country_code)
    if kind == "admin1":
        return _province_shape(str(place_id))
    return None


@lru_cache(maxsize=512)
def _shape_parts(shape_key: tuple[str, str, str]) -> tuple[str, list]:
    """An area's outline (area_shape of (kind, place_id, country_code)) as script JSON, and its
    bounds [[south, west], [north, east]]."""
    shape = area_shape(*shape_key)
    return json_for_script(shape), get_bounds(shape, lonlat=True)


def _joined_bounds(bounds: list[list]) -> list:
    """The bounds that hold all of `bounds` (as folium's get_bounds of their features)."""
    corners = [b for b in bounds if None not in b[0] + b[1]]
    if not corners:
        return [[None, None], [None, None]]
    return [
        [min(b[0][0] for b in corners), min(b[0][1] for b in corners)],
        [max(b[1][0] for b in corners), max(b[1][1] for b in corners)],
    ]


def country_shape(country_code: str) -> dict | None:
    """The 1:110m outline of a country (GeoJSON geometry), or None for a country too small for it."""
    return _country_shapes().get(str(country_code or "").upper())


def split_by_shape(summary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(countries and provinces drawn as their area, everything drawn as a marker)."""
    kinds = summary["kind"].to_numpy()
    has_shape = np.zeros(len(summary), dtype=bool)
    countries = kinds == "country"
    if countries.any():
        shapes = _country_shapes()
        codes = summary["country_code"].to_numpy()[countries]
        has_shape[countries] = [str(c or "").upper() in shapes for c in codes]
    provinces = kinds == "admin1"
    if provinces.any():
        shapes = _province_lines()
        has_shape[provinces] = [str(i) in shapes for i in summary["place_id"].to_numpy()[provinces]]
    return summary[has_shape], summary[~has_shape]


def _area_bytes(summary: pd.DataFrame) -> pd.Series:
    """The JSON bytes of each place's outline where it is drawn as an area, else NaN."""
    areas, _ = split_by_shape(summary)
    sizes = pd.Series(np.nan, index=summary.index)
    if areas.empty:
        return sizes
    lines = _province_lines() if (areas["kind"] == "admin1").any() else {}
    sizes[areas.index] = [
        len(lines[str(place_id)]) if kind == "admin1"
        else len(_shape_parts((str(kind), str(place_id), str(code or "").upper()))[0])
        for place_id, kind, code in zip(areas["place_id"], areas["kind"], areas["country_code"],
                                        strict=True)
    ]  # fmt: skip
    return sizes


def thinned_places(
    summary: pd.DataFrame,
    selected: str | None = None,
    view: MapView | None = None,
    budget: MapBudget | None = None,
) -> ThinnedPlaces:
    """geo.dashboard.map_budget.thin_places, an area costing its outline's bytes (`budget`:
    map_budget.BUDGET unless given)."""
    summary = summary.reset_index(drop=True)
    cost = payload_bytes(summary, _area_bytes(summary))
    return thin_places(summary, budget or map_budget.BUDGET, selected, view, cost)


def budgeted_layers(thinned: ThinnedPlaces, selected: str | None = None) -> list:
    """The places' layers, bottom to top: the areas drawn, the counts of the places not drawn,
    the markers drawn (both pages draw these; the in-memory page adds its arcs)."""
    areas, markers = split_by_shape(thinned.drawn)
    return [
        country_areas_layer(areas, selected),
        clusters_layer(thinned.clusters),
        places_layer(markers, selected_id=selected),
    ]


def _fill_opacity(n: int, n_max: int) -> float:
    low, high = COUNTRY_FILL
    if n_max <= 1:
        return low
    return round(low + (high - low) * math.sqrt((n - 1) / (n_max - 1)), 3)


_AREA_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var p = feature.properties;
    layer.options.className = 'place area place-' + String(p.id).replace(/[^A-Za-z0-9_-]/gu, '-');
    layer.bindTooltip(function () {
    """
    + tooltip_box_js("(p.kind === 'country' ? 'country' : 'province') + ' (whole area)'")
    + """
    }, {sticky: true});
}"""
)


def country_areas_layer(countries: pd.DataFrame, selected_id: str | None = None):
    """One GeoJson layer of the areas of countries and provinces (split_by_shape); each feature
    carries its place `id` like a marker."""
    group = folium.FeatureGroup(name="country areas", control=False)
    if countries.empty:
        return group
    n_max = int(countries["n_claims"].max())
    features = []
    for row in countries.itertuples(index=False):
        n = int(row.n_claims)
        selected = selected_id is not None and row.place_id == selected_id
        style = {**COUNTRY_STYLE, "fillOpacity": _fill_opacity(n, n_max)}
        if selected:
            style.update({**SELECTED_STYLE, "fillOpacity": 0.45})
        # The key of the area's cached JSON and bounds (_shape_parts).
        code = (str(row.kind), str(row.place_id), str(row.country_code or "").upper())
        features.append(
            {
                "type": "Feature",
                "geometry": area_shape(*code),
                "properties": {
                    "id": str(row.place_id),
                    "name": str(row.name),
                    "kind": "country" if row.kind == "country" else "admin1",
                    "n": n,
                    "style": style,
                    **({"sel": True} if selected else {}),
                },
                "_code": code,
            }
        )
    # Provinces over countries (a province inside a shaded country stays clickable), the selected
    # place over all; then the busiest below.
    features.sort(
        key=lambda f: (
            f["properties"].get("sel", False),
            f["properties"]["kind"] == "admin1",
            -f["properties"]["n"],
        )
    )
    # The outlines' JSON and bounds are made once per area: serialising them was most of the
    # time of drawing the layers for a new selection (json_for_script of the whole, piece by piece).
    codes = [f.pop("_code") for f in features]
    data_js = (
        '{"type":"FeatureCollection","features":['
        + ",".join(
            '{"type":"Feature","geometry":'
            + _shape_parts(code)[0]
            + ',"properties":'
            + json_for_script(f["properties"])
            + "}"
            for code, f in zip(codes, features, strict=True)
        )
        + "]}"
    )
    GeoJsonLayer(
        {"type": "FeatureCollection", "features": features},
        data_js=data_js,
        bounds=_joined_bounds([_shape_parts(code)[1] for code in codes]),
        name="country areas",
        pane=AREAS_PANE,  # under the basemap's province borders, rivers and names
        style=_STYLE_FROM_PROPERTIES,
        onEachFeature=_AREA_ON_EACH_FEATURE,
    ).add_to(group)
    return group


def arc_points(a: tuple[float, float], b: tuple[float, float], n: int = 24) -> list[list[float]]:
    """A gentle curve from a to b ((lat, lon) each) as [lon, lat] points: arcs that share ends
    stay apart, and the bend shows direction together with the arrowhead dot at b."""
    (lat1, lon1), (lat2, lon2) = a, b
    mid_lat, mid_lon = (lat1 + lat2) / 2, (lon1 + lon2) / 2
    d_lat, d_lon = lat2 - lat1, lon2 - lon1
    # Control point: off the straight line, to the left of the direction of travel.
    c_lat, c_lon = mid_lat + 0.25 * d_lon, mid_lon - 0.25 * d_lat
    points = []
    for i in range(n + 1):
        t = i / n
        lat = (1 - t) ** 2 * lat1 + 2 * (1 - t) * t * c_lat + t**2 * lat2
        lon = (1 - t) ** 2 * lon1 + 2 * (1 - t) * t * c_lon + t**2 * lon2
        points.append([round(lon, 4), round(lat, 4)])
    return points


_FLOW_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var p = feature.properties;
    layer.options.className = 'flow';
    layer.bindTooltip(function () {
        var box = document.createElement('div');
        box.textContent = p.label;
        return box;
    }, {sticky: true});
}"""
)


def flows_layer(flow_table: pd.DataFrame, places: pd.DataFrame) -> folium.FeatureGroup:
    """Arcs from origin to destination (geo.evidence.movements.flows), width by number of claims."""
    group = folium.FeatureGroup(name="movements", control=False)
    if flow_table.empty:
        return group
    where = places.set_index("place_id")[["name", "lat", "lon"]]
    features = []
    for row in flow_table.itertuples(index=False):
        if row.origin_id not in where.index or row.destination_id not in where.index:
            continue
        o, d = where.loc[row.origin_id], where.loc[row.destination_id]
        n = int(row.n_claims)
        label = f"{o['name']} → {d['name']} · {n} statement{'s' * (n != 1)}"
        points = arc_points((float(o["lat"]), float(o["lon"])), (float(d["lat"]), float(d["lon"])))
        weight = min(8.0, 2.0 + 1.5 * (n - 1))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": points},
                "properties": {"label": label, "style": {**FLOW_STYLE, "weight": weight}},
            }
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": points[-3:]},
                "properties": {
                    "label": label,
                    "style": {**FLOW_STYLE, "weight": weight + 5, "opacity": 0.9},
                },
            }
        )
    if features:
        GeoJsonLayer(
            {"type": "FeatureCollection", "features": features},
            name="movements",
            style=_STYLE_FROM_PROPERTIES,
            onEachFeature=_FLOW_ON_EACH_FEATURE,
        ).add_to(group)
    return group


def legend_html(show_flows: bool = False) -> str:
    """A static legend (no document text): what each symbol means, precision included."""
    country = (
        '<span style="display:inline-block;width:16px;height:11px;vertical-align:middle;'
        f"border:1px solid {COUNTRY_STYLE['color']};background:rgba(121,80,242,.35);"
        'margin-right:4px"></span>'
    )
    items = [
        (_swatch(POINT_STYLE, POINT_STYLE["fillOpacity"]), "town, site or landmark (size: claims)"),
        (country, "country, or province with known borders: its whole area (shade: claims)"),
        (
            _swatch(AREA_STYLE, 0.15),
            "province without known borders, county or region: ring at its centre",
        ),
        (_swatch(SELECTED_STYLE, 0.9), "selected"),
    ]
    if show_flows:
        arrow = (
            f'<span style="display:inline-block;width:18px;border-top:3px solid '
            f'{FLOW_STYLE["color"]};vertical-align:middle;margin-right:4px"></span>'
        )
        items.append((arrow, "people moving (thick end: destination)"))
    rows = "".join(
        # An entry may wrap inside itself: a long one ran out of a 414 px window on one line.
        f'<span style="display:inline-block;max-width:100%;margin-right:14px">'
        f"{swatch}{html.escape(label)}</span>"
        for swatch, label in items
    )
    return f'<div class="geo-legend" style="font-size:0.85rem;line-height:1.8">{rows}</div>'
