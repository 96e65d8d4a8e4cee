"""Synthetic benchmark data: valid, deterministic, the counts asked for, and a map that moves."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from footprint.cli import main
from footprint.data import load_dataset, validate
from footprint.synth import governorate_at, governorates, write_synthetic

from ..conftest import DATA

FOCUS = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["footprint"]["focus"][0]

N = 50


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_synthetic(out, N, seed=7)
    return out


@pytest.fixture(scope="module")
def ds(synth):
    return load_dataset(synth)


def test_output_validates_with_no_problems(synth):
    assert [str(p) for p in validate(synth)] == []


def test_same_seed_same_files_other_seed_other_sites(synth, tmp_path):
    write_synthetic(tmp_path / "again", N, seed=7)
    write_synthetic(tmp_path / "other", N, seed=8)
    for name in ("datapackage.json", "sites.csv", "events.csv", "estimates.csv", "sources.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (synth / name).read_bytes(), name
    assert (tmp_path / "other" / "sites.csv").read_bytes() != (synth / "sites.csv").read_bytes()


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (lambda ds: len(ds.sites), N),
        (lambda ds: ds.sites["id"].is_unique and ds.sites["name"].is_unique, True),
        (lambda ds: set(ds.sites["country"]), {FOCUS}),
        (lambda ds: ds.sites["name"].str.fullmatch(r"Synthetic site \d{5}").all(), True),
        (lambda ds: set(ds.sites["notes"]), {"synthetic benchmark data"}),
        (lambda ds: ds.sources["url"].str.startswith("https://example.org/synthetic/").all(), True),
        (lambda ds: set(ds.events["site_id"]) == set(ds.sites["id"]), True),
        (lambda ds: 0 < (ds.estimates["scope"] == "country").sum() <= 10, True),
        (lambda ds: 0 < len(ds.sources) <= 10, True),
    ],
    ids=["sites", "unique", "country", "names", "notes", "urls", "every-site-has-events",
         "estimates", "sources"],
)  # fmt: skip
def test_counts_and_markings(ds, check, expected):
    assert check(ds) == expected


def _share(ds, status: str) -> float:
    ev = ds.events[(ds.events["status"] == status) & (ds.events["alternative_to"] == "")]
    return ev["site_id"].nunique() / len(ds.sites)


def test_status_mix_at_1000_sites(tmp_path):
    ds = load_dataset(write_and_return(tmp_path, 1000))
    assert 0.9 <= _share(ds, "retained") < 1
    assert 0.5 <= _share(ds, "handed_over") <= 0.7
    assert 0 < _share(ds, "planned") <= 0.05
    assert 0 < (ds.events["alternative_to"] != "").sum() <= 30
    retained = ds.events[ds.events["status"] == "retained"]["date"].dt.year
    handed = ds.events[ds.events["status"] == "handed_over"]["date"].dt.year
    assert (retained.min(), retained.max()) >= (2014, 2014) and retained.max() <= 2019
    assert handed.min() >= 2020 and handed.max() <= 2025  # a disputing claim may run into 2025


def write_and_return(tmp_path: Path, n: int) -> Path:
    write_synthetic(tmp_path / str(n), n, seed=1)
    return tmp_path / str(n)


def test_status_changes_over_time(ds):
    default = ds.theatre.default_asof
    before = ds.status_on(default).set_index("id")["status"]
    later = ds.status_on(dt.date(2024, 12, 31)).set_index("id")["status"]
    assert (before != later).sum() > 0
    assert set(later) >= {"retained", "handed_over", ds.theatre.lapsed}  # plans left unreported
    assert "planned" in set(ds.status_on(dt.date(2019, 12, 31))["status"])


def test_governorate_matches_the_point(ds):
    got = governorate_at(
        ds.sites["lon"].to_numpy(), ds.sites["lat"].to_numpy(), governorates(DATA, FOCUS)
    )
    assert list(got) == list(ds.sites["governorate"])


@pytest.mark.parametrize(
    ("lon", "lat", "governorate"),
    [(44.3661, 33.3152, "Baghdad"), (43.1251, 35.7672, "Ninewa"), (40.0, 37.0, "")],
    ids=["baghdad", "q_west", "turkey"],
)
def test_governorate_at_known_points(lon, lat, governorate):
    got = governorate_at(np.array([lon]), np.array([lat]), governorates(DATA, "IRQ"))
    assert got[0] == governorate


def test_package_is_the_real_schema_retitled(synth):
    real = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ours = json.loads((synth / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["resources"] == real["resources"] and ours["footprint"] == real["footprint"]
    assert "Synthetic" in ours["title"]


def test_cli_writes_a_valid_dataset_and_refuses_the_real_data(tmp_path, capsys):
    assert main(["synth", "--sites", "20", "--out", str(tmp_path / "s"), "--seed", "3"]) == 0
    assert "20 sites" in capsys.readouterr().out
    assert validate(tmp_path / "s") == []
    before = (DATA / "sites.csv").read_bytes()
    assert main(["synth", "--sites", "20", "--out", str(DATA)]) == 2
    assert (DATA / "sites.csv").read_bytes() == before


def test_sites_are_in_the_first_focus_countrys_box(ds):
    box = ds.theatre.regions[ds.theatre.focus[0]]
    assert set(ds.sites["country"]) == {box.code}
    assert ds.sites["lat"].between(box.min_lat, box.max_lat).all()
    assert ds.sites["lon"].between(box.min_lon, box.max_lon).all()
    assert not pd.isna(ds.sites[["lat", "lon"]]).any().any()
