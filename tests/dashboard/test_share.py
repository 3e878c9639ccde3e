"""A view in the URL and back: good parameters restore it, bad or stale ones are named and dropped."""

from __future__ import annotations

import pytest

from geo.dashboard.filters import ClaimFilter
from geo.dashboard.share import View, params_from_view, view_from_params

BOUNDS = (2014, 2017)
AXIS_BOUNDS = {"claim": BOUNDS, "stated": (2015, 2016), "published": (2016, 2017)}
SOURCES = ["Reuters", "BBC"]
KINDS = ["city", "country"]
PLACES = {"geonames:99072", "country:IQ"}
SPEAKERS = {"Zamir Kabulov", "(not attributed)"}
HEDGING = {"", "reported"}  # "" is a plain statement


def read(params, year_bounds=BOUNDS):
    return view_from_params(
        params, year_bounds, SOURCES, KINDS, PLACES, speakers=SPEAKERS, hedging=HEDGING
    )


def test_a_view_survives_the_round_trip_through_query_parameters():
    view = View(
        ClaimFilter(years=(2015, 2016), include_undated=False,
                    sources=frozenset({"BBC"}), kinds=frozenset({"city"})),
        place="geonames:99072",
    )  # fmt: skip
    restored, notices = read(params_from_view(view, BOUNDS))
    assert restored == view and notices == []


def test_every_filter_the_sidebar_has_survives_the_round_trip():
    view = View(
        ClaimFilter(years=(2016, 2016), axis="stated", include_notes=False,
                    speakers=frozenset({"Zamir Kabulov", "(not attributed)"}),
                    hedging=frozenset({"", "reported"})),
        place="country:IQ", arcs=True,
    )  # fmt: skip
    params = params_from_view(view, AXIS_BOUNDS["stated"])
    assert params == {
        "axis": "stated", "years": "2016", "notes": "0",
        "speaker": ["(not attributed)", "Zamir Kabulov"],
        "hedge": ["plain", "reported"], "arcs": "1", "place": "country:IQ",
    }  # fmt: skip
    restored, notices = read(params, AXIS_BOUNDS)
    assert restored == view and notices == []


def test_the_unfiltered_view_has_an_empty_url():
    assert params_from_view(View(ClaimFilter(years=BOUNDS)), BOUNDS) == {}


def test_malformed_and_stale_parameters_are_ignored_each_with_a_notice():
    view, notices = read(
        {"years": "next year", "undated": "maybe", "source": ["BBC", "Gone Gazette"],
         "kind": "planet", "place": "geonames:1", "zoom": "3", "notes": "some"}
    )  # fmt: skip
    assert view == View(ClaimFilter(sources=frozenset({"BBC"})), None)
    text = " ".join(notices)
    for word in ("years", "undated", "Gone Gazette", "planet", "geonames:1", "zoom", "notes"):
        assert word in text


def test_years_outside_the_corpus_are_narrowed_or_dropped_with_a_notice():
    view, notices = read({"years": "2010-2015"})
    assert view.selection.years == (2014, 2015) and "narrowed" in notices[0]
    view, notices = read({"years": "1990-1991"})
    assert view.selection.years is None and notices


def test_a_hostile_parameter_is_quoted_and_cut_short_in_the_notice():
    _, notices = read({"place": "<script>alert(1)</script>" + "x" * 500})
    assert len(notices[0]) < 150


# --- time axis ----------------------------------------------------------------------------------


def test_the_time_axis_is_restored_and_its_own_years_bound_the_link():
    view, notices = read({"axis": "published", "years": "2014-2016"}, AXIS_BOUNDS)
    assert view.selection.axis == "published"
    assert view.selection.years == (2016, 2016)  # publication years are 2016-2017 here
    assert notices == ["Years 2014–2016 narrowed to 2016–2016, the years the claims cover."]


def test_an_unknown_time_axis_is_ignored_with_a_notice():
    view, notices = read({"axis": "geological"}, AXIS_BOUNDS)
    assert view.selection.axis == "claim"
    assert notices == ["Ignored axis='geological': expected claim or stated or published."]


