"""Which governorate holds a point: ray casting against the offline basemap's polygons.

One home for the point-in-polygon rule: the validator checks each site's `governorate` with it
and the synthetic data generator names the governorate of each random point with it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from basemap.vector import load_layer

GOVERNORATES = "governorates.geojson"  # in the basemap folder; property `name`


def governorates(path: Path, country: str | None = None) -> list[tuple[str, list[np.ndarray]]]:
    """(name, rings) of each polygon, in file order: its exterior ring, then its holes, each an
    (n, 2) lon/lat array. A hole matters: Damascus is a hole in Rural Damascus.

    `path` is a GeoJSON file of Polygon and MultiPolygon features with a `name` property.
    With `country`, only the features whose `country` property is that code (features with
    none are taken to be every country's).
    """
    features = load_layer(Path(path))["features"]  # the basemap's one reader (cached by mtime)
    out = []
    for f in features:
        if country and f["properties"].get("country", country) != country:
            continue
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        name = f["properties"]["name"]
        out += [(name, [np.asarray(r, dtype=float) for r in p]) for p in polygons]
    return out


def inside(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Ray casting for many points against one ring.

    >>> square = np.array([[0, 0], [2, 0], [2, 2], [0, 2]], dtype=float)
    >>> inside(np.array([1.0, 3.0]), np.array([1.0, 1.0]), square).tolist()
    [True, False]
    """
    result = np.zeros(lon.shape, dtype=bool)
    for (x1, y1), (x2, y2) in zip(ring, np.roll(ring, -1, axis=0), strict=True):
        crosses = (y1 > lat) != (y2 > lat)
        if y1 != y2:
            crosses &= lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1
        result ^= crosses
    return result


def in_polygon(lon: np.ndarray, lat: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Whether each point lies in a polygon: inside its exterior ring and in none of its holes
    (even-odd over every ring).

    >>> outer = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], dtype=float)
    >>> hole = np.array([[1, 1], [3, 1], [3, 3], [1, 3]], dtype=float)
    >>> in_polygon(np.array([0.5, 2.0]), np.array([0.5, 2.0]), [outer, hole]).tolist()
    [True, False]
    """
    result = np.zeros(lon.shape, dtype=bool)
    for ring in rings:
        result ^= inside(lon, lat, ring)
    return result


def governorate_at(lon: np.ndarray, lat: np.ndarray, govs: list) -> np.ndarray:
    """The governorate whose polygon holds each point (holes excluded), or '' outside them all.
    Polygons do not overlap, so the file's order does not matter."""
    names = np.full(lon.shape, "", dtype=object)
    for name, rings in govs:
        (w, s), (e, n) = rings[0].min(axis=0), rings[0].max(axis=0)
        todo = (names == "") & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
        idx = np.flatnonzero(todo)
        names[idx[in_polygon(lon[idx], lat[idx], rings)]] = name
    return names
