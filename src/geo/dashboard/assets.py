"""Serve Leaflet's JS and CSS and the basemap's detail layers from this machine: no CDN.

Leaflet comes from the XStatic-Leaflet package (Leaflet 1.9.3, BSD-2-Clause, the version folium
0.20 uses); the detail layers from src/geo/data/basemap/ (scripts/make_basemap_detail.py).
Streamlit serves a directory declared as a component at `/component/<name>/`; we use that route
for plain static files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
BASEMAP_DIR = Path(str(resources.files("geo") / "data" / "basemap"))
# Streamlit prefixes the name with the declaring module: the route is /component/geo.dashboard.assets.leaflet/
COMPONENT_NAME = f"{__name__}.leaflet"
BASEMAP_COMPONENT_NAME = f"{__name__}.basemap"


_registered = False


def register_leaflet_route() -> bool:
    """Ask the running Streamlit server to serve LEAFLET_DIR; False when no server runs (tests)."""
    global _registered
    from streamlit import runtime

    if not runtime.exists():
        return False
    if _registered:
        return True  # the registration persists for the server's lifetime
    import streamlit.components.v1 as components

    try:
        components.declare_component("leaflet", path=str(LEAFLET_DIR))
        components.declare_component("basemap", path=str(BASEMAP_DIR))
    except RuntimeError:
        # Streamlit names a component after its caller's module, which it cannot find while the
        # script is being re-imported after an edit; the next run registers it.
        return False
    _registered = True
    return True


def leaflet_urls() -> tuple[list[str], list[str]]:
    """(js_urls, css_urls) for Leaflet, relative to streamlit-folium's component iframe.

    The iframe's page is /component/streamlit_folium.st_folium/index.html, so "../<name>/" reaches
    our route, and keeps working when Streamlit runs under a server.baseUrlPath.
    """
    register_leaflet_route()
    base = f"../{COMPONENT_NAME}/"
    return [base + "leaflet.js"], [base + "leaflet.css"]


def basemap_url() -> str:
    """The folder of the basemap's detail layers, relative to the map's iframe (see leaflet_urls)."""
    register_leaflet_route()
    return f"../{BASEMAP_COMPONENT_NAME}/"
