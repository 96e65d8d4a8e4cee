"""Rules that span columns or files: foreign keys, bounds, date order, low <= best <= high.

Each rule is a function `(tables, config, today) -> Iterator[Problem]` listed in RULES. A rule
skips cells that already failed their own type check, so one mistake is reported once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from footprint.csvfile import PARSERS, Problem, RawTable, check_cell, split_list

Tables = dict[str, RawTable]


def _get(raw: RawTable, i: int, column: str):
    """The parsed value of a cell, or None when it is empty, missing or invalid."""
    value = raw.rows[i].get(column, "")
    if not value:
        return None
    f = raw.table.field(column)
    if check_cell(f, value):
        return None
    if f.type == "list":
        return split_list(value, f.delimiter)
    parser = PARSERS.get(f.type)
    return parser(value, f) if parser else value


def _problem(raw: RawTable, i: int, column: str, message: str) -> Problem:
    return Problem(raw.table.path, raw.lines[i], column, message, raw.record(i))


def foreign_keys(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """Every id a table cites exists in the table it points at."""
    for raw in tables.values():
        for fk in raw.table.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            known = {row.get(fk.ref_field, "") for row in target.rows}
            for i in range(len(raw.rows)):
                for ref in _as_list(_get(raw, i, fk.field)):
                    if ref not in known:
                        msg = f"unknown id '{ref}': it is not in {target.table.path}"
                        yield _problem(raw, i, fk.field, msg)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def site_location(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """Coordinates fall inside the site's country; proxies and estimates state a radius."""
    raw = tables.get("sites")
    regions = config.get("regions", {})
    for i in range(len(raw.rows) if raw else 0):
        country, lat, lon = (_get(raw, i, c) for c in ("country", "lat", "lon"))
        box = regions.get(country)
        if country and box is None:
            msg = f"no bounds for country '{country}'; add it to footprint.regions"
            yield _problem(raw, i, "country", msg)
        elif box and lat is not None and lon is not None:
            for col, v, lo, hi in (
                ("lat", lat, "min_lat", "max_lat"),
                ("lon", lon, "min_lon", "max_lon"),
            ):
                if not box[lo] <= v <= box[hi]:
                    msg = f"{v} is outside {box['name']} ({box[lo]} to {box[hi]})"
                    yield _problem(raw, i, col, msg)
        precision, radius = _get(raw, i, "location_precision"), _get(raw, i, "uncertainty_km")
        if precision in ("proxy", "estimate") and not radius:
            msg = f"a {precision} location needs an uncertainty radius above 0 km"
            yield _problem(raw, i, "uncertainty_km", msg)


def site_governorate(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """Sites in Iraq name their governorate; sites elsewhere leave it empty."""
    raw = tables.get("sites")
    for i in range(len(raw.rows) if raw else 0):
        country, gov = _get(raw, i, "country"), raw.rows[i].get("governorate", "")
        if country == "IRQ" and not gov:
            yield _problem(raw, i, "governorate", "is required for a site in Iraq")
        if country and country != "IRQ" and gov:
            yield _problem(raw, i, "governorate", "must be empty for a site outside Iraq")


def dates_not_future(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """No event, estimate or source is dated after today."""
    for raw in tables.values():
        if "date" not in raw.table.columns:
            continue
        for i in range(len(raw.rows)):
            d = _get(raw, i, "date")
            if d and d > today:
                yield _problem(raw, i, "date", f"{d} is in the future (today is {today})")


def events_in_order(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """Within a site, event rows appear in date order, so the file reads as a timeline."""
    raw = tables.get("events")
    last: dict[str, tuple[dt.date, int]] = {}
    for i in range(len(raw.rows) if raw else 0):
        site, d = _get(raw, i, "site_id"), _get(raw, i, "date")
        if not site or not d:
            continue
        if site in last and d < last[site][0]:
            prev, line = last[site]
            msg = f"{d} comes before {prev} on line {line}; keep each site's events in date order"
            yield _problem(raw, i, "date", msg)
        else:
            last[site] = (d, raw.lines[i])


def event_semantics(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """handed_to only on handovers; an alternative claim points at another event."""
    raw = tables.get("events")
    for i in range(len(raw.rows) if raw else 0):
        status, alt = _get(raw, i, "status"), _get(raw, i, "alternative_to")
        if raw.rows[i].get("handed_to") and status != "handed_over":
            yield _problem(raw, i, "handed_to", "is only for rows whose status is handed_over")
        if alt and alt == raw.rows[i].get("id"):
            yield _problem(raw, i, "alternative_to", "an event cannot dispute itself")


def estimate_range(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """Figures satisfy low <= best <= high, and at least one figure is given."""
    raw = tables.get("estimates")
    for i in range(len(raw.rows) if raw else 0):
        values = {c: _get(raw, i, c) for c in ("low", "best", "high")}
        if all(raw.rows[i].get(c, "") == "" for c in values):
            yield _problem(raw, i, "best", "give at least one of low, best, high")
        given = [(c, v) for c, v in values.items() if v is not None]
        for (c1, v1), (c2, v2) in zip(given, given[1:], strict=False):
            if v1 > v2:
                yield _problem(raw, i, c2, f"{c1} {v1} is greater than {c2} {v2}")


def estimate_scope(tables: Tables, config: dict, today: dt.date) -> Iterator[Problem]:
    """A site estimate names its site; a country or region estimate names its area."""
    raw = tables.get("estimates")
    for i in range(len(raw.rows) if raw else 0):
        scope = _get(raw, i, "scope")
        site, area = raw.rows[i].get("site_id", ""), raw.rows[i].get("area", "")
        if scope == "site" and not site:
            yield _problem(raw, i, "site_id", "is required when scope is site")
        if scope in ("country", "region") and site:
            yield _problem(raw, i, "site_id", f"must be empty when scope is {scope}")
        if scope in ("country", "region") and not area:
            yield _problem(raw, i, "area", f"is required when scope is {scope}")


RULES: list[Callable[[Tables, dict, dt.date], Iterator[Problem]]] = [
    foreign_keys,
    site_location,
    site_governorate,
    dates_not_future,
    events_in_order,
    event_semantics,
    estimate_range,
    estimate_scope,
]
