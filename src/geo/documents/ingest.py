"""Add documents to a corpus folder: plain text, Markdown, HTML (article text) and PDF (text layer).

    python -m geo add report.pdf page.html notes.md --corpus DIR

Text and Markdown files are copied as they are; HTML and PDF files become a `.txt` of their text,
and what they say about themselves (title, author, publication date) goes into the folder's
`sources.csv`. A file whose content is already in the folder (same bytes, or the same text) is not
added again: `.geo-added.json` in the folder remembers the fingerprint of every file added.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.documents.extraction import (  # noqa: F401 - html_article, pdf_text: the adder's parsers
    MAX_PDF_PAGES,
    MAX_SECONDS,
    Extracted,
    RejectedFile,
    extract_isolated,
    html_article,
    one_line,
    pdf_text,
)
from geo.documents.reading import (
    DOCUMENT_SUFFIXES,
    SOURCES_COLUMNS,
    SOURCES_CSV,
    binary_reason,
    decode_text,
)
from geo.store.locking import corpus_lock
from geo.store.schema import TEMP_SUFFIX, atomic_output, temp_prefix

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB a file: a long report as PDF is a few MB
SUFFIX_KINDS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
SUPPORTED_TYPES = tuple(s.lstrip(".") for s in SUFFIX_KINDS)
LIMITS_TEXT = (
    f"Plain text (.txt), Markdown (.md), HTML (.html, .htm) or PDF with a text layer (.pdf); "
    f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB a file"
    f" and {MAX_PDF_PAGES} pages a PDF."
)
MANIFEST = ".geo-added.json"


@dataclass(frozen=True)
class AddOutcome:
    name: str  # the file name as given
    status: str  # "added", "duplicate" or "rejected"
    message: str  # what happened, for the user
    stored_as: str = ""  # the file name in the corpus folder


# --- adding -------------------------------------------------------------------------------------


def extract(name: str, data: bytes) -> tuple[str, Extracted | None]:
    """(kind, extracted) for a file; extracted is None for text and Markdown, stored as they are.
    Raises `RejectedFile` with the reason when the file cannot be added. HTML and PDF are parsed in
    a child process with limits (`geo.documents.extraction`)."""
    suffix = Path(name).suffix.lower()
    kind = SUFFIX_KINDS.get(suffix)
    if kind is None:
        raise RejectedFile(f"type {suffix or '(no extension)'} is not supported. {LIMITS_TEXT}")
    if len(data) > MAX_FILE_BYTES:
        raise RejectedFile(
            f"{len(data) / 1024 / 1024:.1f} MB is over the limit of "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB a file"
        )
    if not data.strip():
        raise RejectedFile("the file is empty")
    if kind == "pdf":
        if not data.startswith(b"%PDF"):
            raise RejectedFile("not a PDF (it does not start with %PDF)")
        return kind, extract_isolated("pdf", data)
    decoded = decode_text(data)
    reason = binary_reason(decoded.text)
    if reason:
        raise RejectedFile(reason)
    if kind == "html":
        extracted = extract_isolated("html", decoded.text.encode("utf-8", "surrogatepass"))
        if not extracted.text.strip():
            raise RejectedFile("the page has no article text")
        return kind, extracted
    return kind, None


def _slug(stem: str) -> str:
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-")
    return slug[:80].strip("-") or "document"


def shown_name(name: str) -> str:
    """A file name as given (a browser or a shell may hand over a path), without control
    characters (a NUL cannot be in a path)."""
    name = "".join(c if c.isprintable() else " " for c in str(name)).replace("\\", "/")
    return Path(name).name.strip() or "(no name)"


def text_fingerprint(text: str) -> str:
    """A hash of the words of a text, blind to spacing and line endings."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class Corpus:
    """A corpus folder seen by the adder: its documents' fingerprints and the manifest.

    Read again (`refresh`) each time the folder's lock is taken: another process or session may
    have added files since."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.folder / MANIFEST
        self.manifest: dict[str, str] = {}  # sha256 of the original bytes -> stored file name
        self.text_prints: dict[str, str] = {}  # fingerprint of the text -> file name
        self.stems: set[str] = set()
        self._seen: dict[str, tuple[int, int]] = {}  # file name -> (size, mtime) fingerprinted
        self.refresh()

    def refresh(self) -> None:
        self.manifest = {}
        if self.manifest_path.exists():
            try:
                loaded = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                self.manifest = {str(k): str(v) for k, v in loaded.get("files", {}).items()}
            except (ValueError, AttributeError, OSError):
                self.manifest = {}  # unreadable: the text fingerprints below still catch repeats
        stems: set[str] = set()
        present: set[str] = set()
        for path in self.folder.iterdir():
            if not (path.suffix.lower() in DOCUMENT_SUFFIXES and path.is_file()):
                continue
            stems.add(path.stem)
            if path.name.startswith("."):
                continue
            present.add(path.name)
            try:
                stat = path.stat()
                if self._seen.get(path.name) == (stat.st_size, stat.st_mtime_ns):
                    continue
                text = decode_text(path.read_bytes()).text
            except OSError:
                continue
            self._seen[path.name] = (stat.st_size, stat.st_mtime_ns)
            self.text_prints[text_fingerprint(text)] = path.name
        self.text_prints = {k: v for k, v in self.text_prints.items() if v in present}
        self.stems = stems

    def already_has(self, raw_hash: str, text: str) -> str | None:
        """The name of the file in the folder with this content, if there is one."""
        stored = self.manifest.get(raw_hash)
        if stored and (self.folder / stored).exists():
            return stored
        return self.text_prints.get(text_fingerprint(text))

    def free_name(self, stem: str, suffix: str) -> str:
        base = _slug(stem)
        name, n = base, 1
        while name in self.stems or name == Path(SOURCES_CSV).stem:
            n += 1
            name = f"{base}-{n}"
        return name + suffix

    def create(self, stem: str, suffix: str, data: bytes) -> str:
        """Write a new document under a free name, never replacing a file another writer created
        meanwhile (the name is taken with a hard link, which fails if it exists); its name."""
        while True:
            name = self.free_name(stem, suffix)
            if _create_exclusively(self.folder / name, data):
                self.stems.add(Path(name).stem)
                return name
            self.stems.add(Path(name).stem)  # taken meanwhile: the next free name

    def remember(self, raw_hash: str, text: str, stored: str) -> None:
        """Note a new file in the manifest, and save the manifest at once (atomically)."""
        self.manifest[raw_hash] = stored
        self.text_prints[text_fingerprint(text)] = stored
        payload = json.dumps({"files": self.manifest}, indent=1, sort_keys=True)
        _write_atomically(self.manifest_path, payload.encode("utf-8"))


def _create_exclusively(path: Path, data: bytes) -> bool:
    """Write `path` complete (a temporary file, fsynced, then hard-linked to the name, which fails
    if the name exists) unless it exists: whether it was written."""
    fd, staged = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o644)
            os.fsync(handle.fileno())
        try:
            os.link(staged, path)
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links: create-exclusive, then write
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        return True
    finally:
        os.unlink(staged)


def _write_atomically(path: Path, data: bytes) -> None:
    with atomic_output(path, binary=True) as handle:
        handle.write(data)


def add_source_rows(folder: Path, rows: list[dict]) -> None:
    """Add rows to the folder's sources.csv, keeping its header and other rows as they are; a row
    for a doc_id the file already has replaces that row (a document added again after its file
    was deleted), so that the file never holds an id twice. Call holding the folder's lock."""
    if not rows:
        return
    path = Path(folder) / SOURCES_CSV
    header, existing = list(SOURCES_COLUMNS), []
    if path.exists():
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        header = [h.strip() for h in reader.fieldnames or []] or header
        header += [c for c in SOURCES_COLUMNS if c not in header]
        existing = [{k.strip(): v for k, v in row.items() if k} for row in reader]
    new_ids = {row["doc_id"] for row in rows}
    kept = [row for row in existing if (row.get("doc_id") or "").strip() not in new_ids]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(kept)
    writer.writerows(rows)
    _write_atomically(path, out.getvalue().encode("utf-8"))


