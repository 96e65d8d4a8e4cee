"""The page's map as streamlit-folium receives it, and the records the browser draws."""

import json
import re

import pandas as pd
import pytest
import streamlit_folium

from footprint.data import load_dataset
from footprint.timeline import status_events
from footprint.ui.page import site_map
from footprint.webmap import (
    INLINE_UP_TO,
    SitesLayer,
    base_map,
    records_source,
    site_records,
)

from ..conftest import THEATRE

DS = load_dataset(THEATRE)


def component_strings(tmp_path, render_figure: bool) -> list[str]:
    """The html, header and script st_folium sends, with folium's random ids numbered."""
    m = site_map(DS, "offline", tmp_path, zoom=6)
    if render_figure:
        m.get_root().render()  # what st_folium(render=True) adds
    m.render()
    out = [f(m) for f in (streamlit_folium._get_html, streamlit_folium._get_header,
                          streamlit_folium._get_map_string)]  # fmt: skip
    ids: dict[str, str] = {}

    def number(match: re.Match) -> str:
        return ids.setdefault(match.group(0), f"id{len(ids)}")

    return [re.sub(r"[0-9a-f]{32}", number, s) for s in out]


def test_the_map_needs_no_figure_render(tmp_path):
    """page.map_view passes render=False; the map's own render must give the same page."""
    with_figure, without = component_strings(tmp_path, True), component_strings(tmp_path, False)
    assert with_figure == without
    assert "FootprintSites.load" in without[2] and "leaflet" in without[1]


def test_the_map_loads_its_scripts_as_served_files(tmp_path):
    """sites_layer.js, each map layer's drawing, basemap.js and follow.js are served (named by
    content), not inlined."""
    m = site_map(DS, "offline", tmp_path)
    names = [name for name, _ in m.default_js]
    assert names == ["leaflet", "sites_layer", "attacks", "figures", "basemap", "follow"]
    for _, url in m.default_js[1:]:
        served = tmp_path / url.split("/static/", 1)[1]
        assert served.is_file() and re.search(r"-[0-9a-f]{12}\.js$", served.name)
    assert "FootprintSites = window.FootprintSites" not in m.get_root().render()


def test_the_offline_map_keeps_its_view_on_the_data_and_every_site(tmp_path):
    """maxBounds: the basemap's box plus a margin, widened to a site outside the box; an online
    basemap has no such limit."""
    west, south, east, north = json.loads(
        (DS.layers_dir / "countries.geojson").read_text(encoding="utf-8")
    )["metadata"]["bbox"]
    off = west - 1.0  # a site a degree west of the basemap's box
    sites = pd.DataFrame({"lat": [33.3, 31.9], "lon": [44.4, off]})
    layer = SitesLayer(DS, {"sites": [], "checks": []}, 0)
    m = base_map(DS, "offline", DS.layers_dir, layer, extent=sites)
    assert m.options["max_bounds"] == [[south - 0.5, off - 0.5], [north + 0.5, east + 0.5]]
    golf = DS.sites.set_index("id").loc["golf"]  # the fixture's site south of the box
    limits = site_map(DS, "offline", tmp_path).options["max_bounds"]
    assert limits[0][0] == pytest.approx(min(south, golf["lat"]) - 0.5)
    assert "max_bounds" not in site_map(DS, "osm", tmp_path).options


