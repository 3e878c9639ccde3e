"""Dashboard speed at scale: server time per script run, map payload, time to markers in Chromium,
against the same dashboard drawing its places as one folium CircleMarker each (the baseline).

    python bench/app.py [--documents 10000] [--work DIR] [--repeat 5] [--skip apptest,browser]

The corpus is bench/make_corpus.py's (seed 0; the one bench/build.py made is reused when it is
there), built with `python -m geo build` into WORK/data, so the app starts with the build cached
on disk (WORK/data/.build-cache). Then:

- script functions, in this process, median of --repeat: the filters, the per-place summary, the
  places layer and the panel's page of claims, against the CircleMarker layer;
- the whole script under streamlit.testing's AppTest, ours and the baseline (bench/app_baseline.py
  swaps CircleMarkers into the real app): the first run in this process (build cache on disk), a
  new session (build in memory), a filter change and, for ours, a marker click (AppTest reruns the
  whole script; in the browser a click reruns only the map-and-panel fragment). The project
  functions the first run and a filter change spend their time in are listed (cumulative seconds,
  timed in the script's thread);
- map payload: what st_folium sends (base map script and places layer), ours and baseline;
- in headless Chromium (Debian's /usr/bin/chromium through Playwright): from navigation to the
  first marker visible, ours and the baseline, each on its own `streamlit run` server.

Writes bench/results/app.md and app.json. Exits non-zero when the payload ratio to the baseline
regresses past FLOORS (a benchmark may fail loudly; tests never time anything).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit_server  # noqa: E402

# Children run the code next to this script (a copy of the tree benchmarks that copy).
CHILD_ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'bench'}"}
CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
FLOORS = {"payload_ratio": 2.0}  # the baseline's payload over ours must stay above this
TARGETS = {"first_run": 3.0, "filter": 0.5, "click": 0.3, "payload_mb": 2.0, "markers": 5.0}
# Modules whose functions the script-thread timer wraps.
TIMED_MODULES = ("geo.build.pipeline", "geo.dashboard.filters", "geo.dashboard.timeline", "geo.evidence.speakers", "geo.dashboard.mapview",
                 "geo.dashboard.panel", "geo.dashboard.evidence_ui", "geo.dashboard.evidence_map", "geo.dashboard.evidence_html",
                 "geo.dashboard.review_ui", "geo.build.review", "geo.store.export", "geo.evidence.movements", "geo.places.gazetteer",
                 "streamlit_folium")  # fmt: skip

BASELINE_APP = """
import runpy, sys
sys.path.insert(0, {bench!r})
import app_baseline
app_baseline.patch()
runpy.run_path({app!r}, run_name="__main__")
"""


def write_baseline_app(work: Path) -> Path:
    script = work / "baseline_app.py"
    text = BASELINE_APP.format(bench=str(ROOT / "bench"), app=str(ROOT / "app.py"))
    script.write_text(text, encoding="utf-8")
    return script


def median_time(function, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def ensure_built(documents: int, work: Path) -> tuple[Path, Path, str]:
    """The corpus, and its places file with the build cache next to it."""
    from make_corpus import write_corpus

    corpus = Path("/tmp/geo-bench-build") / f"corpus-{documents}"
    if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != documents:
        corpus = work / f"corpus-{documents}"
        if len(list(corpus.glob("*.txt"))) != documents:
            shutil.rmtree(corpus, ignore_errors=True)
            write_corpus(documents, corpus)
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    places = data / "places.csv"
    if not places.exists():
        shutil.copy(ROOT / "data" / "places.csv", places)
    command = [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out", str(data),
               "--places", str(places)]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=CHILD_ENV)
    if done.returncode:
        raise SystemExit(f"build failed: {done.stderr[-2000:]}")
    message = done.stderr.strip().splitlines()[-1]
    return corpus, places, f"{message} ({time.perf_counter() - started:.0f} s)"


# -- script functions ----------------------------------------------------------------------------


def function_timings(corpus: Path, places_csv: Path, repeat: int) -> dict:
    from app_baseline import circle_markers_layer

    from geo.build.cache import CACHE_DIRNAME
    from geo.build.pipeline import build_corpus
    from geo.dashboard import filters, mapview, panel
    from geo.store.excerpts import with_excerpts

    load_s, result = median_time(
        lambda: build_corpus(corpus, places_csv, cache_dir=places_csv.parent / CACHE_DIRNAME), 1
    )
    claims, places = result.claims, result.places
    out: dict = {
        "documents": len(result.documents),
        "claims": len(claims),
        "places": len(places),
        "load_from_build_cache_s": load_s,
    }
    everything = filters.ClaimFilter()
    cities = filters.ClaimFilter(kinds=frozenset({"city"}))
    years = filters.ClaimFilter(years=(2010, 2015))
    out["filter_all_s"], shown = median_time(
        lambda: filters.filter_claims(claims, places, everything), repeat
    )
    out["filter_cities_s"], _ = median_time(
        lambda: filters.filter_claims(claims, places, cities), repeat
    )
    out["filter_years_s"], _ = median_time(
        lambda: filters.filter_claims(claims, places, years), repeat
    )
    out["summary_s"], summary = median_time(lambda: filters.summarise_places(places, shown), repeat)
    out["sidebar_values_s"], _ = median_time(
        lambda: (
            filters.year_bounds(claims),
            filters.count_undated(claims),
            filters.sources_by_frequency(claims),
            filters.claim_speakers(claims).value_counts(),
        ),
        repeat,
    )
    busiest = summary.iloc[0]
    out["busiest_place"] = f"{busiest['name']} ({int(busiest['n_claims']):,} claims)"

    def panel_page():
        rows = filters.claims_for_place(shown, busiest["place_id"])
        page, n_pages = filters.page_of(rows, 1, 20)
        page = with_excerpts(page, result.texts())  # as the page does: cut from the texts
        return [panel.claim_card_html(c) for c in page.to_dict("records")], n_pages

    out["panel_page_s"], (cards, n_pages) = median_time(panel_page, repeat)
    out["panel_cards"], out["panel_pages"] = len(cards), n_pages
    out["layer_s"], _ = median_time(lambda: mapview.places_layer(summary), repeat)
    out["baseline_layer_s"], _ = median_time(lambda: circle_markers_layer(summary), repeat)
    out["shown_places"] = len(summary)
    out["_summary"] = summary
    return out


def payload_sizes(summary) -> dict:
    """What st_folium sends on a rerun: the map's script (with the basemap) and the places layer's."""
    from app_baseline import circle_markers_layer
    from streamlit_folium import _get_feature_group_string, generate_leaflet_string

    from geo.dashboard import mapview

    def sizes(group) -> tuple[int, int, float]:
        m = mapview.base_map()
        m.render()
        base = len(generate_leaflet_string(m, base_id="div"))
        started = time.perf_counter()
        layer = len(_get_feature_group_string(group, m))
        return base, layer, time.perf_counter() - started

    base, ours, ours_s = sizes(mapview.places_layer(summary))
    _, baseline, baseline_s = sizes(circle_markers_layer(summary))
    return {
        "base_map_bytes": base,
        "layer_bytes": ours,
        "baseline_layer_bytes": baseline,
        "layer_to_js_s": ours_s,
        "baseline_layer_to_js_s": baseline_s,
    }


# -- the whole script under AppTest --------------------------------------------------------------


@contextmanager
def script_thread_timer() -> dict:
    """Cumulative seconds per project function, counted in the script's thread (AppTest runs the
    script in a thread of its own, which cProfile would not see)."""
    totals: dict[str, float] = defaultdict(float)
    saved = []

    def wrap(name, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - started

        return timed

    for module_name in TIMED_MODULES:
        module = importlib.import_module(module_name)
        for attr, value in list(vars(module).items()):
            is_function = inspect.isfunction(value) and value.__module__ == module.__name__
            is_cached = type(value).__name__ == "CachedFunc"
            if (is_function or is_cached) and not attr.startswith("__"):
                saved.append((module, attr, value))
                setattr(module, attr, wrap(f"{module_name.removeprefix('geo.')}.{attr}", value))
    try:
        yield totals
    finally:
        for module, attr, value in saved:
            setattr(module, attr, value)


def _top(totals: dict[str, float], n: int = 12) -> list[tuple[str, float]]:
    return sorted(((k, v) for k, v in totals.items() if v >= 0.005), key=lambda kv: -kv[1])[:n]


def apptest_timings(script: Path, argv: list[str], repeat: int, busiest: str | None) -> dict:
    from streamlit.testing.v1 import AppTest

    sys.argv = [str(script), *argv]
    out: dict = {}

    def fresh() -> AppTest:
        return AppTest.from_file(str(script), default_timeout=7200)

    at = fresh()
    with script_thread_timer() as totals:
        started = time.perf_counter()
        at.run()
        out["first_run_s"] = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the app failed: {at.exception[0].message}")
    out["first_run_functions"] = _top(totals)

    out["new_session_s"], at = median_time(lambda: fresh().run(), repeat)
    (component,) = at.get("component_instance")
    out["payload_bytes"] = len(component.proto.json_args)

    def kinds():
        return next(m for m in at.sidebar.multiselect if m.label.startswith("Kinds"))

    filter_times = []
    with script_thread_timer() as totals:
        for k in range(repeat):
            widget = kinds()
            started = time.perf_counter()
            widget.set_value(["city"] if k % 2 == 0 else []).run()
            filter_times.append(time.perf_counter() - started)
    out["filter_change_s"] = statistics.median(filter_times)
    out["filter_functions"] = [(k, v / repeat) for k, v in _top(totals)]

    if busiest is not None:
        # Every kind again: the filter changes above may end on cities, which would hide the
        # busiest place (a country) and leave each click ignored.
        kinds().set_value([]).run()
        click_times = []
        with script_thread_timer() as totals:
            for k in range(repeat):
                answer = {
                    "last_active_drawing": {"properties": {"id": busiest}},
                    "last_object_clicked_count": k + 1,
                }
                # The real component is still built and sent; only its answer is the click.
                real = sys.modules["geo.dashboard.map_component"].show_map

                def clicked(*args, real=real, answer=answer, **kwargs):
                    real(*args, **kwargs)
                    return answer

                with mock.patch("geo.dashboard.page.show_map", side_effect=clicked):
                    started = time.perf_counter()
                    at.run()
                    click_times.append(time.perf_counter() - started)
        out["click_rerun_s"] = statistics.median(click_times)
        # The first click on a place also weighs its documents' resolutions (kept afterwards).
        out["click_first_s"] = click_times[0]
        out["click_functions"] = [(k, v / repeat) for k, v in _top(totals)]
        out["cards_rendered"] = sum(h.value.count('<div class="geo-claim"') for h in at.get("html"))
    return out


# -- browser ---------------------------------------------------------------------------------------


def browser_timings(apps: dict[str, Path], argv: list[str], work: Path, repeat: int,
                    timeout_s: float) -> dict:  # fmt: skip
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, script in apps.items():
                proc, url = streamlit_server.start(
                    script, argv, work / f"streamlit-{label}.log", 120, env=CHILD_ENV
                )
                try:
                    times = [_markers_visible(browser, url, timeout_s) for _ in range(repeat + 1)]
                finally:
                    streamlit_server.stop(proc)
                out[f"{label}_first_s"] = times[0]  # includes the server's first run
                out[f"{label}_s"] = statistics.median(times[1:])
        finally:
            browser.close()
    return out


def _markers_visible(browser, url: str, timeout_s: float) -> float:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator("path.leaflet-interactive").first.wait_for(
            state="visible", timeout=timeout_s * 1000
        )
        return time.perf_counter() - started
    finally:
        context.close()


# -- report ----------------------------------------------------------------------------------------


def render(report: dict, args) -> str:
    f, p = report["functions"], report["payload"]
    a, ab = report.get("apptest"), report.get("apptest_baseline")
    b = report.get("browser")
    lines = [
        "# Dashboard benchmark",
        "",
        f"`python bench/app.py --documents {args.documents} --repeat {args.repeat}`: "
        f"{f['documents']:,} documents, {f['claims']:,} claims, {f['places']:,} places; "
        f"build: {report['build']}. Medians of {args.repeat} runs unless noted; ratios from the "
        "same run. Baseline: the same app with one folium CircleMarker per place.",
        "",
        "## Server time",
        "",
        "| what | ours, s | baseline, s | target |",
        "|---|---|---|---|",
    ]

    def both(key: str, fmt: str = "{:.2f}") -> str:
        ours = fmt.format(a[key]) if a and key in a else "—"
        base = fmt.format(ab[key]) if ab and key in ab else "—"
        return f"**{ours}** | {base}"

    if a:
        lines += [
            f"| first full script run in a fresh process, build cached on disk (AppTest, 1 run) "
            f"| {both('first_run_s')} | < {TARGETS['first_run']} |",
            f"| first run of a new session, build cached in memory (AppTest) "
            f"| {both('new_session_s')} | < {TARGETS['first_run']} |",
            f"| filter change: place kinds (AppTest, whole script) | {both('filter_change_s')} "
            f"| < {TARGETS['filter']} |",
            f"| marker click, {f['busiest_place']} (AppTest reruns the whole script): "
            f"first click / median | {a['click_first_s']:.2f} / {a['click_rerun_s']:.2f} | | |",
        ]
    lines += [
        f"| marker click: the panel's work (claims of the place, one page of cards) "
        f"| **{f['panel_page_s']:.3f}** | | < {TARGETS['click']} |",
        f"| build from the build cache (`build_corpus`, 1 run) "
        f"| {f['load_from_build_cache_s']:.2f} | | |",
        f"| filter_claims: none / cities / 2010-2015 | {f['filter_all_s']:.3f} / "
        f"{f['filter_cities_s']:.3f} / {f['filter_years_s']:.3f} | | |",
        f"| summarise_places ({f['shown_places']:,} places) | {f['summary_s']:.3f} | | |",
        f"| sidebar values (years, undated, sources, speakers) | {f['sidebar_values_s']:.3f} | | |",
        f"| places layer (folium objects) | {f['layer_s']:.3f} | {f['baseline_layer_s']:.3f} | |",
        f"| places layer to JavaScript (what st_folium does) | {p['layer_to_js_s']:.2f} "
        f"| {p['baseline_layer_to_js_s']:.2f} | |",
        "",
        f"The busiest place's panel pages its claims: {f['panel_cards']} cards of "
        f"{f['panel_pages']} pages"
        + (f" (AppTest after a click: {a['cards_rendered']} cards rendered)." if a else "."),
    ]
    if a:
        lines += [
            "",
            "Where the first run's time goes (cumulative seconds in the script thread):",
            "",
        ]
        lines += [f"- `{name}` {seconds:.2f}" for name, seconds in a["first_run_functions"]]
        lines += ["", "And a filter change (seconds per change):", ""]
        lines += [f"- `{name}` {seconds:.3f}" for name, seconds in a["filter_functions"]]
        lines += ["", "And a marker click (seconds per click; the fragment's share is what a "
                  "browser click costs: map_and_panel's st_folium and the panel):", ""]  # fmt: skip
        lines += [f"- `{name}` {seconds:.3f}" for name, seconds in a["click_functions"]]
    ratio = p["baseline_layer_bytes"] / p["layer_bytes"]
    total = p["base_map_bytes"] + p["layer_bytes"]
    lines += [
        "",
        "## Map payload (what st_folium sends on every rerun)",
        "",
        "| | bytes |",
        "|---|---|",
        f"| base map script (Leaflet setup + Natural Earth basemap) | {p['base_map_bytes']:,} |",
        f"| places layer, one GeoJson (ours) | {p['layer_bytes']:,} |",
        f"| places layer, CircleMarkers (baseline) | {p['baseline_layer_bytes']:,} |",
        f"| **total, ours** | **{total / 1e6:.2f} MB** (target < {TARGETS['payload_mb']} MB); "
        f"baseline layer / ours = {ratio:.1f}x |",
    ]
    if a:
        lines.append(f"| st_folium arguments in AppTest, ours | {a['payload_bytes']:,} |")
    if ab:
        lines.append(f"| st_folium arguments in AppTest, baseline | {ab['payload_bytes']:,} |")
    if b:
        lines += [
            "",
            "## Headless Chromium: from navigation to the first marker visible",
            "",
            "| | first load (server's first run) | later loads (median) |",
            "|---|---|---|",
            f"| ours | {b['ours_first_s']:.2f} | **{b['ours_s']:.2f}** "
            f"(target < {TARGETS['markers']}) |",
            f"| baseline | {b['baseline_first_s']:.2f} | {b['baseline_s']:.2f} |",
            "",
            f"Baseline / ours, later loads: {b['baseline_s'] / b['ours_s']:.2f}x.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/geo-bench-app"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip", default="", help="comma-separated: apptest,baseline,browser")
    parser.add_argument("--marker-timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    args.work.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    say(f"corpus of {args.documents:,} documents and its build")
    corpus, places_csv, build = ensure_built(args.documents, args.work)
    app_argv = ["--corpus", str(corpus), "--places", str(places_csv)]
    baseline_app = write_baseline_app(args.work)
    report: dict = {"build": build}
    say("script functions and payload")
    functions = function_timings(corpus, places_csv, args.repeat)
    summary = functions.pop("_summary")
    report["functions"] = functions
    report["payload"] = payload_sizes(summary)
    if "apptest" not in skip:
        say("AppTest, ours: first run, new session, filter change, click")
        busiest = summary.iloc[0]["place_id"]
        report["apptest"] = apptest_timings(ROOT / "app.py", app_argv, args.repeat, busiest)
        if "baseline" not in skip:
            say("AppTest, baseline")
            report["apptest_baseline"] = apptest_timings(
                baseline_app, app_argv, max(1, args.repeat // 2), None
            )
    if "browser" not in skip:
        say("Chromium: time to markers, ours and baseline")
        apps = {"ours": ROOT / "app.py", "baseline": baseline_app}
        report["browser"] = browser_timings(
            apps, app_argv, args.work, min(args.repeat, 3), args.marker_timeout
        )
    text = render(report, args)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "app.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "app.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    ratio = report["payload"]["baseline_layer_bytes"] / report["payload"]["layer_bytes"]
    if ratio < FLOORS["payload_ratio"]:
        print(f"FAILED: payload ratio {ratio:.1f} < {FLOORS['payload_ratio']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
