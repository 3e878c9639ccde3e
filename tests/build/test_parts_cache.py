"""The cluster build's manifest: Parquet files appended to, one per build, compacted now and then."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyarrow.parquet as pq

from geo.build import parts_cache
from geo.build.parts_cache import DocumentEntry, PartsCache
from geo.documents.reading import Document
from geo.evidence.dates import PartialDate
from geo.store.schema import PlaceRecord

FINGERPRINT = "f" * 16
LONG_AGO = time.time() - 3600  # the files' modification time: well before any manifest


def _entry(name: str, part: str = "part-a.parquet", first_row: int = 0) -> DocumentEntry:
    published = PartialDate("2015-11", "month", "November 2015") if name < "m" else None
    return DocumentEntry(
        name=name,
        stamp=(120 + len(name), LONG_AGO, 4242),
        override=repr({"outlet": "The Gazette"}) if name.startswith("a") else "None",
        document=Document(
            name[:-4],
            f"/corpus/{name}",
            "",
            "Mosul after the siege",
            "The Gazette",
            "",
            published,
            "cp1252",
            2,
        ),  # fmt: skip
        part=part,
        first_row=first_row,
        n_rows=2,
        place_ids=("geonames:99072", "geonames:163345"),
        unresolved=(
            {
                "doc_id": name[:-4],
                "mention": "Quetta Road",
                "start": 4,
                "end": 15,
                "ordinary_word": False,
            },
        ),  # fmt: skip
        notes=(f"{name}: read as Windows-1252",),
        found=0,
    )


PLACES = {
    pid: PlaceRecord(pid, name, "city", cc, 1.0, 2.0, "geonames", "gazetteer")
    for pid, name, cc in (("geonames:99072", "Mosul", "IQ"), ("geonames:163345", "Raqqa", "SY"))
}


def _open(folder: Path) -> PartsCache:
    cache = PartsCache.open(folder, FINGERPRINT)
    for part in ("part-a.parquet", "part-b.parquet"):
        (cache.parts / part).touch()
    return cache


def _manifests(folder: Path) -> list[Path]:
    return sorted(folder.glob("manifest-*.parquet"))


def test_entries_come_back_from_the_parquet_manifest_as_they_were_saved(tmp_path):
    cache = _open(tmp_path)
    entries = {n: _entry(n) for n in ("a_mosul.txt", "b_quotes.txt", "z_raqqa.txt")}
    entries["n_none.txt"] = _entry("n_none.txt").__class__(
        **{**_entry("n_none.txt").__dict__, "stamp": None}
    )
    cache.save(entries, PLACES)

    again = PartsCache.open(tmp_path, FINGERPRINT)

    assert again.entries == entries
    assert again.places == PLACES
    table = pq.read_table(_manifests(tmp_path)[0])
    assert table.num_rows == 4 and "place_ids" in table.column_names
    assert again.reusable(
        "a_mosul.txt", entries["a_mosul.txt"].stamp, entries["a_mosul.txt"].override
    )
    assert again.reusable("a_mosul.txt", entries["a_mosul.txt"].stamp, "None") is None
    assert again.reusable("n_none.txt", None, "None") is None  # no stamp: always read again


def test_a_build_appends_only_what_it_added_and_what_went(tmp_path):
    cache = _open(tmp_path)
    first = {n: _entry(n) for n in ("a.txt", "b.txt", "c.txt", "d.txt")}
    cache.save(first, PLACES)
    [written] = _manifests(tmp_path)
    before = written.stat().st_mtime_ns

    cache = _open(tmp_path)
    live = {n: cache.entries[n] for n in ("a.txt", "b.txt", "c.txt")}  # d.txt removed
    live["e.txt"] = _entry("e.txt", "part-b.parquet")  # e.txt added
    cache.save(live, PLACES)

    files = _manifests(tmp_path)
    assert len(files) == 2 and written.stat().st_mtime_ns == before  # the first one untouched
    added = pq.read_table(files[1]).to_pydict()
    assert list(zip(added["name"], added["removed"], strict=True)) == [
        ("e.txt", False),
        ("d.txt", True),
    ]
    assert PartsCache.open(tmp_path, FINGERPRINT).entries == live


def test_many_builds_are_compacted_into_one_manifest_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parts_cache, "MAX_SEGMENTS", 3)
    cache = _open(tmp_path)
    live = {n: _entry(n) for n in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt")}
    cache.save(live, PLACES)
    for k in range(4):
        cache = PartsCache.open(tmp_path, FINGERPRINT)
        live = {**cache.entries, f"new{k}.txt": _entry(f"new{k}.txt")}
        cache.save(live, PLACES)
        assert len(_manifests(tmp_path)) <= 3

    assert PartsCache.open(tmp_path, FINGERPRINT).entries == live


def test_a_damaged_manifest_or_a_missing_part_means_geoparsing_again(tmp_path):
    cache = _open(tmp_path)
    cache.save({"a.txt": _entry("a.txt"), "b.txt": _entry("b.txt", "part-b.parquet")}, PLACES)
    (tmp_path / "parts" / "part-b.parquet").unlink()
    assert PartsCache.open(tmp_path, FINGERPRINT).entries == {}

    cache = _open(tmp_path)
    cache.save({"a.txt": _entry("a.txt")}, PLACES)
    _manifests(tmp_path)[-1].write_bytes(b"PAR1 cut short")
    assert PartsCache.open(tmp_path, FINGERPRINT).entries == {}
    assert _manifests(tmp_path) == []  # the damaged files go


def test_the_pickle_of_an_earlier_version_and_other_fingerprints_go(tmp_path):
    (tmp_path / f"manifest-{FINGERPRINT}.pickle").write_bytes(b"old")
    cache = _open(tmp_path)
    cache.save({"a.txt": _entry("a.txt")}, PLACES)
    os.rename(_manifests(tmp_path)[0], tmp_path / f"manifest-{'0' * 16}-000000.parquet")

    assert PartsCache.open(tmp_path, FINGERPRINT).entries == {}
    assert list(tmp_path.glob("manifest-*")) == []
