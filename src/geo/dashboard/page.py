"""The dashboard's page: the sidebar's filters, the map beside the panel of the place clicked, the
timeline and the review lists below. `app.py` runs `main()` on every Streamlit rerun.

Everything runs offline; the build is cached on the corpus files' names, sizes and mtimes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.build.pipeline import DEFAULT_CORPUS, DEFAULT_PLACES_CSV
from geo.dashboard import (
    evidence_map,
    evidence_ui,
    filters,
    map_budget,
    map_component,
    page_choice,
    panel,
    query_page,
    review_ui,
    views,
)
from geo.dashboard.app_args import AppOptions, parse_app_args
from geo.dashboard.claim_cards import claim_cards
from geo.dashboard.loading import load_corpus
from geo.dashboard.map_component import show_map
from geo.dashboard.mapview import clicked_place_id
from geo.dashboard.page_start import page_start
from geo.dashboard.plain_text import markdown_text
from geo.dashboard.widget_state import drop_stale
from geo.store.claims_parquet import CLAIMS_PARQUET
from geo.store.schema import PLACE_KINDS, SchemaError

CLAIMS_PER_PAGE = 20
PLACE_KEY = "place"  # session-state key of the selected place (the selectbox's value)
MAP_KEY = "map"


def corpus_fingerprint(*paths: Path | None) -> str:
    """A digest of (name, size, mtime) of every file under the given paths: any edit makes a new
    cache key. A short string, so that the caches keyed by it hash it quickly on every rerun.
    os.scandir lists a folder of 10,000 files four times faster than Path.iterdir + stat."""
    entries = []
    for root in paths:
        if root is None:
            continue
        root = str(root)
        try:
            if not os.path.isdir(root):
                stat = os.stat(root)
                entries.append(f"{root}\t{stat.st_size}\t{stat.st_mtime_ns}")
                continue
            listing = os.scandir(root)
        except OSError:  # missing, or removed since
            continue
        found = []
        with listing:
            # Only the folder's own files: the build reads no sub-folder, and one may be huge.
            for entry in listing:
                try:
                    if entry.is_file():
                        stat = entry.stat()
                        found.append(f"{entry.path}\t{stat.st_size}\t{stat.st_mtime_ns}")
                except OSError:  # removed since it was listed
                    continue
        entries += sorted(found)
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogatepass")).hexdigest()


def sidebar_filters(claims: pd.DataFrame, places: pd.DataFrame) -> filters.ClaimFilter:
    sb = st.sidebar
    sb.header("Filters")
    years = None
    axis = evidence_ui.time_axis(sb)
    bounds = filters.year_bounds(claims, axis)
    if bounds is None:
        sb.caption("No claim has a date.")
    elif bounds[0] == bounds[1]:
        sb.caption(f"All dated claims are from {bounds[0]}.")
    else:
        drop_stale(review_ui.YEARS_KEY, bounds)
        years = sb.slider(
            "Year of the claim",
            min_value=bounds[0],
            max_value=bounds[1],
            help="The date stated in the text, else the document's publication date. "
            "The same filter as the span brushed on the timeline below the map.",
            key=review_ui.YEARS_KEY,
            **review_ui.initial(review_ui.YEARS_KEY, "value", bounds),
        )
    n_undated = filters.count_undated(claims, axis)
    include_undated = sb.checkbox(
        f"Include undated claims ({n_undated})",
        disabled=n_undated == 0,
        help="Claims with no date on the chosen time axis.",
        key=review_ui.UNDATED_KEY,
        **review_ui.initial(review_ui.UNDATED_KEY, "value", True),
    )
    n_notes = filters.count_in_notes(claims)
    include_notes = sb.checkbox(
        f"Include claims from reference lists ({n_notes})",
        disabled=n_notes == 0,
        help="Sentences in a document's numbered notes: what a cited piece says, "
        "not the document's own statement.",
        key=review_ui.NOTES_KEY,
        **review_ui.initial(review_ui.NOTES_KEY, "value", True),
    )
    all_sources = filters.sources_by_frequency(claims)
    drop_stale(review_ui.SOURCES_KEY, all_sources)
    untitled = filters.untitled_sources(claims)  # named by their file: say so
    chosen_sources = sb.multiselect(
        "Sources",
        all_sources,
        format_func=lambda s: f"{s} (file name)" if s in untitled else s,
        placeholder="All sources",
        key=review_ui.SOURCES_KEY,
    )
    kinds = set(places["kind"].tolist())
    kinds_present = [k for k in PLACE_KINDS if k in kinds]
    drop_stale(review_ui.KINDS_KEY, kinds_present)
    chosen_kinds = sb.multiselect(
        "Kinds of place", kinds_present, placeholder="All kinds", key=review_ui.KINDS_KEY
    )
    speakers, hedging = evidence_ui.speaker_and_hedging_filters(sb, claims)
    evidence_ui.movement_toggle(sb)
    return filters.ClaimFilter(
        years=years,
        include_undated=include_undated,
        include_notes=include_notes,
        sources=frozenset(chosen_sources) or None,
        kinds=frozenset(chosen_kinds) or None,
        axis=axis,
        speakers=speakers,
        hedging=hedging,
    )


def fit_view(places: pd.DataFrame, width_px: int = 520, height_px: int = 560):
    """Centre and zoom that show every place (Web Mercator, 256 px tiles), or (None, None)."""
    if places.empty:
        return None, None
    south, north = float(places["lat"].min()), float(places["lat"].max())
    west, east = float(places["lon"].min()), float(places["lon"].max())

    def mercator_y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_zoom = math.log2(width_px / 256 * 360 / max(east - west, 1e-6))
    lat_zoom = math.log2(
        height_px / 256 * 2 * math.pi / max(mercator_y(north) - mercator_y(south), 1e-6)
    )
    zoom = int(max(2, min(7, math.floor(min(lon_zoom, lat_zoom) - 0.2))))
    return ((south + north) / 2, (west + east) / 2), zoom


def take_click(output: dict | None, valid_ids: set[str]) -> None:
    """Select the place just clicked on the map. The component keeps returning its last click, so a
    click is applied once: after the user picks another place from the list, it does not come back."""
    place_id = clicked_place_id(output, valid_ids)
    if place_id is None:
        return
    signature = (place_id, (output or {}).get("last_object_clicked_count"))
    if signature != st.session_state.get("_click_seen"):
        st.session_state["_click_seen"] = signature
        st.session_state[PLACE_KEY] = place_id


def _on_map_change() -> None:
    take_click(st.session_state.get(MAP_KEY), st.session_state.get("_shown_ids", set()))


def _on_pick() -> None:
    st.session_state["_center_on"] = st.session_state.get(PLACE_KEY)


# Scrolls the full text's box to the mention once it is drawn (tried for up to 3 s).


@st.dialog("Full text", width="large")
def show_document(document, claim: dict) -> None:
    published = document.published.iso if document.published else ""
    st.html(
        panel.document_header_html(
            document.title, document.outlet, document.author, published, str(document.path)
        )
    )
    # In the page itself, not an iframe: the app's font, and no deprecated components.html.
    # The text is escaped (panel.highlighted); only our own script runs.
    with st.container(height=520, border=True):
        st.html(panel.document_html(document.text, int(claim["start"]), int(claim["end"])))
    st.html(panel.SCROLL_TO_MENTION, unsafe_allow_javascript=True)


@st.fragment
def map_and_panel(result, view: views.FilterView, options: AppOptions) -> None:
    """The map and the side panel: a marker click reruns only this part."""
    shown, summary = view.shown, view.summary
    valid_ids = view.remembered("place ids", lambda: frozenset(summary["place_id"].tolist()))
    st.session_state["_shown_ids"] = valid_ids
    review_ui.apply_pending_selection(PLACE_KEY)  # a correction asked to stay on its place
    if st.session_state.get(PLACE_KEY) not in valid_ids:
        st.session_state[PLACE_KEY] = None  # filtered out: back to the prompt
    selected = st.session_state.get(PLACE_KEY)
    by_id = view.remembered("by id", lambda: summary.set_index("place_id", drop=False))
    labels = view.remembered("labels", lambda: place_labels(summary))

    # The corpus's own extent first (fixed, so filtering never moves the map), then the place
    # picked from the list. Changing center/zoom moves the map without reloading it.
    center, zoom = fit_view(result.places)
    center_on = st.session_state.get("_center_on")
    if center_on in valid_ids:
        center = (float(by_id.at[center_on, "lat"]), float(by_id.at[center_on, "lon"]))

    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        # Country areas under the markers, movement arcs on top (when switched on): made once
        # per filter state, selected place and arcs switch, whichever session asks.
        flows = bool(st.session_state.get(evidence_ui.FLOWS_KEY))
        # Within the map's payload budget (geo.dashboard.map_budget): with more places than it
        # holds, the map reports its view and the places in view are drawn first.
        budget = map_budget.BUDGET
        reports_view = evidence_ui.map_needs_view(result.places, budget)
        map_at = map_budget.map_view(st.session_state.get(MAP_KEY)) if reports_view else None
        thinned = view.remembered(
            ("thinned", selected, map_at, budget),
            lambda: evidence_map.thinned_places(summary, selected, map_at, budget),
        )
        layers_js = view.remembered(
            ("map layers", selected, flows, map_at, budget),
            lambda: map_component.layers_script(
                evidence_ui.map_layers(
                    thinned, selected, shown, result.places, result.texts(), flows
                )
            ),
        )
        leaves_out = map_budget.notice(thinned)
        if leaves_out:
            st.caption(f":material/info: {leaves_out}")  # counts only: no document text
        output = show_map(
            map_component.base_map_parts(options.online_tiles),
            layers_js,
            # The click count makes a second click on the same marker count as a click.
            returned_objects=[
                "last_active_drawing",
                "last_object_clicked_count",
                *map_budget.VIEW_RETURNS * reports_view,
            ],  # fmt: skip
            center=center,
            zoom=zoom,
            key=MAP_KEY,
            height=600,
            on_change=_on_map_change,
        )
        # A no-op after the on_change callback; needed when show_map is mocked (AppTest).
        take_click(output, valid_ids)
        evidence_ui.legend()
        st.caption(
            "Circle area and country shade grow with the number of claims in the current filter. "
            "Hover a place for its name; click it to read what the documents say."
        )
        evidence_ui.unplaced_section(result.unresolved)

    with panel_col:
        st.selectbox(
            "Place",
            view.remembered("place list", lambda: summary["place_id"].tolist()),
            format_func=labels.__getitem__,
            index=None,
            key=PLACE_KEY,
            placeholder="Click a marker, or pick a place (busiest first)",
            on_change=_on_pick,
        )
        place_id = st.session_state.get(PLACE_KEY)
        review_ui.sync_link(st.session_state.get("_selection"), place_id)
        notice = st.empty()  # a correction just made, when the panel below does not show it
        if place_id is None:
            st.session_state.pop(review_ui.SCROLL_TO_PANEL, None)  # no panel to bring into view
            st.info("Click a place on the map, or pick one above, to read what the documents say.")
        else:
            place_panel(result, shown, by_id.loc[place_id])
            review_ui.scroll_to_panel_if_asked()
        if "_review" in st.session_state:
            review_ui.correction_notice(
                notice, st.session_state["_review"][1], result.documents, place_id
            )


def place_labels(summary: pd.DataFrame) -> dict[str, str]:
    """place_id -> 'Mosul (city, IQ)': what the place list shows (built for every place at once:
    the list of a large corpus has thousands). A label never changes with the filters: the list's
    browser side keeps the label it shows and sends it back at the next change, so a label that
    had changed (a claim count) matched no option and lost the selected place. Labels that would
    be the same name the place's id too."""
    labels = {}
    columns = ("place_id", "name", "kind", "country_code")
    for place_id, name, kind, country in zip(*(summary[c].tolist() for c in columns), strict=True):
        where = ", ".join(v for v in (kind, country) if isinstance(v, str) and v)
        labels[place_id] = f"{name} ({where})"
    counts = Counter(labels.values())
    return {
        place_id: label if counts[label] == 1 else f"{label} · {place_id}"
        for place_id, label in labels.items()
    }


