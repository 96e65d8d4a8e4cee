"""Usable by everyone (issue 31): an exact date typed, the keyboard, small screens, readable
contrast. Each test runs at a desktop's, a laptop's and a phone's size."""

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from footprint.data import load_dataset
from footprint.estimates import headline_figures
from footprint.harness import (
    ARTIFACTS,
    BOX,
    LOCAL,
    MAP_FRAME,
    hidden_sites,
    open_app,
    statuses,
    wait_for_statuses,
)
from footprint.text import format_date
from footprint.ui.panels import (
    CONTEXT_ONLY,
    COUNTED,
    figure_words,
    site_label,
    table_caption,
)
from footprint.view import apply_filters, view_from_query

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
STATUS = DS.labels("events", "status")
SIZES = {"desktop": (1600, 1000), "laptop": (1280, 720), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def person(browser, request):
    """A fresh page at one of the three sizes, recording requests off localhost and errors."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.external, pg.errors = [], []
    pg.on("request", lambda r: None if r.url.startswith(LOCAL + ("data:", "blob:", "about:"))
          else pg.external.append(r.url))  # fmt: skip
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def drawn(day: dt.date) -> dict[str, str]:
    df = DS.status_on(day)
    return {k: v for k, v in zip(df["id"], df["status"], strict=True) if v}


OPEN = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 0"


def sidebar(page):
    """The sidebar, opened if the screen is narrow enough for it to start closed."""
    bar = page.locator("[data-testid=stSidebar]")
    bar.wait_for(state="attached", timeout=30_000)
    if not page.evaluate(OPEN):
        page.get_by_role("button", name="Expand sidebar").click()
        page.wait_for_function(OPEN)
    return bar


def close_sidebar(page) -> None:
    """On a phone, close the sidebar (it covers the page) as a person would."""
    if page.viewport_size["width"] < 640 and page.evaluate(OPEN):
        page.get_by_role("button", name="Collapse sidebar").click()
        page.wait_for_function(f"() => !({OPEN})()")


def type_date(page, label: str, day: dt.date) -> None:
    """Type a date into a date field from the keyboard: its year, month and day; then Escape
    closes the calendar that opened beside it, and Tab moves on, which sets the date."""
    page.get_by_role("spinbutton", name=f"year, {label}").focus()
    page.keyboard.type(f"{day:%Y%m%d}")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")


def slider_day(page, key: str) -> str:
    return page.locator(f".st-key-{key} input[type=range]").get_attribute("aria-valuetext")


def test_a_typed_date_sets_the_slider_the_map_and_the_link(server, person):
    frame = open_app(person, f"{server.url}/?asof=2020-03-01")
    sidebar(person)
    day = dt.date(2025, 1, 1)
    type_date(person, "As of, typed", day)
    person.wait_for_url(f"**asof={day}**", timeout=20_000)
    person.get_by_text(f"As of {format_date(day)}", exact=True).wait_for(timeout=20_000)
    assert slider_day(person, "asof") == format_date(day)
    wait_for_statuses(frame, drawn(day))
    assert person.external == [] and person.errors == []


def test_no_arrow_press_on_the_slider_is_lost_and_the_field_follows(server, person):
    """20 presses, as fast as the keyboard sends them, while the page reruns after each: the
    date moves 20 days, and the typed-date field shows it."""
    frame = open_app(person, f"{server.url}/?asof=2020-03-01")
    sidebar(person)
    person.locator(".st-key-asof input[type=range]").focus()
    for _ in range(20):
        person.keyboard.press("ArrowRight")
    day = dt.date(2020, 3, 21)
    person.wait_for_url(f"**asof={day}**", timeout=30_000)
    person.locator(f".st-key-asof_typed_{day} input[type=date]").wait_for(state="attached")
    assert person.locator("[class*=st-key-asof_typed_] input[type=date]").input_value() == str(day)
    assert slider_day(person, "asof") == format_date(day)
    wait_for_statuses(frame, drawn(day))
    assert statuses(frame) == drawn(day)


def test_the_comparison_starts_a_year_before_and_takes_a_typed_date(server, person):
    open_app(person, f"{server.url}/?asof=2021-06-15")
    bar = sidebar(person)
    bar.get_by_text("Compare with another date").click()
    person.wait_for_url("**compare=2020-06-15**", timeout=20_000)
    assert slider_day(person, "compare") == format_date(dt.date(2020, 6, 15))
    type_date(person, "Compare with, typed", dt.date(2019, 10, 1))
    person.wait_for_url("**compare=2019-10-01**", timeout=20_000)
    person.get_by_text("Changes between 1 Oct 2019 and 15 Jun 2021").wait_for(timeout=20_000)
    assert person.errors == []


def site_name(site: str) -> str:
    return DS.sites.set_index("id").loc[site, "name"]


@pytest.mark.parametrize(("key", "site"), [("Enter", "alpha"), ("Space", "india")])
def test_enter_or_space_on_a_marker_opens_the_site_in_the_panel(server, person, key, site):
    frame = open_app(person, server.url)
    frame.locator(f"[data-site-id={site}]").focus()
    person.keyboard.press(key)
    person.wait_for_url(f"**site={site}**", timeout=20_000)
    person.get_by_role("heading", name=site_name(site), exact=True).wait_for(timeout=20_000)
    assert person.external == [] and person.errors == []


SITE_BOX_FOCUSED = "() => !!document.activeElement.closest('.st-key-site')"


def test_a_link_skips_the_markers_to_the_site_panel(server, person):
    open_app(person, server.url)
    person.locator(".st-key-site input").wait_for()  # the panel is drawn after the map
    link = person.get_by_role("link", name="Skip the map's markers to the site panel")
    link.focus()
    assert link.is_visible()  # hidden until it has the focus
    person.keyboard.press("Enter")
    person.keyboard.press("Tab")
    person.wait_for_function(SITE_BOX_FOCUSED, timeout=10_000)


def site_row(site: str):
    return next(DS.sites[DS.sites["id"] == site].itertuples())


def open_by_name(page, typed: str, site: str, offered: bool = True, ds=DS) -> None:
    """From the keyboard: the skip link past the markers, Tab to the Site box, type a name the
    site goes by; the box offers the site under all its names (if `offered`: the text is in
    them as typed); Enter opens it. `ds`: the dataset the page shows."""
    row = next(ds.sites[ds.sites["id"] == site].itertuples())
    page.locator(".st-key-site input").wait_for()  # the panel is drawn after the map
    page.get_by_role("link", name="Skip the map's markers to the site panel").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.wait_for_function(SITE_BOX_FOCUSED, timeout=10_000)
    page.keyboard.type(typed)
    label = site_label(row)
    page.get_by_role("option", name=label if offered else f"Add: {typed}", exact=True).wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**site={site}**", timeout=20_000)
    page.get_by_role("heading", name=row.name, exact=True).wait_for(timeout=20_000)


@pytest.mark.parametrize(("site", "typed"), [("alpha", "Alpha AB"), ("hotel", "فندق")])
def test_the_site_box_finds_a_site_by_an_alias_in_either_script(server, person, site, typed):
    """Alpha's alias, Hotel's Arabic name, typed in the Site box, open the site."""
    assert typed in (*site_row(site).aliases, site_row(site).name_ar)
    open_app(person, server.url)
    open_by_name(person, typed, site)
    assert person.external == [] and person.errors == []


def test_a_name_typed_otherwise_is_read_as_the_search_reads_it(server, page):
    """'al alpha' is in none of Alpha's names as typed (they have 'Al-Alpha'), so the box
    offers only the typed text; Enter reads it as the search does, and opens Alpha."""
    assert "al alpha" not in site_label(site_row("alpha")).casefold()
    open_app(page, server.url)
    open_by_name(page, "al alpha", "alpha", offered=False)
    assert page.errors == []


IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def download(page, label: str) -> str:
    """The text of the file a download button gives, clicked once the page's run is over (in
    one CI run a click at 1280x720 gave no file in 30 s; the page may still have been running)."""
    page.wait_for_selector(IDLE, timeout=30_000)
    with page.expect_download() as got:
        page.get_by_role("button", name=label, exact=True).click()
    return Path(got.value.path()).read_text(encoding="utf-8")


HEADER_COUNTS = """(labels) => Object.fromEntries([...document.querySelectorAll('.fp-count')]
  .map(c => [c.querySelector('span').textContent, c.querySelector('strong').textContent])
  .filter(([label]) => labels.includes(label)))"""
ROWS = """() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row]')]
  .slice(1).map(r => [...r.querySelectorAll('[role=gridcell]')].map(c => c.textContent))"""
# Whether the sites table's columns fit its width (no column out of sight to the right)
COLUMNS_FIT = """() => {
  const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
  return s.scrollWidth <= s.clientWidth; }"""


def test_the_table_and_its_downloads_list_the_sites_on_the_map(server, person):
    """With the kind filter from the link and a status pill turned off: the table, its caption,
    the header's counts and both downloads agree on the sites drawn; context sites are marked,
    listed and not counted; the columns fit beside the sidebar (a phone scrolls the table)."""
    link = "/?asof=2020-04-05&status=retained,handed_over&kind=air_base,outpost"
    frame = open_app(person, server.url + link)
    sidebar(person).get_by_role("button", name=STATUS["retained"], exact=True).click()
    close_sidebar(person)
    view = replace(view_from_query(DS, link), status=("handed_over",))
    shown = apply_filters(DS.status_on(view.asof), view)
    assert set(shown["context"]) == {True, False}  # the case: counted and context sites
    wait_for_statuses(frame, {k: v for k, v in drawn(view.asof).items() if k in set(shown["id"])})
    caption = person.get_by_text(table_caption(DS, shown).replace("`", ""))  # as rendered
    caption.wait_for(timeout=20_000)
    counts = person.evaluate(HEADER_COUNTS, list(STATUS.values()))
    assert sum(map(int, counts.values())) == (~shown["context"]).sum()
    grid = person.locator("[data-testid=stDataFrame] [role=grid]")
    expect(grid).to_have_attribute("aria-rowcount", str(len(shown) + 1))  # drawn after the caption
    rows = [(r[0], r[2]) for r in person.evaluate(ROWS)]  # name, counted
    assert rows == [(n, CONTEXT_ONLY if c else COUNTED)
                    for n, c in zip(shown["name"], shown["context"], strict=True)]  # fmt: skip
    table = list(csv.DictReader(io.StringIO(download(person, "Download CSV"))))
    assert [(r["site_id"], r["context"]) for r in table] == [
        (i, str(c).lower()) for i, c in zip(shown["id"], shown["context"], strict=True)
    ]
    features = json.loads(download(person, "Download GeoJSON"))["features"]
    assert [(f["id"], f["properties"]["context"]) for f in features] == list(
        zip(shown["id"], shown["context"], strict=True)
    )
    if person.viewport_size["width"] >= 1280:
        assert person.evaluate(COLUMNS_FIT)
    box = person.locator("[data-testid=stDataFrame]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= person.viewport_size["width"]
    assert person.external == [] and person.errors == []


def overlap(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_the_page_fits_the_window(server, person):
    """Little space above the title; the map no taller than the window, wholly on the first
    screen beside the site panel; every site in the focus countries drawn on the map and under
    none of its controls; the scale bar clear of the attribution."""
    frame = open_app(person, server.url)
    width, height = person.viewport_size["width"], person.viewport_size["height"]
    title = person.get_by_role("heading", name=DS.theatre.title, exact=True)
    assert title.bounding_box()["y"] <= 64  # under the header bar; it was 96
    box = person.locator(MAP_FRAME).bounding_box()
    assert box["height"] <= height and box["x"] + box["width"] <= width
    if width >= 1280:  # the map beside the site panel, all of it on the first screen
        assert box["y"] + box["height"] <= height
    focus = set(DS.sites.loc[DS.sites["country"].isin(DS.theatre.focus), "id"])
    assert focus & set(drawn(DS.theatre.default_asof))  # the case: sites to find on the map
    assert hidden_sites(frame) & focus == set()
    scale = frame.locator(".leaflet-control-scale").evaluate(BOX)
    attribution = frame.locator(".leaflet-control-attribution").evaluate(BOX)
    assert not overlap(scale, attribution)
    assert person.external == [] and person.errors == []


def test_the_sidebar_closes_after_a_search_on_a_phone(server, person):
    """On a phone the open sidebar covers the page: a search sent with Enter closes it. Beside
    the page (a laptop, a desktop) it stays."""
    frame = open_app(person, server.url)
    search = sidebar(person).get_by_role("textbox", name="Search name or alias")
    search.fill("Alpha AB")
    search.press("Enter")
    person.wait_for_url("**q=Alpha**", timeout=20_000)
    wait_for_statuses(frame, {"alpha": drawn(DS.theatre.default_asof)["alpha"]})
    narrow = person.viewport_size["width"] < 640
    person.wait_for_function(f"() => ({OPEN})() === {str(not narrow).lower()}", timeout=10_000)
    assert person.errors == []


AXE_OPTIONS = {"resultTypes": ["violations"], "iframes": False}  # the map's frame on its own


def serious(target) -> list:
    """axe-core's serious and critical violations in a page or frame: rule, impact, where."""
    target.evaluate(AXE_SCRIPT)
    found = target.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_nothing_serious_on_the_page_in_the_map_or_the_briefing_view(server, person):
    """axe-core (installed from PyPI with the test tools) on the explorer with a site open, in
    the map's own frame, and on the briefing view."""
    frame = open_app(person, f"{server.url}/?site=alpha")
    person.get_by_role("heading", name=site_name("alpha"), exact=True).wait_for(timeout=20_000)
    person.locator("[data-testid=stDataFrame]").wait_for(timeout=30_000)
    assert serious(person) == []
    assert serious(frame) == []
    open_app(person, f"{server.url}/?view=brief")
    person.get_by_role("button", name="Back to the explorer").wait_for(timeout=30_000)
    assert serious(person) == []


