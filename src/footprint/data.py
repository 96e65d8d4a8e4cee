"""Load the dataset: read every CSV, validate it whole, and return typed frames.

Validation happens once, here, where data enters. Every problem is collected (never raised one
at a time) so a maintainer can fix a whole edit in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from footprint.csvfile import Problem, RawTable, cell_problems, read_table, split_list
from footprint.geojsonfile import read_features, source_file
from footprint.rules import RULES, Context
from footprint.schema import DESCRIPTOR, Package, Table, load_package
from footprint.theatre import Theatre, read_theatre, theatre_problems
from footprint.timeline import as_of, change_dates, periods

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def rows(df: pd.DataFrame, index: bool = True) -> Iterator[Any]:
    """The rows of `df` as `df.itertuples(index)` gives them (the same fields and values), each
    column turned into Python values at once: itertuples converts an Arrow-backed text column
    a cell at a time, half the time of numbering 10,000 sites for a picture."""
    fields = (["Index"] if index else []) + [str(c) for c in df.columns]
    make = cast(Callable[..., Any], namedtuple)  # fields known only at run time, as pandas'
    row = make("Row", fields, rename=True)
    columns = [df.iloc[:, k].tolist() for k in range(df.shape[1])]
    return map(row._make, zip(*([df.index.tolist()] if index else []), *columns, strict=True))


def data_dir_from_env() -> Path:
    """The dataset folder: $FOOTPRINT_DATA_DIR, else the repository's `data/`."""
    return Path(os.environ.get("FOOTPRINT_DATA_DIR") or DEFAULT_DATA_DIR)


def basemap_dir(data_dir: Path) -> Path:
    """The offline basemap layers: the dataset's own `basemap/`, else the repository's."""
    own = Path(data_dir) / "basemap"
    return own if own.is_dir() else DEFAULT_DATA_DIR / "basemap"


class DataError(Exception):
    """The dataset is invalid; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


@dataclass
class Dataset:
    """A valid dataset: typed frames, the package configuration and a content version."""

    package: Package
    theatre: Theatre
    data_dir: Path
    sites: pd.DataFrame
    events: pd.DataFrame
    estimates: pd.DataFrame
    sources: pd.DataFrame
    citations: pd.DataFrame
    tallies: pd.DataFrame
    version: str
    _memo: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """make() once per key for this dataset, which never changes once loaded.

        The app shares one Dataset between every session (each on its own thread), so a status
        table for a date is built once for everyone. The least recently used entry goes first
        past MEMO_ENTRIES. Reentrant: make() may itself use memo(). Callers must not modify
        what they get.
        """
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            value = self._memo[key] = make()
            if len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
            return value

    @property
    def layers_dir(self) -> Path:
        """The folder of the offline basemap layers this dataset is drawn on."""
        return basemap_dir(self.data_dir)

    def label(self, table: str, column: str, value: str) -> str:
        """How a coded value is shown: its label in the schema's categories."""
        return self.package.table(table).field(column).label(value)

    def labels(self, table: str, column: str) -> dict[str, str]:
        """Every allowed value of a coded column with its label, in the categories' order."""
        f = self.package.table(table).field(column)
        order = [c.value for c in f.categories if c.value in f.enum]
        return {v: f.label(v) for v in [*order, *(v for v in f.enum if v not in order)]}

    def timeline(self) -> pd.DataFrame:
        """Every site's status periods (timeline.periods), built once."""
        return self.memo(("timeline",), lambda: periods(
            self.events, self.theatre.stale_after_days, self.theatre.lapsed))  # fmt: skip

    def status_on(self, day: dt.date) -> pd.DataFrame:
        """Every site with its status on `day` (timeline.as_of), memoised."""
        return self.memo(
            ("status_on", day), lambda: as_of(self.sites, self.timeline(), self.events, day)
        )

    def change_dates(self) -> list[dt.date]:
        """The dates on which some site's status changes (timeline.change_dates), memoised."""
        return self.memo(("change_dates",), lambda: change_dates(self.timeline()))

    def citations_of(self, record_id: str) -> pd.DataFrame:
        """The citations of one event, estimate or tally, in file order, each with its
        source's title, publisher, date, link and kind (memoised for every record at once)."""
        return self.memo(("citations",), lambda: _by_record(self.citations, self.sources)).get(
            record_id, _NO_CITATIONS
        )

    def publishers(self, source_ids: list[str]) -> list[str]:
        """Who published each source, once each, in the order given."""
        names = self.memo(("publishers",), lambda: self.sources.set_index("id")["publisher"])
        return list(dict.fromkeys(names.get(i, i) for i in source_ids))

    def sites_in(self, shown: pd.DataFrame) -> pd.DataFrame:
        """The dataset's own rows of the sites in `shown` (a status table, filtered)."""
        return self.sites[self.sites["id"].isin(shown["id"])]


MEMO_ENTRIES = 512  # about 1 MB per entry at 10,000 sites
CITATION_COLUMNS = ["record_id", "source_id", "supports", "where", "checked", "note", "title",
                    "publisher", "date", "url", "kind"]  # fmt: skip
