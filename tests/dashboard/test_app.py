"""The dashboard script under streamlit.testing: filters, a simulated marker click, the panel."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from geo.build.pipeline import build_corpus
from geo.dashboard.plain_text import as_shown

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def place_id(build, name: str) -> str:
    return build.places.loc[build.places["name"] == name, "place_id"].iloc[0]


def run_app(monkeypatch, *args: str, click: str | None = None) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py", *args])
    at = AppTest.from_file(str(APP), default_timeout=120)
    return rerun(at, click)


def rerun(at: AppTest, click: str | None = None) -> AppTest:
    """Run the script; with `click`, st_folium answers as if that place's marker had been clicked."""
    if click is None:
        return at.run()
    answer = {"last_active_drawing": {"properties": {"id": click}}}
    with mock.patch("geo.dashboard.page.show_map", return_value=answer):
        return at.run()


def shown_counts(at: AppTest) -> tuple[int, int, int]:
    line = next(m.value for m in at.sidebar.markdown if "Showing" in m.value)
    places, claims, docs = map(int, re.findall(r"(\d+) (?:places|claims|documents)", line))
    return places, claims, docs


def panel_html(at: AppTest) -> str:
    """The page's HTML elements, less the app's own script that checks a link's length."""
    from geo.dashboard.share_ui import DROPPED_LINK_CHECK

    return "\n".join(h.value for h in at.get("html") if h.value != DROPPED_LINK_CHECK)


