"""The dashboard's evidence pieces: time axis, speaker and hedging filters, the timeline, agreement
per place, unplaced mentions. Streamlit calls live here so that app.py stays a thin composition.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter, defaultdict

import pandas as pd
import pyarrow as pa
import streamlit as st

from geo.dashboard import evidence_html, evidence_map, filters, timeline
from geo.dashboard.frame_memo import per_frame
from geo.dashboard.map_budget import MapBudget
from geo.dashboard.widget_state import drop_stale
from geo.evidence import movements
from geo.evidence.hedging import HEDGING_LEVELS, hedging_label
from geo.evidence.quantities import place_quantities
from geo.evidence.speakers import NO_SPEAKER
from geo.store import excerpts

AXIS_KEY = "time_axis"
# The one time filter: the year slider's value. The timeline's brush is drawn from it, and a
# brush the user drags is written into it (_on_brush), so the two always show the same years.
YEARS_KEY = "f_years"
TIMELINE_KEY = "timeline"
SPEAKERS_KEY, HEDGING_KEY = "f_speakers", "f_hedging"


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


_CHART_ROUND = "_timeline_round"  # bumped by each brush, so that the next chart starts afresh


def _chart_key(axis: str, years: tuple[int, int] | None) -> str:
    """The timeline's widget key, a new one whenever the year filter changes. The chart draws the
    filter as a band; under a new key the browser keeps no brush of an earlier filter, to draw
    beside the band or to restore."""
    shown = "all" if years is None else f"{years[0]}-{years[1]}"
    return f"{TIMELINE_KEY}:{axis}:{shown}:{st.session_state.get(_CHART_ROUND, 0)}"


def _on_brush(key: str, bounds: tuple[int, int], years_key: str) -> None:
    """The user brushed the timeline: that span becomes the year filter (the slider's value at
    `years_key`), within the claims' years."""
    span = timeline.selected_years(st.session_state.get(key))
    if span is None:  # a click beside the band: the filter (and the band) stay
        return
    span = max(span[0], bounds[0]), min(span[1], bounds[1])
    if span[0] <= span[1]:
        st.session_state[years_key] = span
    st.session_state[_CHART_ROUND] = st.session_state.get(_CHART_ROUND, 0) + 1


def _show_all_years(bounds: tuple[int, int], years_key: str) -> None:
    st.session_state[years_key] = bounds


@per_frame  # the same view's claims (geo.dashboard.views) for every session that shows it
def _timeline_parts(claims: pd.DataFrame, axis: str, selected: tuple[int, int] | None) -> tuple:
    """`_parts_of_counts` for a table of claims, once per table, axis and filter: building the
    chart through Altair took a tenth of a rerun."""
    counts = timeline.timeline_counts(claims, axis)
    return _parts_of_counts(counts, filters.count_undated(claims, axis), axis, selected)


def _parts_of_counts(
    counts: pd.DataFrame, undated: int, axis: str, selected: tuple[int, int] | None
) -> tuple:
    """The chart as a Vega-Lite spec (None: nothing dated) with `selected` (the year filter) as
    its band, its sources' colours, the claims left off the axis before its start, the earliest
    of their years, the axis's start, and the undated claims."""
    if counts.empty:
        return None, {}, 0, None, None, undated
    charted = timeline.fold_minor_sources(counts)
    colours = timeline.source_colours(charted)
    chart = timeline.timeline_chart(
        charted, f"Year ({timeline.AXES[axis].lower()})", selected=selected, colours=colours
    )
    start = timeline.axis_start(counts, selected)
    n_early, earliest = timeline.left_off(counts, start)
    return _vega_lite_spec(chart), colours, n_early, earliest, start, undated


def _vega_lite_spec(chart) -> dict:
    """The spec st.altair_chart would make of `chart` (its data as Arrow datasets)."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # a later Streamlit: the chart's own dict (its data inline)
        return chart.to_dict()
    return _convert_altair_to_vega_lite_spec(chart)


def _band(years: tuple[int, int] | None, bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """The year filter as the chart's band; the whole range is no filter (no band)."""
    narrowed = years is not None and bounds is not None and tuple(years) != tuple(bounds)
    return (int(years[0]), int(years[1])) if narrowed else None


