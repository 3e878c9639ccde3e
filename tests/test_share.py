"""A view in the URL and back: good parameters restore it, bad or stale ones are named and dropped."""

from __future__ import annotations

from geo.filters import ClaimFilter
from geo.share import View, params_from_view, view_from_params

BOUNDS = (2014, 2017)
SOURCES = ["Reuters", "BBC"]
KINDS = ["city", "country"]
PLACES = {"geonames:99072", "country:IQ"}


def read(params):
    return view_from_params(params, BOUNDS, SOURCES, KINDS, PLACES)


def test_a_view_survives_the_round_trip_through_query_parameters():
    view = View(
        ClaimFilter(years=(2015, 2016), include_undated=False,
                    sources=frozenset({"BBC"}), kinds=frozenset({"city"})),
        place="geonames:99072",
    )  # fmt: skip
    restored, notices = read(params_from_view(view, BOUNDS))
    assert restored == view and notices == []


def test_the_unfiltered_view_has_an_empty_url():
    assert params_from_view(View(ClaimFilter(years=BOUNDS)), BOUNDS) == {}


def test_malformed_and_stale_parameters_are_ignored_each_with_a_notice():
    view, notices = read(
        {"years": "next year", "undated": "maybe", "source": ["BBC", "Gone Gazette"],
         "kind": "planet", "place": "geonames:1", "zoom": "3"}
    )  # fmt: skip
    assert view == View(ClaimFilter(sources=frozenset({"BBC"})), None)
    text = " ".join(notices)
    for word in ("years", "undated", "Gone Gazette", "planet", "geonames:1", "zoom"):
        assert word in text


def test_years_outside_the_corpus_are_narrowed_or_dropped_with_a_notice():
    view, notices = read({"years": "2010-2015"})
    assert view.selection.years == (2014, 2015) and "narrowed" in notices[0]
    view, notices = read({"years": "1990-1991"})
    assert view.selection.years is None and notices


def test_a_hostile_parameter_is_quoted_and_cut_short_in_the_notice():
    _, notices = read({"place": "<script>alert(1)</script>" + "x" * 500})
    assert len(notices[0]) < 150
