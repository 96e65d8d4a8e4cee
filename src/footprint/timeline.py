"""Status as of a date, derived from dated events and forecasts (never stored twice).

Each site's history is a list of periods, each from a start date to the next: the status the
site holds then, since when, and the forecast that bears on it. A status event starts a period;
so does a forecast (a row that `expects` a status by a `due` date), and so does the day after a
forecast falls due with no status row since: the site is then *lapsed* ("unconfirmed": announced
to end by a date that has passed, and nothing reported since), drawn and counted apart from the
status its sources last gave. The page, the map (site_records sends the periods to the
browser), the exports and the charts all read these periods, so they agree on every date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

NO_RECORD = "No record yet"  # how a site with no status on a date is described
PERIOD_COLUMNS = [
    "site_id", "start", "status", "reported", "status_date", "status_precision", "status_event",
    "handed_to", "expects", "due", "due_precision", "due_given", "forecast_event",
]  # fmt: skip


def status_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events that set a status: a status is given and the row is not a disputed claim."""
    mask = events["status"].ne("") & events["alternative_to"].eq("")
    return events[mask]


def due_end(due: pd.Timestamp, precision: str) -> pd.Timestamp:
    """The last day of a due period: 'by Sep 2026' runs to 30 Sep 2026.

    >>> due_end(pd.Timestamp("2026-09-01"), "month"), due_end(pd.Timestamp("2025-01-01"), "year")
    (Timestamp('2026-09-30 00:00:00'), Timestamp('2025-12-31 00:00:00'))
    >>> due_end(pd.Timestamp("2026-01-17"), "day")
    Timestamp('2026-01-17 00:00:00')
    """
    if precision == "year":
        return pd.Timestamp(due.year, 12, 31)
    if precision == "month":
        return due + pd.offsets.MonthEnd(0)
    return due


@dataclass(frozen=True)
class _Forecast:
    id: str
    date: pd.Timestamp
    expects: str
    due: pd.Timestamp | None  # as written (None: the source gave no date)
    precision: str
    end: pd.Timestamp  # the last day it may come true: due_end, or date + stale_after_days


def periods(events: pd.DataFrame, stale_after_days: int, lapsed: str) -> pd.DataFrame:
    """Every site's periods (PERIOD_COLUMNS), by site and start.

    `status` is what the site is drawn and counted as; `reported` the status its sources last
    gave (they differ only when `status` is `lapsed`). `status_date` is the first row of the
    run of that reported status ("retained since 2014", however many later rows repeat it).
    `expects`/`due`: the forecast that bears on the period, pending or lapsed ('' / NaT when
    none). A forecast with no due date falls due `stale_after_days` after its own date; a later
    forecast for the site made before it falls due replaces it.

    >>> events = pd.DataFrame({
    ...     "id": ["a", "f", "b"], "site_id": ["s"] * 3,
    ...     "date": pd.to_datetime(["2014-07-01", "2024-09-27", "2026-03-09"]),
    ...     "date_precision": ["month", "day", "day"], "status": ["retained", "", ""],
    ...     "alternative_to": [""] * 3, "handed_to": [""] * 3, "expects": ["", "handed_over", ""],
    ...     "due": pd.to_datetime([None, "2026-09-01", None]), "due_precision": ["", "month", ""]})
    >>> p = periods(events, 365, "unconfirmed")
    >>> for row in p[["start", "status", "reported", "expects"]].astype(str).values:
    ...     print(" ".join(row).strip())
    2014-07-01 retained retained
    2024-09-27 retained retained handed_over
    2026-10-01 unconfirmed retained handed_over
    """
    rows = events.sort_values(["site_id", "date"], kind="stable")
    out: list[tuple] = []
    start = 0
    sites = rows["site_id"].tolist()
    records = _rows(rows)
    for i in range(1, len(records) + 1):
        if i == len(records) or sites[i] != sites[start]:
            out += _site_periods(sites[start], records[start:i], stale_after_days, lapsed)
            start = i
    return pd.DataFrame(out, columns=PERIOD_COLUMNS)


def _rows(events: pd.DataFrame) -> list[tuple]:
    cols = ["id", "date", "date_precision", "status", "alternative_to", "handed_to", "expects",
            "due", "due_precision"]  # fmt: skip
    return list(events[cols].itertuples(index=False, name=None))


def _site_periods(site: str, rows: list[tuple], stale: int, lapsed: str) -> list[tuple]:
    main = [r for r in rows if not r[4]]
    statuses = [r for r in main if r[3]]
    forecasts = _live(
        [
            _Forecast(r[0], r[1], r[6], None if pd.isna(r[7]) else r[7], r[8],
                      due_end(r[7], r[8]) if pd.notna(r[7]) else r[1] + pd.Timedelta(days=stale))
            for r in main if r[6]
        ]
    )  # fmt: skip
    points = sorted(
        {r[1] for r in statuses}
        | {f.date for f in forecasts}
        | {f.end + pd.Timedelta(days=1) for f in forecasts}
    )
    out: list[tuple] = []
    for t in points:
        period = _state(site, t, statuses, forecasts, lapsed)
        if period is not None and (not out or out[-1][2:] != period[2:]):
            out.append(period)
    return out


