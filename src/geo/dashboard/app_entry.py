"""What `streamlit run app.py` runs: the page is chosen before the in-memory page is imported.

With `--built OUT` the DuckDB page (geo.dashboard.query_page) is drawn straight away, and the
modules only the in-memory page needs (the build: recogniser, resolver, word frequencies) are never
imported: a fresh server's first run imports what the page draws (pandas, DuckDB, folium, altair)
and no more. Otherwise geo.dashboard.page draws the page, switching to the DuckDB page itself when
the corpus has a large build. Both begin with `page_start`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from geo.dashboard import evidence_html, panel
from geo.dashboard.app_args import AppOptions, parse_app_args
from geo.dashboard.plain_text import markdown_text

# geo.build.pipeline.DEFAULT_CORPUS, without importing the build (tests/dashboard/test_app_entry.py)
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "seeds"


def page_start(options: Callable[[tuple[str, ...]], AppOptions]) -> AppOptions:
    """The page's configuration and style, and the options after `--` (an error stops here)."""
    st.set_page_config(page_title="Places in the reports", page_icon="🗺️", layout="wide")
    st.html(panel.PANEL_CSS)
    st.html(evidence_html.EVIDENCE_CSS)
    try:
        parsed = options(tuple(sys.argv[1:]))
    except ValueError as exc:
        st.error(str(exc))
        st.stop()
    if parsed.unknown:
        st.warning(f"Ignored unknown options: {markdown_text(' '.join(parsed.unknown))}")
    return parsed


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
