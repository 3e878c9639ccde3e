"""Review places: how each name was resolved, the alternatives the resolver weighed, and corrections.

Read-only over the resolver: the scores are recomputed with `Resolver.score` and `plausible` for
every candidate of a name, in the context of the document it appears in. A correction is a curated
row of the places file (curated rows are laid over the gazetteer at every build, so it survives a
rebuild) that names the corrected name among its aliases, with who made it, when, and the place
the name resolved to before; undoing it removes that row (or that alias) again.
"""

from __future__ import annotations

import functools
import getpass
import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo.build.child import run_in_child
from geo.build.pipeline import Geoparser, load_gazetteer
from geo.documents.reading import Document
from geo.places.resolve import Anchors
from geo.store.locking import writer_lock
from geo.store.places_file import write_places
from geo.store.schema import NOT_A_PLACE, PLACE_KINDS, PlaceRecord, read_places
from geo.text.normalize import name_key

# Below this score gap to the runner-up a resolution is worth a look (the resolver's own threshold
# for a confident anchor is 1.0).
LOW_MARGIN = 1.0
MAX_ALTERNATIVES = 8
CREATED_NOTE = "Added by a correction in the dashboard."

RESOLUTION_COLUMNS = [
    "doc_id", "mention", "key", "place_id", "score", "margin", "n_mentions", "alternatives",
    "corrected",
]  # fmt: skip


@dataclass(frozen=True)
class Alternative:
    """A place the name may denote, as the resolver scored it in one document."""

    place_id: str
    name: str
    kind: str
    country_code: str
    population: int
    lat: float
    lon: float
    origin: str
    source: str
    score: float
    plausible: bool  # False: the resolver ruled it out whatever its score (too little evidence)
    chosen: bool


def mention_resolutions(geoparser: Geoparser, documents: list[Document]) -> pd.DataFrame:
    """One row per name and document: the place chosen, its score and margin, how many mentions,
    and the alternatives (best first, the chosen one included)."""
    g = geoparser.gazetteer
    resolver = geoparser.resolver
    rows: list[dict] = []
    for document in documents:
        document = document.whole()  # a long text kept in the build cache's file, decoded
        mentions = geoparser.mentions(document.text, document.doc_id)
        resolved = resolver.resolve(mentions, document.text)
        context = resolver.context_countries(mentions)
        anchors = Anchors.from_resolved(g, resolved)
        by_key: dict[tuple[str, str], dict] = {}
        for item in resolved:
            mention = item.mention
            if mention.embedded:  # inside an organisation's name: no claim
                continue
            key = (name_key(mention.text), g.place_id[item.index])
            if key in by_key:
                by_key[key]["n_mentions"] += 1
                continue
            scored: dict[int, Alternative] = {}
            for candidate in mention.candidates:
                i = candidate.index
                score = resolver.score(candidate, mention, context, anchors)
                if i in scored and scored[i].score >= score:
                    continue
                scored[i] = Alternative(
                    place_id=g.place_id[i],
                    name=g.name[i],
                    kind=g.kind[i],
                    country_code=g.country_code[i],
                    population=int(g.population[i]),
                    lat=float(g.lat[i]),
                    lon=float(g.lon[i]),
                    origin=g.origin[i],
                    source=g.source[i],
                    score=round(score, 2),
                    plausible=resolver.plausible(candidate, mention, context),
                    chosen=i == item.index,
                )
            alternatives = sorted(
                scored.values(), key=lambda a: (not a.chosen, not a.plausible, -a.score, a.place_id)
            )[:MAX_ALTERNATIVES]
            by_key[key] = {
                "doc_id": document.doc_id,
                "mention": mention.text,
                "key": key[0],
                "place_id": key[1],
                "score": round(item.score, 2),
                "margin": item.margin,
                "n_mentions": 1,
                "alternatives": alternatives,
                "corrected": key[0] in g.overrides,  # placed by a reviewer's word, not scored
            }
        rows += by_key.values()
    return pd.DataFrame(rows, columns=RESOLUTION_COLUMNS)


