"""The cluster build's memory of what each document produced: its claims in the Parquet parts the
workers wrote, and a manifest the client keeps.

A build on a cluster never holds the claims: each task writes the claims of its documents as one
Parquet part in `<cache>/parts/` (a folder every worker reaches) and returns only, per document, the
part and row range of its claims, its places, its unresolved mentions and its messages. The
manifest keeps those entries by file, with the file's stamp (size, modification time, inode): the
next build sends to the workers only the files whose stamp or sources.csv row changed, and the
claims are merged again from the parts (only the merged segments whose rows changed). A part that
no live document uses any more is removed when the manifest is saved. As in `geo.build.cache`, a
new fingerprint (code, data packages, curated places) starts afresh.

The manifest is columnar and appended to: Parquet files `manifest-<fingerprint>-<n>.parquet`, one
row per entry (MANIFEST_SCHEMA), each build adding one file with only the entries it made and a
row marking each file gone since (`removed`); a later row for a file replaces an earlier one. When
there are more than MAX_SEGMENTS files, or most rows are replaced ones, the live entries are
rewritten as one. So an incremental build writes what it added, not the whole corpus's entries
again (a single pickle of them was projected at 11 GB for 10 million documents). The places the
entries refer to (at most the gazetteer's) are one small pickle beside them.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from geo.documents.reading import Document
from geo.evidence.dates import PartialDate
from geo.store.schema import PlaceRecord, atomic_output

PARTS_DIRNAME = "parts"
MERGED_DIRNAME = "merged"  # the segments of claims.parquet merged on the workers
MANIFEST_VERSION = 3  # 3: Parquet segments (2: one pickle)
MAX_SEGMENTS = 6  # more manifest files than this, and the next save compacts them into one
# A file modified this close to the manifest's writing could change again within the same
# modification-time tick: it is read again rather than trusted (as in geo.build.cache).
RACY_SECONDS = 2.0


@dataclass(frozen=True)
class DocumentEntry:
    """One document's contribution to a cluster build."""

    name: str  # its file name in the corpus
    stamp: tuple | None  # the file's (size, mtime, inode) when it was read
    override: str  # repr of its sources.csv row when it was read
    document: Document  # its metadata (the text left out)
    part: str  # the part file (its name in the parts folder) holding its claims
    first_row: int
    n_rows: int
    place_ids: tuple[str, ...]  # the places its claims refer to, first use first
    unresolved: tuple[dict, ...]
    notes: tuple[str, ...]  # the build's messages about the file (how it was decoded)
    found: int = 0  # its resolved mentions before the claims per document were cut (0: not cut)


_TEXT = pa.string()
MANIFEST_SCHEMA = pa.schema(
    [
        ("name", _TEXT),
        ("removed", pa.bool_()),  # the file is gone: the entries before this row no longer count
        ("stamp", _TEXT),  # repr of the file's stamp, compared as it is
        ("mtime", pa.float64()),
        ("override", _TEXT),
        ("doc_id", _TEXT),
        ("path", _TEXT),
        ("title", _TEXT),
        ("outlet", _TEXT),
        ("author", _TEXT),
        ("published", pa.list_(_TEXT)),  # PartialDate (iso, precision, text, end_iso), or null
        ("encoding", _TEXT),
        ("replaced", pa.int64()),
        ("part", _TEXT),
        ("first_row", pa.int64()),
        ("n_rows", pa.int64()),
        ("place_ids", pa.list_(_TEXT)),
        (
            "unresolved",
            pa.list_(
                pa.struct(
                    [
                        ("doc_id", _TEXT),
                        ("mention", _TEXT),
                        ("start", pa.int64()),
                        ("end", pa.int64()),
                        ("ordinary_word", pa.bool_()),
                    ]
                )  # fmt: skip
            ),
        ),
        ("notes", pa.list_(_TEXT)),
        ("found", pa.int64()),
    ],
    metadata={"geo-manifest-version": str(MANIFEST_VERSION)},
)


class PartsCache:
    """The manifest and parts folder of one fingerprint under `folder`."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = Path(folder).resolve()
        self.fingerprint = fingerprint
        self.entries: dict[str, DocumentEntry] = {}  # file name -> entry
        self.places: dict[str, PlaceRecord] = {}
        self.written: dict[str, float] = {}  # file name -> when its entry was written (epoch s)
        self._segments: list[Path] = []  # the manifest files loaded, in order
        self._rows = 0  # their rows

    @property
    def parts(self) -> Path:
        return self.folder / PARTS_DIRNAME

    @property
    def merged(self) -> Path:
        return self.folder / MERGED_DIRNAME

    @staticmethod
    def segment_name(runs: list[tuple[str, int, int]], row_group_rows: int) -> str:
        """The name of the segment merged from these runs: a part never changes once written, so
        the same runs make the same segment."""
        digest = hashlib.blake2b(repr(row_group_rows).encode(), digest_size=16)
        for url, start, rows in runs:
            digest.update(f"{url.rsplit('/', 1)[-1]}\0{start}\0{rows}\n".encode())
        return f"segment-{digest.hexdigest()}.parquet"

    def _places_path(self) -> Path:
        return self.folder / f"places-{self.fingerprint}.pickle"

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> PartsCache:
        """The cache for this fingerprint (empty when there is none, or it is damaged); the
        manifests of other fingerprints are removed (their parts go at the next save)."""
        cache = cls(folder, fingerprint)
        cache.parts.mkdir(parents=True, exist_ok=True)
        cache.merged.mkdir(parents=True, exist_ok=True)
        prefix = f"manifest-{fingerprint}-"
        numbered = []
        for path in cache.folder.glob("manifest-*"):
            if path.name.startswith(prefix) and path.suffix == ".parquet":
                try:
                    numbered.append((int(path.stem[len(prefix) :]), path))
                    continue
                except ValueError:
                    pass
            _remove(path)  # another fingerprint's, or the one pickle of version 2
        for path in cache.folder.glob("places-*.pickle"):
            if path != cache._places_path():
                _remove(path)
        try:
            with cache._places_path().open("rb") as handle:
                places = pickle.load(handle)
            entries: dict[str, DocumentEntry] = {}
            written: dict[str, float] = {}
            for _, path in sorted(numbered):
                cache._rows += _load_segment(path, entries, written)
                cache._segments.append(path)
            parts = {e.part for e in entries.values() if e.n_rows}
            if not all((cache.parts / part).is_file() for part in parts):
                raise ValueError("a part is missing")
            if not {pid for e in entries.values() for pid in e.place_ids} <= places.keys():
                raise ValueError("a place is missing")
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError,
                pickle.UnpicklingError, pa.ArrowException):  # fmt: skip
            for _, path in numbered:  # none, or damaged: every document is geoparsed again
                _remove(path)
            cache._segments, cache._rows = [], 0
            return cache
        cache.entries, cache.places, cache.written = entries, places, written
        return cache

    def reusable(self, name: str, stamp: tuple | None, override: str) -> DocumentEntry | None:
        """The entry of a file unchanged since the build that made it, else None."""
        entry = self.entries.get(name)
        if entry is None or stamp is None or entry.stamp != stamp or entry.override != override:
            return None
        if stamp[1] + RACY_SECONDS >= self.written[name]:
            return None
        return entry

    def part_url(self, entry: DocumentEntry) -> str:
        return str(self.parts / entry.part)

    def save(
        self,
        entries: dict[str, DocumentEntry],
        places: dict[str, PlaceRecord],
        segments: Iterable[str] = (),
    ) -> None:
        """Keep these entries (the live documents) and their places: append the new and changed
        entries and the removals to the manifest (or rewrite it whole when it has grown too many
        files or rows no longer live); remove the parts no entry uses (those of removed or
        changed documents, of another fingerprint, or of a build that was cut short) and the
        merged segments other than `segments`. Errors are not fatal: the cache is an
        optimisation."""
        used = {place_id for entry in entries.values() for place_id in entry.place_ids}
        try:
            with atomic_output(self._places_path(), binary=True) as handle:
                kept = {pid: record for pid, record in places.items() if pid in used}
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            new = [e for name, e in entries.items() if self.entries.get(name) is not e]
            gone = [name for name in self.entries if name not in entries]
            if len(self._segments) + 1 > MAX_SEGMENTS or self._rows + len(new) + len(
                gone
            ) > 2 * len(entries):
                old, self._segments, self._rows = self._segments, [], 0
                self._append(list(entries.values()), [])
                for path in old:
                    _remove(path)
            elif new or gone:
                self._append(new, gone)
        except OSError:
            return
        live = {entry.part for entry in entries.values()}
        for path in self.parts.iterdir():
            if path.name not in live:
                _remove(path)
        segments = set(segments)
        for path in self.merged.iterdir():
            if path.name not in segments:
                _remove(path)

    def _append(self, entries: list[DocumentEntry], gone: list[str]) -> None:
        numbers = [int(p.stem.rsplit("-", 1)[1]) for p in self._segments]
        path = (
            self.folder / f"manifest-{self.fingerprint}-{max(numbers, default=-1) + 1:06d}.parquet"
        )
        table = _entries_table(entries, gone)
        table = table.replace_schema_metadata(
            {**MANIFEST_SCHEMA.metadata, b"written": repr(time.time()).encode()}
        )
        with atomic_output(path, binary=True) as handle:
            pq.write_table(table, handle, compression="zstd")
        self._segments.append(path)
        self._rows += table.num_rows


def _entries_table(entries: list[DocumentEntry], gone: list[str]) -> pa.Table:
    def column(values) -> list:
        return [*values, *([None] * len(gone))]

    documents = [e.document for e in entries]
    published = [
        None if (p := d.published) is None else [p.iso, p.precision, p.text, p.end_iso]
        for d in documents
    ]
    columns = {
        "name": [e.name for e in entries] + gone,
        "removed": [False] * len(entries) + [True] * len(gone),
        "stamp": column(repr(e.stamp) for e in entries),
        "mtime": column(None if e.stamp is None else e.stamp[1] for e in entries),
        "override": column(e.override for e in entries),
        "doc_id": column(d.doc_id for d in documents),
        "path": column(d.path for d in documents),
        "title": column(d.title for d in documents),
        "outlet": column(d.outlet for d in documents),
        "author": column(d.author for d in documents),
        "published": column(published),
        "encoding": column(d.encoding for d in documents),
        "replaced": column(d.replaced for d in documents),
        "part": column(e.part for e in entries),
        "first_row": column(e.first_row for e in entries),
        "n_rows": column(e.n_rows for e in entries),
        "place_ids": column(list(e.place_ids) for e in entries),
        "unresolved": column(list(e.unresolved) for e in entries),
        "notes": column(list(e.notes) for e in entries),
        "found": column(e.found for e in entries),
    }
    return pa.table(columns, schema=MANIFEST_SCHEMA)


def _load_segment(path: Path, entries: dict, written: dict) -> int:
    """Lay the rows of one manifest file over `entries` (file name -> entry); returns its rows."""
    parquet = pq.ParquetFile(path)
    metadata = parquet.schema_arrow.metadata or {}
    if metadata.get(b"geo-manifest-version") != str(MANIFEST_VERSION).encode():
        raise ValueError("another version")
    when = float(metadata[b"written"])
    table = parquet.read()
    columns = {name: table.column(name).to_pylist() for name in MANIFEST_SCHEMA.names}
    for i, name in enumerate(columns["name"]):
        if columns["removed"][i]:
            entries.pop(name, None)
            written.pop(name, None)
            continue
        published = columns["published"][i]
        document = Document(
            doc_id=columns["doc_id"][i],
            path=columns["path"][i],
            text="",
            title=columns["title"][i],
            outlet=columns["outlet"][i],
            author=columns["author"][i],
            published=None if published is None else PartialDate(*published),
            encoding=columns["encoding"][i],
            replaced=columns["replaced"][i],
        )
        stamp = _stamp(columns["stamp"][i])
        entries[name] = DocumentEntry(
            name=name,
            stamp=stamp,
            override=columns["override"][i],
            document=document,
            part=columns["part"][i],
            first_row=columns["first_row"][i],
            n_rows=columns["n_rows"][i],
            place_ids=tuple(columns["place_ids"][i]),
            unresolved=tuple(columns["unresolved"][i]),
            notes=tuple(columns["notes"][i]),
            found=columns["found"][i],
        )
        written[name] = when
    return table.num_rows


def _stamp(text: str) -> tuple | None:
    """A stamp back from its repr: (size, mtime, inode), each an int, a float or None."""
    if text == "None":
        return None
    values = []
    for item in text.strip("()").split(","):
        item = item.strip()
        if item:
            values.append(None if item == "None" else float(item) if "." in item or "e" in item
                          else int(item))  # fmt: skip
    if repr(tuple(values)) != text:
        raise ValueError(f"not a stamp: {text!r}")
    return tuple(values)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
