"""The claims of a build queried where they lie: DuckDB over claims.parquet, nothing loaded whole.

For corpora whose claims do not fit a process's memory (tens of millions of rows), the questions
the dashboard asks of the claims table are asked of the Parquet file instead: the filters (years on
a time axis, undated claims, sources, kinds of place, speakers, hedging, claims from reference
lists), the per-place counts, the number of documents, the timeline's counts and one page of one
place's claims. Each answer is what the in-memory functions of `geo.dashboard.filters` and
`geo.dashboard.timeline` give for the same table (tests/store/test_claims_query.py compares them).

DuckDB is embedded: no server, one in-memory database per `ClaimsQuery`, a cursor per question so
that Streamlit's threads can ask at once. The places table (small beside the claims) and the
speaker of each distinct attribution (named in Python by `geo.evidence.speakers`, once) are
registered beside the Parquet view.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from geo.evidence.speakers import NO_SPEAKER, speaker_names

SUMMARY_COLUMNS = ["place_id", "name", "kind", "country_code", "lat", "lon", "n_claims", "n_docs"]
AXES = ("claim", "stated", "published")
MEMORY_LIMIT = "1GB"


class Selection(Protocol):
    """What the user asked to see (`geo.dashboard.filters.ClaimFilter` has these fields)."""

    years: tuple[int, int] | None
    include_undated: bool
    sources: frozenset[str] | None
    kinds: frozenset[str] | None
    axis: str
    speakers: frozenset[str] | None
    hedging: frozenset[str] | None
    include_notes: bool


@dataclass(frozen=True)
class Everything:
    """No restriction: every claim."""

    years: tuple[int, int] | None = None
    include_undated: bool = True
    sources: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    axis: str = "claim"
    speakers: frozenset[str] | None = None
    hedging: frozenset[str] | None = None
    include_notes: bool = True


def _year(expression: str) -> str:
    """SQL: the year an ISO date starts with, NULL when it does not start with four digits."""
    return (
        f"CASE WHEN regexp_full_match(substr({expression}, 1, 4), '[0-9]{{4}}') "
        f"THEN CAST(substr({expression}, 1, 4) AS INTEGER) END"
    )


def _axis_date(axis: str) -> str:
    if axis == "published":
        return "coalesce(published, '')"
    if axis == "stated":
        return "CASE WHEN date_basis = 'stated' THEN coalesce(date, '') ELSE '' END"
    if axis == "claim":
        return "coalesce(date, '')"
    raise ValueError(f"unknown time axis {axis!r}; expected one of {', '.join(AXES)}")


def _first_last(axis: str) -> tuple[str, str]:
    """SQL for the first and last year each claim covers on `axis` (as timeline.axis_years)."""
    date = _axis_date(axis)
    first = _year(date)
    if axis == "published":
        return first, first
    end = f"CASE WHEN {date} <> '' THEN coalesce(date_end, '') ELSE '' END"
    return first, f"coalesce({_year(end)}, {first})"


class ClaimsQuery:
    def __init__(self, parquet: str | os.PathLike, places: pd.DataFrame):
        self.path = Path(parquet)
        # DuckDB's buffers may take 80% of the machine by default: the server is bounded instead
        # (past it, DuckDB spills to its temporary folder where it can, else the query fails).
        self._db = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
        literal = str(self.path).replace("'", "''")
        self._db.execute(f"CREATE VIEW claims AS SELECT * FROM read_parquet('{literal}')")
        self.places = places.reset_index(drop=True)
        self._table("places", self.places[["place_id", "kind"]])
        self._speakers_named = False
        self._lock = threading.Lock()
        self._whole: dict[tuple, object] = {}  # answers about the whole table, asked once

    def _name_speakers(self) -> None:
        """The speaker of each distinct attribution (named in Python), as a table: made when a
        filter by speaker first needs it (a scan of every claim's attribution)."""
        with self._lock:
            if self._speakers_named:
                return
            rows = self._db.execute("SELECT DISTINCT attribution FROM claims").fetchall()
            attributions = [a for (a,) in rows if a]
            names = speaker_names(attributions)
            speakers = pd.DataFrame(
                {
                    "attribution": attributions,
                    "speaker": [names.get(a) or NO_SPEAKER for a in attributions],
                }
            )
            self._table("speakers", speakers)
            self._speakers_named = True

    def _once(self, key: tuple, compute):
        """An answer about the whole table: the file does not change under a ClaimsQuery."""
        if key not in self._whole:
            self._whole[key] = compute()
        return self._whole[key]

    def _table(self, name: str, frame: pd.DataFrame) -> None:
        """A table of the database (a registered frame is seen by its own connection only, and
        each question has a cursor of its own)."""
        self._db.register("_frame", frame)
        self._db.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
        self._db.unregister("_frame")

    def close(self) -> None:
        self._db.close()

    def _ask(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        cursor = self._db.cursor()  # one per question: cursors may be used from several threads
        try:
            return cursor.execute(sql, parameters or []).df()
        finally:
            cursor.close()

    def _where(self, selection: Selection) -> tuple[str, list]:
        first, last = _first_last(selection.axis)
        clauses, parameters = [], []
        if selection.years is not None:
            low, high = selection.years
            clauses.append(f"(({first}) IS NULL OR (({first}) <= ? AND ({last}) >= ?))")
            parameters += [int(high), int(low)]
        if not selection.include_undated:
            clauses.append(f"({first}) IS NOT NULL")
        if selection.sources is not None:
            clauses.append("list_contains(?, source)")
            parameters.append(sorted(selection.sources))
        if selection.kinds is not None:
            clauses.append("place_id IN (SELECT place_id FROM places WHERE list_contains(?, kind))")
            parameters.append(sorted(selection.kinds))
        if selection.speakers is not None:
            self._name_speakers()
            clauses.append(
                "list_contains(?, coalesce((SELECT speaker FROM speakers s "
                f"WHERE s.attribution = claims.attribution), '{NO_SPEAKER}'))"
            )
            parameters.append(sorted(selection.speakers))
        if selection.hedging is not None:
            clauses.append("list_contains(?, coalesce(hedging, ''))")
            parameters.append(sorted(selection.hedging))
        if not selection.include_notes:
            clauses.append("coalesce(note, '') = ''")
        return (" AND ".join(clauses) or "TRUE"), parameters

    # -- what the sidebar asks of the whole table ------------------------------------------------

    def count(self, selection: Selection = Everything()) -> int:
        if selection == Everything():
            return self._once(("count",), lambda: self._count(selection))
        return self._count(selection)

    def _count(self, selection: Selection) -> int:
        where, parameters = self._where(selection)
        return int(self._ask(f"SELECT count(*) AS n FROM claims WHERE {where}", parameters)["n"][0])

    def year_bounds(self, axis: str = "claim") -> tuple[int, int] | None:
        return self._once(("year_bounds", axis), lambda: self._year_bounds(axis))

    def _year_bounds(self, axis: str) -> tuple[int, int] | None:
        first, last = _first_last(axis)
        row = self._ask(f"SELECT min({first}) AS low, max({last}) AS high FROM claims")
        low, high = row["low"][0], row["high"][0]
        return None if pd.isna(low) else (int(low), int(high))

    def count_undated(self, axis: str = "claim") -> int:
        first, _ = _first_last(axis)
        sql = f"SELECT count(*) AS n FROM claims WHERE ({first}) IS NULL"
        return self._once(("undated", axis), lambda: int(self._ask(sql)["n"][0]))

    def count_in_notes(self) -> int:
        sql = "SELECT count(*) AS n FROM claims WHERE coalesce(note, '') <> ''"
        return self._once(("notes",), lambda: int(self._ask(sql)["n"][0]))

    def sources_by_frequency(self) -> list[str]:
        """Every source, most claims first, ties by casefolded name."""
        return list(self._once(("sources",), self._sources_by_frequency))

    def _sources_by_frequency(self) -> tuple[str, ...]:
        counts = self._ask(
            "SELECT source, count(*) AS n FROM claims WHERE source IS NOT NULL GROUP BY source"
        )
        ranked = sorted(zip(counts["source"], counts["n"], strict=True),
                        key=lambda row: (-row[1], str(row[0]).casefold()))  # fmt: skip
        return tuple(source for source, _ in ranked)

    # -- what the map, the list and the timeline ask of the filtered claims ---------------------

    def summarise_places(self, selection: Selection = Everything()) -> pd.DataFrame:
        """One row per place with at least one claim that passes: its claim and document counts,
        most claims first, then by casefolded name, then in the places table's order."""
        where, parameters = self._where(selection)
        counts = self._ask(
            "SELECT place_id, count(*) AS n_claims, count(DISTINCT doc_id) AS n_docs "
            f"FROM claims WHERE {where} AND place_id IS NOT NULL GROUP BY place_id",
            parameters,
        )
        summary = self.places.merge(counts, on="place_id", how="inner", sort=False)
        if summary.empty:
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        summary = summary.assign(
            _name=summary["name"].str.casefold(),
            _order=self.places.reset_index()
            .set_index("place_id")
            .loc[summary["place_id"], "index"]
            .to_numpy(),
        )
        summary = summary.sort_values(
            ["n_claims", "_name", "_order"], ascending=[False, True, True], kind="stable"
        )
        summary["n_claims"] = summary["n_claims"].astype("int64")
        summary["n_docs"] = summary["n_docs"].astype("int64")
        return summary[SUMMARY_COLUMNS].reset_index(drop=True)

    def count_documents(self, selection: Selection = Everything()) -> int:
        where, parameters = self._where(selection)
        sql = f"SELECT count(DISTINCT doc_id) AS n FROM claims WHERE {where}"
        return int(self._ask(sql, parameters)["n"][0])

    def timeline_counts(self, selection: Selection = Everything()) -> pd.DataFrame:
        """Claims per year (of the start of their date on the selection's axis) and source."""
        return self.timeline_and_undated(selection)[0]

    def timeline_and_undated(self, selection: Selection = Everything()) -> tuple[pd.DataFrame, int]:
        """`timeline_counts`, and the claims that pass but have no date on the axis (one scan)."""
        where, parameters = self._where(selection)
        first, _ = _first_last(selection.axis)
        counts = self._ask(
            f"SELECT CAST({first} AS BIGINT) AS year, source, count(*) AS n FROM claims "
            f"WHERE {where} GROUP BY ALL ORDER BY year, source",
            parameters,
        )
        undated = int(counts.loc[counts["year"].isna(), "n"].sum())
        counts = counts[counts["year"].notna() & counts["source"].notna()].reset_index(drop=True)
        counts["year"] = counts["year"].astype("int64")
        counts["n"] = counts["n"].astype("int64")
        counts["year_end"] = counts["year"] + 1
        return counts[["year", "year_end", "source", "n"]], undated

    def claims_for_place(
        self, place_id: str, selection: Selection, page: int, per_page: int,
        total: int | None = None,
    ) -> tuple[pd.DataFrame, int, int]:  # fmt: skip
        """One page (1-based, clamped) of the place's claims that pass, in reading order: by date
        (undated last), document and offset; with the number of pages and of claims. `total`, when
        the caller knows it (the place's count in `summarise_places`), saves a scan."""
        where, parameters = self._where(selection)
        where = f"place_id = ? AND {where}"
        parameters = [place_id, *parameters]
        if total is None:
            sql = f"SELECT count(*) AS n FROM claims WHERE {where}"
            total = int(self._ask(sql, parameters)["n"][0])
        n_pages = max(1, -(-total // per_page))
        page = min(max(page, 1), n_pages)
        rows = self._ask(
            f"SELECT * FROM claims WHERE {where} "
            "ORDER BY coalesce(date, '') = '', date, doc_id, start LIMIT ? OFFSET ?",
            [*parameters, per_page, (page - 1) * per_page],
        )
        return rows, n_pages, total
