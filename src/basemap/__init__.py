"""Basemaps for Footprint: offline vector layers, online tile providers, local Leaflet assets.

Knows nothing about sites; imports folium, never streamlit.
"""

from basemap.assets import DEFAULT_BASE_URL, inline_assets, install_static, use_local_assets
from basemap.maps import new_map
from basemap.providers import BASEMAPS, DEFAULT_BASEMAP, Basemap, add_basemap, get_basemap
from basemap.vector import add_offline_basemap

__all__ = [
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "DEFAULT_BASE_URL",
    "Basemap",
    "add_basemap",
    "add_offline_basemap",
    "get_basemap",
    "inline_assets",
    "install_static",
    "new_map",
    "use_local_assets",
]
