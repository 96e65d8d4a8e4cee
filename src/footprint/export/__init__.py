"""Every export of a view, one entry point per format, used by the command line and the page.

`render(ds, view, fmt)` returns the file's content (bytes or text); `file_name` names it with
the date, the frame and the dataset version. The formats: csv and geojson (the sites in view,
as tables), png, svg and pdf (the briefing picture, in a shape: a 16:9 or 4:3 slide or A4
portrait), html (a standalone interactive map). Pictures and the HTML map show the view's
frame (its `map=`) unless asked for the whole theatre. `animation` makes a view's pictures
over a run of dates into a GIF or a video (MOVIES); `deck` makes a list of views into a
PowerPoint or PDF deck (DECKS), one slide per view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from footprint.briefing import make_brief, shown_sites
from footprint.data import Dataset
from footprint.export.animation import (
    DEFAULT_TIMING,
    MAX_FRAMES,
    MOVIES,
    STEPS,
    Timing,
    animate,
    frame_dates,
)
from footprint.export.layout import LAYOUTS, SCALES, SHAPES, screen_box
from footprint.export.picture import briefing_picture
from footprint.export.picture import render as render_picture
from footprint.export.slides import DECKS, Entry, entries_text, make_slide, read_entries
from footprint.export.tables import sites_as_of, to_csv, to_geojson
from footprint.export.webpage import to_html
from footprint.view import View, default_view, page_address, view_link

FORMATS = {
    "csv": ("text/csv", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "png": ("image/png", "png"),
    "pdf": ("application/pdf", "pdf"),
    "svg": ("image/svg+xml", "svg"),
    "html": ("text/html", "html"),
}
PICTURES = ("png", "pdf", "svg")
__all__ = [
    "DECKS",
    "Entry",
    "FORMATS",
    "LAYOUTS",
    "MAX_FRAMES",
    "MOVIES",
    "PICTURES",
    "SHAPES",
    "STEPS",
    "Timing",
    "animation",
    "animation_dates",
    "animation_name",
    "deck",
    "deck_name",
    "entries_text",
    "file_name",
    "frame_tag",
    "read_entries",
    "render",
    "sites_as_of",
]


def render(
    ds: Dataset, view: View, fmt: str, shown: pd.DataFrame | None = None, size: int = 1920,
    layers_dir: Path | None = None, shape: str = "16x9", theatre: bool = False, address: str = "",
) -> bytes | str:  # fmt: skip
    """The export of a view in a format; `shown` overrides the view's sites (default: its own).

    Pictures and the HTML map show the view's frame, or the whole theatre when it has none or
    `theatre` is asked for. `size` 3840 doubles a PNG's pixels; `shape` is a key of LAYOUTS;
    A picture's foot prints the view's link, framed as the picture is, on the page `address`
    (footprint.view.page_address; '' for a link relative to the page).
    """
    shown = shown_sites(ds, view) if shown is None else shown
    layers_dir = layers_dir or ds.layers_dir
    if fmt in ("csv", "geojson"):
        table = sites_as_of(ds, view.asof, ds.sites_in(shown))
        return (to_csv if fmt == "csv" else to_geojson)(table, view.asof, ds.version)
    frame = None if theatre else view.map
    brief = make_brief(ds, view, shown, screen_box(frame) if frame else None)
    if fmt in PICTURES:
        if size not in SCALES:
            raise ValueError(f"size must be one of {sorted(SCALES)}")
        link = view_link(view, default_view(ds), address, frame=not theatre)
        picture = briefing_picture(ds, brief, layers_dir, view.asof, view.layers,
                                   LAYOUTS[shape], link)  # fmt: skip
        return render_picture(picture, fmt, SCALES[size])
    if fmt == "html":
        return to_html(ds, brief, shown, layers_dir, view.asof, layers=view.layers)
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def frame_tag(frame: tuple[float, float, float] | None) -> str:
    """How a file name says what the map shows: 'theatre', or the frame's zoom and centre.

    >>> frame_tag(None), frame_tag((8.25, 33.3125, 44.2346)), frame_tag((6, -1.5, -0.25))
    ('theatre', 'z8.25-33.31N-44.23E', 'z6-1.50S-0.25W')
    """
    if frame is None:
        return "theatre"
    zoom, lat, lon = frame
    ns, ew = "N" if lat >= 0 else "S", "E" if lon >= 0 else "W"
    return f"z{zoom:g}-{abs(lat):.2f}{ns}-{abs(lon):.2f}{ew}"


def file_name(
    ds: Dataset, view: View, fmt: str, size: int = 1920, shape: str = "16x9",
    theatre: bool = False,
) -> str:  # fmt: skip
    """The file's name: 'footprint-<as-of date>[-<frame>][-<shape>]-<dataset version>.<ext>'.

    Tables carry the date and version only; the HTML map adds its frame, a picture its frame and
    shape, and '-4k' (16:9) or '-2x' when it has twice the pixels.
    """
    parts = [f"footprint-{view.asof}"]
    if fmt in (*PICTURES, "html"):
        parts.append(frame_tag(None if theatre else view.map))
    if fmt in PICTURES:
        parts.append(shape)
    parts.append(ds.version)
    extra = ("-4k" if shape == "16x9" else "-2x") if fmt == "png" and size == 3840 else ""
    return "-".join(parts) + f"{extra}.{FORMATS[fmt][1]}"


def animation_dates(ds: Dataset, start: dt.date, end: dt.date, step: str) -> list[dt.date]:
    """The dates of an animation's frames (animation.frame_dates on the dataset's changes)."""
    return frame_dates(start, end, step, ds.change_dates())


def animation(
    ds: Dataset, view: View, fmt: str, start: dt.date, end: dt.date, step: str = "changes",
    timing: Timing = DEFAULT_TIMING, shape: str = "16x9", theatre: bool = False, address: str = "",
) -> bytes:  # fmt: skip
    """The view's picture on each date from `start` to `end` by `step`, as a GIF or a video
    (a key of MOVIES): every frame is render's PNG of the view on its date."""
    if fmt not in MOVIES:
        raise ValueError(f"unknown animation format {fmt!r}; choose one of: {', '.join(MOVIES)}")

    def picture(day: dt.date) -> bytes:
        png = render(ds, replace(view, asof=day), "png", shape=shape, theatre=theatre,
                     address=address)  # fmt: skip
        assert isinstance(png, bytes)  # a picture's file, not a text
        return png

    return animate(picture, animation_dates(ds, start, end, step), fmt, timing)


