"""The basemap package: offline pages, local Leaflet assets, providers, outlines. No network."""

import json
import re
import socket
import subprocess
import sys
import threading

import folium
import pytest
from jinja2.utils import htmlsafe_json_dumps

import basemap
from basemap import assets, outlines, vector

from ..conftest import DATA, ROOT

LAYERS_DIR = DATA / "basemap"
CENTER = (33.2, 43.7)  # any point will do: the centre comes from the caller
LAYERS = sorted(vector.LAYER_FILES)
ONLINE = sorted(name for name, b in basemap.BASEMAPS.items() if b.online)
EXTERNAL_TAG = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that opens a network connection."""

    def refuse(*args, **_kwargs):
        raise AssertionError(f"network access in a unit test: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def offline_page(base_url: str = basemap.DEFAULT_BASE_URL) -> str:
    """The whole rendered page of a new map with the offline basemap."""
    m = basemap.new_map(CENTER, base_url=base_url)
    basemap.add_basemap(m, "offline", LAYERS_DIR)
    return m.get_root().render()


def linked_assets(element) -> list[str]:
    """Every JS/CSS URL streamlit-folium would load for this map (it walks all children)."""
    urls = [url for _, url in getattr(element, "default_js", [])]
    urls += [url for _, url in getattr(element, "default_css", [])]
    for child in element._children.values():
        urls += linked_assets(child)
    return urls


# ---- the offline page loads nothing from elsewhere ------------------------------------------


@pytest.mark.parametrize("base_url", ["../../app/static/leaflet", "/app/static/leaflet"])
def test_offline_page_has_no_external_script_or_stylesheet(base_url):
    page = offline_page(base_url)
    assert EXTERNAL_TAG.findall(page) == []
    assert f'<script src="{base_url}/leaflet.js"></script>' in page
    assert f'<link rel="stylesheet" href="{base_url}/leaflet.css"/>' in page


def test_streamlit_folium_would_load_only_local_leaflet():
    m = basemap.new_map(CENTER)
    basemap.add_basemap(m, "offline", LAYERS_DIR)
    want = [assets.asset_url(assets.LEAFLET_JS), assets.asset_url(assets.LEAFLET_CSS)]
    assert linked_assets(m) == want  # basemap.js is inlined: no static folder was given


def test_served_basemap_script_is_a_local_file_named_by_its_content(tmp_path):
    m = basemap.new_map(CENTER)
    basemap.add_basemap(m, "offline", LAYERS_DIR, tmp_path)
    (name, url), *_ = [entry for entry in m.default_js if entry[0] == "basemap"]
    served = tmp_path / url.split("/static/", 1)[1]
    assert served.read_text(encoding="utf-8") == vector.BASEMAP_JS.read_text(encoding="utf-8")
    assert url.startswith(assets.STATIC_URL)
    assert "window.FootprintBasemap" not in m.get_root().render()  # loaded, not inlined


def test_use_local_assets_leaves_folium_class_defaults_alone():
    before = list(folium.Map.default_js)
    basemap.use_local_assets(folium.Map(tiles=None))
    assert folium.Map.default_js == before


def test_new_map_has_no_tiles_and_draws_on_canvas():
    m = basemap.new_map(CENTER)
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert (tiles, m.options["prefer_canvas"], m.location) == ([], True, list(CENTER))


# ---- the layer files ------------------------------------------------------------------------


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_file_parses_and_has_features(layer):
    data = json.loads((LAYERS_DIR / vector.LAYER_FILES[layer]).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) > 0
    assert data["metadata"]["attribution"].strip()


def test_the_credit_line_is_in_the_page():
    line = vector.credit(vector.load_layers(LAYERS_DIR))
    assert (
        line
        and htmlsafe_json_dumps(line)[1:-1].replace("&", "&amp;") in offline_page()
        or (htmlsafe_json_dumps(line)[1:-1] in offline_page())
    )


@pytest.mark.parametrize("layer", LAYERS)
def test_each_file_attribution_is_in_the_attribution_control(layer):
    layers = vector.load_layers(LAYERS_DIR)
    text = layers[layer]["metadata"]["attribution"]
    control_html = vector.attribution_html(layers)
    assert f"{layer}: {text}" in control_html
    assert htmlsafe_json_dumps(control_html) in offline_page()


# ---- what the offline basemap draws ---------------------------------------------------------


def test_offline_basemap_uses_panes_below_the_overlays():
    assert all(z < 400 for z in vector.PANES.values())  # Leaflet's overlayPane is 400
    page = offline_page()
    for pane in vector.PANES:
        assert re.search(rf'createPane\(\s*"{pane}"\)', page), pane


def test_offline_basemap_layers_are_not_interactive():
    page = offline_page()
    assert page.count("interactive: false") >= 3  # shapes, dots, labels
    assert "interactive: true" not in page
    assert "bindPopup" not in page


def test_country_outlines_never_run_along_the_clip_box():
    layers = vector.load_layers(LAYERS_DIR)
    bbox = vector.data_bbox(layers["countries"])
    drawn = [outlines.edge_key(a, b) for line in _lines(vector.shapes(layers)) for a, b in line]
    assert drawn and not [e for e in drawn if outlines.on_clip_edge(e, bbox)]


def test_each_border_coast_or_boundary_edge_is_drawn_once():
    drawing = vector.shapes(vector.load_layers(LAYERS_DIR))
    drawn = [outlines.edge_key(a, b) for line in _lines(drawing) for a, b in line]
    assert len(drawn) == len(set(drawn))


OUTLINE_KINDS = {"border", "border-focus", "coast", "boundary"}


def _lines(collections: list[dict]):
    """Yield each border, coast or boundary line as a list of (point, next point) pairs."""
    for collection in collections:
        for feature in collection["features"]:
            if feature["properties"]["kind"] in OUTLINE_KINDS:
                for line in feature["geometry"]["coordinates"]:
                    points = [tuple(p) for p in line]
                    yield list(zip(points, points[1:], strict=False))


def water(kind: str, source: str, scalerank: int | None = None, wdb: int | None = None) -> dict:
    """The properties of a rivers.geojson feature."""
    return {"kind": kind, "source": source, "scalerank": scalerank, "wdb_level": wdb}


@pytest.mark.parametrize(
    ("properties", "kind"),
    [
        (water("lake", "gshhg"), "lake"),
        (water("reservoir", "naturalearth", scalerank=3), "lake"),
        (water("river", "naturalearth", scalerank=3), "river-major"),
        (water("river", "naturalearth", scalerank=7), "river"),
        (water("river", "gshhg", wdb=2), "river"),
        (water("river", "gshhg", wdb=4), "stream"),
    ],
    ids=["lake", "reservoir", "tigris-like", "ne-minor", "wdb-2", "wdb-4"],
)
def test_water_kind(properties, kind):
    assert vector.water_kind(properties) == kind


@pytest.mark.parametrize(
    ("owners", "kind"),
    [({"IRQ"}, "coast"), ({"IRQ", "IRN"}, "border-focus"), ({"IRN", "TUR"}, "border")],
    ids=["coast", "iraq-border", "other-border"],
)
def test_country_edge_kind(owners, kind):
    assert vector.country_edge_kind(frozenset(owners), ("IRQ",)) == kind


def test_land_kind_follows_the_focus_countries_given():
    iraq = {"properties": {"iso_a3": "IRQ"}}
    assert (vector.land_kind(iraq, ("IRQ", "SYR")), vector.land_kind(iraq, ())) == (
        "land-focus", "land",
    )  # fmt: skip


def test_every_style_kind_drawn_has_a_style():
    kinds = {
        f["properties"]["kind"]
        for c in vector.shapes(vector.load_layers(LAYERS_DIR))
        for f in c["features"]
    }
    assert kinds <= set(vector.STYLES)


def test_city_rows_put_iraqi_cities_first_largest_first():
    rows = vector.city_rows(vector.load_layer(LAYERS_DIR / "cities.geojson"))
    tiers = [row[3] for row in rows]
    assert rows[0][2] == "Baghdad"
    assert tiers == sorted(tiers, key=lambda t: vector.CITY_TIERS[t]["priority"])


def test_city_names_reach_the_page_as_text_not_html():
    page = offline_page()
    assert "label.textContent = city[2]" in page  # basemap.js, inlined here
    assert "innerHTML" not in page


# ---- outlines on small hand-made polygons ---------------------------------------------------


def square(name: str, x: float, y: float, size: float = 1.0) -> dict:
    """A square feature with its south-west corner at (x, y), ring counter-clockwise."""
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"properties": {"id": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def kind_of_shared(owners: frozenset[str]) -> str:
    """Two owners: border; one: coast."""
    return "border" if len(owners) == 2 else "coast"


@pytest.mark.parametrize(
    ("bbox", "want"),
    [
        ((0.0, 0.0, 2.0, 1.0), {"border": 1}),
        ((-1.0, -1.0, 3.0, 2.0), {"border": 1, "coast": 6}),
        ((0.0, -1.0, 3.0, 2.0), {"border": 1, "coast": 5}),
    ],
    ids=["box-hugs-both", "box-far-away", "box-cuts-west-side"],
)
def test_outlines_drop_clip_edges_and_keep_shared_ones(bbox, want):
    squares = [square("a", 0, 0), square("b", 1, 0)]
    got = outlines.outlines(squares, "id", bbox, kind_of_shared)
    edges = {
        f["properties"]["kind"]: sum(len(line) - 1 for line in f["geometry"]["coordinates"])
        for f in got["features"]
    }
    assert edges == want


@pytest.mark.parametrize(
    ("edge", "on_edge"),
    [
        (((0.0, 0.0), (0.0, 1.0)), True),
        (((0.0, 1.0), (2.0, 1.0)), True),
        (((0.0, 0.0), (1.0, 1.0)), False),
        (((1.0, 0.0), (1.0, 1.0)), False),
    ],
    ids=["west-side", "north-side", "diagonal-from-corner", "inside"],
)
def test_on_clip_edge(edge, on_edge):
    assert outlines.on_clip_edge(edge, (0.0, 0.0, 2.0, 1.0)) is on_edge


# ---- providers ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ONLINE)
def test_online_provider_has_https_url_and_attribution(name):
    b = basemap.BASEMAPS[name]
    assert b.tiles_url.startswith("https://")
    assert {"{x}", "{y}", "{z}"} <= set(re.findall(r"\{\w\}", b.tiles_url))
    assert b.attribution.strip()


def test_basemap_names_and_default():
    assert set(basemap.BASEMAPS) == {"offline", "osm", "topo", "satellite"}
    assert basemap.BASEMAPS[basemap.DEFAULT_BASEMAP].online is False
    assert all(name == b.name for name, b in basemap.BASEMAPS.items())


@pytest.mark.parametrize("name", ONLINE)
def test_online_basemap_adds_only_its_tile_layer(name):
    m = basemap.new_map(CENTER)
    basemap.add_basemap(m, name, LAYERS_DIR)
    page = m.get_root().render()
    assert htmlsafe_json_dumps(basemap.BASEMAPS[name].tiles_url)[1:-1] in page
    assert vector.LABELS_PANE not in page


def test_offline_basemap_names_no_tile_server():
    page = offline_page()
    assert "L.tileLayer" not in page
    assert not [b.tiles_url for b in basemap.BASEMAPS.values() if b.online and b.tiles_url in page]


def test_add_basemap_sets_max_zoom_unless_given():
    chosen, default = basemap.new_map(CENTER, max_zoom=9), basemap.new_map(CENTER)
    for m in (chosen, default):
        basemap.add_basemap(m, "offline", LAYERS_DIR)
    assert (chosen.options["max_zoom"], default.options["max_zoom"]) == (9, 12)


def test_unknown_basemap_raises_with_the_valid_names():
    with pytest.raises(ValueError, match="unknown basemap 'evil'.*offline, osm, satellite, topo"):
        basemap.add_basemap(basemap.new_map(CENTER), "evil", LAYERS_DIR)


@pytest.mark.parametrize("name", ONLINE)
def test_online_basemaps_come_from_the_registry(name):
    """URLs and attributions are xyzservices', not copied by hand; none needs a key."""
    label, provider = basemap.providers.ONLINE[name]
    b = basemap.BASEMAPS[name]
    assert (b.label, b.tiles_url, b.attribution) == (
        label, provider.build_url(), provider.html_attribution,
    )  # fmt: skip
    assert not provider.requires_token()


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"tiles_url": "http://tiles.example/{z}/{x}/{y}.png"}, "https:// tiles_url"),
        ({"tiles_url": None}, "https:// tiles_url"),
        ({"online": False}, "must not have a tiles_url"),
        ({"attribution": " "}, "attribution is empty"),
        ({"max_zoom": 30}, "outside 1..22"),
    ],
    ids=["plain-http", "no-url", "offline-with-url", "no-attribution", "zoom"],
)
def test_basemap_record_checks_itself(fields, problem):
    good = {
        "name": "x", "label": "X", "tiles_url": "https://t.example/{z}/{x}/{y}.png",
        "attribution": "© X", "max_zoom": 18, "online": True,
    }  # fmt: skip
    with pytest.raises(ValueError, match=re.escape(problem)):
        basemap.Basemap(**(good | fields))


