"""What the dashboard keeps between reruns never goes stale: a changed corpus file is seen on the
next rerun, the filtered claims' derived values equal those of a fresh table, and the review
gazetteer loads when first needed."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.dashboard import evidence_ui, filters, review_ui, timeline
from geo.dashboard.frame_memo import column_codes, per_frame, rows_of, take_rows
from geo.store.schema import CLAIM_COLUMNS, PLACE_COLUMNS

APP = Path(__file__).resolve().parents[2] / "app.py"


def run_app(monkeypatch, *args: str) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", *args])
    return AppTest.from_file(str(APP), default_timeout=120).run()


def shown(at: AppTest) -> tuple[str, list[str]]:
    """The sidebar's 'Showing ...' line and the place list's labels."""
    line = next(m.value for m in at.sidebar.markdown if "Showing" in m.value)
    return line, at.selectbox(key="place").options


def test_an_edited_added_or_removed_document_is_seen_on_the_next_rerun(monkeypatch, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = corpus / "report.txt"
    report.write_text("Report\n\nFighters left Mosul.\n", encoding="utf-8")
    at = run_app(monkeypatch, "--corpus", str(corpus))
    assert not at.exception
    assert "1 documents" in at.caption[0].value
    line, places = shown(at)
    assert "1 places · 1 claims" in line and places[0].startswith("Mosul")

    # An edit in place that keeps the size: only the modification time tells.
    stat = report.stat()
    report.write_text("Report\n\nFighters left Raqqa.\n", encoding="utf-8")
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert report.stat().st_size == stat.st_size
    at.run()
    line, places = shown(at)
    assert "1 places · 1 claims" in line and "Raqqa" in places[0]  # "Ar Raqqah (city, SY)"

    (corpus / "second.txt").write_text("Second\n\nFighters reached Aleppo.\n", encoding="utf-8")
    at.run()
    assert "2 documents" in at.caption[0].value
    line, places = shown(at)
    assert "2 places · 2 claims" in line
    assert "Aleppo" in " ".join(places) and "Raqqa" in " ".join(places)

    report.unlink()
    at.run()
    assert "1 documents" in at.caption[0].value
    line, places = shown(at)
    assert "1 places · 1 claims" in line and "Aleppo" in places[0]


CLAIMS = pd.DataFrame(
    [
        {**dict.fromkeys(CLAIM_COLUMNS, ""), "claim_id": f"d{i % 4}:{i}", "doc_id": f"d{i % 4}",
         "place_id": f"p{i % 3}", "start": i, "end": i + 1, "excerpt_start": 0,
         "date": ["2014-06", "", "2016", "2015-01-02"][i % 4], "date_basis": "stated",
         "date_end": "2017" if i % 5 == 0 else "", "source": ["AP", "Reuters"][i % 2],
         "attribution": ["", "Zamir Kabulov, the director", "Kabulov"][i % 3],
         "hedging": ["", "may"][i % 2]}
        for i in range(30)
    ],
    columns=CLAIM_COLUMNS,
)  # fmt: skip
PLACES = pd.DataFrame(
    {"place_id": ["p0", "p1", "p2"], "name": ["Mosul", "Raqqa", "Iraq"],
     "kind": ["city", "city", "country"], "country_code": ["IQ", "SY", "IQ"],
     "lat": [36.3, 35.9, 33.0], "lon": [43.1, 39.0, 44.0]}
)  # fmt: skip


def test_filtered_claims_give_the_same_derived_values_as_a_fresh_table():
    selection = filters.ClaimFilter(kinds=frozenset({"city"}), years=(2015, 2016))
    shown = filters.filter_claims(CLAIMS, PLACES, selection)
    fresh = shown.copy()  # the same rows, not remembered as a cut of CLAIMS
    assert rows_of(shown)[0] is CLAIMS and rows_of(fresh) is None
    for axis in timeline.AXES:
        ours, theirs = timeline.axis_years(shown, axis), timeline.axis_years(fresh, axis)
        for mine, plain in zip(ours, theirs, strict=True):
            pd.testing.assert_series_equal(mine, plain)
        pd.testing.assert_frame_equal(
            timeline.timeline_counts(shown, axis), timeline.timeline_counts(fresh, axis)
        )
    pd.testing.assert_series_equal(filters.claim_speakers(shown), filters.claim_speakers(fresh))
    pd.testing.assert_frame_equal(
        filters.summarise_places(PLACES, shown), filters.summarise_places(PLACES, fresh)
    )
    assert filters.count_documents(shown) == filters.count_documents(fresh)
    assert filters.count_documents(shown) == fresh["doc_id"].nunique() > 0
    # A cut of the cut (the timeline's span) is still rows of the first table.
    span = take_rows(shown, timeline.in_years(shown, "claim", 2016, 2016))
    assert rows_of(span)[0] is CLAIMS
    pd.testing.assert_frame_equal(span, fresh[timeline.in_years(fresh, "claim", 2016, 2016)])
    codes, values = column_codes(span, "source")
    assert list(values[codes]) == list(span["source"])


def test_every_filter_keeps_what_the_plain_pandas_comparison_keeps():
    speakers = filters.claim_speakers(CLAIMS)
    cases = {
        filters.ClaimFilter(sources=frozenset({"AP"})): CLAIMS["source"] == "AP",
        filters.ClaimFilter(kinds=frozenset({"country"})): CLAIMS["place_id"] == "p2",
        filters.ClaimFilter(speakers=frozenset({"Zamir Kabulov"})): speakers == "Zamir Kabulov",
        filters.ClaimFilter(hedging=frozenset({""})): CLAIMS["hedging"] == "",
        filters.ClaimFilter(include_undated=False): CLAIMS["date"] != "",
    }
    for selection, expected in cases.items():
        assert list(filters.filter_claims(CLAIMS, PLACES, selection).index) == list(
            CLAIMS.index[expected]
        ), selection


def test_a_rowwise_result_follows_the_rows_of_a_cut():
    calls = []

    @per_frame(rowwise=True)
    def doubled(frame: pd.DataFrame) -> pd.Series:
        calls.append(len(frame))
        return frame["x"] * 2

    table = pd.DataFrame({"x": [1, 2, 3, 4]}, index=[10, 11, 12, 13])
    cut = take_rows(table, [False, True, False, True])
    assert list(doubled(cut)) == [4, 8] and list(doubled(cut).index) == [11, 13]
    assert list(doubled(table)) == [2, 4, 6, 8]
    assert calls == [4]  # computed once, for the whole table


def test_the_review_gazetteer_loads_when_first_needed_and_once():
    loads = []
    geoparser = object()
    state = review_ui.Resolutions(lambda: loads.append(1) or geoparser)
    assert not state.loaded and loads == []
    assert state.geoparser is geoparser and state.geoparser is geoparser
    assert loads == [1]


def test_warming_up_loads_the_review_gazetteer_in_the_background_once():
    started, release = threading.Event(), threading.Event()
    loads = []

    def load():
        loads.append(1)
        started.set()
        release.wait(10)
        return "geoparser"

    state = review_ui.Resolutions(load)
    state.warm_up()
    assert started.wait(10)
    state.warm_up()  # already on its way
    release.set()
    assert state.load() == "geoparser"
    deadline = time.monotonic() + 10
    while not state.loaded and time.monotonic() < deadline:
        time.sleep(0.01)
    assert loads == [1]


def test_the_unplaced_mentions_table_is_made_once_per_build():
    unresolved = [{"mention": "Xyz", "doc_id": "a"}, {"mention": "Xyz", "doc_id": "b"},
                  {"mention": "Word", "doc_id": "a", "ordinary_word": True}]  # fmt: skip
    first = evidence_ui._unplaced_table(unresolved)
    assert evidence_ui._unplaced_table(unresolved) is first
    n_names, n_words, table = first
    assert (n_names, n_words) == (2, 1)
    assert table.to_dict("records") == [{"mention": "Xyz", "times": 2, "documents": "a, b"}]
    other = evidence_ui._unplaced_table([{"mention": "Abc", "doc_id": "c"}])
    assert other[2]["mention"].tolist() == ["Abc"]


def test_an_unplaced_name_in_many_documents_lists_the_first_and_counts_the_rest():
    unresolved = [{"mention": "Xyz", "doc_id": f"d{k:02d}"} for k in range(25)]
    (row,) = evidence_ui._unplaced_table(unresolved)[2].to_dict("records")
    assert row["times"] == 25
    assert row["documents"] == ", ".join(f"d{k:02d}" for k in range(20)) + " … and 5 more"


def test_much_text_is_weighed_for_review_in_a_child_and_little_in_the_thread(
    monkeypatch, geoparser
):
    # Issue 16, finding 6: geoparsing a large document again for review must not leave its peak
    # in the server's memory; a small one is not worth a child's start.
    from geo.build import review
    from geo.documents.reading import Document

    apart: list[list[str]] = []

    def in_child(documents):
        apart.append([d.doc_id for d in documents])
        return review.mention_resolutions(geoparser, documents)

    monkeypatch.setattr(review_ui, "APART_CHARACTERS", 200)
    state = review_ui.Resolutions(geoparser, in_child)
    short = Document("short", "short.txt", "Fighters left Mosul.", "Short", "", "", None)
    long = Document("long", "long.txt", "Officials in Kirkuk spoke. " * 10, "Long", "", "", None)
    assert state.unweighed_characters([short, long]) == len(short.text) + len(long.text)
    assert set(state.table([short])["key"]) == {"mosul"} and apart == []
    assert set(state.table([short, long])["key"]) == {"mosul", "kirkuk"}
    assert apart == [["long"]]  # only what was not weighed yet, and it is over the limit
    assert state.unweighed_characters([short, long]) == 0


def test_builds_over_the_same_places_files_share_one_review_gazetteer(tmp_path):
    # Adding a document makes a new build and review state, not a second gazetteer in memory.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    places = tmp_path / "places.csv"
    places.write_text(",".join(PLACE_COLUMNS) + "\n", encoding="utf-8")
    state = review_ui._places_state(str(places), str(corpus))
    first = review_ui.review_geoparser(str(places), str(corpus), state)
    (corpus / "new.txt").write_text("Fighters left Mosul.\n", encoding="utf-8")
    assert review_ui._places_state(str(places), str(corpus)) == state
    assert review_ui.review_geoparser(str(places), str(corpus), state) is first

    places.write_text(places.read_text() + "curated:x,Xanadu,city,MN,42.3,116.2,test,curated"
                      + "," * 9 + "\n", encoding="utf-8")  # fmt: skip
    changed = review_ui._places_state(str(places), str(corpus))
    assert changed != state
    again = review_ui.review_geoparser(str(places), str(corpus), changed)
    assert again is not first and "curated:x" in again.gazetteer.by_id
