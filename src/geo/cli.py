"""Command line: `python -m geo build`, `geoparse`, `add` and `export`.

Misuse (a missing folder, an unwritable output, a malformed places file) ends with a one-line reason
on standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from geo.build.cache import CACHE_DIRNAME
from geo.build.cluster import ClusterError
from geo.build.cluster_build import build_on_cluster
from geo.build.pipeline import (
    CLAIMS_PARQUET,
    DEFAULT_CORPUS,
    DEFAULT_PLACES_CSV,
    BuildResult,
    Geoparser,
    build_corpus,
    load_gazetteer,
    write_outputs,
)
from geo.build.progress import TerminalProgress
from geo.documents import ingest
from geo.documents.listing import is_url
from geo.store import claims_file
from geo.store.locking import build_lock, writer_lock
from geo.store.schema import SchemaError


class UsageError(Exception):
    """A mistake of the caller's, reported in one line."""


class _OneLineErrors(argparse.ArgumentParser):
    """argparse prints the usage and then the error on a second line; one line says it all."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineErrors(prog="python -m geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser(
        "build", help="geoparse a corpus folder into places.csv and claims.csv"
    )
    build.add_argument(
        "--corpus", type=_folder_or_url, default=DEFAULT_CORPUS,
        help="folder of documents (with --scheduler, also an fsspec URL the workers read)",
    )  # fmt: skip
    build.add_argument("--out", type=Path, default=None, help="output folder (default: data/)")
    build.add_argument(
        "--places",
        type=Path,
        default=DEFAULT_PLACES_CSV,
        help="places file whose curated and cached rows are kept (default: data/places.csv)",
    )
    build.add_argument(
        "--geocoder",
        choices=("offline", "nominatim"),
        default="offline",
        help="nominatim (opt-in, needs network) looks up names the offline gazetteer cannot place",
    )
    build.add_argument("--nominatim-url", default="https://nominatim.openstreetmap.org")
    build.add_argument("--user-agent", default="geo-dashboard (offline-first geoparser)")
    build.add_argument(
        "--jobs",
        type=_positive_int,
        default=_cores(),
        help="processes that geoparse in parallel (default: all cores, here %(default)s)",
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="geoparse on a running dask.distributed cluster (tcp://HOST:PORT of its scheduler; "
        "the workers need this package installed) instead of --jobs processes here",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help=f"geoparse every document again, ignoring OUT/{CACHE_DIRNAME} (it is rewritten)",
    )
    build.add_argument("--quiet", action="store_true")

    export = commands.add_parser(
        "export", help=f"write claims.csv from the {CLAIMS_PARQUET} of a build, whatever its size"
    )
    export.add_argument(
        "--out", type=Path, default=DEFAULT_PLACES_CSV.parent,
        help="the build's output folder (default: data/)",
    )  # fmt: skip

    commands.add_parser(
        "geoparse",
        help="read JSON lines {id, text} on stdin, write {id, toponyms} lines on stdout",
    )
    ingest.add_command(commands)
    return parser


def _check_out_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    probe = out_dir / f".write-test-{int(time.time() * 1000)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"output folder {out_dir} is not writable: {exc.strerror}") from exc


def _nominatim_pass(args, result: BuildResult) -> tuple[BuildResult, list[str]]:
    from geo.places.geocoders import geocode_online, nominatim

    geocoder = nominatim(args.nominatim_url, args.user_agent, timeout=10)
    # Only names are worth a query: ordinary words ("August") would come back as some village.
    names = sorted({u["mention"] for u in result.unresolved if not u["ordinary_word"]})
    online = geocode_online(
        names, geocoder, on_place=lambda place: _cache_place(args.places, place)
    )
    messages = list(online.messages)
    messages.append(
        f"nominatim: {len(online.places)} placed, {len(online.not_found)} not found, "
        f"{len(names)} asked"
    )
    if not online.places:
        return result, messages
    return _run_build(args), messages


def _cache_place(places_csv: Path, place) -> None:
    """Add one geocoder result to the places file as soon as it arrives, so that a build that is
    stopped loses nothing. The file is re-read first: its curated rows are written back as they
    are now, and a place it already has is left as it is."""
    from geo.store.schema import places_frame, read_places, write_csv_atomically

    with writer_lock(places_csv):
        existing = read_places(places_csv)
        if place.place_id not in {r.place_id for r in existing}:
            write_csv_atomically(places_frame([*existing, place]), places_csv)


def _keep_places_edited_during_build(args, result: BuildResult, out_dir: Path) -> list[str]:
    """When the build rewrites the places file it read, write back the curated and cached rows
    the file holds now, not those it held when the build started: someone may have edited it
    meanwhile (an editor takes no lock), and curated rows are never to be overwritten."""
    from geo.store.schema import read_places

    if not args.places.exists() or args.places.resolve() != (out_dir / "places.csv").resolve():
        return []
    now = [r for r in read_places(args.places) if r.origin != "gazetteer"]
    if now == result.kept_places:
        return []
    result.kept_places = now
    return [
        f"{args.places} changed during the build; its curated and cached rows are kept as they "
        "are now (build again to use them in the claims)"
    ]


def _folder_or_url(value: str) -> Path | str:
    return value if is_url(value) else Path(value)


def _check_corpus(args) -> None:
    if isinstance(args.corpus, str):
        if not args.scheduler:
            raise UsageError(f"a corpus URL ({args.corpus}) is read by the workers of --scheduler")
    elif not args.corpus.is_dir():
        raise UsageError(f"corpus folder not found: {args.corpus}")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _build_options(args) -> dict:
    """Parallelism, and the incremental cache kept next to the outputs."""
    out_dir = args.out or args.places.parent
    cache_dir = out_dir / CACHE_DIRNAME
    if args.no_cache:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return {"jobs": args.jobs, "cache_dir": cache_dir}


def _run_build(args, progress=None) -> BuildResult:
    """The build here, or on the cluster of --scheduler."""
    options = _build_options(args)
    if args.scheduler:
        return build_on_cluster(
            args.corpus, args.places, cache_dir=options["cache_dir"], scheduler=args.scheduler,
            progress=progress,
        )  # fmt: skip
    return build_corpus(args.corpus, args.places, **options, progress=progress)


def _build(args) -> int:
    _check_corpus(args)
    out_dir = args.out or args.places.parent
    _check_out_dir(out_dir)
    started = time.perf_counter()
    # On a terminal a bar redrawn in place, else a line per stage (and per tenth of the documents).
    progress = None if args.quiet else TerminalProgress(sys.stderr)
    try:
        result = _run_build(args, progress)
    finally:
        if progress is not None:
            progress.close()
    messages = list(result.warnings)
    if args.geocoder == "nominatim":
        result, online_messages = _nominatim_pass(args, result)
        messages += online_messages
    # Re-read and written holding the places file's writer lock: a correction the app saves
    # meanwhile waits, and is then kept.
    with writer_lock(out_dir / "places.csv"):
        messages += _keep_places_edited_during_build(args, result, out_dir)
        places_path, claims_path = write_outputs(result, out_dir)
    if claims_path.name == CLAIMS_PARQUET:
        messages.append(
            f"claims.csv not written: {result.n_claims:,} claims are more rows than a "
            f"spreadsheet holds; `python -m geo export --out {out_dir}` writes it from "
            f"{CLAIMS_PARQUET}"
        )
    for message in messages:
        print(f"warning: {message}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{len(result.documents)} documents ({result.reused} unchanged since the last "
            f"build), {result.n_claims} claims about "
            f"{len(result.places)} places in {time.perf_counter() - started:.1f} s -> "
            f"{places_path}, {claims_path}"
            + (f", {CLAIMS_PARQUET}" if claims_path.name != CLAIMS_PARQUET else ""),
            file=sys.stderr,
        )
    return 0


def geoparse_record(geoparser: Geoparser, record: dict) -> dict:
    text = record.get("text")
    text = text if isinstance(text, str) else ""
    resolved, unplaced = geoparser.parse(text)
    g = geoparser.gazetteer
    toponyms = [
        {
            "start": r.mention.start,
            "end": r.mention.end,
            "name": r.mention.text,
            "lat": g.lat[r.index],
            "lon": g.lon[r.index],
            "kind": g.kind[r.index],
            "country_code": g.country_code[r.index],
        }
        for r in resolved
    ]
    toponyms += [
        {"start": m.start, "end": m.end, "name": m.text, "lat": None, "lon": None}
        for m in unplaced
        if m.mention_type == "toponym" and not m.common_word and m.zipf < 3.0
    ]
    toponyms.sort(key=lambda t: t["start"])
    return {"id": record.get("id"), "toponyms": toponyms}


def _geoparse(stdin, stdout) -> int:
    gazetteer, _ = load_gazetteer()
    geoparser = Geoparser(gazetteer)
    for number, line in enumerate(stdin, start=1):
        try:
            record = json.loads(line) if line.strip() else {}
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            print(f"warning: line {number}: {exc}", file=sys.stderr)
            record = {"id": None, "text": ""}
        stdout.write(json.dumps(geoparse_record(geoparser, record), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _locked_build(args) -> int:
    """The build, holding the lock of the output folder (and of the places file's folder when the
    geocoder caches into it): a second build waits, and the places file is read, refreshed and
    written by one build at a time."""
    _check_corpus(args)
    out_dir = args.out or args.places.parent
    _check_out_dir(out_dir)
    folders = [out_dir]
    if args.geocoder == "nominatim" and args.places.parent.is_dir():
        folders.append(args.places.parent)  # the geocoder's cache goes into the places file

    def waiting(folder: Path, holder: str) -> None:
        by = f" (process {holder})" if holder else ""
        print(f"waiting for another build{by} to finish in {folder}", file=sys.stderr, flush=True)

    with build_lock(folders, on_wait=waiting):
        return _build(args)


def _export(args) -> int:
    """claims.csv from claims.parquet, under the output folder's build lock."""
    source = args.out / CLAIMS_PARQUET
    if not source.is_file():
        raise UsageError(f"{source} not found: build first (python -m geo build --out {args.out})")
    with build_lock([args.out]):
        rows = pq.ParquetFile(source).metadata.num_rows
        # A batch of rows at a time: memory does not grow with the claims.
        claims_file.write_claims_text(claims_file.parquet_lines(source), args.out / "claims.csv")
    print(f"{rows:,} claims -> {args.out / 'claims.csv'}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _locked_build(args)
        if args.command == "add":
            return ingest.run_add(args)
        if args.command == "export":
            return _export(args)
        return _geoparse(sys.stdin, sys.stdout)
    except (
        UsageError, SchemaError, ClusterError, FileNotFoundError, NotADirectoryError, ValueError
    ) as exc:  # fmt: skip
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; no output file was left half-written", file=sys.stderr)
        return 130
