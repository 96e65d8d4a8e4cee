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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from footprint.export.nearby import Buckets, Cover, neighbour_blocks
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
    return round(_ems(text, bold) * size / 1000, 3)


def _ems(text: str, bold: bool) -> int:
    """The advance width of `text` in 1/1000 em."""
    table = WIDTHS[bold]
    return sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else OTHER for c in text)


def shorten(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text`, cut with an ellipsis to fit `width` pixels: its longest start that fits with
    the ellipsis, measured as text_width measures (one pass: a long title cut by a letter at a
    time was measured once per letter).

    >>> shorten("Abu Ghraib coalition compound", 120, 13)
    'Abu Ghraib coalitio…'
    """
    if text_width(text, size, bold) <= width:
        return text
    ems, keep = _ems("…", bold), 0
    for i, c in enumerate(text, 1):
        ems += _ems(c, bold)
        if round(ems * size / 1000, 3) > width:
            break
        keep = i
    return text[:keep].rstrip() + "…"


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
    near = neighbour_counts(points, CROWD_PX)
    return sorted(range(len(points)), key=lambda i: (-near[i], points[i][0], points[i][1]))


def neighbour_counts(points: Sequence[tuple[float, float]], reach: float) -> list[int]:
    """For each point, how many points (itself included) lie closer than `reach`: the count of
    `math.dist(p, q) < reach` over every q, found through a grid (nearby.neighbour_blocks).

    >>> neighbour_counts([(0, 0), (3, 4), (30, 40), (0, 4.9)], 5)  # (0, 0)-(3, 4): 5, not < 5
    [2, 2, 1, 3]
    """
    if not points:
        return []
    xy = np.asarray(points, dtype=float)
    near = np.zeros(len(points), dtype=np.int64)
    for i, j in neighbour_blocks(xy[:, 0], xy[:, 1], reach):
        d = np.hypot(xy[i, None, 0] - xy[None, j, 0], xy[i, None, 1] - xy[None, j, 1])
        near[i] += (d < reach).sum(axis=1)
        # within a rounding of the reach, math.dist (the rule) decides
        for a, b in zip(*np.nonzero(np.abs(d - reach) <= 1e-9 * reach), strict=True):
            p, q = points[i[a]], points[j[b]]
            near[i[a]] += (math.dist(p, q) < reach) - bool(d[a, b] < reach)
    return near.tolist()


def place_numbers(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], radius: float,
    bounds: Box, taken: Sequence[Box] = (),
) -> list[Placed | None]:  # fmt: skip
    """A place for each point's label (w, h): clear of every marker (`radius` around each
    point), every other label and leader line, the `taken` boxes, and inside `bounds`. A leader
    may pass over a marker, never over a label. None: no room at all.

    The first free place of each label, in crowding order, as if every earlier label, line and
    marker were tested; a grid of buckets (nearby.Buckets) hands it only those near enough, and
    the places that certainly overlap a marker or a taken box are set aside first, all at once
    (nearby.Cover): at 10,000 sites most places are."""
    markers = [(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    boxes, labels, lines = Buckets(), Buckets(), Buckets()  # boxes: markers, taken and labels
    for box in (*markers, *taken):
        boxes.add(box)
    left, k, ends = _places_left(points, sizes, radius, bounds, Cover([*markers, *taken], bounds))
    out: list[Placed | None] = [None] * len(points)
    for i in crowding(points):
        mine = slice(ends[i], ends[i + 1])
        corners = zip(*(a[mine].tolist() for a in left), strict=True)
        out[i] = placed = _first_free(points[i], radius, boxes, labels, lines,
                                      zip(k[mine].tolist(), corners, strict=True))  # fmt: skip
        if placed is not None:
            boxes.add(placed.box)
            labels.add(placed.box)
            if placed.leader is not None:
                lines.add(placed.leader, line_box(placed.leader))
    return out


def _places_left(points, sizes, radius: float, bounds: Box, cover: Cover):
    """The places of every label inside `bounds` and not certainly over a covered box, point by
    point in the order tried: their corners (four arrays), which place each is (k), and where
    each point's run ends (point i's are ends[i]:ends[i + 1])."""
    x0, y0, x1, y1 = tried = places(points, sizes, radius)
    west, north, east, south = bounds
    free = (x0 >= west) & (y0 >= north) & (x1 <= east) & (y1 <= south)  # labels.inside
    free &= ~cover.certain(*tried)
    at, k = np.nonzero(free)
    ends = np.searchsorted(at, np.arange(len(points) + 1)).tolist()
    return [a[free] for a in tried], k.astype(np.int16), ends


def places(points, sizes, radius: float) -> tuple[np.ndarray, ...]:
    """Every place tried for each label (points x rings x directions, in the order tried), as
    arrays x0, y0, x1, y1: around() for all of them at once (the same numbers)."""
    if not len(points):
        return (np.zeros((0, len(RINGS) * len(DIRECTIONS))),) * 4
    xy, wh = np.asarray(points, dtype=float), np.asarray(sizes[: len(points)], dtype=float)
    x, y, w, h = (a[:, None, None] for a in (xy[:, 0], xy[:, 1], wh[:, 0], wh[:, 1]))
    ways = np.asarray(DIRECTIONS, dtype=float)
    dx, dy = ways[None, None, :, 0], ways[None, None, :, 1]
    d = (radius + LABEL_GAP + np.asarray(RINGS, dtype=float))[None, :, None]
    d = np.where((dx != 0) & (dy != 0), d * math.sqrt(0.5), d)
    x0 = np.where(dx > 0, x + d, np.where(dx < 0, x - d - w, x - w / 2))
    y0 = np.where(dy > 0, y + d, np.where(dy < 0, y - d - h, y - h / 2))
    n = len(points)
    return tuple(a.reshape(n, -1) for a in (x0, y0, x0 + w, y0 + h))


def _first_free(
    point: tuple[float, float], radius: float, boxes: Buckets, labels: Buckets, lines: Buckets,
    left: Iterable[tuple[int, Box]],
) -> Placed | None:  # fmt: skip
    """The first of a label's places `left` ((k, box): inside the bounds and not certainly
    over a marker or a taken box) clear of every box, label and leader line."""
    x, y = point
    for k, box in left:
        if boxes.hits(box):
            continue
        if any(crosses(seg, box) for seg in lines.near(box)):
            continue
        line = leader(x, y, box, radius + LEADER_START) if RINGS[k // len(DIRECTIONS)] else None
        if line and any(crosses(line, b) for b in labels.near(line_box(line))):
            continue
        return Placed(box, line)
    return None


def line_box(line: Box) -> Box:
    """The bounding box of a line segment (x0, y0, x1, y1): what it takes, for others."""
    return (min(line[0], line[2]), min(line[1], line[3]), max(line[0], line[2]),
            max(line[1], line[3]))  # fmt: skip


def place_names(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], gap: float,
    bounds: Box, taken: Sequence[Box],
) -> list[Placed | None]:  # fmt: skip
    """A side of its dot for each name (in priority order), clear of the `taken` boxes (numbers,
    markers), the names already placed and the other dots; None where no side is free."""
    placed, dots = Buckets(), Buckets()
    for box in taken:
        placed.add(box)
    for i, (x, y) in enumerate(points):
        dots.add((i, (x - 3, y - 3, x + 3, y + 3)), (x - 3, y - 3, x + 3, y + 3))
    out: list[Placed | None] = []
    for i, ((x, y), (w, h)) in enumerate(zip(points, sizes, strict=True)):
        free = (
            box for way in SIDES
            if inside(box := around(x, y, w, h, gap, way), bounds)
            and not placed.hits(box)
            and not any(overlaps(box, b) for k, b in dots.near(box) if k != i)
        )  # fmt: skip
        side = next(free, None)
        out.append(Placed(side) if side else None)
        if side:
            placed.add(side)
    return out
