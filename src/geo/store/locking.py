"""One build at a time per output folder: an exclusive lock on a lock file in the folder.

A second build of the same folder waits for the first, and says so, instead of interleaving its
reads and writes of places.csv and claims.csv with it. The lock is a POSIX record lock
(`fcntl.lockf`), which belongs to the process that took it: a build that is killed, even with
SIGKILL, releases it at once, even while the workers it forked are still finishing a chunk (an
`flock` would be shared with them and held until they exit).

The files that the app and the CLI both write (the places file, a corpus folder with its
`sources.csv` and manifest) have a writer lock each (`writer_lock`, `corpus_lock`): every change is
read, modified and written while holding it, so that nothing another process or session wrote in
between is lost. It is `filelock`'s lock (an `flock` on a lock file beside the file), which excludes
other threads of the same process too (Streamlit runs sessions as threads) and is released when its
holder dies.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock

from geo.store.schema import TEMP_SUFFIX, temp_writer

try:
    import fcntl
except ImportError:  # Windows: no flock; builds are then not serialised
    fcntl = None

LOCK_NAME = ".geo-build.lock"
CORPUS_LOCK_NAME = ".geo-corpus.lock"
# A writer holds a lock for a read-modify-write of one file: milliseconds to a few seconds (a large
# places file). Past this something is wrong (a stuck process); the user is told instead of waiting.
WRITER_TIMEOUT = 120.0


class LockTimeout(OSError):
    """Another writer held the lock for longer than WRITER_TIMEOUT."""


def lock_path_of(path: Path) -> Path:
    """The lock file that guards writes to `path`: ".<name>.lock" beside it."""
    path = Path(path).resolve()
    return path.parent / f".{path.name}.lock"


@contextmanager
def writer_lock(path: Path, timeout: float = WRITER_TIMEOUT) -> Iterator[None]:
    """Be the only writer of `path` (another process, or another thread of this one, waits)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _held(FileLock(lock_path_of(path), timeout=timeout), path):
        remove_stale_temp_files(path.parent, path.name)  # a killed writer's half-written copy
        yield


@contextmanager
def corpus_lock(folder: Path, timeout: float = WRITER_TIMEOUT) -> Iterator[None]:
    """Be the only writer of a corpus folder (its documents, sources.csv and manifest). Temporary
    files that a writer which is gone (a killed server) left in the folder are removed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with _held(FileLock(folder.resolve() / CORPUS_LOCK_NAME, timeout=timeout), folder):
        remove_stale_temp_files(folder)
        yield


@contextmanager
def _held(lock: FileLock, what: Path) -> Iterator[None]:
    from filelock import Timeout

    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(
            f"{what} is being written by another process for over {lock.timeout:.0f} s; "
            "try again later"
        ) from None
    try:
        yield
    finally:
        lock.release()


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


def remove_stale_temp_files(folder: Path, name: str = "") -> list[Path]:
    """Delete the half-written files (".places.csv.<pid>-<random>.tmp") of writers that are gone
    (a build or a server that was killed). A temporary file of a process that is still running is
    left alone, whoever wrote it: the app writing a correction, another build, an upload. `name`:
    only the temporary files of that file."""
    removed = []
    pattern = f".{glob.escape(name)}.*{TEMP_SUFFIX}" if name else f".*{TEMP_SUFFIX}"
    for path in Path(folder).glob(pattern):
        if _alive(temp_writer(path.name)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int | None) -> bool:
    """Whether the process `pid` runs (None, a name without a pid: an older version's file)."""
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    except OSError:
        return True
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    """A killed child that its parent has not reaped yet still answers os.kill: it writes no more."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
