"""The offline gazetteer: every known place, indexed by normalised name, demonym and skeleton.

Building it from the data packages takes tens of seconds, so the index is pickled once into a cache
folder (`GEO_CACHE_DIR`, default `~/.cache/geo-dashboard`) keyed by the package versions; later loads
read the pickle. Curated rows of `data/places.csv` are laid over the cached index at load time, so
editing them never needs a rebuild of the cache.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import re
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from geo.places.gazetteer_sources import Entry, load_all, package_versions
from geo.store import heap
from geo.store.schema import PlaceRecord
from geo.text.normalize import consonant_skeleton, has_article, name_key, name_keys

INDEX_VERSION = 5
# Skeleton look-ups are a last resort: only places prominent enough to be worth the risk.
_SKELETON_MIN_POPULATION = 20_000
_SKELETON_MIN_LENGTH = 4
_ALIASES_KEPT_MIN_POPULATION = 100_000
_DIGIT = re.compile(r"\d")
# A code or abbreviation alias ("CAN", "ARE", "BEN", "UK", "U.S."): matched only as written, never
# through the case-folded name index, where "Can", "Are" and "Been" would find Canada, the United
# Arab Emirates and Benin.
_CODE = re.compile(r"[A-Z]{2,4}|(?:[A-Z]\.){2,}")


def is_code(name: str) -> bool:
    return bool(_CODE.fullmatch(name))


def code_key(written: str) -> str:
    """How a code is looked up: as written, periods dropped ("U.S." and "US" alike)."""
    return written.replace(".", "")


class Candidate(NamedTuple):
    """A place a name may refer to, and how the name matched it."""

    index: int
    # "name" (main name), "alias", "article" (leading al-/el- dropped), "skeleton", "demonym"
    match: str


class Gazetteer:
    """Columnar place table with name indexes. Pure look-ups; no I/O after construction."""

    def __init__(self, entries: list[Entry]):
        self.place_id: list[str] = []
        self.name: list[str] = []
        # The main name's key, and that key without a leading article ("Al Qayyarah" -> "qayara"):
        # how a look-up tells a match of the main name from one of an alternate name.
        self.name_key: list[str] = []
        self.name_article_key: list[str] = []
        self.kind: list[str] = []
        self.country_code: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.population = array("q")
        self.source: list[str] = []
        self.admin1: list[str] = []
        self.feature: list[str] = []
        self.origin: list[str] = []
        self.aliases: list[tuple[str, ...]] = []
        self.demonyms: list[tuple[str, ...]] = []
        self.note: list[str] = []
        self._by_id: dict[str, int] | None = {}
        # Name key -> one gazetteer index, or a tuple of them (most names denote one place; a
        # bare int keeps the pickled index small and quick to load).
        self.by_key: dict[str, int | tuple[int, ...]] = {}
        self.by_article_key: dict[str, int | tuple[int, ...]] = {}
        self.by_skeleton: dict[str, int | tuple[int, ...]] = {}
        self.by_demonym: dict[str, int | tuple[int, ...]] = {}
        self.by_abbreviation: dict[str, int] = {}  # "Ore." -> Oregon; exact, case-sensitive
        self.by_code: dict[str, int | tuple[int, ...]] = {}  # "UAE" -> its country; `code_key`
        # A reviewer's word: name key -> the place it denotes, whatever the scores (review.py).
        self.overrides: dict[str, int] = {}
        # A reviewer's word that a name denotes no place: name key -> the doc_ids where it does
        # not ("" for every document; review.py).
        self.not_places: dict[str, frozenset[str]] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self.place_id)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_by_id"] = None  # rebuilt on demand: most loads never need it
        return state

    @property
    def by_id(self) -> dict[str, int]:
        if self._by_id is None:
            self._by_id = _positions(self.place_id)
        return self._by_id

    def add(self, entry: Entry, origin: str = "gazetteer", note: str = "") -> int:
        """Add a place, or update the one with the same id (curated rows override the packages)."""
        index = self.by_id.get(entry.place_id)
        if index is None:
            index = len(self.place_id)
            for attr in _COLUMN_ATTRS:
                getattr(self, attr).append(0 if attr in _NUMERIC_COLUMNS else None)
            self.by_id[entry.place_id] = index
        # Interned: the same few country codes, kinds and sources recur 240,000 times.
        intern = sys.intern
        self.place_id[index] = entry.place_id
        self.name[index] = entry.name
        key = name_key(entry.name)
        self.name_key[index] = key
        self.name_article_key[index] = (
            name_key(entry.name, drop_article=True) if has_article(entry.name) else key
        )
        self.kind[index] = intern(entry.kind)
        self.country_code[index] = intern(entry.country_code)
        self.lat[index] = entry.lat
        self.lon[index] = entry.lon
        self.population[index] = entry.population
        self.source[index] = intern(entry.source)
        self.admin1[index] = intern(entry.admin1)
        self.feature[index] = intern(entry.feature)
        self.origin[index] = intern(origin)
        # Other spellings are shown for prominent places only; all of them are in the name index.
        prominent = entry.kind != "city" or entry.population >= _ALIASES_KEPT_MIN_POPULATION
        self.aliases[index] = (
            tuple(n for n in entry.names if n != entry.name)[:20] if prominent else ()
        )
        self.demonyms[index] = tuple(entry.demonyms)
        self.note[index] = intern(note)
        self._index(index, entry)
        return index

    def _index(self, index: int, entry: Entry) -> None:
        add = self._add_to
        for name in {entry.name, *entry.names}:
            if _DIGIT.search(name):
                continue
            if name != entry.name and is_code(name):
                add(self.by_code, code_key(name), index)
                continue
            key = name_key(name)
            if len(key) < 2:
                continue
            add(self.by_key, key, index)
            if has_article(name):
                add(self.by_article_key, name_key(name, drop_article=True), index)
            if entry.kind in ("country", "admin1", "region") or (
                # Counties and districts are matched by their exact names only: tens of
                # thousands of them, mostly named after a town that is already indexed.
                entry.kind != "admin2" and entry.population >= _SKELETON_MIN_POPULATION
            ):
                skeleton = consonant_skeleton(name_key(name, drop_article=True))
                if len(skeleton) >= _SKELETON_MIN_LENGTH:
                    add(self.by_skeleton, skeleton, index)
        for demonym in entry.demonyms:
            add(self.by_demonym, name_key(demonym), index)
        for abbreviation in entry.abbreviations:
            self.by_abbreviation[abbreviation] = index

    @staticmethod
    def _add_to(table: dict, key: str, index: int) -> None:
        # Buckets are never mutated in place (an overlay shares them with the cached base index).
        bucket = table.get(key)
        if bucket is None:
            table[key] = index
        elif isinstance(bucket, int):
            if bucket != index:
                table[key] = (bucket, index)
        elif index not in bucket:
            table[key] = (*bucket, index)

    # -- look-ups ---------------------------------------------------------------------------------

    def candidates(self, name: str) -> list[Candidate]:
        """Places this name may denote, by exact key, then with the article dropped."""
        return self.candidates_by_keys(*name_keys(name))

    def candidates_by_keys(self, key: str, stripped: str) -> list[Candidate]:
        """`candidates` for a name's key and its key without a leading article (`name_keys`)."""
        name_keys, article_keys = self.name_key, self.name_article_key
        found = [
            Candidate(
                i,
                "name"
                if name_keys[i] == key
                # "Qayyarah" for "Al Qayyārah": the main name without its article
                else "article"
                if article_keys[i] == key
                else "alias",
            )
            for i in _bucket(self.by_key, key)
        ]
        seen = {c.index for c in found}
        for i in _bucket(self.by_article_key, stripped):
            if i not in seen:  # both sides carry an article: "Al-Hawija" / "Al Hawijah"
                found.append(Candidate(i, "article"))
                seen.add(i)
        if stripped != key:
            for i in _bucket(self.by_key, stripped):
                if i not in seen:  # only the text has one: "al-Naba" / "Naba"
                    match = "article" if self.name_key[i] == stripped else "article-alias"
                    found.append(Candidate(i, match))
                    seen.add(i)
        return found

    def code_candidates(self, written: str) -> list[Candidate]:
        """Places with this code or abbreviation, as written (upper case, periods optional)."""
        return [Candidate(i, "alias") for i in _bucket(self.by_code, code_key(written))]

    def skeleton_candidates(self, name: str) -> list[Candidate]:
        return self.skeleton_candidates_by_key(name_keys(name)[1])

    def skeleton_candidates_by_key(self, stripped: str) -> list[Candidate]:
        """Places whose consonant skeleton is that of a key without its article."""
        skeleton = consonant_skeleton(stripped)
        if len(skeleton) < _SKELETON_MIN_LENGTH:
            return []
        return [Candidate(i, "skeleton") for i in _bucket(self.by_skeleton, skeleton)]

    def demonym_candidates(self, word: str) -> list[Candidate]:
        return self.demonym_candidates_by_key(name_key(word))

    def demonym_candidates_by_key(self, key: str) -> list[Candidate]:
        return [Candidate(i, "demonym") for i in _bucket(self.by_demonym, key)]

    def is_not_a_place(self, key: str, doc_id: str | None) -> bool:
        """Whether a reviewer said that the name with this key denotes no place in the document
        `doc_id` (None: a text outside any corpus, where only corpus-wide decisions apply)."""
        where = self.not_places.get(key)
        return where is not None and ("" in where or (doc_id is not None and doc_id in where))

    def record(self, index: int) -> PlaceRecord:
        return PlaceRecord(
            place_id=self.place_id[index],
            name=self.name[index],
            kind=self.kind[index],
            country_code=self.country_code[index],
            lat=self.lat[index],
            lon=self.lon[index],
            source=self.source[index],
            origin=self.origin[index],
            aliases=self.aliases[index],
            population=self.population[index] or None,
            note=self.note[index],
            demonyms=self.demonyms[index],
        )

    def with_places(self, records: list[PlaceRecord]) -> Gazetteer:
        """A copy of this index with curated (or geocoder-cached) places laid over it.

        The copy shares the base's name buckets until it writes to one, so the cached base index is
        never modified and the copy costs little.
        """
        layered = copy.copy(self)
        for attr in _COLUMN_ATTRS:
            setattr(layered, attr, copy.copy(getattr(self, attr)))
        for attr in _INDEX_ATTRS:
            setattr(layered, attr, dict(getattr(self, attr)))
        # The base's own map when it has one; else one for the copy only (a build lays places
        # over the base once, and the base never needs the map itself).
        layered._by_id = dict(self._by_id) if self._by_id is not None else _positions(self.place_id)
        for record in records:
            if not record.is_place:
                key = name_key(record.name)
                layered.not_places[key] = layered.not_places.get(key, frozenset()) | {record.doc_id}
                continue
            entry = Entry(
                place_id=record.place_id,
                name=record.name,
                kind=record.kind,
                country_code=record.country_code,
                lat=record.lat,
                lon=record.lon,
                population=record.population or 0,
                source=record.source,
                names=[record.name, *record.aliases],
                demonyms=list(record.demonyms),
            )
            index = layered.add(entry, origin=record.origin, note=record.note)
            if record.correction_of:
                layered.overrides[name_key(record.correction_of)] = index
        return layered


