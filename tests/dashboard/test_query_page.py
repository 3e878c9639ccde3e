"""The dashboard over a built corpus (`--built OUT`): claims queried in claims.parquet by DuckDB.

The corpus is generated (bench/make_corpus.py, 120 documents, a few thousand claims) and built by
`python -m geo build`, as a user with a large corpus would; the page must answer as the in-memory
filters do for the same build."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from unittest import mock

from streamlit.testing.v1 import AppTest

from geo.dashboard import page_choice
from geo.dashboard.filters import ClaimFilter
from geo.dashboard.plain_text import as_shown
from geo.store.claims_parquet import read_claims_parquet
from geo.store.claims_query import ClaimsQuery
from geo.store.schema import places_frame, read_places

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def run(monkeypatch, built_corpus, click: str | None = None, at: AppTest | None = None) -> AppTest:
    corpus, out = built_corpus
    monkeypatch.setattr(sys, "argv", ["app.py", "--built", str(out), "--corpus", str(corpus)])
    at = at or AppTest.from_file(str(APP), default_timeout=120)
    if click is None:
        return at.run()
    answer = {"last_active_drawing": {"properties": {"id": click}}, "last_object_clicked_count": 1}
    with mock.patch("geo.dashboard.query_page.st_folium", return_value=answer):
        return at.run()


def showing(at: AppTest) -> tuple[int, int, int]:
    line = next(m.value for m in at.sidebar.markdown if "Showing" in m.value)
    return tuple(
        int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:places|claims|documents)", line)
    )


def test_the_built_corpus_opens_with_every_claim_and_place(monkeypatch, built_corpus):
    at = run(monkeypatch, built_corpus)
    assert not at.exception and not at.error
    claims = read_claims_parquet(built_corpus[1] / "claims.parquet")
    n_places = claims["place_id"].nunique()
    assert showing(at) == (n_places, len(claims), claims["doc_id"].nunique())
    assert "DuckDB" in at.caption[0].value


def test_a_source_filter_and_a_click_show_that_places_claims_and_the_full_text(
    monkeypatch, built_corpus
):
    claims = read_claims_parquet(built_corpus[1] / "claims.parquet")
    at = run(monkeypatch, built_corpus)
    source = claims["source"].value_counts().index[0]
    at.sidebar.multiselect(key="q_sources").select(source)
    at = run(monkeypatch, built_corpus, at=at)
    mine = claims[claims["source"] == source]
    assert showing(at)[1] == len(mine)

    place_id = mine["place_id"].value_counts().index[0]
    at = run(monkeypatch, built_corpus, click=place_id, at=at)
    assert not at.exception
    name = {p.place_id: p.name for p in read_places(built_corpus[1] / "places.csv")}[place_id]
    html = "\n".join(h.value for h in at.get("html"))
    assert f">{name}</h3>" in html
    expected = int(((claims["place_id"] == place_id) & (claims["source"] == source)).sum())
    assert html.count('class="geo-claim"') == min(expected, 20)
    full_text = [b for b in at.button if b.label == "Full text"]
    assert full_text, "each claim offers its document's full text"
    full_text[0].click()
    at = run(monkeypatch, built_corpus, at=at)
    assert not at.exception and not at.error


def test_a_folder_without_a_build_says_how_to_make_one(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "argv", ["app.py", "--built", str(tmp_path)])
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "python -m geo build" in at.error[0].value


def run_app(monkeypatch, *argv: str) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", *map(str, argv)])
    return AppTest.from_file(str(APP), default_timeout=300).run()


def test_a_corpus_with_a_large_build_opens_on_the_query_page_and_says_why(
    monkeypatch, built_corpus
):
    corpus, out = built_corpus
    monkeypatch.setattr(page_choice, "LARGE_BUILD_CLAIMS", 100)  # the generated build is larger
    at = run_app(monkeypatch, "--corpus", corpus, "--places", out / "places.csv")
    assert not at.exception and not at.error
    assert "DuckDB" in at.caption[0].value
    note = as_shown(at.info[0].value)
    claims = read_claims_parquet(out / "claims.parquet")
    assert f"{len(claims):,} claims, more than the 100" in note and "--in-memory" in note
    assert showing(at)[1] == len(claims)


def test_below_the_threshold_or_with_in_memory_the_corpus_is_loaded_in_memory(
    monkeypatch, built_corpus
):
    corpus, out = built_corpus
    at = run_app(monkeypatch, "--corpus", corpus, "--places", out / "places.csv")
    assert not at.exception
    assert "DuckDB" not in at.caption[0].value  # a few thousand claims: the in-memory page
    monkeypatch.setattr(page_choice, "LARGE_BUILD_CLAIMS", 100)
    at = run_app(monkeypatch, "--corpus", corpus, "--places", out / "places.csv", "--in-memory")
    assert not at.exception
    assert "DuckDB" not in at.caption[0].value


def test_the_large_build_of_another_corpus_is_not_shown_under_this_ones_name(
    monkeypatch, built_corpus, tmp_path
):
    _, out = built_corpus
    monkeypatch.setattr(page_choice, "LARGE_BUILD_CLAIMS", 100)
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Mosul is a city in Iraq.\n")
    assert page_choice.large_build_for(other, out / "places.csv") is None


def test_a_shared_link_sets_the_filters_years_and_place_and_the_url_follows(
    monkeypatch, built_corpus
):
    corpus, out = built_corpus
    claims = read_claims_parquet(out / "claims.parquet")
    source = claims["source"].value_counts().index[0]
    mine = claims[claims["source"] == source]
    place_id = mine["place_id"].value_counts().index[0]
    year = int(mine["date"].str.slice(0, 4).value_counts().index[0])
    monkeypatch.setattr(sys, "argv", ["app.py", "--built", str(out), "--corpus", str(corpus)])
    at = AppTest.from_file(str(APP), default_timeout=120)
    # An older link's timeline span: the span and the year filter are one filter now.
    params = {"source": [source, "No Such Outlet"], "span": str(year), "place": place_id}
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception and not at.error
    assert at.sidebar.multiselect(key="q_sources").value == [source]
    assert any("No Such Outlet" in as_shown(w.value) for w in at.warning)
    assert at.selectbox(key="q_place").value == place_id
    axis = at.sidebar.radio(key="q_axis").value
    assert tuple(at.sidebar.slider(key=f"q_years:{axis}").value) == (year, year)
    assert any(f"Years {year}** (the year slider" in c.value for c in at.caption)
    assert at.get("vega_lite_chart"), "the timeline is drawn"
    query = ClaimsQuery(out / "claims.parquet", places_frame(read_places(out / "places.csv")))
    expected = query.summarise_places(ClaimFilter(years=(year, year), sources=frozenset([source])))[
        "n_claims"
    ].sum()
    query.close()
    assert showing(at)[1] == int(expected)
    assert dict(at.query_params) == {"source": source, "years": str(year), "place": place_id}

    at.button(key="all_years").click().run()
    assert showing(at)[1] == len(mine)
    assert "years" not in at.query_params


def test_a_documents_file_is_found_by_its_name_when_opened(tmp_path):
    """The page lists no folder to open: DOC.txt or DOC.md is looked up when a claim's text is
    offered, any other case of the extension through the folder's listing; a doc_id that is not
    a plain file name (it is data) finds nothing."""
    from geo.dashboard.query_page import DocumentFiles

    (tmp_path / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "b.md").write_text("B", encoding="utf-8")
    (tmp_path / "c.TXT").write_text("C", encoding="utf-8")
    (tmp_path / "d.csv").write_text("D", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.txt").write_text("E", encoding="utf-8")
    files = DocumentFiles(tmp_path)
    assert files.get("a") == str(tmp_path / "a.txt")
    assert files.get("b") == str(tmp_path / "b.md")
    assert Path(files.get("c")).name == "c.TXT"
    for missing in ("d", "sub/e", "../a", "..", "", "sub", "x" * 300):  # too long: no error
        assert files.get(missing) is None, missing
    assert DocumentFiles(tmp_path / "nowhere").get("a") is None
