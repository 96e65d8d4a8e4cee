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

`bench/load_replicas.py` (`make load-replicas`) drives the same sessions through nginx in front
of several replicas (deploy/); there a session notes its replica, and when one is killed the
sessions on it reopen their connection at the same view instead of failing.
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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.measure import BenchServer, memory_mb, peak_mb
from footprint.harness import CHROMIUM_ARGS, MAP_FRAME, chromium

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


RUN_TIMEOUT_S = 30.0  # one run; beyond this the action is an error
THINK_S = 1.0  # mean pause between two actions of one session (uniform, ±50%)
RAMP_S = 0.5  # seconds between two sessions' arrivals
LOST_WAIT_S = 10.0  # the first browser action after a reconnect: lost if nothing by then
EPOCH = dt.datetime(1970, 1, 1)


@dataclass
class Results:
    """What every session recorded."""

    latency: list[float] = field(default_factory=list)  # protocol sessions, seconds
    browser_latency: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions: int = 0  # protocol sessions whose first run finished
    browser_loaded: bool = False
    on: Counter = field(default_factory=Counter)  # protocol sessions by replica (behind nginx)
    # from, to, seconds until the new websocket was open, until the view was drawn again
    reconnects: list[tuple[str, str, float, float]] = field(default_factory=list)
    browser_reconnects: list[float] = field(default_factory=list)  # seconds without a websocket
    browser_lost: int = 0  # browser actions without effect just after a reconnect


# --- protocol sessions ------------------------------------------------------------------------


class Session:
    """One Streamlit session over the websocket, as the page's JavaScript runs it."""

    def __init__(self, ws, query: str = ""):
        self.ws = ws
        self.widgets: dict[str, object] = {}  # label -> the widget's proto (id, options...)
        self.query = query
        # Behind deploy/nginx.conf: the replica that took the websocket (else "").
        self.replica = ws.response.headers.get("X-Footprint-Replica", "")

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


async def connect(ws_url: str, query: str = "", replica: str = "") -> Session:
    """A session over a new websocket, at the view `query` holds; nothing run yet.

    `replica`: the fp_replica cookie a browser on that replica sends (deploy/nginx.conf).
    """
    headers = {"Cookie": f"fp_replica={replica}"} if replica else None
    ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                  additional_headers=headers)  # fmt: skip
    return Session(ws, query)


async def open_session(ws_url: str, query: str = "", replica: str = "") -> Session:
    """Open the page over the websocket, as a browser does, at the view `query` holds."""
    return await first_runs(await connect(ws_url, query, replica))


async def first_runs(s: Session) -> Session:
    """A new session's first run, as the page asks for it (it draws the whole page)."""
    await s.run()
    return s


async def reopen(ws_url: str, old: Session, out: Results) -> Session:
    """After the connection closed: open a new session at the same view, as the page does.

    Retries for RUN_TIMEOUT_S; records how long until the new websocket was open and until
    its first runs had drawn the view, and checks the view came back.
    """
    t0 = time.perf_counter()
    while True:
        try:
            s = await connect(ws_url, old.query, old.replica)
            break
        except (OSError, websockets.exceptions.WebSocketException):
            if time.perf_counter() - t0 > RUN_TIMEOUT_S:
                raise
            await asyncio.sleep(0.2)
    opened = time.perf_counter() - t0
    await first_runs(s)
    out.reconnects.append((old.replica, s.replica, opened, time.perf_counter() - t0))
    if s.query != old.query:
        out.errors.append(f"[{s.replica}] view not restored: {old.query!r} -> {s.query!r}")
    return s


async def protocol_session(url: str, seconds: float, out: Results, delay: float, seed: int,
                           dates: list[dt.date], think: float,
                           reconnect: bool = False, replica: str = "") -> None:  # fmt: skip
    """One person over the protocol: arrive after `delay`, open the page, act for `seconds`.

    With `reconnect`, a closed connection (its replica died) is reopened at the same view
    and the session goes on; without, it is an error. `replica`: start on that replica.
    """
    await asyncio.sleep(delay)
    rng = random.Random(seed)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    s = None
    try:
        s = await open_session(ws_url, replica=replica)
        out.sessions += 1
        out.on[s.replica] += 1
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
                out.errors.append(f"[{s.replica}] {type(e).__name__}: {str(e)[:120]}")
            except websockets.exceptions.ConnectionClosed:
                if not reconnect:
                    raise
                s = await reopen(ws_url, s, out)
            i += 1
    except Exception as e:  # noqa: BLE001 - every failure is counted and reported
        where = f"[{s.replica}] " if s else ""
        out.errors.append(f"{where}session failed: {type(e).__name__}: {str(e)[:120]}")
    finally:
        if s is not None:
            await s.ws.close()


