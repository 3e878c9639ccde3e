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
from html.parser import HTMLParser
from pathlib import Path

from geo.documents.reading import (
    DOCUMENT_SUFFIXES,
    SOURCES_COLUMNS,
    SOURCES_CSV,
    binary_reason,
    decode_text,
)

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB a file: a long report as PDF is a few MB
MAX_PDF_PAGES = 1000
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


class RejectedFile(ValueError):
    """A file that cannot be added, with the reason in words for the user."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    author: str = ""
    published: str = ""  # ISO YYYY, YYYY-MM or YYYY-MM-DD, or ""


@dataclass(frozen=True)
class AddOutcome:
    name: str  # the file name as given
    status: str  # "added", "duplicate" or "rejected"
    message: str  # what happened, for the user
    stored_as: str = ""  # the file name in the corpus folder


# --- HTML ---------------------------------------------------------------------------------------

_SKIPPED_TAGS = {
    "script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside",
    "form", "button", "iframe", "select", "textarea", "figure", "object", "canvas", "dialog",
}  # fmt: skip
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "br", "hr", "title", "body",
}  # fmt: skip
# class or id words of page furniture: menus, share buttons, cookie banners, related links.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|share|sharing|social|cookie|consent|"
    r"banner|advert|ads?|promo|related|comments?|newsletter|subscribe|breadcrumbs?|masthead|"
    r"skip-link|byline-share)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DATE_META = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "date",
    "dc.date",
    "publishdate",
)


class _ArticleText(HTMLParser):
    """Collects the readable text of a page, in blocks, noting which lie inside <article>/<main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, inside article/main)
        self._current: list[str] = []
        self._skip: list[str] = []  # open tags whose content is dropped
        self._article_depth = 0
        self._in_title = False
        self._in_h1 = False
        self.title_tag = ""
        self.h1 = ""
        self.meta: dict[str, str] = {}
        self.time_datetime = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append((text, self._article_depth > 0))
        self._current = []

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (
                attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            ).lower()
            if key and attrs.get("content") and key not in self.meta:
                self.meta[key] = attrs["content"].strip()
            return
        if tag == "time" and attrs.get("datetime") and not self.time_datetime:
            self.time_datetime = attrs["datetime"]
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self._skip:
                self._flush()
            return
        if self._skip:
            self._skip.append(tag)
            return
        marks = f"{attrs.get('class', '')} {attrs.get('id', '')} {attrs.get('role', '')}"
        if tag in _SKIPPED_TAGS or (tag not in ("body", "html", "main", "article")
                                    and _BOILERPLATE.search(marks)):  # fmt: skip
            self._flush()
            self._skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("article", "main"):
            self._article_depth += 1
        self._in_title = self._in_title or tag == "title"
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._skip:
            # Close the innermost open tag of this name; unclosed ones inside it go with it.
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("article", "main") and self._article_depth:
            self._article_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title_tag += data
            return
        if self._in_h1:
            self.h1 += data
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def _iso_date(value: str) -> str:
    match = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not match:
        return ""
    return "-".join(p for p in match.groups() if p)


def html_article(html: str) -> Extracted:
    """The article text of a page: the <article>/<main> content when the page marks one, else the
    body; scripts, styles, navigation, headers, footers, forms and asides dropped."""
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    inside = [text for text, in_article in parser.blocks if in_article]
    blocks = inside or [text for text, _ in parser.blocks]
    meta = parser.meta
    title = " ".join(
        (meta.get("og:title") or parser.h1 or parser.title_tag or meta.get("title") or "").split()
    )
    published = ""
    for key in _DATE_META:
        published = _iso_date(meta.get(key, ""))
        if published:
            break
    published = published or _iso_date(parser.time_datetime)
    author = " ".join((meta.get("author") or meta.get("article:author") or "").split())
    if author.startswith(("http://", "https://")):
        author = ""
    if title and (not blocks or blocks[0] != title):
        blocks = [title, *blocks]
    return Extracted("\n\n".join(blocks) + "\n", title=title, author=author, published=published)


