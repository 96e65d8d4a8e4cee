"""The grid gives the answers comparing every pair gives: label placement, the labelling order
and the close-up's cluster, each against its plain every-pair version (kept here as the
reference) on crowded random cases, ties and points on top of each other included."""

import math
import random

import numpy as np
import pandas as pd
import pytest

from footprint.export import labels
from footprint.export.labels import (
    DIRECTIONS,
    RINGS,
    SIDES,
    Placed,
    around,
    crosses,
    inside,
    leader,
    overlaps,
    place_names,
    place_numbers,
)
from footprint.export.nearby import Buckets
from footprint.export.picture import CLUSTER_KM, CLUSTER_MIN, densest
from footprint.look import CROWD_PX, LABEL_GAP, LEADER_START, MARKER_REACH

# --- the plain versions: every label against every earlier one, every pair of points --------


def plain_crowding(points):
    near = [sum(math.dist(p, q) < CROWD_PX for q in points) for p in points]
    return sorted(range(len(points)), key=lambda i: (-near[i], points[i][0], points[i][1]))


def plain_place_numbers(points, sizes, radius, bounds, taken=()):
    markers = [(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    blocked = [*markers, *taken]
    out = [None] * len(points)
    for i in plain_crowding(points):
        out[i] = plain_first_free(points[i], sizes[i], radius, bounds, blocked, out)
    return out


def plain_first_free(point, size, radius, bounds, blocked, done):
    x, y = point
    boxes = [p.box for p in done if p is not None]
    lines = [p.leader for p in done if p is not None and p.leader is not None]
    for ring in RINGS:
        for way in DIRECTIONS:
            box = around(x, y, *size, radius + LABEL_GAP + ring, way)
            if not inside(box, bounds) or any(overlaps(box, b) for b in (*blocked, *boxes)):
                continue
            line = leader(x, y, box, radius + LEADER_START) if ring else None
            if any(crosses(seg, box) for seg in lines):
                continue
            if line and any(crosses(line, b) for b in boxes):
                continue
            return Placed(box, line)
    return None


def plain_place_names(points, sizes, gap, bounds, taken):
    dots = [(x - 3, y - 3, x + 3, y + 3) for x, y in points]
    placed = list(taken)
    out = []
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


def plain_densest(df):
    lat, lon = df["lat"].to_numpy(), df["lon"].to_numpy()
    dy = (lat[:, None] - lat[None, :]) * 111.32
    dx = (lon[:, None] - lon[None, :]) * 111.32 * math.cos(math.radians(float(lat.mean())))
    near = (dx**2 + dy**2) <= CLUSTER_KM**2
    best = near.sum(axis=1).argmax()
    return df[near[best]] if near[best].sum() >= CLUSTER_MIN else df.iloc[0:0]


# --- the cases --------------------------------------------------------------------------------


def crowd(seed: int, n: int, spread: float, grid: bool):
    """n points around a few centres (on whole pixels when `grid`: exact ties and shared
    points), the sizes of their numbers, and a few taken boxes."""
    rng = random.Random(seed)
    centres = [(rng.uniform(100, 800), rng.uniform(100, 600)) for _ in range(4)]
    points = []
    for _ in range(n):
        cx, cy = rng.choice(centres)
        x, y = cx + rng.gauss(0, spread), cy + rng.gauss(0, spread)
        points.append((float(round(x)), float(round(y))) if grid else (x, y))
    sizes = [(12.0 + 9 * len(str(i + 1)), 20.4) for i in range(n)]
    taken = [(40, 860, 300, 900), (0, 0, 0, 0), (500, 20, 880, 70)]
    return points, sizes, taken


CASES = [(seed, n, spread, grid) for seed, n, spread, grid in [
    (1, 30, 15, False), (2, 80, 30, False), (3, 200, 40, True), (4, 400, 120, False),
    (5, 120, 6, True), (6, 600, 200, True),
]]  # fmt: skip
BOUNDS = (43, 133, 897, 927)


@pytest.mark.parametrize(("seed", "n", "spread", "grid"), CASES)
def test_numbers_go_where_the_plain_placement_puts_them(seed, n, spread, grid):
    points, sizes, taken = crowd(seed, n, spread, grid)
    got = place_numbers(points, sizes, MARKER_REACH, BOUNDS, taken)
    assert got == plain_place_numbers(points, sizes, MARKER_REACH, BOUNDS, taken)
    assert any(p and p.leader for p in got)  # crowded enough for leader lines
    assert any(p is None for p in got) or n < 100  # the big cases run out of room


@pytest.mark.parametrize(("seed", "n", "spread", "grid"), CASES)
def test_the_labelling_order_is_the_plain_one(seed, n, spread, grid):
    points, _, _ = crowd(seed, n, spread, grid)
    assert labels.crowding(points) == plain_crowding(points)


@pytest.mark.parametrize(("seed", "n", "spread", "grid"), CASES)
def test_names_go_where_the_plain_placement_puts_them(seed, n, spread, grid):
    points, sizes, taken = crowd(seed, n, spread, grid)
    numbers = [p.box for p in place_numbers(points[: n // 2], sizes, MARKER_REACH, BOUNDS) if p]
    cities, _, _ = crowd(seed + 100, 60, spread * 2, grid)
    widths = [(30.0 + 7 * (i % 9), 15.6) for i in range(len(cities))]
    used = [*taken, *numbers]
    got = place_names(cities, widths, 4, BOUNDS, used)
    assert got == plain_place_names(cities, widths, 4, BOUNDS, used)


@pytest.mark.parametrize(("seed", "n", "km"), [(1, 50, 0.3), (2, 500, 0.8), (3, 3000, 2.0),
                                              (4, 40, 0.01), (5, 10, 5.0)])  # fmt: skip
def test_the_close_up_is_the_plain_cluster(seed, n, km):
    rng = np.random.default_rng(seed)
    centres = rng.uniform((30, 40), (37, 47), size=(5, 2))
    pick = centres[rng.integers(0, 5, n)]
    lat = np.round(pick[:, 0] + rng.normal(0, km, n), 4)
    lon = np.round(pick[:, 1] + rng.normal(0, km, n), 4)
    df = pd.DataFrame({"id": [f"s{i}" for i in range(n)], "lat": lat, "lon": lon})
    pd.testing.assert_frame_equal(densest(df), plain_densest(df))


def test_a_box_too_large_for_the_grid_is_still_seen():
    b = Buckets(cell=10)
    b.add((-1e9, -1e9, 1e9, 1e9))
    b.add((5, 5, 6, 6))
    assert sorted(b.near((0, 0, 8, 8))) == [(-1e9, -1e9, 1e9, 1e9), (5, 5, 6, 6)]
    assert sorted(b.near((-1e8, 0, 1e8, 1))) == [(-1e9, -1e9, 1e9, 1e9), (5, 5, 6, 6)]
