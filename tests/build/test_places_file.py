"""The places file as people keep it: a correction changes only its own row, and undoing it gives
the file back byte for byte; rows that say a name is not a place follow the contract."""

from __future__ import annotations

import shutil

import pytest

from geo.build import review
from geo.build.pipeline import DEFAULT_PLACES_CSV
from geo.store.places_file import write_places
from geo.store.schema import NOT_A_PLACE, PlaceRecord, SchemaError, read_places

CHOSEN = PlaceRecord(
    place_id="geonames:163915",
    name="Ar-Raqqah",
    kind="city",
    country_code="SY",
    lat=35.95,
    lon=39.01,
    source="GeoNames cities500",
    origin="gazetteer",
    aliases=("Raqqa",),
    population=177_636,
)


@pytest.fixture
def places(tmp_path):
    path = tmp_path / "places.csv"
    shutil.copyfile(DEFAULT_PLACES_CSV, path)
    return path


def test_undo_gives_the_repository_places_file_back_byte_for_byte(places):
    before = places.read_bytes()
    review.choose_candidate(places, "Raqqa", CHOSEN, "geonames:99072", who="tester")
    review.mark_not_a_place(places, "Been", "country:BJ", who="tester")
    assert places.read_bytes() != before
    review.undo_correction(places, "Raqqa")
    review.undo_correction(places, "Been")
    assert places.read_bytes() == before


def test_a_correction_leaves_the_other_rows_as_they_were_written(places):
    """ "33.50" stays "33.50", quoted notes stay quoted: only the new row and the header change."""
    before = places.read_text(encoding="utf-8").splitlines()
    review.mark_not_a_place(places, "Been", "country:BJ", who="tester")
    after = places.read_text(encoding="utf-8").splitlines()
    assert after[0] == before[0] + ",correction_of,previous,corrected_by,corrected_at"
    assert after[1 : len(before)] == [line + ",,,," for line in before[1:]]
    assert after[len(before)].startswith(f"{NOT_A_PLACE}:been,Been,,,,,,{NOT_A_PLACE},")
    assert any("33.50" in line for line in after)


HEADER = b"place_id,name,kind,country_code,lat,lon,source,origin,note"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + HEADER + b'\r\ncurated:x,X,city,IQ,36.30,43.1,"a, b",curated,\r\n',
        HEADER + b"\ncurated:x,X,city,IQ,36.3,43.1,test,curated,n",
        HEADER + b",wiki\ncurated:x,X,city,IQ,36.3,43.1,t,curated,n,Q1\n",
        HEADER
        + b'\ncurated:x,X,city,IQ,36.3,43.1,t,curated,"two\nlines"\ncurated:y,Y,city,IQ,1,2,t,,\n',
    ],
    ids=["bom-crlf", "no-final-newline", "a-column-of-its-own", "a-note-of-two-lines"],
)
def test_undo_restores_files_written_by_hand_byte_for_byte(tmp_path, raw):
    path = tmp_path / "places.csv"
    path.write_bytes(raw)
    review.mark_not_a_place(path, "Man", "geonames:3042225", doc_id="notes", who="tester")
    (decision,) = [r for r in read_places(path) if not r.is_place]
    assert (decision.name, decision.doc_id, decision.corrected_by) == ("Man", "notes", "tester")
    review.undo_correction(path, "Man", doc_id="notes")
    assert path.read_bytes() == raw


def test_a_places_file_made_by_a_correction_goes_when_it_is_undone(tmp_path):
    path = tmp_path / "corpus" / "curated-places.csv"
    review.choose_candidate(path, "Raqqa", CHOSEN, "geonames:99072", who="tester")
    (row,) = read_places(path)
    assert row.place_id == CHOSEN.place_id and row.origin == "curated" and "Raqqa" in row.aliases
    review.undo_correction(path, "Raqqa")
    assert not path.exists()


def test_a_field_that_changes_is_rewritten_and_the_others_keep_their_form(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "place_id,name,kind,country_code,lat,lon,source,origin,aliases\n"
        "curated:x,X,region,IQ,36.30,43.10,test,curated,Ex\n",
        encoding="utf-8",
    )
    (record,) = read_places(path)
    write_places([review.replace(record, aliases=("Ex", "Iks"))], path)
    assert (
        path.read_text().splitlines()[1] == "curated:x,X,region,IQ,36.30,43.10,test,curated,Ex|Iks"
    )


def test_a_not_a_place_row_reads_with_no_kind_or_coordinates(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "place_id,name,kind,country_code,lat,lon,source,origin,correction_of,doc_id\n"
        f"{NOT_A_PLACE}:been,Been,,,,,,{NOT_A_PLACE},Been,headline\n",
        encoding="utf-8",
    )
    (row,) = read_places(path)
    assert not row.is_place and (row.lat, row.lon, row.kind) == (None, None, "")
    assert row.doc_id == "headline"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (f"{NOT_A_PLACE}:x,X,city,,,,,{NOT_A_PLACE},", "kind"),
        (f"{NOT_A_PLACE}:x,X,,,36.3,43.1,,{NOT_A_PLACE},", "lat"),
        (f"{NOT_A_PLACE}:x,,,,,,,{NOT_A_PLACE},", "name"),
        ("curated:x,X,city,IQ,36.3,43.1,test,curated,doc1", "doc_id"),
    ],
)
def test_a_not_a_place_row_that_breaks_the_contract_names_line_and_column(tmp_path, line, column):
    path = tmp_path / "places.csv"
    path.write_text(
        f"place_id,name,kind,country_code,lat,lon,source,origin,doc_id\n{line}\n", encoding="utf-8"
    )
    with pytest.raises(SchemaError) as error:
        read_places(path)
    assert (error.value.line, error.value.column) == (2, column)


def test_an_alias_added_to_a_curated_row_and_taken_back_leaves_the_file_as_it_was(places):
    before = places.read_bytes()
    levant = next(r for r in read_places(places) if r.place_id == "curated:levant")
    review.choose_candidate(places, "Sham", levant, "geonames:1", who="tester")
    assert b"the Levant|Sham" in places.read_bytes()
    review.undo_correction(places, "Sham")
    assert places.read_bytes() == before
