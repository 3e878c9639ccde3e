"""Build throughput at scale: MB of text per second per stage, peak memory, parallel speed-up,
incremental rebuilds, and flashgeotext's recognition over the same corpus as the baseline.

    python bench/build.py [--sizes 100,1000,10000] [--work DIR] [--repeat 3] [--large-repeat 1]
                          [--jobs N] [--skip index,jobs,incremental,baseline]

Every measurement runs in a fresh child process (this script with --child), so peak memory is that
of one build and no cache of one run warms the next. The corpus is bench/make_corpus.py's (seed 0);
smaller sizes are the first documents of the largest. Stages: read (files, header metadata), find
(recognition), resolve, claims (sentences, dates, attribution, the claims table), write (claims.csv
lines, the files, the build cache). The gazetteer index is loaded before the stages start and is
reported on its own: the one-time build from the data packages and the load of the cached index.
Sizes up to 1,000 are run --repeat times and the median is reported; larger ones --large-repeat times
(the machine is shared). `--jobs N` (default: all cores) is compared with one job at the largest
size, in the same run, and the two outputs must be byte-identical. Incremental: on the largest
corpus built with its cache, one new document is added and the build run again.

Writes bench/results/build.md and build.json. Exits non-zero when the outputs of the parallel build
differ, when an incremental rebuild geoparses more than the new document, or when a ratio falls
below its floor (see FLOORS): a benchmark may fail loudly, tests never time anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

# Children run the code next to this script (a copy of the tree benchmarks that copy).
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
STAGES = ("read", "find", "resolve", "claims", "write")
CLOCK_ENV = "GEO_BENCH_CLOCK"  # "cpu": stages timed in CPU seconds (--clock)
# Regressions that make the benchmark fail (targets are reported, floors are enforced).
FLOORS = {"jobs_speedup": 1.3, "growth_per_10x": 13.0}


# -- child processes --------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child_spin() -> dict:
    """How many cores this machine gives us right now: the same CPU-bound task once, then twice
    at the same time in two processes (other users' load shares the cores)."""
    import multiprocessing

    started = time.perf_counter()
    _spin(0)
    one = time.perf_counter() - started
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [0, 1])
    two = time.perf_counter() - started
    return {"parallelism": 2 * one / two, "load": os.getloadavg()[0]}


def _spin(_) -> None:
    total = 0
    for i in range(20_000_000):
        total += i


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def child_index(mode: str) -> dict:
    from geo.places import gazetteer

    before = _rss_mb()
    started = time.perf_counter()
    index = gazetteer.build_index() if mode == "build" else gazetteer.load_index()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rss_mb": _rss_mb() - before,
        "peak_mb": _peak_mb(),
        "places": len(index),
        "cache_file_mb": gazetteer.cache_path().stat().st_size / 1e6
        if gazetteer.cache_path().exists()
        else None,
    }


def _warm_lexicon(index) -> float:
    """Load what the recogniser loads once per process (wordfreq's frequency table): like the
    index, a one-time cost reported on its own rather than charged to the first stage."""
    from geo.build.pipeline import Geoparser

    started = time.perf_counter()
    Geoparser(index).parse("Fighters left Mosul for Raqqa.")
    return time.perf_counter() - started


class _ProcessClock:
    """The time module, but with perf_counter giving this process's CPU seconds."""

    perf_counter = staticmethod(time.process_time)

    def __getattr__(self, name: str):
        return getattr(time, name)


def _clock():
    """Wall time, or with --clock cpu the CPU seconds of this process (on a loaded, shared machine
    the wall time of a stage counts the time other processes held the cores)."""
    return time.process_time if os.environ.get(CLOCK_ENV) == "cpu" else time.perf_counter


def _stage_clock():
    """The clock the stages are timed with (`_clock`); the pipeline's stage timers are pointed at
    it."""
    if os.environ.get(CLOCK_ENV) != "cpu":
        return time.perf_counter
    from geo.build import pipeline

    pipeline.time = _ProcessClock()  # workers forked later inherit it
    return time.process_time


