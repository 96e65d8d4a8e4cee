"""The attack layer: a burst beside each site attacked in the year before the date, each attack
in its popup with its date and sources; in the header, what the layer is (the attacks recorded
here, not a complete count) beside the totals sources give for an overlapping period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import altair as alt
import pandas as pd

from footprint.layers.base import Box, Layer
from footprint.look import WHITE
from footprint.text import count_text, format_date

DAYS = 365  # attacks shown: those in the year up to the date (the browser reads rules())
SIZE = 14  # px of a burst on the live map
LABEL = "Attack recorded in the year before (not all attacks)"
# A five-pointed burst, in a 20 x 20 box (SVG) and in Vega's -1..1 box (the pictures).
BURST = [(10, 1), (12.2, 7), (18.5, 6.5), (13.5, 10.5), (17, 16.5), (10.8, 13.5), (8, 19),
         (7.3, 13), (1.5, 12.5), (6.5, 8.5)]  # fmt: skip
BURST_VEGA = "M" + "L".join(f"{(x - 10) / 9:.3f},{(y - 10) / 9:.3f}" for x, y in BURST) + "Z"


def kinds(ds) -> list[str]:
    """The event kinds drawn by this layer: those whose category's role is layer."""
    return ds.theatre.kinds_with("layer")


def colour(ds) -> str | None:
    """The colour the data gives the layer's kind, if it has one."""
    for c in ds.package.table("events").field("kind").categories:
        if c.get("role") == "layer":
            return str(c.get("colour") or "") or None
    return None


def svg(fill: str, size: int = SIZE) -> str:
    """A burst in the data's attack colour (constant markup)."""
    points = " ".join(f"{x:g},{y:g}" for x, y in BURST)
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true">'
        f'<polygon points="{points}" fill="{fill}" stroke="{WHITE}" stroke-width="1.2"/></svg>'
    )


def recent(ds, shown: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """The attacks on the shown sites in the DAYS up to `asof`, by date."""
    ev = ds.events[ds.events["kind"].isin(kinds(ds)) & ds.events["site_id"].isin(shown["id"])]
    day = pd.Timestamp(asof)
    ev = ev[(ev["date"] <= day) & (ev["date"] > day - pd.Timedelta(days=DAYS))]
    return ev.sort_values("date", kind="stable")


def burst_box(x: float, y: float) -> Box:
    """Where a burst is drawn beside a marker at pixel (x, y) in a picture (offset -13)."""
    return (x - 26, y - 26, x, y)


class AttackLayer(Layer):
    """Attacks on the sites: events of the kind whose role is layer."""

    key = "attacks"
    label = "Show recorded attacks (the year before the date)"
    script = Path(__file__).with_name("attacks.js")

    def available(self, ds) -> bool:
        return bool(colour(ds)) and ds.events["kind"].isin(kinds(ds)).any()

    def rules(self, ds) -> dict:
        return {"days": DAYS, "svg": svg(colour(ds) or WHITE), "size": SIZE}

    def records(self, ds, shown: pd.DataFrame) -> dict[str, list]:
        """Site id -> its attacks as [date, date as read, what happened, who says so]."""
        ev = ds.events[ds.events["kind"].isin(kinds(ds)) & ds.events["site_id"].isin(shown["id"])]
        out: dict[str, list] = {}
        for row in ev.sort_values("date", kind="stable").to_dict("records"):
            out.setdefault(row["site_id"], []).append([
                f"{row['date']:%Y-%m-%d}", format_date(row["date"], row["date_precision"]),
                row["summary"], "; ".join(ds.publishers(row["source_ids"])),
            ])  # fmt: skip
        return out

    def legend(self, ds) -> list[tuple[str, str]]:
        return [(svg(colour(ds) or WHITE, 14), LABEL)]

    def legend_vega(self, ds) -> list[tuple[dict, str]]:
        look: dict = {"shape": BURST_VEGA, "fill": colour(ds), "stroke": WHITE, "dash": []}
        return [(look, LABEL)]

    def notes(self, ds, shown: pd.DataFrame, asof: dt.date) -> tuple[str, ...]:
        """How many attacks on these sites this dataset records in the year (not a complete
        count), and the totals sources give for a period that overlaps that year."""
        n = len(recent(ds, shown, asof))
        lines = [f"{n} attack{'s' if n != 1 else ''} on these sites recorded in this dataset in "
                 "the year before the date: the best documented, not a complete count"]  # fmt: skip
        day = pd.Timestamp(asof)
        t = ds.tallies[ds.tallies["what"].eq("attacks")]
        t = t[(t["since"] <= day) & (t["date"] > day - pd.Timedelta(days=DAYS))]  # overlaps
        for row in t.sort_values("date", kind="stable").itertuples():
            period = f"{format_date(row.since)} to {format_date(row.date, row.date_precision)}"
            who = "; ".join(ds.publishers(row.source_ids))
            counted = count_text(row.low, row.best, row.high)
            lines.append(f"{row.area}, {period}: {counted} attacks ({who})")
        return tuple(lines)

    def picture(self, ds, sites: pd.DataFrame, frame, asof: dt.date) -> tuple[list, list[Box]]:
        hit = sites[sites["id"].isin(set(recent(ds, sites, asof)["site_id"]))]
        if hit.empty or not colour(ds):
            return [], []
        mark = (
            alt.Chart(hit)
            .mark_point(shape=BURST_VEGA, filled=True, size=520, fill=colour(ds), stroke=WHITE,
                        strokeWidth=1.2, opacity=1, xOffset=-13, yOffset=-13)
            .encode(longitude=alt.Longitude("lon:Q"), latitude=alt.Latitude("lat:Q"))
            .properties(projection=frame.projection())
        )  # fmt: skip
        boxes = [
            burst_box(*frame.px(lon, lat)) for lon, lat in zip(hit["lon"], hit["lat"], strict=True)
        ]
        return [mark], boxes
