"""The picture's shapes and frames: where each part of a briefing picture goes, and which part
of the map it shows.

A picture is laid out in pixels at its normal size (PNG at twice the size doubles them). The
vector formats use the same units, and the PDF page is the layout scaled to a standard page:
a 13.33 x 7.5 in widescreen slide, a 10 x 7.5 in 4:3 slide, or A4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footprint.export.labels import Box


@dataclass(frozen=True)
class Layout:
    """Where each part of a picture goes, in pixels."""

    shape: str  # as --shape and file names write it
    label: str  # as the page's control shows it
    size: tuple[int, int]
    page: tuple[float, float]  # the PDF page, in points
    map_box: Box
    side: tuple[float, float]  # counts, headline figures and the legend, from here down
    side_width: float
    key_box: Box  # the numbered key (its top moves down if the legend reaches it)
    spare_box: Box | None  # the close-up (whole theatre) or the sites outside the frame
    compact_key: bool  # one line per site, not the name over its status


LAYOUTS = {
    "16x9": Layout("16x9", "16:9 slide", (1920, 1080), (960, 540), (40, 130, 900, 930),
                   (930, 136), 440, (1390, 136, 1880, 930), (930, 520, 1350, 930), False),
    "4x3": Layout("4x3", "4:3 slide", (1440, 1080), (720, 540), (40, 130, 860, 930),
                  (890, 136), 510, (890, 480, 1400, 930), None, True),
    "a4": Layout("a4", "A4 portrait", (1190, 1684), (595.28, 841.89), (40, 140, 1150, 930),
                 (40, 960), 530, (40, 1320, 1150, 1545), (600, 960, 1150, 1290), True),
}  # fmt: skip
SHAPES = tuple(LAYOUTS)
SCALES = {1920: 1, 3840: 2}  # --size: the normal picture, or one with twice the pixels

# The briefing view's map on a 1920 x 1080 screen, in CSS pixels: what a briefer frames. A
# picture made from a `map=` link shows this box around the link's centre at its zoom.
SCREEN = (1374, 780)


def screen_box(
    frame: tuple[float, float, float], size: tuple[float, float] = SCREEN
) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a Leaflet map of `size` pixels shows at the frame
    (zoom, lat, lon): Web Mercator, 256 pixels for the whole world at zoom 0.

    >>> [round(v, 2) for v in screen_box((0, 0, 0), (256, 256))]
    [-180.0, -85.05, 180.0, 85.05]
    >>> [round(v, 3) for v in screen_box((8, 33.3, 44.3), (512, 256))]
    [42.894, 32.71, 45.706, 33.886]
    """
    zoom, lat, lon = frame
    world = 256 * 2**zoom
    x = (lon + 180) / 360 * world
    y = (1 - _merc(lat) / math.pi) / 2 * world
    w, h = size
    west, east = ((x + dx) / world * 360 - 180 for dx in (-w / 2, w / 2))
    north, south = (_lat(math.pi * (1 - 2 * (y + dy) / world)) for dy in (-h / 2, h / 2))
    return west, south, east, north


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(m: float) -> float:
    return math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2)