def place_panel(result, shown: pd.DataFrame, place: pd.Series) -> None:
    # With their excerpts, cut from the documents' texts: the claims table holds offsets only.
    rows = evidence_ui.with_excerpts(
        evidence_ui.place_claims(shown, place["place_id"]), result.texts()
    )
    details = result.places.set_index("place_id").loc[place["place_id"]].to_dict()
    st.html(panel.place_header_html(details, int(place["n_claims"]), int(place["n_docs"])))
    evidence_ui.agreement_section(rows, place["place_id"])  # documents, speakers, numbers
    if "_review" in st.session_state:
        state, places_csv = st.session_state["_review"]
        table, n_documents = review_ui.place_resolutions(
            state, result.documents, result.claims, place["place_id"]
        )
        review_ui.resolution_panel(
            state.geoparser,
            table,
            {"place_id": place["place_id"], **details},
            places_csv,
            review_ui.place_names(result.places),
            n_documents,
            result.documents,
        )
    page_rows, n_pages = filters.page_of(rows, 1, CLAIMS_PER_PAGE)
    if n_pages > 1:
        page = st.pagination(n_pages, key=f"page:{place['place_id']}:{n_pages}")
        page_rows, _ = filters.page_of(rows, page, CLAIMS_PER_PAGE)
        first = (page - 1) * CLAIMS_PER_PAGE + 1
        st.caption(f"Claims {first}–{first + len(page_rows) - 1} of {len(rows)}, oldest first")

    def opener(claim: dict):
        document = result.documents.get(claim["doc_id"])
        return None if document is None else functools.partial(show_document, document, claim)

    claim_cards(page_rows, "doc", opener, beside=review_ui.cite_button)


