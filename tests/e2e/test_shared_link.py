"""A shared link reopens the same view: filters and selected place from the URL."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus, urlencode

from playwright.sync_api import expect

from geo.dashboard.filters import ClaimFilter, filter_claims, summarise_places
from geo.dashboard.mapview import SELECTED_STYLE, place_css_class
from geo.dashboard.share import View, params_from_view

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_a_shared_url_opens_the_same_place_and_filters_and_names_what_it_ignored(
    app_url, page, seeds_build
):
    mosul = seeds_build.places.loc[seeds_build.places["name"] == "Mosul"].iloc[0]
    page.goto(f"{app_url}/?kind=city&source=No+Such+Outlet&place={quote(mosul['place_id'])}")
    expect(page.locator(".geo-place h3")).to_have_text("Mosul", timeout=90_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_test_id("stMultiSelect").filter(has_text="Kinds of place")
    ).to_contain_text("city")
    expect(
        page.get_by_text("Ignored source(s) not in this corpus: 'No Such Outlet'.")
    ).to_be_visible()
    marker = page.frame_locator(MAP_FRAME).locator(
        "path." + ".".join(place_css_class(mosul["place_id"]).split())
    )
    expect(marker).to_have_attribute("fill", SELECTED_STYLE["fillColor"], timeout=30_000)
    # Only city markers are drawn: the filter from the link is in force.
    countries = page.frame_locator(MAP_FRAME).locator("path[class*='place-country-']")
    expect(countries).to_have_count(0)
    # The URL now holds the view as the app understands it (the stale source dropped).
    expect(page).to_have_url(f"{app_url}/?kind=city&place={quote(mosul['place_id'], safe='')}")


def test_a_link_to_an_unknown_place_opens_the_dashboard_with_a_notice(app_url, page):
    page.goto(f"{app_url}/?place=geonames%3A0&years=soon")
    expect(page.get_by_text("no such place in this corpus")).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Ignored years='soon'")).to_be_visible()
    expect(page.get_by_text("Click a place on the map, or pick one above")).to_be_visible()


def test_a_shared_url_restores_axis_speakers_hedging_arcs_and_an_older_links_timeline_span(
    app_url, page, seeds_build
):
    link = [
        ("axis", "stated"), ("speaker", "(not attributed)"), ("speaker", "Zamir Kabulov"),
        ("speaker", "Jane Gone"), ("hedge", "plain"), ("hedge", "estimated"), ("arcs", "1"),
        ("span", "2016"), ("place", "country:AF"),
    ]  # fmt: skip
    page.goto(f"{app_url}/?{urlencode(link)}")
    expect(page.locator(".geo-place h3")).to_have_text("Afghanistan", timeout=90_000)

    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_role("radio", name="What it describes (stated in the text only)")
    ).to_be_checked()
    speakers = sidebar.get_by_test_id("stMultiSelect").filter(has_text="Attributed to")
    expect(speakers).to_contain_text("Zamir Kabulov")
    expect(speakers).to_contain_text("(not attributed)")
    hedging = sidebar.get_by_test_id("stMultiSelect").filter(has_text="How firmly stated")
    expect(hedging).to_contain_text("plain statement")
    expect(hedging).to_contain_text("estimated")
    expect(sidebar.get_by_role("switch", name="Show movements (arcs)")).to_be_checked()
    expect(page.get_by_text("Ignored speaker(s) not in this corpus: 'Jane Gone'.")).to_be_visible()
    expect(page.get_by_text("people moving")).to_be_visible()  # the arcs' legend entry
    # A link from before the brush and the slider were one filter: its span is the year filter.
    expect(page.get_by_text(re.compile(r"Years 2016 \(the year slider"))).to_be_visible()

    # The map and the counts are those of the filters and span the link names, all together.
    selection = ClaimFilter(
        axis="stated",
        years=(2016, 2016),
        speakers=frozenset({"(not attributed)", "Zamir Kabulov"}),
        hedging=frozenset({"", "estimated"}),
    )
    claims = filter_claims(seeds_build.claims, seeds_build.places, selection)
    expected = summarise_places(seeds_build.places, claims)
    assert 0 < len(claims) < len(seeds_build.claims)
    expect(
        page.get_by_text(f"Showing {len(expected)} places · {len(claims)} claims")
    ).to_be_visible()
    expect(page.frame_locator(MAP_FRAME).locator("path.place")).to_have_count(
        len(expected), timeout=30_000
    )

    # The URL holds the view as the app understands it: the speaker gone from the corpus dropped.
    view = View(selection, "country:AF", arcs=True)
    query = urlencode(params_from_view(view), doseq=True, quote_via=quote_plus)
    assert "years=2016" in query and "span" not in query
    expect(page).to_have_url(f"{app_url}/?{query}")


def test_a_link_with_too_many_parameters_says_why_it_is_not_followed(app_url, page):
    # Streamlit empties a query string of over 1,000 parameters before the app sees it (issue 16,
    # finding 10): the page says so instead of silently showing the default view.
    page.goto(f"{app_url}/?{urlencode([('source', f'Outlet {i}') for i in range(1001)])}")
    notice = page.get_by_role("alert").filter(has_text="This link was not followed")
    expect(notice).to_contain_text("it has 1,001 parameters", timeout=90_000)
    expect(notice).to_contain_text("at most 1,000 parameters and 512 KB")
    expect(page.get_by_text("Click a place on the map, or pick one above")).to_be_visible()

    page.goto(app_url)  # no link at all: nothing to say
    expect(page.get_by_text("Click a place on the map, or pick one above")).to_be_visible(
        timeout=90_000
    )
    expect(page.locator("div.geo-link-dropped")).to_be_hidden()
    expect(page.get_by_text("This link was not followed")).to_have_count(0)
