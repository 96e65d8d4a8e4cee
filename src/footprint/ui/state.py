"""Data loading with a last-good fallback, and the view <-> widgets <-> URL round trip."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from footprint.csvfile import Problem
from footprint.data import DataError, Dataset, load_dataset
from footprint.layers import LAYERS
from footprint.ui.deck import deck_query
from footprint.view import (
    WIDGETS,
    View,
    choices,
    default_view,
    frame_from_text,
    parse_query,
    to_query,
)

LAYER_KEYS = tuple(layer.key for layer in LAYERS)  # each map layer's checkbox has its key
# Widgets that are not always drawn (the sidebar is not drawn in the briefing view), whose
# values must outlive a run that does not draw them (the Export dialog's shape: the deck list
# adds a view in it).
KEPT = (*WIDGETS, *LAYER_KEYS, "compare_on", "compare", "play", "chart_period", "export_shape")
# The comparison date is a widget too, switched on by "compare_on"; View.compare is None when off.
FRAME = "map"  # the hidden text input, bound to the address's map=, that holds the map's frame
HIDE_FRAME = "<style>.st-key-map { display: none; }</style>"  # constant CSS, no data in it


def signature(data_dir: Path) -> tuple:
    """What identifies the data on disk: each file's name, size and modification time."""
    files = sorted(p for p in Path(data_dir).glob("*") if p.is_file())
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(data_dir: str, sig: tuple) -> Dataset | DataError:  # noqa: ARG001 - sig: cache key
    try:
        return load_dataset(Path(data_dir))
    except DataError as e:
        return e


@st.cache_resource(show_spinner=False)
def _last_good() -> dict:
    return {}


def dataset(data_dir: Path) -> tuple[Dataset | None, DataError | None]:
    """The dataset to show, and the current problems if the files on disk are invalid.

    When the files become invalid the last valid dataset keeps being served.
    """
    try:
        result = _load(str(data_dir), signature(data_dir))
    except OSError as e:  # the folder itself is unreadable
        result = DataError([_folder_problem(data_dir, e)])
    good = _last_good()
    if isinstance(result, Dataset):
        good[str(data_dir)] = result
        return result, None
    return good.get(str(data_dir)), result


def _folder_problem(data_dir: Path, e: OSError) -> Problem:
    return Problem(str(data_dir), 0, "-", f"cannot read the data folder: {e.strerror}")


def init_view(ds: Dataset) -> tuple[str, ...]:
    """On a session's first run, seed the widgets from the URL; return the URL notices.

    Keys already in the session (set by a callback before this run) are kept.
    """
    if "_view_ready" in st.session_state:
        return ()  # the link's notices are shown on the session's first run only
    view = parse_query(st.query_params.to_dict(), default_view(ds), choices(ds))
    for name in WIDGETS:
        value = getattr(view, name)
        st.session_state.setdefault(name, list(value) if isinstance(value, tuple) else value)
    for key in LAYER_KEYS:
        st.session_state.setdefault(key, key in view.layers)
    st.session_state.setdefault("compare_on", view.compare is not None)
    st.session_state.setdefault("compare", view.compare or year_before(view.asof, ds))
    st.session_state["_centred"] = view.site  # a link's site: the map opens on the link's frame
    st.session_state["_view_ready"] = True
    return view.notices


def keep_widget_state(drawn: tuple[str, ...] = ()) -> None:
    """Keep every view widget's value through runs that do not draw it.

    Streamlit forgets the state of a widget not drawn in a run; a value written back into
    session state under the same key is kept (the documented way to carry widget state
    between pages). `drawn`: widgets this run draws, left alone: a value written back is also
    sent back to the browser, which then sets the widget to it, undoing any key press made on
    the slider since the run began (5 of 20 arrow presses were lost so).
    """
    for key in KEPT:
        if key in st.session_state and key not in drawn:
            st.session_state[key] = st.session_state[key]


def frame_field() -> str:
    """The map's frame as the browser last wrote it ('' for none), from a hidden text input.

    follow.js types the frame into it after each pan or zoom. Streamlit keeps the value
    without a rerun (on_change="ignore"), writes it into the address as `map=` (bind), and
    sends it with the next rerun, whatever asks for it; a link's `map=` seeds it. The input is
    drawn first on the page in every view, so it is always the same widget.
    """
    if FRAME in st.session_state and st.query_params.get(FRAME, "") != st.session_state[FRAME]:
        # The address holds an older frame: a rerun that began before the last pan sent the
        # address it began with. Setting the value again makes Streamlit write it back.
        st.session_state[FRAME] = st.session_state[FRAME]
    st.html(HIDE_FRAME)
    text = st.text_input(
        "Map frame (zoom/lat/lon)", key=FRAME, on_change="ignore", live="0ms",
        bind="query-params", label_visibility="collapsed",
    )  # fmt: skip
    return text or ""


def current_view(ds: Dataset) -> View:
    """The view the widgets hold now (the map's frame: frame_field's)."""
    default = default_view(ds)
    values: dict[str, Any] = {n: st.session_state.get(n) for n in WIDGETS}  # View's fields
    for n in WIDGETS:  # a multiselect holds a list, or None before it is drawn
        if isinstance(getattr(default, n), tuple):
            values[n] = tuple(values[n] or ())
    values["site"] = values["site"] or ""
    values["layers"] = tuple(k for k in LAYER_KEYS if st.session_state.get(k))
    values["compare"] = (
        st.session_state.get("compare") if st.session_state.get("compare_on") else None
    )
    values["map"] = frame_from_text(ds, st.session_state.get(FRAME) or "")
    return replace(default, **values)


def sync_url(view: View, ds: Dataset) -> None:
    """Write the view into the query string (only what differs from the default).

    The map's frame is left alone: its input writes it (frame_field), and Streamlit refuses
    to have a bound parameter set or cleared any other way.
    """
    wanted = {k: v for k, v in to_query(view, default_view(ds)).items() if k != FRAME}
    wanted.update(deck_query())  # the deck list (ui/deck.py) travels in the address too
    now = {k: v for k, v in st.query_params.to_dict().items() if k != FRAME}
    if now == wanted:
        return
    for key in now.keys() - wanted.keys():
        del st.query_params[key]
    st.query_params.update(wanted)


def step_asof(dates: list[dt.date], direction: int) -> None:
    """Callback: move the as-of date to the previous/next status change."""
    now = st.session_state["asof"]
    later = [d for d in dates if (d > now if direction > 0 else d < now)]
    if later:
        st.session_state["asof"] = later[0] if direction > 0 else later[-1]


def year_before(day: dt.date, ds: Dataset) -> dt.date:
    """Where a comparison starts: a year before `day` (not before the data's first day), so
    that it shows a year's changes at once rather than none."""
    try:
        earlier = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        earlier = day.replace(year=day.year - 1, day=28)
    return max(earlier, ds.theatre.start)


def start_comparing(ds: Dataset) -> None:
    """Callback of the Compare toggle: switched on, compare with a year before the date."""
    if st.session_state.get("compare_on"):
        st.session_state["compare"] = year_before(st.session_state["asof"], ds)
