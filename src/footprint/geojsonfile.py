"""A table kept as GeoJSON instead of CSV: the sites, as QGIS saves them after points are moved.

A table with `lat` and `lon` columns may live in `<name>.geojson` (Point features, the other
columns as properties) instead of `<name>.csv`, never both. The point is where the site is: its
coordinates are the lat and lon columns. Properties are read as QGIS writes them (numbers and
booleans typed, empty cells as null) and become the same cell text a CSV gives, so one validator
checks both; problems name the feature: `sites.geojson: feature 3 (k1): kind: ...`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from footprint.csvfile import Problem, RawTable, read_text, split_list
from footprint.schema import Table

COORDS = ("lat", "lon")


def geojson_path(data_dir: Path, table: Table) -> Path:
    """Where a table would be kept as GeoJSON: beside its CSV, `<name>.geojson`."""
    return Path(data_dir) / Path(table.path).with_suffix(".geojson")


def can_be_geojson(table: Table) -> bool:
    """Only a table of points (lat and lon columns) can be kept as GeoJSON."""
    return all(c in table.columns for c in COORDS)


def source_file(data_dir: Path, table: Table) -> Path:
    """The file a table is read from: its GeoJSON if it is kept so, else its CSV."""
    path = geojson_path(data_dir, table)
    return path if can_be_geojson(table) and path.is_file() else Path(data_dir) / table.path


def read_features(data_dir: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    """Read `<name>.geojson` into a RawTable whose rows number the features (from 1)."""
    path = geojson_path(data_dir, table)
    name = path.name
    if (Path(data_dir) / table.path).exists():
        msg = f"keep the {table.name} in {table.path} or in {name}, not both; remove one"
        return None, [Problem(name, 1, "-", msg)]
    text, problem = read_text(path, name)
    if problem:
        return None, [problem]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        return None, [Problem(name, e.lineno, "-", f"not valid JSON: {e.msg}")]
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or doc.get("type") != "FeatureCollection":
        return None, [Problem(name, 1, "-", "not a GeoJSON FeatureCollection")]
    raw = RawTable(table, [], [], file=name, unit="feature")
    problems: list[Problem] = []
    for n, feature in enumerate(features, 1):
        row, found = feature_row(table, feature, name, n)
        problems += found
        if row is not None:
            raw.rows.append(row)
            raw.lines.append(n)
    if not raw.rows and not problems:
        problems.append(Problem(name, 1, "-", f"{name} has no features; add at least one"))
    return raw, problems


def feature_row(table: Table, feature, name: str, n: int) -> tuple[dict | None, list[Problem]]:
    """One feature as a row of cell text, or the problems that keep it from being one."""
    where = lambda column, msg: Problem(name, n, column, msg, _id(feature), "feature")  # noqa: E731
    point = _point(feature)
    if point is None:
        return None, [where("geometry", "is not a Point with two coordinates (lon, lat)")]
    props = feature.get("properties") or {}
    problems = [
        where(key, f"unknown property '{key}' (expected: {', '.join(_props(table))})")
        for key in props if key not in table.columns
    ]  # fmt: skip
    row = {c: cell(props.get(c)) for c in _props(table)}
    row["lon"], row["lat"] = (cell(v) for v in point)
    for c in COORDS:
        if c in props and props[c] is not None and cell(props[c]) != row[c]:
            msg = f"{props[c]} differs from the point's {row[c]}: the point is where the site is"
            problems.append(where(c, msg + "; remove the property or make it agree"))
    return row, problems


def _id(feature) -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    return str((props or {}).get("id") or "")


def _point(feature) -> tuple[float, float] | None:
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    coords = (geometry or {}).get("coordinates")
    if (geometry or {}).get("type") != "Point" or not isinstance(coords, list):
        return None
    if len(coords) < 2 or not all(isinstance(c, int | float) for c in coords[:2]):
        return None
    return float(coords[0]), float(coords[1])


def _props(table: Table) -> list[str]:
    return [c for c in table.columns if c not in COORDS]


def cell(value) -> str:
    """A property value as the cell text a CSV would hold.

    >>> cell(None), cell(True), cell(3.0), cell(33.8), cell(12), cell(" x "), cell(["a", "b"])
    ('', 'true', '3', '33.8', '12', 'x', 'a; b')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value).strip()


def typed(table: Table, column: str, text: str):
    """A cell's text as QGIS types the property: numbers, booleans, null for empty."""
    f = table.field(column)
    if text == "":
        return None
    if f.type == "boolean":
        return text == "true"
    if f.type == "integer":
        return int(text)
    if f.type == "number":
        return float(text)
    if f.type == "list":
        return "; ".join(split_list(text, f.delimiter))
    return text


def to_geojson_text(table: Table, raw: RawTable) -> str:
    """A valid table's rows as a FeatureCollection, one feature per line (readable diffs)."""
    lines = []
    for row in raw.rows:
        props = {c: typed(table, c, row.get(c, "")) for c in _props(table)}
        point = [float(row["lon"]), float(row["lat"])]
        feature = {"type": "Feature", "properties": props,
                   "geometry": {"type": "Point", "coordinates": point}}  # fmt: skip
        lines.append(json.dumps(feature, ensure_ascii=False))
    head = f'{{"type": "FeatureCollection", "name": "{Path(table.path).stem}", "features": [\n'
    return head + ",\n".join(lines) + "\n]}\n"


def to_csv_text(table: Table, raw: RawTable) -> str:
    """A valid table's rows as CSV text with the schema's header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(raw.rows)
    return out.getvalue()
