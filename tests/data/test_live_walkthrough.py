"""Issue 31's walk, on the real data at a laptop's size, without a mouse: a person types
1 Jan 2026 as the date, opens Q-West (an alias of Qayyarah Airfield West) from the keyboard,
and reads the words behind a headline figure. Needs Debian's Chromium (fails without it)."""

import datetime as dt

import pytest

from footprint.data import load_dataset
from footprint.estimates import headline_figures
from footprint.harness import LOCAL, Server, open_app
from footprint.ui.panels import figure_words

from ..browser.test_access import open_by_name, type_date
from ..conftest import DATA

pytestmark = pytest.mark.browser

DS = load_dataset(DATA)
DAY = dt.date(2026, 1, 1)


def test_a_date_typed_a_site_by_its_alias_and_a_figures_words_from_the_keyboard(browser):
    qwest = DS.sites[DS.sites["aliases"].map(lambda a: "Q-West" in a)]
    assert len(qwest) == 1  # the alias names one site
    figure = headline_figures(DS, DAY)[0]
    assert figure.words  # the figure shown on that date rests on a source's words
    server = Server(DATA)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.external, errors = [], []
        page.on("request", lambda r: None if r.url.startswith(LOCAL + ("data:", "blob:"))
                else page.external.append(r.url))  # fmt: skip
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_app(page, server.url)
        type_date(page, "As of, typed", DAY)
        page.wait_for_url(f"**asof={DAY}**", timeout=20_000)
        open_by_name(page, "Q-West", qwest["id"].iloc[0], ds=DS)
        summary = page.locator(".fp-count summary").filter(has_text=figure.label)
        summary.focus()
        page.keyboard.press("Enter")
        said = page.locator(".fp-words").filter(has_text=figure.words)
        said.wait_for(timeout=10_000)
        assert [p.strip() for p in said.locator("p").all_inner_texts()] == figure_words(figure)
        assert page.external == [] and errors == []
    finally:
        page.close()
        server.stop()
