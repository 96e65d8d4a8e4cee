"""The briefing view (`view=brief`): a clean 16:9 frame for a slide, and its exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from footprint.brief import make_brief
from footprint.data import Dataset
from footprint.standalone import to_html
from footprint.staticmap import briefing_chart, key_lines, number_labels, render_png
from footprint.ui.panels import md
from footprint.view import View

# Constant CSS (no data in it): hide the sidebar and Streamlit's chrome, widen the page.
BRIEF_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 18px 36px 0 36px !important; max-width: none; }
.st-key-brief_frame { min-height: 1040px; }
.st-key-brief_frame h1 { padding: 0 0 2px 0; font-size: 2.4rem; }
</style>
"""


def set_mode(mode: str) -> None:
    """Callback: switch between the explorer and the briefing view."""
    st.session_state["mode"] = mode


def brief_page(ds: Dataset, view: View, shown: pd.DataFrame, draw_map, layers_dir: Path) -> None:
    """The 16:9 frame (title, stamp, map, summary, key, sources, caveat), then the controls."""
    st.markdown(BRIEF_CSS, unsafe_allow_html=True)
    brief = make_brief(ds, view, shown)
    with st.container(key="brief_frame"):
        st.markdown(f"# {md(brief.title)}")
        st.markdown(f"### :blue[{md(brief.asof)}]")
        left, right = st.columns([3, 1], gap="medium")
        with left:
            draw_map(ds, view, shown, height=780, numbers=number_labels(shown), zoom=6.8)
        with right:
            st.markdown(f"**{md(brief.counts_text)}**")
            st.markdown(f"**US troops in Iraq: {md(brief.troops)}**  \n{md(brief.troops_source)}")
            st.markdown("\n".join(f"{md(line)}  " for line in key_lines(shown)))
        st.caption(md(brief.sources))
        st.caption(f"*{md(brief.caveat)}*  \n{md(brief.stamp)}")
    controls(ds, view, shown, layers_dir)


def controls(ds: Dataset, view: View, shown: pd.DataFrame, layers_dir: Path) -> None:
    """Below the frame: title, exports, and the way back."""
    st.divider()
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    c1.text_input("Slide title", key="title", placeholder=ds.package.title)
    stem = f"footprint-{view.asof}"
    c2.download_button(
        "PNG 1920×1080", lambda: png(ds, view, shown, layers_dir, 1920), f"{stem}.png",
        "image/png", key="png_hd",
    )  # fmt: skip
    c3.download_button(
        "PNG 3840×2160", lambda: png(ds, view, shown, layers_dir, 3840), f"{stem}-4k.png",
        "image/png", key="png_4k",
    )  # fmt: skip
    c4.download_button(
        "HTML map", lambda: html(ds, view, shown, layers_dir), f"{stem}.html", "text/html",
        key="html_export",
    )  # fmt: skip
    st.button("◀ Back to the explorer", key="exit_brief", on_click=set_mode, args=("explore",))


def png(ds: Dataset, view: View, shown: pd.DataFrame, layers_dir: Path, width: int) -> bytes:
    """The briefing PNG of the view (rendered on the server, offline)."""
    chart = briefing_chart(
        make_brief(ds, view, shown), shown, ds.config["regions"]["IRQ"], layers_dir
    )
    return render_png(chart, width)


def html(ds: Dataset, view: View, shown: pd.DataFrame, layers_dir: Path) -> str:
    """The standalone interactive HTML map of the view."""
    return to_html(ds, make_brief(ds, view, shown), shown, layers_dir, view.asof)
