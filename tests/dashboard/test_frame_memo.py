"""Columns the dashboard derives from the claims table are computed once per table, never stale."""

from __future__ import annotations

import gc

import pandas as pd

from geo.dashboard.frame_memo import per_frame


def test_a_derived_column_is_computed_once_per_table_and_argument():
    calls = []

    @per_frame
    def years(frame: pd.DataFrame, offset: int = 0) -> pd.Series:
        calls.append(offset)
        return frame["year"] + offset

    table = pd.DataFrame({"year": [2014, 2015]})
    assert years(table) is years(table)
    assert list(years(table, offset=1)) == [2015, 2016]
    assert calls == [0, 1]


def test_a_new_table_never_gets_the_result_of_a_collected_one():
    @per_frame
    def first_year(frame: pd.DataFrame) -> int:
        return int(frame["year"].iloc[0])

    for year in range(1990, 2030):  # freed frames' ids are reused by the next ones
        assert first_year(pd.DataFrame({"year": [year]})) == year
        gc.collect()
