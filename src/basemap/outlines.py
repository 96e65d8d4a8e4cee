"""Outlines of polygon layers drawn from their edges, so the clip box never shows as a border.

The bundled polygons are clipped to a theatre box. Stroking them as polygons would draw the box
edge as if it were a border or a coast. Instead the fills are drawn without a stroke and the lines
come from here: every edge of every ring, minus the edges that run along the clip box, each edge
once, classified by how many polygons share it (two: a border between them; one: a coast).
The files were simplified in one topology and snapped to a grid, so a shared border has exactly
the same vertices in both polygons and the match is an exact one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise

Point = tuple[float, float]
Edge = tuple[Point, Point]
BBox = tuple[float, float, float, float]  # west, south, east, north, as in GeoJSON
Classify = Callable[[frozenset[str]], str | None]


def rings(geometry: dict) -> Iterator[list[Point]]:
    """Yield every ring (exterior and holes) of a Polygon or MultiPolygon as (lon, lat) points."""
    polygons = [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    for polygon in polygons:
        for ring in polygon:
            yield [(x, y) for x, y in ring]


def edge_key(a: Point, b: Point) -> Edge:
    """The same key for an edge whichever way a ring runs along it."""
    return (a, b) if a <= b else (b, a)


def on_clip_edge(edge: Edge, bbox: BBox) -> bool:
    """Whether an edge runs along one side of the clip box (a cut, not a border)."""
    (x1, y1), (x2, y2) = edge
    west, south, east, north = bbox
    return (x1 == x2 and x1 in (west, east)) or (y1 == y2 and y1 in (south, north))


def edge_owners(features: Iterable[dict], key: str) -> dict[Edge, frozenset[str]]:
    """Map each edge to the values of property `key` of the features whose rings use it."""
    owners: dict[Edge, set[str]] = defaultdict(set)
    for feature in features:
        for ring in rings(feature["geometry"]):
            for a, b in pairwise(ring):
                owners[edge_key(a, b)].add(feature["properties"][key])
    return {edge: frozenset(names) for edge, names in owners.items()}


def outlines(features: list[dict], key: str, bbox: BBox, classify: Classify) -> dict:
    """Lines along the polygons' edges as a FeatureCollection, one MultiLineString per kind.

    `classify` gets the owners of an edge and returns its kind, or None to leave it out.
    Edges along the clip box are always left out.
    """
    owners = edge_owners(features, key)
    lines: dict[str, list[list[Point]]] = defaultdict(list)
    seen: set[Edge] = set()
    for feature in features:
        for ring in rings(feature["geometry"]):
            for kind, line in _runs(ring, owners, seen, bbox, classify):
                lines[kind].append(line)
    return _collection(lines)


def _runs(
    ring: list[Point],
    owners: dict[Edge, frozenset[str]],
    seen: set[Edge],
    bbox: BBox,
    classify: Classify,
) -> Iterator[tuple[str, list[Point]]]:
    """Split a ring into runs of consecutive kept edges of one kind (updates `seen`)."""
    kind_now: str | None = None
    run: list[Point] = []
    for a, b in pairwise(ring):
        edge = edge_key(a, b)
        kind = None if edge in seen or on_clip_edge(edge, bbox) else classify(owners[edge])
        seen.add(edge)
        if kind != kind_now:
            if kind_now is not None:
                yield kind_now, run
            kind_now, run = kind, [a]
        if kind is not None:
            run.append(b)
    if kind_now is not None:
        yield kind_now, run


def _collection(lines: dict[str, list[list[Point]]]) -> dict:
    """Wrap runs grouped by kind as a GeoJSON FeatureCollection of MultiLineStrings."""
    features = [
        {
            "type": "Feature",
            "properties": {"kind": kind},
            "geometry": {"type": "MultiLineString", "coordinates": runs},
        }
        for kind, runs in sorted(lines.items())
    ]
    return {"type": "FeatureCollection", "features": features}
