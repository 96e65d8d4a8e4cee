"""What a person sees, in headless Chromium against the real app on localhost."""

import datetime as dt

import pytest

from basemap.vector import basemap_drawing, view_limits
from footprint.data import load_dataset
from footprint.harness import (
    BASEMAP_DRAWN,
    MAP_FRAME,
    SHOWN,
    Server,
    map_frame,
    open_app,
    statuses,
    wait_for_statuses,
)
from footprint.layers.attacks import LABEL as ATTACK_LABEL
from footprint.layers.figures import LABEL as FIGURE_ROW
from footprint.synth import write_synthetic
from footprint.text import format_date
from footprint.view import apply_filters, default_view
from footprint.webmap import DOM_MARKERS_UP_TO

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
DEFAULT = DS.theatre.default_asof


def expected_statuses(day: dt.date) -> dict[str, str]:
    """site id -> what the map draws it as on `day` (statuses; a bare context site as '')."""
    df = DS.status_on(day)
    return dict(zip(df["id"], df["status"], strict=True))


def drawn(day: dt.date) -> dict[str, str]:
    """What statuses() reads off the map on `day`: every site with a status."""
    return {k: v for k, v in expected_statuses(day).items() if v}


BASEMAP_SHAPES = """() => Object.values(window.map._layers)
  .filter(l => l.feature && l.options.pane === 'basemap').length"""  # shapes drawn


def test_default_page_is_complete_offline(server, page):
    frame = open_app(page, server.url)
    assert statuses(frame) == drawn(DEFAULT)
    # The table of sites in view is the open tab; the others are built when opened.
    table = page.locator("[data-testid=stDataFrame]")
    table.wait_for(timeout=30_000)
    assert page.get_by_text("Site status over time").count() == 0
    page.get_by_role("tab", name="Charts").click()
    page.get_by_text("Site status over time").wait_for(timeout=30_000)  # charts rendered
    # The basemap is vector data drawn by Leaflet from a served file: shapes, city labels,
    # and not a single tile.
    assert frame.locator(".leaflet-tile").count() == 0
    frame.locator(BASEMAP_DRAWN).wait_for(state="attached")
    assert frame.evaluate(BASEMAP_SHAPES) > 100
    assert frame.locator(".leaflet-basemap-pane canvas").count() >= 1
    assert frame.locator(".basemap-label").count() > 10
    legend = frame.locator(".fp-legend").inner_text()
    assert legend.startswith("Site status")
    assert all(label in legend for label in DS.labels("events", "status").values())
    assert ATTACK_LABEL not in legend and FIGURE_ROW not in legend  # layers off: no rows
    assert "Natural Earth" in frame.locator(".leaflet-control-attribution").inner_text()
    # A context site with no status is drawn, as context.
    bare = frame.locator("[data-site-id=foxtrot]")
    assert bare.get_attribute("data-status") == "" and bare.is_visible()
    assert page.external == []
    assert page.errors == []


SITES_FIRST = """(() => {
  // In the map's frame, at the first animation frame (just before a paint) with a site on
  // the map: what of the basemap was drawn. This runs first in the frame's initial blank
  // document, whose window the frame's page keeps but whose animation frames it drops.
  if (window === window.top) return;
  const tick = () => {
    if (!window.map || !document.querySelector(%s)) return requestAnimationFrame(tick);
    window.__atFirstSite = {
      drawn: !!document.querySelector(%s), shapes: (%s)(),
      labels: document.querySelectorAll(".basemap-label").length,
    };
  };
  const start = () => location.href === "about:blank" ? setTimeout(start, 5) : tick();
  start();
})();"""


def test_the_sites_are_drawn_before_the_basemap(server, page):
    """The sites are what the map is for: they are drawn first, the basemap right after."""
    page.add_init_script(SITES_FIRST % (repr(SHOWN), repr(BASEMAP_DRAWN), BASEMAP_SHAPES))
    frame = open_app(page, server.url)
    frame.locator(BASEMAP_DRAWN).wait_for(state="attached")
    assert frame.evaluate("() => window.__atFirstSite") == {
        "drawn": False,
        "shapes": 0,
        "labels": 0,
    }
    assert frame.evaluate(BASEMAP_SHAPES) > 100
    frame.locator(".basemap-label").first.wait_for()
    assert page.external == [] and page.errors == []


