"""The dashboard's evidence pieces: time axis, speaker and hedging filters, the timeline, agreement
per place, unplaced mentions. Streamlit calls live here so that app.py stays a thin composition.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

import pandas as pd
import pyarrow as pa
import streamlit as st

from geo.dashboard import evidence_html, evidence_map, filters, timeline
from geo.dashboard.frame_memo import per_frame
from geo.dashboard.mapview import places_layer
from geo.dashboard.widget_state import drop_stale
from geo.evidence import movements
from geo.evidence.hedging import HEDGING_LEVELS, hedging_label
from geo.evidence.quantities import place_quantities
from geo.evidence.speakers import NO_SPEAKER
from geo.store import excerpts

AXIS_KEY = "time_axis"
TIMELINE_KEY = "timeline"
SPEAKERS_KEY, HEDGING_KEY = "f_speakers", "f_hedging"
# A span of years from a shared link, in force until the user brushes or clears the timeline: a
# chart selection cannot be set from Python, only drawn as the brush's starting value.
LINK_SPAN_KEY = "_link_span"


def time_axis(sb) -> str:
    """The axis the year filter and the timeline use (a key of geo.dashboard.timeline.AXES)."""
    return sb.radio(
        "Time axis",
        list(timeline.AXES),
        format_func=timeline.AXES.get,
        key=AXIS_KEY,
        help="What it describes: the date the sentence states (“in November 2015”), else the "
        "publication date. Stated only: claims whose sentence states no date are undated. "
        "Publication: when the document appeared.",
    )


def speaker_and_hedging_filters(sb, claims: pd.DataFrame) -> tuple[frozenset | None, ...]:
    """'Attributed to' and 'How firmly stated' multiselects; None when nothing is chosen."""
    options, counts = _speaker_options(claims)
    _keep_known(SPEAKERS_KEY, options)
    chosen_speakers = sb.multiselect(
        "Attributed to",
        options,
        format_func=counts.__getitem__,
        placeholder="Anyone, or no one",
        key=SPEAKERS_KEY,
        help="Who the sentence says the claim comes from (“Kabulov said”, “according to Der "
        "Spiegel”). Spellings of one name are merged.",
    )
    levels = _hedging_counts(claims)
    present = [lvl for lvl in ("", *HEDGING_LEVELS) if lvl in levels]
    _keep_known(HEDGING_KEY, present)
    chosen_levels = sb.multiselect(
        "How firmly stated",
        present,
        format_func=lambda lvl: f"{hedging_label(lvl)} ({levels[lvl]})",
        placeholder="Any",
        key=HEDGING_KEY,
        help="The weakest hedge word in the sentence: rumours, “may”, “claimed”, “reportedly”, "
        "“estimated”, “confirmed”.",
    )
    return frozenset(chosen_speakers) or None, frozenset(chosen_levels) or None


@per_frame  # the same table on every rerun: its speakers are counted once
def _speaker_options(claims: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The speakers, the most quoted first (unattributed last), and their labels with counts."""
    counts = filters.claim_speakers(claims).value_counts().to_dict()
    options = sorted(counts, key=lambda s: (s == NO_SPEAKER, -counts[s], s.casefold()))
    return options, {s: f"{s} ({counts[s]})" for s in options}


@per_frame
def _hedging_counts(claims: pd.DataFrame) -> dict[str, int]:
    return claims["hedging"].fillna("").value_counts().to_dict()


def _keep_known(key: str, options: list[str]) -> None:
    """Forget chosen values the corpus no longer has (a multiselect would fail on them)."""
    drop_stale(key, options)


def current_span() -> tuple[int, int] | None:
    """The span of years selected on the timeline: from a shared link until the user brushes or
    clears the chart, else the brushed one (from the chart's state of the previous run)."""
    if st.session_state.get(LINK_SPAN_KEY) is not None:
        return st.session_state[LINK_SPAN_KEY]
    return timeline.selected_years(st.session_state.get(TIMELINE_KEY))


def _on_brush() -> None:
    st.session_state.pop(LINK_SPAN_KEY, None)  # the user's own selection replaces the link's


@per_frame  # the same view's claims (geo.dashboard.views) for every session that shows it
def _timeline_parts(claims: pd.DataFrame, axis: str) -> tuple:
    """`_parts_of_counts` for a table of claims, once per table and axis: building the chart
    through Altair took a tenth of a rerun."""
    counts = timeline.timeline_counts(claims, axis)
    return _parts_of_counts(counts, filters.count_undated(claims, axis), axis)


def _parts_of_counts(counts: pd.DataFrame, undated: int, axis: str) -> tuple:
    """The chart as a Vega-Lite spec (None: nothing dated), the claims left off the axis before
    its start, the earliest of their years, the axis's start, and the undated claims."""
    if counts.empty:
        return None, 0, None, None, undated
    chart = timeline.timeline_chart(
        timeline.fold_minor_sources(counts), f"Year ({timeline.AXES[axis].lower()})"
    )
    start = timeline.fitted_start(counts)
    n_early, earliest = timeline.left_off(counts, start)
    return _vega_lite_spec(chart), n_early, earliest, start, undated


