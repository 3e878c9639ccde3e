"""What one state of the filters shows, computed once for every session that asks for it.

Every rerun of the dashboard turns (the build's claims, the sidebar's filters) into the claims
shown and the per-place counts. Many sessions ask for the same few states (the
page as it opens, a source picked), so the result is kept, shared and read-only: the same
`FilterView` object for the same state, whichever session asks. Because the frames are then the
same objects, everything remembered per frame downstream (geo.dashboard.frame_memo: a place's
claims, the timeline, the map's layers) is computed once per state too.

Nothing in a view depends on a session: its key is the filter state alone, and a session's own
choices (the place it selected) stay in its session state. The kept views are bounded by number
and by the rows they hold (the unfiltered view holds none: it is the build's table itself).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd

from geo.dashboard import filters
from geo.dashboard.frame_memo import per_frame, take_rows

MAX_VIEWS = 64  # filter states kept per build
MIN_ROW_BUDGET = 200_000  # rows the kept views may hold, at least (else: as many as the build's)


@dataclass(frozen=True, eq=False)
class FilterView:
    """The claims one filter state shows (read them, do not modify them)."""

    shown: pd.DataFrame  # passing the sidebar's filters: what the map and the panel show
    summary: pd.DataFrame  # filters.summarise_places of `shown`
    n_documents: int
    # Things derived from this view by the page (the map's layers per selected place, ...).
    memo: dict = field(default_factory=dict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remembered(self, key, make):
        """make(), once per key for this view (a bounded number of keys: the oldest go first)."""
        with self.lock:
            if key in self.memo:
                self.memo[key] = value = self.memo.pop(key)  # the most recent last
                return value
        value = make()
        with self.lock:
            self.memo[key] = value
            while len(self.memo) > MAX_VIEWS:
                self.memo.pop(next(iter(self.memo)))
        return value


class _Views:
    """The views of one build, least recently used first."""

    def __init__(self, n_claims: int):
        self.budget = max(n_claims, MIN_ROW_BUDGET)
        # key -> (view, rows it holds, the places table: held so that its id is not reused)
        self.views: OrderedDict[tuple, tuple[FilterView, int, pd.DataFrame]] = OrderedDict()
        self.rows = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> FilterView | None:
        with self.lock:
            entry = self.views.get(key)
            if entry is None:
                return None
            self.views.move_to_end(key)
            return entry[0]

    def put(self, key: tuple, view: FilterView, rows: int, places: pd.DataFrame) -> FilterView:
        with self.lock:
            if key in self.views:  # another session made it meanwhile: keep one
                return self.views[key][0]
            self.views[key] = (view, rows, places)
            self.rows += rows
            while len(self.views) > 1 and (len(self.views) > MAX_VIEWS or self.rows > self.budget):
                _, (_, dropped, _) = self.views.popitem(last=False)
                self.rows -= dropped
            return view


@per_frame  # one store per build's claims table, gone with it
def _views_of(claims: pd.DataFrame) -> _Views:
    return _Views(len(claims))


def filter_view(
    claims: pd.DataFrame, places: pd.DataFrame, selection: filters.ClaimFilter
) -> FilterView:
    """The view of `selection`."""
    views = _views_of(claims)
    key = (id(places), selection)
    view = views.get(key)
    if view is not None:
        return view
    keep = filters.claim_mask(claims, places, selection)
    # Everything passes (the page as it opens): the build's table itself, no copy.
    shown = claims if keep.all() else take_rows(claims, keep)
    view = FilterView(
        shown=shown,
        summary=filters.summarise_places(places, shown),
        n_documents=filters.count_documents(shown),
    )
    return views.put(key, view, 0 if shown is claims else len(shown), places)
