"""One build at a time per output folder (issue 16): a build asked for while another runs waits for
it, saying so, and never starts a second child process beside the first."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from geo.build import child
from geo.dashboard import loading


@pytest.fixture
def waits(monkeypatch) -> threading.Event:
    """Set when a build job reports that it waits for another build."""
    waiting = threading.Event()
    report = loading.BuildJob._report

    def recorded(self, progress):
        if progress.stage == "wait":
            waiting.set()
        report(self, progress)

    monkeypatch.setattr(loading.BuildJob, "_report", recorded)
    return waiting


def test_a_second_build_waits_for_the_first_and_starts_no_second_child(
    corpus, places, waits, monkeypatch
):
    entered, release = threading.Event(), threading.Event()
    running, most, children = [0], [0], []

    def child_build(*args):
        running[0] += 1
        most[0] = max(most[0], running[0])
        children.append(args)
        try:
            entered.set()
            assert release.wait(300)
            return child.build_to_cache_in_child(*args)
        finally:
            running[0] -= 1

    monkeypatch.setattr(loading, "build_to_cache_in_child", child_build)
    first = loading.BuildJob(corpus, places)
    assert entered.wait(300)  # the first build's child runs
    (corpus / "b.txt").write_text("Report\n\nOthers went to Sirte.\n", encoding="utf-8")
    second = loading.BuildJob(corpus, places)  # the corpus changed during the first build
    assert waits.wait(300)
    assert second.latest().stage == "wait"
    assert len(children) == 1
    release.set()
    assert first.done.wait(300) and second.done.wait(300)
    assert first.error is None and second.error is None, (first.error, second.error)
    assert most[0] == 1 and len(children) == 2  # one after the other
    assert second.result.reused == 2  # b geoparsed by its own child, a by the first's
    assert "Sirte" in set(second.result.places["name"])


HOLD_THE_LOCK = """
import sys
from geo.store.locking import build_lock
with build_lock([sys.argv[1]]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_build_of_another_process_in_the_same_folder_is_waited_for(
    corpus, places, waits, monkeypatch
):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(places.parent)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert other.stdout.readline().strip() == "held"  # as `python -m geo build` holds it
        started = []
        monkeypatch.setattr(
            loading, "build_to_cache_in_child",
            lambda *args: started.append(args) or child.build_to_cache_in_child(*args),
        )  # fmt: skip
        job = loading.BuildJob(corpus, places)
        assert waits.wait(300)
        assert started == [] and not job.done.is_set()
        other.stdin.close()  # the other build ends
        assert job.done.wait(300)
        assert job.error is None, job.error
        assert len(started) == 1 and "Mosul" in set(job.result.places["name"])
    finally:
        other.kill()
        other.wait()
