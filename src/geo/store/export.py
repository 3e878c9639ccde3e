"""Export the current view: claims as CSV and GeoJSON, places as GeoJSON, a citation for one claim.

Every file carries coordinates in WGS 84 longitude/latitude order (RFC 7946), so QGIS and
kepler.gl open it as it is; the claims CSV carries `lat`/`lon` columns for the same reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import pandas as pd

from geo.evidence.dates import date_label, format_iso_date

# Place columns joined onto each exported claim (the claim already has place_id).
PLACE_FIELDS = ["name", "kind", "country_code", "lat", "lon"]
CLAIM_EXPORT_COLUMNS_EXTRA = ["place_name", "kind", "country_code", "lat", "lon"]
# Spreadsheets run a cell that starts with one of these as a formula ("=HYPERLINK(...)" in a
# document would become a live link); such cells are written with a leading apostrophe. Every text
# cell, not only the free-text columns: a file name (the doc_id and claim_id) or a curated place's
# name can start with "=" too.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_COORD_DIGITS = 5  # about a metre


def claims_with_places(claims: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The claims with their place's name, kind, country and coordinates appended."""
    joined = places[["place_id", *PLACE_FIELDS]].rename(columns={"name": "place_name"})
    return claims.merge(joined, on="place_id", how="left")


def _defuse_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def claims_csv(claims: pd.DataFrame, places: pd.DataFrame) -> bytes:
    """The claims as UTF-8 CSV, one row per claim, with place name, kind, country, lat and lon."""
    frame = claims_with_places(claims, places)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(_defuse_formula)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json_value(value: object) -> object:
    """A table cell as a JSON value: NaN/None -> null, numpy scalars -> Python numbers."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def _point(lat: object, lon: object) -> dict | None:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return {"type": "Point", "coordinates": [round(lon, _COORD_DIGITS), round(lat, _COORD_DIGITS)]}


def _feature(feature_id: str, geometry: dict | None, properties: dict) -> dict:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": geometry,
        "properties": {k: _json_value(v) for k, v in properties.items()},
    }


def claims_geojson(claims: pd.DataFrame, places: pd.DataFrame) -> dict:
    """A FeatureCollection with one Point feature per claim, every claim column as a property."""
    frame = claims_with_places(claims, places)
    features = []
    for row in frame.to_dict("records"):
        geometry = _point(row.pop("lat"), row.pop("lon"))
        features.append(_feature(str(row["claim_id"]), geometry, row))
    return {"type": "FeatureCollection", "features": features}


def places_geojson(places: pd.DataFrame) -> dict:
    """A FeatureCollection with one Point feature per place (with n_claims/n_docs when present)."""
    features = []
    for row in places.to_dict("records"):
        geometry = _point(row.pop("lat"), row.pop("lon"))
        features.append(_feature(str(row["place_id"]), geometry, row))
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(collection: dict) -> bytes:
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


def citation(claim: Mapping, document_path: str = "") -> str:
    """A plain-text citation: author, title, source, publication date; the quoted excerpt; the
    claim's date and where it is in the document (its name in the corpus; `document_path` only
    when given, which the dashboard does not: a local path means nothing to the reader)."""
    author, title, source = (_text(claim.get(k)) for k in ("author", "title", "source"))
    published = _text(claim.get("published"))
    doc_id = _text(claim.get("doc_id"))
    head = [part for part in (author, f"“{title}”" if title else "") if part]
    if source and source != title and not (source == doc_id and not title):
        head.append(source)  # not the file name of an untitled document: `where` names it
    if not title and not head:
        head.append("Untitled document")
    head.append(format_iso_date(published) if published else "n.d.")
    quote = _text(claim.get("excerpt"))
    when = date_label(_text(claim.get("date")), _text(claim.get("date_basis")))
    where = f"document {doc_id}"
    if document_path:
        where += f" ({document_path})"
    where += f", characters {int(claim['start'])}–{int(claim['end'])}"
    return f"{', '.join(head)}. “{quote}” [Claim date: {when}; {where}.]"
