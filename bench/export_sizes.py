"""`make bench-export-sizes`: every export format timed at three sizes, with its peak memory.

For the real data and synthetic datasets of 1,000 and 10,000 sites (bench/out/sites-N, as
`make bench` writes them) each format of footprint.export.FORMATS is made the way the command
line makes it (`python -m footprint export --format F --view 'view=brief'`: the briefing view,
the whole theatre with the close-up of its densest cluster) in a fresh Python process of its
own, so that its peak memory is its own: the child's resource usage as the kernel reports it
when the child is reaped (os.wait4). The child reports how long loading the data and making the
export took; the parent times the whole process. With `--before COMMIT` the same exports of
that commit's code (unpacked by `git archive` into bench/out/) take turns with this checkout's,
export by export, so both columns are measured under the same load. Results go to
bench/export-sizes.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VIEW = "view=brief"  # the briefing view on the dataset's default date, the whole theatre
FORMATS = ("csv", "geojson", "png", "pdf", "svg", "html")  # footprint.export.FORMATS (checked)
TIMEOUT_S = 300
# The targets of issue 29 for the briefing PNG: (sites, seconds, MB or None).
TARGETS = ((10_000, 10.0, 500.0), (1_000, 3.0, None))


@dataclass
class Run:
    """One export made in a child process: whole-process seconds, the child's own figures, its
    peak resident memory (MB), or a timeout / failure."""

    wall_s: float
    peak_mb: float
    load_s: float | None = None
    export_s: float | None = None
    size_bytes: int | None = None
    failed: str = ""  # "timeout" or the child's last line of error


@dataclass
class Cell:
    """Every run of one export (format, dataset, checkout)."""

    runs: list[Run] = field(default_factory=list)

    def median(self, what: str) -> float | None:
        """Median of a figure over the runs that finished; None if none did."""
        values = [getattr(r, what) for r in self.runs if not r.failed]
        return statistics.median(values) if values else None

    @property
    def failed(self) -> str:
        """Why the export has no figure: every run failed (the first reason), or ''."""
        ok = [r for r in self.runs if not r.failed]
        return "" if ok or not self.runs else self.runs[0].failed


def log(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


# --- the child: one export, as the command line makes it ------------------------------------


def child(data_dir: Path, fmt: str, out: Path) -> int:
    """Load the data, make one export of VIEW, write it to `out`; print the figures as JSON."""
    t0 = time.perf_counter()
    from footprint.data import load_dataset
    from footprint.export import render
    from footprint.view import page_address, view_from_query

    t1 = time.perf_counter()
    ds = load_dataset(data_dir)
    view = view_from_query(ds, VIEW)
    t2 = time.perf_counter()
    content = render(ds, view, fmt, address=page_address(VIEW))
    t3 = time.perf_counter()
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    out.write_bytes(data)
    figures = {"import_s": t1 - t0, "load_s": t2 - t1, "export_s": t3 - t2, "bytes": len(data)}
    print(json.dumps(figures))
    return 0


def run_child(src: Path, data_dir: Path, fmt: str, out: Path, timeout: float) -> Run:
    """One export in a fresh process importing footprint from `src`; its wall time and its own
    peak memory (ru_maxrss of this child alone, from os.wait4)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "bench.export_sizes", "--child", str(data_dir), fmt, str(out)]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.02)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = proc.communicate()
    peak = usage.ru_maxrss / 1024  # KB on Linux
    if timed_out:
        return Run(wall, peak, failed="timeout")
    if proc.returncode:
        last = (stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        return Run(wall, peak, failed=f"exit {proc.returncode}: {last}")
    figures = json.loads(stdout.decode().strip().splitlines()[-1])
    return Run(wall, peak, figures["load_s"], figures["export_s"], figures["bytes"])


# --- the parent: datasets, turns, the table ---------------------------------------------------


def datasets(sizes: list[int]) -> list[tuple[str, Path, int]]:
    """The real data and one synthetic dataset per size (bench/out/sites-N, seed 0): (label,
    folder, number of sites)."""
    from footprint.data import load_dataset
    from footprint.synth import write_synthetic

    real = ROOT / "data"
    out = [("real data", real, len(load_dataset(real).sites))]
    for n in sizes:
        path = OUT / f"sites-{n}"
        write_synthetic(path, n, seed=0)
        out.append((f"{n:,} synthetic", path, n))
    return out


def measure(args) -> tuple[list, dict]:
    """Every export of every dataset, each checkout's in turn, `repeats` times (a checkout's
    export that timed out is not tried again)."""
    data = datasets(args.sizes)
    checkouts = {"after": ROOT / "src"}
    if args.before:
        checkouts = {"before": unpack(args.before) / "src", **checkouts}
    results: dict = {}
    scratch = OUT / "exports"
    scratch.mkdir(parents=True, exist_ok=True)
    for label, path, n in data:
        for fmt in args.formats:
            for r in range(args.repeats):
                names = list(checkouts) if r % 2 == 0 else list(reversed(checkouts))
                for name in names:
                    cell = results.setdefault((n, fmt, name), Cell())
                    if cell.runs and cell.runs[-1].failed:
                        continue
                    run = run_child(checkouts[name], path, fmt, scratch / f"{n}.{fmt}",
                                    args.timeout)  # fmt: skip
                    cell.runs.append(run)
                    log(f"{label} {fmt} {name}: {describe(run)}")
    return data, results


def unpack(commit: str) -> Path:
    """The code and data of a commit of this repository (src/, data/), unpacked into
    bench/out/commit-<sha>/: its exports read its own basemap, as its checkout would."""
    sha = git("rev-parse", "--short", commit)
    where = OUT / f"commit-{sha}"
    if not (where / "src").is_dir():
        where.mkdir(parents=True, exist_ok=True)
        tar = subprocess.run(["git", "archive", sha, "src", "data"], cwd=ROOT, capture_output=True,
                             check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(where)], input=tar, check=True)
    return where


