"""The dashboard over a built corpus too large for one process's memory: the claims are queried
where they lie (DuckDB over OUT/claims.parquet, `geo.store.claims_query`), never loaded.

    python -m geo build --corpus DIR --out OUT          # or on a cluster: --scheduler ADDRESS
    streamlit run app.py -- --built OUT --corpus DIR

The server holds the places table and DuckDB's buffers, not the claims: its memory does not grow
with the number of claims. The build's claims index (geo.store.claims_index) answers the opening
page and a place's claims without reading every claim; the map and the panel are a fragment, so
a click reruns them alone. A document's text is read from its file in DIR only when the user opens
it. The page offers the filters (time axis and years, undated claims, reference-list claims,
sources, kinds of place, hedging), the map of the places that pass, the place list, a place's
claims a page at a time with the full text a click away, the timeline (a span brushed on it sets
the year filter, as on the in-memory page) and share links (the URL follows the view;
geo.dashboard.share_ui). The in-memory page's review, numbers, speakers and movement arcs are not
offered here yet. With tens of thousands of places the map draws the busiest of those in view, within
a payload budget, counts the others in numbered cells, and says so (geo.dashboard.map_budget); the
place list holds the busiest LIST_PLACES, and a name search finds any other.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.dashboard import evidence_map, evidence_ui, folium_clicks, map_budget, panel, share_ui
from geo.dashboard.app_args import AppOptions
from geo.dashboard.claim_cards import claim_cards
from geo.dashboard.filters import ClaimFilter
from geo.dashboard.map_budget import VIEW_RETURNS, map_view, notice
from geo.dashboard.mapview import base_map, clicked_place_id
from geo.dashboard.plain_text import markdown_text
from geo.dashboard.timeline import AXES
from geo.dashboard.widget_state import drop_stale, initial
from geo.documents.reading import read_document
from geo.evidence.hedging import HEDGING_LEVELS, hedging_label
from geo.store.claims_index import FACTS, index_folder
from geo.store.claims_parquet import CLAIMS_PARQUET
from geo.store.claims_query import ClaimsQuery
from geo.store.schema import PLACE_KINDS, places_frame, read_places

CLAIMS_PER_PAGE = 20
LIST_PLACES = 5_000  # places in the list to pick from (the busiest; a search finds the others)
FIND_KEY = "q_find"
MAP_RETURNS = ["last_active_drawing", "last_object_clicked_count"]
PLACE_KEY = "q_place"
MAP_KEY = "q_map"
HEDGING = ["", *HEDGING_LEVELS]  # "" is a plain statement
# The widgets' keys, for share links (geo.dashboard.share_ui).
KEYS = share_ui.ViewKeys(
    axis="q_axis", years=lambda axis: f"q_years:{axis}", undated="q_undated", notes="q_notes",
    sources="q_sources", kinds="q_kinds", hedging="q_hedging", place=PLACE_KEY,
)  # fmt: skip


def _stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@st.cache_resource(show_spinner="Opening the built corpus…", max_entries=2)
def open_build(built: str, stamp: str) -> ClaimsQuery:
    """The places of the build and a DuckDB view of its claims (`stamp` only keys the cache)."""
    places = places_frame(read_places(Path(built) / "places.csv"))
    return ClaimsQuery(Path(built) / CLAIMS_PARQUET, places)


@st.cache_resource(max_entries=2)
def document_files(corpus: str, stamp: str) -> dict[str, str]:
    """doc_id (the file name without extension) -> path, for the .txt and .md files of the folder."""
    files = {}
    with os.scandir(corpus) as entries:
        for entry in entries:
            stem, extension = os.path.splitext(entry.name)
            if extension.lower() in (".txt", ".md") and entry.is_file():
                files.setdefault(stem, entry.path)
    return files


class DocumentFiles:
    """doc_id -> the path of its file in the corpus folder, looked up when a claim's full text is
    offered: DOC_ID.txt or DOC_ID.md directly, the folder's listing (`document_files`, any case of
    the extension) only for a document not found so. Opening the page lists no folder, whatever
    the number of documents."""

    def __init__(self, corpus: Path | None):
        self.corpus = corpus if corpus is not None and corpus.is_dir() else None

    def get(self, doc_id: str) -> str | None:
        if self.corpus is None or not _plain_name(doc_id):
            return None
        for extension in (".txt", ".md"):
            path = self.corpus / f"{doc_id}{extension}"
            try:
                if path.is_file():
                    return str(path)
            except OSError:  # a name too long for the file system with this extension
                continue
        return document_files(str(self.corpus), _stamp(self.corpus)).get(doc_id)


def _plain_name(doc_id: str) -> bool:
    """A file name within the folder: no separator, not '.' or '..' (a doc_id is data)."""
    separators = {os.sep, os.altsep} - {None}
    return (
        bool(doc_id)
        and doc_id not in (".", "..")
        and not any(sep in doc_id for sep in separators)
        and "\x00" not in doc_id
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _summary(built: str, stamp: str, selection: ClaimFilter) -> tuple[pd.DataFrame, int, int]:
    query = open_build(built, stamp)
    summary = query.summarise_places(selection)
    # Every claim has a place: the claims that pass are the places' claims (one scan fewer).
    return summary, int(summary["n_claims"].sum()), query.count_documents(selection)


def map_layers(summary: pd.DataFrame, selected: str | None, view=None) -> tuple[list, str | None]:
    """Country (and province) areas under the markers, as on the in-memory page (no arcs), within
    the map's payload budget; and the notice that says what the map leaves out (or None)."""
    thinned = evidence_map.thinned_places(summary, selected, view)
    return evidence_map.budgeted_layers(thinned, selected), notice(thinned)


