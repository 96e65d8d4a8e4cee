"""The real data/: valid, sourced, and saying what the fact sheet says (one case per record)."""

import datetime as dt

import pandas as pd
import pytest

from footprint.data import load_dataset, validate
from footprint.export import sites_as_of
from footprint.timeline import due_end, status_events

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
    """These handovers are among 2020's, in this order (a maintainer may add others)."""
    ev = status_events(DS.events)
    ev = ev[(ev["status"] == "handed_over") & (ev["date"].dt.year == 2020)].sort_values("date")
    got = list(zip(ev["site_id"], ev["date"].dt.strftime("%Y-%m-%d"), strict=True))
    assert [h for h in got if h in HANDOVERS_2020] == HANDOVERS_2020


DISPUTES = [  # (site, the other source's date) kept visible as alternative_to rows: a date
    ("al_qaim", "2020-03-19"),  # MENA's date for the handover; or the date a forecast expected
    ("mosul_palaces", "2020-04-04"),  # (Alforat/Sputnik, 26 Mar 2020) for the Mosul handover
]


@pytest.mark.parametrize(("site_id", "date"), DISPUTES, ids=[d[0] for d in DISPUTES])
def test_disputed_dates_are_recorded_as_alternatives(site_id, date):
    ev = DS.events[DS.events["site_id"] == site_id]
    day = pd.Timestamp(date)
    ev = ev[(ev["date"] == day) | (ev["due"] == day)]
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
    got = DS.status_on(dt.date.fromisoformat(asof)).set_index("id")["status"]
    assert got[site_id] == status


def test_default_asof_is_the_articles_moment():
    assert DS.theatre.default_asof.strftime("%Y-%m") == "2020-04"
    df = sites_as_of(DS, DS.theatre.default_asof)
    assert set(df["status"]) >= {"retained", "handed_over", "planned"}


PRESENT_BY = [  # (site, date, status): the sources put the coalition there (or a plan) by then
    ("ain_al_asad", "2014-11-10", "retained"),  # 50 US troops survey the base
    ("al_taqaddum", "2015-06-01", "retained"),  # Task Force Al Taqaddum, Camp Manion
    ("camp_taji", "2014-12-01", "retained"),  # US training began late Dec 2014
    ("camp_victory_biap", "2014-06-30", "retained"),  # troops to secure BIAP
    ("bdsc", "2020-01-01", "retained"),  # no 2014-2019 source names it
    ("union_iii", "2017-01-19", "retained"),  # a transfer-of-authority ceremony there (ARA News)
    ("union_iii", "2018-03-19", "retained"),  # and another (DoD News)
    ("q_west", "2016-07-11", "planned"),  # Carter's 560 troops for Qayyarah
    ("mosul_palaces", "2020-01-01", "retained"),
    ("al_qaim", "2017-11-09", "retained"),  # AP: Task Force Lion
    ("k1", "2017-01-01", "retained"),  # "since 2017"
    ("erbil_ab", "2014-07-03", "retained"),  # second JOC in Irbil
    ("harir", "2014-11-12", "planned"),  # reported negotiations only
    ("besmaya", "2015-02-01", "retained"),  # US and Spanish trainers there by February 2015
    ("abu_ghraib", "2015-03-01", "retained"),  # French task force from March 2015
    ("planned_w_anbar", "2020-04-01", "planned"),
    ("al_tanf_syria", "2016-03-01", "retained"),
    ("camp_swift", "2016-02-17", "retained"),  # US advisers at the Makhmur operations centre
    ("fire_base_bell", "2016-03-01", "retained"),  # 26th MEU artillery near Makhmur
    ("fsb_um_jorais", "2018-06-01", "retained"),  # temporary artillery position near Sinjar
    ("ktcc_bnaslawa", "2015-03-24", "retained"),  # the KTCC's first course at Bnaslawa
    ("mosul_dam_praesidium", "2016-04-01", "retained"),  # Italian troops at the dam
]


@pytest.mark.parametrize(("site_id", "date", "status"), PRESENT_BY, ids=[f[0] for f in PRESENT_BY])
def test_present_by(site_id, date, status):
    """What the sources say of earlier presence holds, however much earlier evidence is added."""
    day = dt.date.fromisoformat(date)
    assert DS.status_on(day).set_index("id").loc[site_id, "reported"] == status


def test_balad_is_context_without_a_status():
    assert SITES.loc["balad", "context"]
    assert "balad" not in set(status_events(DS.events)["site_id"])


