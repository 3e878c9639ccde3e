"""DuckDB over claims.parquet answers what the in-memory filters answer over the claims table."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest

from geo.build.pipeline import CLAIMS_PARQUET, write_outputs
from geo.dashboard import filters, timeline
from geo.dashboard.filters import ClaimFilter
from geo.store import claims_index
from geo.store.claims_parquet import read_claims_parquet, write_claims_parquet
from geo.store.claims_query import ClaimsQuery
from geo.store.schema import CLAIM_COLUMNS


@pytest.fixture(scope="module")
def built(seeds_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    write_outputs(seeds_build, out)
    return out


@pytest.fixture(scope="module", params=["index", "parquet"])
def query(request, built, seeds_build):
    """Every answer twice: from the build's claims index, and from claims.parquet alone."""
    q = ClaimsQuery(built / CLAIMS_PARQUET, seeds_build.places, use_index=request.param == "index")
    assert (q.index is not None) == (request.param == "index")
    yield q
    q.close()


def selections(claims: pd.DataFrame, places: pd.DataFrame) -> list[ClaimFilter]:
    sources = filters.sources_by_frequency(claims)
    speakers = sorted(filters.distinct_values(claims, "speaker"))
    return [
        ClaimFilter(),
        ClaimFilter(years=(2015, 2016)),
        ClaimFilter(years=(2016, 2016), include_undated=False, axis="stated"),
        ClaimFilter(years=(2017, 2017), axis="published"),
        ClaimFilter(sources=frozenset(sources[:2])),
        ClaimFilter(kinds=frozenset({"city", "admin1"})),
        ClaimFilter(speakers=frozenset(speakers[:3])),
        ClaimFilter(hedging=frozenset({"", "reported"})),
        ClaimFilter(include_notes=False, include_undated=False),
        ClaimFilter(sources=frozenset({"no such source"})),
    ]


def test_counts_and_bounds_of_the_whole_table(query, seeds_build):
    claims = seeds_build.claims
    assert query.count() == len(claims)
    for axis in timeline.AXES:
        assert query.year_bounds(axis) == filters.year_bounds(claims, axis)
        assert query.count_undated(axis) == filters.count_undated(claims, axis)
    assert query.count_in_notes() == filters.count_in_notes(claims)
    assert query.sources_by_frequency() == filters.sources_by_frequency(claims)


def test_every_selection_gives_the_same_places_counts_documents_and_timeline(query, seeds_build):
    claims, places = seeds_build.claims, seeds_build.places
    for selection in selections(claims, places):
        shown = filters.filter_claims(claims, places, selection)
        assert query.count(selection) == len(shown), selection
        expected = filters.summarise_places(places, shown)
        got = query.summarise_places(selection)
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False
        )
        assert query.count_documents(selection) == filters.count_documents(shown), selection
        pd.testing.assert_frame_equal(
            query.timeline_counts(selection).reset_index(drop=True),
            timeline.timeline_counts(shown, selection.axis).reset_index(drop=True),
            check_dtype=False,
        )


def test_a_page_of_a_places_claims_is_the_same_page_in_the_same_order(query, seeds_build):
    claims, places = seeds_build.claims, seeds_build.places
    summary = filters.summarise_places(places, claims)
    for selection in selections(claims, places):
        shown = filters.filter_claims(claims, places, selection)
        for place_id in summary["place_id"].iloc[[0, 1, 7]]:
            ordered = filters.claims_for_place(shown, place_id)
            for page in (1, 2, 99):
                expected, n_pages = filters.page_of(ordered, page, 5)
                got, got_pages, total = query.claims_for_place(place_id, selection, page, 5)
                assert (got_pages, total) == (n_pages, len(ordered)), selection
                assert got["claim_id"].tolist() == expected["claim_id"].tolist(), selection
                assert list(got.columns) == list(CLAIM_COLUMNS)


def test_a_page_across_the_index_row_groups(seeds_build, tmp_path, monkeypatch):
    """Row groups of 7 claims: a page of 5 often starts in one and ends in the next."""
    monkeypatch.setattr(claims_index, "BY_PLACE_ROW_GROUP", 7)
    write_outputs(seeds_build, tmp_path)
    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, seeds_build.places)
    assert query.index is not None
    claims, places = seeds_build.claims, seeds_build.places
    busiest = filters.summarise_places(places, claims)["place_id"].iloc[0]
    ordered = filters.claims_for_place(claims, busiest)
    for page in range(1, len(ordered) // 5 + 2):
        expected, _ = filters.page_of(ordered, page, 5)
        got, _, _ = query.claims_for_place(busiest, ClaimFilter(), page, 5)
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True),
            read_claims_parquet(tmp_path / CLAIMS_PARQUET)
            .set_index("claim_id", drop=False)
            .loc[expected["claim_id"]]
            .reset_index(drop=True),
        )
    query.close()