def test_first_load_shows_the_corpus_and_asks_for_a_place(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    assert not at.exception and not at.error
    build = seeds_build
    assert at.title[0].value
    assert f"{len(build.documents)} documents" in at.caption[0].value
    assert f"{len(build.claims)} claims" in at.caption[0].value
    assert shown_counts(at) == (len(build.places), len(build.claims), len(build.documents))
    assert any("Click a place" in i.value for i in at.info)


def test_map_component_loads_nothing_from_the_internet(monkeypatch):
    at = run_app(monkeypatch)
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert links, "Leaflet must still be loaded, from this server"
    assert not [link for link in links if re.match(r"(https?:)?//", link)]
    assert not re.search(r"https?://", component.proto.json_args)


def test_year_range_changes_what_is_shown(monkeypatch):
    at = run_app(monkeypatch)
    before = shown_counts(at)
    slider = at.sidebar.slider[0]
    low, high = slider.value
    assert low < high
    slider.set_range(high, high).run()
    after = shown_counts(at)
    assert after[1] < before[1]


def test_undated_claims_can_be_hidden(monkeypatch):
    at = run_app(monkeypatch)
    box = at.sidebar.checkbox[0]
    n_undated = int(re.search(r"\((\d+)\)", box.label).group(1))
    total = shown_counts(at)[1]
    box.uncheck().run()
    assert shown_counts(at)[1] == total - n_undated


def test_choosing_a_source_shows_only_its_claims(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    claims = seeds_build.claims
    source = claims["source"].value_counts().index[-1]
    at.sidebar.multiselect[0].select(source).run()
    assert shown_counts(at)[1] == int((claims["source"] == source).sum())


def test_clicking_mosul_lists_its_excerpts_with_the_mention_marked(monkeypatch, seeds_build):
    mosul = place_id(seeds_build, "Mosul")
    at = run_app(monkeypatch, click=mosul)
    assert not at.exception
    assert at.selectbox(key="place").value == mosul
    html = panel_html(at)
    claims = seeds_build.claims
    n_mosul = int((claims["place_id"] == mosul).sum())
    assert "<h3>Mosul</h3>" in html
    assert f"{n_mosul} claim" in html
    assert html.count('class="geo-claim"') == min(n_mosul, 20)
    assert re.search(r"<mark>Mosul</mark>", html)
    assert "stated in text" in html or "publication date" in html


def test_a_click_is_not_replayed_after_picking_another_place(monkeypatch, seeds_build):
    mosul = place_id(seeds_build, "Mosul")
    at = run_app(monkeypatch, click=mosul)
    other = next(o for o in at.selectbox(key="place").options if "Mosul" not in o)
    at.selectbox(key="place").select_index(at.selectbox(key="place").options.index(other))
    rerun(at, click=mosul)  # st_folium still reports the old click
    assert at.selectbox(key="place").value != mosul


def test_a_selected_place_that_the_filters_remove_falls_back_to_the_prompt(
    monkeypatch, seeds_build
):
    mosul = place_id(seeds_build, "Mosul")
    at = run_app(monkeypatch, click=mosul)
    claims = seeds_build.claims
    no_mosul = next(s for s in claims["source"].unique()
                    if not ((claims["source"] == s) & (claims["place_id"] == mosul)).any())  # fmt: skip
    at.sidebar.multiselect[0].select(no_mosul)
    rerun(at, click=mosul)
    assert at.selectbox(key="place").value is None
    assert any("Click a place" in i.value for i in at.info)
    assert "<h3>Mosul</h3>" not in panel_html(at)


def test_picking_a_place_from_the_list_opens_its_panel(monkeypatch):
    at = run_app(monkeypatch)
    box = at.selectbox(key="place")
    busiest = box.options[0]
    box.select_index(0).run()
    name = busiest.split(" (")[0]
    assert f"<h3>{name}</h3>" in panel_html(at)


def test_full_text_opens_with_the_mention_marked(monkeypatch, seeds_build):
    at = run_app(monkeypatch, click=place_id(seeds_build, "Mosul"))
    next(b for b in at.button if b.label == "Full text").click().run()
    # Drawn in the page (st.html), not in an iframe: see tests/e2e/test_full_text_browser.py.
    assert '<mark id="geo-mention">Mosul</mark>' in panel_html(at)


def test_a_place_with_many_claims_is_paged(monkeypatch, tmp_path):
    (tmp_path / "long.txt").write_text(
        "A long report\n\n" + " ".join(f"Fighters reached Mosul on day {i}." for i in range(45)),
        encoding="utf-8",
    )
    at = run_app(monkeypatch, "--corpus", str(tmp_path), click=None)
    at.selectbox(key="place").select_index(0).run()
    assert panel_html(at).count('class="geo-claim"') == 20
    pages = at.get("pagination")
    assert pages and pages[0].num_pages == 3
    pages[0].select(3).run()
    assert panel_html(at).count('class="geo-claim"') == 5


def test_a_missing_corpus_folder_is_reported_not_raised(monkeypatch, tmp_path):
    at = run_app(monkeypatch, "--corpus", str(tmp_path / "nowhere"))
    assert not at.exception
    assert "does not exist" in at.error[0].value


@pytest.mark.parametrize("bad", ["place_id,name\n", "place_id,name,kind,country_code,lat,lon,source\n"
                                 "x,X,city,IQ,999,0,me\n"])  # fmt: skip
def test_a_broken_places_file_is_reported_not_raised(monkeypatch, tmp_path, bad):
    csv = tmp_path / "places.csv"
    csv.write_text(bad, encoding="utf-8")
    at = run_app(monkeypatch, "--places", str(csv))
    assert not at.exception
    assert "places.csv" in as_shown(at.error[0].value)


BAD_DATA_FILES = {
    # case -> (file, text, what the message names)
    "places: missing column": ("places.csv", "place_id,name,kind\nx,X,city\n", "line 1, column 'country_code'"),
    "places: bad number": ("places.csv", "place_id,name,kind,country_code,lat,lon,source\nx,X,city,IQ,3o,4,me\n", "line 2, column 'lat'"),
    "places: latitude 91": ("places.csv", "place_id,name,kind,country_code,lat,lon,source\nx,X,city,IQ,91,4,me\n", "line 2, column 'lat'"),
    "places: duplicate id": ("places.csv", "place_id,name,kind,country_code,lat,lon,source\nx,X,city,IQ,1,4,me\nx,Y,city,IQ,2,4,me\n", "line 3, column 'place_id'"),
    "places: unknown kind": ("places.csv", "place_id,name,kind,country_code,lat,lon,source\nx,X,town,IQ,1,4,me\n", "line 2, column 'kind'"),
    "sources: missing column": ("sources.csv", "id,title\nreport,T\n", "line 1, column 'doc_id'"),
    "sources: bad date": ("sources.csv", "doc_id,published\nreport,2017-13\n", "line 2, column 'published'"),
    "sources: duplicate id": ("sources.csv", "doc_id,title\nreport,A\nreport,B\n", "line 3, column 'doc_id'"),
    "sources: extra field": ("sources.csv", "doc_id,title\nreport,A,<b>B</b>\n", "line 2: more fields"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_DATA_FILES)
def test_a_broken_data_file_is_named_with_line_and_column_instead_of_a_traceback(
    monkeypatch, tmp_path, case
):
    name, text, names = BAD_DATA_FILES[case]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Report\n\nFighters left Mosul.\n", encoding="utf-8")
    bad = (tmp_path if name == "places.csv" else corpus) / name
    bad.write_text(text, encoding="utf-8")
    args = ["--corpus", str(corpus)] + (["--places", str(bad)] if name == "places.csv" else [])
    at = run_app(monkeypatch, *args)
    assert not at.exception
    assert f"**{name}** cannot be read" in as_shown(at.error[0].value)
    (detail,) = at.code
    assert detail.value.startswith(f"{bad}, {names}")


def test_markup_from_documents_reaches_the_page_escaped(monkeypatch, hostile_corpus):
    build = build_corpus(hostile_corpus)
    at = run_app(monkeypatch, "--corpus", str(hostile_corpus), click=place_id(build, "Mosul"))
    assert not at.exception
    html = panel_html(at)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # in an excerpt
    assert "&lt;img src=x onerror=alert(5)&gt; Title &quot;quoted&quot; it&#x27;s `tick`" in html
    assert "&lt;script&gt;alert(6)&lt;/script&gt; Outlet" in html  # the source
    assert "O&#x27;Brien &lt;svg onload=alert(7)&gt;" in html  # the author
    for raw in ("<script", "<img", "<svg"):
        assert raw not in html
    # The sources list and the place list are plain text widgets: shown as written.
    assert "<script>alert(6)</script> Outlet" in at.sidebar.multiselect[0].options


def test_a_large_corpus_weighs_resolutions_only_when_asked(monkeypatch):
    # Past EAGER_REVIEW_DOCUMENTS documents the needs-review list waits for its button: it
    # geoparses every document again, which takes minutes for thousands of them.
    from geo.dashboard import review_ui

    monkeypatch.setattr(review_ui, "EAGER_REVIEW_DOCUMENTS", 2)
    review_ui.resolutions.clear()
    at = run_app(monkeypatch)
    labels = [e.label for e in at.expander]
    assert "Needs review: low-confidence resolutions" in labels
    at.button(key="weigh_all").click().run()
    labels = [e.label for e in at.expander]
    assert any(re.fullmatch(r"Needs review: \d+ low-confidence resolutions?", x) for x in labels)


def test_a_corpus_with_much_text_not_weighed_yet_weighs_resolutions_only_when_asked(monkeypatch):
    # Issue 16, finding 6: a 19 MB one-line upload is a single document, but weighing it again
    # for the list is minutes of a core: past EAGER_REVIEW_CHARACTERS the list waits too.
    from geo.dashboard import review_ui

    monkeypatch.setattr(review_ui, "EAGER_REVIEW_CHARACTERS", 100)
    review_ui.resolutions.clear()
    at = run_app(monkeypatch)
    (caption,) = [c.value for c in at.caption if "not weighed yet" in c.value]
    assert re.search(r"the 5 documents again \(0\.\d million characters not weighed yet", caption)
    at.button(key="weigh_all").click().run()
    labels = [e.label for e in at.expander]
    assert any(re.fullmatch(r"Needs review: \d+ low-confidence resolutions?", x) for x in labels)


def test_the_map_counts_clicks_from_zero_as_its_frontend_does(monkeypatch):
    # The frontend starts at 0: a default of None made it answer every page load with a change,
    # and Streamlit reran the map and panel for nothing.
    at = run_app(monkeypatch)
    (component,) = at.get("component_instance")
    default = json.loads(component.proto.json_args)["default"]
    assert default == {"last_active_drawing": None, "last_object_clicked_count": 0}
