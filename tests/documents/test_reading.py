import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.documents.reading import (
    Document,
    UnreadableDocument,
    extract_metadata,
    normalise_author,
    read_corpus,
    read_document,
    read_sources_csv,
)
from geo.evidence.dates import PartialDate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_document(path)


# --- the seed corpus -----------------------------------------------------------------------------


def test_seed_000_is_undated_and_names_its_translating_outlet():
    doc = seed("000")
    assert doc.title == "Islamic State, Ltd."
    assert doc.published is None
    assert doc.author == ""  # the translator is not the author
    assert doc.outlet == "Arutz Sheva"


def test_seed_001_day_first_date_and_author_from_byline():
    doc = seed("001")
    assert doc.title == "The Demise of the Caliphate: Quo Vadis ISIS?"  # toolbar label dropped
    assert doc.published == PartialDate("2016-12-19", "day", "19/12/2016")
    assert doc.author == "Ely Karmon"
    assert doc.outlet == ""


def test_seed_002_outlet_from_header_and_no_date_from_archive_years():
    doc = seed("002")
    assert doc.outlet == "Asharq Al-Awsat"
    assert doc.title == "ISIS Aggravates Violence in West while Losing Control in Syria, Iraq"
    assert doc.published is None
    assert doc.author == ""
    assert doc.source == "Asharq Al-Awsat"


def test_seed_003_weekday_date_and_comma_by_author():
    doc = seed("003")
    assert doc.published.iso == "2017-10-29" and doc.published.precision == "day"
    assert doc.author == "Sophie Mangal"
    assert doc.title == "What if You’d Been an ISIS Fighter?"


def test_seed_004_weekday_date_and_title_after_it():
    doc = seed("004")
    assert doc.published.iso == "2016-07-13"
    assert doc.title == "The End of the Caliphate"
    assert doc.source == "The End of the Caliphate"


def test_seed_corpus_reads_all_five_in_name_order_without_warnings():
    documents, warnings = read_corpus(SEEDS)
    assert [d.doc_id[:3] for d in documents] == ["000", "001", "002", "003", "004"]
    assert warnings == []


# --- header heuristics ---------------------------------------------------------------------------


def test_header_without_metadata_gives_first_line_title_and_nothing_invented():
    meta = extract_metadata(
        "x", "Why the border matters\n\nThe border was closed in 2015. It hurt."
    )
    assert meta == {
        "title": "Why the border matters",
        "outlet": "",
        "author": "",
        "published": None,
    }


def test_title_and_outlet_from_a_title_pipe_site_line():
    meta = extract_metadata("x", "Iraq prepares for a new fight | The Courier\n\nBody text here.")
    assert meta["title"] == "Iraq prepares for a new fight"
    assert meta["outlet"] == "The Courier"


def test_menu_lines_and_ids_are_not_titles():
    text = "Select Page\nMenu\nMedia ID: 123456\nFighters return home\n\nBody."
    assert extract_metadata("x", text)["title"] == "Fighters return home"


def test_photo_credit_is_not_an_author():
    text = "Title of the piece\n\nA man leaves court./PHOTOGRAPH BY JOHN DOE / REUTERS\n\nBody."
    assert extract_metadata("x", text)["author"] == ""


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Author: Omar al-Faruq", "Omar al-Faruq"),
        ("A Long Title | by Doe, Jane (Prof.)", "Jane Doe"),
        ("Killed by Drones", ""),
    ],
)
def test_bylines(line, author):
    assert extract_metadata("x", f"{line}\n\nBody.")["author"] == author


def test_author_names_are_put_in_first_last_order():
    assert normalise_author("Karmon, Ely (Dr.)") == "Ely Karmon"
    assert normalise_author("Sophie Mangal") == "Sophie Mangal"


@pytest.mark.parametrize(
    "statement",
    [
        "Originally published in The Cipher Brief.",
        "This article was first published in The Cipher Brief.",
        "Translated for The Cipher Brief by Jane Doe, Editor.",
    ],
)
def test_outlet_stated_at_the_end_of_the_text(statement):
    text = f"A title\n\nBody.\n\n{statement}"
    assert extract_metadata("x", text)["outlet"] == "The Cipher Brief"


