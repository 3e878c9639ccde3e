"""Command line: `python -m geo build` and `python -m geo geoparse`.

Misuse (a missing folder, an unwritable output, a malformed places file) ends with a one-line reason
on standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from geo.pipeline import (
    DEFAULT_CORPUS,
    DEFAULT_PLACES_CSV,
    BuildResult,
    Geoparser,
    build_corpus,
    load_gazetteer,
    write_outputs,
)
from geo.schema import SchemaError


class UsageError(Exception):
    """A mistake of the caller's, reported in one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser(
        "build", help="geoparse a corpus folder into places.csv and claims.csv"
    )
    build.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of documents")
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
    build.add_argument("--quiet", action="store_true")

    commands.add_parser(
        "geoparse",
        help="read JSON lines {id, text} on stdin, write {id, toponyms} lines on stdout",
    )
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
    from geopy.geocoders import Nominatim

    from geo.geocoders import geocode_online

    scheme, _, domain = args.nominatim_url.partition("://")
    geocoder = Nominatim(user_agent=args.user_agent, domain=domain, scheme=scheme, timeout=10)
    # Only names are worth a query: ordinary words ("August") would come back as some village.
    names = sorted({u["mention"] for u in result.unresolved if not u["ordinary_word"]})
    online = geocode_online(names, geocoder)
    messages = list(online.messages)
    messages.append(
        f"nominatim: {len(online.places)} placed, {len(online.not_found)} not found, "
        f"{len(names)} asked"
    )
    if not online.places:
        return result, messages
    from geo.schema import places_frame, read_places, write_csv_atomically

    existing = read_places(args.places)
    known = {r.place_id for r in existing}
    added = [p for p in online.places if p.place_id not in known]
    # The cache goes into the places file at once: what was obtained is never lost.
    write_csv_atomically(places_frame(existing + added), args.places)
    return build_corpus(args.corpus, args.places), messages


def _build(args) -> int:
    if not args.corpus.is_dir():
        raise UsageError(f"corpus folder not found: {args.corpus}")
    out_dir = args.out or args.places.parent
    _check_out_dir(out_dir)
    started = time.perf_counter()
    result = build_corpus(args.corpus, args.places)
    messages = list(result.warnings)
    if args.geocoder == "nominatim":
        result, online_messages = _nominatim_pass(args, result)
        messages += online_messages
    places_path, claims_path = write_outputs(result, out_dir)
    for message in messages:
        print(f"warning: {message}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{len(result.documents)} documents, {len(result.claims)} claims about "
            f"{len(result.places)} places in {time.perf_counter() - started:.1f} s -> "
            f"{places_path}, {claims_path}",
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        return _geoparse(sys.stdin, sys.stdout)
    except (UsageError, SchemaError, FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
