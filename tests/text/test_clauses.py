from geo.text.clauses import clause_at, clause_spans


def pieces(sentence, **options):
    return [sentence[a:b] for a, b in clause_spans(sentence, **options)]


def test_commas_and_conjunctions_cut_a_sentence_into_phrases():
    s = "With the loss of its strongholds, Darnah in late 2015 and Sirte by December 2016, it fell."
    assert pieces(s) == [
        "With the loss of its strongholds,", " Darnah in late 2015 ", "and Sirte by December 2016,",
        " it fell.",
    ]  # fmt: skip


def test_without_commas_an_appositive_stays_in_its_conjunct():
    s = "Mosul fell in 2014 and Raqqa, Syria, in 2015."
    assert pieces(s, commas=False) == ["Mosul fell in 2014 ", "and Raqqa, Syria, in 2015."]


def test_no_cut_inside_a_protected_span_or_a_number():
    s = "Between 2014 and 2015 some 2,000 fighters crossed; others stayed."
    start = s.index("2014")
    assert pieces(s, protected=[(start, start + len("2014 and 2015"))]) == [
        "Between 2014 and 2015 some 2,000 fighters crossed;", " others stayed.",
    ]  # fmt: skip


def test_spans_tile_the_sentence_and_clause_at_finds_the_span():
    s = "He left Mosul, but she stayed (in Raqqa) while they fled."
    spans = clause_spans(s)
    assert spans[0][0] == 0 and spans[-1][1] == len(s)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert s[slice(*spans[clause_at(spans, s.index("Raqqa"))])] == "in Raqqa)"


def test_empty_or_non_text_has_no_clauses():
    assert clause_spans("") == [] and clause_spans(None) == []
