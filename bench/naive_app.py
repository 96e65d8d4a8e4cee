"""The naive baseline: the common Streamlit + folium pattern, on the same CSV files as the app.

pandas reads the CSVs (cached); the page rebuilds a folium map with one CircleMarker (canvas)
and popup per site on every rerun and shows it with a default st_folium (no key, every returned
object); an as-of slider filters by date and a multiselect by status. Leaflet is served locally
so the page renders offline; there is no basemap. It is what a typical first version looks like,
written with care but without the dashboard's optimisations.

folium's popups call jQuery's `$(html)[0]`, and folium's default assets fetch jQuery from a CDN.
Offline, the page defines a three-line stand-in instead: cheaper than jQuery itself, so if
anything it flatters this baseline.
"""

import datetime as dt
import os
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from naive_rule import period, read, status_on  # this folder: Streamlit puts it on the path
from streamlit_folium import st_folium

from basemap import install_static, use_local_assets

HERE = Path(__file__).resolve().parent


COLOURS = {"planned": "#6a51a3", "retained": "#1f4e79", "handed_over": "#d95f02"}
LABELS = {"planned": "Planned", "retained": "Retained", "handed_over": "Handed over"}
DATA = Path(os.environ.get("FOOTPRINT_DATA_DIR") or HERE.parent / "data")


@st.cache_data
def load(data_dir: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Sites, events (dates parsed) and the package's dashboard settings (naive_rule.read)."""
    return read(Path(data_dir))


class JQueryStandIn(MacroElement):
    """Just enough of jQuery for folium's popups: `$(html)[0]` is the element html describes."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.$ = window.$ || function (html) {
          const t = document.createElement("template");
          t.innerHTML = html.trim();
          return [t.content.firstChild];
        };
        {% endmacro %}"""
    )


install_static(HERE / "static")
st.set_page_config(page_title="Naive map", layout="wide")
sites, events, config = load(str(DATA))
default = dt.date.fromisoformat(config["default_asof"])
asof = st.sidebar.slider("As of", *period(config), value=default, format="D MMM YYYY")
wanted = st.sidebar.multiselect(
    "Status", list(LABELS), default=list(LABELS), format_func=LABELS.get
)

shown = status_on(sites, events, asof)
shown = shown[shown["status"].isin(wanted)]
st.write(f"{len(shown)} sites as of {asof}")
m = use_local_assets(
    folium.Map(location=(33.2, 43.7), zoom_start=6, tiles=None, prefer_canvas=True)
)
JQueryStandIn().add_to(m)  # before the markers, whose popups use it
for row in shown.itertuples():
    folium.CircleMarker(
        (row.lat, row.lon), radius=5, color=COLOURS[row.status], fill=True, popup=row.name
    ).add_to(m)
st_folium(m, height=560, use_container_width=True)
