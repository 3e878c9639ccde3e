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
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template
from folium.utilities import JsCode

from geo.dashboard.assets import basemap_url, leaflet_urls
from geo.dashboard.frame_memo import per_frame

PLACES_LAYER_COLUMNS = ["place_id", "name", "kind", "lat", "lon", "n_claims"]
# Drawn as the centre point of an area, not a spot.
AREA_KINDS = ("country", "admin1", "admin2", "region")

WORLD_CENTER = (25.0, 10.0)
WORLD_ZOOM = 2
MAX_ZOOM_OFFLINE = 10  # the 1:110m coastline is meaningless beyond this
MAX_ZOOM_ONLINE = 18

SEA = "#dbe8f1"
AREAS_PANE = "areas"  # shaded country areas: above the basemap, under its detail and the markers
CLUSTERS_PANE = "clusters"  # counts of places not drawn: above the areas, under the markers
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


def json_for_script(value) -> str:
    """JSON that is safe inside a <script> element: <, >, & and ' escaped as jinja's and folium's
    tojson escape them (a name containing "</script>" cannot end the script)."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return text


class _Script(Element):
    """Script text that the page includes as it is (an Element would compile it as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class GeoJsonLayer(folium.GeoJson):
    """A folium GeoJson layer whose data is serialised once, by json.dumps, into the script.

    folium's GeoJson serialises its data twice per render through a template and then compiles
    the rendered script, data included, as a jinja template again: about a second for the
    dashboard's 7,500 places. This layer writes the same L.geoJson call: `options` (JsCode for
    functions: pointToLayer, onEachFeature, style) go to L.geoJson as they are, `data` is added
    with addData. Give `data_js` (json_for_script of `data`) and `bounds` when they are known
    already, to skip serialising and measuring them (the basemap's countries). `tooltip` (a JS
    function of the hovered layer) is bound once to the whole layer, not to every feature."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {{ this.options | tojavascript }});
        {{ this.get_name() }}.addData({{ this.data_js }});
        {%- if this.tooltip_js %}
        {{ this.get_name() }}.bindTooltip({{ this.tooltip_js }}, {{ this.tooltip_options | tojavascript }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, name: str | None = None, control: bool = False,
                 data_js: str | None = None, bounds: list | None = None,
                 tooltip: JsCode | None = None, tooltip_options: dict | None = None,
                 **options):  # fmt: skip
        super().__init__(data, name=name, control=control, **options)
        self._data_js = data_js
        self._bounds = bounds
        self.tooltip_js = tooltip.js_code if tooltip is not None else None
        self.tooltip_options = tooltip_options or {}

    @property
    def data_js(self) -> str:
        if self._data_js is None:
            self._data_js = json_for_script(self.data)
        return self._data_js

    def _get_self_bounds(self):
        return self._bounds if self._bounds is not None else super()._get_self_bounds()

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, folium.Figure), "render a GeoJsonLayer inside a Figure"
        if self.show:
            self.add_child(
                ElementAddToElement(self.get_name(), self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_Script(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


@lru_cache(maxsize=1)
def _world_layer_parts() -> tuple[dict, str, list]:
    """The basemap's countries: parsed (shared, read only), as script JSON, and their bounds."""
    data = json.loads(_world_geojson_text())
    bounds = folium.GeoJson(data)._get_self_bounds()
    return data, json_for_script(data), bounds


def world_geojson() -> dict:
    """Natural Earth 1:110m countries (a fresh copy: folium may keep a reference)."""
    return json.loads(_world_geojson_text())


class FocusWithoutScrolling(MacroElement):
    """Leaflet focuses the map on a mouse press, so that the keyboard can pan it. A plain focus()
    scrolls every enclosing page until the whole map is in view: when the map is partly out of
    view, the page moves under the pointer between press and release, and the click is lost. This
    keeps the keyboard focus and leaves the page where it is (focus's preventScroll)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var keyboard = map.keyboard;
            if (!keyboard || !keyboard.enabled()) { return; }
            keyboard.disable();  // unbinds the handler it bound: replace it only after
            keyboard._onMouseDown = function () {
                if (!this._focused) { this._map._container.focus({preventScroll: true}); }
            };
            keyboard.enable();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


# The detail layers: (file, first zoom shown, Leaflet path style). Drawn on a canvas in a pane
# above the shaded country areas (AREAS_PANE) and below the markers (Leaflet's overlay pane, 400);
# left out when online tiles are asked for (they have their own).
DETAIL_LAYERS = (
    # The 1:10m sea over the 1:110m countries: the coast as it is, and country shades cut to it.
    ("ocean.json", 5, {"color": "#9fb6c7", "weight": 0.6, "fillColor": SEA, "fillOpacity": 1}),
    ("lakes.json", 5, {"color": "#9dbdd6", "weight": 0.6, "fillColor": SEA, "fillOpacity": 1}),
    ("rivers.json", 5, {"color": "#4a8cc2", "weight": 1.3, "opacity": 0.85}),
    ("admin1_lines.json", 4, {"color": "#7a6f62", "weight": 1, "opacity": 0.8, "dashArray": "4 3"}),
)
# Labels (in a pane above the markers, taking no clicks): provinces from this zoom; towns whose population reaches the threshold at each zoom.
PROVINCE_LABEL_ZOOM = 6
TOWN_POPULATION_BY_ZOOM = {3: 5_000_000, 4: 2_000_000, 5: 1_000_000, 6: 300_000, 7: 100_000,
                           8: 40_000, 9: 0}  # fmt: skip
MAX_LABELS = 250
BASEMAP_CSS = """
.geo-town, .geo-province { background: none; border: none; white-space: nowrap;
  font: 11px/1.2 "Source Sans Pro", "Source Sans 3", sans-serif; pointer-events: none;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.geo-town { color: #3d3a35; transform: translate(-3px, -50%); }
.geo-town::before { content: ""; display: inline-block; width: 4px; height: 4px;
  border-radius: 50%; background: #5c574f; margin-right: 3px; vertical-align: middle; }
.geo-province { color: #7c6f5c; font-style: italic; letter-spacing: 0.06em; font-size: 12px;
  transform: translate(-50%, -50%); }
.leaflet-control-attribution { max-width: calc(100vw - 140px); }
.geo-cluster { display: flex; align-items: center; justify-content: center; box-sizing: border-box;
  border-radius: 50%; background: rgba(73, 80, 87, 0.55); border: 2px solid rgba(255, 255, 255, 0.9);
  color: #fff; font: 600 11px/1 "Source Sans Pro", "Source Sans 3", sans-serif; cursor: zoom-in; }
"""
# The attribution (bottom right) wraps before it reaches the scale (bottom left, up to 100 px
# wide plus margins): in a 414 px window it ran over the scale bar.


class DetailLayers(MacroElement):
    """Province borders, lakes, rivers and names of provinces and towns, fetched from this
    machine after the map shows (the first load does not wait for them) and drawn by zoom.
    Labels are placed most populous first and skip any that would overlap one already placed;
    names are set with textContent. `window.geoBasemap` reports what has loaded (for tests)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, base, layers, labelRules) {
            var state = window.geoBasemap = {loaded: {}, failed: {}, labels: 0};
            map.createPane('basedetail').style.zIndex = 350;
            // Names above the markers (a town's dot shows where it lies under a marker); they
            // take no pointer events, so a click goes through to the marker.
            map.createPane('baselabels').style.zIndex = 450;
            map.getPane('basedetail').style.pointerEvents = 'none';
            map.getPane('baselabels').style.pointerEvents = 'none';
            var renderer = L.canvas({pane: 'basedetail', padding: 0.2});
            var shown = [];
            function fetchJson(name) {
                return fetch(base + name).then(function (r) {
                    if (!r.ok) { throw new Error(name + ': HTTP ' + r.status); }
                    return r.json();
                });
            }
            function showByZoom() {
                var z = map.getZoom();
                shown.forEach(function (item) {
                    var on = z >= item.minZoom;
                    if (on && !map.hasLayer(item.layer)) { item.layer.addTo(map); }
                    if (!on && map.hasLayer(item.layer)) { map.removeLayer(item.layer); }
                });
            }
            layers.forEach(function (spec) {
                fetchJson(spec[0]).then(function (data) {
                    var layer = L.geoJson(data, {style: spec[2], renderer: renderer,
                                                 interactive: false, pane: 'basedetail'});
                    shown.push({layer: layer, minZoom: spec[1]});
                    state.loaded[spec[0]] = data.features.length;
                    showByZoom();
                }).catch(function (e) { state.failed[spec[0]] = String(e); });
            });
            var labels = L.layerGroup([], {pane: 'baselabels'}).addTo(map);
            var towns = null, provinces = null;
            function label(cls, name, lat, lon) {
                var el = document.createElement('div');
                el.className = cls;
                el.textContent = name;
                return L.marker([lat, lon], {icon: L.divIcon({className: '', html: el,
                    iconSize: null}), interactive: false, keyboard: false, pane: 'baselabels'});
            }
            function place(cols, cls, minPop, placed, bounds, widthPerChar, centred) {
                if (!cols) { return; }
                for (var i = 0; i < cols.name.length; i++) {
                    if (cols.pop[i] < minPop || placed.length >= labelRules.max) { return; }
                    var ll = L.latLng(cols.lat[i], cols.lon[i]);
                    if (!bounds.contains(ll)) { continue; }
                    var p = map.latLngToContainerPoint(ll);
                    var w = cols.name[i].length * widthPerChar + 10, h = 16;
                    var left = centred ? p.x - w / 2 : p.x - 3;
                    var box = [left, p.y - h / 2, left + w, p.y + h / 2];
                    var clash = placed.some(function (b) {
                        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
                    });
                    if (clash) { continue; }
                    placed.push(box);
                    labels.addLayer(label(cls, cols.name[i], cols.lat[i], cols.lon[i]));
                }
            }
            function drawLabels() {
                labels.clearLayers();
                var z = map.getZoom(), bounds = map.getBounds(), placed = [];
                var minPop = Infinity;
                Object.keys(labelRules.towns).forEach(function (k) {
                    if (z >= Number(k)) { minPop = Math.min(minPop, labelRules.towns[k]); }
                });
                place(towns, 'geo-town', minPop, placed, bounds, 6, false);
                if (z >= labelRules.provinceZoom) {
                    place(provinces, 'geo-province', 0, placed, bounds, 7, true);
                }
                state.labels = placed.length;
            }
            fetchJson('towns.json').then(function (d) {
                towns = d; state.loaded['towns.json'] = d.name.length; drawLabels();
            }).catch(function (e) { state.failed['towns.json'] = String(e); });
            fetchJson('provinces.json').then(function (d) {
                provinces = d; state.loaded['provinces.json'] = d.name.length; drawLabels();
            }).catch(function (e) { state.failed['provinces.json'] = String(e); });
            map.on('zoomend', showByZoom);
            map.on('moveend', drawLabels);
        })({{ this._parent.get_name() }}, {{ this.base | tojson }}, {{ this.layers | tojson }},
           {{ this.label_rules | tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, base: str):
        super().__init__()
        self._name = "DetailLayers"
        self.base = base
        self.layers = [list(layer) for layer in DETAIL_LAYERS]
        self.label_rules = {
            "towns": {str(z): pop for z, pop in TOWN_POPULATION_BY_ZOOM.items()},
            "provinceZoom": PROVINCE_LABEL_ZOOM,
            "max": MAX_LABELS,
        }


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
        folium.Element(
            f"<style>div.leaflet-container {{ background: {SEA}; }}{BASEMAP_CSS}</style>"
        )
    )
    FocusWithoutScrolling().add_to(m)
    # Below the tile pane (200): with online tiles the basemap shows only where tiles fail.
    folium.map.CustomPane("basemap", z_index=150, pointer_events=False).add_to(m)
    data, data_js, bounds = _world_layer_parts()  # the same on every call: parsed once
    GeoJsonLayer(
        data,
        name="countries",
        data_js=data_js,
        bounds=bounds,
        interactive=False,  # a click on a country must not replace the selected place
        pane="basemap",
        style=LAND,
        attribution="Natural Earth, GSHHG rivers, GeoNames",
    ).add_to(m)
    folium.map.CustomPane(AREAS_PANE, z_index=300).add_to(m)
    # The numbered circles of places not drawn (geo.dashboard.map_budget): under the markers.
    folium.map.CustomPane(CLUSTERS_PANE, z_index=390).add_to(m)
    if not online_tiles:
        DetailLayers(basemap_url()).add_to(m)
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
    // Same rule as geo.dashboard.mapview.place_css_class; the u flag makes it per code point, like Python.
    layer.options.className = 'place place-' + String(p.id).replace(/[^A-Za-z0-9_-]/gu, '-');
}"""
)


# One tooltip for the whole layer, filled for the marker under the pointer (Leaflet hands the
# hovered layer to the function): a tooltip bound to each of 7,500 markers took a second to set up
# in the browser, more than drawing them.
def tooltip_box_js(what_js: str) -> str:
    """JavaScript statements that return a place's tooltip for the properties `p`: its name in
    bold, then `what_js` (an expression: the kind of place) and its claim count. Text nodes only,
    so the name from the documents is never read as markup."""
    return (
        """var box = document.createElement('div');
    var title = document.createElement('b');
    title.textContent = p.name;
    box.appendChild(title);
    box.appendChild(document.createElement('br'));
    box.appendChild(document.createTextNode(
        """
        + what_js
        + """ + ' \\u00b7 ' + p.n + (p.n === 1 ? ' claim' : ' claims')));
    return box;"""
    )


_TOOLTIP = JsCode(
    """function (layer) {
    var p = layer.feature.properties;
    """
    + tooltip_box_js("p.kind")
    + """
}"""
)


@per_frame  # the same places on every selection of a filter state: read once per table
def _place_lists(places: pd.DataFrame) -> tuple[list, ...]:
    """(ids, names, kinds, claim counts, radii, lons, lats) of the places that have coordinates."""
    frame = places[PLACES_LAYER_COLUMNS]
    frame = frame[frame["lat"].notna() & frame["lon"].notna()]
    counts = pd.to_numeric(frame["n_claims"], errors="coerce").fillna(0).astype(int).tolist()
    radius = {n: marker_radius(n) for n in set(counts)}  # a few hundred distinct counts
    radii = [radius[n] for n in counts]
    ids = frame["place_id"].astype(str).tolist()
    kinds = frame["kind"].fillna("").astype(str).tolist()
    names = frame["name"].fillna("").astype(str).tolist()
    lons, lats = frame["lon"].astype(float).tolist(), frame["lat"].astype(float).tolist()
    return ids, names, kinds, counts, radii, lons, lats


def _place_columns(places: pd.DataFrame, selected_id: str | None) -> dict:
    """The places to draw as columns, in paint order: id, name, kind, n (claims), r (radius in
    pixels), lon, lat, and sel (where the selected place starts, at the end; -1 for none)."""
    ids, names, kinds, counts, radii, lons, lats = _place_lists(places)
    # SVG paints in order: areas under spots, big under small, the selection on top, so every
    # marker keeps a clickable part.
    order = sorted(
        range(len(ids)),
        key=lambda i: (ids[i] == selected_id, kinds[i] not in AREA_KINDS, -radii[i], ids[i]),
    )
    columns = {
        key: [values[i] for i in order]
        for key, values in (("id", ids), ("name", names), ("kind", kinds), ("n", counts),
                            ("r", radii), ("lon", lons), ("lat", lats))
    }  # fmt: skip
    # The selected place sorts last: sel is where it starts (-1: nothing selected).
    n_selected = sum(1 for place_id in ids if place_id == selected_id) if selected_id else 0
    columns["sel"] = len(ids) - n_selected if n_selected else -1
    return columns


def _features_from_columns(columns: dict) -> list[dict]:
    """The GeoJSON features of _place_columns (what _POINTS_FROM_COLUMNS makes in the browser)."""
    features = []
    for i, place_id in enumerate(columns["id"]):
        props = {"id": place_id, "name": columns["name"][i], "kind": columns["kind"][i],
                 "n": columns["n"][i], "r": columns["r"][i]}  # fmt: skip
        if 0 <= columns["sel"] <= i:
            props["sel"] = True
        point = {"type": "Point", "coordinates": [columns["lon"][i], columns["lat"][i]]}
        features.append({"type": "Feature", "geometry": point, "properties": props})
    return features


# The browser builds the features from columns: the same objects as _features_from_columns, from
# a third of the JSON (names and numbers once each, no keys repeated per place).
_POINTS_FROM_COLUMNS = """(function (c) {
    var features = [];
    for (var i = 0; i < c.id.length; i++) {
        var p = {id: c.id[i], name: c.name[i], kind: c.kind[i], n: c.n[i], r: c.r[i]};
        if (c.sel >= 0 && i >= c.sel) { p.sel = true; }
        features.push({type: "Feature", properties: p,
                       geometry: {type: "Point", coordinates: [c.lon[i], c.lat[i]]}});
    }
    return {type: "FeatureCollection", features: features};
})(%s)"""


class PointsLayer(GeoJsonLayer):
    """A GeoJsonLayer of point features sent as columns (see _place_columns); `data` (the
    FeatureCollection, for Python readers) is built from them when first read."""

    def __init__(self, columns: dict, **options):
        self._columns = columns
        self._features = None
        lats, lons = columns["lat"], columns["lon"]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]] if lats else None
        data_js = _POINTS_FROM_COLUMNS % json_for_script(columns)
        super().__init__({}, data_js=data_js, bounds=bounds, **options)

    @property
    def data(self) -> dict:
        if self._features is None:
            self._features = _features_from_columns(self._columns)
        return {"type": "FeatureCollection", "features": self._features}

    @data.setter
    def data(self, value) -> None:  # folium's __init__ stores its argument; the columns rule
        pass


def places_layer(places: pd.DataFrame, selected_id: str | None = None) -> folium.FeatureGroup:
    """One GeoJson layer of circle markers, one per place; each feature carries its place `id`."""
    missing = [c for c in PLACES_LAYER_COLUMNS if c not in places.columns]
    if missing:
        raise ValueError(f"places_layer: missing columns {missing}")
    group = folium.FeatureGroup(name="places", control=False)
    columns = _place_columns(places, selected_id)
    if columns["id"]:
        PointsLayer(
            columns,
            name="places",
            pointToLayer=_POINT_TO_LAYER,
            onEachFeature=_ON_EACH_FEATURE,
            tooltip=_TOOLTIP,
            tooltip_options={"direction": "top"},
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
        (_swatch(AREA_STYLE, 0.15), "country, province, county or region (its centre)"),
        (_swatch(SELECTED_STYLE, SELECTED_FILL_OPACITY["point"]), "selected"),
    ]
    rows = "".join(
        f'<span style="margin-right:14px;white-space:nowrap">{swatch}{html.escape(label)}</span>'
        for swatch, label in items
    )
    return f'<div class="geo-legend" style="font-size:0.85rem">{rows} size: number of claims</div>'


# A numbered circle per cell of places not drawn (geo.dashboard.map_budget): only counts and
# coordinates, no document text. A click zooms to the cell's places.
_CLUSTER_TO_LAYER = JsCode(
    """function (feature, latlng) {
    var p = feature.properties;
    var el = document.createElement('div');
    el.className = 'geo-cluster';
    var d = Math.round(Math.min(46, 20 + 5 * Math.log10(Math.max(1, p.n)) * 2));
    el.style.width = el.style.height = d + 'px';
    el.textContent = p.n < 1000 ? String(p.n) : (p.n < 10000 ? (p.n / 1000).toFixed(1) : Math.round(p.n / 1000)) + 'k';
    var marker = L.marker(latlng, {pane: '"""
    + CLUSTERS_PANE
    + """', keyboard: false,
        icon: L.divIcon({className: '', html: el, iconSize: [d, d]})});
    marker.on('click', function (e) {
        var map = e.target._map;
        map.fitBounds([[p.b[0], p.b[1]], [p.b[2], p.b[3]]],
                      {padding: [40, 40], maxZoom: Math.max(map.getZoom() + 2, 6)});
    });
    return marker;
}"""
)

_CLUSTER_TOOLTIP = JsCode(
    """function (layer) {
    var p = layer.feature.properties;
    var box = document.createElement('div');
    box.textContent = p.n.toLocaleString('en') + (p.n === 1 ? ' place' : ' places') +
        ' not drawn here \\u00b7 ' + p.c.toLocaleString('en') + (p.c === 1 ? ' claim' : ' claims') +
        '. Zoom in (click) to see them.';
    return box;
}"""
)


def clusters_layer(clusters: pd.DataFrame) -> folium.FeatureGroup:
    """The numbered circles of geo.dashboard.map_budget's cells (lat, lon, n_places, n_claims,
    south, west, north, east): how many places the map does not draw there."""
    group = folium.FeatureGroup(name="clusters", control=False)
    if clusters.empty:
        return group
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {
                "cluster": True,
                "n": int(n),
                "c": int(c),
                "b": [round(s, 5), round(w, 5), round(nn, 5), round(e, 5)],
            },
        }  # fmt: skip
        for lat, lon, n, c, s, w, nn, e in clusters[
            ["lat", "lon", "n_places", "n_claims", "south", "west", "north", "east"]
        ].itertuples(index=False)
    ]
    lats = clusters["lat"].to_numpy(dtype=float)
    lons = clusters["lon"].to_numpy(dtype=float)
    GeoJsonLayer(
        {"type": "FeatureCollection", "features": features},
        name="clusters",
        bounds=[[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]],
        pointToLayer=_CLUSTER_TO_LAYER,
        tooltip=_CLUSTER_TOOLTIP,
        tooltip_options={"direction": "top"},
    ).add_to(group)
    return group
