"""Labels that do not collide: how wide a text is, and where each label of a picture goes.

The pictures are drawn by vl-convert in Liberation Sans, which has Arial's (Helvetica's) advance
widths, so a label's box is known before it is drawn. The placement is greedy, the classic
point-labelling way: the most crowded sites first, each number in the first free position
around its marker (right and up first), then further out with a leader line; city names come
after the numbers and give way (another side of their dot, or no label). sites_layer.js
places the live map's numbers by the same rules, measuring the browser's own text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from footprint.look import CROWD_PX, LABEL_GAP, LABEL_RINGS, LABEL_WAYS, LEADER_START

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y down

# Advance widths in 1/1000 em of the printable ASCII characters (space to ~), Helvetica's AFM
# values, which Arial and Liberation Sans share; other characters count as a wide letter.
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584"
)
WIDTHS = {False: tuple(map(int, _REGULAR.split())), True: tuple(map(int, _BOLD.split()))}
OTHER = 722  # a character outside the table: as wide as a capital N
LINE = 1.2  # a label's box height, in ems: the font's ascent and descent, and a little air


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in pixels of `text` in Liberation Sans (or Arial) at `size` pixels.

    >>> text_width("25,26", 17, bold=True), text_width("Capital", 13)
    (42.534, 40.456)
    """
    table = WIDTHS[bold]
    ems = sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else OTHER for c in text)
    return round(ems * size / 1000, 3)


def shorten(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text`, cut with an ellipsis to fit `width` pixels.

    >>> shorten("Abu Ghraib coalition compound", 120, 13)
    'Abu Ghraib coalitio…'
    """
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count).

    >>> overlaps((0, 0, 10, 10), (5, 5, 15, 15)), overlaps((0, 0, 10, 10), (10, 0, 20, 10))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, bounds: Box) -> bool:
    """Whether `box` lies wholly within `bounds`."""
    x0, y0, x1, y1 = bounds
    return box[0] >= x0 and box[1] >= y0 and box[2] <= x1 and box[3] <= y1


def crosses(segment: Box, box: Box) -> bool:
    """Whether the segment (x0, y0, x1, y1) passes through the box's inside (Liang-Barsky).

    >>> crosses((0, 5, 20, 5), (8, 0, 12, 10)), crosses((0, 20, 20, 20), (8, 0, 12, 10))
    (True, False)
    """
    x0, y0, x1, y1 = segment
    lo, hi = 0.0, 1.0
    for p, q in ((x0 - x1, x0 - box[0]), (x1 - x0, box[2] - x0),
                 (y0 - y1, y0 - box[1]), (y1 - y0, box[3] - y0)):  # fmt: skip
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        lo, hi = (max(lo, t), hi) if p < 0 else (lo, min(hi, t))
        if lo >= hi:
            return False
    return True


# The eight directions a number may sit in around its marker, in the order they are tried:
# up-right (the usual place), right, down-right, up-left, left, down-left, above, below.
DIRECTIONS = LABEL_WAYS
SIDES = ((1, 0), (-1, 0), (0, -1), (0, 1))  # a city name: right, left, above, below its dot
RINGS = LABEL_RINGS  # px tried beyond the marker; >0: with a leader line


def around(x: float, y: float, w: float, h: float, d: float, way: tuple[int, int]) -> Box:
    """The box of a w x h label `d` pixels from (x, y) in direction `way`.

    >>> around(100, 100, 20, 10, 5, (1, 0)), around(100, 100, 20, 10, 5, (0, -1))
    ((105, 95.0, 125, 105.0), (90.0, 85, 110.0, 95))
    """
    dx, dy = way
    if dx and dy:
        d *= math.sqrt(0.5)  # a corner as far from the point as a side is
    x0 = x + d if dx > 0 else x - d - w if dx < 0 else x - w / 2
    y0 = y + d if dy > 0 else y - d - h if dy < 0 else y - h / 2
    return (x0, y0, x0 + w, y0 + h)


@dataclass(frozen=True)
class Placed:
    """Where a label went: its box, and a leader line from its point when it sits away."""

    box: Box
    leader: Box | None = None

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of the box, where a centred text is drawn."""
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


def leader(x: float, y: float, box: Box, start: float) -> Box:
    """A line from `start` pixels out of (x, y) to the nearest point of `box`."""
    tx, ty = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    length = math.hypot(tx - x, ty - y) or 1
    return (x + (tx - x) * start / length, y + (ty - y) * start / length, tx, ty)


def crowding(points: Sequence[tuple[float, float]]) -> list[int]:
    """The order to label points in: most neighbours within CROWD_PX first, then left to right."""
    near = [sum(math.dist(p, q) < CROWD_PX for q in points) for p in points]
    return sorted(range(len(points)), key=lambda i: (-near[i], points[i][0], points[i][1]))


def place_numbers(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], radius: float,
    bounds: Box, taken: Sequence[Box] = (),
) -> list[Placed | None]:  # fmt: skip
    """A place for each point's label (w, h): clear of every marker (`radius` around each
    point), every other label and leader line, the `taken` boxes, and inside `bounds`. A leader
    may pass over a marker, never over a label. None: no room at all."""
    markers = [(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    blocked = [*markers, *taken]
    out: list[Placed | None] = [None] * len(points)
    for i in crowding(points):
        out[i] = _first_free(points[i], sizes[i], radius, bounds, blocked, out)
    return out


def _first_free(point, size, radius, bounds, blocked, done) -> Placed | None:
    x, y = point
    labels = [p.box for p in done if p is not None]
    lines = [p.leader for p in done if p is not None and p.leader is not None]
    for ring in RINGS:
        for way in DIRECTIONS:
            box = around(x, y, *size, radius + LABEL_GAP + ring, way)
            if not inside(box, bounds) or any(overlaps(box, b) for b in (*blocked, *labels)):
                continue
            line = leader(x, y, box, radius + LEADER_START) if ring else None
            if any(crosses(seg, box) for seg in lines):
                continue
            if line and any(crosses(line, b) for b in labels):
                continue
            return Placed(box, line)
    return None


def place_names(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], gap: float,
    bounds: Box, taken: Sequence[Box],
) -> list[Placed | None]:  # fmt: skip
    """A side of its dot for each name (in priority order), clear of the `taken` boxes (numbers,
    markers), the names already placed and the other dots; None where no side is free."""
    dots = [(x - 3, y - 3, x + 3, y + 3) for x, y in points]
    placed: list[Box] = list(taken)
    out: list[Placed | None] = []
    for i, ((x, y), (w, h)) in enumerate(zip(points, sizes, strict=True)):
        others = dots[:i] + dots[i + 1 :]
        free = (
            box for way in SIDES
            if inside(box := around(x, y, w, h, gap, way), bounds)
            and not any(overlaps(box, b) for b in (*placed, *others))
        )  # fmt: skip
        box = next(free, None)
        out.append(Placed(box) if box else None)
        if box:
            placed.append(box)
    return out