def animation_name(
    ds: Dataset, view: View, fmt: str, start: dt.date, end: dt.date, step: str,
    shape: str = "16x9", theatre: bool = False,
) -> str:  # fmt: skip
    """'footprint-<from>-to-<to>-<step>-<frame>-<shape>-<dataset version>.<ext>'."""
    frame = frame_tag(None if theatre else view.map)
    return f"footprint-{start}-to-{end}-{step}-{frame}-{shape}-{ds.version}.{MOVIES[fmt][1]}"


def deck(ds: Dataset, entries: list[Entry], fmt: str, address: str = "", notices=None) -> bytes:
    """A deck of one slide per entry of a deck list, as PowerPoint ('pptx') or PDF ('pdf').
    The links on the slides are on the page `address` (or each entry's own, when a full link);
    `notices` hears what each link had that was ignored ('slide 2: asof: ...').
    """
    from footprint.export import deck_pdf, powerpoint  # imported here: only decks need them

    if fmt not in DECKS:
        raise ValueError(f"unknown deck format {fmt!r}; choose one of: {', '.join(DECKS)}")
    if not entries:
        raise ValueError("a deck needs at least one view")
    slides = [make_slide(ds, e, address) for e in entries]
    for n, s in enumerate(slides, 1):
        for notice in s.notices if notices else ():
            notices(f"slide {n}: ignored part of its link: {notice}")
    if fmt == "pdf":
        return deck_pdf.to_pdf(slides, lambda s: _picture(ds, s, "pdf", 1920))
    png = 1920 * powerpoint.PICTURE_SCALE
    return powerpoint.to_pptx(slides, lambda s: _picture(ds, s, "png", png))


def _picture(ds: Dataset, slide, fmt: str, size: int) -> bytes:
    """A slide's view as render draws it; its link on the slide's page address."""
    picture = render(ds, slide.view, fmt, size=size, shape=slide.shape,
                     address=page_address(slide.link))  # fmt: skip
    assert isinstance(picture, bytes)  # a picture's file (PNG, PDF), not a text
    return picture


def deck_name(ds: Dataset, entries: list[Entry], fmt: str) -> str:
    """'footprint-deck-<n>-views-<dataset version>.<ext>'."""
    return f"footprint-deck-{len(entries)}-views-{ds.version}.{DECKS[fmt][1]}"
