"""`make load-replicas`: `make load` through nginx, with 1 and with 2 replicas, in one run.

Each pass starts `deploy/serve.py` (what `make serve` runs) with the real data and drives it
through nginx exactly as `bench/load.py` drives one server: 20 protocol sessions acting once a
second on average and one Chromium page acting once a second, for 60 s. The passes:

1. 1 replica behind nginx;
2. 2 replicas behind nginx;
3. 2 replicas (--kill-with), and replica r1 is killed (SIGKILL) --kill-at seconds in. The
   browser starts on r1. Sessions whose connection closes reopen it at the same view, as the
   page does; deploy/serve.py starts r1 again. Reported apart from errors: the reconnects and
   their times, browser actions lost to the reconnect, when serve.py took r1 out of nginx's
   rotation and back, and the requests nginx still tried on r1 (from its access log).

Before each pass the run waits (at most --wait-quiet seconds, 300 by default) until the
machine's 1-minute load average is under 1, so that a pass does not start in the previous
pass's wake or in someone else's test run, and records it. Also recorded per replica: memory
before / after / peak and CPU seconds during the pass; nginx's memory and CPU; how busy the
whole machine was. Writes a Markdown table, one column per pass, to bench/load-replicas.md.
Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import Results, _p, drive
from bench.measure import (
    cpu_model,
    cpu_seconds,
    load_average,
    memory_gb,
    memory_mb,
    peak_mb,
    revision,
)
from footprint.deployment import Deployment

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


QUIET_LOAD = 1.0  # the 1-minute load average a pass waits for
QUIET_WAIT_S = 300


@dataclass
class Pass:
    """One pass: what it ran and what it measured."""

    name: str
    replicas: int
    kill_at: float | None = None
    out: Results = field(default_factory=Results)
    load_before: float = 0.0
    waited_s: float = 0.0
    load_after: float = 0.0
    busy: float = 0.0  # the whole machine's CPU use during the pass, 0-1
    memory: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    fault: dict[str, str] = field(default_factory=dict)


def wait_quiet(limit_s: float) -> tuple[float, float]:
    """Wait until the 1-minute load average is under QUIET_LOAD; (load average, seconds)."""
    t0 = time.monotonic()
    while load_average() >= QUIET_LOAD and time.monotonic() - t0 < limit_s:
        time.sleep(5)
    return load_average(), time.monotonic() - t0


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def nginx_pids(dep: Deployment) -> list[int]:
    """nginx's master and workers."""
    _, m = dep.wait_for(r"serve: nginx pid (\d+)")
    kids = Path(f"/proc/{m[1]}/task/{m[1]}/children").read_text().split()
    return [int(m[1]), *map(int, kids)]


def process_cpu(dep: Deployment) -> dict[str, float]:
    cpu = {name: cpu_seconds(pid) for name, pid in dep.pids().items()}
    cpu["nginx"] = sum(_quiet(cpu_seconds, pid) for pid in nginx_pids(dep))
    return cpu


def _quiet(measure, pid: int, *args) -> float:
    """measure(pid, ...), or 0 for an nginx worker that ended meanwhile (after a reload)."""
    try:
        return measure(pid, *args)
    except (OSError, RuntimeError):
        return 0.0


async def kill_later(dep: Deployment, name: str, after: float, when: dict) -> None:
    """Kill one replica `after` seconds from now; note when (monotonic and wall clock)."""
    await asyncio.sleep(after)
    when["wall"] = time.time()
    when["t"] = dep.kill(name)


def run_pass(p: Pass, args, dates: list[dt.date]) -> None:
    """Start the deployment, drive it, measure, stop it."""
    p.load_before, p.waited_s = wait_quiet(args.wait_quiet)
    dep = Deployment(p.replicas, args.data)
    try:
        pids = dep.pids()
        before = {name: memory_mb(pid, "VmRSS") for name, pid in pids.items()}
        cpu0, jiffies0 = process_cpu(dep), cpu_jiffies()
        when: dict = {}
        fault = kill_later(dep, "r1", p.kill_at, when) if p.kill_at is not None else None
        p.out = asyncio.run(drive(args, dep.url, dates, "r1" if fault else "", fault))
        busy, total = (b - a for a, b in zip(jiffies0, cpu_jiffies(), strict=True))
        p.busy, p.load_after = busy / total, load_average()
        cpu1 = process_cpu(dep)
        for name, pid in dep.pids().items():
            new = pid != pids[name]  # killed and started again: its figures start then
            first = float("nan") if new else before[name]
            p.memory[name] = (first, memory_mb(pid, "VmRSS"), peak_mb(pid))
            p.cpu[name] = cpu1[name] - (0.0 if new else cpu0[name])
        p.cpu["nginx"] = cpu1["nginx"] - cpu0["nginx"]
        nginx_mb = sum(_quiet(memory_mb, pid, "VmRSS") for pid in nginx_pids(dep))
        p.memory["nginx"] = (0.0, nginx_mb, 0.0)
        if when:
            p.fault = fault_figures(dep, when)
    finally:
        dep.stop()


