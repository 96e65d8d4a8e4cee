"""Draw a deck's slides as a PowerPoint file (python-pptx): Impress and Keynote open it.

Every text is a text box the briefer can edit; the map is the map panel of the view's
picture (footprint.export.render), cut out at twice the picture's size; the legend's marks
are shapes in the look table's colours. Sources are in each slide's notes. Nothing here says
anything the slide's content (footprint.export.slides.Slide) does not.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageChops
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from footprint.export.layout import LAYOUTS, Layout
from footprint.export.slides import Slide

INK, GREY = "111111", "555555"
MARGIN = 0.35  # inches around the slide
SHAPES = {"circle": MSO_SHAPE.OVAL, "square": MSO_SHAPE.RECTANGLE,
          "triangle-up": MSO_SHAPE.ISOSCELES_TRIANGLE, "diamond": MSO_SHAPE.DIAMOND}  # fmt: skip
PICTURE_SCALE = 2  # the picture is rendered at twice its size (export size 3840)
LEGEND_ROW = 0.28  # inches a legend row takes
Box = tuple[float, float, float, float]  # left, top, width, height in inches
Line = tuple[str, float, dict]  # text, points, {"bold", "italic", "colour"}


@dataclass(frozen=True)
class Boxes:
    """Where each part of a slide goes, in inches."""

    title: Box
    stamp: Box
    map: Box
    summary: Box
    key: Box
    footer: Box


def page_inches(layout: Layout) -> tuple[float, float]:
    """The slide's size in inches: the layout's PDF page (in points)."""
    return layout.page[0] / 72, layout.page[1] / 72


def boxes(size: tuple[float, float], aspect: float) -> Boxes:
    """The slide's boxes: title and stamp on top, a footer below; between them the map
    (width / height = `aspect`) beside the summary and the key, or above them on a page
    taller than wide."""
    w, h = size
    m, top = MARGIN, 1.3
    footer_h = 1.05
    body_h = h - top - footer_h - m
    inner = w - 2 * m
    head = (m, 0.18, inner, 0.62), (m, 0.8, inner, 0.42)
    footer = (m, h - m - footer_h + 0.1, inner, footer_h - 0.1)
    if w > h:
        map_w = min(body_h * aspect, inner * 0.58)
        rest_x, rest_w = m + map_w + 0.25, inner - map_w - 0.25
        split = rest_w > 5.5  # two columns: summary and legend, then the key
        col = rest_w / 2 - 0.1 if split else rest_w
        summary = (rest_x, top, col, body_h if split else body_h * 0.55)
        key = ((rest_x + col + 0.2, top, col, body_h) if split
               else (rest_x, top + body_h * 0.55 + 0.05, col, body_h * 0.45 - 0.05))  # fmt: skip
        return Boxes(*head, (m, top, map_w, body_h), summary, key, footer)
    map_h = min(inner / aspect, body_h * 0.55)
    below = top + map_h + 0.2
    col = inner / 2 - 0.1
    summary = (m, below, col, top + body_h - below)
    key = (m + col + 0.2, below, col, top + body_h - below)
    return Boxes(*head, (m, top, inner, map_h), summary, key, footer)


def to_pptx(slides: list[Slide], picture: Callable[[Slide], bytes]) -> bytes:
    """The deck as a .pptx: `picture(slide)` is the view's picture (PNG, twice its size); the
    slides take the first view's shape."""
    prs = Presentation()
    layout = LAYOUTS[slides[0].shape if slides else "16x9"]
    w, h = page_inches(layout)
    prs.slide_width, prs.slide_height = Inches(w), Inches(h)
    for s in slides:
        add_slide(prs, s, map_panel(picture(s), LAYOUTS[s.shape]), (w, h))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def map_panel(png: bytes, layout: Layout) -> Image.Image:
    """The map panel of a picture: the layout's map box, at the picture's scale, less the
    white around a map drawn in the shape of its frame."""
    x0, y0, x1, y1 = (v * PICTURE_SCALE for v in layout.map_box)
    panel = Image.open(io.BytesIO(png)).convert("RGB").crop((x0, y0, x1, y1))
    drawn = ImageChops.difference(panel, Image.new("RGB", panel.size, "white")).getbbox()
    return panel.crop(drawn) if drawn else panel


