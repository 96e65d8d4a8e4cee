"""`make load`: many people on one dashboard at once.

Starts the real app on the real data and, for a fixed time, drives:

- N **sessions** (default 20) that speak Streamlit's own websocket protocol, as the page does:
  each opens a session, then repeats an action (move the *As of* slider to another date, take
  *Handed over* out of the *Status* filter or put it back, search for "a" or clear it) with a
  pause of `--think` seconds on average between actions (1 s: someone scrubbing through
  dates; 5 s: someone reading what each date shows). An action is done when
  the server has finished the run it caused; it is correct when the address the server then
  sets for the page shows the new date (the page writes the view into the URL each run).
- one **browser** session in Chromium alongside them: the same kind of actions through the
  real page (Next, Previous, search), done when the address bar shows the new view. This is
  what one person sees while the others use the server.

A browser page costs its own machine about a second of CPU to draw; twenty of them on this
machine's cores would measure the test's browsers, not the server, so the other nineteen are
protocol sessions (the same messages, no drawing).

Errors: a run that raises (an exception element), a run that does not finish within 30 s, a
closed connection, a wrong address after an action, a page error in the browser. Reports
p50/p95 latency of both kinds, and the server's memory before, after and at its peak.
Everything runs on 127.0.0.1 and stops by itself. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))  # tests.harness: the same Chromium flags as the tests

from measure import BenchServer, memory_mb, peak_mb  # noqa: E402

from tests.harness import CHROMIUM_ARGS, MAP_FRAME, chromium  # noqa: E402

RUN_TIMEOUT_S = 30.0  # one run; beyond this the action is an error
THINK_S = 1.0  # mean pause between two actions of one session (uniform, ±50%)
RAMP_S = 0.5  # seconds between two sessions' arrivals
EPOCH = dt.datetime(1970, 1, 1)


@dataclass
class Results:
    """What every session recorded."""

    latency: list[float] = field(default_factory=list)  # protocol sessions, seconds
    browser_latency: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions: int = 0  # protocol sessions whose first run finished
    browser_loaded: bool = False


# --- protocol sessions ------------------------------------------------------------------------


class Session:
    """One Streamlit session over the websocket, as the page's JavaScript runs it."""

    def __init__(self, ws):
        self.ws = ws
        self.widgets: dict[str, object] = {}  # label -> the widget's proto (id, options...)
        self.query = ""

    async def run(self, widget=None) -> float:
        """Ask for a rerun (with one changed widget state); wait until it finished.

        Returns the seconds it took; raises RuntimeError on an exception in the run.
        """
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        if widget is not None:
            msg.rerun_script.widget_states.widgets.append(widget)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                name = element.WhichOneof("type")
                if name == "exception":
                    raise RuntimeError(f"exception in the run: {element.exception.message[:120]}")
                proto = getattr(element, name)
                if hasattr(proto, "label") and hasattr(proto, "id"):
                    self.widgets[proto.label] = proto
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue
                if status != "FINISHED_SUCCESSFULLY":
                    raise RuntimeError(f"run ended with {status}")
                return time.perf_counter() - t0

    def state(self, label: str):
        """A WidgetState for the widget with this label."""
        return WidgetState(id=self.widgets[label].id)


def micros(day: dt.date) -> float:
    """A date as Streamlit's date slider sends it: microseconds since 1970, midnight UTC."""
    return (dt.datetime.combine(day, dt.time()) - EPOCH) / dt.timedelta(microseconds=1)


def action(s: Session, i: int, dates: list[dt.date], rng: random.Random):
    """The i-th action of a session: (widget state to send, what the URL must then say)."""
    step = i % 4
    if step in (0, 1):  # move the as-of slider to a date where something changed
        day = rng.choice(dates)
        state = s.state("As of")
        state.double_array_value.data[:] = [micros(day)]
        return state, ("asof", day.isoformat())
    if step == 2:  # filter: all statuses but Handed over, or back to all
        drop = i % 8 == 2
        state = s.state("Status")
        options = [o.content for o in s.widgets["Status"].options]  # pills: labels as sent
        state.string_array_value.data[:] = [o for o in options if not (drop and o == "Handed over")]
        return state, None
    state = s.state("Search name or alias")
    state.string_value = "a" if i % 8 == 3 else ""
    return state, ("q", "a") if i % 8 == 3 else None


async def protocol_session(url: str, seconds: float, out: Results, delay: float, seed: int,
                           dates: list[dt.date], think: float) -> None:  # fmt: skip
    """One person over the protocol: arrive after `delay`, open the page, act for `seconds`."""
    await asyncio.sleep(delay)
    rng = random.Random(seed)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
            s = Session(ws)
            await s.run()  # the first run draws the whole page
            out.sessions += 1
            deadline, i = time.monotonic() + seconds, 0
            while time.monotonic() < deadline:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
                state, expect = action(s, i, dates, rng)
                try:
                    out.latency.append(await s.run(state))
                    query = dict(urllib.parse.parse_qsl(s.query))
                    if expect and query.get(expect[0]) != expect[1]:
                        out.errors.append(f"after setting {expect}, the address says {s.query!r}")
                except (RuntimeError, TimeoutError) as e:
                    out.errors.append(f"{type(e).__name__}: {str(e)[:120]}")
                i += 1
    except Exception as e:  # noqa: BLE001 - every failure is counted and reported
        out.errors.append(f"session failed: {type(e).__name__}: {str(e)[:120]}")


