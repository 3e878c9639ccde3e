"""Pure selections over the claims table: by claim year, by source, by place kind; per-place counts.

The claim date is the date stated in the text, else the publication date (`date` in the claims table);
a claim with neither is "undated" and is kept or dropped as a whole by `include_undated`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.frame_memo import per_frame
from geo.speakers import NO_SPEAKER, speaker_names
from geo.timeline import axis_years, in_years

SUMMARY_COLUMNS = ["place_id", "name", "kind", "country_code", "lat", "lon", "n_claims", "n_docs"]


def claim_years(claims: pd.DataFrame, axis: str = "claim") -> pd.Series:
    """The year of each claim's date on `axis` (see geo.timeline.AXES) as a nullable integer
    (<NA> when the claim is undated there)."""
    return axis_years(claims, axis)[0]


def year_bounds(claims: pd.DataFrame, axis: str = "claim") -> tuple[int, int] | None:
    """The first and last claim year present on `axis`, or None when no claim is dated there."""
    first, last = axis_years(claims, axis)
    if first.dropna().empty:
        return None
    return int(first.min()), int(last.max())


def count_undated(claims: pd.DataFrame, axis: str = "claim") -> int:
    return int(claim_years(claims, axis).isna().sum())


def count_in_notes(claims: pd.DataFrame) -> int:
    """Claims read from a reference list (what cited pieces say) rather than a document's text."""
    return int((claims["note"].fillna("").astype(str) != "").sum())


def sources_by_frequency(claims: pd.DataFrame) -> list[str]:
    """Every source, most claims first, ties by name."""
    counts = claims["source"].value_counts()
    return sorted(counts.index, key=lambda s: (-counts[s], str(s).casefold()))


@dataclass(frozen=True)
class ClaimFilter:
    """What the user asked to see. None means "no restriction" for every field but include_undated."""

    years: tuple[int, int] | None = None
    include_undated: bool = True
    sources: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    axis: str = "claim"  # which date the years apply to: a key of geo.timeline.AXES
    speakers: frozenset[str] | None = None  # names from geo.speakers; NO_SPEAKER for unattributed
    hedging: frozenset[str] | None = None  # levels from geo.hedging; "" for plain statements
    include_notes: bool = True  # claims read from a document's reference list (the "note" column)


def filter_claims(
    claims: pd.DataFrame, places: pd.DataFrame, selection: ClaimFilter
) -> pd.DataFrame:
    """The claims that pass every part of `selection`, in their original order."""
    keep = pd.Series(True, index=claims.index)
    undated = claim_years(claims, selection.axis).isna()
    if selection.years is not None:
        # A range of years ("between 2014 and 2015") passes when it overlaps the selection.
        keep &= in_years(claims, selection.axis, *selection.years) | undated
    if not selection.include_undated:
        keep &= ~undated
    if selection.sources is not None:
        keep &= claims["source"].isin(selection.sources)
    if selection.kinds is not None:
        wanted = places.loc[places["kind"].isin(selection.kinds), "place_id"]
        keep &= claims["place_id"].isin(wanted)
    if selection.speakers is not None:
        keep &= claim_speakers(claims).isin(selection.speakers)
    if selection.hedging is not None:
        keep &= claims["hedging"].fillna("").isin(selection.hedging)
    if not selection.include_notes:
        keep &= claims["note"].fillna("").astype(str) == ""
    return claims[keep]


@per_frame  # over the whole corpus, on every rerun of the dashboard otherwise
def claim_speakers(claims: pd.DataFrame) -> pd.Series:
    """Who each claim is attributed to, one name per speaker (geo.speakers), else NO_SPEAKER."""
    attribution = claims["attribution"].fillna("")
    names = speaker_names(attribution)
    return attribution.map(lambda a: names.get(a) or NO_SPEAKER)


def summarise_places(places: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """One row per place that has at least one of `claims`: its claim and document counts.

    Sorted by number of claims (most first), then name, so the busiest places lead any list.
    """
    if claims.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    counts = (
        claims.groupby("place_id")
        .agg(n_claims=("claim_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    summary = places.merge(counts, on="place_id", how="inner")
    summary = summary.assign(_name=summary["name"].str.casefold())
    summary = summary.sort_values(["n_claims", "_name"], ascending=[False, True], kind="stable")
    return summary[SUMMARY_COLUMNS].reset_index(drop=True)


def claims_for_place(claims: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """The claims about one place in reading order: by date (undated last), then document, offset."""
    rows = claims[claims["place_id"] == place_id]
    # Sorting on the ISO string keeps "2016" before "2016-03" before "2016-03-01": coarse dates
    # sort ahead of the finer dates inside them.
    return (
        rows.assign(_undated=rows["date"].eq("") | rows["date"].isna())
        .sort_values(["_undated", "date", "doc_id", "start"], kind="stable")
        .drop(columns="_undated")
    )


def page_of(frame: pd.DataFrame, page: int, per_page: int) -> tuple[pd.DataFrame, int]:
    """Rows of the 1-based `page` (clamped to the valid range) and the number of pages."""
    n_pages = max(1, -(-len(frame) // per_page))
    page = min(max(page, 1), n_pages)
    return frame.iloc[(page - 1) * per_page : page * per_page], n_pages
