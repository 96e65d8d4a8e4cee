"""The briefing picture, drawn on the server from the data and the offline basemap (no browser).

An Altair (Vega-Lite) chart in one of the layouts (footprint.export.layout: a 16:9 or 4:3 slide,
A4 portrait), rendered by vl-convert to PNG, SVG or PDF (text as text): basemap layers,
uncertainty circles, numbered site markers (shape + colour by status), city names, scale bar,
and around the map what footprint.export.sheet writes. The map shows the view's frame (a
`map=` link) or the whole theatre with a close-up of its densest cluster. Numbers and names are
placed so that none overlaps another (footprint.export.labels). Our own Mercator maths places
the scale bar, the frame and the labels. Every colour and shape comes from the look tables
(footprint.look, basemap.look).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.schemapi import debug_mode

from basemap.look import CITY_DOT, CITY_LABEL, SEA, STYLES, WATER_AREAS
from basemap.vector import CITY_TIERS, layers_credit, load_layer
from footprint.briefing import Brief, frame_of
from footprint.export import sheet
from footprint.export.labels import (
    LINE,
    Box,
    Placed,
    line_box,
    place_names,
    place_numbers,
    text_width,
)
from footprint.export.layout import LAYOUTS, Layout
from footprint.export.nearby import neighbour_blocks
from footprint.layers import available
from footprint.look import (
    MARKER_REACH,
    RING,
    Mark,
    all_marks,
    status_marks,
)
from footprint.mercator import merc
from footprint.webmap import status_field

MAP_BOX = LAYOUTS["16x9"].map_box  # x0, y0, x1, y1 of the slide's map frame, in pixels
CLUSTER_KM, CLUSTER_MIN = 60, 3  # a close-up is drawn when this many sites lie this close
INK, GREY = sheet.INK, sheet.GREY
NUMBER, CITY = 17, 13  # font sizes (px) of the site numbers and the city names
MARKER = MARKER_REACH  # a marker's reach from its point (px): labels keep clear of it


@dataclass(frozen=True)
class Frame:
    """A Mercator projection fitted to a lon/lat box inside the pixel box MAP_BOX."""

    k: float
    tx: float
    ty: float
    box: Box = MAP_BOX

    @classmethod
    def fit(cls, extent: tuple[float, ...], box: Box = MAP_BOX) -> Frame:
        """Fit the lon/lat extent (west, south, east, north) into the pixel box, centred."""
        lon0, lat0, lon1, lat1 = extent
        x0, y0, x1, y1 = box
        lam0, lam1 = math.radians(lon0), math.radians(lon1)
        m0, m1 = merc(lat0), merc(lat1)
        k = min((x1 - x0) / (lam1 - lam0), (y1 - y0) / (m1 - m0))
        tx = x0 + ((x1 - x0) - k * (lam1 - lam0)) / 2 - k * lam0
        ty = y0 + ((y1 - y0) - k * (m1 - m0)) / 2 + k * m1
        return cls(k, tx, ty, box)

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point."""
        return self.tx + self.k * math.radians(lon), self.ty - self.k * merc(lat)

    def km_to_px(self, km: float, lat: float) -> float:
        """Length in pixels of `km` along a parallel at `lat`."""
        return self.k * (km / 6371.0088) / math.cos(math.radians(lat))

    def inside(self, df: pd.DataFrame, margin: float = 4) -> pd.Series:
        """Which rows (lon, lat columns) fall inside the frame: points are not clipped by Vega."""
        x0, y0, x1, y1 = self.box
        xy = [self.px(lon, lat) for lon, lat in zip(df["lon"], df["lat"], strict=True)]
        ok = [x0 + margin <= x <= x1 - margin and y0 + margin <= y <= y1 - margin for x, y in xy]
        return pd.Series(ok, index=df.index, dtype=bool)

    def zoom(self) -> float:
        """The Leaflet zoom this frame's scale matches (256 pixels for the world at zoom 0)."""
        return math.log2(2 * math.pi * self.k / 256)

    def centre_lat(self) -> float:
        """The latitude at the frame's vertical middle (where the scale bar is drawn true)."""
        y = (self.box[1] + self.box[3]) / 2
        return math.degrees(2 * math.atan(math.exp((self.ty - y) / self.k)) - math.pi / 2)

    def projection(self) -> alt.Projection:
        """The same projection for Vega-Lite, clipped to the frame's box."""
        x0, y0, x1, y1 = self.box
        return alt.Projection(
            type="mercator", scale=self.k, translate=[self.tx, self.ty],
            clipExtent=[[x0, y0], [x1, y1]],
        )  # fmt: skip


