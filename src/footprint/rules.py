"""Rules that span columns or files: foreign keys, bounds, date order, low <= best <= high.

Each rule is a function `(ctx: Context) -> Iterator[Problem]` listed in RULES; the context holds
the raw tables, the package's `footprint` configuration, today's date and the basemap folder. A
rule skips cells that already failed their own type check, so one mistake is reported once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from footprint import geo
from footprint.csvfile import PARSERS, Problem, RawTable, check_cell, split_list

Tables = dict[str, RawTable]


@dataclass(frozen=True)
class Context:
    """What a rule may read: the tables, the `footprint` config, today and the basemap folder."""

    tables: Tables
    config: dict
    today: dt.date
    basemap_dir: Path


def _get(raw: RawTable, i: int, column: str):
    """The parsed value of a cell, or None when it is empty, missing or invalid (parsed once:
    the rules ask for the same cells again and again)."""
    key = (i, column)
    if key not in raw.parsed:
        raw.parsed[key] = _parse_cell(raw, i, column)
    return raw.parsed[key]


def _parse_cell(raw: RawTable, i: int, column: str):
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
    return raw.problem(i, column, message)


def foreign_keys(ctx: Context) -> Iterator[Problem]:
    """Every id a table cites exists in the table it points at ("did you mean" for a typo)."""
    for problem, _, _ in _broken_references(ctx):
        yield problem


def _broken_references(ctx: Context) -> Iterator[tuple[Problem, str | None, str]]:
    """Each cited id that does not exist: its problem, the nearest id that does (or None), and
    the table it should be in."""
    for raw in ctx.tables.values():
        for fk in raw.table.foreign_keys:
            target = ctx.tables.get(fk.resource)
            if target is None:
                continue
            known = {row.get(fk.ref_field, "") for row in target.rows}
            for i in range(len(raw.rows)):
                for ref in _as_list(_get(raw, i, fk.field)):
                    if ref not in known:
                        msg = f"unknown id '{ref}': it is not in {target.file}"
                        problem = _problem(raw, i, fk.field, msg + _nearest(ref, known))
                        yield problem, _closest(ref, known), fk.resource


def _typos(ctx: Context, resource: str) -> dict[str, Problem]:
    """Per id of `resource`, the problem of an unknown id cited in its place (a typo of it, by
    the nearest match): what a knock-on problem about that id follows from."""
    out: dict[str, Problem] = {}
    for problem, nearest, target in _broken_references(ctx):
        if target == resource and nearest:
            out.setdefault(nearest, problem)
    return out


def _cell_problem(raw: RawTable, i: int, column: str) -> Problem | None:
    """The problem with a cell's own value (as cell_problems reports it), if it has one."""
    value = raw.rows[i].get(column, "")
    found = check_cell(raw.table.field(column), value) if column in raw.table.columns else []
    return _problem(raw, i, column, found[0]) if found else None


def _broken_status_rows(ctx: Context) -> dict[str, Problem]:
    """Per site, the problem of an events row of it that would give a status but cannot be
    read (its date or status is invalid): a missing status follows from it."""
    raw = ctx.tables.get("events")
    out: dict[str, Problem] = {}
    if raw is None:
        return out
    for i in range(len(raw.rows)):
        row = raw.rows[i]
        if not row.get("status") or row.get("alternative_to"):
            continue
        problem = _cell_problem(raw, i, "status") or _cell_problem(raw, i, "date")
        if problem:
            out.setdefault(row.get("site_id", ""), problem)
    return out


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def site_location(ctx: Context) -> Iterator[Problem]:
    """Coordinates fall inside the site's country; proxies and estimates state a radius."""
    raw = ctx.tables.get("sites")
    if raw is None:
        return
    regions = ctx.config.get("regions", {})
    for i in range(len(raw.rows)):
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


