"""Choose the place each mention denotes, using the whole document as context.

Scores combine what a reader would weigh: the kind of place (a country name usually means the
country), its prominence (population), whether its country is named elsewhere in the document
(Trinidad in an article about Trinidad and Tobago), a cue word ("Kermanshah province") and how
exactly the name matched. One name keeps one sense within a document.

The document's other names corroborate a town or county (`DocumentPlaces`): one of them within
60 km, or its state named, makes even a small namesake plausible, and two or more within 60 km
weigh for it by the learned weight of `resolver_weights.json` (Paris with Henry County and Puryear
is Paris, Tennessee).

A town written with its state or county ("Canaan, Vermont") is in it: when the gazetteer knows no
place of that name there, the mention is placed at the state or county rather than at a small
namesake elsewhere.

A dateline ("GAINESVILLE, Fla. —", "WASHINGTON (Reuters) -") names the town the story was written
in, for a local paper its own: the name there is a town (not Malta the country), and the places of
the story's other names in its state or near it weigh by learned weights (`document_features`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.places.document_places import DocumentPlaces
from geo.places.gazetteer import Candidate, Gazetteer
from geo.places.recognize import Mention
from geo.places.resolver_model import DEFAULT_MODEL, ResolverModel, default_model
from geo.text.dateline import datelines
from geo.text.normalize import key_tokens, name_key

_KIND_PRIOR = {
    "country": 6.0,
    "region": 3.0,
    "admin1": 2.0,
    "landmark": 2.5,
    "admin2": 1.0,
    "city": 0.0,
}
_MATCH_PENALTY = {
    "name": 0.0,
    "demonym": 0.0,
    "alias": 0.5,
    "article": 0.3,
    "article-alias": 1.0,
    "skeleton": 1.5,
}
# What a name written after a town ("Tacoma, Washington") can be: the areas that hold towns.
_AREA_KINDS = ("admin1", "admin2", "country")
# The kinds of place that the document's confident places pull towards them.
_ANCHORED_KINDS = ("city", "landmark", "admin1", "admin2")
# The kinds of place that the document's other names corroborate (DocumentPlaces).
_CORROBORATED_KINDS = ("city", "landmark", "admin2")
_DOCUMENT_FEATURES = (
    "names_nearby=1",
    "names_nearby=2+",
    "in_a_province_the_document_names",
    "in_the_dateline_province",
    "near_the_dateline",
    "holds_the_dateline",
    "province_of_the_named_country",
)
# What a dateline's name is: the town the story was filed from (or its county: "BUTLER COUNTY —").
_DATELINE_KINDS = ("city", "landmark", "admin2")
# A place this close to the dateline's town is in its neighbourhood (DocumentPlaces' distance).
_DATELINE_NEAR_KM = 60.0
# A story that names this many countries is world news (a feature of the learned model).
_WORLD_NEWS_COUNTRIES = 3
_CONTEXT_BONUS = 3.0
# A town named after a province elsewhere in its country yields to the province, unless it is a
# capital or far bigger (Washington, D.C. against the state of Washington).
_NAMESAKE_TOWN_PENALTY = 1.5
_ADMIN_CUE_BONUS = 3.5
_CURATED_BONUS = 3.0
_CAPITAL_BONUS = 1.0
_CONTAINER_BONUS = 4.0
_HOLDS_THE_PLACES_BONUS = 0.75
# Names listed together are places of one kind: "California or Washington" are states.
_LIST_KIND_BONUS = 3.0
_KIND_CLASS = {
    "country": "country",
    "admin1": "area",
    "admin2": "area",
    "city": "town",
    "landmark": "town",
    "region": "region",
}
# A name written with a capital inside a word ("LaFayette", "DeKalb") is spelled as its town spells
# itself: the namesake written that way (LaFayette, Georgia) is meant over "Lafayette, Louisiana".
_OWN_SPELLING_BONUS = 1.5
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
# A common English word is a place only for prominent places or with its country in context.
_COMMON_WORD_MIN_POPULATION = 1_000_000
_COMMON_WORD_CONTEXT_MIN_POPULATION = 100_000
# ... or a city this big when the document never uses the word in lower case (Boston, Seattle).
_NAME_ONLY_MIN_POPULATION = 300_000
_DOMINANT_FACTOR = 10  # a province "dwarfs" another of its name at ten times its population
# Alternate names of small places are noisy; a town's own name needs less corroboration.
_ALIAS_MIN_POPULATION = 500_000
_ALIAS_CONTEXT_MIN_POPULATION = 20_000
_NAME_MIN_POPULATION = 15_000
_ARTICLE_ALIAS_MIN_POPULATION = 100_000
# A word English readers know (a name, an adjective) is a small town's name only by accident.
_KNOWN_WORD_ZIPF = 3.0
_KNOWN_WORD_MAX_POPULATION = 100_000
# A town written with a province or county that holds no place of its name ("Rockingham,
# Northamptonshire") is a village the gazetteer lacks, unless a namesake elsewhere is this big
# (then "Kiev, Georgia" is more likely a list than a pair).
_SMALL_NAMESAKE_POPULATION = 100_000


@dataclass(frozen=True)
class ResolvedMention:
    mention: Mention
    index: int  # gazetteer index of the chosen place
    score: float
    margin: float  # score gap to the runner-up (inf when there was no other candidate)


def _city_prior(population: int) -> float:
    return 0.6 * math.log10(population + 1)


_VOUCHED_CACHE_LIMIT = 200_000  # distinct names remembered by `Resolver._vouched`; then forgotten


class Resolver:
    def __init__(self, gazetteer: Gazetteer, model: ResolverModel | None = DEFAULT_MODEL):
        self.gazetteer = gazetteer
        # Whether `features` carries the hand score as one feature (the learned model's prior).
        self.with_hand_score = True
        # Learned weights over `features` (src/geo/data/resolver_weights.json); None: the hand
        # weights of `hand_score`.
        self.model = default_model() if model is DEFAULT_MODEL else model
        self._residual_only = (
            self.model is not None
            and "hand_score" in self.model.weights
            and (set(self.model.weights) <= {"hand_score", *_DOCUMENT_FEATURES})
        )
        # Per resolve() call: the countries named and the anchors of the last pass, for training.
        self.last_context: set[str] = set()
        self.last_anchors: Anchors | None = None
        self._largest: dict[int, tuple[Mention, float]] = {}
        # Per context_countries() call: country code -> the names that put it in the document.
        self._vouchers: dict[str, set[str]] = {}
        self._others: dict[int, tuple] = {}
        # Per resolve() call: id(mention) -> the kind of place the rest of its list is.
        self._list_kinds: dict[int, str] = {}
        self._within: dict[int, tuple[str, str]] = {}  # per resolve() call: id(mention) -> area
        # Per resolve() call: id(mention) -> the province or county written after it, when no
        # place of the mention's name lies there (the gazetteer does not know the village).
        self._area_of: dict[int, int] = {}
        # Per resolve() call: ids of mentions written after a town as its province or country.
        self._containers: set[int] = set()
        # Per resolve() call: id(mention) -> (mention, the provinces its name names).
        self._named_provinces: dict[int, tuple[Mention, tuple]] = {}
        # The admin1 codes of the provinces of 1M people or more among those (any call).
        self._populous_provinces: set[str] = set()
        # Per resolve() call: the possible places of all the document's names.
        self._document: DocumentPlaces | None = None
        # Per resolve() call: the name key of the dateline's town, the (admin1, country) of its
        # state or province and its point (None: no dateline, or not known).
        self._dateline_key: str | None = None
        self._dateline_area: tuple[str, str] | None = None
        self._dateline_point: tuple[float, float] | None = None
        # Across documents: what a name vouches for (`_vouched`), worked out once per name.
        self._vouched_cache: dict[tuple, frozenset[str]] = {}

    def context_countries(self, mentions: list[Mention]) -> set[str]:
        """Countries the document names outright, by name or demonym, or through unambiguous places."""
        countries: set[str] = set()
        self._vouchers = {}
        for mention in mentions:
            if mention.fuzzy:
                continue
            vouched = self._vouched(mention)
            countries |= vouched
            for code in vouched:
                self._vouchers.setdefault(code, set()).add(name_key(mention.text))
        countries.discard("")
        return countries

    def _vouched(self, mention: Mention) -> frozenset[str]:
        """The countries a (not fuzzy) mention puts in its document: a pure function of its text,
        kind, common-word flag and candidates, so remembered per name across documents."""
        key = (mention.text, mention.mention_type, mention.common_word, tuple(mention.candidates))
        found = self._vouched_cache.get(key)
        if found is None:
            if len(self._vouched_cache) >= _VOUCHED_CACHE_LIMIT:
                self._vouched_cache.clear()
            found = self._vouched_cache[key] = frozenset(self._vouched_by(mention))
        return found

    def _vouched_by(self, mention: Mention) -> set[str]:
        g = self.gazetteer
        vouched: set[str] = set()
        kinds = {g.kind[c.index] for c in mention.candidates}
        # A small district's name alone does not say the document is about its country (it
        # would vouch for itself: "South Central" for a district of the U.S. Virgin Islands);
        # a populous county's does (Cuyahoga County, Northamptonshire).
        # Nor does a town's name spelled otherwise than the town spells it (Mallard, Malārd).
        spelled = _spelled(mention.text)
        codes = {
            g.country_code[c.index]
            for c in mention.candidates
            if (
                g.kind[c.index] != "admin2"
                or g.population[c.index] >= _COMMON_WORD_CONTEXT_MIN_POPULATION
            )
            and (c.match != "name" or _spelled(g.name[c.index]) == spelled)
        }
        if "country" in kinds and self._also_a_foreign_province(mention):
            # "Georgia": the country or the US state; it vouches for neither.
            return vouched
        if "country" in kinds or mention.mention_type == "demonym":
            vouched.update(
                g.country_code[c.index]
                for c in mention.candidates
                if g.kind[c.index] == "country" and c.match in ("name", "demonym", "alias")
            )
        elif len(codes) == 1 and not mention.common_word:
            vouched.update(codes)
        elif mention.common_word:
            # "England", "Florida": ordinary words to wordfreq, but provinces so populous
            # that their name means them (not England, Arkansas, population 2,765).
            vouched.update(
                g.country_code[c.index]
                for c in mention.candidates
                if g.kind[c.index] == "admin1"
                and c.match == "name"
                and self._dominant_province(c, mention)
            )
        return vouched

    def _named_by_others(self, country: str, mention: Mention) -> bool:
        """Whether a name other than the mention's own puts this country in the document."""
        key = name_key(mention.text)
        return any(other != key for other in self._vouchers.get(country, ()))

    def _also_a_foreign_province(self, mention: Mention) -> bool:
        """Whether a country's name is also the main name of a populous province elsewhere."""
        g = self.gazetteer
        countries = {
            g.country_code[c.index] for c in mention.candidates if g.kind[c.index] == "country"
        }
        return bool(countries) and any(
            g.kind[c.index] == "admin1"
            and c.match == "name"
            and g.country_code[c.index] not in countries
            and g.population[c.index] >= _COMMON_WORD_MIN_POPULATION
            for c in mention.candidates
        )

    def score(
        self,
        candidate: Candidate,
        mention: Mention,
        context: set[str],
        anchors: Anchors | None = None,
    ) -> float:
        """How strongly the evidence points to this candidate: the learned model's log-odds when
        there is one, else the hand weights."""
        if self.model is None:
            return self.hand_score(candidate, mention, context, anchors)
        if self._residual_only:
            # The model weighs only the hand score and the document's corroboration: no need
            # to work out every other feature.
            weights = self.model.weights
            value = self.model.intercept + weights["hand_score"] * self.hand_score(
                candidate, mention, context, anchors
            )
            for name, x in self.document_features(candidate.index, mention, context).items():
                value += weights.get(name, 0.0) * x
            return value
        return self.model.score(self.features(candidate, mention, context, anchors))

    def features(
        self,
        candidate: Candidate,
        mention: Mention,
        context: set[str],
        anchors: Anchors | None = None,
    ) -> dict[str, float]:
        """The general facts about one candidate that the learned model weighs (FEATURES)."""
        g = self.gazetteer
        i = candidate.index
        kind = g.kind[i]
        log_population = math.log10(g.population[i] + 1)
        town_like = kind in ("city", "landmark", "region") or g.origin[i] == "curated"
        f: dict[str, float] = {
            "kind=" + kind: 1.0,
            "match=" + candidate.match: 1.0,
            "log_population_town": log_population if town_like else 0.0,
            "log_population_area": 0.0 if town_like else log_population,
            # How far below the most populous place of the name: 0 for the largest.
            "log_population_gap": self._largest_log_population(mention) - log_population,
        }
        gap = f["log_population_gap"]
        if gap < 0.01:
            f["largest_of_its_name"] = 1.0
        if len(context) >= _WORLD_NEWS_COUNTRIES:
            # A story that names several countries is world news: its names mean the
            # well-known places, where a local paper's mean the local namesakes.
            f["world_news_log_population_gap"] = gap
            if g.feature[i] == "capital":
                f["world_news_capital"] = 1.0
        if kind == "city" and self._named_after_a_province(candidate, mention):
            f["town_named_after_a_province"] = 1.0
        if mention.admin_cue:
            f["admin_cue_" + ("area" if kind in ("admin1", "admin2") else "other")] = 1.0
        if g.feature[i] == "capital":
            f["capital"] = 1.0
        if g.origin[i] == "curated":
            f["curated"] = 1.0
        if g.country_code[i] in context:
            f["country_named"] = 1.0
        if self._own_spelling(i, mention):
            f["own_spelling"] = 1.0
        if mention.mention_type == "demonym":
            f["demonym_mention"] = 1.0
        if mention.common_word:
            f["common_word_" + _KIND_CLASS.get(kind, "town")] = 1.0
        others = self._other_anchors(mention, anchors)
        if others is not None and others.points:
            if kind == "country":
                if any(g.country_code[a] == g.country_code[i] for a, _, _ in others.points):
                    f["country_of_confident_places"] = 1.0
            elif kind in _ANCHORED_KINDS:
                if g.admin1[i] and g.admin1[i] in others.provinces:
                    f["province_of_confident_places"] = 1.0
                if kind != "admin1":  # a province's point says little about what it holds
                    nearest = others.nearest_km(g, i)
                    if nearest < Anchors.NEAR_KM:
                        f["near_confident_places"] = 1.0
                    elif nearest < Anchors.REGION_KM:
                        f["region_of_confident_places"] = 1.0
                    else:
                        f["far_from_confident_places"] = 1.0
                if (
                    kind == "admin1"
                    and g.admin1[i] in others.provinces
                    and self._also_a_foreign_province(mention)
                ):
                    f["holds_the_places_and_names_a_country"] = 1.0
        listed = self._list_kinds.get(id(mention))
        if listed is not None:
            f["listed_" + ("same" if _KIND_CLASS.get(kind) == listed else "other") + "_kind"] = 1.0
        within = self._within.get(id(mention))
        if within is not None:
            admin1, country = within
            if admin1 and g.admin1[i] == admin1:
                f["in_the_province_written_after"] = 1.0
            elif g.country_code[i] == country and not (admin1 and g.origin[i] == "curated"):
                f["in_the_country_written_after"] = 1.0
            else:
                f["outside_the_area_written_after"] = 1.0
        if id(mention) in self._containers:
            f["written_after_a_town_" + ("area" if kind in _AREA_KINDS else "other")] = 1.0
        f.update(self.document_features(i, mention, context))
        if self.with_hand_score:
            f["hand_score"] = self.hand_score(candidate, mention, context, anchors)
        return f

    def document_features(
        self, index: int, mention: Mention, context: set[str] | None = None
    ) -> dict[str, float]:
        """How the document's other names corroborate a town or county (DocumentPlaces): how
        many lie within DocumentPlaces.NEAR_KM of it, and whether its state is named; where it
        lies against the dateline; and whether a name that is a country and a province is the
        province of the country the document is about."""
        f = self.dateline_features(index, mention)
        if context and self._province_of_the_named_country(index, mention, context):
            f["province_of_the_named_country"] = 1.0
        document = self._document
        if document is None or self.gazetteer.kind[index] not in _CORROBORATED_KINDS:
            return f
        key = name_key(mention.text)
        nearby = len(document.names_near(index, key))
        if nearby:
            f["names_nearby=" + ("1" if nearby == 1 else "2+")] = 1.0
        if document.province_named_by_others(index, key):
            f["in_a_province_the_document_names"] = 1.0
        return f

    def _province_of_the_named_country(self, index: int, mention: Mention, context: set) -> bool:
        """A name such as "Georgia" in a story whose places are all in the United States: the
        state. The province's country is the only one the document names ("Russian troops
        entered Georgia, officials in Washington said" names Russia too: the country)."""
        g = self.gazetteer
        if g.kind[index] != "admin1" or context != {g.country_code[index]}:
            return False
        return self._also_a_foreign_province(mention)

    def dateline_features(self, index: int, mention: Mention) -> dict[str, float]:
        """Where a candidate lies against the dateline's town: in its state or province, within
        _DATELINE_NEAR_KM of it, or (a state or province) holding it. The dateline's own name
        gets none (it would vouch for itself)."""
        area = self._dateline_area
        if area is None or name_key(mention.text) == self._dateline_key:
            return {}
        g = self.gazetteer
        kind = g.kind[index]
        same_province = g.admin1[index] == area[0] and g.country_code[index] == area[1]
        if kind == "admin1":
            return {"holds_the_dateline": 1.0} if same_province else {}
        if kind not in _CORROBORATED_KINDS:
            return {}
        f = {}
        if same_province:
            f["in_the_dateline_province"] = 1.0
        if self._near_the_dateline(index):
            f["near_the_dateline"] = 1.0
        return f

    def _near_the_dateline(self, index: int) -> bool:
        point = self._dateline_point
        g = self.gazetteer
        return point is not None and (
            _approx_km(g.lat[index], g.lon[index], point[0], point[1]) < _DATELINE_NEAR_KM
        )

    def _set_dateline(self, dateline: Mention, first: list[ResolvedMention]) -> None:
        """The dateline's state or province and point, from the first pass: the state written
        after the town ("HOLLIDAY, Mo.") prevails over a namesake the town was taken for."""
        g = self.gazetteer
        index = next((item.index for item in first if item.mention is dateline), None)
        within = self._within.get(id(dateline))
        if within is not None and within[0]:
            self._dateline_area = within
            if index is not None and g.admin1[index] == within[0]:
                self._dateline_point = (g.lat[index], g.lon[index])
        elif index is not None and g.admin1[index]:
            self._dateline_area = (g.admin1[index], g.country_code[index])
            self._dateline_point = (g.lat[index], g.lon[index])

    def _other_anchors(self, mention: Mention, anchors: Anchors | None) -> Anchors | None:
        if anchors is None:
            return None
        cached = self._others.get(id(mention))
        if cached is not None and cached[0] is mention and cached[1] is anchors:
            return cached[2]
        others = anchors.of_other_names(self.gazetteer, name_key(mention.text))
        self._others[id(mention)] = (mention, anchors, others)
        return others

    def _largest_log_population(self, mention: Mention) -> float:
        cached = self._largest.get(id(mention))
        if cached is not None and cached[0] is mention:
            return cached[1]
        g = self.gazetteer
        largest = max(
            (math.log10(g.population[c.index] + 1) for c in mention.candidates), default=0.0
        )
        self._largest[id(mention)] = (mention, largest)
        return largest

    def hand_score(
        self,
        candidate: Candidate,
        mention: Mention,
        context: set[str],
        anchors: Anchors | None = None,
    ) -> float:
        """The hand-set weights the learned model replaced, kept as its baseline."""
        g = self.gazetteer
        i = candidate.index
        kind = g.kind[i]
        value = _KIND_PRIOR.get(kind, 0.0)
        if kind in ("city", "landmark", "region") or g.origin[i] == "curated":
            value += _city_prior(g.population[i])
        elif kind == "country":
            # Breaks ties between countries sharing a demonym ("French": France, French Guiana).
            value += 0.1 * math.log10(g.population[i] + 1)
        if kind == "city" and (
            self._named_after_a_province(candidate, mention)
            or self._named_after_a_foreign_province(candidate, mention, context)
        ):
            value -= _NAMESAKE_TOWN_PENALTY
        if kind in ("admin1", "admin2") and mention.admin_cue:
            value += _ADMIN_CUE_BONUS
        if g.feature[i] == "capital":
            value += _CAPITAL_BONUS
        if g.origin[i] == "curated":
            value += _CURATED_BONUS
        if g.country_code[i] in context and self._named_by_others(g.country_code[i], mention):
            # Named by another name: the first pass's choice for this very name (Lebanon the
            # country, an anchor) does not vouch for itself against Lebanon, Pennsylvania.
            value += _CONTEXT_BONUS
        if self._own_spelling(i, mention):
            value += _OWN_SPELLING_BONUS
        if anchors is not None and kind in ("city", "landmark", "admin1", "admin2"):
            value += anchors.bonus(g, i)
            if (
                kind == "admin1"
                and g.admin1[i] in anchors.provinces
                and self._also_a_foreign_province(mention)
            ):
                # A country's name that is also the name of the province holding the document's
                # places means the province: Georgia with Atlanta and Savannah.
                value += _HOLDS_THE_PLACES_BONUS
        listed = self._list_kinds.get(id(mention))
        if listed is not None and _KIND_CLASS.get(kind) == listed:
            value += _LIST_KIND_BONUS
        within = self._within.get(id(mention))
        if within is not None:  # "Portland, Oregon": the town must be in Oregon
            admin1, country = within
            if admin1 and g.admin1[i] == admin1:
                value += _CONTAINER_BONUS
            elif g.country_code[i] == country and not (admin1 and g.origin[i] == "curated"):
                # Curated places carry no province: one named after a town's province is not
                # known to lie in it (the White House is not in Tennessee).
                value += _CONTAINER_BONUS / 2
        return value - _MATCH_PENALTY.get(candidate.match, 1.0)

    def _own_spelling(self, index: int, mention: Mention) -> bool:
        """The place's own name written exactly as in the text, capital inside a word included."""
        return self.gazetteer.name[index] == mention.text and bool(
            _INNER_CAPITAL.search(mention.text)
        )

    def _named_after_a_province(self, candidate: Candidate, mention: Mention) -> bool:
        """A town that shares its name with a province of its own country, outside that province
        (Wyoming, Michigan; Nevada, Missouri): named after the province, which the bare name
        means. A town named like its own province (Kirkuk, Herat) is not."""
        g = self.gazetteer
        i = candidate.index
        return any(
            country == g.country_code[i] and admin1 != g.admin1[i]
            for country, admin1 in self._provinces_named(mention)
        )

    def _named_after_a_foreign_province(
        self, candidate: Candidate, mention: Mention, context: set[str]
    ) -> bool:
        """A town named like a populous province of another country that the document's other
        names put in it (Ontario, California in a story about Ontario's schools): the province
        is meant."""
        own = self.gazetteer.country_code[candidate.index]
        return any(
            country != own and country in context and self._named_by_others(country, mention)
            for country, admin1 in self._provinces_named(mention)
            if admin1 in self._populous_provinces
        )

    def _provinces_named(self, mention: Mention) -> tuple[tuple[str, str], ...]:
        """(country, admin1 code) of the provinces a mention names by their main name, worked out
        once per mention (a name such as San Antonio has over a hundred candidates)."""
        cached = self._named_provinces.get(id(mention))
        if cached is not None and cached[0] is mention:
            return cached[1]
        g = self.gazetteer
        provinces = tuple(
            {
                (g.country_code[c.index], g.admin1[c.index])
                for c in mention.candidates
                if g.kind[c.index] == "admin1" and c.match == "name"
            }
        )
        for c in mention.candidates:
            if (
                g.kind[c.index] == "admin1"
                and c.match == "name"
                and g.population[c.index] >= _COMMON_WORD_MIN_POPULATION
            ):
                self._populous_provinces.add(g.admin1[c.index])
        self._named_provinces[id(mention)] = (mention, provinces)
        return provinces

    def plausible(self, candidate: Candidate, mention: Mention, context: set[str]) -> bool:
        """Whether the evidence is enough for this place at all, whatever the other candidates.

        GeoNames lists many small places under names that are also people's names or words
        (alternate names of villages especially), so the smaller the place and the weaker the
        match, the more the document must corroborate it (its country named in the text).
        """
        g = self.gazetteer
        i = candidate.index
        kind = g.kind[i]
        within = self._within.get(id(mention))
        in_context = g.country_code[i] in context or (
            within is not None and g.country_code[i] == within[1]
        )
        population = g.population[i]
        if g.feature[i] == "airport":
            # An airport's name ("Gatwick Airport") means the airport. A bare one-word name
            # ("Heathrow") may be a surname too ("said Mather"): only with its country in the
            # document, as London puts Heathrow in Britain.
            if mention.fuzzy or mention.common_word or candidate.match == "skeleton":
                return False
            return " " in mention.text.strip() or self._named_by_others(g.country_code[i], mention)
        if g.origin[i] in ("curated", "nominatim") or kind in ("country", "region"):
            return not mention.fuzzy or in_context or mention.admin_cue or kind == "country"
        if (
            within is not None
            and (g.admin1[i] == within[0] or not within[0])
            and (g.country_code[i] == within[1])
        ):
            return True  # "Nelson, B.C.": the text itself says where
        if (
            kind in _CORROBORATED_KINDS
            and not mention.fuzzy
            and candidate.match in ("name", "article")
            and self._corroborated(i, mention)
        ):
            # "Paris" with "Henry County" and "Whitlock": the document's other names have
            # places around this one (or name its state), however small it is.
            return True
        if (
            kind in _CORROBORATED_KINDS
            and not mention.fuzzy
            and not mention.common_word
            and candidate.match in ("name", "article")
            and name_key(mention.text) != self._dateline_key
            and self._near_the_dateline(i)
        ):
            return True  # "BYESVILLE --" then "Pleasant City": the village next to Byesville
        if kind == "admin2":
            # A county or district: "Daviess County", "Guma LGA", or "Kent" in a story that
            # names England. Most share their names with towns, which bare names usually mean.
            if mention.admin_cue:
                return not mention.fuzzy or in_context
            return (
                in_context
                and candidate.match in ("name", "article")
                and not mention.fuzzy
                and (not mention.common_word or population >= _COMMON_WORD_CONTEXT_MIN_POPULATION)
            )
        if mention.fuzzy:
            return in_context and (kind != "city" or population >= 20_000 or mention.admin_cue)
        if kind == "admin1":
            if mention.common_word and candidate.match not in ("name", "article"):
                return mention.admin_cue  # "Eastern" for Ash Sharqiyah: only "Eastern Province"
            if mention.common_word:
                # "the Gulf" is not Gulf Province, PNG, nor "Centre" one of the provinces of that
                # name in Burkina Faso, Cameroon and Haiti; England and Florida are meant as such.
                return (
                    in_context or mention.admin_cue or self._dominant_province(candidate, mention)
                )
            if candidate.match in ("alias", "article-alias"):
                return in_context or mention.admin_cue
            return True
        if mention.common_word:
            return (
                population >= _COMMON_WORD_MIN_POPULATION
                or (in_context and population >= _COMMON_WORD_CONTEXT_MIN_POPULATION)
                or (mention.never_lower and population >= _NAME_ONLY_MIN_POPULATION)
            )
        if (
            population < _KNOWN_WORD_MAX_POPULATION
            and mention.zipf >= _KNOWN_WORD_ZIPF
            and not self._own_spelling(i, mention)
        ):
            # "Sunni" is not Suni in Sardinia, "Hassan" not a village of that name; but a town
            # of some size in a country the document names is meant (Salisbury in a British story).
            return in_context and candidate.match == "name" and population >= _NAME_MIN_POPULATION
        if candidate.match == "article" and population < _COMMON_WORD_MIN_POPULATION:
            # "al-Naba" (a newsletter) for Annaba: variants with articles need corroboration.
            return in_context
        if candidate.match == "article-alias":
            return in_context and population >= _ARTICLE_ALIAS_MIN_POPULATION
        if candidate.match == "alias":
            return population >= _ALIAS_MIN_POPULATION or (
                in_context and population >= _ALIAS_CONTEXT_MIN_POPULATION
            )
        if _spelled(g.name[i]) != _spelled(mention.text):
            # The name spelled otherwise than the town spells it, as the index allows for
            # transliterations (Tal Afar for Tall 'Afar, Hawija for Al Hawijah): only with its
            # country named, for "Mallard" is not Malārd in Iran, nor "Leelah" Lela in Indonesia.
            return in_context
        return population >= _NAME_MIN_POPULATION or in_context

    def _corroborated(self, index: int, mention: Mention) -> bool:
        document = self._document
        if document is None:
            return False
        key = name_key(mention.text)
        return bool(document.names_near(index, key)) or document.province_named_by_others(
            index, key
        )

    def _dominant_province(self, candidate: Candidate, mention: Mention) -> bool:
        """A populous province that dwarfs every other province of the same name."""
        g = self.gazetteer
        population = g.population[candidate.index]
        return population >= _COMMON_WORD_MIN_POPULATION and all(
            population >= _DOMINANT_FACTOR * g.population[c.index]
            for c in mention.candidates
            if g.kind[c.index] == "admin1" and c.index != candidate.index
        )

    def resolve(self, mentions: list[Mention], text: str | None = None) -> list[ResolvedMention]:
        """Two passes: the second favours places near, or in the provinces of, the places the
        first pass resolved with confidence (Red Oak, Iowa rather than Red Oak, Texas), and near
        the dateline's town when the story (`text`, the mentions' document) opens with one."""
        context = self.context_countries(mentions)
        dateline = _dateline_mention(mentions, text)
        self._dateline_key = None if dateline is None else name_key(dateline.text)
        self._dateline_area = self._dateline_point = None
        self._within = {}
        self._area_of = {}
        self._containers = set()
        self._named_provinces = {}
        self._largest = {}
        self._others = {}
        self._document = DocumentPlaces(self.gazetteer, mentions)
        self.last_context, self.last_anchors = context, None
        for mention in mentions:
            if mention.container is not None:
                area = self._container_area(mention, context)
                if area is not None:
                    self._within[id(mention)] = area
        # "Nelson, B.C." once, then "Nelson": the bare mentions are in the same province, when the
        # document puts that name in one province only.
        areas: dict[str, set] = {}
        area_places: dict[str, set] = {}
        for mention in mentions:
            if id(mention) in self._within:
                areas.setdefault(name_key(mention.text), set()).add(self._within[id(mention)])
                area_places.setdefault(name_key(mention.text), set()).add(
                    self._area_of.get(id(mention))
                )
        for mention in mentions:
            if mention.container is None and mention.mention_type == "toponym":
                found = areas.get(name_key(mention.text))
                if found is not None and len(found) == 1:
                    self._within[id(mention)] = next(iter(found))
                    place = area_places[name_key(mention.text)]
                    if len(place) == 1 and None not in place:
                        self._area_of[id(mention)] = next(iter(place))
        self._list_kinds = {}
        first = self._resolve_pass(mentions, context, None)
        self._list_kinds = self._kinds_of_lists(first)
        if dateline is not None:
            self._set_dateline(dateline, first)
        anchors = Anchors.from_resolved(self.gazetteer, first)
        if not anchors.points and not self._list_kinds and self._dateline_area is None:
            return first
        # The countries of the places resolved with confidence count as named: Houston and
        # Dallas put Portland in the United States even when the text never says so.
        context = context | {self.gazetteer.country_code[i] for i, _, _ in anchors.points}
        for i, _, _ in anchors.points:
            self._vouchers.setdefault(self.gazetteer.country_code[i], set()).add(
                anchors.names.get(i, "")
            )
        self.last_context, self.last_anchors = context, anchors
        return self._resolve_pass(mentions, context, anchors)

    def candidate_features(self, mention: Mention) -> list[tuple[int, dict[str, float]]]:
        """(gazetteer index, features) of a mention's plausible places as the last resolve() pass
        saw them: the training rows of the learned model."""
        return [
            (c.index, self.features(c, mention, self.last_context, self.last_anchors))
            for c in self._plausible(mention, self.last_context)
        ]

    def _kinds_of_lists(self, first: list[ResolvedMention]) -> dict[int, str]:
        """id(mention) -> the kind of place the other names of its list confidently are.

        "States such as California or Washington" lists states; "Georgia, Armenia and Azerbaijan"
        countries. A "Town, Province" pair is not a list."""
        g = self.gazetteer
        confident = {
            id(item.mention): _KIND_CLASS.get(g.kind[item.index], "")
            for item in first
            if item.margin >= Anchors.MIN_MARGIN
        }
        kinds: dict[int, str] = {}
        for item in first:
            mention = item.mention
            if mention.listed_with is None or self._in_a_pair(mention):
                continue
            others = {
                confident.get(id(other))
                for other in mention.listed_with
                if other is not mention and not self._in_a_pair(other)
            }
            others.discard(None)
            if len(others) == 1 and "" not in others:
                kinds[id(mention)] = others.pop()
        return kinds

    def _in_a_pair(self, mention: Mention) -> bool:
        """Whether the mention is a town written with its area, or that area."""
        return id(mention) in self._within or id(mention) in self._containers

    def _container_area(self, mention: Mention, context: set[str]) -> tuple[str, str] | None:
        """(admin1 code or "", country code) of the province, county or country written after a
        town.

        "Tacoma, Washington", "Shelby, Cleveland County": there the name is the area that holds
        a namesake of the town (the state of Washington, not Washington, D.C.; the Cleveland County
        of North Carolina, where a Shelby is). In a list ("Miami, West Palm Beach, New York") no
        such area is meant and the next name is just the next place."""
        g = self.gazetteer
        container = mention.container
        self._containers.add(id(container))
        for i in self._ranked(container, context):
            if g.kind[i] not in _AREA_KINDS:
                continue
            admin1 = g.admin1[i] if g.kind[i] != "country" else ""
            code = g.country_code[i]
            if any(
                g.country_code[c.index] == code and (not admin1 or g.admin1[c.index] == admin1)
                for c in mention.candidates
            ):
                return admin1, code
        self._containers.discard(id(container))
        best = self._best(container, context, None)
        if best is None:
            return None
        i = best[0]
        if g.kind[i] in ("admin1", "admin2"):
            # No place of the town's name lies in the province or county written after it.
            self._area_of[id(mention)] = i
        return (g.admin1[i] if g.kind[i] in ("admin1", "admin2") else "", g.country_code[i])

    def _ranked(self, mention: Mention, context: set[str]) -> list[int]:
        """The plausible places of a mention, best first (first pass scores)."""
        return [index for index, _ in self._scored(mention, context, None)]

    def _resolve_pass(
        self, mentions: list[Mention], context: set[str], anchors: Anchors | None
    ) -> list[ResolvedMention]:
        chosen: dict[tuple, tuple[int, float, float] | None] = {}
        resolved = []
        for mention in mentions:
            sense = (
                name_key(mention.text),
                mention.admin_cue,
                mention.mention_type,
                self._within.get(id(mention)),
                id(mention) in self._containers,
                self._list_kinds.get(id(mention)),  # "California or Washington": the state
            )
            if sense not in chosen:
                chosen[sense] = self._best(mention, context, anchors)
            best = chosen[sense]
            if best is not None:
                index, score, margin = best
                resolved.append(ResolvedMention(mention, index, score, margin))
        return resolved

    def _best(
        self, mention: Mention, context: set[str], anchors: Anchors | None
    ) -> tuple[int, float, float] | None:
        override = self.gazetteer.overrides.get(name_key(mention.text))
        if override is not None and mention.mention_type == "toponym":
            return override, math.inf, math.inf  # corrected by a reviewer: no scoring
        scored = self._scored(mention, context, anchors)
        area = self._area_of.get(id(mention))
        if area is not None and all(
            self.gazetteer.population[i] < _SMALL_NAMESAKE_POPULATION for i, _ in scored
        ):
            # "Rockingham, Northamptonshire", "HOLLIDAY, Mo.": a village the gazetteer does not
            # know, in the county or state the text names, rather than a small namesake
            # elsewhere (Rockingham, Western Australia). It is placed at that area.
            return area, scored[0][1] if scored else 0.0, math.inf
        if not scored:
            return None
        top, top_score = scored[0]
        margin = top_score - scored[1][1] if len(scored) > 1 else math.inf
        return top, top_score, margin

    def _scored(
        self, mention: Mention, context: set[str], anchors: Anchors | None
    ) -> list[tuple[int, float]]:
        """(gazetteer index, score) of the mention's plausible places, best first; a name written
        as a town's container is one of its areas when it can be."""
        candidates = self._plausible(mention, context)
        scored = sorted(
            ((self.score(c, mention, context, anchors), c) for c in candidates),
            key=lambda pair: (-pair[0], self.gazetteer.place_id[pair[1].index]),
        )
        return [(c.index, value) for value, c in scored]

    def _plausible(self, mention: Mention, context: set[str]) -> list[Candidate]:
        candidates = [c for c in mention.candidates if self.plausible(c, mention, context)]
        if self._dateline_key is not None and name_key(mention.text) == self._dateline_key:
            # A dateline names a town (or county): "MALTA –" in a local paper is not the country.
            towns = [c for c in candidates if self.gazetteer.kind[c.index] in _DATELINE_KINDS]
            candidates = towns or candidates
        if id(mention) in self._containers:
            areas = [c for c in candidates if self.gazetteer.kind[c.index] in _AREA_KINDS]
            candidates = areas or candidates
        return candidates