@functools.lru_cache(maxsize=8)  # the same arguments on every rerun
def app_options(argv: tuple[str, ...]) -> AppOptions:
    return parse_app_args(argv, default_corpus=DEFAULT_CORPUS)


@st.cache_data(ttl=60, show_spinner=False, max_entries=8)
def _large_build_at(corpus: str, places_csv: str, stamp: str, threshold: int):
    return page_choice.large_build_for(Path(corpus), Path(places_csv))


def _large_build(options: AppOptions):
    """The corpus's large built output (geo.dashboard.page_choice), looked at again when its
    claims file or the corpus folder changes, or after a minute."""
    places_csv = options.places or DEFAULT_PLACES_CSV
    stamps = []
    for path in (places_csv.parent / CLAIMS_PARQUET, options.corpus):
        try:
            stat = path.stat()
            stamps.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            stamps.append("missing")
    return _large_build_at(
        str(options.corpus), str(places_csv), ";".join(stamps), page_choice.LARGE_BUILD_CLAIMS
    )


def main() -> None:
    options = page_start(app_options)
    if options.built is not None:  # a built corpus, queried where it lies
        query_page.main(options)
        return
    if not options.corpus.is_dir():
        st.error(f"The corpus folder {markdown_text(options.corpus)} does not exist.")
        st.stop()
    large = None if options.in_memory else _large_build(options)
    if large is not None:  # too many claims to load: queried where they lie
        query_page.main(replace(options, built=large.folder), page_choice.switch_note(large))
        return
    st.title("Places in the reports", anchor=False)  # before the build, which may take a while
    try:
        places_csv = options.places or DEFAULT_PLACES_CSV
        fingerprint = corpus_fingerprint(options.corpus, places_csv)
        result = load_corpus(str(options.corpus), str(places_csv), fingerprint)
    except SchemaError as exc:  # a data file breaks the contract: name the file, line and column
        name = Path(exc.path).name
        st.error(
            f"**{markdown_text(name)}** cannot be read, so the map cannot be drawn. "
            "Fix it and reload."
        )
        st.code(str(exc), language=None, wrap_lines=True)  # the file's text, shown literally
        st.stop()
    except (ValueError, OSError) as exc:
        st.error(f"Could not read the corpus in {markdown_text(options.corpus)}.")
        st.code(str(exc), language=None, wrap_lines=True)
        st.stop()

    st.caption(
        f"Corpus {markdown_text(options.corpus.name)}/ · {len(result.documents)} documents · "
        f"{len(result.places)} places · {len(result.claims)} claims"
    )
    if result.warnings:
        with st.expander(f"{len(result.warnings)} build warning(s)"):
            st.text("\n".join(result.warnings))

    review_ui.apply_link_once(
        result.claims, result.places, filters.sources_by_frequency(result.claims),
        sorted(set(result.places["kind"])), PLACE_KEY,
    )  # fmt: skip
    selection = sidebar_filters(result.claims, result.places)
    # The claims and counts of this filter state: shared by every session that shows it. The
    # timeline charts every year of the other filters' claims, the year filter drawn on it as a
    # band (evidence_ui.timeline_section): one time filter in two places.
    view = views.filter_view(result.claims, result.places, selection)
    shown, summary = view.shown, view.summary
    timeline_claims = views.filter_view(
        result.claims, result.places, dataclasses.replace(selection, years=None)
    ).shown
    st.sidebar.markdown(
        f"**Showing** {len(summary)} places · {len(shown)} claims · {view.n_documents} documents"
    )
    review_ui.export_buttons(shown, result.places, summary, result.texts())
    seeds = options.corpus.resolve() == (DEFAULT_CORPUS).resolve()
    review_ui.upload_section(options.corpus, not seeds and os.access(options.corpus, os.W_OK))
    review_ui.show_link_notices(
        view.remembered("place ids", lambda: frozenset(summary["place_id"].tolist())),
        review_ui.place_names(result.places),
    )
    if summary.empty:
        st.warning("No claim matches these filters.")
    st.session_state["_selection"] = selection
    review_state = review_ui.resolutions(str(places_csv), str(options.corpus), fingerprint)
    # Corrections go with the corpus: its own places file unless --places names one.
    corrections_csv = review_ui.corrections_file(options.corpus, options.places, DEFAULT_CORPUS)
    st.session_state["_review"] = (review_state, corrections_csv)
    map_and_panel(result, view, options)
    evidence_ui.timeline_section(
        timeline_claims, selection.axis, selection.years,
        filters.year_bounds(result.claims, selection.axis),
    )  # fmt: skip
    review_ui.needs_review_list(review_state, result.documents, result.places, PLACE_KEY)
    review_ui.corrections_list(corrections_csv, result.documents)
    # The page is drawn: load the gazetteer for the resolution panel before the first click.
    review_state.warm_up()
