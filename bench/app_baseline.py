"""The baseline of bench/app.py: the dashboard's places drawn as one folium CircleMarker each,
with a tooltip, instead of one GeoJson layer. `patch()` swaps it into the running app."""

from __future__ import annotations

import folium
import pandas as pd

from geo.dashboard import mapview


def circle_markers_layer(places: pd.DataFrame, selected_id: str | None = None):
    group = folium.FeatureGroup(name="places", control=False)
    for row in places.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        style = mapview.SELECTED_STYLE if row.place_id == selected_id else mapview.POINT_STYLE
        folium.CircleMarker(
            [float(row.lat), float(row.lon)],
            radius=mapview.marker_radius(row.n_claims),
            tooltip=f"{row.name} · {int(row.n_claims)} claims",
            color=style["color"],
            weight=style["weight"],
            fill=True,
            fill_color=style["fillColor"],
            fill_opacity=mapview.POINT_STYLE["fillOpacity"],
        ).add_to(group)
    return group


def patch() -> None:
    from geo.dashboard import evidence_ui, views

    # The layers kept per filter state (geo.dashboard.views) would be ours: made afresh instead.
    views.FilterView.remembered = lambda self, key, make: make()

    mapview.places_layer = circle_markers_layer
    evidence_ui.places_layer = circle_markers_layer
