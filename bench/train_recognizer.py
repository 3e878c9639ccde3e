"""Train the recogniser's accept/reject weights (logistic regression) and check them by rotation.

    python bench/train_recognizer.py [--data ../shared/eval/*_dev.jsonl] [--install]

Training rows: every gazetteer hit that no rule of fact rejects (`MentionFinder.find(text,
undecided=True)`: names after a personal title, inside a byline, joined to another name or a
street's name never reach the model), with its features (the words around it, its candidate places, the rest of the document, the
rules that weigh against it); label 1 when the hit overlaps a gold toponym (with or without
coordinates), as the benchmark matches them.

The threshold on the probability is chosen on the training corpora end to end (through the resolver
and the output of `python -m geo geoparse`): the highest mean F-beta (--beta 1 by default; 0.5
weighs precision twice, at a cost in recall that loses F1 in rotation), each hit scored by a model
trained without its document (5-fold over the training documents).

Rotation: for each corpus, a model trained on the other corpora decides it; the table prints every
corpus under the hand rules, under its rotation model, and under the model trained on all corpora
(in sample). The model trained on all corpora is written with its provenance to --out (default
bench/results/recognizer_weights.json); --install also writes it to
src/geo/data/recognizer_weights.json, which makes it the recogniser's default. The texts are read at
run time and never copied into the project.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geoparse import DEFAULT_DATA, corpus_name, read_corpus, score  # noqa: E402
from train_resolver import (  # noqa: E402
    command_line,
    data_provenance,
    missing_data,
    predictions_of,
    rounded_scores,
    write_results,
)

from geo.build.pipeline import load_gazetteer  # noqa: E402
from geo.places.recognize import MentionFinder  # noqa: E402
from geo.places.recognizer_model import WEIGHTS_JSON, RecognizerModel  # noqa: E402
from geo.places.resolve import Resolver  # noqa: E402

RESULTS_JSON = Path(__file__).resolve().parent / "results" / "recognizer_weights.json"
IMPORTANCE: dict[str, float] = {}  # the last trees' feature importances (share of the gain)
FOLDS = 5
THRESHOLDS = [round(0.20 + 0.025 * k, 3) for k in range(27)]  # 0.20 .. 0.85


def label(mention, record: dict) -> int:
    gold = record["toponyms"] + record["toponyms_no_coords"]
    return int(any(mention.start < t["end"] and t["start"] < mention.end for t in gold))


def fresh(mentions: list) -> list:
    """Copies of the undecided mentions, unlinked, so that each decision starts from the same."""
    return [dataclasses.replace(m, container=None, listed_with=None) for m in mentions]


def decide(finder: MentionFinder, record: dict, mentions: list, model) -> list:
    mentions = fresh(mentions)
    if model is None:
        return finder.decide_by_hand(record["text"], mentions)
    return finder.finish(record["text"], finder.decide(mentions, model))


def evaluate(finder, resolver, g, corpus: list[tuple[dict, list]], model) -> dict:
    predictions = {
        record["id"]: predictions_of(resolver, decide(finder, record, mentions, model), g)
        for record, mentions in corpus
    }
    return score([record for record, _ in corpus], predictions).__dict__


def fit(corpus: list[tuple[dict, list]], args) -> RecognizerModel:
    from sklearn.feature_extraction import DictVectorizer

    rows = [
        (m.features, label(m, record))
        for record, mentions in corpus
        for m in mentions
        if not m.inside_a_name  # never kept, whatever the model says
    ]
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([features for features, _ in rows])
    y = [y for _, y in rows]
    names = vectorizer.get_feature_names_out().tolist()
    if args.model == "lr":
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=args.c, max_iter=5000)
        model.fit(x, y)
        weights = dict(zip(names, model.coef_[0].tolist(), strict=True))
        return RecognizerModel(weights, float(model.intercept_[0]), 0.5)
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(
        n_estimators=args.trees,
        max_depth=args.depth,
        learning_rate=args.learning_rate,
        min_samples_leaf=20,
        subsample=0.8,
        random_state=0,
    )
    model.fit(x, y)
    trees = []
    for (estimator,) in model.estimators_:
        t = estimator.tree_
        trees.append(
            tuple(
                (
                    names[t.feature[k]] if t.children_left[k] >= 0 else "",
                    _float32_split(t.threshold[k]) if t.children_left[k] >= 0 else 0.0,
                    int(max(t.children_left[k], 0)),
                    int(max(t.children_right[k], 0)),
                    float(t.value[k][0][0]) * args.learning_rate,
                )
                for k in range(t.node_count)
            )
        )
    intercept = float(model.decision_function(x[:1])[0]) - sum(
        _leaf(nodes, dict(zip(names, x[0], strict=True))) for nodes in trees
    )
    IMPORTANCE.clear()
    IMPORTANCE.update(zip(names, model.feature_importances_.tolist(), strict=True))
    fitted = RecognizerModel({}, intercept, 0.5, trees=tuple(trees))
    # The plain-Python evaluation must give sklearn's log-odds.
    expected = model.decision_function(x)
    wrong = sum(
        abs(fitted.log_odds(features) - value) > 1e-6
        for (features, _), value in zip(rows, expected, strict=True)
    )
    assert wrong == 0, f"{wrong} of {len(rows)} hits scored otherwise than by scikit-learn"
    return fitted


def _float32_split(threshold: float) -> float:
    """scikit-learn's trees compare float32 values: the float64 split that sends a value left
    exactly when its float32 rounding goes left."""
    import numpy as np

    low = np.float32(threshold)
    if float(low) > threshold:
        low = np.nextafter(low, np.float32(-np.inf))
    high = np.nextafter(low, np.float32(np.inf))
    return (float(low) + float(high)) / 2


def _leaf(nodes: tuple, features: dict) -> float:
    node = nodes[0]
    while node[0]:
        node = nodes[node[2] if features.get(node[0], 0.0) <= node[1] else node[3]]
    return node[4]


def f_beta(precision: float, recall: float, beta: float) -> float:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return (1 + b2) * precision * recall / denominator if denominator else 0.0


def choose_threshold(
    finder, resolver, g, corpora: dict[str, list], model: OutOfFold, beta: float
) -> tuple[float, dict]:
    """The threshold with the best mean F-beta over the corpora, end to end, on out-of-fold
    probabilities."""
    best = None
    for threshold in THRESHOLDS:
        model.threshold = threshold
        candidate = model
        scores = [evaluate(finder, resolver, g, corpus, candidate) for corpus in corpora.values()]
        mean = sum(f_beta(s["precision"], s["recall"], beta) for s in scores) / len(scores)
        if best is None or mean > best[0]:
            best = (mean, threshold, {f"mean_f{beta:g}": round(mean, 4)})
    return best[1], best[2]


class OutOfFold:
    """Probabilities each from a model that did not see the hit's document (k-fold over the
    training documents): the threshold is chosen on these, not on over-confident in-sample ones."""

    threshold = 0.5

    def __init__(self, docs: list[tuple[dict, list]], args, folds: int = FOLDS):
        self.by_features: dict[int, float] = {}
        for k in range(folds):
            model = fit([doc for j, doc in enumerate(docs) if j % folds != k], args)
            for j, (_, mentions) in enumerate(docs):
                if j % folds == k:
                    for m in mentions:
                        if m.inside_a_name:
                            continue
                        self.by_features[id(m.features)] = model.probability(m.features)

    def probability(self, features: dict) -> float:
        return self.by_features[id(features)]


def train(finder, resolver, g, corpora: dict[str, list], args):
    rows = [doc for docs in corpora.values() for doc in docs]
    model = fit(rows, args)
    held_out = OutOfFold(rows, args)
    importance = dict(IMPORTANCE)
    threshold, chosen = choose_threshold(finder, resolver, g, corpora, held_out, args.beta)
    IMPORTANCE.clear()
    IMPORTANCE.update(importance)
    return dataclasses.replace(model, threshold=threshold), chosen


def format_table(rows: list[dict]) -> str:
    lines = [
        "| corpus | decision | P | R | F1 | acc@161 | AUC | predicted | matched w/ coords |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['decision']} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['f1']:.3f} | {r['acc161']:.3f} | {r['auc']:.3f} | {r['n_pred']} "
            f"| {r['n_resolved']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA)
    parser.add_argument("--model", choices=("gbt", "lr"), default="gbt")
    parser.add_argument("--c", type=float, default=1.0, help="lr: inverse regularisation")
    parser.add_argument("--trees", type=int, default=150, help="gbt: number of trees")
    parser.add_argument("--depth", type=int, default=3, help="gbt: depth of each tree")
    parser.add_argument("--learning-rate", type=float, default=0.1, help="gbt: shrinkage")
    parser.add_argument(
        "--beta",
        type=float,
        default=1.0,
        help="the threshold maximises the mean F-beta of the training corpora (0.5: precision "
        "weighs twice as much as recall)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_JSON)
    parser.add_argument(
        "--install", action="store_true", help=f"also write {WEIGHTS_JSON} (the default model)"
    )
    parser.add_argument("--top", type=int, default=15, help="strongest features to print")
    args = parser.parse_args(argv)
    if missing_data(args.data):
        return 2
    started = time.perf_counter()
    g, _ = load_gazetteer()
    finder = MentionFinder(g, model=None, collect_features=True)
    resolver = Resolver(g)
    corpora = {
        corpus_name(path): [(r, finder.find(r["text"], undecided=True)) for r in read_corpus(path)]
        for path in args.data
    }
    rows = []
    for name, corpus in corpora.items():
        rows.append(
            {
                "corpus": name,
                "decision": "hand rules",
                **evaluate(finder, resolver, g, corpus, None),
            }
        )
        others = {other: docs for other, docs in corpora.items() if other != name}
        if others:
            rotation, _ = train(finder, resolver, g, others, args)
            rows.append(
                {
                    "corpus": name,
                    "decision": f"learned on {'+'.join(others)} (t={rotation.threshold:.3f})",
                    **evaluate(finder, resolver, g, corpus, rotation),
                }
            )
    model, chosen = train(finder, resolver, g, corpora, args)
    for name, corpus in corpora.items():
        rows.append(
            {
                "corpus": name,
                "decision": f"learned on all, in sample (t={model.threshold:.3f})",
                **evaluate(finder, resolver, g, corpus, model),
            }
        )
    rows.sort(key=lambda r: list(corpora).index(r["corpus"]))
    hits = [
        (r, m) for docs in corpora.values() for r, ms in docs for m in ms if not m.inside_a_name
    ]
    n_rows, n_places = len(hits), sum(label(m, r) for r, m in hits)
    command = command_line("train_recognizer.py", argv)
    ranked = sorted((IMPORTANCE or model.weights).items(), key=lambda item: -abs(item[1]))
    report = "\n".join(
        [
            f"Recogniser accept/reject by rotation; `{command}`; {n_rows} gazetteer hits "
            f"({n_places} overlapping a gold toponym); {time.perf_counter() - started:.0f} s.",
            "",
            format_table(rows),
            "",
            "Strongest features (model trained on all corpora; "
            + ("share of the trees' gain):" if IMPORTANCE else "log-odds per unit):"),
            *(f"  {weight:+.2f}  {feature}" for feature, weight in ranked[: args.top]),
        ]
    )
    provenance = {
        "command": command,
        "trained": time.strftime("%Y-%m-%d", time.gmtime()),
        "data": data_provenance(args.data, corpora),
        "training": (
            f"{n_rows} gazetteer hits that no rule of fact rejects, {n_places} of them overlapping "
            f"a gold toponym (label 1); LogisticRegression(C={args.c}); threshold "
            f"{model.threshold:.3f} chosen end to end on the same corpora, out of fold: best mean "
            f"F{args.beta:g} ({chosen}); gradient-boosted trees: {args.trees} trees of depth "
            f"{args.depth}, learning rate {args.learning_rate}, subsample 0.8, at least 20 hits "
            f"a leaf, random_state 0"
            if args.model == "gbt"
            else f"{model.threshold:.3f} chosen end to end on the same corpora: best mean "
            f"F{args.beta:g} ({chosen})"
        ),
        "scores": rounded_scores(
            rows, ("corpus", "decision", "precision", "recall", "f1", "acc161", "auc")
        ),
    }
    weights = dataclasses.replace(model, provenance=provenance).to_json()
    write_results(report, weights, args.out, WEIGHTS_JSON if args.install else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
