"""The offline basemap: the bundled GeoJSON layers drawn as a quiet reference map, no tiles.

The drawing itself is basemap.js; the elements here hand it the data.

Everything here is drawn in panes below the overlay pane and is non-interactive, so it never
covers or steals a click from the layers drawn on top of it. The shapes are either embedded in
the page (a standalone file needs no request beyond Leaflet itself) or, for the app, written once
to a served file the browser fetches and caches, so a rerun does not send them again.
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import folium
from folium.elements import MacroElement
from folium.map import CustomPane

from basemap.assets import add_script, static_url, write_once
from basemap.look import (
    CITY_DOT,
    CLIP_FADE,
    LABEL_CSS,
    NO_DATA,
    STYLES,
    water_kind,
)
from basemap.outlines import BBox, outlines
from basemap.templating import template

LAYER_FILES = {
    "countries": "countries.geojson",
    "governorates": "governorates.geojson",
    "rivers": "rivers.geojson",
    "cities": "cities.geojson",
}
# Leaflet's own panes: tiles 200, overlays 400, markers 600, tooltips 650. The basemap sits
# between tiles and overlays, its labels just under the overlays, so site layers cover them.
SHAPES_PANE = "basemap"
LABELS_PANE = "basemap-labels"
PANES = {SHAPES_PANE: 250, LABELS_PANE: 390}
SHAPES_SUBDIR = "basemap"  # under the app's static/: the served shapes files

# Which cities show from which zoom (tiers are set by the layer's build, SOURCES.md): tier 1,
# the focus countries' main cities, always; tier 3, the neighbours', from the zoom that frames
# a country; tier 2, the focus countries' smaller towns, once there is room for them.
# `always`: keep the label even where it cannot avoid another (the main cities must show).
CITY_TIERS: dict[int, dict] = {
    1: {"min_zoom": 0, "radius": 2.6, "priority": 0, "always": True},
    2: {"min_zoom": 7, "radius": 2.0, "priority": 1, "always": False},
    3: {"min_zoom": 6, "radius": 2.0, "priority": 2, "always": False},
}
# How far past the data box (degrees) the view may go: the box's fade and a strip of no-data,
# enough to show that the data ends there, not so much that a map centred on a site near the
# edge is half empty.
VIEW_MARGIN = 0.5


def load_layer(path: Path) -> dict:
    """Parse one bundled GeoJSON file; shared and cached until the file changes, do not mutate."""
    path = Path(path)
    return _parse(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _parse(path: Path, mtime_ns: int) -> dict:  # noqa: ARG001 - mtime_ns: the cache key
    """Parse a JSON file; mtime_ns is in the cache key so an edited file is read again."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_layers(layers_dir: Path) -> dict[str, dict]:
    """Parse every bundled layer, keyed by layer name."""
    return {name: load_layer(Path(layers_dir) / file) for name, file in LAYER_FILES.items()}


def add_offline_basemap(
    m: folium.Map,
    layers_dir: Path,
    static_dir: Path | None = None,
    keep: BBox | None = None,
    focus: tuple[str, ...] = (),
) -> None:
    """Draw the bundled layers on m as a non-interactive reference map below every overlay.

    With `static_dir` (the app's served folder) the shapes are written there (write_shapes) and
    the page fetches them instead of carrying them: about 250 KB less in every render of the map.
    The view is kept on the layers' box, widened to `keep` (the sites, say) if that is larger.
    """
    drawing = basemap_drawing(layers_dir, focus)
    add_script(m, BASEMAP_JS, static_dir)
    m.options["max_bounds"] = view_limits(drawing.bbox, keep)
    for name, z_index in PANES.items():
        m.add_child(CustomPane(name, z_index=z_index, pointer_events=False))
    m.add_child(BasemapLook(NO_DATA, LABEL_CSS, drawing.attribution))
    if static_dir is None:
        for collection in drawing.shapes:
            m.add_child(VectorLayer(collection, STYLES, SHAPES_PANE))
    else:
        name = write_shapes(layers_dir, Path(static_dir) / SHAPES_SUBDIR, focus)
        m.add_child(FetchedVectorLayers(static_url(f"{SHAPES_SUBDIR}/{name}"), STYLES, SHAPES_PANE))
    m.add_child(CityLabels(drawing.cities, CITY_TIERS, LABELS_PANE))


