"""Many people at once: concurrent sessions that each filter and click, against one session.

    python bench/app_load.py [--client protocol|browser] [--sessions 10,20,50] [--corpus DIR]
                             [--timeout 240]

Starts `streamlit run app.py` on a free port of 127.0.0.1. With `--client protocol` (the default)
each simulated user is a websocket that speaks Streamlit's own protocol (bench/streamlit_ws.py):
what is measured is the server, from sending a rerun to its "script finished", and 50 sessions
cost this machine a few coroutines. With `--client browser` each is a context of headless
Chromium (Debian's /usr/bin/chromium through Playwright), so the times include the browser's
rendering and the browsers share the CPUs with the server. Each session loads the page, picks one
source in the sidebar and selects one place (the browser clicks its marker; the protocol client
sends the place list's value, which is what the click sets). Every session has its own (source,
place) pair while the corpus has enough; beyond that, pairs repeat.

First one session alone (the baseline), which also records what the sidebar says for each
source; then all sessions at once. After every session has clicked, each checks that its page
still shows its own place, its own source and the counts the baseline saw for that source: a
session that shows another's selection counts as an error. Latencies: page load (navigation to
the first marker), filter (pick to the new counts in the sidebar), click (click to the place's
heading in the panel). Every wait is bounded; a session that fails one is an error.

Prints a table and writes it to bench/results/app_load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit_server  # noqa: E402
from streamlit_ws import ProtocolSession  # noqa: E402

from geo.build.pipeline import DEFAULT_CORPUS, build_corpus  # noqa: E402
from geo.dashboard.mapview import AREA_KINDS, place_css_class  # noqa: E402

CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
RESULTS = ROOT / "bench" / "results" / "app_load.md"
CLICK_ATTEMPTS = 4


@dataclass
class Task:
    source: str
    place_id: str
    name: str
    lat: float
    lon: float


@dataclass
class Outcome:
    task: Task
    load: float | None = None
    filter: float | None = None
    click: float | None = None
    showing: str = ""
    retries: int = 0  # clicks that could not land and were tried again
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def plan(corpus: Path, sessions: int) -> list[Task]:
    """(source, place) pairs, all different: the busiest places of each source in turn. Towns and
    sites only: a country's ring, drawn under them, is not the marker a user would click."""
    build = build_corpus(corpus)
    claims = build.claims.merge(build.places, on="place_id", suffixes=("", "_place"))
    claims = claims[~claims["kind"].isin(AREA_KINDS)]
    by_source: dict[str, list[Task]] = {}
    for source, rows in claims.groupby("source"):
        busiest = (
            rows.groupby(["place_id", "name", "lat", "lon"]).size().sort_values(ascending=False)
        )
        by_source[source] = [
            Task(source, p, n, float(la), float(lo)) for (p, n, la, lo) in busiest.index
        ]
    tasks: list[Task] = []
    depth = 0
    while len(tasks) < sessions:
        added = [ts[depth] for ts in by_source.values() if depth < len(ts)]
        if not added:  # every pair is taken: later sessions repeat them, in the same order
            distinct = list(tasks)
            while len(tasks) < sessions:
                tasks += distinct
            break
        tasks += added
        depth += 1
    return tasks[:sessions]


async def sidebar_showing(page) -> str:
    text = await page.locator('[data-testid="stSidebar"]').inner_text()
    return next((line for line in text.splitlines() if line.startswith("Showing")), "")


async def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.05)  # polling the page; the benchmark, not a test, waits here
    raise TimeoutError(f"{what} after {timeout:.0f} s")


