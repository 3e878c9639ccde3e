"""A hand-edited places file with values no reader should take: each is refused with the file, the
line and the column, never a traceback or a silent guess."""

from __future__ import annotations

import pytest

from geo.store.schema import SchemaError, read_places

HEADER = "place_id,name,kind,country_code,lat,lon,source,population"


def places_file(tmp_path, text: str):
    path = tmp_path / "places.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("population", ["inf", "1e400", "-5", "nan", "1e11"])
def test_a_population_that_is_not_one_names_its_line_and_column(tmp_path, population):
    path = places_file(tmp_path, f"{HEADER}\nx:1,Mosul,city,IQ,36.3,43.1,test,{population}\n")
    with pytest.raises(SchemaError) as caught:
        read_places(path)
    assert (caught.value.line, caught.value.column) == (2, "population")


def test_a_column_named_twice_in_the_header_is_refused(tmp_path):
    path = places_file(tmp_path, f"{HEADER},lat\nx:1,Mosul,city,IQ,36.3,43.1,test,5,0\n")
    with pytest.raises(SchemaError, match="named twice") as caught:
        read_places(path)
    assert (caught.value.line, caught.value.column) == (1, "lat")


def test_a_nul_byte_in_a_value_is_refused(tmp_path):
    path = places_file(tmp_path, f"{HEADER}\nx:1,Mo\x00sul,city,IQ,36.3,43.1,test,5\n")
    with pytest.raises(SchemaError, match="NUL") as caught:
        read_places(path)
    assert (caught.value.line, caught.value.column) == (2, "name")


def test_a_whole_population_still_reads(tmp_path):
    path = places_file(tmp_path, f"{HEADER}\nx:1,Mosul,city,IQ,36.3,43.1,test,1664000\n")
    assert read_places(path)[0].population == 1_664_000
