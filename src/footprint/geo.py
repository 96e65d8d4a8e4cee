"""Which governorate holds a point: ray casting against the offline basemap's polygons.

One home for the point-in-polygon rule: the validator checks each site's `governorate` with it
and the synthetic data generator names the governorate of each random point with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

GOVERNORATES = "governorates.geojson"  # in the basemap folder; property `name`


def governorates(path: Path, country: str | None = None) -> list[tuple[str, np.ndarray]]:
    """(name, exterior ring as an (n, 2) lon/lat array) of each polygon, in file order.

    `path` is a GeoJSON file of Polygon and MultiPolygon features with a `name` property.
    With `country`, only the features whose `country` property is that code (features with
    none are taken to be every country's).
    """
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    out = []
    for f in features:
        if country and f["properties"].get("country", country) != country:
            continue
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out += [(f["properties"]["name"], np.asarray(p[0], dtype=float)) for p in polygons]
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


def governorate_at(lon: np.ndarray, lat: np.ndarray, govs: list) -> np.ndarray:
    """The first governorate whose ring holds each point, or '' outside them all."""
    names = np.full(lon.shape, "", dtype=object)
    for name, ring in govs:
        (w, s), (e, n) = ring.min(axis=0), ring.max(axis=0)
        todo = (names == "") & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
        idx = np.flatnonzero(todo)
        names[idx[inside(lon[idx], lat[idx], ring)]] = name
    return names
