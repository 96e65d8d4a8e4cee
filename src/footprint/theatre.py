"""What a dataset is about, read from its descriptor: the theatre lives in the data, not the code.

The `footprint` block of `datapackage.json` names the focus countries and their boxes, the
headline figures, the chart windows, the default date and why, the period, the caveat and when a
claim counts as old. Labels (and, where drawn, colours and markers) of coded values are the
fields' Table Schema `categories`. `theatre_problems` says what is missing, in words, so a
dataset that cannot be drawn is a validation problem, never a crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint.csvfile import Problem
from footprint.schema import DESCRIPTOR, Package

# Which coded columns are drawn, and what each of their values must then say about its look.
DRAWN = {
    ("events", "status"): ("colour", "marker"),
    ("estimates", "counted"): ("colour",),
}
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Region:
    """A country's name and the box its sites' coordinates must fall in."""

    code: str
    name: str
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north), as in GeoJSON."""
        return self.min_lon, self.min_lat, self.max_lon, self.max_lat


@dataclass(frozen=True)
class Headline:
    """A troop figure the header shows: the latest estimate of this scope, area and who."""

    label: str
    scope: str
    area: str
    counted: str


@dataclass(frozen=True)
class HeadlineRule:
    """How a headline figure is picked among the estimates that could fill it.

    The latest figure of at least `min_confidence`; among the figures at most
    `prefer_within_days` older than it, the one whose basis comes first in `prefer_basis`
    (official before reported, reported before unofficial) is kept. The other figures of the
    `rivals_within_days` before the date are shown beneath it as its rivals.
    """

    min_confidence: str = "low"
    prefer_basis: tuple[str, ...] = ()
    prefer_within_days: int = 0
    rivals_within_days: int = 365

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefer_basis", tuple(self.prefer_basis))


@dataclass(frozen=True)
class Window:
    """A named stretch of time the charts can show."""

    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Theatre:
    """The dataset's configuration as typed values (see the module docstring)."""

    title: str
    focus: tuple[str, ...]
    frame: tuple[str, ...]
    regions: dict[str, Region]
    default_asof: dt.date
    default_asof_reason: str
    start: dt.date
    end_text: str
    stale_after_days: int
    caveat: str
    context_label: str
    headlines: tuple[Headline, ...]
    windows: tuple[Window, ...]
    headline_rule: HeadlineRule = HeadlineRule()
    lapsed: str = ""  # the derived status of a site whose announced change fell due unreported
    meanings: tuple[tuple[str, str], ...] = ()  # status -> what it means (present, ended, ...)
    roles: tuple[tuple[str, str], ...] = ()  # event kind -> its role (layer, expects)

    def is_old(self, evidence, asof: dt.date):
        """Whether evidence dated `evidence` (a date, or a Series of dates) is more than
        stale_after_days before `asof`: the one rule of "old evidence". A missing date is not.

        >>> t = Theatre("", (), (), {}, dt.date(2020, 1, 1), "", dt.date(2014, 1, 1), "today",
        ...             365, "", "", (), ())
        >>> day = dt.date(2020, 1, 2)
        >>> t.is_old(pd.Timestamp("2019-01-01"), day), t.is_old(pd.NaT, day)
        (True, False)
        """
        age = pd.Timestamp(asof) - pd.to_datetime(evidence)
        if isinstance(age, pd.Series):
            return age.dt.days.gt(self.stale_after_days)
        return pd.notna(age) and age.days > self.stale_after_days

    def statuses_meaning(self, meaning: str) -> list[str]:
        """The statuses whose category `means` this: present, ended, intended or lapsed."""
        return [s for s, m in self.meanings if m == meaning]

    def kinds_with(self, role: str) -> list[str]:
        """The event kinds whose category has this `role`: layer (drawn as a map layer of their
        own) or expects (a forecast)."""
        return [k for k, r in self.roles if r == role]

    @property
    def end(self) -> dt.date:
        """The last date of the period: a date, or today when the descriptor says "today"."""
        return dt.date.today() if self.end_text == "today" else dt.date.fromisoformat(self.end_text)

    def frame_bbox(self, countries: tuple[str, ...] = ()) -> tuple[float, float, float, float]:
        """(west, south, east, north) around `countries` (those with a box), or, by default,
        around the countries the default map frames."""
        codes = [c for c in countries if c in self.regions] or self.frame
        boxes = [self.regions[c].bbox for c in codes]
        return (
            min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes),
        )  # fmt: skip

    def country_name(self, code: str) -> str:
        """A country's name from its region, else the code."""
        region = self.regions.get(code)
        return region.name if region else code


