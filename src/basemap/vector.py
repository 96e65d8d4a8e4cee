"""The offline basemap: the bundled GeoJSON layers drawn as a quiet reference map, no tiles.

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

from basemap.assets import static_url, write_once
from basemap.outlines import BBox, outlines
from basemap.templating import template

LAYER_FILES = {
    "countries": "countries.geojson",
    "governorates": "governorates.geojson",
    "rivers": "rivers.geojson",
    "cities": "cities.geojson",
}
# The line data/basemap/SOURCES.md asks maps to show. Each file's own metadata.attribution
# goes with it (see attribution_html), so a file whose licence changes brings its new text.
ATTRIBUTION = (
    "Natural Earth · Iraq COD-AB © OCHA / Central Statistical Organization of Iraq (CC BY-IGO)"
    " · GSHHG/WDBII (LGPL-3.0+) · GeoNames (CC BY 4.0)"
)
FOCUS_COUNTRY = "IRQ"

# Leaflet's own panes: tiles 200, overlays 400, markers 600, tooltips 650. The basemap sits
# between tiles and overlays, its labels just under the overlays, so site layers cover them.
SHAPES_PANE = "basemap"
LABELS_PANE = "basemap-labels"
PANES = {SHAPES_PANE: 250, LABELS_PANE: 390}
SHAPES_SUBDIR = "basemap"  # under the app's static/: the served shapes files

# How far past the data box (degrees) the view may go: the box's fade and a strip of no-data,
# enough to show that the data ends there, not so much that a map centred on a site near the
# edge is half empty.
VIEW_MARGIN = 0.5

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

# Which cities show from which zoom: Iraq's main cities always, neighbours' from the zoom
# that frames Iraq, the smaller Iraqi towns once there is room for them.
# `always`: keep the label even where it cannot avoid another (Iraq's main cities must show).
CITY_TIERS: dict[int, dict] = {
    1: {"min_zoom": 0, "radius": 2.6, "priority": 0, "always": True},
    2: {"min_zoom": 7, "radius": 2.0, "priority": 1, "always": False},
    3: {"min_zoom": 6, "radius": 2.0, "priority": 2, "always": False},
}
CITY_DOT = {"color": "#ffffff", "weight": 0.8, "fillColor": "#5a564f", "fillOpacity": 1}

# position and white-space repeat leaflet.css on purpose: st_folium appends the stylesheet
# without waiting for it, so labels are measured and placed before leaflet.css applies.
LABEL_CSS = """
.leaflet-tooltip.basemap-label {
    position: absolute; white-space: nowrap; pointer-events: none;
    background: none; border: 0; box-shadow: none; padding: 0 0 0 1px; margin: 0;
    color: #57534c; font: 11px/1.2 "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
    text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;
}
.leaflet-tooltip.basemap-label::before { display: none; }
.leaflet-tooltip.basemap-label-1 { color: #45423c; font-size: 12px; }
.leaflet-tooltip.basemap-label-3 { color: #7a766e; font-style: italic; }
.leaflet-tooltip.basemap-label-capital { font-weight: 600; }
.leaflet-tooltip.basemap-label-hidden { visibility: hidden; }
"""


def load_layer(path: Path) -> dict:
    """Parse one bundled GeoJSON file; shared and cached until the file changes, do not mutate."""
    path = Path(path)
    return _parse(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _parse(path: Path, mtime_ns: int) -> dict:
    """Parse a JSON file; mtime_ns is in the cache key so an edited file is read again."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_layers(layers_dir: Path) -> dict[str, dict]:
    """Parse every bundled layer, keyed by layer name."""
    return {name: load_layer(Path(layers_dir) / file) for name, file in LAYER_FILES.items()}


def add_offline_basemap(
    m: folium.Map, layers_dir: Path, static_dir: Path | None = None, keep: BBox | None = None
) -> None:
    """Draw the bundled layers on m as a non-interactive reference map below every overlay.

    With `static_dir` (the app's served folder) the shapes are written there (write_shapes) and
    the page fetches them instead of carrying them: about 250 KB less in every render of the map.
    The view is kept on the layers' box, widened to `keep` (the sites, say) if that is larger.
    """
    drawing = basemap_drawing(layers_dir)
    m.options["max_bounds"] = view_limits(drawing.bbox, keep)
    for name, z_index in PANES.items():
        m.add_child(CustomPane(name, z_index=z_index, pointer_events=False))
    m.add_child(BasemapLook(NO_DATA, LABEL_CSS, drawing.attribution))
    if static_dir is None:
        for collection in drawing.shapes:
            m.add_child(VectorLayer(collection, STYLES, SHAPES_PANE))
    else:
        name = write_shapes(layers_dir, Path(static_dir) / SHAPES_SUBDIR)
        m.add_child(FetchedVectorLayers(static_url(f"{SHAPES_SUBDIR}/{name}"), STYLES, SHAPES_PANE))
    m.add_child(CityLabels(drawing.cities, CITY_TIERS, LABELS_PANE))


def write_shapes(layers_dir: Path, target_dir: Path) -> str:
    """Write the basemap's shapes as one JSON file in target_dir; return the file name.

    The name carries a hash of the content, so a browser may cache the file for good and an
    edited layer gets a new name.
    """
    name, text = _shapes_file(Path(layers_dir), _mtimes(layers_dir))
    write_once(Path(target_dir) / name, text.encode("utf-8"))
    return name


class Drawing(NamedTuple):
    """What the offline basemap draws, derived from the layer files: data, not folium objects."""

    shapes: tuple[dict, ...]
    cities: list[list]
    attribution: str
    bbox: BBox


def basemap_drawing(layers_dir: Path) -> Drawing:
    """The shapes, cities and attribution to draw, recomputed only when a layer file changes."""
    # Deriving the outlines takes ~50 ms; a Streamlit rerun rebuilds the map every time.
    return _drawing(Path(layers_dir), _mtimes(layers_dir))


def _mtimes(layers_dir: Path) -> tuple[int, ...]:
    """The layer files' modification times: the cache key of what is derived from them."""
    return tuple((Path(layers_dir) / file).stat().st_mtime_ns for file in LAYER_FILES.values())


@lru_cache(maxsize=4)
def _drawing(layers_dir: Path, mtimes: tuple[int, ...]) -> Drawing:
    """basemap_drawing() for one state of the files (mtimes are only the cache key)."""
    layers = load_layers(layers_dir)
    return Drawing(
        tuple(shapes(layers)),
        city_rows(layers["cities"]),
        attribution_html(layers),
        data_bbox(layers["countries"]),
    )


def attribution_html(layers: dict[str, dict]) -> str:
    """SOURCES.md's attribution line, with each file's own attribution on hover.

    All five texts in the control took three lines of a 1,240 px map; the summary line says the
    same in one, and the per-file texts stay in the page for whoever hovers or reads the source.
    """
    detail = "\n".join(
        f"{name}: {layer['metadata']['attribution']}" for name, layer in layers.items()
    )
    return f'<span title="{html.escape(detail)}">{html.escape(ATTRIBUTION)}</span>'


def shapes(layers: dict[str, dict]) -> list[dict]:
    """The polygon and line layers as FeatureCollections tagged with a style kind, bottom first.

    Polygons are filled without a stroke; their lines come from outlines(), which leaves out
    the edges along the clip box, so the box never looks like a border or a coast.
    """
    countries, bbox = layers["countries"]["features"], data_bbox(layers["countries"])
    return [
        # Inside the box, whatever no country covers is sea (the Gulf, the Caspian).
        _collection([_feature("sea", _box_polygon(bbox))]),
        _collection([_feature(land_kind(f), f["geometry"]) for f in countries]),
        _collection(water(layers["rivers"]["features"], polygons=True)),
        _collection(water(layers["rivers"]["features"], polygons=False)),
        governorate_outlines(layers["governorates"]["features"], bbox),
        outlines(countries, "iso_a3", bbox, country_edge_kind),
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


def land_kind(feature: dict) -> str:
    """Style kind of a country fill: Iraq lighter than its neighbours."""
    return "land-focus" if feature["properties"]["iso_a3"] == FOCUS_COUNTRY else "land"


def country_edge_kind(owners: frozenset[str]) -> str | None:
    """Style kind of a country edge: shared by two countries is a border, else a coast."""
    if len(owners) == 1:
        return "coast"
    return "border-focus" if FOCUS_COUNTRY in owners else "border"


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
    """Style kind of a governorate edge: only the inner ones; Iraq's outline is a country border."""
    return "boundary" if len(owners) == 2 else None


def water(features: list[dict], polygons: bool) -> list[dict]:
    """Lakes (polygons=True) or rivers (False) from the rivers layer, tagged with a style kind."""
    return [
        _feature(water_kind(f["properties"]), f["geometry"])
        for f in features
        if f["geometry"]["type"].endswith("Polygon") == polygons
    ]


def water_kind(properties: dict) -> str:
    """Style kind of a water feature: lake, the big named rivers, other rivers, minor streams."""
    if properties["kind"] in ("lake", "reservoir"):
        return "lake"
    if properties["source"] == "naturalearth":
        return "river-major" if properties["scalerank"] <= 4 else "river"
    return "river" if properties["wdb_level"] <= 2 else "stream"


def city_rows(cities: dict) -> list[list]:
    """Cities as [lat, lon, name, tier, label CSS classes], most important first.

    The order is the labelling priority: Iraqi cities before neighbours', larger before smaller.
    """
    features = sorted(cities["features"], key=_city_priority)
    return [_city_row(f) for f in features]


def _city_priority(feature: dict) -> tuple[int, int]:
    """Sort key: tier 1 (main Iraqi cities), 2 (Iraqi towns), 3 (neighbours), then population."""
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


# The longest the basemap waits for the layers drawn on it (see BasemapLook).
WAIT_MS = 1000


class BasemapLook(MacroElement):
    """The basemap's page-level look (container background, label CSS, attribution), and when
    its parts are drawn: `map.basemapLater(draw)`.

    The basemap is the background of the layers the map is for, so those come first. A layer
    that loads its data may set `map.basemapAfter` before this runs: a promise that settles
    once that layer is on screen. The basemap's parts (shapes, labels) wait for it, or for
    WAIT_MS at most, and are then drawn each in a task of its own, so the page can paint and
    take input in between. Once every part is drawn the map's container gets
    `data-basemap="drawn"`. A part that fails (a shapes file that cannot be read) leaves it off.
    """

    _template = template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function (map) {
                map.getContainer().style.background = {{ this.background|tojson }};
                if (map.attributionControl) {
                    map.attributionControl.addAttribution({{ this.attribution|tojson }});
                }
                var after = Promise.race([map.basemapAfter || null, new Promise(function (r) {
                    setTimeout(r, {{ this.wait_ms }});
                })]);
                var parts = 0;
                map.basemapLater = function (draw) {
                    parts += 1;
                    after.then(function () {
                        setTimeout(function () {
                            Promise.resolve(draw()).then(function () {
                                parts -= 1;
                                if (!parts) { map.getContainer().dataset.basemap = "drawn"; }
                            });
                        }, 0);
                    });
                };
            })({{ this._parent.get_name() }});
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
            var {{ this.get_name() }} = (function () {
                var styles = {{ this.styles|tojson }};
                return L.geoJSON({{ this.data|tojson }}, {
                    pane: {{ this.pane|tojson }},
                    interactive: false,
                    style: function (feature) { return styles[feature.properties.kind]; }
                });
            })().addTo({{ this._parent.get_name() }});
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


@lru_cache(maxsize=4)
def _shapes_file(layers_dir: Path, mtimes: tuple[int, ...]) -> tuple[str, str]:
    """The file name and JSON text of the shapes (cached: a rerun only checks the file is there)."""
    text = json.dumps(_drawing(layers_dir, mtimes).shapes, separators=(",", ":"))
    return f"shapes-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json", text


class FetchedVectorLayers(MacroElement):
    """VectorLayer for each collection of a served JSON list, fetched at once, drawn in order
    when the basemap's turn comes (BasemapLook)."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var styles = {{ this.styles|tojson }};
                var shapes = fetch({{ this.url|tojson }}).then(function (r) { return r.json(); });
                map.basemapLater(function () {
                    return shapes.then(function (collections) {
                        collections.forEach(function (data) {
                            L.geoJSON(data, {
                                pane: {{ this.pane|tojson }},
                                interactive: false,
                                style: function (f) { return styles[f.properties.kind]; }
                            }).addTo(map);
                        });
                    });
                });
            })({{ this._parent.get_name() }});
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
    """City dots with permanent text labels: tiers by zoom, labels placed to avoid each other.

    First drawn when the basemap's turn comes (BasemapLook), then again on each zoom.
    """

    # Labels are built with textContent, never innerHTML: names are data, not markup.
    # Placement is greedy, most important city first: each label takes the first side of its
    # dot (right, left, above, below) where it covers no placed label and no other dot; a
    # label with no free side is hidden, unless its tier is `always`, then it goes right.
    _template = template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function (map) {
                var cities = {{ this.cities|tojson }};
                var tiers = {{ this.tiers|tojson }};
                var dot = {{ this.dot|tojson }};
                var pane = {{ this.pane|tojson }};
                var sides = [["right", 4, 0], ["left", -4, 0], ["top", 0, -1], ["bottom", 0, 1]];
                // Leaflet reads a tooltip's size each time it places it, which forces the
                // browser to lay out the page again after the previous label moved: up to
                // three layouts per label. These labels are sized together, in one read
                // (update()), then placed with that size.
                var Label = L.Tooltip.extend({
                    _setPosition: function (pos) {
                        var size = this.fpSize, d = this.options.direction;
                        if (!size) { return; }
                        var w = size[0], h = size[1];  // Leaflet 1.9's arithmetic
                        var back = d === "top" ? [w / 2, h] : d === "bottom" ? [w / 2, 0]
                            : d === "left" ? [w, h / 2] : [0, h / 2];
                        var el = this._container;
                        sides.forEach(function (s) {
                            L.DomUtil.removeClass(el, "leaflet-tooltip-" + s[0]);
                        });
                        L.DomUtil.addClass(el, "leaflet-tooltip-" + d);
                        L.DomUtil.setPosition(el, pos.subtract(L.point(back[0], back[1], true))
                            .add(L.point(this.options.offset)));
                    }
                });
                var markers = cities.map(function (city) {
                    var label = document.createElement("span");
                    label.textContent = city[2];
                    var options = {pane: pane, interactive: false, radius: tiers[city[3]].radius};
                    var tip = new Label({permanent: true, direction: "right", offset: [4, 0],
                                         pane: pane, interactive: false, className: city[4]});
                    return L.circleMarker([city[0], city[1]], Object.assign(options, dot))
                        .bindTooltip(tip.setContent(label));
                });
                function shown(i) { return map.getZoom() >= tiers[cities[i][3]].min_zoom; }
                function overlaps(a, b) {
                    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                }
                function dotBox(q) { return [q.x - 3, q.y - 3, q.x + 3, q.y + 3]; }
                function labelBox(p, side, w, h) {
                    var x = p.x + side[1], y = p.y + side[2];
                    if (side[0] === "right") { return [x, y - h / 2, x + w, y + h / 2]; }
                    if (side[0] === "left") { return [x - w, y - h / 2, x, y + h / 2]; }
                    if (side[0] === "top") { return [x - w / 2, y - h, x + w / 2, y]; }
                    return [x - w / 2, y, x + w / 2, y + h];
                }
                function place(i, points, placed) {
                    var tooltip = markers[i].getTooltip(), el = tooltip.getElement();
                    var w = tooltip.fpSize[0], h = tooltip.fpSize[1], p = points[i], chosen = null;
                    var blocked = function (box) {
                        return placed.some(function (b) { return overlaps(box, b); }) ||
                            points.some(function (q, j) {
                                return q && j !== i && overlaps(box, dotBox(q));
                            });
                    };
                    for (var s = 0; s < sides.length && !chosen; s++) {
                        if (!blocked(labelBox(p, sides[s], w, h))) { chosen = sides[s]; }
                    }
                    var visible = chosen !== null || tiers[cities[i][3]].always;
                    chosen = chosen || sides[0];
                    tooltip.options.direction = chosen[0];
                    tooltip.options.offset = [chosen[1], chosen[2]];
                    tooltip.update();
                    L.DomUtil[visible ? "removeClass" : "addClass"](el, "basemap-label-hidden");
                    if (visible) { placed.push(labelBox(p, chosen, w, h)); }
                }
                function update() {
                    markers.forEach(function (marker, i) {
                        if (shown(i)) { map.addLayer(marker); } else { map.removeLayer(marker); }
                    });
                    var points = markers.map(function (marker, i) {
                        return shown(i) ? map.latLngToContainerPoint(marker.getLatLng()) : null;
                    });
                    var sizes = markers.map(function (marker, i) {  // one layout for all
                        var el = points[i] && marker.getTooltip().getElement();
                        return el ? [el.offsetWidth, el.offsetHeight] : null;
                    });
                    markers.forEach(function (marker, i) {
                        if (sizes[i]) { marker.getTooltip().fpSize = sizes[i]; }
                    });
                    var placed = [];
                    points.forEach(function (p, i) { if (p) { place(i, points, placed); } });
                }
                map.on("zoomend", update);
                map.basemapLater(update);
                return markers;
            })({{ this._parent.get_name() }});
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
