"""streamlit-folium's click count, made to start where its frontend starts.

The map frontend counts clicks from 0, but `st_folium` gives the count's default value as None. The
frontend compares what it would send with that default, finds 0 != None once the map has loaded, and
sends it: Streamlit then reruns the map and the panel once after every page load, for nothing. With
the default at 0 as well, the first value the frontend sends is a real click.
"""

from __future__ import annotations

import streamlit_folium

COUNT = "last_object_clicked_count"


def start_click_count_at_zero() -> None:
    """Wrap streamlit-folium's component so that the click count's default is 0 (once; a no-op
    when a later streamlit-folium no longer has the private `_component_func`)."""
    component = getattr(streamlit_folium, "_component_func", None)
    if component is None or getattr(component, "starts_at_zero", False):
        return

    def component_with_zero_count(*args, **kwargs):
        default = kwargs.get("default")
        if isinstance(default, dict) and COUNT in default and default[COUNT] is None:
            kwargs["default"] = {**default, COUNT: 0}
        return component(*args, **kwargs)

    component_with_zero_count.starts_at_zero = True  # type: ignore[attr-defined]
    streamlit_folium._component_func = component_with_zero_count
