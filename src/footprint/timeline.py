"""Status as of a date, derived from dated events (never stored twice)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

STATUSES = ("planned", "retained", "handed_over")
STATUS_LABELS = {
    "planned": "Planned",
    "retained": "Retained",
    "handed_over": "Handed over",
    "": "No record yet",
}


def status_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events that set a status: a status is given and the row is not a disputed claim."""
    mask = events["status"].ne("") & events["alternative_to"].eq("")
    return events[mask]


def as_of(sites: pd.DataFrame, events: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """Sites with their status on `asof`: the latest status event dated on or before it.

    An event takes effect on its own date. A site with no status event by then gets status ''.
    Disputed claims (rows with `alternative_to`) never set status.

    >>> sites = pd.DataFrame({"id": ["q_west"], "name": ["Q-West"]})
    >>> events = pd.DataFrame({
    ...     "id": ["a", "b", "c"], "site_id": ["q_west"] * 3,
    ...     "date": pd.to_datetime(["2016-10-01", "2020-03-26", "2020-03-20"]),
    ...     "status": ["retained", "handed_over", "handed_over"],
    ...     "alternative_to": ["", "", "b"], "handed_to": ["", "ISF", ""]})
    >>> as_of(sites, events, dt.date(2020, 3, 25))[["id", "status"]].values.tolist()
    [['q_west', 'retained']]
    >>> as_of(sites, events, dt.date(2020, 3, 26))[["id", "status"]].values.tolist()
    [['q_west', 'handed_over']]
    >>> as_of(sites, events, dt.date(2015, 1, 1))["status"].tolist()
    ['']
    """
    upto = status_events(events)
    upto = upto[upto["date"] <= pd.Timestamp(asof)]
    latest = upto.sort_values("date", kind="stable").groupby("site_id").tail(1)
    latest = latest[["site_id", "status", "date", "id", "handed_to"]].rename(
        columns={"site_id": "id", "date": "status_date", "id": "status_event"}
    )
    out = sites.merge(latest, on="id", how="left", validate="one_to_one")
    for col in ("status", "status_event", "handed_to"):
        out[col] = out[col].fillna("").astype(str)
    return out


def change_dates(events: pd.DataFrame) -> list[dt.date]:
    """Sorted distinct dates on which some site's status changes (for play / step controls)."""
    return sorted({d.date() for d in status_events(events)["date"]})