def _vega_lite_spec(chart) -> dict:
    """The spec st.altair_chart would make of `chart` (its data as Arrow datasets)."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # a later Streamlit: the chart's own dict (its data inline)
        return chart.to_dict()
    return _convert_altair_to_vega_lite_spec(chart)


def timeline_section(
    claims: pd.DataFrame, axis: str, applied: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """The chart of claims per year by source for the current filter (all years, so the context
    stays visible); returns the brushed span. `applied` is the span the map already uses."""
    return _draw_timeline(_timeline_parts(claims, axis), applied)


def timeline_counts_section(
    counts: pd.DataFrame, undated: int, axis: str, applied: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """`timeline_section` from the counts (`timeline.timeline_counts`'s table, wherever they were
    counted) and the number of undated claims in the current filter."""
    return _draw_timeline(_parts_of_counts(counts, undated, axis), applied)


def _draw_timeline(parts: tuple, applied: tuple[int, int] | None) -> tuple[int, int] | None:
    spec, n_early, earliest, start, undated = parts
    if spec is None:
        st.caption("No dated claim to chart on this time axis.")
        if st.session_state.get(LINK_SPAN_KEY) is not None:
            _clear_link_span_button()
        return None
    linked = st.session_state.get(LINK_SPAN_KEY)
    if linked is not None:
        # Drawn as the brush's starting value. A bar covers [year, year + 1): ending the brush
        # just short of the next year highlights exactly the linked years' bars. (The spec is
        # shared: this session's copy gets its own params.)
        value = {"x": [linked[0], linked[1] + 0.999]}
        spec = {
            **spec,
            "params": [
                {**p, "value": value} if p.get("name") == timeline.SPAN_PARAM else p
                for p in spec["params"]
            ],
        }
    st.vega_lite_chart(spec, on_select=_on_brush, key=TIMELINE_KEY, width="stretch")
    span = current_span()
    if span != applied:  # the map was drawn before this chart: draw it again with the new span
        st.rerun()
    note = f" · {undated} undated claim{'s' * (undated != 1)} not charted" if undated else ""
    if n_early:
        note += (
            f" · {n_early} claim{'s' * (n_early != 1)} from {earliest}–{start - 1} left off the "
            "axis (on the map; the year slider reaches them)"
        )
    if span is None:
        st.caption(
            "Drag across the timeline to show only the claims of those years on the map above"
            + note
        )
    else:
        years = f"{span[0]}" if span[0] == span[1] else f"{span[0]}–{span[1]}"
        if linked is None:
            st.caption(f"**Timeline span {years}**: the map shows only these years. "
                       "Click the chart outside the grey band to clear it" + note)  # fmt: skip
        else:
            # The chart only reports spans the user brushes: a click outside the band cannot
            # clear a span that came from the link, so a button does.
            st.caption(f"**Timeline span {years}** (from the link): the map shows only these "
                       "years. Drag across the chart for another span" + note)  # fmt: skip
            _clear_link_span_button()
    return span


def _clear_link_span_button() -> None:
    st.button("Clear the timeline span", key="clear_link_span", on_click=_on_brush,
              type="tertiary", icon=":material/close:")  # fmt: skip


@per_frame  # a click or a page turn reruns the map-and-panel fragment with the same claims
def place_claims(shown: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """filters.claims_for_place, once per filtered table and place (read it, do not modify it)."""
    return filters.claims_for_place(shown, place_id)


@per_frame  # the same place's claims (place_claims) on every page turn
def with_excerpts(claims: pd.DataFrame, texts: excerpts.TextsOf) -> pd.DataFrame:
    """The claims with their excerpts, cut from the documents' texts (the claims table holds
    offsets only): for the claims a panel shows, once per table of them."""
    return excerpts.with_excerpts(claims, texts)


@per_frame  # the same place's claims (place_claims) on every page turn
def place_numbers(place_claims: pd.DataFrame) -> pd.DataFrame:
    return place_quantities(place_claims)


def agreement_section(place_claims: pd.DataFrame, place_id: str) -> None:
    """Documents, speakers and numbers side by side, the numbers a page at a time: a country can
    have thousands, and rendering them all took seconds and megabytes of HTML."""
    numbers = place_numbers(place_claims)
    per_page = evidence_html.NUMBERS_PER_PAGE
    n_pages = evidence_html.number_pages(len(numbers), per_page)
    table = st.container()  # the table above its page buttons
    page = 1
    if n_pages > 1:
        page = st.pagination(n_pages, key=f"numbers:{place_id}:{n_pages}")
    table.html(evidence_html.agreement_html(place_claims, numbers, page, per_page))


UNPLACED_PER_PAGE = 50  # names of the unplaced list at a time


def unplaced_section(unresolved: list[dict]) -> None:
    """How many recognised names could not be placed, and the list on request, a page at a time:
    an expander's content is sent to the browser even while it is closed, and a large corpus can
    have thousands of such names."""
    n_names, n_words, table = _unplaced_table(unresolved)
    label = f"{n_names} mention{'s' * (n_names != 1)} could not be placed"
    with st.expander(label):
        if table is None:
            st.caption("Every recognised name was placed.")
        else:
            rows, n_pages = _unplaced_page(table, 1, UNPLACED_PER_PAGE)
            if n_pages > 1:
                shown = st.container()  # the rows above their page buttons
                page = st.pagination(n_pages, key=f"unplaced:{n_pages}")
                rows, _ = _unplaced_page(table, page, UNPLACED_PER_PAGE)
                first = (page - 1) * UNPLACED_PER_PAGE + 1
                shown.caption(
                    f"Names {first:,}–{first + rows.num_rows - 1:,} of {len(table):,}, "
                    "most frequent first"
                )
                shown.dataframe(rows, hide_index=True, width="stretch")
            else:
                st.dataframe(rows, hide_index=True, width="stretch")
        if n_words:
            st.caption(f"Not counted: {n_words} capitalised ordinary words that were candidates.")


@per_frame  # the same table on every rerun: each page is converted for the browser once
def _unplaced_page(table: pd.DataFrame, page: int, per_page: int) -> tuple[pa.Table, int]:
    rows, n_pages = filters.page_of(table, page, per_page)
    return pa.Table.from_pandas(rows, preserve_index=False), n_pages


# The build's list of unplaced mentions is the same object on every rerun: its table is made once.
# Keyed by the list's id, holding the list itself so that the id cannot be reused meanwhile.
_UNPLACED: dict[int, tuple[list, tuple]] = {}
_UNPLACED_LOCK = threading.Lock()


def _unplaced_table(unresolved: list[dict]) -> tuple[int, int, pd.DataFrame | None]:
    with _UNPLACED_LOCK:
        kept = _UNPLACED.get(id(unresolved))
    if kept is not None and kept[0] is unresolved:
        return kept[1]
    names = [u for u in unresolved if not u.get("ordinary_word")]
    table = None
    if names:
        # Counted in plain Python: a DataFrame of tens of thousands of dicts, grouped, took
        # 0.06-0.1 s of the dashboard's first run.
        documents: dict[str, set] = defaultdict(set)
        times: Counter = Counter()
        for u in names:
            times[u["mention"]] += 1
            documents[u["mention"]].add(u["doc_id"])
        order = sorted(times, key=lambda m: (-times[m], m))
        table = pd.DataFrame(
            {
                "mention": order,
                "times": [times[m] for m in order],
                "documents": [_document_list(documents[m]) for m in order],
            }
        )
    value = (len(names), len(unresolved) - len(names), table)
    with _UNPLACED_LOCK:
        while len(_UNPLACED) >= 4:  # a few builds at most (cache_resource keeps 4)
            _UNPLACED.pop(next(iter(_UNPLACED)))
        _UNPLACED[id(unresolved)] = (unresolved, value)
    return value


UNPLACED_DOCUMENTS = 20  # document ids listed per unplaced name; the rest are counted


def _document_list(doc_ids) -> str:
    """'a, b, c', or the first UNPLACED_DOCUMENTS ids and how many more: a name a large corpus
    repeats in thousands of documents would otherwise fill the table's page with their ids."""
    names = sorted(set(doc_ids))
    listed = ", ".join(names[:UNPLACED_DOCUMENTS])
    more = len(names) - UNPLACED_DOCUMENTS
    return f"{listed} … and {more} more" if more > 0 else listed


