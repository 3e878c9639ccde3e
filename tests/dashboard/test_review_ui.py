"""Where the dashboard keeps a corpus's corrections, and what it shows of them."""

from __future__ import annotations

from geo.build import review
from geo.build.pipeline import DEFAULT_CORPUS, DEFAULT_PLACES_CSV
from geo.dashboard import review_ui


def test_a_users_corpus_keeps_its_corrections_in_its_own_folder(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    assert review_ui.corrections_file(corpus, None, DEFAULT_CORPUS) == corpus / "curated-places.csv"


def test_the_places_option_and_the_bundled_seeds_name_their_places_file(tmp_path):
    chosen = tmp_path / "mine.csv"
    assert review_ui.corrections_file(tmp_path, chosen, DEFAULT_CORPUS) == chosen
    assert review_ui.corrections_file(DEFAULT_CORPUS, None, DEFAULT_CORPUS) == DEFAULT_PLACES_CSV


def test_the_corrections_shown_follow_the_file_as_it_changes(tmp_path):
    places = tmp_path / "curated-places.csv"
    assert review_ui.corrections_in(places) == []
    review.mark_not_a_place(places, "Been", "country:BJ", who="tester")
    assert [c.correction_of for c in review_ui.corrections_in(places)] == ["Been"]
    review.undo_correction(places, "Been")
    assert review_ui.corrections_in(places) == []
