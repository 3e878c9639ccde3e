"""Options of the dashboard, given after `--`: `streamlit run app.py -- --corpus DIR`.

Streamlit leaves everything after `--` in sys.argv[1:]. Unknown arguments are returned, not fatal:
an app that exits on a typo shows a blank page instead of a message.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppOptions:
    corpus: Path
    places: Path | None
    online_tiles: bool
    unknown: tuple[str, ...] = ()
    built: Path | None = (
        None  # a build's output folder, queried in place (geo.dashboard.query_page)
    )
    in_memory: bool = False  # the in-memory page even for a large built corpus


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit the script
        raise ValueError(f"command-line options after '--': {message}")


def _parser(default_corpus: Path) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="streamlit run app.py --",
        allow_abbrev=False,  # "--c" must not silently mean --corpus
        add_help=False,
    )
    parser.add_argument(
        "--corpus", type=Path, default=default_corpus, help="folder of documents to map"
    )
    parser.add_argument(
        "--places", type=Path, default=None, help="curated places.csv (default: the pipeline's)"
    )
    parser.add_argument(
        "--built",
        type=Path,
        default=None,
        help="a build's output folder (python -m geo build --out DIR): its claims.parquet is "
        "queried where it lies instead of being loaded, for corpora too large for memory; "
        "--corpus then only gives the documents' texts",
    )
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="load the claims in memory even when the corpus has a large built output "
        "(by default its claims.parquet is then queried where it lies)",
    )
    parser.add_argument(
        "--online-tiles",
        action="store_true",
        help="add OpenStreetMap tiles (needs the internet; the default map works offline)",
    )
    return parser


def parse_app_args(argv: Sequence[str], default_corpus: Path) -> AppOptions:
    """Read the options from `argv` (without the program name)."""
    known, unknown = _parser(default_corpus).parse_known_args(list(argv))
    return AppOptions(
        corpus=known.corpus.expanduser(),
        places=known.places.expanduser() if known.places else None,
        online_tiles=known.online_tiles,
        unknown=tuple(unknown),
        built=known.built.expanduser() if known.built else None,
        in_memory=known.in_memory,
    )