def fault_figures(dep: Deployment, when: dict) -> dict[str, str]:
    """When serve.py took r1 out of the rotation and back, and what nginx tried on it."""
    t = when["t"]
    out_t, _ = dep.wait_for(r"replica r1 out of the rotation", after=t)
    back_t, _ = dep.wait_for(r"replica r1 back in the rotation", after=t, timeout=120)
    addr = dep.replica_urls()["r1"].removeprefix("http://")
    # A request is logged when it ends: the websockets r1 held end at the kill, but began before.
    began = [
        (float(row["msec"]) - float(row["time"]) - when["wall"], row) for row in dep.access_log()
    ]
    tried = [(at, row) for at, row in began if 0 <= at < back_t - t and addr in row["up"]]
    answered_elsewhere = sum(1 for _, row in tried if row["replica"] != "r1")
    last = max((at for at, _ in tried), default=None)
    return {
        "out": f"{out_t - t:.1f} s",
        "back": f"{back_t - t:.1f} s",
        "tried": f"{len(tried)}, {answered_elsewhere} answered by another replica"
        + (f"; the last {last:.1f} s after the kill" if last is not None else ""),
    }


# --- the report -------------------------------------------------------------------------------


def machine() -> str:
    """One line: cores, CPU model, memory, kernel, and the versions that matter here."""
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    import streamlit

    return (
        f"{os.cpu_count()} cores ({cpu_model()}), {memory_gb():.1f} GB, "
        f"Linux {platform.release()}; "
        f"{nginx.replace('nginx version: ', '')} (Debian), Python {platform.python_version()}, "
        f"Streamlit {streamlit.__version__}"
    )


def _per_replica(p: Pass, fmt) -> str:
    return "<br>".join(fmt(name, v) for name, v in p.memory.items() if name != "nginx")


def rows(passes: list[Pass]) -> list[tuple[str, list[str]]]:
    """The table: (figure, one cell per pass)."""

    def each(fn) -> list[str]:
        return [fn(p) for p in passes]

    def mem(name, v):
        first = "new process" if v[0] != v[0] else f"{v[0]:.0f}"  # NaN: started again
        return f"{name}: {first} / {v[1]:.0f} / {v[2]:.0f} MB"

    def sessions(p):
        return f"{p.out.sessions} of {args_sessions} (" + ", ".join(
            f"{k}: {n}" for k, n in sorted(p.out.on.items())) + ")"  # fmt: skip

    args_sessions = passes[0].out.sessions if passes else 0
    reconnect = [p for p in passes if p.kill_at is not None]
    table = [
        ("1-min load average before the pass (waited)",
         each(lambda p: f"{p.load_before:.2f} ({p.waited_s:.0f} s)")),
        ("whole machine's CPU busy during the pass", each(lambda p: f"{p.busy:.0%}")),
        ("protocol sessions that opened the page (by replica)", each(sessions)),
        ("protocol actions completed", each(lambda p: str(len(p.out.latency)))),
        ("protocol action latency p50 / p95",
         each(lambda p: f"{_p(p.out.latency, 50)} / {_p(p.out.latency, 95)}")),
        ("browser actions completed", each(lambda p: str(len(p.out.browser_latency)))),
        ("browser action latency p50 / p95",
         each(lambda p: f"{_p(p.out.browser_latency, 50)} / {_p(p.out.browser_latency, 95)}")),
        ("errors", each(lambda p: str(len(p.out.errors)))),
        ("memory per replica: before / after / peak", each(lambda p: _per_replica(p, mem))),
        ("CPU seconds per replica during the pass",
         each(lambda p: "<br>".join(f"{k}: {v:.0f} s" for k, v in p.cpu.items()
                                    if k != "nginx"))),
        ("nginx: memory, CPU seconds",
         each(lambda p: f"{p.memory['nginx'][1]:.0f} MB, {p.cpu['nginx']:.1f} s")),
        ("1-min load average at the end", each(lambda p: f"{p.load_after:.2f}")),
    ]  # fmt: skip
    if reconnect:
        table += [
            ("protocol sessions reconnected: count; p50 / max",
             each(lambda p: _reconnects(p.out) if p.kill_at is not None else "—")),
            ("browser: seconds without a websocket; actions lost to the reconnect",
             each(lambda p: _browser_fault(p.out) if p.kill_at is not None else "—")),
            ("r1 out of nginx's rotation, after the kill",
             each(lambda p: p.fault.get("out", "—"))),
            ("r1 back in the rotation (started again by serve.py), after the kill",
             each(lambda p: p.fault.get("back", "—"))),
            ("requests nginx tried on r1 while it was gone",
             each(lambda p: p.fault.get("tried", "—"))),
        ]  # fmt: skip
    return table


