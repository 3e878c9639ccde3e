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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.gazetteer_sources import Entry, load_all, package_versions
from geo.normalize import consonant_skeleton, has_article, name_key
from geo.schema import PlaceRecord

INDEX_VERSION = 3
# Skeleton look-ups are a last resort: only places prominent enough to be worth the risk.
_SKELETON_MIN_POPULATION = 20_000
_SKELETON_MIN_LENGTH = 4
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, and how the name matched it."""

    index: int
    # "name" (main name), "alias", "article" (leading al-/el- dropped), "skeleton", "demonym"
    match: str


class Gazetteer:
    """Columnar place table with name indexes. Pure look-ups; no I/O after construction."""

    def __init__(self, entries: list[Entry]):
        self.place_id: list[str] = []
        self.name: list[str] = []
        self.kind: list[str] = []
        self.country_code: list[str] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.population: list[int] = []
        self.source: list[str] = []
        self.admin1: list[str] = []
        self.feature: list[str] = []
        self.origin: list[str] = []
        self.aliases: list[tuple[str, ...]] = []
        self.demonyms: list[tuple[str, ...]] = []
        self.note: list[str] = []
        self.main_key: list[str] = []
        self.by_id: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = {}
        self.by_article_key: dict[str, list[int]] = {}
        self.by_skeleton: dict[str, list[int]] = {}
        self.by_demonym: dict[str, list[int]] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self.place_id)

    def add(self, entry: Entry, origin: str = "gazetteer", note: str = "") -> int:
        """Add a place, or update the one with the same id (curated rows override the packages)."""
        index = self.by_id.get(entry.place_id)
        if index is None:
            index = len(self.place_id)
            for column in self._columns():
                column.append(None)
            self.by_id[entry.place_id] = index
        self.place_id[index] = entry.place_id
        self.name[index] = entry.name
        self.kind[index] = entry.kind
        self.country_code[index] = entry.country_code
        self.lat[index] = entry.lat
        self.lon[index] = entry.lon
        self.population[index] = entry.population
        self.source[index] = entry.source
        self.admin1[index] = entry.admin1
        self.feature[index] = entry.feature
        self.origin[index] = origin
        self.aliases[index] = tuple(n for n in entry.names if n != entry.name)
        self.demonyms[index] = tuple(entry.demonyms)
        self.note[index] = note
        self.main_key[index] = name_key(entry.name)
        self._index(index, entry)
        return index

    def _columns(self) -> tuple[list, ...]:
        return (
            self.place_id, self.name, self.kind, self.country_code, self.lat, self.lon,
            self.population, self.source, self.admin1, self.feature, self.origin,
            self.aliases, self.note, self.main_key, self.demonyms,
        )  # fmt: skip

    def _index(self, index: int, entry: Entry) -> None:
        add = self._add_to
        for name in {entry.name, *entry.names}:
            if _DIGIT.search(name):
                continue
            key = name_key(name)
            if len(key) < 2:
                continue
            add(self.by_key, key, index)
            if has_article(name):
                add(self.by_article_key, name_key(name, drop_article=True), index)
            if (
                entry.kind in ("country", "admin1", "region")
                or entry.population >= _SKELETON_MIN_POPULATION
            ):
                skeleton = consonant_skeleton(name_key(name, drop_article=True))
                if len(skeleton) >= _SKELETON_MIN_LENGTH:
                    add(self.by_skeleton, skeleton, index)
        for demonym in entry.demonyms:
            add(self.by_demonym, name_key(demonym), index)

    @staticmethod
    def _add_to(table: dict[str, list[int]], key: str, index: int) -> None:
        # Copy-on-write: an overlay shares its buckets with the cached base index.
        bucket = table.get(key, ())
        if index not in bucket:
            table[key] = [*bucket, index]

    # -- look-ups ---------------------------------------------------------------------------------

    def candidates(self, name: str) -> list[Candidate]:
        """Places this name may denote, by exact key, then with the article dropped."""
        key = name_key(name)
        found = [Candidate(i, self._match_kind(i, key)) for i in self.by_key.get(key, ())]
        seen = {c.index for c in found}
        stripped = name_key(name, drop_article=True)
        for i in self.by_article_key.get(stripped, ()):
            if i not in seen:  # both sides carry an article: "Al-Hawija" / "Al Hawijah"
                found.append(Candidate(i, "article"))
                seen.add(i)
        if stripped != key:
            for i in self.by_key.get(stripped, ()):
                if i not in seen:  # only the text has one: "al-Naba" / "Naba"
                    match = "article" if self.main_key[i] == stripped else "article-alias"
                    found.append(Candidate(i, match))
                    seen.add(i)
        return found

    def _match_kind(self, index: int, key: str) -> str:
        if self.main_key[index] == key:
            return "name"
        if name_key(self.name[index], drop_article=True) == key:
            return "article"  # "Qayyarah" for "Al Qayyārah": the main name without its article
        return "alias"

    def skeleton_candidates(self, name: str) -> list[Candidate]:
        skeleton = consonant_skeleton(name_key(name, drop_article=True))
        if len(skeleton) < _SKELETON_MIN_LENGTH:
            return []
        return [Candidate(i, "skeleton") for i in self.by_skeleton.get(skeleton, ())]

    def demonym_candidates(self, word: str) -> list[Candidate]:
        return [Candidate(i, "demonym") for i in self.by_demonym.get(name_key(word), ())]

    def has_key(self, key: str) -> bool:
        return key in self.by_key or key in self.by_article_key

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
            aliases=self.aliases[index][:20],
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
            setattr(layered, attr, list(getattr(self, attr)))
        for attr in _INDEX_ATTRS:
            setattr(layered, attr, dict(getattr(self, attr)))
        for record in records:
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
            layered.add(entry, origin=record.origin, note=record.note)
        return layered


_COLUMN_ATTRS = (
    "place_id", "name", "kind", "country_code", "lat", "lon", "population", "source", "admin1",
    "feature", "origin", "aliases", "note", "main_key", "demonyms",
)  # fmt: skip
_INDEX_ATTRS = ("by_key", "by_article_key", "by_skeleton", "by_demonym", "by_id")


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo-dashboard")


def _code_stamp() -> str:
    """The index depends on how names are normalised and loaded: any change rebuilds it."""
    from geo import gazetteer_sources, normalize

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
    from geo.gazetteer_sources import COUNTRY_POINTS_CSV

    if not COUNTRY_POINTS_CSV.exists():
        return "none"
    return hashlib.sha256(COUNTRY_POINTS_CSV.read_bytes()).hexdigest()[:16]


def build_index() -> Gazetteer:
    return Gazetteer(load_all())


def load_index(rebuild: bool = False) -> Gazetteer:
    """The base index (without curated places), from the cache when it is there."""
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
    except OSError:
        pass  # an unwritable cache only costs the rebuild next time
    return gazetteer
