"""The claims of a build queried where they lie: DuckDB over claims.parquet, nothing loaded whole.

For corpora whose claims do not fit a process's memory (tens of millions of rows), the questions
the dashboard asks of the claims table are asked of the Parquet file instead: the filters (years on
a time axis, undated claims, sources, kinds of place, speakers, hedging, claims from reference
lists), the per-place counts, the number of documents, the timeline's counts and one page of one
place's claims. Each answer is what the in-memory functions of `geo.dashboard.filters` and
`geo.dashboard.timeline` give for the same table (tests/store/test_claims_query.py compares them).

When the build's claims index (`geo.store.claims_index`) matches claims.parquet, the questions
are asked of it instead: the whole table's answers and any selection by sources or kinds of place
come from its counts, other filters scan its place-sorted copy (integer years, numbered
documents), and a place's page is read from the row groups that hold it. Without an index (or with
a stale one) every question scans claims.parquet; the answers are the same.

DuckDB is embedded: no server, one in-memory database per `ClaimsQuery`, a cursor per question so
that Streamlit's threads can ask at once. The places table (small beside the claims) and the
speaker of each distinct attribution (named in Python by `geo.evidence.speakers`, once) are
registered beside the Parquet view.
"""

from __future__ import annotations

import bisect
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from geo.evidence.speakers import NO_SPEAKER, speaker_names
from geo.store.claims_index import (
    BY_PLACE,
    PLACE_SOURCES,
    PLACE_TOTALS,
    READING_ORDER,
    SOURCES,
    TIMELINE,
    ClaimsIndex,
    first_last_columns,
    first_last_sql,
    open_claims_index,
    sql_literal,
)
from geo.store.schema import CLAIM_COLUMNS

SUMMARY_COLUMNS = ["place_id", "name", "kind", "country_code", "lat", "lon", "n_claims", "n_docs"]
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


