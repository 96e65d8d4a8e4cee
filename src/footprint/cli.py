"""Command line: `python -m footprint validate|export|deck|review|sites|dictionary|synth`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

from footprint import export, review
from footprint.csvfile import report_lines
from footprint.data import (
    DEFAULT_DATA_DIR,
    DataError,
    data_dir_from_env,
    load_dataset,
    validate,
    validate_tables,
)
from footprint.dictionary import write_dictionary
from footprint.geojsonfile import geojson_path, source_file, to_csv_text, to_geojson_text
from footprint.schema import load_package
from footprint.synth import write_synthetic
from footprint.view import page_address, view_from_query


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in YYYY-MM-DD form") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number above 0")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m footprint", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the dataset; exit 1 listing every problem")
    v.add_argument("data_dir", nargs="?", type=Path, help="default: $FOOTPRINT_DATA_DIR or data/")
    e = sub.add_parser("export", help="write the sites and their status on a date")
    e.add_argument("--format", choices=[*export.FORMATS, *export.MOVIES], required=True)
    e.add_argument("--asof", type=_date, help="YYYY-MM-DD (default: the view's or dataset's)")
    e.add_argument(
        "--view", default="", metavar="QUERY",
        help="a shareable link or its query string, e.g. 'asof=2020-04-05&status=retained'",
    )  # fmt: skip
    e.add_argument(
        "--size",
        type=int,
        choices=[1920, 3840],
        default=1920,
        help="a PNG's pixels: 1920 (normal) or 3840 (twice as many each way)",
    )
    e.add_argument(
        "--shape",
        choices=export.SHAPES,
        default="16x9",
        help="a picture's shape: a 16:9 or 4:3 slide, or A4 portrait (a4)",
    )
    e.add_argument(
        "--frame",
        choices=["map", "theatre"],
        default="map",
        help="a picture's or HTML map's frame: the link's map= (the default; the "
        "whole theatre if it has none) or the whole theatre",
    )
    _animation_arguments(e)
    e.add_argument("--out", type=Path, help="file to write (default: standard output)")
    e.add_argument("data_dir", nargs="?", type=Path)
    _deck_parser(sub)
    r = sub.add_parser("review", help="what to check next: unchecked claims, lapsed forecasts...")
    r.add_argument("--asof", type=_date, help="YYYY-MM-DD (default: today)")
    r.add_argument("data_dir", nargs="?", type=Path)
    g = sub.add_parser("sites", help="keep the sites as sites.geojson (for QGIS) or sites.csv")
    g.add_argument("--to", choices=["geojson", "csv"], required=True)
    g.add_argument("data_dir", nargs="?", type=Path)
    d = sub.add_parser("dictionary", help="rewrite the data dictionary in DATA_DIR/README.md")
    d.add_argument("data_dir", nargs="?", type=Path)
    s = sub.add_parser("synth", help="write a valid synthetic dataset (for benchmarks)")
    s.add_argument("--sites", type=_count, required=True, help="number of sites")
    s.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    s.add_argument("--seed", type=int, default=0, help="same seed, same data (default 0)")
    return p


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.25 <= value <= 60:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 0.25 to 60")
    return value


def _animation_arguments(e: argparse.ArgumentParser) -> None:
    """The options of a GIF or video (--format gif|mp4|webm)."""
    a = e.add_argument_group("animations (gif, mp4, webm)")
    a.add_argument("--from", dest="start", type=_date, help="first frame's date (default: the "
                   "view's)")  # fmt: skip
    a.add_argument("--to", dest="end", type=_date, help="last frame's date (required)")
    a.add_argument("--step", choices=list(export.STEPS), default="changes",
                   help="a frame at every status change (default), week or month")  # fmt: skip
    a.add_argument("--seconds", type=_seconds, default=1.0, help="each frame's time (default 1)")
    a.add_argument("--hold", type=_seconds, default=3.0, help="the last frame's (default 3)")


def _deck_parser(sub) -> None:
    k = sub.add_parser("deck", help="a PowerPoint or PDF deck of views, one slide per view")
    k.add_argument("links", nargs="*", metavar="LINK", help="shareable links (or their queries)")
    k.add_argument("--list", type=Path, metavar="FILE",
                   help="a deck list saved from the page (each line: link, shape)")  # fmt: skip
    k.add_argument("--shape", choices=export.SHAPES, default="16x9",
                   help="the shape of the views given as LINK (default 16x9)")  # fmt: skip
    k.add_argument("--format", choices=list(export.DECKS), help="default: from --out's suffix")
    k.add_argument("--out", type=Path, required=True, help="the .pptx or .pdf to write")
    k.add_argument("--data", type=Path, metavar="DATA_DIR", help="default: $FOOTPRINT_DATA_DIR")


def cmd_validate(args) -> int:
    """Print every problem as FILE:LINE: column: message; exit 1 if there is any."""
    data_dir = args.data_dir or data_dir_from_env()
    problems = validate(data_dir)
    for line in report_lines(problems):  # a knock-on problem indented under its cause
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    print(f"ok: {data_dir} is valid")
    return 0


def cmd_export(args) -> int:
    """Write the export of a view; on invalid data print the problems and exit 1."""
    data_dir = args.data_dir or data_dir_from_env()
    try:
        ds = load_dataset(data_dir)
    except DataError as e:
        print("\n".join(report_lines(e.problems)), file=sys.stderr)
        return 1
    view = view_from_query(ds, args.view)
    for notice in view.notices:
        print(f"ignored part of --view: {notice}", file=sys.stderr)
    view = replace(view, asof=args.asof or view.asof)
    if args.format in export.MOVIES:
        return _write(args, _animation(ds, view, args))
    # With --view the export is that view (its filters); without, every site on the date.
    shown = None if args.view else ds.status_on(view.asof)
    out = export.render(
        ds, view, args.format, shown, size=args.size, shape=args.shape,
        theatre=args.frame == "theatre", address=page_address(args.view),
    )  # fmt: skip
    return _write(args, out)


def _animation(ds, view, args) -> bytes | None:
    """The view as a GIF or video from --from to --to; None (with the reason) if it cannot be."""
    start, end = args.start or view.asof, args.end
    try:
        if end is None:
            raise ValueError("--to is required for an animation")
        lo, hi = ds.theatre.start, ds.theatre.end
        if not (lo <= start <= hi and lo <= end <= hi):
            raise ValueError(f"--from and --to must lie within the data ({lo} to {hi})")
        return export.animation(
            ds, view, args.format, start, end, args.step, export.Timing(args.seconds, args.hold),
            shape=args.shape, theatre=args.frame == "theatre", address=page_address(args.view),
        )  # fmt: skip
    except ValueError as e:  # also: the dates' order, too many frames
        print(e, file=sys.stderr)
        return None


def _write(args, out: bytes | str | None) -> int:
    """Write an export to --out or standard output; exit 2 when there is none."""
    if out is None:
        return 2
    if args.out:
        (args.out.write_bytes if isinstance(out, bytes) else args.out.write_text)(out)
    elif isinstance(out, bytes):
        sys.stdout.buffer.write(out)
    else:
        sys.stdout.write(out)
    return 0


def cmd_deck(args) -> int:
    """Write a deck of the views given (links, then a deck list); exit 2 if there are none."""
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in export.DECKS:
        print(f"say --format {' or '.join(export.DECKS)}, or end --out with one", file=sys.stderr)
        return 2
    entries = [export.Entry(link, args.shape) for link in args.links]
    if args.list:
        listed, notices = export.read_entries(args.list.read_text(encoding="utf-8"), export.SHAPES)
        for notice in notices:
            print(f"{args.list}: {notice}", file=sys.stderr)
        entries += listed
    if not entries:
        print("no views: give links, or a deck list with --list", file=sys.stderr)
        return 2
    try:
        ds = load_dataset(args.data or data_dir_from_env())
    except DataError as e:
        print("\n".join(map(str, e.problems)), file=sys.stderr)
        return 1
    out = export.deck(ds, entries, fmt, notices=lambda n: print(n, file=sys.stderr))
    args.out.write_bytes(out)
    print(f"wrote {len(entries)} slides to {args.out}")
    return 0


def cmd_review(args) -> int:
    """Print the maintainer's worklist for a date; on invalid data print the problems, exit 1."""
    data_dir = args.data_dir or data_dir_from_env()
    try:
        ds = load_dataset(data_dir)
    except DataError as e:
        print("\n".join(report_lines(e.problems)), file=sys.stderr)
        return 1
    asof = args.asof or dt.date.today()
    sys.stdout.write(review.as_text(review.worklist(ds, asof), asof))
    return 0


