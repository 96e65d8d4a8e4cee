"""Exports are spreadsheet-safe and keep the data's values."""

import csv
import datetime as dt
import io

import pytest

from footprint.data import load_dataset
from footprint.export import sites_as_of, spreadsheet_safe, to_csv

PAYLOADS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_neutralised(payload):
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Camp Taji", "قاعدة", "", 35.5, -3, None])
def test_ordinary_values_untouched(value):
    assert spreadsheet_safe(value) == value


def test_csv_export_neutralises_a_hostile_name(mini):
    path = mini / "sites.csv"
    path.write_text(
        path.read_text().replace("Camp Taji,التاجي", '"=HYPERLINK(""http://evil"")",التاجي')
    )
    ds = load_dataset(mini, today=dt.date(2026, 11, 25))
    text = to_csv(sites_as_of(ds, dt.date(2020, 4, 1)), dt.date(2020, 4, 1), ds.version)
    names = [r["name"] for r in csv.DictReader(io.StringIO(text))]
    assert '\'=HYPERLINK("http://evil")' in names
    assert all(r["as_of"] == "2020-04-01" for r in csv.DictReader(io.StringIO(text)))
