"""The governorate of a point: holes count, and the order of the file does not."""

import json

import numpy as np
import pytest

from footprint import geo
from footprint.look import CANVAS_POINTS, CANVAS_RADIUS, SVG_SHAPES, VEGA_SHAPES
from footprint.theatre import MARKERS

from ..conftest import ROOT

LAYER = ROOT / "data" / "basemap" / geo.GOVERNORATES
DAMASCUS = (36.2913, 33.5131)  # the old city, inside Rural Damascus's ring but in its hole


@pytest.mark.parametrize("order", ["as-written", "reversed"])
def test_a_point_in_a_hole_belongs_to_the_polygon_that_fills_it(tmp_path, order):
    """Damascus is a hole in Rural Damascus: the lookup used to keep outer rings only, so the
    answer depended on which polygon the file listed first."""
    doc = json.loads(LAYER.read_text(encoding="utf-8"))
    if order == "reversed":
        doc["features"].reverse()
    path = tmp_path / geo.GOVERNORATES
    path.write_text(json.dumps(doc), encoding="utf-8")
    lon, lat = np.array([DAMASCUS[0]]), np.array([DAMASCUS[1]])
    assert geo.governorate_at(lon, lat, geo.governorates(path)).tolist() == ["Damascus"]


def test_every_marker_shape_is_drawn_by_every_renderer():
    """A marker the data may name has an SVG (DOM markers, legends), a Vega shape (pictures)
    and canvas corners and radius (above 500 sites), so none falls back to a circle."""
    assert set(MARKERS) == set(SVG_SHAPES) == set(VEGA_SHAPES) == set(CANVAS_POINTS)
    assert set(CANVAS_POINTS) == set(CANVAS_RADIUS)
    assert all(CANVAS_POINTS[m] for m in MARKERS if m != "circle")
