"""What a briefing slide says: title, as-of stamp, counts, troop figure, sources, caveat.

One `Brief` feeds the briefing view, the PNG and the standalone HTML export, so a slide, an
image and a file made from the same link say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint import charts
from footprint.data import Dataset
from footprint.mapview import format_date
from footprint.timeline import STATUS_LABELS
from footprint.view import View, apply_filters

MAX_SOURCES = 6  # publishers named on the source line; the rest are counted


@dataclass(frozen=True)
class Brief:
    """The text of a briefing view, computed from the data and the view."""

    title: str
    asof: str
    counts: dict[str, int]
    troops: str
    troops_source: str
    sources: str
    caveat: str
    stamp: str

    @property
    def counts_text(self) -> str:
        """'Retained 9 · Handed over 5 · Planned 1'."""
        return " · ".join(f"{STATUS_LABELS[s]} {n}" for s, n in self.counts.items())


def shown_sites(ds: Dataset, view: View) -> pd.DataFrame:
    """The sites the view shows, with their status on the view's date."""
    return apply_filters(ds.status_on(view.asof), view)


def status_counts(shown: pd.DataFrame) -> dict[str, int]:
    """Sites shown, by status; context sites (outside Iraq, non-coalition) are not counted."""
    core = shown[~shown["context"]]
    return {s: int((core["status"] == s).sum()) for s in ("retained", "handed_over", "planned")}


def make_brief(ds: Dataset, view: View, shown: pd.DataFrame | None = None) -> Brief:
    """The briefing text for a view."""
    shown = shown_sites(ds, view) if shown is None else shown
    counts = status_counts(shown)
    troops, troops_source = us_troops(ds, view.asof)
    return Brief(
        title=view.title or ds.package.title,
        asof=f"As of {format_date(view.asof)}",
        counts=counts,
        troops=troops,
        troops_source=troops_source,
        sources=source_line(ds, shown),
        caveat=ds.config.get("caveat", ""),
        stamp=f"Footprint · dataset {ds.version} · made {format_date(dt.date.today())}",
    )


def us_troops(ds: Dataset, asof: dt.date) -> tuple[str, str]:
    """The latest country-level US figure on or before `asof`, and who says so (memoised)."""
    return ds.memo(("us_troops", asof), lambda: _us_troops(ds, asof))


def _us_troops(ds: Dataset, asof: dt.date) -> tuple[str, str]:
    est = charts.estimates(ds)
    est = est[(est["scope"] == "country") & (est["counted"] == "us")]
    est = est[est["date"] <= pd.Timestamp(asof)].sort_values("date", kind="stable")
    if est.empty:
        return "—", "No country-wide US figure on or before this date."
    row = est.iloc[-1]
    return row["figure"], f"{row['when']}, {row['basis']}: {row['says']}"


def source_line(ds: Dataset, shown: pd.DataFrame) -> str:
    """Publishers behind the status of the sites shown, most cited first."""
    ids = ds.events.set_index("id").loc[shown["status_event"][shown["status_event"] != ""]]
    publishers = ds.sources.set_index("id")["publisher"]
    cited = pd.Series([publishers[i] for ids_ in ids["source_ids"] for i in ids_])
    if cited.empty:
        return "Sources: none for the sites shown."
    top = cited.value_counts().index.tolist()
    more = len(top) - MAX_SOURCES
    tail = f" and {more} more" if more > 0 else ""
    return "Sources: " + "; ".join(top[:MAX_SOURCES]) + tail + ". Full list in the dashboard."