def sidebar(query: ClaimsQuery) -> ClaimFilter:
    sb = st.sidebar
    sb.header("Filters")
    axis = sb.radio("Time axis", list(AXES), format_func=AXES.__getitem__, key=KEYS.axis)
    bounds = query.year_bounds(axis)
    years = None
    if bounds is not None and bounds[0] < bounds[1]:
        key = KEYS.years(axis)
        drop_stale(key, bounds)
        years = sb.slider("Year", bounds[0], bounds[1], key=key, **initial(key, "value", bounds))
        if tuple(years) == bounds:
            years = None  # every dated claim is in the full range: no need to test each one
    n_undated = query.count_undated(axis)
    include_undated = sb.checkbox(
        f"Include undated claims ({n_undated:,})", key=KEYS.undated,
        **initial(KEYS.undated, "value", True),
    )  # fmt: skip
    n_notes = query.count_in_notes()
    include_notes = sb.checkbox(
        f"Include claims from reference lists ({n_notes:,})", key=KEYS.notes,
        **initial(KEYS.notes, "value", True),
    )  # fmt: skip
    all_sources = query.sources_by_frequency()
    drop_stale(KEYS.sources, all_sources)
    sources = sb.multiselect("Sources", all_sources, placeholder="All sources", key=KEYS.sources)
    kinds_present = _kinds(query)
    drop_stale(KEYS.kinds, kinds_present)
    kinds = sb.multiselect("Kinds of place", kinds_present, placeholder="All kinds", key=KEYS.kinds)
    hedging = sb.multiselect(
        "How firmly stated", HEDGING, format_func=lambda v: hedging_label(v) if v else "plain",
        placeholder="Any", key=KEYS.hedging,
    )  # fmt: skip
    return ClaimFilter(
        years=tuple(years) if years else None,
        include_undated=include_undated,
        include_notes=include_notes,
        sources=frozenset(sources) or None,
        kinds=frozenset(kinds) or None,
        axis=axis,
        hedging=frozenset(hedging) or None,
    )


def _kinds(query: ClaimsQuery) -> list[str]:
    present = set(query.places["kind"].tolist())
    return [k for k in PLACE_KINDS if k in present]


