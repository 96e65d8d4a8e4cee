"""The dashboard page: controls, header, map with site panel, and the tabs below."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import time
from pathlib import Path

import streamlit as st

from basemap import BASEMAPS, install_static
from footprint.data import Dataset, basemap_dir, data_dir_from_env
from footprint.mapview import (
    SitesLayer,
    base_map,
    records_source,
    site_records,
    view_group,
    view_payload,
)
from footprint.timeline import STATUS_LABELS, STATUSES
from footprint.ui import panels
from footprint.ui.briefing import brief_page, set_mode
from footprint.ui.state import (
    current_view,
    dataset,
    init_view,
    step_asof,
    sync_url,
)
from footprint.view import View, apply_filters, default_view

APP_DIR = Path(__file__).resolve().parents[3]
KIND_LABELS = {
    "air_base": "Air base", "camp": "Camp", "headquarters": "Headquarters",
    "diplomatic": "Diplomatic facility", "training_range": "Training range",
    "outpost": "Outpost", "planned_site": "Planned site",
}  # fmt: skip


# A session's first run ends with this button, which the map clicks once its sites are
# drawn (see waiting()).
READY, READY_LABEL = "ready", "Show the controls"
# The widgets the map follows in the browser, before the rerun (see sites_layer.js): the
# As-of slider and the Status pills of controls(), and the READY button, found by their keys'
# st-key-* classes; and Streamlit's app element while no run is going or asked for.
FOLLOW = {
    "asof": ".st-key-asof input[type=range]",
    "status": ".st-key-status button[aria-pressed]",
    "labels": {STATUS_LABELS[s]: s for s in STATUSES},
    "ready": f".st-key-{READY} button",
    "idle": "[data-testid=stApp][data-test-script-state=notRunning]",
}


def warm() -> None:
    """Do at server start what the first page view would otherwise wait for.

    Loads and validates the data, writes the served sites and basemap files and renders one
    map, so the first person to open the page after a start gets a page as fast as the next.
    Invalid data is left for the page to report; nothing here may stop the server starting.
    """
    try:
        import folium.plugins  # noqa: F401 - most of streamlit_folium's import time (0.13 s)
        import streamlit.emojis  # noqa: F401 - set_page_config's icon check loads it (0.25 s)

        install_static(APP_DIR / "static")
        ds, _ = dataset(data_dir_from_env())
        if ds is not None:
            site_map(ds, "offline").get_root().render()  # compiles folium's templates once
            ds.status_on(default_view(ds).asof)  # what the first view shows
            ds.change_dates()
        # The first page run declares streamlit-folium's component, which finds the calling
        # module with inspect.getmodule: 0.2-0.3 s to index every loaded module's file the
        # first time, then cached. Index them now. (The component itself must be declared
        # inside a page run, or its frame is not served.)
        inspect.getmodule(inspect.currentframe())
    except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first view
        logging.getLogger(__name__).exception("warm-up failed; the first page view will do it")


def main() -> None:
    """Render the whole page."""
    st.set_page_config(page_title="Footprint", page_icon="🗺️", layout="wide")
    install_static(APP_DIR / "static")
    data_dir = data_dir_from_env()
    ds, error = dataset(data_dir)
    if error is not None:
        panels.problems_banner(error.problems, data_dir, serving_last_good=ds is not None)
    if ds is None:
        st.stop()
    notices = init_view(ds)
    st.session_state.update(st.session_state.pop("_pending", {}))  # set by play() last run
    if st.session_state.get("compare_on"):
        st.session_state.setdefault("compare", st.session_state["asof"])
    brief = st.session_state.get("mode") == "brief"
    # A session's first run draws the header and map only (see waiting()); every later run,
    # including one that interrupts the first, draws everything.
    rest = brief or st.session_state.get("_drawn", False)
    st.session_state["_drawn"] = True
    if rest and not st.session_state.get(READY):  # kept up to the first rerun a person asks for
        st.session_state["_notices"] = ()
    notices = st.session_state.setdefault("_notices", notices)
    # The sidebar is drawn after the main area: Streamlit sends elements in the order they are
    # made, so the map goes out first (the view comes from the widgets' state, which the page
    # sent with the rerun request, not from drawing them).
    if brief:
        view = current_view(ds)
        shown = apply_filters(ds.status_on(view.asof), view)
        brief_page(ds, view, shown, map_view, ds_basemap_dir(ds))
    else:
        render(ds, current_view(ds), notices, rest)
    if rest:
        controls(ds, brief)
    else:
        waiting(ds)
    sync_url(current_view(ds), ds)  # after render: a map click may have chosen a site
    play(ds)


def waiting(ds: Dataset) -> None:
    """The sidebar of a session's first run, which draws only the header and the map.

    Widgets, the site panel and the table cost the browser about a second of the main thread
    that the map's frame shares, so they come next: sites_layer.js clicks this button once
    every site is drawn, and the rerun it asks for draws them. If the map cannot say so, the
    person can click it.
    """
    sidebar_title(ds)
    st.sidebar.button(READY_LABEL, key=READY, type="tertiary")


def sidebar_title(ds: Dataset) -> None:
    st.sidebar.title("Footprint")
    st.sidebar.caption(ds.package.title)


def controls(ds: Dataset, brief: bool) -> None:
    """The sidebar: as-of date with step/play, filters, search, basemap, briefing view.

    In the briefing view the sidebar is hidden, but still drawn so the widgets keep their state.
    """
    sb = st.sidebar
    sidebar_title(ds)
    period = ds.config["period"]
    lo, hi = (dt.date.fromisoformat(period[k]) for k in ("start", "end"))
    sb.slider("As of", min_value=lo, max_value=hi, key="asof", format="D MMM YYYY")
    dates = ds.change_dates()
    c1, c2 = sb.columns(2)
    c1.button("◀ Previous", key="prev", on_click=step_asof, args=(dates, -1), width="stretch")
    c2.button("Next ▶", key="next", on_click=step_asof, args=(dates, 1), width="stretch")
    sb.toggle("Play through status changes", key="play")
    if sb.toggle("Compare with another date", key="compare_on"):
        sb.slider("Compare with", min_value=lo, max_value=hi, key="compare", format="D MMM YYYY")
    # pills, not a multiselect: three options, one click each, and a lighter widget to redraw
    sb.pills(
        "Status", STATUSES, key="status", selection_mode="multi", format_func=STATUS_LABELS.get
    )
    sb.text_input("Search name or alias", key="q", placeholder="e.g. Asad, Q-West, التاجي")
    govs = sorted(set(ds.sites["governorate"]) - {""})
    sb.multiselect("Governorate", govs, key="governorate", placeholder="All")
    kinds = sorted(set(ds.sites["kind"]))
    sb.multiselect("Kind", kinds, key="kind", format_func=KIND_LABELS.get, placeholder="All")
    sb.checkbox("Show context sites (outside Iraq, non-coalition)", key="context")
    sb.checkbox("Label sites on the map", key="labels")
    names = {k: b.label for k, b in BASEMAPS.items()}
    sb.selectbox("Basemap", list(BASEMAPS), key="basemap", format_func=names.get)
    if BASEMAPS[st.session_state["basemap"]].online:
        sb.warning("This basemap loads tiles from the internet.")
    if not brief:
        sb.divider()
        sb.text_input("Slide title", key="title", placeholder=ds.package.title)
        sb.button("Briefing view ▸", key="enter_brief", on_click=set_mode, args=("brief",))
    sb.caption(f"Dataset version {ds.version}")


def render(ds: Dataset, view: View, notices: tuple[str, ...], rest: bool = True) -> None:
    """Header, metrics, map + site panel, and tabs; without `rest`, the header and map only."""
    status = ds.status_on(view.asof)
    shown = apply_filters(status, view)
    top = st.container()  # filled after the map: Streamlit sends elements as they are made,
    left, right = st.columns([3, 2], gap="medium")  # so the map starts loading first
    with left:
        clicked = map_view(ds, view, shown)
    with top:
        for notice in notices:
            st.warning(f"Ignored part of the link: {panels.md(notice)}", icon="⚠️")
        panels.header(ds, view, shown)
        if view.compare:
            panels.comparison(ds, view, status)
    if clicked:
        st.session_state["site"] = clicked
    if not rest:
        return
    with right:
        site = st.session_state.get("site") or ""
        panels.site_panel(ds, status, site, view.asof, shown)
    panels.tabs(ds, view, status, shown)


def map_view(ds: Dataset, view: View, shown, height: int = 560, numbers=None, zoom=6) -> str | None:
    """The map; returns a site id when the person just clicked a marker.

    The base map (with every site) is the same on each rerun, so streamlit-folium keeps the
    live map; only the small view group changes, and the browser restyles the markers.
    """
    m = site_map(ds, view.basemap, zoom=zoom, zoom_snap=0.1)
    ids = list(shown["id"]) if view.q else None  # a search is matched here, on the server
    group = view_group(view_payload(view, ids=ids, numbers=numbers))
    site = shown[shown["id"] == view.site]
    center = (float(site["lat"].iloc[0]), float(site["lon"].iloc[0])) if len(site) else None
    # Imported here, in a page run: streamlit-folium registers its component only inside one,
    # and warm() imports this module before any run.
    from streamlit_folium import st_folium

    # render=False: st_folium's extra render of the whole figure gives the same strings as
    # the map's own render (tests/unit/test_mapview.py) and cost 40% of the time per rerun.
    out = st_folium(
        m, key="map", feature_group_to_add=group, center=center, height=height,
        use_container_width=True, returned_objects=["last_object_clicked_tooltip"],
        render=False,
    )  # fmt: skip
    name = (out or {}).get("last_object_clicked_tooltip")
    if not name or name == st.session_state.get("_last_click"):
        return None
    st.session_state["_last_click"] = name
    ids = shown.loc[shown["name"] == name, "id"]
    return ids.iloc[0] if len(ids) else None


def site_map(ds: Dataset, basemap: str, **kw):
    """The page's base map. The offline basemap's shapes are fetched once from a served file,
    and so are the sites unless they are few enough to travel in the map (records_source), so
    a rerun resends neither the shapes nor a large set of sites."""
    records, url = sites_source(ds.version, ds)
    sites = SitesLayer(records, len(ds.sites), url=url, follow=FOLLOW)
    return base_map(basemap, ds_basemap_dir(ds), sites, APP_DIR / "static", extent=ds.sites, **kw)


@st.cache_resource(max_entries=4, show_spinner=False)
def sites_source(version: str, _ds: Dataset) -> tuple[list[dict] | None, str | None]:
    """The sites layer's data for a dataset version, built once: inline records or a URL."""
    return records_source(site_records(_ds.sites, _ds.events), APP_DIR / "static", version)


def ds_basemap_dir(ds: Dataset) -> Path:
    """The offline basemap layers for the dataset in use."""
    return basemap_dir(data_dir_from_env())


def play(ds: Dataset) -> None:
    """While Play is on, advance to the next status change every 1.5 s; stop at the end."""
    if not st.session_state.get("play"):
        return
    time.sleep(1.5)
    now = st.session_state["asof"]
    later = [d for d in ds.change_dates() if d > now]
    st.session_state["_pending"] = {"asof": later[0]} if later else {"play": False}
    st.rerun()