def timeline_section(
    claims: pd.DataFrame,
    axis: str,
    years: tuple[int, int] | None,
    bounds: tuple[int, int] | None,
    years_key: str = YEARS_KEY,
) -> None:
    """The chart of claims per year by source for the current filter but its years (so the
    context stays visible), with the year filter `years` drawn as a band; `bounds` are the
    claims' first and last years on `axis`, the slider's ends. Brushing sets the year filter
    (the slider's session-state key `years_key`)."""
    selected = _band(years, bounds)
    parts = _timeline_parts(claims, axis, selected)
    _draw_timeline(parts, axis, selected, bounds, years_key)


def timeline_counts_section(
    counts: pd.DataFrame,
    undated: int,
    axis: str,
    years: tuple[int, int] | None,
    bounds: tuple[int, int] | None,
    years_key: str,
) -> None:
    """`timeline_section` from the counts (`timeline.timeline_counts`'s table, wherever they were
    counted, e.g. by DuckDB) and the number of undated claims in the current filter."""
    selected = _band(years, bounds)
    _draw_timeline(_parts_of_counts(counts, undated, axis, selected), axis, selected, bounds,
                   years_key)  # fmt: skip


def _draw_timeline(
    parts: tuple,
    axis: str,
    selected: tuple[int, int] | None,
    bounds: tuple[int, int] | None,
    years_key: str,
) -> None:
    spec, colours, n_early, earliest, start, undated = parts
    if spec is None:
        st.caption("No dated claim to chart on this time axis.")
        return
    key = _chart_key(axis, selected)
    filterable = bounds is not None and bounds[0] != bounds[1]  # else there is no year slider
    st.vega_lite_chart(
        spec,
        on_select=functools.partial(_on_brush, key, bounds, years_key) if filterable else "ignore",
        key=key,
        width="stretch",
    )
    st.html(timeline.legend_html(colours))
    note = f" · {undated} undated claim{'s' * (undated != 1)} not charted" if undated else ""
    if n_early:
        note += (
            f" · {n_early} claim{'s' * (n_early != 1)} from {earliest}–{start - 1} left off the "
            "axis (the year slider reaches them)"
        )
    if selected is None:
        if filterable:
            st.caption(
                "Drag across the timeline, or move the year slider, to show only the claims of "
                "those years on the map above" + note
            )
        elif note:
            st.caption(note.removeprefix(" · "))
        return
    shown = f"{selected[0]}" if selected[0] == selected[1] else f"{selected[0]}–{selected[1]}"
    st.caption(
        f"**Years {shown}** (the year slider and the shaded band are one filter): the map shows "
        "only these years. Drag across the chart for another span" + note
    )
    st.button("Show all years", key="all_years", on_click=_show_all_years, args=(bounds, years_key),
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


def map_layers(thinned, selected: str | None, shown: pd.DataFrame,
               places: pd.DataFrame, texts: excerpts.TextsOf,
               flows: bool | None = None) -> list:  # fmt: skip
    """The layers over the basemap, bottom to top: country areas, the counts of places not
    drawn, markers (`thinned`: evidence_map.thinned_places of the summary, within the map's
    budget), movement arcs (each with the sentence it was read from: `texts` holds the
    documents' texts), the arcs when `flows` (None: as the session's switch says)."""
    if flows is None:
        flows = bool(st.session_state.get(FLOWS_KEY))
    layers = evidence_map.budgeted_layers(thinned, selected)
    if flows:
        moving = shown[shown["movement"].isin([movements.ORIGIN, movements.DESTINATION])]
        layers.append(
            evidence_map.flows_layer(movements.flows(with_excerpts(moving, texts)), places)
        )
    return layers


@per_frame  # the places of a corpus: whether its map can hold them all, asked once per table
def map_needs_view(places: pd.DataFrame, budget: MapBudget) -> bool:
    """Whether the map of every place of the corpus is over `budget`, so that the map must
    report its view (bounds and zoom) to have the places in view drawn."""
    every = places.assign(n_claims=1)
    return evidence_map.thinned_places(every, budget=budget).n_clustered > 0


def legend() -> None:
    st.html(evidence_map.legend_html(bool(st.session_state.get(FLOWS_KEY))))
