"""What a briefing says: title, as-of stamp, counts, headline figures, the numbered key,
sources and caveat.

One `Brief` feeds the briefing view, the PNG and the standalone HTML export, so a slide, an
image and a file made from the same link say the same thing, with the same site numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint.data import Dataset
from footprint.estimates import Figure, headline_figures
from footprint.text import age_days, evidence_note, format_date, handed_to, span
from footprint.timeline import NO_RECORD, PLANNED
from footprint.view import View, apply_filters

MAX_SOURCES = 6  # publishers named on the source line; the rest are counted


@dataclass(frozen=True)
class Brief:
    """The text of a briefing view, computed from the data and the view."""

    title: str
    asof: str
    counts: dict[str, int]
    figures: tuple[Figure, ...]
    sources: str
    caveat: str
    stamp: str
    cutoff: str = ""

    @property
    def counts_text(self) -> str:
        """'Retained 9 · Handed over 5 · Planned 1' (status labels)."""
        return " · ".join(f"{label} {n}" for label, n in self.counts.items())

    def figure_lines(self) -> list[str]:
        """'<label>: ~5,200 (latest figure Mar 2020)' for each headline figure."""
        return [f"{f.label}: {f.figure} ({f.note})" for f in self.figures]


def shown_sites(ds: Dataset, view: View) -> pd.DataFrame:
    """The sites the view shows, with their status on the view's date."""
    return apply_filters(ds.status_on(view.asof), view)


def status_counts(ds: Dataset, shown: pd.DataFrame) -> dict[str, int]:
    """Sites shown by status label, in the schema's order; context sites are not counted."""
    core = shown[~shown["context"]]
    labels = ds.labels("events", "status")
    return {label: int((core["status"] == s).sum()) for s, label in labels.items()}


def latest_sources(ds: Dataset) -> dict[str, dt.date]:
    """Per focus country, the date of the newest source behind its sites' events and its own
    figures: where the dataset's knowledge of that country stops (memoised)."""
    return ds.memo(("latest_sources",), lambda: _latest_sources(ds))


def _latest_sources(ds: Dataset) -> dict[str, dt.date]:
    dated = ds.sources.set_index("id")["date"].dropna()
    out = {}
    for code in ds.theatre.focus:
        sites = set(ds.sites.loc[ds.sites["country"] == code, "id"])
        area = ds.theatre.country_name(code)
        cited = [*ds.events.loc[ds.events["site_id"].isin(sites), "source_ids"],
                 *ds.estimates.loc[ds.estimates["area"].eq(area), "source_ids"]]  # fmt: skip
        days = [dated[i] for ids in cited for i in ids if i in dated.index]
        if days:
            out[code] = max(days).date()
    return out


def cutoff_line(ds: Dataset) -> str:
    """'<country>: latest source 12 Mar 2026' for each focus country, joined by ' · '."""
    return " · ".join(
        f"{ds.theatre.country_name(code)}: latest source {format_date(day)}"
        for code, day in latest_sources(ds).items()
    )


ATTACK_DAYS = 365  # attacks shown: those in the year up to the date (as sites_layer.js does)