STATUS_ON = [  # (site, date, status drawn): handovers, and announced ends that fell due unreported
    ("ain_al_asad", "2026-01-17", "handed_over"),
    ("camp_victory_biap", "2025-11-26", "handed_over"),
    ("union_iii", "2025-11-26", "handed_over"),
    ("al_tanf_syria", "2026-02-11", "handed_over"),
    ("camp_taji", "2020-08-23", "handed_over"),
    ("besmaya", "2020-07-25", "handed_over"),
    ("erbil_ab", "2026-06-01", "retained"),  # the end announced for Sep 2026 is not due yet
    ("erbil_ab", "2026-10-01", "unconfirmed"),  # due end of Sep 2026; nothing reported since
    ("harir", "2026-10-01", "unconfirmed"),
    ("qasrak", "2026-03-20", "retained"),  # reinforced in March, before the announced end
    ("qasrak", "2026-05-01", "unconfirmed"),  # all to leave by Apr 2026 (WSJ); nothing since
    ("rmeilan_kharab_al_jir", "2026-05-01", "unconfirmed"),
    ("planned_w_anbar", "2020-04-05", "planned"),
    ("planned_w_anbar", "2021-06-01", "unconfirmed"),  # a plan never reported again
]


@pytest.mark.parametrize(("site_id", "day", "status"), STATUS_ON, ids=[x[0] for x in STATUS_ON])
def test_status_on(site_id, day, status):
    """A later source may change these only by adding a dated row: what the map drew on these
    days stays as the sources had it."""
    assert DS.status_on(dt.date.fromisoformat(day)).set_index("id").loc[site_id, "status"] == status


def test_no_site_reads_as_retained_past_an_announced_end_on_the_last_day():
    """On the last day (today), no site is drawn as retained while an end announced for it has
    fallen due with no status reported since."""
    end = pd.Timestamp(DS.theatre.end)
    now = DS.status_on(DS.theatre.end)
    ends = DS.events[DS.events["expects"].eq("handed_over") & DS.events["alternative_to"].eq("")]
    ends = ends[ends["due"].notna() & (ends["date"] <= end)]
    status = status_events(DS.events)
    for site in now[now["status"].eq("retained") & ~now["context"]]["id"]:
        for f in ends[ends["site_id"].eq(site)].itertuples():
            due = due_end(f.due, f.due_precision)
            later = status[status["site_id"].eq(site) & (status["date"] > due)]
            assert due >= end or len(later), f"{site}: end due {due:%Y-%m-%d}, nothing since"


ATTACKS = [  # (event, site, date): attacks the sources name a site for
    ("fire_base_bell_attack_2016_03_19", "fire_base_bell", "2016-03-19"),  # Sgt Cardin killed
    ("tower_22_drone_2024_01_28", "tower_22", "2024-01-28"),
    ("ain_al_asad_missiles_2024_01_20", "ain_al_asad", "2024-01-20"),
    ("ain_al_asad_rockets_2024_08_05", "ain_al_asad", "2024-08-05"),
    ("al_tanf_drones_2023_10_18", "al_tanf_syria", "2023-10-18"),
]


