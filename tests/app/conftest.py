"""What the page tests share: the whole page as a session's first run draws it, on the fixture
theatre unless a test points elsewhere."""

import pytest
from streamlit.testing.v1 import AppTest

from ..conftest import ROOT, THEATRE

APP = str(ROOT / "app.py")


@pytest.fixture
def on_the_fixture(monkeypatch):
    """The page runs on the fixture theatre (modules that use it: pytestmark)."""
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(THEATRE))


def run(**params) -> AppTest:
    """The whole page as a session's first run draws it, with `params` in its address."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()
