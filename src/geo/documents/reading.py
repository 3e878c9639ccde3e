"""Read a corpus folder into `Document`s: decoded text plus the title, outlet, author and publication
date that the header states (or that an optional `sources.csv` supplies).

Header heuristics only report what the text says; an unknown field is "" (or None for the date).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from geo.evidence.dates import (
    PartialDate,
    date_in_header_line,
    header_lines,
    parse_iso_date,
    parse_publication_date,
)
from geo.store.schema import CORPUS_PLACES_CSV, SchemaError, csv_header, csv_rows
from geo.text.scan import fold, has_any, letter_variants
from geo.text.stored_text import StoredText

DOCUMENT_SUFFIXES = (".txt", ".md")
SOURCES_CSV = "sources.csv"
SOURCES_COLUMNS = ("doc_id", "title", "outlet", "author", "published")


@dataclass(frozen=True)
class Document:
    """One report: its decoded text (offsets index it) and what is known about where it comes from.

    The text is a `str`, or for a long text taken from the build cache a `StoredText` (its UTF-8
    bytes left in the cache's file; sliced like a str): `whole()` gives the document with a str."""

    doc_id: str
    path: str
    text: str | StoredText
    title: str
    outlet: str
    author: str
    published: PartialDate | None
    encoding: str = "utf-8"  # how the file's bytes were decoded (see `decode_text`)
    replaced: int = 0  # invalid byte sequences decoded as U+FFFD

    def whole(self) -> Document:
        """The document with its text as one `str` (for reading it through: geoparsing)."""
        return self if isinstance(self.text, str) else replace(self, text=str(self.text))

    @property
    def source(self) -> str:
        """How to cite the document in one phrase: the outlet, else the title, else the file."""
        return self.outlet or self.title or self.doc_id


class UnreadableDocument(ValueError):
    """A file that is not text (binary content) and so cannot be a report."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.reason = reason


# --- decoding -----------------------------------------------------------------------------------


class Decoded(NamedTuple):
    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16, utf-16-le, utf-16-be, utf-32, cp1252 or latin-1
    replaced: int = 0  # invalid UTF-8 sequences decoded as U+FFFD


# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A UTF-8 file with a few corrupt bytes stays UTF-8, with U+FFFD in their place, rather than every
# accented letter turning into mojibake: it needs this many good multi-byte characters per bad
# sequence. (Text in a single-byte encoding has next to none: valid UTF-8 there is a coincidence.)
_UTF8_GOOD_PER_BAD = 4
# Control characters that text files do not contain (tab, line breaks, form feed and escape aside).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


def decode_text(data: bytes) -> Decoded:
    """Decode file bytes: by their BOM (UTF-8, UTF-16, UTF-32), as BOM-less UTF-16 when every other
    byte is NUL, as UTF-8, as UTF-8 with a few corrupt bytes replaced, then as cp1252 and finally
    latin-1, which accepts any bytes. Line endings are kept as they are, so offsets index the
    decoded text."""
    body, utf8 = data, "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                if encoding != "utf-8-sig":  # cut short or corrupt: keep what decodes
                    text = data.decode(encoding, errors="replace")
                    return Decoded(text, encoding, text.count("\ufffd"))
                body, utf8 = data[len(bom) :], encoding
            break
    # Before UTF-8: BOM-less UTF-16 of Latin-script text is valid UTF-8, full of NULs.
    utf16 = _utf16_without_bom(data) if body is data else None
    if utf16 is not None:
        return utf16
    try:
        return Decoded(body.decode("utf-8"), utf8)
    except UnicodeDecodeError:
        pass
    return _mostly_utf8(body, utf8) or Decoded(*_single_byte(data))


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM, recognised by NUL high bytes (mostly Latin-script text)."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 4 or len(data) % 2 or b"\x00" not in sample:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, high, low in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):  # fmt: skip
        if high >= 0.4 * pairs and low <= 0.02 * pairs:
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes, encoding: str) -> Decoded | None:
    """UTF-8 with its invalid sequences replaced, when they are few or only cut the last character."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        truncated = True  # strict decoding failed only because the file ends mid-character
    except UnicodeDecodeError:
        truncated = False
    text = data.decode("utf-8", errors="replace")
    replacements = text.count("\ufffd")
    replaced = replacements - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - replacements
    if truncated or replaced * _UTF8_GOOD_PER_BAD <= good:
        return Decoded(text, encoding, replaced)
    return None


def _single_byte(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def binary_reason(text: str) -> str | None:
    """Why decoded text is not a document (NUL bytes, control characters), or None."""
    if "\x00" in text:
        return "binary content (NUL bytes), not text"
    sample = text[:8192]
    # Counted in the UTF-8 bytes (control characters are single bytes there, and no multi-byte
    # sequence contains a byte below 0x80): bytes.translate is ten times faster than a regex.
    raw = sample.encode("utf-8", "surrogatepass")
    if sample and len(raw) - len(raw.translate(None, _CONTROL_BYTES)) > 0.05 * len(sample):
        return "binary content (control characters), not text"
    return None


def read_document(path: str | Path, extract: Callable[[str, str], dict] | None = None) -> Document:
    """Read one report file; raises `UnreadableDocument` for binary content.

    `extract` stands in for `extract_metadata` (the incremental build remembers its results)."""
    path = Path(path)
    return document_from_bytes(str(path), path.stem, path.read_bytes(), extract)


def document_from_bytes(
    path: str, doc_id: str, data: bytes, extract: Callable[[str, str], dict] | None = None
) -> Document:
    """A report from its file's bytes, wherever they were read (a local file, an fsspec URL)."""
    decoded = decode_text(data)
    reason = binary_reason(decoded.text)
    if reason:
        raise UnreadableDocument(path, reason)
    text = without_invisible_characters(decoded.text)
    meta = (extract or extract_metadata)(doc_id, text)
    return Document(
        doc_id=doc_id,
        path=path,
        text=text,
        encoding=decoded.encoding,
        replaced=decoded.replaced,
        **meta,
    )


# Characters that print as nothing but split a word for a regex: "Ra\u200bqqa" would hide Raqqa
# from recognition and split a speaker's name in two. Zero-width (non-)joiners shape Arabic,
# Persian and Indic script, so they go only between Latin letters. The document's text is the
# text without them: offsets index it, and the full-text view shows it.
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]|(?<=[A-Za-z])[\u200c\u200d]+(?=[A-Za-z])")
# Any of those characters, looked for one at a time with str's substring search, which skips
# through the text in C (`_INVISIBLE`, an alternation opening with a look-behind, is tried at
# every position of the text; a one-class regex still visits every character).
_INVISIBLE_CHARACTERS = "\u200b\u2060\ufeff\u00ad\u200c\u200d"


def without_invisible_characters(text: str) -> str:
    """`text` without zero-width spaces, word joiners, stray byte-order marks and soft hyphens."""
    if text.isascii() or not any(character in text for character in _INVISIBLE_CHARACTERS):
        return text
    return _INVISIBLE.sub("", text)


_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (byte-order mark removed)",
    "utf-16": "UTF-16 (byte-order mark)",
    "utf-16-le": "UTF-16 little-endian (no byte-order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte-order mark)",
    "utf-32": "UTF-32 (byte-order mark)",
    "cp1252": "Windows-1252/Latin-1, as it is not valid UTF-8",
    "latin-1": "Latin-1, as it is not valid UTF-8 or Windows-1252",
}