def cmd_sites(args) -> int:
    """Move a valid dataset's sites between sites.csv and sites.geojson (one file, never both)."""
    data_dir = args.data_dir or data_dir_from_env()
    package, tables, problems = validate_tables(data_dir)
    if problems:
        print("\n".join(map(str, sorted(problems, key=str))), file=sys.stderr)
        print("fix these first: only valid data is converted", file=sys.stderr)
        return 1
    assert package is not None  # without one, validate_tables reports why
    table, raw = package.table("sites"), tables["sites"]
    old = source_file(data_dir, table)
    new = geojson_path(data_dir, table) if args.to == "geojson" else data_dir / table.path
    if old == new:
        print(f"the sites are already in {new.name}")
        return 0
    text = to_geojson_text(table, raw) if args.to == "geojson" else to_csv_text(table, raw)
    new.write_text(text, encoding="utf-8")
    old.unlink()
    print(f"moved {len(raw.rows)} sites from {old.name} to {new.name}")
    return 0


def cmd_dictionary(args) -> int:
    """Regenerate the data dictionary section of DATA_DIR/README.md from the schema."""
    data_dir = args.data_dir or data_dir_from_env()
    write_dictionary(data_dir / "README.md", load_package(data_dir))
    print(f"wrote {data_dir / 'README.md'}")
    return 0


def cmd_synth(args) -> int:
    """Write a synthetic dataset; refuse to overwrite the repository's real data."""
    if args.out.resolve() == DEFAULT_DATA_DIR.resolve():
        print(f"refusing to overwrite the real data in {args.out}", file=sys.stderr)
        return 2
    counts = write_synthetic(args.out, args.sites, seed=args.seed)
    rows = ", ".join(f"{n} {name}" for name, n in counts.items())
    print(f"wrote {rows} to {args.out} (synthetic, seed {args.seed})")
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "export": cmd_export,
    "deck": cmd_deck,
    "review": cmd_review,
    "sites": cmd_sites,
    "dictionary": cmd_dictionary,
    "synth": cmd_synth,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 bad data, 2 usage error)."""
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


def run() -> None:
    """The `footprint` command: main() with its exit status."""
    sys.exit(main())
