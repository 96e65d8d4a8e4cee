"""AppTest on the fixture theatre: the page runs, widgets (driven by key) change what is shown,
bad input is named. Every expectation is computed from the fixture's data."""

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from footprint.briefing import status_counts
from footprint.data import load_dataset
from footprint.estimates import headline_figures
from footprint.ui.panels import CONTEXT_ONLY, COUNTED, table_caption
from footprint.view import View, apply_filters, default_view, view_from_query

from ..conftest import ELSEWHERE, THEATRE, copy_fixture
from .conftest import run

pytestmark = pytest.mark.usefixtures("on_the_fixture")
DS = load_dataset(THEATRE)
STATUSES = DS.labels("events", "status")


COUNT = re.compile(  # a count, or a figure that opens its words (a details element)
    r'<div class="fp-count">(?:<details><summary>)?<span>(.*?)</span><strong>(.*?)</strong>'
)


def count(at: AppTest, label: str) -> str:
    """The figure under `label` in the header's row of counts."""
    cells = (re.findall(COUNT, m.value) for m in at.markdown if 'class="fp-counts"' in m.value)
    return next(figure for found in cells for name, figure in found if name == label)


def expected_counts(day: dt.date, **filters) -> dict[str, str]:
    """The header's status counts for a date (and filters), computed from the fixture."""
    view = View(asof=day, status=tuple(STATUSES), **filters)
    shown = apply_filters(DS.status_on(day), view)
    return {label: str(n) for label, n in status_counts(DS, shown).items()}


def shown_counts(at: AppTest) -> dict[str, str]:
    """The header's counts of sites by status (a derived status shows only when some site has
    it)."""
    cells = (re.findall(COUNT, m.value) for m in at.markdown if 'class="fp-counts"' in m.value)
    labels = set(STATUSES.values())
    return {name: figure for found in cells for name, figure in found if name in labels}


def test_default_page_draws_everything_in_one_run():
    at = run()
    assert not at.exception
    view = default_view(DS)
    assert at.slider(key="asof").value == view.asof
    assert shown_counts(at) == expected_counts(view.asof)
    figure = headline_figures(DS, view.asof)[0]
    assert count(at, figure.label) == figure.figure
    assert at.pills(key="status").value == list(STATUSES)  # the controls, in the same run
    assert len(at.dataframe) == 1  # the table of sites in view
    assert not [b for b in at.button if b.key == "ready"]  # nothing waits for the map


@pytest.mark.parametrize("day", ["2015-07-01", "2020-03-27", "2022-01-01"])
def test_moving_the_date_changes_the_counts(day):
    at = run()
    at.slider(key="asof").set_value(dt.date.fromisoformat(day)).run()
    assert shown_counts(at) == expected_counts(dt.date.fromisoformat(day))
    assert at.query_params["asof"] == day


def test_link_notice_shows_on_the_first_run_and_goes_at_the_next():
    at = run(status="retained,bogus")
    assert any("unknown value 'bogus'" in w.value.replace("\\", "") for w in at.warning)
    assert at.pills(key="status").value == ["retained"]
    at.slider(key="asof").set_value(dt.date(2020, 6, 13)).run()
    assert not at.warning and at.pills(key="status").value == ["retained"]


def test_next_button_steps_to_the_next_change():
    at = run(asof="2020-03-20")
    at.button(key="next").click().run()
    later = min(d for d in DS.change_dates() if d > dt.date(2020, 3, 20))
    assert at.slider(key="asof").value == later


def test_status_filter_and_url():
    at = run()
    at.pills(key="status").set_value(["handed_over"]).run()
    assert count(at, STATUSES["retained"]) == "0"
    assert at.query_params["status"] == "handed_over"


def test_link_restores_the_view():
    at = run(asof="2020-03-20", status="retained", site="alpha", basemap="osm")
    assert not at.exception
    assert at.slider(key="asof").value == dt.date(2020, 3, 20)
    assert at.pills(key="status").value == ["retained"]
    assert at.selectbox(key="site").value == "alpha"
    assert at.selectbox(key="basemap").value == "osm"
    assert any("Alpha Air Base" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"asof": "2020-13-45"}, "asof: there is no month 13 (2020-13-45)"),
        ({"asof": "1990-01-01"}, "outside the data"),
        ({"status": "<script>"}, "status: ignored unknown value"),
        ({"site": "../../etc/passwd"}, "site: unknown site"),
        ({"basemap": "evil"}, "basemap: unknown basemap"),
        ({"country": "XYZ"}, "country: ignored unknown value"),
        ({"labels": "maybe"}, "labels:"),
        ({"q": "x" * 5000}, "longer than"),
        ({"map": "8/33.3"}, "map: '8/33.3' is not ZOOM/LAT/LON"),
        ({"map": "30/33.3/44.35"}, "map: zoom 30 is outside"),
        ({"map": "8/-60/44.35"}, "map: centre -60, 44.35 is outside the map"),
    ],
    ids=[
        "bad-date",
        "old-date",
        "markup",
        "path",
        "basemap",
        "country",
        "flag",
        "oversized",
        "map-parts",
        "map-zoom",
        "map-centre",
    ],
)
def test_malformed_link_values_are_ignored_with_a_notice(params, words):
    at = run(**params)
    assert not at.exception
    shown = [w.value.replace("\\", "") for w in at.warning]  # as rendered: escapes removed
    assert any(words in text for text in shown), shown
    assert at.slider(key="asof").value == DS.theatre.default_asof or "asof" not in params