# ---- Leaflet assets -------------------------------------------------------------------------


def test_install_static_copies_the_package_files(tmp_path):
    target = basemap.install_static(tmp_path / "static")
    assert target == tmp_path / "static" / "leaflet"
    for name in assets.ASSET_FILES:
        assert (target / name).read_bytes() == assets.read_asset(name), name


def test_install_static_rewrites_only_what_differs(tmp_path):
    target = basemap.install_static(tmp_path)
    (target / assets.LEAFLET_CSS).write_text("/* edited */")
    stamps = {name: (target / name).stat().st_mtime_ns for name in assets.ASSET_FILES}
    basemap.install_static(tmp_path)
    changed = [n for n in assets.ASSET_FILES if (target / n).stat().st_mtime_ns != stamps[n]]
    assert changed == [assets.LEAFLET_CSS]
    assert (target / assets.LEAFLET_CSS).read_bytes() == assets.read_asset(assets.LEAFLET_CSS)
    assert not list(target.rglob("*.partial"))


def test_writers_of_the_same_file_at_once_do_not_collide(tmp_path):
    # Replicas behind a proxy share one static/ folder and may write the same file at once.
    path, errors = tmp_path / "shapes-0123.json", []

    def write(fill: bytes):
        for _ in range(40):
            try:
                assets._write_atomic(path, fill * 1_000_000)
            except OSError as e:
                errors.append(e)

    threads = [threading.Thread(target=write, args=(b,)) for b in (b"a", b"b", b"c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert path.read_bytes() in {b * 1_000_000 for b in (b"a", b"b", b"c")}
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


def test_inline_assets_makes_a_standalone_page():
    page = basemap.inline_assets(offline_page())
    assert re.findall(r"<script\b[^>]*\bsrc=|<link\b[^>]*\bhref=", page) == []
    assert "Leaflet 1.9.4" in page  # the banner at the top of leaflet.js
    assert ".leaflet-container" in page
    assert "url(images/" not in page and "url(data:image/png;base64," in page


def test_inline_assets_refuses_a_page_without_local_leaflet():
    cdn_page = folium.Map(tiles=None).get_root().render()
    with pytest.raises(ValueError, match="use_local_assets"):
        basemap.inline_assets(cdn_page)


# ---- dependency rules -----------------------------------------------------------------------


def test_basemap_does_not_import_streamlit():
    code = "import sys, basemap; print(sorted(m for m in sys.modules if 'streamlit' in m))"
    env = {"PATH": "/usr/bin:/bin"}  # the installed package, as a user's program imports it
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert (out.returncode, out.stdout.strip()) == (0, "[]"), out.stderr


@pytest.mark.parametrize(
    "module",
    sorted(p.name for p in (ROOT / "src" / "basemap").glob("*.py") if p.name != "providers.py"),
)
def test_only_providers_names_a_url(module):
    source = (ROOT / "src" / "basemap" / module).read_text(encoding="utf-8")
    assert re.findall(r"https?://", source) == []


# ---- the shapes as a served file (the app) -------------------------------------------------


def test_write_shapes_names_the_file_by_its_content(tmp_path):
    name = vector.write_shapes(LAYERS_DIR, tmp_path)
    assert re.fullmatch(r"shapes-[0-9a-f]{16}\.json", name)
    drawn = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    assert drawn == json.loads(json.dumps(vector.basemap_drawing(LAYERS_DIR).shapes))
    assert vector.write_shapes(LAYERS_DIR, tmp_path) == name  # same data, same file
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no partial file left


def test_write_shapes_gets_a_new_name_when_a_layer_changes(tmp_path):
    layers = tmp_path / "layers"
    layers.mkdir()
    for file in vector.LAYER_FILES.values():
        (layers / file).write_bytes((LAYERS_DIR / file).read_bytes())
    before = vector.write_shapes(layers, tmp_path / "out")
    rivers = json.loads((layers / "rivers.geojson").read_text(encoding="utf-8"))
    rivers["features"] = rivers["features"][:1]
    (layers / "rivers.geojson").write_text(json.dumps(rivers), encoding="utf-8")
    assert vector.write_shapes(layers, tmp_path / "out") != before


def test_served_shapes_are_fetched_not_carried_in_the_page(tmp_path):
    inline = offline_page()
    m = basemap.new_map(CENTER)
    basemap.add_basemap(m, "offline", LAYERS_DIR, static_dir=tmp_path)
    served = m.get_root().render()
    [written] = (tmp_path / "basemap").iterdir()
    assert len(served) < len(inline) - 200_000  # the shapes are ~250 KB of the inline page
    assert f'"../../app/static/basemap/{written.name}"' in served  # fetchedLayers(map, url, ...)
    assert "basemap-label" in served  # the city labels stay in the page (small)


def test_online_basemap_writes_no_shapes(tmp_path):
    basemap.add_basemap(basemap.new_map(CENTER), "osm", LAYERS_DIR, static_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []
