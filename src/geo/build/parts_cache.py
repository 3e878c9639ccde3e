"""The cluster build's memory of what each document produced: its claims in the Parquet parts the
workers wrote, and a manifest the client keeps.

A build on a cluster never holds the claims: each task writes the claims of its documents as one
Parquet part in `<cache>/parts/` (a folder every worker reaches) and returns only, per document, the
part and row range of its claims, its places, its unresolved mentions and its messages. The
manifest (`manifest-<fingerprint>.pickle`) keeps those entries by file, with the file's stamp (size,
modification time, inode): the next build sends to the workers only the files whose stamp or
sources.csv row changed, and claims.parquet is merged again from the parts. A part that no live
document uses any more is removed when the manifest is saved. As in `geo.build.cache`, a new
fingerprint (code, data packages, curated places) starts afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from geo.documents.reading import Document
from geo.store.schema import PlaceRecord

PARTS_DIRNAME = "parts"
MERGED_DIRNAME = "merged"  # the segments of claims.parquet merged on the workers
MANIFEST_VERSION = 2
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


class PartsCache:
    """The manifest and parts folder of one fingerprint under `folder`."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = Path(folder).resolve()
        self.fingerprint = fingerprint
        self.entries: dict[str, DocumentEntry] = {}  # file name -> entry
        self.places: dict[str, PlaceRecord] = {}
        self.written = 0.0  # when the manifest was written (s since the epoch)

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

    def manifest(self) -> Path:
        return self.folder / f"manifest-{self.fingerprint}.pickle"

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> PartsCache:
        """The cache for this fingerprint (empty when there is none, or it is damaged); the
        manifests of other fingerprints are removed (their parts go at the next save)."""
        cache = cls(folder, fingerprint)
        cache.parts.mkdir(parents=True, exist_ok=True)
        cache.merged.mkdir(parents=True, exist_ok=True)
        for path in cache.folder.glob("manifest-*.pickle"):
            if path != cache.manifest():
                _remove(path)
        try:
            with cache.manifest().open("rb") as handle:
                saved = pickle.load(handle)
            if saved.get("version") != MANIFEST_VERSION:
                raise ValueError("another version")
            entries, places, written = saved["entries"], saved["places"], saved["written"]
            if not all((cache.parts / e.part).is_file() for e in entries.values() if e.n_rows):
                raise ValueError("a part is missing")
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError,
                pickle.UnpicklingError):  # fmt: skip
            return cache  # none, or damaged: every document is geoparsed again
        cache.entries, cache.places, cache.written = entries, places, written
        return cache

    def reusable(self, name: str, stamp: tuple | None, override: str) -> DocumentEntry | None:
        """The entry of a file unchanged since the build that made it, else None."""
        entry = self.entries.get(name)
        if entry is None or stamp is None or entry.stamp != stamp or entry.override != override:
            return None
        if stamp[1] + RACY_SECONDS >= self.written:
            return None
        return entry

    def part_url(self, entry: DocumentEntry) -> str:
        return str(self.parts / entry.part)

    def save(
        self,
        entries: dict[str, DocumentEntry],
        places: dict[str, PlaceRecord],
        segments: list[str] = (),
    ) -> None:
        """Keep these entries (the live documents) and their places; remove the parts no entry
        uses (those of removed or changed documents, of another fingerprint, or of a build that
        was cut short) and the merged segments other than `segments`. Errors are not fatal: the
        cache is an optimisation."""
        used = {place_id for entry in entries.values() for place_id in entry.place_ids}
        saved = {
            "version": MANIFEST_VERSION,
            "entries": entries,
            "places": {pid: record for pid, record in places.items() if pid in used},
            "written": time.time(),
        }
        try:
            fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.manifest())
        except OSError:
            return
        live = {entry.part for entry in entries.values()}
        for path in self.parts.iterdir():
            if path.name not in live:
                _remove(path)
        for path in self.merged.iterdir():
            if path.name not in segments:
                _remove(path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
