"""The dashboard's build in a child process (issue 16, finding 6): the server loads the result from
the build cache the child wrote, and it is the build it would have made itself; the child's
progress and errors reach the caller; a child that dies is a one-line error, not a hang."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo.build.cache import CACHE_DIRNAME
from geo.build.child import ChildFailed, build_to_cache_in_child, can_write, run_in_child
from geo.build.pipeline import build_corpus
from geo.store.schema import PLACE_COLUMNS, SchemaError

DOCUMENTS = {
    "a.txt": "Report A\n\nFighters moved from Mosul to Raqqa in March 2016.\n",
    "b.txt": "Report B\n\nOfficials in Kirkuk said the road to Erbil was closed.\n",
}


def _corpus(folder: Path) -> tuple[Path, Path]:
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    data = folder / "data"
    data.mkdir()
    places = data / "places.csv"
    places.write_text(",".join(PLACE_COLUMNS) + "\n", encoding="utf-8")
    return corpus, places


def test_the_child_builds_what_the_server_would(tmp_path, gazetteer):
    corpus, places = _corpus(tmp_path)
    reported = []
    build_to_cache_in_child(corpus, places, places.parent / CACHE_DIRNAME, reported.append)
    loaded = build_corpus(corpus, places, cache_dir=places.parent / CACHE_DIRNAME)
    assert loaded.reused == len(DOCUMENTS)  # nothing geoparsed again in this process

    alone = tmp_path / "alone"
    shutil.copytree(tmp_path / "corpus", alone / "corpus")
    shutil.copytree(tmp_path / "data", alone / "data", ignore=shutil.ignore_patterns(CACHE_DIRNAME))
    direct = build_corpus(alone / "corpus", alone / "data" / "places.csv", gazetteer)
    assert len(direct.claims) > 0
    pd.testing.assert_frame_equal(loaded.places, direct.places)
    pd.testing.assert_frame_equal(
        loaded.claims_with_excerpts().drop(columns=["source_path"], errors="ignore"),
        direct.claims_with_excerpts().drop(columns=["source_path"], errors="ignore"),
    )
    stages = {p.stage for p in reported}
    assert {"read", "geoparse", "claims"} <= stages  # the child's progress reached the caller


def test_a_broken_places_file_is_the_same_error_from_the_child(tmp_path):
    corpus, places = _corpus(tmp_path)
    with places.open("a", encoding="utf-8") as handle:
        handle.write("curated:x,X,city,IQ,95.0,10.0,,curated,,,,,,,,,\n")
    with pytest.raises(SchemaError) as raised:
        build_to_cache_in_child(corpus, places, places.parent / CACHE_DIRNAME)
    assert raised.value.path == str(places)
    assert raised.value.line == 2


def test_errors_results_and_deaths_of_a_child():
    assert run_in_child(divmod, 7, 2) == (3, 1)
    with pytest.raises(ValueError, match="invalid literal"):
        run_in_child(int, "seven")
    with pytest.raises(ChildFailed, match="exit code 3"):
        run_in_child(os._exit, 3)
    with pytest.raises(ChildFailed, match="signal 6"):
        run_in_child(os.abort)


def test_no_child_without_a_writable_cache_folder(tmp_path):
    assert can_write(tmp_path / "new" / "cache")
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not can_write(blocker / "cache")


def test_review_weighing_in_a_child_gives_the_table_of_the_thread(tmp_path, gazetteer):
    from geo.build.pipeline import Geoparser, load_gazetteer
    from geo.build.review import mention_resolutions, mention_resolutions_in_child
    from geo.documents.reading import read_corpus

    corpus, places = _corpus(tmp_path)
    documents, _ = read_corpus(corpus)
    apart = mention_resolutions_in_child(places, corpus, documents)
    here = mention_resolutions(
        Geoparser(load_gazetteer(places, gazetteer, corpus_dir=corpus)[0]), documents
    )
    assert len(here) > 0
    pd.testing.assert_frame_equal(apart, here)
