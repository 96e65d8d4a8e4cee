"""One rule across the wire: the rules the browser applies as the server does (status as of a
date, the view's filters, where a site's number goes) run in Chromium on the same fixtures as
their Python side, and must give the same answers. The browser code is the one the page and the
HTML export load (sites_layer.js), reached through FootprintSites.pure."""

import datetime as dt
import random

import pytest

from footprint.data import load_dataset
from footprint.export import render
from footprint.export.labels import place_numbers
from footprint.look import MARKER_REACH
from footprint.view import View, apply_filters, default_view
from footprint.webmap import site_records, view_payload

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
RECORDS = site_records(DS)["sites"]


@pytest.fixture(scope="module")
def pure(browser, tmp_path_factory):
    """A page with the standalone HTML map of the fixture (Leaflet and sites_layer.js inlined,
    no server, no network), and its FootprintSites.pure."""
    path = tmp_path_factory.mktemp("conformance") / "map.html"
    path.write_text(render(DS, default_view(DS), "html"), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.FootprintSites && window.FootprintSites.pure.rules()")
    yield page
    page.close()


def days() -> list[dt.date]:
    """Every change date, the days either side of it, and the period's ends."""
    out = {DS.theatre.start, DS.theatre.end}
    for d in DS.change_dates():
        out |= {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}
    return sorted(out)


def test_status_as_of_a_date_is_the_same_on_both_sides(pure):
    got = pure.evaluate(
        """([records, days]) => days.map(day => records.map(d => {
             const t = window.FootprintSites.pure.statusAt(d.tl, day); return t ? t[1] : ""; }))""",
        [RECORDS, [f"{d:%Y-%m-%d}" for d in days()]],
    )
    for day, browser_side in zip(days(), got, strict=True):
        server_side = DS.status_on(day).set_index("id")["status"]
        assert browser_side == [server_side[r["id"]] for r in RECORDS], day


VIEWS = [
    default_view(DS),
    View(asof=dt.date(2020, 3, 27), status=("retained",)),
    View(asof=dt.date(2025, 12, 1), status=("unconfirmed", "planned")),
    View(asof=dt.date(2020, 4, 5), status=("retained", "handed_over"), governorate=("Baghdad",)),
    View(asof=dt.date(2020, 4, 5), status=tuple(DS.labels("events", "status")), kind=("camp",)),
    View(asof=dt.date(2020, 4, 5), status=tuple(DS.labels("events", "status")), context=False),
    View(asof=dt.date(2020, 4, 5), status=(), country=("IRQ",)),
    View(asof=dt.date(2019, 1, 1), status=tuple(DS.labels("events", "status")), q="alpha"),
]


@pytest.mark.parametrize("view", VIEWS, ids=[f"view{i}" for i in range(len(VIEWS))])
def test_the_views_filters_show_the_same_sites_on_both_sides(pure, view):
    shown = apply_filters(DS.status_on(view.asof), view)
    ids = list(shown["id"]) if view.q else None  # a search is matched on the server
    payload = view_payload(view, ids=ids)
    got = pure.evaluate(
        """([records, view]) => { const p = window.FootprintSites.pure, f = p.viewFilter(view);
             return records.filter(d => p.look(d, f).key !== "").map(d => d.id); }""",
        [RECORDS, payload],
    )
    assert sorted(got) == sorted(shown["id"])


def clusters(seed: int, n: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """n points in a few tight clusters, and the sizes of their numbers' labels (w, h)."""
    rng = random.Random(seed)
    centres = [(rng.uniform(0, 600), rng.uniform(0, 400)) for _ in range(3)]
    points = [
        (round(cx + rng.gauss(0, 18), 2), round(cy + rng.gauss(0, 18), 2))
        for cx, cy in (rng.choice(centres) for _ in range(n))
    ]
    sizes = [(float(12 + 8 * len(str(i + 1))), 17.0) for i in range(n)]
    return points, sizes


@pytest.mark.parametrize(("seed", "n"), [(1, 20), (2, 35), (3, 60)])
def test_numbers_are_placed_the_same_on_both_sides(pure, seed, n):
    """The pictures' placement and the live map's, on clusters crowded enough to need leader
    lines and to leave some numbers without room."""
    points, sizes = clusters(seed, n)
    far = (-1e9, -1e9, 1e9, 1e9)  # the live map has no frame to keep inside
    server_side = place_numbers(points, sizes, MARKER_REACH, far)
    got = pure.evaluate(
        """([points, sizes]) => { const P = window.FootprintSites.pure, k = P.rules().label.reach;
             const pts = points.map(([x, y]) => L.point(x, y));
             const markers = points.map(([x, y]) => [x - k, y - k, x + k, y + k]);
             return P.place(pts, sizes, markers); }""",
        [points, sizes],
    )
    assert any(p and p.leader for p in server_side)  # the case is crowded enough to matter
    for mine, theirs in zip(server_side, got, strict=True):
        if mine is None:
            assert theirs is None
            continue
        assert theirs["box"] == pytest.approx(list(mine.box))
        assert (theirs["line"] is None) == (mine.leader is None)
        if mine.leader:
            assert theirs["line"] == pytest.approx(list(mine.leader))


def test_the_browser_gets_the_rules_the_server_applies(pure):
    from footprint.look import browser_rules

    got = pure.evaluate("() => window.FootprintSites.pure.rules()")
    want = browser_rules()
    assert got["label"]["rings"] == list(want["label"]["rings"])
    assert got["label"]["ways"] == [list(w) for w in want["label"]["ways"]]
    assert got["ring"] == want["ring"]
