"""The corpus build behind the page, run in a thread so that the page can show how far it is.

The thread geoparses in a child process (`geo.build.child`) when the build cache can be written,
and then loads the result from the cache: the server does not keep the memory that geoparsing a
large document takes. Without a writable cache folder the build runs in the thread itself.

One build per corpus state (folder, places file, their fingerprint) is shared by every session
(st.cache_resource): a second visitor during a first start sees the same progress, not a second
build. The script thread waits on it and redraws a progress bar: which stage, how many documents
of how many, and about how long is left.

One build at a time per output folder (the places file's, where the build cache is): a build asked
for while another runs there (the corpus changed during a build; or `python -m geo build` in another
process) waits for it, its bar saying so, and then geoparses only what that one did not.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import streamlit as st

from geo.build.cache import CACHE_DIRNAME
from geo.build.child import build_to_cache_in_child, can_write
from geo.build.pipeline import BuildResult, build_corpus
from geo.build.progress import Progress, describe, fraction
from geo.store import heap
from geo.store.locking import build_lock

POLL_SECONDS = 0.25  # how often the bar is redrawn while the build runs


class BuildJob:
    """A build running in its own thread; `latest()` is its last progress, aged to now."""

    def __init__(self, corpus: Path, places: Path):
        self._corpus, self._places = corpus, places
        self._progress: Progress | None = None
        self._received = time.monotonic()
        self.result: BuildResult | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        threading.Thread(target=self._run, name=f"build {corpus.name}", daemon=True).start()

    def _report(self, progress: Progress) -> None:
        self._progress, self._received = progress, time.monotonic()

    def _run(self) -> None:
        try:
            cache_dir = self._places.parent / CACHE_DIRNAME
            writable = can_write(cache_dir)
            with one_build_at_a_time(self._places.parent, writable, self._report):
                heap.before_loading()  # dropped builds' cycles are freed; the load's collections skip the rest
                if writable:
                    # Geoparsing in a child: its peak memory goes back to the system when it
                    # ends, and the server only loads the result from the build cache below.
                    build_to_cache_in_child(self._corpus, self._places, cache_dir, self._report)
                result = build_corpus(
                    self._corpus, self._places, cache_dir=cache_dir, progress=self._report
                )
            # The page writes no claims.csv: its lines (for a new document, bytes in memory; a
            # row per claim) are not kept for as long as the build is.
            self.result = replace(result, claims_csv=None)
            del result
            heap.release_free_memory()
            heap.freeze_long_lived()  # full collections stop walking the build on every few reruns
        except BaseException as exc:  # handed to the script thread, which shows it
            self.error = exc
        finally:
            self.done.set()

    def latest(self) -> Progress | None:
        p = self._progress
        if p is None:
            return None
        # A stage with nothing to count (building the index) still shows time passing.
        return Progress(p.stage, p.done, p.total, p.elapsed + time.monotonic() - self._received)


# The builds running in this process, by output folder: the other threads' builds wait.
_BUILDING: dict[Path, threading.Lock] = {}
_BUILDING_LOCK = threading.Lock()


@contextlib.contextmanager
def one_build_at_a_time(folder: Path, across_processes: bool, report) -> Iterator[None]:
    """Be the only build of `folder`: in this process (the server's other sessions) and, when the
    folder can be written, in any other (`python -m geo build`, whose lock this is too). A build
    that has to wait reports the "wait" stage first."""
    folder = folder.resolve()
    with _BUILDING_LOCK:
        lock = _BUILDING.setdefault(folder, threading.Lock())
    if not lock.acquire(blocking=False):
        report(Progress("wait"))
        lock.acquire()
    try:
        if across_processes:
            with build_lock([folder], on_wait=lambda _folder, _holder: report(Progress("wait"))):
                yield
        else:
            yield
    finally:
        lock.release()


@st.cache_resource(show_spinner=False, max_entries=4)
def corpus_job(corpus: str, places: str, fingerprint: str) -> BuildJob:
    # cache_resource, not cache_data: the result is read-only and copying the documents on every
    # rerun would cost more than the rerun. `fingerprint` is only part of the cache key. The
    # build cache next to the places file (where `python -m geo build` keeps it by default) means
    # only documents changed since the last build are geoparsed.
    return BuildJob(Path(corpus), Path(places))


def load_corpus(corpus: str, places: str, fingerprint: str) -> BuildResult:
    """The corpus's build, drawing a progress bar while it runs; a failed build is raised here
    (and forgotten, so that a reload after a fix builds again)."""
    job = corpus_job(corpus, places, fingerprint)
    # The bar's slot is on the page on every run, built or not: what the page draws below it keeps
    # its place from one run to the next (Streamlit shows the last run's elements, by position,
    # until this run replaces them; a slot only on some runs showed them shifted by one).
    bar = st.empty()
    if not job.done.is_set():
        while not job.done.wait(POLL_SECONDS):
            progress = job.latest()
            text = describe(progress) if progress else "Starting…"
            share = fraction(progress) if progress else None
            bar.progress(share if share is not None else 0.0, text=text)
        bar.empty()
    if job.error is not None:
        corpus_job.clear(corpus, places, fingerprint)
        raise job.error
    assert job.result is not None
    return job.result
