"""Adding documents: text, Markdown, HTML (article text only) and PDF (text layer), from the command
line and through the function the upload calls; limits enforced, the same content never twice."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from geo import cli
from geo.documents import ingest
from geo.documents.reading import read_corpus


def make_pdf(lines: list[str], title: str = "", author: str = "") -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, one line each)."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })  # fmt: skip
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    if title or author:
        writer.add_metadata({"/Title": title, "/Author": author, "/CreationDate": "D:20170304"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PAGE = """<!doctype html><html><head><title>Daily Site | Fighters leave Mosul</title>
<meta name="author" content="John Doe">
<meta property="article:published_time" content="2017-02-01T10:00:00Z">
<script>var city = "Baghdad";</script><style>.x { color: red }</style></head>
<body><nav><a href="/">Home</a> <a href="/paris">Paris office</a></nav>
<header class="site-header">Daily Site</header>
<div class="cookie-banner">We use cookies in London.</div>
<article><h1>Fighters leave Mosul</h1>
<p>Fighters left <b>Mosul</b> for Raqqa &amp; Deir Ezzor in 2016.</p>
<div class="share-buttons">Share on Twitter</div>
<p>Some reached Sirte.<br>Others went to Kabul.</p></article>
<aside>Related: Tokyo</aside><footer>© Berlin Media</footer></body></html>"""


def test_html_page_keeps_the_article_and_drops_scripts_menus_and_footers():
    extracted = ingest.html_article(PAGE)
    assert extracted.text.startswith("Fighters leave Mosul\n\n")
    assert "Fighters left Mosul for Raqqa & Deir Ezzor in 2016." in extracted.text
    assert "Others went to Kabul." in extracted.text
    for boilerplate in ("Baghdad", "Paris", "London", "Tokyo", "Berlin", "Share on", "color"):
        assert boilerplate not in extracted.text
    assert (extracted.title, extracted.author, extracted.published) == (
        "Fighters leave Mosul", "John Doe", "2017-02-01",
    )  # fmt: skip


def test_pdf_text_layer_and_metadata_are_read():
    data = make_pdf(
        ["Fighters left Mosul for Raqqa.", "Others went to Sirte."], "A report", "Jane Roe"
    )
    extracted = ingest.pdf_text(data)
    assert "Fighters left Mosul for Raqqa." in extracted.text
    assert (extracted.title, extracted.author, extracted.published) == (
        "A report",
        "Jane Roe",
        "2017-03-04",
    )


def test_cli_adds_every_supported_type_and_the_build_reads_them(tmp_path, capsys):
    files = {
        "notes.txt": b"Refugees from Sirte reached Mosul in 2016.\n",
        "brief.md": b"# Brief\n\nFighters moved from Raqqa to Idlib.\n",
        "page.html": PAGE.encode(),
        "report.pdf": make_pdf(["Fighters went from Kirkuk to Kabul."], "PDF report", "Jane Roe"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    corpus = tmp_path / "corpus"
    status = cli.main(["add", *(str(tmp_path / n) for n in files), "--corpus", str(corpus)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "[4/4]" in err and "4 added, 0 already present, 0 rejected" in err
    documents, warnings = read_corpus(corpus)
    by_id = {d.doc_id: d for d in documents}
    assert set(by_id) == {"notes", "brief", "page", "report"}
    assert "Raqqa & Deir Ezzor" in by_id["page"].text
    assert by_id["page"].title == "Fighters leave Mosul" and by_id["page"].author == "John Doe"
    assert by_id["page"].published.iso == "2017-02-01"
    assert "Kirkuk to Kabul" in by_id["report"].text and by_id["report"].title == "PDF report"
    assert not warnings


def test_the_same_content_is_not_added_twice_even_under_another_name(tmp_path):
    corpus = tmp_path / "corpus"
    first = ingest.add_documents([("a.txt", b"Fighters reached Mosul.\n")], corpus)
    again = ingest.add_documents(
        [("a.txt", b"Fighters reached Mosul.\n"), ("copy.md", b"Fighters  reached\r\nMosul.")],
        corpus,
    )
    assert [o.status for o in first] == ["added"]
    assert [o.status for o in again] == ["duplicate", "duplicate"]
    assert "a.txt" in again[1].message
    assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == ["a.txt"]


def test_a_different_file_with_a_taken_name_gets_a_new_name(tmp_path):
    corpus = tmp_path / "corpus"
    ingest.add_documents([("report.txt", b"About Mosul.")], corpus)
    (outcome,) = ingest.add_documents([("report.txt", b"About Raqqa.")], corpus)
    assert outcome.status == "added" and outcome.stored_as == "report-2.txt"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("slides.pptx", b"PK\x03\x04", "not supported"),
        ("empty.txt", b"  \n", "empty"),
        ("scan.pdf", make_pdf([]), "no text layer"),
        ("fake.pdf", b"hello, not a pdf", "not a PDF"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("huge.txt", b"a" * (ingest.MAX_FILE_BYTES + 1), "over the limit"),
    ],
)
def test_unsupported_empty_unreadable_and_oversized_files_are_rejected_with_the_reason(
    tmp_path, name, data, reason
):
    (outcome,) = ingest.add_documents([(name, data)], tmp_path / "corpus")
    assert outcome.status == "rejected" and reason in outcome.message


def test_cli_reports_a_rejected_file_and_exits_non_zero(tmp_path, capsys):
    (tmp_path / "deck.pptx").write_bytes(b"PK")
    (tmp_path / "ok.txt").write_text("Mosul.")
    status = cli.main(["add", str(tmp_path / "deck.pptx"), str(tmp_path / "ok.txt"),
                       "--corpus", str(tmp_path / "c")])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    assert "deck.pptx: type .pptx is not supported" in err and "1 added" in err


def test_progress_is_reported_after_each_file(tmp_path):
    seen = []
    ingest.add_documents(
        [("a.txt", b"One."), ("b.txt", b"Two."), ("c.exe", b"MZ")],
        tmp_path / "c",
        on_progress=lambda done, total, outcome: seen.append((done, total, outcome.status)),
    )
    assert seen == [(1, 3, "added"), (2, 3, "added"), (3, 3, "rejected")]


def test_metadata_goes_into_an_existing_sources_csv_without_touching_its_rows(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "old.txt").write_text("Mosul.")
    (corpus / "sources.csv").write_text("doc_id,outlet\nold,Old Outlet\n")
    ingest.add_documents([("page.html", PAGE.encode())], corpus)
    documents, warnings = read_corpus(corpus)
    by_id = {d.doc_id: d for d in documents}
    assert by_id["old"].outlet == "Old Outlet" and by_id["page"].author == "John Doe"
    assert not warnings
