"""Briefing text, the server-rendered PNG and the standalone HTML export."""

import datetime as dt
import math
import struct
import zlib

import pytest

from footprint.brief import make_brief, shown_sites
from footprint.data import load_dataset
from footprint.standalone import to_html
from footprint.staticmap import Frame, briefing_chart, key_lines, number_labels, render_png
from footprint.view import View, view_from_query

from ..conftest import DATA

DS = load_dataset(DATA)
LAYERS = DATA / "basemap"


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit, non-interlaced PNG (what vl-convert writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, colour, interlace) == (8, 6, 0), "expected 8-bit RGBA, not interlaced"
    raw, stride, rows, prev = zlib.decompress(idat), width * 4, [], bytearray(width * 4)
    for y in range(height):
        f, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a, b = line[i - 4] if i >= 4 else 0, prev[i]
            c = prev[i - 4] if i >= 4 else 0
            line[i] = (line[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[f]) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


@pytest.fixture(scope="module")
def view() -> View:
    return View(asof=dt.date(2020, 4, 5))


def test_brief_text(view):
    b = make_brief(DS, view)
    counts = "Retained 16 · Handed over 12 · Planned 1"  # Iraq's 9 · 5 · 1 and Syria's 7 · 7
    assert (b.asof, b.counts_text) == ("As of 5 Apr 2020", counts)
    assert b.troops == "~5,200" and "The National (AFP)" in b.troops_source
    assert b.sources.startswith("Sources: ") and b.caveat.startswith("Open sources")
    assert DS.version in b.stamp


def test_made_stamp_reads_like_the_other_dates(monkeypatch):
    class Day(dt.date):
        @classmethod
        def today(cls):
            return cls(2026, 11, 5)

    monkeypatch.setattr("footprint.brief.dt.date", Day)
    assert make_brief(DS, View(asof=dt.date(2020, 4, 5))).stamp.endswith(" made 5 Nov 2026")


def test_title_from_the_link_reaches_the_brief():
    v = view_from_query(DS, "?view=brief&title=Spring%202020%20%3Cb%3E&asof=2020-03-27")
    assert (v.mode, v.title, v.asof) == ("brief", "Spring 2020 <b>", dt.date(2020, 3, 27))
    assert make_brief(DS, v).title == "Spring 2020 <b>"


@pytest.mark.parametrize("width", [1920, 3840])
def test_png_has_the_size_and_is_not_blank(view, width):
    shown = shown_sites(DS, view)
    png = render_png(
        briefing_chart(make_brief(DS, view, shown), shown, DS.config["regions"]["IRQ"], LAYERS),
        width,
    )
    w, h, rows = decode_png(png)
    assert (w, h) == (width, width * 9 // 16)
    sample = rows[:: max(1, h // 120)]
    pixels = {row[i : i + 3] for row in sample for i in range(0, len(row), 4 * max(1, w // 160))}
    assert len(pixels) > 40, "too few colours: the image looks blank"
    white = sum(
        1 for row in sample for i in range(0, len(row), 16) if row[i : i + 3] == b"\xff\xff\xff"
    )
    assert white < 0.8 * len(sample) * (w // 4)


def test_projection_round_numbers():
    f = Frame.fit((38.0, 29.0, 49.0, 37.5))
    x0, y0, x1, y1 = f.box
    (ax, ay), (bx, by) = f.px(38.0, 37.5), f.px(49.0, 29.0)
    assert x0 - 0.5 <= ax < bx <= x1 + 0.5 and y0 - 0.5 <= ay < by <= y1 + 0.5
    # 100 km east along the 33rd parallel is 100 / (111.32 * cos 33°) degrees of longitude.
    dlon = 100 / (111.32 * math.cos(math.radians(33)))
    measured = f.px(44 + dlon, 33)[0] - f.px(44, 33)[0]
    assert f.km_to_px(100, 33) == pytest.approx(measured, rel=0.01)


def test_numbers_and_key_agree(view):
    shown = shown_sites(DS, view)
    labels, key = number_labels(shown), key_lines(shown)
    assert len(key) == len(shown[shown["status"] != ""])
    assert labels["manbij"] == "1"  # numbered west to east
    assert key[0].startswith("1 Manbij base (al-Sa'idiya): Handed over since")
    # BDSC and Camp Victory share the BIAP point: one label names both.
    assert sorted([labels["bdsc"], labels["camp_victory_biap"]])[0] == ""


def test_standalone_html_is_self_contained(view):
    shown = shown_sites(DS, view)
    page = to_html(DS, make_brief(DS, view, shown), shown, LAYERS, view.asof)
    assert "<script src=" not in page and '<link rel="stylesheet" href=' not in page
    assert page.count('"tl": ') == len(shown)  # one timeline per site in the view
    assert "As of 5 Apr 2020" in page