def test_the_default_axis_is_left_out_of_the_url():
    assert "axis" not in params_from_view(View(ClaimFilter(axis="claim")))


# --- speakers -----------------------------------------------------------------------------------


def test_speakers_are_restored_and_one_gone_from_the_corpus_is_named():
    view, notices = read({"speaker": ["Zamir Kabulov", "Jane Gone"]})
    assert view.selection.speakers == frozenset({"Zamir Kabulov"})
    assert notices == ["Ignored speaker(s) not in this corpus: 'Jane Gone'."]


def test_a_speaker_with_markup_is_only_quoted():
    view, notices = read({"speaker": "<img src=x onerror=alert(1)>"})
    assert view.selection.speakers is None
    assert "'<img src=x onerror=alert(1)>'" in notices[0]


# --- hedging ------------------------------------------------------------------------------------


def test_hedging_levels_are_restored_with_plain_for_plain_statements():
    view, notices = read({"hedge": ["plain", "Reported"]})
    assert view.selection.hedging == frozenset({"", "reported"}) and notices == []


def test_a_hedging_level_that_does_not_exist_is_malformed():
    view, notices = read({"hedge": ["reported", "sure"]})
    assert view.selection.hedging == frozenset({"reported"})
    assert notices[0].startswith("Ignored hedge='sure': expected rumoured, denied,")


def test_a_hedging_level_no_claim_of_this_corpus_has_is_stale():
    view, notices = read({"hedge": "rumoured"})
    assert view.selection.hedging is None
    assert notices == ["Ignored hedging level(s) not in this corpus: 'rumoured'."]


# --- movement arcs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "arcs"), [("1", True), ("yes", True), ("0", False)])
def test_the_movement_arcs_switch_is_restored(value, arcs):
    view, notices = read({"arcs": value})
    assert view.arcs is arcs and notices == []


def test_a_malformed_arcs_switch_is_ignored_with_a_notice():
    view, notices = read({"arcs": "lots"})
    assert view.arcs is False and notices == ["Ignored arcs='lots': expected 0 or 1."]


def test_arcs_off_is_left_out_of_the_url():
    assert params_from_view(View(arcs=False)) == {} and params_from_view(View(arcs=True)) == {
        "arcs": "1"
    }


# --- an older link's timeline span -------------------------------------------------------------
# The brushed span and the year slider were two filters; they are one now (the years). A link
# made before still opens on the years it showed.


def test_the_years_are_carried_once_in_a_link():
    params = params_from_view(View(ClaimFilter(years=(2015, 2016))), BOUNDS)
    assert params == {"years": "2015-2016"}


def test_an_older_links_timeline_span_becomes_the_year_filter():
    view, notices = read({"span": "2015-2016"})
    assert view.selection.years == (2015, 2016) and notices == []
    assert params_from_view(view, BOUNDS) == {"years": "2015-2016"}


def test_a_malformed_timeline_span_is_ignored_with_a_notice():
    view, notices = read({"span": "2015 to 2016"})
    assert view.selection.years is None
    assert notices == ["Ignored span='2015 to 2016': expected YYYY or YYYY-YYYY."]


def test_a_stale_timeline_span_is_narrowed_or_dropped():
    view, notices = read({"span": "2016-2020"})
    assert view.selection.years == (2016, 2017)
    assert notices == ["Timeline span 2016–2020 narrowed to 2016–2017, the years the claims cover."]
    view, notices = read({"span": "1990"})
    assert view.selection.years is None and notices == [
        "Ignored span='1990': the claims date from 2014 to 2017."
    ]


def test_an_older_links_span_narrows_its_years():
    # The span was brushed on a chart of the years the year filter kept: what the map showed.
    view, notices = read({"years": "2014-2015", "span": "2015-2017"})
    assert view.selection.years == (2015, 2015)
    assert "narrowed to 2015–2015" in notices[0]


def test_a_timeline_span_on_an_undated_corpus_is_ignored():
    view, notices = read({"span": "2016"}, year_bounds=None)
    assert view.selection.years is None
    assert notices == ["Ignored the timeline span in the link: no claim in this corpus has a date."]
