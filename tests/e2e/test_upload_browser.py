"""Adding documents through the sidebar's uploader in headless Chromium: a text file and an HTML
page become documents of the corpus folder and their places reach the map; a file of another type
and one over the size limit are refused with a clear message."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from geo.build.pipeline import DEFAULT_PLACES_CSV
from geo.documents.ingest import MANIFEST, MAX_FILE_BYTES

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FIRST_DOCUMENT = "Fighters reached Mosul in 2016, officials said.\n"
TEXT_UPLOAD = b"Field notes\n\nIn 2017 the group moved its fighters to Kandahar, locals said.\n"
HTML_NAME = "report <img src=x onerror=alert(1)>.html"  # shows as written, runs nothing
HTML_UPLOAD = b"""<!doctype html><html><head><title>Coast report</title>
<meta name="author" content="A. Writer"><script>alert('page')</script></head>
<body><nav>Home | World | Sport</nav>
<article><h1>Coast report</h1><p>In 2016 the fighters held Benghazi for months.</p></article>
<footer>Share this story</footer></body></html>"""


@pytest.fixture
def upload_app(app_server, tmp_path, gazetteer):
    """The dashboard on a writable corpus folder of one document, with its own places file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "first.txt").write_text(FIRST_DOCUMENT, encoding="utf-8")
    places = tmp_path / "places" / "places.csv"
    places.parent.mkdir()
    shutil.copyfile(DEFAULT_PLACES_CSV, places)
    return app_server("--corpus", str(corpus), "--places", str(places)), corpus


def open_uploader(page, url: str):
    page.goto(url)
    expect(page.get_by_text("Corpus corpus/ · 1 documents")).to_be_visible(timeout=90_000)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Add documents").click()
    uploader = sidebar.get_by_test_id("stFileUploader")
    expect(uploader).to_be_visible()
    return sidebar, uploader


def place_options(page) -> list[str]:
    """The place list's entries ("Kandahar (city, AF)")."""
    page.get_by_role("combobox", name="Place", exact=True).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    texts = options.all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def test_uploading_a_text_file_and_an_html_page_adds_their_places(page, upload_app):
    url, corpus = upload_app
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sidebar, uploader = open_uploader(page, url)
    assert not any("Kandah" in o or "Benghazi" in o for o in place_options(page))

    uploader.locator('input[type="file"]').set_input_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": TEXT_UPLOAD},
            {"name": HTML_NAME, "mimeType": "text/html", "buffer": HTML_UPLOAD},
        ]
    )
    expect(uploader.get_by_text("notes.txt")).to_be_visible()
    sidebar.get_by_role("button", name="Add to the corpus").click()

    expect(
        sidebar.get_by_text("Last upload: 2 added, 0 already present, 0 rejected")
    ).to_be_visible(timeout=90_000)
    expect(sidebar.get_by_text(f"{HTML_NAME}: added as")).to_be_visible()
    expect(page.get_by_text("Corpus corpus/ · 3 documents")).to_be_visible(timeout=90_000)
    # The timeline is drawn last: once its legend names the new documents' sources, the run is done.
    # (Filtered: while the run goes on, the last run's legend may still stand beside the new one.)
    expect(page.locator(".geo-timeline-legend").filter(has_text="Coast report")).to_be_visible()

    # The new documents' places are on the map and in the place list.
    options = place_options(page)
    assert any(o.startswith("Kandahār (city, AF)") for o in options), options  # GeoNames' name
    assert any(o.startswith("Benghazi (city, LY)") for o in options), options
    expect(page.frame_locator(MAP_FRAME).locator("path.place")).to_have_count(len(options))

    # And they stay in the corpus folder: the text as it was, the page as the text of its article.
    assert (corpus / "notes.txt").read_bytes() == TEXT_UPLOAD
    (page_text,) = [p for p in corpus.glob("report*.txt")]
    text = page_text.read_text(encoding="utf-8")
    assert "Benghazi" in text and "Share this story" not in text and "alert" not in text
    assert (corpus / MANIFEST).is_file()
    assert dialogs == []


def test_a_file_of_another_type_or_over_the_limit_is_refused_with_the_reason(page, upload_app):
    url, corpus = upload_app
    sidebar, uploader = open_uploader(page, url)
    before = sorted(p.name for p in corpus.iterdir())
    uploader.locator('input[type="file"]').set_input_files(
        [
            {"name": "archive.zip", "mimeType": "application/zip", "buffer": b"PK\x03\x04"},
            {"name": "huge.txt", "mimeType": "text/plain", "buffer": b"a" * (MAX_FILE_BYTES + 1)},
        ]
    )
    expect(uploader.get_by_text("archive.zip")).to_be_visible()
    expect(uploader).to_contain_text("zip files are not allowed")
    expect(uploader).to_contain_text("File must be 20.0MB or smaller")
    # Nothing acceptable was chosen, so there is nothing to add, and the folder is unchanged.
    expect(sidebar.get_by_role("button", name="Add to the corpus")).to_have_count(0)
    assert sorted(p.name for p in corpus.iterdir()) == before
