"""The bundled basemap layers against their build: metadata, governorates, checksums, inputs.

The build itself (scripts/build_basemap.py) needs its own venv and the inputs; these tests read
only what it wrote and the table it reads, so a hand edit of a layer or an input without its
address, version, licence or checksum is caught here.
"""

import hashlib
import json
import re
import tomllib

import pytest

from basemap import vector

from ..conftest import DATA, ROOT

LAYERS_DIR = DATA / "basemap"
LAYERS = sorted(vector.LAYER_FILES)
INPUTS = tomllib.loads((ROOT / "scripts" / "basemap_inputs.toml").read_text(encoding="utf-8"))
SHA_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.M)
ISO_A3 = re.compile(r"[A-Z]{3}")


def layer(name: str) -> dict:
    """One bundled layer, parsed."""
    return vector.load_layer(LAYERS_DIR / vector.LAYER_FILES[name])


def listed_checksums() -> dict[str, str]:
    """File name -> SHA-256, as data/basemap/SOURCES.md lists them."""
    text = (LAYERS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return {name: digest for digest, name in SHA_LINE.findall(text)}


# ---- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYERS)
def test_layer_metadata_has_box_attribution_focus_and_centre(name):
    meta = layer(name)["metadata"]
    west, south, east, north = meta["bbox"]
    assert -180 <= west < east <= 180 and -90 <= south < north <= 90
    assert meta["attribution"].strip()
    assert meta["focus"] and all(ISO_A3.fullmatch(code) for code in meta["focus"])
    fw, fs, fe, fn = meta["focus_bbox"]
    lat, lon = meta["center"]
    assert west <= fw < fe <= east and south <= fs < fn <= north
    assert (lat, lon) == (round((fs + fn) / 2, 4), round((fw + fe) / 2, 4))


def test_every_layer_has_the_same_box_and_focus():
    metas = [layer(name)["metadata"] for name in LAYERS]
    keys = [(m["bbox"], m["focus"], m["focus_bbox"], m["center"]) for m in metas]
    assert len({json.dumps(k) for k in keys}) == 1


def test_each_focus_country_is_in_the_countries_layer():
    codes = {f["properties"]["iso_a3"] for f in layer("countries")["features"]}
    assert set(layer("countries")["metadata"]["focus"]) <= codes


# ---- governorates ---------------------------------------------------------------------------

GOVERNORATES = layer("governorates")["features"]


@pytest.mark.parametrize(
    "feature", GOVERNORATES, ids=[f["properties"]["pcode"] for f in GOVERNORATES]
)
def test_governorate_names_a_focus_country(feature):
    assert feature["properties"]["country"] in layer("governorates")["metadata"]["focus"]
    assert feature["properties"]["name"].strip()


@pytest.mark.parametrize("country", layer("governorates")["metadata"]["focus"])
def test_governorate_names_are_unique_within_a_country(country):
    names = [f["properties"]["name"] for f in GOVERNORATES if f["properties"]["country"] == country]
    assert names and len(names) == len(set(names))


# ---- the files are the ones SOURCES.md describes --------------------------------------------


@pytest.mark.parametrize("file", sorted(p.name for p in LAYERS_DIR.glob("*.geojson")))
def test_layer_file_matches_the_checksum_in_sources_md(file):
    digest = hashlib.sha256((LAYERS_DIR / file).read_bytes()).hexdigest()
    assert listed_checksums().get(file) == digest, f"{file}: rebuild, or update SOURCES.md"


def test_sources_md_lists_only_files_that_exist():
    assert sorted(listed_checksums()) == sorted(p.name for p in LAYERS_DIR.glob("*.geojson"))


# ---- the build's input table ----------------------------------------------------------------


@pytest.mark.parametrize("item", INPUTS["input"], ids=[i["name"] for i in INPUTS["input"]])
def test_each_input_names_address_version_licence_and_checksum(item):
    for key in ("address", "version", "licence", "file"):
        assert item.get(key, "").strip(), f"{item['name']}: no {key}"
    assert re.fullmatch(r"[0-9a-f]{64}", item.get("sha256", "")), item["name"]
    assert item["kind"] in ("npm", "pypi", "github", "debian")


def test_input_names_are_unique_and_every_admin1_source_is_an_input():
    names = [item["name"] for item in INPUTS["input"]]
    assert len(names) == len(set(names))
    assert {spec["input"] for spec in INPUTS["admin1"].values()} <= set(names)


def test_build_focus_matches_the_layers():
    assert INPUTS["build"]["focus"] == layer("countries")["metadata"]["focus"]
    assert INPUTS["build"]["bbox"] == layer("countries")["metadata"]["bbox"]