def write_shapes(layers_dir: Path, target_dir: Path, focus: tuple[str, ...] = ()) -> str:
    """Write the basemap's shapes as one JSON file in target_dir; return the file name.

    The name carries a hash of the content, so a browser may cache the file for good and an
    edited layer gets a new name.
    """
    name, text = _shapes_file(Path(layers_dir), _mtimes(layers_dir), tuple(focus))
    write_once(Path(target_dir) / name, text.encode("utf-8"))
    return name


class Drawing(NamedTuple):
    """What the offline basemap draws, derived from the layer files: data, not folium objects."""

    shapes: tuple[dict, ...]
    cities: list[list]
    attribution: str
    bbox: BBox


def basemap_drawing(layers_dir: Path, focus: tuple[str, ...] = ()) -> Drawing:
    """The shapes, cities and attribution to draw, recomputed only when a layer file changes.

    `focus`: the countries drawn lighter than their neighbours (ISO alpha-3 codes).
    """
    # Deriving the outlines takes ~50 ms; a Streamlit rerun rebuilds the map every time.
    return _drawing(Path(layers_dir), _mtimes(layers_dir), tuple(focus))


def _mtimes(layers_dir: Path) -> tuple[int, ...]:
    """The layer files' modification times: the cache key of what is derived from them."""
    return tuple((Path(layers_dir) / file).stat().st_mtime_ns for file in LAYER_FILES.values())


@lru_cache(maxsize=4)
def _drawing(layers_dir: Path, mtimes: tuple[int, ...], focus: tuple[str, ...]) -> Drawing:  # noqa: ARG001
    """basemap_drawing() for one state of the files (mtimes are only the cache key)."""
    layers = load_layers(layers_dir)
    return Drawing(
        tuple(shapes(layers, focus)),
        city_rows(layers["cities"]),
        attribution_html(layers),
        data_bbox(layers["countries"]),
    )


def attribution_html(layers: dict[str, dict]) -> str:
    """The layers' credit line, with each file's own attribution on hover.

    All the files' texts in the control took three lines of a 1,240 px map; the credit line
    says the same in one, and the per-file texts stay in the page for whoever hovers or reads
    the source.
    """
    detail = "\n".join(
        f"{name}: {layer['metadata']['attribution']}" for name, layer in layers.items()
    )
    return f'<span title="{html.escape(detail)}">{html.escape(credit(layers))}</span>'


def credit(layers: dict[str, dict]) -> str:
    """The one line that credits the layers' sources: the countries layer's `credit` metadata
    (the line data/basemap/SOURCES.md asks maps to show), else each file's attribution."""
    line = layers["countries"]["metadata"].get("credit")
    if line:
        return line
    parts = [p.strip() for layer in layers.values()
             for p in layer["metadata"]["attribution"].split(";")]  # fmt: skip
    return " · ".join(dict.fromkeys(parts))


def layers_credit(layers_dir: Path) -> str:
    """credit() of the layers in a folder."""
    return credit(load_layers(layers_dir))


def shapes(layers: dict[str, dict], focus: tuple[str, ...] = ()) -> list[dict]:
    """The polygon and line layers as FeatureCollections tagged with a style kind, bottom first.

    Polygons are filled without a stroke; their lines come from outlines(), which leaves out
    the edges along the clip box, so the box never looks like a border or a coast.
    """
    countries, bbox = layers["countries"]["features"], data_bbox(layers["countries"])
    return [
        # Inside the box, whatever no country covers is sea (the Gulf, the Caspian).
        _collection([_feature("sea", _box_polygon(bbox))]),
        _collection([_feature(land_kind(f, focus), f["geometry"]) for f in countries]),
        _collection(water(layers["rivers"]["features"], polygons=True)),
        _collection(water(layers["rivers"]["features"], polygons=False)),
        governorate_outlines(layers["governorates"]["features"], bbox),
        outlines(countries, "iso_a3", bbox, lambda owners: country_edge_kind(owners, focus)),
        _collection([_feature(kind, _box_polygon(bbox)) for kind in CLIP_FADE]),
        # The fade strokes straddle the box edge; an opaque mask hides their outer half.
        _collection([_feature("no-data", _outside_polygon(bbox))]),
    ]


