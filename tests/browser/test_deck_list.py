"""The briefing view's deck list in Chromium: a view added as framed on screen is in the
address, a reload finds the list, it reorders in the open dialog, and a saved list opens."""

import pytest

from footprint.data import load_dataset
from footprint.harness import open_app
from footprint.view import map_limits

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
WEST, SOUTH, EAST, NORTH = map_limits(DS)
LAT, LON = round((SOUTH + NORTH) / 2, 4), round((WEST + EAST) / 2, 4)
DECK = "() => new URL(location.href).searchParams.get('deck') || ''"


def entries(page) -> list[str]:
    """The deck dialog's entries, as listed."""
    items = page.get_by_role("dialog").locator("[data-testid=stMarkdownContainer] p")
    return [t for t in items.all_inner_texts() if t[:1].isdigit()]


def open_deck(page, n: int) -> None:
    page.get_by_role("button", name=f"Deck ({n})…").click()
    page.get_by_role("dialog").wait_for(timeout=20_000)


def test_a_framed_view_joins_the_list_which_a_reload_keeps_and_reorders(server, page):
    frame = open_app(page, f"{server.url}/?view=brief&title=First")
    frame.evaluate(f"() => window.map.setView([{LAT}, {LON}], 8, {{animate: false}}) && null")
    text = frame.evaluate("() => FootprintFollow.frameText(window.map)")
    page.wait_for_function("(t) => location.href.includes('map=' + encodeURIComponent(t)) ||"
                           " location.href.includes('map=' + t)", arg=text)  # fmt: skip
    page.get_by_role("button", name="Add to deck").click()
    page.wait_for_function(f"() => ({DECK})().includes('title=First')", timeout=20_000)
    assert f"map={text}" in page.evaluate(DECK)
    page.get_by_label("Slide title").fill("Second")
    page.get_by_label("Slide title").press("Enter")
    page.wait_for_url("**title=Second**", timeout=20_000)
    page.get_by_role("button", name="Add to deck").click()
    page.wait_for_function(f"() => ({DECK})().includes('title=Second')", timeout=20_000)

    page.reload()
    open_deck(page, 2)
    assert [e.split(" · ")[0] for e in entries(page)] == ["1. First", "2. Second"]
    assert entries(page)[0].endswith(f"frame z8-{LAT:.2f}N-{LON:.2f}E · 16:9 slide")
    page.get_by_role("dialog").get_by_role("button", name="Down").first.click()
    page.wait_for_function(f"() => ({DECK})().split('\\n')[0].includes('title=Second')",
                           timeout=20_000)  # fmt: skip
    page.wait_for_function(  # the open dialog redraws its list
        "() => (document.querySelector('[role=dialog]')?.innerText || '').includes('1. Second')",
        timeout=20_000,
    )
    assert [e.split(" · ")[0] for e in entries(page)] == ["1. Second", "2. First"]
    assert page.errors == [] and page.external == []


def test_a_saved_list_opens_in_the_deck_dialog(server, page, tmp_path):
    saved = tmp_path / "views.txt"
    saved.write_text("# a saved deck\n?asof=2020-01-01&title=Saved+one 4x3\n?title=Two a4\n")
    open_app(page, f"{server.url}/?view=brief")
    open_deck(page, 0)
    page.get_by_role("dialog").locator("input[type=file]").set_input_files(str(saved))
    page.wait_for_function(f"() => ({DECK})().includes('title=Two')", timeout=20_000)
    assert page.evaluate(DECK).splitlines() == ["?asof=2020-01-01&title=Saved+one 4x3",
                                                "?title=Two a4"]  # fmt: skip
    assert page.errors == [] and page.external == []