async def session(browser, url: str, task: Task, barrier, timeout: float, expected: dict):
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import expect

    outcome = Outcome(task)
    context = await browser.new_context(viewport={"width": 1500, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda exc: outcome.errors.append(f"page error: {exc}"))
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=timeout * 1000)
        marker = page.frame_locator(MAP_FRAME).first.locator(
            "path." + ".".join(place_css_class(task.place_id).split())
        )
        await expect(marker).to_have_count(1, timeout=timeout * 1000)
        outcome.load = time.perf_counter() - started

        before = await sidebar_showing(page)
        started = time.perf_counter()
        await page.get_by_role("combobox", name="Sources", exact=True).click(timeout=timeout * 1000)
        await page.get_by_role("option", name=task.source, exact=True).click(timeout=timeout * 1000)
        await page.keyboard.press("Escape")

        async def filtered() -> bool:
            return (await sidebar_showing(page)) not in ("", before)

        await wait_for(filtered, timeout, "the counts did not change after filtering")
        outcome.filter = time.perf_counter() - started
        outcome.showing = await sidebar_showing(page)

        # Zoom in as a user would, so that neighbours do not cover the marker; the map may still
        # be redrawing after the filter and move back, so zoom again if the click cannot land.
        for attempt in range(CLICK_ATTEMPTS):
            await expect(marker).to_have_count(1, timeout=timeout * 1000)
            await marker.evaluate(
                "(el, ll) => { window.map.setView(ll, 9, {animate: false}); }",
                [task.lat, task.lon],
            )
            started = time.perf_counter()
            try:
                await marker.click(timeout=timeout * 1000 / CLICK_ATTEMPTS)
                break
            except PlaywrightTimeout:
                if attempt == CLICK_ATTEMPTS - 1:
                    raise
                outcome.retries += 1
        heading = page.locator(".geo-place h3")
        await expect(heading).to_have_text(task.name, timeout=timeout * 1000)
        outcome.click = time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001  (any failure of a session is counted, not raised)
        lines = str(exc).splitlines()
        why = [line.strip() for line in lines if "intercepts" in line or "outside" in line][-1:]
        outcome.errors.append(f"{type(exc).__name__}: {' / '.join(lines[:1] + why)[:300]}")
    try:
        await asyncio.wait_for(barrier.wait(), 3 * timeout)  # all have clicked (or failed)
    except (TimeoutError, asyncio.BrokenBarrierError):
        outcome.errors.append("the other sessions did not finish in time")
    if not outcome.errors:
        # Each page still shows its own selection, and the counts one session alone saw.
        heading = (await page.locator(".geo-place h3").inner_text()).strip()
        if heading != task.name:
            outcome.wrong.append(f"heading {heading!r}, not {task.name!r}")
        chosen = await page.locator('[data-testid="stSidebar"] span[data-tag]').all_inner_texts()
        if task.source not in " ".join(chosen):
            outcome.wrong.append(f"sources {chosen}, not {task.source!r}")
        showing = await sidebar_showing(page)
        if task.source in expected and showing != expected[task.source]:
            outcome.wrong.append(f"{showing!r}, alone: {expected[task.source]!r}")
    await context.close()
    return outcome


async def protocol_session(url: str, task: Task, barrier, timeout: float, expected: dict):
    """One user through Streamlit's websocket protocol: load, pick the source, select the place."""
    outcome = Outcome(task)
    try:
        async with ProtocolSession(url, timeout) as session:
            run = await session.rerun()
            outcome.load = run.seconds
            outcome.errors += run.errors
            session.set("f_sources", [task.source])
            run = await session.rerun()
            outcome.filter = run.seconds
            outcome.errors += run.errors
            outcome.showing = run.markdown("**Showing**")
            label = next(
                (o for o in session.options("place") if o.startswith(f"{task.name} (")), None
            )
            if label is None:
                raise LookupError(f"{task.name} is not in the place list after the filter")
            session.set("place", label)
            run = await session.rerun()
            outcome.click = run.seconds
            outcome.errors += run.errors
            try:
                await asyncio.wait_for(barrier.wait(), 3 * timeout)
            except (TimeoutError, asyncio.BrokenBarrierError):
                outcome.errors.append("the other sessions did not finish in time")
            # Once every session has selected: a rerun of this one still shows its own view.
            run = await session.rerun()
            if f">{escape(task.name)}</h3>" not in run.html():
                outcome.wrong.append(f"the panel does not show {task.name!r}")
            showing = run.markdown("**Showing**")
            if task.source in expected and showing != expected[task.source]:
                outcome.wrong.append(f"{showing!r}, alone: {expected[task.source]!r}")
    except Exception as exc:  # noqa: BLE001  (any failure of a session is counted, not raised)
        outcome.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
        await barrier.abort()  # the others do not wait for this one
    return outcome


async def run_protocol(
    url: str, tasks: list[Task], timeout: float, expected: dict
) -> tuple[list[Outcome], float]:
    barrier = asyncio.Barrier(len(tasks))
    started = time.perf_counter()
    outcomes = await asyncio.wait_for(
        asyncio.gather(*(protocol_session(url, t, barrier, timeout, expected) for t in tasks)),
        6 * timeout,
    )
    return outcomes, time.perf_counter() - started


async def run(
    url: str, tasks: list[Task], timeout: float, expected: dict
) -> tuple[list[Outcome], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        barrier = asyncio.Barrier(len(tasks))
        started = time.perf_counter()
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(session(browser, url, t, barrier, timeout, expected) for t in tasks)),
            6 * timeout,
        )
        wall = time.perf_counter() - started
        await browser.close()
    return outcomes, wall


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def summary(outcomes: list[Outcome], wall: float) -> dict:
    row = {
        "sessions": len(outcomes),
        "errors": sum(bool(o.errors) for o in outcomes),
        "wrong": sum(bool(o.wrong) for o in outcomes),
        "retries": sum(o.retries for o in outcomes),
        "wall": wall,  # the whole run: for the crowd, the slowest session
    }
    for step in ("load", "filter", "click"):
        values = [getattr(o, step) for o in outcomes if getattr(o, step) is not None]
        row[step] = (statistics.median(values), percentile(values, 0.95)) if values else None
    return row


