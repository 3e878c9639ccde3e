"""Provinces with a known area are placed at its middle (src/geo/data/admin1_points.csv)."""

from __future__ import annotations

import csv
import json

from geo.places.gazetteer_sources import ADMIN1_POINTS_CSV, DATA_DIR
from geo.places.geometry import point_in_geometry


def _areas() -> dict[str, dict]:
    features = json.loads((DATA_DIR / "basemap" / "admin1_areas.json").read_text("utf-8"))
    return {
        f["properties"]["id"].removeprefix("admin1:"): f["geometry"] for f in features["features"]
    }


def test_every_province_point_lies_inside_its_area():
    areas = _areas()
    with ADMIN1_POINTS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(areas)
    outside = [
        row["admin1"]
        for row in rows
        if not point_in_geometry(float(row["lat"]), float(row["lon"]), areas[row["admin1"]])
    ]
    assert outside == []


def test_a_state_whose_towns_crowd_one_coast_is_placed_inland(gazetteer):
    queensland = next(
        i
        for i in range(len(gazetteer.name))
        if gazetteer.kind[i] == "admin1" and gazetteer.admin1[i] == "AU.04"
    )
    # Its towns line the east coast; the middle of the state is in the outback.
    assert gazetteer.lon[queensland] < 146.0
    assert -25.0 < gazetteer.lat[queensland] < -20.0