def git(*args: str) -> str:
    """A git command's output in this repository."""
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip


def describe(run: Run) -> str:
    """One run for the progress log."""
    if run.failed:
        return f"{run.failed} after {run.wall_s:.1f} s, peak {run.peak_mb:.0f} MB"
    return (f"export {run.export_s:.2f} s, whole {run.wall_s:.2f} s, peak {run.peak_mb:.0f} MB,"
            f" {run.size_bytes:,} bytes")  # fmt: skip


def seconds(cell: Cell, what: str, timeout: float) -> str:
    """A table cell in seconds, or why there is none."""
    if cell.failed == "timeout":
        return f"timeout (> {timeout:g} s)"
    if cell.failed:
        return "failed"
    x = cell.median(what)
    return "—" if x is None else f"{x:.2f}"


def megabytes(cell: Cell) -> str:
    """Peak memory (MB): the median over the runs; at a timeout, the peak reached before it."""
    if cell.failed == "timeout":
        return f"≥ {max(r.peak_mb for r in cell.runs):.0f}"
    x = cell.median("peak_mb")
    return "—" if x is None else f"{x:.0f}"


def table(data: list, results: dict, names: list[str], timeout: float) -> list[str]:
    """One row per format and size: export seconds, whole-process seconds, peak MB, file size,
    for each checkout."""
    head = ["format", "sites"]
    for name in names:
        tag = f" ({name})" if len(names) > 1 else ""
        head += [f"export s{tag}", f"whole s{tag}", f"peak MB{tag}"]
    head.append("file")
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for fmt in FORMATS:
        for label, _, n in data:
            if (n, fmt, names[-1]) not in results:
                continue
            row = [fmt, f"{n:,}" + (" (real)" if label == "real data" else "")]
            for name in names:
                cell = results[(n, fmt, name)]
                row += [seconds(cell, "export_s", timeout), seconds(cell, "wall_s", timeout),
                        megabytes(cell)]  # fmt: skip
            size = results[(n, fmt, names[-1])].median("size_bytes")
            row.append("—" if size is None else f"{size / 1024:,.0f} KB")
            lines.append("| " + " | ".join(row) + " |")
    return lines


def targets(results: dict, timeout: float) -> list[str]:
    """The briefing PNG targets, ticked or not against the export's own time (this checkout)."""
    out = []
    for n, limit_s, limit_mb in TARGETS:
        cell = results.get((n, "png", "after"))
        if cell is None:
            continue
        s, mb = cell.median("export_s"), cell.median("peak_mb")
        ok = s is not None and s <= limit_s and (limit_mb is None or mb <= limit_mb)
        want = f"within {limit_s:g} s" + (f" and {limit_mb:g} MB" if limit_mb else "")
        got = f"{seconds(cell, 'export_s', timeout)} s, {megabytes(cell)} MB"
        out.append(f"- [{'x' if ok else ' '}] {n:,} sites: the briefing PNG {want}: {got}")
    return out


def machine() -> list[str]:
    """Date, machine, load and versions, as Markdown list items."""
    from bench.measure import machine as head

    return head(("altair", "vl-convert-python", "folium"))


def load_average() -> str:
    """The 1, 5 and 15-minute load averages: other work on the machine skews every figure."""
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    """Measure every export, print the table and write bench/export-sizes.md."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--child", nargs=3, metavar=("DATA_DIR", "FORMAT", "OUT"), help=argparse.SUPPRESS
    )
    p.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    p.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    p.add_argument("--repeats", type=int, default=3, help="runs of each export (median)")
    p.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds for one export")
    p.add_argument(
        "--before", metavar="COMMIT", help="a commit, measured in turn with this checkout"
    )
    p.add_argument("--out", type=Path, default=BENCH / "export-sizes.md")
    args = p.parse_args(argv)
    if args.child:
        data_dir, fmt, out = args.child
        return child(Path(data_dir), fmt, Path(out))
    from bench.measure import revision
    from footprint.export import FORMATS as EXPORTS

    if set(EXPORTS) != set(FORMATS):
        raise SystemExit(f"the bench knows {FORMATS}; footprint.export has {tuple(EXPORTS)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    head = [*machine(), f"- load average before the run: {load_average()}"]
    data, results = measure(args)
    names = ["before", "after"] if args.before else ["after"]
    which = f"this checkout at {revision(ROOT, 'src')}"
    if args.before:
        which = f"before: commit {git('rev-parse', '--short', args.before)}; after: {which}"
    head += [
        f"- exports: {which}",
        f"- each export in a fresh process, `--view '{VIEW}'` (the whole theatre, close-up"
        f" included), the median of {args.repeats} runs; checkouts in turn; timeout"
        f" {args.timeout:g} s",
        f"- load average after the run: {load_average()}",
    ]
    text = "\n".join([
        "# Export benchmark", "", *head, "", "How to read this: bench/README.md.", "",
        *table(data, results, names, args.timeout), "", "### Targets (the export's own time)", "",
        *targets(results, args.timeout), "",
    ])  # fmt: skip
    print(text)
    args.out.write_text(text, encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
