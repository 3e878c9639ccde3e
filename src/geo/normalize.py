"""Lookup keys for place names, so spelling variants found in real text meet the gazetteer's.

Transliterated Arabic and Persian names vary in ways a plain lower-casing misses: diacritics
(Nangarhār), apostrophes for ayn (Tall ‘Afar), hyphens and spaces (Tal-Afar, Deir Ezzor /
Deir ez-Zor), a leading article (Al-Hawija / Hawija), doubled letters (Raqa / Raqqa) and a final -ah
(Hawijah / Hawija). `name_key` folds all of these; `consonant_skeleton` goes further (Menbj / Manbij,
Khozestan / Khuzestan) and is used only as a last resort, under stricter conditions, by the resolver.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Leading articles of transliterated Arabic names ("al-", "el-", and the sun-letter forms).
ARTICLES = frozenset("al el ad ar as at an az ash adh ath ed er es et en ez".split())

_SPECIAL_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "ħ": "h",
    }
)
_APOSTROPHES = re.compile(r"[\'’‘`´ʿʾʻʼ′]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_AH = re.compile(r"(?<=[a-z]{2})ah$")
_VOWELS = re.compile(r"[aeiouy]")


def fold(text: str) -> str:
    """Lower-case ASCII approximation: diacritics dropped, special letters spelled out."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def key_tokens(name: str) -> list[str]:
    """The folded tokens of a name, apostrophes removed, split on anything not a letter or digit."""
    folded = _APOSTROPHES.sub("", fold(name))
    return [t for t in _NON_ALNUM.split(folded) if t]


def _token_key(token: str) -> str:
    return _FINAL_AH.sub("a", token)


@lru_cache(maxsize=500_000)
def name_key(name: str, drop_article: bool = False) -> str:
    """The key under which a name is indexed and looked up ("" if the name has no letters)."""
    if name.isascii() and name.isalpha():  # one plain word: most look-ups
        return _DOUBLED.sub(r"\1", _token_key(name.lower()))
    tokens = key_tokens(name)
    if drop_article and len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    # Doubled letters collapse across token boundaries too: "Deir ez-Zor" and "Deir Ezzor" meet.
    return _DOUBLED.sub(r"\1", "".join(_token_key(t) for t in tokens))


def has_article(name: str) -> bool:
    tokens = key_tokens(name)
    return len(tokens) > 1 and tokens[0] in ARTICLES


def consonant_skeleton(key: str) -> str:
    """A key without vowels after its first letter: what varies least between transliterations."""
    if not key:
        return ""
    return key[0] + _VOWELS.sub("", key[1:])


def is_latin(name: str) -> bool:
    """True when a name is written in Latin letters (other scripts cannot occur in English text)."""
    folded = fold(name)
    return (
        bool(folded) and all(ch.isascii() for ch in folded) and any(ch.isalpha() for ch in folded)
    )