def data_bbox(layer: dict) -> BBox:
    """The box the layer was clipped to, from its metadata."""
    west, south, east, north = layer["metadata"]["bbox"]
    return west, south, east, north


def view_limits(bbox: BBox, keep: BBox | None = None) -> list[list[float]]:
    """Leaflet's maxBounds for a basemap clipped to `bbox`: the box and `keep`, plus a margin.

    Past the box there is only the no-data colour, so a view centred on a site near its edge
    (a selected site, a link) is moved back over the data, and the map springs back when
    dragged off it. When the box is smaller than the view, Leaflet centres it.

    >>> view_limits((38.0, 28.5, 49.5, 38.5), keep=(36.0, 30.0, 40.0, 33.0))
    [[28.0, 35.5], [39.0, 50.0]]
    """
    west, south, east, north = bbox
    if keep is not None:
        west, south = min(west, keep[0]), min(south, keep[1])
        east, north = max(east, keep[2]), max(north, keep[3])
    pad = VIEW_MARGIN
    return [[south - pad, west - pad], [north + pad, east + pad]]


def land_kind(feature: dict, focus: tuple[str, ...] = ()) -> str:
    """Style kind of a country fill: the focus countries lighter than their neighbours."""
    return "land-focus" if feature["properties"]["iso_a3"] in focus else "land"


def country_edge_kind(owners: frozenset[str], focus: tuple[str, ...] = ()) -> str | None:
    """Style kind of a country edge: shared by two countries is a border, else a coast."""
    if len(owners) == 1:
        return "coast"
    return "border-focus" if owners & set(focus) else "border"


def governorate_outlines(features: list[dict], bbox: BBox) -> dict:
    """The inner governorate boundaries, country by country.

    Where two countries' governorates meet, the edge is a country border, drawn once as such.
    """
    by_country: dict[str, list[dict]] = {}
    for feature in features:
        by_country.setdefault(feature["properties"].get("country", ""), []).append(feature)
    return _collection(
        [
            line
            for country in sorted(by_country)
            for line in outlines(by_country[country], "pcode", bbox, governorate_edge_kind)[
                "features"
            ]
        ]
    )


def governorate_edge_kind(owners: frozenset[str]) -> str | None:
    """Style kind of a governorate edge: only the inner ones; the outline is a country border."""
    return "boundary" if len(owners) == 2 else None


def water(features: list[dict], polygons: bool) -> list[dict]:
    """Lakes (polygons=True) or rivers (False) from the rivers layer, tagged with a style kind."""
    return [
        _feature(water_kind(f["properties"]), f["geometry"])
        for f in features
        if f["geometry"]["type"].endswith("Polygon") == polygons
    ]


def city_rows(cities: dict) -> list[list]:
    """Cities as [lat, lon, name, tier, label CSS classes], most important first.

    The order is the labelling priority: by tier (focus countries' cities before neighbours'),
    then larger before smaller.
    """
    features = sorted(cities["features"], key=_city_priority)
    return [_city_row(f) for f in features]


def _city_priority(feature: dict) -> tuple[int, int]:
    """Sort key: tier 1 (main cities), 2 (towns), 3 (neighbours' cities), then population."""
    props = feature["properties"]
    return CITY_TIERS[props["tier"]]["priority"], -(props["population"] or 0)


def _city_row(feature: dict) -> list:
    """One city as [lat, lon, name, tier, label CSS classes] for the label template."""
    lon, lat = feature["geometry"]["coordinates"]
    props = feature["properties"]
    classes = f"basemap-label basemap-label-{props['tier']}"
    if props.get("capital") == "national":
        classes += " basemap-label-capital"
    return [lat, lon, props["name"], props["tier"], classes]