@pytest.mark.parametrize("way", ["mouse", "keyboard"])
def test_a_headline_figure_opens_its_words_sources_date_and_rivals(server, person, way):
    figure = headline_figures(DS, DS.theatre.default_asof)[0]
    words = figure_words(figure)
    assert figure.words and figure.source  # the fixture's figure has words and a source
    open_app(person, server.url)
    summary = person.locator(".fp-count summary").filter(has_text=figure.label)
    said = person.locator(".fp-words").filter(has_text=figure.words)
    assert not said.is_visible()
    if way == "mouse":
        summary.click()
    else:
        summary.focus()
        person.keyboard.press("Enter")
    said.wait_for(timeout=10_000)
    assert [p.strip() for p in said.locator("p").all_inner_texts()] == words
    assert person.evaluate("() => document.querySelector('.fp-count details').open")


def test_esc_closes_the_export_dialog_after_a_download(server, person):
    """Item 8: a download leaves the dialog open, and Esc still closes it (the person need not
    find its close button), at each size."""
    open_app(person, f"{server.url}/?view=brief")
    person.get_by_role("button", name="Export…").click()
    dialog = person.get_by_role("dialog")
    button = dialog.get_by_role("button", name="HTML map")
    button.wait_for(timeout=20_000)
    with person.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename.endswith(".html")
    expect(dialog).to_be_visible()
    person.keyboard.press("Escape")
    expect(dialog).to_be_hidden(timeout=10_000)
    assert person.errors == [] and person.external == []


# Whether the legend is open just when, opened with every row (the rows of layers that are off
# too), it covers at most a quarter of the map.
FITS = """() => { const b = document.querySelector('.fp-legend'), was = b.open;
  if (getComputedStyle(b).cssFloat !== 'right') { return false; }
  b.open = true; b.classList.add('fp-every');
  const area = b.offsetWidth * b.offsetHeight; b.classList.remove('fp-every'); b.open = was;
  const s = window.map.getSize(); return was === (area <= s.x * s.y / 4); }"""


def test_the_legend_is_open_unless_it_would_cover_a_quarter_of_the_map(server, person):
    """Item 6: open on a desktop, closed on a phone; its title opens and closes it."""
    frame = open_app(person, server.url)
    frame.wait_for_function(FITS, timeout=10_000)
    legend = frame.locator(".fp-legend")
    opened = legend.evaluate("b => b.open")
    width = person.viewport_size["width"]
    assert opened if width >= 1600 else not opened if width < 640 else True
    legend.locator("summary").click()
    assert legend.evaluate("b => b.open") is not opened
    assert person.errors == []
