"""Widget values kept in a Streamlit session that the corpus may have outgrown."""

from __future__ import annotations

import streamlit as st


def drop_stale(key: str, allowed) -> None:
    """Forget a filter widget's stored value that no longer fits the corpus (a document removed,
    the years changed), instead of letting the widget fail on it."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in set(allowed)]
    elif isinstance(value, tuple) and allowed is not None:
        low, high = allowed
        if not (low <= value[0] <= value[1] <= high):
            del st.session_state[key]


def initial(key: str, param: str, value) -> dict:
    """`{param: value}` for a keyed widget not yet in session state, else {} (the state holds its
    value, set by the user or by a link; passing a default as well would only draw a warning)."""
    return {} if key in st.session_state else {param: value}
