"""The briefing image, drawn on the server from the data and the offline basemap (no browser).

An Altair (Vega-Lite) chart of 1920 x 1080 pixels, rendered to PNG by vl-convert: basemap
layers, uncertainty circles, numbered site markers (shape + colour by status), title, as-of
stamp, legend, scale bar, a numbered key, summary, sources and caveat. 3840 x 2160 is the same
layout at twice the scale. Our own Mercator maths places the scale bar and the map frame.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from footprint.brief import Brief
from footprint.mapview import COLOURS, CONTEXT_COLOUR, format_date
from footprint.timeline import STATUS_LABELS

WIDTH, HEIGHT = 1920, 1080
MAP_BOX = (40, 130, 900, 930)  # x0, y0, x1, y1 of the main map frame, in pixels
INSET_BOX = (930, 520, 1350, 930)  # the close-up of the densest cluster of sites
MID_X, KEY_X = 930, 1390  # summary + legend column, numbered key column
CLUSTER_KM, CLUSTER_MIN = 60, 3  # an inset is drawn when this many sites lie this close
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
SHAPES = {"retained": "circle", "handed_over": "square", "planned": "triangle-up"}
FILLS = {"retained": COLOURS["retained"], "handed_over": "#ffffff", "planned": "#ffffff"}
SIZES = {1920: 1, 3840: 2}
UNCERTAINTY = "Location uncertainty (~)"
WATER_AREAS = ("lake", "reservoir")  # drawn filled; other water features are lines


@dataclass(frozen=True)
class Frame:
    """A Mercator projection fitted to a lon/lat box inside the pixel box MAP_BOX."""

    k: float
    tx: float
    ty: float
    box: tuple[int, int, int, int] = MAP_BOX

    @classmethod
    def fit(cls, extent: tuple[float, ...], box: tuple[int, int, int, int] = MAP_BOX) -> Frame:
        """Fit the lon/lat extent (west, south, east, north) into the pixel box, centred."""
        lon0, lat0, lon1, lat1 = extent
        x0, y0, x1, y1 = box
        lam0, lam1 = math.radians(lon0), math.radians(lon1)
        m0, m1 = _merc(lat0), _merc(lat1)
        k = min((x1 - x0) / (lam1 - lam0), (y1 - y0) / (m1 - m0))
        tx = x0 + ((x1 - x0) - k * (lam1 - lam0)) / 2 - k * lam0
        ty = y0 + ((y1 - y0) - k * (m1 - m0)) / 2 + k * m1
        return cls(k, tx, ty, box)

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point."""
        return self.tx + self.k * math.radians(lon), self.ty - self.k * _merc(lat)

    def km_to_px(self, km: float, lat: float) -> float:
        """Length in pixels of `km` along a parallel at `lat`."""
        return self.k * (km / 6371.0088) / math.cos(math.radians(lat))

    def inside(self, df: pd.DataFrame, margin: float = 4) -> pd.Series:
        """Which rows (lon, lat columns) fall inside the frame: points are not clipped by Vega."""
        x0, y0, x1, y1 = self.box
        xy = [self.px(lon, lat) for lon, lat in zip(df["lon"], df["lat"], strict=True)]
        ok = [x0 + margin <= x <= x1 - margin and y0 + margin <= y <= y1 - margin for x, y in xy]
        return pd.Series(ok, index=df.index, dtype=bool)

    def projection(self) -> alt.Projection:
        """The same projection for Vega-Lite, clipped to the frame's box."""
        x0, y0, x1, y1 = self.box
        return alt.Projection(
            type="mercator", scale=self.k, translate=[self.tx, self.ty],
            clipExtent=[[x0, y0], [x1, y1]],
        )  # fmt: skip


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@lru_cache(maxsize=8)
def _layer(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _geo(layers_dir: Path, name: str, keep=lambda p: True) -> alt.Data:
    features = _layer(str(layers_dir / f"{name}.geojson"))["features"]
    return alt.Data(values=[rewind(f) for f in features if keep(f["properties"])])


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


def extent(shown: pd.DataFrame, region: dict, pad: float = 0.4) -> tuple[float, ...]:
    """The lon/lat box to show: the country's bounds grown to include every site, padded."""
    lons = [region["min_lon"], region["max_lon"], *shown["lon"]]
    lats = [region["min_lat"], region["max_lat"], *shown["lat"]]
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad


def basemap_layers(layers_dir: Path, frame: Frame) -> list[alt.Chart]:
    """Countries, governorate lines, water and the main cities, in quiet colours."""
    proj = frame.projection()
    base = alt.Chart().properties(projection=proj)
    land = base.mark_geoshape(strokeWidth=0.8, stroke="#a39e93").encode(
        fill=alt.condition(
            "datum.properties.iso_a3 == 'IRQ'", alt.value("#fbfaf6"), alt.value("#ebe7dd")
        )
    )  # fmt: skip
    return [
        land.properties(data=_geo(layers_dir, "countries")),
        base.mark_geoshape(fill=None, stroke="#b9b3a6", strokeWidth=0.6, strokeDash=[4, 3])
        .properties(data=_geo(layers_dir, "governorates")),
        base.mark_geoshape(fill=None, stroke="#8eb1c7", strokeWidth=1.1)
        .properties(data=_geo(layers_dir, "rivers", lambda p: p["kind"] not in WATER_AREAS)),
        base.mark_geoshape(fill="#c9dbe6", stroke="#8eb1c7", strokeWidth=0.6)
        .properties(data=_geo(layers_dir, "rivers", lambda p: p["kind"] in WATER_AREAS)),
        *city_layers(layers_dir, frame),
    ]  # fmt: skip


def city_layers(layers_dir: Path, frame: Frame) -> list[alt.Chart]:
    """Tier-1 Iraqi cities as small dots with grey labels."""
    cities = _layer(str(layers_dir / "cities.geojson"))["features"]
    df = pd.DataFrame(
        [
            {"name": f["properties"]["name"], "lon": f["geometry"]["coordinates"][0],
             "lat": f["geometry"]["coordinates"][1]}
            for f in cities if f["properties"]["tier"] == 1
        ]
    )  # fmt: skip
    df = df[frame.inside(df)]
    base = alt.Chart(df).encode(longitude="lon:Q", latitude="lat:Q")
    base = base.properties(projection=frame.projection())
    return [
        base.mark_circle(size=14, color="#6b665c", opacity=1),
        base.mark_text(align="left", dx=5, dy=-5, fontSize=13, color="#6b665c", font=FONT).encode(
            text="name:N"
        ),
    ]


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


def numbered(shown: pd.DataFrame) -> pd.DataFrame:
    """Sites to draw, numbered west to east; sites sharing a point share one label.

    The briefing view and the HTML export use the same numbers (see `number_labels`).
    """
    df = shown[shown["status"] != ""].sort_values(["lon", "lat"]).reset_index(drop=True)
    df["n"] = range(1, len(df) + 1)
    df["point"] = df["lat"].round(4).astype(str) + "," + df["lon"].round(4).astype(str)
    df["label"] = df.groupby("point")["n"].transform(lambda s: ",".join(map(str, s)))
    df["first"] = ~df["point"].duplicated()
    df["fill"] = [
        CONTEXT_COLOUR if c else FILLS[s] for s, c in zip(df["status"], df["context"], strict=True)
    ]
    df["stroke"] = ["#ffffff" if s == "retained" else (CONTEXT_COLOUR if c else COLOURS[s])
                    for s, c in zip(df["status"], df["context"], strict=True)]  # fmt: skip
    df["shape"] = df["status"].map(SHAPES)
    return df


def number_labels(shown: pd.DataFrame) -> dict[str, str]:
    """Site id -> the number label drawn beside it (empty for the second of two at a point)."""
    df = numbered(shown)
    return dict(zip(df["id"], df["label"].where(df["first"], ""), strict=True))


def site_layers(df: pd.DataFrame, frame: Frame) -> list[alt.Chart]:
    """Uncertainty circles, markers and their numbers (only those inside the frame)."""
    proj = frame.projection()
    df = df[frame.inside(df)]
    rings = [
        rewind(circle_ring(r.lon, r.lat, r.uncertainty_km))
        for r in df.itertuples()
        if r.location_precision != "sourced" and pd.notna(r.uncertainty_km)
    ]
    base = alt.Chart(df).encode(longitude="lon:Q", latitude="lat:Q").properties(projection=proj)
    layers = []
    if rings:
        layers.append(
            alt.Chart(alt.Data(values=rings))
            .mark_geoshape(
                fill="#555555", fillOpacity=0.06, stroke="#555555", strokeWidth=1, strokeDash=[4, 4]
            )
            .properties(projection=proj)
        )
    layers.append(
        base.mark_point(filled=True, size=260, strokeWidth=3, opacity=1).encode(
            shape=alt.Shape("shape:N", scale=None),
            fill=alt.Fill("fill:N", scale=None),
            stroke=alt.Stroke("stroke:N", scale=None),
        )
    )
    layers.append(
        base.transform_filter("datum.first").mark_text(
            align="left", dx=11, dy=-11, fontSize=17, fontWeight="bold", font=FONT, color="#111",
            stroke="#ffffff", strokeWidth=4, strokeOpacity=0.9,
        ).encode(text="label:N")
    )  # fmt: skip
    layers.append(
        base.transform_filter("datum.first")
        .mark_text(
            align="left", dx=11, dy=-11, fontSize=17, fontWeight="bold", font=FONT, color="#111"
        )
        .encode(text="label:N")
    )
    return layers


def text_layer(rows: list[tuple[float, float, str, dict]]) -> list[alt.Chart]:
    """Text at pixel positions: (x, y, text, mark options)."""
    out = []
    for x, y, text, opts in rows:
        frame = pd.DataFrame({"x": [x], "y": [y], "t": [text]})
        mark = {"align": "left", "baseline": "top", "font": FONT, "color": "#222", **opts}
        out.append(
            alt.Chart(frame)
            .mark_text(**mark)
            .encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text="t:N")
        )
    return out