BASEMAP = {  # the basemap's data in a picture: (layer file, which features)
    "countries": ("countries", lambda _: True),
    "governorates": ("governorates", lambda _: True),
    "rivers": ("rivers", lambda p: p["kind"] not in WATER_AREAS),
    "lakes": ("rivers", lambda p: p["kind"] in WATER_AREAS),
}


def basemap_data(layers_dir: Path) -> dict[str, list]:
    """The basemap's features for Vega, by the names basemap_layers draws them under. They go
    into the spec once, beside the chart (Picture.spec), and not through Altair, which would
    copy and check every coordinate of them for each map frame."""
    return {
        name: [rewind(f) for f in load_layer(layers_dir / f"{file}.geojson")["features"]
               if keep(f["properties"])]
        for name, (file, keep) in BASEMAP.items()
    }  # fmt: skip


def rewind(feature: dict) -> dict:
    """Wind polygons the way d3 (Vega) wants: outer rings clockwise, holes anticlockwise.

    GeoJSON (RFC 7946) winds outer rings anticlockwise; d3 reads such a ring as "the whole
    globe except this polygon" and fills the world.

    >>> sq = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> rewind({"geometry": sq})["geometry"]["coordinates"][0][1]
    [0, 1]
    """
    g = feature["geometry"]
    if g["type"] not in ("Polygon", "MultiPolygon"):
        return feature
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    fixed = [[_wind(r, clockwise=(i == 0)) for i, r in enumerate(p)] for p in polys]
    coords = fixed if g["type"] == "MultiPolygon" else fixed[0]
    return {**feature, "geometry": {"type": g["type"], "coordinates": coords}}


def _wind(ring: list, clockwise: bool) -> list:
    area2 = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    return ring if (area2 < 0) == clockwise else ring[::-1]


def extent(shown: pd.DataFrame, box: tuple[float, ...], pad: float = 0.4) -> tuple[float, ...]:
    """The lon/lat box to show: the theatre's frame (west, south, east, north) grown to include
    every site, padded."""
    lons = [box[0], box[2], *shown["lon"]]
    lats = [box[1], box[3], *shown["lat"]]
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad


def basemap_layers(frame: Frame, focus: tuple[str, ...]) -> list[alt.Chart]:
    """Countries (the focus ones lighter), governorate lines and water (cities: map_labels),
    drawing the data basemap_data names."""
    base = alt.Chart().properties(projection=frame.projection())
    codes = ", ".join(f"'{c}'" for c in focus)
    border, boundary, lake, river = (STYLES[k] for k in ("border", "boundary", "lake", "river"))
    land = base.mark_geoshape(strokeWidth=border["weight"], stroke=border["color"]).encode(
        fill=alt.condition(
            f"indexof([{codes}], datum.properties.iso_a3) >= 0",
            alt.value(STYLES["land-focus"]["fillColor"]), alt.value(STYLES["land"]["fillColor"]),
        )
    )  # fmt: skip
    return [
        land.properties(data=alt.Data(name="countries")),
        base.mark_geoshape(fill=None, stroke=boundary["color"], strokeWidth=boundary["weight"],
                           strokeDash=[4, 3]).properties(data=alt.Data(name="governorates")),
        base.mark_geoshape(fill=None, stroke=river["color"], strokeWidth=1.1)
        .properties(data=alt.Data(name="rivers")),
        base.mark_geoshape(fill=lake["fillColor"], stroke=lake["color"], strokeWidth=lake["weight"])
        .properties(data=alt.Data(name="lakes")),
    ]  # fmt: skip


