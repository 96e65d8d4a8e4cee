"""Where a server's CPU goes per action: `python -m bench.profile_server` (needs py-spy).

Starts the app on the real data (or --data), opens it in Chromium, steps the as-of date with
Next and Previous once through to warm the caches, then records the server with py-spy while
it keeps clicking (one click every 0.6 s, each a rerun) and prints the server's CPU seconds per
action and the functions that took the most samples, with and without what they call. Found
with it (bench/server-work.md): a full garbage collection after every run (Streamlit's
runner.postScriptGC) took half the server's CPU.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.measure import cpu_seconds
from footprint.harness import ROOT, Server, launch, open_app

PAUSE_MS = 600  # between two clicks: each click's rerun is over well before the next


def click(page, n: int) -> None:
    """The n-th click: 15 on Next, then 15 on Previous, and so on."""
    name = "Next" if (n // 15) % 2 == 0 else "Previous"
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_timeout(PAUSE_MS)


def record(data: Path, seconds: float, raw: Path) -> tuple[int, float]:
    """Clicks for `seconds` under py-spy; the number of clicks and the server's CPU seconds."""
    server = Server(data)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_app(page, f"{server.url}/?asof={START}")
            for n in range(30):
                click(page, n)
            spy = subprocess.Popen(  # noqa: S603 - our own arguments
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                 str(server.proc.pid), "--rate", "200", "--format", "raw", "--nonblocking",
                 "--output", str(raw), "--duration", str(int(seconds) + 4)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            cpu0, n, t0 = cpu_seconds(server.proc.pid), 0, time.monotonic()
            while time.monotonic() - t0 < seconds:
                click(page, n)
                n += 1
            cpu = cpu_seconds(server.proc.pid) - cpu0
            spy.wait()
            browser.close()
        return n, cpu
    finally:
        server.stop()


def frame_name(frame: str) -> str:
    """'function (file)' from py-spy's 'function (path/file.py:line)'."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].rsplit('/', 1)[-1]})" if where else name


def top(raw: Path, n: int) -> list[str]:
    """The functions with the most samples: inclusive (with what they call) and own."""
    total, inclusive, own = 0, collections.Counter(), collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = [frame_name(f) for f in stack.split(";")]
        total += int(count)
        for name in set(frames):
            inclusive[name] += int(count)
        own[frames[-1]] += int(count)
    rows = [f"{total} samples", "", "with what they call:"]
    rows += [f"{c / total:6.1%}  {name}" for name, c in inclusive.most_common(n)]
    rows += ["", "own (a native call, such as the garbage collector, shows as its caller):"]
    rows += [f"{c / total:6.1%}  {name}" for name, c in own.most_common(n)]
    return rows


START = "2016-01-01"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=ROOT / "data")
    p.add_argument("--seconds", type=float, default=36)
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "server.txt"
        n, cpu = record(args.data, args.seconds, raw)
        print(f"{n} actions, server CPU {cpu:.2f} s, {cpu / n:.3f} s per action")
        print("\n".join(top(raw, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
