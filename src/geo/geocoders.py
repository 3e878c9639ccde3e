"""Geocoders behind geopy's interface: the offline gazetteer (default) and Nominatim (opt-in).

`OfflineGeocoder` answers `geocode(query)` from the embedded gazetteer like any geopy geocoder, so
code written against geopy works offline. `geocode_online` asks Nominatim, rate-limited and retried
with backoff within a bound; when the service cannot be reached it says so and stops, keeping what it
got, so the build completes with the offline results for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Gazetteer
from geo.recognize import Mention
from geo.resolve import Resolver
from geo.schema import PlaceRecord

NOMINATIM_KINDS = {
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "region",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "municipality": "city",
    "suburb": "city",
}


class OfflineGeocoder(Geocoder):
    """geopy-compatible geocoder over the embedded gazetteer: no network, ever."""

    def __init__(self, gazetteer: Gazetteer):
        super().__init__()
        self.gazetteer = gazetteer
        self.resolver = Resolver(gazetteer)

    def geocode(self, query: str, *, exactly_one: bool = True, timeout=None):  # noqa: ARG002
        g = self.gazetteer
        candidates = g.candidates(query) or g.demonym_candidates(query)
        mention = Mention(0, len(query), query, candidates)
        context: set[str] = set()
        ranked = sorted(candidates, key=lambda c: -self.resolver.score(c, mention, context))
        locations = [self._location(c.index) for c in ranked]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def _location(self, index: int) -> Location:
        g = self.gazetteer
        raw = g.record(index).to_row()
        return Location(g.name[index], (g.lat[index], g.lon[index]), raw)


@dataclass
class OnlineResult:
    places: list[PlaceRecord] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def place_from_nominatim(query: str, location: Location) -> PlaceRecord:
    raw = location.raw or {}
    kind = NOMINATIM_KINDS.get(raw.get("addresstype") or raw.get("type") or "", "landmark")
    address = raw.get("address") or {}
    osm = f"{raw.get('osm_type', 'place')}-{raw.get('osm_id', _slug(query))}"
    return PlaceRecord(
        place_id=f"nominatim:{osm}",
        name=(raw.get("name") or query).strip() or query,
        kind=kind,
        country_code=str(address.get("country_code", "")).upper()[:2],
        lat=float(location.latitude),
        lon=float(location.longitude),
        source="OpenStreetMap Nominatim (ODbL)",
        origin="nominatim",
        aliases=(query,),
        note=str(raw.get("display_name", ""))[:300],
    )


def geocode_online(
    names: Iterable[str],
    geocoder: Geocoder,
    *,
    max_retries: int = 3,
    backoff_seconds: float = 2.0,
    min_delay_seconds: float = 1.0,
    sleep: Callable[[float], None] | None = None,
) -> OnlineResult:
    """Geocode names one by one (Nominatim's policy: at most one request a second)."""
    import time

    sleep = sleep or time.sleep
    result = OnlineResult()
    names = list(dict.fromkeys(n for n in names if n.strip()))
    for position, name in enumerate(names):
        if position:
            sleep(min_delay_seconds)
        location, error = None, None
        for attempt in range(max_retries + 1):
            try:
                location = geocoder.geocode(name, exactly_one=True, addressdetails=True)
                error = None
                break
            except (GeocoderTimedOut, GeocoderServiceError) as exc:  # 429, 5xx, timeouts, no route
                error = exc
                if attempt < max_retries:
                    sleep(backoff_seconds * 2**attempt)
            except GeopyError as exc:  # bad configuration, refused query: no point retrying
                error = exc
                break
        if error is not None:
            left = len(names) - position
            result.messages.append(
                f"online geocoder unavailable ({type(error).__name__}: {error}); "
                f"kept {len(result.places)} result(s), {left} name(s) stay offline-only"
            )
            break
        if location is None:
            result.not_found.append(name)
        else:
            result.places.append(place_from_nominatim(name, location))
    return result
