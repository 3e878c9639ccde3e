"""Two people correcting the same name in two browsers: the second one's stale form overwrites
nothing, and the name typed in "Your name" shows as written (no link, no formula)."""

from __future__ import annotations

import shutil
from urllib.parse import quote

from playwright.sync_api import expect

from geo.build import review
from geo.build.pipeline import DEFAULT_PLACES_CSV, build_corpus

TEXT = "Weekly report\n\nFighters left Mosul for Raqqa in 2016, officials said.\n"
HOSTILE_NAME = "[Amira](http://127.0.0.1:9/x) $y$"


def open_coordinates_form(page, url: str, place_id: str):
    page.goto(f"{url}/?place={quote(place_id, safe='')}")
    expect(page.locator(".geo-place h3")).to_have_text("Mosul", timeout=90_000)
    page.get_by_text("How this place was resolved").click()
    page.get_by_role("tab", name="Coordinates").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Latitude"))
    expect(form).to_be_visible()
    return form


def test_a_stale_correction_form_overwrites_nothing_and_your_name_shows_as_written(
    app_server, browser, tmp_path
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(TEXT, encoding="utf-8")
    places = tmp_path / "places.csv"
    shutil.copy(DEFAULT_PLACES_CSV, places)
    build = build_corpus(corpus, places)
    mosul = build.places.loc[build.places["name"] == "Mosul"].iloc[0]["place_id"]
    url = app_server("--corpus", str(corpus), "--places", str(places))

    first = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    second = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    requests: list[str] = []
    for page in (first, second):
        page.on("request", lambda request: requests.append(request.url))
    form_a = open_coordinates_form(first, url, mosul)
    form_b = open_coordinates_form(second, url, mosul)  # opened before the first one saves

    form_a.get_by_label("Your name").fill(HOSTILE_NAME)
    form_a.get_by_role("button", name="Place every mention here").click()
    for _ in range(900):  # until the first correction is in the file (a wait, not a timing)
        if review.corrections(places):
            break
        first.wait_for_timeout(100)
    assert review.corrections(places)

    form_b.get_by_label("Your name").fill("Bilal")
    form_b.get_by_role("button", name="Place every mention here").click()
    # The second page reruns on the file as it is now: the name is corrected, so its stale form is
    # not applied (had it been drawn and submitted in the moment between, the correction would be
    # refused naming Amira: tests/build/test_many_writers.py).
    (kept,) = review.corrections(places)
    first.goto(f"{url}/?place={quote(kept.place_id, safe='')}")
    first.get_by_text("How this place was resolved").click()
    note = first.get_by_test_id("stAlert").filter(has_text="Corrected by")
    expect(note).to_be_visible(timeout=90_000)
    expect(note).to_contain_text("[Amira](http:")  # as typed, not a link
    expect(note).to_contain_text("$y$")
    assert note.locator("a, img, .katex").count() == 0
    (kept,) = review.corrections(places)
    assert kept.corrected_by == HOSTILE_NAME  # Bilal's stale form replaced nothing
    assert not [u for u in requests if u.startswith("http://127.0.0.1:9")]