def decoding_note(document: Document) -> str | None:
    """How a file that is not plain UTF-8 was decoded, for the build's messages; None for UTF-8."""
    if document.encoding == "utf-8" and not document.replaced:
        return None
    note = f"{Path(document.path).name}: read as {_ENCODING_NAMES.get(document.encoding, document.encoding)}"
    if document.replaced:
        note += f", {document.replaced} invalid byte sequence(s) shown as �"
    return note


# --- header metadata ----------------------------------------------------------------------------

_MAX_TITLE_CHARS = 250
# Browser and site furniture that ends up at the top of saved pages.
_ARTIFACT = re.compile(
    r"^(?:select\s+page|menu|main\s+menu|home|search|skip\s+to\s+(?:main\s+)?content|share(?:\s+this)?|"
    r"print|e-?mail|log\s*in|sign\s+in|sign\s+up|subscribe|advertisement|toggle\s+navigation|"
    r"navigation|close|follow\s+us|comments?|\d+\s+comments?:?|read\s+more|related|tags?:.*)$"
    r"|^[\w ]{1,24}:\s*[\d\W]+$",  # "Media ID: 55355578"
    re.IGNORECASE,
)
# Words of section menus and breadcrumbs ("Middle-east Arab News Opinion"): not a title.
_SECTION_WORDS = {
    "news", "opinion", "home", "world", "politics", "sports", "business", "menu", "archive",
    "section", "sections", "latest", "video", "videos", "blog", "about", "contact", "analysis",
    "features", "english", "arabic", "edition",
}  # fmt: skip
_SEPARATOR = re.compile(r"\s+[|•·]\s+")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:al|el|de|del|da|di|van|von|der|bin|ibn|le|la|du)(?:-\w+)?)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
# "by NAME" ending a line, after a separator ("Title, by Jane Doe", "19/12/2016 | by Doe, Jane
# (Dr.)"), or "Author: NAME". Case-sensitive so that names start with capitals.
_BYLINE = re.compile(
    rf"(?:^|[,|•·–—-]\s*|\s[|•·–—-]\s*)(?:[Ww]ritten\s+)?[Bb]y\s+(?P<name>{_NAME}"
    rf"(?:,\s*{_NAME})?(?:\s*\((?:Dr|Prof|Mr|Mrs|Ms|Gen|Col|Rev)\.?\))?)\s*$"
    rf"|^(?i:author|written\s+by|posted\s+by)\s*:\s*(?P<labelled>{_NAME})\s*$"
)