_COLUMN_ATTRS = (
    "place_id", "name", "name_key", "name_article_key", "kind", "country_code", "lat", "lon",
    "population", "source", "admin1", "feature", "origin", "aliases", "note", "demonyms",
)  # fmt: skip
_NUMERIC_COLUMNS = ("lat", "lon", "population")
_INDEX_ATTRS = (
    "by_key", "by_article_key", "by_skeleton", "by_demonym", "by_abbreviation", "by_code",
    "overrides", "not_places",
)  # fmt: skip


def _positions(place_ids: list[str]) -> dict[str, int]:
    """place_id -> its index (zip and range: a third faster than a comprehension)."""
    return dict(zip(place_ids, range(len(place_ids)), strict=True))


def _bucket(table: dict, key: str) -> tuple[int, ...]:
    bucket = table.get(key)
    if bucket is None:
        return ()
    return (bucket,) if isinstance(bucket, int) else bucket


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo-dashboard")


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The index depends on how names are normalised and loaded: any change rebuilds it.

    Taken when this module is imported, so a process running older code never files its index
    under the newer code's name."""
    from geo.places import gazetteer_sources
    from geo.text import normalize

    digest = hashlib.sha256()
    for module in (normalize, gazetteer_sources):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def cache_path() -> Path:
    fingerprint = hashlib.sha256(
        f"{INDEX_VERSION};{package_versions()};{_country_points_stamp()};{_code_stamp()}".encode()
    ).hexdigest()[:16]
    return cache_dir() / f"gazetteer-{fingerprint}.pickle"


