"""The briefing view (`view=brief`): a clean 16:9 frame for a slide, and its exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from footprint import export
from footprint.briefing import key_lines, make_brief, number_labels
from footprint.data import Dataset
from footprint.ui.panels import md
from footprint.view import View

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
    brief = make_brief(ds, view, shown)
    with st.container(key="brief_frame"):
        st.markdown(f"# {md(brief.title)}")
        st.markdown(f"### :blue[{md(brief.asof)}]")
        left, right = st.columns([3, 1], gap="medium")
        with left:
            numbers = number_labels(shown)
            draw_map(ds, view, shown, height=780, numbers=numbers, zoom=6.8)
        with right:
            st.markdown(f"**{md(brief.counts_text)}**")
            for f in brief.figures:
                st.markdown(f"**{md(f.label)}: {md(f.figure)}**  \n{md(f.note)}; {md(f.source)}")
            st.markdown("\n".join(f"{md(line)}  " for line in key_lines(ds, shown, view.asof)))
        st.caption(md(brief.sources))
        st.caption(f"*{md(brief.caveat)}* {md(brief.cutoff)}  \n{md(brief.stamp)}")
    controls(ds, view, shown)


def controls(ds: Dataset, view: View, shown: pd.DataFrame) -> None:
    """Below the frame: title, exports, and the way back."""
    st.divider()
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    c1.text_input("Slide title", key="title", placeholder=ds.theatre.title)
    buttons = ((c2, "png", 1920, "PNG 1920×1080"), (c3, "png", 3840, "PNG 3840×2160"),
               (c4, "html", 1920, "HTML map"))  # fmt: skip
    for column, fmt, size, label in buttons:
        column.download_button(
            label, lambda fmt=fmt, size=size: export.render(ds, view, fmt, shown, size=size),
            export.file_name(ds, view, fmt, size), export.FORMATS[fmt][0],
            key=f"{fmt}_{size}_export",
        )  # fmt: skip
    st.button("◀ Back to the explorer", key="exit_brief", on_click=set_mode, args=("explore",))
