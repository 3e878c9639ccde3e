"""What the whole document says about where it is: the places its other names could be.

A local paper writes "Paris", "Henry County" and "Whitlock" in one story: each name alone is
ambiguous, but only one Paris has a Henry County and a Whitlock around it. For every candidate of a
name, this counts the document's *other* names that have a candidate nearby (whatever their own
ambiguity), and the states or provinces the document names; the resolver weighs both.
"""

from __future__ import annotations

import math
from collections import defaultdict

from geo.places.gazetteer import Gazetteer
from geo.places.recognize import Mention
from geo.text.normalize import name_key

# Another name's place this close corroborates a candidate: a town and its neighbours or its
# county (a county's point is the middle of its towns).
NEAR_KM = 60.0
# The most populous candidates of a name that count as its possible places (a name such as
# "Washington" has hundreds; its small namesakes would corroborate anything).
_MAX_POINTS_PER_NAME = 40
_AREA_KINDS = ("admin1", "admin2", "country")


class DocumentPlaces:
    """The possible places of a document's names, for questions about one candidate."""

    def __init__(self, gazetteer: Gazetteer, mentions: list[Mention]):
        self.gazetteer = gazetteer
        g = gazetteer
        # (lat cell, lon cell) -> [(name key, lat, lon)]
        self._cells: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
        # admin1 code -> name keys of the mentions that may name that state or province
        self._provinces: dict[str, set[str]] = defaultdict(set)
        # admin1 code -> name keys of the mentions that may be a town or county in it
        self._held: dict[str, set[str]] = defaultdict(set)
        seen: set[str] = set()
        for mention in mentions:
            if mention.fuzzy or mention.mention_type != "toponym":
                continue
            # "Summit", "Economy": ordinary words have small namesakes near anything; and a
            # state's or country's name means the area, not the towns named after it
            # ("Wyoming" is not Wyoming, Illinois).
            supports = not mention.common_word and not any(
                c.match == "name" and g.kind[c.index] in ("admin1", "country")
                for c in mention.candidates
            )
            key = name_key(mention.text)
            if key in seen:
                continue
            seen.add(key)
            candidates = [c for c in mention.candidates if c.match in ("name", "article")]
            if len(candidates) > _MAX_POINTS_PER_NAME:
                candidates = sorted(candidates, key=lambda c: -g.population[c.index])
                candidates = candidates[:_MAX_POINTS_PER_NAME]
            for c in candidates:
                i = c.index
                if g.kind[i] == "admin1" and g.admin1[i] and not mention.common_word:
                    self._provinces[g.admin1[i]].add(key)
                if not supports or g.kind[i] in ("admin1", "country", "region"):
                    continue
                if g.admin1[i]:
                    self._held[g.admin1[i]].add(
                        key
                    )  # an area's point says little about what lies near it
                self._cells[_cell(g.lat[i], g.lon[i])].append((key, g.lat[i], g.lon[i]))
        self._near: dict[tuple[int, str], frozenset[str]] = {}

    def names_near(self, index: int, key: str) -> frozenset[str]:
        """The document's other names with a possible place within NEAR_KM of this place."""
        cached = self._near.get((index, key))
        if cached is not None:
            return cached
        g = self.gazetteer
        lat, lon = g.lat[index], g.lon[index]
        row, col = _cell(lat, lon)
        found = set()
        for d_row in (-1, 0, 1):
            for d_col in (-1, 0, 1):
                for other, o_lat, o_lon in self._cells.get((row + d_row, col + d_col), ()):
                    if other != key and other not in found:
                        if _approx_km(lat, lon, o_lat, o_lon) < NEAR_KM:
                            found.add(other)
        result = frozenset(found)
        self._near[(index, key)] = result
        return result

    def names_held(self, index: int, key: str) -> int:
        """For a state or province: how many of the document's other names may be in it."""
        admin1 = self.gazetteer.admin1[index]
        if not admin1:
            return 0
        return len(self._held.get(admin1, set()) - {key})

    def province_named_by_others(self, index: int, key: str) -> bool:
        """Whether another name of the document may be the state or province this place is in."""
        admin1 = self.gazetteer.admin1[index]
        if not admin1 or self.gazetteer.kind[index] in ("admin1", "country"):
            return False
        return any(other != key for other in self._provinces.get(admin1, ()))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat)), int(math.floor(lon))


def _approx_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))
