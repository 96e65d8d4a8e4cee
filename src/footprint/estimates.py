"""Troop estimates shaped for reading and charting, and the headline figures with their age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from footprint.text import evidence_note, figure, format_date
from footprint.theatre import Headline, HeadlineRule
from footprint.timeline import due_end


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
    """A headline figure as shown: label, figure, the date and age of its evidence, who says so,
    the figures that compete with it, and any level announced since."""

    label: str
    figure: str
    note: str
    source: str
    stale: bool
    rivals: tuple[str, ...] = ()
    announced: str = ""
    lapsed: bool = False  # an announced level fell due with no figure reported since
    words: str = ""  # what the figure's source says, in our words (the estimate's summary)
    records: tuple[str, ...] = ()  # the estimates shown: the figure's, then the announced level's


CONFIDENCE = ("low", "medium", "high")  # the estimates' confidence values, weakest first


def headline_figures(ds, asof: dt.date) -> list[Figure]:
    """Each of the theatre's headline figures on `asof`, picked by its rule (memoised per date)."""
    return ds.memo(("headline", asof), lambda: [_figure(ds, h, asof) for h in ds.theatre.headlines])


def pick(counts: pd.DataFrame, rule: HeadlineRule) -> pd.Series | None:
    """The figure a headline shows among the figures up to a date, by the theatre's rule: the
    latest of at least `min_confidence`; but among those at most `prefer_within_days` older
    than it, the one whose basis comes first in `prefer_basis` (official before press). None
    when no figure qualifies.

    >>> from footprint.theatre import HeadlineRule
    >>> c = pd.DataFrame({"id": ["official", "press", "rumour"],
    ...     "date": pd.to_datetime(["2025-09-30", "2025-11-02", "2026-01-18"]),
    ...     "basis": ["official", "reported", "reported"],
    ...     "confidence": ["high", "medium", "low"]})
    >>> rule = HeadlineRule("medium", ("official", "reported"), 120)
    >>> pick(c, rule)["id"], pick(c, HeadlineRule("medium"))["id"], pick(c, HeadlineRule())["id"]
    ('official', 'press', 'rumour')
    """
    floor = CONFIDENCE.index(rule.min_confidence) if rule.min_confidence in CONFIDENCE else 0
    ok = counts[counts["confidence"].map(lambda c: CONFIDENCE.index(c) >= floor)]
    if ok.empty:
        return None
    ok = ok.sort_values("date", kind="stable")
    near = ok[ok["date"] >= ok["date"].iloc[-1] - pd.Timedelta(days=rule.prefer_within_days)]
    order = {b: i for i, b in enumerate(rule.prefer_basis)}
    rank = near["basis"].map(lambda b: order.get(b, len(order)))
    return near[rank == rank.min()].iloc[-1]


def _figure(ds, h: Headline, asof: dt.date) -> Figure:
    est = estimates(ds)
    est = est[(est["scope"] == h.scope) & (est["area"] == h.area) & (est["counted"] == h.counted)]
    est = est[est["date"] <= pd.Timestamp(asof)].sort_values("date", kind="stable")
    counts, levels = est[est["due"].isna()], est[est["due"].notna()]
    rule = ds.theatre.headline_rule
    row = pick(counts, rule)
    window = pd.Timestamp(asof) - pd.Timedelta(days=rule.rivals_within_days)
    others = counts[(counts["date"] >= window) & (counts["id"] != (row["id"] if row is not None
                                                                   else ""))]  # fmt: skip
    rivals = tuple(_says(r) for _, r in others.iloc[::-1].iterrows())
    if row is None:
        floor = rule.min_confidence
        return Figure(h.label, "—", f"no figure of {floor} confidence or better by this date", "",
                      False, rivals)  # fmt: skip
    stale = ds.theatre.is_old(row["date"], asof)
    note = evidence_note(row["date"], row["date_precision"], asof, stale, "figure")
    a = pick(levels[levels["date"] >= row["date"]], rule)
    announced, lapsed = "", False
    if a is not None:
        end = due_end(a["due"], a["due_precision"])
        later = counts[counts["date"] > end]
        lapsed = end < pd.Timestamp(asof) and later.empty
        announced = (f"announced {a['when']}: {_level(a)} by "
                     f"{format_date(a['due'], a['due_precision'])}")  # fmt: skip
        if lapsed:
            note = f"unconfirmed: {note}; the announced level fell due with no figure since"
    source = f"{row['when']}, {row['basis_label'].lower()}: {row['says']}"
    records = (row["id"], *(() if a is None else (a["id"],)))
    return Figure(h.label, row["figure"], note, source, stale, rivals, announced, lapsed,
                  row["summary"], records)  # fmt: skip


def _says(row) -> str:
    """'~2,500 · 18 Jan 2026, reported, low confidence: Shafaq News' (a figure and its origin)."""
    return (f"{row['figure']} · {row['when']}, {row['basis_label'].lower()}, "
            f"{row['confidence']} confidence: {row['says']}")  # fmt: skip


def _level(row) -> str:
    """An announced level in words: 'none' for 0, else the figure."""
    best, high = row["best"], row["high"]
    if (pd.notna(best) and best == 0) or (pd.isna(best) and pd.notna(high) and high == 0):
        return "none"
    return row["figure"]
