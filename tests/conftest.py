from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from geo.build.pipeline import DEFAULT_CORPUS, Geoparser, build_corpus, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]

# No deadline per example: a deadline is a timed assertion, and a loaded CI machine trips it.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")


@pytest.fixture(scope="session")
def gazetteer():
    """The real offline gazetteer with the project's curated places (built once, then cached)."""
    layered, _ = load_gazetteer()
    return layered


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def seeds_build(gazetteer):
    return build_corpus(DEFAULT_CORPUS)


@pytest.fixture
def places_in(geoparser):
    """The places a text makes claims about: [(mention, place name, kind, country, lat, lon)].

    Toponyms inside organisation names ("Georgetown University") are recognised but make no claim.
    """

    def run(text: str):
        resolved, _ = geoparser.parse(text)
        resolved = [r for r in resolved if not r.mention.embedded]
        g = geoparser.gazetteer
        return [
            (
                r.mention.text,
                g.name[r.index],
                g.kind[r.index],
                g.country_code[r.index],
                g.lat[r.index],
                g.lon[r.index],
            )
            for r in resolved
        ]

    return run


# Markup, quotes, apostrophes and backticks next to place names, in every field that reaches the
# page: the text, the title, the outlet, the author, an attribution and the file name.
HOSTILE_TEXT = """<script>alert('title')</script> Mosul "under siege" – it's `over` & <b>done</b>

<img src=x onerror=alert(1)> Fighters left Mosul for Raqqa in 2016, "quoted", 'single', `backtick` and <script>alert(2)</script> too.

Fighters reached Mosul in 2017, said Jane <img src=x onerror=alert(3)> "`${alert(4)}`".
"""
HOSTILE_SOURCES = (
    "doc_id,title,outlet,author\n"
    'hostile,"<img src=x onerror=alert(5)> Title ""quoted"" it\'s `tick`",'
    '"<script>alert(6)</script> Outlet","O\'Brien <svg onload=alert(7)>"\n'
)
HOSTILE_FILE_NAME = "note <img src=x onerror=alert(9)>.txt"
HOSTILE_NOTE = (
    "Plain heading\n\nRefugees from Sirte reached Mosul, said Ahmed <b onmouseover=alert(8)>.\n"
)


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory):
    """A corpus folder whose documents try to inject HTML and script into the page."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "sources.csv").write_text(HOSTILE_SOURCES, encoding="utf-8")
    (folder / HOSTILE_FILE_NAME).write_text(HOSTILE_NOTE, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory, gazetteer):
    """(corpus folder, output folder): 120 generated documents (bench/make_corpus.py) built by
    `python -m geo build`, as a user with a large corpus would, for the built-corpus page."""
    sys.path.insert(0, str(ROOT / "bench"))
    from make_corpus import write_corpus

    root = tmp_path_factory.mktemp("large")
    corpus, out = root / "corpus", root / "out"
    write_corpus(120, corpus)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--corpus", str(corpus), "--out", str(out),
         "--quiet"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return corpus, out


@pytest.fixture(scope="session")
def many_places_build(tmp_path_factory):
    """A built output (places.csv, claims.parquet, claims index) of 50,000 distinct real places,
    one of them named with markup (bench/many_places.py): more than the map can draw at once."""
    sys.path.insert(0, str(ROOT / "bench"))
    from many_places import write_many_places

    out = tmp_path_factory.mktemp("many-places") / "out"
    write_many_places(out, 50_000, seed=0, hostile=True)
    return out


@pytest.fixture
def python_child():
    """Start `python -c CODE ARGS...` with pipes, once it has printed "ready"; killed at the end of the
    test if it is still running. A real second process for tests of races between writers."""
    started: list[subprocess.Popen] = []

    def start(code: str, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()
