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
    assert DS.theatre.default_asof.strftime("%Y-%m") == "2020-04"
    df = sites_as_of(DS, DS.theatre.default_asof)
    assert set(df["status"]) >= {"retained", "handed_over", "planned"}


def _first_status(site_id: str) -> tuple[str, str, str]:
    ev = status_events(DS.events)
    ev = ev[ev["site_id"] == site_id].sort_values("date", kind="stable").iloc[0]
    return ev["date"].strftime("%Y-%m-%d"), ev["date_precision"], ev["status"]


FIRST_EVIDENCE = [  # (site, date, precision, status): the earliest sourced presence (or plan)
    ("ain_al_asad", "2014-11-10", "day", "retained"),  # 50 US troops survey the base
    ("al_taqaddum", "2015-06-01", "month", "retained"),  # Task Force Al Taqaddum, Camp Manion
    ("camp_taji", "2014-12-01", "month", "retained"),  # US training began late Dec 2014
    ("camp_victory_biap", "2014-06-30", "day", "retained"),  # troops to secure BIAP
    ("bdsc", "2020-01-01", "year", "retained"),  # no 2014-2019 source names it
    ("union_iii", "2020-02-16", "day", "retained"),  # first dated source naming it
    ("q_west", "2016-07-11", "day", "planned"),  # Carter's 560 troops for Qayyarah
    ("mosul_palaces", "2020-01-01", "year", "retained"),
    ("al_qaim", "2017-11-09", "day", "retained"),  # AP: Task Force Lion
    ("k1", "2017-01-01", "year", "retained"),  # "since 2017"
    ("erbil_ab", "2014-07-03", "day", "retained"),  # second JOC in Irbil
    ("harir", "2014-11-12", "day", "planned"),  # reported negotiations only
    ("besmaya", "2015-02-22", "day", "retained"),  # Spanish flag raised
    ("abu_ghraib", "2019-03-30", "day", "retained"),  # TF Monsabert with the 6th Division
    ("planned_w_anbar", "2020-04-01", "month", "planned"),
    ("al_tanf_syria", "2016-03-01", "month", "retained"),
]


@pytest.mark.parametrize(
    ("site_id", "date", "precision", "status"), FIRST_EVIDENCE, ids=[f[0] for f in FIRST_EVIDENCE]
)
def test_first_evidence(site_id, date, precision, status):
    assert _first_status(site_id) == (date, precision, status)


def test_balad_is_context_without_a_status():
    assert SITES.loc["balad", "context"]
    assert "balad" not in set(status_events(DS.events)["site_id"])


LATEST = [  # (site, status on the last day of the period, date of the change that set it)
    ("ain_al_asad", "handed_over", "2026-01-17"),
    ("camp_victory_biap", "handed_over", "2025-11-26"),
    ("union_iii", "handed_over", "2025-11-26"),
    ("bdsc", "retained", "2020-01-01"),  # a State Department facility; no closure reported
    ("erbil_ab", "retained", "2014-07-03"),  # no source after Mar 2026
    ("harir", "retained", "2020-03-01"),  # no source after Jan 2026
    ("planned_w_anbar", "planned", "2020-04-01"),  # a plan never reported again
    ("al_tanf_syria", "handed_over", "2026-02-11"),
    ("camp_taji", "handed_over", "2020-08-23"),
    ("besmaya", "handed_over", "2020-07-25"),
]


@pytest.mark.parametrize(("site_id", "status", "since"), LATEST, ids=[x[0] for x in LATEST])
def test_status_at_the_end_of_the_period(site_id, status, since):
    end = DS.theatre.end
    assert as_of(DS.sites, DS.events, end).set_index("id")["status"][site_id] == status
    ev = status_events(DS.events)
    ev = ev[(ev["site_id"] == site_id) & (ev["date"] <= pd.Timestamp(end))]
    assert ev.sort_values("date", kind="stable").iloc[-1]["date"] == pd.Timestamp(since)


