"""Small planar geometry on GeoJSON polygons (lon/lat degrees): enough to test a point's country."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

WORLD_GEOJSON = Path(__file__).parents[1] / "data" / "world_110m.geojson"


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_geometry(lat: float, lon: float, geometry: dict) -> bool:
    """Whether (lat, lon) lies in a GeoJSON Polygon or MultiPolygon (holes respected)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for rings in polygons:
        if rings and _in_ring(lon, lat, rings[0]):
            if not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
                return True
    return False


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, list[dict]]:
    """ISO alpha-2 -> geometries of the bundled Natural Earth basemap."""
    shapes: dict[str, list[dict]] = {}
    if WORLD_GEOJSON.exists():
        for feature in json.loads(WORLD_GEOJSON.read_text(encoding="utf-8"))["features"]:
            code = (feature["properties"].get("iso_a2") or "").upper()
            shapes.setdefault(code, []).append(feature["geometry"])
    return shapes


def in_country(lat: float, lon: float, country_code: str) -> bool:
    return any(point_in_geometry(lat, lon, g) for g in country_shapes().get(country_code, []))