def cities(layers_dir: Path, frame: Frame) -> pd.DataFrame:
    """The cities the live map would show at the frame's zoom (basemap.vector.CITY_TIERS), in
    its labelling order (most important first), that lie inside the frame."""
    rows = [
        {"name": f["properties"]["name"], "lon": f["geometry"]["coordinates"][0],
         "lat": f["geometry"]["coordinates"][1], "tier": f["properties"]["tier"],
         "people": f["properties"].get("population") or 0}
        for f in load_layer(layers_dir / "cities.geojson")["features"]
        if CITY_TIERS[f["properties"]["tier"]]["min_zoom"] <= frame.zoom()
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=["name", "lon", "lat", "tier", "people"])
    df["order"] = df["tier"].map(lambda t: CITY_TIERS[t]["priority"])
    df = df.sort_values(["order", "people"], ascending=[True, False], kind="stable")
    return df[frame.inside(df)]


def with_looks(df: pd.DataFrame, marks: dict[str, Mark]) -> pd.DataFrame:
    """The brief's sites with the Vega look of each (from its `style`): shape, fill, stroke."""
    vega = [marks[k].vega() for k in df["style"]]
    return df.assign(**{k: [v[k] for v in vega] for k in ("shape", "fill", "stroke")})


def site_layers(df: pd.DataFrame, frame: Frame) -> tuple[list[alt.Chart], dict[str, list]]:
    """Uncertainty circles and markers of the sites given (those inside the frame); and their
    data, by the names the layers draw it under (kept out of Altair, as the basemap's is)."""
    proj = frame.projection()
    rings = [
        rewind(circle_ring(lon, lat, km))
        for lon, lat, km in zip(df["lon"], df["lat"], df["uncertainty_km"], strict=True)
        if pd.notna(km) and km > 0
    ]
    points = df[["lon", "lat", "shape", "fill", "stroke"]].to_dict("records")  # what is drawn
    data = {(name := named("sites", points)): points}
    base = (
        alt.Chart(alt.Data(name=name))
        .encode(longitude=alt.Longitude("lon:Q"), latitude=alt.Latitude("lat:Q"))
        .properties(projection=proj)
    )
    layers = []
    if rings:
        data[ring_name := named("rings", rings)] = rings
        layers.append(
            alt.Chart(alt.Data(name=ring_name)).mark_geoshape(
                fill=RING["colour"], fillOpacity=RING["fill_opacity"], stroke=RING["colour"],
                strokeWidth=RING["weight"], strokeDash=list(RING["dash"]),
            ).properties(projection=proj)
        )  # fmt: skip
    layers.append(
        base.mark_point(filled=True, size=260, strokeWidth=3, opacity=1).encode(
            shape=alt.Shape("shape:N", scale=None),
            fill=alt.Fill("fill:N", scale=None),
            stroke=alt.Stroke("stroke:N", scale=None),
        )
    )
    return layers, data


def named(kind: str, values: list) -> str:
    """A name for a picture's dataset, from what it holds: the same rows, the same name."""
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    return f"{kind}-{digest[:16]}"


@dataclass(frozen=True)
class MapLabels:
    """A map frame's labels: the numbers (text, placement) and the city names."""

    numbers: list[tuple[str, Placed]]
    names: list[tuple[str, Placed]]
    dots: list[tuple[float, float]]

    def boxes(self) -> list[Box]:
        """Every label's box: what the overlap tests measure."""
        return [p.box for _, p in (*self.numbers, *self.names)]


def map_labels(
    df: pd.DataFrame, frame: Frame, layers_dir: Path, numbers: pd.Series, taken: list[Box]
) -> MapLabels:
    """Place the numbers of the sites where `numbers` (the first site at each point), clear of
    every marker and `taken` box (the map layers' marks among them); then the city names, clear
    of all that."""
    x0, y0, x1, y1 = frame.box
    bounds = (x0 + 3, y0 + 3, x1 - 3, y1 - 3)
    points = [frame.px(lon, lat) for lon, lat in zip(df["lon"], df["lat"], strict=True)]
    obstacles = [(x - MARKER, y - MARKER, x + MARKER, y + MARKER) for x, y in points]
    obstacles += taken
    keep = (df["first"] & numbers).to_list()
    texts = [t for t, k in zip(df["label"], keep, strict=True) if k]
    where = [p for p, k in zip(points, keep, strict=True) if k]
    sizes = [(text_width(t, NUMBER, bold=True) + 6, NUMBER * LINE) for t in texts]
    placed = place_numbers(where, sizes, MARKER, bounds, obstacles)
    nums = [(t, p) for t, p in zip(texts, placed, strict=True) if p is not None]
    city = cities(layers_dir, frame)
    dots = [frame.px(lon, lat) for lon, lat in zip(city["lon"], city["lat"], strict=True)]
    sizes = [(text_width(n, CITY) + 4, CITY * LINE) for n in city["name"]]
    used = obstacles + [p.box for _, p in nums] + [line_box(p.leader) for _, p in nums if p.leader]
    names = place_names(dots, sizes, 4, bounds, used)
    named = [(n, p) for n, p in zip(city["name"], names, strict=True) if p is not None]
    return MapLabels(nums, named, dots)


