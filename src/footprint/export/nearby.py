"""What lies near what, without comparing everything with everything: a grid of square cells.

Label placement asks, for each place it tries, which markers, labels and leader lines it may
touch; the close-up and the labelling order ask, for each point, which points lie within a
distance. Comparing every pair costs N x N (10,000 sites: 100 million pairs, and 800 MB for
each N x N array of numbers). A grid narrows each question to the cells around it, and the exact
test then runs on what those cells hold, so the answers are the ones every pair would give.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (labels.Box)
MOST_CELLS = 1024  # an item spanning more cells than this is kept aside and always handed out


class Buckets:
    """Boxes (or line segments), each filed in every cell of a grid its bounding box touches.

    Two boxes that share a point share the cell holding it, so the items filed in the cells a
    box touches include every item that overlaps it: `hits(box)` tests those (boxes only),
    `near(box)` hands them out (some more than once) for the caller's own exact test. An item
    spanning more than MOST_CELLS cells is kept aside and always tested or handed out.

    >>> b = Buckets(cell=10)
    >>> b.add((0, 0, 5, 5)); b.add((100, 100, 105, 105))
    >>> b.near((4, 4, 8, 8)), b.hits((4, 4, 8, 8)), b.hits((5, 0, 9, 5))
    ([(0, 0, 5, 5)], True, False)
    """

    def __init__(self, cell: float = 32) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list] = {}
        self.aside: list = []

    def add(self, item, bbox: Box | None = None) -> None:
        """File `item` by `bbox` (default: the item itself, a box)."""
        x0, y0, x1, y1 = item if bbox is None else bbox
        span = self._span((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        if span is None:
            self.aside.append(item)
            return
        i0, j0, i1, j1 = span
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                self.cells.setdefault((i, j), []).append(item)

    def near(self, box: Box) -> list:
        """Every item whose bounding box may share a point with `box` (and a few more)."""
        span = self._span(box)
        if span is None:  # a box too large to look up by cells: everything
            return [*self.aside, *{id(b): b for bs in self.cells.values() for b in bs}.values()]
        i0, j0, i1, j1 = span
        found = list(self.aside)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                found += self.cells.get((i, j), ())
        return found

    def hits(self, box: Box) -> bool:
        """Whether any item (a box) overlaps `box`: labels.overlaps against each item `near`
        it, written out here because placement asks it about a million times at 10,000 sites."""
        x0, y0, x1, y1 = box
        span = self._span(box)
        if span is None:
            return any(b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3] for b in self.near(box))
        for b in self.aside:
            if b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3]:
                return True
        i0, j0, i1, j1 = span
        cells = self.cells
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                for b in cells.get((i, j), ()):
                    if b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3]:
                        return True
        return False

    def _span(self, box: Box) -> tuple[int, int, int, int] | None:
        """The cells (first and last column, first and last row) a box (x0 <= x1, y0 <= y1)
        touches; None for a box spanning more than MOST_CELLS, or not finite."""
        c = self.cell
        try:
            i0, j0, i1, j1 = int(box[0] // c), int(box[1] // c), int(box[2] // c), int(box[3] // c)
        except (OverflowError, ValueError):  # infinite or NaN
            return None
        if (i1 - i0 + 1) * (j1 - j0 + 1) > MOST_CELLS:
            return None
        return i0, j0, i1, j1


def neighbour_blocks(
    x: np.ndarray, y: np.ndarray, reach: float, rows: int = 256
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Index arrays (i, j) of points and their candidates: each point against every point of
    its own grid cell and the eight around it, the cells a little wider than `reach`. Every pair
    closer than `reach` is in exactly one block (its first point's), so a count of the pairs that
    pass an exact test, summed over the blocks, is the count over every pair. At most `rows`
    points a block, so no block is N x N.

    >>> x, y = np.array([0.0, 1, 50]), np.array([0.0, 0, 0])
    >>> [(i.tolist(), sorted(j.tolist())) for i, j in neighbour_blocks(x, y, 2)]
    [([0, 1], [0, 1]), ([2], [2])]
    """
    width = reach * (1 + 1e-6)  # a rounding of the positions never moves a pair out of reach
    cell = np.stack([np.floor(x / width), np.floor(y / width)], axis=1).astype(np.int64)
    keys, which = np.unique(cell, axis=0, return_inverse=True)
    which = which.ravel()
    by_cell = np.argsort(which, kind="stable")  # the points, cell after cell
    ends = np.cumsum(np.bincount(which))
    members = {
        (int(i), int(j)): by_cell[end - n : end]
        for (i, j), n, end in zip(keys, np.bincount(which), ends, strict=True)
    }
    for (i, j), own in members.items():
        around = [members.get((i + di, j + dj)) for di in (-1, 0, 1) for dj in (-1, 0, 1)]
        candidates = np.concatenate([m for m in around if m is not None])
        for start in range(0, len(own), rows):
            yield own[start : start + rows], candidates


class Cover:
    """The whole pixels that lie inside some box of a fixed set (the markers and the boxes taken
    before any label is placed). A place that shares area with such a pixel overlaps that box
    for certain, whatever else is near; `certain(...)` answers it for many places at once with
    four look-ups each in a summed-area table, however many boxes there are. A place it cannot
    settle (touching only parts of covered pixels, or off the table) still gets the exact test.

    >>> c = Cover([(10, 10, 20, 20)], (0, 0, 100, 100))
    >>> c.certain(np.array([15.0, 19.5, 0]), np.array([15.0, 12, 0]),
    ...           np.array([30.0, 40, 5]), np.array([30.0, 18, 5])).tolist()
    [True, False, False]
    """

    def __init__(self, boxes: list[Box], within: Box, most: int = 1 << 22) -> None:
        self.empty = True
        if not boxes:
            return
        b = np.asarray(boxes, dtype=float).reshape(-1, 4)
        west, north = max(within[0], b[:, 0].min()), max(within[1], b[:, 1].min())
        east, south = min(within[2], b[:, 2].max()), min(within[3], b[:, 3].max())
        if not (west < east and north < south) or (east - west) * (south - north) > most:
            return  # nothing inside, or too large a table to be worth it
        self.empty = False
        self.x0, self.y0 = math.floor(west), math.floor(north)
        w, h = math.ceil(east) - self.x0, math.ceil(south) - self.y0
        # pixel (i, j) is [x0 + i, x0 + i + 1] x [y0 + j, ...]: inside a box if both its edges are
        i0 = np.clip(np.ceil(b[:, 0]) - self.x0, 0, w).astype(np.int64)
        i1 = np.clip(np.floor(b[:, 2]) - self.x0, 0, w).astype(np.int64)  # one past the last
        j0 = np.clip(np.ceil(b[:, 1]) - self.y0, 0, h).astype(np.int64)
        j1 = np.clip(np.floor(b[:, 3]) - self.y0, 0, h).astype(np.int64)
        keep = (i0 < i1) & (j0 < j1)
        i0, i1, j0, j1 = i0[keep], i1[keep], j0[keep], j1[keep]
        edges = np.zeros((h + 1, w + 1), dtype=np.int32)  # +1 where a box starts, -1 past it
        np.add.at(edges, (j0, i0), 1)
        np.add.at(edges, (j0, i1), -1)
        np.add.at(edges, (j1, i0), -1)
        np.add.at(edges, (j1, i1), 1)
        covered = edges.cumsum(axis=0).cumsum(axis=1)[:h, :w] > 0
        self.sums = np.zeros((h + 1, w + 1), dtype=np.int32)  # covered pixels above-left
        self.sums[1:, 1:] = covered.cumsum(axis=0).cumsum(axis=1)
        self.w, self.h = w, h

    def certain(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
        """For each place (x0, y0, x1, y1), whether it certainly overlaps one of the boxes: some
        covered pixel lies well inside it (a pixel's margin kept, so a rounding of the place's
        edges never decides)."""
        if self.empty:
            return np.zeros(np.shape(x0), dtype=bool)
        i0 = np.clip(np.floor(x0) + 1 - self.x0, 0, self.w).astype(np.int64)
        i1 = np.clip(np.ceil(x1) - 1 - self.x0, 0, self.w).astype(np.int64)  # one past
        j0 = np.clip(np.floor(y0) + 1 - self.y0, 0, self.h).astype(np.int64)
        j1 = np.clip(np.ceil(y1) - 1 - self.y0, 0, self.h).astype(np.int64)
        s = self.sums
        count = s[j1, i1] - s[j0, i1] - s[j1, i0] + s[j0, i0]
        return (i0 < i1) & (j0 < j1) & (count > 0)
