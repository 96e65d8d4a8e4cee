"""The offline basemap's look in one table: colours and line styles by kind, city labels, and
which water features are areas. The Leaflet basemap (vector.py) and the
briefing PNG (footprint.export.picture) both draw from it.
"""

from __future__ import annotations

NO_DATA = "#f3f2ee"  # outside the data box: no information, so neither land nor sea
SEA = "#dde7ec"
WATER = "#8eb1c7"

STYLES: dict[str, dict] = {
    "no-data": {"stroke": False, "fill": True, "fillColor": NO_DATA, "fillOpacity": 1},
    "sea": {"stroke": False, "fill": True, "fillColor": SEA, "fillOpacity": 1},
    "land": {"stroke": False, "fill": True, "fillColor": "#e7e2d8", "fillOpacity": 1},
    "land-focus": {"stroke": False, "fill": True, "fillColor": "#f7f4ec", "fillOpacity": 1},
    "lake": {"color": WATER, "weight": 0.6, "fillColor": "#c6d9e4", "fillOpacity": 1},
    "river-major": {"color": WATER, "weight": 1.6, "lineJoin": "round"},
    "river": {"color": WATER, "weight": 1.0, "lineJoin": "round"},
    "stream": {"color": WATER, "weight": 0.6, "opacity": 0.8, "lineJoin": "round"},
    "boundary": {"color": "#aaa398", "weight": 0.8, "dashArray": "4 3"},
    "coast": {"color": "#9fb6c3", "weight": 0.8},
    "border": {"color": "#a69e91", "weight": 1.0},
    "border-focus": {"color": "#857d70", "weight": 1.5},
}


def clip_fade_styles(steps: int = 8, width: float = 36, opacity: float = 0.12) -> dict[str, dict]:
    """Styles for nested strokes along the clip box that fade the map into the no-data colour.

    A hard change of fill at the box edge can be read as a border; a soft fade reads as "the
    data ends here". Each stroke is narrower than the last and they add up towards the edge.
    """
    fade = {"color": NO_DATA, "opacity": opacity, "fill": False}
    return {f"clip-fade-{i}": {**fade, "weight": width * (steps - i) / steps} for i in range(steps)}


STYLES.update(clip_fade_styles())
CLIP_FADE = tuple(kind for kind in STYLES if kind.startswith("clip-fade-"))

CITY_DOT: dict = {"color": "#ffffff", "weight": 0.8, "fillColor": "#5a564f", "fillOpacity": 1}
CITY_LABEL = "#45423c"  # the main cities' label colour

# position and white-space repeat leaflet.css on purpose: st_folium appends the stylesheet
# without waiting for it, so labels are measured and placed before leaflet.css applies.
LABEL_CSS = f"""
.leaflet-tooltip.basemap-label {{
    position: absolute; white-space: nowrap; pointer-events: none;
    background: none; border: 0; box-shadow: none; padding: 0 0 0 1px; margin: 0;
    color: #57534c; font: 11px/1.2 "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
    text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;
}}
.leaflet-tooltip.basemap-label::before {{ display: none; }}
.leaflet-tooltip.basemap-label-1 {{ color: {CITY_LABEL}; font-size: 12px; }}
.leaflet-tooltip.basemap-label-3 {{ color: #7a766e; font-style: italic; }}
.leaflet-tooltip.basemap-label-capital {{ font-weight: 600; }}
.leaflet-tooltip.basemap-label-hidden {{ visibility: hidden; }}
"""


WATER_AREAS = ("lake", "reservoir")  # water features drawn as filled areas; the rest are lines


def water_kind(properties: dict) -> str:
    """Style kind of a water feature: lake, the big named rivers, other rivers, minor streams."""
    if properties["kind"] in WATER_AREAS:
        return "lake"
    if properties["source"] == "naturalearth":
        return "river-major" if properties["scalerank"] <= 4 else "river"
    return "river" if properties["wdb_level"] <= 2 else "stream"