def _find_byline(line: str) -> re.Match | None:
    """_BYLINE.search(line), not run on the many header lines holding neither "by" nor "author"
    in any case (geo.text.scan), without which it cannot match."""
    folded = fold(line)
    if "by" not in folded and "author" not in folded:
        return None
    return _BYLINE.search(line)


_PHOTO_CREDIT = re.compile(r"\b(?:photo(?:graph)?|image|picture|illustration|credit)s?\s*$", re.I)
_OUTLET_STATEMENT = re.compile(
    r"^\s*(?:this\s+(?:article|piece|story|post|op-ed|essay)\s+(?:was|is)\s+)?"
    r"(?:translated\s+for|(?:originally|first)\s+(?:published|appeared)\s+(?:in|by|on|at)|"
    r"reprinted\s+(?:from|with\s+permission\s+(?:of|from)))\s+(?P<outlet>(?-i:[A-Z])[^\n,;.]{1,60}?)"
    r"(?=\s+by\b|[,;.]|\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLET_ANCHORS = ("translated", "published", "appeared", "reprinted")


def extract_metadata(doc_id: str, text: str) -> dict:
    """Title, outlet, author and publication date as the document's header states them.

    Keys: title, outlet, author (strings, "" when not stated) and published (PartialDate or None).
    Everything comes from the text; `doc_id` is never used as a fallback title (see `source`).
    """
    lines = [line.strip() for _, line in header_lines(text)]
    outlet = _outlet(lines, text)
    author = ""
    for line in lines:
        author = _byline(line)
        if author:
            break
    return {
        "title": _title(lines, outlet),
        "outlet": outlet,
        "author": author,
        "published": parse_publication_date(text),
    }


def _byline(line: str) -> str:
    """The author named in a byline ("by Jane Doe", "19/12/2016 | by Doe, Jane (Dr.)"), else ""."""
    if len(line) > 200:
        return ""
    m = _find_byline(line)
    if not m:
        return ""
    if _PHOTO_CREDIT.search(line[: m.start()]):
        return ""
    return normalise_author(m["name"] or m["labelled"] or "")


def normalise_author(name: str) -> str:
    """'Karmon, Ely (Dr.)' -> 'Ely Karmon': drop honorifics in brackets, put 'Last, First' in order."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip(" ,")
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(1 <= len(p.split()) <= 3 for p in parts):
        name = f"{parts[1]} {parts[0]}"
    return " ".join(name.split())


def _outlet(lines: list[str], text: str) -> str:
    """The outlet the text names: a " | " segment that recurs across header lines ("... | Asharq
    Al-awsat" and "... | ASHARQ AL-AWSAT English Archive"), else the site part of a single
    "Title | Site" line, else a statement such as "Translated for X by" or "Originally published in X"."""
    piped = [
        [s.strip() for s in _SEPARATOR.split(line) if s.strip()]
        for line in lines
        if _SEPARATOR.search(line) and date_in_header_line(line) is None and not _byline(line)
    ]
    tails = [(i, part) for i, parts in enumerate(piped) for part in parts[1:]]
    for i, part in tails:
        # The shorter of two spellings drops trailing furniture ("English Archive 2005 -2017").
        same = [other for j, other in tails if j != i and _same_start(part, other)]
        if same:
            return _best_spelling(min([part, *same], key=len), text)
    if len(piped) == 1 and len(piped[0]) == 2:
        title, site = piped[0]
        if len(title.split()) >= 3 and 1 <= len(site.split()) <= 5 and not re.search(r"\d", site):
            return _best_spelling(site, text)
    # Every statement holds one of these words (matched ignoring case: geo.text.scan).
    stated = has_any(fold(text), _OUTLET_ANCHORS) and _OUTLET_STATEMENT.search(text)
    if stated:
        return _best_spelling(stated["outlet"].strip(), text)
    return ""


def _same_start(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def _best_spelling(name: str, text: str) -> str:
    """The spelling of `name` the text uses most, preferring mixed case over ALL CAPS: headers
    often shout ("ASHARQ AL-AWSAT") or lowercase ("Al-awsat") what the body writes properly."""
    pattern = _spelling_regex(name)
    spellings = Counter(m.group() for m in pattern.finditer(text))
    if not spellings:
        return name
    return max(spellings, key=lambda s: (not s.isupper(), spellings[s], _capitals(s)))


@functools.lru_cache(maxsize=4096)
def _spelling_regex(name: str) -> re.Pattern:
    """The compiled `_spelling_pattern`: outlets recur across a corpus, and the re module's own
    cache of 512 patterns is shared with every other pattern the build compiles on the fly (a
    1,000-document corpus compiled 764 patterns for its 191 outlet names)."""
    return re.compile(_spelling_pattern(name))


def _spelling_pattern(name: str) -> str:
    r"""`name` in any case, between non-word characters: rf"(?<!\w){re.escape(name)}(?!\w)" with
    re.IGNORECASE. A name opening with an ASCII letter opens with that letter's cases as a class
    (the engine then skips to them; the look-behind after it, as in `word_start_alternation`)."""
    first = name[:1]
    if first.isascii() and first.isalpha():
        return rf"[{letter_variants(first)}](?<!\w.)(?i:{re.escape(name[1:])})(?!\w)"
    return rf"(?i:(?<!\w){re.escape(name)})(?!\w)"


def _capitals(name: str) -> int:
    return sum(1 for word in re.split(r"[\s-]+", name) if word[:1].isupper())


def _title(lines: list[str], outlet: str) -> str:
    """The most title-like header line: repeated lines win (saved pages often repeat the title),
    then a "Title | Outlet" line, then the first short line that is not a date, byline or menu."""
    cleaned: list[tuple[str, str]] = []  # (original line, title part)
    for line in lines:
        if date_in_header_line(line) is not None or _ARTIFACT.match(line) or len(line) > 400:
            continue
        part = _strip_byline_and_outlet(line, outlet)
        if part and not _ARTIFACT.match(part) and any(ch.isalpha() for ch in part):
            cleaned.append((line, part))
    best, best_score = "", float("-inf")
    for index in range(len(cleaned)):
        if not _reads_as_heading(cleaned[index][1]):
            continue  # a body line: a document without a header has no title, not its first line
        # The first substantive line is the title unless a later one is clearly more title-like.
        score = _title_score(index, cleaned, outlet) - index * 0.5
        if score > best_score:
            best, best_score = cleaned[index][1], score
    return best


# A heading is a short line that is not a sentence of prose: it does not start in lower case nor
# end with a full stop (a question mark is fine: "What if You'd Been an ISIS Fighter?"), and is at
# most this many words long.
_MAX_HEADING_WORDS = 20
_ENDS_WITH_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Dr|Mr|Mrs|Ms)\.$"
)


def _reads_as_heading(part: str) -> bool:
    words = part.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(part) > _MAX_TITLE_CHARS:
        return False
    if part[0].islower():
        return False
    return not (part.endswith(".") and not _ENDS_WITH_ABBREVIATION.search(part))


def _strip_byline_and_outlet(line: str, outlet: str) -> str:
    byline = _find_byline(line)
    if byline and _byline(line):
        line = line[: byline.start()]
    parts = [p.strip() for p in _SEPARATOR.split(line) if p.strip()]
    if outlet and len(parts) > 1:
        parts = [p for p in parts if not _same_start(p, outlet)] or parts[:1]
    return " | ".join(parts).strip(" ,|-–—")


def _title_score(index: int, cleaned: list[tuple[str, str]], outlet: str) -> float:
    line, part = cleaned[index]
    words = part.split()
    score = 0.0
    # The same title twice, or once more behind a toolbar label ("ATbar The Demise ...").
    others = [other for j, (_, other) in enumerate(cleaned) if j != index]
    if any(other == part or other.endswith(" " + part) for other in others):
        score += 4
    if _find_byline(line) and _byline(line):
        score += 2
    if outlet and _SEPARATOR.search(line) and len(words) >= 4:
        score += 2
    if len(words) > 20:
        score -= 1
    if sum(w.lower().strip(",.") in _SECTION_WORDS for w in words) >= 2:
        score -= 2
    # Prose is not a title: several sentences, or a long line ending in a period.
    if re.search(r"[.!?]\s+[A-Z]", part) or (part.endswith(".") and len(words) > 12):
        score -= 3
    if len(part) > 200:
        score -= 3
    return score


# --- corpus -------------------------------------------------------------------------------------


def read_sources_csv(path: Path) -> dict[str, dict]:
    """Read an optional sources.csv: doc_id -> {title, outlet, author, published} for the values
    that are filled in. `published` must be YYYY, YYYY-MM or YYYY-MM-DD and becomes a PartialDate.

    Raises `SchemaError` (a ValueError) naming file, line and column for a missing doc_id column, an
    empty or repeated doc_id, or a bad date. Unknown columns are ignored.
    """
    path = Path(path)
    return parse_sources_csv(path.read_bytes(), path)


def parse_sources_csv(data: bytes, path: Path | str) -> dict[str, dict]:
    """`read_sources_csv` of the file's bytes; `path` names the file in errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(path, None, None, f"not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = csv_header(reader, path)
    if "doc_id" not in header:
        raise SchemaError(path, 1, "doc_id", "missing column; sources.csv needs a doc_id column")
    sources: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, row in csv_rows(reader, path):
        if None in row:
            raise SchemaError(path, line, None, "more fields than the header has")
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                raise SchemaError(path, line, "doc_id", "empty")
            continue  # a blank row
        if doc_id in first_line:
            raise SchemaError(
                path,
                line,
                "doc_id",
                f"duplicate id {doc_id!r} (first on line {first_line[doc_id]})",
            )
        first_line[doc_id] = line
        values: dict = {}
        for column in SOURCES_COLUMNS[1:]:
            raw = row.get(column)
            value = raw.strip() if isinstance(raw, str) else ""
            if not value:
                continue
            if column == "published":
                date = parse_iso_date(value)
                if date is None:
                    raise SchemaError(
                        path,
                        line,
                        "published",
                        f"not a date: {value!r}; expected YYYY, YYYY-MM or YYYY-MM-DD",
                    )
                values[column] = date
            else:
                values[column] = value
        sources[doc_id] = values
    return sources


@dataclass
class FolderListing:
    """A corpus folder's entries, listed but not read (`list_folder`)."""

    # In name order: a message about an entry skipped with a word (a hidden file), or a document
    # file to read as (file name, path).
    entries: list[str | tuple[str, str]] = field(default_factory=list)
    passed_over: dict[str, list[str]] = field(default_factory=dict)  # reason -> names
    sources: dict[str, dict] = field(default_factory=dict)  # sources.csv, when there is one

    @property
    def files(self) -> list[tuple[str, str]]:
        return [e for e in self.entries if not isinstance(e, str)]


def list_folder(corpus_dir: Path) -> FolderListing:
    """The document files directly in the folder, by name, and its sources.csv, without reading
    the documents (`read_corpus` reads them; a parallel build reads them in its workers)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.exists():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus path is not a folder: {corpus_dir}")
    sources_path = corpus_dir / SOURCES_CSV
    listing = FolderListing()
    if sources_path.is_file():
        listing.sources = read_sources_csv(sources_path)
    # Folder entries, not Paths: an entry knows whether it is a file or a folder without a stat
    # call (two per file with Path.is_dir and is_file: 20,000 for a 10,000-document corpus).
    with os.scandir(corpus_dir) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        # Names from the entry, not a Path: making 10,000 Paths took 0.4 s of a cached rebuild.
        name = entry.name
        reason = _not_a_document(entry)
        if reason is None:
            listing.entries.append((name, entry.path))
        elif reason == _HIDDEN:
            listing.entries.append(f"{name}: skipped, {reason}")
        elif reason:
            listing.passed_over.setdefault(reason, []).append(name)
    return listing


# What reading one listed file gives: the document (None when it is skipped) and the messages.
Read = tuple[Document | None, list[str]]


def corpus_documents(
    listing: FolderListing, read: Callable[[int, str, str], Read]
) -> tuple[list[Document], list[str], list[int]]:
    """The listed files read with `read(position in listing.entries, name, path)`, in name order:
    the documents, the messages (as `read_corpus` gives them) and each document's position.

    A second file with the doc_id of a document already read is skipped with a message and not
    read."""
    documents: list[Document] = []
    warnings: list[str] = []
    positions: list[int] = []
    seen: dict[str, str] = {}
    for position, entry in enumerate(listing.entries):
        if isinstance(entry, str):
            warnings.append(entry)
            continue
        name, path = entry
        stem = doc_id_of(name)
        if stem in seen:
            warnings.append(f"{name}: skipped, same doc_id '{stem}' as {seen[stem]}")
            continue
        document, notes = read(position, name, path)
        warnings += notes
        if document is not None:
            seen[stem] = name
            documents.append(document)
            positions.append(position)
    warnings += passed_over_notes(listing.passed_over)
    warnings += unmatched_sources(listing.sources, seen)
    return documents, warnings, positions


def read_corpus(
    corpus_dir: Path, read: Callable[[str], Document] | None = None
) -> tuple[list[Document], list[str]]:
    """Every .txt and .md file directly in the folder, by name, with sources.csv applied.

    Returns the documents and human-readable messages: files that were skipped and why (empty,
    binary, unreadable, hidden, a second file with the same doc_id, not .txt or .md, sub-folders),
    files that are not plain UTF-8 and how they were decoded, and sources.csv rows that match no
    file.
    """
    listing = list_folder(corpus_dir)
    sources, reader = listing.sources, read or read_document
    documents, warnings, _ = corpus_documents(
        listing, lambda _, name, path: read_listed(path, name, sources, reader)
    )
    return documents, warnings


def doc_id_of(name: str) -> str:
    """A document's id: its file name without the suffix (a document's name has one)."""
    return name[: name.rfind(".")]


def read_listed(
    path: str, name: str, sources: dict[str, dict], read: Callable[[str], Document]
) -> tuple[Document | None, list[str]]:
    """One listed document file read with `read`, sources.csv applied, and the messages about it;
    None when it is skipped (unreadable, binary, empty)."""
    try:
        document = read(path)
    except UnreadableDocument as exc:
        return None, [f"{name}: skipped, {exc.reason}"]
    except OSError as exc:
        return None, [f"{name}: skipped, could not be read ({exc.strerror or exc})"]
    return listed_document(document, name, sources)


def listed_document(
    document: Document, name: str, sources: dict[str, dict]
) -> tuple[Document | None, list[str]]:
    """A listed file's document as read, checked and with sources.csv applied (`read_listed`)."""
    if not document.text or document.text.isspace():
        return None, [f"{name}: skipped, empty file"]
    note = decoding_note(document)
    override = sources.get(document.doc_id) or sources.get(name)
    if override:
        document = _with_overrides(document, override)
    return document, [note] if note else []


def passed_over_notes(passed_over: dict[str, list[str]]) -> list[str]:
    """One message per reason files were passed over without a word each."""
    notes = []
    for reason, names in passed_over.items():
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        notes.append(f"skipped {listed}: {reason}")
    return notes


def unmatched_sources(sources: dict[str, dict], seen: dict[str, str]) -> list[str]:
    """sources.csv rows that match no document read (`seen`: doc_id -> file name)."""
    known = set(seen) | set(seen.values())
    return [
        f"{SOURCES_CSV}: doc_id '{doc_id}' matches no document in the folder"
        for doc_id in sources
        if doc_id not in known
    ]


_HIDDEN = "hidden file (its name starts with a dot)"


def _not_a_document(entry: os.DirEntry) -> str | None:
    return not_a_document(entry.name, lambda: _is(entry.is_dir), lambda: _is(entry.is_file))


def not_a_document(
    name: str, is_dir: Callable[[], bool], is_file: Callable[[], bool]
) -> str | None:
    """Why a folder entry is not read as a document, "" to pass over it without a word (sources.csv,
    curated-places.csv, hidden files that are not documents), or None when it is a document to read."""
    hidden = name.startswith(".")
    if name in (SOURCES_CSV, CORPUS_PLACES_CSV):
        return ""
    if is_dir():
        return "" if hidden else "sub-folder(s); only files directly in the corpus folder are read"
    dot = name.rfind(".")  # the suffix as Path.suffix reads it, without making a Path
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""
    if suffix.lower() not in DOCUMENT_SUFFIXES:
        return "" if hidden else "not .txt or .md"
    if hidden:
        return _HIDDEN
    if not is_file():
        return "not a regular file"
    return None


def _is(test: Callable[[], bool]) -> bool:
    """DirEntry.is_dir/is_file, False when the entry cannot be examined (as Path.is_dir gives)."""
    try:
        return test()
    except OSError:
        return False


def _with_overrides(document: Document, override: dict) -> Document:
    fields = {k: v for k, v in override.items() if k in SOURCES_COLUMNS[1:] and v not in ("", None)}
    return replace(document, **fields) if fields else document
