"""Many hands at once: corrections saved by several sessions (threads) and processes at the same
moment, a build rewriting the places file while corrections arrive, and temporary files of writers
that are still running. Each race runs a real second process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geo.build import review
from geo.build.pipeline import DEFAULT_PLACES_CSV
from geo.store.locking import LockTimeout, remove_stale_temp_files, writer_lock
from geo.store.schema import read_places, temp_prefix

LETTERS = "abcdefghijklmnopqrstuvwxyz"  # names that stay apart once normalised ("11" is "1")
DEADLINE = 300  # seconds a child process may take here; far more than it does

CORRECT_IN_CHILD = """
import sys
from pathlib import Path
from geo.build import review
places, prefix, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
letters = "abcdefghijklmnopqrstuvwxyz"  # names that stay apart once normalised ("11" is "1")
print("ready", flush=True)
sys.stdin.readline()  # go
for i in range(n):
    review.enter_coordinates(places, f"{prefix} {letters[i]}", 10.0, 20.0 + i / 100, "city", "IQ",
                             "geonames:1", who=prefix)
"""


def corrected_names(places: Path) -> set[str]:
    return {r.correction_of for r in read_places(places) if r.correction_of}


@pytest.fixture
def places(tmp_path):
    path = tmp_path / "places.csv"
    shutil.copy(DEFAULT_PLACES_CSV, path)
    return path


def test_corrections_saved_at_once_by_sessions_and_another_process_are_all_kept(
    places, python_child
):
    other = python_child(CORRECT_IN_CHILD, str(places), "Process", "15")
    go = threading.Barrier(6)

    def session(number: int) -> None:
        go.wait()
        for i in range(3):
            review.enter_coordinates(places, f"Session {number}{LETTERS[i]}", 11.0, 21.0, "city", "SY",
                                     "geonames:2", who=f"session {number}")  # fmt: skip

    threads = [threading.Thread(target=session, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    other.stdin.write("go\n")
    other.stdin.flush()
    go.wait()
    for thread in threads:
        thread.join()
    assert other.wait(timeout=DEADLINE) == 0, other.stderr.read()
    expected = {f"Process {LETTERS[i]}" for i in range(15)}
    expected |= {f"Session {n}{LETTERS[i]}" for n in range(5) for i in range(3)}
    assert corrected_names(places) == expected  # 30 of 30
    read_places(places)  # and the file reads back


def test_a_correction_over_a_newer_one_is_refused_naming_who_made_it(places):
    # Both users opened the page while "Raqqa" had no correction.
    seen = review.correction_stamp(None)
    review.enter_coordinates(places, "Raqqa", 35.95, 39.0, "city", "SY", "geonames:163915",
                             who="Amira", seen=seen)  # fmt: skip
    with pytest.raises(review.CorrectionConflict, match="Amira"):
        review.enter_coordinates(places, "Raqqa", 36.0, 38.0, "city", "SY", "geonames:163915",
                                 who="Bilal", seen=seen)  # fmt: skip
    (kept,) = review.corrections(places)
    assert kept.corrected_by == "Amira"
    # Undoing a correction one saw works; undoing it again (stale page) is refused.
    stamp = review.correction_stamp(kept)
    assert review.undo_correction(places, "Raqqa", seen=stamp) is not None
    with pytest.raises(review.CorrectionConflict, match="undone meanwhile"):
        review.undo_correction(places, "Raqqa", seen=stamp)


HOLD_LOCK_IN_CHILD = """
import sys
from pathlib import Path
from geo.store.locking import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("ready", flush=True)
    sys.stdin.readline()
"""


def test_a_writer_waits_for_the_lock_another_process_holds(places, python_child):
    holder = python_child(HOLD_LOCK_IN_CHILD, str(places))
    done = threading.Event()

    def correct() -> None:
        review.enter_coordinates(places, "Sirte", 31.2, 16.6, "city", "LY", "geonames:3", who="x")
        done.set()

    with pytest.raises(LockTimeout):  # the other process holds it
        with writer_lock(places, timeout=0):
            pass
    writer = threading.Thread(target=correct)
    writer.start()
    holder.stdin.write("release\n")
    holder.stdin.flush()
    writer.join()
    assert holder.wait(timeout=DEADLINE) == 0
    assert corrected_names(places) == {"Sirte"}


def test_temporary_files_are_removed_only_when_their_writer_is_gone(tmp_path, python_child):
    running = python_child("import sys; print('ready', flush=True); sys.stdin.readline()")
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    gone_pid = int(finished.stdout)
    mine = tmp_path / f"{temp_prefix(tmp_path / 'places.csv')}abc123.tmp"
    other_running = tmp_path / f".places.csv.{running.pid}-def456.tmp"
    gone = tmp_path / f".places.csv.{gone_pid}-ghi789.tmp"
    gone_manifest = tmp_path / f".geo-added.json.{gone_pid}-jkl012.tmp"
    for path in (mine, other_running, gone, gone_manifest):
        path.write_text("half", encoding="utf-8")
    removed = remove_stale_temp_files(tmp_path)
    assert sorted(removed) == sorted([gone, gone_manifest])
    assert mine.exists() and other_running.exists()
    running.stdin.write("\n")
    running.stdin.flush()
    running.wait(timeout=DEADLINE)
    assert remove_stale_temp_files(tmp_path) == [other_running]


BUILD = [sys.executable, "-m", "geo", "build", "--quiet"]


def test_corrections_made_while_a_build_rewrites_the_places_file_are_kept(tmp_path, places):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = " ".join(f"Fighters moved from Mosul to Raqqa on day {i}." for i in range(400))
    (corpus / "report.txt").write_text(f"Report\n\n{body}\n", encoding="utf-8")
    out = places.parent
    made = []
    during = 0
    for _round in range(2):
        build = subprocess.Popen(
            [*BUILD, "--corpus", str(corpus), "--out", str(out), "--places", str(places)],
            stderr=subprocess.PIPE,
            text=True,
        )
        while build.poll() is None:
            name = "Place " + "x".join(str(len(made)))  # "1x1", not "11" (normalised to "1")
            review.enter_coordinates(places, name, 1.0, 2.0, "city", "IQ", "geonames:4", who="u")
            made.append(name)
            during += build.poll() is None
        assert build.wait(timeout=DEADLINE) == 0, build.stderr.read()
    assert during > 0  # corrections were indeed written while a build ran
    assert corrected_names(places) == set(made)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_the_lock_excludes_another_thread_of_the_same_process(places):
    inside, leave = threading.Event(), threading.Event()

    def session() -> None:
        with writer_lock(places):
            inside.set()
            leave.wait()

    thread = threading.Thread(target=session)
    thread.start()
    inside.wait()
    with pytest.raises(LockTimeout, match="being written by another process"):
        with writer_lock(places, timeout=0):
            pass
    leave.set()
    thread.join()
    with writer_lock(places, timeout=0):
        pass
