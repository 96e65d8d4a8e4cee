"""AppTest: the page runs, widgets (driven by key) change what is shown, bad input is named."""

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from basemap import vector
from footprint.data import load_dataset

from ..conftest import DATA, ROOT, make_dataset

APP = str(ROOT / "app.py")


def first_run(**params) -> AppTest:
    """A session's first run: the header and the map, the rest waiting for the map."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def run(tmp_path: Path | None = None, monkeypatch=None, **params) -> AppTest:
    """The whole page: the first run, then the rerun the map asks for once its sites are
    drawn (in a browser sites_layer.js clicks this button)."""
    at = first_run(**params)
    if ready_button(at):
        at.button(key="ready").click().run()
    return at


def ready_button(at: AppTest) -> bool:
    return any(b.key == "ready" for b in at.button)


COUNT = re.compile(r'<div class="fp-count"><span>(.*?)</span><strong>(.*?)</strong>')


def count(at: AppTest, label: str) -> str:
    """The figure under `label` in the header's row of counts."""
    cells = (re.findall(COUNT, m.value) for m in at.markdown if 'class="fp-counts"' in m.value)
    return next(figure for found in cells for name, figure in found if name == label)


def test_default_page_runs_and_counts():
    at = run()
    assert not at.exception
    assert at.slider(key="asof").value == dt.date(2020, 4, 5)
    assert (count(at, "Retained"), count(at, "Handed over"), count(at, "Planned")) == (
        "9", "5", "1",
    )  # fmt: skip
    assert count(at, "US troops in Iraq") == "~5,200"


def test_first_run_draws_header_and_map_and_the_map_asks_for_the_rest():
    at = first_run(asof="2020-03-27")
    assert not at.exception
    assert (count(at, "Retained"), count(at, "Handed over")) == ("12", "2")
    assert not [s for s in at.slider if s.key == "asof"] and not at.dataframe
    assert ready_button(at)
    at.button(key="ready").click().run()
    assert at.slider(key="asof").value == dt.date(2020, 3, 27)
    assert at.pills(key="status").value == ["planned", "retained", "handed_over"]
    assert len(at.dataframe) == 1 and not ready_button(at)
    assert at.query_params["asof"] == "2020-03-27"


def test_link_notice_stays_through_the_maps_rerun_and_goes_at_the_next():
    at = run(status="retained,bogus")
    assert any("unknown value 'bogus'" in w.value.replace("\\", "") for w in at.warning)
    assert at.pills(key="status").value == ["retained"]
    at.slider(key="asof").set_value(dt.date(2020, 6, 13)).run()
    assert not at.warning and at.pills(key="status").value == ["retained"]


@pytest.mark.parametrize(
    ("asof", "retained", "handed_over"),
    [("2020-03-16", "14", "0"), ("2020-03-27", "12", "2"), ("2020-08-24", "6", "8")],
)
def test_moving_the_date_changes_the_counts(asof, retained, handed_over):
    at = run()
    at.slider(key="asof").set_value(dt.date.fromisoformat(asof)).run()
    assert (count(at, "Retained"), count(at, "Handed over")) == (retained, handed_over)
    assert at.query_params["asof"] == asof


def test_next_button_steps_to_the_next_change():
    at = run(asof="2020-03-20")
    at.button(key="next").click().run()
    assert at.slider(key="asof").value == dt.date(2020, 3, 26)


def test_status_filter_and_url():
    at = run()
    at.pills(key="status").set_value(["handed_over"]).run()
    assert count(at, "Retained") == "0"
    assert at.query_params["status"] == "handed_over"


def test_link_restores_the_view():
    at = run(asof="2020-03-20", status="retained", site="q_west", basemap="light")
    assert not at.exception
    assert at.slider(key="asof").value == dt.date(2020, 3, 20)
    assert at.pills(key="status").value == ["retained"]
    assert at.selectbox(key="site").value == "q_west"
    assert at.selectbox(key="basemap").value == "light"
    assert any("Qayyarah Airfield West" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"asof": "2020-13-45"}, "asof: '2020-13-45' is not a date"),
        ({"asof": "1990-01-01"}, "outside the data"),
        ({"status": "<script>"}, "status: ignored unknown value"),
        ({"site": "../../etc/passwd"}, "site: unknown site"),
        ({"basemap": "evil"}, "basemap: unknown basemap"),
        ({"labels": "maybe"}, "labels:"),
        ({"q": "x" * 5000}, "longer than"),
    ],
    ids=["bad-date", "old-date", "markup", "path", "basemap", "flag", "oversized"],
)
def test_malformed_link_values_are_ignored_with_a_notice(params, words):
    at = run(**params)
    assert not at.exception
    shown = [w.value.replace("\\", "") for w in at.warning]  # as rendered: escapes removed
    assert any(words in text for text in shown), shown
    assert at.slider(key="asof").value == dt.date(2020, 4, 5) or "asof" not in params


