"""Synthetic datasets for benchmarks: N made-up sites in the template's first focus country.

Everything is marked synthetic (names "Synthetic site 00042", notes "synthetic benchmark data",
sources under https://example.org/synthetic/) so it cannot be mistaken for the real data.
The output is deterministic for a seed. Points are drawn inside that country's box and kept only
when they fall inside one of its governorates in the offline basemap, which also names it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np

from footprint import geo
from footprint.data import DEFAULT_DATA_DIR, basemap_dir
from footprint.geo import governorate_at
from footprint.schema import DESCRIPTOR, load_package
from footprint.theatre import read_theatre

NOTE = "synthetic benchmark data"
KINDS = ("air_base", "camp", "headquarters", "outpost", "training_range")
HANDOVER_SHARE = 0.6  # of the sites with a retained event: handed over in 2020-2024
PLANNED_SHARE = 0.02  # sites that are only ever planned
PROXY_SHARE = 0.1  # sites with a proxy location (drawn with an uncertainty circle)
DISPUTE_SHARE = 0.01  # handovers that another (synthetic) source dates differently
SOURCES = 5
RETAINED = (dt.date(2014, 1, 1), dt.date(2019, 12, 31))
HANDED_OVER = (dt.date(2020, 1, 1), dt.date(2024, 12, 31))
PLANNED = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
SOURCE_DATE = "2025-06-01"  # after every synthetic event, so no source predates what it reports
CHECKED = "2025-06-02"  # when the synthetic sources were "read"
ESTIMATES = ((2014, 3500), (2016, 5000), (2018, 5200), (2020, 5200), (2022, 2500), (2024, 2500))


def write_synthetic(
    out: Path, sites: int, seed: int = 0, template: Path = DEFAULT_DATA_DIR
) -> dict[str, int]:
    """Write a valid synthetic dataset of `sites` sites into `out`; return rows per table."""
    rng = np.random.default_rng(seed)
    package = load_package(template)
    country = package.config["focus"][0]
    box = package.config["regions"][country]
    lat, lon, gov = random_points(rng, sites, governorates(template, country), box)
    site_rows = make_sites(rng, lat, lon, gov, country)
    rows = {
        "sites": site_rows,
        "events": make_events(rng, site_rows, words(package)),
        "estimates": make_estimates(package.config["headline"][0]),
        "tallies": [],
        "sources": make_sources(),
    }
    rows["citations"] = make_citations(rows["events"], rows["estimates"])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_descriptor(template, out, sites)
    for table in package.tables:
        write_csv(out / table.path, table.columns, rows[table.name])
    return {name: len(r) for name, r in rows.items()}


def governorates(data_dir: Path, country: str) -> list[tuple[str, list[np.ndarray]]]:
    """A country's governorate rings in a dataset folder's offline basemap (geo.governorates)."""
    return geo.governorates(basemap_dir(data_dir) / geo.GOVERNORATES, country)


def random_points(rng, n: int, govs: list, box: dict) -> tuple[np.ndarray, ...]:
    """n points (lat, lon, governorate) uniform over the governorates' land in `box`, 4 decimals
    like the data."""
    lats, lons, names = [], [], []
    got = 0
    while got < n:
        k = 2 * (n - got) + 16  # about half of a country's box is the country
        lat = np.round(rng.uniform(box["min_lat"], box["max_lat"], k), 4)
        lon = np.round(rng.uniform(box["min_lon"], box["max_lon"], k), 4)
        gov = governorate_at(lon, lat, govs)
        keep = gov != ""
        lats.append(lat[keep])
        lons.append(lon[keep])
        names.append(gov[keep])
        got += int(keep.sum())
    return tuple(np.concatenate(a)[:n] for a in (lats, lons, names))


def site_id(i: int) -> str:
    """The id of synthetic site i.

    >>> site_id(42)
    'syn_00042'
    """
    return f"syn_{i:05d}"


def make_sites(rng, lat: np.ndarray, lon: np.ndarray, gov: np.ndarray, country: str) -> list[dict]:
    """One row per site; a few are planned sites, a tenth have a proxy location."""
    n = len(lat)
    planned = pick(rng, np.arange(1, n), PLANNED_SHARE)  # site 0 always has a retained event
    proxy = rng.random(n) < PROXY_SHARE
    kinds = rng.integers(0, len(KINDS), n)
    rows = []
    for i in range(n):
        sid = site_id(i)
        rows.append(
            {
                "id": sid,
                "name": f"Synthetic site {sid[4:]}",
                "kind": "planned_site" if i in planned else KINDS[kinds[i]],
                "country": country,
                "governorate": gov[i],
                "context": "false",
                "lat": f"{lat[i]:.4f}",
                "lon": f"{lon[i]:.4f}",
                "location_precision": "proxy" if proxy[i] else "sourced",
                "uncertainty_km": "5" if proxy[i] else "",
                "location_source_ids": source_id(i),
                "location_note": "Random point inside the governorate (synthetic).",
                "notes": NOTE,
            }
        )
    return rows


def pick(rng, candidates: np.ndarray, share: float) -> set[int]:
    """A random share of the candidates, and at least one when there are any."""
    k = min(len(candidates), max(1, round(len(candidates) * share)))
    return {int(i) for i in rng.choice(candidates, k, replace=False)} if len(candidates) else set()


def random_dates(rng, n: int, span: tuple[dt.date, dt.date]) -> list[dt.date]:
    """n days drawn uniformly between the two dates, inclusive."""
    lo, hi = span[0].toordinal(), span[1].toordinal()
    return [dt.date.fromordinal(int(d)) for d in rng.integers(lo, hi + 1, n)]


def words(package) -> dict[str, str]:
    """The template's status for a plan, a presence and an end, and its forecast kind (by what
    their categories mean), so the synthetic data speaks the template's vocabulary."""
    theatre = read_theatre(package)
    pick_one = lambda found, what: found[0] if found else what  # noqa: E731
    return {
        "intended": pick_one(theatre.statuses_meaning("intended"), ""),
        "present": pick_one(theatre.statuses_meaning("present"), ""),
        "ended": pick_one(theatre.statuses_meaning("ended"), ""),
        "expects": pick_one(theatre.kinds_with("expects"), ""),
    }


