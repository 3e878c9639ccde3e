"""Who a sentence attributes its claim to: "according to X", "X said ...", "..., said X".

Rule-based on purpose: reporting verbs and the noun phrase around them, read with a handful of
regular expressions. Pronouns ("he said") give "" because they name no one out of context.
"""

from __future__ import annotations

import os
import re
from collections.abc import Set as AbstractSet

from geo.text.cues import Anchors
from geo.text.scan import fold

MAX_CHARS = 120

# Reporting verbs. Forms that are also common nouns ("reports", "claims", "states") or that have
# other senses ("confirmed the threat") count only before "that", a quote or punctuation
# (`_NEEDS_THAT`).
_VERBS = (
    "said|says|say|told|tells|tell|announced|announces|announce|estimated|estimate|claimed|claim|"
    "reported|stated|noted|note|added|adds|argued|argues|argue|warned|warns|warn|declared|declares|"
    "confirmed|confirms|maintained|maintains|maintain|evaluated|evaluates|evaluate|predicted|"
    "predicts|explained|explains|insisted|insists|insist|acknowledged|acknowledges|admitted|"
    "admits|denied|denies|wrote|writes|assessed|assesses|concluded|concludes|alleged|alleges|"
    "asserted|asserts|revealed|disclosed|stressed|emphasized|emphasised|cautioned|believe|"
    "believes|testified|tweeted|reports|claims|notes|states|estimates"
)
_NOUN_LIKE = {"reports", "claims", "notes", "states", "estimates", "note", "claim", "estimate"}
# Verbs that also mean something other than speaking ("the attacks confirmed the threat") report a
# claim only when "that", a quotation or the end of the clause follows.
_NEEDS_THAT = {
    "confirmed", "confirms", "revealed", "disclosed", "denied", "denies", "admitted", "admits",
    "acknowledged", "acknowledges", "noted", "note", "stressed", "emphasized", "emphasised",
    "maintained", "maintains", "maintain", "observed", "added", "adds",
} | _NOUN_LIKE  # fmt: skip
# Verbs whose inverted form ("..., said X") names the speaker; after "told" comes the listener.
_NOT_INVERTIBLE = {"told", "tells", "tell"}


