"""Uploads at the same time, uploads cut short, and files made to hurt: two adders writing files of
the same name, a batch killed half-way, a document added again after its file was deleted, and
crafted PDFs (a content stream that repeats a text hundreds of thousands of times, deep nesting, a
zlib bomb, a page tree of a million pages) built here, byte by byte."""

from __future__ import annotations

import json
import signal
import zlib

import pytest

from geo.documents import ingest
from geo.documents.extraction import RejectedFile, extract_isolated
from geo.documents.reading import read_corpus, read_sources_csv

DEADLINE = 300  # seconds a child process may take here; far more than it does


def page(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title><meta name='author' content='Author of {title}'>"
        f"</head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    ).encode()


ADD_IN_CHILD = """
import json, sys
from pathlib import Path
from geo.documents import ingest
corpus, label, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
files = [(f"report.html", f"<html><head><title>{label} {i}</title></head><body><p>"
          f"Fighters of {label} went from Mosul to Raqqa on day {i}.</p></body></html>".encode())
         for i in range(n)]
print("ready", flush=True)
stop_after = int(sys.argv[4]) if len(sys.argv) > 4 else 0

def progress(done, total, outcome):
    print(json.dumps([done, outcome.status]), flush=True)
    if done == stop_after:
        sys.stdin.readline()  # wait here to be killed

if sys.stdin.readline().strip() == "go":
    ingest.add_documents(files, corpus, on_progress=progress)
"""


def documents_in(corpus):
    documents, _ = read_corpus(corpus)
    return {d.doc_id: d for d in documents}


def test_two_adders_with_files_of_the_same_name_lose_nothing(tmp_path, python_child):
    corpus = tmp_path / "corpus"
    other = python_child(ADD_IN_CHILD, str(corpus), "Beta", "4")
    other.stdin.write("go\n")
    other.stdin.flush()
    mine = [("report.html", page(f"Alpha {i}", f"Alpha went to Sirte on day {i}."))
            for i in range(4)]  # fmt: skip
    outcomes = ingest.add_documents(mine, corpus)
    assert other.wait(timeout=DEADLINE) == 0, other.stderr.read()
    assert [o.status for o in outcomes] == ["added"] * 4
    documents = documents_in(corpus)
    assert len(documents) == 8  # every one of both writers' files, none overwritten
    titles = sorted(d.title for d in documents.values())
    assert titles == sorted([f"Alpha {i}" for i in range(4)] + [f"Beta {i}" for i in range(4)])
    sources = read_sources_csv(corpus / "sources.csv")  # no id twice, every title there
    assert len(sources) == 8
    manifest = json.loads((corpus / ingest.MANIFEST).read_text())["files"]
    assert sorted(manifest.values()) == sorted(f"{d}.txt" for d in documents)


def test_a_batch_killed_half_way_keeps_the_metadata_of_what_it_added(tmp_path, python_child):
    corpus = tmp_path / "corpus"
    killed = python_child(ADD_IN_CHILD, str(corpus), "Gamma", "4", "2")
    killed.stdin.write("go\n")
    killed.stdin.flush()
    assert [json.loads(killed.stdout.readline()) for _ in range(2)] == [[1, "added"], [2, "added"]]
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=DEADLINE)
    # A temporary file it was writing when killed (as a server killed mid-write leaves one).
    leftover = corpus / f".report-3.txt.{killed.pid}-abcdefgh.tmp"
    leftover.write_text("half")
    documents = documents_in(corpus)
    assert sorted(d.title for d in documents.values()) == ["Gamma 0", "Gamma 1"]
    # Adding the same files again: the two already there are recognised, the rest added.
    again = ingest.add_documents(
        [("report.html", f"<html><head><title>Gamma {i}</title></head><body><p>Fighters of "
          f"Gamma went from Mosul to Raqqa on day {i}.</p></body></html>".encode())
         for i in range(4)],
        corpus,
    )  # fmt: skip
    assert [o.status for o in again] == ["duplicate", "duplicate", "added", "added"]
    assert not leftover.exists()  # its writer is gone: cleared by the next adder
    assert sorted(d.title for d in documents_in(corpus).values()) == [
        f"Gamma {i}" for i in range(4)
    ]


def test_metadata_lost_by_an_earlier_cut_short_add_is_restored_when_the_file_is_added_again(
    tmp_path,
):
    corpus = tmp_path / "corpus"
    data = page("Delta report", "Fighters left Mosul.")
    ingest.add_documents([("delta.html", data)], corpus)
    (corpus / "sources.csv").unlink()  # as if the process had died before writing it
    (outcome,) = ingest.add_documents([("delta.html", data)], corpus)
    assert outcome.status == "duplicate" and "added" in outcome.message
    assert documents_in(corpus)["delta"].title == "Delta report"


def test_a_document_added_again_after_its_text_was_deleted_does_not_repeat_its_id(tmp_path):
    corpus = tmp_path / "corpus"
    data = page("Epsilon", "Fighters left Raqqa.")
    ingest.add_documents([("epsilon.html", data)], corpus)
    (corpus / "epsilon.txt").unlink()
    (outcome,) = ingest.add_documents([("epsilon.html", data)], corpus)
    assert outcome.status == "added"
    assert list(read_sources_csv(corpus / "sources.csv")) == ["epsilon"]  # once, no error
    documents, warnings = read_corpus(corpus)
    assert [d.title for d in documents] == ["Epsilon"] and not warnings


