"""The recogniser's learned accept/reject decision: weights and trees read from a JSON file,
evaluated in plain Python, deciding over features of the names and the words around them."""

from __future__ import annotations

import json

import pytest

from geo.places.recognize import MentionFinder
from geo.places.recognizer_model import RecognizerModel, load_model

# One tree: "after=said" (a verb of saying follows the name) sends the name to a leaf of -3.
_SAID_TREE = (("after=said", 0.5, 1, 2, 0.0), ("", 0.0, 0, 0, 2.0), ("", 0.0, 0, 0, -3.0))


def test_probability_is_the_logistic_of_weights_plus_trees():
    model = RecognizerModel({"kind=city": 1.0}, intercept=-1.0, trees=(_SAID_TREE,))
    assert model.log_odds({"kind=city": 1.0}) == 2.0  # -1 + 1 + the tree's left leaf
    assert model.log_odds({"kind=city": 1.0, "after=said": 1.0}) == -3.0
    assert model.probability({}) == pytest.approx(1 / (1 + 2.718281828459045**-1.0))


def test_model_round_trips_through_json_with_its_provenance(tmp_path):
    model = RecognizerModel({"zipf": -0.5}, 0.25, 0.6, {"command": "train"}, trees=(_SAID_TREE,))
    path = tmp_path / "recognizer.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = load_model(path)
    assert loaded == model and loaded.provenance == {"command": "train"}


def test_a_missing_weights_file_means_the_hand_rules(tmp_path):
    assert load_model(tmp_path / "absent.json") is None


@pytest.mark.parametrize(
    "data",
    [
        {"weights": {"zipf": "high"}},
        {"weights": {}, "threshold": 1.5},
        {"weights": {}, "trees": [[["zipf", 1.0, 0, 0, 0.0]]]},  # a node that is its own child
    ],
)
def test_a_malformed_weights_file_is_a_clear_error(tmp_path, data):
    path = tmp_path / "recognizer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="recognizer.json"):
        load_model(path)


def test_the_hand_rules_reject_what_a_rule_weighs_against(gazetteer):
    finder = MentionFinder(gazetteer, model=None, collect_features=True)
    text = "Jordan Peterson flew to Jordan last year."
    undecided = finder.find(text, undecided=True)
    assert [(m.text, m.weighed_against) for m in undecided] == [
        ("Jordan", "followed by another name (Peterson)"),
        ("Jordan", None),
    ]
    assert [m.start for m in finder.find(text)] == [text.rindex("Jordan")]


def test_the_learned_model_decides_over_the_features(gazetteer):
    text = "Officials in Springfield said so. Springfield said no."
    # A model that rejects any name followed by a verb of saying, whatever the rules say.
    model = RecognizerModel({}, intercept=0.0, threshold=0.5, trees=(_SAID_TREE,))
    found = MentionFinder(gazetteer, model=model).find(text)
    assert found == []
    keeps_all = RecognizerModel({}, intercept=5.0, threshold=0.5)
    found = MentionFinder(gazetteer, model=keeps_all).find(text)
    assert [m.text for m in found] == ["Springfield", "Springfield"]
    assert all(m.place_probability > 0.99 for m in found)


def test_features_describe_the_words_around_a_name(gazetteer):
    finder = MentionFinder(gazetteer, model=None, collect_features=True)
    (mention,) = finder.find("The talks were held in Nairobi, Kenya said.", undecided=True)[:1]
    assert mention.text == "Nairobi"
    f = mention.features
    assert f["before=in"] == 1.0 and f["after=,"] == 1.0
    assert f["kind=city"] == 1.0 and f["log_population"] > 6
    assert f["hand_rules_accept"] == 1.0
    assert f["country_named_by_other_names"] == 1.0  # Kenya


def test_no_learned_weight_makes_a_place_of_a_name_inside_a_persons_name(gazetteer):
    text = "Sher Wali Wardak spoke. Troops entered Wardak province."
    keeps_all = RecognizerModel({}, intercept=5.0, threshold=0.5)
    found = MentionFinder(gazetteer, model=keeps_all).find(text)
    assert [(m.text, m.start) for m in found] == [("Wardak", text.rindex("Wardak"))]
