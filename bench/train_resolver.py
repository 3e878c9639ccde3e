"""Train the resolver's weights (logistic regression) and check them by rotation.

    python bench/train_resolver.py [--data ../shared/eval/*_dev.jsonl] [--write]

Training rows: every recognised mention that overlaps a gold toponym with coordinates, one row per
plausible candidate, labelled 1 when the candidate lies within 161 km of the gold point (mentions
with no such candidate, or a single candidate, teach nothing about choosing and are left out). The
features are `Resolver.features` as the resolver's last pass sees them (countries named, the
document's confident places). Rounds: round 1 takes the confident places from the hand weights,
each later round from the previous round's model.

Model: by default the hand score (`Resolver.hand_score`) is kept as an offset of weight 1 and only
the weights of the document's corroboration (RESIDUAL_FEATURES) are learned; `--full` learns every
feature's weight instead (it lost to the hand weights in rotation).

Rotation: for each corpus, a model trained on the other corpora resolves it; the table prints
every corpus under the hand weights, under its rotation model, and under the model trained on all
corpora (in sample). The model trained on all corpora is written with its provenance to --out
(default bench/results/resolver_weights.json); --install also writes it to
src/geo/data/resolver_weights.json, which makes it the resolver's default (otherwise the hand
weights of `Resolver.hand_score` are used). The texts are read at run time and never
copied into the project.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geoparse import (  # noqa: E402
    DEFAULT_DATA,
    Prediction,
    corpus_name,
    haversine_km,
    read_corpus,
    score,
)

from geo.build.pipeline import load_gazetteer  # noqa: E402
from geo.places.recognize import MentionFinder  # noqa: E402
from geo.places.resolve import Resolver  # noqa: E402
from geo.places.resolver_model import WEIGHTS_JSON, ResolverModel  # noqa: E402

NEAR_KM = 161.0
# The weights and, beside them (.md), the rotation table.
RESULTS_JSON = Path(__file__).resolve().parent / "results" / "resolver_weights.json"


def predictions_of(
    resolver: Resolver, mentions: list, g, text: str | None = None
) -> list[Prediction]:
    """What `python -m geo geoparse` outputs for these mentions of `text` (geo.cli.geoparse_record)."""
    resolved = resolver.resolve(mentions, text)
    placed = {id(r.mention) for r in resolved}
    out = [
        Prediction(r.mention.start, r.mention.end, g.lat[r.index], g.lon[r.index]) for r in resolved
    ]
    out += [
        Prediction(m.start, m.end, None, None)
        for m in mentions
        if id(m) not in placed
        and m.mention_type == "toponym"
        and not m.common_word
        and m.zipf < 3.0
    ]
    return sorted(out, key=lambda p: p.start)


def training_rows(resolver: Resolver, docs: list[tuple[dict, list]], g) -> list[list[tuple]]:
    """Per useful mention: [(features, label), ...] over its plausible candidates."""
    groups = []
    for record, mentions in docs:
        resolver.resolve(mentions, record["text"])
        for gold in record["toponyms"]:
            mention = next(
                (m for m in mentions if m.start < gold["end"] and gold["start"] < m.end), None
            )
            if mention is None:
                continue
            rows = [
                (
                    features,
                    haversine_km(gold["lat"], gold["lon"], g.lat[i], g.lon[i]) < NEAR_KM,
                )
                for i, features in resolver.candidate_features(mention)
            ]
            if len(rows) > 1 and any(label for _, label in rows):
                groups.append(rows)
    return groups


def fit(groups: list[list[tuple]], c: float, provenance: dict | None = None) -> ResolverModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=False)
    vectorizer.fit([features for group in groups for features, _ in group])
    # Pairwise: within a mention, every right candidate against every wrong one (and the
    # reverse), so the model learns which of a name's places is meant, not how likely a place
    # is in general. Each mention weighs the same however many candidates it has.
    x, y, w = [], [], []
    for group in groups:
        vectors = vectorizer.transform([features for features, _ in group])
        right = [v for v, (_, label) in zip(vectors, group, strict=True) if label]
        wrong = [v for v, (_, label) in zip(vectors, group, strict=True) if not label]
        if not wrong:
            continue
        weight = 1.0 / (len(right) * len(wrong))
        for a in right:
            for b in wrong:
                x += [a - b, b - a]
                y += [1, 0]
                w += [weight, weight]
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(x, y, sample_weight=w)
    weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0].tolist(), strict=True))
    return ResolverModel(weights, 0.0, provenance or {})


# The document's corroboration of a candidate (Resolver.features): what the residual model
# learns on top of the hand score, which it keeps with weight 1.
# Measured in rotation (bench/results/resolver_weights.md): more of them (one name nearby, the
# state named, a split by the candidate's fame) won on the local corpus and lost on the others.
RESIDUAL_FEATURES = (
    "names_nearby=2+",
    # The dateline's town (Resolver.dateline_features): its state, its neighbourhood.
    "in_the_dateline_province",
    "near_the_dateline",
    "holds_the_dateline",
    # A name that is a country and a province elsewhere ("Georgia"), the province's country
    # in the document and the country not (Resolver.document_features).
    "province_of_the_named_country",
)


def fit_residual(groups: list[list[tuple]], c: float) -> ResolverModel:
    """Pairwise logistic regression with the hand score as a fixed offset: only the weights of
    the document's corroboration are learned (L2-penalised, 1/C), so the model can only add
    the evidence of the document's other names to what the hand weights already say."""
    import numpy as np
    from scipy.optimize import minimize

    names = sorted(
        {
            name
            for group in groups
            for features, _ in group
            for name in features
            if name in RESIDUAL_FEATURES
        }
    )
    column = {name: k for k, name in enumerate(names)}

    def vector(features: dict) -> tuple[float, np.ndarray]:
        x = np.zeros(len(names))
        for name, value in features.items():
            if name in column:
                x[column[name]] = value
        return features.get("hand_score", 0.0), x

    offsets, rows, weights = [], [], []
    for group in groups:
        right = [vector(f) for f, label in group if label]
        wrong = [vector(f) for f, label in group if not label]
        if not wrong:
            continue
        weight = 1.0 / (len(right) * len(wrong))
        for ha, xa in right:
            for hb, xb in wrong:
                offsets.append(ha - hb)
                rows.append(xa - xb)
                weights.append(weight)
    offset, x, sample = np.array(offsets), np.array(rows), np.array(weights)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = offset + x @ w  # log-odds that the right candidate beats the wrong one
        value = np.sum(sample * np.logaddexp(0.0, -margin)) + w @ w / (2 * c)
        gradient = -(x.T @ (sample / (1.0 + np.exp(margin)))) + w / c
        return value, gradient

    w = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    return ResolverModel({"hand_score": 1.0, **dict(zip(names, w.tolist(), strict=True))})


