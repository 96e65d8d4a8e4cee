"""Altair charts: site status over time, troop estimates as ranges, and where sources disagree."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from footprint.look import status_marks
from footprint.text import format_date


def status_scale(ds) -> alt.Scale:
    """Status labels to their colours, from the data's categories, in the schema's order."""
    marks = status_marks(ds.package.table("events").field("status"))
    return alt.Scale(
        domain=[m.label for m in marks.values()], range=[m.colour for m in marks.values()]
    )


def counted_scale(ds) -> alt.Scale:
    """Who-is-counted labels to their colours, from the data's categories."""
    cats = ds.package.table("estimates").field("counted").categories
    return alt.Scale(domain=[c.label for c in cats], range=[dict(c.look)["colour"] for c in cats])


def status_intervals(ds, end: dt.date) -> pd.DataFrame:
    """One row per (site, status) interval: from a period's start to the next one, or `end`
    (timeline.periods, so a forecast fallen due shows as its own status)."""
    sites = ds.sites
    tl = ds.timeline()
    tl = tl[tl["site_id"].isin(sites.loc[~sites["context"], "id"])]
    tl = tl[tl["status"].ne(tl.groupby("site_id")["status"].shift())]  # runs of one status
    nxt = tl.groupby("site_id")["start"].shift(-1).fillna(pd.Timestamp(end))
    names = sites.set_index("id")["name"]
    if sites["country"].nunique() > 1:  # say which country each row is in
        names = names + " · " + sites.set_index("id")["country"].map(ds.theatre.country_name)
    return pd.DataFrame(
        {
            "site": tl["site_id"].map(names).values,
            "status": tl["status"].map(ds.labels("events", "status")).values,
            "start": tl["start"].values,
            "end": nxt.values,
            "since": [format_date(d) for d in tl["start"]],
        }
    )


def status_timeline(
    intervals: pd.DataFrame, asof: dt.date, window: tuple[dt.date, dt.date], scale: alt.Scale
):
    """Gantt of each site's status, ordered by when its last status began, with the as-of rule."""
    order = intervals.groupby("site")["start"].max().sort_values().index.tolist()
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
            color=alt.Color("status:N", scale=scale, legend=alt.Legend(orient="top")),
            tooltip=["site:N", "status:N", alt.Tooltip("since:N", title="since")],
        )
    )
    return (bars + _asof_rule(asof)).properties(height=alt.Step(18), title="Site status over time")


GANTT_UP_TO = 60  # sites; above this the status chart shows counts over time instead


def status_counts_over_time(ds) -> pd.DataFrame:
    """Long frame (date, status, sites): how many non-context sites hold each status over time.

    Each change of a site's status (timeline.periods) moves it from its previous status (if
    any) to the new one; the running sum of those moves gives the counts, without recomputing
    as_of for every date.
    """
    core = set(ds.sites.loc[~ds.sites["context"], "id"])
    tl = ds.timeline()
    tl = tl[tl["site_id"].isin(core)]
    prev = tl.groupby("site_id")["status"].shift()
    tl, prev = tl[tl["status"].ne(prev)], prev[tl["status"].ne(prev)]
    moves = pd.concat(
        [
            pd.DataFrame({"date": tl["start"], "status": tl["status"], "n": 1}),
            pd.DataFrame({"date": tl["start"], "status": prev, "n": -1}).dropna(subset=["status"]),
        ]
    )
    daily = moves.groupby(["date", "status"])["n"].sum().unstack(fill_value=0)
    labels = ds.labels("events", "status")
    counts = daily.reindex(columns=list(labels), fill_value=0).cumsum()
    out = counts.reset_index().melt(id_vars="date", var_name="status", value_name="sites")
    out["status"] = out["status"].map(labels)
    return out


def status_counts_chart(
    counts: pd.DataFrame, asof: dt.date, window: tuple[dt.date, dt.date], scale: alt.Scale
):
    """Stacked step chart of site counts by status, with the as-of rule."""
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[_iso(window[0]), _iso(window[1])]))
    area = (
        alt.Chart(counts)
        .mark_area(interpolate="step-after", clip=True)
        .encode(
            x=x,
            y=alt.Y("sites:Q", stack="zero", title="Sites"),
            color=alt.Color("status:N", scale=scale, legend=alt.Legend(orient="top")),
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


_TOOLTIP = [
    alt.Tooltip("figure:N", title="figure"),
    alt.Tooltip("who:N", title="counted"),
    alt.Tooltip("when:N", title="when"),
    alt.Tooltip("area:N", title="where"),
    alt.Tooltip("basis_label:N", title="basis"),
    alt.Tooltip("confidence:N", title="confidence"),
    alt.Tooltip("says:N", title="source"),
    alt.Tooltip("summary:N", title="claim"),
]


def troop_chart(df: pd.DataFrame, asof: dt.date, scale: alt.Scale, title: str):
    """Troop estimates over time: a range per claim, the stated figure as a dot."""
    base = alt.Chart(df).encode(
        x=alt.X("date:T", title=None),
        color=alt.Color(
            "who:N", title="Who is counted", scale=scale, legend=alt.Legend(orient="top")
        ),
        tooltip=_TOOLTIP,
    )
    ranges = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        y=alt.Y("lo:Q", title="Troops"), y2="hi:Q"
    )
    dots = base.mark_point(filled=True, size=70).encode(
        y="hi:Q",
        shape=alt.Shape("basis_label:N", title="Basis"),
    )
    return (ranges + dots + _asof_rule(asof)).properties(height=300, title=title)


def disagreement_chart(df: pd.DataFrame, asof: dt.date, days: int = 120):
    """Every country-level figure within `days` of the as-of date, side by side, by source."""
    near = df[(df["date"] - pd.Timestamp(asof)).abs() <= pd.Timedelta(days=days)].copy()
    if near.empty:
        return None
    near["claim"] = (
        near["area"] + ", " + near["who"] + ", " + near["basis_label"] + " — " + near["says"]
        + " (" + near["when"] + ")"
    )  # fmt: skip
    base = alt.Chart(near).encode(
        y=alt.Y("claim:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
        color=alt.Color("basis_label:N", title="Basis", legend=alt.Legend(orient="top")),
        tooltip=_TOOLTIP,
    )
    bars = base.mark_bar(height=10, opacity=0.5).encode(x=alt.X("lo:Q", title="Troops"), x2="hi:Q")
    ticks = base.mark_tick(thickness=3, size=18).encode(x="hi:Q")
    text = base.mark_text(align="left", dx=6).encode(x="hi:Q", text="figure:N")
    title = f"What sources say within {days} days of {format_date(asof)}"
    return (bars + ticks + text).properties(height=alt.Step(28), title=title)
