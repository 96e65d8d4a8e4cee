"""The maintainer's worklist page (`view=review`): what to check next, for the date shown."""

from __future__ import annotations

import streamlit as st

from footprint import review
from footprint.data import Dataset
from footprint.text import format_date
from footprint.ui.briefing import set_mode
from footprint.ui.panels import md
from footprint.view import View


def review_page(ds: Dataset, view: View) -> None:
    """Every section of the worklist on the view's date, each item as escaped text."""
    st.title("Maintainer worklist")
    st.caption(
        f"What to check next in dataset {md(ds.version)}, for {md(format_date(view.asof))} "
        "(the *As of* date). The same list: `python -m footprint review --asof "
        f"{view.asof}`."
    )
    st.button(
        "Back to the explorer",
        key="exit_review",
        icon=":material/arrow_back:",
        on_click=set_mode,
        args=("explore",),
    )
    for section in review.worklist(ds, view.asof):
        st.subheader(f"{section.title} ({len(section.items)})")
        st.caption(md(section.why))
        st.markdown("\n".join(f"- {md(item)}" for item in section.items) or "Nothing to do.")
