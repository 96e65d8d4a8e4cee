"""Page sections: data-problem banner, header and counts, site panel, and the tabs.

Data text is shown through st.dataframe (plain text cells), through `md()`, which escapes
every Markdown character, or in HTML through `html.escape` (the header's counts), so nothing
typed in a CSV is interpreted as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import partial
from typing import cast

import pandas as pd
import streamlit as st

from footprint import charts, export
from footprint.briefing import (
    coverage_lines,
    cutoff_line,
    layer_notes,
    old_counts,
    shown_sites,
    status_counts,
    status_line,
)
from footprint.csvfile import report_lines
from footprint.data import Dataset
from footprint.estimates import estimates, headline_figures
from footprint.text import format_date, handed_to, plural, span
from footprint.timeline import NO_RECORD
from footprint.view import View, changes, shows, site_named
from footprint.webmap import location_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:~$=^&\"'])")


def md(text: object) -> str:
    """Escape text for st.markdown so it shows literally.

    >>> md("<b>*x*</b> :red[y]")
    '\\\\<b\\\\>\\\\*x\\\\*\\\\</b\\\\> \\\\:red\\\\[y\\\\]'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def problems_banner(problems, serving_last_good: bool) -> None:
    """Show every data problem; say whether the page is serving the last valid data."""
    head = (
        "The data files have problems, so the page shows the last valid version."
        if serving_last_good
        else "The data cannot be shown until these problems are fixed."
    )
    lines = "\n".join(report_lines(problems[:200]))  # a knock-on indented under its cause
    st.error(f"{head} Run `make check-data` for the same report.", icon=":material/error:")
    more = f"\n… and {len(problems) - 200} more" if len(problems) > 200 else ""
    # Plain text, wrapped: no highlighting of words such as "is" and "not" as code
    st.code(lines + more, language=None, wrap_lines=True)


def header(ds: Dataset, view: View) -> None:
    """Title, as-of stamp, caveat and the counts in view, as one Markdown element.

    One element rather than a title, a stamp and four st.metric columns: on a session's first
    run the browser draws the header while the map's frame loads on the same main thread, and
    the ten elements and st.metric's own scripts delayed the map (README, *Speed and scale*).
    """
    text, figures = ds.memo(("header", shows(view)), lambda: _header(ds, view))
    st.markdown(text, unsafe_allow_html=True)
    for line in layer_notes(ds, view, shown_sites(ds, view)):
        st.caption(md(line))
    with st.expander("Where the headline figures come from, and what competes with them"):
        st.markdown(figure_details(ds, figures))


def _header(ds: Dataset, view: View) -> tuple[str, list]:
    """The header's Markdown and the headline figures in it: the same for every view with the
    same date and filters, so made once for all of them (header). It finds the sites shown
    itself, from the same date and filters as its memo's key."""
    shown = shown_sites(ds, view)
    old = old_counts(ds, shown, view.asof)
    stale = span(ds.theatre.stale_after_days)
    counts: list[tuple] = [  # (label, figure, note[, words]): counts_html's rows
        (label, str(n), f"{old[label]} on reports over {stale} old" if old.get(label) else "")
        for label, n in status_counts(ds, shown).items()
    ]
    figures = headline_figures(ds, view.asof)
    counts += [(f.label, f.figure, f.note, figure_words(f)) for f in figures]
    stamp = f"As of {format_date(view.asof)}"  # as the briefing, the exports and the site panel
    parts = (ds.theatre.caveat, cutoff_line(ds), *coverage_lines(ds, view.asof))
    note = " · ".join(md(part) for part in parts if part)
    text = f"## {md(ds.theatre.title)}\n\n**{md(stamp)}** · {note}\n\n" + counts_html(counts)
    return text, figures


