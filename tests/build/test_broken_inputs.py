"""Broken inputs: a corpus folder full of awkward files, malformed CSV files, command-line misuse.

The build reads what it can, names what it skips and why, writes outputs for every good document
and never shows a traceback.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.build.pipeline import DEFAULT_PLACES_CSV, build_corpus
from geo.cli import main
from geo.documents.reading import read_corpus, read_sources_csv
from geo.store.schema import SchemaError, read_claims, read_places

# file name -> bytes; the comment says what the build should make of it
GOOD_FILES = {
    "bom.txt": codecs.BOM_UTF8 + b"BOM report\n\nSirte fell in December 2016.\n",
    "crlf.txt": b"Windows report\r\n\r\nFighters moved from Mosul to Raqqa.\r\nThen to Sirte.\r\n",
    "cr.txt": b"Carriage-return report\rFighters gathered in Mosul.\rOthers went to Raqqa.\r",
    "latin1.txt": "Latin-1 report\n\nThe café owner in Mosul said the Raqqa road was closed.\n".encode(
        "latin-1"
    ),
    "utf16.txt": "UTF-16 report\n\nFighters left Raqqa for Sirte in 2017.\n".encode("utf-16"),
    "utf16_nobom.txt": "UTF-16 report without a mark\n\nFighters left Mosul.\n".encode("utf-16-le"),
    # the last character cut in half, and a UTF-8 text with one corrupt byte
    "truncated.txt": "Truncated report\n\nKirkūk and Mosul – both fell’".encode()[:-1],
    "corrupt.txt": "Corrupt report\n\n“Kirkūk” – Mosul – Raqqa – Sirte ".encode() * 5
    + b"\xff and \xc3 more in Mosul.\n",
    "noplaces.txt": b"Nothing here\n\nthe quick brown fox jumps over the lazy dog, again.\n",
}
DECODED_AS = {
    "bom.txt": "UTF-8 (byte-order mark removed)",
    "latin1.txt": "Windows-1252/Latin-1",
    "utf16.txt": "UTF-16 (byte-order mark)",
    "utf16_nobom.txt": "UTF-16 little-endian (no byte-order mark)",
    "truncated.txt": "1 invalid byte sequence(s)",
    "corrupt.txt": "2 invalid byte sequence(s)",
}
BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b" \r\n\t\n", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 50, "binary content"),
    "controls.txt": (bytes(range(1, 32)) * 40, "binary content"),
    ".hidden.txt": (b"Hidden report\n\nMosul.\n", "hidden file"),
}


def make_broken_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in GOOD_FILES.items():
        (folder / name).write_bytes(data)
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "inner.txt").write_text("Inner report\n\nMosul.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory, gazetteer):
    folder = make_broken_corpus(tmp_path_factory.mktemp("broken") / "corpus")
    return folder, build_corpus(folder)


def test_every_good_file_is_read_and_every_other_is_named_with_its_reason(broken_build):
    _, build = broken_build
    assert sorted(build.documents) == sorted(Path(n).stem for n in GOOD_FILES)
    for name, (_, reason) in BAD_FILES.items():
        assert any(w.startswith(f"{name}: skipped, {reason}") for w in build.warnings), name
    assert "skipped notes.docx: not .txt or .md" in build.warnings
    assert any(w.startswith("skipped drafts: sub-folder") for w in build.warnings)
    assert not any(".DS_Store" in w for w in build.warnings)  # not a document: no noise


def test_the_decoding_of_each_file_that_is_not_plain_utf8_is_reported(broken_build):
    _, build = broken_build
    for name, how in DECODED_AS.items():
        assert any(w.startswith(f"{name}: read as") and how in w for w in build.warnings), name
    assert not any(w.startswith(("crlf.txt", "cr.txt", "noplaces.txt")) for w in build.warnings)


def test_text_is_decoded_as_written_and_offsets_index_the_decoded_text(broken_build):
    _, build = broken_build
    docs = build.documents
    assert "café owner in Mosul" in docs["latin1"].text
    assert docs["bom"].text.startswith("BOM report")  # the mark is not part of the text
    assert docs["utf16_nobom"].text.startswith("UTF-16 report without a mark")
    assert docs["crlf"].text.count("\r\n") == 4  # line endings kept: offsets count them
    assert docs["truncated"].text.endswith("both fell\ufffd")
    claims = build.claims_with_excerpts()
    assert set(claims["doc_id"]) == set(docs) - {"noplaces"}
    for claim in claims.to_dict("records"):
        text = docs[claim["doc_id"]].text
        assert text[claim["start"] : claim["end"]] == claim["mention"]
        start = claim["excerpt_start"]
        assert text[start : start + len(claim["excerpt"])] == claim["excerpt"]


def test_cli_build_of_a_broken_folder_writes_every_good_document(broken_build, tmp_path):
    folder, build = broken_build
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--corpus", str(folder), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name in BAD_FILES:
        assert f"warning: {name}: skipped" in done.stderr
    assert "warning: latin1.txt: read as Windows-1252/Latin-1" in done.stderr
    claims = read_claims(tmp_path / "claims.csv")
    # Every claim reads back as built, lone carriage returns in excerpts included.
    assert claims.to_dict("records") == build.claims_with_excerpts().astype(
        {"start": "int64"}
    ).to_dict("records")
    assert any("\r" in e for e in claims["excerpt"])
    assert {r.place_id for r in read_places(tmp_path / "places.csv")} >= set(claims["place_id"])


def test_a_50_mb_file_is_read_whole_with_its_offsets_intact(tmp_path):
    # Reading only: geoparsing 50 MB takes minutes (see the slow test in test_big_file.py).
    line = "Fighters moved from Mosul to Raqqa – and then to Sirte.\r\n"
    data = ("Big report\r\n\r\n" + line * (50 * 2**20 // len(line.encode()))).encode()
    (tmp_path / "big.txt").write_bytes(data)
    (documents, warnings) = read_corpus(tmp_path)
    (big,) = documents
    assert warnings == []
    assert len(big.text.encode()) == len(data) >= 50 * 2**20 - len(line) * 2
    assert big.text.startswith("Big report\r\n")
    last = big.text.rindex("Sirte")
    assert big.text[last : last + 5] == "Sirte" and last > 50_000_000


# --- places.csv and sources.csv ------------------------------------------------------------------

PLACES_HEADER = "place_id,name,kind,country_code,lat,lon,source,origin\n"
GOOD_PLACE = "curated:a,Alpha,city,IQ,36.3,43.1,test,curated\n"
BAD_PLACES = {
    "missing column": ("place_id,name,kind,country_code,lon,source\nx,X,city,IQ,1,me\n", 1, "lat"),
    "bad number": (
        PLACES_HEADER + GOOD_PLACE + "curated:b,B,city,IQ,3o.5,43,me,curated\n",
        3,
        "lat",
    ),
    "latitude 91": (PLACES_HEADER + "curated:b,B,city,IQ,91,43,me,curated\n", 2, "lat"),
    "duplicate id": (PLACES_HEADER + GOOD_PLACE + GOOD_PLACE, 3, "place_id"),
    "unknown kind": (PLACES_HEADER + "curated:b,B,village,IQ,30,43,me,curated\n", 2, "kind"),
    "bad population": (
        PLACES_HEADER.replace("origin", "origin,population")
        + "curated:b,B,city,IQ,3,4,me,curated,many\n",
        2,
        "population",
    ),
}
BAD_SOURCES = {
    "missing column": ("id,title\nreport,A title\n", 1, "doc_id"),
    "bad date": ("doc_id,published\nreport,2017-13-01\n", 2, "published"),
    "duplicate id": ("doc_id,title\nreport,A\nreport,B\n", 3, "doc_id"),
    "empty id": ("doc_id,title\n,A title\n", 2, "doc_id"),
    "extra field": ("doc_id,title\nreport,A title,surprise\n", 2, None),
}


def where(path: Path, line: int, column: str | None) -> str:
    """The start of the message that names file, line and column."""
    return f"{path}, line {line}" + (f", column '{column}'" if column else "")


@pytest.mark.parametrize("case", BAD_PLACES)
def test_a_bad_places_file_names_file_line_and_column(tmp_path, case):
    text, line, column = BAD_PLACES[case]
    path = tmp_path / "places.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as error:
        read_places(path)
    assert str(error.value).startswith(where(path, line, column))


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_a_bad_sources_file_names_file_line_and_column(tmp_path, case):
    text, line, column = BAD_SOURCES[case]
    path = tmp_path / "sources.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as error:
        read_sources_csv(path)
    assert str(error.value).startswith(where(path, line, column))


def test_a_csv_line_the_csv_module_cannot_parse_is_named_not_raised_as_csv_error(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(PLACES_HEADER + GOOD_PLACE + "curated:b," + "x" * 200_000 + "\n", "utf-8")
    with pytest.raises(SchemaError, match=r"line 3: not valid CSV"):
        read_places(path)


def test_a_places_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(
        (PLACES_HEADER + "curated:b,Bâle,city,CH,47.5,7.6,me,curated\n").encode("cp1252")
    )
    with pytest.raises(SchemaError, match=r"places\.csv: not UTF-8"):
        read_places(path)


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """`python -m geo ARGS` in this process: (exit status, standard error)."""
    try:
        status = main(list(args))
    except SystemExit as exit_:  # argparse
        status = exit_.code
    return status, capsys.readouterr().err


@pytest.mark.parametrize("case", BAD_PLACES)
def test_cli_with_a_bad_places_file_says_where_in_one_line(tmp_path, capsys, case):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Report\n\nMosul.\n", encoding="utf-8")
    text, line, column = BAD_PLACES[case]
    places = tmp_path / "places.csv"
    places.write_text(text, encoding="utf-8")
    status, err = run_cli(capsys, "build", "--corpus", str(corpus), "--places", str(places))
    assert status == 2
    assert err.startswith("error: " + where(places, line, column))
    assert err.count("\n") == 1
    assert places.read_text(encoding="utf-8") == text  # the broken file is left as it was
    assert not (tmp_path / "claims.csv").exists()


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_cli_with_a_bad_sources_file_says_where_in_one_line(tmp_path, capsys, case):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Report\n\nMosul.\n", encoding="utf-8")
    text, line, column = BAD_SOURCES[case]
    (corpus / "sources.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    status, err = run_cli(capsys, "build", "--corpus", str(corpus), "--out", str(out))
    assert status == 2
    assert err.startswith("error: " + where(corpus / "sources.csv", line, column))
    assert err.count("\n") == 1
    assert list(out.glob("*.csv")) == []


# --- command-line misuse -------------------------------------------------------------------------


def one_line_error(status: int, err: str) -> bool:
    return status != 0 and err.count("\n") == 1 and "Traceback" not in err and "error" in err


def test_cli_missing_corpus_folder_is_one_line(tmp_path, capsys):
    status, err = run_cli(capsys, "build", "--corpus", str(tmp_path / "nope"))
    assert one_line_error(status, err) and "corpus folder not found" in err


def test_cli_corpus_that_is_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "report.txt").write_text("Mosul", encoding="utf-8")
    status, err = run_cli(capsys, "build", "--corpus", str(tmp_path / "report.txt"))
    assert one_line_error(status, err) and "corpus folder not found" in err


def test_cli_output_folder_that_cannot_be_created_is_one_line(tmp_path, capsys):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    status, err = run_cli(capsys, "build", "--out", str(tmp_path / "a-file" / "out"))
    assert one_line_error(status, err) and "cannot create output folder" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_cli_output_folder_without_write_permission_is_one_line(tmp_path, capsys):
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o500)
    try:
        status, err = run_cli(capsys, "build", "--out", str(out))
    finally:
        out.chmod(0o700)
    assert one_line_error(status, err) and "not writable" in err


@pytest.mark.parametrize(
    "args, says",
    [
        (["build", "--bogus"], "unrecognized arguments: --bogus"),
        (["build", "--geocoder", "google"], "invalid choice: 'google'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "required: command"),
    ],
)
def test_cli_unknown_options_and_commands_are_one_line(capsys, args, says):
    status, err = run_cli(capsys, *args)
    assert status == 2 and one_line_error(status, err) and says in err, err


def test_cli_unknown_option_as_a_user_runs_it_is_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--bogus"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr == (
        "python -m geo: error: unrecognized arguments: --bogus (see python -m geo --help)\n"
    )


def test_cli_places_path_that_is_a_folder_is_one_line(tmp_path, capsys):
    status, err = run_cli(capsys, "build", "--places", str(tmp_path), "--out", str(tmp_path))
    assert one_line_error(status, err)


def test_default_places_file_is_untouched_by_failed_builds():
    assert read_places(DEFAULT_PLACES_CSV)  # still there and valid after all of the above