FLOWS_KEY = "show_flows"


def movement_toggle(sb) -> bool:
    return sb.toggle(
        "Show movements (arcs)",
        key=FLOWS_KEY,
        help="Arcs from where people came from to where they went, read from sentences such as "
        "“left Syria and Iraq and returned to Germany”.",
    )


def map_layers(summary: pd.DataFrame, selected: str | None, shown: pd.DataFrame,
               places: pd.DataFrame, texts: excerpts.TextsOf,
               flows: bool | None = None) -> list:  # fmt: skip
    """The layers over the basemap, bottom to top: country areas, markers, movement arcs (each
    with the sentence it was read from: `texts` holds the documents' texts), the arcs when
    `flows` (None: as the session's switch says)."""
    if flows is None:
        flows = bool(st.session_state.get(FLOWS_KEY))
    countries, markers = _split_by_shape(summary)
    layers = [
        evidence_map.country_areas_layer(countries, selected),
        places_layer(markers, selected_id=selected),
    ]
    if flows:
        moving = shown[shown["movement"].isin([movements.ORIGIN, movements.DESTINATION])]
        layers.append(
            evidence_map.flows_layer(movements.flows(with_excerpts(moving, texts)), places)
        )
    return layers


@per_frame  # a view's summary (geo.dashboard.views): split once, whichever place is selected
def _split_by_shape(summary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return evidence_map.split_by_shape(summary)


def legend() -> None:
    st.html(evidence_map.legend_html(bool(st.session_state.get(FLOWS_KEY))))
