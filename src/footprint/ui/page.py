"""The dashboard page: controls, header, map with site panel, and the tabs below.

Every run draws the whole page. The map tells the page what a person clicked through the value
streamlit-folium returns; the page tells the map the view through the small view group it
sends on each rerun. The one piece of browser glue left (the map following the slider while
it is dragged) is follow.js.
"""

from __future__ import annotations

import inspect
import logging
import time
from functools import partial
from pathlib import Path

import streamlit as st
from branca.element import Element

from basemap import BASEMAPS, install_static
from basemap.maps import OpenOn
from footprint.briefing import frame_of, shown_sites
from footprint.data import Dataset, data_dir_from_env
from footprint.layers import available
from footprint.text import format_date
from footprint.ui import panels
from footprint.ui.briefing import brief_page, set_mode
from footprint.ui.dates import date_field
from footprint.ui.deck import init_deck
from footprint.ui.follow import Follow
from footprint.ui.review import review_page
from footprint.ui.state import (
    current_view,
    dataset,
    frame_field,
    init_view,
    keep_widget_state,
    start_comparing,
    step_asof,
    sync_url,
    year_before,
)
from footprint.view import MAP_ZOOM, View, default_view
from footprint.webmap import (
    SitesLayer,
    base_map,
    records_source,
    site_records,
    sites_view,
    view_group,
)

APP_STATIC = Path(__file__).resolve().parents[3] / "static"  # beside app.py, served by Streamlit


def warm(static_dir: Path = APP_STATIC) -> None:
    """Do at server start what the first page view would otherwise wait for.

    Loads and validates the data, writes the served sites and basemap files and renders one
    map, so the first person to open the page after a start gets a page as fast as the next.
    Invalid data is left for the page to report; nothing here may stop the server starting.
    """
    try:
        import folium.plugins  # noqa: F401 - most of streamlit_folium's import time (0.13 s)
        import streamlit.emojis  # noqa: F401 - a non-ASCII label or icon loads it (0.25 s)

        install_static(static_dir)
        ds, _ = dataset(data_dir_from_env())
        if ds is not None:
            site_map(ds, "offline", static_dir).get_root().render()  # compiles the templates
            ds.status_on(default_view(ds).asof)  # what the first view shows
            ds.change_dates()
        # The first page run declares streamlit-folium's component, which finds the calling
        # module with inspect.getmodule: 0.2-0.3 s to index every loaded module's file the
        # first time, then cached. Index them now. (The component itself must be declared
        # inside a page run, or its frame is not served.)
        inspect.getmodule(inspect.currentframe())
    except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first view
        logging.getLogger(__name__).exception("warm-up failed; the first page view will do it")


def main(static_dir: Path = APP_STATIC) -> None:
    """Render the whole page. `static_dir`: the folder Streamlit serves beside the script."""
    # No page_icon: an emoji needs an emoji font, and a Material icon is fetched from Google
    st.set_page_config(page_title="Footprint", layout="wide")
    install_static(static_dir)
    data_dir = data_dir_from_env()
    ds, error = dataset(data_dir)
    if error is not None:
        panels.problems_banner(error.problems, serving_last_good=ds is not None)
    if ds is None:
        st.stop()
    notices = init_view(ds)
    init_deck()
    keep_widget_state(drawn=sliders_drawn())
    frame_field()
    if st.session_state.get("compare_on"):
        st.session_state.setdefault("compare", year_before(st.session_state["asof"], ds))
    view = current_view(ds)
    # The sidebar is drawn after the main area: Streamlit sends elements in the order they are
    # made, so the map goes out first (the view comes from the widgets' state, which the page
    # sent with the rerun request, not from drawing them).
    if st.session_state.get("mode") == "brief":
        shown = shown_sites(ds, view)
        brief_page(ds, view, shown, partial(map_view, static_dir=static_dir))
    elif st.session_state.get("mode") == "review":
        review_page(ds, view)
    else:
        render(ds, view, notices, static_dir)
        controls(ds)
    sync_url(current_view(ds), ds)  # after render: a map click may have chosen a site
    play(ds)


