"""The basemaps a user can pick: the offline vector map (default) and online tile providers.

Online providers come from xyzservices, the maintained registry of tile URLs and attributions
that folium itself uses; only those needing no API key are offered. An online provider is
contacted only when a user picks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import folium
import xyzservices.providers as xyz
from xyzservices import TileProvider

from basemap.outlines import BBox
from basemap.vector import add_offline_basemap

# name in links -> (label, the registry's provider). CARTO's Positron and Dark Matter, offered
# before, now need an API key (xyzservices 2026.9), so they are no longer offered.
ONLINE = {
    "osm": ("OpenStreetMap (online)", xyz.OpenStreetMap.Mapnik),
    "topo": ("Esri World Topographic (online)", xyz.Esri.WorldTopoMap),
    "satellite": ("Esri World Imagery (online)", xyz.Esri.WorldImagery),
}
OFFLINE_ATTRIBUTION = "Bundled vector layers (each file's metadata names its sources)"
DEFAULT_MAX_ZOOM = 18


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


def from_registry(name: str, label: str, provider: TileProvider) -> Basemap:
    """A Basemap record for a provider of the xyzservices registry."""
    return Basemap(
        name, label, provider.build_url(), provider.html_attribution,
        int(provider.get("max_zoom", DEFAULT_MAX_ZOOM)), online=True,
    )  # fmt: skip


BASEMAPS: dict[str, Basemap] = {
    "offline": Basemap(
        "offline", "Offline map (no network)", None, OFFLINE_ATTRIBUTION, 12, online=False
    ),
    **{name: from_registry(name, label, p) for name, (label, p) in ONLINE.items()
       if not p.requires_token()},
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
    focus: tuple[str, ...] = (),
) -> None:
    """Add the named basemap to m: the offline vector layers, or an online tile layer.

    `static_dir`: the app's served folder, where the offline shapes are written for the page
    to fetch (see vector.add_offline_basemap); None embeds them. `keep`: a box (west, south,
    east, north) the view must be able to reach, where the offline basemap limits it. `focus`:
    the ISO alpha-3 codes of the countries the map is about, drawn lighter than the rest.
    """
    basemap = get_basemap(name)
    # A vector basemap has no tiles to cap the zoom, so the map needs its own limit.
    m.options.setdefault("max_zoom", basemap.max_zoom)
    if not basemap.online:
        add_offline_basemap(m, layers_dir, static_dir, keep, focus)
        return
    folium.TileLayer(
        tiles=basemap.tiles_url,
        attr=basemap.attribution,
        name=basemap.label,
        max_zoom=basemap.max_zoom,
    ).add_to(m)
