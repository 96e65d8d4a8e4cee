"""The basemaps a user can pick: the offline vector map (default) and online tile providers.

This is the only module that names an online tile URL. An online provider is contacted only
when a user picks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import folium

from basemap.outlines import BBox
from basemap.vector import ATTRIBUTION, add_offline_basemap

OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
CARTO_ATTRIBUTION = OSM_ATTRIBUTION + ' &copy; <a href="https://carto.com/attributions">CARTO</a>'
ESRI_ATTRIBUTION = (
    "Tiles &copy; Esri &mdash; Source: Esri, i-cubed, USDA, USGS, AEX, GeoEye, Getmapping,"
    " Aerogrid, IGN, IGP, UPR-EGP, and the GIS User Community"
)


@dataclass(frozen=True)
class Basemap:
    """One basemap choice; checks itself so a bad record fails at import, not in a browser."""

    name: str
    label: str
    tiles_url: str | None
    attribution: str  # HTML, as Leaflet's attribution control shows it
    max_zoom: int
    online: bool

    def __post_init__(self) -> None:
        """Refuse a record whose URL, attribution and online flag disagree."""
        problems = basemap_problems(self)
        if problems:
            raise ValueError(f"basemap {self.name!r}: " + "; ".join(problems))


def basemap_problems(basemap: Basemap) -> list[str]:
    """Everything wrong with a basemap record, in words."""
    problems = []
    if basemap.online and not (basemap.tiles_url or "").startswith("https://"):
        problems.append("an online basemap needs an https:// tiles_url")
    if not basemap.online and basemap.tiles_url is not None:
        problems.append("an offline basemap must not have a tiles_url")
    if not basemap.attribution.strip():
        problems.append("attribution is empty")
    if not 1 <= basemap.max_zoom <= 22:
        problems.append(f"max_zoom {basemap.max_zoom} is outside 1..22")
    return problems


BASEMAPS: dict[str, Basemap] = {
    b.name: b
    for b in (
        Basemap(
            "offline", "Offline map (no network)", None, ATTRIBUTION, 12, online=False,
        ),
        Basemap(
            "osm", "OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            OSM_ATTRIBUTION, 19, online=True,
        ),
        Basemap(
            "light", "CARTO Positron (online)",
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            CARTO_ATTRIBUTION, 20, online=True,
        ),
        Basemap(
            "dark", "CARTO Dark Matter (online)",
            "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
            CARTO_ATTRIBUTION, 20, online=True,
        ),
        Basemap(
            "satellite", "Esri World Imagery (online)",
            "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
            ESRI_ATTRIBUTION, 18, online=True,
        ),
    )
}  # fmt: skip
DEFAULT_BASEMAP = "offline"


def get_basemap(name: str) -> Basemap:
    """The basemap called name; a ValueError lists the valid names otherwise."""
    try:
        return BASEMAPS[name]
    except KeyError:
        valid = ", ".join(sorted(BASEMAPS))
        raise ValueError(f"unknown basemap {name!r}; choose one of: {valid}") from None


def add_basemap(
    m: folium.Map,
    name: str,
    layers_dir: Path,
    static_dir: Path | None = None,
    keep: BBox | None = None,
) -> None:
    """Add the named basemap to m: the offline vector layers, or an online tile layer.

    `static_dir`: the app's served folder, where the offline shapes are written for the page
    to fetch (see vector.add_offline_basemap); None embeds them. `keep`: a box (west, south,
    east, north) the view must be able to reach, where the offline basemap limits it.
    """
    basemap = get_basemap(name)
    # A vector basemap has no tiles to cap the zoom, so the map needs its own limit.
    m.options.setdefault("max_zoom", basemap.max_zoom)
    if not basemap.online:
        add_offline_basemap(m, layers_dir, static_dir, keep)
        return
    folium.TileLayer(
        tiles=basemap.tiles_url,
        attr=basemap.attribution,
        name=basemap.label,
        max_zoom=basemap.max_zoom,
    ).add_to(m)