def sliders_drawn() -> tuple[str, ...]:
    """The date sliders this run will draw (the explorer's sidebar), whose values must not be
    written back (state.keep_widget_state)."""
    if st.session_state.get("mode") in ("brief", "review"):
        return ()
    return ("asof", "compare") if st.session_state.get("compare_on") else ("asof",)


def controls(ds: Dataset) -> None:
    """The sidebar: as-of date with step/play, filters, search, basemap, briefing view."""
    sb, theatre = st.sidebar, ds.theatre
    sb.title("Footprint")
    sb.caption(theatre.title)
    help_text = f"Opens on {format_date(theatre.default_asof)}: {theatre.default_asof_reason}"
    sb.slider("As of", min_value=theatre.start, max_value=theatre.end, key="asof",
              format="D MMM YYYY", help=help_text)  # fmt: skip
    date_field(sb, "asof", "As of, typed", theatre)
    dates = ds.change_dates()
    c1, c2 = sb.columns(2)
    c1.button(
        "Previous",
        key="prev",
        icon=":material/chevron_left:",
        on_click=step_asof,
        args=(dates, -1),
        width="stretch",
    )
    c2.button(
        "Next",
        key="next",
        icon=":material/chevron_right:",
        icon_position="right",
        on_click=step_asof,
        args=(dates, 1),
        width="stretch",
    )
    sb.toggle("Play through status changes", key="play", on_change=start_playing)
    if sb.toggle("Compare with another date", key="compare_on", on_change=start_comparing,
                 args=(ds,)):  # fmt: skip
        sb.slider("Compare with", min_value=theatre.start, max_value=theatre.end, key="compare",
                  format="D MMM YYYY")  # fmt: skip
        date_field(sb, "compare", "Compare with, typed", theatre)
    filters(ds)
    sb.checkbox("Label sites on the map", key="labels")
    for layer in available(ds):
        sb.checkbox(layer.label, key=layer.key)
    names = {k: b.label for k, b in BASEMAPS.items()}
    sb.selectbox("Basemap", list(BASEMAPS), key="basemap", format_func=names.__getitem__)
    if BASEMAPS[st.session_state["basemap"]].online:
        sb.warning("This basemap loads tiles from the internet.")
    sb.divider()
    sb.text_input("Slide title", key="title", placeholder=theatre.title)
    sb.button(
        "Briefing view",
        key="enter_brief",
        icon=":material/slideshow:",
        on_click=set_mode,
        args=("brief",),
    )
    sb.button(
        "Maintainer worklist",
        key="enter_review",
        icon=":material/checklist:",
        on_click=set_mode,
        args=("review",),
    )
    sb.caption(f"Dataset version {ds.version}")


def filters(ds: Dataset) -> None:
    """Status pills, search, and the country, governorate and kind filters, labelled by the data."""
    sb = st.sidebar
    statuses = ds.labels("events", "status")
    # pills, not a multiselect: a few options, one click each, and a lighter widget to redraw
    sb.pills("Status", list(statuses), key="status", selection_mode="multi",
             format_func=statuses.__getitem__)  # fmt: skip
    sb.text_input("Search name or alias", key="q", placeholder="e.g. Asad, Q-West, التاجي")
    countries, govs, present = ds.memo(("filter_options",), lambda: filter_options(ds))
    if len(countries) > 1:
        sb.multiselect("Country", countries, key="country", placeholder="All",
                       format_func=ds.theatre.country_name)  # fmt: skip
    gov_title = ds.package.table("sites").field("governorate").heading
    sb.multiselect(gov_title, govs, key="governorate", placeholder="All")
    kinds = ds.labels("sites", "kind")
    sb.multiselect("Kind", present, key="kind", format_func=kinds.__getitem__, placeholder="All")
    sb.checkbox(ds.theatre.context_label, key="context")


def filter_options(ds: Dataset) -> tuple[list[str], list[str], list[str]]:
    """The countries, governorates and kinds the sites have, in the order the filters list them."""
    countries = sorted(set(ds.sites["country"]), key=ds.theatre.country_name)
    kinds = [k for k in ds.labels("sites", "kind") if k in set(ds.sites["kind"])]
    return countries, sorted(set(ds.sites["governorate"]) - {""}), kinds


