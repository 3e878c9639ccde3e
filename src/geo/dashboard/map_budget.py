"""Which places the map draws one by one, and which it counts in grid cells: the map's payload
stays within a budget however many places pass the filters.

The places in view (the map's viewport, with half a screen of margin) are drawn busiest first,
then the places elsewhere, until `MapBudget.places` markers or `MapBudget.bytes` of their data;
the selected place is always drawn. Every other place with coordinates is counted in a cell of a grid of `CELL_PX` screen
pixels at the map's zoom (cells out of view: the world map's grid), drawn as a numbered circle.
Zooming in (or clicking a circle) shrinks the view, so the places in it get drawn: every place is
reachable by zoom as well as from the list and the filters. Pure functions of tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

TILE_PX = 256  # Web Mercator: the world is TILE_PX * 2**zoom pixels wide
CELL_PX = 64  # a cluster's cell on the screen
WORLD_ZOOM = 2  # the map's first view; cells out of view use its grid
MAX_LAT = 85.0511287798  # Web Mercator's edge
# JSON bytes a marker costs besides its id and name (kind, counts, radius, coordinates).
MARKER_BYTES = 48
_ESCAPED = r"[^\x20-\x7e]|[<>&'\"\\]"  # written as \uXXXX (6 bytes) by json_for_script


@dataclass(frozen=True)
class MapBudget:
    """At most `places` markers, and at most `bytes` of their JSON (areas count their outline)."""

    places: int = 5_000
    bytes: int = 1_000_000


BUDGET = MapBudget()  # the dashboard's: with the rest of the page, the first run stays under 2 MB


@dataclass(frozen=True)
class MapView:
    """The part of the world the map shows, widened by half a screen each side and snapped out to
    whole tiles at `zoom` (so that a small pan keeps the same view): tile columns x0..x1 and rows
    y0..y1, ends excluded. Columns may run past the world's edge (the map wraps)."""

    zoom: int
    x0: int
    x1: int
    y0: int
    y1: int

    def contains(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        n = 2**self.zoom
        x, y = world_pixels(lat, lon, self.zoom)
        x, y = x / TILE_PX, y / TILE_PX
        inside_y = (y >= self.y0) & (y < self.y1)
        # Column c of the view is world column c mod n: test x, x - n and x + n.
        inside_x = np.zeros(len(x), dtype=bool)
        for shift in (-n, 0, n):
            inside_x |= (x + shift >= self.x0) & (x + shift < self.x1)
        return inside_x & inside_y


def world_pixels(lat, lon, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates at `zoom` (x east from 180°W, y south from the top)."""
    size = TILE_PX * 2**zoom
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT)
    lon = np.asarray(lon, dtype=float)
    x = (lon + 180.0) / 360.0 * size
    s = np.sin(np.radians(lat))
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


# What the map component returns for `map_view`: asked for only when the places are over the
# budget (else every change of view would rerun the page for nothing).
VIEW_RETURNS = ["bounds", "zoom"]


def map_view(value: dict | None) -> MapView | None:
    """The view of the map component's value ({"bounds": {"_southWest": {"lat", "lng"},
    "_northEast": ...}, "zoom": z}); None for the whole world (or a value that says nothing)."""
    try:
        zoom = int(value["zoom"])
        south_west, north_east = value["bounds"]["_southWest"], value["bounds"]["_northEast"]
        south, west = float(south_west["lat"]), float(south_west["lng"])
        north, east = float(north_east["lat"]), float(north_east["lng"])
    except (TypeError, KeyError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)) or zoom < 0:
        return None
    zoom = min(zoom, 30)
    (x_west, x_east), (y_north, y_south) = (
        world_pixels([0.0, 0.0], [west, east], zoom)[0],
        world_pixels([north, south], [0.0, 0.0], zoom)[1],
    )
    width, height = max(0.0, x_east - x_west), max(0.0, y_south - y_north)
    tiles = 2**zoom
    x0 = math.floor((x_west - width / 2) / TILE_PX)
    x1 = math.ceil((x_east + width / 2) / TILE_PX)
    y0 = max(0, math.floor((y_north - height / 2) / TILE_PX))
    y1 = min(tiles, math.ceil((y_south + height / 2) / TILE_PX))
    if x1 - x0 >= tiles and y0 == 0 and y1 == tiles:
        return None  # the whole world
    if x1 - x0 >= tiles:
        x0, x1 = 0, tiles
    return MapView(zoom, x0, x1, y0, y1)


@dataclass(frozen=True)
class ThinnedPlaces:
    """What the map draws: `drawn` (rows of the summary), `clusters` (lat, lon, n_places,
    n_claims, south, west, north, east: one row per cell of places not drawn) and the counts."""

    drawn: pd.DataFrame
    clusters: pd.DataFrame
    n_mapped: int  # places with coordinates that pass the filters
    n_in_view: int  # of those, in the view (all of them for the whole world)
    n_counted_in_view: int  # of those, counted in a cell rather than drawn

    @property
    def n_clustered(self) -> int:
        return self.n_mapped - len(self.drawn)


CLUSTER_COLUMNS = ["lat", "lon", "n_places", "n_claims", "south", "west", "north", "east"]


def payload_bytes(summary: pd.DataFrame, area_bytes: pd.Series | None = None) -> np.ndarray:
    """An estimate of each place's JSON bytes on the map: id and name as json_for_script writes
    them, plus MARKER_BYTES; `area_bytes` (by row, NaN for markers) replaces it for areas."""
    ids = summary["place_id"].astype(str)
    names = summary["name"].fillna("").astype(str)
    cost = (
        ids.str.len() + 5 * ids.str.count(_ESCAPED)
        + names.str.len() + 5 * names.str.count(_ESCAPED) + MARKER_BYTES
    ).to_numpy(dtype=float)  # fmt: skip
    if area_bytes is not None:
        areas = area_bytes.to_numpy(dtype=float)
        cost = np.where(np.isnan(areas), cost, areas + cost)
    return cost


def thin_places(
    summary: pd.DataFrame,
    budget: MapBudget = BUDGET,
    selected: str | None = None,
    view: MapView | None = None,
    cost: np.ndarray | None = None,
) -> ThinnedPlaces:
    """The places to draw and the cells that count the others (see the module's docstring).
    `summary` has place_id, name, lat, lon and n_claims; `cost` is each row's payload bytes
    (payload_bytes). Places without coordinates are neither drawn nor counted."""
    mapped = summary["lat"].notna().to_numpy() & summary["lon"].notna().to_numpy()
    if cost is None:
        cost = payload_bytes(summary)
    rows = np.flatnonzero(mapped)
    lat = summary["lat"].to_numpy(dtype=float)[rows]
    lon = summary["lon"].to_numpy(dtype=float)[rows]
    claims = pd.to_numeric(summary["n_claims"], errors="coerce").fillna(0).to_numpy()[rows]
    in_view = np.ones(len(rows), dtype=bool) if view is None else view.contains(lat, lon)
    # The places in view first, then the others (a pan shows them before the map reports it),
    # busiest first in each (ties: the summary's order).
    candidates = np.lexsort((-claims, ~in_view))
    spent = np.cumsum(cost[rows[candidates]])
    n_take = int(min(budget.places, np.searchsorted(spent, budget.bytes, side="right")))
    take = np.zeros(len(rows), dtype=bool)
    take[candidates[:n_take]] = True
    if selected is not None:
        take |= summary["place_id"].to_numpy()[rows] == selected
    drawn = summary.iloc[np.sort(rows[take])]
    rest = ~take
    zoom = WORLD_ZOOM if view is None else view.zoom
    clusters = pd.concat(
        [
            _cells(lat[rest & in_view], lon[rest & in_view], claims[rest & in_view], zoom),
            _cells(lat[rest & ~in_view], lon[rest & ~in_view], claims[rest & ~in_view],
                   WORLD_ZOOM),
        ],
        ignore_index=True,
    )  # fmt: skip
    return ThinnedPlaces(
        drawn, clusters, len(rows), int(in_view.sum()), int((rest & in_view).sum())
    )


def _cells(lat: np.ndarray, lon: np.ndarray, claims: np.ndarray, zoom: int) -> pd.DataFrame:
    if len(lat) == 0:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    x, y = world_pixels(lat, lon, zoom)
    frame = pd.DataFrame(
        {"cx": (x // CELL_PX).astype(np.int64), "cy": (y // CELL_PX).astype(np.int64),
         "lat": lat, "lon": lon, "n_claims": claims}
    )  # fmt: skip
    cells = frame.groupby(["cx", "cy"], sort=True).agg(
        lat=("lat", "mean"), lon=("lon", "mean"), n_places=("lat", "size"),
        n_claims=("n_claims", "sum"), south=("lat", "min"), west=("lon", "min"),
        north=("lat", "max"), east=("lon", "max"),
    )  # fmt: skip
    cells["n_claims"] = cells["n_claims"].astype(np.int64)
    return cells.reset_index(drop=True)[CLUSTER_COLUMNS]


def notice(thinned: ThinnedPlaces) -> str | None:
    """What the map leaves out, in plain words; None when it draws every place."""
    if thinned.n_clustered <= 0:
        return None
    shown = f"Showing {len(thinned.drawn):,} of {thinned.n_mapped:,} places on the map"
    ways = "narrow the filters, or pick a place from the list."
    if thinned.n_counted_in_view == 0:  # zoomed in far enough: only places elsewhere are counted
        return (
            f"{shown}: every place in and near this view, and the busiest elsewhere. The other "
            f"{thinned.n_clustered:,} (elsewhere) are counted in numbered grey circles; zoom there "
            f"to see them, {ways}"
        )
    where = "" if thinned.n_in_view == thinned.n_mapped else " in and near this view"
    return (
        f"{shown}: those with the most claims{where}. The other {thinned.n_clustered:,} are "
        f"counted in the numbered grey circles; zoom in or click a circle to see them, {ways}"
    )