COMPETING = [  # (row that disputes, row it disputes)
    ("camp_victory_biap_presence_claim_2026", "camp_victory_biap_handover"),
    ("harir_patriot_rudaw", "erbil_ab_patriot"),
    ("al_qaim_established_mena", "al_qaim_retained"),
]


@pytest.mark.parametrize(("event_id", "disputes"), COMPETING, ids=[c[0] for c in COMPETING])
def test_competing_claims(event_id, disputes):
    ev = DS.events.set_index("id")
    assert ev.loc[event_id, "alternative_to"] == disputes


SITE_FIGURES = [  # (estimate id, site, counted, low, best, high)
    ("al_qaim_coalition_2020_03", "al_qaim", "coalition", None, 300, None),
    ("al_qaim_governor_2020_03", "al_qaim", "coalition", None, None, 100),
    ("k1_us_2020_03", "k1", "us", None, 300, None),
    ("q_west_coalition_2017_03", "q_west", "coalition", None, 1000, None),
    ("ain_al_asad_denmark_2018_05", "ain_al_asad", "national", None, 180, None),
    ("ain_al_asad_us_2025_10", "ain_al_asad", "us", 250, None, 350),
]


@pytest.mark.parametrize(
    ("est_id", "site_id", "counted", "low", "best", "high"),
    SITE_FIGURES,
    ids=[f[0] for f in SITE_FIGURES],
)
def test_site_figures(est_id, site_id, counted, low, best, high):
    r = DS.estimates.set_index("id").loc[est_id]
    got = tuple(None if pd.isna(r[c]) else int(r[c]) for c in ("low", "best", "high"))
    assert (r["site_id"], r["counted"], got) == (site_id, counted, (low, best, high))


AREA_FIGURES = [  # (area, counted, low, best, high, date): 2024-2026 and the early years
    ("Iraq", "us", None, 800, None, "2014-06-30"),
    ("Iraq", "us", 5200, None, None, "2016-12-25"),
    ("Iraq", "us", None, 2500, None, "2024-09-27"),
    ("Kurdistan Region", "coalition", None, 1500, None, "2025-11-26"),
    ("Baghdad", "coalition", 4, None, 5, "2025-11-26"),
    ("Iraq", "us", None, 2500, None, "2026-01-18"),
]


@pytest.mark.parametrize(("area", "counted", "low", "best", "high", "date"), AREA_FIGURES)
def test_area_figures(area, counted, low, best, high, date):
    est = DS.estimates[(DS.estimates["area"] == area) & (DS.estimates["counted"] == counted)]
    est = est[est["date"] == pd.Timestamp(date)]
    values = [
        tuple(None if pd.isna(r[c]) else int(r[c]) for c in ("low", "best", "high"))
        for _, r in est.iterrows()
    ]
    assert (low, best, high) in values


REFERENCE_SPREAD = [  # (site, km): the farthest independent reference point (data audit, Nov 2026)
    ("camp_taji", 2.02),  # the ORTI airfield point
    ("al_qaim", 19.7),  # the outpost estimate's centre plus its own 10 km
    ("abu_ghraib", 10.98),  # the German Wikipedia town point
    ("besmaya", 15.15),  # "25 mi E of Baghdad"
    ("al_tanf_syria", 21.67),  # the French Wikipedia point
    ("k1", 0.0),  # one reference point, but a base is not a point
]


@pytest.mark.parametrize(("site_id", "km"), REFERENCE_SPREAD, ids=[r[0] for r in REFERENCE_SPREAD])
def test_radius_covers_the_references(site_id, km):
    radius = SITES.loc[site_id, "uncertainty_km"]
    assert radius > 0 and radius >= km


def test_no_event_claims_to_be_the_first_evidence_in_the_sources_used():
    assert not DS.events["summary"].str.contains("in the sources used").any()
