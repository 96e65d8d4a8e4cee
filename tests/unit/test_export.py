"""Exports are spreadsheet-safe, keep the data's values and say how old each status is."""

import csv
import datetime as dt
import io
import json
from dataclasses import replace

import pytest

from footprint import export
from footprint.data import load_dataset
from footprint.export.tables import sites_as_of, spreadsheet_safe, to_csv
from footprint.view import View, default_view

from ..conftest import THEATRE

PAYLOADS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://x","y")']
DS = load_dataset(THEATRE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_neutralised(payload):
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Camp Taji", "قاعدة", "", 35.5, -3, None])
def test_ordinary_values_untouched(value):
    assert spreadsheet_safe(value) == value


def test_csv_export_neutralises_a_hostile_name(theatre):
    path = theatre / "sites.csv"
    path.write_text(path.read_text().replace("Bravo Camp", '"=HYPERLINK(""http://evil"")"'))
    ds = load_dataset(theatre)
    text = to_csv(sites_as_of(ds, dt.date(2020, 4, 1)), dt.date(2020, 4, 1), ds.version)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert '\'=HYPERLINK("http://evil")' in [r["name"] for r in rows]
    assert all(r["as_of"] == "2020-04-01" for r in rows)


@pytest.mark.parametrize("asof", ["2020-04-05", "2025-12-31"])
def test_every_status_carries_the_date_and_age_of_its_evidence(asof):
    day = dt.date.fromisoformat(asof)
    text = export.render(DS, View(asof=day, status=("retained",)), "csv", DS.status_on(day))
    rows = {r["site_id"]: r for r in csv.DictReader(io.StringIO(text))}
    for site_id, row in rows.items():
        ev = DS.events[(DS.events["site_id"] == site_id) & DS.events["alternative_to"].eq("")]
        ev = ev[ev["date"] <= str(day)]
        latest = f"{ev['date'].max():%Y-%m-%d}" if len(ev) else ""
        assert row["latest_evidence"] == latest, site_id
        old = bool(latest) and (day - dt.date.fromisoformat(latest)).days > 365
        assert row["evidence_is_old"] == str(old).lower(), site_id


def test_geojson_is_lon_lat_and_stamped():
    view = default_view(DS)
    fc = json.loads(export.render(DS, view, "geojson"))
    alpha = next(f for f in fc["features"] if f["id"] == "alpha")
    site = DS.sites.set_index("id").loc["alpha"]
    assert alpha["geometry"]["coordinates"] == [site["lon"], site["lat"]]
    assert (fc["as_of"], fc["dataset_version"]) == (str(view.asof), DS.version)


FRAMED = replace(default_view(DS), map=(8.25, 33.3125, 44.25))


@pytest.mark.parametrize(("view", "fmt", "kw", "name"), [
    (default_view(DS), "png", {}, "footprint-2020-04-05-theatre-16x9-{v}.png"),
    (default_view(DS), "png", {"size": 3840}, "footprint-2020-04-05-theatre-16x9-{v}-4k.png"),
    (default_view(DS), "png", {"size": 3840, "shape": "a4"},
     "footprint-2020-04-05-theatre-a4-{v}-2x.png"),
    (FRAMED, "pdf", {"shape": "4x3"}, "footprint-2020-04-05-z8.25-33.31N-44.25E-4x3-{v}.pdf"),
    (FRAMED, "svg", {"theatre": True}, "footprint-2020-04-05-theatre-16x9-{v}.svg"),
    (FRAMED, "html", {}, "footprint-2020-04-05-z8.25-33.31N-44.25E-{v}.html"),
    (FRAMED, "csv", {"shape": "a4"}, "footprint-2020-04-05-{v}.csv"),  # tables are not framed
    (default_view(DS), "geojson", {}, "footprint-2020-04-05-{v}.geojson"),
], ids=["png", "png-4k", "a4-2x", "pdf-framed-4x3", "svg-theatre", "html-framed", "csv",
        "geojson"])  # fmt: skip
def test_file_names_carry_the_date_the_frame_and_the_dataset_version(view, fmt, kw, name):
    assert export.file_name(DS, view, fmt, **kw) == name.format(v=DS.version)