def render(ds: Dataset, view: View, notices: tuple[str, ...], static_dir: Path) -> None:
    """Header, counts, map + site panel, and the tabs."""
    status = ds.status_on(view.asof)
    shown = shown_sites(ds, view)
    st.html(LAYOUT_CSS)
    top = st.container()  # filled after the map: Streamlit sends elements as they are made,
    left, right = st.columns([3, 2], gap="medium")  # so the map starts loading first
    with left, st.container(key="map_box"):
        st.html(SKIP_MARKERS)
        clicked = map_view(ds, view, shown, static_dir, fitted=True)
    with top:
        for notice in notices:
            st.warning(f"Ignored part of the link: {panels.md(notice)}", icon=":material/warning:")
        panels.header(ds, view)
        if view.compare:
            panels.comparison(ds, view, status)
    if clicked:
        st.session_state["site"] = clicked
    with right:
        st.html(SITE_PANEL)
        site = st.session_state.get("site") or ""
        panels.site_panel(ds, status, site, view.asof, shown)
    panels.tabs(ds, view)


# A keyboard user tabs through every marker of the map; this link, shown when it has the focus,
# skips them to the site panel (constant HTML, no data in it).
SKIP_MARKERS = (
    "<style>.fp-skip{position:absolute;left:-10000px}.fp-skip:focus{position:static}</style>"
    '<a class="fp-skip" href="#fp-site-panel">Skip the map\'s markers to the site panel</a>'
)
SITE_PANEL = '<div id="fp-site-panel" tabindex="-1"></div>'  # where the skip link lands

# The explorer's layout on a laptop and a phone (constant CSS, no data in it). The page starts
# just under Streamlit's header bar, which holds the button that opens the sidebar where the
# sidebar closes by itself (a narrow screen); its default 6rem left ~96 px empty above the
# title. The map is never taller than the window: beside the site panel it takes the window
# below the header and counts (MAP_ABOVE, their height at 1280x720), so that a laptop sees all
# of it at once; stacked on a phone, the window less a margin. Inside its frame the Leaflet map
# fills the frame (MAP_FILLS_FRAME), whatever streamlit-folium sets.
MAP_ABOVE = "362px"
LAYOUT_CSS = f"""<style>
.block-container {{ padding-top: 1.5rem; }}
@media (max-width: 768px) {{ .block-container {{ padding-top: 3.75rem; }} }}
.st-key-map_box iframe {{ height: clamp(320px, calc(100vh - {MAP_ABOVE}), 560px) !important; }}
@media (max-width: 640px) {{
  .st-key-map_box iframe {{ height: clamp(280px, calc(100vh - 2rem), 560px) !important; }}
}}
</style>"""
MAP_FILLS_FRAME = "<style>#map_div { height: 100vh !important; }</style>"


def map_view(
    ds: Dataset, view: View, shown, static_dir: Path = APP_STATIC, height: int = 560,
    numbers=None, zoom: float = 6, fitted: bool = False,
) -> str | None:  # fmt: skip
    """The map; returns a site id when the person just clicked a marker. It opens at `zoom` on
    the theatre's frame, or, `fitted` (the explorer's map, sized by LAYOUT_CSS), fills its frame
    and opens on the theatre (fit_theatre).

    The base map (with every site) is the same on each rerun, so streamlit-folium keeps the
    live map; only the small view group changes, and the browser restyles the markers. A click
    comes back as streamlit-folium's `last_active_drawing`: the clicked marker's GeoJSON,
    whose properties carry the site's id. (Not its click count, whose first value differs from
    streamlit-folium's default and would cost every page a second run.)
    """
    m = site_map(ds, view.basemap, static_dir, zoom=zoom, zoom_snap=0.1)
    if fitted:
        fit_theatre(m, ds)
    ids = list(shown["id"]) if view.q else None  # a search is matched here, on the server
    payload = sites_view(ds, view, shown, ids=ids, numbers=numbers)
    center = site_centre(view, shown)
    # Imported here, in a page run: streamlit-folium registers its component only inside one,
    # and warm() imports this module before any run.
    from streamlit_folium import st_folium

    # render=False: st_folium's extra render of the whole figure gives the same strings as
    # the map's own render (tests/unit/test_webmap.py) and cost 40% of the time per rerun.
    out = st_folium(
        m, key="sites_map", feature_group_to_add=view_group(payload), center=center, height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing", "last_object_clicked"], render=False,
    )  # fmt: skip
    return clicked_site(out or {}, ds.memo(("site_ids",), lambda: set(ds.sites["id"])))


