"""The explorer on the real data at a laptop's size (1280x720): it opens on every site of the
focus countries, western Syria's included, with the whole map on the first screen. Needs
Debian's Chromium (fails without it)."""

import pytest

from footprint.briefing import shown_sites
from footprint.data import load_dataset
from footprint.harness import LOCAL, MAP_FRAME, Server, hidden_sites, open_app
from footprint.view import default_view

from ..conftest import DATA

pytestmark = pytest.mark.browser

DS = load_dataset(DATA)
SHOWN = shown_sites(DS, default_view(DS))
FOCUS = SHOWN[SHOWN["country"].isin(DS.theatre.focus) & SHOWN["status"].ne("")]


def test_a_laptop_sees_every_site_of_the_default_view(browser):
    assert "SYR" in set(FOCUS["country"])  # the case the map cut off: sites in Syria
    server = Server(DATA)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.external = []
        page.on("request", lambda r: None if r.url.startswith(LOCAL + ("data:", "blob:"))
                else page.external.append(r.url))  # fmt: skip
        frame = open_app(page, server.url)
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["y"] + box["height"] <= 720  # the whole map on the first screen
        assert hidden_sites(frame) & set(FOCUS["id"]) == set()
        assert page.external == []
    finally:
        page.close()
        server.stop()