def _box_polygon(bbox: BBox) -> dict:
    """The clip box as a GeoJSON Polygon."""
    west, south, east, north = bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _outside_polygon(bbox: BBox) -> dict:
    """Everything outside the clip box, as a world polygon with the box as its hole."""
    world = [[-180.0, -85.0], [180.0, -85.0], [180.0, 85.0], [-180.0, 85.0], [-180.0, -85.0]]
    box = _box_polygon(bbox)["coordinates"][0][::-1]  # a hole winds clockwise (RFC 7946)
    return {"type": "Polygon", "coordinates": [world, box]}


def _feature(kind: str, geometry: dict) -> dict:
    """A GeoJSON Feature carrying only its style kind (keeps the page small)."""
    return {"type": "Feature", "properties": {"kind": kind}, "geometry": geometry}


def _collection(features: list[dict]) -> dict:
    """A GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=4)
def _shapes_file(
    layers_dir: Path, mtimes: tuple[int, ...], focus: tuple[str, ...]
) -> tuple[str, str]:
    """The file name and JSON text of the shapes (cached: a rerun only checks the file is there)."""
    text = json.dumps(_drawing(layers_dir, mtimes, focus).shapes, separators=(",", ":"))
    return f"shapes-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json", text


# The longest the basemap waits for the layers drawn on it (see basemap.js, look()).
WAIT_MS = 1000
BASEMAP_JS = Path(__file__).with_name("basemap.js")


class BasemapLook(MacroElement):
    """The basemap's page-level look (container background, label CSS, attribution), and when
    its parts are drawn: `map.basemapLater(draw)` (basemap.js, look())."""

    _template = template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            FootprintBasemap.look({{ this._parent.get_name() }}, {{ this.background|tojson }},
                {{ this.attribution|tojson }}, {{ this.wait_ms }});
        {% endmacro %}
        """
    )

    def __init__(self, background: str, css: str, attribution: str) -> None:
        super().__init__()
        self._name = "BasemapLook"
        self.background = background
        self.css = css
        self.attribution = attribution  # HTML: Leaflet's attribution control writes it as such
        self.wait_ms = WAIT_MS


class VectorLayer(MacroElement):
    """A non-interactive L.geoJSON layer in a given pane, styled by each feature's `kind`."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            FootprintBasemap.vectorLayer({{ this._parent.get_name() }}, {{ this.data|tojson }},
                {{ this.styles|tojson }}, {{ this.pane|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, styles: dict[str, dict], pane: str) -> None:
        super().__init__()
        self._name = "VectorLayer"
        self.data = data
        kinds = {f["properties"]["kind"] for f in data["features"]}
        self.styles = {kind: styles[kind] for kind in sorted(kinds)}
        self.pane = pane


class FetchedVectorLayers(MacroElement):
    """VectorLayer for each collection of a served JSON list, fetched at once, drawn in order
    when the basemap's turn comes."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            FootprintBasemap.fetchedLayers({{ this._parent.get_name() }}, {{ this.url|tojson }},
                {{ this.styles|tojson }}, {{ this.pane|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, styles: dict[str, dict], pane: str) -> None:
        super().__init__()
        self._name = "FetchedVectorLayers"
        self.url = url
        self.styles = styles
        self.pane = pane


class CityLabels(MacroElement):
    """City dots with permanent text labels: tiers by zoom, labels placed to avoid each other
    (basemap.js, cityLabels()). First drawn when the basemap's turn comes, then on each zoom."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            FootprintBasemap.cityLabels({{ this._parent.get_name() }}, {{ this.cities|tojson }},
                {{ this.tiers|tojson }}, {{ this.dot|tojson }}, {{ this.pane|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self, cities: list[list], tiers: dict[int, dict], pane: str, dot: dict | None = None
    ) -> None:
        super().__init__()
        self._name = "CityLabels"
        self.cities = cities
        self.tiers = tiers
        self.pane = pane
        self.dot = CITY_DOT if dot is None else dot