def label_layers(labels: MapLabels) -> list[alt.Chart]:
    """City dots and names, leader lines, and the numbers (white halo under black text)."""
    px = lambda _: alt.X("x:Q", scale=None)  # noqa: E731
    layers = []
    if labels.dots:
        dots = pd.DataFrame(labels.dots, columns=["x", "y"])
        layers.append(alt.Chart(dots).mark_circle(size=14, color=CITY_DOT["fillColor"], opacity=1)
                      .encode(x=px(0), y=alt.Y("y:Q", scale=None)))  # fmt: skip
    lines = [p.leader for _, p in labels.numbers if p.leader]
    if lines:
        rules = pd.DataFrame(lines, columns=["x", "y", "x2", "y2"])
        layers.append(alt.Chart(rules).mark_rule(color=GREY, strokeWidth=1.2).encode(
            x=px(0), y=alt.Y("y:Q", scale=None), x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q")))  # fmt: skip
    text: dict[str, Any] = {"align": "center", "baseline": "middle", "font": sheet.FONT}
    styled: list[tuple[list[tuple[str, Placed]], dict[str, Any]]] = [  # Vega mark options
        (labels.names, {"fontSize": CITY, "color": CITY_LABEL}),
        (labels.numbers, {"fontSize": NUMBER, "fontWeight": "bold", "color": INK,
                          "stroke": "#ffffff", "strokeWidth": 4, "strokeOpacity": 0.9}),
        (labels.numbers, {"fontSize": NUMBER, "fontWeight": "bold", "color": INK}),
    ]  # fmt: skip
    for rows, style in styled:
        if rows:
            df = pd.DataFrame([(*p.centre, t) for t, p in rows], columns=["x", "y", "t"])
            layers.append(alt.Chart(df).mark_text(**text, **style).encode(
                x=px(0), y=alt.Y("y:Q", scale=None), text=alt.Text("t:N")))  # fmt: skip
    return layers


def scale_bar(frame: Frame, lat: float) -> tuple[list[alt.Chart], Box]:
    """A round-numbered bar of about a fifth of the frame's width, at its bottom left; and the
    box it takes, which labels keep clear of."""
    x0, _, x1, y1 = frame.box
    per_km = frame.km_to_px(1, lat)
    km = next(k for k in (500, 200, 100, 50, 20, 10, 5, 2, 1) if k * per_km <= (x1 - x0) / 4)
    x, y = x0 + 16, y1 - 26
    bar = pd.DataFrame({"x": [x], "x2": [x + km * per_km], "y": [y]})
    rule = (
        alt.Chart(bar)
        .mark_rule(strokeWidth=4, color="#333")
        .encode(x=alt.X("x:Q", scale=None), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=None))
    )
    taken = (x - 4, y - 6, x + max(km * per_km, 60) + 4, y + 22)
    return [rule, *sheet.text_layer([(x, y + 5, f"{km} km", {"fontSize": 13})])], taken


def circle_ring(lon: float, lat: float, km: float, n: int = 48) -> dict:
    """A GeoJSON polygon approximating a circle of `km` around a point."""
    dlat = km / 111.32
    dlon = km / (111.32 * math.cos(math.radians(lat)))
    ring = [
        [lon + dlon * math.cos(2 * math.pi * i / n), lat + dlat * math.sin(2 * math.pi * i / n)]
        for i in range(n + 1)
    ]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {},
    }


def box_layer(box: tuple[float, float, float, float], **mark) -> alt.Chart:
    """A rectangle in pixels: the sea behind a map, a frame border, or a label backdrop."""
    x0, y0, x1, y1 = box
    frame = pd.DataFrame({"x": [x0], "x2": [x1], "y": [y0], "y2": [y1]})
    return (
        alt.Chart(frame)
        .mark_rect(fill=mark.pop("fill", None), **mark)
        .encode(
            x=alt.X("x:Q", scale=None),
            x2=alt.X2("x2:Q"),
            y=alt.Y("y:Q", scale=None),
            y2=alt.Y2("y2:Q"),
        )
    )


