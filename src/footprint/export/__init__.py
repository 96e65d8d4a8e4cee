"""Every export of a view, one entry point per format, used by the command line and the page.

`render(ds, view, fmt)` returns the file's content (bytes or text); `file_name` names it with
the date and the dataset version. The formats: csv and geojson (the sites in view, as tables),
png (the briefing picture), html (a standalone interactive map).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from footprint.briefing import make_brief, shown_sites
from footprint.data import Dataset
from footprint.export.picture import briefing_chart, render_png
from footprint.export.tables import sites_as_of, to_csv, to_geojson
from footprint.export.webpage import to_html
from footprint.view import View

FORMATS = {
    "csv": ("text/csv", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "png": ("image/png", "png"),
    "html": ("text/html", "html"),
}


def render(
    ds: Dataset, view: View, fmt: str, shown: pd.DataFrame | None = None, size: int = 1920,
    layers_dir: Path | None = None,
) -> bytes | str:  # fmt: skip
    """The export of a view in a format; `shown` overrides the view's sites (default: its own)."""
    shown = shown_sites(ds, view) if shown is None else shown
    layers_dir = layers_dir or ds.layers_dir
    if fmt in ("csv", "geojson"):
        frame = sites_as_of(ds, view.asof, ds.sites_in(shown))
        return (to_csv if fmt == "csv" else to_geojson)(frame, view.asof, ds.version)
    brief = make_brief(ds, view, shown)
    if fmt == "png":
        chart = briefing_chart(ds, brief, shown, layers_dir, view.asof, attacks=view.attacks)
        return render_png(chart, size)
    if fmt == "html":
        return to_html(ds, brief, shown, layers_dir, view.asof, attacks=view.attacks)
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def file_name(ds: Dataset, view: View, fmt: str, size: int = 1920) -> str:
    """'footprint-2020-04-05-3c9a1b2d4e5f.png': the date and dataset version, and 4k if so."""
    extra = "-4k" if fmt == "png" and size == 3840 else ""
    return f"footprint-{view.asof}-{ds.version}{extra}.{FORMATS[fmt][1]}"
