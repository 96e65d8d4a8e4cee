"""A deck from a list of views: one slide per view, as PowerPoint (.pptx) or a multi-page PDF.

A briefer keeps views together in a deck list (its text: one view a line, the view's link
then its shape; `read_entries`, `entries_text`), saved in the page's address or in a small
file. Each slide says what the view's brief says (footprint.briefing: title, as-of stamp,
counts, headline figures, legend, numbered key, sources, caveat, link) and shows the map of
the view's picture, made by `footprint.export.render`. Every source behind the slide's claims
is in its notes. The PDF is each view's picture as a vector page, then the notes of every
slide as pages of sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from footprint.briefing import Brief, checked_line, make_brief, shown_sites
from footprint.data import Dataset
from footprint.export.sheet import legend_items
from footprint.layers import attacks as attack_layer
from footprint.layers import available, layer
from footprint.layers import figures as figure_layer
from footprint.look import status_marks
from footprint.mercator import screen_box
from footprint.text import format_date
from footprint.view import View, default_view, page_address, view_from_query, view_link
from footprint.webmap import status_field

DECKS = {
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "pdf": ("application/pdf", "pdf"),
}
MAX_ENTRIES = 20  # views in one deck list
MAX_LINE = 600  # characters in one line of a deck list; longer lines are ignored
OPENING = "the page as it opens (no parameters)"  # the link of the default view, relative
HEADER = "# Footprint deck: one view a line, its link then its shape (16x9, 4x3 or a4)"


@dataclass(frozen=True)
class Entry:
    """A view kept in a deck list: its link (a shareable link or its query) and its shape."""

    link: str
    shape: str = "16x9"


def read_entries(text: str, shapes: tuple[str, ...]) -> tuple[list[Entry], list[str]]:
    """The entries of a deck list's text, and a notice for each line that cannot be used.
    Blank lines and lines starting with '#' are skipped; never raises.

    >>> read_entries("# my deck\\n?asof=2020-01-01 4x3\\n\\nasof=2020-04-05\\n?x=1 a5",
    ...              ("16x9", "4x3"))[0]
    [Entry(link='?asof=2020-01-01', shape='4x3'), Entry(link='asof=2020-04-05', shape='16x9')]
    >>> read_entries("?x=1 a5", ("16x9",))[1]
    ["line 1: unknown shape 'a5' (16x9); ignored"]
    """
    entries: list[Entry] = []
    notices: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        entry = Entry(parts[0], parts[1] if len(parts) > 1 else shapes[0])
        problem = _entry_problem(line, entry, shapes, len(entries))
        if problem:
            notices.append(f"line {n}: {problem}; ignored")
        else:
            entries.append(entry)
    return entries, notices


def _entry_problem(line: str, entry: Entry, shapes: tuple[str, ...], kept: int) -> str:
    if len(line) > MAX_LINE:
        return f"longer than {MAX_LINE} characters"
    if entry.shape not in shapes:
        return f"unknown shape {entry.shape[:20]!r} ({', '.join(shapes)})"
    if kept == MAX_ENTRIES:
        return f"more than {MAX_ENTRIES} views"
    return ""


def entries_text(entries: list[Entry]) -> str:
    """A deck list as text, to save and reopen (read_entries reads it back)."""
    return "\n".join([HEADER, *(f"{e.link} {e.shape}" for e in entries)]) + "\n"


@dataclass(frozen=True)
class Slide:
    """What one slide says: the view, its brief and key, the legend, its link and notes."""

    view: View
    shape: str
    brief: Brief
    key: tuple[str, ...]
    legend: tuple[tuple[dict, str], ...]  # (Vega look, label) of each row: sheet.legend_items
    accent: str  # the as-of stamp's colour: the first status's, as on the picture
    link: str
    notes: tuple[str, ...]
    notices: tuple[str, ...]


def make_slide(ds: Dataset, entry: Entry, address: str = "") -> Slide:
    """A slide's content for a deck list's entry: the brief of the view, of its frame when it
    has one (as its picture's). The link printed on it is on `address`, or on the entry's own
    page address when it is a full link."""
    view = view_from_query(ds, entry.link)
    shown = shown_sites(ds, view)
    brief = make_brief(ds, view, shown, screen_box(view.map) if view.map else None)
    link = view_link(view, default_view(ds), address or page_address(entry.link)) or OPENING
    key = tuple(brief.key_lines())
    notes = slide_notes(ds, view, brief, link, key)
    accent = next((m.colour for m in status_marks(status_field(ds)).values()), "#111111")
    return Slide(view, entry.shape, brief, key, legend(ds, view), accent, link, notes,
                 view.notices)  # fmt: skip


def legend(ds: Dataset, view: View) -> tuple[tuple[dict, str], ...]:
    """The legend's rows, as the picture's: the statuses, then each layer that is on."""
    on = [row for layer in available(ds) if layer.key in view.layers
          for row in layer.legend_vega(ds)]  # fmt: skip
    return tuple(legend_items(status_field(ds), on))


def slide_notes(
    ds: Dataset, view: View, brief: Brief, link: str, key: tuple[str, ...]
) -> tuple[str, ...]:
    """Every source behind the slide's claims: its headline figures, each site of the `key`
    (its status and location), the coverage counts and what each layer that is on shows;
    then each source cited, with its title, date and address."""
    cited: dict[str, None] = {}
    lines = [f"Sources of this slide: {brief.title} ({brief.asof})", f"View: {link}", "",
             "Headline figures"]  # fmt: skip
    for f in brief.figures:
        lines.append(f"{f.label}: {f.figure} ({f.note})")
        lines += [line for rid in f.records for line in record_lines(ds, rid, cited)]
    lines += ["", f"Sites (status on {format_date(view.asof)})"]
    for site, line in zip(brief.sites.itertuples(), key, strict=True):
        lines += site_lines(ds, site, line, cited)
    lines += [brief.outside] if brief.outside else []
    lines += tally_lines(ds, brief.coverage, coverage_tallies(ds, view.asof), cited)
    for unit in available(ds):
        if unit.key in view.layers:
            lines += ["", *LAYER_RECORDS.get(unit.key, no_records)(ds, brief, view, cited)]
    lines += ["", "Sources cited", *(source_line(ds, sid) for sid in cited)]
    return tuple(lines)


def site_lines(ds: Dataset, site, line: str, cited: dict) -> list[str]:
    """A site's key line, the sources checked for its status, and who places it."""
    out = [line]
    if site.status_event:
        out += record_lines(ds, site.status_event, cited)
    located = cast(list[str], ds.sites.set_index("id").at[site.id, "location_source_ids"])
    cited.update(dict.fromkeys(located))
    publishers = ds.sources.set_index("id")["publisher"]
    out.append(f"   Located by: {'; '.join(publishers.get(i, i) for i in located)}")
    return out


def record_lines(ds: Dataset, record_id: str, cited: dict) -> list[str]:
    """The checked sources of one record (briefing.checked_line); they join `cited`."""
    found = ds.citations_of(record_id)
    cited.update(dict.fromkeys(found.loc[found["supports"] != "no", "source_id"]))
    line = checked_line(ds, record_id)
    return [f"   {line}"] if line else ["   No checked source."]


def coverage_tallies(ds: Dataset, asof) -> list[str]:
    """The site counts the brief's coverage lines compare with, in their order: per focus
    country, the latest tally of sites on or before `asof` (as briefing.coverage_lines)."""
    t = ds.tallies[ds.tallies["what"].eq("sites") & (ds.tallies["date"] <= pd.Timestamp(asof))]
    out = []
    for code in ds.theatre.focus:
        mine = t[t["area"].eq(ds.theatre.country_name(code))]
        out += list(mine.sort_values("date", kind="stable").tail(1)["id"])
    return out


def attack_tallies(ds: Dataset, asof) -> list[str]:
    """The attack counts the attack layer's notes quote after the first, in their order: those
    of a period that overlaps the year before `asof` (as layers.attacks' notes)."""
    day = pd.Timestamp(asof)
    t = ds.tallies[ds.tallies["what"].eq("attacks")]
    t = t[(t["since"] <= day) & (t["date"] > day - pd.Timedelta(days=attack_layer.DAYS))]
    return list(t.sort_values("date", kind="stable")["id"])


def tally_lines(ds: Dataset, texts, tally_ids: list[str], cited: dict) -> list[str]:
    """Each line that quotes a tally (a count of sites or attacks) with its sources."""
    out = [""] if texts else []
    for text, tid in zip(texts, tally_ids, strict=True):
        out += [text, *record_lines(ds, tid, cited)]
    return out


def attack_records(ds: Dataset, brief: Brief, view: View, cited: dict) -> list[str]:
    """The attack layer's notes, each recorded attack it marks and each count it quotes, with
    their sources."""
    notes = layer("attacks").notes(ds, brief.sites, view.asof)
    out = list(notes[:1])
    names = ds.sites.set_index("id")["name"]
    for ev in attack_layer.recent(ds, brief.sites, view.asof).itertuples():  # events rows
        rid, site = cast(str, ev.id), cast(str, ev.site_id)
        when = format_date(cast(pd.Timestamp, ev.date), cast(str, ev.date_precision))
        out.append(f"{when}, {names[site]}: {ev.summary}")
        out += record_lines(ds, rid, cited)
    return out + tally_lines(ds, notes[1:], attack_tallies(ds, view.asof), cited)


def figure_records(ds: Dataset, brief: Brief, view: View, cited: dict) -> list[str]:
    """The troop-figure layer's note, and each figure it draws with its sources."""
    out = list(layer("figures").notes(ds, brief.sites, view.asof))
    names = ds.sites.set_index("id")["name"]
    for row in figure_layer.latest(ds, brief.sites, view.asof).itertuples():  # estimates rows
        rid, site = cast(str, row.id), cast(str, row.site_id)
        out.append(f"{names[site]}: {row.figure} ({row.when})")
        out += record_lines(ds, rid, cited)
    return out


def no_records(ds: Dataset, brief: Brief, view: View, cited: dict) -> list[str]:  # noqa: ARG001
    """A layer the deck does not know: its notes, as the brief gives them."""
    return list(brief.layers)


LAYER_RECORDS = {"attacks": attack_records, "figures": figure_records}


def source_line(ds: Dataset, source_id: str) -> str:
    """'Fixture Wire, "Wire report", 2 Apr 2020. https://...' for one source."""
    s = ds.sources.set_index("id").loc[source_id]
    assert isinstance(s, pd.Series)  # one row: source ids are unique
    when = f", {format_date(s['date'])}" if pd.notna(s["date"]) else ""
    return f"- {s['publisher']}, \u201c{s['title']}\u201d{when}. {s['url']}".rstrip()
