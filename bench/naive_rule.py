"""The naive page's rule (bench/naive_app.py), kept apart so that the bench expects what that
page draws: pandas reads the CSVs, and a site's status is that of its latest undisputed status
event on or before the day. No forecasts, no lapsed reports, no context sites: the dashboard's
rules (footprint.timeline) differ, so the bench cannot expect the naive page to draw the
dashboard's counts (it waited for them, and timed out, wherever the two rules part).
"""

import datetime as dt
import json
from pathlib import Path

import pandas as pd


def read(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Sites, events (dates parsed) and the package's dashboard settings."""
    sites = pd.read_csv(data_dir / "sites.csv")
    events = pd.read_csv(data_dir / "events.csv", parse_dates=["date"])
    config = json.loads((data_dir / "datapackage.json").read_text())["footprint"]
    return sites, events, config


def period(config: dict) -> tuple[dt.date, dt.date]:
    """The slider's first and last dates ('today' is today)."""

    def day(value: str) -> dt.date:
        return dt.date.today() if value == "today" else dt.date.fromisoformat(value)

    return day(config["period"]["start"]), day(config["period"]["end"])


def status_on(sites: pd.DataFrame, events: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Sites with the status of their latest undisputed status event on or before `day`."""
    ev = events[events["status"].notna() & events["alternative_to"].isna()]
    ev = ev[ev["date"] <= pd.Timestamp(day)].sort_values("date", kind="stable")
    latest = ev.groupby("site_id")["status"].last()
    return sites.assign(status=sites["id"].map(latest))
