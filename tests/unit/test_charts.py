"""Chart data agrees with the as-of rule it summarises, in the data's own labels and colours."""

import datetime as dt

import pytest

from footprint import charts
from footprint.data import load_dataset
from footprint.estimates import estimates
from footprint.timeline import as_of

from ..conftest import ELSEWHERE, THEATRE

DS = load_dataset(THEATRE)
COUNTS = charts.status_counts_over_time(DS)
CORE = DS.sites[~DS.sites["context"]]


@pytest.mark.parametrize("day", DS.change_dates(), ids=str)
def test_running_counts_match_as_of_on_every_change_date(day):
    want = as_of(CORE, DS.timeline(), DS.events, day)["status"].value_counts()
    upto = COUNTS[COUNTS["date"] <= str(day)]  # a step chart: the last value on or before
    got = upto.groupby("status")["sites"].last()
    for status, label in DS.labels("events", "status").items():
        assert got.get(label, 0) == want.get(status, 0), (day, status)


def test_chart_dates_read_like_the_rest_of_the_page():
    """The as-of rule's label and the disagreement chart's title write dates as the header
    does ("5 Apr 2020"), not with a leading zero ("05 Apr 2020")."""
    day = dt.date(2020, 4, 5)
    window = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    chart = charts.status_counts_chart(COUNTS, day, window, charts.status_scale(DS)).to_dict()
    labels = [row["label"] for rows in chart["datasets"].values() for row in rows if "label" in row]
    assert labels == ["as of 5 Apr 2020"]
    near = charts.disagreement_chart(estimates(DS), day)
    assert near.to_dict()["title"] == "What sources say within 120 days of 5 Apr 2020"


@pytest.mark.parametrize("fixture", [THEATRE, ELSEWHERE], ids=["theatre", "elsewhere"])
def test_scales_come_from_the_datas_categories(fixture):
    ds = load_dataset(fixture)
    status = charts.status_scale(ds).to_dict()
    cats = ds.package.table("events").field("status").categories
    assert status["domain"] == [c.label for c in cats]
    assert status["range"] == [dict(c.look)["colour"] for c in cats]
    counted = charts.counted_scale(ds).to_dict()
    assert set(estimates(ds)["who"]) <= set(counted["domain"])  # no value without a colour


def test_a_new_counted_value_with_its_label_and_colour_is_charted(theatre):
    """A maintainer adds who is counted: the chart's legend names it, not NaN."""
    import json

    path = theatre / "datapackage.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    est = next(r for r in raw["resources"] if r["name"] == "estimates")
    counted = next(f for f in est["schema"]["fields"] if f["name"] == "counted")
    counted["constraints"]["enum"].append("marines")
    counted["categories"].append({"value": "marines", "label": "US Marines", "colour": "#123456"})
    path.write_text(json.dumps(raw), encoding="utf-8")
    with open(theatre / "estimates.csv", "a", encoding="utf-8") as f:
        f.write("marines_2020,country,,Iraq,2020-02-01,month,marines,,800,,reported,"
                "About 800 marines.,medium,,\n")  # fmt: skip
    with open(theatre / "citations.csv", "a", encoding="utf-8") as f:
        f.write("marines_2020,wire,yes,lead paragraph,2026-11-01,About 800 marines.\n")
    ds = load_dataset(theatre)
    chart = charts.troop_chart(estimates(ds), dt.date(2020, 4, 5), charts.counted_scale(ds), "t")
    assert "US Marines" in chart.to_json() and "#123456" in chart.to_json()