def scale_bar(frame: Frame, lat: float) -> list[alt.Chart]:
    """A round-numbered bar of about a fifth of the frame's width, at its bottom left."""
    x0, _, x1, y1 = frame.box
    per_km = frame.km_to_px(1, lat)
    km = next(k for k in (500, 200, 100, 50, 20, 10, 5) if k * per_km <= (x1 - x0) / 4)
    x, y = x0 + 16, y1 - 26
    bar = pd.DataFrame({"x": [x], "x2": [x + km * per_km], "y": [y]})
    rule = (
        alt.Chart(bar)
        .mark_rule(strokeWidth=4, color="#333")
        .encode(x=alt.X("x:Q", scale=None), x2="x2:Q", y=alt.Y("y:Q", scale=None))
    )
    return [rule, *text_layer([(x, y + 5, f"{km} km", {"fontSize": 13})])]


def box_layer(box: tuple[float, float, float, float], **mark) -> alt.Chart:
    """A rectangle in pixels: the sea behind a map, a frame border, or a label backdrop."""
    x0, y0, x1, y1 = box
    frame = pd.DataFrame({"x": [x0], "x2": [x1], "y": [y0], "y2": [y1]})
    return (
        alt.Chart(frame)
        .mark_rect(fill=mark.pop("fill", None), **mark)
        .encode(x=alt.X("x:Q", scale=None), x2="x2:Q", y=alt.Y("y:Q", scale=None), y2="y2:Q")
    )


