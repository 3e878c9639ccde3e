"""The map's payload on built corpora of many distinct places (bench/many_places.py), against a
baseline checkout of the code in the same run.

    python bench/map_payload.py [--places 5000,50000] [--work DIR] [--baseline CHECKOUT]

Each row is a fresh `streamlit run app.py -- --built OUT` server (bench/streamlit_server.py),
driven over Streamlit's websocket protocol (bench/streamlit_ws.py): the server's first script run
(wall seconds, and the server process's CPU seconds, which a loaded machine does not inflate), the
bytes of that run's messages (the page's payload) and of its map element, the places the map draws
(from the page's notice), then the map zoomed in (level 8, on the place with the fewest claims) as
the map component reports it: that rerun's bytes. `--baseline` runs the same measures on another
checkout's app.py and src/ (e.g. `git worktree add /tmp/before main`). Target (issue 18): payload
< 2 MB. Writes bench/results/map_payload.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit_server  # noqa: E402
from many_places import write_many_places  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from streamlit_ws import ProtocolSession  # noqa: E402

# The page's notice; before the budget, the DuckDB page said "The map draws the N places ...".
_DRAWN = re.compile(r"Showing [\d,]+ of [\d,]+ places on the map|The map draws the [\d,]+ places")


def _cpu_s(pid: int) -> float:
    """User and system CPU seconds of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _built(work: Path, places: int) -> Path:
    out = work / f"places-{places}"
    if not (out / "claims-index").is_dir():
        started = time.perf_counter()
        made = write_many_places(out, places)
        print(f"{out}: {made} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return out


def _quietest(out: Path) -> tuple[float, float]:
    from geo.store.claims_query import ClaimsQuery
    from geo.store.schema import places_frame, read_places

    query = ClaimsQuery(out / "claims.parquet", places_frame(read_places(out / "places.csv")))
    try:
        place = query.summarise_places().iloc[-1]
    finally:
        query.close()
    return float(place["lat"]), float(place["lon"])


def _zoomed_value(lat: float, lon: float) -> str:
    return json.dumps(
        {
            "last_active_drawing": None,
            "last_object_clicked_count": 0,
            "zoom": 8,
            "bounds": {
                "_southWest": {"lat": lat - 0.8, "lng": lon - 1.3},
                "_northEast": {"lat": lat + 0.8, "lng": lon + 1.3},
            },
        }
    )


def measure(code: Path, out: Path, log: Path) -> dict:
    """One fresh server of `code`'s app.py on the build `out`."""
    env = {**os.environ, "PYTHONPATH": str(code / "src")}
    proc, url = streamlit_server.start(code / "app.py", ["--built", str(out)], log, 900, env=env)
    lat, lon = _quietest(out)

    async def visit() -> dict:
        async with ProtocolSession(url, 900) as session:
            before = _cpu_s(proc.pid)
            first = await session.rerun()
            cpu = _cpu_s(proc.pid) - before
            maps = [e for kind, e in first.elements if kind == "component_instance"]
            notice = next((m.group(0) for _, e in first.elements
                           if (m := _DRAWN.search(getattr(e, "body", "") or ""))), "")  # fmt: skip
            (key,) = [k for k, (kind, _) in session.widgets.items() if kind == "component_instance"]
            element = session.widgets[key][1]
            session.states[element.id] = WidgetState(
                id=element.id, json_value=_zoomed_value(lat, lon)
            )
            in_fragment = bool(session.fragments.get(key))
            zoomed = await session.rerun(fragment_of=key if in_fragment else None)
            zoomed_notice = next((m.group(0) for _, e in zoomed.elements
                                  if (m := _DRAWN.search(getattr(e, "body", "") or ""))), "")  # fmt: skip
            return {
                "first_s": first.seconds,
                "first_cpu_s": cpu,
                "payload_mb": first.received / 1e6,
                "map_mb": sum(len(e.SerializeToString()) for e in maps) / 1e6,
                "drawn": notice or "every place",
                "zoomed_mb": zoomed.received / 1e6,
                "zoomed_drawn": zoomed_notice or "every place",
                "errors": first.errors + zoomed.errors,
            }

    try:
        return asyncio.run(visit())
    finally:
        streamlit_server.stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", default="5000,50000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/map-payload"))
    parser.add_argument("--baseline", type=Path, help="another checkout to measure as well")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    codes = {"this code": ROOT}
    if args.baseline is not None:
        codes = {f"baseline ({args.baseline})": args.baseline, **codes}
    lines = [
        "| places | code | server's first run s (CPU s) | payload MB | map MB | map draws "
        "| zoomed in: payload MB | zoomed in: map draws | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n in (int(v) for v in args.places.split(",")):
        out = _built(args.work, n)
        for name, code in codes.items():
            r = measure(code, out, args.work / "server.log")
            lines.append(
                f"| {n:,} | {name} | {r['first_s']:.2f} ({r['first_cpu_s']:.2f}) | "
                f"{r['payload_mb']:.2f} | {r['map_mb']:.2f} | {r['drawn']} | "
                f"{r['zoomed_mb']:.2f} | {r['zoomed_drawn']} | {len(r['errors'])} |"
            )
            print(lines[-1], file=sys.stderr)
    text = "\n".join(
        [
            "# The map's payload with many places (`python bench/map_payload.py "
            + " ".join(argv if argv is not None else sys.argv[1:])
            + "`)",
            "",
            f"Machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the end. "
            "Built outputs of bench/many_places.py (real GeoNames towns and the countries; Zipf "
            "claim counts, about 2 claims per place). Target (issue 18): payload < 2 MB. "
            "'map draws': the page's notice ('every place': no notice). Zoomed in: the map "
            "component reports zoom 8 on the place with the fewest claims.",
            "",
            *lines,
        ]
    )
    print(text)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "map_payload.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
