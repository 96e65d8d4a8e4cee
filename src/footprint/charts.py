"""Altair charts: site status over time, troop estimates as ranges, and where sources disagree."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from footprint.data import Dataset
from footprint.mapview import COLOURS, format_date
from footprint.timeline import STATUS_LABELS, STATUSES, status_events

COUNTED_LABELS = {
    "us": "US military",
    "coalition_non_us": "Coalition partners (non-US)",
    "coalition": "US + coalition",
    "foreign": "All foreign troops",
    "contractors": "Contractors",
    "national": "One partner nation",
}
COUNTED_COLOURS = {
    "us": "#1f4e79",
    "coalition_non_us": "#1b9e77",
    "coalition": "#66a61e",
    "foreign": "#d95f02",
    "contractors": "#a6761d",
    "national": "#7f7f7f",
}
_COUNTED_SCALE = alt.Scale(
    domain=[COUNTED_LABELS[k] for k in COUNTED_COLOURS], range=list(COUNTED_COLOURS.values())
)
_STATUS_SCALE = alt.Scale(
    domain=[STATUS_LABELS[s] for s in STATUSES], range=[COLOURS[s] for s in STATUSES]
)


def status_intervals(sites: pd.DataFrame, events: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """One row per (site, status) interval: from an event's date to the next one, or `end`."""
    ev = status_events(events).sort_values(["site_id", "date"], kind="stable")
    ev = ev[ev["site_id"].isin(sites.loc[~sites["context"], "id"])]
    nxt = ev.groupby("site_id")["date"].shift(-1).fillna(pd.Timestamp(end))
    names = sites.set_index("id")["name"]
    return pd.DataFrame(
        {
            "site": ev["site_id"].map(names).values,
            "status": ev["status"].map(STATUS_LABELS).values,
            "start": ev["date"].values,
            "end": nxt.values,
            "since": [
                format_date(d, p) for d, p in zip(ev["date"], ev["date_precision"], strict=True)
            ],
        }
    )


def status_timeline(intervals: pd.DataFrame, asof: dt.date, window: tuple[dt.date, dt.date]):
    """Gantt of each site's status, ordered by when it was handed over, with the as-of rule."""
    order = (
        intervals.assign(h=intervals["start"].where(intervals["status"] == "Handed over"))
        .groupby("site")["h"].min().sort_values(na_position="last").index.tolist()
    )  # fmt: skip
    x = alt.X("start:T", title=None, scale=alt.Scale(domain=[_iso(window[0]), _iso(window[1])]))
    bars = (
        alt.Chart(intervals)
        .mark_bar(height=12, clip=True)
        .encode(
            x=x,
            x2="end:T",
            y=alt.Y(
                "site:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=240)
            ),
            color=alt.Color("status:N", scale=_STATUS_SCALE, legend=alt.Legend(orient="top")),
            tooltip=["site:N", "status:N", alt.Tooltip("since:N", title="since")],
        )
    )
    return (bars + _asof_rule(asof)).properties(height=alt.Step(18), title="Site status over time")


GANTT_UP_TO = 60  # sites; above this the status chart shows counts over time instead