def legend_rows(x: float, y: float) -> list[alt.Chart]:
    """Marker shapes with their meaning, from pixel (x, y) down."""
    items = [(s, STATUS_LABELS[s]) for s in SHAPES] + [("context", "Context (not counted)")]
    rows = []
    for i, (key, label) in enumerate(items):
        status = "retained" if key == "context" else key
        rows.append({
            "x": x + 10, "y": y + 12 + 28 * i, "shape": SHAPES[status], "t": label,
            "fill": CONTEXT_COLOUR if key == "context" else FILLS[status],
            "stroke": "#ffffff" if status == "retained" else COLOURS[status],
        })  # fmt: skip
    rows.append({"x": x + 10, "y": y + 12 + 28 * len(items), "shape": "circle",
                 "fill": "#ffffff", "stroke": "#555555", "t": UNCERTAINTY})  # fmt: skip
    df = pd.DataFrame(rows)
    pts = alt.Chart(df).mark_point(filled=True, size=200, strokeWidth=2.5, opacity=1).encode(
        x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None),
        shape=alt.Shape("shape:N", scale=None), fill=alt.Fill("fill:N", scale=None),
        stroke=alt.Stroke("stroke:N", scale=None),
        strokeDash=alt.condition(f"datum.t == '{UNCERTAINTY}'", alt.value([3, 3]), alt.value([])),
    )  # fmt: skip
    labels = text_layer([(x + 28, r["y"] - 9, r["t"], {"fontSize": 16}) for r in rows])
    return [pts, *labels]


