"""Heavy work of a long-lived process (the dashboard's server) done in a child process instead.

Geoparsing a large document makes hundreds of thousands of small objects. Python frees them when
the work ends, but its allocator keeps most of the pages: a server that built a 19 MB one-line
document in its own process held about 18 times the file's size afterwards. Done in a child, the
peak goes back to the system when the child exits; the server keeps only the result (for a build,
loaded from the build cache the child wrote).

`run_in_child(function, *args, progress=...)` runs a module-level function in a fresh Python
process (`python -c`, not a fork: a server with threads must not fork) and returns its result.
The function gets a `progress` callable as its keyword argument `progress` when the caller gives
one; what it reports comes back to the caller's `progress` while it runs. The function's exception
is raised in the caller (with the child's traceback as a note); a child that ends without an answer
(killed, out of memory) raises `ChildFailed`.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from geo.build.pipeline import build_corpus


class ChildFailed(ChildProcessError):  # an OSError: the page reports it as one
    """The child process ended without a result or an error to report."""


def run_in_child(
    function: Callable[..., Any],
    *args: Any,
    progress: Callable[[Any], None] | None = None,
    name: str = "geo-child",
) -> Any:
    """`function(*args)` in a child process, its result returned (see the module's docstring)."""
    ours, theirs = multiprocessing.Pipe()  # a socket pair: pickled messages both ways
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD_CODE, str(theirs.fileno()), name],
        pass_fds=(theirs.fileno(),),
        stdin=subprocess.DEVNULL,
        # this process's import path: the child finds the same modules (and the function's)
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    theirs.close()
    try:
        ours.send((function, args, progress is not None))
        while True:
            try:
                kind, value = ours.recv()
            except (EOFError, OSError):
                raise ChildFailed(_ended(process.wait())) from None
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "result":
                return value
            else:
                raise value
    finally:
        ours.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # only if the caller was interrupted while it ran
            process.kill()
            process.wait()


# Not multiprocessing's "spawn": it runs the parent's __main__ again in the child, and in a
# Streamlit server __main__ is the app's script.
_CHILD_CODE = "import sys; from geo.build.child import serve; serve(int(sys.argv[1]))"


def _ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        how = f"was stopped by signal {-exitcode}"
        if exitcode == -9:
            how += " (killed; perhaps the machine ran out of memory)"
    else:
        how = f"ended with exit code {exitcode}"
    return f"the child process doing the work {how} before it answered"


def serve(fd: int) -> None:
    """The child's side: run the function the parent sends on the connection `fd`, answer."""
    connection = Connection(fd)
    try:
        function, args, reports = connection.recv()
        kwargs = {}
        if reports:
            kwargs["progress"] = lambda value: connection.send(("progress", value))
        message = ("result", function(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
        exc.add_note("In the child process:\n" + "".join(traceback.format_exc()))
        message = ("error", _transportable(exc))
    connection.send(message)
    connection.close()


def _transportable(exc: BaseException) -> BaseException:
    """The exception if it survives pickling both ways, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any exception class may fail to pickle or unpickle
        replacement = RuntimeError(f"{type(exc).__name__}: {exc}")
        for note in getattr(exc, "__notes__", ()):
            replacement.add_note(note)
        return replacement


def can_write(folder: Path) -> bool:
    """Whether `folder` exists or can be made, and files can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def build_to_cache_in_child(
    corpus_dir: Path, places_csv: Path, cache_dir: Path, progress: Callable | None = None
) -> None:
    """`build_corpus` in a child process, for the build cache it writes in `cache_dir`: the
    caller then loads the result from there (`build_corpus` with the same arguments geoparses
    nothing that the child did)."""
    run_in_child(
        _build_to_cache, str(corpus_dir), str(places_csv), str(cache_dir),
        progress=progress, name="geo-build",
    )  # fmt: skip


def _build_to_cache(corpus_dir: str, places_csv: str, cache_dir: str, progress=None) -> None:
    build_corpus(Path(corpus_dir), Path(places_csv), cache_dir=Path(cache_dir), progress=progress)
