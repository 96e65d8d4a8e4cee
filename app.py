"""Footprint dashboard: `streamlit run app.py` (or `make run`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))  # run without installing

from footprint.ui import main  # noqa: E402

main()
