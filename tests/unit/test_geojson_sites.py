"""Sites kept as GeoJSON (as QGIS saves them) validate, draw and export exactly like the same
sites kept as CSV, and problems name the feature."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from footprint import export
from footprint.cli import main
from footprint.data import load_dataset, validate
from footprint.view import default_view
from footprint.webmap import site_records

from ..conftest import THEATRE, copy_fixture


@pytest.fixture
def as_geojson(tmp_path) -> Path:
    """The fixture theatre with its sites moved to sites.geojson by the command line."""
    d = copy_fixture(THEATRE, tmp_path / "geojson")
    assert main(["sites", "--to", "geojson", str(d)]) == 0
    assert (d / "sites.geojson").is_file() and not (d / "sites.csv").exists()
    return d


def test_csv_to_geojson_to_csv_is_lossless(as_geojson, tmp_path):
    back = copy_fixture(as_geojson, tmp_path / "back")
    assert main(["sites", "--to", "csv", str(back)]) == 0
    for d in (as_geojson, back):
        pd.testing.assert_frame_equal(load_dataset(d).sites, load_dataset(THEATRE).sites)


def test_geojson_sites_draw_and_export_like_csv_sites(as_geojson):
    csv_ds, geo_ds = load_dataset(THEATRE), load_dataset(as_geojson)
    assert site_records(geo_ds) == site_records(csv_ds)
    view = default_view(csv_ds)
    for fmt in ("csv", "geojson"):
        ours = export.render(geo_ds, view, fmt).replace(geo_ds.version, "V")
        assert ours == export.render(csv_ds, view, fmt).replace(csv_ds.version, "V")
    assert geo_ds.version != csv_ds.version  # the version follows the file actually read


def test_a_point_moved_in_qgis_moves_the_site(as_geojson):
    """QGIS writes the moved point's geometry; properties are typed (booleans, numbers, null)."""
    path = as_geojson / "sites.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    alpha = next(f for f in doc["features"] if f["properties"]["id"] == "alpha")
    alpha["geometry"]["coordinates"] = [42.41234567891, 33.81234567891]  # QGIS: full precision
    assert alpha["properties"]["context"] is False and alpha["properties"]["uncertainty_km"] == 3
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    assert validate(as_geojson) == []
    site = load_dataset(as_geojson).sites.set_index("id").loc["alpha"]
    assert (site["lat"], site["lon"]) == (33.81234567891, 42.41234567891)


def _feature(d: Path, site_id: str, change) -> None:
    path = d / "sites.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(next(f for f in doc["features"] if f["properties"]["id"] == site_id), doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


CASES = [  # (id, change to feature 2 (bravo) or the document, expected line, words)
    ("bad-kind", lambda f, _d: f["properties"].update(kind="castle"),
     "sites.geojson: feature 2 (bravo): kind: 'castle' is not allowed"),
    ("no-geometry", lambda f, _d: f.update(geometry=None),
     "sites.geojson: feature 2 (bravo): geometry: is not a Point"),
    ("unknown-property", lambda f, _d: f["properties"].update(fid=7),
     "sites.geojson: feature 2 (bravo): fid: unknown property 'fid'"),
    ("lat-disagrees", lambda f, _d: f["properties"].update(lat=12.5),
     "sites.geojson: feature 2 (bravo): lat: 12.5 differs from the point's 33.3"),
    ("outside-country", lambda f, _d: f["geometry"].update(coordinates=[20.0, 33.3]),
     "sites.geojson: feature 2 (bravo): lon: 20.0 is outside Iraq"),
    ("duplicate-id", lambda f, _d: f["properties"].update(id="alpha"),
     "sites.geojson: feature 2 (alpha): id: 'alpha' is used again; first on feature 1"),
    ("not-a-collection", lambda _f, d: d.update(type="Feature"),
     "sites.geojson:1: -: not a GeoJSON FeatureCollection"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problems_name_the_feature(as_geojson, change, words):
    _feature(as_geojson, "bravo", change)
    found = [str(p) for p in validate(as_geojson, today=dt.date(2026, 11, 30))]
    assert any(line.startswith(words) for line in found), found


def test_sites_in_both_files_is_a_problem(as_geojson):
    (as_geojson / "sites.csv").write_text((THEATRE / "sites.csv").read_text(encoding="utf-8"))
    found = [str(p) for p in validate(as_geojson)]
    assert "sites.geojson:1: -: keep the sites in sites.csv or in sites.geojson, not both" in (
        " ".join(found)
    )  # fmt: skip


def test_not_json_names_the_line(as_geojson):
    (as_geojson / "sites.geojson").write_text('{"type": "FeatureCollection",\n "features": [,]}')
    assert [str(p) for p in validate(as_geojson)][0].startswith("sites.geojson:2: -: not valid")


def test_not_utf8_names_the_line_of_the_bad_byte(as_geojson):
    path = as_geojson / "sites.geojson"
    data = path.read_bytes()
    second = data.index(b"\n") + 1  # the first feature's line
    path.write_bytes(data[:second] + b"\xff" + data[second:])
    assert [str(p) for p in validate(as_geojson)][0] == (
        "sites.geojson:2: -: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    )


def test_converting_invalid_data_refuses(theatre, capsys):
    (theatre / "sites.csv").write_text((theatre / "sites.csv").read_text().replace("33.8", "136"))
    assert main(["sites", "--to", "geojson", str(theatre)]) == 1
    assert (theatre / "sites.csv").is_file() and not (theatre / "sites.geojson").exists()
    assert "sites.csv:2: lat" in capsys.readouterr().err