def test_search_finds_arabic_and_alias():
    at = run()
    for query in ("al alpha", "ألفا"):
        at.text_input(key="q").set_value(query).run()
        assert count(at, STATUSES["handed_over"]) == "1"  # Alpha, handed over by 5 Apr 2020
        assert count(at, STATUSES["retained"]) == "0"


def test_a_context_site_without_a_status_is_listed_but_not_counted():
    at = run(site="foxtrot")
    text = "\n".join(m.value for m in at.markdown)
    assert "Context site" in text and "context only, not counted" in text
    assert shown_counts(at) == expected_counts(DS.theatre.default_asof)


@pytest.mark.parametrize(
    "params",
    [{"status": "handed_over"}, {"status": "retained", "context": "0"}, {"kind": "air_base"}],
    ids=["status", "no-context", "kind"],
)
def test_the_table_lists_the_sites_on_the_map_and_marks_context_sites(params):
    at = run(**params)
    view = view_from_query(DS, "&".join(f"{k}={v}" for k, v in params.items()))
    shown = apply_filters(DS.status_on(view.asof), view)
    table = at.dataframe[0].value
    assert list(table["Name"]) == list(shown["name"])
    assert list(table["Counted"]) == [CONTEXT_ONLY if c else COUNTED for c in shown["context"]]
    assert any(c.value == table_caption(DS, shown) for c in at.caption)


def test_invalid_data_shows_the_report_not_a_traceback(tmp_path, monkeypatch):
    d = copy_fixture(THEATRE, tmp_path / "bad")
    (d / "sites.csv").write_text((d / "sites.csv").read_text().replace("33.8,42.4", "136,42.4"))
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    assert not at.exception
    assert any("cannot be shown" in e.value for e in at.error)
    assert any("sites.csv:2: lat" in c.value for c in at.code)


def test_site_panel_lists_events_disputes_and_sources():
    at = run(site="alpha")
    text = "\n".join(m.value for m in at.markdown)
    assert (
        "*Competing claim*, disputes the 26 Mar 2020 entry: **29 Mar 2020** · Handed over" in text
    )
    assert "· Attack —" in text  # the kind of an observation
    assert "](https://example.org/ministry)" in text
    assert "Up to 1,500" in text or "up to 1,500" in text


def test_an_old_status_says_how_old_its_evidence_is():
    at = run(site="bravo", asof="2025-12-31")
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Retained since 2016 · latest report 2016, 10 years before the date shown" in text


def test_compare_two_dates_lists_the_changes():
    at = run(asof="2020-04-05", compare="2020-03-01")
    assert at.toggle(key="compare_on").value is True
    before, after = DS.status_on(dt.date(2020, 3, 1)), DS.status_on(dt.date(2020, 4, 5))
    changed = (before.set_index("id")["status"] != after.set_index("id")["status"]).sum()
    text = next(m.value for m in at.markdown if "Changes between" in m.value)
    assert text.startswith(f"**Changes between 1 Mar 2020 and 5 Apr 2020**: {changed} site(s)")
    at.toggle(key="compare_on").set_value(False).run()
    assert "compare" not in at.query_params


@pytest.mark.parametrize("site_id", list(DS.sites["id"]))
def test_every_site_panel_renders(site_id):
    at = run(site=site_id)
    assert not at.exception
    name = DS.sites.set_index("id").loc[site_id, "name"]
    assert any(
        m.value.startswith("### ") and name in m.value.replace("\\", "") for m in at.markdown
    )


def test_briefing_view_and_back_keep_the_filters():
    at = run(status="retained,handed_over", asof="2020-03-27")
    at.button(key="enter_brief").click().run()
    assert not at.exception
    assert any(m.value == "### :blue[As of 27 Mar 2020]" for m in at.markdown)  # the frame
    assert not [s for s in at.slider if s.key == "asof"]  # no sidebar in the briefing view
    at.button(key="exit_brief").click().run()
    assert at.pills(key="status").value == ["retained", "handed_over"]
    assert at.slider(key="asof").value == dt.date(2020, 3, 27)


