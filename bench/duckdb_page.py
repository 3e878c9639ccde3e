"""The DuckDB page (`--built OUT`) on a large build, against the same page without the build's
claims index and against the in-memory page on a build that still fits, in one run.

    python bench/duckdb_page.py --built OUT --corpus DIR [--small SMALL_OUT] [--no-index-row]
                                [--repeat N]

Each row is a fresh `streamlit run` server (bench/scale.py's `dashboard`): the server's first
script run, a later visitor's first run, a source filter (the busiest source), a place picked
from the list (the busiest of that source), the page's bytes and the server's resident memory.
The row "without the index" opens a copy of OUT that holds claims.parquet and places.csv only
(hard links), so its queries scan claims.parquet as before the index existed. Targets (issue 18):
first run < 3 s, filter < 0.5 s, click < 0.3 s, payload < 2 MB, server < 2 GB.
Writes bench/results/duckdb_page.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from scale import _rows, dashboard, dashboard_table  # noqa: E402

QUERY_KEYS = {"sources": "q_sources", "place": "q_place"}


def _bare_copy(built: Path, folder: Path) -> Path:
    """OUT's claims.parquet and places.csv only (hard links where the file system allows)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("claims.parquet", "places.csv"):
        try:
            os.link(built / name, folder / name)
        except OSError:
            shutil.copy2(built / name, folder / name)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--built", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--small", type=Path, help="a build small enough for the in-memory page")
    parser.add_argument("--no-index-row", action="store_true",
                        help="skip the row that opens the build without its claims index")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="fresh servers with the index")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="duckdb-page-"))
    rows = {}
    try:
        name = f"built, {_rows(args.built):,} claims (DuckDB"
        for run in range(1, args.repeat + 1):  # a fresh server each time: the load varies
            label = f", claims index, run {run})" if args.repeat > 1 else ", claims index)"
            rows[name + label] = dashboard(
                ["--built", str(args.built), "--corpus", str(args.corpus)], QUERY_KEYS,
                work / "q.log",
            )  # fmt: skip
        if not args.no_index_row:
            bare = _bare_copy(args.built, work / "bare")
            rows[name + ", claims.parquet only)"] = dashboard(
                ["--built", str(bare), "--corpus", str(args.corpus)], QUERY_KEYS, work / "b.log"
            )
        if args.small is not None:
            rows[f"in memory, {_rows(args.small):,} claims"] = dashboard(
                ["--corpus", str(args.corpus), "--places", str(args.small / "places.csv"),
                 "--in-memory"],
                {"sources": "f_sources", "place": "place"}, work / "m.log",
            )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"# The DuckDB page (`python bench/duckdb_page.py --built {args.built} ...`)",
        "",
        f"Machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the end. Targets: "
        "first run < 3 s, filter < 0.5 s, click < 0.3 s, payload < 2 MB, server < 2 GB.",
        "",
        *dashboard_table(rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "duckdb_page.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
