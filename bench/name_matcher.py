"""Candidate names: the recogniser's capitalised-run scan against an Aho-Corasick automaton over every
gazetteer name key, on the same texts in the same process (issue 17, "recognition as one automaton pass").

    python bench/name_matcher.py [--corpus DIR | --eval] [--out bench/results/name_matcher.md]

Rows, in CPU seconds over all the texts:
- the whole recogniser (`MentionFinder.find`, a fresh finder: its run and span caches empty);
- its candidate stage alone: the run pattern over the text and each distinct run scanned for names
  (`_scan_run`), giving the hits that the accept/reject rules then read;
- an automaton (pyahocorasick, `pip install pyahocorasick==2.3.1`: a wheel, no compiler) over the
  name, article and demonym keys, scanned over the lower-cased text: every hit, then the hits that
  begin and end at word boundaries (Python per hit, as any rule would be). Lower-casing is the
  cheapest normalisation; the index's keys also fold accents, doubled letters, "-ah" and spaces.
Also the automaton's build time, its resident memory, its pickle and the time to load that pickle.
The default corpus is bench/make_corpus.py's first 1,000 documents (seed 0), written to a temporary
folder; --eval reads the development halves in ../shared/eval at run time (never copied).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
EVAL_DIR = ROOT.parent / "shared" / "eval"

from build import _rss_mb  # noqa: E402  (bench/build.py: resident memory of this process)


def _cpu(work) -> tuple[float, object]:
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def read_texts(corpus: Path | None, use_eval: bool) -> tuple[str, list[str]]:
    if use_eval:
        texts = []
        for name in ("gwn", "lgl", "trnews"):
            with open(EVAL_DIR / f"{name}_dev.jsonl", encoding="utf-8") as handle:
                texts += [json.loads(line)["text"] for line in handle if line.strip()]
        return "eval development halves (gwn, lgl, trnews)", texts
    from geo.documents.reading import read_document

    if corpus is None:
        from make_corpus import write_corpus

        corpus = Path(tempfile.mkdtemp(prefix="name-matcher-")) / "corpus"
        write_corpus(1000, corpus)
        label = "bench/make_corpus.py, 1,000 documents (seed 0)"
    else:
        label = str(corpus)
    return label, [read_document(p).text for p in sorted(corpus.glob("*.txt"))]


def run_scan_hits(finder, text: str) -> int:
    """The recogniser's candidate stage (as `MentionFinder.find` runs it): names in the runs."""
    from geo.places.recognize import _NAME_RUN, _inside_token, _token_start

    cache, hits = finder._run_cache, 0
    for run in _NAME_RUN.finditer(text):
        start, end = run.span()
        if start and not text[start - 1].isspace() and _inside_token(text, start):
            run_text = text[_token_start(text, start) : end]
        else:
            run_text = run.group()
        names = cache.get(run_text)
        if names is None:
            names = cache[run_text] = finder._scan_run(run_text)
        hits += len(names)
    return hits


def bounded_hits(automaton, text: str) -> int:
    hits, last = 0, len(text) - 1
    for end, length in automaton.iter(text):
        start = end - length + 1
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == last or not text[end + 1].isalnum()
        ):
            hits += 1
    return hits


def measure(texts: list[str]) -> list[tuple[str, str, str]]:
    from geo.build.pipeline import load_gazetteer
    from geo.places.gazetteer import load_index
    from geo.places.recognize import MentionFinder

    gazetteer, _ = load_gazetteer(base=load_index())
    MentionFinder(gazetteer).find("Fighters left Mosul for Raqqa.")  # word tables loaded
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rows = []

    def row(what: str, seconds: float, count: str) -> None:
        rows.append((what, f"{seconds:.3f} ({mb / seconds:.1f} MB/s)", count))

    finder = MentionFinder(gazetteer)
    seconds, found = _cpu(lambda: sum(len(finder.find(t)) for t in texts))
    row("recogniser: find, fresh finder", seconds, f"{found:,} mentions")
    finder = MentionFinder(gazetteer)
    seconds, hits = _cpu(lambda: sum(run_scan_hits(finder, t) for t in texts))
    row("recogniser: run scan, caches empty", seconds, f"{hits:,} hits")
    seconds, hits = _cpu(lambda: sum(run_scan_hits(finder, t) for t in texts))
    row("recogniser: run scan, caches full", seconds, f"{hits:,} hits")
    try:
        import ahocorasick
    except ImportError:
        rows.append(("automaton", "pyahocorasick is not installed", ""))
        return rows
    keys = set(gazetteer.by_key) | set(gazetteer.by_article_key) | set(gazetteer.by_demonym)
    before = _rss_mb()

    def build():
        automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for key in keys:
            automaton.add_word(key)
        automaton.make_automaton()
        return automaton

    seconds, automaton = _cpu(build)
    grown = _rss_mb() - before
    data = pickle.dumps(automaton, protocol=pickle.HIGHEST_PROTOCOL)
    load_s, _ = _cpu(lambda: pickle.loads(data))
    rows.append(
        (
            f"automaton: build over {len(keys):,} keys",
            f"{seconds:.2f}",
            f"+{grown:.0f} MB resident; pickle {len(data) / 1e6:.0f} MB, loaded in {load_s:.2f} s",
        )
    )
    lowered = [t.lower() for t in texts]
    seconds, hits = _cpu(lambda: sum(1 for t in lowered for _ in automaton.iter(t)))
    row("automaton: every hit", seconds, f"{hits:,} hits")
    seconds, hits = _cpu(lambda: sum(bounded_hits(automaton, t) for t in lowered))
    row("automaton: hits at word boundaries", seconds, f"{hits:,} hits")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--eval", action="store_true", help="the eval development halves")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    label, texts = read_texts(args.corpus, args.eval)
    rows = measure(texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    lines = [
        f"Candidate names on {label}: {len(texts):,} texts, {mb:.2f} MB; CPU seconds, "
        "`python bench/name_matcher.py`.",
        "",
        "| what | CPU s | count |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
    ]
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
