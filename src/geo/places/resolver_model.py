"""The resolver's learned weights: a logistic regression over general candidate features.

The weights live in `geo/data/resolver_weights.json` with their provenance (which data, which
command, which scores); `bench/train_resolver.py` writes them. Scoring is a dot product, so the
build needs no machine-learning library at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WEIGHTS_JSON = Path(__file__).resolve().parents[1] / "data" / "resolver_weights.json"


@dataclass(frozen=True)
class ResolverModel:
    """Log-odds that a candidate is the place meant: intercept + sum of weight x feature value.
    A feature the model never saw weighs nothing."""

    weights: dict[str, float]
    intercept: float = 0.0
    provenance: dict = field(default_factory=dict, compare=False)

    def score(self, features: dict[str, float]) -> float:
        weights = self.weights
        return self.intercept + sum(
            weights.get(name, 0.0) * value for name, value in features.items()
        )

    def to_json(self) -> dict:
        ranked = sorted(self.weights.items(), key=lambda item: -abs(item[1]))
        return {
            "model": "logistic regression over candidate features (geo.places.resolve.Resolver.features)",
            "intercept": round(self.intercept, 6),
            "weights": {name: round(value, 6) for name, value in ranked},
            "provenance": self.provenance,
        }

    @classmethod
    def from_json(cls, data: dict) -> ResolverModel:
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
            isinstance(k, str) and isinstance(v, (int, float)) for k, v in weights.items()
        ):
            raise ValueError("resolver weights: 'weights' must map feature names to numbers")
        return cls(
            weights={k: float(v) for k, v in weights.items()},
            intercept=float(data.get("intercept", 0.0)),
            provenance=data.get("provenance", {}),
        )


def load_model(path: Path = WEIGHTS_JSON) -> ResolverModel | None:
    """The committed model, or None (hand weights) when there is no weights file."""
    if not path.exists():
        return None
    try:
        return ResolverModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def default_model() -> ResolverModel | None:
    return load_model()


class _Default:
    """Marker: use the committed model (`default_model`)."""


DEFAULT_MODEL: ResolverModel | None = _Default()  # type: ignore[assignment]