def _has_source_row(folder: Path, doc_id: str) -> bool:
    path = Path(folder) / SOURCES_CSV
    if not path.exists():
        return False
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return any((row.get("doc_id") or "").strip() == doc_id for row in reader)


def _source_row(stored: str, extracted: Extracted | None) -> dict | None:
    if extracted is None:
        return None
    row = {
        "doc_id": Path(stored).stem,
        "title": extracted.title,
        "author": extracted.author,
        "published": extracted.published,
    }
    return row if any(row[k] for k in ("title", "author", "published")) else None


def add_documents(
    files: Iterable[tuple[str, bytes]],
    corpus_dir: Path,
    on_progress: Callable[[int, int, AddOutcome], None] | None = None,
) -> list[AddOutcome]:
    """Add (name, bytes) files to the corpus folder; one outcome per file, in order.

    Each file is read (parsed) first, then stored holding the folder's lock, with its sources.csv
    row and manifest entry saved before the next file is read: a failure or a kill later in the
    batch loses nothing already added. `on_progress(done, total, outcome)` is called after each."""
    files = list(files)
    corpus = Corpus(corpus_dir)
    outcomes: list[AddOutcome] = []
    for number, (given, data) in enumerate(files, start=1):
        name = shown_name(given)
        try:
            kind, extracted = extract(name, data)
            text = extracted.text if extracted else decode_text(data).text
            with corpus_lock(corpus.folder):
                outcome = _store(corpus, name, kind, data, text, extracted)
        except RejectedFile as exc:
            outcome = AddOutcome(name, "rejected", str(exc))
        except OSError as exc:  # a full disk, a folder made read-only meanwhile, a lock timeout
            outcome = AddOutcome(name, "rejected", f"could not be stored ({one_line(exc)})")
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(number, len(files), outcome)
    return outcomes


