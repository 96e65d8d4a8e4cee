"""The page's map as streamlit-folium receives it."""

import re

import streamlit_folium

from footprint.data import load_dataset
from footprint.ui.page import site_map

DS = load_dataset()


def component_strings(render_figure: bool) -> list[str]:
    """The html, header and script st_folium sends, with folium's random ids numbered."""
    m = site_map(DS, "offline", zoom=6)
    if render_figure:
        m.get_root().render()  # what st_folium(render=True) adds
    m.render()
    out = [f(m) for f in (streamlit_folium._get_html, streamlit_folium._get_header,
                          streamlit_folium._get_map_string)]  # fmt: skip
    ids: dict[str, str] = {}

    def number(match: re.Match) -> str:
        return ids.setdefault(match.group(0), f"id{len(ids)}")

    return [re.sub(r"[0-9a-f]{32}", number, s) for s in out]


def test_the_map_needs_no_figure_render():
    """page.map_view passes render=False; the map's own render must give the same page."""
    with_figure, without = component_strings(True), component_strings(False)
    assert with_figure == without
    assert "FootprintSites.load" in without[2] and "leaflet" in without[1]


def test_the_offline_map_keeps_its_view_on_the_data_and_every_site():
    """maxBounds: the basemap's box plus a margin, widened to a site outside the box; an online
    basemap has no such limit."""
    import pandas as pd

    from footprint.data import DEFAULT_DATA_DIR
    from footprint.mapview import SitesLayer, base_map

    sites = pd.DataFrame({"lat": [33.3, 31.9], "lon": [44.4, 35.9]})  # Baghdad; Amman, off the box
    m = base_map("offline", DEFAULT_DATA_DIR / "basemap", SitesLayer([], 0), extent=sites)
    assert m.options["max_bounds"] == [[28.0, 35.4], [39.0, 50.0]]
    west = DS.sites["lon"].min() - 0.5  # the westernmost site (Manbij, in Syria) widens the box
    assert site_map(DS, "offline").options["max_bounds"] == [[28.0, west], [39.0, 50.0]]
    assert "max_bounds" not in site_map(DS, "osm").options


def test_few_sites_travel_in_the_map_and_many_are_served(tmp_path):
    import json

    from footprint.mapview import INLINE_UP_TO, records_source, site_records

    records = site_records(DS.sites, DS.events)
    assert records_source(records, tmp_path, "v1") == (records, None)  # 33 sites: no request
    many = records * (INLINE_UP_TO // len(json.dumps(records)) + 1)
    inline, url = records_source(many, tmp_path, "v2")
    served = tmp_path / "footprint" / "sites-v2.json"
    assert inline is None and url.endswith("/footprint/sites-v2.json")
    assert json.loads(served.read_text(encoding="utf-8")) == many
