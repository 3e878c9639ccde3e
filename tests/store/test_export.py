"""Exports of the current view: claims CSV and GeoJSON, places GeoJSON, a citation."""

from __future__ import annotations

import csv
import io
import json

import geojson

from geo.dashboard import filters
from geo.store import export


def test_claims_geojson_is_valid_with_one_point_feature_per_claim(seeds_build):
    shown = seeds_build.claims_with_excerpts().head(40)
    collection = export.claims_geojson(shown, seeds_build.places)
    parsed = geojson.loads(export.geojson_bytes(collection).decode("utf-8"))
    assert parsed.is_valid, parsed.errors()
    assert len(parsed["features"]) == len(shown)
    first = parsed["features"][0]
    claim = shown.iloc[0]
    assert first["geometry"]["type"] == "Point"
    assert first["properties"]["excerpt"] == claim["excerpt"]
    assert first["properties"]["place_name"]
    place = seeds_build.places.set_index("place_id").loc[claim["place_id"]]
    # RFC 7946: longitude first.
    assert first["geometry"]["coordinates"] == [round(place["lon"], 5), round(place["lat"], 5)]


def test_places_geojson_of_a_filtered_view_has_its_places_and_counts(seeds_build):
    selection = filters.ClaimFilter(kinds=frozenset({"city"}))
    shown = filters.filter_claims(seeds_build.claims, seeds_build.places, selection)
    summary = filters.summarise_places(seeds_build.places, shown)
    parsed = geojson.loads(export.geojson_bytes(export.places_geojson(summary)).decode("utf-8"))
    assert parsed.is_valid, parsed.errors()
    assert {f["id"] for f in parsed["features"]} == set(summary["place_id"])
    assert all(f["properties"]["kind"] == "city" for f in parsed["features"])
    assert sum(f["properties"]["n_claims"] for f in parsed["features"]) == len(shown)


def test_geojson_export_writes_json_null_not_nan_for_missing_values(seeds_build):
    shown = seeds_build.claims_with_excerpts().head(5).copy()
    shown["author"] = float("nan")
    text = export.geojson_bytes(export.claims_geojson(shown, seeds_build.places)).decode()
    assert "NaN" not in text
    assert json.loads(text)["features"][0]["properties"]["author"] is None


def test_claims_csv_has_coordinates_and_defuses_spreadsheet_formulas(seeds_build):
    shown = seeds_build.claims_with_excerpts().head(3).copy()
    shown.loc[shown.index[0], "attribution"] = '=HYPERLINK("http://x","y")'
    rows = list(csv.DictReader(io.StringIO(export.claims_csv(shown, seeds_build.places).decode())))
    assert len(rows) == 3
    assert {"lat", "lon", "place_name", "excerpt", "claim_id"} <= set(rows[0])
    assert rows[0]["attribution"].startswith("'=")
    assert float(rows[1]["lat"]) == float(
        seeds_build.places.set_index("place_id").loc[shown.iloc[1]["place_id"], "lat"]
    )


def test_every_text_cell_of_the_claims_csv_is_defused_ids_and_place_names_too(seeds_build):
    shown = seeds_build.claims_with_excerpts().head(2).copy()
    places = seeds_build.places.copy()
    first = shown.index[0]
    shown.loc[first, "doc_id"] = "=cmd|' calc'!A0"  # a file named "=cmd|' calc'!A0.txt"
    shown.loc[first, "claim_id"] = "=cmd|' calc'!A0:0"
    shown.loc[first, "speaker"] = "@SUM(1+1)"
    places.loc[places["place_id"] == shown.loc[first, "place_id"], "name"] = "+1+cmd"
    rows = list(csv.DictReader(io.StringIO(export.claims_csv(shown, places).decode())))
    assert rows[0]["doc_id"] == "'=cmd|' calc'!A0"
    assert rows[0]["claim_id"].startswith("'=") and rows[0]["place_name"] == "'+1+cmd"
    assert rows[0]["speaker"] == "'@SUM(1+1)"
    starts = ("=", "+", "-", "@", "\t", "\r", "\n")
    text_columns = [c for c in rows[0] if c not in ("lat", "lon", "start", "end", "excerpt_start")]
    for row in rows:
        assert not any(row[c].startswith(starts) for c in text_columns)


def test_citation_names_source_author_date_excerpt_and_document():
    claim = {
        "doc_id": "001_report",
        "start": 10,
        "end": 15,
        "excerpt": "Fighters left  Mosul\nfor Raqqa.",
        "source": "Jamestown Foundation",
        "title": "Where the fighters went",
        "author": "Jane Roe",
        "published": "2016-12-19",
        "date": "2015-11",
        "date_basis": "stated",
    }
    text = export.citation(claim, "seeds/001_report.txt")
    assert text.startswith(
        "Jane Roe, “Where the fighters went”, Jamestown Foundation, 19 Dec 2016."
    )
    assert "“Fighters left Mosul for Raqqa.”" in text
    assert "Nov 2015 (stated in text)" in text
    assert "document 001_report (seeds/001_report.txt), characters 10–15" in text


def test_a_citation_names_the_document_not_a_path_on_this_machine():
    claim = {"excerpt": "Mosul fell.", "start": 0, "end": 5, "source": "notes.txt", "title": "",
             "doc_id": "notes.txt", "author": "", "published": "", "date": "", "date_basis": ""}  # fmt: skip
    text = export.citation(claim)
    assert text.startswith("Untitled document, n.d.")
    assert "document notes.txt, characters 0–5" in text and "/" not in text