def train(g, docs, rounds: int, c: float, residual: bool = True) -> tuple[ResolverModel, int, int]:
    model = None
    for _ in range(rounds):
        groups = training_rows(Resolver(g, model=model), docs, g)
        model = fit_residual(groups, c) if residual else fit(groups, c)
    return model, len(groups), sum(len(group) for group in groups)


def evaluate(g, model, corpus: list[tuple[dict, list]]) -> dict:
    resolver = Resolver(g, model=model)
    predictions = {
        record["id"]: predictions_of(resolver, m, g, record["text"]) for record, m in corpus
    }
    return score([record for record, _ in corpus], predictions).__dict__


def format_table(rows: list[dict]) -> str:
    lines = [
        "| corpus | weights | P | R | F1 | acc@161 | AUC | matched w/ coords |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['weights']} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['f1']:.3f} | {r['acc161']:.3f} | {r['auc']:.3f} | {r['n_resolved']} |"
        )
    return "\n".join(lines)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_provenance(paths: list[Path], corpora: dict[str, list]) -> dict[str, dict]:
    """Each training file's name -> its sha256 and number of documents (for a weights file)."""
    return {
        path.name: {"sha256": sha256(path), "documents": len(corpora[corpus_name(path)])}
        for path in paths
    }


def missing_data(paths: list[Path]) -> bool:
    """Whether a training file is missing (said on stderr)."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        print(f"error: data not found: {', '.join(map(str, missing))}", file=sys.stderr)
    return bool(missing)


def command_line(script: str, argv: list[str] | None) -> str:
    """The command that trained the weights, as the report and the provenance name it."""
    return (
        f"python bench/{script} " + " ".join(argv if argv is not None else sys.argv[1:])
    ).strip()


def rounded_scores(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """The table's rows for the provenance: its `keys`, floats to four places."""
    return [
        {
            key: (round(value, 4) if isinstance(value, float) else value)
            for key, value in row.items()
            if key in keys
        }
        for row in rows
    ]