def test_the_page_is_drawn_in_one_go(server, page):
    """A session's first run draws the whole page: map, controls, site panel and table; no
    second run is asked for before the person can use it."""
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{server.url}/?asof=2020-03-27&site=alpha")
    page.locator(".st-key-asof input[type=range]").wait_for(state="attached", timeout=60_000)
    page.locator("[data-testid=stDataFrame]").wait_for(timeout=30_000)
    page.get_by_role("heading", name="Alpha Air Base").wait_for(timeout=30_000)
    frame = map_frame(page)
    frame.wait_for_selector(SHOWN, timeout=30_000)
    assert statuses(frame) == drawn(dt.date(2020, 3, 27))
    page.wait_for_timeout(1500)  # anything the page would ask for by itself, it asks now
    assert len(sent) == 1, "the page asked the server for more than its one run"
    page.get_by_text("As of 27 Mar 2020", exact=True).wait_for()
    assert page.external == [] and page.errors == []


@pytest.mark.parametrize("asof", ["2020-03-20", "2020-04-10", "2022-06-01"])
def test_link_date_sets_the_statuses(server, page, asof):
    frame = open_app(page, f"{server.url}/?asof={asof}")
    assert statuses(frame) == drawn(dt.date.fromisoformat(asof))
    assert page.external == [] and page.errors == []


def test_date_change_updates_the_map_without_remount(server, page):
    frame = open_app(page, f"{server.url}/?asof=2020-03-20")
    frame.evaluate("() => { window.map.__footprintMark = 1; }")
    page.get_by_role("button", name="Next").click()
    later = min(d for d in DS.change_dates() if d > dt.date(2020, 3, 20))
    wait_for_statuses(frame, drawn(later), timeout=20_000)
    assert frame.evaluate("() => window.map.__footprintMark") == 1  # same Leaflet map object
    page.wait_for_url(f"**asof={later}**", timeout=10_000)


def micros_to_date(value: str) -> dt.date:
    """A Streamlit date slider's input value (µs since 1970, UTC) as a date."""
    return dt.date(1970, 1, 1) + dt.timedelta(microseconds=int(value))


def test_the_map_follows_the_slider_while_it_is_dragged(server, page):
    """The map draws the slider's date before Streamlit reruns (which waits for the release)."""
    frame = open_app(page, f"{server.url}/?asof=2020-03-20")
    slider = page.locator(".st-key-asof input[type=range]")
    slider.wait_for(state="attached", timeout=30_000)
    track = page.locator(".st-key-asof [data-testid=stSliderTickBar]").bounding_box()
    thumb = page.locator(".st-key-asof [data-testid=stSliderThumbValue]").bounding_box()
    page.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] + 12)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.75, thumb["y"] + thumb["height"] + 12, steps=8)
    held = micros_to_date(slider.get_attribute("value"))
    assert held > dt.date(2020, 3, 20)
    want = drawn(held)
    wait_for_statuses(frame, want)
    assert "asof=2020-03-20" in page.url  # no rerun yet: the server has not seen the new date
    page.mouse.up()
    page.wait_for_url(f"**asof={held}**", timeout=20_000)  # the rerun, on release
    page.get_by_text(f"As of {format_date(held)}").wait_for(timeout=20_000)
    assert statuses(frame) == want
    assert page.errors == []


def test_a_status_pill_takes_its_sites_off_the_map(server, page):
    frame = open_app(page, server.url)
    shown = drawn(DEFAULT)
    assert "retained" in shown.values()
    pills = page.locator(".st-key-status")
    label = DS.label("events", "status", "retained")
    pills.get_by_role("button", name=label, exact=True).click()
    want = {k: v for k, v in shown.items() if v != "retained"}
    wait_for_statuses(frame, want)
    page.wait_for_url("**status=**", timeout=20_000)
    assert statuses(frame) == want
    assert page.errors == []


@pytest.mark.parametrize("site_id", ["alpha", "delta", "hotel"])
def test_clicking_a_marker_opens_that_site_by_its_id(server, page, site_id):
    """A click is matched by the site's id (Bravo and Delta share a point; Hotel's name is
    text that looks like markup)."""
    frame = open_app(page, server.url)
    frame.locator(f"[data-site-id={site_id}]").click(force=True)
    page.wait_for_url(f"**site={site_id}**", timeout=20_000)
    name = DS.sites.set_index("id").loc[site_id, "name"]
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=20_000)
    event = DS.events[DS.events["site_id"] == site_id].iloc[0]
    source = DS.sources.set_index("id").loc[event["source_ids"][0]]
    link = page.get_by_role("link", name=source["title"]).first
    link.wait_for(timeout=10_000)
    assert link.get_attribute("href") == source["url"]
    assert link.get_attribute("target") == "_blank"  # opens the source beside the dashboard
    assert page.external == [] and page.errors == []


