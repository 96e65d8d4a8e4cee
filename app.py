"""Footprint dashboard: `streamlit run app.py` (or `make run`).

This file has two roles. `streamlit run` first imports it to start the server and finds `app`,
whose start-up hook loads the data once (so the first visitor does not wait for it). Streamlit
then runs it again as the page script, as `__main__`, for every page view.
"""

from contextlib import asynccontextmanager

import streamlit as st

if __name__ == "__main__":  # a page view
    from footprint.ui import main

    main()
else:  # the server starting

    @asynccontextmanager
    async def _start(_app):
        from footprint.ui import warm

        warm()
        yield

    app = st.App(__file__, lifespan=_start)
