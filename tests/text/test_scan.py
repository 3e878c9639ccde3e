import re
import string
import sys

from geo.text.scan import fold, has_any

ALL_CHARACTERS = "".join(map(chr, range(sys.maxunicode + 1)))
_ASCII_LETTER_IGNORING_CASE = re.compile("[a-z]", re.IGNORECASE)


def test_fold_is_one_character_for_each_character():
    folded = fold(ALL_CHARACTERS)
    assert len(folded) == len(ALL_CHARACTERS)
    # Character by character as well: a text's folding is the folding of its characters.
    assert all(len(fold(c)) == 1 for c in "\u0130\u0131\u017f\u212aAİz")


def test_a_character_matches_an_ascii_letter_ignoring_case_exactly_when_it_folds_to_it():
    folded = fold(ALL_CHARACTERS)
    for character, lowered in zip(ALL_CHARACTERS, folded, strict=True):
        if _ASCII_LETTER_IGNORING_CASE.fullmatch(character):
            letters = [a for a in string.ascii_lowercase if re.fullmatch(a, character, re.I)]
            assert letters == [lowered], hex(ord(character))
        else:
            assert lowered not in string.ascii_lowercase, hex(ord(character))


def test_fold_keeps_word_digit_and_space_characters():
    folded = fold(ALL_CHARACTERS)
    for pattern in (r"\w", r"\d", r"\s"):
        kinds = re.compile(pattern)
        before = [m.start() for m in kinds.finditer(ALL_CHARACTERS)]
        after = [m.start() for m in kinds.finditer(folded)]
        assert before == after, pattern


def test_anchors_are_found_in_any_case_and_spelling_that_ignorecase_matches():
    assert has_any(fold("The Kurds RUMOURED it"), ("rumo",))
    # Long s and the Kelvin sign match "s" and "k" under re.IGNORECASE, so they must here too.
    assert has_any(fold("\u017fuspected"), ("suspect",))
    assert has_any(fold("\u212aurds"), ("kurd",))
    assert has_any(fold("L\u0130KELY"), ("likely",))
    assert not has_any(fold("Fighters reached Mosul."), ("rumo", "report"))


def test_word_start_alternation_matches_where_a_leading_word_boundary_would():
    from geo.text.scan import word_start_alternation

    words = ["Sept", "Sep", "May", "MAY", "Jan", "_x", "9a"]
    fast = re.compile(word_start_alternation(words))
    plain = re.compile(r"\b(?:" + "|".join(words) + ")")
    texts = [
        "Sept Sep May MAY Jan",
        "September, in Sept. 2016 and 9 Sep",
        "Jan\nMay\tSep",
        "éMay _May 3May May3 xMay -May (May) Sept.",
        "Mayor Jane Janet SEPTember",
        "_x a_x 9a 19a",
        "",
        "M",
    ]
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [m.group() for m in fast.finditer(text)] == [m.group() for m in plain.finditer(text)]


def test_letter_variants_are_the_characters_that_ignorecase_matches_to_the_letter():
    from geo.text.scan import letter_variants

    # A character matches an ASCII letter ignoring case exactly when it folds to it (test above).
    folds_to: dict[str, set[str]] = {}
    for character, lowered in zip(ALL_CHARACTERS, fold(ALL_CHARACTERS), strict=True):
        if lowered in string.ascii_lowercase:
            folds_to.setdefault(lowered, set()).add(character)
    for letter in string.ascii_letters:
        variants = letter_variants(letter)
        assert len(variants) == len(set(variants))
        assert set(variants) == folds_to[letter.lower()], letter
