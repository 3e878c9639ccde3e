"""Read a corpus folder into `Document`s: decoded text plus the title, outlet, author and publication
date that the header states (or that an optional `sources.csv` supplies).

Header heuristics only report what the text says; an unknown field is "" (or None for the date).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from geo.dates import (
    PartialDate,
    date_in_header_line,
    header_lines,
    parse_iso_date,
    parse_publication_date,
)
from geo.schema import SchemaError

DOCUMENT_SUFFIXES = (".txt", ".md")
SOURCES_CSV = "sources.csv"
SOURCES_COLUMNS = ("doc_id", "title", "outlet", "author", "published")


@dataclass(frozen=True)
class Document:
    """One report: its decoded text (offsets index it) and what is known about where it comes from."""

    doc_id: str
    path: str
    text: str
    title: str
    outlet: str
    author: str
    published: PartialDate | None
    encoding: str = "utf-8"

    @property
    def source(self) -> str:
        """How to cite the document in one phrase: the outlet, else the title, else the file."""
        return self.outlet or self.title or self.doc_id


class UnreadableDocument(ValueError):
    """A file that is not text (NUL bytes) and so cannot be a report."""


# --- decoding -----------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode file bytes as (text, encoding): UTF-8 (BOM stripped), UTF-16/32 with a BOM, then
    cp1252 and finally latin-1, which accepts any bytes. Line endings are kept as they are."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_document(path: Path) -> Document:
    """Read one report file; raises `UnreadableDocument` for binary content (NUL bytes)."""
    path = Path(path)
    text, encoding = decode_text(path.read_bytes())
    if "\x00" in text:
        raise UnreadableDocument(f"{path}: binary content (NUL bytes), not a text document")
    meta = extract_metadata(path.stem, text)
    return Document(doc_id=path.stem, path=str(path), text=text, encoding=encoding, **meta)


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
_PHOTO_CREDIT = re.compile(r"\b(?:photo(?:graph)?|image|picture|illustration|credit)s?\s*$", re.I)
_OUTLET_STATEMENT = re.compile(
    r"^\s*(?:this\s+(?:article|piece|story|post|op-ed|essay)\s+(?:was|is)\s+)?"
    r"(?:translated\s+for|(?:originally|first)\s+(?:published|appeared)\s+(?:in|by|on|at)|"
    r"reprinted\s+(?:from|with\s+permission\s+(?:of|from)))\s+(?P<outlet>(?-i:[A-Z])[^\n,;.]{1,60}?)"
    r"(?=\s+by\b|[,;.]|\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


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
    m = _BYLINE.search(line)
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
    stated = _OUTLET_STATEMENT.search(text)
    if stated:
        return _best_spelling(stated["outlet"].strip(), text)
    return ""


def _same_start(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def _best_spelling(name: str, text: str) -> str:
    """The spelling of `name` the text uses most, preferring mixed case over ALL CAPS: headers
    often shout ("ASHARQ AL-AWSAT") or lowercase ("Al-awsat") what the body writes properly."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    spellings = Counter(m.group() for m in pattern.finditer(text))
    if not spellings:
        return name
    return max(spellings, key=lambda s: (not s.isupper(), spellings[s], _capitals(s)))


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
        # The first substantive line is the title unless a later one is clearly more title-like.
        score = _title_score(index, cleaned, outlet) - index * 0.5
        if score > best_score:
            best, best_score = cleaned[index][1], score
    return best[:_MAX_TITLE_CHARS]


def _strip_byline_and_outlet(line: str, outlet: str) -> str:
    byline = _BYLINE.search(line)
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
    if _BYLINE.search(line) and _byline(line):
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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(path, None, None, f"not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "doc_id" not in header:
        raise SchemaError(path, 1, "doc_id", "missing column; sources.csv needs a doc_id column")
    reader.fieldnames = header
    sources: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
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


def read_corpus(corpus_dir: Path) -> tuple[list[Document], list[str]]:
    """Every .txt and .md file directly in the folder, by name, with sources.csv applied.

    Returns the documents and human-readable warnings for files that were skipped (empty, binary,
    unreadable, or a second file with the same doc_id) and sources.csv rows that match no file.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.exists():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus path is not a folder: {corpus_dir}")
    sources_path = corpus_dir / SOURCES_CSV
    sources = read_sources_csv(sources_path) if sources_path.is_file() else {}
    documents: list[Document] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(corpus_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        if not path.is_file():
            continue
        if path.stem in seen:
            warnings.append(f"{path.name}: skipped, same doc_id '{path.stem}' as {seen[path.stem]}")
            continue
        try:
            document = read_document(path)
        except UnreadableDocument:
            warnings.append(f"{path.name}: skipped, binary content (NUL bytes), not text")
            continue
        except OSError as exc:
            warnings.append(f"{path.name}: skipped, could not be read ({exc.strerror or exc})")
            continue
        if not document.text.strip():
            warnings.append(f"{path.name}: skipped, empty file")
            continue
        seen[path.stem] = path.name
        override = sources.get(document.doc_id) or sources.get(path.name)
        if override:
            document = _with_overrides(document, override)
        documents.append(document)
    known = set(seen) | set(seen.values())
    for doc_id in sources:
        if doc_id not in known:
            warnings.append(f"{SOURCES_CSV}: doc_id '{doc_id}' matches no document in the folder")
    return documents, warnings


def _with_overrides(document: Document, override: dict) -> Document:
    fields = {k: v for k, v in override.items() if k in SOURCES_COLUMNS[1:] and v not in ("", None)}
    return replace(document, **fields) if fields else document
