"""`make bench`: the dashboard against a naive baseline and a floor page, in headless Chromium.

For the real data and synthetic datasets of 1,000 and 10,000 sites it starts the dashboard and
the naive page side by side (with the real data, also the floor page and the dashboard's map
alone, so the ratios to the floor compare loads taken in turn), measures loads and changes with
bench/measure.py, prints a Markdown table and writes it to bench/results.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import naive_rule
from bench.measure import (
    APP_SHOWS,
    CANVAS_COLOURS,
    CANVAS_SHOWS,
    TIMEOUT_S,
    VIEWPORT,
    BenchServer,
    Figures,
    Page,
    Want,
    asof_to_end,
    change,
    drop_status,
    load_average,
    revision,
    visit,
)
from bench.measure import machine as bench_head
from footprint.data import load_dataset
from footprint.harness import launch
from footprint.synth import write_synthetic

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


OUT = BENCH / "out"
SLIDER = "[data-testid=stSidebar] [data-testid=stSlider]"
APP = Page("app", APP_SHOWS, (SLIDER, ".st-key-status", "[data-testid=stDataFrame]"))
NAIVE = Page("naive", CANVAS_SHOWS, (SLIDER, "[data-testid=stMultiSelect]"))
FLOOR = Page("floor", CANVAS_SHOWS)
MAP = Page("map", APP_SHOWS)  # the dashboard's map alone (bench/map_app.py), on the real data
CHANGING = (APP, NAIVE)  # the pages with controls, measured through the as-of and filter changes
DROPPED = ("handed_over", "Handed over")  # the filter change: this status is taken off the map


@dataclass
class Data:
    """A dataset under test and what each page should draw for each measurement."""

    label: str
    path: Path
    sites: int | None  # None for the real data
    wants: dict[str, dict[str, Want]]  # page name -> measurement -> expected map


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- what each page should show --------------------------------------------------------------


def expected(data_dir: Path) -> dict[str, dict[str, Want]]:
    """Marker counts at the default date, after the as-of jump to the end, after the filter."""
    ds = load_dataset(data_dir)
    start, end = ds.theatre.default_asof, ds.theatre.end
    before = ds.status_on(start)
    after = ds.status_on(end)
    before, after = before[before["status"] != ""], after[after["status"] != ""]
    kept = before[before["status"] != DROPPED[0]]
    moved = after.merge(before[["id", "status"]], on="id", how="left", suffixes=("", "_was"))
    moved = moved[moved["status"] != moved["status_was"]]
    dropped = before[before["status"] == DROPPED[0]]
    probes = {
        "asof": (moved["id"].iloc[0], moved["status"].iloc[0]) if len(moved) else None,
        "filter": (dropped["id"].iloc[0], None) if len(dropped) else None,
    }
    frames = {"load": before, "asof": after, "filter": kept}
    return {
        "app": {k: Want(counts(f), probes.get(k)) for k, f in frames.items()},
        "naive": naive_expected(data_dir),
    }


def naive_expected(data_dir: Path) -> dict[str, Want]:
    """The naive page's marker colours by its own rule (naive_rule), on the same dates: the
    dashboard's counts differ wherever a forecast, a lapsed report or a context site does."""
    sites, events, config = naive_rule.read(data_dir)
    start, end = dt.date.fromisoformat(config["default_asof"]), naive_rule.period(config)[1]
    before, after = (naive_rule.status_on(sites, events, day) for day in (start, end))
    drawn = [f[f["status"].isin(CANVAS_COLOURS)] for f in (before, after)]
    kept = drawn[0][drawn[0]["status"] != DROPPED[0]]
    frames = {"load": drawn[0], "asof": drawn[1], "filter": kept}
    return {k: Want(counts(f, CANVAS_COLOURS)) for k, f in frames.items()}


def counts(sites, colours: dict | None = None) -> dict[str, int]:
    """Number of sites per status (or per the colour that status is drawn in)."""
    by = sites["status"].map(colours) if colours else sites["status"]
    return {str(k): int(v) for k, v in by.value_counts().sort_index().items()}


def datasets(sizes: list[int]) -> list[Data]:
    """The real data plus one synthetic dataset per size, written into bench/out/."""
    real = ROOT / "data"
    out = [Data(f"real data ({len(load_dataset(real).sites)} sites)", real, None, expected(real))]
    for n in sizes:
        path = OUT / f"sites-{n}"
        write_synthetic(path, n, seed=0)
        out.append(Data(f"{n:,} synthetic sites", path, n, expected(path)))
    return out


