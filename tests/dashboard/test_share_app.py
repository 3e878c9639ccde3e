"""A shared link through the dashboard script (streamlit.testing): every sidebar filter and the
movement arcs are set from the URL (the years on the slider and the timeline both), and the URL
follows the view."""

from __future__ import annotations

import sys

from streamlit.testing.v1 import AppTest
from test_app import APP, shown_counts

from geo.dashboard.filters import ClaimFilter, claim_speakers, filter_claims, year_bounds
from geo.dashboard.plain_text import as_shown


def open_link(monkeypatch, **params) -> AppTest:
    monkeypatch.setattr(sys, "argv", ["app.py"])
    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_a_link_sets_axis_speakers_hedging_arcs_and_span_and_names_what_it_dropped(
    monkeypatch, seeds_build
):
    at = open_link(
        monkeypatch, axis="published", speaker=["Zamir Kabulov", "Nobody Known"],
        hedge=["plain", "reported", "sure"], arcs="1", span="2016",
    )  # fmt: skip
    assert not at.exception
    sb = at.sidebar
    assert sb.radio(key="time_axis").value == "published"
    assert sb.multiselect(key="f_speakers").value == ["Zamir Kabulov"]
    assert sb.multiselect(key="f_hedging").value == ["", "reported"]
    assert sb.toggle(key="show_flows").value is True
    warnings = [as_shown(w.value) for w in at.warning]
    assert "Ignored speaker(s) not in this corpus: 'Nobody Known'." in warnings
    assert any(w.startswith("Ignored hedge='sure'") for w in warnings)
    # An older link's timeline span is the year filter now: on the slider and the timeline both.
    assert sb.slider(key="f_years").value == (2016, 2016)
    assert any("Years 2016**" in c.value for c in at.caption)

    claims = seeds_build.claims
    selection = ClaimFilter(axis="published", years=(2016, 2016),
                            speakers=frozenset({"Zamir Kabulov"}),
                            hedging=frozenset({"", "reported"}))  # fmt: skip
    expected = filter_claims(claims, seeds_build.places, selection)
    assert 0 < len(expected) < int((claim_speakers(claims) == "Zamir Kabulov").sum())
    assert shown_counts(at)[1] == len(expected)
    # The URL now holds the view as the app understands it: the stale and malformed values gone,
    # the years once.
    assert dict(at.query_params) == {
        "axis": "published", "years": "2016", "speaker": "Zamir Kabulov",
        "hedge": ["plain", "reported"], "arcs": "1",
    }  # fmt: skip


def test_showing_all_years_clears_the_linked_years_on_the_slider_and_the_timeline(
    monkeypatch, seeds_build
):
    at = open_link(monkeypatch, years="2014-2015")
    narrowed = shown_counts(at)[1]
    assert at.sidebar.slider(key="f_years").value == (2014, 2015)
    at.button(key="all_years").click().run()
    assert shown_counts(at)[1] == len(seeds_build.claims) > narrowed
    assert at.sidebar.slider(key="f_years").value == year_bounds(seeds_build.claims, "claim")
    assert "years" not in at.query_params
    assert not any("Years " in c.value for c in at.caption)
