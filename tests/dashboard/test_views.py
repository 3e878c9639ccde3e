import pandas as pd

from geo.dashboard import views
from geo.dashboard.filters import ClaimFilter, count_documents, filter_claims, summarise_places
from geo.store.schema import CLAIM_COLUMNS, PLACE_COLUMNS

PLACES = pd.DataFrame(
    [
        {"place_id": "geonames:99072", "name": "Mosul", "kind": "city", "country_code": "IQ",
         "lat": 36.34, "lon": 43.13},
        {"place_id": "country:SY", "name": "Syria", "kind": "country", "country_code": "SY",
         "lat": 35.0, "lon": 38.0},
    ],
    columns=PLACE_COLUMNS,
)  # fmt: skip


def claim(doc, place, start, date, source):
    row = dict.fromkeys(CLAIM_COLUMNS, "")
    row.update(claim_id=f"{doc}:{start}", doc_id=doc, place_id=place, start=start, end=start + 5,
               excerpt_start=0, date=date, date_basis="stated", source=source)  # fmt: skip
    return row


def claims() -> pd.DataFrame:
    return pd.DataFrame(
        [
            claim("a", "geonames:99072", 10, "2014-06", "Reuters"),
            claim("a", "geonames:99072", 50, "2016", "Reuters"),
            claim("b", "country:SY", 20, "2016-12-19", "AP"),
            claim("c", "country:SY", 7, "2017-10", "ATbar"),
        ],
        columns=CLAIM_COLUMNS,
    )


def test_sessions_with_the_same_filters_share_one_view():
    table = claims()
    reuters = ClaimFilter(sources=frozenset({"Reuters"}))
    first = views.filter_view(table, PLACES, reuters)
    again = views.filter_view(table, PLACES, ClaimFilter(sources=frozenset({"Reuters"})))
    assert again is first
    other = views.filter_view(table, PLACES, ClaimFilter(sources=frozenset({"AP"})))
    assert other is not first
    assert first.shown["source"].tolist() == ["Reuters", "Reuters"]
    assert other.shown["source"].tolist() == ["AP"]


def test_a_view_shows_what_the_filters_select():
    table = claims()
    selection = ClaimFilter(years=(2016, 2017))
    view = views.filter_view(table, PLACES, selection)
    assert view.shown.equals(filter_claims(table, PLACES, selection))
    assert view.summary.equals(summarise_places(PLACES, view.shown))
    assert view.n_documents == count_documents(view.shown)


def test_the_unfiltered_view_is_the_table_itself():
    table = claims()
    view = views.filter_view(table, PLACES, ClaimFilter())
    assert view.shown is table
    assert view.n_documents == 3


def test_kept_views_are_bounded(monkeypatch):
    monkeypatch.setattr(views, "MAX_VIEWS", 2)
    table = claims()
    made = [views.filter_view(table, PLACES, ClaimFilter(sources=frozenset({s})))
            for s in ("Reuters", "AP", "ATbar")]  # fmt: skip
    # The oldest went: asked again, it is made again (equal, not the same object).
    again = views.filter_view(table, PLACES, ClaimFilter(sources=frozenset({"Reuters"})))
    assert again is not made[0]
    assert again.shown.equals(made[0].shown)
    atbar = ClaimFilter(sources=frozenset({"ATbar"}))
    assert views.filter_view(table, PLACES, atbar) is made[2]


def test_remembered_makes_a_value_once_per_key():
    view = views.filter_view(claims(), PLACES, ClaimFilter())
    calls = []
    assert view.remembered("k", lambda: calls.append(1) or "v") == "v"
    assert view.remembered("k", lambda: calls.append(1) or "w") == "v"
    assert calls == [1]
