"""A reviewer says a name is not a place, in one document or everywhere: every later build leaves
its mentions out (no claim, not listed as unplaced), the decision keeps who and when, and undoing
it brings the claims back. A corpus keeps its decisions in its own folder."""

from __future__ import annotations

import shutil

import pytest

from geo.build import review
from geo.build.cache import CACHE_DIRNAME
from geo.build.pipeline import (
    DEFAULT_PLACES_CSV,
    Geoparser,
    build_corpus,
    corpus_places_csv,
    load_gazetteer,
    write_outputs,
)
from geo.cli import main
from geo.store.schema import read_places

RAIDS = "Weekly\n\nFighters went from Mosul to Raqqa in 2016, officials in Damascus said.\n"
FALL = "Notes\n\nIn 2017 Raqqa fell, and Mosul was retaken.\n"


@pytest.fixture(scope="module")
def base():
    from geo.places.gazetteer import load_index

    return load_index()


@pytest.fixture
def corpus(tmp_path):
    """Two documents naming Raqqa, and a copy of the repository's places file."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "raids.txt").write_text(RAIDS, encoding="utf-8")
    (folder / "fall.txt").write_text(FALL, encoding="utf-8")
    places = tmp_path / "data" / "places.csv"
    places.parent.mkdir()
    shutil.copyfile(DEFAULT_PLACES_CSV, places)
    return folder, places


def build(folder, places, base):
    return build_corpus(folder, places, gazetteer=base, cache_dir=places.parent / CACHE_DIRNAME)


def mentions_by_document(result, mention: str) -> set[str]:
    return set(result.claims.loc[result.claims["mention"] == mention, "doc_id"])


def test_a_name_marked_not_a_place_everywhere_leaves_the_map_at_every_build(corpus, base):
    folder, places = corpus
    before = build(folder, places, base)
    assert mentions_by_document(before, "Raqqa") == {"raids", "fall"}
    raqqa = set(before.claims.loc[before.claims["mention"] == "Raqqa", "place_id"]).pop()

    review.mark_not_a_place(places, "Raqqa", raqqa, who="tester")
    for _ in range(2):  # the rebuild geoparses again; the next one reads the build cache
        after = build(folder, places, base)
        assert mentions_by_document(after, "Raqqa") == set()
        assert mentions_by_document(after, "Mosul") == {"raids", "fall"}
        assert "Raqqa" not in {u["mention"] for u in after.unresolved}
    assert after.reused == 2

    (decision,) = review.corrections(places)
    assert (decision.correction_of, decision.previous, decision.corrected_by, decision.doc_id) == (
        "Raqqa", raqqa, "tester", "",
    )  # fmt: skip
    assert decision.corrected_at.endswith("Z") and not decision.is_place

    review.undo_correction(places, "Raqqa")
    assert mentions_by_document(build(folder, places, base), "Raqqa") == {"raids", "fall"}


def test_a_name_marked_not_a_place_in_one_document_stays_a_place_in_the_others(corpus, base):
    folder, places = corpus
    review.mark_not_a_place(places, "Raqqa", "geonames:163915", doc_id="raids", who="tester")
    assert mentions_by_document(build(folder, places, base), "Raqqa") == {"fall"}
    # Undoing the corpus-wide decision (there is none) leaves the document's alone.
    assert review.undo_correction(places, "Raqqa") is None
    assert review.undo_correction(places, "Raqqa", doc_id="raids") is not None
    assert mentions_by_document(build(folder, places, base), "Raqqa") == {"raids", "fall"}


def test_a_name_that_is_no_place_weighs_nothing_in_review(corpus, base):
    folder, places = corpus
    review.mark_not_a_place(places, "Raqqa", "geonames:163915", doc_id="raids")
    gazetteer, _ = load_gazetteer(places, base)
    result = build(folder, places, base)
    table = review.mention_resolutions(Geoparser(gazetteer), list(result.documents.values()))
    assert set(table.loc[table["mention"] == "Raqqa", "doc_id"]) == {"fall"}
    (decision,) = review.corrections(places)
    assert review.correction_holds(table, decision)


def test_marking_a_corrected_name_as_no_place_replaces_the_correction(corpus, base):
    folder, places = corpus
    geoparser = Geoparser(load_gazetteer(places, base)[0])
    chosen = review.candidate_record(geoparser, "country:SY")
    review.choose_candidate(places, "Raqqa", chosen, "geonames:163915")
    review.mark_not_a_place(places, "Raqqa", "country:SY")
    (decision,) = review.corrections(places)
    assert not decision.is_place and decision.previous == "country:SY"


def test_a_corpus_keeps_its_own_corrections_out_of_the_places_file_it_builds_with(corpus, base):
    """`curated-places.csv` in the corpus folder is laid over the places file; the reader passes
    over it without a warning; the outputs do not copy its rows into places.csv."""
    folder, places = corpus
    own = corpus_places_csv(folder)
    review.mark_not_a_place(own, "Raqqa", "geonames:163915", who="tester")
    geoparser = Geoparser(load_gazetteer(places, base, corpus_dir=folder)[0])
    review.choose_candidate(own, "Mosul", review.candidate_record(geoparser, "country:IQ"), "x")

    result = build(folder, places, base)
    assert mentions_by_document(result, "Raqqa") == set()
    assert set(result.claims.loc[result.claims["mention"] == "Mosul", "place_id"]) == {"country:IQ"}
    assert not any("curated-places" in w for w in result.warnings)
    write_outputs(result, places.parent)
    written = read_places(places)
    assert not any(r.correction_of for r in written)
    assert {r.place_id for r in read_places(DEFAULT_PLACES_CSV)} <= {r.place_id for r in written}


def test_the_command_line_build_of_a_corpus_honours_its_own_decisions(corpus, tmp_path, capsys):
    folder, places = corpus
    review.mark_not_a_place(corpus_places_csv(folder), "Raqqa", "geonames:163915")
    out = tmp_path / "out"
    assert main(["build", "--corpus", str(folder), "--places", str(places), "--out", str(out),
                 "--jobs", "1", "--quiet"]) == 0  # fmt: skip
    claims = (out / "claims.csv").read_text(encoding="utf-8")
    assert ",Mosul," in claims and ",Raqqa," not in claims


@pytest.mark.parametrize(
    ("margin", "corrected", "n_candidates", "label"),
    [
        (float("inf"), True, 2, "set by a correction"),
        (float("inf"), False, 2, "the only plausible candidate"),
        (float("inf"), False, 1, "only candidate"),
        (0.4, False, 3, "low (ahead by 0.4)"),
    ],
)
def test_the_confidence_label_says_why_there_is_no_runner_up(
    margin, corrected, n_candidates, label
):
    assert review.confidence_label(margin, corrected, n_candidates) == label


def test_the_place_before_a_correction_is_named_not_just_its_id(geoparser):
    assert review.place_description(geoparser, "geonames:5276609") == (
        "Two Rivers, Wisconsin (city, US, pop. 11,331)"
    )
    assert review.place_description(geoparser, "country:SY").startswith("Syria (country, SY, pop.")
    assert review.place_description(geoparser, "geonames:0") == "geonames:0"
