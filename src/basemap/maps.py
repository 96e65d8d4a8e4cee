"""A new folium map set up for this project: no tiles, canvas rendering, local Leaflet."""

from __future__ import annotations

from typing import Any

import folium

from basemap.assets import DEFAULT_BASE_URL, use_local_assets

MAP_DEFAULTS: dict[str, Any] = {
    "tiles": None,
    "prefer_canvas": True,
    "control_scale": True,
    # folium's default of 1rem overrides Leaflet's 0.75rem and makes the attribution and scale
    # text 16 px; Leaflet's own size keeps them small.
    "font_size": "0.75rem",
}


def new_map(
    center: tuple[float, float],
    zoom: int = 6,
    base_url: str = DEFAULT_BASE_URL,
    **kw: Any,
) -> folium.Map:
    """A tile-less, canvas-rendered map at center (lat, lon) that loads Leaflet from base_url."""
    # folium hands min_zoom/max_zoom only to the tile layer it makes; with no tiles they would
    # be dropped, so they go to the Leaflet map's own options instead.
    limits = {key: kw.pop(key) for key in ("min_zoom", "max_zoom") if key in kw}
    m = folium.Map(location=center, zoom_start=zoom, **{**MAP_DEFAULTS, **kw})
    m.options.update(limits)
    return use_local_assets(m, base_url)
