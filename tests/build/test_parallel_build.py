"""The build in parallel and incrementally gives exactly the output of a plain one-job build."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.build import cache as build_cache
from geo.build import pipeline
from geo.build.cache import CACHE_DIRNAME
from geo.build.pipeline import build_corpus, write_outputs
from geo.cli import main
from geo.store.schema import SchemaError, write_csv_atomically

REPORTS = {
    "a_mosul": "Thursday, June 16, 2016\n\nMosul after the siege\n\nFighters left Mosul for "
    "Raqqa in November 2015, the Iraqi officer said.\n\nOthers went to Sirte, in Libya.\n",
    "b_quotes": 'Kabul, "the capital", saw attacks; Karbala, too.\r\nPeshawar\rand Quetta were '
    "quiet, according to Amira Haddad.\n",
    "c_plain": "Trinidad and Tobago sent fighters to Syria.\n\nMany came back to Port of Spain.\n",
    "d_empty_of_places": "Nothing here names a place at all.\n",
    "e_turkey": "Gaziantep, Turkey: smugglers moved recruits across the border into Syria in "
    "2014, officials said.\n",
}


def write_reports(folder: Path, reports: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in reports.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
    return folder


def assert_same_build(a: pipeline.BuildResult, b: pipeline.BuildResult) -> None:
    pd.testing.assert_frame_equal(a.claims, b.claims)
    pd.testing.assert_frame_equal(a.places, b.places)
    assert a.unresolved == b.unresolved
    assert a.claims_csv == b.claims_csv


@pytest.fixture
def small_chunks(monkeypatch):
    """Two documents per chunk, so that five documents make three chunks for the workers."""
    monkeypatch.setattr(pipeline, "CHUNK_DOCUMENTS", 2)


@pytest.fixture
def corpus(tmp_path):
    return write_reports(tmp_path / "corpus", REPORTS)


def test_two_jobs_give_the_same_claims_places_and_files_as_one(
    corpus, tmp_path, gazetteer, small_chunks
):
    one = build_corpus(corpus, gazetteer=gazetteer, jobs=1)
    two = build_corpus(corpus, gazetteer=gazetteer, jobs=2)
    assert len(one.claims) > 5
    assert_same_build(one, two)
    write_outputs(one, tmp_path / "one")
    write_outputs(two, tmp_path / "two")
    for name in ("claims.csv", "places.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_claims_written_per_document_are_the_bytes_the_schema_writer_writes(
    corpus, tmp_path, gazetteer
):
    result = build_corpus(corpus, gazetteer=gazetteer)
    assert any(
        "\r" in excerpt for excerpt in result.claims_with_excerpts()["excerpt"]
    )  # a quoted line break
    _, claims_path = write_outputs(result, tmp_path / "out")
    write_csv_atomically(result.claims_with_excerpts(), tmp_path / "reference.csv")
    assert claims_path.read_bytes() == (tmp_path / "reference.csv").read_bytes()


def count_geoparsed(monkeypatch) -> list[str]:
    """The texts geoparsed from now on."""
    seen: list[str] = []
    original = pipeline.Geoparser.parse

    def parse(self, text, seconds=None, doc_id=None):
        seen.append(text)
        return original(self, text, seconds, doc_id)

    monkeypatch.setattr(pipeline.Geoparser, "parse", parse)
    return seen


def test_rebuild_after_adding_a_document_geoparses_only_that_document(
    corpus, tmp_path, gazetteer, monkeypatch
):
    cache = tmp_path / "out" / CACHE_DIRNAME
    first = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert first.reused == 0
    new_text = "Fighters from Nangarhar reached Peshawar in March 2017.\n"
    (corpus / "f_new.txt").write_text(new_text, encoding="utf-8")

    geoparsed = count_geoparsed(monkeypatch)
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert geoparsed == [new_text]
    assert again.reused == len(REPORTS)
    assert "f_new" in set(again.claims["doc_id"])
    assert_same_build(again, build_corpus(corpus, gazetteer=gazetteer))


def test_files_unchanged_since_the_last_build_are_not_read_again(
    corpus, tmp_path, gazetteer, monkeypatch
):
    an_hour_ago = time.time() - 3600  # files touched just before a build are always read again
    for path in corpus.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    cache = tmp_path / CACHE_DIRNAME
    reference = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    read = []
    original = pipeline.read_document
    monkeypatch.setattr(pipeline, "read_document", lambda *a: read.append(a) or original(*a))

    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert read == []
    assert_same_build(again, reference)
    assert [d.text for d in again.documents.values()] == [
        d.text for d in reference.documents.values()
    ]
    (corpus / "c_plain.txt").write_text("Fighters went to Aleppo instead.\n", encoding="utf-8")
    edited = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert [Path(a[0]).name for a in read] == ["c_plain.txt"]
    assert "Aleppo" in set(edited.claims["mention"])


def test_edited_and_removed_documents_are_rebuilt_and_dropped(corpus, tmp_path, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    (corpus / "c_plain.txt").write_text("Fighters went to Aleppo instead.\n", encoding="utf-8")
    (corpus / "e_turkey.txt").unlink()

    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert again.reused == len(REPORTS) - 2
    assert "e_turkey" not in set(again.claims["doc_id"])
    assert "Aleppo" in set(again.claims["mention"])
    assert "Trinidad" not in " ".join(again.claims["mention"])
    assert_same_build(again, build_corpus(corpus, gazetteer=gazetteer))


def test_unchanged_corpus_is_rebuilt_from_the_cache_without_loading_the_gazetteer(
    corpus, tmp_path, gazetteer, monkeypatch
):
    cache = tmp_path / CACHE_DIRNAME
    reference = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)

    def no_index(*args, **kwargs):
        raise AssertionError("the gazetteer was loaded")

    monkeypatch.setattr(pipeline, "load_index", no_index)
    again = build_corpus(corpus, cache_dir=cache)
    assert again.reused == len(REPORTS)
    assert_same_build(again, reference)


def test_changed_places_file_or_code_invalidates_the_cache(
    corpus, tmp_path, gazetteer, monkeypatch
):
    cache = tmp_path / CACHE_DIRNAME
    places = tmp_path / "places.csv"
    places.write_text(pipeline.DEFAULT_PLACES_CSV.read_text("utf-8"), encoding="utf-8")
    build_corpus(corpus, places, gazetteer=gazetteer, cache_dir=cache)
    assert build_corpus(corpus, places, gazetteer=gazetteer, cache_dir=cache).reused == len(REPORTS)

    with places.open("a", encoding="utf-8") as handle:
        handle.write("curated:test-town,Testtown,city,IQ,36.0,43.0,test,curated,,,,a test row\n")
    assert build_corpus(corpus, places, gazetteer=gazetteer, cache_dir=cache).reused == 0

    monkeypatch.setattr(build_cache, "CACHE_VERSION", build_cache.CACHE_VERSION + 1)
    assert build_corpus(corpus, places, gazetteer=gazetteer, cache_dir=cache).reused == 0
    # Only the current fingerprint's segments are kept.
    assert len(list(cache.glob("claims-*.pickle"))) == 1


def test_a_damaged_cache_is_ignored(corpus, tmp_path, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    reference = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    for segment in cache.glob("claims-*.pickle"):
        segment.write_bytes(b"not a pickle")
    again = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    assert again.reused == 0
    assert_same_build(again, reference)


def test_many_incremental_builds_compact_the_cache(corpus, tmp_path, gazetteer):
    cache = tmp_path / CACHE_DIRNAME
    build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
    for k in range(build_cache.MAX_SEGMENTS + 1):
        (corpus / f"g_{k}.txt").write_text(f"Report {k}: fighters reached Tunis.\n", "utf-8")
        result = build_corpus(corpus, gazetteer=gazetteer, cache_dir=cache)
        assert result.reused == len(REPORTS) + k
        assert len(list(cache.glob("claims-*.pickle"))) <= build_cache.MAX_SEGMENTS
    assert_same_build(result, build_corpus(corpus, gazetteer=gazetteer))


def test_command_line_jobs_and_cache(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", "--corpus", str(corpus), "--out", str(out), "--jobs", "2"]
    assert main(args) == 0
    assert main(args) == 0
    assert f"{len(REPORTS)} unchanged since the last build" in capsys.readouterr().err
    assert (out / CACHE_DIRNAME).is_dir()
    assert main([*args, "--no-cache"]) == 0
    assert "(0 unchanged" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--corpus", str(corpus), "--jobs", "0"])


def count_validated(monkeypatch) -> list[str]:
    """The places files validated from now on (by the build cache's memo)."""
    seen: list[str] = []
    original = build_cache.parse_places

    def parse(data, path):
        seen.append(Path(path).name)
        return original(data, path)

    monkeypatch.setattr(build_cache, "parse_places", parse)
    return seen


def test_an_unchanged_places_file_is_validated_once(tmp_path, monkeypatch):
    places = tmp_path / "places.csv"
    places.write_text(PLACES_TEXT, encoding="utf-8")
    validated = count_validated(monkeypatch)
    first = pipeline.kept_places(places, tmp_path / CACHE_DIRNAME)
    assert [r.place_id for r in first] == ["curated:alpha"]  # the gazetteer row is not kept
    assert pipeline.kept_places(places, tmp_path / CACHE_DIRNAME) == first
    assert validated == ["places.csv"]
    assert first == pipeline.kept_places(places)  # what reading it without a cache gives


def test_a_changed_or_broken_places_file_is_validated_again(tmp_path, monkeypatch):
    places, cache = tmp_path / "places.csv", tmp_path / CACHE_DIRNAME
    places.write_text(PLACES_TEXT, encoding="utf-8")
    pipeline.kept_places(places, cache)
    places.write_text(PLACES_TEXT.replace("Alpha", "Alfa"), encoding="utf-8")
    assert [r.name for r in pipeline.kept_places(places, cache)] == ["Alfa"]
    places.write_text(PLACES_TEXT.replace("36.3", "360.3"), encoding="utf-8")
    with pytest.raises(SchemaError, match="line 2, column 'lat'"):
        pipeline.kept_places(places, cache)
    assert len(list(cache.glob("places-*.pickle"))) == 1  # only the latest good version


PLACES_TEXT = (
    "place_id,name,kind,country_code,lat,lon,source,origin\n"
    "curated:alpha,Alpha,city,IQ,36.3,43.1,test,curated\n"
    "geonames:1,Beta,city,SY,35.0,38.0,GeoNames,gazetteer\n"
)
