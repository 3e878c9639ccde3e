from __future__ import annotations

import pytest

from geo.pipeline import DEFAULT_CORPUS, Geoparser, build_corpus, load_gazetteer


@pytest.fixture(scope="session")
def gazetteer():
    """The real offline gazetteer with the project's curated places (built once, then cached)."""
    layered, _ = load_gazetteer()
    return layered


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def seeds_build(gazetteer):
    return build_corpus(DEFAULT_CORPUS)


@pytest.fixture
def places_in(geoparser):
    """The places a text makes claims about: [(mention, place name, kind, country, lat, lon)].

    Toponyms inside organisation names ("Georgetown University") are recognised but make no claim.
    """

    def run(text: str):
        resolved, _ = geoparser.parse(text)
        resolved = [r for r in resolved if not r.mention.embedded]
        g = geoparser.gazetteer
        return [
            (
                r.mention.text,
                g.name[r.index],
                g.kind[r.index],
                g.country_code[r.index],
                g.lat[r.index],
                g.lon[r.index],
            )
            for r in resolved
        ]

    return run
