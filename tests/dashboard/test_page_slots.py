"""The page's elements keep their positions from one run to the next (issue 16): Streamlit shows the
last run's elements, by position, until the new run replaces them, so an element drawn on some runs
only (the build's progress bar, a shared link's notices) showed them shifted by one for a moment."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store.schema import PLACE_COLUMNS

APP = Path(__file__).resolve().parents[2] / "app.py"


def layout(at: AppTest) -> list[str]:
    """The kinds of the main area's elements, in order."""
    return [getattr(node, "type", type(node).__name__) for node in at.main.children.values()]


def test_a_run_that_builds_and_the_next_put_the_same_elements_at_the_same_positions(
    tmp_path, monkeypatch
):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    data.mkdir()
    (corpus / "a.txt").write_text("Report\n\nFighters left Mosul for Raqqa in 2016.\n")
    (data / "places.csv").write_text(",".join(PLACE_COLUMNS) + "\n", encoding="utf-8")
    args = ["--corpus", str(corpus), "--places", str(data / "places.csv")]
    monkeypatch.setattr(sys, "argv", ["app.py", *args])
    at = AppTest.from_file(str(APP), default_timeout=300)

    first = layout(at.run())  # builds the corpus (its own places file: nothing cached yet)
    assert not at.exception, at.exception
    assert "Corpus corpus/ · 1 documents" in at.caption[0].value
    second = layout(at.run())  # the build is done: no progress bar, no link to check
    assert not at.exception, at.exception
    assert len(first) == len(second), (first, second)
    slots = {"empty", "progress", "flex_container"}  # a slot, empty or filled
    assert [k if k not in slots else "slot" for k in first] == [
        k if k not in slots else "slot" for k in second
    ]
    assert first.index("caption") == second.index("caption") == 2  # title, the bar's slot