def _word_alternation(words: list[str]) -> str:
    """The words as one regex alternation factored by common prefixes ("sa(?:id|ys?)"), so the
    engine tries a dozen first letters at each word start instead of every word. Between word
    boundaries at most one of the words can match, so the order of the alternatives is moot."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[:1], []).append(word)
    parts = []
    for group in by_first.values():
        if len(group) == 1:
            parts.append(re.escape(group[0]))
            continue
        prefix = os.path.commonprefix(group)
        rests = [word[len(prefix) :] for word in group]
        optional = "?" if "" in rests else ""
        tails = [rest for rest in rests if rest]
        parts.append(f"{re.escape(prefix)}(?:{_word_alternation(tails)}){optional}")
    return "|".join(parts)


_VERB = re.compile(
    r"\b(?:(?:was|is|were|are)\s+quoted\s+as\s+saying|"
    rf"(?:{_word_alternation(_VERBS.split('|'))}))\b"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
# Anchors (geo.text.cues) of the two: every match of _VERB opens with a reporting verb, as written
# and where a word starts, or says "quoted" after a space; every match of _ACCORDING says
# "according" in any case.
_VERB_CUE, _ACCORDING_CUE = "attribution.verb", "attribution.according"
CUES = (
    Anchors(_VERB_CUE, (*_VERBS.split("|"), "quoted"), folded=False, word_start=True),
    Anchors(_ACCORDING_CUE, ("according",)),
)
_SPEAKER_CUES = frozenset(a.name for a in CUES)

_PRONOUNS = {
    "he", "she", "they", "it", "we", "i", "you", "one", "this", "that", "these", "those", "who",
    "which", "there", "him", "her", "them", "us", "someone", "somebody", "everyone", "nobody",
}  # fmt: skip
_DETERMINERS = {
    "the", "a", "an", "one", "some", "several", "many", "most", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "its", "his", "her", "their", "our", "this", "that",
    "these", "those", "another", "other", "various", "both", "all", "each", "every", "no",
}  # fmt: skip
_AUXILIARIES = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
    "can", "could", "should", "may", "might", "must", "do", "does", "did", "not", "am",
}  # fmt: skip
# Words between a subject and its verb ("has also recently said").
_SKIPPABLE = _AUXILIARIES - {"is", "are", "was", "were", "be", "been", "being"} | {
    "also", "later", "then", "once", "again", "first", "further", "since", "now",
}  # fmt: skip
# Before a verb these make it passive, adjectival or an infinitive, not someone speaking
# ("it was reported", "an estimated 3,000", "glad to say").
_NOT_AFTER = {"is", "are", "was", "were", "be", "been", "being", "a", "an", "the", "to"}
_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i", "you", "it"}
_PREPOSITIONS = {
    "in", "on", "at", "during", "after", "before", "since", "by", "for", "from", "with", "to",
    "according", "however", "moreover", "meanwhile", "under", "over", "of", "as", "if", "when",
}  # fmt: skip
# A subordinating word starts a new clause: the subject of the verb comes after it.
_SUBORDINATORS = re.compile(
    r"\b(?:that|as|because|while|whereas|when|where|if|although|though|since|but|so|and then|"
    r"whether|once|until|unless|after|before)\s+",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r",?\s+\b(?P<prep>(?:in|of|by|for|from|with|to|at|on|under|through|during)\s+)?"
    r"(?:who|whom|whose|which)\b"
)
_TITLE_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Gen|Lt|Col|Maj|Capt|Sgt|Adm|Brig|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|St|Rev|Hon|Pres|Jr|"
    r"Sr|No|Vol)|\b[A-Z]|(?:\b[A-Za-z]\.)+[A-Za-z])$"
)
# Where a phrase after "according to" or an inverted verb ends: punctuation that closes a clause,
# or a period that is not part of an abbreviation (checked in `_clip`).
# Written as one character class first, [;:\[]|\.(?=\s|$|\[|[”\"’']), so the engine skips to those
# characters.
_PHRASE_END = re.compile(r"[;:\[.](?:(?<=\.)(?=\s|$|\[|[”\"’'])|(?<!\.))")
# Commas that separate phrases; "MI6,” December 8" ends at the comma before the closing quote.
_COMMA = re.compile(r",(?=[\s”\"’])")
# A comma followed by one of these continues the sentence, not the speaker's description.
_CLAUSE_AFTER_COMMA = re.compile(
    r"(?:adding|who|whom|whose|which|while|noting|saying|citing|and|but|as|because|after|"
    r"before|when|where|although|though|if|so|there|it|he|she|they|we|[a-z]+ing)\b"
)
# "WINNIPEG — " or "LONDON (Reuters) - " opening a news story.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{2,}(?:\([^)]{1,30}\))?\s*[—–-]+\s*")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_TIME_WORDS = re.compile(
    rf"\b(?:today|yesterday|week|month|year|day|night|morning|evening|{_WEEKDAY}|January|February|"
    r"March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# Time adverbials between an inverted verb and its speaker ("said on Monday Jane Doe").
_AFTER_VERB_TIME = re.compile(
    rf"^\s*(?:(?:(?:on|late|early|last|this)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:in|on|at|during|last|this|earlier|late|early)\s+(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?"
    r"(?:(?:19|20)\d\d\b)?|lately|recently|yesterday|today|earlier|later)?\s*,?\s*"
)
_QUOTES = "\"'“”‘’«»"


def find_attribution(sentence: str, cues: AbstractSet[str] | None = None) -> str:
    """Who the sentence attributes its claim to ("according to X", "X said", "..., said X"), or "".

    When several are present the earliest wins, as it usually introduces the main clause. `cues`,
    when given, names the patterns whose anchors the sentence holds (`geo.text.cues`).
    """
    if not isinstance(sentence, str) or (cues is not None and cues.isdisjoint(_SPEAKER_CUES)):
        return ""
    if not sentence.strip():
        return ""
    text = " ".join(sentence.split())  # line breaks inside a sentence are layout, not meaning
    return _attribution(text, _verbs(text, cues), _says_according(text, cues))


def find_speaker(sentence: str, cues: AbstractSet[str] | None = None) -> tuple[str, str]:
    """`find_attribution` of the sentence, and when it is "", its `find_referring_speaker`: the
    two read from one pass of the reporting verbs (a sentence read for its claims needs both).
    `cues` as for `find_attribution`."""
    if not isinstance(sentence, str) or (cues is not None and cues.isdisjoint(_SPEAKER_CUES)):
        return "", ""
    if not sentence.strip():
        return "", ""
    text = " ".join(sentence.split())
    verbs = _verbs(text, cues)
    who = _attribution(text, verbs, _says_according(text, cues))
    if who:
        return who, ""
    for m in verbs:
        pronoun = _pronoun_of_verb(text, m)
        if pronoun:
            return "", pronoun
    return "", ""


def _verbs(text: str, cues: AbstractSet[str] | None) -> list[re.Match]:
    if cues is not None and _VERB_CUE not in cues:
        return []
    return list(_VERB.finditer(text))


def _says_according(text: str, cues: AbstractSet[str] | None) -> bool:
    if cues is not None:
        return _ACCORDING_CUE in cues
    return "according" in fold(text)  # as _ACCORDING matches it, ignoring case (geo.text.scan)


def _attribution(text: str, verbs, according: bool) -> str:
    """The earliest speaker named around "according to" or one of the reporting verbs `verbs`
    (matches of _VERB in `text`, whitespace already collapsed); `according`: whether the text
    says "according" at all."""
    found: list[tuple[int, str]] = []
    if according:
        for m in _ACCORDING.finditer(text):
            found.append((m.start(), _according_to(text[m.end() :])))
    for m in verbs:
        found.append((m.start(), _speaker_of_verb(text, m)))
    for _, who in sorted(found, key=lambda item: item[0]):
        if who:
            return who
    return ""


REFERRING_PRONOUNS = ("he", "she", "they")


def find_referring_speaker(sentence: str) -> str:
    """The pronoun that speaks in the sentence ("..., he said", "She added that ..."), lower-cased,
    or "" when none does. Who it is comes from the sentences before (`geo.speakers.antecedent`)."""
    if not isinstance(sentence, str) or not sentence.strip():
        return ""
    text = " ".join(sentence.split())
    for m in _VERB.finditer(text):
        pronoun = _pronoun_of_verb(text, m)
        if pronoun:
            return pronoun
    return ""


def _pronoun_of_verb(text: str, m: re.Match) -> str:
    verb = m.group()
    before = text[: m.start()].rstrip()
    after = text[m.end() :]
    last_word = before.rsplit(None, 1)
    if last_word and last_word[-1].lower() in _NOT_AFTER:
        return ""
    if verb in _NEEDS_THAT and not _THAT_FOLLOWS.match(after):
        return ""
    stripped = _strip_trailing_adverbs(before)
    if verb not in _NOT_INVERTIBLE and _INVERTED_BEFORE.search(stripped):
        inverted = re.match(r"\s+(he|she|they)\b", after, re.IGNORECASE)
        if inverted:
            return inverted.group(1).lower()  # "..., said he"
    # Only a pronoun that opens the sentence or stands between commas speaks for someone named
    # before: in "..., in which he declared" he is named in the same sentence.
    opener = re.search(r"(?:^|[,;\"“”’(]|^[^\w]*)\s*(he|she|they)$", stripped, re.IGNORECASE)
    return opener.group(1).lower() if opener else ""


def _according_to(rest: str) -> str:
    """The source named after "according to", up to the first comma or clause boundary."""
    phrase = _COMMA.split(_clip(rest), maxsplit=1)[0]
    # "according to Jane Doe from the Institute (RUSI) Afghanistan does not ...": a parenthesis
    # usually closes the name, and what follows is the claim.
    paren = re.search(r"\([^()]{1,60}\)", phrase)
    if paren:
        phrase = phrase[: paren.end()]
    words = phrase.split()
    if len(words) > 6:
        phrase = _name_run(words)
    return _tidy(phrase)


def _name_run(words: list[str]) -> str:
    """Cut a long phrase after its capitalised name: the first lowercase word after a capitalised one
    that is not a connector ("of", "the", "al") starts the claim."""
    connectors = {"of", "the", "for", "from", "at", "in", "on", "and", "de", "del", "da", "al",
                  "el", "bin", "ibn", "van", "von", "der", "le", "la", "du", "by", "to", "&"}  # fmt: skip
    seen_capital = False
    kept: list[str] = []
    for word in words:
        bare = word.strip(_QUOTES + "(),")
        if bare[:1].isupper():
            seen_capital = True
        elif seen_capital and bare.lower() not in connectors and not bare[:1].isdigit():
            break
        kept.append(word)
    while kept and kept[-1].strip(_QUOTES + "(),").lower() in connectors:
        kept.pop()
    return " ".join(kept)


def _ends_with_abbreviation(text: str, end: int) -> bool:
    """Whether text[:end] ends with a title, an initial or an acronym (_TITLE_ABBREVIATIONS).

    Only the last characters are searched: a match of any length ("U.S.A") implies one that starts
    at most 5 characters before the end ("S.A", or a title of 4 letters and the line break `$`
    allows), and a search from `pos` still sees the characters before it for its \\b."""
    return _TITLE_ABBREVIATIONS.search(text, max(0, end - 8), end) is not None


def _clip(rest: str) -> str:
    """The phrase at the start of `rest`, up to the first clause-ending punctuation."""
    pos = 0
    while True:
        m = _PHRASE_END.search(rest, pos)
        if m is None:
            return rest
        # "Gen. John Nicholson", "U.S. officials": a period after a title, an initial or an
        # acronym does not end the phrase.
        if m.group() == "." and _ends_with_abbreviation(rest, m.start()):
            if rest[m.end() :].strip():
                pos = m.end()
                continue
        return rest[: m.start()]


_THAT_FOLLOWS = re.compile(r"\s*(?:that\b|[,.;:\[\"“”]|$)")
_INVERTED_BEFORE = re.compile(r"[,\"”’]$")


def _speaker_of_verb(text: str, m: re.Match) -> str:
    """Who speaks through the reporting verb `m`: after it when inverted ("..., said X"), else
    the noun phrase before it; "" when the verb is passive, adjectival or not about speech."""
    verb = m.group()
    before = text[: m.start()].rstrip()
    after = text[m.end() :]
    last_word = before.rsplit(None, 1)
    previous = last_word[-1].lower() if last_word else ""
    if previous in _NOT_AFTER and "quoted" not in verb:
        return ""
    if verb in _NEEDS_THAT and not _THAT_FOLLOWS.match(after):
        return ""
    stripped = _strip_trailing_adverbs(before)
    if verb not in _NOT_INVERTIBLE and _INVERTED_BEFORE.search(stripped):
        speaker = _inverted_speaker(after)
        if speaker:
            return speaker
    return _subject(stripped)


def _strip_trailing_adverbs(before: str) -> str:
    words = before.split(" ")
    while words and (
        words[-1].lower() in _SKIPPABLE
        or (words[-1].islower() and words[-1].endswith("ly") and len(words[-1]) > 3)
    ):
        words.pop()
    return " ".join(words).rstrip()


def _inverted_speaker(after: str) -> str:
    """The speaker after the verb in "..., said in May Jane Doe, the spokeswoman"."""
    rest = _AFTER_VERB_TIME.sub("", after)
    chunks = [_strip_unbalanced_quotes(c.strip()) for c in _COMMA.split(_clip(rest))]
    head = chunks[0].split() if chunks else []
    first = head[0] if head else ""
    # "said the Pentagon" names a speaker; "said the number of fighters ..." starts the claim.
    capitalised = first[:1].isupper() or (
        first.lower() in _DETERMINERS and len(head) > 1 and head[1][:1].isupper()
    )
    if not capitalised or first.lower() in _PRONOUNS or first.lower() == "that":
        return ""
    if not _looks_like_noun_phrase(head, max_words=8):
        return ""
    kept = [chunks[0]]
    for chunk in chunks[1:]:
        words = chunk.split()
        if _CLAUSE_AFTER_COMMA.match(chunk) or not _is_appositive(chunk):
            break
        if not _looks_like_noun_phrase(words, max_words=16):
            break
        kept.append(chunk)
    return _tidy(", ".join(kept))


def _subject(before: str) -> str:
    """The noun phrase that ends right before the verb, with an appositive if it has one:
    "Gen. John Nicholson, the top commander of US forces in Afghanistan," -> both parts."""
    chunks = [_strip_unbalanced_quotes(c.strip()) for c in re.split(r",(?=\s|$|[\"”’])", before)]
    if chunks and not chunks[-1]:
        chunks.pop()  # "NAME, appositive, said": the comma closes the appositive
    if not chunks:
        return ""
    subject = _clause_subject(chunks[-1])
    if not subject:
        return ""
    words = subject.split()
    if words[0].lower() in _PRONOUNS and len(words) == 1:
        return ""
    if not _looks_like_noun_phrase(words, max_words=12):
        return ""
    if words[0].lower() in _PREPOSITIONS:
        return ""
    parts = [subject]
    index = len(chunks) - 1
    # Walk back over "NAME, appositive": the appositive starts lowercase or with a determiner.
    while index > 0 and _is_appositive(parts[0]):
        head = chunks[index - 1]
        head_words = head.split()
        if not head or not head[:1].isupper() or not _looks_like_noun_phrase(head_words, 8):
            break
        first = head_words[0].lower()
        if first in _PREPOSITIONS or first in _PRONOUNS or first.endswith("ly"):
            break  # "In July, the minister said", "Separately, the ministry said"
        if _TIME_WORDS.search(head):
            break  # "Last week, the ministry said"
        parts.insert(0, head)
        index -= 1
    if len(parts) == 1 and not words[0][:1].isupper() and words[0].lower() not in _DETERMINERS:
        # A lowercase start is a bare plural ("officials said") only when short.
        if len(words) > 4:
            return ""
    return _tidy(", ".join(parts))


def _clause_subject(chunk: str) -> str:
    """The last clause's subject: after the last subordinator, before a relative pronoun."""
    chunk = _DATELINE.sub("", chunk)
    tail = chunk
    for m in _SUBORDINATORS.finditer(chunk):
        tail = chunk[m.end() :]
    relative = _RELATIVE.search(tail)
    if relative:
        head = tail[: relative.start()].strip()
        # "a source who asked ... told": the head is the subject; "in which he declared": the
        # subject follows the relative pronoun.
        tail = head if head and not relative["prep"] else tail[relative.end() :]
    return _strip_unbalanced_quotes(tail.strip())


