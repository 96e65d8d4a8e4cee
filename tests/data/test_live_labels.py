"""The briefing view's live map on the real data: framed on the Baghdad cluster at every zoom a
briefer might use, no site number or city name covers another (boxes measured in Chromium), and
every Baghdad site on screen keeps its number. Needs Debian's Chromium (fails without it)."""

import itertools

import pytest

from footprint.briefing import make_brief, shown_sites
from footprint.data import load_dataset
from footprint.harness import BASEMAP_DRAWN, LOCAL, Server, open_app
from footprint.mercator import screen_box
from footprint.view import default_view

from ..conftest import DATA

pytestmark = pytest.mark.browser

DS = load_dataset(DATA)
BAGHDAD = ["camp_victory_biap", "bdsc", "union_iii", "camp_taji", "besmaya", "abu_ghraib",
           "al_taqaddum"]  # fmt: skip
SHOWN = shown_sites(DS, default_view(DS))
CLUSTER = SHOWN[SHOWN["id"].isin(BAGHDAD)]
LAT, LON = round(CLUSTER["lat"].mean(), 4), round(CLUSTER["lon"].mean(), 4)
# The briefing view opens framed at zoom 8.6: its key and numbers are that frame's sites.
LABELS = make_brief(DS, default_view(DS), SHOWN, screen_box((8.6, LAT, LON))).number_labels()
ZOOMS = [6.0, 6.8, 7.5, 8.0, 8.6, 9.3, 10.0, 11.0]

# Every number and every city name shown on the map, with its box on screen; and which
# site numbers are on screen at all.
BOXES = """() => {
  const shown = (e) => e.offsetParent !== null && getComputedStyle(e).visibility !== "hidden"
    && getComputedStyle(e).display !== "none";
  const box = (e) => { const r = e.getBoundingClientRect();
    return [e.textContent, r.left, r.top, r.right, r.bottom]; };
  return [...document.querySelectorAll(".fp-number, .basemap-label")].filter(shown).map(box);
}"""


@pytest.fixture(scope="module")
def page(browser):
    server = Server(DATA)
    pg = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        pg.external = []
        pg.on("request", lambda r: None if r.url.startswith(LOCAL + ("data:", "blob:"))
              else pg.external.append(r.url))  # fmt: skip
        frame = open_app(pg, f"{server.url}/?view=brief&map=8.6/{LAT}/{LON}")
        frame.locator(BASEMAP_DRAWN).wait_for(state="attached", timeout=30_000)
        yield pg, frame
    finally:
        pg.close()
        server.stop()


def overlap(a, b) -> float:
    """The area two boxes share, in square pixels."""
    w = min(a[3], b[3]) - max(a[1], b[1])
    h = min(a[4], b[4]) - max(a[2], b[2])
    return max(w, 0) * max(h, 0)


def min_gap(boxes) -> float:
    """The smallest distance between two label boxes (0 if any touch)."""
    gaps = [
        max(max(b[1] - a[3], a[1] - b[3], 0), max(b[2] - a[4], a[2] - b[4], 0))
        for a, b in itertools.combinations(boxes, 2)
    ]
    return min(gaps, default=float("inf"))


@pytest.mark.parametrize("zoom", ZOOMS)
def test_no_label_covers_another_on_the_live_map(page, zoom):
    pg, frame = page
    frame.evaluate(f"() => window.map.setView([{LAT}, {LON}], {zoom}, {{animate: false}}) && null")
    pg.wait_for_timeout(400)  # the zoom's placement, and the city names after it
    boxes = frame.evaluate(BOXES)
    assert any(b[0] in LABELS.values() for b in boxes), "no site number on the map"
    clashes = [(a, b) for a, b in itertools.combinations(boxes, 2) if overlap(a, b) > 0.5]
    print(f"zoom {zoom}: {len(boxes)} labels, closest {min_gap(boxes):.1f} px apart")
    assert clashes == []
    on_screen = frame.evaluate(
        "(ids) => ids.filter((p) => window.map.getBounds().contains(p))",
        [[float(r.lat), float(r.lon)] for r in CLUSTER.itertuples()],
    )  # fmt: skip
    texts = {b[0] for b in boxes}
    wanted = {LABELS[r.id] or LABELS["camp_victory_biap"] for r in CLUSTER.itertuples()
              if r.id in LABELS and [float(r.lat), float(r.lon)] in on_screen}  # fmt: skip
    assert wanted - texts == set(), "a Baghdad site of the frame, on screen, lost its number"
    assert pg.external == []