def site_governorate(ctx: Context) -> Iterator[Problem]:
    """A site names the governorate polygon of the basemap that holds its point, or none."""
    raw = ctx.tables.get("sites")
    path = ctx.basemap_dir / geo.GOVERNORATES
    if not raw or not path.is_file():
        return
    rows = [
        i for i in range(len(raw.rows)) if None not in (_get(raw, i, "lat"), _get(raw, i, "lon"))
    ]
    lon = np.array([_get(raw, i, "lon") for i in rows], dtype=float)
    lat = np.array([_get(raw, i, "lat") for i in rows], dtype=float)
    for i, expected in zip(rows, geo.governorate_at(lon, lat, geo.governorates(path)), strict=True):
        given = raw.rows[i].get("governorate", "")
        if given == expected:
            continue
        if not expected:
            msg = f"'{given}' is given, but the point lies in no polygon of {path.name}"
        elif not given:
            msg = f"is empty, but the point lies in {expected}"
        else:
            msg = f"'{given}' does not hold the point, which lies in {expected}"
        yield _problem(raw, i, "governorate", msg)


def dates_not_future(ctx: Context) -> Iterator[Problem]:
    """No event, estimate or source is dated after today."""
    for raw in ctx.tables.values():
        if "date" not in raw.table.columns:
            continue
        for i in range(len(raw.rows)):
            d = _get(raw, i, "date")
            if d and d > ctx.today:
                msg = f"{d} is in the future (today is {ctx.today})"
                yield _problem(raw, i, "date", msg)


def events_in_order(ctx: Context) -> Iterator[Problem]:
    """Within a site, event rows appear in date order, so the file reads as a timeline."""
    raw = ctx.tables.get("events")
    if raw is None:
        return
    last: dict[str, tuple[dt.date, int]] = {}
    for i in range(len(raw.rows)):
        site, d = _get(raw, i, "site_id"), _get(raw, i, "date")
        if not site or not d:
            continue
        if site in last and d < last[site][0]:
            prev, line = last[site]
            msg = f"{d} comes before {prev} on line {line}; keep each site's events in date order"
            yield _problem(raw, i, "date", msg)
        else:
            last[site] = (d, raw.lines[i])


def event_semantics(ctx: Context) -> Iterator[Problem]:
    """handed_to only on handovers; an alternative claim points at another event."""
    raw = ctx.tables.get("events")
    if raw is None:
        return
    for i in range(len(raw.rows)):
        status, alt = _get(raw, i, "status"), _get(raw, i, "alternative_to")
        if raw.rows[i].get("handed_to") and _means(raw, status) != "ended":
            ended = ", ".join(c.value for c in raw.table.field("status").categories
                              if c.get("means") == "ended")  # fmt: skip
            yield _problem(raw, i, "handed_to", f"is only for rows whose status is {ended}")
        if alt and alt == raw.rows[i].get("id"):
            yield _problem(raw, i, "alternative_to", "an event cannot dispute itself")


def figures_in_order(ctx: Context) -> Iterator[Problem]:
    """Figures and counts satisfy low <= best <= high, and at least one is given."""
    for name in ("estimates", "tallies"):
        raw = ctx.tables.get(name)
        if raw is None:
            continue
        for i in range(len(raw.rows)):
            values = {c: _get(raw, i, c) for c in ("low", "best", "high")}
            if all(raw.rows[i].get(c, "") == "" for c in values):
                yield _problem(raw, i, "best", "give at least one of low, best, high")
            given = [(c, v) for c, v in values.items() if v is not None]
            for (c1, v1), (c2, v2) in zip(given, given[1:], strict=False):
                if v1 > v2:
                    yield _problem(raw, i, c2, f"{c1} {v1} is greater than {c2} {v2}")


def estimate_scope(ctx: Context) -> Iterator[Problem]:
    """A site estimate names its site; a country or region estimate names its area."""
    raw = ctx.tables.get("estimates")
    if raw is None:
        return
    for i in range(len(raw.rows)):
        scope = _get(raw, i, "scope")
        site, area = raw.rows[i].get("site_id", ""), raw.rows[i].get("area", "")
        if scope == "site" and not site:
            yield _problem(raw, i, "site_id", "is required when scope is site")
        if scope in ("country", "region") and site:
            yield _problem(raw, i, "site_id", f"must be empty when scope is {scope}")
        if scope in ("country", "region") and not area:
            yield _problem(raw, i, "area", f"is required when scope is {scope}")


