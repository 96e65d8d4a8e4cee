"""Status as of a date, derived from dated events (never stored twice)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

NO_RECORD = "No record yet"  # how a site with no status on a date is described
PLANNED = "planned"  # the status of a plan: read as unconfirmed once no later report backs it


def status_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events that set a status: a status is given and the row is not a disputed claim."""
    mask = events["status"].ne("") & events["alternative_to"].eq("")
    return events[mask]


def as_of(sites: pd.DataFrame, events: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """Sites with their status on `asof`: the latest status event dated on or before it.

    An event takes effect on its own date. A site with no status event by then gets status ''.
    Disputed claims (rows with `alternative_to`) never set status. `evidence_date` is the date
    of the site's latest event of any kind on or before `asof` (NaT if none): how fresh the
    evidence behind the status is.

    >>> sites = pd.DataFrame({"id": ["q_west"], "name": ["Q-West"]})
    >>> events = pd.DataFrame({
    ...     "id": ["a", "b", "c", "d"], "site_id": ["q_west"] * 4,
    ...     "date": pd.to_datetime(["2016-10-01", "2020-03-26", "2020-03-20", "2019-05-01"]),
    ...     "date_precision": ["month", "day", "day", "month"],
    ...     "status": ["retained", "handed_over", "handed_over", ""],
    ...     "alternative_to": ["", "", "b", ""], "handed_to": ["", "ISF", "", ""]})
    >>> got = as_of(sites, events, dt.date(2020, 3, 25))
    >>> got[["id", "status", "evidence_date"]].values.tolist()
    [['q_west', 'retained', Timestamp('2019-05-01 00:00:00')]]
    >>> as_of(sites, events, dt.date(2020, 3, 26))[["id", "status"]].values.tolist()
    [['q_west', 'handed_over']]
    >>> as_of(sites, events, dt.date(2015, 1, 1))["status"].tolist()
    ['']
    """
    day = pd.Timestamp(asof)
    upto = events[(events["date"] <= day) & events["alternative_to"].eq("")]
    latest = _latest(upto[upto["status"].ne("")])
    latest = latest[["site_id", "status", "date", "date_precision", "id", "handed_to"]].rename(
        columns={"site_id": "id", "date": "status_date", "date_precision": "status_precision",
                 "id": "status_event"}
    )  # fmt: skip
    evidence = _latest(upto)[["site_id", "date", "date_precision"]].rename(
        columns={"site_id": "id", "date": "evidence_date", "date_precision": "evidence_precision"}
    )
    out = sites.merge(latest, on="id", how="left", validate="one_to_one")
    out = out.merge(evidence, on="id", how="left", validate="one_to_one")
    for col in ("status", "status_event", "handed_to", "status_precision", "evidence_precision"):
        out[col] = out[col].fillna("").astype(str)
    return out


def _latest(events: pd.DataFrame) -> pd.DataFrame:
    """Each site's last event by date (file order breaks ties)."""
    return events.sort_values("date", kind="stable").groupby("site_id").tail(1)


def change_dates(events: pd.DataFrame) -> list[dt.date]:
    """Sorted distinct dates on which some site's status changes (for play / step controls)."""
    return sorted({d.date() for d in status_events(events)["date"]})