# --- running the pages -----------------------------------------------------------------------


def measure_pages(browser, pages: dict, data: Data, args) -> dict:
    """Cold loads (each on a fresh server), then warm loads with the changes, for each page.

    `pages` maps a Page to (script, working directory). Servers run side by side; measurements
    run one at a time, the pages taking turns (each round starting one page later), so a ratio
    between two pages compares loads taken under the same conditions. A measurement that times
    out is not repeated.
    """
    figures = {p.name: Figures() for p in pages}
    servers: dict[str, BenchServer] = {}
    contexts: dict = {}
    try:
        for rep in range(args.cold):
            for page in pages:
                if rep and figures[page.name].timed_out("cold"):
                    continue
                servers[page.name] = restart(
                    servers.get(page.name), page, pages[page], data, figures[page.name]
                )
                contexts[page.name] = new_context(browser, contexts.get(page.name))
                cold(contexts[page.name], servers, page, data, figures[page.name])
        order = list(pages)
        for rep in range(args.repeats):
            # each round starts one page later, so no page always follows the same one
            for page in order[rep % len(order) :] + order[: rep % len(order)]:
                warm(contexts[page.name], servers, page, data, figures)
    finally:
        for name, server in servers.items():
            server.stop()
            figures[name].peak_mb = peak(figures[name], server)
    return figures


def restart(old: BenchServer | None, page: Page, where: tuple[Path, Path], data: Data, fig):
    """Stop a page's previous server (noting its peak memory) and start a fresh one."""
    if old is not None:
        old.stop()
        fig.peak_mb = peak(fig, old)
    script, cwd = where
    log(f"start {page.name} server ({data.label})")
    return BenchServer(script, data.path, OUT / "logs" / f"{page.name}.log", cwd=cwd)


def peak(figures: Figures, server: BenchServer) -> float | None:
    """The larger of the peak so far and this server's (known once it has stopped)."""
    known = [x for x in (figures.peak_mb, server.peak_mb) if x is not None]
    return max(known) if known else None


def new_context(browser, old):
    """A browser context with an empty cache (the previous one is closed)."""
    if old is not None:
        old.close()
    return browser.new_context(viewport=VIEWPORT)


def want_for(page: Page, data: Data, what: str) -> Want:
    """The expected map of a page for a measurement (the floor always shows its one marker)."""
    if page is FLOOR:
        return Want({CANVAS_COLOURS["retained"]: 1})
    return data.wants["app" if page is MAP else page.name][what]


def pids(servers: dict[str, BenchServer]) -> list[int]:
    """Process ids of the running servers (all must be idle before a measurement)."""
    return [s.proc.pid for s in servers.values() if s.proc.poll() is None]


def cold(context, servers: dict, page: Page, data: Data, figures: Figures) -> None:
    """The first visit after the server started."""
    want = want_for(page, data, "load")
    tab, _, sample = visit(context, servers[page.name], page, want, pids(servers))
    figures.add("cold", sample)
    log(f"  {page.name} cold load: {show_seconds(sample.seconds)}")
    tab.close()


def warm(context, servers: dict, page: Page, data: Data, figures: dict):
    """Two more visits: for a page with controls, one followed by the as-of change and one by
    the filter change."""
    fig, server = figures[page.name], servers[page.name]
    actions = {"asof": asof_to_end, "filter": lambda tab: drop_status(tab, DROPPED[1])}
    for what, action in actions.items() if page in CHANGING else [("", None)] * 2:
        if fig.timed_out("warm"):
            return
        want = want_for(page, data, "load")
        tab, wire, sample = visit(context, server, page, want, pids(servers))
        fig.add("warm", sample)
        line = f"  {page.name} warm load: {show_seconds(sample.seconds)}"
        if action and sample.seconds is not None and not fig.timed_out(what):
            want = want_for(page, data, what)
            fig.add(what, change(tab, wire, server, page, want, action, pids(servers)))
            line += f", {what} change: {show_seconds(fig.samples[what][-1].seconds)}"
        log(line)
        tab.close()


# --- the report ------------------------------------------------------------------------------