def child_build(corpus: Path, out: Path, jobs: int, cache: bool) -> dict:
    from geo.build.cache import CACHE_DIRNAME
    from geo.build.pipeline import build_corpus, write_outputs
    from geo.places.gazetteer import load_index

    started = time.perf_counter()
    index = load_index()
    index_s = time.perf_counter() - started
    index_rss = _rss_mb()
    lexicon_s = _warm_lexicon(index)
    cpu_self, cpu_workers = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    clock = _stage_clock()
    started = clock()
    result = build_corpus(
        corpus, gazetteer=index, jobs=jobs, cache_dir=out / CACHE_DIRNAME if cache else None
    )
    written = clock()
    write_outputs(result, out)
    finished = clock()
    cpu_self = _cpu(resource.RUSAGE_SELF) - cpu_self
    cpu_workers = _cpu(resource.RUSAGE_CHILDREN) - cpu_workers
    seconds = dict(result.seconds)
    seconds["write"] += finished - written
    mb = sum(len(d.text.encode("utf-8")) for d in result.documents.values()) / 1e6
    return {
        "documents": len(result.documents),
        "reused": result.reused,
        "mb": mb,
        "claims": len(result.claims),
        "places": len(result.places),
        "seconds": seconds,
        "wall": finished - started,
        "cpu": cpu_self + cpu_workers,  # user + system seconds, this process and its workers
        "cpu_workers": cpu_workers,
        "load": os.getloadavg()[0],
        "index_load_s": index_s,
        "index_rss_mb": index_rss,
        "lexicon_s": lexicon_s,
        "peak_mb": _peak_mb(),
        "workers_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "claims_sha": _sha(out / "claims.csv"),
        "places_sha": _sha(out / "places.csv"),
    }


def child_incremental(corpus: Path, out: Path, first: int, times: int) -> dict:
    """Add a new document, rebuild, remove it, rebuild: `times` times, the index loaded once."""
    from make_corpus import make_document

    from geo.build.cache import CACHE_DIRNAME
    from geo.build.pipeline import build_corpus, write_outputs
    from geo.places.gazetteer import load_index

    index = load_index()
    lexicon_s = _warm_lexicon(index)
    runs = []
    for k in range(times):
        name, text = make_document(first + k)
        path = corpus / name
        path.write_text(text, encoding="utf-8")
        try:
            for action in ("add", "remove"):
                if action == "remove":
                    path.unlink()
                started = time.perf_counter()
                result = build_corpus(
                    corpus, gazetteer=index, jobs=1, cache_dir=out / CACHE_DIRNAME
                )
                write_outputs(result, out)
                runs.append(
                    {
                        "action": action,
                        "seconds": time.perf_counter() - started,
                        "documents": len(result.documents),
                        "geoparsed": len(result.documents) - result.reused,
                        "stages": result.seconds,
                    }
                )
        finally:
            path.unlink(missing_ok=True)
    return {"runs": runs, "lexicon_s": lexicon_s}


def child_flashgeotext(corpus: Path) -> dict:
    from flashgeotext.geotext import GeoText

    texts = [p.read_text("utf-8") for p in sorted(corpus.glob("*.txt"))]
    clock = _clock()  # the build's stages and this baseline on the same clock
    started = clock()
    geotext = GeoText()
    load_s = clock() - started
    started = clock()
    found = 0
    for text in texts:
        result = geotext.extract(input_text=text, span_info=True)
        found += sum(len(v["span_info"]) for g in result.values() for v in g.values())
    seconds = clock() - started
    return {
        "load_s": load_s,
        "seconds": seconds,
        "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
        "mentions": found,
        "peak_mb": _peak_mb(),
    }


def run_child(*args: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV)
    if done.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the benchmark ----------------------------------------------------------------------------


def prepare_corpora(work: Path, sizes: list[int]) -> dict[int, Path]:
    """The largest corpus is generated once; smaller ones link to its first documents."""
    from make_corpus import write_corpus

    largest = max(sizes)
    full = work / f"corpus-{largest}"
    names = sorted(p.name for p in full.glob("*.txt")) if full.is_dir() else []
    if len(names) != largest:
        shutil.rmtree(full, ignore_errors=True)
        write_corpus(largest, full)
        names = sorted(p.name for p in full.glob("*.txt"))
    corpora = {largest: full}
    for size in sizes:
        if size == largest:
            continue
        folder = work / f"corpus-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name in names[:size]:
            (folder / name).symlink_to(full / name)
        corpora[size] = folder
    return corpora


def median_run(runs: list[dict]) -> dict:
    """Per-stage and overall medians of several runs (other fields from the first)."""
    merged = dict(runs[0])
    merged["seconds"] = {s: statistics.median(r["seconds"][s] for r in runs) for s in STAGES}
    for key in ("wall", "peak_mb", "index_load_s", "lexicon_s", "cpu", "load"):
        merged[key] = statistics.median(r[key] for r in runs)
    merged["runs"] = len(runs)
    return merged


def build_once(corpus: Path, work: Path, tag: str, jobs: int, cache: bool) -> dict:
    out = work / f"out-{tag}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return run_child("build", str(corpus), str(out), str(jobs), "1" if cache else "0")


