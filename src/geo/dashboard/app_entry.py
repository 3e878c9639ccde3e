"""What `streamlit run app.py` runs: the page is chosen before the in-memory page is imported.

With `--built OUT` the DuckDB page (geo.dashboard.query_page) is drawn straight away, and the
modules only the in-memory page needs (the build: recogniser, resolver, word frequencies) are never
imported: a fresh server's first run imports what the page draws (pandas, DuckDB, folium, altair)
and no more. Otherwise geo.dashboard.page draws the page, switching to the DuckDB page itself when
the corpus has a large build. Both begin with geo.dashboard.page_start.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from geo.dashboard.app_args import AppOptions, parse_app_args
from geo.dashboard.page_start import page_start

# geo.build.pipeline.DEFAULT_CORPUS, without importing the build (tests/dashboard/test_app_entry.py)
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "seeds"


@functools.lru_cache(maxsize=8)  # the same arguments on every rerun
def built_options(argv: tuple[str, ...]) -> AppOptions:
    return parse_app_args(argv, default_corpus=DEFAULT_CORPUS)


def asks_for_built(argv: list[str]) -> bool:
    return any(arg == "--built" or arg.startswith("--built=") for arg in argv)


def main() -> None:
    if asks_for_built(sys.argv[1:]):
        from geo.dashboard import query_page

        query_page.main(page_start(built_options))  # --built is given: options.built is set
        return
    from geo.dashboard import page

    page.main()
