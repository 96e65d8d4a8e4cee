"""*Over time* in the Export dialog: the view's picture from one date to another as a GIF or a
video (footprint.export.animation), at the step and speed the briefer picks."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from footprint import export
from footprint.data import Dataset
from footprint.text import format_date
from footprint.view import View

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)  # seconds a frame
HOLDS = (1.0, 2.0, 3.0, 5.0, 10.0)  # seconds the last frame holds
SECONDS_A_FRAME = 10  # about how long one picture of the real data takes (bench/exports.md)


def animation_controls(ds: Dataset, view: View, shape: str, theatre: bool, address: str) -> None:
    """From, to, step and speed, the number of frames, and a download per format."""
    start, end, step, timing = choices(ds, view)
    try:
        dates = export.animation_dates(ds, start, end, step)
    except ValueError as e:  # the end before the start
        st.warning(str(e), icon=":material/warning:")
        return
    too_many = len(dates) > export.MAX_FRAMES
    st.caption(frames_caption(dates, too_many))
    for column, fmt in zip(st.columns(len(export.MOVIES)), export.MOVIES, strict=True):
        column.download_button(
            FORMAT_LABELS[fmt],
            partial(export.animation, ds, view, fmt, start, end, step, timing, shape=shape,
                    theatre=theatre, address=address),
            export.animation_name(ds, view, fmt, start, end, step, shape, theatre),
            export.MOVIES[fmt][0], key=f"{fmt}_animation", on_click="ignore", width="stretch",
            disabled=too_many,
        )  # fmt: skip


def choices(ds: Dataset, view: View) -> tuple[dt.date, dt.date, str, export.Timing]:
    """The briefer's choices: from and to (within the data), the step and the speed."""
    t = ds.theatre
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("From", value=view.asof, min_value=t.start, max_value=t.end,
                          key="anim_from", format="YYYY-MM-DD")  # fmt: skip
    end = c2.date_input("To", value=min(t.end, view.asof + dt.timedelta(days=182)),
                        min_value=t.start, max_value=t.end, key="anim_to",
                        format="YYYY-MM-DD")  # fmt: skip
    step = c3.segmented_control("A frame at every", list(export.STEPS), key="anim_step",
                                default="changes", format_func=STEP_LABELS.__getitem__)  # fmt: skip
    s1, s2 = st.columns(2)
    seconds = s1.select_slider("Seconds a frame", SPEEDS, value=1.0, key="anim_seconds")
    hold = s2.select_slider("The last frame holds (seconds)", HOLDS, value=3.0, key="anim_hold")
    return start, end, step or "changes", export.Timing(seconds, hold)


STEP_LABELS = {"changes": "status change", "week": "week", "month": "month"}
FORMAT_LABELS = {"gif": "GIF", "mp4": "MP4 video", "webm": "WebM video"}


def frames_caption(dates: list[dt.date], too_many: bool) -> str:
    """'12 frames, 1 Jan 2020 to 1 Oct 2020: about a minute to make.'"""
    head = f"{len(dates)} frames, {format_date(dates[0])} to {format_date(dates[-1])}"
    if too_many:
        return f"{head}: more than {export.MAX_FRAMES}; choose a longer step or fewer dates."
    minutes = len(dates) * SECONDS_A_FRAME / 60
    wait = "under a minute" if minutes < 1 else f"about {round(minutes)} minutes"
    return f"{head}: {wait} to make. Each frame has its date and counts; the last one holds."