class Anchors:
    """Places resolved with confidence in a document: their points and provinces."""

    MIN_MARGIN = 1.0
    SAME_PROVINCE_BONUS = 0.75
    NEAR_KM, NEAR_BONUS = 200.0, 0.5
    REGION_KM, REGION_BONUS = 1000.0, 0.25

    def __init__(
        self,
        points: list[tuple[int, float, float]],
        provinces: set[str],
        names: dict[int, str] | None = None,
    ):
        self.points = points
        self.provinces = provinces
        self.names = names or {}  # anchor index -> name key of the mention that named it

    def of_other_names(self, g: Gazetteer, key: str) -> Anchors:
        """The confident places named otherwise than `key`: a name does not vouch for itself
        (New York City does not put the state of New York among the document's places)."""
        points = [p for p in self.points if self.names.get(p[0]) != key]
        return Anchors(points, {g.admin1[p[0]] for p in points if g.admin1[p[0]]}, self.names)

    @classmethod
    def from_resolved(cls, g: Gazetteer, resolved: list[ResolvedMention]) -> Anchors:
        points: dict[int, tuple[int, float, float]] = {}
        provinces: set[str] = set()
        names: dict[int, str] = {}
        for item in resolved:
            i = item.index
            if item.margin < cls.MIN_MARGIN or g.kind[i] not in (
                "city",
                "admin1",
                "admin2",
                "landmark",
            ):
                continue
            points[i] = (i, g.lat[i], g.lon[i])
            names.setdefault(i, name_key(item.mention.text))
            if g.admin1[i]:
                provinces.add(g.admin1[i])
        return cls(list(points.values()), provinces, names)

    def nearest_km(self, g: Gazetteer, index: int) -> float:
        """Distance to the nearest other confident place (inf when there is none)."""
        lat, lon = g.lat[index], g.lon[index]
        return min(
            (_approx_km(lat, lon, a_lat, a_lon) for a, a_lat, a_lon in self.points if a != index),
            default=math.inf,
        )

    def bonus(self, g: Gazetteer, index: int) -> float:
        value = 0.0
        if g.admin1[index] and g.admin1[index] in self.provinces:
            value += self.SAME_PROVINCE_BONUS
        nearest = self.nearest_km(g, index)
        if nearest < self.NEAR_KM:
            value += self.NEAR_BONUS
        elif nearest < self.REGION_KM:
            value += self.REGION_BONUS
        return value


def _dateline_mention(mentions: list[Mention], text: str | None) -> Mention | None:
    """The mention of the dateline's town: the first dateline of `text` that starts a recognised
    name, else (no text) the name the recogniser noted as a dateline."""
    if text is None:
        return next((m for m in mentions if "a dateline" in m.notes), None)
    found = datelines(text)
    if not found:
        return None
    by_start = {m.start: m for m in mentions if m.mention_type == "toponym" and not m.fuzzy}
    return next((by_start[d.start] for d in found if d.start in by_start), None)


@lru_cache(maxsize=100_000)
def _spelled(name: str) -> str:
    """A name's letters as written (accents, case, apostrophes, spaces and St./Mt. aside), without
    the folds of doubled letters and a final -ah that the look-up key makes."""
    tokens = key_tokens(name)
    if len(tokens) > 1 and tokens[0] in _ABBREVIATED:
        tokens[0] = _ABBREVIATED[tokens[0]]
    return "".join(tokens)


_ABBREVIATED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def _approx_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: plenty for "within a few hundred km"."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def resolve_mentions(mentions: list[Mention], gazetteer: Gazetteer) -> list[ResolvedMention]:
    return Resolver(gazetteer).resolve(mentions)
