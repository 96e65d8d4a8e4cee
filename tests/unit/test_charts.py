"""Chart data agrees with the as-of rule it summarises."""

import pytest

from footprint import charts
from footprint.data import load_dataset
from footprint.timeline import STATUS_LABELS, as_of, change_dates

from ..conftest import DATA

DS = load_dataset(DATA)
COUNTS = charts.status_counts_over_time(DS.sites, DS.events)
CORE = DS.sites[~DS.sites["context"]]


@pytest.mark.parametrize("day", change_dates(DS.events), ids=str)
def test_running_counts_match_as_of_on_every_change_date(day):
    want = as_of(CORE, DS.events, day)["status"].value_counts()
    upto = COUNTS[COUNTS["date"] <= str(day)]  # a step chart: the last value on or before
    got = upto.groupby("status")["sites"].last()
    for status, label in STATUS_LABELS.items():
        if status:
            assert got.get(label, 0) == want.get(status, 0), (day, status)


@pytest.mark.parametrize(
    ("low", "best", "high", "text"),
    [(None, 5200, None, "~5,200"), (16000, None, None, "more than 16,000"),
     (None, None, 1000, "up to 1,000"), (250, None, 350, "250–350"),
     (5000, 5200, 5500, "~5,200 (5,000–5,500)")],
)  # fmt: skip
def test_figure_text(low, best, high, text):
    import pandas as pd

    row = pd.Series({"low": low, "best": best, "high": high}).astype("Float64")
    assert charts.figure_text(row) == text


def test_chart_dates_read_like_the_rest_of_the_page():
    """The as-of rule's label and the disagreement chart's title write dates as the header
    does ("5 Apr 2020"), not with a leading zero ("05 Apr 2020")."""
    import datetime as dt

    day = dt.date(2020, 4, 5)
    window = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    chart = charts.status_counts_chart(COUNTS, day, window).to_dict()
    labels = [row["label"] for rows in chart["datasets"].values() for row in rows if "label" in row]
    assert labels == ["as of 5 Apr 2020"]
    near = charts.disagreement_chart(charts.estimate_frame(charts.estimates(DS), DS.sources), day)
    assert near.to_dict()["title"] == "What sources say within 120 days of 5 Apr 2020"
