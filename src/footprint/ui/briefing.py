"""The briefing view (`view=brief`): a clean 16:9 frame for a slide, and its exports."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from footprint import export
from footprint.briefing import make_brief
from footprint.data import Dataset
from footprint.mercator import screen_box
from footprint.ui.animation import animation_controls
from footprint.ui.deck import deck_buttons
from footprint.ui.panels import md
from footprint.view import View, default_view, page_address, view_link

# Constant CSS (no data in it): hide the page's header bar and widen the page. The sidebar is
# not drawn in this view at all (page.main), so nothing of the explorer shows in a screenshot.
BRIEF_CSS = """
<style>
header { display: none !important; }
.block-container { padding: 18px 36px 0 36px !important; max-width: none; }
.st-key-brief_frame { min-height: 1040px; }
.st-key-brief_frame h1 { padding: 0 0 2px 0; font-size: 2.4rem; }
</style>
"""


def set_mode(mode: str) -> None:
    """Callback: switch between the explorer and the briefing view."""
    st.session_state["mode"] = mode


def brief_page(ds: Dataset, view: View, shown: pd.DataFrame, draw_map) -> None:
    """The 16:9 frame (title, stamp, map, summary, key, sources, caveat), then the controls.

    `draw_map(ds, view, shown, height=, numbers=, zoom=)` draws the page's map.
    """
    st.markdown(BRIEF_CSS, unsafe_allow_html=True)
    brief = make_brief(ds, view, shown, screen_box(view.map) if view.map else None)
    with st.container(key="brief_frame"):
        st.markdown(f"# {md(brief.title)}")
        st.markdown(f"### :blue[{md(brief.asof)}]")
        left, right = st.columns([3, 1], gap="medium")
        with left:
            numbers = brief.number_labels()
            draw_map(ds, view, shown, height=780, numbers=numbers, zoom=6.8)
        with right:
            st.markdown(f"**{md(brief.counts_text)}**")
            for f in brief.figures:
                announced = (
                    f"  \n{md(f.announced[:1].upper() + f.announced[1:])}" if f.announced else ""
                )
                st.markdown(
                    f"**{md(f.label)}: {md(f.figure)}**  \n{md(f.note)}; {md(f.source)}{announced}"
                )
            for line in (*brief.coverage, *brief.layers):
                st.caption(md(line))
            st.markdown("\n".join(f"{md(line)}  " for line in brief.key_lines()))
            if brief.outside:
                st.caption(md(brief.outside))
        st.caption(md(brief.sources))
        st.caption(f"*{md(brief.caveat)}* {md(brief.cutoff)}  \n{md(brief.stamp)}")
    controls(ds, view, shown)


def controls(ds: Dataset, view: View, shown: pd.DataFrame) -> None:
    """Below the frame: title, the link and the exports, and the way back.

    The link and the exports are made in a dialog opened by a click: the click's rerun brings
    the map's frame as it is now (frame_field), and the dialog holds the page still while the
    person copies or downloads.
    """
    st.divider()
    c1, c2, c3, c5, c6, c4 = st.columns([3, 1, 1, 1, 1, 1])
    c1.text_input("Slide title", key="title", placeholder=ds.theatre.title)
    deck_buttons(ds, view, c5, c6, browser_address())
    if c2.button("Copy link", key="copy_link", width="stretch", icon=":material/link:"):
        link_dialog(ds, view)
    if c3.button("Export…", key="open_exports", width="stretch", icon=":material/download:"):
        export_dialog(ds, view, shown)
    c4.button("Back to the explorer", key="exit_brief", icon=":material/arrow_back:",
              on_click=set_mode, args=("explore",), width="stretch")  # fmt: skip


def browser_address() -> str:
    """The page's address as the browser shows it (Streamlit's st.context.url, which has no
    query), or '' when there is none (a test run): the link is then relative to the page."""
    return page_address(st.context.url or "")


@st.dialog("Link to this view")
def link_dialog(ds: Dataset, view: View) -> None:
    """The view's link, framed as the map is now, with a copy button."""
    link = view_link(view, default_view(ds), browser_address())
    st.code(link, language=None, wrap_lines=True)
    st.caption("Opens this view: date, filters, title and the map's frame.")


@st.dialog("Export this view", width="large")
def export_dialog(ds: Dataset, view: View, shown: pd.DataFrame) -> None:
    """Frame and shape, then a download button per format."""
    framed = view.map is not None
    frame = st.segmented_control(
        "Frame", ["map", "theatre"], key="export_frame", default="map",
        format_func={"map": "As on the map", "theatre": "Whole theatre"}.__getitem__,
        disabled=not framed, help="Whole theatre: every site, with a close-up of the densest.",
    )  # fmt: skip
    shape = st.segmented_control(
        "Shape", list(export.SHAPES), key="export_shape", default="16x9",
        format_func=lambda s: export.LAYOUTS[s].label,
    )  # fmt: skip
    theatre = not framed or frame == "theatre"
    shape = shape or "16x9"
    w, h = export.LAYOUTS[shape].size
    buttons = [("png", 1920, f"PNG {w}×{h}"), ("png", 3840, f"PNG {2 * w}×{2 * h}"),
               ("pdf", 1920, "PDF (vector)"), ("svg", 1920, "SVG (vector)"),
               ("html", 1920, "HTML map")]  # fmt: skip
    for column, (fmt, size, label) in zip(st.columns(len(buttons)), buttons, strict=True):
        column.download_button(
            label, partial(export.render, ds, view, fmt, shown, size=size, shape=shape,
                           theatre=theatre, address=browser_address()),
            export.file_name(ds, view, fmt, size, shape, theatre), export.FORMATS[fmt][0],
            key=f"{fmt}_{size}_export", on_click="ignore", width="stretch",
        )  # fmt: skip
    st.caption("The HTML map opens on the same frame; its shape is the window's.")
    if st.toggle("Over time: GIF or video", key="anim_on"):
        animation_controls(ds, view, shape, theatre, browser_address())