# Whether the map's view is over the bounds [[south, west], [north, east]]: inside them on each
# axis, or (where the view is larger than the bounds) around them, to within one screen pixel
# (Leaflet places the view on whole pixels).
VIEW_OVER = """([[s, w], [n, e]]) => { const v = window.map.getBounds();
  const px = 360 / (256 * 2 ** window.map.getZoom());
  const fits = (lo, hi, klo, khi) => (lo >= klo - px && hi <= khi + px)
    || (lo <= klo + px && hi >= khi - px);
  return fits(v.getSouth(), v.getNorth(), s, n) && fits(v.getWest(), v.getEast(), w, e); }"""


def test_the_map_stays_over_the_offline_basemap(server, page):
    """Centred on a northern site, or dragged away, the view stays over the basemap's box and
    the sites (plus a margin), not over the no-data colour beyond. (The fixture's Golf lies
    south of the box, so the limit reaches it.)"""
    frame = open_app(page, server.url + "/?site=hotel")
    box = view_limits(basemap_drawing(DS.layers_dir).bbox, (
        DS.sites["lon"].min(), DS.sites["lat"].min(), DS.sites["lon"].max(), DS.sites["lat"].max()
    ))  # fmt: skip
    limits = frame.evaluate(
        "() => { const k = window.map.options.maxBounds;"
        " return [k.getSouth(), k.getWest(), k.getNorth(), k.getEast()]; }"
    )
    assert limits == pytest.approx(box[0] + box[1])
    page.get_by_role("heading", name=DS.sites.set_index("id").loc["hotel", "name"]).wait_for(
        timeout=20_000
    )
    frame.wait_for_function(VIEW_OVER, arg=box, timeout=10_000)
    frame.evaluate("() => { window.map.panBy([-3000, -3000], {animate: false}); }")
    frame.wait_for_function(VIEW_OVER, arg=box, timeout=10_000)  # springs back
    assert page.errors == [] and page.external == []


def test_site_names_show_on_hover_or_as_labels(server, page):
    """A site's name shows when its marker is hovered or focused; with labels on, beside every
    shown site at once, and only those."""
    frame = open_app(page, server.url)
    shown = frame.locator(SHOWN)
    assert frame.locator(".fp-label").count() == 0
    shown.first.focus()  # keyboard focus opens the tooltip, as a hover does
    label = frame.locator(".fp-label")
    label.wait_for(timeout=10_000)
    assert label.inner_text() == shown.first.get_attribute("aria-label").split(":")[0]

    frame = open_app(page, server.url + "/?labels=1")
    names = sorted(n.split(":")[0] for n in frame.locator(".fp-site").evaluate_all(
        "els => els.filter(e => e.style.display !== 'none')"
        ".map(e => e.getAttribute('aria-label'))"))  # fmt: skip
    labels = frame.locator(".fp-label")
    labels.nth(len(names) - 1).wait_for(timeout=10_000)
    assert sorted(labels.all_inner_texts()) == names
    assert page.errors == [] and page.external == []


def test_malformed_link_shows_a_notice(server, page):
    open_app(page, f"{server.url}/?asof=not-a-date&site=%3Cimg%20src=x%3E")
    page.get_by_text("Ignored part of the link: asof").wait_for(timeout=20_000)
    assert page.get_by_text("site: unknown site").count() == 1
    assert page.errors == []


def test_panning_and_zooming_do_not_rerun_the_script(server, page):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_app(page, server.url)
    page.wait_for_timeout(1500)  # let the first run's messages settle
    before = len(sent)
    frame.evaluate("() => { window.map.panBy([200, 120]); window.map.zoomIn(); }")
    page.wait_for_timeout(2000)
    assert len(sent) == before, "a pan or zoom sent a message to the server (a rerun)"


