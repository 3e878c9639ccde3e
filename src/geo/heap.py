"""Keep the dashboard's long-lived data out of Python's cyclic garbage collector.

A full collection walks every container object the process holds. With a 10,000-document build and
the review gazetteer in memory that is 0.15-0.5 s, and it comes every few reruns of the script, at
random. The build and the gazetteer live as long as the server (in st.cache_resource), so after
loading one the dashboard freezes what exists (gc.freeze: later collections skip it). Reference
counting still frees frozen objects; only reference cycles among them wait, until `thaw` before
the next build hands them back to the collector (a rebuild replaces a cached build).
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Exempt every object alive now from later collections (call after loading cached data)."""
    gc.freeze()


def thaw() -> None:
    """Give frozen objects back to the collector (call before building data that replaces some)."""
    gc.unfreeze()