def make_events(rng, sites: list[dict], w: dict[str, str]) -> list[dict]:
    """Per site, in date order: planned, or retained then (for ~60%) handed over (+ disputes),
    in the statuses of `w` (words())."""
    n = len(sites)
    retained, planned = random_dates(rng, n, RETAINED), random_dates(rng, n, PLANNED)
    handover, handed = random_dates(rng, n, HANDED_OVER), rng.random(n) < HANDOVER_SHARE
    handed &= np.array([s["kind"] != "planned_site" for s in sites], dtype=bool)
    disputed = pick(rng, np.flatnonzero(handed), DISPUTE_SHARE)
    delay = rng.integers(1, 11, n)
    rows = []
    for i, site in enumerate(sites):
        sid, src = site["id"], source_id(i)
        if site["kind"] == "planned_site":
            rows.append({**event(sid, w["intended"], planned[i], src), "kind": w["expects"],
                         "expects": w["present"]})  # fmt: skip
            continue
        rows.append(event(sid, w["present"], retained[i], src))
        if handed[i]:
            rows.append(event(sid, w["ended"], handover[i], src, recipient=True))
        if i in disputed:
            later = handover[i] + dt.timedelta(days=int(delay[i]))
            rows.append(event(sid, w["ended"], later, source_id(i + 1), f"{sid}_{w['ended']}"))
    return rows


def event(
    site: str, status: str, date: dt.date, source: str, alternative_to: str = "",
    recipient: bool = False,
) -> dict:  # fmt: skip
    """One synthetic event row; a disputing claim (alternative_to) gets its own id and source;
    a handover its (made-up) recipient."""
    summary = "another source's date for the handover" if alternative_to else status
    handed_to = "Synthetic recipient" if recipient else ""
    return {
        "id": f"{site}_{status}" + ("_alt" if alternative_to else ""),
        "site_id": site,
        "date": date.isoformat(),
        "date_precision": "day",
        "status": status,
        "summary": f"Synthetic event: {summary.replace('_', ' ')} ({NOTE}).",
        "handed_to": handed_to,
        "source_ids": source,
        "confidence": "low" if alternative_to else "medium",
        "alternative_to": alternative_to,
    }


def make_estimates(headline: dict) -> list[dict]:
    """A handful of figures of the template's first headline, one every other year."""
    return [
        {
            "id": f"synthetic_figure_{year}",
            "scope": headline["scope"],
            "area": headline["area"],
            "date": f"{year}-01-01",
            "date_precision": "year",
            "counted": headline["counted"],
            "best": str(best),
            "basis": "estimate",
            "summary": f"About {best:,} troops (synthetic figure, {NOTE}).",
            "source_ids": source_id(year),
            "confidence": "low",
        }
        for year, best in ESTIMATES
    ]


def make_citations(*tables: list[dict]) -> list[dict]:
    """One citation per record, taking its `source_ids` (which records do not keep)."""
    return [
        {
            "record_id": row["id"], "source_id": row.pop("source_ids"), "supports": "yes",
            "where": "synthetic", "checked": CHECKED, "note": f"Synthetic citation ({NOTE}).",
        }
        for rows in tables for row in rows
    ]  # fmt: skip


def source_id(i: int) -> str:
    """The synthetic source cited by record i (records cite the sources in turn)."""
    return f"synthetic_source_{i % SOURCES + 1}"


def make_sources() -> list[dict]:
    """A few synthetic sources, every one cited."""
    return [
        {
            "id": f"synthetic_source_{k}",
            "title": f"Synthetic source {k}",
            "publisher": "Footprint synthetic data generator",
            "date": SOURCE_DATE,
            "url": f"https://example.org/synthetic/{k}",
            "kind": "dataset",
            "notes": NOTE,
        }
        for k in range(1, SOURCES + 1)
    ]


def write_descriptor(template: Path, out: Path, sites: int) -> None:
    """The template's datapackage.json, retitled so the page says the data is synthetic."""
    raw = json.loads((Path(template) / DESCRIPTOR).read_text(encoding="utf-8"))
    raw["title"] = f"Synthetic benchmark data: {sites:,} made-up sites (not real)"
    (out / DESCRIPTOR).write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", "utf-8")


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write rows (missing columns left empty) as a UTF-8 CSV with the schema's header."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
