"""A new folium map set up for this project: no tiles, canvas rendering, local Leaflet."""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement

from basemap.assets import DEFAULT_BASE_URL, use_local_assets
from basemap.templating import template

MAP_DEFAULTS: dict[str, Any] = {
    "tiles": None,
    "prefer_canvas": True,
    "control_scale": False,  # ScaleBar instead: folium's sits in the corner opposite the
    # attribution, which a long attribution then runs over on a narrow map
    # folium's default of 1rem overrides Leaflet's 0.75rem and makes the attribution and scale
    # text 16 px; Leaflet's own size keeps them small.
    "font_size": "0.75rem",
}


class ScaleBar(MacroElement):
    """Leaflet's scale bar in the attribution's corner, bottom right, where Leaflet stacks the
    two (and the legend) so that neither covers the other at any width."""

    _template = template(
        """
{% macro script(this, kwargs) %}
L.control.scale({position: "bottomright"}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"


class OpenOn(MacroElement):
    """Open the map on a box [[south, west], [north, east]] fitted to its size, at once: folium's
    fit_bounds animates the zoom, and a view set during the animation (a link's frame) was
    undone when it ended."""

    _template = template(
        """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.fitBounds({{ this.box | tojson }}, {padding: [6, 6], animate: false});
{% endmacro %}
"""
    )

    def __init__(self, box: list[list[float]]):
        super().__init__()
        self._name = "OpenOn"
        self.box = box


def new_map(
    center: tuple[float, float],
    zoom: int = 6,
    base_url: str = DEFAULT_BASE_URL,
    **kw: Any,
) -> folium.Map:
    """A tile-less, canvas-rendered map at center (lat, lon) that loads Leaflet from base_url,
    with a scale bar."""
    # folium hands min_zoom/max_zoom only to the tile layer it makes; with no tiles they would
    # be dropped, so they go to the Leaflet map's own options instead.
    limits: dict[str, Any] = {key: kw.pop(key) for key in ("min_zoom", "max_zoom") if key in kw}
    m = folium.Map(location=center, zoom_start=zoom, **{**MAP_DEFAULTS, **kw})
    m.options.update(limits)
    ScaleBar().add_to(m)
    return use_local_assets(m, base_url)
