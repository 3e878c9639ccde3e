"""Geocoders behind geopy's interface: the offline gazetteer, and Nominatim against a local fake."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from geo.places.geocoders import OfflineGeocoder, geocode_online, nominatim

# A camp the offline gazetteer recognises ("Bucca") but cannot place: what the build asks about.
CAMP_BUCCA = {
    "Bucca": {
        "lat": "30.12",
        "lon": "47.72",
        "osm_type": "way",
        "osm_id": 789,
        "name": "Camp Bucca",
        "addresstype": "military",
        "display_name": "Camp Bucca, Umm Qasr, Iraq",
        "address": {"country_code": "iq"},
    }
}
FAKE_PLACES = {
    "Guantanamo Bay": {
        "lat": "19.9",
        "lon": "-75.15",
        "osm_type": "relation",
        "osm_id": 123,
        "name": "Guantánamo Bay",
        "addresstype": "bay",
        "display_name": "Guantánamo Bay, Cuba",
        "address": {"country_code": "cu"},
    }
}


class _FakeNominatim(BaseHTTPRequestHandler):
    status = 200  # what every request answers; set per server

    def do_GET(self):  # noqa: N802 (http.server API)
        self.server.requests.append(self.path)
        # A script of answers for the first requests, then `status` for every later one.
        status = self.server.script.pop(0) if self.server.script else self.server.status
        if status == "hang":  # answer nothing until the test ends: the client times out
            self.server.release.wait(timeout=60)
            return
        if status != 200:
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "7")
            self.end_headers()
            return
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        answers = {**FAKE_PLACES, **self.server.extra}
        body = json.dumps([answers[query]] if query in answers else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_nominatim():
    def start(status: int = 200, script=(), extra=None, timeout: float = 5):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
        server.status = status
        server.script = list(script)
        server.extra = dict(extra or {})
        server.release = threading.Event()
        server.requests = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        geocoder = nominatim(
            f"http://127.0.0.1:{server.server_port}", "geo-dashboard-tests", timeout=timeout
        )
        return server, geocoder

    servers: list = []
    yield start
    for server in servers:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_offline_geocoder_answers_through_geopys_interface(gazetteer):
    location = OfflineGeocoder(gazetteer).geocode("Mosul")
    assert location is not None
    assert abs(location.latitude - 36.34) < 0.1 and abs(location.longitude - 43.12) < 0.1
    assert location.raw["country_code"] == "IQ"
    assert OfflineGeocoder(gazetteer).geocode("Xyzzyville") is None


def test_nominatim_results_become_cached_place_rows(fake_nominatim):
    server, geocoder = fake_nominatim()
    result = geocode_online(["Guantanamo Bay", "Nowhere At All"], geocoder, sleep=lambda s: None)
    assert [p.name for p in result.places] == ["Guantánamo Bay"]
    place = result.places[0]
    assert place.origin == "nominatim" and place.country_code == "CU"
    assert place.aliases == ("Guantanamo Bay",)
    assert result.not_found == ["Nowhere At All"]
    assert len(server.requests) == 2


def test_a_failing_service_is_retried_within_a_bound_then_reported(fake_nominatim):
    server, geocoder = fake_nominatim(status=503)
    waits: list[float] = []
    result = geocode_online(
        ["Guantanamo Bay", "Mosul"], geocoder, max_retries=2, sleep=waits.append
    )
    assert result.places == []
    assert len(server.requests) == 3  # one try and two retries, then it gives up
    assert waits == [2.0, 4.0]  # exponential backoff
    assert result.messages and "unavailable" in result.messages[0]
    assert "2 name(s) stay offline-only" in result.messages[0]


def test_no_network_at_all_is_reported_not_raised(fake_nominatim):
    server, geocoder = fake_nominatim()
    server.shutdown()
    server.server_close()  # nothing listens on that port any more
    result = geocode_online(["Guantanamo Bay"], geocoder, max_retries=1, sleep=lambda s: None)
    assert result.places == [] and result.messages


def test_build_with_nominatim_caches_results_and_keeps_curated_rows(fake_nominatim, tmp_path):
    from geo.build.pipeline import DEFAULT_PLACES_CSV
    from geo.cli import main
    from geo.store.schema import read_places

    server, _ = fake_nominatim(extra=CAMP_BUCCA)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Guantanamo Bay is a curated place now: only Bucca is asked for.
    (corpus / "report.txt").write_text(
        "Detainees in Cuba were moved to Guantanamo Bay in 2002, others to Camp Bucca.\n",
        encoding="utf-8",
    )
    places = tmp_path / "places.csv"
    places.write_bytes(DEFAULT_PLACES_CSV.read_bytes())
    curated_before = [r for r in read_places(places) if r.origin == "curated"]
    status = main(
        [
            "build",
            "--corpus",
            str(corpus),
            "--places",
            str(places),
            "--geocoder",
            "nominatim",
            "--nominatim-url",
            f"http://127.0.0.1:{server.server_port}",
            "--quiet",
        ]
    )
    assert status == 0
    rows = read_places(places)
    assert [r for r in rows if r.origin == "curated"] == curated_before
    cached = [r for r in rows if r.origin == "nominatim"]
    assert [r.name for r in cached] == ["Camp Bucca"]
    claims = (tmp_path / "claims.csv").read_text(encoding="utf-8")
    assert "nominatim:way-789" in claims and "curated:guantanamo-bay" in claims


def test_rate_limiting_is_retried_after_the_delay_the_service_asks_for(fake_nominatim):
    server, geocoder = fake_nominatim(script=[429, 429])  # then 200
    waits: list[float] = []
    result = geocode_online(["Guantanamo Bay"], geocoder, max_retries=3, sleep=waits.append)
    assert [p.name for p in result.places] == ["Guantánamo Bay"]
    assert waits == [7.0, 7.0]  # Retry-After: 7 outweighs the 2 s and 4 s backoff
    assert result.messages == []


def test_a_service_that_keeps_rate_limiting_is_reported_within_a_bound(fake_nominatim):
    server, geocoder = fake_nominatim(status=429)
    waits: list[float] = []
    result = geocode_online(
        ["Guantanamo Bay"], geocoder, max_retries=2, max_wait_seconds=5.0, sleep=waits.append
    )
    assert result.places == [] and len(server.requests) == 3
    assert waits == [5.0, 5.0]  # never longer than the bound, whatever the service asks
    assert "GeocoderRateLimited" in result.messages[0]


def test_a_timeout_is_retried_then_reported(fake_nominatim):
    server, geocoder = fake_nominatim(script=["hang", "hang"], timeout=0.3)
    waits: list[float] = []
    result = geocode_online(
        ["Guantanamo Bay", "Mosul"], geocoder, max_retries=1, sleep=waits.append
    )
    assert result.places == [] and len(server.requests) == 2
    assert waits == [2.0]
    assert "GeocoderTimedOut" in result.messages[0]
    assert "2 name(s) stay offline-only" in result.messages[0]


def test_a_timeout_then_an_answer_is_a_result(fake_nominatim):
    server, geocoder = fake_nominatim(script=["hang"], timeout=0.3)
    result = geocode_online(["Guantanamo Bay"], geocoder, sleep=lambda s: None)
    assert [p.name for p in result.places] == ["Guantánamo Bay"]


def test_results_found_before_the_service_fails_are_kept_and_handed_over_at_once(fake_nominatim):
    extra = {"Camp Zeitoun": {**FAKE_PLACES["Guantanamo Bay"], "osm_id": 456, "name": "Zeitoun"}}
    server, geocoder = fake_nominatim(script=[200], status=503, extra=extra)
    handed: list[str] = []
    result = geocode_online(
        ["Camp Zeitoun", "Guantanamo Bay", "Raqqa"],
        geocoder,
        max_retries=1,
        sleep=lambda s: None,
        on_place=lambda place: handed.append(place.name),
    )
    assert handed == ["Zeitoun"] == [p.name for p in result.places]
    assert "kept 1 result(s), 2 name(s) stay offline-only" in result.messages[0]


@pytest.mark.parametrize(
    "answer",
    [
        {"lat": "91", "lon": "0"},  # outside the globe
        {"lat": "nan", "lon": "0"},
        {"lat": "1", "lon": "2", "address": ["not", "a", "mapping"]},
        {"lat": "1", "lon": "2", "address": {"country_code": "1x"}},
    ],
)
def test_a_malformed_answer_never_reaches_the_places_file(fake_nominatim, answer):
    extra = {"Camp Zeitoun": {"osm_type": "node", "osm_id": 9, "name": "Zeitoun", **answer}}
    server, geocoder = fake_nominatim(extra=extra)
    result = geocode_online(["Camp Zeitoun", "Guantanamo Bay"], geocoder, sleep=lambda s: None)
    names = [p.name for p in result.places]
    assert "Guantánamo Bay" in names  # the next name is still asked
    for place in result.places:  # whatever is kept would read back from places.csv
        assert -90 <= place.lat <= 90 and place.country_code in ("", "CU")
    if "Zeitoun" not in names:
        assert "unusable answer for 'Camp Zeitoun'" in result.messages[0]


def test_build_keeps_what_the_geocoder_found_before_it_failed_and_finishes_offline(
    fake_nominatim, tmp_path, monkeypatch, capsys
):
    import time

    from geo.build.pipeline import DEFAULT_PLACES_CSV
    from geo.cli import main
    from geo.store.schema import read_claims, read_places

    # Asked in name order: Bucca is found, then the service rate-limits for Zeitoun.
    server, _ = fake_nominatim(script=[200], status=429, extra=CAMP_BUCCA)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the backoff, not the test, waits
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(
        "Report\n\nDetainees were moved from Mosul to Camp Zeitoun and to Camp Bucca.\n",
        encoding="utf-8",
    )
    places = tmp_path / "places.csv"
    places.write_bytes(DEFAULT_PLACES_CSV.read_bytes())
    curated_before = [r for r in read_places(places) if r.origin == "curated"]
    status = main(
        ["build", "--corpus", str(corpus), "--places", str(places), "--geocoder", "nominatim",
         "--nominatim-url", f"http://127.0.0.1:{server.server_port}", "--quiet"]
    )  # fmt: skip
    assert status == 0
    err = capsys.readouterr().err
    assert "online geocoder unavailable (GeocoderRateLimited" in err
    rows = read_places(places)
    assert [r.name for r in rows if r.origin == "nominatim"] == ["Camp Bucca"]
    assert [r for r in rows if r.origin == "curated"] == curated_before
    claims = read_claims(tmp_path / "claims.csv")
    assert {"Mosul", "Camp Bucca"} <= set(claims["mention"])  # offline and cached results
    assert len(server.requests) == 1 + 4  # found; then Zeitoun tried and retried 3 times, no more
