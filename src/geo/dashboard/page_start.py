"""What every page of the app begins with: its configuration and style, and the options after
`--` (an error stops the page with its message). Shared by geo.dashboard.page and app_entry."""

from __future__ import annotations

import sys
from collections.abc import Callable

import streamlit as st

from geo.dashboard import evidence_html, panel
from geo.dashboard.app_args import AppOptions
from geo.dashboard.plain_text import markdown_text


def page_start(options: Callable[[tuple[str, ...]], AppOptions]) -> AppOptions:
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
