"""The recogniser's learned accept/reject decision: a logistic regression over general features of a
gazetteer hit (its words, the words around it, its candidate places, the rest of the document).

`MentionFinder` (geo.places.recognize) computes the features; this module only holds the weights and
turns features into a probability. The weights live in `geo/data/recognizer_weights.json` with their
provenance (which data, which command, which scores); `bench/train_recognizer.py` writes them.
Scoring is a dot product, so the pipeline needs no machine-learning library at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WEIGHTS_JSON = Path(__file__).resolve().parents[1] / "data" / "recognizer_weights.json"


@dataclass(frozen=True)
class RecognizerModel:
    """P(place) = logistic(intercept + sum of weight x feature value + the trees' outputs); a name
    is kept when that probability reaches `threshold`. A feature the model never saw weighs
    nothing (and reads 0 in a tree).

    A logistic regression has `weights` only; gradient-boosted trees have `trees` only, each a
    tuple of nodes (feature name or "" at a leaf, split value, left child, right child, leaf
    value): a node sends a feature value <= the split value left."""

    weights: dict[str, float]
    intercept: float = 0.0
    threshold: float = 0.5
    provenance: dict = field(default_factory=dict, compare=False)
    trees: tuple = ()

    def log_odds(self, features: dict[str, float]) -> float:
        weights = self.weights
        z = self.intercept + sum(weights.get(name, 0.0) * value for name, value in features.items())
        get = features.get
        for nodes in self.trees:
            node = nodes[0]
            while node[0]:
                node = nodes[node[2] if get(node[0], 0.0) <= node[1] else node[3]]
            z += node[4]
        return z

    def probability(self, features: dict[str, float]) -> float:
        z = self.log_odds(features)
        if z < -35:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict:
        ranked = sorted(self.weights.items(), key=lambda item: -abs(item[1]))
        kind = "gradient-boosted trees" if self.trees else "logistic regression"
        data = {
            "model": f"{kind} over gazetteer-hit features "
            "(geo.places.recognize.MentionFinder: mention and document features)",
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            "weights": {name: round(value, 6) for name, value in ranked if value},
        }
        if self.trees:
            data["trees"] = [
                [
                    [name, round(split, 6), left, right, round(value, 6)]
                    for name, split, left, right, value in nodes
                ]
                for nodes in self.trees
            ]
        data["provenance"] = self.provenance
        return data

    @classmethod
    def from_json(cls, data: dict) -> RecognizerModel:
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
            isinstance(k, str) and isinstance(v, (int, float)) for k, v in weights.items()
        ):
            raise ValueError("recognizer weights: 'weights' must map feature names to numbers")
        threshold = float(data.get("threshold", 0.5))
        if not 0.0 < threshold < 1.0:
            raise ValueError("recognizer weights: 'threshold' must lie between 0 and 1")
        trees = []
        for nodes in data.get("trees", []):
            parsed = tuple(
                (str(name), float(split), int(left), int(right), float(value))
                for name, split, left, right, value in nodes
            )
            # Children come after their node, so every walk ends at a leaf.
            if not parsed or any(
                name and not (k < left < len(parsed) and k < right < len(parsed))
                for k, (name, _, left, right, _) in enumerate(parsed)
            ):
                raise ValueError("recognizer weights: a tree's children must be its nodes")
            trees.append(parsed)
        return cls(
            weights={k: float(v) for k, v in weights.items()},
            intercept=float(data.get("intercept", 0.0)),
            threshold=threshold,
            provenance=data.get("provenance", {}),
            trees=tuple(trees),
        )


def load_model(path: Path = WEIGHTS_JSON) -> RecognizerModel | None:
    """The committed model, or None (the hand rules decide) when there is no weights file."""
    if not path.exists():
        return None
    try:
        return RecognizerModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def default_model() -> RecognizerModel | None:
    return load_model()


class _Default:
    """Marker: use the committed model (`default_model`)."""


DEFAULT_MODEL: RecognizerModel | None = _Default()  # type: ignore[assignment]
