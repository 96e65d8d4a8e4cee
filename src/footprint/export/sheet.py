"""Everything a briefing picture says around its map: title and date, counts and headline figures,
the legend, the numbered key (with the sites outside the frame), sources, caveat, credits and
the link back to the live view. Text rows are (x, y, text, Vega text options) in pixels of the
picture's layout; texts are cut to the room they have, measured in the picture's font.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from footprint.briefing import Brief
from footprint.export.labels import Box, shorten, text_width
from footprint.export.layout import Layout
from footprint.look import (
    CONTEXT_LABEL,
    RING,
    UNCERTAINTY_LABEL,
    status_marks,
)

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # metric-compatible: same text widths
INK, GREY = "#111111", "#555555"
FULL_ROW, COMPACT_ROW, MIN_COLUMN = 40, 18, 200  # key rows' heights; narrowest key column
Row = tuple[float, float, str, dict]


def text_layer(rows: list[Row]) -> list[alt.Chart]:
    """Text at pixel positions: (x, y, text, mark options). One chart for the rows that share
    their options (texts never overlap, so their order does not matter): a chart a row cost
    Altair's checks ~20 ms each, half a second for a picture's key."""
    looks: dict[str, tuple[dict, list[dict]]] = {}
    for x, y, text, opts in rows:
        key = json.dumps(opts, sort_keys=True)
        looks.setdefault(key, (opts, []))[1].append({"x": x, "y": y, "t": text})
    return [
        alt.Chart(alt.Data(values=values))
        .mark_text(**{"align": "left", "baseline": "top", "font": FONT, "color": "#222", **opts})
        .encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text=alt.Text("t:N"))
        for opts, values in looks.values()
    ]


def fitted(x: float, y: float, text: str, width: float, **opts) -> Row:
    """A text row cut to `width` pixels at its font size and weight."""
    size, bold = opts.get("fontSize", 11), opts.get("fontWeight") == "bold"
    return (x, y, shorten(text, width, size, bold), opts)


def header(brief: Brief, layout: Layout, accent: str) -> list[Row]:
    """The title and the as-of stamp, top left."""
    width = layout.size[0] - 80
    return [
        fitted(40, 26, brief.title, width, fontSize=40, fontWeight="bold", color=INK),
        fitted(40, 80, brief.asof, width, fontSize=26, fontWeight="bold", color=accent),
    ]


def side(brief: Brief, layout: Layout) -> tuple[list[Row], float]:
    """Counts and headline figures with their age, each wrapped to the side's width (a long
    text takes two lines rather than losing its end); returns the rows and where the legend
    goes."""
    x, y = layout.side
    width = layout.side_width
    rows: list[Row] = []
    for line in wrap(brief.counts_text, width, 19, bold=True, sep=" · "):
        rows.append((x, y, line, {"fontSize": 19, "fontWeight": "bold"}))
        y += 24
    for f in brief.figures:
        y += 6
        rows.append(fitted(x, y, f"{f.label}: {f.figure}", width, fontSize=19,
                           fontWeight="bold"))  # fmt: skip
        y += 26
        for line in wrap(f.note, width, 13, lines=2):
            rows.append((x, y, line, {"fontSize": 13, "color": GREY}))
            y += 17
    return rows, y + 14


def wrap(
    text: str, width: float, size: float, bold: bool = False, sep: str = " ", lines: int = 3
) -> list[str]:
    """`text` broken at `sep` into at most `lines` lines that fit `width` pixels (the last cut
    with an ellipsis if it still does not fit).

    >>> wrap("Retained 1 · Handed over 31 · Unconfirmed 23", 300, 19, bold=True, sep=" · ")
    ['Retained 1 · Handed over 31', 'Unconfirmed 23']
    """
    out: list[str] = []
    for word in text.split(sep):
        joined = f"{out[-1]}{sep}{word}" if out else word
        if out and text_width(joined, size, bold) <= width:
            out[-1] = joined
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], sep.join(out[lines - 1 :])]
    return [shorten(line, width, size, bold) for line in out]


def legend_items(status, extra: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """(Vega look, label) of each legend row: statuses, context, the `extra` rows of the map
    layers drawn, uncertainty."""
    marks = list(status_marks(status).values())
    items = [(m.vega(), m.label) for m in marks] + [(marks[0].in_context().vega(), CONTEXT_LABEL)]
    items += extra
    ring = {"shape": "circle", "fill": "#ffffff", "stroke": RING["colour"],
            "dash": list(RING["dash"])}  # fmt: skip
    return items + [(ring, UNCERTAINTY_LABEL)]


def legend_layers(items: list[tuple[dict, str]], x: float, y: float) -> list[alt.Chart]:
    """Marker shapes with their meaning, from pixel (x, y) down, 28 pixels a row."""
    layers = []
    for i, (look, _) in enumerate(items):
        row = pd.DataFrame({"x": [x + 10], "y": [y + 12 + 28 * i]})
        layers.append(
            alt.Chart(row).mark_point(
                filled=True, size=200, strokeWidth=2.5, opacity=1, shape=look["shape"],
                fill=look["fill"], stroke=look["stroke"], strokeDash=look["dash"],
            ).encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None))
        )  # fmt: skip
    rows = [(x + 28, y + 3 + 28 * i, label, {"fontSize": 16}) for i, (_, label) in enumerate(items)]
    return layers + text_layer(rows)


def columns(box: Box, rows: int, step: float) -> list[float]:
    """The left edges of the key's columns in a box: as few as hold `rows` rows of `step`
    pixels, and no more than fit MIN_COLUMN wide."""
    most = max(1, int((box[2] - box[0]) // MIN_COLUMN))
    per_column = max(1, int((box[3] - box[1] - 28) // step))
    n = min(most, -(-rows // per_column))
    step = (box[2] - box[0]) / max(n, 1)
    return [box[0] + step * i for i in range(n)]


def key_block(
    title: str, rows: list[tuple[int, str, str]], box: Box, compact: bool, status: bool = True
) -> list[Row]:
    """A titled list of numbered sites in a box, in columns, top to bottom; what does not fit
    is counted on the last line ('… and 6 more'), never left out silently.

    A full row is the name over its status; a compact one is 'n  name: status' on one line.
    """
    step = COMPACT_ROW if compact else FULL_ROW
    lefts = columns(box, len(rows), step) if compact else [box[0]]
    width = (box[2] - box[0]) / len(lefts) - 12
    per_column = max(1, int((box[3] - box[1] - 28) // step))
    room = per_column * len(lefts)
    shown = rows if len(rows) <= room else rows[: room - 1]
    out = [(box[0], box[1], title, {"fontSize": 17, "fontWeight": "bold"})]
    for i, (n, name, line) in enumerate(shown):
        x, y = lefts[i // per_column], box[1] + 28 + step * (i % per_column)
        if compact:
            text = f"{n:>2}  {name}: {line}" if status else f"{n:>2}  {name}"
            out.append(fitted(x, y, text, width, fontSize=13))
        else:
            out.append(fitted(x, y, f"{n:>2}  {name}", width, fontSize=15, fontWeight="bold"))
            out.append(fitted(x + 26, y + 18, line, width - 26, fontSize=13, color=GREY))
    if len(shown) < len(rows):
        i = len(shown)
        x, y = lefts[i // per_column], box[1] + 28 + step * (i % per_column)
        more = f"… and {len(rows) - len(shown)} more sites"
        out.append((x, y, more, {"fontSize": 14, "color": GREY}))
    return out


def fits(rows: list, box: Box, compact: bool) -> bool:
    """Whether every row fits in the box."""
    step = COMPACT_ROW if compact else FULL_ROW
    per_column = max(1, int((box[3] - box[1] - 28) // step))
    return len(rows) <= per_column * (len(columns(box, len(rows), step)) if compact else 1)


def used_height(rows: list, box: Box, compact: bool) -> float:
    """How far down the box a key_block of these rows reaches."""
    step = COMPACT_ROW if compact else FULL_ROW
    per_column = max(1, int((box[3] - box[1] - 28) // step))
    return 28 + step * min(len(rows), per_column) + 10


def footer(brief: Brief, layout: Layout, credit: str, link: str) -> list[Row]:
    """Sources, caveat, basemap credits, the stamp, and the link back to the live view (split
    at '&' onto a second line if it is long), along the bottom."""
    w, h = layout.size
    width = w - 80
    rows = [
        fitted(40, h - 136, brief.sources, width, fontSize=16),
        fitted(40, h - 110, f"{brief.caveat} {brief.cutoff}", width, fontSize=16,
               fontStyle="italic"),
        fitted(40, h - 82, f"Basemap: {credit}", width, fontSize=13, color="#666"),
        fitted(40, h - 62, brief.stamp, width, fontSize=13, color="#666"),
    ]  # fmt: skip
    for i, line in enumerate(link_lines(link, width, 12)):
        rows.append(fitted(40, h - 42 + 15 * i, line, width, fontSize=12, color="#666"))
    return rows


def link_lines(link: str, width: float, size: float) -> list[str]:
    """The link on one line, or two split at an '&' when it is too long for `width`.

    >>> link_lines("?asof=2020-04-05&map=7/33.3/44.2", 120, 12)
    ['View: ?asof=2020-04-05&', 'map=7/33.3/44.2']
    """
    if not link:
        return []
    text = f"View: {link}"
    if shorten(text, width, size) == text or "&" not in link:
        return [text]
    cut = text.rfind("&", 0, len(shorten(text, width, size)))
    cut = cut if cut > 0 else text.find("&")
    return [text[: cut + 1], text[cut + 1 :]]