# --- the browser session ----------------------------------------------------------------------


async def browser_action(page, i: int) -> None:
    """One action in the real page; returns once the URL shows its result."""
    before = page.url
    step = i % 4
    if step in (0, 1):
        await page.get_by_role("button", name="Next ▶" if step == 0 else "◀ Previous").click()
    else:
        box = page.get_by_placeholder("e.g. Asad, Q-West, التاجي")
        await box.fill("a" if step == 2 else "")
        await box.press("Enter")
    await page.wait_for_function("u => location.href !== u", arg=before,
                                 timeout=RUN_TIMEOUT_S * 1000)  # fmt: skip


async def browser_session(url: str, seconds: float, out: Results) -> None:
    """One person in Chromium, acting for `seconds` while the protocol sessions run."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda e: out.errors.append(f"page error: {e}"))
        try:
            await page.goto(url, wait_until="commit", timeout=120_000)
            await page.wait_for_selector(MAP_FRAME, timeout=120_000)
            out.browser_loaded = True
            deadline, i = time.monotonic() + seconds, 0
            while time.monotonic() < deadline:
                await asyncio.sleep(1.0)
                t0 = time.perf_counter()
                try:
                    await browser_action(page, i)
                    out.browser_latency.append(time.perf_counter() - t0)
                except Exception as e:  # noqa: BLE001
                    out.errors.append(f"browser: {type(e).__name__}: {str(e)[:120]}")
                i += 1
            shown = await page.locator("[data-testid=stException]").count()
            out.errors += ["Streamlit exception on the page"] * shown
        except Exception as e:  # noqa: BLE001
            out.errors.append(f"browser session failed: {type(e).__name__}: {str(e)[:120]}")
        finally:
            await browser.close()


async def drive(args, url: str, dates: list[dt.date]) -> Results:
    """Every protocol session and the browser session, concurrently."""
    out = Results()
    await asyncio.gather(
        browser_session(url, args.seconds, out),
        *(protocol_session(url, args.seconds, out, RAMP_S * (k + 1), k, dates, args.think)
          for k in range(args.sessions)),
    )  # fmt: skip
    return out


# --- the report -------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), percentile([3.0], 50)
    (10, 3.0)
    """
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))]


def _p(values: list[float], q: float) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values) if q == 50 else percentile(values, q):.2f} s"


def report(args, out: Results, memory: tuple[float, float, float], took: float) -> str:
    """The results as Markdown."""
    before, after, peak = memory
    lines = [
        f"# Load test ({dt.datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"{args.sessions} protocol sessions (one action every {args.think:g} s on average) and 1 "
        f"browser session on one server with the real data, each acting for {args.seconds:.0f} s "
        f"(`bench/load.py --think {args.think:g}`, {took:.0f} s wall time, load average "
        f"{Path('/proc/loadavg').read_text().split()[0]} at the end).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| protocol sessions that opened the page | {out.sessions} of {args.sessions} |",
        f"| protocol actions completed | {len(out.latency)} |",
        f"| protocol action latency p50 / p95 | {_p(out.latency, 50)} / {_p(out.latency, 95)} |",
        f"| browser session loaded the page | {'yes' if out.browser_loaded else 'no'} |",
        f"| browser actions completed | {len(out.browser_latency)} |",
        f"| browser action latency p50 / p95 | {_p(out.browser_latency, 50)} / "
        f"{_p(out.browser_latency, 95)} |",
        f"| errors | {len(out.errors)} |",
        f"| server memory before / after | {before:.0f} MB / {after:.0f} MB |",
        f"| server peak memory | {peak:.0f} MB |",
    ]
    if out.errors:
        lines += ["", "Errors (first 10):", *[f"- {e}" for e in out.errors[:10]]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit 1 on any error, or if nothing was measured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="protocol sessions")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=THINK_S,
                        help="mean seconds between two actions of a protocol session")  # fmt: skip
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=BENCH / "load-results.md")
    args = parser.parse_args(argv)

    from footprint.data import load_dataset
    from footprint.timeline import change_dates

    dates = change_dates(load_dataset(args.data).events)
    server = BenchServer(ROOT / "app.py", args.data, BENCH / "out" / "load-server.log")
    try:
        before = memory_mb(server.proc.pid, "VmRSS")
        t0 = time.monotonic()
        out = asyncio.run(drive(args, server.url, dates))
        took = time.monotonic() - t0
        memory = (before, memory_mb(server.proc.pid, "VmRSS"), peak_mb(server.proc.pid))
    finally:
        server.stop()
    text = report(args, out, memory, took)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    ok = out.latency and out.browser_latency and out.sessions == args.sessions
    return 1 if out.errors or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
