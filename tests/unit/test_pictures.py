"""The briefing picture in every format and shape, framed by a link or on the whole theatre, opened
as a reader would: PNG pixels probed, SVG parsed, PDF text extracted. Fixture theatre only."""

import io
import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import altair as alt
import pandas as pd
import pypdf
import pytest
import vl_convert as vlc

from footprint import export
from footprint.briefing import key_rows, make_brief, numbered, shown_sites
from footprint.data import load_dataset
from footprint.export.labels import LINE, overlaps, text_width
from footprint.export.layout import LAYOUTS, SHAPES, screen_box
from footprint.export.picture import Frame, briefing_picture
from footprint.look import status_marks
from footprint.view import default_view, page_address, view_from_query, view_link
from footprint.webmap import status_field

from ..conftest import THEATRE
from .test_briefing import decode_png

DS = load_dataset(THEATRE)
LINK = "http://127.0.0.1:8501/?view=brief&map=9/33.6/44.8"  # Bravo and Delta's corner
FRAMED = view_from_query(DS, LINK)
SVG = "{http://www.w3.org/2000/svg}"


def picture(view, shape="16x9", theatre=False):
    shown = shown_sites(DS, view)
    frame = None if theatre else view.map
    return briefing_picture(DS, make_brief(DS, view, shown), shown, DS.layers_dir, view.asof,
                            layout=LAYOUTS[shape], frame=frame)  # fmt: skip


def main_frame(view, shape="16x9") -> Frame:
    return Frame.fit(screen_box(view.map), LAYOUTS[shape].map_box)


def test_the_link_frames_some_sites_and_leaves_others_out():
    """The fixture link is a useful case: sites on both sides of the frame's edge."""
    shown = numbered(shown_sites(DS, FRAMED))
    inside = main_frame(FRAMED).inside(shown)
    assert FRAMED.notices == () and inside.any() and (~inside).any()


@pytest.mark.parametrize(("shape", "size"), list(itertools.product(SHAPES, [1920, 3840])))
def test_png_has_the_shape_and_size(shape, size):
    w, h, _ = decode_png(export.render(DS, FRAMED, "png", size=size, shape=shape))
    scale = size // 1920
    assert (w, h) == (LAYOUTS[shape].size[0] * scale, LAYOUTS[shape].size[1] * scale)


@pytest.mark.parametrize("shape", SHAPES)
def test_png_of_a_link_shows_its_frame(shape):
    """Each site inside the link's frame has its marker's colour where the frame puts it."""
    frame = main_frame(FRAMED, shape)
    _, _, rows = decode_png(export.render(DS, FRAMED, "png", shape=shape))
    marks = status_marks(status_field(DS))
    shown = numbered(shown_sites(DS, FRAMED))
    probed = shown[frame.inside(shown) & ~shown["context"] & shown["status"].ne("")]
    assert len(probed) > 0
    for site in probed.itertuples():
        x, y = frame.px(site.lon, site.lat)
        mark = marks[site.status]
        want = bytes.fromhex(mark.fill.lstrip("#")) if not mark.hollow else None
        got = rows[round(y)][4 * round(x) : 4 * round(x) + 3]
        assert want is None or got == want, site.id


def pdf_text(data: bytes) -> tuple[str, tuple[float, float]]:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return page.extract_text(), (float(page.mediabox.width), float(page.mediabox.height))


@pytest.mark.parametrize("shape", SHAPES)
def test_pdf_is_a_standard_page_with_its_text_as_text(shape):
    shown = shown_sites(DS, FRAMED)
    text, page = pdf_text(export.render(DS, FRAMED, "pdf", shape=shape, address=page_address(LINK)))
    assert page == pytest.approx(LAYOUTS[shape].page, abs=0.01)
    brief = make_brief(DS, FRAMED, shown)
    assert brief.title in text and brief.asof in text
    assert "Outside the frame" in text
    assert "map=9/33.6/44.8" in text.replace("\n", "")  # the link back, in the footer
    frame = main_frame(FRAMED, shape)
    df = numbered(shown)
    away = df[~frame.inside(df)]
    for n, name, _ in key_rows(DS, shown, FRAMED.asof):
        if n in set(away["n"]):
            assert re.search(rf"\b{n}\s+{re.escape(name[:12])}", text), name  # listed, not lost


def svg_texts(svg: str) -> list[dict]:
    """Every text element: its text, position, size, weight and anchor."""
    out = []
    for el in ET.fromstring(svg).iter(f"{SVG}text"):
        x, y = map(
            float, re.search(r"translate\(([-\d.]+),([-\d.]+)\)", el.get("transform")).groups()
        )
        size = float(el.get("font-size").rstrip("px"))
        out.append({"text": el.text or "", "x": x, "y": y, "size": size,
                    "bold": el.get("font-weight") == "bold", "anchor": el.get("text-anchor"),
                    "stroke": el.get("stroke")})  # fmt: skip
    return out


