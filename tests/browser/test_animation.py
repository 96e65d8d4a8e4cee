"""The drawdown as an animation plays in Chromium, its frames' dates in order.

The animation of the fixture theatre from 1 Jan to 1 Oct 2020, by status change, is made as a
GIF and as an MP4 and served from localhost. Chromium decodes the GIF's frames (ImageDecoder)
and plays the video, handing back each frame it presents. Each frame is matched to the
briefing picture rendered for every expected date, the dates read from the fixture's CSV;
the matches must run through those dates in order, each once, the last held.
"""

import base64
import csv
import datetime as dt
import functools
import http.server
import io
import threading
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from footprint import export
from footprint.data import load_dataset
from footprint.export.animation import VIDEO_FPS
from footprint.harness import ARTIFACTS
from footprint.view import default_view

from ..conftest import THEATRE

pytestmark = pytest.mark.browser

DS = load_dataset(THEATRE)
START, END = dt.date(2020, 1, 1), dt.date(2020, 10, 1)
TIMING = export.Timing(seconds=0.5, hold=1.5)
THUMB = (960, 540)


def expected_dates() -> list[dt.date]:
    """The frames' dates, from the fixture's CSV: the start, every status row in between
    (competing claims are not status changes), the end."""
    with open(THEATRE / "events.csv", encoding="utf-8") as f:
        days = {dt.date.fromisoformat(r["date"]) for r in csv.DictReader(f)
                if r["status"] and not r["alternative_to"]}  # fmt: skip
    return [START, *sorted(d for d in days if START < d < END), END]


@pytest.fixture(scope="module")
def served(tmp_path_factory, monkeypatch_module):
    """The GIF and the MP4 in a folder served on localhost (ImageDecoder wants a secure
    context), with the picture expected on each date. Pictures are drawn once per date and
    view (render is deterministic), for the two files and the expectations alike."""
    monkeypatch_module.setattr(export, "render", once_per_view(export.render))
    view = default_view(DS)
    folder = tmp_path_factory.mktemp("animation")
    for fmt in ("gif", "mp4"):
        data = export.animation(DS, view, fmt, START, END, "changes", TIMING)
        (folder / f"drawdown.{fmt}").write_bytes(data)
    (folder / "index.html").write_text(PAGE)
    pictures = [thumb(export.render(DS, replace(view, asof=d), "png", shape="16x9",
                                    theatre=False, address=""))
                for d in expected_dates()]  # fmt: skip
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", pictures
    httpd.shutdown()


def once_per_view(render):
    """render, drawing each (view, format, options) once (the dataset is the same)."""
    drawn = {}

    def cached(ds, view, fmt, *args, **kwargs):
        key = (view, fmt, args, tuple(sorted(kwargs.items())))
        if key not in drawn:
            drawn[key] = render(ds, view, fmt, *args, **kwargs)
        return drawn[key]

    return cached


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<img id="gif" src="drawdown.gif"><video id="video" src="drawdown.mp4" muted></video>
<canvas id="c" width="960" height="540"></canvas>"""

DECODE_GIF = """async () => {
  const data = await (await fetch('drawdown.gif')).arrayBuffer();
  const decoder = new ImageDecoder({data, type: 'image/gif'});
  await decoder.tracks.ready;
  const c = document.getElementById('c'), g = c.getContext('2d'), out = [];
  for (let i = 0; i < decoder.tracks.selectedTrack.frameCount; i++) {
    const {image} = await decoder.decode({frameIndex: i});
    g.drawImage(image, 0, 0, c.width, c.height);
    out.push({ms: image.duration / 1000, png: c.toDataURL('image/png')});
    image.close();
  }
  return out;
}"""

PLAY_VIDEO = """() => new Promise((resolve, reject) => {
  const v = document.getElementById('video'), c = document.getElementById('c');
  const g = c.getContext('2d'), seen = [];
  const grab = (now, meta) => {
    g.drawImage(v, 0, 0, c.width, c.height);
    seen.push({t: meta.mediaTime, png: c.toDataURL('image/png')});
    if (!v.ended) v.requestVideoFrameCallback(grab);
  };
  v.onended = () => resolve({duration: v.duration, seen});
  v.onerror = () => reject(new Error('the video did not play: ' + v.error.code));
  // The first frame as loaded, before playing: on a busy machine playback may start late
  // enough that no callback comes during its half second (one CI run saw frames 1-3 only).
  const start = () => {
    grab(0, {mediaTime: v.currentTime});
    v.play().catch(reject);
  };
  if (v.readyState >= 2) start(); else v.addEventListener('loadeddata', start, {once: true});
})"""


def thumb(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png)).convert("L").resize(THUMB, Image.Resampling.BILINEAR)
    return np.asarray(image, dtype=np.float32)


def from_url(data_url: str) -> np.ndarray:
    return thumb(base64.b64decode(data_url.split(",", 1)[1]))


def which(frame: np.ndarray, pictures: list[np.ndarray]) -> int:
    """The expected picture a decoded frame is: against every other picture, judged where the
    two differ, it is clearly the nearer (a lossy copy of one is far from the other there)."""
    for i, p in enumerate(pictures):
        if all(nearer(frame, p, q) for j, q in enumerate(pictures) if j != i):
            return i
    raise AssertionError("the frame is none of the expected pictures")


def nearer(frame: np.ndarray, p: np.ndarray, q: np.ndarray) -> bool:
    differs = np.abs(p - q) > 40
    return float(np.abs(frame - p)[differs].mean()) < float(np.abs(frame - q)[differs].mean()) / 2


def test_the_gif_runs_through_the_dates_in_order_and_holds_the_last(served, page):
    url, pictures = served
    page.goto(f"{url}/index.html")
    page.wait_for_function("() => document.getElementById('gif').complete")
    assert page.evaluate("() => document.getElementById('gif').naturalWidth") == 1920
    frames = page.evaluate(DECODE_GIF)
    assert [which(from_url(f["png"]), pictures) for f in frames] == list(range(len(pictures)))
    assert [round(f["ms"]) for f in frames] == [500] * (len(pictures) - 1) + [1500]
    assert page.external == [] and page.errors == []


def test_the_video_plays_through_the_dates_in_order_and_holds_the_last(served, page):
    url, pictures = served
    page.goto(f"{url}/index.html")
    played = page.evaluate(PLAY_VIDEO)
    n = len(pictures)
    assert played["duration"] == pytest.approx((n - 1) * 0.5 + 1.5, abs=1 / VIDEO_FPS)
    shown = [(s["t"], which(from_url(s["png"]), pictures)) for s in played["seen"]]
    order = [i for k, (_, i) in enumerate(shown) if k == 0 or shown[k - 1][1] != i]
    assert order == list(range(n))  # every date, in order, each once
    last_from = min(t for t, i in shown if i == n - 1)
    assert played["duration"] - last_from >= 1.5 - 1 / VIDEO_FPS  # the last frame holds
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "animation_video.png"))
    assert page.external == [] and page.errors == []
