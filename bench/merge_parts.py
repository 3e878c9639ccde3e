"""The cluster build's final step alone: merging Parquet parts into claims.parquet and writing
claims.csv from it, at growing numbers of claims, with the peak memory of the process doing it.

    python bench/merge_parts.py BUILT_CLAIMS_PARQUET [--claims 200000,1000000,4000000]

The parts are cut from a built claims.parquet (e.g. bench/scale.py's repeated large build) in
parts of PART_ROWS rows, as the workers write them (one per task of 50 documents: about 3,700
claims); each size is merged in a fresh child process, whose peak resident memory
(ru_maxrss) is what the build process would hold for that step. Writes bench/results/merge_parts.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "bench" / "results"
PART_ROWS = 3_700

CHILD = """
import sys, time, resource
from pathlib import Path
from geo.store import claims_file
from geo.store.claims_parquet import merge_parts
parts, out, rows = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
runs, left = [], rows
for part in sorted(parts.iterdir()):
    n = min(left, {part_rows})
    runs.append((str(part), 0, n))
    left -= n
    if not left:
        break
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
merge_parts(runs, out / "claims.parquet")
merged = time.perf_counter()
claims_file.write_claims_text(claims_file.parquet_lines(out / "claims.parquet"), out / "claims.csv")
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(base, peak, merged - started, done - merged)
"""


def cut_parts(source: Path, folder: Path, rows: int) -> None:
    """Parts of PART_ROWS rows from the first `rows` claims of `source`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    parquet = pq.ParquetFile(source)
    for batch in parquet.iter_batches(batch_size=PART_ROWS):
        pq.write_table(
            pa.Table.from_batches([batch]),
            folder / f"part-{written:09d}.parquet",
            compression="zstd",
        )
        written += batch.num_rows
        if written >= rows:
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims_parquet", type=Path)
    parser.add_argument("--claims", default="200000,1000000,4000000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/geo-merge-parts"))
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.claims.split(",")]
    shutil.rmtree(args.work, ignore_errors=True)
    parts = args.work / "parts"
    cut_parts(args.claims_parquet, parts, max(sizes))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rows = []
    for n in sizes:
        out = args.work / f"out-{n}"
        out.mkdir()
        done = subprocess.run(
            [sys.executable, "-c", CHILD.format(part_rows=PART_ROWS), str(parts), str(out),
             str(n)],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        base, peak, merge_s, csv_s = map(float, done.stdout.split())
        rows.append((n, -(-n // PART_ROWS), merge_s, csv_s, base, peak))
        print(f"{n:,} claims: merge {merge_s:.1f} s, csv {csv_s:.1f} s, peak {peak:.0f} MB",
              file=sys.stderr)  # fmt: skip
        shutil.rmtree(out)
    lines = [
        "# Merging a cluster build's parts (`python bench/merge_parts.py`)",
        "",
        f"Parts of {PART_ROWS:,} claims (a task of 50 documents) cut from a built claims.parquet; "
        "each size merged into claims.parquet (row groups of 131,072 claims) and written out as "
        f"claims.csv in a fresh process. Machine: {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        "| claims | parts | merge s | claims.csv s | process after imports MB | peak MB |",
        "|---|---|---|---|---|---|",
        *(
            f"| {n:,} | {p:,} | {m:.1f} | {c:.1f} | {b:.0f} | {k:.0f} |"
            for n, p, m, c, b, k in rows
        ),  # fmt: skip
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "merge_parts.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