def recent_attacks(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """The attack events at the shown sites in the ATTACK_DAYS up to `asof`, by date."""
    ev = ds.events[ds.events["kind"].eq("attack") & ds.events["site_id"].isin(shown["id"])]
    day = pd.Timestamp(asof)
    ev = ev[(ev["date"] <= day) & (ev["date"] > day - pd.Timedelta(days=ATTACK_DAYS))]
    return ev.sort_values("date", kind="stable")


def evidence_notes(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> dict[str, str]:
    """Site id -> what to say about its old evidence, for the shown sites whose latest report is
    older than the theatre allows (the map's popups and marker labels).

    A note depends on the site and the date only, so every site's notes for a date are made
    once (memoised) and each view takes its own: 0.2 s of every rerun at 10,000 sites.
    """
    every = ds.memo(("evidence_notes", asof), lambda: _evidence_notes(ds, asof))
    return {i: every[i] for i in shown["id"] if i in every}


def _evidence_notes(ds: Dataset, asof: dt.date) -> dict[str, str]:
    out = {}
    for site in ds.status_on(asof).itertuples():
        words, note, old = status_words(ds, site, asof)
        if old:
            out[site.id] = (note[:1].upper() + note[1:]) if note else words
    return out


def attack_records(ds: Dataset, shown: pd.DataFrame) -> dict[str, list]:
    """Site id -> its attacks as [date, date as read, what happened, who says so], by date."""
    ev = ds.events[ds.events["kind"].eq("attack") & ds.events["site_id"].isin(shown["id"])]
    publishers = ds.sources.set_index("id")["publisher"]
    out: dict[str, list] = {}
    for row in ev.sort_values("date", kind="stable").to_dict("records"):
        says = "; ".join(publishers.get(i, i) for i in row["source_ids"])
        out.setdefault(row["site_id"], []).append([
            f"{row['date']:%Y-%m-%d}", format_date(row["date"], row["date_precision"]),
            row["summary"], says,
        ])  # fmt: skip
    return out


def old_counts(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> dict[str, int]:
    """Of the counted sites, how many per status label rest on evidence older than the theatre
    allows (stale_after_days before `asof`)."""
    core = shown[~shown["context"]]
    old = (pd.Timestamp(asof) - core["evidence_date"]).dt.days > ds.theatre.stale_after_days
    labels = ds.labels("events", "status")
    return {label: int((old & (core["status"] == s)).sum()) for s, label in labels.items()}


def make_brief(ds: Dataset, view: View, shown: pd.DataFrame | None = None) -> Brief:
    """The briefing text for a view."""
    shown = shown_sites(ds, view) if shown is None else shown
    return Brief(
        title=view.title or ds.theatre.title,
        asof=f"As of {format_date(view.asof)}",
        counts=status_counts(ds, shown),
        figures=tuple(headline_figures(ds, view.asof)),
        sources=source_line(ds, shown),
        caveat=ds.theatre.caveat,
        stamp=f"Footprint · dataset {ds.version} · made {format_date(dt.date.today())}",
        cutoff=cutoff_line(ds),
    )


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


def frame_of(ds: Dataset, shown: pd.DataFrame) -> tuple[float, ...]:
    """The box of the focus countries that have sites shown (the theatre's frame if none)."""
    countries = [c for c in ds.theatre.focus if c in set(shown["country"])]
    return ds.theatre.frame_bbox(tuple(countries))


def numbered(shown: pd.DataFrame) -> pd.DataFrame:
    """Sites to draw, numbered west to east; sites sharing a point share one label.

    `label` is the number text drawn beside the first site at a point ("3" or "3,4").
    """
    df = shown[(shown["status"] != "") | shown["context"]]
    df = df.sort_values(["lon", "lat"], kind="stable").reset_index(drop=True)
    df["n"] = range(1, len(df) + 1)
    df["point"] = df["lat"].round(4).astype(str) + "," + df["lon"].round(4).astype(str)
    df["label"] = df.groupby("point")["n"].transform(lambda s: ",".join(map(str, s)))
    df["first"] = ~df["point"].duplicated()
    return df


def number_labels(shown: pd.DataFrame) -> dict[str, str]:
    """Site id -> the number label drawn beside it (empty for the second of two at a point)."""
    df = numbered(shown)
    return dict(zip(df["id"], df["label"].where(df["first"], ""), strict=True))


def key_rows(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> list[tuple[int, str, str]]:
    """The numbered key: (number, site name, 'Handed over since 29 Mar 2020')."""
    return [(int(r.n), r.name, status_line(ds, r, asof)) for r in numbered(shown).itertuples()]


def key_lines(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> list[str]:
    """The numbered key as plain lines: '13 K-1 Air Base: Handed over since 29 Mar 2020'."""
    return [f"{n} {name}: {line}" for n, name, line in key_rows(ds, shown, asof)]


def status_line(ds: Dataset, site, asof: dt.date) -> str:
    """A site's status on `asof` (a row of as_of) in words, with the age of its evidence.

    'Handed over since 29 Mar 2020, to ISF'; when the latest report is older than the
    theatre's stale_after_days: '... · latest report Jan 2022, 4 years before the date shown';
    a plan with no later report: 'Unconfirmed plan of Apr 2020: no later report in 6 years'.
    """
    words, note, _ = status_words(ds, site, asof)
    return f"{words} · {note}" if note else words


def status_words(ds: Dataset, site, asof: dt.date) -> tuple[str, str, bool]:
    """(the status in words, the note on its old evidence or '', whether the evidence is old)."""
    if not site.status:
        return ("Context site" if site.context else NO_RECORD), "", False
    since = format_date(site.status_date, site.status_precision)
    age = age_days(site.evidence_date, asof)
    if age <= ds.theatre.stale_after_days:
        label = ds.label("events", "status", site.status)
        return f"{label} since {since}{handed_to(site.handed_to)}", "", False
    if site.status == PLANNED:
        return f"Unconfirmed plan of {since}: no later report in {span(age)}", "", True
    label = ds.label("events", "status", site.status)
    note = evidence_note(site.evidence_date, site.evidence_precision, asof, 0, "report")
    return f"{label} since {since}{handed_to(site.handed_to)}", note, True
