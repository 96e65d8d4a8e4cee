"""Time what a briefer waits for when taking a brief away: a five-slide deck (PowerPoint and
PDF) and a 24-frame animation (its frames, then GIF, MP4 and WebM), on the real data.

    .venv/bin/python bench/exports.py [--out bench/exports.md]

Everything runs in this process, one step at a time, through the same entry points as the
page and the command line (footprint.export.deck, footprint.export.animation). The animation's
24 pictures are drawn once and timed; each format's figure is that time plus its encoding
(what one export of that format costs). Wall-clock and this process's CPU seconds are both
given (CPU: this process's and ffmpeg's): on a shared machine the wall clock also counts other
work (the load average says how much there was).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from measure import cpu_model, load_average, memory_gb, revision

from footprint import export
from footprint.data import load_dataset
from footprint.export.animation import encode, pictures
from footprint.view import default_view

ROOT = Path(__file__).resolve().parents[1]

DECK = [
    "view=brief&asof=2019-10-01&title=Before+the+pullback",
    "view=brief&asof=2020-04-05&title=The+2020+drawdown",
    "view=brief&asof=2020-04-05&map=8.6/33.33/44.25&title=Around+Baghdad",
    "view=brief&asof=2022-06-01&country=SYR&title=Syria,+June+2022",
    "view=brief&asof=2026-03-01&title=The+last+departures",
]
# 24 frames: the first of each month from Jan 2019 to Dec 2020.
FRAMES = (dt.date(2019, 1, 1), dt.date(2020, 12, 1), "month")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (ffmpeg)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(make):
    """(result, wall seconds, CPU seconds)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    out = make()
    return out, time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "exports.md")
    args = p.parse_args()
    ds = load_dataset(ROOT / "data")
    load_before = load_average()
    rows = deck_rows(ds) + animation_rows(ds)
    args.out.write_text(report(rows, load_before, load_average()), encoding="utf-8")
    print(args.out.read_text())
    return 0


def deck_rows(ds) -> list[tuple[str, float, float, str]]:
    entries = [export.Entry(link) for link in DECK]
    out = []
    for fmt in export.DECKS:
        data, wall, cpu = timed(lambda fmt=fmt: export.deck(ds, entries, fmt))
        out.append((f"five-slide deck, {fmt}", wall, cpu, f"{len(data) / 1e6:.1f} MB"))
    return out


def animation_rows(ds) -> list[tuple[str, float, float, str]]:
    dates = export.animation_dates(ds, *FRAMES)
    view = default_view(ds)
    each: list[float] = []

    def draw(day):
        t = time.perf_counter()
        png = export.render(ds, replace(view, asof=day), "png")
        each.append(time.perf_counter() - t)
        return png

    pngs, wall, cpu = timed(lambda: pictures(draw, dates))
    spread = f"{min(each):.1f} / {statistics.median(each):.1f} / {max(each):.1f} s a frame"
    out = [(f"{len(dates)} frames drawn (min / median / max)", wall, cpu, spread)]
    for fmt in export.MOVIES:
        data, w, c = timed(lambda fmt=fmt: encode(pngs, fmt, export.Timing()))
        out.append((f"{len(dates)}-frame animation, {fmt}: frames + encoding", wall + w, cpu + c,
                    f"encoding {w:.1f} s; {len(data) / 1e6:.1f} MB"))  # fmt: skip
    return out


def report(rows, load_before: float, load_after: float) -> str:
    lines = [
        "# Export timings: deck and animation",
        "",
        f"- date: {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {os.cpu_count()} CPUs ({cpu_model()}), {memory_gb():.1f} GB memory",
        f"- app at {revision(ROOT)}; real data/ ({load_dataset(ROOT / 'data').version})",
        f"- load average before / after: {load_before:.2f} / {load_after:.2f}",
        "- one run of each, in this order; method: bench/exports.py's docstring",
        "",
        "| what | wall (s) | CPU (s) | notes |",
        "|---|---:|---:|---|",
        *(f"| {what} | {wall:.1f} | {cpu:.1f} | {note} |" for what, wall, cpu, note in rows),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