_NO_CITATIONS = pd.DataFrame(columns=CITATION_COLUMNS)


def _by_record(citations: pd.DataFrame, sources: pd.DataFrame) -> dict[str, pd.DataFrame]:
    cols = ["id", "title", "publisher", "date", "url", "kind"]
    joined = citations.merge(sources[cols], left_on="source_id", right_on="id", how="left")
    joined = joined[CITATION_COLUMNS]
    groups = joined.groupby("record_id", sort=False)
    return {cast(str, k): g.reset_index(drop=True) for k, g in groups}  # ids are text


def with_sources(frame: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    """A table of records with `source_ids`: the sources its citations name, in file order,
    leaving out those read and found not to support the row (supports 'no')."""
    cited = citations[citations["supports"].ne("no")]
    ids = cited.groupby("record_id", sort=False)["source_id"].agg(list).to_dict()
    out = frame.copy()
    out["source_ids"] = [ids.get(i, []) for i in out["id"]]
    return out


def read_package(data_dir: Path) -> tuple[Package | None, list[Problem]]:
    """Read the descriptor, reporting a missing or broken one, or its configuration's problems."""
    try:
        package = load_package(data_dir)
        return package, theatre_problems(package, (Path(data_dir) / DESCRIPTOR).read_text("utf-8"))
    except FileNotFoundError:
        return None, [Problem(DESCRIPTOR, 1, "-", "file is missing")]
    except (OSError, ValueError, KeyError, TypeError) as e:
        return None, [Problem(DESCRIPTOR, 1, "-", f"cannot read the schema: {e}")]


def validate_tables(
    data_dir: Path, today: dt.date | None = None
) -> tuple[Package | None, dict[str, RawTable], list[Problem]]:
    """Read and check every table; return the package, raw tables and all problems."""
    package, problems = read_package(data_dir)
    if package is None:
        return None, {}, problems
    tables: dict[str, RawTable] = {}
    for table in package.tables:
        raw, found = read_any(data_dir, table)
        problems += found
        if raw is not None:
            tables[table.name] = raw
            problems += cell_problems(raw)
    if any(not raw.whole for raw in tables.values()):
        return package, tables, problems  # a file cut short: the rules would only echo it
    ctx = Context(tables, package.config, today or dt.date.today(), basemap_dir(data_dir))
    for rule in RULES:
        problems += rule(ctx)
    return package, tables, problems


def read_any(data_dir: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    """Read a table from its CSV, or from its GeoJSON where the dataset keeps it so."""
    if source_file(data_dir, table).suffix == ".geojson":
        return read_features(data_dir, table)
    return read_table(data_dir, table)


def validate(data_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the dataset at `data_dir`, in file and line order."""
    return sorted(validate_tables(data_dir, today)[2], key=_order)


def _order(p: Problem) -> tuple:
    return (p.file, p.line, p.column, p.message)


def load_dataset(data_dir: Path | None = None, today: dt.date | None = None) -> Dataset:
    """Load and validate a dataset; raise DataError listing every problem if it is invalid."""
    data_dir = Path(data_dir or data_dir_from_env())
    package, tables, problems = validate_tables(data_dir, today)
    if problems:
        raise DataError(sorted(problems, key=_order))
    assert package is not None  # without one, validate_tables reports why
    frames = {t.name: to_frame(tables[t.name], t) for t in package.tables}
    for name in ("events", "estimates", "tallies"):
        frames[name] = with_sources(frames[name], frames["citations"])
    version = content_version(data_dir, package)
    theatre = read_theatre(package)
    return Dataset(package=package, theatre=theatre, data_dir=data_dir, version=version, **frames)


def to_frame(raw: RawTable, table: Table) -> pd.DataFrame:
    """Typed frame of a valid table: numbers, nullable integers, dates, booleans, lists."""
    df = pd.DataFrame(raw.rows, columns=table.columns, dtype=object).fillna("")
    for f in table.fields:
        col = df[f.name]
        if f.type == "number":
            df[f.name] = pd.to_numeric(col.replace("", None), errors="raise").astype(float)
        elif f.type == "integer":
            df[f.name] = pd.array([int(v) if v else None for v in col], dtype="Int64")
        elif f.type == "date":
            df[f.name] = pd.to_datetime(col.replace("", None), format="%Y-%m-%d")
        elif f.type == "boolean":
            df[f.name] = col.eq("true")
        elif f.type == "list":
            df[f.name] = [split_list(v, f.delimiter) for v in col]
        else:
            df[f.name] = col.astype(str)
    return df


def content_version(data_dir: Path, package: Package) -> str:
    """Short SHA-256 over the descriptor and every table's file: changes whenever the data does."""
    h = hashlib.sha256()
    files = [Path(data_dir) / DESCRIPTOR, *(source_file(data_dir, t) for t in package.tables)]
    for path in (f for f in files if f.exists()):  # an optional table may be left out
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