def key_lines(shown: pd.DataFrame) -> list[str]:
    """The numbered key as plain lines: '13 K-1 Air Base: Handed over since 29 Mar 2020'."""
    return [
        f"{r.n} {r.name}: {STATUS_LABELS[r.status]} since {format_date(r.status_date)}"
        for r in numbered(shown).itertuples()
    ]


def key_rows(df: pd.DataFrame, x: float, y: float, limit: int = 19) -> list[tuple]:
    """The numbered key: '3  K-1 Air Base' over 'Handed over since 29 Mar 2020'."""
    rows = [(x, y, "Sites", {"fontSize": 17, "fontWeight": "bold"})]
    y += 28
    for r in df.head(limit).itertuples():
        when = format_date(r.status_date)
        rows.append(
            (x, y, f"{r.n:>2}  {_short(r.name, 40)}", {"fontSize": 15, "fontWeight": "bold"})
        )
        rows.append((x + 26, y + 18, f"{STATUS_LABELS[r.status]} since {when}",
                     {"fontSize": 13, "color": "#555"}))  # fmt: skip
        y += 40
    if len(df) > limit:
        rows.append(
            (x, y, f"… and {len(df) - limit} more sites", {"fontSize": 14, "color": "#555"})
        )
    return rows


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def densest(df: pd.DataFrame) -> pd.DataFrame:
    """The sites within CLUSTER_KM of the site with most such neighbours (empty if too few)."""
    if df.empty:
        return df
    lat, lon = df["lat"].to_numpy(), df["lon"].to_numpy()
    dy = (lat[:, None] - lat[None, :]) * 111.32
    dx = (lon[:, None] - lon[None, :]) * 111.32 * math.cos(math.radians(float(lat.mean())))
    near = (dx**2 + dy**2) <= CLUSTER_KM**2
    best = near.sum(axis=1).argmax()
    return df[near[best]] if near[best].sum() >= CLUSTER_MIN else df.iloc[0:0]


def inset_extent(cluster: pd.DataFrame, pad: float = 0.15) -> tuple[float, ...]:
    """The cluster's box, padded and widened to the inset's aspect ratio."""
    lon0, lon1 = cluster["lon"].min() - pad, cluster["lon"].max() + pad
    lat0, lat1 = cluster["lat"].min() - pad, cluster["lat"].max() + pad
    x0, y0, x1, y1 = INSET_BOX
    want = (x1 - x0) / (y1 - y0) / math.cos(math.radians((lat0 + lat1) / 2))
    if (lon1 - lon0) / (lat1 - lat0) < want:
        grow = (want * (lat1 - lat0) - (lon1 - lon0)) / 2
        lon0, lon1 = lon0 - grow, lon1 + grow
    else:
        grow = ((lon1 - lon0) / want - (lat1 - lat0)) / 2
        lat0, lat1 = lat0 - grow, lat1 + grow
    return lon0, lat0, lon1, lat1


