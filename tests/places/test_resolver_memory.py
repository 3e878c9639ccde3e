"""The resolver remembers per name what the name says about a document's countries: a document
read after others is resolved as it is alone."""

from __future__ import annotations

from geo.build.pipeline import Geoparser

TEXTS = [
    "Fighters crossed from Georgia into Armenia and Azerbaijan.",
    "Storms hit Georgia: Atlanta and Savannah lost power.",
    "The French envoy flew to Paris, then to Tbilisi in Georgia.",
    "England and Florida sent teams; Portland, Oregon hosted them.",
    "Georgia, Armenia and Azerbaijan met in Tbilisi.",
]


def _places(geoparser, text):
    resolved, _ = geoparser.parse(text)
    g = geoparser.gazetteer
    return [(r.mention.text, g.place_id[r.index]) for r in resolved]


def test_documents_resolve_alike_after_others_as_alone(gazetteer):
    shared = Geoparser(gazetteer)
    for _ in range(2):  # the second round meets every name remembered
        for text in TEXTS:
            fresh = Geoparser(gazetteer)
            assert _places(shared, text) == _places(fresh, text), text
            assert shared.resolver.context_countries(shared.finder.find(text)) == (
                fresh.resolver.context_countries(fresh.finder.find(text))
            )
