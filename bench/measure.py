"""Measurements of one Streamlit map page in headless Chromium: load, as-of and filter change.

A page "shows" a state when its map in the streamlit-folium iframe draws exactly the expected
markers. The dashboard's map is read through the contract its browser tests use: `.fp-site`
DOM markers with `data-site-id` / `data-status` (hidden ones have an empty status or
display: none) or, when it draws on canvas, the layers of `window.footprintSites` with
`feature.properties.site_id` / `.status` ('' when hidden); drawn sites are counted by status,
plus one probe site. The canvas pages (naive, floor) are read as Leaflet CircleMarker layers
on `window.map`, counted by colour. Timings run from the navigation or the key press / click
until the map shows the new state, both read from the browser's clock (navigation start or
the input event's timestamp, and the in-page check that first sees the state), so the time
Playwright takes to send the action and to report back is not counted. Websocket frames are
recorded and decoded (Streamlit's protobuf messages) to count bytes and reruns; server CPU and
peak memory come from /proc.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from footprint.harness import Server, data_env, free_port, streamlit_command

ROOT = Path(__file__).resolve().parents[1]

TIMEOUT_S = 120  # one load or change; beyond this the figure is reported as "timeout"
QUIET_S = 1.0  # settled: every rerun finished, no frame and the map unchanged for this long
# (st_folium reports a new map's bounds 250 ms after it is ready, which can cost a rerun)
SETTLE_MAX_S = 60
VIEWPORT = {"width": 1600, "height": 1200}
FRAME_CHECK_UP_TO = 1000  # sites: a map of up to this many is checked on every animation frame
POLL_MS = (10, 100)  # a larger map: every 10 ms, up to every 100 ms for the largest
CANVAS_COLOURS = {"planned": "#6a51a3", "retained": "#1f4e79", "handed_over": "#d95f02"}
# ^ the colours naive_app.py draws each status in (floor_app.py draws one "#1f4e79" marker)

APP_SHOWS = """(want) => {
  // Sites drawn, counted by status: DOM markers (.fp-site with a non-empty data-status; hidden
  // ones have an empty one) or, when the app draws on canvas, the layers of
  // window.footprintSites (feature.properties.status, '' when hidden).
  const got = {};
  let total = 0, probe;
  const dom = document.getElementsByClassName("fp-site");
  if (dom.length) {
    if (dom.length < want.total) return false;  // cheap early exit while markers are added
    for (let i = 0; i < dom.length; i++) {
      const s = dom[i].getAttribute("data-status");
      if (s) { got[s] = (got[s] || 0) + 1; total += 1; }
    }
    if (want.probe) {
      const e = document.querySelector(`.fp-site[data-site-id="${want.probe[0]}"]`);
      probe = (e && e.getAttribute("data-status")) || null;
    }
  } else if (window.footprintSites && window.footprintSites.eachLayer) {
    window.footprintSites.eachLayer((layer) => {
      const p = layer.feature && layer.feature.properties;
      if (p && p.status) { got[p.status] = (got[p.status] || 0) + 1; total += 1; }
      if (want.probe && p && p.site_id === want.probe[0]) probe = p.status || null;
    });
  }
  if (total !== want.total) return false;
  if (!Object.entries(want.counts).every(([k, n]) => got[k] === n)) return false;
  return !want.probe || probe === want.probe[1];
}"""

CANVAS_SHOWS = """(want) => {
  if (!window.L || !window.map || !window.map._layers) return false;
  const got = {};
  let total = 0;
  for (const layer of Object.values(window.map._layers)) {
    if (layer instanceof L.CircleMarker) {
      total += 1;
      got[layer.options.color] = (got[layer.options.color] || 0) + 1;
    }
  }
  if (total !== want.total) return false;
  return Object.entries(want.counts).every(([k, n]) => got[k] === n);
}"""


@dataclass(frozen=True)
class Want:
    """What the map draws once settled: marker counts by key, and optionally one probe site."""

    counts: dict[str, int]
    probe: tuple[str, str | None] | None = None

    def js(self) -> dict:
        """The argument the in-page predicate receives."""
        return {"counts": self.counts, "total": sum(self.counts.values()), "probe": self.probe}


@dataclass(frozen=True)
class Page:
    """A kind of page under test: how to tell what its map shows, and that all of it is drawn."""

    name: str
    shows: str  # APP_SHOWS or CANVAS_SHOWS
    complete: tuple[str, ...] = ()  # CSS selectors, all present once every control is drawn


@dataclass
class Sample:
    """One measured load or change. seconds is None when it timed out."""

    seconds: float | None
    bytes_in: int = 0
    reruns: int = 0
    request_s: float | None = None  # until the page asked the server for a rerun
    cpu_s: float = 0.0
    kept_map: bool | None = None
    complete_s: float | None = None  # a load: until the whole page (controls too) is drawn


@dataclass
class Figures:
    """Every sample of one page on one dataset, summarised by medians."""

    samples: dict[str, list[Sample]] = field(default_factory=dict)
    peak_mb: float | None = None

    def add(self, what: str, sample: Sample) -> None:
        """Record a sample of measurement `what` (cold, warm, asof, filter)."""
        self.samples.setdefault(what, []).append(sample)

    def timed_out(self, what: str) -> bool:
        """Whether some sample of `what` timed out (its repeats are then skipped)."""
        return any(s.seconds is None for s in self.samples.get(what, []))

    def median(self, what: str, attr: str = "seconds") -> float | None:
        """Median of one attribute over the samples; a timeout counts as infinitely slow."""
        xs = self.samples.get(what, [])
        if not xs:
            return None
        if attr == "seconds":
            return statistics.median(float("inf") if s.seconds is None else s.seconds for s in xs)
        done = [getattr(s, attr) for s in xs if s.seconds is not None]
        done = [x for x in done if x is not None]
        return statistics.median(done) if done else None

    def kept_map(self, what: str) -> bool | None:
        """True if the Leaflet map survived every change of this kind."""
        kept = [s.kept_map for s in self.samples.get(what, []) if s.kept_map is not None]
        return all(kept) if kept else None


# --- servers ---------------------------------------------------------------------------------


class BenchServer(Server):
    """tests/browser's Server for any script; output goes to a log file, never a full pipe."""

    def __init__(self, script: Path, data_dir: Path, log: Path, cwd: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = streamlit_command(script, self.port, "--server.enableStaticServing", "true",
                                "--server.fileWatcherType", "none")  # fmt: skip
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=cwd, env=data_env(data_dir), stdout=out, stderr=out
            )
        self.proc.stderr = open(log, "rb")  # noqa: SIM115 (Server.wait_healthy reads it on exit)
        self.peak_mb: float | None = None
        self.wait_healthy()

    def stop(self) -> None:
        """Note the peak memory, then stop the server."""
        if self.proc.poll() is None:
            self.peak_mb = peak_mb(self.proc.pid)
        super().stop()
        self.proc.stderr.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_servers_idle(pids: list[int], wait_ms, timeout: float = 3 * SETTLE_MAX_S) -> bool:
    """Wait until the servers use under a tenth of a core (a closed tab's script may still run).

    Servers run side by side on few cores, so one page's leftover work would slow the next
    measurement of another. `wait_ms` pauses without blocking the browser driver.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(pid) for pid in pids)
        wait_ms(500)
        if sum(cpu_seconds(pid) for pid in pids) - before < 0.05:
            return True
    return False


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo."""
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "?")


