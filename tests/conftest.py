"""Shared fixtures. Code tests run on the hand-made datasets in tests/fixtures/ and compute what
they expect from them; only tests/data states facts about the real data/ (house rule 11).

- `theatre`: made-up sites in Iraq's box covering every case: each status, a disputed claim,
  an attack, a context site with and one without a status, two sites at one point, a site
  outside the basemap, an estimate range, text that must show as typed.
- `elsewhere`: a made-up theatre that is not Iraq (Kuwait), with its own title, headline and
  labels, drawn on the bundled basemap.
- `mini`: the small dataset the validator's table of bad inputs mutates.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from footprint.harness import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
# tests/data reads the real data, or a copy a maintainer's edit is tried on (test_maintainer)
DATA = Path(os.environ.get("FOOTPRINT_TEST_DATA") or ROOT / "data")
FIXTURES = ROOT / "tests" / "fixtures"
THEATRE = FIXTURES / "theatre"
ELSEWHERE = FIXTURES / "elsewhere"
MINI = FIXTURES / "mini"


def copy_fixture(source: Path, dest: Path) -> Path:
    """A fresh copy of a fixture dataset (its CSVs and datapackage.json) in `dest`."""
    shutil.copytree(source, dest, dirs_exist_ok=True)
    return dest


def make_dataset(dest: Path) -> Path:
    """Copy the mini fixture CSVs plus the real datapackage.json into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for csv in MINI.glob("*.csv"):
        shutil.copy(csv, dest / csv.name)
    shutil.copy(DATA / "datapackage.json", dest / "datapackage.json")
    return dest


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, valid mini dataset folder."""
    return make_dataset(tmp_path / "mini")


@pytest.fixture
def theatre(tmp_path: Path) -> Path:
    """A fresh copy of the fixture theatre, to edit."""
    return copy_fixture(THEATRE, tmp_path / "theatre")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium for the whole session, shared by every test that drives a browser
    (one Playwright per process). Without Chromium the test fails, it never skips."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: run scripts/install-debian.sh --test")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()