ROWS = [  # label, measurement, attribute, scale, decimals
    ("cold load (s)", "cold", "seconds", 1, 2),
    ("warm load (s)", "warm", "seconds", 1, 2),
    ("cold load, whole page (s)", "cold", "complete_s", 1, 2),
    ("warm load, whole page (s)", "warm", "complete_s", 1, 2),
    ("as-of change on the map (s)", "asof", "seconds", 1, 2),
    ("of which until the rerun request (s)", "asof", "request_s", 1, 2),
    ("filter change on the map (s)", "filter", "seconds", 1, 2),
    ("map kept through as-of change", "asof", "kept", 1, 0),
    ("map kept through filter change", "filter", "kept", 1, 0),
    ("reruns per as-of change", "asof", "reruns", 1, 0),
    ("reruns per filter change", "filter", "reruns", 1, 0),
    ("data to browser, warm load (KB)", "warm", "bytes_in", 1 / 1024, 0),
    ("data to browser, as-of change (KB)", "asof", "bytes_in", 1 / 1024, 0),
    ("data to browser, filter change (KB)", "filter", "bytes_in", 1 / 1024, 0),
    ("server CPU, warm load (s)", "warm", "cpu_s", 1, 2),
    ("server CPU, as-of change (s)", "asof", "cpu_s", 1, 2),
    ("server CPU, filter change (s)", "filter", "cpu_s", 1, 2),
    ("server peak memory (MB)", "", "peak", 1, 0),
]
LOADS = ("cold", "warm")


def value(fig: Figures | None, what: str, attr: str) -> float | bool | None:
    """One figure of a page: a median, the map-kept flag or the peak memory."""
    if fig is None:
        return None
    if attr == "peak":
        return fig.peak_mb
    if attr == "kept":
        return fig.kept_map(what)
    return fig.median(what, attr)