def status_counts_over_time(sites: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Long frame (date, status, sites): how many non-context sites hold each status over time.

    Each status event moves one site from its previous status (if any) to the new one; the
    running sum of those moves gives the counts, without recomputing as_of for every date.
    """
    core = set(sites.loc[~sites["context"], "id"])
    ev = status_events(events)
    ev = ev[ev["site_id"].isin(core)].sort_values(["site_id", "date"], kind="stable")
    prev = ev.groupby("site_id")["status"].shift()
    moves = pd.concat(
        [
            pd.DataFrame({"date": ev["date"], "status": ev["status"], "n": 1}),
            pd.DataFrame({"date": ev["date"], "status": prev, "n": -1}).dropna(subset=["status"]),
        ]
    )
    daily = moves.groupby(["date", "status"])["n"].sum().unstack(fill_value=0)
    counts = daily.reindex(columns=list(STATUSES), fill_value=0).cumsum()
    out = counts.reset_index().melt(id_vars="date", var_name="status", value_name="sites")
    out["status"] = out["status"].map(STATUS_LABELS)
    return out


def status_counts_chart(counts: pd.DataFrame, asof: dt.date, window: tuple[dt.date, dt.date]):
    """Stacked step chart of site counts by status, with the as-of rule."""
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[_iso(window[0]), _iso(window[1])]))
    area = (
        alt.Chart(counts)
        .mark_area(interpolate="step-after", clip=True)
        .encode(
            x=x,
            y=alt.Y("sites:Q", stack="zero", title="Sites"),
            color=alt.Color("status:N", scale=_STATUS_SCALE, legend=alt.Legend(orient="top")),
            tooltip=["date:T", "status:N", "sites:Q"],
        )
    )
    return (area + _asof_rule(asof)).properties(height=260, title="Sites by status over time")


def _asof_rule(asof: dt.date):
    frame = pd.DataFrame({"date": [pd.Timestamp(asof)], "label": [f"as of {format_date(asof)}"]})
    base = alt.Chart(frame).encode(x="date:T")
    return base.mark_rule(color="#222", strokeDash=[4, 3]) + base.mark_text(
        align="left", dx=4, dy=-6, fontSize=11, y=0
    ).encode(text="label:N")


def _iso(d: dt.date) -> str:
    return pd.Timestamp(d).isoformat()


def estimates(ds: Dataset) -> pd.DataFrame:
    """estimate_frame of a dataset, built once per dataset (do not modify the result)."""
    return ds.memo(("estimates",), lambda: estimate_frame(ds.estimates, ds.sources))


def estimate_frame(estimates: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Estimates ready to chart: a range [lo, hi], a label, and who says so."""
    cites = sources.set_index("id")["publisher"]
    df = estimates.copy()
    df["lo"] = df["low"].fillna(df["best"]).fillna(df["high"]).astype(float)
    df["hi"] = df["high"].fillna(df["best"]).fillna(df["low"]).astype(float)
    df["open_ended"] = df["best"].isna() & df["high"].isna()
    df["who"] = df["counted"].map(COUNTED_LABELS)
    df["says"] = df["source_ids"].apply(lambda ids: "; ".join(cites.get(i, i) for i in ids))
    df["when"] = [format_date(d, p) for d, p in zip(df["date"], df["date_precision"], strict=True)]
    df["figure"] = df.apply(figure_text, axis=1)
    return df


def figure_text(row: pd.Series) -> str:
    """A figure as a person says it: '~5,200', '5,000–5,500', 'more than 16,000'."""
    low, best, high = (None if pd.isna(row[c]) else int(row[c]) for c in ("low", "best", "high"))
    if best is None and high is None:
        return f"more than {low:,}"
    if best is None and low is None:
        return f"up to {high:,}"
    if best is None:
        return f"{low:,}–{high:,}"
    if low is None and high is None:
        return f"~{best:,}"
    return (
        f"~{best:,} ({low if low is not None else best:,}–{high if high is not None else best:,})"
    )


_TOOLTIP = [
    alt.Tooltip("figure:N", title="figure"),
    alt.Tooltip("who:N", title="counted"),
    alt.Tooltip("when:N", title="when"),
    alt.Tooltip("area:N", title="where"),
    alt.Tooltip("basis:N", title="basis"),
    alt.Tooltip("confidence:N", title="confidence"),
    alt.Tooltip("says:N", title="source"),
    alt.Tooltip("summary:N", title="claim"),
]


def troop_chart(df: pd.DataFrame, asof: dt.date):
    """Country-level troop estimates over time: a range per claim, the stated figure as a dot."""
    base = alt.Chart(df).encode(
        x=alt.X("date:T", title=None),
        color=alt.Color(
            "who:N", title="Who is counted", scale=_COUNTED_SCALE, legend=alt.Legend(orient="top")
        ),
        tooltip=_TOOLTIP,
    )
    ranges = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        y=alt.Y("lo:Q", title="Troops"), y2="hi:Q"
    )
    dots = base.mark_point(filled=True, size=70).encode(
        y="hi:Q",
        shape=alt.Shape(
            "basis:N",
            title="Basis",
            scale=alt.Scale(domain=["official", "reported", "unofficial", "estimate"]),
        ),
    )
    return (ranges + dots + _asof_rule(asof)).properties(
        height=300, title="Troop estimates in Iraq (hover for the source)"
    )


def disagreement_chart(df: pd.DataFrame, asof: dt.date, days: int = 120):
    """Every country-level figure within `days` of the as-of date, side by side, by source."""
    near = df[(df["date"] - pd.Timestamp(asof)).abs() <= pd.Timedelta(days=days)].copy()
    if near.empty:
        return None
    near["claim"] = (
        near["who"] + ", " + near["basis"] + " — " + near["says"] + " (" + near["when"] + ")"
    )
    base = alt.Chart(near).encode(
        y=alt.Y("claim:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
        color=alt.Color("basis:N", title="Basis", legend=alt.Legend(orient="top")),
        tooltip=_TOOLTIP,
    )
    bars = base.mark_bar(height=10, opacity=0.5).encode(x=alt.X("lo:Q", title="Troops"), x2="hi:Q")
    ticks = base.mark_tick(thickness=3, size=18).encode(x="hi:Q")
    text = base.mark_text(align="left", dx=6).encode(x="hi:Q", text="figure:N")
    title = f"What sources say within {days} days of {format_date(asof)}"
    return (bars + ticks + text).properties(height=alt.Step(28), title=title)