def _reconnects(out: Results) -> str:
    if not out.reconnects:
        return "0"
    opened = [t for *_, t, _ in out.reconnects]
    drawn = [t for *_, t in out.reconnects]
    moves = ", ".join(sorted({f"{a}→{b}" for a, b, *_ in out.reconnects}))
    return (
        f"{len(drawn)} ({moves}); websocket open again {_p(opened, 50)} / {max(opened):.2f} s;"
        f" view drawn again {_p(drawn, 50)} / {max(drawn):.2f} s"
    )


def _browser_fault(out: Results) -> str:
    gaps = ", ".join(f"{t:.2f} s" for t in out.browser_reconnects) or "none"
    return f"{gaps}; {out.browser_lost} lost"


def report(args, passes: list[Pass], took: float) -> str:
    """The results as Markdown."""
    names = [p.name for p in passes]
    table = rows(passes)
    lines = [
        f"# Replicas behind nginx: load test ({dt.datetime.now():%Y-%m-%d %H:%M}, "
        f"commit {revision(ROOT)})",
        "",
        f"Machine: {machine()}.",
        "",
        f"Each pass: {args.sessions} protocol sessions (one action every {args.think:g} s on "
        f"average) and 1 Chromium page (one action a second) through nginx, each acting for "
        f"{args.seconds:.0f} s on the real data (`bench/load_replicas.py`, {took:.0f} s wall "
        "time for the whole run). The load generator and Chromium run on the same machine.",
        "",
        "| figure | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        *[f"| {figure} | " + " | ".join(cells) + " |" for figure, cells in table],
    ]
    for p in passes:
        if p.out.errors:
            lines += [
                "",
                f"Errors in *{p.name}* (first 10):",
                *[f"- {e}" for e in p.out.errors[:10]],
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the passes; exit 1 on any error, or if something was not measured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2", help="replica counts, one pass each")
    parser.add_argument(
        "--kill-at",
        type=float,
        default=30.0,
        help="a last pass where r1 is killed this many seconds in (0: none)",
    )
    parser.add_argument("--kill-with", type=int, default=2,
                        help="replicas in that pass (at least 2)")  # fmt: skip
    parser.add_argument("--sessions", type=int, default=20, help="protocol sessions")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds between two actions of a protocol session")  # fmt: skip
    parser.add_argument("--wait-quiet", type=float, default=QUIET_WAIT_S,
                        help="seconds a pass waits at most for a load average under 1")  # fmt: skip
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=BENCH / "load-replicas.md")
    args = parser.parse_args(argv)
    if args.kill_at and args.kill_with < 2:
        parser.error("--kill-with must be at least 2: a replica must survive")

    from footprint.data import load_dataset

    dates = load_dataset(args.data).change_dates()
    counts = [int(n) for n in args.replicas.split(",") if n]  # "": only the killed pass
    passes = [Pass(f"{n} replica{'s' if n > 1 else ''}", n) for n in counts]
    if args.kill_at:
        n = args.kill_with
        passes.append(Pass(f"{n} replicas, r1 killed at {args.kill_at:g} s", n, args.kill_at))
    t0 = time.monotonic()
    for k, p in enumerate(passes):
        print(f"load_replicas: {p.name} ...", flush=True)
        run_pass(p, args, dates)
        text = report(args, passes[: k + 1], time.monotonic() - t0)
        args.out.write_text(text, encoding="utf-8")  # so far: a later failure keeps these
    print(text)
    bad = [p for p in passes if p.out.errors or not p.out.latency or not p.out.browser_latency
           or p.out.sessions != args.sessions]  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