def add_slide(prs, s: Slide, panel: Image.Image, size: tuple[float, float]) -> None:
    """One slide: title, stamp, map, summary and legend, key, footer; sources in the notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the outline has titles
    b = boxes(size, panel.width / panel.height)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (Inches(v) for v in b.title)
    write(title.text_frame, [(s.brief.title, 28, {"bold": True, "colour": INK})])
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    text_box(slide, b.stamp, [(s.brief.asof, 18, {"bold": True, "colour": s.accent})])
    add_picture(slide, panel, b.map)
    legend_end = add_summary(slide, s, b.summary)
    key = b.key
    if key[1] > b.summary[1]:  # the key under the summary: it starts where the legend ends
        key = (key[0], legend_end + 0.15, key[2], key[1] + key[3] - legend_end - 0.15)
    font = key_size(list(s.key), key)
    outside = [(s.brief.outside, font, {"italic": True})] if s.brief.outside else []
    text_box(slide, key, [("Sites", 12, {"bold": True}), *((k, font, {}) for k in s.key),
                          *outside])  # fmt: skip
    text_box(slide, b.footer, footer_lines(s), link=s.link)
    slide.notes_slide.notes_text_frame.text = "\n".join(s.notes)


def add_summary(slide, s: Slide, box: Box) -> float:
    """Counts and figures, shrunk to fit above the legend, then the legend; returns where the
    legend ends (inches from the top)."""
    columns = 1 if box[3] > 3.5 else 2  # a short box: the legend in two columns
    legend_h = LEGEND_ROW * -(-len(s.legend) // columns)
    x, y, w, h = box
    room = (x, y, w, h - legend_h - 0.1)
    bottom = text_box(slide, room, fitted(summary_lines(s), room))
    top = min(bottom, y + h - legend_h)
    draw_legend(slide, s.legend, box, top, columns)
    return top + legend_h


def summary_lines(s: Slide) -> list[Line]:
    """Counts, each headline figure with its age and announced level, and the brief's notes
    on coverage, the layers that are on and where the sources stop."""
    lines: list[Line] = [(s.brief.counts_text, 14, {"bold": True})]
    for f in s.brief.figures:
        lines.append((f"{f.label}: {f.figure}", 13, {"bold": True}))
        lines.append((f"{f.note}; {f.source}", 9, {"colour": GREY}))
        if f.announced:
            lines.append((f.announced[:1].upper() + f.announced[1:], 9, {"colour": GREY}))
    lines += [(t, 9, {"colour": GREY}) for t in (*s.brief.edge, *s.brief.coverage,
                                                  *s.brief.layers)]  # fmt: skip
    return lines


def footer_lines(s: Slide) -> list[Line]:
    """Sources, caveat, the stamp and the view's link."""
    return [(s.brief.sources, 10, {}), (f"{s.brief.caveat} {s.brief.cutoff}", 10,
            {"italic": True}), (s.brief.stamp, 8, {"colour": GREY}),
            (f"View: {s.link}", 8, {"colour": GREY})]  # fmt: skip


def fitted(lines: list[Line], box: Box) -> list[Line]:
    """The lines at their sizes, or all smaller by the same factor (down to 60%) until they
    fit the box by text_height's reckoning.

    >>> [size for _, size, _ in fitted([("x" * 90, 10, {})] * 2, (0, 0, 2, 1))]
    [8.0, 8.0]
    """
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6):
        out = [(text, round(size * scale, 1), style) for text, size, style in lines]
        if sum(text_height(text, size, box[2]) for text, size, _ in out) <= box[3]:
            break
    return out


def key_size(key: list[str], box: Box) -> float:
    """The key's font size: the largest from 12 down to 6 points at which every line fits
    the box under its heading (6 if none does: PowerPoint then shrinks it on overflow).

    >>> key_size(["1 Alpha: Retained"] * 3, (0, 0, 3, 3)), key_size(["x" * 80] * 40, (0, 0, 3, 3))
    (12.0, 6.0)
    """
    room = box[3] - 0.4
    for size in (12.0, 11.0, 10.0, 9.0, 8.0, 7.0):
        if sum(text_height(line, size, box[2]) for line in key) <= room:
            return size
    return 6.0


def text_box(slide, box: Box, lines: list[Line], link: str = "") -> float:
    """A text box of lines; returns roughly where its text ends (inches from the top)."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    write(shape.text_frame, lines, link)
    return box[1] + sum(text_height(text, size, box[2]) for text, size, _ in lines) + 0.15


def text_height(text: str, size: float, width: float) -> float:
    """About how tall a paragraph is once wrapped, in inches (an average letter is half as
    wide as the font is tall; a line is 1.2 times the font's size).

    >>> round(text_height("x" * 100, 10, 2), 2)  # 28 letters a line: 4 lines
    0.67
    """
    per_line = max(1, int((width * 72 - 14) / (size * 0.5)))
    return -(-len(text) // per_line) * size * 1.2 / 72


def write(frame, lines: list[Line], link: str = "") -> None:
    """Lines as paragraphs of a text frame, wrapped; a link line (the last) is a hyperlink."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # shrinks on overflow when opened
    for i, (text, size, style) in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = style.get("bold", False)
        run.font.italic = style.get("italic", False)
        run.font.color.rgb = RGBColor.from_string(style.get("colour", INK).lstrip("#"))
        if link and i == len(lines) - 1 and link.startswith(("http://", "https://")):
            run.hyperlink.address = link


def add_picture(slide, panel: Image.Image, box: Box) -> None:
    """The map panel, as large as fits the box, top left."""
    left, top, w, h = box
    scale = min(w / panel.width, h / panel.height)
    data = io.BytesIO()
    panel.save(data, "PNG")
    data.seek(0)
    slide.shapes.add_picture(data, Inches(left), Inches(top), Inches(panel.width * scale),
                             Inches(panel.height * scale))  # fmt: skip


def draw_legend(slide, legend, box: Box, top: float, columns: int = 1) -> None:
    """Each legend row: its mark as a shape in the look's colours, and its label; in
    `columns` columns, filled down then across."""
    per_column = -(-len(legend) // columns)
    width = box[2] / columns
    for i, (look, label) in enumerate(legend):
        left = box[0] + width * (i // per_column)
        y = top + LEGEND_ROW * (i % per_column)
        mark = slide.shapes.add_shape(SHAPES.get(look["shape"], MSO_SHAPE.STAR_5_POINT),
                                      Inches(left + 0.02), Inches(y + 0.04), Inches(0.16),
                                      Inches(0.16))  # fmt: skip
        mark.shadow.inherit = False  # the default theme's shadow is no part of the look
        mark.fill.solid()
        mark.fill.fore_color.rgb = RGBColor.from_string(look["fill"].lstrip("#"))
        mark.line.color.rgb = RGBColor.from_string(look["stroke"].lstrip("#"))
        mark.line.width = Emu(Pt(1.5))
        if look["dash"]:
            mark.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        text_box(slide, (left + 0.28, y - 0.02, width - 0.3, LEGEND_ROW), [(label, 10, {})])