def mention_resolutions_in_child(
    places_csv: Path, corpus_dir: Path | None, documents: list[Document]
) -> pd.DataFrame:
    """`mention_resolutions` over the gazetteer of `places_csv` (and the corpus's own places
    file), in a child process: geoparsing a large document again leaves the server's memory as it
    was (geo.build.child). The child loads the gazetteer itself, a few seconds."""
    return run_in_child(
        _resolutions_apart, str(places_csv), str(corpus_dir) if corpus_dir else None, documents,
        name="geo-review",
    )  # fmt: skip


def _resolutions_apart(places_csv: str, corpus_dir: str | None, documents: list[Document]):
    gazetteer, _ = load_gazetteer(Path(places_csv), corpus_dir=corpus_dir and Path(corpus_dir))
    return mention_resolutions(Geoparser(gazetteer), documents)


def resolutions_for_place(resolutions: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """How a place was reached: each name that resolved to it, least confident first."""
    rows = resolutions[resolutions["place_id"] == place_id]
    return rows.sort_values(["margin", "doc_id"], kind="stable")


def needs_review(resolutions: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Names and the place they were given, least confident first: one row per (name, place) with
    the smallest margin over the documents, how many mentions, whether a correction placed it, and
    how many candidates it had."""
    columns = ["mention", "place_id", "place", "kind", "country_code", "margin", "n_mentions"]
    if resolutions.empty:
        return pd.DataFrame(columns=[*columns, "n_docs", "corrected", "n_candidates"])
    grouped = (
        resolutions.assign(name_lower=resolutions["key"])
        .groupby(["name_lower", "place_id"], sort=False)
        .agg(
            mention=("mention", "first"),
            margin=("margin", "min"),
            n_mentions=("n_mentions", "sum"),
            n_docs=("doc_id", "nunique"),
            corrected=("corrected", "any"),
            n_candidates=("alternatives", lambda found: max(len(a) for a in found)),
        )
        .reset_index()
    )
    info = places.set_index("place_id")
    grouped = grouped[grouped["place_id"].isin(info.index)]
    grouped["place"] = grouped["place_id"].map(info["name"])
    grouped["kind"] = grouped["place_id"].map(info["kind"])
    grouped["country_code"] = grouped["place_id"].map(info["country_code"])
    grouped = grouped.sort_values(["margin", "n_mentions"], ascending=[True, False], kind="stable")
    return grouped[[*columns, "n_docs", "corrected", "n_candidates"]].reset_index(drop=True)


def confidence_label(margin: float, corrected: bool = False, n_candidates: int = 1) -> str:
    """The margin in words: how far ahead of the runner-up the chosen place was. A name placed by
    a correction was not scored; with no runner-up, the other candidates were ruled out (or there
    are none)."""
    if corrected:
        return "set by a correction"
    if margin is None or (isinstance(margin, float) and math.isinf(margin)):
        return "the only plausible candidate" if n_candidates > 1 else "only candidate"
    if margin < LOW_MARGIN:
        return f"low (ahead by {margin:.1f})"
    if margin < 3.0:
        return f"medium (ahead by {margin:.1f})"
    return f"high (ahead by {margin:.1f})"


# --- corrections --------------------------------------------------------------------------------


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password file
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "place"


class CorrectionConflict(ValueError):
    """The name was corrected, or its correction undone, after the page the user acted on."""


def correction_stamp(correction: PlaceRecord | None) -> str:
    """What identifies the correction a user saw ("" for none): passed back with a change as
    `seen=`, so that a change someone else made meanwhile is refused instead of replaced."""
    if correction is None:
        return ""
    fields = (correction.corrected_at, correction.corrected_by, correction.place_id,
              correction.lat, correction.lon)  # fmt: skip
    return "|".join(map(str, fields))


def _one_writer(change):
    """Run a change of the places file as a read-modify-write holding the file's writer lock (so
    that a change another session or process made meanwhile is kept), refused with
    `CorrectionConflict` if the name's correction is no longer the one the user saw (`seen`)."""

    @functools.wraps(change)
    def locked(places_csv: Path, name: str, *args, seen: str | None = None, **kwargs):
        with writer_lock(places_csv):
            if seen is not None:
                doc_id = kwargs.get("doc_id", "")
                _check_unchanged(read_places(places_csv), name, seen, doc_id)
            return change(places_csv, name, *args, **kwargs)

    return locked


def _check_unchanged(records: list[PlaceRecord], name: str, seen: str, doc_id: str = "") -> None:
    now = _correction_for(records, name, doc_id)
    if correction_stamp(now) == seen:
        return
    if now is None:
        raise CorrectionConflict(
            f"The correction of {name!r} was undone meanwhile by someone else; nothing was "
            "changed. Reload to see the place as it is now."
        )
    to = f"to {now.name}" if now.is_place else "as not a place"
    raise CorrectionConflict(
        f"{name!r} was corrected meanwhile by {now.corrected_by or 'someone'} at "
        f"{now.corrected_at} ({to}); yours was not saved. Reload to see it, and undo it "
        "first to make another."
    )


def corrections(places_csv: Path) -> list[PlaceRecord]:
    """The rows of the places file that record a correction, newest first."""
    rows = [r for r in read_places(places_csv) if r.correction_of]
    return sorted(rows, key=lambda r: r.corrected_at, reverse=True)


def _correction_for(records: list[PlaceRecord], name: str, doc_id: str = "") -> PlaceRecord | None:
    """The correction of `name` everywhere (doc_id ""), or in the document `doc_id` only."""
    key = name_key(name)
    return next(
        (
            r
            for r in records
            if r.correction_of and name_key(r.correction_of) == key and r.doc_id == doc_id
        ),
        None,
    )


def _without_correction(
    records: list[PlaceRecord], name: str, doc_id: str = ""
) -> list[PlaceRecord]:
    """The records with the correction of `name` taken back (the row removed, or the alias it
    added to an existing curated row removed and its audit fields cleared)."""
    found = _correction_for(records, name, doc_id)
    if found is None:
        return records
    out = []
    for record in records:
        if record is not found:
            out.append(record)
        elif record.is_place and not record.note.startswith(CREATED_NOTE):
            aliases = tuple(a for a in record.aliases if name_key(a) != name_key(name))
            out.append(
                replace(
                    record,
                    aliases=aliases,
                    correction_of="",
                    previous="",
                    corrected_by="",
                    corrected_at="",
                )
            )
    return out


@_one_writer
def choose_candidate(
    places_csv: Path,
    name: str,
    chosen: PlaceRecord,
    previous_place_id: str,
    who: str | None = None,
) -> PlaceRecord:
    """Record that `name` denotes `chosen` (one of its gazetteer candidates) wherever it appears.

    The row written is the chosen place as a curated row, `name` among its aliases. A place that is
    already a curated row of the file gains the alias instead. Returns the row written."""
    records = _without_correction(read_places(places_csv), name)
    audit = {
        "correction_of": name,
        "previous": previous_place_id,
        "corrected_by": who or current_user(),
        "corrected_at": _now(),
    }

    def aliases_with(record: PlaceRecord) -> tuple[str, ...]:
        known = {name_key(a) for a in (record.name, *record.aliases)}
        return record.aliases if name_key(name) in known else (*record.aliases, name)

    for index, record in enumerate(records):
        if record.place_id == chosen.place_id and record.origin != "gazetteer":
            if record.correction_of:
                raise ValueError(
                    f"{record.name} already holds the correction of {record.correction_of!r}; "
                    "undo that one first"
                )
            written = replace(record, aliases=aliases_with(record), **audit)
            records[index] = written
            break
    else:
        written = replace(
            chosen,
            origin="curated",
            aliases=aliases_with(chosen),
            note=f"{CREATED_NOTE} {name!r} denotes this place ({chosen.source}).",
            **audit,
        )
        records = [r for r in records if r.place_id != chosen.place_id] + [written]
    write_places(records, places_csv)
    return written


@_one_writer
def enter_coordinates(
    places_csv: Path,
    name: str,
    lat: float,
    lon: float,
    kind: str,
    country_code: str,
    previous_place_id: str,
    who: str | None = None,
    population: int | None = None,
) -> PlaceRecord:
    """Record that `name` denotes a place at (lat, lon): a new curated row named `name`.

    `population` is that of the place the name denotes, when known (the dashboard passes the
    current place's when the kind is unchanged: the user moves the place, it stays as prominent),
    so that the resolver weighs the new row as it weighed the old place, plus the curated bonus."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("latitude must be within ±90 and longitude within ±180")
    if kind not in PLACE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(PLACE_KINDS)}")
    country_code = country_code.strip().upper()
    if country_code and not re.fullmatch(r"[A-Z]{2}", country_code):
        raise ValueError("country code must be two letters (ISO 3166-1 alpha-2), or empty")
    records = _without_correction(read_places(places_csv), name)
    taken = {r.place_id for r in records}
    place_id, n = f"curated:fix-{_slug(name)}", 1
    while place_id in taken:
        n += 1
        place_id = f"curated:fix-{_slug(name)}-{n}"
    who = who or current_user()
    written = PlaceRecord(
        place_id=place_id,
        name=name,
        kind=kind,
        country_code=country_code,
        lat=float(lat),
        lon=float(lon),
        source=f"coordinates entered by {who}",
        origin="curated",
        population=population or None,
        note=f"{CREATED_NOTE} Coordinates entered by hand.",
        correction_of=name,
        previous=previous_place_id,
        corrected_by=who,
        corrected_at=_now(),
    )
    write_places([*records, written], places_csv)
    return written


@_one_writer
def mark_not_a_place(
    places_csv: Path,
    name: str,
    previous_place_id: str,
    doc_id: str = "",
    who: str | None = None,
) -> PlaceRecord:
    """Record that `name` denotes no place: in the document `doc_id`, or everywhere ("").

    The row written has origin "not-a-place" and no coordinates; every build drops the name's
    mentions where the decision applies, so they make no claim and weigh as no context. It
    replaces any correction of `name` with the same reach (a place chosen for it everywhere)."""
    if not name_key(name):
        raise ValueError("the name is empty")
    records = _without_correction(read_places(places_csv), name, doc_id)
    taken = {r.place_id for r in records}
    stem = f"{NOT_A_PLACE}:{_slug(name)}" + (f"@{_slug(doc_id)}" if doc_id else "")
    place_id, n = stem, 1
    while place_id in taken:
        n += 1
        place_id = f"{stem}-{n}"
    where = f"in the document {doc_id!r}" if doc_id else "anywhere in the corpus"
    who = who or current_user()
    written = PlaceRecord(
        place_id=place_id,
        name=name,
        kind="",
        country_code="",
        lat=None,
        lon=None,
        source="",
        origin=NOT_A_PLACE,
        note=f"{CREATED_NOTE} {name!r} names no place {where}.",
        correction_of=name,
        previous=previous_place_id,
        corrected_by=who,
        corrected_at=_now(),
        doc_id=doc_id,
    )
    write_places([*records, written], places_csv)
    return written


@_one_writer
def undo_correction(places_csv: Path, name: str, doc_id: str = "") -> PlaceRecord | None:
    """Take back the correction of `name` (the one limited to `doc_id`, if given); returns the
    row that recorded it (None if none did)."""
    records = read_places(places_csv)
    found = _correction_for(records, name, doc_id)
    if found is not None:
        write_places(_without_correction(records, name, doc_id), places_csv)
    return found


def correction_holds(resolutions: pd.DataFrame, correction: PlaceRecord) -> bool:
    """Whether, after the rebuild, the corrected name resolves to the corrected place everywhere
    (for a name marked as not a place: to no place, where the decision applies)."""
    rows = resolutions[resolutions["key"] == name_key(correction.correction_of)]
    if not correction.is_place:
        if correction.doc_id:
            rows = rows[rows["doc_id"] == correction.doc_id]
        return rows.empty
    return bool(len(rows)) and bool((rows["place_id"] == correction.place_id).all())


def place_description(geoparser: Geoparser, place_id: str) -> str:
    """A place in words, "Two Rivers, Wisconsin (city, US, pop. 11,331)", for a note that would
    otherwise show its id; the id itself when the gazetteer no longer knows it."""
    g = geoparser.gazetteer
    i = g.by_id.get(place_id)
    if i is None:
        return place_id
    province = g.by_id.get(f"admin1:{g.admin1[i]}") if g.admin1[i] else None
    name = g.name[i] if province is None else f"{g.name[i]}, {g.name[province]}"
    facts = [v for v in (g.kind[i], g.country_code[i]) if v]
    if g.population[i]:
        facts.append(f"pop. {g.population[i]:,}")
    return f"{name} ({', '.join(facts)})" if facts else name


def candidate_record(geoparser: Geoparser, place_id: str) -> PlaceRecord:
    """The gazetteer's row for a candidate place (names and demonyms included)."""
    g = geoparser.gazetteer
    return g.record(g.by_id[place_id])
