"""One representative point per first-level subdivision whose area the basemap knows (dev-time only).

Reads src/geo/data/basemap/admin1_areas.json (the province areas closed by Natural Earth's 1:10m
lines, named by GeoNames admin-1 codes; see basemap/README.md) and writes
src/geo/data/admin1_points.csv: `admin1,lat,lon,method`, one row per province with an area, a point
inside its largest polygon chosen as for the countries (`make_basemap.representative_point`: the
area centroid when it lies well inside, else the pole of inaccessibility). The gazetteer places
those provinces there (the middle of their area); the others stay at the middle of their towns.

Run: python scripts/make_admin1_points.py. Pure Python; rerunning it rewrites the file byte for byte.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_basemap import polygon_km2, polygons_of, representative_point  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "geo" / "data"
AREAS = DATA / "basemap" / "admin1_areas.json"
OUT = DATA / "admin1_points.csv"


def main() -> int:
    features = json.loads(AREAS.read_text(encoding="utf-8"))["features"]
    rows = []
    for feature in features:
        code = feature["properties"]["id"].removeprefix("admin1:")
        # The largest piece by absolute area (make_basemap measures signed areas, and these
        # rings do not all wind the same way).
        pieces = polygons_of(feature["geometry"])
        largest = max(pieces, key=lambda rings: abs(polygon_km2([rings[0]])))
        lat, lon, method = representative_point([{"type": "Polygon", "coordinates": largest}])
        rows.append((code, lat, lon, method))
    rows.sort()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["admin1", "lat", "lon", "method"])
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} provinces)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