def label_box(t: dict) -> tuple[float, float, float, float]:
    """The box of a centred map label as the SVG places it (Vega writes 'middle' baselines as
    a shifted y), measured in the picture's font."""
    w, h = text_width(t["text"], t["size"], t["bold"]), t["size"] * LINE
    x0 = t["x"] - w / 2 if t["anchor"] == "middle" else t["x"]
    return (x0, t["y"] - h * 0.75, x0 + w, t["y"] + h * 0.25)


@pytest.mark.parametrize(("shape", "theatre"), list(itertools.product(SHAPES, [False, True])))
def test_svg_map_labels_do_not_overlap(shape, theatre):
    """Read back from the SVG: the numbers and city names on the map, measured in the font
    vl-convert draws with, share no area (the halo copy of each number is left out)."""
    svg = export.render(DS, FRAMED, "svg", shape=shape, theatre=theatre)
    ET.fromstring(svg)  # well-formed
    texts = svg_texts(svg)
    numbers = {label for label in numbered(shown_sites(DS, FRAMED))["label"]}
    assert {t["text"] for t in texts} & numbers  # numbers are drawn as text
    on_map = [t for t in texts if t["anchor"] == "middle" and not t["stroke"]]
    boxes = [label_box(t) for t in on_map]
    clash = [(a["text"], b["text"]) for (a, p), (b, q) in itertools.combinations(
        zip(on_map, boxes, strict=True), 2) if overlaps(p, q)]  # fmt: skip
    assert clash == []


@pytest.mark.parametrize(("shape", "theatre"), list(itertools.product(SHAPES, [False, True])))
def test_placed_labels_do_not_overlap_and_no_number_is_lost(shape, theatre):
    pic = picture(FRAMED, shape, theatre)
    for labels in pic.labels:
        boxes = labels.boxes()
        assert not any(overlaps(a, b) for a, b in itertools.combinations(boxes, 2))
    shown = numbered(shown_sites(DS, FRAMED))
    drawn = {t for labels in pic.labels for t, _ in labels.numbers}
    frame = Frame.fit(screen_box(FRAMED.map), LAYOUTS[shape].map_box) if not theatre else None
    inside = shown[shown["first"] & (frame.inside(shown) if frame else True)]
    assert drawn == set(inside["label"])


def test_the_whole_theatre_lists_nothing_outside_and_a_framed_view_does():
    assert picture(FRAMED, theatre=True).outside == ()
    frame = main_frame(FRAMED)
    shown = numbered(shown_sites(DS, FRAMED))
    assert set(picture(FRAMED).outside) == set(shown[~frame.inside(shown)]["id"])


def test_two_sites_at_one_point_share_one_label():
    shown = numbered(shown_sites(DS, FRAMED))
    pair = shown[shown["id"].isin(["bravo", "delta"])]
    drawn = [t for labels in picture(FRAMED).labels for t, _ in labels.numbers]
    assert pair["label"].nunique() == 1 and drawn.count(pair["label"].iloc[0]) == 1


@pytest.mark.parametrize(
    ("text", "size", "bold"),
    [("25,26", 17, True), ("Capital City", 13, False), ("Wq 1%", 40, True)],
)
def test_text_widths_match_what_vl_convert_draws(text, size, bold):
    """The label widths the placement uses are those of the font the pictures are drawn in:
    the ink of a rendered text spans its measured width, less the side bearings (a few px)."""
    row = pd.DataFrame({"x": [20], "y": [40], "t": [text]})
    chart = alt.Chart(row).mark_text(
        font="Liberation Sans", fontSize=size, fontWeight="bold" if bold else "normal",
        align="left", color="#000000",
    ).encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text="t:N")  # fmt: skip
    spec = chart.properties(width=600, height=80, padding=0).configure_view(stroke=None)
    _, _, rows = decode_png(vlc.vegalite_to_png(spec.to_dict()))
    ink = [x for row in rows for x in range(len(row) // 4) if row[4 * x] < 128]
    assert 0 <= text_width(text, size, bold) - (max(ink) - min(ink) + 1) <= 0.12 * size


def test_the_link_printed_is_the_views_own():
    view = replace(default_view(DS), map=(9.0, 33.6, 44.8), title="Corner & more")
    link = view_link(view, default_view(DS), "http://127.0.0.1:8501/")
    text, _ = pdf_text(export.render(DS, view, "pdf", address="http://127.0.0.1:8501/"))
    assert link.split("?")[1] in text.replace("\n", "").replace("View: ", "")
    assert view_from_query(DS, link) == view
