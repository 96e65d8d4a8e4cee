"""The deck list of the briefing view: views kept together to make a deck.

The briefer adds the view as it is framed now (its link, with frame and title, and the shape
chosen in *Export…*), reorders and removes entries, saves the list as a small text file and
opens it again, and downloads the deck as PowerPoint or PDF (footprint.export.deck). The list
lives in the page's address (`deck=`, one view a line, as the saved file writes it), so it
survives a reload and travels with a shared link.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from footprint import export
from footprint.data import Dataset
from footprint.export.slides import MAX_ENTRIES, Entry
from footprint.text import format_date
from footprint.ui.panels import md
from footprint.view import View, default_view, view_from_query, view_link

KEY = "deck_list"  # session state: the list of Entry
PARAM = "deck"  # the address's parameter
MAX_FILE = 64_000  # bytes of a saved list read at most (20 views of 600 characters fit)


def init_deck() -> None:
    """On a session's first run, the deck list from the address; the deck dialog names the
    lines it could not use."""
    if KEY in st.session_state:
        return
    entries, notices = export.read_entries(st.query_params.get(PARAM, ""), export.SHAPES)
    st.session_state[KEY] = entries
    st.session_state["_deck_notices"] = notices


def entries() -> list[Entry]:
    """The deck list now."""
    return list(st.session_state.get(KEY, []))


def deck_query() -> dict[str, str]:
    """The address's deck parameter ({} for an empty list): one view a line, link and shape."""
    lines = [f"{e.link} {e.shape}" for e in entries()]
    return {PARAM: "\n".join(lines)} if lines else {}


def _keep(new: list[Entry]) -> None:
    """Keep a changed list, and write it into the address at once (a dialog's rerun does not
    run the page's own sync_url)."""
    st.session_state[KEY] = new
    if new:
        st.query_params.update(deck_query())
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def deck_buttons(ds: Dataset, view: View, add, show, address: str) -> None:
    """*Add to deck* (this view, framed as now) and *Deck (n)…* (the list), in two columns."""
    if add.button("Add to deck", key="deck_add", width="stretch", icon=":material/add:",
                  disabled=len(entries()) >= MAX_ENTRIES):  # fmt: skip
        add_view(ds, view)
        st.toast(f"Added: {md(describe(ds, entries()[-1]))}")
    if show.button(f"Deck ({len(entries())})…", key="open_deck", width="stretch"):
        deck_dialog(ds, address)


def add_view(ds: Dataset, view: View) -> None:
    """Add the view as framed now, in the shape chosen under Export (16:9 if none)."""
    link = view_link(view, default_view(ds)) or "?"  # '?': the default view
    shape = st.session_state.get("export_shape") or "16x9"
    if len(entries()) < MAX_ENTRIES:
        _keep([*entries(), Entry(link, shape)])


def move(i: int, by: int) -> None:
    """Callback: move entry `i` up (-1) or down (+1)."""
    new = entries()
    j = i + by
    if 0 <= j < len(new):
        new[i], new[j] = new[j], new[i]
        _keep(new)


def remove(i: int) -> None:
    """Callback: remove entry `i`."""
    new = entries()
    if 0 <= i < len(new):
        del new[i]
        _keep(new)


def open_saved() -> None:
    """Callback of the file uploader: the saved list replaces the deck list."""
    upload = st.session_state.get("deck_file")
    if upload is None:
        return
    if upload.size > MAX_FILE:
        st.session_state["_deck_notices"] = [f"the file is over {MAX_FILE // 1000} KB: not read"]
        return
    text = upload.getvalue().decode("utf-8", errors="replace")
    found, notices = export.read_entries(text, export.SHAPES)
    _keep(found)
    st.session_state["_deck_notices"] = notices


def describe(ds: Dataset, entry: Entry) -> str:
    """An entry in words: 'Title · As of 5 Apr 2020 · frame z8.6-33.33N-44.25E · 16:9 slide'."""
    view = view_from_query(ds, entry.link)
    title = view.title or ds.theatre.title
    frame = f"frame {export.frame_tag(view.map)}" if view.map else "whole theatre"
    label = export.LAYOUTS[entry.shape].label
    return f"{title} · As of {format_date(view.asof)} · {frame} · {label}"


@st.dialog("Deck", width="large")
def deck_dialog(ds: Dataset, address: str) -> None:
    """The deck list with its controls, the saved list, and the deck's downloads."""
    kept = entries()
    for notice in st.session_state.pop("_deck_notices", []):
        st.warning(f"Ignored in the deck list: {md(notice)}", icon=":material/warning:")
    if not kept:
        st.caption("No views yet: frame the map, then *Add to deck*.")
    for i, entry in enumerate(kept):
        text, up, down, out = st.columns([9, 2, 2, 2], vertical_alignment="center")
        text.markdown(f"**{i + 1}.** {md(describe(ds, entry))}")  # bold: not a Markdown list
        up.button(
            "Up",
            key=f"deck_up_{i}",
            icon=":material/arrow_upward:",
            on_click=move,
            args=(i, -1),
            disabled=i == 0,
        )
        down.button("Down", key=f"deck_down_{i}", icon=":material/arrow_downward:",
                    on_click=move, args=(i, 1), disabled=i == len(kept) - 1)  # fmt: skip
        out.button(
            "Remove", key=f"deck_remove_{i}", on_click=remove, args=(i,), icon=":material/close:"
        )
    downloads(ds, kept, address)
    st.file_uploader("Open a saved list", type=["txt"], key="deck_file", on_change=open_saved)


def downloads(ds: Dataset, kept: list[Entry], address: str) -> None:
    """The deck as PowerPoint and PDF, and the list as a text file to save."""
    c1, c2, c3 = st.columns(3)
    for column, fmt, label in ((c1, "pptx", "PowerPoint (.pptx)"), (c2, "pdf", "PDF")):
        column.download_button(
            label, partial(export.deck, ds, kept, fmt, address),
            export.deck_name(ds, kept, fmt), export.DECKS[fmt][0], key=f"deck_{fmt}",
            on_click="ignore", width="stretch", disabled=not kept,
        )  # fmt: skip
    c3.download_button(
        "Save the list (.txt)", export.entries_text(kept), "footprint-deck.txt", "text/plain",
        key="deck_save", on_click="ignore", width="stretch", disabled=not kept,
    )  # fmt: skip
    st.caption("A slide takes about as long as a PNG export: a few seconds each.")
