import pandas as pd

from geo.dashboard.filters import ClaimFilter, count_undated, filter_claims, year_bounds
from geo.dashboard.timeline import in_years, selected_years, timeline_chart, timeline_counts
from geo.store.schema import CLAIM_COLUMNS, PLACE_COLUMNS


def claim(n, date="", basis="unknown", published="", date_end="", source="AP", **extra):
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(claim_id=f"d:{n}", doc_id="d", place_id="country:SY", start=n, end=n + 5,
               excerpt_start=0, date=date, date_basis=basis, published=published,
               date_end=date_end, source=source, **extra)  # fmt: skip
    return row


CLAIMS = pd.DataFrame(
    [
        claim(1, "2015-11", "stated", "2016-12-19"),  # described Nov 2015, published Dec 2016
        claim(2, "2016-12-19", "published", "2016-12-19"),  # no date in the sentence
        claim(3, "2014", "stated", "2016-12-19", date_end="2015"),  # "between 2014 and 2015"
        claim(4),  # undated everywhere
    ]
)
PLACES = pd.DataFrame([{"place_id": "country:SY", "kind": "country"}], columns=PLACE_COLUMNS)


def kept(**selection) -> list[int]:
    return list(filter_claims(CLAIMS, PLACES, ClaimFilter(**selection))["start"])


def test_the_publication_axis_ignores_what_the_sentence_describes():
    assert kept(axis="published", years=(2016, 2016), include_undated=False) == [1, 2, 3]
    assert kept(axis="claim", years=(2016, 2016), include_undated=False) == [2]


def test_on_the_stated_axis_claims_without_a_stated_date_are_undated():
    assert count_undated(CLAIMS, "stated") == 2
    assert kept(axis="stated", include_undated=False) == [1, 3]


def test_a_range_of_years_overlaps_each_year_it_covers():
    assert kept(axis="stated", years=(2015, 2015), include_undated=False) == [1, 3]
    assert year_bounds(CLAIMS, "stated") == (2014, 2015)


def test_span_overlap_keeps_undated_out():
    assert list(in_years(CLAIMS, "claim", 2014, 2015)) == [True, False, True, False]


def test_timeline_counts_by_year_and_source_and_leaves_undated_out():
    counts = timeline_counts(CLAIMS, "published")
    assert counts[["year", "source", "n"]].values.tolist() == [[2016, "AP", 3]]


def test_a_brush_selects_the_years_whose_bars_it_touches():
    assert selected_years({"selection": {"span": {"year": [2014.3, 2016.8]}}}) == (2014, 2016)
    assert selected_years({"selection": {"span": {"year": [2016.2, 2016.9]}}}) == (2016, 2016)
    assert selected_years({"selection": {"span": {}}}) is None
    assert selected_years(None) is None


def test_chart_has_a_brush_named_span():
    spec = timeline_chart(timeline_counts(CLAIMS, "claim"), "Year").to_dict()
    assert spec["params"][0]["name"] == "span"


def bars_and_band(spec: dict) -> tuple[dict, dict | None]:
    """The bars' layer and the filter band's (None when the chart has none)."""
    marks = {layer["mark"]["type"]: layer for layer in spec["layer"]}
    return marks["bar"], marks.get("rect")


