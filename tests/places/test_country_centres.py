"""Where a country is placed: its conventional centre, unless that lies outside it
(geo.places.gazetteer_sources, geo.places.geometry)."""

from __future__ import annotations

import pytest

from geo.places.gazetteer_sources import _on_its_own_ground
from geo.places.geometry import countries_at, km_to_country


def test_a_centre_between_a_countrys_own_islands_is_kept():
    # The Philippines' conventional centre, 13 N 122 E, lies in the Sibuyan Sea.
    assert _on_its_own_ground(13.0, 122.0, "PH")


def test_a_centre_on_another_countrys_land_is_rejected():
    # 29.5 N 45.75 E, printed for Kuwait in some country tables, lies in Iraq.
    assert countries_at(29.5, 45.75) == ["IQ"]
    assert not _on_its_own_ground(29.5, 45.75, "KW")


def test_a_centre_far_out_at_sea_is_rejected():
    assert not _on_its_own_ground(0.0, -30.0, "BR")


def test_distance_to_a_country_is_zero_inside_and_grows_offshore():
    assert km_to_country(48.85, 2.35, "FR") == 0.0
    assert km_to_country(13.0, 122.0, "PH") == pytest.approx(50, abs=30)
    assert km_to_country(0.0, 0.0, "ZZ") == float("inf")


def test_cuba_is_placed_at_its_conventional_centre(gazetteer):
    cuba = next(
        i
        for i in range(len(gazetteer.name))
        if gazetteer.kind[i] == "country" and gazetteer.country_code[i] == "CU"
    )
    assert (gazetteer.lat[cuba], gazetteer.lon[cuba]) == (21.5, -80.0)