def site_names_unique(ctx: Context) -> Iterator[Problem]:
    """No two sites share a name (ignoring case): the map reports a clicked marker by name."""
    raw = ctx.tables.get("sites")
    if raw is None:
        return
    first: dict[str, int] = {}
    for i in range(len(raw.rows)):
        name = raw.rows[i].get("name", "")
        key = " ".join(name.casefold().split())
        if key and key in first:
            where = raw.where(first[key])
            msg = f"'{name}' is also the name on {where}; site names must be unique"
            yield _problem(raw, i, "name", msg)
        first.setdefault(key, i)


def _status_rows(ctx: Context) -> dict[str, list[int]]:
    """Per site, its events rows that set status (a status, no alternative_to), in date order."""
    raw = ctx.tables.get("events")
    out: dict[str, list[int]] = {}
    if raw is None:
        return out
    for i in range(len(raw.rows)):
        site, d = _get(raw, i, "site_id"), _get(raw, i, "date")
        if site and d and _get(raw, i, "status") and not raw.rows[i].get("alternative_to"):
            out.setdefault(site, []).append(i)
    for rows in out.values():
        rows.sort(key=lambda i: _get(raw, i, "date"))  # stable: same-day rows keep file order
    return out


def site_has_status(ctx: Context) -> Iterator[Problem]:
    """Every site that is not context-only has a status from some date (a status event).

    When an events row meant for the site cannot be read (a typo in its site id, an invalid
    date or status), the missing status is reported under that problem.
    """
    raw = ctx.tables.get("sites")
    if raw is None:
        return
    with_status = _status_rows(ctx)
    causes = {**_broken_status_rows(ctx), **_typos(ctx, "sites")}
    for i in range(len(raw.rows)):
        site = raw.rows[i].get("id", "")
        if site and _get(raw, i, "context") is False and site not in with_status:
            msg = (
                "no event gives this site a status, so the map never draws it: add a dated "
                "retained or planned row to events.csv, or set context to true"
            )
            yield replace(_problem(raw, i, "id", msg), cause=causes.get(site))


def first_status_ok(meanings: list[str]) -> bool:
    """A status history (what each status means, in date order) may only begin with a plan or
    a presence.

    >>> first_status_ok(["present", "ended"]), first_status_ok(["ended"])
    (True, False)
    >>> first_status_ok([])
    True
    """
    return not meanings or meanings[0] in ("intended", "present")


def status_history_starts(ctx: Context) -> Iterator[Problem]:
    """A site's status history (in date order) begins with planned or retained; reported under
    the problem of an earlier row that cannot be read, or of the site id, if one is unknown."""
    raw = ctx.tables.get("events")
    if raw is None:  # then no site has status rows either
        return
    broken = {**_broken_status_rows(ctx), **_typos(ctx, "sites")}
    unknown = {(p.file, p.line, p.column): p for p, _, _ in _broken_references(ctx)}
    for site, rows in _status_rows(ctx).items():
        statuses = [_get(raw, i, "status") for i in rows]
        if not first_status_ok([_means(raw, s) for s in statuses]):
            msg = (
                f"site {site}'s status history begins with {statuses[0]}: a handover needs a "
                "presence before it; add an earlier retained or planned row"
            )
            cause = broken.get(site) or unknown.get((raw.file, raw.lines[rows[0]], "site_id"))
            yield replace(_problem(raw, rows[0], "status", msg), cause=cause)


def sources_cited(ctx: Context) -> Iterator[Problem]:
    """Every source is cited by some site (for its point) or some citation; reported under a
    citation of an unknown id that may be a typo of it."""
    sources = ctx.tables.get("sources")
    typos = _typos(ctx, "sources")
    cited = set()
    for raw in ctx.tables.values():
        for fk in raw.table.foreign_keys:
            if fk.resource == "sources":
                cited |= {
                    ref for i in range(len(raw.rows)) for ref in _as_list(_get(raw, i, fk.field))
                }
    if sources is None:
        return
    for i in range(len(sources.rows)):
        source = sources.rows[i].get("id", "")
        if source and source not in cited:
            msg = f"source '{source}' is cited by no site or citation; cite it or remove it"
            yield replace(_problem(sources, i, "id", msg), cause=typos.get(source))