def _store(corpus: Corpus, name: str, kind: str, data: bytes, text: str,
           extracted: Extracted | None) -> AddOutcome:  # fmt: skip
    """Store one parsed file, holding the folder's lock."""
    corpus.refresh()
    raw_hash = hashlib.sha256(data).hexdigest()
    present = corpus.already_has(raw_hash, text)
    if present:
        row = _source_row(present, extracted)
        if row is not None and not _has_source_row(corpus.folder, row["doc_id"]):
            add_source_rows(corpus.folder, [row])  # an earlier add that was cut short
            return AddOutcome(name, "duplicate", f"already in the corpus as {present} "
                              "(its title, author and date were missing: added)", present)  # fmt: skip
        return AddOutcome(name, "duplicate", f"already in the corpus as {present}", present)
    if extracted is None:
        suffix = Path(name).suffix.lower()
        stored = corpus.create(Path(name).stem,
                               suffix if suffix in DOCUMENT_SUFFIXES else ".md", data)  # fmt: skip
    else:
        stored = corpus.create(Path(name).stem, ".txt", extracted.text.encode("utf-8"))
    row = _source_row(stored, extracted)
    if row is not None:
        add_source_rows(corpus.folder, [row])
    corpus.remember(raw_hash, text, stored)
    words = len(text.split())
    return AddOutcome(name, "added", f"added as {stored} ({kind}, {words:,} words)", stored)


def summary_line(outcomes: list[AddOutcome]) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("added", "duplicate", "rejected")}
    return (
        f"{counts['added']} added, {counts['duplicate']} already present, "
        f"{counts['rejected']} rejected"
    )


# --- command line -------------------------------------------------------------------------------


def add_command(commands) -> None:
    """Register `python -m geo add` on the CLI's sub-command parser."""
    add = commands.add_parser(
        "add",
        help="add documents (.txt, .md, .html, .pdf) to a corpus folder",
        description=f"Add documents to a corpus folder. {LIMITS_TEXT}",
    )
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument(
        "--corpus", type=Path, required=True, help="the corpus folder (created if missing)"
    )


def run_add(args, stderr=None) -> int:
    """`python -m geo add`: 0 when every file was added or already there, 1 if any was rejected."""
    stderr = stderr or sys.stderr
    items: list[tuple[str, bytes]] = []
    early: list[AddOutcome] = []
    for path in args.files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:  # not read into memory at all
                size = path.stat().st_size / 1024 / 1024
                early.append(AddOutcome(path.name, "rejected", f"{size:.1f} MB is over the limit "
                                        f"of {MAX_FILE_BYTES // (1024 * 1024)} MB a file"))  # fmt: skip
                continue
            items.append((path.name, path.read_bytes()))
        except OSError as exc:
            early.append(
                AddOutcome(str(path), "rejected", f"cannot read it ({exc.strerror or exc})")
            )
    total = len(items) + len(early)
    for i, outcome in enumerate(early, start=1):
        print(f"[{i}/{total}] {outcome.name}: {outcome.message}", file=stderr)

    def progress(done: int, _n: int, outcome: AddOutcome) -> None:
        print(f"[{len(early) + done}/{total}] {outcome.name}: {outcome.message}", file=stderr)

    outcomes = early + add_documents(items, args.corpus, on_progress=progress)
    print(f"{summary_line(outcomes)} -> {args.corpus}", file=stderr)
    return 1 if any(o.status == "rejected" for o in outcomes) else 0
