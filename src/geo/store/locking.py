"""One build at a time per output folder: an exclusive lock on a lock file in the folder.

A second build of the same folder waits for the first, and says so, instead of interleaving its
reads and writes of places.csv and claims.csv with it. The lock is a POSIX record lock
(`fcntl.lockf`), which belongs to the process that took it: a build that is killed, even with
SIGKILL, releases it at once, even while the workers it forked are still finishing a chunk (an
`flock` would be shared with them and held until they exit). The app only reads: it takes no lock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from geo.store.schema import TEMP_SUFFIX

try:
    import fcntl
except ImportError:  # Windows: no flock; builds are then not serialised
    fcntl = None

LOCK_NAME = ".geo-build.lock"


@contextmanager
def build_lock(
    folders: Iterable[Path], on_wait: Callable[[Path, str], None] | None = None
) -> Iterator[None]:
    """Hold the build lock of every folder (in a fixed order, so two builds cannot deadlock).

    `on_wait(folder, holder)` is called before waiting for a folder another build holds; `holder`
    is that build's process id as it wrote it, or "". Temporary files that a killed build left in a
    folder are removed once its lock is held.
    """
    with ExitStack() as stack:
        for folder in sorted({Path(f).resolve() for f in folders}):
            stack.enter_context(_folder_lock(folder, on_wait))
        yield


@contextmanager
def _folder_lock(folder: Path, on_wait) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    with open(folder / LOCK_NAME, "a+", encoding="utf-8") as handle:
        try:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # EAGAIN or EACCES: another process holds it
            if on_wait is not None:
                handle.seek(0)
                on_wait(folder, handle.read(32).strip())
            fcntl.lockf(handle.fileno(), fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        remove_stale_temp_files(folder)
        try:
            yield
        finally:
            fcntl.lockf(handle.fileno(), fcntl.LOCK_UN)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete the half-written outputs (".places.csv.<random>.tmp", ".claims.parquet.<random>.tmp")
    of a build that was killed.

    Call only while holding the folder's lock: a running build's temporary files look the same.
    """
    removed = []
    stale = [
        *Path(folder).glob(f".*.csv.*{TEMP_SUFFIX}"),
        *Path(folder).glob(f".*.parquet.*{TEMP_SUFFIX}"),
    ]
    for path in stale:
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