def write_results(report: str, weights: dict, out: Path, install: Path | None) -> None:
    """The report printed and written beside `out` (.md); the weights written to `out`, and to
    `install` too when given (the package's default weights file)."""
    print(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text(report + "\n", encoding="utf-8")
    text = json.dumps(weights, indent=2) + "\n"
    for path in [out, install] if install else [out]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument(
        "--full",
        action="store_true",
        help="learn every feature's weight (sklearn) instead of the residual over the hand score",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_JSON)
    parser.add_argument(
        "--install", action="store_true", help=f"also write {WEIGHTS_JSON} (the default model)"
    )
    parser.add_argument("--top", type=int, default=12, help="strongest features to print")
    args = parser.parse_args(argv)
    if missing_data(args.data):
        return 2
    started = time.perf_counter()
    g, _ = load_gazetteer()
    finder = MentionFinder(g)
    corpora = {
        corpus_name(path): [(r, finder.find(r["text"])) for r in read_corpus(path)]
        for path in args.data
    }
    rows = []
    for name, corpus in corpora.items():
        rows.append({"corpus": name, "weights": "hand", **evaluate(g, None, corpus)})
        others = [doc for other, docs in corpora.items() if other != name for doc in docs]
        if others:
            rotation, _, _ = train(g, others, args.rounds, args.c, residual=not args.full)
            trained_on = "+".join(other for other in corpora if other != name)
            rows.append(
                {
                    "corpus": name,
                    "weights": f"learned on {trained_on}",
                    **evaluate(g, rotation, corpus),
                }
            )
    every = [doc for docs in corpora.values() for doc in docs]
    model, n_mentions, n_rows = train(g, every, args.rounds, args.c, residual=not args.full)
    for name, corpus in corpora.items():
        rows.append(
            {"corpus": name, "weights": "learned on all (in sample)", **evaluate(g, model, corpus)}
        )
    rows.sort(key=lambda r: list(corpora).index(r["corpus"]))
    table = format_table(rows)
    command = command_line("train_resolver.py", argv)
    ranked = sorted(model.weights.items(), key=lambda item: -abs(item[1]))
    report = "\n".join(
        [
            f"Resolver weights by rotation; `{command}`; {n_mentions} mentions, "
            f"{n_rows} candidate rows in all; {time.perf_counter() - started:.0f} s.",
            "",
            table,
            "",
            "Strongest features (model trained on all corpora):",
            *(f"  {weight:+.2f}  {feature}" for feature, weight in ranked[: args.top]),
        ]
    )
    provenance = {
        "command": command,
        "trained": time.strftime("%Y-%m-%d", time.gmtime()),
        "data": data_provenance(args.data, corpora),
        "training": (
            f"{n_mentions} recognised mentions overlapping a gold toponym with coordinates, "
            f"{n_rows} plausible candidates (label: within {NEAR_KM:.0f} km of gold); pairs of "
            f"right and wrong candidates of one mention; {args.rounds} rounds; "
            + (
                f"LogisticRegression(C={args.c}, fit_intercept=False) over every feature"
                if args.full
                else f"logistic regression (L2, C={args.c}) of {', '.join(RESIDUAL_FEATURES)} "
                "with the hand score as a fixed offset (weight 1)"
            )
        ),
        "scores": rounded_scores(
            rows, ("corpus", "weights", "precision", "recall", "f1", "acc161", "auc")
        ),
    }
    weights = ResolverModel(model.weights, 0.0, provenance).to_json()
    write_results(report, weights, args.out, WEIGHTS_JSON if args.install else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
