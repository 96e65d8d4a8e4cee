"""The sites as of a date as tables: CSV (spreadsheet-safe) and GeoJSON (opens in QGIS)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import pandas as pd

from footprint.briefing import checked_line, status_words
from footprint.data import Dataset
from footprint.timeline import as_of

COLUMNS = [
    "site_id", "name", "name_ar", "status", "reported_status", "status_date", "handed_to",
    "status_note", "status_checked", "latest_evidence", "evidence_is_old", "kind", "country",
    "governorate",
    "context", "forces", "lat", "lon", "location_precision", "uncertainty_km",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sites_as_of(ds: Dataset, asof: dt.date, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The export frame: one row per site (all, or the given subset) with its status on `asof`
    (`status` is what the map draws, 'unconfirmed' included; `reported_status` what the sources
    last gave), the status in words with the note on its evidence, the date of its latest
    evidence, and whether that is older than the theatre allows."""
    df = as_of(ds.sites if sites is None else sites, ds.timeline(), ds.events, asof)
    df["status_note"] = [" · ".join(w for w in status_words(ds, r, asof)[:2] if w)
                         for r in df.itertuples()]  # fmt: skip
    df["status_checked"] = [checked_line(ds, e) if e else "" for e in df["status_event"]]
    df = df.rename(columns={"id": "site_id", "reported": "reported_status"})
    df["evidence_is_old"] = ds.theatre.is_old(df["evidence_date"], asof).astype(bool)
    df["status_date"] = df["status_date"].dt.strftime("%Y-%m-%d").fillna("")
    df["latest_evidence"] = df["evidence_date"].dt.strftime("%Y-%m-%d").fillna("")
    return df[COLUMNS]


def spreadsheet_safe(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula, by prefixing a quote.

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe(-3.5), spreadsheet_safe("Camp Taji")
    (-3.5, 'Camp Taji')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame, asof: dt.date, version: str) -> str:
    """CSV text with a stamp column pair (as_of, dataset_version) on every row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*df.columns, "as_of", "dataset_version"])
    for row in df.itertuples(index=False):
        cells = [_csv_cell(v) for v in row]
        writer.writerow([spreadsheet_safe(v) for v in cells] + [asof.isoformat(), version])
    return out.getvalue()


def to_geojson(df: pd.DataFrame, asof: dt.date, version: str) -> str:
    """GeoJSON FeatureCollection (RFC 7946: lon, lat order), stamped with date and version."""
    features = [
        {
            "type": "Feature",
            "id": row["site_id"],
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: _plain(v) for k, v in row.items()},
        }
        for row in df.to_dict("records")
    ]
    fc = {
        "type": "FeatureCollection",
        "as_of": asof.isoformat(),
        "dataset_version": version,
        "features": features,
    }
    return json.dumps(fc, ensure_ascii=False, indent=1)


def _csv_cell(v: object) -> object:
    """Booleans as the dataset writes them (true/false); everything else as _plain."""
    return str(v).lower() if isinstance(v, bool) else _plain(v)


def _plain(v: object) -> object:
    """JSON/CSV-friendly scalar: no NaN, no numpy types."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v