def reported_too_early(source_date: dt.date | None, date: dt.date, plan: bool) -> bool:
    """A source cannot report what happened after its own date, unless it reports a plan.

    `date` is the first day of the event's (or figure's) period, so a source from within a
    month-precise event's month is fine.

    >>> d = dt.date
    >>> reported_too_early(d(2025, 12, 31), d(2026, 1, 17), plan=False)
    True
    >>> reported_too_early(d(2025, 12, 31), d(2026, 1, 17), plan=True)
    False
    >>> reported_too_early(d(2020, 3, 30), d(2020, 3, 1), plan=False)
    False
    >>> reported_too_early(None, d(2020, 3, 1), plan=False)
    False
    """
    return source_date is not None and source_date < date and not plan


def sources_not_before(ctx: Context) -> Iterator[Problem]:
    """A cited source is not dated before the record it backs, unless the record is a plan or a
    forecast; and nobody read it before it was published.

    Events: a forecast (a row that expects a status) or a planned status may cite a source from
    before its date. Estimates and tallies: no exception; a figure is dated when it applies (an
    announced level is dated when it was announced), so its source cannot be older.
    """
    cites = ctx.tables.get("citations")
    sources = ctx.tables.get("sources")
    if cites is None:
        return
    dated = {sources.rows[i].get("id"): _get(sources, i, "date")
             for i in range(len(sources.rows))} if sources else {}  # fmt: skip
    records = _records(ctx)
    for i in range(len(cites.rows)):
        source, record = _get(cites, i, "source_id"), _get(cites, i, "record_id")
        published = dated.get(source)
        checked = _get(cites, i, "checked")
        if published and checked and checked < published:
            msg = f"{checked} is before source '{source}' was published ({published})"
            yield _problem(cites, i, "checked", msg)
        if record not in records:
            continue
        raw, j = records[record]
        d = _get(raw, j, "date")
        if d and reported_too_early(published, d, _is_plan(raw, j)):
            msg = (
                f"source '{source}' is dated {published}, before the date {d} of "
                f"{raw.table.name[:-1]} {record}: it cannot report it (only a plan or forecast can)"
            )
            yield _problem(cites, i, "source_id", msg)


def _is_plan(raw: RawTable, i: int) -> bool:
    """An event that expects a status, or whose status means a plan."""
    if raw.table.name != "events":
        return False
    return bool(_get(raw, i, "expects")) or _means(raw, _get(raw, i, "status")) == "intended"


def _means(raw: RawTable, status: str | None) -> str:
    """What a status means (its category's `means`: present, ended, planned, ...)."""
    for c in raw.table.field("status").categories:
        if c.value == status:
            return str(c.get("means", ""))
    return ""


RECORD_TABLES = ("events", "estimates", "tallies")  # the tables citations.csv points into
SUPPORTED = ("yes", "partly")
MAX_QUOTE_WORDS = 8  # a quotation longer than this is a sentence copied: say it in our words


def _records(ctx: Context) -> dict[str, tuple[RawTable, int]]:
    """Every event, estimate and tally id, with its table and row (the first, if repeated)."""
    out: dict[str, tuple[RawTable, int]] = {}
    for name in RECORD_TABLES:
        raw = ctx.tables.get(name)
        if raw is None:
            continue
        for i in range(len(raw.rows)):
            out.setdefault(raw.rows[i].get("id", ""), (raw, i))
    return out


def record_ids_unique(ctx: Context) -> Iterator[Problem]:
    """No id names both an event and an estimate or tally: a citation points at one record."""
    seen: dict[str, RawTable] = {}
    for name in RECORD_TABLES:
        raw = ctx.tables.get(name)
        if raw is None:
            continue
        for i in range(len(raw.rows)):
            rid = raw.rows[i].get("id", "")
            other = seen.get(rid)
            if rid and other is not None and other is not raw:
                msg = (
                    f"'{rid}' is also an id in {other.file}; citations need ids unique across them"
                )
                yield _problem(raw, i, "id", msg)
            seen.setdefault(rid, raw)


