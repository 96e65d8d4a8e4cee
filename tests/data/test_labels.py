"""No label overlaps another on the real data's densest cluster, the Baghdad sites (Victory /
BIAP and the BDSC at one point, Union III, Taji, Besmaya, Abu Ghraib, Taqaddum), in every
picture shape and at every zoom a briefer might frame them. (The live map's labels are measured
in Chromium: tests/data/test_live_labels.py.)"""

import itertools

import pytest

from footprint.briefing import make_brief, shown_sites
from footprint.data import load_dataset
from footprint.export.labels import Box, overlaps
from footprint.export.layout import LAYOUTS, SHAPES
from footprint.export.picture import briefing_picture
from footprint.mercator import screen_box
from footprint.view import default_view

from ..conftest import DATA

DS = load_dataset(DATA)
BAGHDAD = ["camp_victory_biap", "bdsc", "union_iii", "camp_taji", "besmaya", "abu_ghraib",
           "al_taqaddum"]  # fmt: skip
VIEW = default_view(DS)  # 5 Apr 2020: every Baghdad site is in the view
SHOWN = shown_sites(DS, VIEW)
CLUSTER = SHOWN[SHOWN["id"].isin(BAGHDAD)]
CENTRE = (round(CLUSTER["lat"].mean(), 4), round(CLUSTER["lon"].mean(), 4))
ZOOMS = [6.0, 7.0, 7.5, 8.0, 8.6, 9.0, 10.0, 11.0]


def gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(b[0] - a[2], a[0] - b[2], 0)
    dy = max(b[1] - a[3], a[1] - b[3], 0)
    return (dx * dx + dy * dy) ** 0.5


def test_the_cluster_is_in_the_view():
    assert set(CLUSTER["id"]) == set(BAGHDAD)


@pytest.mark.parametrize(
    ("shape", "zoom"), list(itertools.product(SHAPES, [None, *ZOOMS])),
    ids=lambda v: "theatre" if v is None else str(v),
)  # fmt: skip
def test_no_label_overlaps_on_the_baghdad_cluster(shape, zoom):
    box = None if zoom is None else screen_box((zoom, *CENTRE))
    brief = make_brief(DS, VIEW, SHOWN, box)
    picture = briefing_picture(DS, brief, DS.layers_dir, VIEW.asof, layout=LAYOUTS[shape])
    by_number = dict(zip(brief.sites["n"].astype(str), brief.sites["id"], strict=True))
    numbered_ids = set()
    for part in picture.labels:
        boxes = part.boxes()
        clashes = [(a, b) for a, b in itertools.combinations(boxes, 2) if overlaps(a, b)]
        assert clashes == []
        numbered_ids |= {by_number[n] for text, _ in part.numbers for n in text.split(",")}
    in_frame = set(BAGHDAD) & set(brief.sites["id"])
    assert in_frame - numbered_ids == set(), "a Baghdad site in the frame has no number"
    assert set(BAGHDAD) - in_frame <= set(picture.outside)  # summed up on the key's last line
