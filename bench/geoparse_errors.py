"""List the project's geoparsing errors on a corpus, each with the words around it, for reading.

    python bench/geoparse_errors.py ../shared/eval/lgl_dev.jsonl > /tmp/lgl_errors.txt

Three kinds: a predicted span that overlaps no gold toponym (false positive), a gold toponym no
prediction overlaps (missed), and a matched toponym placed 161 km or more from the gold point (or
left unplaced). Reads the corpus at run time; prints to standard output (never into the project).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geoparse import haversine_km, match_spans, project_system_detailed, read_corpus  # noqa: E402


def context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--kinds", default="fp,fn,far")
    args = parser.parse_args(argv)
    kinds = set(args.kinds.split(","))
    run = project_system_detailed()
    counts: Counter = Counter()
    names: dict[str, Counter] = {"fp": Counter(), "fn": Counter(), "far": Counter()}
    for record in read_corpus(args.data):
        text = record["text"]
        gold = record["toponyms"] + record["toponyms_no_coords"]
        predicted = run(text)
        pairs = match_spans(gold, predicted)
        matched_gold = {g for g, _ in pairs}
        matched_pred = {k for _, k in pairs}
        for k, p in enumerate(predicted):
            if k not in matched_pred:
                counts["fp"] += 1
                names["fp"][text[p.start : p.end]] += 1
                if "fp" in kinds:
                    print(f"FP  {record['id']} -> {p.label}\n    {context(text, p.start, p.end)}")
        for g_index, g in enumerate(gold):
            if g_index not in matched_gold:
                counts["fn"] += 1
                names["fn"][g["name"]] += 1
                if "fn" in kinds:
                    print(f"FN  {record['id']}\n    {context(text, g['start'], g['end'])}")
        for g_index, k in pairs:
            if g_index >= len(record["toponyms"]):
                continue
            g, p = gold[g_index], predicted[k]
            km = None if p.lat is None else haversine_km(g["lat"], g["lon"], p.lat, p.lon)
            if km is None or km >= 161:
                counts["far"] += 1
                names["far"][g["name"]] += 1
                if "far" in kinds:
                    where = "unplaced" if km is None else f"{km:,.0f} km"
                    print(
                        f"FAR {record['id']} {where}: -> {p.label}; gold "
                        f"{g['lat']:.2f},{g['lon']:.2f}\n    {context(text, g['start'], g['end'])}"
                    )
    print()
    for kind, counter in names.items():
        print(f"{kind}: {counts[kind]}; most frequent: {counter.most_common(25)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