def read_theatre(package: Package) -> Theatre:
    """The theatre of a package whose configuration has no problems (theatre_problems)."""
    c = package.config
    status = package.table("events").field("status").categories
    return Theatre(
        title=package.title,
        focus=tuple(c["focus"]),
        frame=tuple(c.get("frame") or c["focus"]),
        regions={k: Region(k, **v) for k, v in c["regions"].items()},
        default_asof=dt.date.fromisoformat(c["default_asof"]),
        default_asof_reason=c.get("default_asof_reason", ""),
        start=dt.date.fromisoformat(c["period"]["start"]),
        end_text=c["period"]["end"],
        stale_after_days=int(c.get("stale_after_days", 365)),
        caveat=c.get("caveat", ""),
        context_label=c.get("context_label", "Show context sites"),
        headlines=tuple(Headline(**h) for h in c.get("headline", ())),
        windows=tuple(
            Window(w["label"], dt.date.fromisoformat(w["start"]), dt.date.fromisoformat(w["end"]))
            for w in c.get("chart_windows", ())
        ),
        headline_rule=HeadlineRule(**c.get("headline_rule", {})),
        lapsed=next((c.value for c in status if c.get("derived")), ""),
        meanings=tuple((c.value, str(c.get("means", ""))) for c in status),
        roles=tuple(
            (c.value, str(c.get("role", "")))
            for c in package.table("events").field("kind").categories
        ),
    )


def theatre_problems(package: Package, text: str) -> list[Problem]:
    """Everything missing or wrong in the configuration and the category labels.

    `text` is the descriptor as written, to name the line of each problem.
    """
    found = list(_config_problems(package.config))
    if not found:
        found += _headline_problems(package)
    found += _label_problems(package)
    return [Problem(DESCRIPTOR, _line(text, *where), where[-1], msg) for where, msg in found]


def _line(text: str, *needles: str) -> int:
    """The line of the last needle, each searched for after the one before (1 if not found)."""
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        if found < 0:
            break
        at = found
    return text.count("\n", 0, at) + 1


def _config_problems(c: dict):
    block = '"footprint"'
    required = ("focus", "regions", "default_asof", "period")
    for key in required:
        if key not in c:
            yield (block, f"footprint.{key}"), "is missing"
    if any(k not in c for k in required):
        return
    regions = c["regions"]
    for code, box in regions.items():
        missing = {"name", "min_lat", "max_lat", "min_lon", "max_lon"} - set(box)
        if missing:
            yield (
                (block, f'"{code}"', f"footprint.regions.{code}"),
                (f"lacks {', '.join(sorted(missing))}"),
            )
    for key in ("focus", "frame"):
        for code in c.get(key, ()):
            if code not in regions:
                yield (
                    (block, f'"{key}"', f"footprint.{key}"),
                    (f"'{code}' has no box in footprint.regions"),
                )
    dates = [("default_asof", c["default_asof"]), ("period", c["period"].get("start"))]
    if c["period"].get("end") != "today":
        dates.append(("period", c["period"].get("end")))
    dates += [
        ("chart_windows", w.get(k)) for w in c.get("chart_windows", ()) for k in ("start", "end")
    ]
    for key, value in dates:
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            yield (block, f'"{key}"', f"footprint.{key}"), f"{value!r} is not a date (YYYY-MM-DD)"


def _headline_problems(package: Package):
    est = package.table("estimates")
    for i, h in enumerate(package.config.get("headline", ())):
        where = ('"footprint"', '"headline"', f"footprint.headline[{i}]")
        missing = {"label", "scope", "area", "counted"} - set(h)
        if missing:
            yield where, f"lacks {', '.join(sorted(missing))}"
            continue
        for column in ("scope", "counted"):
            if h[column] not in est.field(column).enum:
                yield where, f"{column} '{h[column]}' is not a value of estimates.{column}"


def _label_problems(package: Package):
    """Every allowed value of a labelled column has a label; drawn ones have their look."""
    for table in package.tables:
        for f in table.fields:
            where = (f'"name": "{table.name}"', f'"name": "{f.name}"', f"{table.name}.{f.name}")
            values = {c.value for c in f.categories}
            if f.categories and set(f.enum) - values:
                unlabelled = ", ".join(sorted(set(f.enum) - values))
                yield where, f"{unlabelled}: allowed (enum) but has no label in categories"
            if f.categories and values - set(f.enum):
                yield where, f"categories {', '.join(sorted(values - set(f.enum)))} are not in enum"
            for c in f.categories:
                if not c.label:
                    yield where, f"category '{c.value}' has no label"
                for msg in _look_problems(c, DRAWN.get((table.name, f.name), ())):
                    yield where, msg


def _look_problems(category, needs: tuple[str, ...]):
    look = dict(category.look)
    for key in needs:
        if not look.get(key):
            yield f"category '{category.value}' has no {key} (its values are drawn)"
    if "marker" in needs and look.get("marker") and look["marker"] not in MARKERS:
        yield f"category '{category.value}': marker must be one of {', '.join(MARKERS)}"
