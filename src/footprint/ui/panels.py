"""Page sections: data-problem banner, header and metrics, site panel, and the tabs.

Data text is shown through st.dataframe (plain text cells) or through `md()`, which escapes
every Markdown character, so nothing typed in a CSV is interpreted as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from footprint import charts
from footprint.data import Dataset
from footprint.export import sites_as_of, to_csv, to_geojson
from footprint.mapview import PRECISION_TEXT, format_date
from footprint.timeline import STATUS_LABELS
from footprint.view import View

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:~$=^&\"'])")


def md(text: object) -> str:
    """Escape text for st.markdown so it shows literally.

    >>> md("<b>*x*</b> :red[y]")
    '\\\\<b\\\\>\\\\*x\\\\*\\\\</b\\\\> \\\\:red\\\\[y\\\\]'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def problems_banner(problems, data_dir: Path, serving_last_good: bool) -> None:
    """Show every data problem; say whether the page is serving the last valid data."""
    head = (
        "The data files have problems, so the page shows the last valid version."
        if serving_last_good
        else "The data cannot be shown until these problems are fixed."
    )
    lines = "\n".join(str(p) for p in problems[:200])
    st.error(f"{head} Run `make check-data` for the same report.", icon="🛑")
    st.code(lines + (f"\n… and {len(problems) - 200} more" if len(problems) > 200 else ""))


def header(ds: Dataset, view: View, shown: pd.DataFrame) -> None:
    """Title, as-of stamp, caveat and the counts in view."""
    st.markdown(f"## {md(ds.package.title)}")
    st.markdown(f"**As of {view.asof.day} {view.asof:%B %Y}** · {md(ds.config.get('caveat', ''))}")
    core = shown[~shown["context"]]
    cols = st.columns(4)
    for col, status in zip(cols, ("retained", "handed_over", "planned"), strict=False):
        col.metric(STATUS_LABELS[status], int((core["status"] == status).sum()))
    figure, caption = us_troops(ds, view.asof)
    cols[3].metric("US troops in Iraq", figure, help=caption)
    cols[3].caption(md(caption))


def us_troops(ds: Dataset, asof: dt.date) -> tuple[str, str]:
    """The latest country-level US figure on or before `asof`, and who says so."""
    est = charts.estimate_frame(ds.estimates, ds.sources)
    est = est[(est["scope"] == "country") & (est["counted"] == "us")]
    est = est[est["date"] <= pd.Timestamp(asof)].sort_values("date", kind="stable")
    if est.empty:
        return "—", "No country-wide US figure on or before this date."
    row = est.iloc[-1]
    return row["figure"], f"{row['when']}, {row['basis']}: {row['says']}"


def site_panel(ds: Dataset, status: pd.DataFrame, site_id: str, asof: dt.date) -> None:
    """Pick a site (or click one on the map) and read every claim about it."""
    names = status.set_index("id")["name"].to_dict()
    st.selectbox(
        "Site", [""] + list(names), key="site",
        format_func=lambda k: names.get(k, "— choose a site, or click one on the map —"),
    )  # fmt: skip
    if not site_id:
        st.caption("Every event, estimate and source for the chosen site appears here.")
        return
    row = status.set_index("id").loc[site_id]
    st.markdown(f"### {md(row['name'])}")
    if row["name_ar"]:
        st.markdown(f"#### {md(row['name_ar'])}")
    st.markdown(site_summary(row, asof))
    site_tables(ds, site_id)


def site_summary(row: pd.Series, asof: dt.date) -> str:
    """Status, location and aliases of a site as escaped Markdown lines."""
    if row["status"]:
        when = format_date(row["status_date"])
        to = f", to {md(row['handed_to'])}" if row["handed_to"] else ""
        status = f"**{STATUS_LABELS[row['status']]}** since {when}{to} (as of {format_date(asof)})"
    else:
        status = f"**No sourced status** on {format_date(asof)}"
    loc = PRECISION_TEXT[row["location_precision"]]
    if pd.notna(row["uncertainty_km"]):
        loc += f" ±{row['uncertainty_km']:g} km"
    lines = [
        status,
        f"{md(row['kind'].replace('_', ' '))} · {md(row['governorate'] or row['country'])}"
        + (" · **context only, not counted**" if row["context"] else ""),
        f"{md(loc)}: {row['lat']:.4f}, {row['lon']:.4f}. {md(row['location_note'])}",
    ]
    if row["aliases"]:
        lines.append("Also called: " + md("; ".join(row["aliases"])))
    if row["notes"]:
        lines.append(md(row["notes"]))
    return "  \n".join(lines)