def test_an_index_of_other_claims_or_none_is_not_used(seeds_build, tmp_path):
    """The index names the claims.parquet it was made from: beside another, the page scans the
    file itself; without an index too; nothing is lost either way."""
    write_outputs(seeds_build, tmp_path)
    index = tmp_path / claims_index.INDEX_DIRNAME
    fewer = read_claims_parquet(tmp_path / CLAIMS_PARQUET).iloc[:-1]
    write_claims_parquet(fewer, tmp_path / CLAIMS_PARQUET)  # the index is now stale
    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, seeds_build.places)
    assert query.index is None and query.count() == len(fewer)
    query.close()
    shutil.rmtree(index)
    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, seeds_build.places)
    assert query.index is None and query.count() == len(fewer)
    query.close()
    claims_index.write_claims_index(tmp_path / CLAIMS_PARQUET)  # made again from the file alone
    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, seeds_build.places)
    assert query.index is not None and query.count() == len(fewer)
    query.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_questions_from_several_threads_at_once(query):
    answers, errors = [], []

    def ask():
        try:
            answers.append(query.count(ClaimFilter(years=(2015, 2016))))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(answers)) == 1


def test_a_path_with_a_quote_is_read_as_a_path(seeds_build, tmp_path):
    out = tmp_path / "it's here"
    write_outputs(seeds_build, out)
    q = ClaimsQuery(out / CLAIMS_PARQUET, seeds_build.places)
    assert q.count() == len(seeds_build.claims)
    q.close()


def test_the_timeline_and_its_undated_claims_in_one_question(query, seeds_build):
    claims, places = seeds_build.claims, seeds_build.places
    for selection in selections(claims, places):
        shown = filters.filter_claims(claims, places, selection)
        counts, undated = query.timeline_and_undated(selection)
        assert undated == filters.count_undated(shown, selection.axis), selection
        pd.testing.assert_frame_equal(
            counts, timeline.timeline_counts(shown, selection.axis).reset_index(drop=True),
            check_dtype=False,
        )  # fmt: skip


def test_the_index_is_the_same_bytes_when_written_again(seeds_build, tmp_path):
    """Two builds of the same claims write the same index (DuckDB's GROUP BY has no order of its
    own, so every table the index holds is sorted)."""
    write_outputs(seeds_build, tmp_path)
    index = tmp_path / claims_index.INDEX_DIRNAME
    first = {p.name: p.read_bytes() for p in index.iterdir()}
    for _ in range(3):
        claims_index.write_claims_index(tmp_path / CLAIMS_PARQUET)
        assert {p.name: p.read_bytes() for p in index.iterdir()} == first


def test_the_opening_page_reads_one_row_per_place_and_an_older_index_gives_the_same(
    seeds_build, tmp_path
):
    """Every claim (or a kind of place) is answered from the index's per-place totals and its
    facts, not from the per-(place, source) counts that grow with the sources; an index written
    before the totals existed answers the same from those counts."""
    claims, places = seeds_build.claims, seeds_build.places
    write_outputs(seeds_build, tmp_path)
    index = tmp_path / claims_index.INDEX_DIRNAME
    totals = pd.read_parquet(index / claims_index.PLACE_TOTALS)
    assert len(totals) == claims["place_id"].nunique()
    opening = [ClaimFilter(), ClaimFilter(kinds=frozenset({"city", "admin1"}))]
    expected = {}
    for selection in opening:
        shown = filters.filter_claims(claims, places, selection)
        expected[selection] = (
            filters.summarise_places(places, shown),
            filters.count_documents(shown),
        )

    def answers(query: ClaimsQuery, selection: ClaimFilter) -> None:
        summary, n_docs = expected[selection]
        pd.testing.assert_frame_equal(
            query.summarise_places(selection).reset_index(drop=True),
            summary.reset_index(drop=True), check_dtype=False,
        )  # fmt: skip
        assert query.count_documents(selection) == n_docs

    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, places)
    (index / claims_index.PLACE_SOURCES).unlink()  # read lazily: not needed to open the page
    for selection in opening:
        answers(query, selection)
    query.close()
    write_outputs(seeds_build, tmp_path)
    (index / claims_index.PLACE_TOTALS).unlink()  # an index of before the totals
    query = ClaimsQuery(tmp_path / CLAIMS_PARQUET, places)
    assert query.index is not None
    for selection in opening:
        answers(query, selection)
    query.close()