def _country_points_stamp() -> str:
    """The bundled country and province points, which the index holds."""
    from geo.places.gazetteer_sources import ADMIN1_POINTS_CSV, COUNTRY_POINTS_CSV

    digest = hashlib.sha256()
    for path in (COUNTRY_POINTS_CSV, ADMIN1_POINTS_CSV):
        digest.update(path.read_bytes() if path.exists() else b"none")
    return digest.hexdigest()[:16]


def build_index() -> Gazetteer:
    return Gazetteer(load_all())


def load_index(rebuild: bool = False) -> Gazetteer:
    """The base index (without curated places), from the cache when it is there.

    The index lives as long as the process that loads it, so it is frozen out of the cyclic
    garbage collector (`heap.freeze_long_lived`): otherwise every full collection walks its
    millions of objects, which cost a rebuild of a cached 10,000-document corpus 0.5 s."""
    gazetteer = _cached_or_built_index(rebuild)
    heap.freeze_long_lived()
    return gazetteer


def _cached_or_built_index(rebuild: bool) -> Gazetteer:
    path = cache_path()
    if not rebuild and path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged or stale cache is rebuilt below
    gazetteer = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # built by another version of the code or data
    except OSError:
        pass  # an unwritable cache only costs the rebuild next time
    return gazetteer


_code_stamp()