def table(rows: list[dict]) -> str:
    base = rows[0]

    def cell(row: dict, step: str) -> str:
        if row[step] is None:
            return "–"
        median, p95 = row[step]
        text = f"{median:.2f} / {p95:.2f}"
        if row is not base and base[step]:
            text += f" (×{median / base[step][0]:.1f})"
        return text

    lines = [
        "| sessions | errors | showed another's selection | page load s, median / p95 | "
        "filter s, median / p95 | click s, median / p95 | clicks retried | wall s | "
        "server CPU s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['sessions']} | {row['errors']} | {row['wrong']} | {cell(row, 'load')} | "
            f"{cell(row, 'filter')} | {cell(row, 'click')} | {row['retries']} | {row['wall']:.1f} | "
            f"{row['cpu']:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=("protocol", "browser"), default="protocol")
    parser.add_argument("--sessions", default="10,20,50", help="crowd sizes, comma-separated")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--timeout", type=float, default=600, help="seconds any one step may take")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sessions.split(",")]
    drive = run_protocol if args.client == "protocol" else run

    load_before = os.getloadavg()[0]
    tasks = plan(args.corpus, max(sizes))
    log = RESULTS.parent / "app_load.server.log.tmp"
    proc, url = streamlit_server.start(
        ROOT / "app.py", ["--corpus", str(args.corpus)], log, args.timeout
    )
    crowds: list[tuple[list[Outcome], float]] = []
    server = psutil.Process(proc.pid)
    cpu: list[float] = []  # the server's CPU seconds (user + system) for each row of the table

    def cpu_seconds() -> float:
        times = server.cpu_times()
        return times.user + times.system

    try:
        # Warm-up: the first session makes the server build the corpus; not measured.
        cold, cold_wall = asyncio.run(drive(url, tasks[:1], args.timeout, {}))
        # Baseline: one session per source, one after the other, alone.
        expected: dict[str, str] = {}
        alone: list[Outcome] = []
        alone_wall = 0.0
        before = cpu_seconds()
        for task in {t.source: t for t in reversed(tasks)}.values():
            outcomes, wall = asyncio.run(drive(url, [task], args.timeout, {}))
            alone += outcomes
            alone_wall = max(alone_wall, wall)
            if not outcomes[0].errors:
                expected[task.source] = outcomes[0].showing
        cpu.append(cpu_seconds() - before)
        for n in sizes:
            before = cpu_seconds()
            crowds.append(asyncio.run(drive(url, tasks[:n], args.timeout, expected)))
            cpu.append(cpu_seconds() - before)
        rss = server.memory_info().rss / 2**20
    finally:
        streamlit_server.stop(proc)
    rows = [summary(alone, alone_wall)] + [summary(c, wall) for c, wall in crowds]
    for row, seconds in zip(rows, cpu, strict=True):
        row["cpu"] = seconds
    rows[0]["sessions"] = f"1 (alone, × {len(alone)} sources)"
    report = table(rows)
    everyone = cold + alone + [o for c, _ in crowds for o in c]
    problems = [f"- {o.task.source} / {o.task.name}: {'; '.join(o.errors + o.wrong)}"
                for o in everyone if o.errors or o.wrong]  # fmt: skip
    if args.client == "protocol":
        how = (
            "each session a websocket speaking Streamlit's protocol (bench/streamlit_ws.py): it "
            "loads the page, picks a source and selects a place in the place list; times are "
            "the server's, from sending a rerun to its 'script finished'."
        )
    else:
        how = (
            "headless Chromium, one browser context per session: it loads the page, picks a "
            "source, zooms to a place and clicks its marker; the browser pages share the CPUs "
            "with the server."
        )
    text = (
        "# Concurrent sessions\n\n"
        f"`python bench/app_load.py --client {args.client} --sessions {args.sessions}` on "
        f"{args.corpus.name}/, {os.cpu_count()} CPUs, streamlit on 127.0.0.1, {how} Ratios (×) "
        "are to one session at a time. "
        f"(The first session, which makes the server build the corpus, took {cold_wall:.1f} s "
        "and is not counted.) Wall: the slowest session, start to finish. Load average "
        f"{load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after it (2 cores shared with "
        "other work: the server's CPU seconds are the steadier measure). Server resident memory "
        f"after the last crowd: {rss:.0f} MiB.\n\n"
        + report
        + "\n\n"
        + (
            "Problems:\n" + "\n".join(problems)
            if problems
            else "No errors; every session kept its own selection."
        )
        + "\n"
    )
    print(text)
    results = RESULTS if args.client == "browser" else RESULTS.with_name("app_load_protocol.md")
    results.write_text(text, encoding="utf-8")
    log.unlink(missing_ok=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