def mbps(mb: float, seconds: float) -> float:
    return mb / seconds if seconds > 0 else float("inf")


def stage_table(results: dict[int, dict]) -> list[str]:
    head = "| documents | MB | claims | places | " + " | ".join(STAGES)
    head += " | all stages | MB per CPU s | wall s | peak RSS MB | runs |"
    lines = [head, "|" + "---|" * (len(STAGES) + 9)]
    for size, r in sorted(results.items()):
        total = sum(r["seconds"].values())
        cells = " | ".join(f"{mbps(r['mb'], r['seconds'][s]):.2f}" for s in STAGES)
        lines.append(
            f"| {size:,} | {r['mb']:.1f} | {r['claims']:,} | {r['places']:,} | {cells} "
            f"| **{mbps(r['mb'], total):.2f}** | {mbps(r['mb'], r.get('cpu', 0)):.2f} "
            f"| {r['wall']:.1f} | {r['peak_mb']:.0f} "
            f"| {r['runs']} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/geo-bench-build"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of sizes up to 1,000")
    parser.add_argument("--large-repeat", type=int, default=1, help="runs of larger sizes")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument(
        "--skip", default="", help="comma-separated: index,jobs,incremental,baseline"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--resume", action="store_true", help="keep the phases OUT/build.json already has"
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default=os.environ.get(CLOCK_ENV) or "wall",
        help="time the stages in wall seconds, or in CPU seconds of the processes that run "
        "them (the MB/s columns are then MB per CPU s)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ[CLOCK_ENV] = CHILD_ENV[CLOCK_ENV] = args.clock

    if args.child:
        kind, *rest = args.child
        if kind == "index":
            result = child_index(rest[0])
        elif kind == "build":
            result = child_build(Path(rest[0]), Path(rest[1]), int(rest[2]), rest[3] == "1")
        elif kind == "spin":
            result = child_spin()
        elif kind == "incremental":
            result = child_incremental(Path(rest[0]), Path(rest[1]), int(rest[2]), int(rest[3]))
        else:
            result = child_flashgeotext(Path(rest[0]))
        print(json.dumps(result))
        return 0

    sizes = sorted(int(s) for s in args.sizes.split(","))
    skip = set(filter(None, args.skip.split(",")))
    largest = sizes[-1]
    args.work.mkdir(parents=True, exist_ok=True)
    report: dict = {"sizes": sizes, "jobs": args.jobs, "cores": os.cpu_count()}
    saved = args.out / "build.json"
    if args.resume and saved.exists():  # phases measured by an interrupted run are kept
        report = json.loads(saved.read_text(encoding="utf-8"))
        report["builds"] = {int(k): v for k, v in report.get("builds", {}).items()}
        report["baseline"] = {int(k): v for k, v in report.get("baseline", {}).items()}
    failures: list[str] = []

    def keep() -> None:
        args.out.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if "index" not in skip and "index_load" not in report:
        say("gazetteer index: build once, cached load x3")
        report["index_build"] = run_child("index", "build")
        loads = [run_child("index", "load") for _ in range(3)]
        report["index_load"] = {
            "seconds": statistics.median(r["seconds"] for r in loads),
            "rss_mb": statistics.median(r["rss_mb"] for r in loads),
            "cache_file_mb": loads[0]["cache_file_mb"],
            "places": loads[0]["places"],
        }
        keep()

    say(f"corpora {sizes} in {args.work}")
    corpora = prepare_corpora(args.work, sizes)

    builds: dict[int, dict] = report.setdefault("builds", {})
    for size in sizes:
        if size in builds:
            continue
        repeat = args.repeat if size <= 1000 else args.large_repeat
        say(f"build {size:,} documents, one job, x{repeat}")
        runs = [
            build_once(corpora[size], args.work, f"{size}-j1", 1, cache=True) for _ in range(repeat)
        ]
        builds[size] = median_run(runs)
        keep()

    if "jobs" not in skip and args.jobs > 1 and "parallel" not in report:
        say(f"build {largest:,} documents, {args.jobs} jobs, between two measures of the cores")
        before = run_child("spin")
        parallel = build_once(
            corpora[largest], args.work, f"{largest}-j{args.jobs}", args.jobs, True
        )
        after = run_child("spin")
        one = builds[largest]
        speedup = sum(one["seconds"].values()) and one["wall"] / parallel["wall"]
        identical = (one["claims_sha"], one["places_sha"]) == (
            parallel["claims_sha"],
            parallel["places_sha"],
        )
        report["parallel"] = {
            **parallel,
            "speedup": speedup,
            "identical": identical,
            "machine_parallelism": (before["parallelism"] + after["parallelism"]) / 2,
            "cpu_overhead": parallel["cpu"] / one["cpu"],
        }
        keep()

    if "incremental" not in skip and "incremental" not in report:
        tag = f"{largest}-j{args.jobs}" if "parallel" in report else f"{largest}-j1"
        out = args.work / f"out-{tag}"
        say(f"incremental: add one document to {largest:,} (in-process x3, then the CLI)")
        inc = run_child("incremental", str(corpora[largest]), str(out), str(10**7), "3")
        adds = [r for r in inc["runs"] if r["action"] == "add"]
        removes = [r for r in inc["runs"] if r["action"] == "remove"]
        name_text = None
        from make_corpus import make_document

        name_text = make_document(10**7 + 100)
        new_path = corpora[largest] / name_text[0]
        new_path.write_text(name_text[1], encoding="utf-8")
        try:
            command = [
                sys.executable, "-m", "geo", "build", "--corpus", str(corpora[largest]),
                "--out", str(out), "--jobs", "1",
            ]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV)
            cli_s = time.perf_counter() - started
        finally:
            new_path.unlink(missing_ok=True)
        report["incremental"] = {
            "add_s": statistics.median(r["seconds"] for r in adds),
            "add_geoparsed": sorted({r["geoparsed"] for r in adds}),
            "add_stages": adds[len(adds) // 2]["stages"],
            "remove_s": statistics.median(r["seconds"] for r in removes),
            "remove_geoparsed": sorted({r["geoparsed"] for r in removes}),
            "cli_s": cli_s,
            "cli_message": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "",
        }
        keep()

    if "baseline" not in skip:
        report.setdefault("baseline", {})
        for size in sizes:
            if size in report["baseline"]:
                continue
            repeat = args.repeat if size <= 1000 else args.large_repeat
            say(f"flashgeotext over {size:,} documents x{repeat}")
            runs = [run_child("flashgeotext", str(corpora[size])) for _ in range(repeat)]
            report["baseline"][size] = {
                **runs[0],
                "seconds": statistics.median(r["seconds"] for r in runs),
                "load_s": statistics.median(r["load_s"] for r in runs),
            }
            keep()

    sizes_sorted = sorted(builds)
    growth = []
    for small, big in zip(sizes_sorted, sizes_sorted[1:], strict=False):
        a, b = (sum(builds[s]["seconds"].values()) for s in (small, big))
        cpu_a, cpu_b = (builds[s].get("cpu", float("nan")) for s in (small, big))
        factor = (cpu_b / cpu_a) * (small * 10 / big)  # CPU seconds, normalised to a 10x step
        growth.append((small, big, b / a, cpu_b / cpu_a))
        if factor > FLOORS["growth_per_10x"]:
            failures.append(f"{small}->{big} documents cost {cpu_b / cpu_a:.1f}x the CPU time")
    report["growth"] = growth
    if "parallel" in report:
        parallel = report["parallel"]
        if not parallel["identical"]:
            failures.append("the parallel build's output differs from the one-job build's")
        # Only when the machine had the cores to give (its own two-process speed-up near 2).
        if parallel["speedup"] < FLOORS["jobs_speedup"] and parallel["machine_parallelism"] > 1.8:
            failures.append(
                f"--jobs {args.jobs} speed-up {parallel['speedup']:.2f} < {FLOORS['jobs_speedup']}"
            )
    incremental = report.get("incremental")
    if incremental and (incremental["add_geoparsed"], incremental["remove_geoparsed"]) != (
        [1],
        [0],
    ):
        failures.append("an incremental rebuild geoparsed more than the new document")

    text = render(report, args)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "build.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "build.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def render(report: dict, args) -> str:
    builds = report["builds"]
    lines = [
        "# Build benchmark",
        "",
        f"`python bench/build.py --sizes {','.join(map(str, report['sizes']))} "
        f"--repeat {args.repeat} --large-repeat {args.large_repeat} --jobs {args.jobs}` "
        f"on {report['cores']} cores; corpus: bench/make_corpus.py (seed 0). "
        "Medians of the runs; ratios from one run.",
        "",
        "## Throughput per stage, one job (MB of text per second; index loaded beforehand)",
        "",
        (
            "Stage columns: CPU time of each stage (--clock cpu). "
            if args.clock == "cpu"
            else "Stage columns: wall-clock time of each stage. "
        )
        + "MB per CPU s: the whole build's user + system "
        "CPU time, which other users' load on the shared cores does not inflate.",
        "",
        *stage_table(builds),
        "",
        "Growth, time of all stages (CPU seconds of the build): "
        + "; ".join(
            f"{a:,} → {b:,} documents: {r:.2f}x ({c:.2f}x)" for a, b, r, c in report["growth"]
        )
        + ". The machine is shared: CPU seconds are the steadier measure; "
        + "; ".join(
            f"{size:,}: {r['cpu']:.1f} CPU s in {r['wall']:.1f} s, load {r.get('load', 0):.1f}"
            for size, r in sorted(builds.items())
        )
        + ".",
    ]
    if "index_build" in report:
        build, load = report["index_build"], report["index_load"]
        lexicon = statistics.median(r.get("lexicon_s", float("nan")) for r in builds.values())
        lines += [
            "",
            "## Gazetteer index (the lead's targets: cached load < 1 s, < 500 MB resident)",
            "",
            "| | seconds | resident MB | places | cache file MB |",
            "|---|---|---|---|---|",
            f"| one-time build (`build_index`) | {build['seconds']:.1f} | {build['rss_mb']:.0f} "
            f"| {build['places']:,} | |",
            f"| cached load (`load_index`, median of 3) | {load['seconds']:.2f} "
            f"| {load['rss_mb']:.0f} | {load['places']:,} | {load['cache_file_mb']:.0f} |",
            f"| then the recogniser's word frequencies (wordfreq table, once per process; "
            f"median over the build runs) | {lexicon:.2f} | | | |",
        ]
    if "parallel" in report:
        p, one = report["parallel"], builds[max(builds)]
        lines += [
            "",
            f"## Parallel build, {max(builds):,} documents (target ≥ 1.7x on 2 cores)",
            "",
            "| jobs | wall s (stages + merge) | MB/s | peak RSS MB, parent / workers | output |",
            "|---|---|---|---|---|",
            f"| 1 | {one['wall']:.1f} | {one['mb'] / one['wall']:.2f} | {one['peak_mb']:.0f} | "
            f"claims {one['claims_sha']} |",
            f"| {args.jobs} | {p['wall']:.1f} | {p['mb'] / p['wall']:.2f} | {p['peak_mb']:.0f} / "
            f"{p['workers_peak_mb']:.0f} | claims {p['claims_sha']} |",
            "",
            f"Speed-up **{p['speedup']:.2f}x**; outputs "
            f"{'identical' if p['identical'] else 'DIFFERENT'} (sha256 of claims.csv and places.csv)."
            f" CPU seconds with {args.jobs} jobs / one job: {p['cpu_overhead']:.2f} (the cost of "
            f"forking and merging). The machine's own speed-up for two processes of a CPU-bound "
            f"loop, measured just before and after: {p['machine_parallelism']:.2f}x "
            f"(other users' load: {p.get('load', 0):.1f}).",
        ]
    if "incremental" in report:
        inc = report["incremental"]
        stages = ", ".join(f"{s} {v:.2f} s" for s, v in inc["add_stages"].items())
        lines += [
            "",
            f"## Incremental rebuild, {max(builds):,} documents built (target < 2 s)",
            "",
            "| change | geoparsed | seconds (median of 3, index loaded) |",
            "|---|---|---|",
            f"| one document added | {', '.join(map(str, inc['add_geoparsed']))} | **{inc['add_s']:.2f}** ({stages}) |",
            f"| that document removed | {', '.join(map(str, inc['remove_geoparsed']))} | {inc['remove_s']:.2f} |",
            "",
            f"The same through the command line, a fresh process loading the index: "
            f"{inc['cli_s']:.1f} s (`python -m geo build --jobs 1`: {inc['cli_message']}).",
        ]
    if "baseline" in report:
        lines += [
            "",
            "## Baseline: flashgeotext, recognition only, same corpus",
            "",
            "| documents | flashgeotext MB/s (load s) | ours, find MB/s | ours, all stages MB/s "
            "| find / flashgeotext | all / flashgeotext |",
            "|---|---|---|---|---|---|",
        ]
        for size, base in sorted(report["baseline"].items(), key=lambda kv: int(kv[0])):
            ours = builds[int(size)]
            flash = mbps(base["mb"], base["seconds"])
            find = mbps(ours["mb"], ours["seconds"]["find"])
            whole = mbps(ours["mb"], sum(ours["seconds"].values()))
            lines.append(
                f"| {int(size):,} | {flash:.2f} ({base['load_s']:.1f}) | {find:.2f} | {whole:.2f} "
                f"| {find / flash:.2f} | {whole / flash:.2f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
