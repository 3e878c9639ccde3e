"""Nothing lost: builds killed at any moment, builds run at the same time, places files edited
while a build runs. Each test runs real `python -m geo build` processes on a small corpus."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geo import cli
from geo.build.pipeline import DEFAULT_PLACES_CSV
from geo.store.locking import LOCK_NAME, build_lock
from geo.store.schema import read_claims, read_places, write_csv_atomically

DEADLINE = 120  # seconds any one build may take here; far more than it does


def dense_corpus(folder: Path, sentences: int, variant: str = "") -> Path:
    """Many claims from little text: writing claims.csv takes long enough to be caught at it."""
    folder.mkdir(parents=True, exist_ok=True)
    body = " ".join(
        f"Fighters moved from Mosul to Raqqa and Sirte{variant} on day {i}."
        for i in range(sentences)
    )
    (folder / "dense.txt").write_text(f"Dense report{variant}\n\n{body}\n", encoding="utf-8")
    return folder


def build_args(corpus: Path, out: Path, places: Path) -> list[str]:
    return [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out", str(out),
            "--places", str(places), "--quiet"]  # fmt: skip


def run_build(corpus: Path, out: Path, places: Path) -> str:
    """A build to the end; its messages."""
    done = subprocess.run(
        build_args(corpus, out, places), capture_output=True, text=True, timeout=DEADLINE
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def outputs(out: Path) -> tuple[bytes, bytes]:
    return (out / "places.csv").read_bytes(), (out / "claims.csv").read_bytes()


def temp_files(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def poll(condition, proc: subprocess.Popen) -> bool:
    """Wait (without sleeping) until condition() holds or the build exits; whether it held."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return condition()
    raise AssertionError("the build neither reached the moment nor finished")


@pytest.fixture
def places_copy(tmp_path):
    places = tmp_path / "places.csv"
    places.write_bytes(DEFAULT_PLACES_CSV.read_bytes())
    return places


def test_a_build_killed_at_any_moment_leaves_complete_readable_outputs(tmp_path, places_copy):
    corpus, out, fresh = tmp_path / "corpus", tmp_path / "out", tmp_path / "fresh"
    # The previous outputs: a build of the first version of the corpus.
    run_build(dense_corpus(corpus, 50), out, places_copy)
    previous = outputs(out)
    # What a complete build of the second version writes.
    dense_corpus(corpus, 3000, variant=" again")
    run_build(corpus, fresh, places_copy)
    complete = outputs(fresh)
    assert previous != complete

    def holding_the_lock() -> bool:
        lock = out / LOCK_NAME
        return lock.exists() and lock.read_text().strip() == str(proc.pid)

    def places_replaced() -> bool:
        return (out / "places.csv").stat().st_ino != inode_before

    moments = {
        "at start": lambda: True,
        "holding the lock": holding_the_lock,
        "writing a file": lambda: bool(temp_files(out)),
        "between the two files": places_replaced,
    }
    caught = []
    for moment, reached in moments.items():
        inode_before = (out / "places.csv").stat().st_ino
        proc = subprocess.Popen(build_args(corpus, out, places_copy), stderr=subprocess.DEVNULL)
        if poll(reached, proc) and proc.poll() is None:
            caught.append(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=DEADLINE)
        places_now, claims_now = outputs(out)
        assert places_now in (previous[0], complete[0]), moment
        assert claims_now in (previous[1], complete[1]), moment
        read_places(out / "places.csv")
        read_claims(out / "claims.csv")
    assert "at start" in caught

    # The next build does not wait for the killed one's workers, finishes the job and clears what
    # the killed ones left half-written.
    assert "waiting" not in run_build(corpus, out, places_copy)
    assert outputs(out) == complete
    assert temp_files(out) == []


