"""app.py chooses the page before importing the in-memory page (geo.dashboard.app_entry)."""

from __future__ import annotations

import subprocess
import sys

from geo.build.pipeline import DEFAULT_CORPUS
from geo.dashboard import app_entry


def test_the_default_corpus_is_the_builds():
    assert app_entry.DEFAULT_CORPUS == DEFAULT_CORPUS


def test_built_is_asked_for_in_either_spelling():
    assert app_entry.asks_for_built(["--built", "OUT", "--corpus", "DIR"])
    assert app_entry.asks_for_built(["--corpus", "DIR", "--built=OUT"])
    assert not app_entry.asks_for_built(["--corpus", "DIR", "--in-memory"])


def test_the_duckdb_page_does_not_import_the_build():
    """Importing the DuckDB page leaves the recogniser and the build unimported."""
    code = (
        "import sys; import geo.dashboard.app_entry, geo.dashboard.query_page; "
        "print(sorted(m for m in sys.modules if m.startswith(('geo.build', 'geo.places', "
        "'wordfreq'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
