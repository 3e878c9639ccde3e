"""What one rerun of the dashboard costs the server, in CPU seconds: steady when the machine is shared.

    python bench/app_rerun_cpu.py [--corpus DIR] [--repeat 30] [--profile OUT.txt]

Starts `streamlit run app.py` on 127.0.0.1 and drives one session through Streamlit's websocket
protocol (bench/streamlit_ws.py), alone: page loads, filter changes (one source after another in
the sidebar; "new state": with a range of years no rerun asked for before) and place selections (the place list, as the whole script's rerun and as the rerun of
the map-and-panel fragment alone, which is what a click in a browser asks). For each rerun it
reads the server process's CPU time (user + system) before sending it and after its "script
finished": other engineers' load on the machine stretches the wall time, hardly the CPU time
(which the kernel counts in ticks of 10 ms: the mean over many reruns is the figure to read).
With `--profile`, py-spy samples the server meanwhile and the functions that took most of its time
(own and cumulative) are written to OUT.txt.

Prints a table (mean and p90 of CPU seconds, median and p90 of wall seconds, and the bytes sent
per rerun) and writes it to bench/results/app_rerun_cpu.md. To compare with another commit, run
this script from a worktree of that commit (it drives the app next to it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit_server  # noqa: E402
from streamlit_ws import ProtocolSession  # noqa: E402

from geo.build.pipeline import DEFAULT_CORPUS  # noqa: E402


def cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


async def drive(url: str, proc: psutil.Process, repeat: int, warmed=lambda: None) -> dict:
    """(cpu s, wall s, bytes) per rerun, by kind of rerun; `warmed()` is called once the corpus
    is built and each kind of rerun has run once."""
    samples: dict[str, list[tuple]] = {"page load": [], "filter": [], "filter (new state)": [],
                                       "select (script)": [], "select (fragment)": []}  # fmt: skip

    async def timed(kind: str, session: ProtocolSession, **rerun) -> object:
        before = cpu_seconds(proc)
        run = await session.rerun(**rerun)
        samples[kind].append((cpu_seconds(proc) - before, run.seconds, run.received))
        if run.errors:
            raise RuntimeError(f"{kind}: {run.errors[:2]}")
        return run

    async with ProtocolSession(url, 600) as warm:  # the first run builds the corpus
        await warm.rerun()
        sources = warm.options("f_sources")
        warm.set("f_sources", sources[:1])
        await warm.rerun()
        warm.set("place", warm.options("place")[0])
        await warm.rerun()
        await warm.rerun(fragment_of="place")
    warmed()
    for i in range(repeat):
        async with ProtocolSession(url, 600) as session:
            await timed("page load", session)
            session.set("f_sources", [sources[i % len(sources)]])
            await timed("filter", session)
            # A state no session asked for before: a year range of its own.
            years = session.widgets["f_years"][1]
            first = years.min + (i // len(sources)) % max(1, int(years.max - years.min))
            session.set("f_years", [first, years.max])
            await timed("filter (new state)", session)
            session.set("f_sources", [sources[i % len(sources)]])
            session.set("f_years", [years.min, years.max])
            await timed("filter", session)
            places = session.options("place")
            session.set("place", places[i % len(places)])
            await timed("select (script)", session)
            session.set("place", places[(i + 1) % len(places)])
            await timed("select (fragment)", session, fragment_of="place")
    return samples


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def table(samples: dict[str, list[tuple]]) -> str:
    lines = [
        "| rerun | n | CPU s, mean / p90 | wall s, median / p90 | sent KB, median |",
        "|---|---|---|---|---|",
    ]
    for kind, rows in samples.items():
        cpu, wall, sent = ([r[i] for r in rows] for i in range(3))
        lines.append(
            f"| {kind} | {len(rows)} | {statistics.mean(cpu):.3f} / {percentile(cpu, 0.9):.3f} "
            f"| {statistics.median(wall):.3f} / {percentile(wall, 0.9):.3f} "
            f"| {statistics.median(sent) / 1024:.0f} |"
        )
    return "\n".join(lines)


def summarise_profile(raw: Path, top: int = 30) -> str:
    """py-spy's collapsed stacks -> the functions with most samples, own and cumulative (a
    function's lines added up)."""
    own: Counter = Counter()
    total: Counter = Counter()
    n = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        count = int(count)
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        n += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    out = [f"{n} samples of the server's thread holding the GIL", "", "own %  function"]
    out += [f"{100 * c / n:5.1f}  {f}" for f, c in own.most_common(top)]
    out += ["", "cumulative %  function"]
    out += [f"{100 * c / n:5.1f}  {f}" for f, c in total.most_common(top * 2)]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--profile", type=Path, help="py-spy the server; top functions to this file"
    )
    args = parser.parse_args()
    log = ROOT / "bench" / "results" / "app_rerun_cpu.server.log.tmp"
    server, url = streamlit_server.start(ROOT / "app.py", ["--corpus", str(args.corpus)], log, 600)
    spy = None
    try:
        proc = psutil.Process(server.pid)
        if args.profile and not shutil.which("py-spy"):
            raise SystemExit("--profile needs py-spy (pip install py-spy)")
        raw = args.profile.with_suffix(".raw") if args.profile else None

        def warmed() -> None:
            nonlocal spy
            if raw is not None:  # threads holding the GIL: the Python work that queues reruns
                spy = subprocess.Popen(
                    ["py-spy", "record", "--pid", str(server.pid), "--format", "raw", "--gil",
                     "--rate", "250", "--output", str(raw), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip

        load = os.getloadavg()[0]
        started = time.perf_counter()
        samples = asyncio.run(drive(url, proc, args.repeat, warmed))
        wall = time.perf_counter() - started
        rss = proc.memory_info().rss / 2**20
    finally:
        if spy is not None:
            spy.send_signal(2)  # py-spy writes its output on SIGINT
            spy.wait(timeout=60)
        streamlit_server.stop(server)
        log.unlink(missing_ok=True)
    text = (
        f"`python bench/app_rerun_cpu.py --repeat {args.repeat}` on {args.corpus.name}/, one "
        f"session at a time; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"{wall:.0f} s; server resident memory at the end {rss:.0f} MiB.\n\n"
        + table(samples)
        + "\n"
    )
    print(text)
    (ROOT / "bench" / "results" / "app_rerun_cpu.md").write_text(
        "# CPU time per rerun\n\n" + text, encoding="utf-8"
    )
    if args.profile:
        args.profile.write_text(summarise_profile(raw) + "\n", encoding="utf-8")
        print(f"profile: {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
