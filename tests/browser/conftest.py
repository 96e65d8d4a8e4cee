"""Fixtures of the browser tests: a real server on the fixture theatre, Debian's Chromium,
and a page that records every request and console error. Chromium must be installed
(`scripts/install-debian.sh --test`); without it these tests fail, they never skip."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from ..conftest import THEATRE
from ..harness import ARTIFACTS, CHROMIUM_ARGS, LOCAL, Server


@pytest.fixture(scope="session")
def server():
    s = Server(THEATRE)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: run scripts/install-debian.sh --test")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
