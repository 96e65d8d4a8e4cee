"""The floor: a bare Streamlit page with one marker in st_folium, Leaflet served locally.

No map page built on Streamlit + streamlit-folium loads faster than this, so the dashboard's
load time is read against it (app / floor). Run by bench/run.py with static serving on.
"""

from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from basemap import install_static, new_map

HERE = Path(__file__).resolve().parent


FLOOR_COLOUR = "#1f4e79"  # measure.py finds the marker by this colour

st.set_page_config(page_title="Floor", layout="wide")
install_static(HERE / "static")
m = new_map((33.2, 43.7))  # the floor's one marker, in view
folium.CircleMarker((33.3152, 44.3661), radius=6, color=FLOOR_COLOUR).add_to(m)
st_folium(m, key="map", height=560, use_container_width=True, returned_objects=[])
