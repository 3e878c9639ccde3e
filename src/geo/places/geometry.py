"""Small planar geometry on GeoJSON polygons (lon/lat degrees): enough to test a point's country."""

from __future__ import annotations

import json
import math
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


def _segment_km(lat: float, lon: float, a: list[float], b: list[float]) -> float:
    """Distance from (lat, lon) to the segment a-b (lon/lat pairs), planar around the point."""
    scale = math.cos(math.radians(lat))
    ax, ay = (a[0] - lon) * scale, a[1] - lat
    bx, by = (b[0] - lon) * scale, b[1] - lat
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return 111.2 * math.hypot(ax + t * dx, ay + t * dy)


def km_to_country(lat: float, lon: float, country_code: str) -> float:
    """How far (lat, lon) lies from the outline of the country's land (0 inside it; infinite when
    the basemap has no outline for it)."""
    if in_country(lat, lon, country_code):
        return 0.0
    best = math.inf
    for geometry in country_shapes().get(country_code, []):
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for rings in polygons:
            outer = rings[0]
            for a, b in zip(outer, outer[1:], strict=False):
                best = min(best, _segment_km(lat, lon, a, b))
    return best


def countries_at(lat: float, lon: float) -> list[str]:
    """The ISO alpha-2 codes of the basemap countries whose land holds (lat, lon)."""
    return [
        code
        for code, geometries in country_shapes().items()
        if any(point_in_geometry(lat, lon, g) for g in geometries)
    ]