def memory_gb() -> float:
    """The machine's memory (MemTotal) in GB."""
    lines = Path("/proc/meminfo").read_text().splitlines()
    return int(next(ln.split()[1] for ln in lines if ln.startswith("MemTotal:"))) / 2**20


def load_average() -> float:
    """The 1-minute load average: other work on the machine skews every figure."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def revision(repo: Path, *paths: str) -> str:
    """The short commit of `repo`, flagged when `paths` (default: every tracked file) have
    uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", *paths).strip()
    return git("rev-parse", "--short", "HEAD").strip() + (" + uncommitted changes" if dirty else "")


def peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process in MB."""
    return memory_mb(pid, "VmHWM")


def memory_mb(pid: int, field: str) -> float:
    """One memory figure of /proc/<pid>/status (VmRSS now, VmHWM the peak) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


# --- the websocket ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One websocket message: when, which way, its size and its Streamlit message type."""

    at: float
    sent: bool
    size: int
    kind: str


class Wire:
    """Records every websocket frame of a page, decoded as Streamlit Forward/BackMsg."""

    def __init__(self, page):
        self.frames: list[Frame] = []
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framereceived", lambda payload: self._add(payload, sent=False))
        ws.on("framesent", lambda payload: self._add(payload, sent=True))

    def _add(self, payload: str | bytes, sent: bool) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.frames.append(Frame(time.perf_counter(), sent, len(data), message_type(data, sent)))

    def since(self, t0: float) -> list[Frame]:
        """Frames from time t0 on."""
        return [f for f in self.frames if f.at >= t0]

    def settled(self, t0: float, shown: float) -> bool:
        """Every rerun asked for since t0 has finished, and nothing happened for a while."""
        frames = self.since(t0)
        reruns = sum(f.kind == "rerun_script" for f in frames)
        finished = sum(f.kind == "script_finished" for f in frames)
        last = max([shown, *(f.at for f in frames[-1:])])
        return finished >= max(reruns, 1) and time.perf_counter() - last >= QUIET_S