def rows_of(spec: dict, layer: dict) -> list[dict]:
    """A layer's data rows (a chart of one layer keeps its data at the top)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def test_the_year_filter_is_drawn_as_a_band_and_fades_the_bars_outside_it():
    counts = pd.DataFrame({"year": [2012, 2014, 2015, 2016], "year_end": [2013, 2015, 2016, 2017],
                           "source": "A", "n": [3, 5, 7, 9]})  # fmt: skip
    spec = timeline_chart(counts, "Year", selected=(2014, 2015)).to_dict()
    bars, band = bars_and_band(spec)
    # Over the bars of 2014 and 2015.
    assert rows_of(spec, band) == [{"year": 2014, "year_end": 2016}]
    assert [r["year"] for r in rows_of(spec, bars) if r["in_filter"]] == [2014, 2015]
    assert bars["encoding"]["opacity"]["scale"] == {"domain": [True, False], "range": [1.0, 0.35]}
    # No filter: no band, every bar drawn in full.
    spec = timeline_chart(counts, "Year").to_dict()
    bars, band = bars_and_band(spec)
    assert band is None and all(r["in_filter"] for r in rows_of(spec, bars))


def test_the_axis_reaches_back_to_a_year_filter_that_starts_before_the_fitted_start():
    years = {1981: 1, 2014: 20, 2015: 18, 2016: 300, 2017: 30}
    counts = pd.DataFrame({"year": list(years), "year_end": [y + 1 for y in years], "source": "A",
                           "n": list(years.values())})  # fmt: skip
    bars, _ = bars_and_band(timeline_chart(counts, "Year").to_dict())
    assert bars["encoding"]["x"]["scale"]["domain"] == [2008, 2018]
    bars, _ = bars_and_band(timeline_chart(counts, "Year", selected=(1981, 1990)).to_dict())
    assert bars["encoding"]["x"]["scale"]["domain"] == [1981, 2018]


def test_the_chart_keeps_the_sources_of_most_claims_and_sums_the_rest():
    from geo.dashboard.timeline import fold_minor_sources

    rows = [(2016, f"S{k:02d}", 20 - k) for k in range(12)] + [(2017, "S11", 1), (2017, "S00", 1)]
    counts = pd.DataFrame(rows, columns=["year", "source", "n"]).assign(
        year_end=lambda f: f["year"] + 1
    )[["year", "year_end", "source", "n"]]
    folded = fold_minor_sources(counts, keep=9)
    assert set(folded["source"]) == {f"S{k:02d}" for k in range(9)} | {"other sources (3)"}
    assert folded["n"].sum() == counts["n"].sum()  # nothing lost
    other = folded[folded["source"] == "other sources (3)"].set_index("year")["n"]
    assert other.to_dict() == {2016: 11 + 10 + 9, 2017: 1}
    # A handful of sources is charted as it is.
    assert fold_minor_sources(counts.head(10), keep=9).equals(counts.head(10))


def test_one_old_date_does_not_stretch_the_axis_it_is_left_off_and_counted():
    import pandas as pd

    from geo.dashboard.timeline import fitted_start, left_off, timeline_chart

    years = {1981: 1, 2003: 2, 2014: 20, 2015: 18, 2016: 300, 2017: 30}
    counts = pd.DataFrame(
        {"year": list(years), "year_end": [y + 1 for y in years], "source": "A",
         "n": list(years.values())}
    )  # fmt: skip
    start = fitted_start(counts)
    assert start == 2008  # at least ten years shown, from where 95% of the claims are
    assert left_off(counts, start) == (3, 1981)
    bars, _ = bars_and_band(timeline_chart(counts, "Year").to_dict())
    assert bars["encoding"]["x"]["scale"]["domain"] == [2008, 2018]
    assert bars["encoding"]["color"]["legend"] is None  # the legend is HTML under the chart


def test_each_source_keeps_one_colour_in_the_chart_and_its_legend_the_folded_ones_grey():
    from geo.dashboard.timeline import OTHER_COLOUR, SOURCE_COLOURS, legend_html, source_colours

    counts = pd.DataFrame({"year": [2015, 2016, 2016, 2016], "year_end": [2016, 2017, 2017, 2017],
                           "source": ["B", "A", "other sources (9)", "<b>C</b>"],
                           "n": [5, 3, 100, 1]})  # fmt: skip
    colours = source_colours(counts)
    # Most claims first, the folded sources last whatever their count.
    assert list(colours) == ["B", "A", "<b>C</b>", "other sources (9)"]
    assert list(colours.values()) == [*SOURCE_COLOURS[:3], OTHER_COLOUR]
    bars, _ = bars_and_band(timeline_chart(counts, "Year", colours=colours).to_dict())
    assert bars["encoding"]["color"]["scale"] == {
        "domain": list(colours), "range": list(colours.values())
    }  # fmt: skip
    legend = legend_html(colours)
    assert "&lt;b&gt;C&lt;/b&gt;" in legend and "<b>C" not in legend  # a source is document text
    assert legend.count("geo-legend-item") == 4 and "flex-wrap:wrap" in legend


def test_a_short_span_of_years_is_never_cut():
    import pandas as pd

    from geo.dashboard.timeline import fitted_start

    counts = pd.DataFrame({"year": [2010, 2016], "year_end": [2011, 2017], "source": "A",
                           "n": [1, 100]})  # fmt: skip
    assert fitted_start(counts) == 2010
