"""The real data/: valid, sourced, and saying what the fact sheet says (one case per record)."""

import datetime as dt

import pandas as pd
import pytest

from footprint.data import load_dataset, validate
from footprint.export import sites_as_of
from footprint.timeline import as_of, status_events

from ..conftest import DATA

DS = load_dataset(DATA)
SITES = DS.sites.set_index("id", drop=False)


def test_data_is_valid():
    # The validator's rules cover unique names, a status for every non-context site, a history
    # that starts with a presence, governorates, cited sources and source dates.
    assert [str(p) for p in validate(DATA)] == []


@pytest.mark.parametrize("site_id", list(SITES.index))
def test_every_site_has_an_event(site_id):
    assert (DS.events["site_id"] == site_id).any()


HANDOVERS_2020 = [  # fact sheet, section 2: the coalition's base transfers of 2020
    ("al_qaim", "2020-03-17"),
    ("q_west", "2020-03-26"),
    ("k1", "2020-03-29"),
    ("mosul_palaces", "2020-03-30"),
    ("al_taqaddum", "2020-04-04"),
    ("abu_ghraib", "2020-04-07"),
    ("besmaya", "2020-07-25"),
    ("camp_taji", "2020-08-23"),
]


def test_the_2020_handover_sequence():
    ev = status_events(DS.events)
    ev = ev[(ev["status"] == "handed_over") & (ev["date"].dt.year == 2020)].sort_values("date")
    got = list(zip(ev["site_id"], ev["date"].dt.strftime("%Y-%m-%d"), strict=True))
    assert got == HANDOVERS_2020


DISPUTES = [  # (site, the other source's date) kept visible as alternative_to rows
    ("al_qaim", "2020-03-19"),
    ("mosul_palaces", "2020-04-04"),
]


@pytest.mark.parametrize(("site_id", "date"), DISPUTES, ids=[d[0] for d in DISPUTES])
def test_disputed_dates_are_recorded_as_alternatives(site_id, date):
    ev = DS.events[(DS.events["site_id"] == site_id) & (DS.events["date"] == pd.Timestamp(date))]
    assert len(ev) == 1 and ev["alternative_to"].item() != ""


FIGURES = [  # (counted, low, best, high, year-month): the article's and the later national figures
    ("foreign", None, 8000, None, "2020-04"),
    ("us", None, 5200, None, "2020-03"),
    ("foreign", 16000, None, None, "2020-04"),
    ("us", None, 5200, None, "2020-09"),
    ("us", 3000, None, None, "2020-11"),
    ("us", None, 2500, None, "2021-01"),
]


@pytest.mark.parametrize(("counted", "low", "best", "high", "month"), FIGURES)
def test_country_figures(counted, low, best, high, month):
    est = DS.estimates[(DS.estimates["scope"] == "country") & (DS.estimates["counted"] == counted)]
    est = est[est["date"].dt.strftime("%Y-%m") == month]
    values = [
        tuple(None if pd.isna(r[c]) else int(r[c]) for c in ("low", "best", "high"))
        for _, r in est.iterrows()
    ]
    assert (low, best, high) in values


@pytest.mark.parametrize(
    ("asof", "site_id", "status"),
    [
        ("2020-03-27", "q_west", "handed_over"),
        ("2020-03-27", "camp_taji", "retained"),
        ("2020-08-24", "camp_taji", "handed_over"),
        ("2020-03-20", "q_west", "retained"),
        ("2020-04-10", "q_west", "handed_over"),
        ("2020-03-18", "al_qaim", "handed_over"),
        ("2020-04-05", "planned_w_anbar", "planned"),
    ],
)
def test_status_as_of(asof, site_id, status):
    got = as_of(DS.sites, DS.events, dt.date.fromisoformat(asof)).set_index("id")["status"]
    assert got[site_id] == status


def test_default_asof_is_the_articles_moment():
    assert DS.config["default_asof"].startswith("2020-04")
    df = sites_as_of(DS, dt.date.fromisoformat(DS.config["default_asof"]))
    assert set(df["status"]) >= {"retained", "handed_over", "planned"}
