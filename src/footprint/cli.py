"""Command line: `python -m footprint validate|export|dictionary|synth`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from footprint.data import DEFAULT_DATA_DIR, DataError, data_dir_from_env, load_dataset, validate
from footprint.dictionary import write_dictionary
from footprint.export import sites_as_of, to_csv, to_geojson
from footprint.schema import load_package
from footprint.synth import write_synthetic


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
    e.add_argument("--format", choices=["csv", "geojson"], required=True)
    e.add_argument("--asof", type=_date, required=True, help="YYYY-MM-DD")
    e.add_argument("--out", type=Path, help="file to write (default: standard output)")
    e.add_argument("data_dir", nargs="?", type=Path)
    d = sub.add_parser("dictionary", help="rewrite the data dictionary in DATA_DIR/README.md")
    d.add_argument("data_dir", nargs="?", type=Path)
    s = sub.add_parser("synth", help="write a valid synthetic dataset (for benchmarks)")
    s.add_argument("--sites", type=_count, required=True, help="number of sites")
    s.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    s.add_argument("--seed", type=int, default=0, help="same seed, same data (default 0)")
    return p


def cmd_validate(args) -> int:
    """Print every problem as FILE:LINE: column: message; exit 1 if there is any."""
    data_dir = args.data_dir or data_dir_from_env()
    problems = validate(data_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    print(f"ok: {data_dir} is valid")
    return 0


def cmd_export(args) -> int:
    """Write the export; on invalid data print the problems and exit 1."""
    try:
        ds = load_dataset(args.data_dir or data_dir_from_env())
    except DataError as e:
        print("\n".join(map(str, e.problems)), file=sys.stderr)
        return 1
    df = sites_as_of(ds, args.asof)
    text = (to_csv if args.format == "csv" else to_geojson)(df, args.asof, ds.version)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
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
    "dictionary": cmd_dictionary,
    "synth": cmd_synth,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 bad data, 2 usage error)."""
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)