def map_layers(df: pd.DataFrame, frame: Frame, layers_dir: Path, numbers: pd.Series) -> list:
    """One map frame: sea, basemap, sites (numbers only where `numbers`), scale bar, border."""
    x0, y0, x1, y1 = frame.box
    mid_lat = float(df["lat"].mean()) if len(df) else 33.0
    return [
        box_layer(frame.box, fill="#dde7ec"),
        *basemap_layers(layers_dir, frame),
        *site_layers(df.assign(first=df["first"] & numbers), frame),
        *scale_bar(frame, mid_lat),
        box_layer((x0, y0, x1, y1), stroke="#999999"),
    ]


def briefing_chart(
    brief: Brief, shown: pd.DataFrame, region: dict, layers_dir: Path
) -> alt.LayerChart:
    """The whole 1920 x 1080 briefing image as one layered chart."""
    df = numbered(shown)
    main = Frame.fit(extent(shown, region))
    cluster = densest(df)
    in_inset = df["n"].isin(cluster["n"])
    layers = map_layers(df, main, layers_dir, ~in_inset)
    if len(cluster):
        inset = Frame.fit(inset_extent(cluster), INSET_BOX)
        lon0, lat0, lon1, lat1 = inset_extent(cluster)
        (ax, ay), (bx, by) = main.px(lon0, lat1), main.px(lon1, lat0)
        layers += [box_layer((ax, ay, bx, by), stroke="#111111", strokeDash=[3, 2])]
        layers += map_layers(df, inset, layers_dir, in_inset)
        layers += text_layer([(INSET_BOX[0], INSET_BOX[1] - 24, "Close-up (dashed box on the map)",
                               {"fontSize": 15, "fontWeight": "bold"})])  # fmt: skip
    layers += text_layer([
        (40, 26, _short(brief.title, 70), {"fontSize": 40, "fontWeight": "bold", "color": "#111"}),
        (40, 80, brief.asof, {"fontSize": 26, "fontWeight": "bold", "color": COLOURS["retained"]}),
        (MID_X, 136, brief.counts_text, {"fontSize": 19, "fontWeight": "bold"}),
        (MID_X, 166, f"US troops in Iraq: {brief.troops}", {"fontSize": 19, "fontWeight": "bold"}),
        (MID_X, 192, _short(brief.troops_source, 60), {"fontSize": 13, "color": "#555"}),
        (40, HEIGHT - 130, _short(brief.sources, 200), {"fontSize": 16}),
        (40, HEIGHT - 102, _short(brief.caveat, 200), {"fontSize": 16, "fontStyle": "italic"}),
        (40, HEIGHT - 70, BASEMAP_CREDIT, {"fontSize": 13, "color": "#666"}),
        (40, HEIGHT - 48, brief.stamp, {"fontSize": 13, "color": "#666"}),
    ])  # fmt: skip
    layers += legend_rows(MID_X, 230) + text_layer(key_rows(df, KEY_X, 136))
    return (
        alt.layer(*layers)
        .properties(width=WIDTH, height=HEIGHT, background="#ffffff", padding=0)
        .configure_view(stroke=None)
    )


BASEMAP_CREDIT = (
    "Basemap: Natural Earth · OCHA/CSO COD-AB (CC BY-IGO) · GSHHG/WDBII (LGPL-3.0+) · "
    "GeoNames (CC BY 4.0)"
)


def render_png(chart: alt.LayerChart, width: int = 1920) -> bytes:
    """PNG bytes at 1920 x 1080 or 3840 x 2160."""
    import vl_convert as vlc  # imported here: only exports need it

    if width not in SIZES:
        raise ValueError(f"width must be one of {sorted(SIZES)}")
    return vlc.vegalite_to_png(chart.to_dict(), scale=SIZES[width])
