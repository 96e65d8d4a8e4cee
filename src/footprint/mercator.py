"""Web Mercator, once: what a Leaflet map of a given size shows at a zoom and centre, and the
projection the pictures fit to a box. Leaflet and the pictures agree on it (256 pixels for the
whole world at zoom 0)."""

from __future__ import annotations

import math

# The briefing view's map on a 1920 x 1080 screen, in CSS pixels: what a briefer frames. A
# picture or a brief made from a `map=` link shows this box around the link's centre.
SCREEN = (1374, 780)


def merc(lat: float) -> float:
    """A latitude's Mercator y (radians of the sphere's unit map).

    >>> round(merc(30), 4), round(merc(45), 4)
    (0.5493, 0.8814)
    """
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def lat_of(m: float) -> float:
    """The latitude of a Mercator y (merc's inverse)."""
    return math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2)


def screen_box(
    frame: tuple[float, float, float], size: tuple[float, float] = SCREEN
) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a Leaflet map of `size` pixels shows at the frame
    (zoom, lat, lon).

    >>> [round(v, 2) for v in screen_box((0, 0, 0), (256, 256))]
    [-180.0, -85.05, 180.0, 85.05]
    >>> [round(v, 3) for v in screen_box((8, 33.3, 44.3), (512, 256))]
    [42.894, 32.71, 45.706, 33.886]
    """
    zoom, lat, lon = frame
    world = 256 * 2**zoom
    x = (lon + 180) / 360 * world
    y = (1 - merc(lat) / math.pi) / 2 * world
    w, h = size
    west, east = ((x + dx) / world * 360 - 180 for dx in (-w / 2, w / 2))
    north, south = (lat_of(math.pi * (1 - 2 * (y + dy) / world)) for dy in (-h / 2, h / 2))
    return west, south, east, north
