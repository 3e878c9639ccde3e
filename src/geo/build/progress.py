"""How far a build has come: which stage, how many documents of how many, and how long is left.

`build_corpus(progress=...)` calls its reporter with a `Progress` at each step; the app draws it as
a progress bar, `python -m geo build` as a bar on a terminal and as plain lines otherwise.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

# What each stage is called on the page and on the terminal, in the order a build runs them.
STAGE_TEXT = {
    "wait": "Waiting for the build already running in this folder to finish",
    "read": "Reading the documents",
    "index": "Loading the place index",
    "index-build": "Building the place index from the installed data (first start only)",
    "geoparse": "Finding the places in the documents",
    "claims": "Joining the claims to their places",
    "write": "Saving the build for next time",
}
# Building the index has no steps to count: a laptop takes about this long (README, Set up).
INDEX_BUILD_SECONDS = 60


@dataclass(frozen=True)
class Progress:
    """A stage, `done` of `total` documents in it (0 of 0: not counted), `elapsed` seconds in it."""

    stage: str
    done: int = 0
    total: int = 0
    elapsed: float = 0.0


Reporter = Callable[[Progress], None]


def remaining_seconds(p: Progress) -> float | None:
    """Seconds left in the stage at the pace so far (None until a document is done)."""
    if p.stage == "index-build":
        return max(0.0, INDEX_BUILD_SECONDS - p.elapsed)
    if p.total <= 0 or p.done <= 0 or p.done > p.total:
        return None
    return p.elapsed / p.done * (p.total - p.done)


def fraction(p: Progress) -> float | None:
    """How much of the stage is done, 0 to 1 (None when it has nothing to count)."""
    if p.stage == "index-build":
        return min(0.95, p.elapsed / INDEX_BUILD_SECONDS)
    if p.total <= 0:
        return None
    return min(1.0, p.done / p.total)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, math.ceil(seconds))} s"
    return f"{math.ceil(seconds / 60)} min"


def describe(p: Progress) -> str:
    """'Finding the places in the documents: 120 of 1,000 documents · about 40 s left'."""
    text = STAGE_TEXT.get(p.stage, p.stage)
    if p.total > 0:
        text += f": {p.done:,} of {p.total:,} document{'s' * (p.total != 1)}"
    left = remaining_seconds(p)
    if left is not None and (p.stage == "index-build" or p.done < p.total):
        text += f" · about {_duration(left)} left"
    return text


class StageClock:
    """Turns (stage, done, total) into Progress with the time spent in the stage, for a reporter."""

    def __init__(self, report: Reporter | None, clock: Callable[[], float] = time.monotonic):
        self._report = report
        self._clock = clock
        self._stage: str | None = None
        self._started = 0.0

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self._report is None:
            return
        now = self._clock()
        if stage != self._stage:
            self._stage, self._started = stage, now
        self._report(Progress(stage, done, total, now - self._started))


class TerminalProgress:
    """A reporter for a command line: one bar redrawn in place on a terminal; on anything else
    (a log, a pipe) a plain line per stage after reading and per tenth of the documents."""

    WIDTH = 24

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last: tuple[str, int] | None = None
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        if self.tty:
            share = fraction(p)
            bar = "" if share is None else self._bar(share) + " "
            self.stream.write("\r\x1b[2K" + bar + describe(p))
            self._drawn = True
        else:
            if p.stage == "read":
                return  # quick, and where bad inputs stop a build: its error stays the only line
            tenth = (10 * p.done // p.total) if p.total else 0
            if (p.stage, tenth) == self._last:
                return
            self._last = (p.stage, tenth)
            self.stream.write(describe(p) + "\n")
        self.stream.flush()

    def _bar(self, share: float) -> str:
        filled = round(share * self.WIDTH)
        return "[" + "#" * filled + "." * (self.WIDTH - filled) + "]"

    def close(self) -> None:
        """End the bar's line, so that what is printed next starts on its own line."""
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False
