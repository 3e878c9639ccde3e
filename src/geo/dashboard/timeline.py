"""Two time axes per claim and the timeline chart of claims over time.

A claim has the date of what it describes (stated in its sentence, with its precision: day, month,
year, season, range of years) and the date its document was published. The filters and the chart
work on one axis at a time: "described" (stated, else published; the default), "stated" (only dates
the text states: other claims are undated on this axis) or "published".
"""

from __future__ import annotations

import html
import math
import re

import altair as alt
import numpy as np
import pandas as pd

from geo.dashboard.frame_memo import column_codes, per_frame

AXES = {
    "claim": "What it describes, else publication",
    "stated": "What it describes (stated in the text only)",
    "published": "Publication",
}
SPAN_PARAM = "span"  # the name of the chart's brush; its value comes back in the chart's event


def axis_dates(claims: pd.DataFrame, axis: str = "claim") -> pd.Series:
    """The ISO date of each claim on `axis` ("" when it has none there)."""
    if axis == "published":
        return claims["published"].fillna("").astype(str)
    dates = claims["date"].fillna("").astype(str)
    if axis == "stated":
        return dates.where(claims["date_basis"] == "stated", "")
    if axis != "claim":
        raise ValueError(f"unknown time axis {axis!r}; expected one of {', '.join(AXES)}")
    return dates


# The dashboard asks for the same table's years several times per rerun, and for the filtered
# claims (cut from the table by geo.dashboard.frame_memo.take_rows): those get the table's years at their rows.
@per_frame(rowwise=True)
def axis_years(claims: pd.DataFrame, axis: str = "claim") -> tuple[pd.Series, pd.Series]:
    """First and last year each claim covers on `axis` (<NA> when undated); a range "2014 and
    2015" covers both years."""
    dates = axis_dates(claims, axis)
    first = _leading_year(dates)
    last = first
    if axis != "published" and "date_end" in claims.columns:
        end = claims["date_end"].fillna("").astype(str).where(dates != "", "")
        last = _leading_year(end).fillna(first)
    return first, last


def _leading_year(dates: pd.Series) -> pd.Series:
    """The year an ISO date starts with, as Int64 (<NA> when it does not start with four digits).
    Read once per distinct date (a corpus of 100,000s of claims has a few thousand) and spread
    back to the rows by their codes."""
    codes, uniques = pd.factorize(dates)
    head = pd.Series(uniques, dtype=object).str.slice(0, 4)
    years = head.where(head.str.fullmatch(r"\d{4}")).astype("Int64").array
    return pd.Series(years.take(codes, allow_fill=True), index=dates.index)


def in_years(claims: pd.DataFrame, axis: str, low: int, high: int) -> pd.Series:
    """Whether each claim's span on `axis` overlaps [low, high]; undated claims give False."""
    first, last = axis_years(claims, axis)
    return ((first <= high) & (last >= low)).fillna(False).astype(bool)


def timeline_counts(claims: pd.DataFrame, axis: str = "claim") -> pd.DataFrame:
    """Claims per year (of the start of their date on `axis`) and source: year, source, n.
    Counted over integer codes (a rerun of the dashboard counts 100,000s of claims)."""
    first, _ = axis_years(claims, axis)
    source_codes, sources = column_codes(claims, "source")
    dated = first.notna().to_numpy() & (source_codes >= 0)  # as groupby, no missing key
    if not dated.any():
        return pd.DataFrame(columns=["year", "year_end", "source", "n"])
    years = first.to_numpy(dtype=np.int64, na_value=0)[dated]
    low = int(years.min())
    cells = (years - low) * len(sources) + source_codes[dated]
    n = np.bincount(cells)
    cells = np.flatnonzero(n)
    counts = pd.DataFrame(
        {
            "year": cells // len(sources) + low,
            "source": sources.take(cells % len(sources)),
            "n": n[cells],
        }
    )
    counts = counts.sort_values(["year", "source"], kind="stable", ignore_index=True)
    counts["year_end"] = counts["year"] + 1
    return counts[["year", "year_end", "source", "n"]]


# Sources a reader can tell apart by colour (one colour each, SOURCE_COLOURS): past that the
# legend names sources nobody can match to a bar, and the browser draws thousands of bars (1,552
# sources in a 10,000-report corpus).
CHART_SOURCES = 7
# Okabe and Ito's colours, told apart with the common colour-vision deficiencies; grey for the
# sources folded together.
SOURCE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#999999"
_OTHER = re.compile(r"other sources \(\d+\)")


def fold_minor_sources(counts: pd.DataFrame, keep: int = CHART_SOURCES) -> pd.DataFrame:
    """The counts with all but the `keep` sources of most claims summed per year into one
    "other sources (N)" series; unchanged when there are at most keep + 1 sources."""
    totals = counts.groupby("source", sort=False)["n"].sum()
    if len(totals) <= keep + 1:
        return counts
    # Most claims first; ties by name, so that the same counts always keep the same sources.
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    kept = {source for source, _ in ranked[:keep]}
    other = f"other sources ({len(totals) - keep})"  # matches _OTHER
    folded = counts.assign(source=counts["source"].where(counts["source"].isin(kept), other))
    folded = folded.groupby(["year", "year_end", "source"], as_index=False, sort=False)["n"].sum()
    return folded.sort_values(["year", "source"], kind="stable", ignore_index=True)[
        ["year", "year_end", "source", "n"]
    ]


# The axis starts where the claims are: years before the first year from which this share of the
# dated claims remains are left off the chart (one "since 1981" must not crowd the data into a few
# bars). They stay on the map; the caption under the chart says how many.
OUTLIER_SHARE = 0.05
MIN_FITTED_SPAN = 10  # years: a shorter axis is never cut


