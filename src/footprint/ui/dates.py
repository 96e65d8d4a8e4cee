"""A date field beside each date slider (As of, Compare with), to type an exact day.

A slider packs weeks into a pixel; the field takes a typed YYYY-MM-DD. The slider's key holds
the date (the view, the link and the map's glue read it). The field is keyed by that date, so
it is a new field, showing the slider's date, whenever the date changes however it changed
(the slider, Previous/Next, Play, a link); a date typed into it moves the slider (its callback).
The field is never written through session state: the browser would echo an older value back
with the next rerun, and the callback would then move the slider back to it.
"""

from __future__ import annotations

import streamlit as st


def date_field(where, slider: str, label: str, theatre) -> None:
    """The field that sets `slider`'s date, in `where` (the sidebar), within the data's period."""
    day = st.session_state[slider]
    key = f"{slider}_typed_{day}"
    where.date_input(
        label, value=day, key=key, min_value=theatre.start, max_value=theatre.end,
        format="YYYY-MM-DD", on_change=_typed, args=(slider, key, day),
        help="Type a day as YYYY-MM-DD (e.g. 2026-01-01), or pick it in the calendar.",
    )  # fmt: skip


def _typed(slider: str, key: str, shown) -> None:
    """Callback: a date typed (or picked) in the field moves its slider there. The field's own
    date (`shown`) is no change: Streamlit calls back with it when the browser first sends a
    new field's value, sometimes after the slider has moved on. An emptied field is redrawn
    with the slider's date."""
    value = st.session_state.get(key)
    if value is not None and value != shown:
        st.session_state[slider] = value
