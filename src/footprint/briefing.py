"""What a view shows, described once: title, as-of stamp, counts, headline figures, the
numbered sites with their words and marks, the key, sources, caveat, and the notes of the
layers that are on.

One `Brief` feeds the briefing view, the pictures and the standalone HTML export, which only
draw it, so a slide, an image and a file made from the same link say the same thing, with the
same site numbers. A brief of a frame (the box a `map=` link shows) is about that frame: its
sites numbered 1..N, its counts, the headline figures of its countries, and the view's other
sites summed up in one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from footprint.data import Dataset, rows
from footprint.estimates import Figure, headline_figures
from footprint.layers import available
from footprint.look import style_key
from footprint.text import count_text, evidence_note, format_date, handed_to
from footprint.timeline import NO_RECORD
from footprint.view import View, apply_filters, shows

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
    edge: tuple[str, ...] = ()  # where the sources stop, for the countries shown (edge_notes)
    coverage: tuple[str, ...] = ()  # this map's sites against reference counts (coverage_lines)
    layers: tuple[str, ...] = ()  # what each layer that is on shows (footprint.layers: notes)
    # The sites described, numbered (numbered()) with their look (`style`, look.style_key) and
    # their status in words (`words`); in a frame, only those inside it.
    sites: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    box: tuple[float, float, float, float] | None = None  # the frame (west, south, east, north)
    outside: str = ""  # the view's sites outside the frame, in one line
    outside_ids: tuple[str, ...] = ()

    @property
    def counts_text(self) -> str:
        """'Retained 9 · Handed over 5 · Planned 1' (status labels); 'In this frame: ...' for a
        brief of a frame."""
        text = " · ".join(f"{label} {n}" for label, n in self.counts.items())
        return f"In this frame: {text}" if self.box else text

    @property
    def key(self) -> list[tuple[int, str, str]]:
        """The numbered key: (number, site name, 'Handed over since 29 Mar 2020')."""
        return [(int(r.n), r.name, r.words) for r in rows(self.sites)]

    def key_lines(self) -> list[str]:
        """The key as plain lines: '13 K-1 Air Base: Handed over since 29 Mar 2020'."""
        return [f"{n} {name}: {line}" for n, name, line in self.key]

    def number_labels(self) -> dict[str, str]:
        """Site id -> the number drawn beside it ('' for the second of two at one point)."""
        df = self.sites
        return dict(zip(df["id"], df["label"].where(df["first"], ""), strict=True))

    def figure_lines(self) -> list[str]:
        """'<label>: ~5,200 (latest figure Mar 2020)' for each headline figure, and the level
        announced since, if any."""
        return [
            f"{f.label}: {f.figure} ({f.note})" + (f"; {f.announced}" if f.announced else "")
            for f in self.figures
        ]


def shown_sites(ds: Dataset, view: View) -> pd.DataFrame:
    """The sites the view shows, with their status on the view's date: made once for every view
    with the same date and filters (every session's), and not to be modified."""
    return ds.memo(("shown", shows(view)), lambda: apply_filters(ds.status_on(view.asof), view))


def status_counts(ds: Dataset, shown: pd.DataFrame) -> dict[str, int]:
    """Sites shown by status label, in the schema's order; context sites are not counted. The
    derived status (unconfirmed) is counted only when some site has it."""
    core = shown[~shown["context"]]
    labels = ds.labels("events", "status")
    counts = {s: int((core["status"] == s).sum()) for s in labels}
    return {labels[s]: n for s, n in counts.items() if n or s != ds.theatre.lapsed}


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


def edge_notes(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> tuple[str, ...]:
    """For each focus country with sites shown, past the date of its latest source: that
    nothing later is known, and that the map shows the last reported state."""
    countries = set(shown["country"])
    return tuple(
        f"{ds.theatre.country_name(code)}: no source after {format_date(day)}; the map shows "
        "the last reported state"
        for code, day in latest_sources(ds).items()
        if code in countries and day < asof
    )


def coverage_lines(ds: Dataset, asof: dt.date) -> tuple[str, ...]:
    """For each focus country, this map's count of present sites on the date of the latest
    reference count of sites there (tallies.csv), beside that count and who made it:
    '<country>, Jun 2022: 26 sites here; <publisher> counted 30'."""
    tallies = ds.tallies[
        ds.tallies["what"].eq("sites") & (ds.tallies["date"] <= pd.Timestamp(asof))
    ]
    present = set(ds.theatre.statuses_meaning("present"))
    out = []
    for code in ds.theatre.focus:
        name = ds.theatre.country_name(code)
        mine = tallies[tallies["area"].eq(name)].sort_values("date", kind="stable").tail(1)
        for t in mine.itertuples():  # the schema's types: a date, a text, a list of ids
            day, precision = cast(pd.Timestamp, t.date), cast(str, t.date_precision)
            status = ds.status_on(day.date())
            here = status[status["country"].eq(code) & ~status["context"]
                          & status["status"].isin(present)]  # fmt: skip
            when = format_date(day, precision)
            who = next(iter(ds.publishers(cast(list[str], t.source_ids))), "a source")
            count = count_text(t.low, t.best, t.high)
            out.append(f"{name}, {when}: {len(here)} sites here; {who} counted {count}")
    return tuple(out)


def layer_notes(ds: Dataset, view: View, shown: pd.DataFrame) -> tuple[str, ...]:
    """What each layer the view has on shows on its date (footprint.layers: notes)."""
    return tuple(n for layer in available(ds) if layer.key in view.layers
                 for n in layer.notes(ds, shown, view.asof))  # fmt: skip


def cutoff_line(ds: Dataset) -> str:
    """'<country>: latest source 12 Mar 2026' for each focus country, joined by ' · '."""
    return " · ".join(
        f"{ds.theatre.country_name(code)}: latest source {format_date(day)}"
        for code, day in latest_sources(ds).items()
    )


def evidence_notes(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> dict[str, str]:
    """Site id -> what to say about its old evidence, for the shown sites whose latest report is
    older than the theatre allows (the map's popups and marker labels).

    A note depends on the site and the date only, so every site's notes for a date are made
    once (memoised) and each view takes its own: 0.2 s of every rerun at 10,000 sites.
    """
    every = ds.memo(("evidence_notes", asof), lambda: _evidence_notes(ds, asof))
    return {i: every[i] for i in shown["id"] if i in every}


def _evidence_notes(ds: Dataset, asof: dt.date) -> dict[str, str]:
    out: dict[str, str] = {}
    for site in rows(ds.status_on(asof)):
        words, note, old = status_words(ds, site, asof)
        if old:
            out[site.id] = (note[:1].upper() + note[1:]) if note else words
    return out


def old_counts(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> dict[str, int]:
    """Of the counted sites, how many per status label rest on evidence older than the theatre
    allows (stale_after_days before `asof`)."""
    core = shown[~shown["context"]]
    old = ds.theatre.is_old(core["evidence_date"], asof)
    labels = ds.labels("events", "status")
    return {label: int((old & (core["status"] == s)).sum()) for s, label in labels.items()}


def make_brief(
    ds: Dataset, view: View, shown: pd.DataFrame | None = None,
    box: tuple[float, float, float, float] | None = None,
) -> Brief:  # fmt: skip
    """What the view shows; with `box` (a frame's west, south, east, north), what the frame
    shows of it."""
    shown = shown_sites(ds, view) if shown is None else shown
    drawn = shown[(shown["status"] != "") | shown["context"]]
    inside = drawn[in_box(drawn, box)] if box else drawn
    away = drawn[~drawn["id"].isin(inside["id"])]
    return Brief(
        title=view.title or ds.theatre.title,
        asof=f"As of {format_date(view.asof)}",
        counts=status_counts(ds, inside),
        figures=tuple(framed_figures(ds, view.asof, inside, box)),
        sources=source_line(ds, inside),
        caveat=ds.theatre.caveat,
        stamp=f"Footprint · dataset {ds.version} · made {format_date(dt.date.today())}",
        cutoff=cutoff_line(ds),
        edge=edge_notes(ds, inside if box else shown, view.asof),
        coverage=coverage_lines(ds, view.asof),
        layers=layer_notes(ds, view, inside),
        sites=described(ds, inside, view.asof),
        box=box,
        outside=outside_line(ds, away) if box else "",
        outside_ids=tuple(away["id"]) if box else (),
    )


def in_box(sites: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.Series:
    """Which sites lie in a (west, south, east, north) box."""
    west, south, east, north = box
    return sites["lon"].between(west, east) & sites["lat"].between(south, north)


def described(ds: Dataset, sites: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """The sites numbered (numbered()), each with its look's key and its status in words."""
    df = numbered(sites)
    df["style"] = [style_key(s, c) for s, c in zip(df["status"], df["context"], strict=True)]
    df["words"] = [status_line(ds, r, asof) for r in rows(df)]
    return df


def framed_figures(ds: Dataset, asof: dt.date, inside: pd.DataFrame, box) -> list[Figure]:
    """The headline figures; for a frame, those of the countries it shows (its sites', or,
    with none, those whose box it overlaps)."""
    figures = headline_figures(ds, asof)
    if not box:
        return figures
    west, south, east, north = box
    codes = set(inside["country"]) or {
        code for code, r in ds.theatre.regions.items()
        if r.min_lon <= east and west <= r.max_lon and r.min_lat <= north and south <= r.max_lat
    }  # fmt: skip
    areas = {ds.theatre.country_name(c) for c in codes}
    return [f for f, h in zip(figures, ds.theatre.headlines, strict=True) if h.area in areas]


def outside_line(ds: Dataset, away: pd.DataFrame) -> str:
    """'Outside the frame: 22 more sites (Retained 10 · Handed over 12)', or '' for none."""
    if away.empty:
        return ""
    counts = " · ".join(f"{label} {n}" for label, n in status_counts(ds, away).items() if n)
    n = len(away)
    return f"Outside the frame: {n} more site{'s' if n != 1 else ''} of this view" + (
        f" ({counts})" if counts else ""
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
    together: dict[str, list[str]] = {}  # one pass: a groupby-transform took 9 s at 10,000
    for point, n in zip(df["point"], df["n"], strict=True):
        together.setdefault(point, []).append(str(n))
    df["label"] = [",".join(together[point]) for point in df["point"]]
    df["first"] = ~df["point"].duplicated()
    return df


def status_line(ds: Dataset, site, asof: dt.date) -> str:
    """A site's status on `asof` (a row of as_of) in words, with the age of its evidence.

    'Handed over since 29 Mar 2020, to ISF'; when the latest report is older than the
    theatre's stale_after_days: '... · latest report Jan 2022, 4 years before the date shown';
    a plan with no later report: 'Unconfirmed plan of Apr 2020: no later report in 6 years'.
    """
    words, note, _ = status_words(ds, site, asof)
    return f"{words} · {note}" if note else words


def status_words(ds: Dataset, site, asof: dt.date) -> tuple[str, str, bool]:
    """(the status in words, the note on its evidence or '', whether the evidence is old).

    The words are period_text's. A lapsed site ("unconfirmed") always says when it was last
    reported; any other says so when that is older than the theatre's stale_after_days.
    """
    if not site.status:
        return ("Context site" if site.context else NO_RECORD), "", False
    lapsed = site.status == ds.theatre.lapsed
    old = ds.theatre.is_old(site.evidence_date, asof)
    if not (old or lapsed):
        return period_text(ds, site), "", False
    note = evidence_note(site.evidence_date, site.evidence_precision, asof, old, "report")
    return period_text(ds, site), note, True


def period_text(ds: Dataset, p) -> str:
    """A status period (a row of timeline.periods or as_of) in words: the one text of a status,
    for the page, the map's popups (webmap.site_records) and the exports.

    'Handed over since 29 Mar 2020, to ISF'; with a pending forecast 'Retained since Jul 2014 ·
    end announced for Sep 2026'; a forecast fallen due with nothing reported since
    'Unconfirmed: retained since Jul 2014; end announced for Sep 2026'.
    """
    label = ds.label("events", "status", p.reported)
    since = f"since {format_date(p.status_date, p.status_precision)}{handed_to(p.handed_to)}"
    announced = _announced(ds, p)
    if p.status == ds.theatre.lapsed and p.status != p.reported:
        head = ds.label("events", "status", p.status)
        return f"{head}: {label.lower()} {since}" + (f"; {announced}" if announced else "")
    return f"{label} {since}" + (f" · {announced}" if announced else "")


def checked_line(ds: Dataset, record_id: str) -> str:
    """Which sources were checked for a record, when, and where they say it, in a line:
    'Checked 7 Dec 2026: Reuters, 23 Feb 2026 (lead paragraph); AFP (3rd paragraph, partly)'
    ('' for a record with no citation). Every record's line is made once (memoised)."""
    return ds.memo(("checked_lines",), lambda: _checked_lines(ds)).get(record_id, "")


def _checked_lines(ds: Dataset) -> dict[str, str]:
    cols = ["id", "publisher", "date"]
    joined = ds.citations.merge(ds.sources[cols], left_on="source_id", right_on="id", how="left")
    parts: dict[str, list[str]] = {}
    read: dict[str, dt.date] = {}
    for c in joined.to_dict("records"):
        rid = c["record_id"]
        read[rid] = max(read.get(rid, c["checked"]), c["checked"])
        when = f", {format_date(c['date'])}" if pd.notna(c["date"]) else ""
        if c["supports"] == "unread":
            parts.setdefault(rid, []).append(f"{c['publisher']}{when} (no copy could be read)")
        elif c["supports"] != "no":
            where = ", ".join(w for w in (c["where"], "partly" * (c["supports"] == "partly")) if w)
            parts.setdefault(rid, []).append(f"{c['publisher']}{when} ({where})")
    return {rid: f"Checked {format_date(read[rid])}: " + "; ".join(p) for rid, p in parts.items()}


def _announced(ds: Dataset, p) -> str:
    """'end announced for Sep 2026' from the period's forecast ('' when none, or undated)."""
    if not p.expects or not p.due_given:
        return ""
    field = ds.package.table("events").field("status")
    phrase = next((str(c.get("announced", "")) for c in field.categories if c.value == p.expects),
                  "")  # fmt: skip
    phrase = phrase or f"{ds.label('events', 'status', p.expects).lower()} announced for"
    return f"{phrase} {format_date(p.due, p.due_precision)}"
