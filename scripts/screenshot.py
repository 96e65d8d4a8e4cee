"""Retake the README's dashboard screenshot: `make screenshots` (needs Debian's chromium).

Starts the app on the bundled data, opens it as of 5 April 2020 with Qayyarah West chosen and
its popup open, waits until the map, its offline basemap and every control are drawn and no
run is going, and writes a 1600x1200 PNG (default docs/screenshot.png).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from footprint.data import DEFAULT_DATA_DIR as DATA
from footprint.harness import BASEMAP_DRAWN, Server, launch, open_app

ROOT = Path(__file__).resolve().parents[1]

VIEW = "/?asof=2020-04-05&site=q_west"
SITE = ".fp-site[data-site-id=q_west]"
# the popup open and faded in, and no zoom or pan animation going (the click centres the map)
SETTLED = """() => {
  const popup = document.querySelector('.leaflet-popup');
  return popup && getComputedStyle(popup).opacity === '1'
    && !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim');
}"""
DRAWN = (  # in the page, once the run the map asks for has drawn the rest
    "[data-testid=stSidebar] [data-testid=stSlider]",
    "[data-testid=stDataFrame]",
    "[data-testid=stApp][data-test-script-state=notRunning]",
)


def main(out: Path) -> None:
    server = Server(DATA)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            frame = open_app(page, server.url + VIEW)
            frame.wait_for_selector(BASEMAP_DRAWN, timeout=30_000)
            for selector in DRAWN:
                page.wait_for_selector(selector, timeout=30_000)
            frame.click(SITE)
            page.mouse.move(0, 0)  # no hover tooltip over the popup
            page.wait_for_selector(DRAWN[-1], timeout=30_000)
            frame.wait_for_function(SETTLED, timeout=10_000)
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
