"""While the app builds a corpus, the page says which stage it is in and how many documents of
how many are done, instead of staying blank."""

from __future__ import annotations

import re
import shutil

from playwright.sync_api import expect

from geo.build.pipeline import DEFAULT_PLACES_CSV

N_DOCUMENTS = 400
TOWNS = ("Mosul", "Raqqa", "Aleppo", "Kirkuk", "Sirte", "Benghazi", "Homs", "Tikrit")


def _document(i: int) -> str:
    """A short made-up report naming a few towns (enough text that geoparsing takes a moment)."""
    a, b, c = (TOWNS[(i + k) % len(TOWNS)] for k in (0, 3, 5))
    sentence = f"Fighters moved from {a} to {b} in 2016, and later some reached {c}. "
    return f"Report {i}\n\n" + sentence * 12


def test_the_page_shows_the_build_stage_and_documents_done_while_a_corpus_builds(
    app_server, browser, tmp_path
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(N_DOCUMENTS):
        (corpus / f"report{i:04d}.txt").write_text(_document(i), encoding="utf-8")
    places = tmp_path / "places" / "places.csv"
    places.parent.mkdir()
    shutil.copyfile(DEFAULT_PLACES_CSV, places)
    url = app_server("--corpus", str(corpus), "--places", str(places))

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(url)  # the first session starts the build
        bar = page.get_by_test_id("stProgress")
        expect(bar).to_contain_text(
            re.compile(rf"Finding the places in the documents: [\d,]+ of {N_DOCUMENTS} documents"),
            timeout=90_000,
        )
        expect(page.get_by_role("heading", name="Places in the reports")).to_be_visible()
        expect(page.get_by_text(f"Corpus corpus/ · {N_DOCUMENTS} documents")).to_be_visible(
            timeout=120_000
        )
        expect(bar).to_have_count(0)  # gone once the page is drawn
    finally:
        context.close()
