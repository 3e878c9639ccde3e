import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from geo.dashboard.filters import (
    ClaimFilter,
    claims_for_place,
    count_undated,
    filter_claims,
    page_of,
    sources_by_frequency,
    summarise_places,
    year_bounds,
)
from geo.store.schema import CLAIM_COLUMNS, PLACE_COLUMNS

PLACES = pd.DataFrame(
    [
        {"place_id": "geonames:99072", "name": "Mosul", "kind": "city", "country_code": "IQ",
         "lat": 36.34, "lon": 43.13},
        {"place_id": "country:SY", "name": "Syria", "kind": "country", "country_code": "SY",
         "lat": 35.0, "lon": 38.0},
        {"place_id": "geonames:170794", "name": "Raqqa", "kind": "city", "country_code": "SY",
         "lat": 35.95, "lon": 39.01},
    ],
    columns=PLACE_COLUMNS,
)  # fmt: skip


def claim(doc, place, start, date="", source="Reuters", basis=None):
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(
        claim_id=f"{doc}:{start}",
        doc_id=doc,
        place_id=place,
        start=start,
        end=start + 5,
        excerpt_start=0,
        date=date,
        date_basis=basis or ("stated" if date else "unknown"),
        source=source,
    )
    return row


CLAIMS = pd.DataFrame(
    [
        claim("a", "geonames:99072", 10, "2014-06", "Reuters"),
        claim("a", "geonames:99072", 50, "2016", "Reuters"),
        claim("b", "geonames:99072", 5, "", "AP"),
        claim("b", "country:SY", 20, "2016-12-19", "AP"),
        claim("c", "country:SY", 7, "2017-10", "ATbar"),
    ],
    columns=CLAIM_COLUMNS,
)


def test_year_bounds_ignore_undated_claims():
    assert year_bounds(CLAIMS) == (2014, 2017)
    assert count_undated(CLAIMS) == 1


def test_year_bounds_of_an_all_undated_table_is_none():
    assert year_bounds(CLAIMS[CLAIMS["date"] == ""]) is None


def test_year_range_keeps_claims_whose_date_falls_inside_and_undated_ones():
    kept = filter_claims(CLAIMS, PLACES, ClaimFilter(years=(2016, 2016)))
    assert list(kept["claim_id"]) == ["a:50", "b:5", "b:20"]


def test_undated_claims_can_be_left_out():
    kept = filter_claims(CLAIMS, PLACES, ClaimFilter(years=(2016, 2016), include_undated=False))
    assert list(kept["claim_id"]) == ["a:50", "b:20"]


def test_month_and_day_dates_count_by_their_year():
    kept = filter_claims(CLAIMS, PLACES, ClaimFilter(years=(2014, 2014), include_undated=False))
    assert list(kept["claim_id"]) == ["a:10"]


def test_source_filter_keeps_only_chosen_sources():
    kept = filter_claims(CLAIMS, PLACES, ClaimFilter(sources=frozenset({"AP"})))
    assert set(kept["source"]) == {"AP"}
    assert len(kept) == 2


def test_no_source_chosen_shows_nothing():
    assert filter_claims(CLAIMS, PLACES, ClaimFilter(sources=frozenset())).empty


def test_kind_filter_drops_claims_about_other_kinds_of_place():
    kept = filter_claims(CLAIMS, PLACES, ClaimFilter(kinds=frozenset({"country"})))
    assert set(kept["place_id"]) == {"country:SY"}


def test_summary_counts_claims_and_distinct_documents_busiest_first():
    summary = summarise_places(PLACES, CLAIMS)
    assert list(summary["name"]) == ["Mosul", "Syria"]  # Raqqa has no claims
    mosul = summary.iloc[0]
    assert (mosul["n_claims"], mosul["n_docs"]) == (3, 2)
    assert list(summary.columns[-2:]) == ["n_claims", "n_docs"]


def test_summary_of_no_claims_is_empty_with_columns():
    summary = summarise_places(PLACES, CLAIMS.iloc[0:0])
    assert summary.empty and "n_claims" in summary.columns


def test_claims_of_a_place_read_oldest_first_and_undated_last():
    rows = claims_for_place(CLAIMS, "geonames:99072")
    assert list(rows["date"]) == ["2014-06", "2016", ""]


def test_sources_are_listed_most_frequent_first():
    assert sources_by_frequency(CLAIMS) == ["AP", "Reuters", "ATbar"]


def test_pages_are_clamped_to_existing_pages():
    frame = pd.DataFrame({"x": range(45)})
    rows, n_pages = page_of(frame, 3, 20)
    assert n_pages == 3 and list(rows["x"]) == list(range(40, 45))
    rows, _ = page_of(frame, 99, 20)
    assert list(rows["x"]) == list(range(40, 45))
    rows, n_pages = page_of(frame.iloc[0:0], 1, 20)
    assert n_pages == 1 and rows.empty


@given(
    st.lists(st.one_of(st.just(""), st.integers(1990, 2030).map(str)), max_size=30),
    st.integers(1990, 2030),
    st.integers(0, 10),
    st.booleans(),
)
def test_filtered_claims_are_exactly_those_in_range_plus_undated_if_asked(
    dates, low, width, undated
):
    claims = pd.DataFrame(
        [claim("d", "country:SY", i, d) for i, d in enumerate(dates)], columns=CLAIM_COLUMNS
    )
    high = low + width
    kept = filter_claims(claims, PLACES, ClaimFilter((low, high), include_undated=undated))
    expected = [d for d in dates if (d == "" and undated) or (d and low <= int(d) <= high)]
    assert list(kept["date"]) == expected
