"""The build on a real dask.distributed cluster: a `dask scheduler` and two `dask worker` processes
on 127.0.0.1, started here as a user would start them. The workers read the documents and write
the claims as Parquet parts; the files written equal the one-machine build's, incremental builds
included."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_parallel_build import REPORTS, write_reports

from geo.build import cluster_build, pipeline, review
from geo.build.cache import CACHE_DIRNAME
from geo.build.cluster_build import CLUSTER_CACHE_DIRNAME, build_on_cluster
from geo.build.parts_cache import MERGED_DIRNAME, PARTS_DIRNAME
from geo.build.pipeline import (
    CLAIMS_PARQUET,
    DEFAULT_PLACES_CSV,
    build_corpus,
    corpus_places_csv,
    write_outputs,
)
from geo.store import claims_parquet
from geo.store.claims_parquet import read_claims_parquet
from geo.store.schema import read_claims

# `python -m dask` is the `dask` command of the same interpreter, whatever PATH holds.
DASK = [sys.executable, "-m", "dask"]
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout="60s", set_as_default=False) as client:
        client.wait_for_workers(n, timeout=STARTUP_SECONDS)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory, gazetteer):
    """The address of a running scheduler with two single-threaded workers (the gazetteer fixture
    has built the index cache the workers load)."""
    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    def start(name: str, *args: str) -> subprocess.Popen:
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        return subprocess.Popen([*DASK, *args], stdout=log, stderr=subprocess.STDOUT, env=env)

    processes = [
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", port,
              "--dashboard-address", "127.0.0.1:0"),
    ]  # fmt: skip
    try:
        for i in range(2):
            processes.append(
                start(
                    f"worker{i}",
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--nworkers",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--dashboard-address",
                    "127.0.0.1:0",
                    "--memory-limit",
                    "0",
                )  # fmt: skip
            )
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def small_partitions(monkeypatch):
    """Two documents per task, so that a few documents make several tasks spread over the workers."""
    monkeypatch.setattr(pipeline, "CHUNK_DOCUMENTS", 2)


def varied_corpus(folder: Path) -> Path:
    """The reports, and the files a corpus holds besides them: a sources.csv row, a Windows-1252
    file, an empty one, a binary one, a hidden one, a second file of the same doc_id, a folder."""
    write_reports(folder, REPORTS)
    (folder / "sources.csv").write_text(
        "doc_id,outlet,published\nc_plain,The Gazette,2016-05\nnowhere,Nobody,\n"
    )
    (folder / "g_latin.txt").write_bytes(
        "Refugees reached Mosul from S\xe3o Paulo.\n".encode("cp1252")
    )
    (folder / "h_empty.txt").write_text("  \n")
    (folder / "i_binary.txt").write_bytes(b"\x00\x01\x02 Mosul \x00" * 20)
    (folder / ".j_hidden.txt").write_text("Mosul.\n")
    (folder / "a_mosul.md").write_text("Baghdad, again.\n")
    (folder / "notes.docx").write_bytes(b"PK")
    (folder / "sub").mkdir()
    return folder


@pytest.fixture
def small_segments(monkeypatch):
    """Row groups of 3 claims and merge tasks of 2 row groups, so that a few documents make
    several segments merged on the workers and stitched into claims.parquet."""
    monkeypatch.setattr(claims_parquet, "ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(cluster_build, "SEGMENT_ROW_GROUPS", 2)


def outputs_equal(a: Path, b: Path) -> None:
    """The same places.csv, claims.csv and claims.parquet, byte for byte: the cluster's segments,
    stitched, are the file the one-machine build writes (its contents compared first, for a
    readable failure)."""
    pd.testing.assert_frame_equal(
        read_claims_parquet(a / CLAIMS_PARQUET), read_claims_parquet(b / CLAIMS_PARQUET)
    )
    for name in ("places.csv", "claims.csv", CLAIMS_PARQUET):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_cluster_build_writes_the_one_machine_build_and_never_holds_the_claims(
    scheduler, tmp_path, gazetteer, small_partitions
):
    corpus = varied_corpus(tmp_path / "corpus")
    here = build_corpus(corpus, gazetteer=gazetteer, jobs=1)
    write_outputs(here, tmp_path / "local")
    out = tmp_path / "remote"
    there = build_on_cluster(corpus, DEFAULT_PLACES_CSV, cache_dir=out / CACHE_DIRNAME,
                             scheduler=scheduler)  # fmt: skip
    assert there.claims is None  # the workers wrote them, as parts
    parts = {run[0] for run in there.claims_parts.runs}
    assert len(parts) >= 3  # one per task that found claims
    write_outputs(there, out)
    outputs_equal(tmp_path / "local", out)
    assert there.n_claims == len(here.claims) > 0
    pd.testing.assert_frame_equal(here.places, there.places)
    assert there.warnings == here.warnings
    assert there.unresolved == here.unresolved
    assert sorted(there.documents) == sorted(here.documents)


def test_the_workers_merge_the_claims_in_segments_that_an_addition_at_the_end_leaves_alone(
    scheduler, tmp_path, gazetteer, small_partitions, small_segments
):
    corpus = varied_corpus(tmp_path / "corpus")
    for path in corpus.iterdir():  # written well before the build: trusted when unchanged
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    out = tmp_path / "remote"
    merged = out / CACHE_DIRNAME / CLUSTER_CACHE_DIRNAME / MERGED_DIRNAME

    def build_both() -> pipeline.BuildResult:
        write_outputs(build_corpus(corpus, gazetteer=gazetteer, jobs=1), tmp_path / "local")
        there = build_on_cluster(corpus, DEFAULT_PLACES_CSV, cache_dir=out / CACHE_DIRNAME,
                                 scheduler=scheduler)  # fmt: skip
        write_outputs(there, out)
        outputs_equal(tmp_path / "local", out)
        return there

    there = build_both()
    segments = there.claims_parts.segments
    assert len(segments) == -(-there.n_claims // 6) >= 3
    assert sorted(merged.iterdir()) == sorted(map(Path, segments))
    row_groups = pq.ParquetFile(out / CLAIMS_PARQUET).metadata.num_row_groups
    assert row_groups == -(-there.n_claims // 3)

    # A document after the others: the full segments before it are kept, not merged again.
    (corpus / "z_last.txt").write_text("Refugees crossed from Syria into Jordan in 2013.\n")
    stamps = {p.name: p.stat().st_mtime_ns for p in merged.iterdir()}
    again = build_both()
    kept = [p for p in again.claims_parts.segments if Path(p).name in stamps]
    assert len(kept) >= there.n_claims // 6 - 1
    assert all(Path(p).stat().st_mtime_ns == stamps[Path(p).name] for p in kept)
    assert sorted(merged.iterdir()) == sorted(map(Path, again.claims_parts.segments))


def test_the_merge_plan_cuts_the_claims_into_segments_of_equal_rows_in_order():
    runs = [("a", 0, 5), ("empty", 0, 0), ("b", 2, 4), ("c", 0, 3)]
    assert cluster_build.merge_plan(runs, 4) == [
        [("a", 0, 4)],
        [("a", 4, 1), ("b", 2, 3)],
        [("b", 5, 1), ("c", 0, 3)],
    ]
    assert cluster_build.merge_plan(runs, 100) == [[("a", 0, 5), ("b", 2, 4), ("c", 0, 3)]]
    assert cluster_build.merge_plan([], 4) == []


def test_the_corpus_can_be_a_file_url(scheduler, tmp_path, gazetteer, small_partitions):
    corpus = varied_corpus(tmp_path / "corpus")
    write_outputs(build_corpus(corpus, gazetteer=gazetteer, jobs=1), tmp_path / "local")
    out = tmp_path / "remote"
    there = build_on_cluster(corpus.as_uri(), DEFAULT_PLACES_CSV, cache_dir=out / CACHE_DIRNAME,
                             scheduler=scheduler)  # fmt: skip
    write_outputs(there, out)
    outputs_equal(tmp_path / "local", out)


def test_the_corpus_can_be_in_an_object_store(
    tmp_path, gazetteer, small_partitions, small_segments
):
    """fsspec's memory:// file system stands in for s3:// and the like; it lives in one process,
    so the cluster is an in-process LocalCluster here."""
    import fsspec
    from distributed import LocalCluster

    local = write_reports(tmp_path / "corpus", REPORTS)
    fs = fsspec.filesystem("memory")
    for path in local.iterdir():
        fs.pipe(f"/corpus-{tmp_path.name}/{path.name}", path.read_bytes())
    write_outputs(build_corpus(local, gazetteer=gazetteer, jobs=1), tmp_path / "local")
    out = tmp_path / "remote"
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        there = build_on_cluster(f"memory:///corpus-{tmp_path.name}", DEFAULT_PLACES_CSV,
                                 cache_dir=out / CACHE_DIRNAME,
                                 scheduler=cluster.scheduler_address)  # fmt: skip
    write_outputs(there, out)
    outputs_equal(tmp_path / "local", out)


def test_a_corpus_in_an_object_store_keeps_its_own_curated_places(tmp_path, gazetteer):
    """A corpus's curated-places.csv (here: 'Raqqa is not a place') is read from its URL and laid
    over the places file on the workers, as the one-machine build lays it over."""
    import fsspec
    from distributed import LocalCluster

    local = write_reports(tmp_path / "corpus", REPORTS)
    review.mark_not_a_place(corpus_places_csv(local), "Raqqa", "geonames:163915", who="tester")
    fs = fsspec.filesystem("memory")
    for path in local.iterdir():
        fs.pipe(f"/own-{tmp_path.name}/{path.name}", path.read_bytes())
    here = build_corpus(local, gazetteer=gazetteer, jobs=1)
    assert "Raqqa" not in set(here.claims["mention"])
    write_outputs(here, tmp_path / "local")
    out = tmp_path / "remote"
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        there = build_on_cluster(f"memory:///own-{tmp_path.name}", DEFAULT_PLACES_CSV,
                                 cache_dir=out / CACHE_DIRNAME,
                                 scheduler=cluster.scheduler_address)  # fmt: skip
    assert there.corpus_places == here.corpus_places != []
    write_outputs(there, out)
    outputs_equal(tmp_path / "local", out)


def test_python_m_geo_build_on_the_cluster_writes_the_same_files_and_adds_only_new_documents(
    scheduler, tmp_path, gazetteer
):
    corpus = write_reports(tmp_path / "corpus", REPORTS)
    local, remote = tmp_path / "local", tmp_path / "remote"

    def build(out: Path, *extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out", str(out),
             *extra],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stderr

    build(local, "--jobs", "1")
    build(remote, "--scheduler", scheduler)
    outputs_equal(local, remote)
    pd.testing.assert_frame_equal(
        read_claims_parquet(remote / CLAIMS_PARQUET), read_claims(remote / "claims.csv")
    )
    parts = remote / CACHE_DIRNAME / CLUSTER_CACHE_DIRNAME / PARTS_DIRNAME
    first_parts = set(parts.iterdir())

    # One document more: only it goes to the cluster; the output is still the local build's.
    (corpus / "f_new.txt").write_text("Refugees crossed from Syria into Jordan in 2013.\n")
    build(local, "--jobs", "1")
    log = build(remote, "--scheduler", scheduler)
    assert f"{len(REPORTS)} unchanged since the last build" in log
    outputs_equal(local, remote)
    assert first_parts < set(parts.iterdir())  # the earlier parts kept, one added

    # One document edited and one removed: their claims go, the part left unused with them.
    (corpus / "f_new.txt").write_text("Refugees crossed from Syria into Turkey in 2014.\n")
    (corpus / "e_turkey.txt").unlink()
    build(local, "--jobs", "1")
    log = build(remote, "--scheduler", scheduler)
    assert f"{len(REPORTS) - 1} unchanged since the last build" in log
    outputs_equal(local, remote)
    assert "e_turkey" not in (remote / "claims.csv").read_text()
    assert len(list(parts.iterdir())) == len(first_parts) + 1


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path):
    corpus = write_reports(tmp_path / "corpus", REPORTS)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out",
         str(tmp_path / "out"), "--no-cache", "--scheduler", f"tcp://127.0.0.1:{_free_port()}"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_corpus_url_without_a_scheduler_is_a_one_line_error(tmp_path, capsys):
    from geo.cli import main

    assert main(["build", "--corpus", "memory://corpus", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "read by the workers of --scheduler" in err and len(err.strip().splitlines()) == 1
