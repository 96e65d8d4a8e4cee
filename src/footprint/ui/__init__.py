"""The Streamlit page. The only package code that imports streamlit (besides app.py)."""

from footprint.ui.page import main, warm

__all__ = ["main", "warm"]
