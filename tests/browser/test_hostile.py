"""Script-injection payloads in every free-text column never run and show as text."""

import datetime as dt

import pytest

from footprint import export
from footprint.data import load_dataset
from footprint.harness import ARTIFACTS, BASEMAP_DRAWN, SHOWN, Server, open_app, statuses
from footprint.view import View

from ..hostile import CAVEAT, HEADLINE, KIND, PAYLOADS, TITLE, make_hostile

pytestmark = pytest.mark.browser

INJECTED = """() => {
  const all = [...document.querySelectorAll('*')];
  return all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))
      || (e.tagName === 'IMG' && e.getAttribute('src') === 'x')
      || (e.tagName === 'A' && (e.getAttribute('href') || '').startsWith('javascript:'))
      || e.tagName === 'IFRAME' && (e.getAttribute('src') || '').startsWith('data:'))
    .map(e => e.outerHTML.slice(0, 120));
}"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return make_hostile(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def hostile_server(hostile):
    s = Server(hostile)
    yield s
    s.stop()


def watch_dialogs(page) -> list:
    dialogs = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def test_map_popups_and_site_panel(hostile, hostile_server, page):
    dialogs = watch_dialogs(page)
    frame = open_app(page, hostile_server.url)
    ids = list(statuses(frame))
    header = page.locator("[data-testid=stMarkdownContainer]", has=page.locator(".fp-counts"))
    assert header.locator("h2").inner_text().startswith(TITLE)  # shown as typed
    assert CAVEAT in header.inner_text() and HEADLINE in header.inner_text()
    page.locator(".st-key-kind input").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    texts = options.all_inner_texts()
    kinds = [text for text in texts if text != "Select all"]  # Streamlit's own option
    assert kinds and all(text.startswith(KIND) for text in kinds), texts  # as typed
    page.keyboard.press("Escape")
    for site_id in ids[:8]:  # each click opens a popup and reruns for the site panel
        # Markers overlap at this zoom, and a popup pans the map and lies over its neighbours
        # (for 200 ms more while it fades out): a click at a point can land on the popup or
        # its close button. The click is sent to the marker's own element instead.
        frame.evaluate("() => { map.closePopup(); }")
        frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        frame.locator(f"[data-site-id='{site_id}']").dispatch_event("click")
        frame.locator(".fp-popup-name").first.wait_for()
        page.wait_for_timeout(700)
    popup = frame.locator(".fp-popup-name").first.inner_text()
    assert any(popup.startswith(p.strip()[:12]) for p in PAYLOADS), popup
    heading = page.locator("h3").first.inner_text()  # the chosen site's name, in the panel
    assert any(heading.startswith(p) for p in PAYLOADS), heading
    sites = load_dataset(hostile).sites
    jinja = sites.loc[sites["name"].str.contains("{{7*7}} {% raw %}", regex=False), "id"].iloc[0]
    frame.evaluate(  # markers overlap at this zoom: open the popup through Leaflet itself
        "id => window.footprintSites.getLayers()"
        ".find(l => l.feature.properties.site_id === id).openPopup() && true",
        jinja,
    )
    popup = frame.locator(".fp-popup-name", has_text="{{7*7}} {% raw %}")
    popup.wait_for()  # shown as typed: neither evaluated to 49 nor an error
    # Each tab is built when opened: wait for what it draws (a table, or the charts).
    for tab, drawn in (("All sources", "[data-testid=stDataFrame]"),
                       ("Charts", "[data-testid=stVegaLiteChart]"),
                       ("Sites in view", "[data-testid=stDataFrame]")):  # fmt: skip
        page.get_by_role("tab", name=tab).click()
        page.locator(f"[role=tabpanel]:visible {drawn}").first.wait_for(timeout=30_000)
    page.mouse.move(700, 900)
    assert dialogs == []
    assert page.evaluate(INJECTED) == [] and frame.evaluate(INJECTED) == []
    assert page.errors == []


def test_briefing_view(hostile_server, page):
    dialogs = watch_dialogs(page)
    frame = open_app(
        page, f"{hostile_server.url}/?view=brief&title=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E"
    )
    page.get_by_role("heading", name="<img src=x onerror=alert(9)>").wait_for()
    assert page.get_by_text("<svg onload=alert('svg')>", exact=False).first.is_visible()
    assert dialogs == []
    assert page.evaluate(INJECTED) == [] and frame.evaluate(INJECTED) == []


def test_malicious_link_values(hostile_server, page):
    dialogs = watch_dialogs(page)
    link = "/?site=%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E&q=%5Bx%5D(javascript:alert(4))"
    open_app(page, hostile_server.url + link, markers=False)  # the search matches no site
    page.get_by_text("site: unknown site").wait_for()
    assert dialogs == [] and page.evaluate(INJECTED) == []


def test_html_export(hostile, browser, tmp_path):
    ds = load_dataset(hostile)
    view = View(
        asof=dt.date(2020, 4, 5), status=tuple(ds.labels("events", "status")),
        title="<script>alert('title')</script>",
    )  # fmt: skip
    path = tmp_path / "hostile.html"
    path.write_text(export.render(ds, view, "html"), encoding="utf-8")
    page = browser.new_page()
    dialogs = watch_dialogs(page)
    page.goto(path.as_uri())
    page.wait_for_selector(SHOWN)
    page.wait_for_selector(BASEMAP_DRAWN, state="attached")  # the whole page is checked below
    for marker in page.locator(SHOWN).all()[:6]:
        marker.click(force=True)
        page.wait_for_timeout(150)
    assert page.locator(".fp-stamp-title").inner_text() == "<script>alert('title')</script>"
    assert page.title() == "<script>alert('title')</script>"
    assert dialogs == [] and page.evaluate(INJECTED) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile_html_export.png"))
    page.close()