def test_thousands_of_sites_draw_on_canvas_and_answer_a_click(tmp_path_factory, page):
    """Above DOM_MARKERS_UP_TO the sites are canvas shapes whose tooltip and popup are made on
    first hover or click; a click must still choose the site for the panel."""
    data = tmp_path_factory.mktemp("synthetic")
    write_synthetic(data, DOM_MARKERS_UP_TO + 500, seed=1)
    ds = load_dataset(data)
    view = default_view(ds)
    shown = apply_filters(ds.status_on(view.asof), view)
    want = {k: int(v) for k, v in shown["status"].value_counts().items()}
    server = Server(data)
    try:
        frame = open_app(page, server.url, markers=False)
        frame.wait_for_function(
            "want => { if (!window.footprintSites) { return false; } const n = {};"
            " window.footprintSites.eachLayer(l => { const s = l.feature.properties.status;"
            " if (s) { n[s] = (n[s] || 0) + 1; } });"
            " return Object.keys(n).length === Object.keys(want).length"
            " && Object.entries(want).every(([s, k]) => n[s] === k); }",
            arg=want,
            timeout=60_000,
        )
        assert frame.locator(".fp-site").count() == 0  # no per-site DOM at this scale
        # Click the topmost shown marker at its own pixel (the last one drawn there).
        target = frame.evaluate(
            "() => { let hit = null; window.footprintSites.eachLayer(l => {"
            " if (l.feature.properties.status) { hit = l; } });"
            " window.map.panTo(hit.getLatLng(), {animate: false});"
            " const q = window.map.latLngToContainerPoint(hit.getLatLng());"
            " return {x: q.x, y: q.y}; }"
        )
        box = page.locator(MAP_FRAME).bounding_box()
        page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
        frame.locator(".fp-label").first.wait_for(timeout=10_000)  # tooltip made on hover
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        frame.locator(".fp-popup-name").wait_for(timeout=10_000)
        name = frame.locator(".fp-popup-name").inner_text()
        page.get_by_role("heading", name=name).wait_for(timeout=20_000)  # the site panel
        assert page.errors == [] and page.external == []
    finally:
        server.stop()


def test_the_attack_layer_shows_recent_attacks_with_their_sources(server, page):
    frame = open_app(page, f"{server.url}/?asof=2020-03-01&attacks=1")
    mark = frame.locator("[data-attack-site=alpha]")
    mark.wait_for(timeout=20_000)
    assert frame.locator(".fp-attack").count() == 1  # only Alpha was attacked in that year
    mark.click()
    popup = frame.locator(".fp-popup-attack").first
    popup.wait_for(timeout=10_000)
    event = DS.events.set_index("id").loc["alpha_attack"]
    assert popup.inner_text() == f"8 Jan 2020 {event['summary']} (Fixture Wire)"
    assert ATTACK_LABEL in frame.locator(".fp-legend").inner_text()
    # the header says what the layer is, and gives the sources' total for a period it overlaps
    page.get_by_text("not a complete count").wait_for(timeout=10_000)
    assert page.get_by_text("Iraq, 1 Oct 2019 to 31 Mar 2020: 19 attacks").count() == 1


def test_past_the_last_source_the_map_says_so_and_lapsed_sites_are_their_own_mark(server, page):
    """At the end of the period, India's announced end has fallen due unreported: it is drawn
    as unconfirmed, the legend names that mark, and the map itself says that nothing after the
    last source is known; the site panel reads which sources were checked, when, where and what
    they say."""
    frame = open_app(page, f"{server.url}/?asof=2025-12-31&site=india")
    edge = frame.locator(".fp-edge")
    edge.wait_for(timeout=20_000)
    assert (
        edge.inner_text()
        == "Iraq: no source after 1 Dec 2025; the map shows the last reported state"
    )
    wait_for_statuses(frame, drawn(dt.date(2025, 12, 31)))
    assert frame.locator("[data-site-id=india]").get_attribute("data-status") == "unconfirmed"
    assert "Unconfirmed" in frame.locator(".fp-legend").inner_text()
    label = frame.locator("[data-site-id=india]").get_attribute("aria-label")
    assert label == (
        "India Air Base: Unconfirmed: retained since Jan 2018; end announced for Sep 2025. "
        "Latest report Mar 2025"
    )
    page.get_by_text(
        "Supports · Fixture Ministry, 10 Dec 2021 (read 1 Nov 2026, lead paragraph)"
    ).first.wait_for(timeout=20_000)
    frame.locator("[data-site-id=india]").click(force=True)  # its popup says what was checked
    check = frame.locator(".fp-popup-check")
    check.wait_for(timeout=10_000)
    assert check.inner_text() == "Checked 1 Nov 2026: Fixture Atlas (lead paragraph)"
    assert page.errors == [] and page.external == []
    frame_off = open_app(page, f"{server.url}/?asof=2021-03-01&attacks=1")
    page.wait_for_timeout(500)
    assert frame_off.locator(".fp-attack").count() == 0  # more than a year later: none
    assert page.errors == [] and page.external == []