def citation_rows(ctx: Context) -> Iterator[Problem]:
    """Each citation names a record, once per source, and says where and what unless unread."""
    cites = ctx.tables.get("citations")
    if cites is None:
        return
    records = _records(ctx)
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(cites.rows)):
        row = cites.rows[i]
        record, source = row.get("record_id", ""), row.get("source_id", "")
        if record and record not in records:
            yield _unknown_record(cites, i, record, records)
        if (record, source) in seen:
            msg = f"{record} cites {source} again; first on {cites.where(seen[(record, source)])}"
            yield _problem(cites, i, "source_id", msg)
        seen.setdefault((record, source), i)
        needs = {"yes": ("where", "note"), "partly": ("where", "note"), "no": ("note",)}
        for column in needs.get(row.get("supports", ""), ()):
            if not row.get(column):
                msg = "is required: say where the source says it, and what it says"
                yield _problem(cites, i, column, msg)
        checked = _get(cites, i, "checked")
        if checked and checked > ctx.today:
            yield _problem(
                cites, i, "checked", f"{checked} is in the future (today is {ctx.today})"
            )


def _unknown_record(cites: RawTable, i: int, record: str, records) -> Problem:
    msg = f"unknown record '{record}': it is no id in {', '.join(RECORD_TABLES)}"
    return _problem(cites, i, "record_id", msg + _nearest(record, records))


def _record_typos(ctx: Context) -> dict[str, Problem]:
    """Per record id, the problem of a citation of an unknown record nearest to it."""
    cites, records = ctx.tables.get("citations"), _records(ctx)
    out: dict[str, Problem] = {}
    if cites is None:
        return out
    for i in range(len(cites.rows)):
        record = cites.rows[i].get("record_id", "")
        nearest = _closest(record, records) if record and record not in records else None
        if nearest:
            out.setdefault(nearest, _unknown_record(cites, i, record, records))
    return out


def _closest(word: str, known) -> str | None:
    """The known id nearest to a word (a likely typo of it), or None."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return close[0] if close else None


def _nearest(word: str, known) -> str:
    """ "; did you mean 'x'?" for the closest known id, or ''.

    >>> _nearest("camp_tajj", {"camp_taji", "q_west"}), _nearest("zzz", {"q_west"})
    ("; did you mean 'camp_taji'?", '')
    """
    close = _closest(word, known)
    return f"; did you mean '{close}'?" if close else ""


def claims_checked(ctx: Context) -> Iterator[Problem]:
    """Every record has a citation; a status or headline figure has one that supports it; a
    record whose sources no one could read says so with confidence low."""
    cites = ctx.tables.get("citations")
    by_record: dict[str, list[str]] = {}
    for row in cites.rows if cites else []:
        by_record.setdefault(row.get("record_id", ""), []).append(row.get("supports", ""))
    headlines = {(h.get("scope"), h.get("area"), h.get("counted"))
                 for h in ctx.config.get("headline", ())}  # fmt: skip
    typos = _record_typos(ctx)
    for name in RECORD_TABLES:
        raw = ctx.tables.get(name)
        if raw is None:
            continue
        for i in range(len(raw.rows)):
            rid = raw.rows[i].get("id", "")
            for problem in _claim_problems(raw, i, by_record.get(rid, []), headlines):
                # no citation at all, when a citation names an unknown record like this one
                cause = typos.get(rid) if problem.column == "id" else None
                yield replace(problem, cause=cause)


def _claim_problems(raw: RawTable, i: int, supports: list[str], headlines: set) -> Iterator:
    row, what = raw.rows[i], raw.table.name[:-1]
    if not row.get("id"):
        return
    if not supports:
        msg = f"no citation: add a row to citations.csv for each source of this {what}"
        yield _problem(raw, i, "id", msg)
        return
    key = (row.get("scope"), row.get("area"), row.get("counted"))
    needs = row.get("status") or (raw.table.name == "estimates" and key in headlines)
    unread = all(s == "unread" for s in supports)
    if unread and row.get("confidence") != "low":
        msg = (
            "no copy of its sources could be read (citations say unread): confidence is at most low"
        )
        yield _problem(raw, i, "confidence", msg)
    elif needs and not unread and not any(s in SUPPORTED for s in supports):
        column = "status" if row.get("status") else "best"
        msg = "no checked citation supports it: citations.csv needs one with supports yes or partly"
        yield _problem(raw, i, column, msg)


def forecasts(ctx: Context) -> Iterator[Problem]:
    """A forecast says what it expects and by when; a plan is a forecast; derived statuses are
    never written; an announced level says when it is due."""
    raw = ctx.tables.get("events")
    if raw is not None:
        yield from _forecast_rows(raw)
    for name in ("events", "estimates"):
        yield from _due_problems(ctx.tables.get(name))


def _forecast_rows(raw: RawTable) -> Iterator[Problem]:
    """The events rows' forecast problems: kind against expects, plans, derived statuses."""
    forecast = [c.value for c in raw.table.field("kind").categories if c.get("role") == "expects"]
    for i in range(len(raw.rows)):
        row = raw.rows[i]
        status, expects = row.get("status", ""), row.get("expects", "")
        if (row.get("kind", "") in forecast) != bool(expects):
            kinds = " or ".join(forecast)
            msg = ("a forecast says the status it expects" if expects == ""
                   else f"only a forecast (kind {kinds}) expects a status")  # fmt: skip
            yield _problem(raw, i, "expects", msg)
        if _means(raw, status) == "intended" and not expects:
            msg = f"a {status} row is a plan: make it a forecast (what it expects, and by when)"
            yield _problem(raw, i, "expects", msg)
        for c in raw.table.field("status").categories:
            if c.value == status and c.get("derived"):
                msg = (
                    f"{status} is derived by the dashboard, never written: write what a source says"
                )
                yield _problem(raw, i, "status", msg)


