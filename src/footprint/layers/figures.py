"""The troop-figure layer: at each site with a troop figure, a circle whose area is the latest
figure on or before the date (its upper bound, for a range), coloured by who is counted; its
popup gives the figure, its range, who is counted, when and who says so."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import altair as alt
import pandas as pd

from footprint.estimates import estimates
from footprint.layers.base import Box, Layer

PX_PER_SQRT = 0.55  # radius in px per square root of troops: 100 -> 5.5 px, 2,000 -> 25 px
MIN_PX, MAX_PX = 5, 30  # no circle smaller than a marker, none that hides a city
LABEL = "Troop figure at the site (circle area by figure)"
OPACITY = 0.25


def radius(troops: float) -> float:
    """The circle's radius in px for a figure.

    >>> radius(100), radius(2000), radius(1), radius(100_000)
    (5.5, 24.6, 5, 30)
    """
    return round(min(MAX_PX, max(MIN_PX, PX_PER_SQRT * math.sqrt(troops))), 1)


def site_counts(ds) -> pd.DataFrame:
    """The site figures that are counts (not announced levels), by date."""
    est = estimates(ds)
    return est[est["scope"].eq("site") & est["due"].isna()].sort_values("date", kind="stable")


def colours(ds) -> dict[str, str]:
    """Who-is-counted value -> its colour in the data's categories."""
    field = ds.package.table("estimates").field("counted")
    return {c.value: str(c.get("colour") or "#444444") for c in field.categories}


class FigureLayer(Layer):
    """Troop figures at the sites: the latest site estimate, as a sized circle."""

    key = "figures"
    label = "Show troop figures at sites"
    script = Path(__file__).with_name("figures.js")

    def available(self, ds) -> bool:
        return not site_counts(ds).empty

    def rules(self, ds) -> dict:  # noqa: ARG002 - the same for every dataset
        return {"opacity": OPACITY}

    def records(self, ds, shown: pd.DataFrame) -> dict[str, list]:
        """Site id -> its figures as [date, figure in words, radius px, colour, who is
        counted, when, who says so], by date: the browser draws the latest on the date."""
        est = site_counts(ds)
        est = est[est["site_id"].isin(shown["id"])]
        paint = colours(ds)
        out: dict[str, list] = {}
        for r in est.to_dict("records"):
            out.setdefault(r["site_id"], []).append([
                f"{r['date']:%Y-%m-%d}", r["figure"], radius(r["hi"]), paint[r["counted"]],
                r["who"], r["when"], r["says"],
            ])  # fmt: skip
        return out

    def legend(self, ds) -> list[tuple[str, str]]:
        fill = next(iter(colours(ds).values()), "#444444")
        dot = (f'<svg width="14" height="14" viewBox="0 0 20 20" aria-hidden="true"><circle '
               f'cx="10" cy="10" r="8" fill="{fill}" fill-opacity="{OPACITY}" stroke="{fill}"/>'
               "</svg>")  # fmt: skip
        return [(dot, LABEL)]

    def legend_vega(self, ds) -> list[tuple[dict, str]]:
        fill = next(iter(colours(ds).values()), "#444444")
        return [({"shape": "circle", "fill": fill, "stroke": fill, "dash": []}, LABEL)]

    def notes(self, ds, shown: pd.DataFrame, asof: dt.date) -> tuple[str, ...]:
        now = latest(ds, shown, asof)
        if now.empty:
            return ("No troop figure for these sites on or before the date",)
        biggest = now.sort_values("hi", ascending=False).iloc[0]
        return (
            f"Troop figures at {len(now)} of these sites (the latest on or before the date; "
            f"circle area by figure), the largest {biggest['figure']} at "
            f"{ds.sites.set_index('id').loc[biggest['site_id'], 'name']} ({biggest['when']})",
        )

    def picture(self, ds, sites: pd.DataFrame, frame, asof: dt.date) -> tuple[list, list[Box]]:
        now = latest(ds, sites, asof).merge(sites[["id", "lon", "lat"]], left_on="site_id",
                                            right_on="id")  # fmt: skip
        if now.empty:
            return [], []
        now = now.assign(area=[math.pi * radius(h) ** 2 * 4 for h in now["hi"]],
                         paint=[colours(ds)[c] for c in now["counted"]])  # fmt: skip
        data = now[["lon", "lat", "area", "paint"]]
        mark = alt.Chart(data).mark_circle(opacity=OPACITY + 0.1, strokeWidth=1.5).encode(
            longitude=alt.Longitude("lon:Q"), latitude=alt.Latitude("lat:Q"),
            size=alt.Size("area:Q", scale=None),
            fill=alt.Fill("paint:N", scale=None), stroke=alt.Stroke("paint:N", scale=None),
        ).properties(projection=frame.projection())  # fmt: skip
        return [mark], []


def latest(ds, shown: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """Each shown site's latest figure on or before `asof`."""
    est = site_counts(ds)
    est = est[est["site_id"].isin(shown["id"]) & (est["date"] <= pd.Timestamp(asof))]
    return est.groupby("site_id").tail(1)