def densest(df: pd.DataFrame) -> pd.DataFrame:
    """The sites within CLUSTER_KM of the site with most such neighbours (empty if too few).

    Distances on a local flat map (km east and north, at the sites' mean latitude); the
    neighbours are counted through a grid (nearby.neighbour_blocks), not an N x N array."""
    if df.empty:
        return df
    lat, lon = df["lat"].to_numpy(), df["lon"].to_numpy()
    shrink = math.cos(math.radians(float(lat.mean())))  # a degree east is shorter than north

    def near(i, j):  # which pairs lie within CLUSTER_KM (i against j, as arrays)
        dy = (lat[i, None] - lat[None, j]) * 111.32
        dx = (lon[i, None] - lon[None, j]) * 111.32 * shrink
        return (dx**2 + dy**2) <= CLUSTER_KM**2

    counts = np.zeros(len(df), dtype=np.int64)
    for i, j in neighbour_blocks(lon * 111.32 * shrink, lat * 111.32, CLUSTER_KM):
        counts[i] += near(i, j).sum(axis=1)
    best = int(counts.argmax())
    mine = near(np.array([best]), np.arange(len(df)))[0]
    return df[mine] if mine.sum() >= CLUSTER_MIN else df.iloc[0:0]


def inset_extent(cluster: pd.DataFrame, box: Box, pad: float = 0.15) -> tuple[float, ...]:
    """The cluster's lon/lat box, padded and widened to the aspect ratio of the pixel `box`."""
    lon0, lon1 = cluster["lon"].min() - pad, cluster["lon"].max() + pad
    lat0, lat1 = cluster["lat"].min() - pad, cluster["lat"].max() + pad
    x0, y0, x1, y1 = box
    want = (x1 - x0) / (y1 - y0) / math.cos(math.radians((lat0 + lat1) / 2))
    if (lon1 - lon0) / (lat1 - lat0) < want:
        grow = (want * (lat1 - lat0) - (lon1 - lon0)) / 2
        lon0, lon1 = lon0 - grow, lon1 + grow
    else:
        grow = ((lon1 - lon0) / want - (lat1 - lat0)) / 2
        lat0, lat1 = lat0 - grow, lat1 + grow
    return lon0, lat0, lon1, lat1


def map_layers(
    df: pd.DataFrame, frame: Frame, layers_dir: Path, numbers: pd.Series, focus: tuple[str, ...],
    overlays=lambda _df, _frame: ([], []), edge: tuple[str, ...] = (),
) -> tuple[list, MapLabels, dict[str, list]]:  # fmt: skip
    """One map frame: sea, basemap, the sites inside it (numbers only where `numbers`), the map
    layers that are on (`overlays(sites, frame)`: their charts and the boxes they take), city
    names, scale bar, `edge` (where the sources stop, in a box at its top), border; its labels
    (for the overlap tests); and the sites' data, by name."""
    inside = frame.inside(df)
    df, numbers = df[inside], numbers[inside]
    bar, bar_box = scale_bar(frame, frame.centre_lat())
    notice, notice_box = edge_box(frame, edge)
    marks, marks_taken = overlays(df, frame)
    taken = [bar_box, *([notice_box] if notice else []), *marks_taken]
    labels = map_labels(df, frame, layers_dir, numbers, taken)
    sites, data = site_layers(df, frame)
    layers = [
        box_layer(frame.box, fill=SEA),
        *basemap_layers(frame, focus),
        *sites,
        *marks,
        *label_layers(labels),
        *bar,
        *notice,
        box_layer(frame.box, stroke="#999999"),
    ]
    return layers, labels, data


EDGE_INK, EDGE_FILL = "#3d3000", "#fff4d6"  # the live map's .fp-edge box (webmap.CSS)


