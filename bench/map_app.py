"""The dashboard's map alone: the same map, sites and basemap as app.py, with no header,
sidebar, site panel or table. Run by bench/run.py next to the floor page.

Read against the floor and the dashboard, it splits the dashboard's load time into what the
map costs and what the rest of the page costs.
"""

from pathlib import Path

import streamlit as st

from basemap import install_static
from footprint.data import data_dir_from_env
from footprint.ui import page
from footprint.ui.state import current_view, dataset, init_view
from footprint.view import apply_filters

HERE = Path(__file__).resolve().parent


# Streamlit serves static files from beside the script, here bench/static: the map's files
# (Leaflet, scripts, basemap shapes, the sites) go there instead of the app's static/.
STATIC = HERE / "static"

st.set_page_config(page_title="Footprint map", layout="wide")
install_static(STATIC)
ds, _ = dataset(data_dir_from_env())
init_view(ds)
view = current_view(ds)
page.map_view(ds, view, apply_filters(ds.status_on(view.asof), view), STATIC)