def test_a_file_name_with_control_characters_is_stored_under_a_clean_name(tmp_path):
    (outcome,) = ingest.add_documents([("re\x00port\n.txt", b"Fighters left Mosul.")],
                                      tmp_path / "c")  # fmt: skip
    assert outcome.status == "added" and outcome.stored_as == "re-port.txt"
    assert "\x00" not in outcome.name and "\n" not in outcome.name


# --- crafted PDFs -------------------------------------------------------------------------------


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file of the given object bodies (object i+1 is objects[i]), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref,
    )  # fmt: skip
    return bytes(out)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + (b"\nendstream")
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page_pdf(content: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>") -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + resources + b" /Contents 4 0 R >>",
        content,
        FONT,
    ])  # fmt: skip


def test_a_well_formed_crafted_pdf_reads_in_the_child_process():
    data = one_page_pdf(stream(b"BT /F1 12 Tf 72 720 Td (Fighters left Mosul for Raqqa.) Tj ET"))
    assert "Fighters left Mosul for Raqqa." in extract_isolated("pdf", data).text


def repeated_text_pdf(times: int) -> bytes:
    """One page whose compressed content stream repeats a line of text `times` times: a few KB of
    file, minutes of parsing."""
    line = b"BT /F1 12 Tf 72 720 Td (Fighters left Mosul for Raqqa and Sirte.) Tj ET\n"
    return one_page_pdf(stream(line * times))


def test_a_pdf_that_would_keep_the_reader_busy_for_minutes_is_stopped_at_the_time_limit():
    data = repeated_text_pdf(190_000)
    assert len(data) < 100_000
    with pytest.raises(RejectedFile, match="took longer than the limit of 2 s"):
        extract_isolated("pdf", data, seconds=2)


def test_a_pdf_whose_text_is_over_the_size_limit_is_refused_with_the_reason():
    with pytest.raises(RejectedFile, match="over the limit of 10,000 characters"):
        extract_isolated("pdf", repeated_text_pdf(2_000), max_chars=10_000)


def test_a_zlib_bomb_is_stopped_at_the_memory_limit():
    packer = zlib.compressobj(9)
    chunk = b" " * (16 * 2**20)
    bomb = b"".join(packer.compress(chunk) for _ in range(48)) + packer.flush()  # 768 MB of spaces
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    with pytest.raises(RejectedFile, match=r"memory|not a readable PDF") as caught:
        extract_isolated("pdf", one_page_pdf(content), memory_bytes=400 * 2**20)
    assert "\n" not in str(caught.value)


def test_deeply_nested_objects_give_a_one_line_reason_not_a_traceback():
    nested = b"[" * 50_000 + b"]" * 50_000
    data = one_page_pdf(stream(b"BT /F1 12 Tf (x) Tj ET"), resources=b"<< /Deep " + nested + b" >>")
    with pytest.raises(RejectedFile) as caught:
        extract_isolated("pdf", data)
    reason = str(caught.value)
    assert "\n" not in reason and "Traceback" not in reason and len(reason) < 300


def test_a_page_tree_of_a_million_pages_is_refused():
    # A thousand page-tree nodes of a thousand kids each, every kid the same page: 6 MB of file.
    leaf = 3 + 1000  # the page's object number
    nodes = [
        b"<< /Type /Pages /Parent 2 0 R /Kids [" + b" ".join([b"%d 0 R" % leaf] * 1000)
        + b"] /Count 1000 >>"
        for _ in range(1000)
    ]  # fmt: skip
    data = raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + i) for i in range(1000))
        + b"] /Count 1000000 >>",
        *nodes,
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>" % (leaf + 1),
        stream(b"BT /F1 12 Tf (x) Tj ET"),
    ])  # fmt: skip
    assert len(data) < ingest.MAX_FILE_BYTES
    with pytest.raises(RejectedFile, match="has 1,000,000 pages; the limit is 1,000|took longer"):
        extract_isolated("pdf", data)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"\x00\xff" * 500,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids 7 /Count -3 >>"]),
    ],
    ids=["garbage", "dangling reference", "malformed page tree"],
)
def test_a_broken_pdf_is_rejected_with_one_line(tmp_path, data):
    (outcome,) = ingest.add_documents([("broken.pdf", data)], tmp_path / "c")
    assert outcome.status == "rejected"
    assert "\n" not in outcome.message and "Traceback" not in outcome.message


def test_a_page_of_a_hundred_thousand_nested_tags_reads_in_the_child_or_gives_one_line():
    # HTML goes through the same child process and limits as PDF (issue 16, finding 5).
    data = b"<html><body>" + b"<div>" * 100_000 + b"Fighters left Mosul." + b"</div>" * 100_000
    try:
        assert "Fighters left Mosul." in extract_isolated("html", data).text
    except RejectedFile as caught:
        assert "\n" not in str(caught) and "Traceback" not in str(caught)


def test_a_page_whose_text_is_over_the_size_limit_is_refused_with_the_reason():
    data = b"<html><body><p>" + b"Fighters left Mosul for Raqqa. " * 2_000 + b"</p></body></html>"
    with pytest.raises(RejectedFile, match="over the limit of 10,000 characters"):
        extract_isolated("html", data, max_chars=10_000)


def test_a_page_that_keeps_the_reader_busy_is_stopped_at_the_time_limit():
    data = b"<html><body>" + b"<p>Fighters left Mosul for Raqqa.</p>" * 400_000 + b"</body></html>"
    with pytest.raises(RejectedFile, match="took longer than the limit of 0 s"):
        extract_isolated("html", data, seconds=0.01)