def test_a_popup_says_when_a_status_rests_on_an_old_report(server, page):
    frame = open_app(page, f"{server.url}/?asof=2025-12-31")
    frame.evaluate(  # Bravo shares its point with Delta: open Bravo's popup through Leaflet
        "() => window.footprintSites.getLayers()"
        ".find(l => l.feature.properties.site_id === 'bravo').openPopup() && true"
    )
    frame.locator(".fp-popup-old").wait_for(timeout=10_000)
    assert frame.locator(".fp-popup-old").inner_text() == (
        "Latest report 2016, 10 years before the date shown"
    )
    label = frame.locator("[data-site-id=bravo]").get_attribute("aria-label")
    assert label.endswith("Latest report 2016, 10 years before the date shown")


# The pixel at (0.45 r, 0.45 r) from a marker's point lies in a circle's fill but on a diamond's
# white edge: a canvas diamond drawn as a circle (the bug this catches) fills it with the
# marker's colour.
CANVAS_PIXELS = """() => { const d = window.devicePixelRatio || 1; let found = null;
  const shown = []; window.footprintSites.eachLayer(l => { if (!l.options.hidden) shown.push(l); });
  for (const l of shown) {
    if (l.options.shape !== 'diamond') { continue; }
    const lonely = shown.every(o => o === l || o._point.distanceTo(l._point) > 2.5 * l._radius);
    if (lonely) { found = l; break; }
  }
  const r = found._renderer, b = r._bounds.min, p = found._point, k = found._radius;
  const px = (x, y) => Array.from(r._ctx.getImageData((x - b.x) * d, (y - b.y) * d, 1, 1).data);
  return {centre: px(p.x, p.y), corner: px(p.x + 0.45 * k, p.y + 0.45 * k)}; }"""


def test_a_diamond_is_drawn_as_a_diamond_on_canvas(tmp_path_factory, page):
    """Above DOM_MARKERS_UP_TO markers are canvas shapes; a status whose marker is a diamond
    (as the legend and the pictures draw it) is a diamond there too, not a circle."""
    import json

    data = tmp_path_factory.mktemp("diamonds")
    write_synthetic(data, DOM_MARKERS_UP_TO + 100, seed=2)
    path = data / "datapackage.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    events = next(r for r in raw["resources"] if r["name"] == "events")
    status = next(f for f in events["schema"]["fields"] if f["name"] == "status")
    for c in status["categories"]:
        c["marker"], c["hollow"] = "diamond", False  # every status a solid diamond
    path.write_text(json.dumps(raw), encoding="utf-8")
    server = Server(data)
    try:
        frame = open_app(page, server.url, markers=False)
        frame.wait_for_function(
            "() => { let n = 0; if (window.footprintSites) { window.footprintSites.eachLayer("
            "l => { if (!l.options.hidden) { n += 1; } }); } return n > 100; }",
            timeout=60_000,
        )
        pixels = frame.evaluate(CANVAS_PIXELS)
        assert pixels["centre"] == [31, 78, 121, 255]  # the fill colour (#1f4e79) at its point
        assert (
            pixels["corner"] != pixels["centre"]
        )  # a circle's fill reaches there, a diamond's not
        assert page.errors == []
    finally:
        server.stop()


def test_the_figure_layer_draws_each_sites_latest_troop_figure(server, page):
    """A second map layer, switched on by its own parameter: the latest site figure on or
    before the date as a circle, its words in the popup; its checkbox and legend row."""
    frame = open_app(page, f"{server.url}/?asof=2020-04-05&figures=1")
    mark = frame.locator("[data-figure-site=alpha]")
    mark.wait_for(timeout=20_000)
    assert frame.locator(".fp-figure").count() == 1  # the fixture's one site figure
    box = mark.bounding_box()  # click the circle beside the site's own marker, at its centre
    mark.click(position={"x": box["width"] / 2 + 15, "y": box["height"] / 2}, force=True)
    figure = frame.locator(".fp-popup-figure")
    figure.wait_for(timeout=10_000)
    assert figure.inner_text() == "up to 1,500 US + coalition, Jan 2020"
    assert FIGURE_ROW in frame.locator(".fp-legend").inner_text()
    assert page.get_by_label("Show troop figures at sites").is_checked()
    page.get_by_text("Show troop figures at sites").click()  # off: its marks and row go
    frame.locator(".fp-figure").first.wait_for(state="detached", timeout=20_000)
    assert FIGURE_ROW not in frame.locator(".fp-legend").inner_text()
    assert page.errors == [] and page.external == []
