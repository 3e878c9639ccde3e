"""The cluster build's merge of Parquet parts into claims.parquet, as it was (one process, the
client, decoding and encoding every claim) and as it is (merge tasks on the workers, one per
segment of whole row groups, then the client stitching the segments' bytes), at growing numbers of
claims, with the peak memory of each process.

    python bench/merge_parts.py BUILT_CLAIMS_PARQUET [--claims 200000,1000000,4000000]

The parts are cut from a built claims.parquet (e.g. bench/scale.py's repeated large build) in
parts of PART_ROWS rows, as the workers write them (one per task of 50 documents: about 3,700
claims). Every step runs in a fresh child process, whose peak resident memory (ru_maxrss) is what
that step holds; the merge tasks run one after the other here (on a cluster they run side by side:
the workers' wall clock is about the longest task). Both files must be byte-identical. Writes
bench/results/merge_parts.md.
"""

from __future__ import annotations

import argparse
import hashlib
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
from geo.build import cluster_build
from geo.store import claims_parquet
from geo.store.parquet_stitch import stitch_parquet
parts, out, rows, mode = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
runs, left = [], rows
for part in sorted(parts.iterdir()):
    n = min(left, {part_rows})
    runs.append((str(part), 0, n))
    left -= n
    if not left:
        break
size = cluster_build.SEGMENT_ROW_GROUPS * claims_parquet.ROW_GROUP_ROWS
plan = cluster_build.merge_plan(runs, size)
started = time.perf_counter()
if mode == "whole":
    claims_parquet.merge_parts(runs, out)
elif mode == "count":
    print(len(plan))
    sys.exit(0)
elif mode == "stitch":
    stitch_parquet([str(out.parent / f"segment-{{k}}.parquet") for k in range(len(plan))], out)
else:
    claims_parquet.merge_parts(plan[int(mode)], out)
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def cut_parts(source: Path, folder: Path, rows: int) -> None:
    """Parts of PART_ROWS rows, `rows` claims in all, from `source` (read again from its start
    when it has fewer)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    while written < rows:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=PART_ROWS):
            pq.write_table(
                pa.Table.from_batches([batch]),
                folder / f"part-{written:09d}.parquet",
                compression="zstd",
            )
            written += batch.num_rows
            if written >= rows:
                return


def _child(parts: Path, out: Path, rows: int, mode: str) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(part_rows=PART_ROWS), str(parts), str(out), str(rows),
         mode],
        check=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    return [float(v) for v in done.stdout.split()]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    rows = []
    for n in sizes:
        out = args.work / f"out-{n}"
        out.mkdir()
        whole_s, whole_mb = _child(parts, out / "whole.parquet", n, "whole")
        (segments,) = _child(parts, out / "x", n, "count")
        tasks = [
            _child(parts, out / f"segment-{k}.parquet", n, str(k)) for k in range(int(segments))
        ]
        stitch_s, stitch_mb = _child(parts, out / "claims.parquet", n, "stitch")
        same = _sha(out / "whole.parquet") == _sha(out / "claims.parquet")
        mb = (out / "claims.parquet").stat().st_size / 1e6
        rows.append(
            (n, -(-n // PART_ROWS), whole_s, whole_mb, tasks, stitch_s, stitch_mb, mb, same)
        )
        print(f"{n:,} claims: one process {whole_s:.1f} s; {len(tasks)} tasks, longest "
              f"{max(t[0] for t in tasks):.1f} s; stitch {stitch_s:.2f} s", file=sys.stderr)  # fmt: skip
        shutil.rmtree(out)
    lines = [
        "# Merging a cluster build's parts (`python bench/merge_parts.py`)",
        "",
        f"Parts of {PART_ROWS:,} claims (a task of 50 documents) cut from a built claims.parquet "
        "(row groups of 131,072 claims). Before: the client merges every part into "
        "claims.parquet, decoding and encoding each claim, in one process. Now: merge tasks on "
        "the workers, one per segment of 8 row groups (1,048,576 claims), then the client "
        "stitches the segments' bytes. Each step in a fresh process (peak = its ru_maxrss); "
        "the tasks ran one after the other here, side by side on a cluster. Machine: "
        f"{os.cpu_count()} cores shared with other work, load {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| claims | parts | one process s | its peak MB | merge tasks | longest task s | all tasks s | task peak MB | stitch s | stitch peak MB | claims.parquet MB | same bytes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {n:,} | {p:,} | {ws:.1f} | {wm:.0f} | {len(t)} | {max(x[0] for x in t):.1f} | "
            f"{sum(x[0] for x in t):.1f} | {max(x[1] for x in t):.0f} | {ss:.2f} | {sm:.0f} | "
            f"{mb:.1f} | {'yes' if same else 'NO'} |"
            for n, p, ws, wm, t, ss, sm, mb, same in rows
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "merge_parts.md").write_text(text, encoding="utf-8")
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