def source_colours(counts: pd.DataFrame) -> dict[str, str]:
    """Each charted source's colour, the sources of most claims first (ties by name) and the
    folded "other sources (N)" last, in grey: the chart and its legend (legend_html) use it."""
    totals = counts.groupby("source", sort=False)["n"].sum()
    ranked = sorted(
        totals.items(), key=lambda item: (bool(_OTHER.fullmatch(item[0])), -item[1], item[0])
    )
    colours = {}
    for k, (source, _) in enumerate(ranked):
        other = _OTHER.fullmatch(source) or k >= len(SOURCE_COLOURS)
        colours[source] = OTHER_COLOUR if other else SOURCE_COLOURS[k]
    return colours


def legend_html(colours: dict[str, str]) -> str:
    """The chart's legend as HTML under it: the entries wrap to the window's width, each source's
    whole name (escaped: a source is a document's text) beside its colour."""
    items = "".join(
        '<span class="geo-legend-item" style="display:inline-flex;align-items:baseline;gap:5px;'
        'max-width:100%;overflow-wrap:anywhere">'
        f'<span style="flex:none;width:10px;height:10px;background:{colour}"></span>'
        f"<span>{html.escape(source)}</span></span>"
        for source, colour in colours.items()
    )
    return (
        '<div class="geo-timeline-legend" style="display:flex;flex-wrap:wrap;gap:2px 16px;'
        'font-size:0.8rem;line-height:1.4"><span style="color:#6b6b6b">source:</span>'
        f"{items}</div>"
    )


def fitted_start(counts: pd.DataFrame) -> int:
    """The first year the chart's axis shows: the earliest year, unless a few early claims (at
    most OUTLIER_SHARE of them) stretch the axis to over MIN_FITTED_SPAN years."""
    per_year = counts.groupby("year")["n"].sum().sort_index()
    first, last = int(per_year.index.min()), int(per_year.index.max())
    if last - first < MIN_FITTED_SPAN:
        return first
    allowed = OUTLIER_SHARE * per_year.sum()
    before = per_year.cumsum().shift(fill_value=0)  # claims in the years before each year
    start = int(per_year.index[before <= allowed].max())
    return min(start, last - MIN_FITTED_SPAN + 1) if start > first else first


def axis_start(counts: pd.DataFrame, selected: tuple[int, int] | None = None) -> int:
    """The first year on the chart's axis: the fitted start, or the first selected year when the
    year filter reaches further back (a brush must lie on the axis)."""
    start = fitted_start(counts)
    return start if selected is None else min(start, int(selected[0]))


def left_off(counts: pd.DataFrame, start: int) -> tuple[int, int | None]:
    """How many charted claims lie before `start`, and the earliest of their years."""
    early = counts[counts["year"] < start]
    return int(early["n"].sum()), (int(early["year"].min()) if not early.empty else None)


# The year filter's span on the chart: a band behind the bars (the bars out of it faded), drawn
# from the filter itself rather than as the brush's starting value, which the browser forgets
# (a click beside it then cleared the brush on screen and left the filter as it was).
FILTER_BAND = {"color": "#c0392b", "opacity": 0.14}  # the slider's colour (.streamlit/config.toml)
FADED = 0.35


def timeline_chart(
    counts: pd.DataFrame,
    axis_title: str,
    height: int = 150,
    selected: tuple[int, int] | None = None,
    colours: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Stacked bars of claims per year by source; drag across it to select a span of years.
    `selected` (the year filter, when it keeps fewer than all years) is drawn as a band with the
    bars outside it faded; the axis reaches back to its first year when that lies before the
    fitted start. The legend is legend_html(colours), drawn under the chart by the page: in the
    chart it took half of a narrow window's width and cut the sources' names."""
    colours = colours or source_colours(counts)
    brush = alt.selection_interval(name=SPAN_PARAM, encodings=["x"])
    low, high = axis_start(counts, selected), int(counts["year_end"].max())
    if selected is not None:
        high = max(high, int(selected[1]) + 1)
    counts = counts[counts["year"] >= low]
    inside = (
        (counts["year"] >= selected[0]) & (counts["year"] <= selected[1])
        if selected is not None
        else pd.Series(True, index=counts.index)
    )
    x = alt.X(
        "year:Q",
        title=axis_title,
        scale=alt.Scale(domain=[low, high], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    bars = (
        alt.Chart(counts.assign(in_filter=inside))
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            x2="year_end:Q",
            y=alt.Y("sum(n):Q", title="claims", stack=True),
            color=alt.Color(
                "source:N",
                title="source",
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=None,
            ),
            opacity=alt.Opacity(
                "in_filter:N",
                scale=alt.Scale(domain=[True, False], range=[1.0, FADED]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("source:N"),
                alt.Tooltip("n:Q", title="claims"),
            ],
        )
        .add_params(brush)
    )
    layers = [bars]
    if selected is not None:
        band = pd.DataFrame({"year": [selected[0]], "year_end": [selected[1] + 1]})
        layers.insert(0, alt.Chart(band).mark_rect(**FILTER_BAND).encode(x=x, x2="year_end:Q"))
    return alt.layer(*layers).properties(height=height)


def selected_years(event: object) -> tuple[int, int] | None:
    """The span of years the user brushed on the chart, or None. A bar covers [year, year + 1),
    so a brush from 2014.3 to 2016.8 selects 2014-2016."""
    try:
        span = event["selection"][SPAN_PARAM]  # type: ignore[index]
    except (KeyError, TypeError, AttributeError):
        return None
    if not span:
        return None
    values = next(iter(span.values()), None) if isinstance(span, dict) else None
    if not values or len(values) != 2:
        return None
    lo, hi = sorted(float(v) for v in values)
    first = math.floor(lo)
    last = max(first, math.ceil(hi) - 1)
    return first, last