def edge_box(frame: Frame, notes: tuple[str, ...]) -> tuple[list, Box]:
    """Where the sources stop, written inside the map at its top left, on a pale box; and the
    box it takes, which labels keep clear of."""
    if not notes:
        return [], (0, 0, 0, 0)
    x0, y0, x1, _ = frame.box
    width = min(x1 - x0 - 24, max(text_width(n, 14, bold=True) for n in notes) + 16)
    box = (x0 + 8, y0 + 8, x0 + 8 + width, y0 + 14 + 20 * len(notes))
    rows = [
        sheet.fitted(box[0] + 8, box[1] + 4 + 20 * i, note, width - 16, fontSize=14,
                     fontWeight="bold", color=EDGE_INK)
        for i, note in enumerate(notes)
    ]  # fmt: skip
    return [box_layer(box, fill=EDGE_FILL, stroke=EDGE_INK), *sheet.text_layer(rows)], box


@dataclass(frozen=True)
class Picture:
    """A briefing picture: the chart to render, and what the tests measure on it."""

    chart: alt.LayerChart
    layout: Layout
    labels: tuple[MapLabels, ...]  # the main map's, then the close-up's
    outside: tuple[str, ...]  # ids of the view's sites outside the frame
    datasets: dict[str, list] = field(default_factory=dict, compare=False, repr=False)

    def spec(self) -> dict:
        """The Vega-Lite spec to render: the chart's, with the data it names (the basemap's and
        the sites'). Not checked against the schema here: vl-convert compiles it and refuses an
        invalid one, and Altair's check of the whole spec in Python took 2.5 s at 10,000 sites."""
        spec = self.chart.to_dict(validate=False)
        spec["datasets"] = {**spec.get("datasets", {}), **self.datasets}
        return spec


# Altair checks each object against the schema as it is made (its debug mode), a third of the
# picture's Python time at 1,000 sites; the spec is checked once, by vl-convert (Picture.spec).
# The mode is Altair's global: two pictures made at once in the server can leave it off, which
# only skips the same early checks of the page's own charts (the browser's Vega checks them).
@debug_mode(False)
def briefing_picture(
    ds, brief: Brief, layers_dir: Path, asof, on: tuple[str, ...] = (),
    layout: Layout = LAYOUTS["16x9"], link: str = "",
) -> Picture:  # fmt: skip
    """The whole briefing picture: it draws the brief. A brief of a frame (brief.box, the box a
    `map=` link shows) fills a map panel of the frame's own shape with exactly that box; the
    whole theatre gets a close-up of its densest cluster. `on`: the keys of the map layers to
    draw (footprint.layers). `link`: the live view's address, printed at the foot."""
    df = with_looks(brief.sites, all_marks(status_field(ds)))
    drawn = [layer for layer in available(ds) if layer.key in on]
    overlays = partial(layer_marks, ds, drawn, asof)
    if brief.box:
        main = Frame.fit(brief.box, panel(brief.box, layout.map_box))
    else:
        main = Frame.fit(extent(df, frame_of(ds, df)), layout.map_box)
    cluster = densest(df) if brief.box is None and layout.spare_box else df.iloc[0:0]
    in_inset = df["n"].isin(cluster["n"])
    layers, main_labels, data = map_layers(
        df, main, layers_dir, ~in_inset, ds.theatre.focus, overlays, brief.edge
    )
    labels = [main_labels]
    if len(cluster):
        more, inset_labels, inset_data = close_up(df, cluster, main, layout, layers_dir, ds,
                                                  overlays)  # fmt: skip
        layers += more
        labels.append(inset_labels)
        data |= inset_data
    key = [row for layer in drawn for row in layer.legend_vega(ds)]
    layers += around_the_map(ds, brief, layout, layers_dir, key, link)
    chart = (
        alt.layer(*layers)
        .properties(width=layout.size[0], height=layout.size[1], background="#ffffff", padding=0)
        .configure_view(stroke=None)
    )
    data |= basemap_data(layers_dir)
    return Picture(chart, layout, tuple(labels), brief.outside_ids, data)


def panel(box: tuple[float, float, float, float], area: Box) -> Box:
    """The largest part of the pixel `area` with the frame's shape, centred: the map panel of
    a brief of a frame, which shows exactly its box."""
    fitted = Frame.fit(box, area)
    (x0, y0), (x1, y1) = fitted.px(box[0], box[3]), fitted.px(box[2], box[1])
    return (round(x0), round(y0), round(x1), round(y1))


