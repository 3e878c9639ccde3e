"""A page of a place's claims in the side panel, as both pages draw it: each claim's card
(geo.dashboard.panel.claim_card_html, its text escaped), a "Full text" button when the claim's
document can be opened, and whatever else the page puts beside it (the in-memory page: a citation).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.dashboard import panel


def claim_cards(
    rows: pd.DataFrame,
    key: str,
    opener: Callable[[dict], Callable[[], None] | None],
    beside: Callable[[dict], None] | None = None,
) -> None:
    """The cards of `rows` in a scrolling box. `opener(claim)` is what opens the claim's document
    (None: no button); a button's key is `key` and the claim id."""
    with st.container(height=520, border=False):
        for claim in rows.to_dict("records"):
            with st.container(gap=None):
                st.html(panel.claim_card_html(claim))
                open_document = opener(claim)
                with st.container(horizontal=True, gap="small"):
                    if open_document is not None and st.button(
                        "Full text",
                        key=f"{key}:{claim['claim_id']}",
                        type="tertiary",
                        icon=":material/article:",
                        help="The whole document, scrolled to this mention",
                    ):
                        open_document()
                    if beside is not None:
                        beside(claim)
