"""Share links on both pages (in memory, and over a built corpus): the URL's query parameters set
the widgets on a session's first run, and follow the view afterwards, so that copying the URL
shares the view. `geo.dashboard.share` turns views into parameters and back; this module moves
them into and out of the session state of each page's widgets, named by the page's `ViewKeys`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

from geo.dashboard import share
from geo.dashboard.filters import ClaimFilter
from geo.dashboard.plain_text import markdown_text

Bounds = tuple[int, int]

try:  # the limits beyond which Streamlit empties a page's query string before the app sees it
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_FIELDS as MAX_LINK_PARAMETERS,
    )
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_LENGTH as MAX_LINK_CHARACTERS,
    )
except ImportError:  # another Streamlit: the limits of 1.67
    MAX_LINK_PARAMETERS, MAX_LINK_CHARACTERS = 1000, 512 * 1024

# The server cannot tell a dropped link from none (Streamlit logs a warning and passes an empty
# query string), so the browser checks the address the page was opened with (its navigation
# entry: the address bar has been rewritten to the view since) and shows why the link was not
# followed. Our own script and text; the link's content is only counted, never shown.
DROPPED_LINK_CHECK = f"""<div class="geo-link-dropped" role="alert" hidden
 style="background: rgba(255, 189, 69, 0.2); color: rgb(146, 108, 5); padding: 1rem;
 border-radius: 0.5rem; line-height: 1.6;"></div>
<script>
(function () {{
    var entry = performance.getEntriesByType("navigation")[0];
    var search = new URL(entry ? entry.name : location.href).search.substring(1);  // without its "?"
    if (!search) {{ return; }}
    var fields = search.split("&").length;
    if (fields <= {MAX_LINK_PARAMETERS} && search.length <= {MAX_LINK_CHARACTERS}) {{ return; }}
    var boxes = document.querySelectorAll("div.geo-link-dropped");
    var box = boxes[boxes.length - 1];
    if (!box) {{ return; }}
    box.textContent = "This link was not followed: it has " + fields.toLocaleString("en")
        + " parameters (" + Math.ceil(search.length / 1024).toLocaleString("en")
        + " KB), and the server reads at most {MAX_LINK_PARAMETERS:,} parameters and "
        + "{MAX_LINK_CHARACTERS // 1024:,} KB. The page shows the default view instead; a link "
        + "to a view with fewer sources or speakers selected is shorter.";
    box.hidden = false;
}})();
</script>"""


@dataclass(frozen=True)
class ViewKeys:
    """The session-state keys of a page's widgets; None for a widget the page does not have."""

    axis: str
    years: Callable[[str], str]  # the year slider's key on a time axis
    undated: str
    notes: str
    sources: str
    kinds: str
    hedging: str
    place: str
    speakers: str | None = None
    arcs: str | None = None
    center_on: str | None = None  # where the map centres on a place picked from a link


def apply_link_once(
    keys: ViewKeys,
    axis_bounds: dict[str, Bounds | None],
    sources: Iterable[str],
    kinds: Iterable[str],
    place_ids: Iterable[str],
    speakers: Iterable[str] = (),
    hedging: Iterable[str] = (),
) -> None:
    """On a session's first run, set the filters (the years drawn on the slider and the timeline
    both) and the selected place from the URL. `axis_bounds`: the claims' first and last year on each time axis."""
    st.session_state["_axis_bounds"] = axis_bounds
    if st.session_state.get("_link_applied"):
        return
    st.session_state["_link_applied"] = True
    view, notices = share.view_from_params(
        st.query_params, axis_bounds, sources, kinds, place_ids, speakers=speakers,
        hedging=hedging,
    )  # fmt: skip
    s = view.selection
    state = st.session_state
    state[keys.axis] = s.axis
    bounds = axis_bounds[s.axis]
    if bounds is not None and bounds[0] != bounds[1]:
        state[keys.years(s.axis)] = s.years or bounds
    state[keys.undated] = s.include_undated
    state[keys.notes] = s.include_notes
    state[keys.sources] = sorted(s.sources or [])
    state[keys.kinds] = sorted(s.kinds or [])
    if keys.speakers is not None:
        state[keys.speakers] = sorted(s.speakers or [])
    state[keys.hedging] = sorted(s.hedging or [])
    if keys.arcs is not None:
        state[keys.arcs] = view.arcs
    if view.place:
        state[keys.place] = view.place
        if keys.center_on is not None:
            state[keys.center_on] = view.place
        state["_link_place"] = view.place
    state["_link_notices"] = notices


def show_link_notices(shown_place_ids: set[str], names: dict[str, str]) -> None:
    """The notices about a link's parameters, on the first page it opens (then they go).

    In one slot that is on the page on every run, empty after the first: the elements below keep
    their places from run to run (Streamlit shows the last run's elements, by position, until the
    new run replaces them)."""
    slot = st.empty()
    check = "_link_notices" in st.session_state and not st.query_params
    notices = list(st.session_state.pop("_link_notices", []))
    linked = st.session_state.pop("_link_place", None)
    if linked and linked not in shown_place_ids:
        notices.append(
            f"The linked place {names.get(linked, linked)} has no claims under these filters."
        )
    if not (check or notices):
        return
    with slot.container():
        if check:  # the server saw no parameters: perhaps Streamlit dropped the link's (too many)
            st.html(DROPPED_LINK_CHECK, unsafe_allow_javascript=True)
        for notice in notices:  # they quote the link's values: anyone's text
            st.warning(markdown_text(notice), icon=":material/link_off:")


def sync_link(selection: ClaimFilter | None, place: str | None, arcs: bool = False) -> None:
    """Keep the URL in step with the view, so that copying it shares the view."""
    if selection is None:
        return
    bounds = st.session_state.get("_axis_bounds", {}).get(selection.axis)
    view = share.View(selection, place, arcs=arcs)
    wanted = share.params_from_view(view, bounds)
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != as_lists:
        st.query_params.from_dict(wanted)
