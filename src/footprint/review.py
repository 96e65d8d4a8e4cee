"""The maintainer's worklist: what to check next, the claims the map leans on first.

`worklist(ds, asof)` lists, for the date shown: claims no one could check (every citation
unread), forecasts fallen due with nothing reported since, sites whose latest evidence is old,
sources without a date, and sources cited only as unread or as not saying what a row claims.
The command line (`python -m footprint review`) and the page (`?view=review`) print the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint.briefing import status_words
from footprint.data import Dataset
from footprint.text import format_date


@dataclass(frozen=True)
class Section:
    """One heading of the worklist and its items, most pressing first."""

    title: str
    why: str
    items: tuple[str, ...]


def worklist(ds: Dataset, asof: dt.date) -> list[Section]:
    """Every section of the worklist on `asof` (an empty section says there is nothing to do)."""
    shown = ds.status_on(asof)
    return [
        unchecked_claims(ds, shown),
        lapsed_forecasts(ds, shown, asof),
        old_evidence(ds, shown, asof),
        undated_sources(ds),
        unused_sources(ds),
    ]


def unchecked_claims(ds: Dataset, shown: pd.DataFrame) -> Section:
    """Records whose every citation is unread: the status events the map draws on the date
    first, then the other records by file."""
    supports = ds.citations.groupby("record_id")["supports"].agg(set)
    leaning = set(shown["status_event"])
    rows = []
    for table in ("events", "estimates", "tallies"):
        frame = getattr(ds, table)
        for r in frame.itertuples():
            if supports.get(r.id, set()) <= {"unread"}:
                cited = ", ".join(ds.citations_of(r.id)["source_id"])
                line = f"{table}.csv {r.id} (confidence {r.confidence}): no copy read of {cited}"
                rows.append((r.id not in leaning, line))
    return Section(
        "Claims no one could check",
        "every source cited was unread: find a copy or another source, then record the check",
        tuple(line for _, line in sorted(rows, key=lambda x: x[0])),
    )


def lapsed_forecasts(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> Section:
    """Sites the map draws as lapsed (an announced change fell due, nothing reported since)."""
    lapsed = shown[shown["status"].eq(ds.theatre.lapsed)] if ds.theatre.lapsed else shown[:0]
    items = tuple(
        f"{r.name} ({r.id}): {'; '.join(w for w in status_words(ds, r, asof)[:2] if w)}"
        for r in lapsed.sort_values("evidence_date", ascending=False).itertuples()
    )
    return Section(
        "Forecasts past due with no follow-up",
        "look for a report of what happened (a status row dated after the due date decides)",
        items,
    )


def old_evidence(ds: Dataset, shown: pd.DataFrame, asof: dt.date) -> Section:
    """Counted sites the map draws as present or planned on evidence older than the theatre
    allows, the oldest first (lapsed sites are listed above; an ended site may rest on old
    reports)."""
    live = [*ds.theatre.statuses_meaning("present"), *ds.theatre.statuses_meaning("intended")]
    old = ds.theatre.is_old(shown["evidence_date"], asof)
    core = shown[~shown["context"] & shown["status"].isin(live) & old]
    core = core.sort_values("evidence_date")
    items = tuple(
        f"{r.name} ({r.id}): {'; '.join(w for w in status_words(ds, r, asof)[:2] if w)}"
        for r in core.itertuples()
    )
    return Section(
        f"Sites whose latest evidence is old on {format_date(asof)}",
        "find a later source that says whether the site is still held",
        items,
    )


def undated_sources(ds: Dataset) -> Section:
    """Sources with no publication date: the checks on dates cannot use them."""
    undated = ds.sources[ds.sources["date"].isna() & ds.sources["kind"].ne("dataset")]
    items = tuple(f"{r.id}: {r.title} ({r.publisher})" for r in undated.itertuples())
    return Section(
        "Sources without a date",
        "give the page's publication date where it shows one (reference pages may have none)",
        items,
    )


def unused_sources(ds: Dataset) -> Section:
    """Sources cited only as unread or as not saying what the row claims."""
    used = set(ds.citations.loc[ds.citations["supports"].isin(["yes", "partly"]), "source_id"])
    used |= {i for ids in ds.sites["location_source_ids"] for i in ids}
    idle = ds.sources[~ds.sources["id"].isin(used)]
    items = tuple(f"{r.id}: {r.title} ({r.publisher})" for r in idle.itertuples())
    return Section(
        "Sources nobody relies on",
        "cited only as unread or as not supporting: read them, or remove them and their citations",
        items,
    )


def as_text(sections: list[Section], asof: dt.date) -> str:
    """The worklist as plain text, one item a line under each heading."""
    lines = [f"Worklist for {format_date(asof)}"]
    for s in sections:
        lines += ["", f"{s.title} ({len(s.items)}): {s.why}"]
        lines += [f"  - {item}" for item in s.items] or ["  (nothing)"]
    return "\n".join(lines) + "\n"