def _is_appositive(chunk: str) -> bool:
    first = chunk.split()[0] if chunk.split() else ""
    return bool(first) and (first.islower() or first.lower() in _DETERMINERS)


def _looks_like_noun_phrase(words: list[str], max_words: int) -> bool:
    if not words or len(words) > max_words:
        return False
    if len(words) > 1 and words[0].lower() in _SUBJECT_PRONOUNS:
        return False  # "She went to call her neighbour" is a clause, "He however" not a name
    if any(w.lower().strip(_QUOTES + ",.") in _AUXILIARIES for w in words):
        return False
    return any(ch.isalpha() for ch in "".join(words))


def _strip_unbalanced_quotes(phrase: str) -> str:
    """Drop quote marks at the ends unless they pair with one inside ('The "Caucasian Knot"')."""
    while phrase and phrase[0] in _QUOTES and _unpaired(phrase, phrase[0]):
        phrase = phrase[1:].strip(" ,;:")
    while phrase and phrase[-1] in _QUOTES and _unpaired(phrase, phrase[-1]):
        phrase = phrase[:-1].strip(" ,;:")
    return phrase


def _unpaired(phrase: str, mark: str) -> bool:
    pairs = {"“": "”", "”": "“", "‘": "’", "’": "‘", "«": "»", "»": "«"}
    if mark in pairs:
        return phrase.count(mark) != phrase.count(pairs[mark])
    return phrase.count(mark) % 2 == 1


def _tidy(phrase: str) -> str:
    """Trim punctuation, footnote markers and quotes, and cap the length at a word boundary."""
    phrase = re.sub(r"\[\d+\]", "", phrase)
    phrase = _strip_unbalanced_quotes(phrase.strip(" ,;:"))
    if phrase.endswith(".") and not _ends_with_abbreviation(phrase, len(phrase) - 1):
        phrase = phrase[:-1].rstrip()
    if len(phrase) > MAX_CHARS:
        phrase = phrase[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:")
    return phrase