@st.dialog("Full text", width="large")
def full_text(path: str, claim: dict) -> None:
    try:
        document = read_document(path)
    except (OSError, ValueError) as exc:
        st.error("The document could not be read from its file.")
        st.code(str(exc), language=None, wrap_lines=True)
        return
    published = document.published.iso if document.published else ""
    st.html(
        panel.document_header_html(
            document.title, document.outlet, document.author, published, document.doc_id
        )
    )
    # In the page itself, as on the in-memory page (no deprecated components.html).
    with st.container(height=520, border=True):
        st.html(panel.document_html(document.text, int(claim["start"]), int(claim["end"])))
    st.html(panel.SCROLL_TO_MENTION, unsafe_allow_javascript=True)


def place_claims(query, selection, place: pd.Series, files: DocumentFiles) -> None:
    details = query.places.set_index("place_id").loc[place["place_id"]].to_dict()
    st.html(panel.place_header_html(details, int(place["n_claims"]), int(place["n_docs"])))
    total = int(place["n_claims"])
    n_pages = max(1, -(-total // CLAIMS_PER_PAGE))
    page = 1
    if n_pages > 1:
        page = st.pagination(n_pages, key=f"q_page:{place['place_id']}")
    rows, _, _ = query.claims_for_place(
        place["place_id"], selection, page, CLAIMS_PER_PAGE, total=total
    )
    if n_pages > 1:
        first = (page - 1) * CLAIMS_PER_PAGE + 1
        st.caption(f"Claims {first:,}–{first + len(rows) - 1:,} of {total:,}, oldest first")

    def opener(claim: dict):
        path = files.get(str(claim["doc_id"]))
        return None if path is None else functools.partial(full_text, path, claim)

    claim_cards(rows, "q_doc", opener)


def main(options: AppOptions, note: str | None = None) -> None:
    """The page; `note` (plain text) says why the app chose it."""
    built = options.built
    if not (built / CLAIMS_PARQUET).is_file() or not (built / "places.csv").is_file():
        st.error(
            f"{markdown_text(built)} holds no built corpus: build it first with "
            f"python -m geo build --corpus DIR --out {markdown_text(built)}"
        )
        st.stop()
    stamp = ";".join(
        _stamp(path)
        for path in (
            built / CLAIMS_PARQUET,
            built / "places.csv",
            index_folder(built / CLAIMS_PARQUET) / FACTS,
        )
    )  # an index written after the page opened the claims is taken up on the next run
    query = open_build(str(built), stamp)
    files = DocumentFiles(options.corpus)

    st.title("Places in the reports", anchor=False)
    st.caption(
        f"Built corpus {markdown_text(built.name)}/ · {query.count():,} claims · "
        f"{len(query.places):,} places · queried where they lie (DuckDB over claims.parquet)"
    )
    if note:
        st.info(markdown_text(note), icon=":material/database:")
    # A shared link sets the filters and the place on a session's first run.
    share_ui.apply_link_once(
        KEYS, {axis: query.year_bounds(axis) for axis in AXES}, query.sources_by_frequency(),
        _kinds(query), set(query.places["place_id"].tolist()), hedging=HEDGING,
    )  # fmt: skip
    selection = sidebar(query)
    summary, n_claims, n_docs = _summary(str(built), stamp, selection)
    st.sidebar.markdown(
        f"**Showing** {len(summary):,} places · {n_claims:,} claims · {n_docs:,} documents"
    )
    valid = set(summary["place_id"].tolist())
    if "_link_notices" in st.session_state:  # a link's first page: name its place if dropped
        places = query.places
        share_ui.show_link_notices(
            valid, dict(zip(places["place_id"], places["name"], strict=True))
        )
    if st.session_state.get(PLACE_KEY) not in valid:
        st.session_state[PLACE_KEY] = None
    map_and_panel(query, selection, summary, files, options)  # and the URL follows the place
    # The timeline charts every year of the other filters' claims, the year filter drawn on it as
    # a band; brushing it sets the year slider (one time filter, as on the in-memory page).
    counts, undated = _timeline(str(built), stamp, replace(selection, years=None))
    evidence_ui.timeline_counts_section(
        counts, undated, selection.axis, selection.years, query.year_bounds(selection.axis),
        KEYS.years(selection.axis),
    )  # fmt: skip


@st.cache_data(max_entries=64, show_spinner=False)
def _timeline(built: str, stamp: str, selection: ClaimFilter) -> tuple[pd.DataFrame, int]:
    return open_build(built, stamp).timeline_and_undated(selection)


@st.fragment
def map_and_panel(query, selection, summary: pd.DataFrame, files, options: AppOptions) -> None:
    """The map of the places that pass beside the panel of the one selected: a click on a marker
    or in the list reruns this part only (the sidebar, the counts and the timeline stay)."""
    _map_and_panel(query, selection, summary, files, options)
    share_ui.sync_link(selection, st.session_state.get(PLACE_KEY))


def _listed(summary: pd.DataFrame) -> pd.DataFrame:
    """The places the list offers: the busiest LIST_PLACES, or with a name typed in the search
    box (shown when the list cannot hold every place), the busiest whose name holds it."""
    if len(summary) <= LIST_PLACES:
        st.session_state.pop(FIND_KEY, None)
        return summary
    typed = st.text_input(
        "Find a place by name", key=FIND_KEY, placeholder=f"Any of the {len(summary):,} places",
        help=f"The list below holds the {LIST_PLACES:,} places with the most claims; type part "
        "of a name to list the others.",
    ).strip()  # fmt: skip
    if not typed:
        return summary.head(LIST_PLACES)
    names = summary["name"].fillna("").astype(str).str.casefold()
    found = summary[names.str.contains(typed.casefold(), regex=False)]
    if found.empty:
        st.caption("No place that passes the filters has that name.")
    return found.head(LIST_PLACES)


def _map_and_panel(query, selection, summary: pd.DataFrame, files, options: AppOptions) -> None:
    valid = set(summary["place_id"].tolist())
    selected = st.session_state.get(PLACE_KEY)
    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        # The view the map last reported (bounds and zoom): the places in it are drawn first.
        reports_view = evidence_ui.map_needs_view(query.places, map_budget.BUDGET)
        view = map_view(st.session_state.get(MAP_KEY)) if reports_view else None
        layers, leaves_out = map_layers(summary, selected, view)
        notice_box = st.empty()  # above the map: what it leaves out
        folium_clicks.start_click_count_at_zero()
        output = st_folium(
            base_map(online_tiles=options.online_tiles),
            feature_group_to_add=layers,
            returned_objects=MAP_RETURNS + VIEW_RETURNS * reports_view,
            key=MAP_KEY,
            height=600,
            use_container_width=True,  # streamlit-folium's own option, not Streamlit's
        )
        # The component returns its last click on every rerun: a click is taken once, so that a
        # place picked from the list afterwards is not overridden by it.
        clicked = clicked_place_id(output, valid)
        signature = (clicked, (output or {}).get("last_object_clicked_count"))
        if clicked is not None and signature != st.session_state.get("q_click_seen"):
            st.session_state["q_click_seen"] = signature
            st.session_state[PLACE_KEY] = selected = clicked
        if leaves_out:
            notice_box.caption(f":material/info: {leaves_out}")  # counts only: no document text
        st.html(evidence_map.legend_html(False))
    with panel_col:
        listed = _listed(summary)
        if selected is not None and selected not in set(listed["place_id"]):
            listed = pd.concat([listed, summary[summary["place_id"] == selected]])
        names = dict(zip(listed["place_id"], listed["name"], strict=True))
        counts = dict(zip(listed["place_id"], listed["n_claims"], strict=True))
        st.selectbox(
            "Place", listed["place_id"].tolist(), index=None, key=PLACE_KEY,
            format_func=lambda p: f"{names[p]} · {int(counts[p]):,} claims",
            placeholder="Click a marker, or pick a place (busiest first)",
        )  # fmt: skip
        place_id = st.session_state.get(PLACE_KEY)
        if place_id is None or place_id not in valid:
            st.info("Click a place on the map, or pick one above, to read what the documents say.")
            return
        place = summary.set_index("place_id", drop=False).loc[place_id]
        place_claims(query, selection, place, files)
