"""Reviewing places: the alternatives a name had, the least confident first, and corrections that
survive a rebuild and can be undone."""

from __future__ import annotations

import shutil

import pytest

from geo.build import review
from geo.build.pipeline import DEFAULT_PLACES_CSV, Geoparser, build_corpus, load_gazetteer
from geo.store.schema import read_places

TEXT = (
    "Syria Weekly\n\nFighters went from Mosul to Raqqa in 2016, officials in Damascus said.\n"
    "Later, Raqqa fell.\n"
)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "iran.txt").write_text(TEXT, encoding="utf-8")
    places = tmp_path / "places.csv"
    shutil.copy(DEFAULT_PLACES_CSV, places)
    return folder, places


def resolutions_of(folder, places, base):
    build = build_corpus(folder, places, gazetteer=base)
    gazetteer, _ = load_gazetteer(places, base)
    geoparser = Geoparser(gazetteer)
    return build, geoparser, review.mention_resolutions(geoparser, list(build.documents.values()))


@pytest.fixture(scope="module")
def base():
    from geo.places.gazetteer import load_index

    return load_index()


def place_of(build, mention: str) -> str:
    return set(build.claims.loc[build.claims["mention"] == mention, "place_id"]).pop()


def test_a_name_lists_its_alternatives_with_country_population_and_the_chosen_one_first(
    corpus, base
):
    build, _, table = resolutions_of(*corpus, base)
    (row,) = review.resolutions_for_place(table, place_of(build, "Raqqa")).itertuples()
    assert row.n_mentions == 2
    chosen, *others = row.alternatives
    assert chosen.chosen and chosen.place_id == place_of(build, "Raqqa")
    assert others and all(a.country_code and not a.chosen for a in others)
    assert any(a.population > 100_000 for a in row.alternatives)


def test_needs_review_lists_the_least_confident_resolutions_first(seeds_build, base):
    gazetteer, _ = load_gazetteer(DEFAULT_PLACES_CSV, base)
    table = review.mention_resolutions(Geoparser(gazetteer), list(seeds_build.documents.values()))
    queue = review.needs_review(table, seeds_build.places)
    assert list(queue["margin"]) == sorted(queue["margin"])
    assert queue.iloc[0]["margin"] < review.LOW_MARGIN
    assert review.confidence_label(queue.iloc[0]["margin"]).startswith("low")


def test_picking_another_candidate_applies_to_every_mention_and_survives_a_rebuild(corpus, base):
    folder, places = corpus
    build, geoparser, table = resolutions_of(folder, places, base)
    before = place_of(build, "Raqqa")
    (row,) = review.resolutions_for_place(table, before).itertuples()
    other = next(a for a in row.alternatives if not a.chosen and a.plausible)

    review.choose_candidate(
        places, "Raqqa", review.candidate_record(geoparser, other.place_id), before, who="tester"
    )

    rebuilt, _, table = resolutions_of(folder, places, base)
    assert set(rebuilt.claims.loc[rebuilt.claims["mention"] == "Raqqa", "place_id"]) == {
        other.place_id
    }
    (correction,) = review.corrections(places)
    assert (correction.correction_of, correction.previous, correction.corrected_by) == (
        "Raqqa", before, "tester",
    )  # fmt: skip
    assert correction.corrected_at.endswith("Z")
    assert review.correction_holds(table, correction)


def test_entered_coordinates_place_every_mention_there(corpus, base):
    folder, places = corpus
    build, _, _ = resolutions_of(folder, places, base)
    before = build.places.set_index("place_id").loc[place_of(build, "Raqqa")]
    row = review.enter_coordinates(
        places, "Raqqa", 35.95, 39.01, "city", "sy", before.name, who="tester",
        population=int(before["population"]),
    )  # fmt: skip
    rebuilt, _, _ = resolutions_of(folder, places, base)
    assert place_of(rebuilt, "Raqqa") == row.place_id
    placed = rebuilt.places.set_index("place_id").loc[row.place_id]
    assert (placed["lat"], placed["lon"], placed["country_code"]) == (35.95, 39.01, "SY")


def test_undo_restores_the_places_file_and_the_previous_resolution(corpus, base):
    folder, places = corpus
    original = places.read_text()
    build, geoparser, table = resolutions_of(folder, places, base)
    before = place_of(build, "Raqqa")
    (row,) = review.resolutions_for_place(table, before).itertuples()
    other = next(a for a in row.alternatives if not a.chosen and a.plausible)
    review.choose_candidate(
        places, "Raqqa", review.candidate_record(geoparser, other.place_id), before
    )

    assert review.undo_correction(places, "Raqqa") is not None
    rebuilt, _, _ = resolutions_of(folder, places, base)
    assert place_of(rebuilt, "Raqqa") == before
    assert read_places(places) == read_places_from_text(original, places.parent)


def read_places_from_text(text, folder):
    path = folder / "original.csv"
    path.write_text(text)
    return read_places(path)


def test_a_correction_to_an_existing_curated_place_is_undone_without_losing_the_row(corpus, base):
    folder, places = corpus
    curated = next(r for r in read_places(places) if r.place_id == "curated:levant")
    review.choose_candidate(places, "Sham", curated, "geonames:1")
    assert "Sham" in next(r for r in read_places(places) if r.place_id == "curated:levant").aliases
    review.undo_correction(places, "Sham")
    assert next(r for r in read_places(places) if r.place_id == "curated:levant") == curated


def test_old_places_files_without_the_correction_columns_still_read(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "place_id,name,kind,country_code,lat,lon,source\ncurated:x,X,city,IQ,36.3,43.1,test\n"
    )
    (record,) = read_places(path)
    assert record.correction_of == "" and record.corrected_by == ""


def test_a_correction_is_obeyed_even_against_a_likelier_place(corpus, base):
    """A reviewer's choice is a per-name override, not one more weight: Raqqa corrected to the
    (far less likely) Raqqa of another country stays corrected after a rebuild."""
    folder, places = corpus
    build, geoparser, table = resolutions_of(folder, places, base)
    before = place_of(build, "Raqqa")
    (row,) = review.resolutions_for_place(table, before).itertuples()
    other = next(a for a in row.alternatives if not a.chosen)
    chosen = review.candidate_record(geoparser, other.place_id)
    correction = review.choose_candidate(places, "Raqqa", chosen, before)
    rebuilt, _, table = resolutions_of(folder, places, base)
    assert place_of(rebuilt, "Raqqa") == correction.place_id != before
    assert review.correction_holds(table, correction)