def message_type(data: bytes, sent: bool) -> str:
    """The Streamlit message type of a frame (BackMsg if sent by the page, else ForwardMsg)."""
    try:
        return (BackMsg if sent else ForwardMsg).FromString(data).WhichOneof("type") or ""
    except Exception:  # noqa: BLE001 (not a Streamlit message: counted, not typed)
        return "?"


# --- one page --------------------------------------------------------------------------------


def map_frame_now(page):
    """The streamlit-folium iframe if it is attached now, else None (never waits)."""
    return next((f for f in page.frames if "streamlit_folium" in f.url), None)


def polling(want: Want) -> str | int:
    """How the map is checked: on every animation frame up to FRAME_CHECK_UP_TO sites, else on
    a timer.

    A check on an animation frame runs just before the browser paints, so it sees the sites in
    the frame that first shows them. A timer's check waits behind the tasks the page has queued:
    on the dashboard, whose basemap is drawn right after its sites, the sites were painted about
    130 ms before a 5 ms timer's check saw them (marks in the map's frame, 12 warm loads).
    Larger maps are checked every 10 ms, up to every 100 ms at 10,000 sites: a check of 10,000
    DOM markers takes 2-3 ms, and a check on every frame forces the page to render frames, which
    at that size cost far more than the check (an as-of change took 40 s vs 22 s).
    """
    n = sum(want.counts.values())
    return "raf" if n <= FRAME_CHECK_UP_TO else min(POLL_MS[1], max(POLL_MS[0], n // 100))


def stamped(shows: str) -> str:
    """A page's check that returns the browser's clock (ms since the epoch) once it passes."""
    return f"(want) => ({shows})(want) && performance.timeOrigin + performance.now()"


INPUT_CLOCK = """() => {
  // The browser's clock at the next key press or click: when the person acted.
  window.__benchInput = null;
  if (window.__benchListening) return;
  window.__benchListening = true;
  const note = (e) => {
    if (window.__benchInput === null) window.__benchInput = performance.timeOrigin + e.timeStamp;
  };
  for (const type of ["keydown", "pointerdown", "mousedown"]) {
    window.addEventListener(type, note, {capture: true});
  }
}"""


def wait_shows(page, kind: Page, want: Want, timeout: float = TIMEOUT_S) -> float | None:
    """Wait until the map draws `want`, following the iframe if it is re-mounted.

    Returns the browser's clock (ms since the epoch) at the check that first saw it, or None
    on a timeout.
    """
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        frame = map_frame_now(page)
        if frame is None:
            page.wait_for_timeout(10)
            continue
        try:
            seen = frame.wait_for_function(
                stamped(kind.shows), arg=want.js(), polling=polling(want), timeout=left * 1000
            )
            return float(seen.json_value())
        except PlaywrightTimeoutError:
            return None
        except PlaywrightError:  # the iframe went away mid-wait (re-mount): find the new one
            page.wait_for_timeout(10)
    return None


def settle(page, wire: Wire, t0: float, shown: float) -> None:
    """Let follow-up reruns finish (e.g. st_folium reporting the map's bounds), bounded."""
    deadline = time.monotonic() + SETTLE_MAX_S
    while not wire.settled(t0, shown) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


IDLE = """(timeout) => new Promise((resolve) => {
  let calm = 0;
  const start = performance.now();
  const tick = (deadline) => {
    calm = deadline.timeRemaining() >= 40 ? calm + 1 : 0;
    if (calm >= 3 || performance.now() - start > timeout) resolve(calm >= 3);
    else requestIdleCallback(tick);
  };
  requestIdleCallback(tick);
})"""


def wait_idle(page, timeout: float = SETTLE_MAX_S) -> bool:
    """Wait until the page's main thread (which the map iframe shares) is idle, bounded."""
    return page.evaluate(IDLE, timeout * 1000)


def measured(page, wire: Wire, pid: int, kind: Page, want: Want, act, start: str) -> Sample:
    """Run act(), time it until the map shows `want`, then count bytes, reruns and CPU.

    `start` is the in-page expression of when the action began on the browser's clock.
    """
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    act()
    seen = wait_shows(page, kind, want)
    if seen is None:
        return Sample(None)
    shown = time.perf_counter()
    began = page.evaluate(start)
    if began is None:
        raise RuntimeError(f"the page did not see the action ({start} is null)")
    seconds = (seen - began) / 1000
    settle(page, wire, t0, shown)
    frames = wire.since(t0)
    asked = [f.at - t0 for f in frames if f.kind == "rerun_script"]
    return Sample(
        seconds=seconds,
        bytes_in=sum(f.size for f in frames if not f.sent),
        reruns=len(asked),
        request_s=asked[0] if asked else None,
        cpu_s=cpu_seconds(pid) - cpu0,
    )


COMPLETE_CLOCK = """(selectors) => {
  // The browser's clock when every one of the page's controls is first in the document.
  if (window !== window.top) return;
  const tick = () => {
    if (selectors.every((s) => document.querySelector(s))) {
      window.__benchComplete = performance.timeOrigin + performance.now();
    } else {
      setTimeout(tick, 10);
    }
  };
  tick();
}"""


def complete_clock(selectors: tuple[str, ...]) -> str:
    """COMPLETE_CLOCK as a script for every new document of a page."""
    return f"({COMPLETE_CLOCK})({json.dumps(selectors)});"


def visit(context, server: BenchServer, kind: Page, want: Want, idle_pids: list[int]):
    """Open the page in a new tab and measure until every expected marker is drawn, and
    until every control is (the dashboard draws its controls after the map)."""
    page = context.new_page()
    if kind.complete:
        page.add_init_script(complete_clock(kind.complete))
    wire = Wire(page)
    wait_servers_idle(idle_pids, page.wait_for_timeout)

    def go():
        page.goto(server.url, wait_until="commit")

    sample = measured(page, wire, server.proc.pid, kind, want, go, "performance.timeOrigin")
    if sample.seconds is not None:
        sample.complete_s = sample.seconds
        if kind.complete:
            done = page.wait_for_function("() => window.__benchComplete", timeout=TIMEOUT_S * 1000)
            origin = page.evaluate("performance.timeOrigin")
            sample.complete_s = max(sample.seconds, (done.json_value() - origin) / 1000)
    return page, wire, sample


def change(page, wire, server: BenchServer, kind: Page, want: Want, prepare, idle_pids) -> Sample:
    """Measure one interaction once page and servers are idle, and whether the map survived it.

    prepare(page) gets the widget ready (focus, position) and returns the action to time.
    """
    wait_servers_idle(idle_pids, page.wait_for_timeout)
    wait_idle(page)  # a person acts on a page that has finished drawing
    act = prepare(page)
    map_frame_now(page).evaluate("() => { window.map.__benchMark = 1; }")
    page.evaluate(INPUT_CLOCK)
    sample = measured(page, wire, server.proc.pid, kind, want, act, "window.__benchInput")
    if sample.seconds is not None:
        frame = map_frame_now(page)
        sample.kept_map = bool(frame and frame.evaluate("() => window.map?.__benchMark === 1"))
    return sample


def asof_to_end(page):
    """Focus the as-of slider; the action presses End (jump to the last date)."""
    thumb = page.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").first
    thumb.focus()
    return lambda: page.keyboard.press("End")


def drop_status(page, label: str):
    """Find the control that takes one status off the map; the action clicks it.

    That is the tag's remove button in a Status multiselect (the naive page) or the status's
    pill (the dashboard).
    """
    tag = page.get_by_role("button", name=f"Remove {label}", exact=True)
    pill = page.locator("[data-testid=stSidebar]").get_by_role("button", name=label, exact=True)
    button = tag.first if tag.count() else pill.first
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return lambda: page.mouse.click(x, y)


def machine(packages: tuple[str, ...]) -> list[str]:
    """Date, machine (the CPUs this process may use, as `nproc` counts them) and the versions
    of Python and `packages`, as Markdown list items: the head of every bench report."""
    import datetime as dt
    import platform
    from importlib.metadata import version

    listed = ", ".join(f"{p} {version(p)}" for p in packages)
    return [
        f"- date: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {len(os.sched_getaffinity(0))} CPUs ({cpu_model()}), {memory_gb():.1f} GB"
        f" memory, {platform.system()}",
        f"- versions: Python {platform.python_version()}, {listed}",
    ]
