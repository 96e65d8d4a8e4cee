"""The real data/: valid, sourced, and saying what the fact sheet says (one case per record)."""

import datetime as dt
import json

import pandas as pd
import pytest

from footprint.data import load_dataset, validate
from footprint.export import sites_as_of
from footprint.timeline import as_of, status_events

from ..conftest import DATA

DS = load_dataset(DATA)
SITES = DS.sites.set_index("id", drop=False)
CORE = [s for s in SITES.index if not SITES.loc[s, "context"]]


def test_data_is_valid():
    assert [str(p) for p in validate(DATA)] == []


@pytest.mark.parametrize("site_id", CORE)
def test_every_coalition_site_has_a_status(site_id):
    assert site_id in set(status_events(DS.events)["site_id"])


@pytest.mark.parametrize("site_id", list(SITES.index))
def test_every_site_has_an_event_and_a_located_source(site_id):
    assert (DS.events["site_id"] == site_id).any()
    assert SITES.loc[site_id, "location_source_ids"]


def test_site_names_are_unique():
    # The map reports a clicked marker by its name, so names must identify sites.
    assert DS.sites["name"].is_unique


def test_every_source_is_cited():
    cited = set(DS.sites["location_source_ids"].sum())
    cited |= set(DS.events["source_ids"].sum()) | set(DS.estimates["source_ids"].sum())
    assert sorted(set(DS.sources["id"]) - cited) == []


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
    ("us", None, 3000, None, "2020-09"),
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


def _inside(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: is the point inside the polygon ring?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _governorate_at(lon: float, lat: float) -> str | None:
    gov = json.loads((DATA / "basemap" / "governorates.geojson").read_text(encoding="utf-8"))
    for f in gov["features"]:
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        if any(_inside(lon, lat, p[0]) for p in polygons):
            return f["properties"]["name"]
    return None


IRAQ = [s for s in SITES.index if SITES.loc[s, "country"] == "IRQ"]


@pytest.mark.parametrize("site_id", IRAQ)
def test_governorate_matches_the_point(site_id):
    site = SITES.loc[site_id]
    assert _governorate_at(site["lon"], site["lat"]) == site["governorate"]


def test_default_asof_is_the_articles_moment():
    assert DS.theatre.default_asof.strftime("%Y-%m") == "2020-04"
    df = sites_as_of(DS, DS.theatre.default_asof)
    assert set(df["status"]) >= {"retained", "handed_over", "planned"}