def test_outlet_is_not_taken_from_prose_mentions():
    text = "A title\n\nHe told The Cipher Brief that it was first published in March."
    assert extract_metadata("x", text)["outlet"] == ""


# --- decoding ------------------------------------------------------------------------------------


def test_utf8_bom_is_stripped_and_recorded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Title\n\nKirkūk fell.".encode())
    doc = read_document(path)
    assert doc.text == "Title\n\nKirkūk fell."
    assert doc.encoding == "utf-8-sig"


def test_utf16_with_bom_is_decoded(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("Title\n\nAl-Raqqa fell.".encode("utf-16"))
    doc = read_document(path)
    assert doc.text == "Title\n\nAl-Raqqa fell."
    assert doc.encoding == "utf-16"


def test_cp1252_text_is_decoded_when_not_utf8(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("Title\n\nThe “caliphate” – Mosul".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Title\n\nThe “caliphate” – Mosul"
    assert doc.encoding == "cp1252"


def test_windows_line_endings_are_kept_so_offsets_index_the_text(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes(b"Title\r\n\r\nMosul fell.")
    doc = read_document(path)
    assert doc.text == "Title\r\n\r\nMosul fell."
    assert doc.text.index("Mosul") == 9


def test_binary_file_is_unreadable(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableDocument):
        read_document(path)


def test_document_source_falls_back_to_title_then_doc_id():
    doc = Document("d1", "d1.txt", "text", title="", outlet="", author="", published=None)
    assert doc.source == "d1"


# --- corpus folder -------------------------------------------------------------------------------


def test_corpus_reads_txt_and_md_by_name_and_warns_about_skipped_files(tmp_path):
    (tmp_path / "b.md").write_text("B title\n\nText.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A title\n\nText.", encoding="utf-8")
    (tmp_path / "c.TXT").write_text("C title\n\nText.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"GIF89a\x00\x01")
    (tmp_path / "a.md").write_text("Same id", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    documents, warnings = read_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["a", "b", "c"]
    assert [d.title for d in documents] == ["Same id", "B title", "C title"]
    assert any("a.txt" in w and "same doc_id" in w for w in warnings)
    assert any("empty.txt" in w and "empty" in w for w in warnings)
    assert any("image.txt" in w and "binary" in w for w in warnings)
    # What is not read is named too: a hidden document, other kinds of file, sub-folders.
    assert ".hidden.txt: skipped, hidden file (its name starts with a dot)" in warnings
    assert "skipped notes.docx: not .txt or .md" in warnings
    assert any(w.startswith("skipped folder.txt: sub-folder") for w in warnings)


def test_missing_corpus_folder_raises_with_its_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        read_corpus(tmp_path / "nowhere")


# --- sources.csv ---------------------------------------------------------------------------------


def write_corpus(tmp_path, csv_text):
    (tmp_path / "r1.txt").write_text("Header title\n\nSunday, October 29, 2017\n\nText.", "utf-8")
    (tmp_path / "r2.txt").write_text("Other title\n\nText.", "utf-8")
    (tmp_path / "sources.csv").write_text(csv_text, "utf-8")


def test_sources_csv_overrides_filled_values_only(tmp_path):
    write_corpus(
        tmp_path,
        "doc_id,title,outlet,author,published,notes\n"
        "r1,,Daily Planet,,2017-10,ignored column\n"
        "r2.txt,Better title,,Lois Lane,,\n",
    )
    documents, warnings = read_corpus(tmp_path)
    r1, r2 = documents
    assert (r1.title, r1.outlet, r1.published.iso, r1.published.precision) == (
        "Header title",
        "Daily Planet",
        "2017-10",
        "month",
    )
    assert (r2.title, r2.author, r2.published) == ("Better title", "Lois Lane", None)
    assert warnings == []


def test_sources_csv_bad_date_names_file_line_and_column(tmp_path):
    write_corpus(tmp_path, "doc_id,published\nr1,2017-10-29\nr2,29/10/2017\n")
    with pytest.raises(ValueError, match=r"sources\.csv, line 3, column 'published'.*29/10/2017"):
        read_corpus(tmp_path)


def test_sources_csv_without_doc_id_column_is_an_error(tmp_path):
    write_corpus(tmp_path, "id,title\nr1,Title\n")
    with pytest.raises(ValueError, match="column 'doc_id'"):
        read_corpus(tmp_path)


def test_sources_csv_duplicate_doc_id_is_an_error(tmp_path):
    (tmp_path / "sources.csv").write_text("doc_id,title\nr1,A\nr1,B\n", "utf-8")
    with pytest.raises(ValueError, match="line 3.*duplicate"):
        read_sources_csv(tmp_path / "sources.csv")


def test_sources_csv_row_for_a_missing_file_is_a_warning(tmp_path):
    write_corpus(tmp_path, "doc_id,title\nr9,Lost\n")
    _, warnings = read_corpus(tmp_path)
    assert warnings == ["sources.csv: doc_id 'r9' matches no document in the folder"]


def test_sources_csv_with_bom_and_spaces_in_header(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_bytes(codecs.BOM_UTF8 + b" doc_id , published \nr1, 2016 \n")
    assert read_sources_csv(path) == {"r1": {"published": PartialDate("2016", "year", "2016")}}


def test_the_byline_pre_check_never_hides_a_byline():
    from geo.documents.reading import _BYLINE, _find_byline

    lines = [
        "by Jane Doe",
        "Title, By Jane Doe",
        "19/12/2016 | by Doe, Jane (Dr.)",
        "AUTHOR: Ely Karmon",
        "Author : Ely Karmon",
        "WRITTEN BY: Jane Doe",
        "Posted By: al-Sayed",
        "Stand by Me | BY JOHN",
        "Home | Menu",
        "",
    ]
    for line in lines:
        expected = _BYLINE.search(line)
        found = _find_byline(line)
        assert (found and found.span()) == (expected and expected.span()), line


def test_a_document_without_a_header_has_no_title_rather_than_its_first_sentence():
    # A plain news text: the first line is a paragraph of prose, not a heading.
    one_sentence = (
        "The movement came to the fore in 2016 when supporters of the candidate gathered in "
        "Washington, where speakers praised the campaign and attacked its critics for hours\n\n"
        "Second paragraph. It goes on."
    )
    assert extract_metadata("x", one_sentence)["title"] == ""
    ends_with_period = "Fighters left Mosul for Raqqa in 2016, officials said.\n\nMore text."
    assert extract_metadata("x", ends_with_period)["title"] == ""
    starts_lower = "and then the fighters left Mosul\n\nMore text."
    assert extract_metadata("x", starts_lower)["title"] == ""


def test_headings_keep_their_title_questions_and_abbreviations_included():
    assert extract_metadata("x", "What if you had been a fighter?\n\nBody. Text.")["title"] == (
        "What if you had been a fighter?"
    )
    assert extract_metadata("x", "Troops leave the U.S.\n\nBody. Text.")["title"] == (
        "Troops leave the U.S."
    )


def test_invisible_characters_go_and_joiners_stay_in_other_scripts():
    from geo.documents.reading import without_invisible_characters

    assert without_invisible_characters("Ra\u200bqqa and Mo\u00adsul\ufeff") == "Raqqa and Mosul"
    assert without_invisible_characters("Da\u200c\u200dbiq, “Dabiq”") == "Dabiq, “Dabiq”"
    # Between letters of another script a zero-width non-joiner shapes the word: it stays.
    assert without_invisible_characters("می\u200cخواهم") == "می\u200cخواهم"
    assert without_invisible_characters("a\u200c.") == "a\u200c."
    assert without_invisible_characters("“plain”") == "“plain”"


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["Atlantic Monitor", "kurdistan 24", "Sada", "İnfo", "Ünal Post", "x", "-ABC"]),
    st.lists(
        st.sampled_from(
            ["Atlantic Monitor", "ATLANTIC MONITOR", "atlantic monitor", "Kurdistan 24",
             "\u212aurdistan 24", "ſada", "SADA", "İNFO", "info", "ınfo", "ünal post", "x", "X",
             "-abc", "_", "a", " ", "\n", ",", "é"]
        ),
        max_size=12,
    ),
)  # fmt: skip
def test_spelling_pattern_finds_what_the_plain_ignorecase_pattern_finds(name, pieces):
    from geo.documents.reading import _spelling_pattern

    text = "".join(pieces)
    plain = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    fast = re.compile(_spelling_pattern(name))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
