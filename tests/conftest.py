"""Shared fixtures: a small valid dataset using the real schema, copied per test."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_dataset(dest: Path) -> Path:
    """Copy the mini fixture CSVs plus the real datapackage.json into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for csv in MINI.glob("*.csv"):
        shutil.copy(csv, dest / csv.name)
    shutil.copy(DATA / "datapackage.json", dest / "datapackage.json")
    return dest


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, valid mini dataset folder."""
    return make_dataset(tmp_path / "mini")