def figure_details(ds: Dataset, figures) -> str:
    """Each headline figure's source, the level announced since, its rivals, and the rule that
    picked it, as escaped Markdown."""
    r = ds.theatre.headline_rule
    rule = f"the latest figure of {r.min_confidence} confidence or better"
    if r.prefer_basis:
        rule += (f"; but of the figures at most {r.prefer_within_days} days older than it, "
                 f"{' before '.join(r.prefer_basis)}")  # fmt: skip
    lines = []
    for f in figures:
        lines.append(f"- **{md(f.label)}: {md(f.figure)}** ({md(f.note)}). {md(f.source)}")
        if f.announced:
            lines.append(f"  - {md(f.announced[:1].upper() + f.announced[1:])}")
        lines += [f"  - Also: {md(rival)}" for rival in f.rivals]
    lines.append(
        f"\nHow a figure is picked: {md(rule)}; other figures of the "
        f"{md(span(r.rivals_within_days))} before the date are listed beneath it."
    )
    return "\n".join(lines)


def figure_words(f) -> list[str]:
    """What a headline figure rests on, as lines of plain text: the source's words, who says
    so and when, the level announced since, and the figures that compete with it."""
    lines = [f"{f.words}" if f.words else "", f"Source: {f.source}" if f.source else "",
             f"Age: {f.note}" if f.note else ""]  # fmt: skip
    if f.announced:
        lines.append(f.announced[:1].upper() + f.announced[1:])
    lines += [f"Also: {rival}" for rival in f.rivals]
    return [line for line in lines if line]


# Constant CSS for counts_html (no data in it), in the look of st.metric.
COUNTS_CSS = (
    "<style>.fp-counts{display:flex;flex-wrap:wrap;gap:1rem}"
    ".fp-count{flex:1 1 0;min-width:7rem}.fp-count>*{display:block}"
    ".fp-count>span{font-size:0.875rem}"
    ".fp-count>strong{font-size:2.25rem;font-weight:400;line-height:1.4}"
    ".fp-count>small,.fp-count summary small{color:#595959}"  # 7:1 on white; faded was 3.9:1
    ".fp-count{position:relative}.fp-count summary{cursor:pointer;list-style:none}"
    ".fp-count summary>*{display:block}.fp-count summary>span{font-size:0.875rem}"
    ".fp-count summary>strong{font-size:2.25rem;font-weight:400;line-height:1.4}"
    ".fp-count summary>u{font-size:0.8rem;color:#1f4e79}"
    ".fp-words{position:absolute;z-index:5;background:#fff;border:1px solid #999;"
    "border-radius:4px;padding:0.5rem 0.75rem;width:min(26rem,90vw);right:0;font-size:0.875rem}"
    ".fp-words p{margin:0 0 0.3rem 0}</style>"
)


def counts_html(counts: list[tuple]) -> str:
    """A row of counts (label, figure, note[, words]), every text escaped. A count with words
    (lines of text) opens them, by mouse or keyboard (Enter, Space): a details element.

    Whitespace is folded to single spaces: a blank line would end the HTML block and let the
    rest be read as Markdown.

    >>> counts_html([("A<b>", "1\\n\\n2", "")]).split('"fp-count">')[1]
    '<span>A&lt;b&gt;</span><strong>1 2</strong></div></div>'
    """

    def text(value: object) -> str:
        return html.escape(" ".join(str(value).split()))

    def cell(label, figure, note="", words=()) -> str:
        head = f"<span>{text(label)}</span><strong>{text(figure)}</strong>" + (
            f"<small>{text(note)}</small>" if note else ""
        )
        if not words:
            return f'<div class="fp-count">{head}</div>'
        said = "".join(f"<p>{text(line)}</p>" for line in words)
        return (f'<div class="fp-count"><details><summary>{head}<u>Where it comes from</u>'
                f'</summary><div class="fp-words">{said}</div></details></div>')  # fmt: skip

    cells = "".join(cell(*count) for count in counts)
    return f'{COUNTS_CSS}<div class="fp-counts">{cells}</div>'