def _due_problems(raw: RawTable | None) -> Iterator[Problem]:
    if raw is None:
        return
    for i in range(len(raw.rows)):
        row = raw.rows[i]
        if bool(row.get("due")) != bool(row.get("due_precision")):
            yield _problem(raw, i, "due_precision", "due and due_precision go together")
        due, d = _get(raw, i, "due"), _get(raw, i, "date")
        if due and d and due < d:
            yield _problem(raw, i, "due", f"{due} is before the row's own date {d}")


def tally_periods(ctx: Context) -> Iterator[Problem]:
    """A count of attacks covers a period (since to date); a count of sites is on one date."""
    raw = ctx.tables.get("tallies")
    if raw is None:
        return
    for i in range(len(raw.rows)):
        what, since, d = _get(raw, i, "what"), _get(raw, i, "since"), _get(raw, i, "date")
        if what == "attacks" and not raw.rows[i].get("since"):
            yield _problem(raw, i, "since", "a count of attacks needs the first day it covers")
        if what == "sites" and raw.rows[i].get("since"):
            yield _problem(raw, i, "since", "a count of sites is on one date: leave since empty")
        if since and d and since > d:
            yield _problem(raw, i, "since", f"{since} is after the date {d}")


_QUOTES = re.compile(r'"([^"]+)"|“([^”]+)”|‘([^’]+)’|(?<![\w])\'([^\']+)\'(?![\w])')
PROSE = ("summary", "note", "notes", "location_note")  # columns written in our own words


def own_words(ctx: Context) -> Iterator[Problem]:
    """No quotation longer than MAX_QUOTE_WORDS words: a source's sentences are said in our words.

    >>> [len(q.split()) for q in quotations('It said "just over 2,500" and \\'a b c\\'.')]
    [3, 3]
    """
    for raw in ctx.tables.values():
        for column in (c for c in PROSE if c in raw.table.columns):
            for i in range(len(raw.rows)):
                for quote in quotations(raw.rows[i].get(column, "")):
                    n = len(quote.split())
                    if n > MAX_QUOTE_WORDS:
                        msg = (f"quotes {n} words ('{quote[:40]}...'): say what the source says in "
                               f"your own words; quote at most {MAX_QUOTE_WORDS} where the exact "
                               "term matters")  # fmt: skip
                        yield _problem(raw, i, column, msg)


def quotations(text: str) -> list[str]:
    """The passages of a text in quotation marks (straight, curly or single)."""
    return [next(g for g in m.groups() if g) for m in _QUOTES.finditer(text)]


RULES: list[Callable[[Context], Iterator[Problem]]] = [
    foreign_keys,
    site_location,
    site_governorate,
    dates_not_future,
    events_in_order,
    event_semantics,
    figures_in_order,
    estimate_scope,
    site_names_unique,
    site_has_status,
    status_history_starts,
    sources_cited,
    sources_not_before,
    record_ids_unique,
    citation_rows,
    claims_checked,
    forecasts,
    tally_periods,
    own_words,
]
