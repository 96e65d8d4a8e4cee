"""Troop estimates shaped for reading and charting, and the headline figures with their age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint.text import evidence_note, figure, format_date
from footprint.theatre import Headline


def estimates(ds) -> pd.DataFrame:
    """estimate_frame of a dataset, built once per dataset (do not modify the result)."""
    return ds.memo(("estimates",), lambda: estimate_frame(ds))


def estimate_frame(ds) -> pd.DataFrame:
    """Estimates ready to read or chart: a range [lo, hi], the figure in words, who says so."""
    cites = ds.sources.set_index("id")["publisher"]
    df = ds.estimates.copy()
    df["lo"] = df["low"].fillna(df["best"]).fillna(df["high"]).astype(float)
    df["hi"] = df["high"].fillna(df["best"]).fillna(df["low"]).astype(float)
    df["open_ended"] = df["best"].isna() & df["high"].isna()
    df["who"] = df["counted"].map(ds.labels("estimates", "counted"))
    df["basis_label"] = df["basis"].map(ds.labels("estimates", "basis"))
    df["says"] = df["source_ids"].apply(lambda ids: "; ".join(cites.get(i, i) for i in ids))
    df["when"] = [format_date(d, p) for d, p in zip(df["date"], df["date_precision"], strict=True)]
    df["figure"] = [
        figure(*(None if pd.isna(v) else int(v) for v in row))
        for row in df[["low", "best", "high"]].itertuples(index=False)
    ]
    return df


@dataclass(frozen=True)
class Figure:
    """A headline figure as shown: label, figure, and the date and age of its evidence."""

    label: str
    figure: str
    note: str
    source: str
    stale: bool


def headline_figures(ds, asof: dt.date) -> list[Figure]:
    """Each of the theatre's headline figures on `asof`, with its age (memoised per date)."""
    return ds.memo(("headline", asof), lambda: [_figure(ds, h, asof) for h in ds.theatre.headlines])


def _figure(ds, h: Headline, asof: dt.date) -> Figure:
    est = estimates(ds)
    est = est[(est["scope"] == h.scope) & (est["area"] == h.area) & (est["counted"] == h.counted)]
    est = est[est["date"] <= pd.Timestamp(asof)].sort_values("date", kind="stable")
    if est.empty:
        return Figure(h.label, "—", "no figure on or before this date", "", False)
    row = est.iloc[-1]
    stale_after = ds.theatre.stale_after_days
    note = evidence_note(row["date"], row["date_precision"], asof, stale_after, "figure")
    stale = (asof - row["date"].date()).days > stale_after
    source = f"{row['when']}, {row['basis_label'].lower()}: {row['says']}"
    return Figure(h.label, row["figure"], note, source, stale)