def comparison(ds: Dataset, view: View, status: pd.DataFrame) -> None:
    """Which sites changed status between the comparison date and the as-of date."""
    assert view.compare is not None  # the page asks for a comparison only with a date
    before = ds.status_on(view.compare)
    diff = changes(before, status)
    a, b = sorted([view.compare, view.asof])
    st.markdown(f"**Changes between {format_date(a)} and {format_date(b)}**: {len(diff)} site(s)")
    if len(diff):
        label = {**ds.labels("events", "status"), "": NO_RECORD}
        country = ds.sites.set_index("id")["country"].map(ds.theatre.country_name)
        table = pd.DataFrame(
            {
                "Site": diff["name"],
                "Country": diff["id"].map(country),
                f"on {format_date(view.compare)}": diff["status_before"].map(label),
                f"on {format_date(view.asof)}": diff["status_after"].map(label),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")


SITE_CHOICES = 500  # the site picker lists at most this many (the sites in view first)
TABLE_ROWS = 1000  # rows of the sites table sent to the page; the downloads have them all


def site_panel(
    ds: Dataset, status: pd.DataFrame, site_id: str, asof: dt.date, shown: pd.DataFrame
) -> None:
    """Pick a site (or click one on the map) and read every claim about it."""
    names = ds.memo(("site_labels",), lambda: pd.Series(
        [site_label(r) for r in ds.sites.itertuples()], index=ds.sites["id"]))  # fmt: skip
    if len(names) > SITE_CHOICES:  # thousands of options would be sent on every rerun
        # the first sites in view (status and shown share their order), and the chosen one
        first = shown["id"].head(SITE_CHOICES)
        names = names[first.tolist() + ([site_id] if site_id in names.index else [])]
    labels = names.to_dict()
    # Typing filters the options by their labels, which carry every name of a site; a typed
    # text that is no label (Enter on it) is read as the search reads it (site_typed).
    st.selectbox(
        "Site", [""] + list(labels), key="site", filter_mode="contains", accept_new_options=True,
        format_func=lambda k: labels.get(k, "— type any name of a site, or click the map —"),
        on_change=site_typed, args=(status,),
    )  # fmt: skip
    unknown = st.session_state.pop("_unknown_site", "")  # said once, after the typing
    if unknown:
        st.caption(f"No site goes by the name {md(unknown)}.")
    if not site_id:
        st.caption("Every event, estimate and source for the chosen site appears here.")
        return
    row = next(status[status["id"] == site_id].itertuples())
    st.markdown(f"### {md(row.name)}")
    if row.name_ar:
        st.markdown(f"#### {md(row.name_ar)}")
    st.markdown(site_summary(ds, row, asof))
    site_tables(ds, site_id)


def site_label(row) -> str:
    """How the Site box lists a site: its name, then every other name it goes by (aliases, the
    Arabic name), so that typing any of them finds it.

    >>> from types import SimpleNamespace as Row
    >>> site_label(Row(name="Qayyarah West", aliases=["Q-West"], name_ar="القيارة"))
    'Qayyarah West (Q-West; القيارة)'
    >>> site_label(Row(name="Camp K", aliases=[], name_ar=""))
    'Camp K'
    """
    others = [n for n in (*row.aliases, row.name_ar) if n]
    return f"{row.name} ({'; '.join(others)})" if others else row.name


def site_typed(status: pd.DataFrame) -> None:
    """Callback of the Site box: a typed text that is no site's label is read as the search
    reads it (view.site_named); text that names no site leaves the box empty, with a note."""
    typed = st.session_state.get("site") or ""
    site = site_named(status, typed)
    st.session_state["site"] = site
    st.session_state["_unknown_site"] = typed if typed and not site else ""


def site_summary(ds: Dataset, row, asof: dt.date) -> str:
    """Status (with the age of its evidence), location and aliases as escaped Markdown lines."""
    status = f"**{md(status_line(ds, row, asof))}** (as of {format_date(asof)})"
    if not row.status and not row.context:
        status = f"**No sourced status** on {format_date(asof)}"
    where = ", ".join(p for p in (row.governorate, ds.theatre.country_name(row.country)) if p)
    loc = location_text(ds, row.location_precision, row.uncertainty_km)
    lines = [
        status,
        f"{md(ds.label('sites', 'kind', row.kind))} · {md(where)}"
        + (" · **context only, not counted**" if row.context else ""),
        f"{md(loc)}: {row.lat:.4f}, {row.lon:.4f}. {md(row.location_note)}",
    ]
    if row.aliases:
        lines.append("Also called: " + md("; ".join(row.aliases)))
    if row.notes:
        lines.append(md(row.notes))
    return "  \n".join(lines)


def site_tables(ds: Dataset, site_id: str) -> None:
    """Events (with disputed claims flagged) and troop figures, each with the sources checked
    for it (when, where they say it, what they say), then the sources they cite."""
    ev = site_events(ds, site_id)
    st.markdown("**Events** (another source's competing claim is marked as one)")
    st.markdown(event_list(ev, ds))
    est = estimates(ds)
    est = est[est["site_id"] == site_id]
    if len(est):
        st.markdown("**Troop figures**")
        st.markdown(figure_list(est, ds))
    site = ds.sites.set_index("id").loc[site_id]
    cited = [*ev["source_ids"], *est["source_ids"]]
    ids = [*site["location_source_ids"], *(i for ids in cited for i in ids)]
    st.markdown("**Sources**")
    st.markdown(source_list(ds.sources[ds.sources["id"].isin(ids)]))


def event_list(ev: pd.DataFrame, ds: Dataset | None = None) -> str:
    """A site's events as an escaped Markdown list, newest last, disputes flagged, each with
    its checked citations (given the dataset)."""
    lines = []
    for r in ev.to_dict("records"):
        flag = f"*Competing claim*, {md(r['claim'])}: " if r["claim"] != "main" else ""
        status = f" · {md(r['status'])}" if r["status"] != "·" else ""
        kind = f" · {md(r['kind'])}" if r["kind"] else ""
        to = md(handed_to(r["handed to"]))
        lines.append(
            f"- {flag}**{md(r['date'])}**{status}{kind}{to} — {md(r['what'])} "
            f"*{md(r['who says so'])}; confidence {md(r['confidence'])}*"
        )
        if ds is not None:
            lines += citation_lines(ds, r["id"])
    return "\n".join(lines)


def figure_list(est: pd.DataFrame, ds: Dataset | None = None) -> str:
    """Troop figures as an escaped Markdown list, each with its checked citations."""
    lines = []
    for r in est.to_dict("records"):
        lines.append(
            f"- **{md(r['when'])}** · {md(r['figure'])} {md(r['who'])} — {md(r['summary'])} "
            f"*{md(r['says'])}; {md(r['basis_label'].lower())}, confidence {md(r['confidence'])}*"
        )
        if ds is not None:
            lines += citation_lines(ds, r["id"])
    return "\n".join(lines)


def citation_lines(ds: Dataset, record_id: str) -> list[str]:
    """The sources checked for a record, as nested Markdown items: whether each supports it,
    when it was read, where it says so and what it says, in our words."""
    verdicts = ds.labels("citations", "supports")
    out = []
    for c in ds.citations_of(record_id).to_dict("records"):
        when = f", {format_date(c['date'])}" if pd.notna(c["date"]) else ""
        read = f"read {format_date(c['checked'])}" + (f", {c['where']}" if c["where"] else "")
        note = f": {md(c['note'])}" if c["note"] else ""
        out.append(f"  - {md(verdicts.get(c['supports'], c['supports']))} · "
                   f"{md(c['publisher'])}{md(when)} ({md(read)}){note}")  # fmt: skip
    return out


def source_list(sources: pd.DataFrame) -> str:
    """Sources as an escaped Markdown list of links (URLs were checked as http/https on load).

    >>> df = pd.DataFrame({"title": ["A [b]"], "publisher": ["P"], "kind": ["news"],
    ...     "date": [pd.Timestamp("2020-03-26")], "url": ["https://x.org/a_(b)"]})
    >>> print(source_list(df))
    - [A \\[b\\]](https://x.org/a_%28b%29) — P, 26 Mar 2020 \\(news\\)
    """
    lines = []
    for row in sources.itertuples(index=False):  # sources rows: url and kind text, date a date
        url = cast(str, row.url).replace("(", "%28").replace(")", "%29")
        day, kind = cast(pd.Timestamp, row.date), cast(str, row.kind)
        when = f", {format_date(day)}" if pd.notna(day) else ""
        lines.append(f"- [{md(row.title)}]({url}) — {md(row.publisher)}{when} {md(f'({kind})')}")
    return "\n".join(lines)


def site_events(ds: Dataset, site_id: str) -> pd.DataFrame:
    """A site's events plus competing claims about them filed under other sites."""
    ev = ds.events
    own = ev["site_id"] == site_id
    related = ev["alternative_to"].isin(ev.loc[own, "id"]) | ev["id"].isin(
        ev.loc[own, "alternative_to"]
    )
    rows = ev[own | related].sort_values("date", kind="stable")
    titles = ds.sources.set_index("id")["publisher"]
    when = {
        e: format_date(d, p)
        for e, d, p in zip(ev["id"], ev["date"], ev["date_precision"], strict=True)
    }
    return pd.DataFrame(
        {
            "date": [
                format_date(d, p) for d, p in zip(rows["date"], rows["date_precision"], strict=True)
            ],
            "status": rows["status"].map(lambda s: ds.label("events", "status", s) if s else "·"),
            "kind": rows["kind"].map(lambda k: ds.label("events", "kind", k) if k else ""),
            "what": rows["summary"],
            "claim": rows["alternative_to"].map(
                lambda a: f"disputes the {when.get(a, a)} entry" if a else "main"
            ),
            "site": rows["site_id"],
            "handed to": rows["handed_to"],
            "confidence": rows["confidence"],
            "who says so": rows["source_ids"].map(
                lambda ids: "; ".join(titles.get(i, i) for i in ids)
            ),
            "source_ids": rows["source_ids"],
            "id": rows["id"],
        }
    )


def source_table(ds: Dataset) -> None:
    """Sources with clickable links (validated http/https on load), human column names."""
    df = ds.sources[["title", "publisher", "date", "kind", "url"]].copy()
    df["date"] = df["date"].dt.strftime("%Y-%m-%d").fillna("")
    df["kind"] = df["kind"].map(ds.labels("sources", "kind"))
    field = ds.package.table("sources").field
    df = df.rename(columns={c: field(c).heading for c in df.columns})
    link = field("url").heading
    st.dataframe(
        df, hide_index=True, width="stretch",
        column_config={link: st.column_config.LinkColumn(link, display_text="open")},
    )  # fmt: skip


def tabs(ds: Dataset, view: View) -> None:
    """The table of sites in view (with downloads), charts, and all sources.

    Only the open tab is built and sent. The table opens first: it is the map's text twin
    (status, since when, source per site) and cheap to draw; the charts cost the browser
    about a second (Vega), which would otherwise slow every page load and date change.
    """
    t_table, t_charts, t_sources = st.tabs(
        ["Sites in view", "Charts", "All sources"], key="tab", on_change="rerun"
    )
    if t_charts.open:
        with t_charts:
            charts_section(ds, view)
    if t_table.open:
        with t_table:
            table_section(ds, view)
    if t_sources.open:
        with t_sources:
            source_table(ds)


WHOLE_RECORD = "Whole record"


# The table's columns fit a laptop's page (818 px wide at 1280x720): fixed widths, and rows of
# three lines, in which Streamlit wraps text (it does above 4rem). Wider, the rest is shared.
TABLE_WIDTHS = (125, 200, 75, 95, 85, 110, 126)
TABLE_ROW_HEIGHT = 66
COUNTED, CONTEXT_ONLY = "yes", "no, context"


def sites_table(ds: Dataset, view: View, top: pd.DataFrame) -> pd.DataFrame:
    """The table of sites in view, one row per site shown on the map, columns named as people
    read them; `Counted` says whether the header counts the site (context sites: no)."""
    sources = ds.events.set_index("id")["source_ids"]
    titles = ds.sources.set_index("id")["publisher"]
    heading = ds.package.table("sites").field
    return pd.DataFrame({
        heading("name").heading: top["name"],
        "Status on the date": [status_line(ds, r, view.asof) for r in top.itertuples()],
        "Counted": top["context"].map({False: COUNTED, True: CONTEXT_ONLY}),
        heading("governorate").heading: top["governorate"],
        heading("kind").heading: top["kind"].map(ds.labels("sites", "kind")),
        heading("location_precision").heading: [
            location_text(ds, p, r) for p, r in zip(top["location_precision"],
                                                    top["uncertainty_km"], strict=True)],
        "Who says so": top["status_event"].map(
            lambda e: "; ".join(titles.get(i, i) for i in sources.get(e, [])) if e else ""
        ),
    })  # fmt: skip


def table_caption(ds: Dataset, shown: pd.DataFrame) -> str:
    """What the table lists, counted as the header counts: the sites it counts, and the context
    sites drawn beside them, which it does not."""
    counted = sum(status_counts(ds, shown).values())
    context = int(shown["context"].sum())
    text = f"{plural(len(shown), 'site')} on the map: {counted:,} counted above"
    if context:
        text += f", and {plural(context, 'context site')}, drawn but not counted"
    return text + ". The downloads hold the same sites, with a `context` column."


def charts_section(ds: Dataset, view: View) -> None:
    """Status over time, troop estimates as ranges, and where sources disagree."""
    theatre = ds.theatre
    windows = {w.label: (w.start, w.end) for w in theatre.windows}
    windows[WHOLE_RECORD] = (theatre.start, theatre.end)
    period = st.radio("Period", list(windows), key="chart_period", horizontal=True)
    window = windows[period]
    status = charts.status_scale(ds)
    if (~ds.sites["context"]).sum() <= charts.GANTT_UP_TO:
        chart = charts.status_timeline(
            charts.status_intervals(ds, theatre.end), view.asof, window, status
        )
    else:
        chart = charts.status_counts_chart(
            charts.status_counts_over_time(ds), view.asof, window, status
        )
    st.altair_chart(chart, width="stretch")
    est = estimates(ds)
    wide = est[est["scope"] != "site"]  # countries and regions
    title = "Troop estimates (hover for the source)"
    st.altair_chart(charts.troop_chart(wide, view.asof, charts.counted_scale(ds), title),
                    width="stretch")  # fmt: skip
    dis = charts.disagreement_chart(wide, view.asof)
    if dis is not None:
        st.altair_chart(dis, width="stretch")


def table_section(ds: Dataset, view: View) -> None:
    """The sites on the map with their status source, and CSV/GeoJSON downloads of all of them:
    the same sites, context sites marked as such, and a caption that counts them as the header
    does. The table and its caption are made once per date and filters (view.shows), from the
    sites those show."""
    shown = shown_sites(ds, view)
    st.caption(ds.memo(("table_caption", shows(view)), lambda: table_caption(ds, shown)))
    if len(shown) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} of {len(shown):,} sites; the downloads have all.")
    df = ds.memo(("table", shows(view)), lambda: sites_table(ds, view, shown.head(TABLE_ROWS)))
    widths = dict(zip(df.columns, TABLE_WIDTHS, strict=True))
    st.dataframe(
        df, hide_index=True, width="stretch", row_height=TABLE_ROW_HEIGHT,
        column_config={c: st.column_config.TextColumn(width=w) for c, w in widths.items()},
    )  # fmt: skip
    c1, c2 = st.columns(2)
    # The files are built when asked for, not on every rerun; a download reruns nothing (as
    # every other download of the page): the rerun a click made raced the file's own request,
    # and in two CI runs the click at 1280x720 gave no file.
    for column, fmt, label in ((c1, "csv", "Download CSV"), (c2, "geojson", "Download GeoJSON")):
        column.download_button(
            label, partial(export.render, ds, view, fmt, shown),
            export.file_name(ds, view, fmt), export.FORMATS[fmt][0], key=f"{fmt}_export",
            on_click="ignore",
        )  # fmt: skip
    st.caption("Slide-ready PNG and a standalone HTML map: open the *Briefing view* (sidebar).")
