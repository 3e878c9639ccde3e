"""The resolver's learned model: a dot product over named features, read from a JSON file."""

from __future__ import annotations

import json

import pytest

from geo.places.recognize import MentionFinder
from geo.places.resolve import Resolver
from geo.places.resolver_model import ResolverModel, load_model


def test_score_is_the_intercept_plus_the_weighted_features():
    model = ResolverModel({"kind=city": 2.0, "country_named": 1.5}, intercept=-1.0)
    assert model.score({"kind=city": 1.0, "country_named": 1.0, "unseen": 9.0}) == 2.5


def test_weights_round_trip_through_json_with_their_provenance(tmp_path):
    model = ResolverModel({"curated": 3.0, "kind=admin2": -1.25}, 0.5, {"command": "train"})
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = load_model(path)
    assert loaded == model and loaded.provenance == {"command": "train"}


def test_a_missing_weights_file_means_the_hand_weights(tmp_path):
    assert load_model(tmp_path / "absent.json") is None


def test_a_weights_file_that_is_not_numbers_is_a_clear_error(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {"curated": "high"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="weights.json"):
        load_model(path)


def test_the_learned_model_chooses_by_its_weights(gazetteer):
    mentions = MentionFinder(gazetteer).find("Officials in Springfield said so.")
    # A model that only prefers less populous candidates picks a smaller Springfield.
    small = Resolver(gazetteer, model=ResolverModel({"log_population_gap": 1.0}))
    usual = Resolver(gazetteer, model=None)
    (chosen,) = small.resolve(mentions)
    (hand,) = usual.resolve(mentions)
    assert gazetteer.population[chosen.index] < gazetteer.population[hand.index]


def test_features_are_general_facts_about_the_candidate(gazetteer):
    resolver = Resolver(gazetteer, model=None)
    mentions = MentionFinder(gazetteer).find("Portland, Oregon and Seattle")
    resolver.resolve(mentions)
    rows = resolver.candidate_features(mentions[0])
    assert rows
    names = set().union(*(features for _, features in rows))
    assert {"log_population_town", "log_population_gap"} <= names
    assert any(name.startswith("kind=") for name in names)
    assert any(name.startswith("match=") for name in names)
