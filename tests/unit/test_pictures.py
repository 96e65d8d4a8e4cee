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
from footprint.briefing import make_brief, shown_sites
from footprint.data import load_dataset
from footprint.export.labels import LINE, overlaps, shorten, text_width
from footprint.export.layout import LAYOUTS, SHAPES, screen_box
from footprint.export.picture import Frame, briefing_picture, panel
from footprint.look import status_marks
from footprint.view import default_view, page_address, view_from_query, view_link
from footprint.webmap import status_field

from ..conftest import THEATRE
from .test_briefing import decode_png

DS = load_dataset(THEATRE)
LINK = "http://127.0.0.1:8501/?view=brief&map=9/33.6/44.8"  # Bravo and Delta's corner
FRAMED = view_from_query(DS, LINK)
SVG = "{http://www.w3.org/2000/svg}"


def brief_of(view, theatre=False):
    """The brief a picture of the view draws: of its frame, unless the whole theatre."""
    box = None if theatre else screen_box(view.map)
    return make_brief(DS, view, shown_sites(DS, view), box)


def picture(view, shape="16x9", theatre=False):
    return briefing_picture(DS, brief_of(view, theatre), DS.layers_dir, view.asof,
                            layout=LAYOUTS[shape])  # fmt: skip


def main_frame(view, shape="16x9") -> Frame:
    box = screen_box(view.map)
    return Frame.fit(box, panel(box, LAYOUTS[shape].map_box))


def test_the_link_frames_some_sites_and_leaves_others_out():
    """The fixture link is a useful case: sites on both sides of the frame's edge."""
    brief = brief_of(FRAMED)
    assert FRAMED.notices == () and len(brief.sites) and brief.outside_ids


def test_a_framed_brief_is_about_its_frame():
    """Issue 30: a slide of a frame numbers its sites 1..N, counts what it shows (and says so),
    gives the headline figures of its countries only, and sums up the rest in one line."""
    brief = brief_of(FRAMED)
    shown = shown_sites(DS, FRAMED)
    west, south, east, north = screen_box(FRAMED.map)
    inside = shown[shown["lon"].between(west, east) & shown["lat"].between(south, north)]
    assert list(brief.sites["n"]) == list(range(1, len(inside) + 1))
    assert set(brief.sites["id"]) == set(inside["id"])
    counted = inside[~inside["context"]]
    assert sum(brief.counts.values()) == len(counted)
    assert brief.counts_text.startswith("In this frame: ")
    assert brief.outside.startswith(f"Outside the frame: {len(brief.outside_ids)} more site")
    assert brief_of(FRAMED, theatre=True).outside == ""


@pytest.mark.parametrize("shape", SHAPES)
def test_the_map_panel_has_the_frames_shape(shape):
    """The panel shows exactly the box the briefer framed on screen: its shape is the screen's."""
    x0, y0, x1, y1 = panel(screen_box(FRAMED.map), LAYOUTS[shape].map_box)
    frame = main_frame(FRAMED, shape)
    west, south, east, north = screen_box(FRAMED.map)
    assert frame.px(west, north) == pytest.approx((x0, y0), abs=1)
    assert frame.px(east, south) == pytest.approx((x1, y1), abs=1)


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
    shown = brief_of(FRAMED).sites
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
    text, page = pdf_text(export.render(DS, FRAMED, "pdf", shape=shape, address=page_address(LINK)))
    assert page == pytest.approx(LAYOUTS[shape].page, abs=0.01)
    brief = brief_of(FRAMED)
    assert brief.title in text and brief.asof in text
    assert "Outside the frame" in text and brief.counts_text[:14] in text
    assert "map=9/33.6/44.8" in text.replace("\n", "")  # the link back, in the footer
    for n, name, _ in brief.key:  # the frame's sites, 1..N, each in the key
        assert re.search(rf"\b{n}\s+{re.escape(name[:12])}", text), name


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
    numbers = set(brief_of(FRAMED, theatre).sites["label"])
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
    shown = brief_of(FRAMED, theatre).sites
    drawn = {t for labels in pic.labels for t, _ in labels.numbers}
    assert drawn == set(shown[shown["first"]]["label"])


def test_the_whole_theatre_lists_nothing_outside_and_a_framed_view_does():
    assert picture(FRAMED, theatre=True).outside == ()
    drawn = brief_of(FRAMED, theatre=True).sites
    assert set(picture(FRAMED).outside) == set(drawn["id"]) - set(brief_of(FRAMED).sites["id"])


def test_two_sites_at_one_point_share_one_label():
    shown = brief_of(FRAMED).sites
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


@pytest.mark.parametrize("theatre", [False, True])
def test_the_picture_is_valid_vega_lite(theatre):
    """Picture.spec skips Altair's schema check for speed; here the chart passes it, and the
    spec handed to vl-convert is the checked one with the data it names."""
    pic = picture(FRAMED, theatre=theatre)
    checked = pic.chart.to_dict()  # raises on a spec the schema refuses
    spec = pic.spec()
    assert spec == {**checked, "datasets": {**checked.get("datasets", {}), **pic.datasets}}
    assert set(pic.datasets) <= set(spec["datasets"]) and pic.datasets


@pytest.mark.parametrize("bold", [False, True])
def test_a_cut_text_is_the_longest_start_that_fits_with_its_ellipsis(bold):
    text = "Ayn al-Asad Air Base (Al Anbar), ستة — a long name 1234567890"
    whole = text_width(text, 15, bold)
    assert shorten(text, whole, 15, bold) == text  # it fits: not cut
    for width in [0, 5, 40, 120, 300, whole - 0.01]:
        fits = [i for i in range(len(text) + 1) if text_width(text[:i] + "…", 15, bold) <= width]
        longest = max(fits, default=0)  # each start measured on its own, letter by letter
        assert shorten(text, width, 15, bold) == text[:longest].rstrip() + "…", width