def read_line(stream, deadline: float) -> str:
    """One line of a child's output, or "" if none comes before the deadline."""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            return stream.readline()
    return ""


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path, places_copy):
    corpus, out = dense_corpus(tmp_path / "corpus", 20), tmp_path / "out"
    out.mkdir()
    with build_lock([out]):  # a first build holds the folder
        proc = subprocess.Popen(
            build_args(corpus, out, places_copy), stderr=subprocess.PIPE, text=True
        )
        line = read_line(proc.stderr, time.monotonic() + DEADLINE)
        assert line.startswith(f"waiting for another build (process {os.getpid()}) to finish in")
        assert proc.poll() is None and not (out / "claims.csv").exists()
    assert proc.wait(timeout=DEADLINE) == 0, proc.stderr.read()
    read_claims(out / "claims.csv")


def test_two_builds_at_once_leave_one_consistent_pair_of_files(tmp_path, places_copy):
    out = tmp_path / "out"
    corpora = [dense_corpus(tmp_path / "a", 300), dense_corpus(tmp_path / "b", 300, " again")]
    procs = [
        subprocess.Popen(build_args(c, out, places_copy), stderr=subprocess.PIPE, text=True)
        for c in corpora
    ]
    for proc in procs:
        assert proc.wait(timeout=DEADLINE) == 0, proc.stderr.read()
        proc.stderr.close()
    claims = read_claims(out / "claims.csv")
    places = {r.place_id for r in read_places(out / "places.csv")}
    excerpts = set(claims["excerpt"].str.contains("again"))
    assert excerpts in ({True}, {False})  # all from one build, not a mixture
    assert set(claims["place_id"]) <= places
    assert temp_files(out) == []


def test_curated_rows_edited_during_a_build_are_kept(tmp_path, places_copy, monkeypatch, capsys):
    corpus = dense_corpus(tmp_path / "corpus", 5)
    added = "curated:test-camp,Test Camp,landmark,IQ,35.1234567,43.7654321,a test,curated,,,,added mid-build\n"
    real_build = cli.build_corpus

    def build_then_edit(*args, **kwargs):  # someone saves the places file while the build runs
        result = real_build(*args, **kwargs)
        with places_copy.open("a", encoding="utf-8") as handle:
            handle.write(added)
        return result

    monkeypatch.setattr(cli, "build_corpus", build_then_edit)
    status = cli.main(["build", "--corpus", str(corpus), "--places", str(places_copy), "--quiet"])
    assert status == 0
    assert "changed during the build" in capsys.readouterr().err
    rows = {r.place_id: r for r in read_places(places_copy)}
    camp = rows["curated:test-camp"]
    assert (camp.lat, camp.lon, camp.note) == (35.1234567, 43.7654321, "added mid-build")
    curated = [r for r in read_places(DEFAULT_PLACES_CSV) if r.origin == "curated"]
    assert all(rows[r.place_id] == r for r in curated)


def test_a_build_writes_curated_rows_back_unchanged(tmp_path, places_copy):
    before = [r for r in read_places(places_copy) if r.origin != "gazetteer"]
    run_build(dense_corpus(tmp_path / "corpus", 5), places_copy.parent, places_copy)
    after = [r for r in read_places(places_copy) if r.origin != "gazetteer"]
    assert after == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("old,complete\n1,2\n", encoding="utf-8")

    class Unwritable(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv_atomically(Unwritable({"a": [1]}), path)
    assert path.read_text(encoding="utf-8") == "old,complete\n1,2\n"
    assert os.listdir(tmp_path) == ["claims.csv"]


def test_a_rewritten_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "places.csv"
    write_csv_atomically(pd.DataFrame({"a": [1]}), path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()  # readable as any new file is
    path.chmod(0o640)
    write_csv_atomically(pd.DataFrame({"a": [2]}), path)
    assert path.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    return 0o022


def test_claims_written_piece_by_piece_keep_their_permissions_too(tmp_path):
    from geo.store.claims_file import write_claims_text

    path = tmp_path / "claims.csv"
    write_claims_text([], path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()  # not mkstemp's private 0600
    path.chmod(0o640)
    write_claims_text([], path)
    assert path.stat().st_mode & 0o777 == 0o640