def test_search_finds_arabic_and_alias():
    at = run()
    at.text_input(key="q").set_value("al asad").run()
    assert count(at, "Retained") == "1"
    at.text_input(key="q").set_value("التاجي").run()
    assert count(at, "Retained") == "1"


def test_invalid_data_shows_the_report_not_a_traceback(tmp_path, monkeypatch):
    d = make_dataset(tmp_path / "bad")
    (d / "sites.csv").write_text((d / "sites.csv").read_text().replace("35.7672", "136"))
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    assert not at.exception
    assert any("cannot be shown" in e.value for e in at.error)
    assert any("sites.csv:2: lat" in c.value for c in at.code)


def test_site_panel_lists_events_and_sources():
    at = run(site="al_qaim")
    text = "\n".join(m.value for m in at.markdown)
    assert "⚠️ disputes the 17 Mar 2020 entry: **19 Mar 2020** · Handed over" in text
    assert "](https://www.almasdarnews.com/" in text  # the CJTF-OIR handover report, linked


def test_compare_two_dates_lists_the_changes():
    at = run(asof="2020-04-05", compare="2020-03-01")
    assert at.toggle(key="compare_on").value is True
    text = next(m.value for m in at.markdown if "Changes between" in m.value)
    assert text.startswith("**Changes between 1 Mar 2020 and 5 Apr 2020**: 6 site(s)")
    table = next(df.value for df in at.dataframe if "on 1 Mar 2020" in df.value.columns)
    assert set(table["on 5 Apr 2020"]) == {"Handed over", "Planned"}
    at.toggle(key="compare_on").set_value(False).run()
    assert "compare" not in at.query_params


SITE_IDS = list(load_dataset(DATA).sites["id"])


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_every_site_panel_renders(site_id):
    at = run(site=site_id)
    assert not at.exception
    name = load_dataset(DATA).sites.set_index("id").loc[site_id, "name"]
    assert any(
        m.value.startswith("### ") and name in m.value.replace("\\", "") for m in at.markdown
    )


def test_bad_edit_keeps_serving_the_last_valid_data(tmp_path, monkeypatch):
    d = make_dataset(tmp_path / "live")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    assert count(at, "Handed over") == "1" and not at.error
    text = (d / "sites.csv").read_text(encoding="utf-8")
    (d / "sites.csv").write_text(text[: len(text) // 2], encoding="utf-8")  # a write cut in half
    at.run()
    assert not at.exception
    assert any("shows the last valid version" in e.value for e in at.error)
    assert any("sites.csv:" in c.value for c in at.code)
    assert count(at, "Handed over") == "1"  # counts (and map) still come from the last good data
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
    d = make_dataset(tmp_path / "gone")
    breakage(d)
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(d))
    at = run()
    assert not at.exception
    assert any(words in c.value for c in at.code), [c.value for c in at.code]


def test_server_start_prepares_the_data_and_the_served_files(mini, monkeypatch, tmp_path):
    from footprint.ui import page

    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(mini))
    page.warm()
    ds, error = page.dataset(mini)
    assert error is None and len(ds.sites) > 0
    records, url = page.sites_source(ds.version, ds)  # built once, kept for the first view
    assert url is None and {r["id"] for r in records} == set(ds.sites["id"])  # few: inline
    shapes = page.APP_DIR / "static" / "basemap" / vector.write_shapes(DATA / "basemap", tmp_path)
    assert shapes.is_file()
    assert page.dataset(mini)[0] is ds  # cached: the first page view does not load it again


def test_server_start_with_invalid_data_still_starts(mini, monkeypatch, caplog):
    from footprint.ui import page

    (mini / "sites.csv").write_text("not,the,columns\n", encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(mini))
    page.warm()  # the page reports the problems; starting must not fail
    monkeypatch.setattr(page, "install_static", lambda _: 1 / 0)
    page.warm()
    assert "warm-up failed" in caplog.text
