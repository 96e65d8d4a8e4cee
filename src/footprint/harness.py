"""Helpers shared by the browser tests, the bench and the scripts: a real `streamlit run` on
localhost, Debian's Chromium driven by Playwright, and how to read the map in its frame.

Development tools: they run the app of a source checkout (`app.py` beside `src/`) and need the
dev requirements (Playwright).

Chromium must be installed (`scripts/install-debian.sh --test`); the tests fail without it
(tests/browser/conftest.py), the bench and scripts exit with a message.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: app.py, deploy/, artifacts/

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHOWN = ".fp-site[data-status]:not([data-status=''])"  # a site marker drawn for the view
BASEMAP_DRAWN = ".leaflet-container[data-basemap=drawn]"  # every part of the offline basemap
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(app: Path, port: int, *extra: str) -> list[str]:
    """`streamlit run app` headless on 127.0.0.1:port, with any further options."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra,
    ]  # fmt: skip


def data_env(data_dir: Path) -> dict[str, str]:
    """This process's environment, with the dataset to serve."""
    return {**os.environ, "FOOTPRINT_DATA_DIR": str(data_dir)}


class Server:
    """`streamlit run app.py` on a free port, ready once /_stcore/health answers ok."""

    def __init__(self, data_dir: Path, port: int | None = None, app: Path = ROOT / "app.py"):
        """Start `app` on `port` (a free one by default) with FOOTPRINT_DATA_DIR=data_dir."""
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            streamlit_command(app, self.port), cwd=ROOT, env=data_env(data_dir),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        wait_for_health(self.url, timeout, self._alive)

    def _alive(self) -> None:
        if self.proc.poll() is not None:
            assert self.proc.stderr is not None  # stderr=PIPE
            raise RuntimeError(f"streamlit exited: {self.proc.stderr.read().decode()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wait_for_health(url: str, timeout: float, check=lambda: None, log=lambda: "") -> None:
    """Wait until `url`/_stcore/health answers ok. `check()` raises when waiting is pointless
    (the server exited); `log()` adds what the server said to the timeout's message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310 - our own http server
                if r.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)  # plain Python wait between two health requests, not inside Playwright
    raise TimeoutError(f"{url}/_stcore/health never answered ok{log()}")


def chromium() -> str:
    """The path of Debian's chromium, for the bench and scripts; a clear exit when missing."""
    exe = shutil.which("chromium")
    if exe is None:
        raise SystemExit("Debian's chromium is not installed: run scripts/install-debian.sh --test")
    return exe


def launch(playwright):
    """Debian's Chromium, headless, with the browser tests' flags (bench and scripts)."""
    return playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)


def open_app(page, url: str, markers: bool = True):
    """Open the app and wait until the map is mounted (and, by default, shows markers)."""
    page.goto(url)
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function("() => window.map !== undefined", timeout=30_000)
    if markers:
        frame.wait_for_selector(SHOWN, timeout=30_000)
    return frame


def map_frame(page):
    """The Playwright Frame that holds the Leaflet map."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for f in page.frames:
            if "streamlit_folium" in f.url:
                return f
        page.wait_for_timeout(100)
    raise TimeoutError("no streamlit_folium frame")


STATUSES_JS = (
    "() => Object.fromEntries([...document.querySelectorAll('.fp-site')]"
    ".filter(e => e.dataset.status && e.style.display !== 'none')"
    ".map(e => [e.dataset.siteId, e.dataset.status]))"
)


def statuses(frame) -> dict[str, str]:
    """site_id -> data-status of every marker shown on the map (hidden ones are not)."""
    return frame.evaluate(STATUSES_JS)


def wait_for_statuses(frame, want: dict[str, str], timeout: float = 10_000) -> None:
    """Wait (in the page, without a rerun's help) until statuses(frame) == want."""
    frame.wait_for_function(
        f"""(want) => {{ const got = ({STATUSES_JS})();
          const sorted = (o) => JSON.stringify(o, Object.keys(o).sort());
          return sorted(got) === sorted(want); }}""",
        arg=want, timeout=timeout,
    )  # fmt: skip


BOX = "(e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
HIDDEN_JS = f"""() => {{ const box = {BOX};
  const on = (x, y, b) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
  const map = box(document.querySelector('.leaflet-container'));
  const controls = [...document.querySelectorAll('.leaflet-control')].map(box);
  return [...document.querySelectorAll('.fp-site')]
    .filter(e => e.dataset.status && e.style.display !== 'none').filter(e => {{
      const b = box(e), x = (b[0] + b[2]) / 2, y = (b[1] + b[3]) / 2;
      return !on(x, y, map) || controls.some(c => on(x, y, c)); }})
    .map(e => e.dataset.siteId); }}"""


def hidden_sites(frame) -> set[str]:
    """The sites drawn on the map whose point is off the map's box or under one of its
    controls (legend, scale bar, attribution, zoom buttons): what a person cannot see."""
    return set(frame.evaluate(HIDDEN_JS))
