"""Briefing view and the standalone HTML export, as a person sees them in Chromium."""

import datetime as dt

import pytest

from footprint import export
from footprint.briefing import make_brief, shown_sites
from footprint.data import load_dataset
from footprint.harness import ARTIFACTS, BASEMAP_DRAWN, SHOWN, open_app, statuses
from footprint.view import View

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)


def test_html_export_opens_offline_and_draws_every_site(browser, tmp_path):
    view = View(asof=dt.date(2020, 3, 27), status=("retained", "handed_over"))
    shown = shown_sites(DS, view)
    path = tmp_path / "export.html"
    path.write_text(export.render(DS, view, "html"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector(SHOWN)
    page.wait_for_selector(BASEMAP_DRAWN, state="attached")
    drawn = statuses(page.main_frame)
    with_status = shown[shown["status"] != ""]
    assert drawn == dict(zip(with_status["id"], with_status["status"], strict=True))
    assert page.locator("[data-site-id=foxtrot]").is_visible()  # context, no status: drawn
    assert page.locator(".fp-stamp-asof").inner_text() == "As of 27 Mar 2020"
    assert requests == [path.as_uri()] and errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_export.png"))
    page.close()


def test_briefing_view_is_a_clean_16_9_frame(server, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    external = []
    page.on("request", lambda r: external.append(r.url) if "127.0.0.1" not in r.url else None)
    frame = open_app(page, f"{server.url}/?view=brief&title=Coalition%20sites%2C%20April%202020")
    page.get_by_role("heading", name="Coalition sites, April 2020").wait_for()
    assert page.get_by_text("As of 5 Apr 2020").first.is_visible()
    assert not page.locator(".st-key-asof").count()  # no controls in the frame
    assert (
        frame.locator(".fp-legend").is_visible()
        and frame.locator(".leaflet-control-scale").count() == 1
    )
    assert frame.locator(".fp-number").count() > 0  # numbered markers match the key beside the map
    view = View(asof=DS.theatre.default_asof, status=tuple(DS.labels("events", "status")))
    first = make_brief(DS, view).key_lines()[0]
    assert page.get_by_text(first).is_visible()
    assert page.get_by_text(DS.theatre.caveat).is_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "briefing_view_1920x1080.png"))
    page.get_by_role("button", name="Back to the explorer").click()
    page.locator(".st-key-asof").wait_for(state="visible")
    assert external == []
    page.close()