def test_a_theatre_that_is_not_iraq_runs_with_its_own_words(monkeypatch):
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(ELSEWHERE))
    ds = load_dataset(ELSEWHERE)
    at = run()
    assert not at.exception
    assert any("Exercise sites in Kuwait" in m.value.replace("\\", "") for m in at.markdown)
    assert count(at, "Exercise troops in Kuwait") == "~1,200"
    assert count(at, "Occupied") == "1"
    assert at.checkbox(key="context").label == ds.theatre.context_label


def test_bad_edit_keeps_serving_the_last_valid_data(tmp_path, monkeypatch):
    d = copy_fixture(THEATRE, tmp_path / "live")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    before = shown_counts(at)
    assert not at.error
    text = (d / "sites.csv").read_text(encoding="utf-8")
    (d / "sites.csv").write_text(text[: len(text) // 2], encoding="utf-8")  # a write cut in half
    at.run()
    assert not at.exception
    assert any("shows the last valid version" in e.value for e in at.error)
    assert any(re.search(r"^\w+\.csv:\d+: ", c.value, re.M) for c in at.code)  # named problems
    assert shown_counts(at) == before  # counts (and map) still come from the last good data
    (d / "sites.csv").write_text(text, encoding="utf-8")
    at.run()
    assert not at.error


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda d: __import__("shutil").rmtree(d), "datapackage.json:1: -: file is missing"),
        (lambda d: ((d / "sites.csv").unlink(), (d / "sites.csv").mkdir()), "cannot read the file"),
    ],
    ids=["folder-gone", "file-is-a-folder"],
)
def test_unreadable_data_shows_the_report(tmp_path, monkeypatch, breakage, words):
    d = copy_fixture(THEATRE, tmp_path / "gone")
    breakage(d)
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    assert not at.exception
    assert any(words in c.value for c in at.code), [c.value for c in at.code]


def test_server_start_prepares_the_data_and_the_served_files(tmp_path):
    from footprint.ui import page

    page.warm(tmp_path)
    ds, error = page.dataset(THEATRE)
    assert error is None and len(ds.sites) > 0
    records, url = page.sites_source(ds.version, ds, tmp_path)  # built once, kept
    assert url is None and {r["id"] for r in records["sites"]} == set(ds.sites["id"])  # inline
    assert list((tmp_path / "basemap").glob("shapes-*.json"))  # the basemap's served shapes
    assert {p.name.split("-")[0] for p in (tmp_path / "js").iterdir()} >= {"sites_layer"}
    assert page.dataset(THEATRE)[0] is ds  # cached: the first page view does not load it again


def test_server_start_with_invalid_data_still_starts(tmp_path, monkeypatch, caplog):
    from footprint.ui import page

    d = copy_fixture(THEATRE, tmp_path / "broken")
    (d / "sites.csv").write_text("not,the,columns\n", encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    page.warm(tmp_path / "static")  # the page reports the problems; starting must not fail
    monkeypatch.setattr(page, "install_static", lambda _: 1 / 0)
    page.warm(tmp_path / "static")
    assert "warm-up failed" in caplog.text


def test_play_steps_through_the_change_dates():
    at = run(asof="2020-03-20")
    at.toggle(key="play").set_value(True).run()
    assert at.slider(key="asof").value == dt.date(2020, 3, 20)  # the first step waits its turn
    assert not at.exception


def test_a_links_frame_reaches_the_briefing_views_link_and_exports():
    """The view's frame (map=) is in the link the briefing view gives, and the exports are
    named for it; the whole theatre is the other choice."""
    at = run(view="brief", map="8/33.3/44.35", asof="2020-03-27")
    assert not at.exception and at.text_input(key="map").value == "8/33.3/44.35"
    at.button(key="copy_link").click().run()
    assert [c.value for c in at.code] == ["?asof=2020-03-27&view=brief&map=8/33.3/44.35"]
    at.button(key="open_exports").click().run()
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert set(buttons) == {"png_1920_export", "png_3840_export", "pdf_1920_export",
                            "svg_1920_export", "html_1920_export"}  # fmt: skip
    assert buttons["png_1920_export"] == "PNG 1920×1080"


def test_a_link_without_a_usable_frame_opens_on_the_whole_theatre():
    at = run(view="brief", map="8/-60/44.35")
    at.button(key="copy_link").click().run()
    assert [c.value for c in at.code] == [f"?asof={DS.theatre.default_asof}&view=brief"]
