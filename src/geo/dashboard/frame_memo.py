"""Remember what a pure function computed from a DataFrame, for as long as that frame lives.

The dashboard reruns its script on every click over the same cached claims table; the columns it
derives from it (years on a time axis, speakers) are then computed once per table, not once per
rerun. A frame is recognised by identity, so the functions must only read it, and callers must not
modify what they return.

A row-wise function (one value per row, `per_frame(rowwise=True)`) also serves the tables cut from
a remembered one: `take_rows(frame, keep)` returns the rows like `frame[keep]` and notes where they
came from, so that the function's result for the cut is its result for `frame` at those rows (the
dashboard's filtered claims then cost a look-up, not the string work over again).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

# id(cut) -> (weakref to the cut, weakref to the table it was cut from, positions in that table)
_CUTS: dict[int, tuple[weakref.ref, weakref.ref, np.ndarray]] = {}


def take_rows(frame: pd.DataFrame, keep) -> pd.DataFrame:
    """`frame[keep]` (a boolean mask or integer positions), remembered as rows of `frame`."""
    keep = np.asarray(keep)
    positions = np.flatnonzero(keep) if keep.dtype == bool else keep.astype(np.intp, copy=False)
    cut = frame.iloc[positions]
    origin = _CUTS.get(id(frame))
    if origin is not None and origin[0]() is frame and origin[1]() is not None:
        # A cut of a cut: remember it as rows of the first table.
        base, positions = origin[1], origin[2][positions]
    else:
        base = weakref.ref(frame)
    key = id(cut)
    _CUTS[key] = (weakref.ref(cut, lambda _, key=key: _CUTS.pop(key, None)), base, positions)
    return cut


def rows_of(frame) -> tuple[pd.DataFrame, np.ndarray] | None:
    """(the table, positions in it) when `frame` was cut from a table by take_rows, else None."""
    entry = _CUTS.get(id(frame))
    if entry is None or entry[0]() is not frame:
        return None
    base = entry[1]()
    return None if base is None else (base, entry[2])


def _take(value, positions: np.ndarray, index: pd.Index):
    """A row-wise result for the whole table -> the same for the rows at `positions`."""
    if isinstance(value, tuple):
        return tuple(_take(v, positions, index) for v in value)
    if isinstance(value, pd.Series):
        taken = value.iloc[positions]
        taken.index = index
        return taken
    return value[positions]  # a numpy array


def per_frame(function: Callable[..., T] | None = None, *, rowwise: bool = False):
    """Memoise `function(frame, *args, **kwargs)` per frame object and (hashable) arguments.

    With `rowwise=True` the function returns one value per row (a Series, a numpy array, or a
    tuple of them) and a table made by `take_rows` gets the rows of its origin's result."""
    if function is None:
        return functools.partial(per_frame, rowwise=rowwise)
    cache: dict[int, tuple[weakref.ref, dict]] = {}

    @functools.wraps(function)
    def wrapper(frame, *args, **kwargs):
        key = id(frame)
        entry = cache.get(key)
        if entry is None or entry[0]() is not frame:
            cut = rows_of(frame) if rowwise else None
            if cut is not None:
                base, positions = cut
                return _take(wrapper(base, *args, **kwargs), positions, frame.index)
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


@per_frame
def _factorize(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(frame[column])
    return codes, pd.Index(uniques)


def column_codes(
    frame: pd.DataFrame, column: str, factorize: Callable | None = None
) -> tuple[np.ndarray, pd.Index]:
    """(code of each row, the distinct values) of a column, as pd.factorize gives them (-1 for a
    missing value), once per table; a table cut by take_rows gets its rows of its origin's.
    `factorize` (frame, column) -> (codes, uniques), memoised per table, replaces pd.factorize
    for columns a caller derives itself."""
    factorize = factorize or _factorize
    cut = rows_of(frame)
    if cut is not None:
        base, positions = cut
        codes, uniques = factorize(base, column)
        return codes[positions], uniques
    return factorize(frame, column)
