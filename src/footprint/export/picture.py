"""The briefing picture, drawn on the server from the data and the offline basemap (no browser).

An Altair (Vega-Lite) chart of 1920 x 1080 pixels, rendered to PNG by vl-convert: basemap
layers, uncertainty circles, numbered site markers (shape + colour by status), title, as-of
stamp, legend, scale bar, a numbered key, headline figures, sources and caveat. 3840 x 2160 is
the same layout at twice the scale. Our own Mercator maths places the scale bar and the map
frame. Every colour and shape comes from the look tables (footprint.look, basemap.look).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from basemap.look import CITY_DOT, CITY_LABEL, SEA, STYLES, WATER_AREAS
from basemap.vector import layers_credit
from footprint.briefing import Brief, frame_of, key_rows, numbered, recent_attacks
from footprint.look import (
    ATTACK_LABEL,
    BURST_VEGA,
    CONTEXT_LABEL,
    RING,
    UNCERTAINTY_LABEL,
    Mark,
    all_marks,
    attack_colour,
    status_marks,
    style_key,
)
from footprint.mapview import status_field

WIDTH, HEIGHT = 1920, 1080
MAP_BOX = (40, 130, 900, 930)  # x0, y0, x1, y1 of the main map frame, in pixels
INSET_BOX = (930, 520, 1350, 930)  # the close-up of the densest cluster of sites
MID_X, KEY_X = 930, 1390  # summary + legend column, numbered key column
CLUSTER_KM, CLUSTER_MIN = 60, 3  # an inset is drawn when this many sites lie this close
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
SIZES = {1920: 1, 3840: 2}
INK, GREY = "#111111", "#555555"


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


def extent(shown: pd.DataFrame, box: tuple[float, ...], pad: float = 0.4) -> tuple[float, ...]:
    """The lon/lat box to show: the theatre's frame (west, south, east, north) grown to include
    every site, padded."""
    lons = [box[0], box[2], *shown["lon"]]
    lats = [box[1], box[3], *shown["lat"]]
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad


def basemap_layers(layers_dir: Path, frame: Frame, focus: tuple[str, ...]) -> list[alt.Chart]:
    """Countries (the focus ones lighter), governorate lines, water and the main cities."""
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
        land.properties(data=_geo(layers_dir, "countries")),
        base.mark_geoshape(fill=None, stroke=boundary["color"], strokeWidth=boundary["weight"],
                           strokeDash=[4, 3]).properties(data=_geo(layers_dir, "governorates")),
        base.mark_geoshape(fill=None, stroke=river["color"], strokeWidth=1.1)
        .properties(data=_geo(layers_dir, "rivers", lambda p: p["kind"] not in WATER_AREAS)),
        base.mark_geoshape(fill=lake["fillColor"], stroke=lake["color"], strokeWidth=lake["weight"])
        .properties(data=_geo(layers_dir, "rivers", lambda p: p["kind"] in WATER_AREAS)),
        *city_layers(layers_dir, frame),
    ]  # fmt: skip


def city_layers(layers_dir: Path, frame: Frame) -> list[alt.Chart]:
    """The main (tier 1) cities as small dots with labels."""
    cities = _layer(str(layers_dir / "cities.geojson"))["features"]
    rows = [
        {"name": f["properties"]["name"], "lon": f["geometry"]["coordinates"][0],
         "lat": f["geometry"]["coordinates"][1]}
        for f in cities if f["properties"]["tier"] == 1
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=["name", "lon", "lat"])
    df = df[frame.inside(df)]
    base = alt.Chart(df).encode(longitude="lon:Q", latitude="lat:Q")
    base = base.properties(projection=frame.projection())
    return [
        base.mark_circle(size=14, color=CITY_DOT["fillColor"], opacity=1),
        base.mark_text(align="left", dx=5, dy=-5, fontSize=13, color=CITY_LABEL, font=FONT).encode(
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


def with_looks(df: pd.DataFrame, marks: dict[str, Mark]) -> pd.DataFrame:
    """Numbered sites with the Vega look of each: shape, fill, stroke."""
    keys = [style_key(s, c) for s, c in zip(df["status"], df["context"], strict=True)]
    vega = [marks[k].vega() for k in keys]
    return df.assign(**{k: [v[k] for v in vega] for k in ("shape", "fill", "stroke")})


def site_layers(df: pd.DataFrame, frame: Frame, attack: str | None = None) -> list[alt.Chart]:
    """Uncertainty circles, markers and their numbers (only those inside the frame), and a burst
    in the `attack` colour beside each site whose `attacked` is true."""
    proj = frame.projection()
    df = df[frame.inside(df)]
    rings = [
        rewind(circle_ring(r.lon, r.lat, r.uncertainty_km))
        for r in df.itertuples()
        if pd.notna(r.uncertainty_km) and r.uncertainty_km > 0
    ]
    base = alt.Chart(df).encode(longitude="lon:Q", latitude="lat:Q").properties(projection=proj)
    layers = []
    if rings:
        layers.append(
            alt.Chart(alt.Data(values=rings))
            .mark_geoshape(
                fill=RING["colour"],
                fillOpacity=RING["fill_opacity"],
                stroke=RING["colour"],
                strokeWidth=RING["weight"],
                strokeDash=list(RING["dash"]),
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
    if attack and df["attacked"].any():
        layers.append(
            base.transform_filter("datum.attacked").mark_point(
                shape=BURST_VEGA, filled=True, size=520, fill=attack,
                stroke="#ffffff", strokeWidth=1.2, opacity=1, xOffset=-13, yOffset=-13,
            )
        )  # fmt: skip
    layers.append(
        base.transform_filter("datum.first").mark_text(
            align="left", dx=11, dy=-11, fontSize=17, fontWeight="bold", font=FONT, color=INK,
            stroke="#ffffff", strokeWidth=4, strokeOpacity=0.9,
        ).encode(text="label:N")
    )  # fmt: skip
    layers.append(
        base.transform_filter("datum.first")
        .mark_text(
            align="left", dx=11, dy=-11, fontSize=17, fontWeight="bold", font=FONT, color=INK
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


def legend_layers(status, x: float, y: float, attack: str | None = None) -> list[alt.Chart]:
    """Marker shapes with their meaning, from pixel (x, y) down (the map legend's rows); the
    attack burst too, in its colour, when attacks are drawn."""
    marks = list(status_marks(status).values())
    items = [(m.vega(), m.label) for m in marks] + [(marks[0].in_context().vega(), CONTEXT_LABEL)]
    if attack:
        burst = {"shape": BURST_VEGA, "fill": attack, "stroke": "#ffffff", "dash": []}
        items.append((burst, ATTACK_LABEL))
    ring = {
        "shape": "circle",
        "fill": "#ffffff",
        "stroke": RING["colour"],
        "dash": list(RING["dash"]),
    }
    items.append((ring, UNCERTAINTY_LABEL))
    layers = []
    for i, (look, _) in enumerate(items):
        row = pd.DataFrame({"x": [x + 10], "y": [y + 12 + 28 * i]})
        layers.append(
            alt.Chart(row).mark_point(
                filled=True, size=200, strokeWidth=2.5, opacity=1, shape=look["shape"],
                fill=look["fill"], stroke=look["stroke"], strokeDash=look["dash"],
            ).encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None))
        )  # fmt: skip
    rows = [(x + 28, y + 3 + 28 * i, label, {"fontSize": 16}) for i, (_, label) in enumerate(items)]
    return layers + text_layer(rows)


def key_text(rows: list[tuple[int, str, str]], x: float, y: float, limit: int = 19) -> list[tuple]:
    """The numbered key: '3  K-1 Air Base' over 'Handed over since 29 Mar 2020'."""
    out = [(x, y, "Sites", {"fontSize": 17, "fontWeight": "bold"})]
    y += 28
    for n, name, line in rows[:limit]:
        out.append((x, y, f"{n:>2}  {_short(name, 40)}", {"fontSize": 15, "fontWeight": "bold"}))
        out.append((x + 26, y + 18, _short(line, 58), {"fontSize": 13, "color": GREY}))
        y += 40
    if len(rows) > limit:
        out.append((x, y, f"… and {len(rows) - limit} more sites", {"fontSize": 14, "color": GREY}))
    return out


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


def map_layers(
    df: pd.DataFrame, frame: Frame, layers_dir: Path, numbers: pd.Series, focus: tuple[str, ...],
    attack: str | None = None,
) -> list:  # fmt: skip
    """One map frame: sea, basemap, sites (numbers only where `numbers`), scale bar, border."""
    x0, y0, x1, y1 = frame.box
    return [
        box_layer(frame.box, fill=SEA),
        *basemap_layers(layers_dir, frame, focus),
        *site_layers(df.assign(first=df["first"] & numbers), frame, attack),
        *scale_bar(frame, frame.centre_lat()),
        box_layer((x0, y0, x1, y1), stroke="#999999"),
    ]


def briefing_chart(
    ds, brief: Brief, shown: pd.DataFrame, layers_dir: Path, asof, attacks: bool = False
) -> alt.LayerChart:
    """The whole 1920 x 1080 briefing image as one layered chart; with `attacks`, a burst
    beside each site attacked in the year before the date."""
    focus = ds.theatre.focus
    df = with_looks(numbered(shown), all_marks(status_field(ds)))
    colour = attack_colour(ds.package.table("events").field("kind"))
    hit = set(recent_attacks(ds, shown, asof)["site_id"]) if attacks and colour else set()
    df["attacked"] = df["id"].isin(hit)
    main = Frame.fit(extent(shown, frame_of(ds, shown)))
    cluster = densest(df)
    in_inset = df["n"].isin(cluster["n"])
    layers = map_layers(df, main, layers_dir, ~in_inset, focus, colour)
    if len(cluster):
        inset = Frame.fit(inset_extent(cluster), INSET_BOX)
        lon0, lat0, lon1, lat1 = inset_extent(cluster)
        (ax, ay), (bx, by) = main.px(lon0, lat1), main.px(lon1, lat0)
        layers += [box_layer((ax, ay, bx, by), stroke=INK, strokeDash=[3, 2])]
        layers += map_layers(df, inset, layers_dir, in_inset, focus, colour)
        layers += text_layer([(INSET_BOX[0], INSET_BOX[1] - 24, "Close-up (dashed box on the map)",
                               {"fontSize": 15, "fontWeight": "bold"})])  # fmt: skip
    layers += text_layer(summary_text(ds, brief, layers_credit(layers_dir)))
    legend_y = 230 + 50 * max(0, len(brief.figures) - 1)
    layers += legend_layers(status_field(ds), MID_X, legend_y, colour if hit else None)
    layers += text_layer(key_text(key_rows(ds, shown, asof), KEY_X, 136))
    return (
        alt.layer(*layers)
        .properties(width=WIDTH, height=HEIGHT, background="#ffffff", padding=0)
        .configure_view(stroke=None)
    )


def summary_text(ds, brief: Brief, credit: str) -> list[tuple]:
    """Title, as-of stamp, counts, headline figures with their age, sources, caveat, credits."""
    accent = next(iter(status_marks(status_field(ds)).values()), None)
    rows = [
        (40, 26, _short(brief.title, 70), {"fontSize": 40, "fontWeight": "bold", "color": INK}),
        (40, 80, brief.asof, {"fontSize": 26, "fontWeight": "bold",
                              "color": accent.colour if accent else INK}),
        (MID_X, 136, brief.counts_text, {"fontSize": 19, "fontWeight": "bold"}),
    ]  # fmt: skip
    for i, f in enumerate(brief.figures):
        y = 166 + 50 * i
        rows.append((MID_X, y, f"{f.label}: {f.figure}", {"fontSize": 19, "fontWeight": "bold"}))
        rows.append((MID_X, y + 26, _short(f.note, 64), {"fontSize": 13, "color": GREY}))
    return rows + [
        (40, HEIGHT - 130, _short(brief.sources, 200), {"fontSize": 16}),
        (
            40,
            HEIGHT - 102,
            _short(f"{brief.caveat} {brief.cutoff}", 200),
            {"fontSize": 16, "fontStyle": "italic"},
        ),
        (40, HEIGHT - 70, _short(f"Basemap: {credit}", 220), {"fontSize": 13, "color": "#666"}),
        (40, HEIGHT - 48, brief.stamp, {"fontSize": 13, "color": "#666"}),
    ]


def render_png(chart: alt.LayerChart, width: int = 1920) -> bytes:
    """PNG bytes at 1920 x 1080 or 3840 x 2160."""
    import vl_convert as vlc  # imported here: only exports need it

    if width not in SIZES:
        raise ValueError(f"width must be one of {sorted(SIZES)}")
    return vlc.vegalite_to_png(chart.to_dict(), scale=SIZES[width])