def _live(forecasts: list[_Forecast]) -> list[_Forecast]:
    """Forecasts (in date order) not replaced by a later one made before they fell due."""
    return [
        f for i, f in enumerate(forecasts) if not any(g.date <= f.end for g in forecasts[i + 1 :])
    ]


def _state(site, t, statuses, forecasts, lapsed) -> tuple | None:
    """The period starting at t: the reported status (with its run's first date), and the
    forecast bearing on it."""
    upto = [r for r in statuses if r[1] <= t]
    if not upto:
        return None
    cur = upto[-1]
    first = len(upto) - 1
    while first > 0 and upto[first - 1][3] == cur[3]:
        first -= 1
    handed = next((r[5] for r in reversed(upto[first:]) if r[5]), "")
    active = [f for f in forecasts if f.date <= t and f.expects != cur[3] and cur[1] <= f.end]
    late = [f for f in active if t > f.end]
    due = max(late, key=lambda f: f.end) if late else min(active, key=lambda f: f.end, default=None)
    status = lapsed if late else cur[3]
    fc = (
        (due.expects, due.due, due.precision, due.due is not None, due.id)
        if due
        else ("", pd.NaT, "", False, "")
    )
    run = upto[first]
    return (site, t, status, cur[3], run[1], run[2], cur[0], handed, *fc)


def as_of(sites: pd.DataFrame, timeline: pd.DataFrame, events: pd.DataFrame,
          asof: dt.date) -> pd.DataFrame:  # fmt: skip
    """Sites with their status on `asof`: the period of `timeline` (periods()) that holds it.

    A site with no status by then gets status ''. Disputed claims (rows with `alternative_to`)
    never set status. `evidence_date` is the date of the site's latest event on or before
    `asof` (NaT if none), a forecast with no status of its own aside (it says what is to come,
    not what is there): how fresh the evidence behind the status is.

    >>> sites = pd.DataFrame({"id": ["q_west"], "name": ["Q-West"]})
    >>> events = pd.DataFrame({
    ...     "id": ["a", "b", "c", "d"], "site_id": ["q_west"] * 4,
    ...     "date": pd.to_datetime(["2016-10-01", "2020-03-26", "2020-03-20", "2019-05-01"]),
    ...     "date_precision": ["month", "day", "day", "month"],
    ...     "status": ["retained", "handed_over", "handed_over", ""],
    ...     "alternative_to": ["", "", "b", ""], "handed_to": ["", "ISF", "", ""],
    ...     "expects": [""] * 4, "due": pd.to_datetime([None] * 4), "due_precision": [""] * 4})
    >>> tl = periods(events, 365, "unconfirmed")
    >>> got = as_of(sites, tl, events, dt.date(2020, 3, 25))
    >>> got[["id", "status", "evidence_date"]].values.tolist()
    [['q_west', 'retained', Timestamp('2019-05-01 00:00:00')]]
    >>> as_of(sites, tl, events, dt.date(2020, 3, 26))[["id", "status"]].values.tolist()
    [['q_west', 'handed_over']]
    >>> as_of(sites, tl, events, dt.date(2015, 1, 1))["status"].tolist()
    ['']
    """
    day = pd.Timestamp(asof)
    now = timeline[timeline["start"] <= day].groupby("site_id").tail(1)
    now = now.drop(columns="start").rename(columns={"site_id": "id"})
    upto = events[(events["date"] <= day) & events["alternative_to"].eq("")]
    upto = upto[upto["expects"].eq("") | upto["status"].ne("")]
    evidence = _latest(upto)[["site_id", "date", "date_precision"]].rename(
        columns={"site_id": "id", "date": "evidence_date", "date_precision": "evidence_precision"}
    )
    out = sites.merge(now, on="id", how="left", validate="one_to_one")
    out = out.merge(evidence, on="id", how="left", validate="one_to_one")
    text = ("status", "reported", "status_event", "handed_to", "status_precision",
            "evidence_precision", "expects", "due_precision", "forecast_event")  # fmt: skip
    for col in text:
        out[col] = out[col].fillna("").astype(str)
    out["due_given"] = out["due_given"].fillna(False).astype(bool)
    return out


def _latest(events: pd.DataFrame) -> pd.DataFrame:
    """Each site's last event by date (file order breaks ties)."""
    return events.sort_values("date", kind="stable").groupby("site_id").tail(1)


def change_dates(timeline: pd.DataFrame) -> list[dt.date]:
    """Sorted distinct dates on which some site's status changes (for play / step controls):
    a status event, or a forecast falling due with nothing reported since."""
    prev = timeline.groupby("site_id")["status"].shift()
    moved = timeline[timeline["status"].ne(prev)]
    return sorted({d.date() for d in moved["start"]})