# --- the browser session ----------------------------------------------------------------------


async def browser_action(page, i: int, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """One action in the real page; returns once the URL shows its result."""
    before = page.url
    step = i % 4
    if step in (0, 1):
        name = "Next" if step == 0 else "Previous"
        await page.get_by_role("button", name=name, exact=True).click()
    else:
        box = page.get_by_placeholder("e.g. Asad, Q-West, التاجي")
        await box.fill("a" if step == 2 else "")
        await box.press("Enter")
    await page.wait_for_function("u => location.href !== u", arg=before,
                                 timeout=timeout_s * 1000)  # fmt: skip


class Sockets:
    """The page's websockets: when one closed, and how long until the next one opened."""

    def __init__(self, page, out: Results):
        self.out, self.closed_at, self.reconnected = out, None, False
        page.on("websocket", self.opened)

    def opened(self, ws) -> None:
        if self.closed_at is not None:
            self.out.browser_reconnects.append(time.perf_counter() - self.closed_at)
            self.closed_at, self.reconnected = None, True
        ws.on("close", lambda _: setattr(self, "closed_at", time.perf_counter()))


async def browser_session(url: str, seconds: float, out: Results, replica: str = "") -> None:
    """One person in Chromium, acting for `seconds` while the protocol sessions run.

    `replica`: start the browser on that replica (its fp_replica cookie, deploy/nginx.conf).
    Streamlit gives a page that reconnects a new session with its first action, and that
    action's own effect is lost (README, *Restarts*): such an action is counted apart.
    """
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        if replica:
            await context.add_cookies([{"name": "fp_replica", "value": replica, "url": url}])
        page = await context.new_page()
        page.on("pageerror", lambda e: out.errors.append(f"page error: {e}"))
        sockets = Sockets(page, out)
        try:
            await page.goto(url, wait_until="commit", timeout=120_000)
            await page.wait_for_selector(MAP_FRAME, timeout=120_000)
            out.browser_loaded = True
            deadline, i = time.monotonic() + seconds, 0
            while time.monotonic() < deadline:
                await asyncio.sleep(1.0)
                after_reconnect, sockets.reconnected = sockets.reconnected, False
                t0 = time.perf_counter()
                try:
                    await browser_action(page, i, LOST_WAIT_S if after_reconnect else RUN_TIMEOUT_S)
                    out.browser_latency.append(time.perf_counter() - t0)
                except Exception as e:  # noqa: BLE001
                    if after_reconnect or sockets.reconnected or sockets.closed_at is not None:
                        out.browser_lost += 1  # cut by the reconnect, or the first one after it
                    else:
                        out.errors.append(f"browser: {type(e).__name__}: {str(e)[:120]}")
                i += 1
            shown = await page.locator("[data-testid=stException]").count()
            out.errors += ["Streamlit exception on the page"] * shown
        except Exception as e:  # noqa: BLE001
            out.errors.append(f"browser session failed: {type(e).__name__}: {str(e)[:120]}")
        finally:
            await browser.close()


async def drive(args, url: str, dates: list[dt.date], replica: str = "", fault=None) -> Results:
    """Every protocol session and the browser session, concurrently.

    `replica`: the browser's replica (behind nginx). `fault`: a coroutine run alongside (it
    kills a replica); the sessions then reopen a closed connection instead of failing.
    """
    out = Results()
    await asyncio.gather(
        browser_session(url, args.seconds, out, replica),
        *(protocol_session(url, args.seconds, out, RAMP_S * (k + 1), k, dates, args.think,
                           reconnect=fault is not None)
          for k in range(args.sessions)),
        *([fault] if fault is not None else []),
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

    dates = load_dataset(args.data).change_dates()
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