def fit_theatre(m, ds: Dataset) -> None:
    """Open the map on the focus countries that have sites, fitted to the map's size (the HTML
    export's rule, briefing.frame_of), not at a fixed zoom, which cut off the sites at the far
    edge of a country on a laptop; and let the map fill its frame, whose height LAYOUT_CSS
    sets. The same for every view, so the base map stays the same across reruns."""
    west, south, east, north = frame_of(ds, ds.sites)
    OpenOn([[south, west], [north, east]]).add_to(m)
    m.get_root().header.add_child(Element(MAP_FILLS_FRAME), name="footprint_fill")


def site_centre(view: View, shown) -> tuple[float, float] | None:
    """Where the map should centre: on a site just chosen, or on the chosen site while the view
    has no frame of its own; else nowhere (the map keeps its frame, follow.js)."""
    chosen = view.site != st.session_state.get("_centred")
    st.session_state["_centred"] = view.site
    site = shown[shown["id"] == view.site]
    if not len(site) or (view.map is not None and not chosen):
        return None
    return float(site["lat"].iloc[0]), float(site["lon"].iloc[0])


def clicked_site(out: dict, known: set[str]) -> str | None:
    """The id of the site just clicked, from st_folium's value (None: no new click).

    The value stays until another marker is clicked, so a click is new when it differs from
    the last one seen.
    """
    feature = out.get("last_active_drawing") or {}
    site = (feature.get("properties") or {}).get("site_id")
    click = (site, str(out.get("last_object_clicked")))
    if not site or click == st.session_state.get("_last_click"):
        return None
    st.session_state["_last_click"] = click
    return site if site in known else None


def site_map(ds: Dataset, basemap: str, static_dir: Path, **kw):
    """The page's base map. The offline basemap's shapes are fetched once from a served file,
    and so are the sites unless they are few enough to travel in the map (records_source), so
    a rerun resends neither the shapes nor a large set of sites."""
    records, url = sites_source(ds.version, ds, static_dir)
    sites = SitesLayer(ds, records, len(ds.sites), url=url)
    m = base_map(ds, basemap, ds.layers_dir, sites, static_dir, extent=ds.sites,
                 min_zoom=MAP_ZOOM[0], max_zoom=MAP_ZOOM[1], **kw)  # fmt: skip
    Follow(ds.labels("events", "status"), static_dir).add_to(m)
    return m


@st.cache_resource(max_entries=4, show_spinner=False)
def sites_source(version: str, _ds: Dataset, static_dir: Path) -> tuple[dict | None, str | None]:
    """The sites layer's data for a dataset version, built once: inline records or a URL."""
    return records_source(site_records(_ds), static_dir, version)


PLAY_SECONDS = 1.5  # between steps while playing


def play(ds: Dataset) -> None:
    """While Play is on, a timer steps the date to the next status change; off at the end."""
    if st.session_state.get("play"):
        _player(ds)


def start_playing() -> None:
    """Callback of the Play toggle: the first step comes one interval from now."""
    st.session_state["_played_at"] = time.monotonic()


@st.fragment(run_every=PLAY_SECONDS)
def _player(ds: Dataset) -> None:
    """One tick of the timer: step the date (the whole page then reruns to show it).

    The fragment also runs once within the page run that starts it, where the slider has just
    been drawn and its date cannot be changed; that run is too soon after the last step and
    does nothing.
    """
    if time.monotonic() - st.session_state.get("_played_at", 0.0) < PLAY_SECONDS * 0.9:
        return
    st.session_state["_played_at"] = time.monotonic()
    now = st.session_state["asof"]
    later = [d for d in ds.change_dates() if d > now]
    if later:
        st.session_state["asof"] = later[0]
    else:
        st.session_state["play"] = False
    st.rerun()
