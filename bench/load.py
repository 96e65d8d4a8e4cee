"""`make load`: many people on one dashboard at once.

Starts the real app on the real data and drives N concurrent browser sessions (one Chromium,
one context each) for a fixed time. Each session repeats: next status change, previous status
change, search "a", clear the search; an action is done when the address bar shows the new
view (the page writes it at the end of each run). Reports errors (timeouts, page errors,
Streamlit exceptions on the page), latency p50/p95, and the server's memory before and after.
Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))  # tests.browser.conftest: the same Chromium flags as the tests

from measure import BenchServer, peak_mb  # noqa: E402

from tests.browser.conftest import CHROMIUM_ARGS, MAP_FRAME  # noqa: E402

ACTION_TIMEOUT_MS = 30_000
RAMP_S = 1.0  # seconds between two sessions' arrivals


def rss_mb(pid: int) -> float:
    """Current resident memory (VmRSS) of a process in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def act(page, i: int) -> None:
    """One user action; returns once the URL shows its result."""
    before = page.url
    step = i % 4
    if step in (0, 1):
        await page.get_by_role("button", name="Next ▶" if step == 0 else "◀ Previous").click()
    else:
        box = page.get_by_placeholder("e.g. Asad, Q-West, التاجي")
        await box.fill("a" if step == 2 else "")
        await box.press("Enter")
    await page.wait_for_function("u => location.href !== u", arg=before, timeout=ACTION_TIMEOUT_MS)


async def session(browser, url: str, seconds: float, out: dict, delay: float) -> None:
    """One person: arrive after `delay` seconds, open the page, then act for `seconds`."""
    await asyncio.sleep(delay)  # people arrive over a short ramp, not in the same millisecond
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda e: out["errors"].append(f"page error: {e}"))
    try:
        await page.goto(url, wait_until="commit", timeout=120_000)
        await page.wait_for_selector(MAP_FRAME, timeout=120_000)
        out["loads"].append(1)
        deadline, i = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                await act(page, i)
                out["latency"].append(time.perf_counter() - t0)
            except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                out["errors"].append(f"{type(e).__name__}: {str(e)[:120]}")
            i += 1
        shown = await page.locator("[data-testid=stException]").count()
        out["errors"] += ["Streamlit exception on the page"] * shown
    except Exception as e:  # noqa: BLE001
        out["errors"].append(f"session failed: {type(e).__name__}: {str(e)[:120]}")
    finally:
        await context.close()


async def run(sessions: int, seconds: float, server: BenchServer) -> dict:
    """Drive the sessions concurrently; return latencies and errors."""
    out = {"latency": [], "errors": [], "loads": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        await asyncio.gather(
            *(session(browser, server.url, seconds, out, RAMP_S * i) for i in range(sessions))
        )
        await browser.close()
    return out


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        raise SystemExit("Debian's chromium is not installed: run scripts/install-debian.sh --test")
    return exe


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))]


def report(args, out: dict, before: float, after: float, peak: float, took: float) -> str:
    """The results as Markdown."""
    lat = out["latency"]
    lines = [
        f"# Load test ({dt.date.today()})",
        "",
        f"{args.sessions} concurrent browser sessions, each acting for {args.seconds:.0f} s, "
        f"against one server on the real data (`bench/load.py`, {took:.0f} s wall time).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| sessions that loaded the page | {len(out['loads'])} of {args.sessions} |",
        f"| actions completed | {len(lat)} |",
        f"| errors | {len(out['errors'])} |",
        f"| latency p50 | {statistics.median(lat):.2f} s |" if lat else "| latency p50 | — |",
        f"| latency p95 | {percentile(lat, 95):.2f} s |" if lat else "| latency p95 | — |",
        f"| server memory before / after | {before:.0f} MB / {after:.0f} MB |",
        f"| server peak memory | {peak:.0f} MB |",
    ]
    if out["errors"]:
        lines += ["", "Errors (first 10):", *[f"- {e}" for e in out["errors"][:10]]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit 1 on any error, or if nothing was measured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=BENCH / "load-results.md")
    args = parser.parse_args(argv)
    server = BenchServer(ROOT / "app.py", ROOT / "data", BENCH / "out" / "load-server.log")
    try:
        before = rss_mb(server.proc.pid)
        t0 = time.monotonic()
        out = asyncio.run(run(args.sessions, args.seconds, server))
        took = time.monotonic() - t0
        after, peak = rss_mb(server.proc.pid), peak_mb(server.proc.pid)
    finally:
        server.stop()
    text = report(args, out, before, after, peak, took)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if out["errors"] or not out["latency"] else 0


if __name__ == "__main__":
    sys.exit(main())
