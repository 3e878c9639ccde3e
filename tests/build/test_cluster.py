"""The build on a real dask.distributed cluster: a `dask scheduler` and two `dask worker` processes
on 127.0.0.1, started here as a user would start them. Its output equals the one-machine build's."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_parallel_build import REPORTS, assert_same_build, write_reports

from geo.build import pipeline
from geo.build.cache import CACHE_DIRNAME
from geo.build.pipeline import CLAIMS_PARQUET, build_corpus
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
    """Two documents per task, so that five documents make three tasks spread over the workers."""
    monkeypatch.setattr(pipeline, "CHUNK_DOCUMENTS", 2)


def test_the_cluster_build_equals_the_one_machine_build(
    scheduler, tmp_path, gazetteer, small_partitions
):
    corpus = write_reports(tmp_path / "corpus", REPORTS)
    here = build_corpus(corpus, gazetteer=gazetteer, jobs=1)
    there = build_corpus(corpus, scheduler=scheduler)
    assert_same_build(here, there)
    assert len(there.claims) > 0 and there.places["place_id"].is_unique


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
    for name in ("places.csv", "claims.csv"):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    pd.testing.assert_frame_equal(
        read_claims_parquet(remote / CLAIMS_PARQUET), read_claims(remote / "claims.csv")
    )

    # One document more: only it goes to the cluster; the output is still the local build's.
    (corpus / "f_new.txt").write_text("Refugees crossed from Syria into Jordan in 2013.\n")
    build(local, "--jobs", "1")
    log = build(remote, "--scheduler", scheduler)
    assert f"{len(REPORTS)} unchanged since the last build" in log
    assert (remote / CACHE_DIRNAME).is_dir()
    for name in ("places.csv", "claims.csv"):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name


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