def site_tables(ds: Dataset, site_id: str) -> None:
    """Events (with disputed claims flagged), estimates and the sources they cite."""
    ev = site_events(ds, site_id)
    st.markdown("**Events** (rows marked *disputed* are another source's competing claim)")
    st.dataframe(ev.drop(columns=["source_ids"]), hide_index=True, width="stretch")
    est = charts.estimate_frame(ds.estimates, ds.sources)
    est = est[est["site_id"] == site_id]
    if len(est):
        st.markdown("**Troop figures**")
        cols = ["when", "figure", "who", "basis", "confidence", "says", "summary"]
        st.dataframe(est[cols], hide_index=True, width="stretch")
    site = ds.sites.set_index("id").loc[site_id]
    ids = [*site["location_source_ids"], *ev["source_ids"].sum(), *est["source_ids"].sum()]
    st.markdown("**Sources**")
    source_table(ds.sources[ds.sources["id"].isin(ids)])


def site_events(ds: Dataset, site_id: str) -> pd.DataFrame:
    """A site's events plus competing claims about them filed under other sites."""
    ev = ds.events
    own = ev["site_id"] == site_id
    related = ev["alternative_to"].isin(ev.loc[own, "id"]) | ev["id"].isin(
        ev.loc[own, "alternative_to"]
    )
    rows = ev[own | related].sort_values("date", kind="stable")
    titles = ds.sources.set_index("id")["publisher"]
    return pd.DataFrame(
        {
            "date": [
                format_date(d, p) for d, p in zip(rows["date"], rows["date_precision"], strict=True)
            ],
            "status": rows["status"].map(lambda s: STATUS_LABELS.get(s, "") if s else "·"),
            "what": rows["summary"],
            "claim": rows["alternative_to"].map(lambda a: f"disputed: vs {a}" if a else "main"),
            "site": rows["site_id"],
            "handed to": rows["handed_to"],
            "confidence": rows["confidence"],
            "who says so": rows["source_ids"].map(
                lambda ids: "; ".join(titles.get(i, i) for i in ids)
            ),
            "source_ids": rows["source_ids"],
        }
    )


def source_table(sources: pd.DataFrame) -> None:
    """Sources with clickable links (validated http/https on load)."""
    df = sources[["title", "publisher", "date", "kind", "url"]].copy()
    df["date"] = df["date"].dt.strftime("%Y-%m-%d").fillna("")
    st.dataframe(
        df, hide_index=True, width="stretch",
        column_config={"url": st.column_config.LinkColumn("link", display_text="open ↗")},
    )  # fmt: skip


def tabs(ds: Dataset, view: View, status: pd.DataFrame, shown: pd.DataFrame) -> None:
    """Charts, the table of sites in view (with downloads), and all sources."""
    t_charts, t_table, t_sources = st.tabs(["Charts", "Sites in view", "All sources"])
    with t_charts:
        charts_section(ds, view)
    with t_table:
        table_section(ds, view, shown)
    with t_sources:
        source_table(ds.sources)


def charts_section(ds: Dataset, view: View) -> None:
    """Status over time, troop estimates as ranges, and where sources disagree."""
    period = st.radio(
        "Period", ["2020 drawdown", "Whole record"], key="chart_period", horizontal=True
    )
    end = dt.date.fromisoformat(ds.config["period"]["end"])
    window = (dt.date(2019, 12, 1), dt.date(2020, 12, 31)) if period == "2020 drawdown" else (
        dt.date.fromisoformat(ds.config["period"]["start"]), end)  # fmt: skip
    intervals = charts.status_intervals(ds.sites, ds.events, end)
    st.altair_chart(charts.status_timeline(intervals, view.asof, window), width="stretch")
    est = charts.estimate_frame(ds.estimates, ds.sources)
    country = est[est["scope"] == "country"]
    st.altair_chart(charts.troop_chart(country, view.asof), width="stretch")
    dis = charts.disagreement_chart(country, view.asof)
    if dis is not None:
        st.altair_chart(dis, width="stretch")


def table_section(ds: Dataset, view: View, shown: pd.DataFrame) -> None:
    """The sites in view with their status source, and CSV/GeoJSON downloads of the same."""
    sources = ds.events.set_index("id")["source_ids"]
    titles = ds.sources.set_index("id")["publisher"]
    df = shown.assign(
        since=[format_date(d) for d in shown["status_date"]],
        status_label=shown["status"].map(STATUS_LABELS),
        location=shown["location_precision"],
        source=shown["status_event"].map(
            lambda e: "; ".join(titles.get(i, i) for i in sources.get(e, [])) if e else ""
        ),
    )
    cols = [
        "name",
        "status_label",
        "since",
        "handed_to",
        "governorate",
        "kind",
        "location",
        "source",
    ]
    st.dataframe(df[cols], hide_index=True, width="stretch")
    export = sites_as_of(ds, view.asof, ds.sites[ds.sites["id"].isin(shown["id"])])
    stem = f"footprint-sites-{view.asof}"
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download CSV", to_csv(export, view.asof, ds.version), f"{stem}.csv", "text/csv"
    )
    c2.download_button(
        "Download GeoJSON", to_geojson(export, view.asof, ds.version), f"{stem}.geojson",
        "application/geo+json",
    )  # fmt: skip
