"""Draw a deck as one PDF: each view's picture as a vector page (footprint.export.render's PDF,
text kept as text), then the notes of every slide (its sources) as pages of text.

The pages of sources are drawn like the pictures' text (Vega-Lite through vl-convert, in the
pictures' font), on pages the size of the first slide; pypdf joins the pages into one file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Literal

import altair as alt
import pandas as pd
from pypdf import PdfReader, PdfWriter

from footprint.export.layout import LAYOUTS
from footprint.export.sheet import FONT, wrap
from footprint.export.slides import Slide

LINE_PT, SIZE, TITLE_SIZE, MARGIN = 14, 10, 15, 40  # a notes page's type, in points


def to_pdf(slides: list[Slide], picture: Callable[[Slide], bytes]) -> bytes:
    """The deck as a PDF: `picture(slide)` is the view's picture as PDF bytes."""
    writer = PdfWriter()
    for s in slides:
        writer.append(PdfReader(io.BytesIO(picture(s))))
    page = LAYOUTS[slides[0].shape if slides else "16x9"].page
    for n, s in enumerate(slides, 1):
        for chunk in pages_of(s, n, page):
            writer.append(PdfReader(io.BytesIO(notes_page(chunk, page))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pages_of(s: Slide, n: int, page: tuple[float, float]) -> list[list[tuple[str, int]]]:
    """A slide's notes, wrapped to the page's width, cut into pages; each page starts with
    'Slide n: <title>: sources' (continued), in (text, size) lines."""
    width = page[0] - 2 * MARGIN
    lines = [wrapped for text in s.notes for wrapped in (wrap(text, width, SIZE, lines=12)
             if text else [""])]  # fmt: skip
    per_page = int((page[1] - 2 * MARGIN - TITLE_SIZE * 2) // LINE_PT)
    out = []
    for i in range(0, max(1, len(lines)), per_page):
        head = f"Slide {n}: {s.brief.title}: sources" + (" (continued)" if i else "")
        out.append([(head, TITLE_SIZE), *((t, SIZE) for t in lines[i : i + per_page])])
    return out


def notes_page(lines: list[tuple[str, int]], page: tuple[float, float]) -> bytes:
    """One page of text lines, as PDF bytes (the chart's pixels are the page's points): one
    text layer for the headings and one for the rest (a layer a line is much slower to
    build)."""
    import vl_convert as vlc  # imported here: only exports need it

    rows, y = [], MARGIN
    for text, size in lines:
        rows.append({"x": MARGIN, "y": y, "t": text, "head": size == TITLE_SIZE})
        y += LINE_PT * (2 if size == TITLE_SIZE else 1)
    frame = pd.DataFrame(rows)
    layers = [text_rows(frame[frame["head"]], TITLE_SIZE, "bold"),
              text_rows(frame[~frame["head"]], SIZE, "normal")]  # fmt: skip
    chart = (
        alt.layer(*layers)
        .properties(width=page[0], height=page[1], background="#ffffff", padding=0)
        .configure_view(stroke=None)
    )
    return vlc.svg_to_pdf(vlc.vegalite_to_svg(chart.to_dict()))


def text_rows(frame: pd.DataFrame, size: int, weight: Literal["normal", "bold"]) -> alt.Chart:
    """Text at pixel positions (x, y: the top left of each line), in the pictures' font."""
    return (
        alt.Chart(frame)
        .mark_text(
            align="left", baseline="top", font=FONT, fontSize=size, fontWeight=weight, color="#222"
        )  # fmt: skip
        .encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text=alt.Text("t:N"))
    )