# --- PDF ----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> Extracted:
    """The text layer of a PDF, page by page, with the title, author and date its metadata gives."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" PDFs open with an empty password
            except Exception as exc:  # noqa: BLE001 - pypdf raises several kinds here
                raise RejectedFile("the PDF is encrypted") from exc
        if len(reader.pages) > MAX_PDF_PAGES:
            raise RejectedFile(
                f"the PDF has {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}"
            )
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
    except RejectedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise RejectedFile(f"not a readable PDF ({exc})") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise RejectedFile("the PDF has no text layer (a scan?); run OCR on it first")
    title = " ".join(str(info.get("/Title") or "").split())
    author = " ".join(str(info.get("/Author") or "").split())
    created = str(info.get("/CreationDate") or "")
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", created)
    published = "-".join(p for p in match.groups() if p) if match else ""
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"
    return Extracted(text + "\n", title=title, author=author, published=published)


# --- adding -------------------------------------------------------------------------------------


def extract(name: str, data: bytes) -> tuple[str, Extracted | None]:
    """(kind, extracted) for a file; extracted is None for text and Markdown, stored as they are.
    Raises `RejectedFile` with the reason when the file cannot be added."""
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
        return kind, pdf_text(data)
    decoded = decode_text(data)
    reason = binary_reason(decoded.text)
    if reason:
        raise RejectedFile(reason)
    if kind == "html":
        extracted = html_article(decoded.text)
        if not extracted.text.strip():
            raise RejectedFile("the page has no article text")
        return kind, extracted
    return kind, None


def _slug(stem: str) -> str:
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-")
    return slug[:80].strip("-") or "document"


def text_fingerprint(text: str) -> str:
    """A hash of the words of a text, blind to spacing and line endings."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class Corpus:
    """A corpus folder seen by the adder: its documents' fingerprints and the manifest."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.folder / MANIFEST
        self.manifest: dict[str, str] = {}  # sha256 of the original bytes -> stored file name
        if self.manifest_path.exists():
            try:
                loaded = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                self.manifest = {str(k): str(v) for k, v in loaded.get("files", {}).items()}
            except (ValueError, AttributeError, OSError):
                self.manifest = {}  # unreadable: the text fingerprints below still catch repeats
        self.text_prints: dict[str, str] = {}  # fingerprint of the text -> file name
        self.stems: set[str] = set()
        for path in self.folder.iterdir():
            if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
                self.stems.add(path.stem)
                if path.name.startswith("."):
                    continue
                try:
                    text = decode_text(path.read_bytes()).text
                except OSError:
                    continue
                self.text_prints.setdefault(text_fingerprint(text), path.name)

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
        self.stems.add(name)
        return name + suffix

    def save_manifest(self) -> None:
        payload = json.dumps({"files": self.manifest}, indent=1, sort_keys=True)
        _write_atomically(self.manifest_path, payload.encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def add_source_rows(folder: Path, rows: list[dict]) -> None:
    """Append rows to the folder's sources.csv, keeping its header and rows as they are."""
    if not rows:
        return
    path = Path(folder) / SOURCES_CSV
    header, existing = list(SOURCES_COLUMNS), []
    if path.exists():
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        header = [h.strip() for h in reader.fieldnames or []] or header
        header += [c for c in SOURCES_COLUMNS if c not in header]
        existing = list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k.strip(): v for k, v in row.items() if k} for row in existing)
    writer.writerows(rows)
    _write_atomically(path, out.getvalue().encode("utf-8"))


def add_documents(
    files: Iterable[tuple[str, bytes]],
    corpus_dir: Path,
    on_progress: Callable[[int, int, AddOutcome], None] | None = None,
) -> list[AddOutcome]:
    """Add (name, bytes) files to the corpus folder; one outcome per file, in order.

    `on_progress(done, total, outcome)` is called after each file."""
    files = list(files)
    corpus = Corpus(corpus_dir)
    outcomes: list[AddOutcome] = []
    source_rows: list[dict] = []
    for number, (name, data) in enumerate(files, start=1):
        name = Path(name).name  # a browser or a shell may hand over a path
        try:
            kind, extracted = extract(name, data)
            text = extracted.text if extracted else decode_text(data).text
            raw_hash = hashlib.sha256(data).hexdigest()
            present = corpus.already_has(raw_hash, text)
            if present:
                outcome = AddOutcome(
                    name, "duplicate", f"already in the corpus as {present}", present
                )
            else:
                if extracted is None:
                    stored = corpus.free_name(Path(name).stem, Path(name).suffix.lower()
                                              if Path(name).suffix.lower() in DOCUMENT_SUFFIXES
                                              else ".md")  # fmt: skip
                    _write_atomically(corpus.folder / stored, data)
                else:
                    stored = corpus.free_name(Path(name).stem, ".txt")
                    _write_atomically(corpus.folder / stored, extracted.text.encode("utf-8"))
                    row = {
                        "doc_id": Path(stored).stem,
                        "title": extracted.title,
                        "author": extracted.author,
                        "published": extracted.published,
                    }
                    if any(row[k] for k in ("title", "author", "published")):
                        source_rows.append(row)
                corpus.manifest[raw_hash] = stored
                corpus.text_prints[text_fingerprint(text)] = stored
                words = len(text.split())
                outcome = AddOutcome(
                    name, "added", f"added as {stored} ({kind}, {words:,} words)", stored
                )
        except RejectedFile as exc:
            outcome = AddOutcome(name, "rejected", str(exc))
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(number, len(files), outcome)
    add_source_rows(corpus.folder, source_rows)
    if any(o.status == "added" for o in outcomes):
        corpus.save_manifest()
    return outcomes


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
