"""Fixtures of the dashboard's build-job tests: a corpus of one report and an empty places file."""

from __future__ import annotations

import pytest

from geo.store.schema import PLACE_COLUMNS


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Report\n\nFighters left Mosul for Raqqa.\n", encoding="utf-8")
    return folder


@pytest.fixture
def places(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "places.csv"
    path.write_text(",".join(PLACE_COLUMNS) + "\n", encoding="utf-8")
    return path
