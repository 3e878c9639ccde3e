"""A corpus folder named by a local path or an fsspec URL (file://, memory://, s3://, ...): its
document files listed without being read, and one document read where it lies.

This is how the build on a cluster splits the reading: the client lists the folder, and each worker
reads its own documents from the path or URL that every worker can reach. The rules are those of
`geo.documents.reading.read_corpus` (which files are documents, sources.csv, the messages).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import fsspec
from fsspec.implementations.local import LocalFileSystem

from geo.documents.reading import (
    SOURCES_CSV,
    Document,
    doc_id_of,
    document_from_bytes,
    not_a_document,
    parse_sources_csv,
)
from geo.store.schema import CORPUS_PLACES_CSV


@dataclass(frozen=True)
class ListedFile:
    """A document file of the corpus, not yet read."""

    name: str  # its file name
    url: str  # where to read it: a local path, else an fsspec URL
    # Its size, modification time (s) and inode where the file system gives them: a file whose
    # stamp has not changed has not changed. None when the file system gives no time.
    stamp: tuple | None


@dataclass
class CorpusListing:
    # In name order: a document file to read, or a message about an entry that is not one.
    entries: list[ListedFile | str] = field(default_factory=list)
    passed_over: dict[str, list[str]] = field(default_factory=dict)  # reason -> names
    sources: dict[str, dict] = field(default_factory=dict)  # sources.csv, when there is one
    # The corpus's own curated-places.csv, read from a URL corpus (a local one is read where it
    # lies, through the build cache): its URL and bytes, or None.
    places_csv: tuple[str, bytes] | None = None

    @property
    def files(self) -> list[ListedFile]:
        return [e for e in self.entries if isinstance(e, ListedFile)]


def is_url(corpus: str) -> bool:
    return "://" in str(corpus)


def list_corpus(corpus: str) -> CorpusListing:
    """The document files directly in the folder (by name) and sources.csv, without reading the
    documents. A second file with the same doc_id is left out with a message, as by read_corpus."""
    fs, root = fsspec.core.url_to_fs(str(corpus))
    if not fs.exists(root):
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    if not fs.isdir(root):
        raise NotADirectoryError(f"corpus path is not a folder: {corpus}")
    local = isinstance(fs, LocalFileSystem)
    listing = CorpusListing()
    seen: dict[str, str] = {}
    infos = sorted(fs.ls(root, detail=True), key=lambda info: _name(info["name"]))
    for info in infos:
        name = _name(info["name"])
        kind = info.get("type")
        reason = not_a_document(name, lambda k=kind: k == "directory", lambda k=kind: k == "file")
        if name == SOURCES_CSV and kind == "file":
            with fs.open(info["name"], "rb") as handle:
                listing.sources = parse_sources_csv(handle.read(), _url(fs, info["name"], local))
        if name == CORPUS_PLACES_CSV and kind == "file" and not local:
            with fs.open(info["name"], "rb") as handle:
                listing.places_csv = (_url(fs, info["name"], local), handle.read())
        if reason is not None:
            if reason.startswith("hidden file"):
                listing.entries.append(f"{name}: skipped, {reason}")
            elif reason:
                listing.passed_over.setdefault(reason, []).append(name)
            continue
        stem = doc_id_of(name)
        if stem in seen:
            listing.entries.append(f"{name}: skipped, same doc_id '{stem}' as {seen[stem]}")
            continue
        seen[stem] = name
        url = _url(fs, info["name"], local)
        listing.entries.append(ListedFile(name, url, _stamp(info)))
    return listing


def read_document_at(url: str) -> Document:
    """One document read from a local path or an fsspec URL (as `read_document` reads a file)."""
    with fsspec.open(url, "rb") as handle:
        data = handle.read()
    return document_from_bytes(url, doc_id_of(_name(url)), data)


def _name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _url(fs, path: str, local: bool) -> str:
    return path if local else fs.unstrip_protocol(path)


def _stamp(info: dict) -> tuple | None:
    when = info.get("mtime", info.get("created", info.get("LastModified")))
    if isinstance(when, datetime.datetime):
        when = when.timestamp()
    if not isinstance(when, int | float):
        return None
    return (info.get("size"), float(when), info.get("ino"))
