"""The dashboard: filter the claims, click a place, read what the documents say about it.

    streamlit run app.py                      # the documents in seeds/
    streamlit run app.py -- --corpus DIR      # another folder

Everything runs offline; the build is cached on the corpus files' names, sizes and mtimes.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo import filters, panel
from geo.cli_args import AppOptions, parse_app_args
from geo.mapview import base_map, clicked_place_id, legend_html, places_layer
from geo.pipeline import DEFAULT_PLACES_CSV, build_corpus

HERE = Path(__file__).resolve().parent
CLAIMS_PER_PAGE = 20
PLACE_KEY = "place"  # session-state key of the selected place (the selectbox's value)
MAP_KEY = "map"


def corpus_fingerprint(*paths: Path | None) -> tuple:
    """(name, size, mtime) of every file under the given paths: any edit makes a new cache key."""
    entries = []
    for root in paths:
        if root is None or not root.exists():
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            stat = path.stat()
            entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


@st.cache_resource(show_spinner="Reading the documents…", max_entries=4)
def load_corpus(corpus: str, places: str, fingerprint: tuple):
    # cache_resource, not cache_data: the result is read-only and copying the documents on every
    # rerun would cost more than the rerun. `fingerprint` is only part of the cache key.
    return build_corpus(Path(corpus), Path(places))


def sidebar_filters(claims: pd.DataFrame, places: pd.DataFrame) -> filters.ClaimFilter:
    sb = st.sidebar
    sb.header("Filters")
    years = None
    bounds = filters.year_bounds(claims)
    if bounds is None:
        sb.caption("No claim has a date.")
    elif bounds[0] == bounds[1]:
        sb.caption(f"All dated claims are from {bounds[0]}.")
    else:
        years = sb.slider(
            "Year of the claim",
            min_value=bounds[0],
            max_value=bounds[1],
            value=bounds,
            help="The date stated in the text, else the document's publication date.",
        )
    n_undated = filters.count_undated(claims)
    include_undated = sb.checkbox(
        f"Include undated claims ({n_undated})",
        value=True,
        disabled=n_undated == 0,
        help="Claims with neither a date in the text nor a publication date.",
    )
    chosen_sources = sb.multiselect(
        "Sources", filters.sources_by_frequency(claims), placeholder="All sources"
    )
    kinds_present = [k for k in ("country", "admin1", "region", "city", "landmark")
                     if k in set(places["kind"])]  # fmt: skip
    chosen_kinds = sb.multiselect("Kinds of place", kinds_present, placeholder="All kinds")
    return filters.ClaimFilter(
        years=years,
        include_undated=include_undated,
        sources=frozenset(chosen_sources) or None,
        kinds=frozenset(chosen_kinds) or None,
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


@st.dialog("Full text", width="large")
def show_document(document, claim: dict) -> None:
    published = document.published.iso if document.published else ""
    st.html(
        panel.document_header_html(
            document.title, document.outlet, document.author, published, str(document.path)
        )
    )
    components.html(
        panel.document_page_html(document.text, int(claim["start"]), int(claim["end"]), 520),
        height=530,
    )


@st.fragment
def map_and_panel(result, shown: pd.DataFrame, summary: pd.DataFrame, options: AppOptions) -> None:
    """The map and the side panel: a marker click reruns only this part."""
    valid_ids = set(summary["place_id"])
    st.session_state["_shown_ids"] = valid_ids
    if st.session_state.get(PLACE_KEY) not in valid_ids:
        st.session_state[PLACE_KEY] = None  # filtered out: back to the prompt
    selected = st.session_state.get(PLACE_KEY)
    by_id = summary.set_index("place_id", drop=False)

    # The corpus's own extent first (fixed, so filtering never moves the map), then the place
    # picked from the list. Changing center/zoom moves the map without reloading it.
    center, zoom = fit_view(result.places)
    center_on = st.session_state.get("_center_on")
    if center_on in valid_ids:
        center = (float(by_id.at[center_on, "lat"]), float(by_id.at[center_on, "lon"]))

    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        output = st_folium(
            base_map(online_tiles=options.online_tiles),
            feature_group_to_add=places_layer(summary, selected_id=selected),
            # The click count makes a second click on the same marker count as a click.
            returned_objects=["last_active_drawing", "last_object_clicked_count"],
            center=center,
            zoom=zoom,
            key=MAP_KEY,
            height=600,
            use_container_width=True,
            on_change=_on_map_change,
        )
        # A no-op after the on_change callback; needed when st_folium is mocked (AppTest).
        take_click(output, valid_ids)
        st.html(legend_html())
        st.caption(
            "Circle area grows with the number of claims in the current filter. "
            "Hover a circle for its name; click it to read what the documents say."
        )

    with panel_col:
        st.selectbox(
            "Place",
            list(summary["place_id"]),
            format_func=lambda pid: place_label(by_id.loc[pid]),
            index=None,
            key=PLACE_KEY,
            placeholder="Click a marker, or pick a place (busiest first)",
            on_change=_on_pick,
        )
        place_id = st.session_state.get(PLACE_KEY)
        if place_id is None:
            st.info("Click a place on the map, or pick one above, to read what the documents say.")
            return
        place_panel(result, shown, by_id.loc[place_id])


def place_label(place: pd.Series) -> str:
    """'Mosul (city, IQ) · 18 claims': what the place list shows."""
    where = ", ".join(v for v in (place["kind"], place["country_code"]) if isinstance(v, str) and v)
    n = int(place["n_claims"])
    return f"{place['name']} ({where}) · {n} claim{'s' * (n != 1)}"


def place_panel(result, shown: pd.DataFrame, place: pd.Series) -> None:
    rows = filters.claims_for_place(shown, place["place_id"])
    details = result.places.set_index("place_id").loc[place["place_id"]].to_dict()
    st.html(panel.place_header_html(details, int(place["n_claims"]), int(place["n_docs"])))
    page_rows, n_pages = filters.page_of(rows, 1, CLAIMS_PER_PAGE)
    if n_pages > 1:
        page = st.pagination(n_pages, key=f"page:{place['place_id']}:{n_pages}")
        page_rows, _ = filters.page_of(rows, page, CLAIMS_PER_PAGE)
        first = (page - 1) * CLAIMS_PER_PAGE + 1
        st.caption(f"Claims {first}–{first + len(page_rows) - 1} of {len(rows)}, oldest first")
    with st.container(height=520, border=False):
        for claim in page_rows.to_dict("records"):
            with st.container(gap=None):
                st.html(panel.claim_card_html(claim))
                document = result.documents.get(claim["doc_id"])
                if document is not None and st.button(
                    "Full text",
                    key=f"doc:{claim['claim_id']}",
                    type="tertiary",
                    icon=":material/article:",
                    help="The whole document, scrolled to this mention",
                ):
                    show_document(document, claim)


def main() -> None:
    st.set_page_config(page_title="Places in the reports", page_icon="🗺️", layout="wide")
    st.html(panel.PANEL_CSS)
    try:
        options = parse_app_args(sys.argv[1:], default_corpus=HERE / "seeds")
    except ValueError as exc:
        st.error(str(exc))
        st.stop()
    if options.unknown:
        st.warning(f"Ignored unknown options: {' '.join(options.unknown)}")
    if not options.corpus.is_dir():
        st.error(f"The corpus folder {options.corpus} does not exist.")
        st.stop()
    try:
        places_csv = options.places or DEFAULT_PLACES_CSV
        result = load_corpus(
            str(options.corpus), str(places_csv), corpus_fingerprint(options.corpus, places_csv)
        )
    except (ValueError, OSError) as exc:  # geo.schema.SchemaError is a ValueError
        st.error(f"Could not read the corpus in {options.corpus}: {exc}")
        st.stop()

    st.title("Places in the reports", anchor=False)
    st.caption(
        f"Corpus {options.corpus.name}/ · {len(result.documents)} documents · "
        f"{len(result.places)} places · {len(result.claims)} claims"
    )
    if result.warnings:
        with st.expander(f"{len(result.warnings)} build warning(s)"):
            st.text("\n".join(result.warnings))

    selection = sidebar_filters(result.claims, result.places)
    shown = filters.filter_claims(result.claims, result.places, selection)
    summary = filters.summarise_places(result.places, shown)
    st.sidebar.markdown(
        f"**Showing** {len(summary)} places · {len(shown)} claims · "
        f"{shown['doc_id'].nunique()} documents"
    )
    if summary.empty:
        st.warning("No claim matches these filters.")
    map_and_panel(result, shown, summary, options)


main()