def test_few_sites_travel_in_the_map_and_many_are_served(tmp_path):
    records = site_records(DS)
    assert records_source(records, tmp_path, "v1") == (records, None)  # a few: no request
    many = {**records, "sites": records["sites"] * (INLINE_UP_TO // len(json.dumps(records)) + 1)}
    inline, url = records_source(many, tmp_path, "v2")
    served = tmp_path / "footprint" / "sites-v2.json"
    assert inline is None and url.endswith("/footprint/sites-v2.json")
    assert json.loads(served.read_text(encoding="utf-8")) == many


ALL = site_records(DS)
RECORDS = {r["id"]: r for r in ALL["sites"]}


@pytest.mark.parametrize("site_id", list(DS.sites["id"]))
def test_each_record_carries_its_timeline_and_radius(site_id):
    """The browser gets the periods the server's as_of reads (timeline.periods), and each status
    event starts one."""
    record, site = RECORDS[site_id], DS.sites.set_index("id").loc[site_id]
    tl = DS.timeline()
    tl = tl[tl["site_id"] == site_id]
    assert [t[0] for t in record["tl"]] == [f"{d:%Y-%m-%d}" for d in tl["start"]]
    assert [t[1] for t in record["tl"]] == list(tl["status"])
    ev = status_events(DS.events)
    assert {f"{d:%Y-%m-%d}" for d in ev.loc[ev["site_id"] == site_id, "date"]} <= {
        t[0] for t in record["tl"]
    }
    radius = site["uncertainty_km"]
    assert record["unc_m"] == (0 if pd.isna(radius) else radius * 1000)  # every precision
    assert record["country"] == site["country"]


def test_status_text_uses_the_datas_labels_and_precision():
    alpha = RECORDS["alpha"]["tl"]
    assert alpha[0][2] == "Retained since Jun 2015"
    assert alpha[1][2] == "Handed over since 26 Mar 2020, to ISF"


def test_a_forecast_is_told_while_due_and_after_it_falls_due_unreported():
    """India's end was announced for Sep 2025 and nothing was reported since: the map says the
    end is announced until then, and unconfirmed from 1 Oct 2025. Juliett's came true early."""
    india = {t[0]: t[1:3] for t in RECORDS["india"]["tl"]}
    assert india["2024-09-27"] == [
        "retained",
        "Retained since Jan 2018 · end announced for Sep 2025",
    ]
    assert india["2025-10-01"] == [
        "unconfirmed",
        "Unconfirmed: retained since Jan 2018; end announced for Sep 2025",
    ]
    assert RECORDS["juliett"]["tl"][-1][:2] == ["2025-06-10", "handed_over"]


def test_each_period_says_which_sources_were_checked_for_its_status():
    """The popup's line under a status: the sources checked for the event behind it, when
    they were read and where they say it."""
    india = RECORDS["india"]["tl"]
    assert ALL["checks"][india[0][3]] == "Checked 1 Nov 2026: Fixture Atlas (lead paragraph)"
    handover = RECORDS["alpha"]["tl"][1]
    assert ALL["checks"][handover[3]] == (
        "Checked 1 Nov 2026: Fixture Wire, 2 Apr 2020 (lead paragraph); Fixture Ministry, "
        "10 Dec 2021 (lead paragraph)"
    )


def test_the_view_carries_notes_on_old_evidence_and_attacks_only_when_asked():
    import datetime as dt

    from footprint.briefing import evidence_notes
    from footprint.layers import layer
    from footprint.view import View
    from footprint.webmap import view_payload

    day = dt.date(2025, 12, 31)
    view = View(asof=day, status=tuple(DS.labels("events", "status")))
    shown = DS.status_on(day)
    payload = view_payload(view, old=evidence_notes(DS, shown, day),
                           layers={"attacks": layer("attacks").records(DS, shown)})  # fmt: skip
    assert payload["old"]["bravo"] == "Latest report 2016, 10 years before the date shown"
    assert payload["old"]["charlie"] == "Latest report Apr 2020, 5 years before the date shown"
    assert payload["old"]["india"] == "Latest report Mar 2025"  # unconfirmed: always said
    assert payload["old_asof"] == "2025-12-31" and payload["layers"] == {}  # layer off
    attacks = {"attacks": layer("attacks").records(DS, shown)}
    on = view_payload(View(asof=day, layers=("attacks",)), layers=attacks)
    assert on["layers"]["attacks"]["alpha"][0][:2] == ["2020-01-08", "8 Jan 2020"]
    # a filtered view gets its own sites' notes only, the same as the whole map's
    only = evidence_notes(DS, shown[shown["id"] == "bravo"], day)
    assert only == {"bravo": payload["old"]["bravo"]}
