"""One test per hook that the page glue (src/footprint/ui/follow.js) takes from Streamlit's
page. A Streamlit upgrade that moves a hook fails here, by name, before a person notices the map
no longer follows the controls while they move."""

import datetime as dt

import pytest

from footprint.data import load_dataset
from footprint.harness import open_app

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
LABELS = DS.labels("events", "status")
READ = """() => FootprintFollow.read(window.parent.document, FootprintSites.served(),
  Object.fromEntries(Object.entries(%s).map(([value, label]) => [label, value])))"""


def test_the_as_of_slider_hook(server, page):
    """`.st-key-asof input[type=range]`: one input, whose value is the date in microseconds."""
    frame = open_app(page, f"{server.url}/?asof=2020-03-27")
    selector = frame.evaluate("() => FootprintFollow.SLIDER")
    page.locator(selector).wait_for(state="attached", timeout=30_000)
    assert page.locator(selector).count() == 1, f"{selector} no longer finds the As-of slider"
    micros = int(page.locator(selector).get_attribute("value"))
    assert dt.date(1970, 1, 1) + dt.timedelta(microseconds=micros) == dt.date(2020, 3, 27)
    assert frame.evaluate(READ % LABELS)["asof"] == "2020-03-27"


def test_the_status_pills_hook(server, page):
    """`.st-key-status button[aria-pressed]`: one button per status, named by its label, pressed
    when the status is shown."""
    frame = open_app(page, f"{server.url}/?status=retained,planned")
    selector = frame.evaluate("() => FootprintFollow.PILLS")
    page.locator(selector).first.wait_for(state="attached", timeout=30_000)
    buttons = page.locator(selector)
    texts = [b.strip() for b in buttons.all_inner_texts()]
    assert sorted(texts) == sorted(LABELS.values()), f"{selector} no longer finds the pills"
    pressed = {
        b.inner_text().strip() for b in buttons.all() if b.get_attribute("aria-pressed") == "true"
    }
    assert pressed == {LABELS["retained"], LABELS["planned"]}
    assert sorted(frame.evaluate(READ % LABELS)["status"]) == ["planned", "retained"]


def test_the_frame_field_hook(server, page):
    """`.st-key-map input`: one text input, hidden, bound to the address's `map=`; a frame typed
    into it as follow.js types it reaches the address with no message to the server."""
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_app(page, server.url)
    selector = frame.evaluate("() => FootprintFollow.FRAME")
    page.locator(selector).wait_for(state="attached", timeout=30_000)
    assert page.locator(selector).count() == 1, f"{selector} no longer finds the frame field"
    assert not page.locator(selector).is_visible()
    page.wait_for_timeout(1000)
    before = len(sent)
    frame.evaluate("() => window.map.setZoom(window.map.getZoom() + 1, {animate: false}) && null")
    text = frame.evaluate("() => FootprintFollow.frameText(window.map)")
    page.wait_for_function(
        "(t) => new URL(location.href).searchParams.get('map') === t", arg=text, timeout=10_000
    )
    assert page.locator(selector).input_value() == text
    page.wait_for_timeout(500)
    assert len(sent) == before, "typing the frame asked the server for a rerun"


COVERS = "() => FootprintFollow.covers(window.parent.document)"


def test_the_sidebar_hooks(server, page):
    """`[data-testid=stSidebar]` lies beside `[data-testid=stMain]` on a wide screen and over it
    on a phone's, once opened; there `[data-testid=stSidebarCollapseButton] button` closes it."""
    frame = open_app(page, server.url)
    bar = page.locator(frame.evaluate("() => FootprintFollow.SIDEBAR"))
    assert bar.count() == 1 and page.locator(frame.evaluate("() => FootprintFollow.MAIN")).count()
    assert bar.is_visible() and not frame.evaluate(COVERS)  # open, beside the page
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Expand sidebar").click()
    frame.wait_for_function(COVERS, timeout=10_000)
    close = page.locator(frame.evaluate("() => FootprintFollow.CLOSE"))
    assert close.count() == 1, "the sidebar's own close button is no longer found"
    close.click()
    frame.wait_for_function(f"() => !({COVERS})()", timeout=10_000)