def cell(x: float | bool | None, scale: float, decimals: int) -> str:
    """A table cell: a number, yes/no, 'timeout' or a dash when not measured."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if math.isinf(x):
        return f"timeout (>{TIMEOUT_S} s)"
    return f"{x * scale:,.{decimals}f}"


def ratio_bound(a: float | bool | None, b: float | bool | None) -> tuple[str, float] | None:
    """a ÷ b as (relation, value): '=' exact; with a timeout on one side '>' or '<' a bound."""
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool) or b == 0:
        return None
    if math.isinf(a) and math.isinf(b):
        return None
    if math.isinf(a):
        return ">", TIMEOUT_S / b
    if math.isinf(b):
        return "<", a / TIMEOUT_S
    return "=", a / b


def ratio(a: float | bool | None, b: float | bool | None) -> str:
    """a ÷ b for the table, e.g. '0.53', or '> 4.0' or '< 0.05' when one side timed out."""
    r = ratio_bound(a, b)
    if r is None:
        return "—"
    return f"{r[1]:.2f}" if r[0] == "=" else f"{r[0]} {r[1]:.2g}"


def ratio_within(a, b, limit: float) -> bool:
    """Whether a ÷ b is known to be at most limit."""
    r = ratio_bound(a, b)
    return r is not None and r[0] != ">" and r[1] <= limit


def table(data: Data, figs: dict, floor: Figures) -> str:
    """The Markdown table of one dataset."""
    lines = [
        f"### {data.label}",
        "",
        "| figure | app | naive | floor | app ÷ naive | app ÷ floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, what, attr, scale, decimals in ROWS:
        app, naive = value(figs["app"], what, attr), value(figs["naive"], what, attr)
        fl = value(floor, what, attr) if what in LOADS or attr == "peak" else None
        r_floor = ratio(app, fl) if what in LOADS else "—"
        r_naive = ratio(app, naive) if attr not in ("kept", "reruns", "request_s") else "—"
        cells = [cell(x, scale, decimals) for x in (app, naive, fl)]
        lines.append(f"| {label} | {' | '.join(cells)} | {r_naive} | {r_floor} |")
    return "\n".join(lines)


def split(real: dict, floor: Figures, alone: Figures) -> str:
    """Where the real data's warm load goes: the floor, the dashboard's map alone, the dashboard."""
    app = real["app"]
    rows = [
        ("floor page: one marker", floor.median("warm")),
        ("the dashboard's map alone: every site and the basemap", alone.median("warm")),
        ("the dashboard, until the map is drawn", app.median("warm")),
        ("**the dashboard, the whole page: every site and every control**",
         app.median("warm", "complete_s")),
    ]  # fmt: skip
    lines = ["### Where the real data's warm load goes", "", "| page | warm load (s) | ÷ floor |",
             "|---|---:|---:|"]  # fmt: skip
    lines += [f"| {label} | {cell(x, 1, 2)} | {ratio(x, rows[0][1])} |" for label, x in rows]
    return "\n".join(lines)


def machine() -> list[str]:
    """Date, machine and versions, as Markdown list items."""
    return bench_head(("streamlit", "folium", "streamlit-folium"))


def targets(results: list, floor: Figures, alone: Figures) -> list[str]:
    """The targets (issues 5 and 19), each ticked or not against this run (bench/README.md)."""
    by_size = {data.sites: figs for data, figs in results}
    real, big = by_size.get(None), by_size.get(10_000)
    checks = []
    if real:
        whole, b = real["app"].median("warm", "complete_s"), floor.median("warm")
        checks.append(("real data: the whole page (every site and every control) within 2.0x"
                       " the floor", ratio(whole, b), ratio_within(whole, b, 2.0)))  # fmt: skip
        m = alone.median("warm")
        checks.append(("real data: the map alone within 1.3x the floor", ratio(m, b),
                       ratio_within(m, b, 1.3)))  # fmt: skip
        for what in ("asof", "filter"):
            x = real["app"].median(what)
            checks.append((f"real data: {what} change within 0.3 s", _s(x), _at_most(x, 0.3)))
    kept = [figs["app"].kept_map(w) for _, figs in results for w in ("asof", "filter")]
    shown = f"map kept in {sum(k is True for k in kept)} of {len(kept)} kinds of change"
    checks.append(("no re-mount (every dataset, both changes)", shown, all(kept)))
    if big:
        app = big["app"]
        for what, limit in (("cold", 3.0), ("asof", 1.0)):
            x = app.median(what)
            checks.append((f"10,000 sites: {what} within {limit:g} s", _s(x), _at_most(x, limit)))
        checks.append(("10,000 sites: peak memory within 400 MB", cell(app.peak_mb, 1, 0),
                       _at_most(app.peak_mb, 400)))  # fmt: skip
        for what in ("cold", "warm", "asof", "filter"):
            a, b = app.median(what), big["naive"].median(what)
            checks.append((f"10,000 sites: {what} 5x faster than naive", ratio(a, b),
                           ratio_within(a, b, 0.2)))  # fmt: skip
    return [f"- [{'x' if ok else ' '}] {text}: {figure}" for text, figure, ok in checks]


def _at_most(x: float | None, limit: float) -> bool:
    """Whether a measured figure is within a limit (a timeout never is)."""
    return x is not None and x <= limit


def _s(x: float | None) -> str:
    return cell(x, 1, 2) + (" s" if x is not None and not math.isinf(x) else "")


def report(results: list, floor: Figures, alone: Figures, head: list[str]) -> str:
    """The whole results.md."""
    parts = ["# Benchmark results", "", *head, "", "How to read this: bench/README.md.", ""]
    for data, figs in results:
        parts += [table(data, figs, floor), ""]
        if data.sites is None:
            parts += [split(figs, floor, alone), ""]
    parts += ["### Targets", "", *targets(results, floor, alone), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the table and write bench/results.md."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    p.add_argument("--repeats", type=int, default=5, help="warm visits with each change")
    p.add_argument("--cold", type=int, default=3, help="cold loads (each on a new server)")
    p.add_argument("--app-dir", type=Path, default=ROOT, help="checkout whose app.py to measure")
    p.add_argument("--out", type=Path, default=BENCH / "results.md")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally: stop servers
    data = datasets(args.sizes)
    pages = {
        APP: (args.app_dir / "app.py", args.app_dir),
        NAIVE: (BENCH / "naive_app.py", ROOT),
    }
    with sync_playwright() as pw:
        browser = launch(pw)
        head = [
            *machine(),
            f"- Chromium {browser.version}, app at {revision(args.app_dir, 'app.py', 'src')}",
        ]
        head.append(
            f"- medians of {args.cold} cold loads (each on a new server), {2 * args.repeats} warm"
            f" loads and {args.repeats} of each change; the pages of a dataset take turns;"
            f" timeout {TIMEOUT_S} s"
        )
        head.append(f"- load average before the run: {load_average()}")
        # With the real data, the floor and the dashboard's map alone take turns with the app
        with_floor = {
            **pages,
            FLOOR: (BENCH / "floor_app.py", ROOT),
            MAP: (BENCH / "map_app.py", ROOT),
        }
        results = [
            (d, measure_pages(browser, with_floor if i == 0 else pages, d, args))
            for i, d in enumerate(data)
        ]
        browser.close()
        floor, alone = results[0][1].pop("floor"), results[0][1].pop("map")
    head.append(f"- load average after the run: {load_average()}")
    text = report(results, floor, alone, head)
    print(text)
    args.out.write_text(text + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


def show_seconds(seconds: float | None) -> str:
    """Seconds for the progress log."""
    return "timeout" if seconds is None else f"{seconds:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