def layer_marks(ds, drawn: list, asof, sites: pd.DataFrame, frame: Frame) -> tuple[list, list]:
    """The marks of the map layers that are on, for the sites in a frame, and the boxes they
    take."""
    charts: list = []
    boxes: list[Box] = []
    for layer in drawn:
        more, taken = layer.picture(ds, sites, frame, asof)
        charts += more
        boxes += taken
    return charts, boxes


def close_up(df, cluster, main: Frame, layout: Layout, layers_dir: Path, ds, overlays):
    """The close-up of the densest cluster in the layout's spare box, its dashed outline on the
    main map, and its caption; the close-up's labels and its sites' data."""
    spare = layout.spare_box
    assert spare is not None  # briefing_picture finds a cluster only where a layout has room
    box = inset_extent(cluster, spare)
    inset = Frame.fit(box, spare)
    (ax, ay), (bx, by) = main.px(box[0], box[3]), main.px(box[2], box[1])
    layers, labels, data = map_layers(
        df, inset, layers_dir, df["n"].isin(cluster["n"]), ds.theatre.focus, overlays
    )
    x0, y0 = spare[:2]
    caption = sheet.text_layer([(x0, y0 - 24, "Close-up (dashed box on the map)",
                           {"fontSize": 15, "fontWeight": "bold"})])  # fmt: skip
    outline = box_layer((ax, ay, bx, by), stroke=INK, strokeDash=[3, 2])
    return [outline, *layers, *caption], labels, data


def around_the_map(
    ds, brief: Brief, layout: Layout, layers_dir: Path, extra: list[tuple[dict, str]], link: str,
) -> list[alt.Chart]:  # fmt: skip
    """Title, counts, figures, legend, the numbered key (and the line on the sites outside the
    frame), sources, caveat, credits and the link."""
    accent = next(iter(status_marks(status_field(ds)).values()), None)
    rows = sheet.header(brief, layout, accent.colour if accent else INK)
    side, legend_y = sheet.side(brief, layout)
    items = sheet.legend_items(status_field(ds), extra)
    layers = sheet.legend_layers(items, layout.side[0], legend_y)
    below_side = layout.key_box[0] < layout.side[0] + layout.side_width  # not a column apart
    key_top = layout.key_box[1]
    if below_side:
        key_top = max(key_top, legend_y + 28 * len(items) + 24)
    rows += side + key_rows_text(brief, layout, key_top)
    rows += sheet.footer(brief, layout, layers_credit(layers_dir), link)
    return layers + sheet.text_layer(rows)


def key_rows_text(brief: Brief, layout: Layout, top: float) -> list:
    """The numbered key of the brief's sites, then its one line on the sites outside the
    frame, below the key (wrapped to the key's width)."""
    rows = brief.key
    box = (layout.key_box[0], top, *layout.key_box[2:])
    compact = layout.compact_key or not sheet.fits(rows, box, compact=False)
    out = sheet.key_block("Sites", rows, box, compact)
    if not brief.outside:
        return out
    y = box[1] + sheet.used_height(rows, box, compact)
    lines = sheet.wrap(brief.outside, box[2] - box[0], 14, lines=2)
    return out + [(box[0], y + 18 * i, line, {"fontSize": 14, "color": GREY})
                  for i, line in enumerate(lines)]  # fmt: skip


def render(picture: Picture, fmt: str, scale: int = 1) -> bytes | str:
    """The picture as PNG bytes (`scale` 1 or 2), SVG text or PDF bytes (text kept as text;
    the PDF page is the layout's standard page size)."""
    import vl_convert as vlc  # imported here: only exports need it

    spec = picture.spec()
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    svg = vlc.vegalite_to_svg(spec)
    if fmt == "svg":
        return svg
    if fmt == "pdf":
        return vlc.svg_to_pdf(page_sized(svg, picture.layout))
    raise ValueError(f"not a picture format: {fmt!r}")


def page_sized(svg: str, layout: Layout) -> str:
    """The SVG with its width and height set to the PDF page in points (the drawing scales to
    it through the viewBox)."""
    w, h = layout.size
    pw, ph = layout.page
    old = f'width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
    if old not in svg:
        raise ValueError("unexpected SVG header from vl-convert")
    return svg.replace(old, f'width="{pw:g}" height="{ph:g}" viewBox="0 0 {w} {h}"', 1)