@pytest.mark.parametrize(("event_id", "site_id", "day"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks_are_recorded_at_their_sites(event_id, site_id, day):
    event = DS.events.set_index("id").loc[event_id]
    assert (event["site_id"], event["date"], event["kind"]) == (
        site_id,
        pd.Timestamp(day),
        "attack",
    )


def test_the_official_count_of_attacks_after_7_october_is_beside_the_layer():
    """On 1 Feb 2024 the attack layer's note gives the Pentagon's count since 17 Oct 2023."""
    from footprint.layers import layer

    notes = layer("attacks").notes(DS, DS.status_on(dt.date(2024, 2, 1)), dt.date(2024, 2, 1))
    assert any(
        n.startswith("Iraq and Syria, 17 Oct 2023 to 4 Feb 2024: more than 165") for n in notes
    )


HEADLINE = [  # (date, country's label, figure, how it starts): the rule's pick on key dates
    ("2020-04-01", "US troops in Iraq", "~5,200", "Mar 2020, official"),
    ("2025-10-01", "US troops in Iraq", "~2,500", "30 Sep 2025, reported"),
    ("2025-10-01", "US troops in Syria", "more than 900", "30 Sep 2025, reported"),
    ("2026-12-07", "US troops in Iraq", "~2,500", "30 Sep 2025, reported"),  # not the low 2026 one
    ("2026-12-07", "US troops in Syria", "~1,000", "18 Feb 2026, reported"),
]


@pytest.mark.parametrize(("day", "label", "figure", "source"), HEADLINE)
def test_the_headline_rule_picks(day, label, figure, source):
    from footprint.estimates import headline_figures

    got = {f.label: f for f in headline_figures(DS, dt.date.fromisoformat(day))}[label]
    assert (got.figure, got.source.split(":")[0]) == (figure, source)


def test_syria_s_announced_withdrawal_shows_as_announced_then_unconfirmed():
    from footprint.estimates import headline_figures

    syria = {f.label: f for f in headline_figures(DS, dt.date(2026, 12, 7))}["US troops in Syria"]
    assert syria.announced == "announced 18 Feb 2026: none by Apr 2026" and syria.lapsed


COMPETING = [  # (row that disputes, row it disputes)
    ("camp_victory_biap_presence_claim_2026", "camp_victory_biap_handover"),
    ("harir_patriot_rudaw", "erbil_ab_patriot"),
    ("al_qaim_established_mena", "al_qaim_retained"),
    ("harir_vacated_ctd_2023_10", "harir_retained"),  # Kurdistan Region CTD: left in Oct 2023
    ("camp_victory_biap_embassy_2024_10", "camp_victory_biap_retained"),  # no base, per Embassy
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


# --- Syria (issue 20): one case per record, the facts as checked against the sources ---

SYRIA_SITES = [s for s in SITES.index if SITES.loc[s, "country"] == "SYR" and s != "al_tanf_syria"]
STATUS = status_events(DS.events)

SYRIA_PRESENT_BY = [  # (site, status, date): the coalition (or a plan) there by then, per sources
    ("tower_22", "retained", "2015-01-01"),
    ("zakf", "retained", "2017-06-01"),
    ("rmeilan_kharab_al_jir", "retained", "2015-10-01"),  # US work on the strip from Oct 2015
    ("qasrak", "retained", "2017-01-01"),  # built from late 2017 (ISWNews)
    ("tal_baydar", "retained", "2017-01-01"),  # US special forces arrived (BasNews)
    ("shaddadi", "retained", "2016-01-01"),
    ("mss_euphrates_conoco", "retained", "2018-02-07"),  # US troops at the Khasham battle
    ("mss_green_village_omar", "retained", "2019-09-30"),
    ("lafarge_kharab_ishk", "retained", "2016-03-01"),
    ("sarrin", "retained", "2016-12-01"),  # first C-17 on the strip (CENTCOM)
    ("manbij", "retained", "2017-03-06"),
    ("tabqa_airbase", "retained", "2017-04-01"),  # US engineers repairing the airfield
    ("tal_samin", "retained", "2019-01-01"),
    ("ain_issa", "retained", "2018-02-14"),
    ("tishrin_dam", "planned", "2025-01-01"),
    ("hemo", "retained", "2018-09-01"),
    ("al_wazir", "retained", "2022-06-17"),  # the second Hasakah base in the Reuters report
    ("h2_merv", "retained", "2025-04-18"),  # the third site the DoD IG lists for May 2025
    ("tal_tamr", "retained", "2017-07-18"),  # Anadolu's list of US points
    ("tal_abyad_op", "retained", "2017-12-12"),
]

SYRIA_STATUS_ROWS = [  # (site, status, date, who received it): dated status rows the sources give
    ("zakf", "handed_over", "2017-09-19", "vacated (some fortifications destroyed)"),
    ("rmeilan_kharab_al_jir", "retained", "2026-02-23", ""),
    ("qasrak", "retained", "2026-03-11", ""),
    ("tal_baydar", "handed_over", "2025-06-17", "vacated (SDF guards)"),
    ("shaddadi", "handed_over", "2026-02-15", "Syrian Arab Army (Syrian MoD)"),
    (
        "mss_euphrates_conoco",
        "handed_over",
        "2025-05-01",
        "SDF (infrastructure dismantled or handed over)",
    ),
    (
        "mss_green_village_omar",
        "handed_over",
        "2025-05-01",
        "closed (infrastructure dismantled or handed to the SDF)",
    ),
    (
        "lafarge_kharab_ishk",
        "handed_over",
        "2019-10-16",
        "vacated (ammunition cache destroyed by coalition air strike)",
    ),
    ("sarrin", "handed_over", "2019-11-15", "Russian military police"),
    (
        "manbij",
        "handed_over",
        "2019-10-14",
        "vacated; Russian military police and Syrian army moved in",
    ),
    ("tabqa_airbase", "handed_over", "2019-10-16", "Syrian government forces"),
    ("tal_samin", "handed_over", "2019-12-26", "Russian military police"),
    (
        "ain_issa",
        "handed_over",
        "2019-10-13",
        "vacated; Syrian army entered 14 Oct (joint control with the SDF)",
    ),
    ("tishrin_dam", "planned", "2025-01-01", ""),
    ("hemo", "handed_over", "2024-01-15", "vacated (troops moved to Qasrak and Hasakah)"),
    ("h2_merv", "handed_over", "2025-05-01", None),
    ("al_wazir", "handed_over", "2025-06-17", None),
]


def _site_status(site_id: str):
    return STATUS[STATUS["site_id"] == site_id].sort_values("date", kind="stable")


def test_syria_counts_at_least_25_sites_and_iraq_22():
    """Issue 27's targets: the footprint the sources name, not a sample of it."""
    counted = SITES[~SITES["context"]]
    assert (counted["country"] == "SYR").sum() >= 25
    assert (counted["country"] == "IRQ").sum() >= 22


@pytest.mark.parametrize(
    ("site_id", "country", "context"),
    [
        *[(s, "SYR", False) for s in SYRIA_SITES],
        ("tower_22", "JOR", True),
    ],
    ids=[*SYRIA_SITES, "tower_22"],
)
def test_syrian_sites_are_main_sites_and_tower_22_is_context(site_id, country, context):
    site = SITES.loc[site_id]
    assert (site["country"], bool(site["context"])) == (country, context)


@pytest.mark.parametrize(
    ("site_id", "status", "date"), SYRIA_PRESENT_BY, ids=[c[0] for c in SYRIA_PRESENT_BY]
)
def test_syrian_presence_by(site_id, status, date):
    day = dt.date.fromisoformat(date)
    assert DS.status_on(day).set_index("id").loc[site_id, "reported"] == status


@pytest.mark.parametrize(
    ("site_id", "status", "date", "handed_to"),
    SYRIA_STATUS_ROWS,
    ids=[c[0] for c in SYRIA_STATUS_ROWS],
)
def test_syrian_status_rows(site_id, status, date, handed_to):
    rows = _site_status(site_id)
    rows = rows[(rows["date"] == pd.Timestamp(date)) & (rows["status"] == status)]
    assert len(rows) == 1
    if handed_to is not None:
        assert rows["handed_to"].item() == handed_to


SYRIA_LOCATIONS = [  # (site, precision, radius km): how far off each point may be
    ("tower_22", "sourced", 2),
    ("zakf", "estimate", 25),
    ("rmeilan_kharab_al_jir", "sourced", 5),
    ("qasrak", "sourced", 3),
    ("tal_baydar", "proxy", 8),
    ("shaddadi", "proxy", 5),
    ("mss_euphrates_conoco", "proxy", 26),  # the field's point is suspect; Sputnik: 20 km N
    ("mss_green_village_omar", "sourced", 15),  # the field's point; the base lies inside it
    ("lafarge_kharab_ishk", "estimate", 30),
    ("sarrin", "proxy", 10),
    ("manbij", "proxy", 20),  # several US points around the city
    ("tabqa_airbase", "sourced", 3),
    ("tal_samin", "estimate", 8),
    ("ain_issa", "proxy", 5),
    ("tishrin_dam", "proxy", 5),
    ("hemo", "estimate", 5),
    ("h2_merv", "estimate", 80),  # "the middle Euphrates River valley"
]


@pytest.mark.parametrize(
    ("site_id", "precision", "radius"), SYRIA_LOCATIONS, ids=[c[0] for c in SYRIA_LOCATIONS]
)
def test_syrian_location_precision(site_id, precision, radius):
    site = SITES.loc[site_id]
    assert (site["location_precision"], site["uncertainty_km"]) == (precision, radius)
    assert site["location_note"]


SYRIA_FIGURES = [  # (id, counted, low, best, high, day): US troops, as the sources state them
    ("syria_us_2015_10", "us", None, None, 50, "2015-10-30"),  # "fewer than 50"
    ("syria_us_2017_11_fml", "us", None, 503, None, "2017-11-01"),
    ("syria_us_2017_12", "us", None, 2000, None, "2017-12-06"),
    ("syria_us_2018_12", "us", None, 2000, None, "2018-12-19"),
    ("north_syria_us_2019_10", "us", None, 1000, None, "2019-10-13"),
    ("syria_us_2019_11", "us", None, 600, None, "2019-11-13"),
    ("syria_us_2023_01", "us", None, 900, None, "2023-01-04"),
    ("syria_us_2024_12", "us", None, 2000, None, "2024-12-19"),
    ("syria_us_2025_07", "us", None, 1500, None, "2025-07-01"),
    ("syria_us_2026_02", "us", None, 1000, None, "2026-02-18"),  # WSJ, CBS
    ("syria_us_2026_02_aljazeera", "us", None, 900, None, "2026-02-15"),  # the competing 900
    ("tower_22_us_2024_01", "us", None, 350, None, "2024-01-28"),
]
ESTIMATES = DS.estimates.set_index("id", drop=False)


@pytest.mark.parametrize(
    ("estimate_id", "counted", "low", "best", "high", "day"),
    SYRIA_FIGURES,
    ids=[c[0] for c in SYRIA_FIGURES],
)
def test_syria_figures(estimate_id, counted, low, best, high, day):
    est = ESTIMATES.loc[estimate_id]
    values = tuple(None if pd.isna(est[c]) else int(est[c]) for c in ("low", "best", "high"))
    assert (est["counted"], values, est["date"]) == (counted, (low, best, high), pd.Timestamp(day))
    if est["scope"] == "country":
        assert est["area"] == "Syria"


SYRIA_DISPUTES = [  # (competing claim, the best-supported event it disputes)
    ("rmeilan_vacated_shafaq_2026_02_12", "rmeilan_retained_2026_02_23"),  # kept or vacated
    ("qasrak_vacated_shafaq_2026_02_12", "qasrak_reinforced_2026_03_11"),  # vacated or held
    ("tal_samin_left_rt", "tal_samin_handover"),  # Oct (RT) or Dec (TASS)
    ("hemo_relocation_athr", "hemo_handover"),  # left, or relocated
]
EVENTS = DS.events.set_index("id", drop=False)


@pytest.mark.parametrize(("claim", "disputes"), SYRIA_DISPUTES, ids=[c[0] for c in SYRIA_DISPUTES])
def test_syrian_disagreements_are_kept(claim, disputes):
    assert EVENTS.loc[claim, "alternative_to"] == disputes
    assert EVENTS.loc[claim, "site_id"] == EVENTS.loc[disputes, "site_id"]
    assert EVENTS.loc[disputes, "alternative_to"] == ""


SYRIA_ATTACKS = [
    "tower_22_drone_2024_01_28",
    "rmeilan_drone_2024_08_09",
    "conoco_khasham_2018_02_07",
    "conoco_rockets_2023_01_04",
    "conoco_rocket_2023_04_10",
    "manbij_bombing_2019_01_16",
    "qasrak_drone_claim_2024_01_07",
    "qasrak_mortar_2025_06",
    "qasrak_drone_2026_03_12",
    "hemo_attack_2024_01",
]


@pytest.mark.parametrize("event_id", SYRIA_ATTACKS)
def test_syrian_attacks_are_observations(event_id):
    event = EVENTS.loc[event_id]
    assert (event["kind"], event["status"]) == ("attack", "")


MERGED_IDENTITIES = [  # (site, another of its names): one site, several names, as the notes explain
    ("rmeilan_kharab_al_jir", "Kharab al-Jir"),
    ("rmeilan_kharab_al_jir", "Abu Hajar airport"),
    ("rmeilan_kharab_al_jir", "Rumalyn Landing Zone"),
    ("mss_euphrates_conoco", "MSS Conoco"),
    ("mss_green_village_omar", "al-Omar"),
]


@pytest.mark.parametrize(
    ("site_id", "alias"), MERGED_IDENTITIES, ids=[f"{s}:{a}" for s, a in MERGED_IDENTITIES]
)
def test_merged_identities_are_aliases(site_id, alias):
    assert alias in SITES.loc[site_id, "aliases"]


def _syrian_events():
    return DS.events[DS.events["site_id"].isin([*SYRIA_SITES, "tower_22"])]


def _events_of(site_id: str):
    return DS.events[DS.events["site_id"] == site_id]


def _qasrak_is_not_tal_baydar():
    # Reuters found the Tel Baydar base vacated in Jun 2025 while Qasrak stayed: two sites
    return "tal_baydar" in SITES.index and "Baydar" not in " ".join(SITES.loc["qasrak", "aliases"])


def _drone_2023_03_23_not_placed():
    # the Pentagon named no base for the drone strike "near Hasakah" of 23 Mar 2023; only a
    # partisan outlet named one
    return not (_syrian_events()["date"] == pd.Timestamp("2023-03-23")).any()


def _rmeilan_no_syrian_army_takeover():
    # an undated report that the Syrian army took over the Rmeilan base is not recorded
    handed_to = _site_status("rmeilan_kharab_al_jir")["handed_to"]
    return not handed_to.str.contains("Syrian").any()


def _rmeilan_no_1_feb_2026_move():
    # al-Watan's claim that equipment left Kharab al-Jir on 1 Feb 2026 is not recorded
    return not (_events_of("rmeilan_kharab_al_jir")["date"] == pd.Timestamp("2026-02-01")).any()


def _lafarge_no_return():
    # al-Watan's claim of a US return to Kharab Ishk about 2022: nothing after the Oct 2019 strike
    return _events_of("lafarge_kharab_ishk")["date"].max() == pd.Timestamp("2019-10-16")


def _h2_is_in_syria_as_an_estimate():
    # the DoD IG lists H2 with MSS Green Village and MSS Euphrates, all three in the middle
    # Euphrates valley (Stars and Stripes, SOFX): a Syrian site whose point no source gives
    h2 = SITES.loc["h2_merv"]
    return (h2["country"], h2["location_precision"]) == ("SYR", "estimate")


def _no_feb_2019_figure():
    # "400 including Tanf" (a low-quality copy) and the planned 200 are not troop figures here
    syria = DS.estimates[DS.estimates["area"] == "Syria"]
    return not (syria["date"].dt.strftime("%Y-%m") == "2019-02").any()


def _tanf_to_tower_22_not_a_status():
    # AFP says the Tanf troops went "to Jordan"; only Anadolu names Tower 22: an observation
    event = EVENTS.loc["tower_22_tanf_troops_2026_02"]
    return event["confidence"] != "high" and event["status"] == ""


def _green_village_no_residual():
    # Al-Ahed's troops "from al-Omar" in Feb 2026: no status after the May 2025 closure
    return _site_status("mss_green_village_omar").iloc[-1]["status"] == "handed_over"


def _tishrin_only_planned():
    # a base at the dam was reported as planned once, and never confirmed
    planned = set(_site_status("tishrin_dam")["status"]) == {"planned"}
    return planned and EVENTS.loc["tishrin_dam_planned", "confidence"] == "low"


def _tabqa_presence_low():
    # US use of Tabqa airbase is disputed
    return EVENTS.loc["tabqa_retained", "confidence"] == "low"


HELD_BACK = {  # what the fact sheet claims but the sources did not bear out, recorded as decided
    f.__name__.lstrip("_"): f
    for f in (
        _qasrak_is_not_tal_baydar,
        _drone_2023_03_23_not_placed,
        _rmeilan_no_syrian_army_takeover,
        _rmeilan_no_1_feb_2026_move,
        _lafarge_no_return,
        _h2_is_in_syria_as_an_estimate,
        _no_feb_2019_figure,
        _tanf_to_tower_22_not_a_status,
        _green_village_no_residual,
        _tishrin_only_planned,
        _tabqa_presence_low,
    )
}


@pytest.mark.parametrize("fact", list(HELD_BACK))
def test_held_back_facts(fact):
    assert HELD_BACK[fact]()


def test_syria_latest_source_date():
    """The page's "Syria: latest source ..." is at least 12 Mar 2026, the newest source found."""
    from footprint.briefing import latest_sources

    assert latest_sources(DS)["SYR"] >= dt.date(2026, 3, 12)


# --- across the border: what the Compare view shows for the researchers' questions ----------

ACROSS = [  # (from, to, sites whose status changes in between, among others a source may add)
    ("2019-10-01", "2019-12-01", {"lafarge_kharab_ishk", "sarrin", "manbij", "ain_issa"}),
    ("2026-01-01", "2026-03-01", {"ain_al_asad", "al_tanf_syria", "shaddadi"}),
]


@pytest.mark.parametrize(("a", "b", "changed"), ACROSS, ids=["ne-syria-2019", "departures-2026"])
def test_compare_across_the_border(a, b, changed):
    from footprint.view import changes

    diff = changes(DS.status_on(dt.date.fromisoformat(a)), DS.status_on(dt.date.fromisoformat(b)))
    assert changed <= set(diff["id"])
