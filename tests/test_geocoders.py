"""Geocoders behind geopy's interface: the offline gazetteer, and Nominatim against a local fake."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.geocoders import Nominatim

from geo.geocoders import OfflineGeocoder, geocode_online

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
        if self.server.status != 200:
            self.send_response(self.server.status)
            self.end_headers()
            return
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        body = json.dumps([FAKE_PLACES[query]] if query in FAKE_PLACES else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_nominatim():
    def start(status: int = 200):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
        server.status = status
        server.requests = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        geocoder = Nominatim(
            user_agent="geo-dashboard-tests",
            domain=f"127.0.0.1:{server.server_port}",
            scheme="http",
            timeout=5,
        )
        return server, geocoder

    servers: list = []
    yield start
    for server in servers:
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
    from geo.cli import main
    from geo.pipeline import DEFAULT_PLACES_CSV
    from geo.schema import read_places

    server, _ = fake_nominatim()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(
        "Detainees in Cuba were moved to Guantanamo Bay in 2002.\n", encoding="utf-8"
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
    assert [r.name for r in cached] == ["Guantánamo Bay"]
    claims = (tmp_path / "claims.csv").read_text(encoding="utf-8")
    assert "nominatim:relation-123" in claims
