"""One huge one-line document added to a running dashboard: the server's memory and filter changes.

    python bench/long_line.py [--megabytes 19] [--shape no-stops|prose] [--baseline-src DIR]
                              [--baseline-megabytes N] [--timeout 3600]

Starts `streamlit run app.py` on a copy of the seeds (its own places file, so its build cache is
its own), loads the page through Streamlit's websocket protocol (bench/streamlit_ws.py), changes
the sources filter a few times and reads the server's resident memory (VmRSS of its process, once
it has been steady for a few seconds: the review gazetteer loads in the background after the first
page). It adds a small document of one line first (50 KB: the cost of any change of the corpus,
such as a second build and review state kept beside the first, then counts as "before"), then one
of MEGABYTES of text on a single line with `python -m geo add`, loads the page again (the server
builds it), changes the filter again and reads the memory again.

While the server builds it, another session opens the page every PROBE_SECONDS: the table gives
how long each waited for the build's progress bar (the page answers other sessions during the
build), and the server process's CPU seconds over the build (a child process's not included).

The document is the synthetic reports of bench/make_corpus.py joined with spaces, no line break
anywhere; `--shape no-stops` also removes every full stop, question and exclamation mark, so that
every sentence runs to the splitter's cap (the worst case for a copy of the sentence per claim).

`--baseline-src DIR` runs the same steps first with the code in DIR (e.g. /work/main/src), for a
table of both in one run; `--baseline-megabytes` gives it a smaller document when the baseline
would take too long. Prints a table and writes it to bench/results/long_line.md.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import make_corpus  # noqa: E402
import streamlit_server  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit_ws import ProtocolSession  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "long_line.md"
FILTER_CHANGES = 6
UNIT_DOCUMENTS = 300  # distinct synthetic reports, repeated up to the size asked for
SOURCES_KEY = "f_sources"
CONTROL_MEGABYTES = 0.05  # the small document added before the large one
PROBE_SECONDS = 10.0  # during the build, another session opens the page this often


def long_line(megabytes: float, shape: str) -> str:
    """MEGABYTES (MiB, as UTF-8) of report text on one line."""
    parts = []
    for index in range(UNIT_DOCUMENTS):
        _, text = make_corpus.make_document(index)
        body = " ".join(text.split())
        if shape == "no-stops":
            body = re.sub(r"[.!?]", "", body)
        parts.append(body)
    unit = " ".join(parts) + " "
    target = int(megabytes * 1024 * 1024)
    copies = target // len(unit.encode("utf-8")) + 1
    data = (unit * copies).encode("utf-8")[:target]
    return data.decode("utf-8", "ignore").rsplit(" ", 1)[0] + "\n"


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def steady_rss(pid: int, seconds: float = 6.0, limit: float = 600.0) -> float:
    """VmRSS once it has changed by less than 1 MB over `seconds` (background loads done)."""
    deadline = time.monotonic() + limit
    last = rss_mb(pid)
    while time.monotonic() < deadline:
        time.sleep(seconds)  # sampling the server's memory; the benchmark waits here
        now = rss_mb(pid)
        if abs(now - last) < 1.0:
            return now
        last = now
    return last


async def page_and_filters(url: str, timeout: float) -> dict:
    """Load the page, then change the sources filter FILTER_CHANGES times; seconds of each."""
    async with ProtocolSession(url, timeout) as session:
        run = await session.rerun()
        load, errors = run.seconds, list(run.errors)
        showing = run.markdown("**Showing**")
        sources = session.options(SOURCES_KEY)
        times = []
        for k in range(FILTER_CHANGES):
            chosen = [] if k % 2 else [sources[k // 2 % len(sources)]]
            session.set(SOURCES_KEY, chosen)
            run = await session.rerun()
            times.append(run.seconds)
            errors += run.errors
    return {"load": load, "filters": times, "errors": errors, "showing": showing}


async def time_to_progress(url: str, timeout: float) -> float:
    """Seconds until a new session's page shows the build's progress bar (or finishes)."""
    async with ProtocolSession(url, timeout) as session:
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        started = time.perf_counter()
        await session.ws.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(session.ws.recv(), timeout))
            kind = forward.WhichOneof("type")
            if kind == "script_finished" or (
                kind == "delta"
                and forward.delta.WhichOneof("type") == "new_element"
                and forward.delta.new_element.WhichOneof("type") == "progress"
            ):
                return time.perf_counter() - started


async def build_with_probes(url: str, timeout: float, pid: int) -> tuple[dict, list[float], float]:
    """Load the page (the server builds the new document) while other sessions open the page
    every PROBE_SECONDS: their seconds to the progress bar, and the server's CPU seconds during
    the build (its own process; a child's are not counted)."""
    cpu = server_cpu(pid)
    build = asyncio.create_task(page_and_filters(url, timeout))
    probes: list[float] = []
    await asyncio.wait([build], timeout=PROBE_SECONDS)
    while not build.done():
        probes.append(await time_to_progress(url, timeout))
        await asyncio.wait([build], timeout=PROBE_SECONDS)
    return await build, probes, server_cpu(pid) - cpu


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def add(path: Path, text: str, corpus: Path, env: dict) -> float:
    """Write `text` to `path` and add it to the corpus with `python -m geo add`; its size in MB."""
    path.write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "geo", "add", "--corpus", str(corpus), str(path)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return path.stat().st_size / 2**20


def server_pid(proc: subprocess.Popen) -> int:
    return proc.pid  # `python -m streamlit run`: the server is this process


def measure(label: str, src: Path, megabytes: float, shape: str, work: Path, timeout: float):
    home = work / re.sub(r"\W+", "-", label).strip("-")
    shutil.rmtree(home, ignore_errors=True)
    corpus, data = home / "corpus", home / "data"
    shutil.copytree(ROOT / "seeds", corpus)
    data.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "places.csv", data / "places.csv")
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc, url = streamlit_server.start(
        ROOT / "app.py", ["--corpus", str(corpus), "--places", str(data / "places.csv")],
        home / "server.log", timeout, env=env,
    )  # fmt: skip
    pid = server_pid(proc)
    try:
        first = asyncio.run(page_and_filters(url, timeout))  # builds the seeds; warms up
        # A small one-line document first: what any change of the corpus costs the server (a
        # second build and review state kept beside the first) is in "before", not in the growth.
        add(home / "short-line.txt", long_line(CONTROL_MEGABYTES, shape), corpus, env)
        control = asyncio.run(page_and_filters(url, timeout))
        before = asyncio.run(page_and_filters(url, timeout))
        rss_before = steady_rss(pid)
        size_mb = add(home / "long-line.txt", long_line(megabytes, shape), corpus, env)
        started = time.perf_counter()
        # The server builds the new document; meanwhile other sessions open the page.
        after, probes, build_cpu = asyncio.run(build_with_probes(url, timeout, pid))
        build = after["load"]
        again = asyncio.run(page_and_filters(url, timeout))
        rss_after = steady_rss(pid)
        peak = rss_mb(pid, "VmHWM")
        wall = time.perf_counter() - started
    finally:
        streamlit_server.stop(proc)
    return {
        "label": label,
        "size_mb": size_mb,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "peak": peak,
        "build": build,
        "wall": wall,
        "probes": probes,
        "build_cpu": build_cpu,
        "filter_before": statistics.median(before["filters"]),
        "filter_after": statistics.median(again["filters"]),
        "showing": again["showing"],
        "errors": first["errors"]
        + control["errors"]
        + before["errors"]
        + after["errors"]
        + again["errors"],
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| code | document MB | RSS before MB | RSS after MB | growth MB (× file) | peak RSS MB | "
        "page load with build s | server CPU s in it | other sessions' progress bar p50 / max s "
        "| filter change before s | after s | sidebar after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        growth = r["rss_after"] - r["rss_before"]
        probes = r["probes"]
        probed = (
            f"{statistics.median(probes):.2f} / {max(probes):.2f} ({len(probes)})"
            if probes
            else "—"
        )
        lines.append(
            f"| {r['label']} | {r['size_mb']:.1f} | {r['rss_before']:.0f} | {r['rss_after']:.0f} | "
            f"{growth:.0f} (× {growth / r['size_mb']:.1f}) | {r['peak']:.0f} | {r['build']:.1f} | "
            f"{r['build_cpu']:.0f} | {probed} | "
            f"{r['filter_before']:.2f} | {r['filter_after']:.2f} | {r['showing']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=19.0)
    parser.add_argument("--shape", choices=("no-stops", "prose"), default="no-stops")
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--baseline-megabytes", type=float, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/geo-bench-long-line"))
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = []
    if args.baseline_src is not None:
        size = args.baseline_megabytes or args.megabytes
        rows.append(measure(f"baseline ({args.baseline_src})", args.baseline_src, size,
                            args.shape, args.work, args.timeout))  # fmt: skip
    rows.append(measure(f"this ({ROOT / 'src'})", ROOT / "src", args.megabytes, args.shape,
                        args.work, args.timeout))  # fmt: skip
    problems = [e for r in rows for e in r["errors"]]
    text = (
        "# One long line added to a running dashboard\n\n"
        f"`python bench/long_line.py {' '.join(sys.argv[1:])}`: the seeds, then one "
        f"`--shape {args.shape}` document on a single line added with `python -m geo add`. "
        "RSS: the server's resident memory once steady; growth is after minus before. Filter "
        f"change: median of {FILTER_CHANGES} changes of the sources filter, server time "
        f"(websocket protocol). Load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after.\n\n"
        + table(rows)
        + "\n\n"
        + ("Errors:\n" + "\n".join(f"- {p}" for p in problems) if problems else "No errors.")
        + "\n"
    )
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