class ClaimsQuery:
    def __init__(self, parquet: str | os.PathLike, places: pd.DataFrame, use_index: bool = True):
        self.path = Path(parquet)
        # The build's claims index (geo.store.claims_index) when it matches the file: the claims
        # sorted by place with integer years, and the whole table's answers written at build time.
        self.index: ClaimsIndex | None = open_claims_index(self.path) if use_index else None
        # DuckDB's buffers may take 80% of the machine by default: the server is bounded instead
        # (past it, DuckDB spills to its temporary folder where it can, else the query fails).
        self._db = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
        source = self.path if self.index is None else self.index.path(BY_PLACE)
        self._db.execute(f"CREATE VIEW claims AS SELECT * FROM read_parquet({sql_literal(source)})")
        self.places = places.reset_index(drop=True)
        self._table("places", self.places[["place_id", "kind"]])
        self._place_totals = False
        if self.index is not None:
            # Small tables the sidebar reads on every run are loaded; the per-(place, source)
            # counts, which grow with the sources, and the per-place totals are read from their
            # files when a question needs them (the opening page reads the totals only).
            for name, kind in ((SOURCES, "TABLE"), (TIMELINE, "TABLE"), (PLACE_SOURCES, "VIEW")):
                path = sql_literal(self.index.path(name))
                self._db.execute(f"CREATE {kind} {name.split('.')[0]} AS FROM read_parquet({path})")
            totals = self.index.path(PLACE_TOTALS)
            self._place_totals = totals.is_file()  # an older index has none: place_sources
            if self._place_totals:
                self._db.execute(
                    f"CREATE VIEW place_totals AS FROM read_parquet({sql_literal(totals)})"
                )
            self._by_place = pq.ParquetFile(self.index.path(BY_PLACE)).metadata  # read once
            self._row_groups = _row_group_starts(self._by_place)
        self._speakers_named = False
        self._lock = threading.Lock()
        self._whole: dict[tuple, object] = {}  # answers about the whole table, asked once

    def _first_last(self, axis: str) -> tuple[str, str]:
        """SQL for the first and last year each claim covers on `axis`: the index's columns."""
        return first_last_sql(axis) if self.index is None else first_last_columns(axis)

    def _doc(self) -> str:
        return "doc_id" if self.index is None else "_doc"  # the index numbers the documents

    def _by_rollup(self, selection: Selection, kinds: bool = True) -> bool:
        """Whether the index's per-source tables answer `selection` exactly: it restricts sources
        (and, when `kinds`, kinds of place) only, and each document's claims are of one source."""
        return (
            self.index is not None
            and bool(self.index.facts.get("source_per_document"))
            and selection.years is None
            and selection.include_undated
            and selection.include_notes
            and selection.speakers is None
            and selection.hedging is None
            and (kinds or selection.kinds is None)
        )

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
        first, last = self._first_last(selection.axis)
        clauses, parameters = [], []
        if selection.years is not None:
            low, high = selection.years
            clauses.append(f"(({first}) IS NULL OR (({first}) <= ? AND ({last}) >= ?))")
            parameters += [int(high), int(low)]
        if not selection.include_undated:
            clauses.append(f"({first}) IS NOT NULL")
        clauses_of_rollup, rollup_parameters = self._where_sources_kinds(selection)
        clauses += clauses_of_rollup
        parameters += rollup_parameters
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

    @staticmethod
    def _where_sources_kinds(selection: Selection) -> tuple[list[str], list]:
        """The clauses on sources and kinds of place (asked of the claims or of the index's
        per-source tables alike)."""
        clauses, parameters = [], []
        if selection.sources is not None:
            clauses.append("list_contains(?, source)")
            parameters.append(sorted(selection.sources))
        if selection.kinds is not None:
            clauses.append("place_id IN (SELECT place_id FROM places WHERE list_contains(?, kind))")
            parameters.append(sorted(selection.kinds))
        return clauses, parameters

    @classmethod
    def _where_in_rollup(cls, selection: Selection) -> tuple[str, list]:
        """`_where_sources_kinds` as one condition, for the index's per-source tables."""
        clauses, parameters = cls._where_sources_kinds(selection)
        return (" AND ".join(clauses) or "TRUE"), parameters

    # -- what the sidebar asks of the whole table ------------------------------------------------

    def count(self, selection: Selection = Everything()) -> int:
        if selection == Everything():
            if self.index is not None:
                return int(self.index.facts["claims"])
            return self._once(("count",), lambda: self._count(selection))
        return self._count(selection)

    def _count(self, selection: Selection) -> int:
        where, parameters = self._where(selection)
        return int(self._ask(f"SELECT count(*) AS n FROM claims WHERE {where}", parameters)["n"][0])

    def year_bounds(self, axis: str = "claim") -> tuple[int, int] | None:
        if self.index is not None:
            self._first_last(axis)  # an unknown axis is an error, as without the index
            bounds = self.index.facts["year_bounds"][axis]
            return None if bounds is None else (int(bounds[0]), int(bounds[1]))
        return self._once(("year_bounds", axis), lambda: self._year_bounds(axis))

    def _year_bounds(self, axis: str) -> tuple[int, int] | None:
        first, last = self._first_last(axis)
        row = self._ask(f"SELECT min({first}) AS low, max({last}) AS high FROM claims")
        low, high = row["low"][0], row["high"][0]
        return None if pd.isna(low) else (int(low), int(high))

    def count_undated(self, axis: str = "claim") -> int:
        first, _ = self._first_last(axis)
        if self.index is not None:
            sql = "SELECT coalesce(sum(n), 0) AS n FROM timeline WHERE axis = ? AND year IS NULL"
            return self._once(("undated", axis), lambda: int(self._ask(sql, [axis])["n"][0]))
        sql = f"SELECT count(*) AS n FROM claims WHERE ({first}) IS NULL"
        return self._once(("undated", axis), lambda: int(self._ask(sql)["n"][0]))

    def count_in_notes(self) -> int:
        if self.index is not None:
            sql = "SELECT coalesce(sum(n_notes), 0) AS n FROM sources"
        else:
            sql = "SELECT count(*) AS n FROM claims WHERE coalesce(note, '') <> ''"
        return self._once(("notes",), lambda: int(self._ask(sql)["n"][0]))

    def sources_by_frequency(self) -> list[str]:
        """Every source, most claims first, ties by casefolded name."""
        return list(self._once(("sources",), self._sources_by_frequency))

    def _sources_by_frequency(self) -> tuple[str, ...]:
        if self.index is not None:
            sql = "SELECT source, n_claims AS n FROM sources WHERE source IS NOT NULL"
        else:
            sql = (
                "SELECT source, count(*) AS n FROM claims WHERE source IS NOT NULL GROUP BY source"
            )
        counts = self._ask(sql)
        ranked = sorted(zip(counts["source"], counts["n"], strict=True),
                        key=lambda row: (-row[1], str(row[0]).casefold()))  # fmt: skip
        return tuple(source for source, _ in ranked)

    # -- what the map, the list and the timeline ask of the filtered claims ---------------------

    def summarise_places(self, selection: Selection = Everything()) -> pd.DataFrame:
        """One row per place with at least one claim that passes: its claim and document counts,
        most claims first, then by casefolded name, then in the places table's order."""
        if self._place_totals and selection.sources is None and self._by_rollup(selection):
            # every source: one row per place, counted at build time
            where, parameters = self._where_in_rollup(selection)
            counts = self._ask(
                f"SELECT place_id, n_claims, n_docs FROM place_totals WHERE {where}", parameters
            )
        elif self._by_rollup(selection):
            where, parameters = self._where_in_rollup(selection)
            counts = self._ask(
                "SELECT place_id, sum(n_claims) AS n_claims, sum(n_docs) AS n_docs "
                f"FROM place_sources WHERE {where} GROUP BY place_id",
                parameters,
            )
        else:
            where, parameters = self._where(selection)
            counts = self._ask(
                f"SELECT place_id, count(*) AS n_claims, count(DISTINCT {self._doc()}) AS n_docs "
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
        if self._by_rollup(selection, kinds=False):
            if selection.sources is None:
                return int(self.index.facts["documents"])
            where, parameters = self._where_in_rollup(selection)
            sql = f"SELECT coalesce(sum(n_docs), 0) AS n FROM sources WHERE {where}"
            return int(self._ask(sql, parameters)["n"][0])
        where, parameters = self._where(selection)
        sql = f"SELECT count(DISTINCT {self._doc()}) AS n FROM claims WHERE {where}"
        return int(self._ask(sql, parameters)["n"][0])

    def timeline_counts(self, selection: Selection = Everything()) -> pd.DataFrame:
        """Claims per year (of the start of their date on the selection's axis) and source."""
        return self.timeline_and_undated(selection)[0]

    def timeline_and_undated(self, selection: Selection = Everything()) -> tuple[pd.DataFrame, int]:
        """`timeline_counts`, and the claims that pass but have no date on the axis (one scan)."""
        first, _ = self._first_last(selection.axis)
        if self._by_rollup(selection, kinds=False):
            where, parameters = self._where_in_rollup(selection)
            counts = self._ask(
                "SELECT year, source, sum(n) AS n FROM timeline "
                f"WHERE axis = ? AND {where} "
                "GROUP BY ALL ORDER BY year, source",
                [selection.axis, *parameters],
            )
        else:
            where, parameters = self._where(selection)
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
        if self.index is not None:
            return self._page_from_index(where, parameters, page, per_page), n_pages, total
        rows = self._ask(
            f"SELECT * FROM claims WHERE {where} ORDER BY {READING_ORDER} LIMIT ? OFFSET ?",
            [*parameters, per_page, (page - 1) * per_page],
        )
        return rows, n_pages, total

    def _page_from_index(self, where: str, parameters: list, page: int, per_page: int):
        """The index holds a place's claims together, in reading order: the page's row numbers
        come from the filter's few columns (row groups of other places skipped by their place_id
        statistics), then its rows are read from the one or two row groups that hold them."""
        path = sql_literal(self.index.path(BY_PLACE))
        numbers = self._ask(
            f"SELECT file_row_number AS r FROM read_parquet({path}, file_row_number = true) "
            f"claims WHERE {where} ORDER BY r LIMIT ? OFFSET ?",
            [*parameters, per_page, (page - 1) * per_page],
        )["r"].to_numpy()
        if len(numbers) == 0:
            return pd.DataFrame(columns=CLAIM_COLUMNS)
        starts = self._row_groups  # the first row of each row group, then the rows in all
        group_of = {int(n): bisect.bisect_right(starts, int(n)) - 1 for n in numbers}
        groups = sorted(set(group_of.values()))
        by_place = pq.ParquetFile(self.index.path(BY_PLACE), metadata=self._by_place)
        table = by_place.read_row_groups(groups, columns=CLAIM_COLUMNS)
        read_before, position = {}, 0  # the rows read from the groups before each one
        for group in groups:
            read_before[group] = position
            position += starts[group + 1] - starts[group]
        at = [read_before[g] + n - starts[g] for n, g in group_of.items()]
        return table.take(at).to_pandas()


def _row_group_starts(metadata: pq.FileMetaData) -> list[int]:
    """The first row of each row group of a Parquet file, then its number of rows."""
    starts = [0]
    for group in range(metadata.num_row_groups):
        starts.append(starts[-1] + metadata.row_group(group).num_rows)
    return starts
