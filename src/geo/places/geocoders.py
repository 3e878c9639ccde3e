"""Geocoders behind geopy's interface: the offline gazetteer (default) and Nominatim (opt-in).

`OfflineGeocoder` answers `geocode(query)` from the embedded gazetteer like any geopy geocoder, so
code written against geopy works offline. `geocode_online` asks Nominatim, rate-limited and retried
with backoff within a bound; when the service cannot be reached it says so and stops, keeping what it
got, so the build completes with the offline results for the rest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut, GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.places.gazetteer import Gazetteer
from geo.places.recognize import Mention
from geo.places.resolve import Resolver
from geo.store.schema import PlaceRecord

NOMINATIM_KINDS = {
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "county": "admin2",
    "state_district": "admin2",
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


def nominatim(url: str, user_agent: str, timeout: float = 10) -> Geocoder:
    """geopy's Nominatim at `url` ("https://nominatim.openstreetmap.org"), without the retries that
    its HTTP library makes on its own: those sleep for whatever Retry-After a 429 or 503 says, an
    hour if it says an hour. `geocode_online` retries instead, within its bound."""
    from geopy.adapters import RequestsAdapter, URLLibAdapter, requests_available
    from geopy.geocoders import Nominatim

    def adapter(*, proxies, ssl_context):
        if requests_available:
            return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
        return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)  # it does not retry

    scheme, _, domain = url.partition("://")
    return Nominatim(
        user_agent=user_agent,
        domain=domain.rstrip("/"),
        scheme=scheme,
        timeout=timeout,
        adapter_factory=adapter,
    )


@dataclass
class OnlineResult:
    places: list[PlaceRecord] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class BadAnswer(ValueError):
    """A geocoder answer that cannot become a row of places.csv (it would poison the cache)."""


def place_from_nominatim(query: str, location: Location) -> PlaceRecord:
    """The places.csv row for a Nominatim answer; `BadAnswer` when the answer breaks the contract
    (the service is outside our control: its rows must read back with `schema.read_places`)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    kind = NOMINATIM_KINDS.get(str(raw.get("addresstype") or raw.get("type") or ""), "landmark")
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    country_code = str(address.get("country_code", "")).upper()
    if len(country_code) != 2 or not country_code.isalpha() or not country_code.isascii():
        country_code = ""
    try:
        lat, lon = float(location.latitude), float(location.longitude)
    except (TypeError, ValueError) as exc:
        raise BadAnswer(f"coordinates are not numbers ({exc})") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadAnswer(f"coordinates out of range ({lat}, {lon})")
    osm_type = _slug(str(raw.get("osm_type") or "place")) or "place"
    osm_id = _slug(str(raw.get("osm_id") or "")) or _slug(query) or "unnamed"
    name = str(raw.get("name") or "").strip() or query
    return PlaceRecord(
        place_id=f"nominatim:{osm_type}-{osm_id}",
        name=name,
        kind=kind,
        country_code=country_code,
        lat=lat,
        lon=lon,
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
    max_wait_seconds: float = 60.0,
    min_delay_seconds: float = 1.0,
    sleep: Callable[[float], None] | None = None,
    on_place: Callable[[PlaceRecord], None] | None = None,
) -> OnlineResult:
    """Geocode names one by one (Nominatim's policy: at most one request a second).

    Timeouts, HTTP 429 and 5xx and a missing network are retried after 2, 4, 8... seconds (longer
    when a 429 says Retry-After, never more than `max_wait_seconds`), `max_retries` times; then the
    service counts as unavailable and the remaining names are left to the offline gazetteer.
    `on_place` receives each place as soon as it is found, so that it can be cached at once.
    """
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
                    wait = backoff_seconds * 2**attempt
                    if isinstance(exc, GeocoderRateLimited) and exc.retry_after:
                        wait = max(wait, float(exc.retry_after))
                    sleep(min(wait, max_wait_seconds))
            except GeopyError as exc:  # bad configuration, refused query: no point retrying
                error = exc
                break
            except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a malformed answer
                error = BadAnswer(str(exc))
                break
        if isinstance(error, BadAnswer):
            result.messages.append(f"online geocoder: unusable answer for {name!r} ({error})")
            continue
        if error is not None:
            left = len(names) - position
            result.messages.append(
                f"online geocoder unavailable ({type(error).__name__}: {error}); "
                f"kept {len(result.places)} result(s), {left} name(s) stay offline-only"
            )
            break
        if location is None:
            result.not_found.append(name)
            continue
        try:
            place = place_from_nominatim(name, location)
        except BadAnswer as exc:
            result.messages.append(f"online geocoder: unusable answer for {name!r} ({exc})")
            continue
        result.places.append(place)
        if on_place is not None:
            on_place(place)
    return result
