"""Remember what a pure function computed from a DataFrame, for as long as that frame lives.

The dashboard reruns its script on every click over the same cached claims table; the columns it
derives from it (years on a time axis, speakers) are then computed once per table, not once per
rerun. A frame is recognised by identity, so the functions must only read it, and callers must not
modify what they return.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def per_frame(function: Callable[..., T]) -> Callable[..., T]:
    """Memoise `function(frame, *args, **kwargs)` per frame object and (hashable) arguments."""
    cache: dict[int, tuple[weakref.ref, dict]] = {}

    @functools.wraps(function)
    def wrapper(frame, *args, **kwargs):
        key = id(frame)
        entry = cache.get(key)
        if entry is None or entry[0]() is not frame:
            try:
                # The entry goes when the frame does, before its id can be reused.
                ref = weakref.ref(frame, lambda _, key=key: cache.pop(key, None))
            except TypeError:
                return function(frame, *args, **kwargs)
            entry = cache[key] = (ref, {})
        results = entry[1]
        arguments = (args, tuple(sorted(kwargs.items())))
        try:
            return results[arguments]
        except KeyError:
            value = results[arguments] = function(frame, *args, **kwargs)
            return value

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper
