"""A view as URL query parameters and back: the filters and the selected place.

    ?axis=published&years=2015-2017&undated=0&source=Reuters&source=BBC&kind=city
     &speaker=Zamir+Kabulov&hedge=reported&hedge=plain&arcs=1&place=geonames:99072

`years` is the one time filter, drawn both on the year slider and as the timeline's brush. Links
made before the two were one may carry the brushed span as `span=`: it narrows `years`.

`view_from_params` never fails: a parameter it cannot use (malformed, or stale because the corpus
changed) is left out of the view and named in a notice, so a copied link always opens a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from geo.dashboard.filters import ClaimFilter
from geo.dashboard.timeline import AXES
from geo.evidence.hedging import HEDGING_LEVELS

PARAMS = (
    "axis", "years", "undated", "notes", "source", "kind", "speaker", "hedge", "arcs", "span",
    "place",
)  # fmt: skip
DEFAULT_AXIS = "claim"
PLAIN = "plain"  # the URL's word for a plain statement (hedging level "")
_YEARS = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")

Bounds = tuple[int, int]


@dataclass(frozen=True)
class View:
    """What a link restores: the filters (their years drawn on the slider and the timeline both),
    whether movement arcs are drawn and the selected place (None: nothing selected)."""

    selection: ClaimFilter = field(default_factory=ClaimFilter)
    place: str | None = None
    arcs: bool = False


def _years_text(years: Bounds) -> str:
    return f"{years[0]}" if years[0] == years[1] else f"{years[0]}-{years[1]}"


def params_from_view(view: View, year_bounds: Bounds | None = None) -> dict[str, str | list[str]]:
    """Query parameters for a view; filters left at "everything" (years spanning `year_bounds`,
    the bounds on the view's time axis, included) are left out of the URL."""
    params: dict[str, str | list[str]] = {}
    s = view.selection
    if s.axis != DEFAULT_AXIS:
        params["axis"] = s.axis
    if s.years is not None and tuple(s.years) != tuple(year_bounds or ()):
        params["years"] = _years_text(s.years)
    if not s.include_undated:
        params["undated"] = "0"
    if not s.include_notes:
        params["notes"] = "0"
    if s.sources:
        params["source"] = sorted(s.sources)
    if s.kinds:
        params["kind"] = sorted(s.kinds)
    if s.speakers:
        params["speaker"] = sorted(s.speakers)
    if s.hedging:
        params["hedge"] = sorted(level or PLAIN for level in s.hedging)
    if view.arcs:
        params["arcs"] = "1"
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
    year_bounds: Bounds | None | Mapping[str, Bounds | None],
    sources: Iterable[str],
    kinds: Iterable[str],
    place_ids: Iterable[str],
    speakers: Iterable[str] = (),
    hedging: Iterable[str] = (),
) -> tuple[View, list[str]]:
    """The view a link asks for, keeping only what this corpus has, and a notice per thing dropped.

    `year_bounds` is the first and last claim year, or a mapping from each time axis to its own
    (the years in a link are read on the link's axis); `speakers` and `hedging` are
    the speaker names and hedging levels ("" for plain statements) the corpus's claims have."""
    notices: list[str] = []
    unknown = sorted(set(params.keys()) - set(PARAMS))
    if unknown:
        notices.append(f"Ignored unknown link parameter(s): {', '.join(map(_shown, unknown))}.")

    axis = DEFAULT_AXIS
    raw_axis = _values(params, "axis")
    if raw_axis:
        asked = raw_axis[-1].strip().lower()
        if asked in AXES:
            axis = asked
        else:
            notices.append(f"Ignored axis={_shown(raw_axis[-1])}: expected {' or '.join(AXES)}.")
    bounds = year_bounds.get(axis) if isinstance(year_bounds, Mapping) else year_bounds

    def year_range(name: str, within: Bounds | None, what: str) -> Bounds | None:
        """The span of years parameter `name` asks for, narrowed to `within`, or None."""
        raw = _values(params, name)
        if not raw:
            return None
        match = _YEARS.fullmatch(raw[-1])
        if not match:
            notices.append(f"Ignored {name}={_shown(raw[-1])}: expected YYYY or YYYY-YYYY.")
            return None
        if within is None:
            notices.append(f"Ignored the {what} in the link: no claim in this corpus has a date.")
            return None
        low = int(match.group(1))
        high = int(match.group(2) or low)
        low, high = min(low, high), max(low, high)
        clamped = max(low, within[0]), min(high, within[1])
        if clamped[0] > clamped[1]:
            notices.append(
                f"Ignored {name}={_shown(raw[-1])}: the claims date from "
                f"{within[0]} to {within[1]}."
            )
            return None
        if clamped != (low, high):
            notices.append(
                f"{what.capitalize()} {low}–{high} narrowed to {clamped[0]}–{clamped[1]}, "
                "the years the claims cover."
            )
        return clamped

    years = year_range("years", bounds, "years")
    # An older link's timeline span narrowed its year filter: the two are one filter now.
    span = year_range("span", years or bounds, "timeline span")
    if span is not None:
        years = span
    if years is not None and bounds is not None and years == tuple(bounds):
        years = None

    def flag(name: str, default: bool) -> bool:
        raw = _values(params, name)
        if not raw:
            return default
        value = raw[-1].strip().lower()
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        notices.append(f"Ignored {name}={_shown(raw[-1])}: expected 0 or 1.")
        return default

    include_undated = flag("undated", True)
    include_notes = flag("notes", True)
    arcs = flag("arcs", False)

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
    chosen_speakers = known("speaker", speakers, "speaker(s)")

    # A hedging level is malformed when no claim could have it, stale when none in this corpus does.
    levels = [v.strip().lower() for v in _values(params, "hedge")]
    malformed = [v for v in levels if v != PLAIN and v not in HEDGING_LEVELS]
    if malformed:
        notices.append(
            f"Ignored hedge={', '.join(map(_shown, malformed[:5]))}: expected "
            f"{', '.join((*HEDGING_LEVELS, PLAIN))}."
        )
    present = {level or PLAIN for level in hedging}
    stale = [v for v in levels if v not in malformed and v not in present]
    if stale:
        notices.append(
            f"Ignored hedging level(s) not in this corpus: {', '.join(map(_shown, stale))}."
        )
    kept_levels = {"" if v == PLAIN else v for v in levels if v in present}
    chosen_hedging = frozenset(kept_levels) or None

    place = None
    raw_place = _values(params, "place")
    if raw_place:
        if raw_place[-1] in set(place_ids):
            place = raw_place[-1]
        else:
            notices.append(f"Ignored place={_shown(raw_place[-1])}: no such place in this corpus.")

    selection = ClaimFilter(
        years=years,
        include_undated=include_undated,
        include_notes=include_notes,
        sources=chosen_sources,
        kinds=chosen_kinds,
        axis=axis,
        speakers=chosen_speakers,
        hedging=chosen_hedging,
    )
    return View(selection, place, arcs=arcs), notices
