"""The picture's shapes and frames: where each part of a briefing picture goes, and which part
of the map it shows.

A picture is laid out in pixels at its normal size (PNG at twice the size doubles them). The
vector formats use the same units, and the PDF page is the layout scaled to a standard page:
a 13.33 x 7.5 in widescreen slide, a 10 x 7.5 in 4:3 slide, or A4.
"""

from __future__ import annotations

from dataclasses import dataclass

from footprint.export.labels import Box
from footprint.mercator import SCREEN, screen_box


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

# What a briefer frames, and the box a `map=` link shows: footprint.mercator (one home).
__all__ = ["LAYOUTS", "SCALES", "SCREEN", "SHAPES", "Layout", "screen_box"]
