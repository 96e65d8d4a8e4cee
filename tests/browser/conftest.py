"""Fixtures of the browser tests: a real server on the fixture theatre, and a page that records
every request and console error (the browser itself is tests/conftest.py's `browser`)."""

import pytest

from footprint.harness import ARTIFACTS, LOCAL, Server

from ..conftest import THEATRE


@pytest.fixture(scope="session")
def server():
    s = Server(THEATRE)
    yield s
    s.stop()


@pytest.fixture
def page(browser, request):
    """A fresh page; `page.external` lists requests that left localhost, `page.errors` errors."""
    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    pg = context.new_page()
    pg.external, pg.errors = [], []
    pg.on("request", lambda r: None if r.url.startswith(LOCAL + ("data:", "blob:", "about:"))
          else pg.external.append(r.url))  # fmt: skip
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
