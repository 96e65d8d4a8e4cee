"""The map's frame in the address: written as a person pans and zooms (no rerun), brought to the
server by the next rerun, restored from a link, and followed by the exports made on the page."""

import io

import pypdf
import pytest

from footprint.briefing import frame_of
from footprint.data import load_dataset
from footprint.harness import MAP_FRAME, open_app
from footprint.view import map_limits

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
WEST, SOUTH, EAST, NORTH = map_limits(DS)
LAT, LON = round((SOUTH + NORTH) / 2, 4), round((WEST + EAST) / 2, 4)
FRAME_TEXT = "() => FootprintFollow.frameText(window.map)"


# Whether the map shows the frame [zoom, lat, lon]: the zoom, and the centre to within a screen
# pixel (Leaflet puts the centre on a whole pixel of the map, whose size differs between views).
ON_FRAME = """([zoom, lat, lon]) => { if (!window.map || !window.FootprintFollow) { return false; }
  const c = window.map.getCenter(), px = 360 / (256 * 2 ** zoom);
  return Math.abs(window.map.getZoom() - zoom) < 1e-9 && Math.abs(c.lat - lat) <= px
    && Math.abs(c.lng - lon) <= px; }"""


def address_frame(page) -> str | None:
    """The `map=` of the page's address, decoded."""
    return page.evaluate("() => new URL(location.href).searchParams.get('map')")


def wait_for_address(page, text: str) -> None:
    page.wait_for_function(
        "(t) => new URL(location.href).searchParams.get('map') === t", arg=text, timeout=20_000
    )


def newest_map_frame(page):
    """The map's frame most recently attached (the briefing view's, after the explorer's)."""
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frames = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
    return frames[-1]


def sent_frames(page) -> list:
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    return sent


# Whether the map shows all of the box [[south, west], [north, east]], to within a pixel.
SHOWS = """([[s, w], [n, e]]) => { const v = window.map.getBounds();
  const px = 360 / (256 * 2 ** window.map.getZoom());
  return v.getSouth() <= s + px && v.getNorth() >= n - px && v.getWest() <= w + px
    && v.getEast() >= e - px; }"""


def test_a_plain_visit_has_no_frame_in_its_address(server, page):
    """It opens on the focus countries with sites, fitted to the map (and writes no frame)."""
    frame = open_app(page, server.url)
    page.wait_for_timeout(1500)
    assert address_frame(page) is None
    west, south, east, north = frame_of(DS, DS.sites)
    assert frame.evaluate(SHOWS, [[south, west], [north, east]])


def test_a_link_with_a_frame_reopens_it(server, page):
    frame = open_app(page, f"{server.url}/?map=8.5/{LAT}/{LON}")
    frame.wait_for_function(ON_FRAME, arg=[8.5, LAT, LON], timeout=20_000)
    assert address_frame(page) == f"8.5/{LAT}/{LON}"
    assert page.errors == [] and page.external == []


def test_panning_writes_the_frame_into_the_address_without_a_rerun(server, page):
    sent = sent_frames(page)
    frame = open_app(page, server.url)
    page.wait_for_timeout(1500)
    before = len(sent)
    frame.evaluate("() => { window.map.panBy([200, 120], {animate: false}); window.map.zoomIn(); }")
    frame.wait_for_function("() => !window.map._animatingZoom", timeout=10_000)
    text = frame.evaluate(FRAME_TEXT)
    wait_for_address(page, text)
    page.wait_for_timeout(1000)
    assert len(sent) == before, "a pan or zoom sent a message to the server (a rerun)"
    # The address is a working link: another page opens on the same frame.
    other = page.context.new_page()
    again = open_app(other, page.url)
    zoom, lat, lon = map(float, text.split("/"))
    again.wait_for_function(ON_FRAME, arg=[zoom, lat, lon], timeout=20_000)
    other.close()
    assert page.errors == []


def test_the_next_rerun_takes_the_frame_to_the_briefing_view(server, page):
    """The explorer's frame reaches the server with the click that opens the briefing view,
    whose map (another one) opens on it; its link carries it."""
    frame = open_app(page, server.url)
    frame.evaluate(f"() => window.map.setView([{LAT}, {LON}], 8.2, {{animate: false}}) && null")
    text = frame.evaluate(FRAME_TEXT)
    wait_for_address(page, text)
    page.get_by_role("button", name="Briefing view").click()
    page.get_by_role("button", name="Back to the explorer").wait_for(timeout=30_000)
    brief = newest_map_frame(page)
    brief.wait_for_function(ON_FRAME, arg=[8.2, LAT, LON], timeout=30_000)
    page.get_by_role("button", name="Copy link").click()
    code = page.get_by_role("dialog").locator("code")
    code.wait_for(timeout=20_000)
    assert f"map={text}" in code.inner_text() and "view=brief" in code.inner_text()
    assert page.errors == [] and page.external == []


def test_a_rerun_that_began_before_a_pan_does_not_undo_it(server, page):
    """A rerun asked for just before a pan sends back the address it began with; the frame the
    person chose is put back."""
    frame = open_app(page, server.url)
    frame.evaluate(f"() => window.map.setView([{LAT}, {LON}], 7, {{animate: false}}) && null")
    wait_for_address(page, frame.evaluate(FRAME_TEXT))
    pills = page.locator(".st-key-status")
    pills.get_by_role("button", name=DS.label("events", "status", "retained"), exact=True).click()
    frame.evaluate("() => window.map.panBy([150, 0], {animate: false}) && null")  # in the rerun
    text = frame.evaluate(FRAME_TEXT)
    page.wait_for_url("**status=**", timeout=20_000)
    page.wait_for_timeout(1500)
    assert address_frame(page) == text
    assert page.errors == []


def test_an_export_from_the_briefing_view_follows_the_frame_on_screen(server, page):
    """Framed in the briefing view just before the click, the PDF shows that frame: its link
    (printed at the foot) carries it."""
    frame = open_app(page, f"{server.url}/?view=brief")
    frame.evaluate(f"() => window.map.setView([{LAT}, {LON}], 8.4, {{animate: false}}) && null")
    text = frame.evaluate(FRAME_TEXT)
    wait_for_address(page, text)
    page.get_by_role("button", name="Export…").click()
    dialog = page.get_by_role("dialog")
    button = dialog.get_by_role("button", name="PDF (vector)")
    button.wait_for(timeout=20_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename.startswith("footprint-2020-04-05-z8.4-")
    data = download.value.path().read_bytes()
    words = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\n", "")
    assert f"map={text}" in words
    assert page.locator(MAP_FRAME).count() == 1 and page.errors == [] and page.external == []
