"""A view as URL query parameters and back: the filters and the selected place.

    ?years=2015-2017&undated=0&source=Reuters&source=BBC&kind=city&place=geonames:99072

`view_from_params` never fails: a parameter it cannot use (malformed, or stale because the corpus
changed) is left out of the view and named in a notice, so a copied link always opens a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from geo.filters import ClaimFilter

PARAMS = ("years", "undated", "source", "kind", "place")
_YEARS = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")


@dataclass(frozen=True)
class View:
    """What a link restores: the filters and the selected place (None: nothing selected)."""

    selection: ClaimFilter = field(default_factory=ClaimFilter)
    place: str | None = None


def params_from_view(
    view: View, year_bounds: tuple[int, int] | None = None
) -> dict[str, str | list[str]]:
    """Query parameters for a view; filters left at "everything" (years spanning `year_bounds`
    included) are left out of the URL."""
    params: dict[str, str | list[str]] = {}
    s = view.selection
    if s.years is not None and tuple(s.years) != tuple(year_bounds or ()):
        params["years"] = f"{s.years[0]}-{s.years[1]}"
    if not s.include_undated:
        params["undated"] = "0"
    if s.sources:
        params["source"] = sorted(s.sources)
    if s.kinds:
        params["kind"] = sorted(s.kinds)
    if view.place:
        params["place"] = view.place
    return params


def _values(params: Mapping[str, object], name: str) -> list[str]:
    """Every value of a parameter, whether the mapping holds one string or a list of them."""
    if hasattr(params, "get_all"):  # st.query_params
        return [str(v) for v in params.get_all(name)]
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _shown(value: str, limit: int = 60) -> str:
    """A parameter value quoted for a notice, cut short: the URL is anyone's text."""
    value = value if len(value) <= limit else value[:limit] + "…"
    return repr(value)


def view_from_params(
    params: Mapping[str, object],
    year_bounds: tuple[int, int] | None,
    sources: Iterable[str],
    kinds: Iterable[str],
    place_ids: Iterable[str],
) -> tuple[View, list[str]]:
    """The view a link asks for, keeping only what this corpus has, and a notice per thing dropped."""
    notices: list[str] = []
    unknown = sorted(set(params.keys()) - set(PARAMS))
    if unknown:
        notices.append(f"Ignored unknown link parameter(s): {', '.join(map(_shown, unknown))}.")

    years = None
    raw_years = _values(params, "years")
    if raw_years:
        match = _YEARS.fullmatch(raw_years[-1])
        if not match:
            notices.append(f"Ignored years={_shown(raw_years[-1])}: expected YYYY or YYYY-YYYY.")
        elif year_bounds is None:
            notices.append("Ignored the years in the link: no claim in this corpus has a date.")
        else:
            low = int(match.group(1))
            high = int(match.group(2) or low)
            low, high = min(low, high), max(low, high)
            clamped = max(low, year_bounds[0]), min(high, year_bounds[1])
            if clamped[0] > clamped[1]:
                notices.append(
                    f"Ignored years={_shown(raw_years[-1])}: the claims date from "
                    f"{year_bounds[0]} to {year_bounds[1]}."
                )
            else:
                if clamped != (low, high):
                    notices.append(
                        f"Years {low}–{high} narrowed to {clamped[0]}–{clamped[1]}, "
                        "the years the claims cover."
                    )
                years = clamped if clamped != tuple(year_bounds) else None

    include_undated = True
    raw_undated = _values(params, "undated")
    if raw_undated:
        flag = raw_undated[-1].strip().lower()
        if flag in ("0", "false", "no"):
            include_undated = False
        elif flag not in ("1", "true", "yes"):
            notices.append(f"Ignored undated={_shown(raw_undated[-1])}: expected 0 or 1.")

    def known(name: str, allowed: Iterable[str], label: str) -> frozenset[str] | None:
        allowed = set(allowed)
        asked = _values(params, name)
        kept = [v for v in asked if v in allowed]
        dropped = [v for v in asked if v not in allowed]
        if dropped:
            notices.append(
                f"Ignored {label} not in this corpus: {', '.join(map(_shown, dropped[:5]))}"
                + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "")
                + "."
            )
        return frozenset(kept) or None

    chosen_sources = known("source", sources, "source(s)")
    chosen_kinds = known("kind", kinds, "kind(s) of place")

    place = None
    raw_place = _values(params, "place")
    if raw_place:
        if raw_place[-1] in set(place_ids):
            place = raw_place[-1]
        else:
            notices.append(f"Ignored place={_shown(raw_place[-1])}: no such place in this corpus.")

    selection = ClaimFilter(
        years=years, include_undated=include_undated, sources=chosen_sources, kinds=chosen_kinds
    )
    return View(selection, place), notices
