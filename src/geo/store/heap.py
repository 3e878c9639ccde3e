"""Keep the dashboard's long-lived data out of Python's cyclic garbage collector.

A full collection walks every container object the process holds. With a 10,000-document build and
the review gazetteer in memory that is 0.15-0.5 s, and it comes every few reruns of the script, at
random. The build and the gazetteer live as long as the server (in st.cache_resource), so after
loading one the dashboard freezes what exists (gc.freeze: later collections skip it). Reference
counting still frees frozen objects; only reference cycles among them wait, until
`before_loading` hands them back to the collector before the next build (a rebuild replaces a
cached build).
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Net new container objects between two young-generation collections while a build runs (the
# interpreter's default is 700). A build makes a few hundred thousand short-lived objects per
# thousand documents (mentions, claim rows) and keeps most of what it makes; at the default, the
# collections that also walk the older generations cost 0.2-0.25 CPU s per 1,000 documents and
# free nothing. Cycles are still collected, only less often.
BUILD_YOUNG_THRESHOLD = 100_000


def freeze_long_lived() -> None:
    """Exempt every object alive now from later collections (call after loading cached data)."""
    gc.freeze()


def before_loading() -> None:
    """Call before loading (or building) data that may replace frozen data.

    Frozen objects go back to the collector and one full collection frees the cycles of what was
    dropped; then everything alive is frozen again, so that the collections the load itself
    triggers walk only the new objects (a 10,000-document build from its cache loaded 0.3-0.4 s
    faster). On the first load nothing is frozen yet: there is nothing to free, and no collection."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.freeze()


@contextmanager
def fewer_collections(young: int = BUILD_YOUNG_THRESHOLD) -> Iterator[None]:
    """Run the block with the youngest generation collected every `young` net new objects (at
    least the current threshold); the thresholds are restored after it."""
    old = gc.get_threshold()
    gc.set_threshold(max(young, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing).

    A build's peak (a large document's rows, Arrow tables and CSV text) is freed when it ends, but
    the allocator keeps the pages, and the server's resident memory would stay at the peak."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
