"""Briefing text, the server-rendered PNG and the standalone HTML export, on the fixtures."""

import datetime as dt
import io
from dataclasses import replace

import pytest
from PIL import Image

from basemap.look import SEA, STYLES
from footprint import export
from footprint.briefing import make_brief, shown_sites, status_counts
from footprint.data import load_dataset
from footprint.export.picture import MAP_BOX, Frame, extent
from footprint.look import status_marks
from footprint.view import View, apply_filters, default_view, view_from_query
from footprint.webmap import status_field

from ..conftest import ELSEWHERE, THEATRE

DS = load_dataset(THEATRE)


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of a PNG, decoded by Pillow (the imaging library Streamlit
    installs; pinned in requirements-dev.txt)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    width, height = image.size
    raw = image.tobytes()
    stride = width * 4
    return width, height, [raw[y * stride : (y + 1) * stride] for y in range(height)]


@pytest.fixture(scope="module")
def view() -> View:
    return default_view(DS)


def test_brief_text_is_computed_from_the_data(view):
    b = make_brief(DS, view)
    shown = shown_sites(DS, view)
    core = shown[~shown["context"]]
    labels = DS.labels("events", "status")
    counts = {s: int((core["status"] == s).sum()) for s in labels}
    want = " · ".join(f"{labels[s]} {n}" for s, n in counts.items() if n or s != "unconfirmed")
    assert (b.asof, b.counts_text) == ("As of 5 Apr 2020", want)
    assert "Unconfirmed" in make_brief(DS, replace(view, asof=dt.date(2025, 12, 1))).counts_text
    assert [f.label for f in b.figures] == ["US troops in the theatre"]
    assert b.figures[0].figure == "~5,200" and b.figures[0].note == "latest figure Mar 2020"
    assert b.sources.startswith("Sources: ") and b.caveat == DS.theatre.caveat
    assert DS.version in b.stamp


def test_an_old_figure_says_how_old_it_is():
    late = make_brief(DS, View(asof=dt.date(2023, 12, 31), status=("retained",)))
    assert late.figures[0].stale
    assert late.figures[0].note == "latest figure Mar 2020, 3 years before the date shown"


def test_old_statuses_say_so_and_a_lone_plan_reads_as_unconfirmed():
    day = dt.date(2025, 12, 31)
    shown = DS.status_on(day)
    lines = make_brief(DS, View(asof=day), shown).key_lines()
    by_name = {line.split(": ", 1)[0].split(" ", 1)[1]: line.split(": ", 1)[1] for line in lines}
    assert by_name["Bravo Camp"] == (
        "Retained since 2016 · latest report 2016, 10 years before the date shown"
    )
    assert by_name["Charlie planned site"] == (
        "Unconfirmed: planned since Apr 2020 · latest report Apr 2020, 5 years before the date "
        "shown"
    )
    assert by_name["Foxtrot border post"] == "Context site"
    assert by_name["Alpha Air Base"] == (
        "Handed over since 26 Mar 2020, to ISF · latest report 26 Mar 2020, 5 years before the date"
        " shown"
    )


def test_made_stamp_reads_like_the_other_dates(monkeypatch):
    class Day(dt.date):
        @classmethod
        def today(cls):
            return cls(2026, 11, 5)

    monkeypatch.setattr("footprint.briefing.dt.date", Day)
    assert make_brief(DS, default_view(DS)).stamp.endswith(" made 5 Nov 2026")


def test_title_from_the_link_reaches_the_brief():
    v = view_from_query(DS, "?view=brief&title=Spring%202020%20%3Cb%3E&asof=2020-03-27")
    assert (v.mode, v.title, v.asof) == ("brief", "Spring 2020 <b>", dt.date(2020, 3, 27))
    assert make_brief(DS, v).title == "Spring 2020 <b>"


def test_counts_leave_context_sites_out(view):
    shown = shown_sites(DS, view)
    counted = sum(status_counts(DS, shown).values())
    assert counted == int((~shown["context"] & shown["status"].ne("")).sum())


@pytest.mark.parametrize("width", [1920, 3840])
def test_png_has_the_size_and_is_not_blank(view, width):
    png = export.render(DS, view, "png", size=width)
    w, h, rows = decode_png(png)
    assert (w, h) == (width, width * 9 // 16)
    sample = rows[:: max(1, h // 120)]
    pixels = {row[i : i + 3] for row in sample for i in range(0, len(row), 4 * max(1, w // 160))}
    assert len(pixels) > 40, "too few colours: the image looks blank"


def _rgb(colour: str) -> bytes:
    return bytes.fromhex(colour.lstrip("#"))


def _pixel(rows, x: float, y: float) -> bytes:
    return rows[round(y)][4 * round(x) : 4 * round(x) + 3]


def test_png_colours_come_from_the_look_tables(view):
    """The picture's land, sea and a marker at known points have the colours of the tables the
    Leaflet map is drawn from (basemap.look, and the data's status categories)."""
    shown = shown_sites(DS, view)
    frame = Frame.fit(extent(shown, DS.theatre.frame_bbox()), MAP_BOX)
    _, _, rows = decode_png(export.render(DS, view, "png"))
    retained = status_marks(status_field(DS))["retained"]
    bravo = DS.sites.set_index("id").loc["bravo"]
    probes = [
        (45.0, 31.0, STYLES["land-focus"]["fillColor"]),  # the focus country (Iraq), desert
        (41.0, 29.6, STYLES["land"]["fillColor"]),  # a neighbour (Saudi Arabia)
        (49.2, 29.0, SEA),  # the Gulf
        (bravo["lon"], bravo["lat"], retained.colour),  # a retained site's filled marker
    ]
    got = [_pixel(rows, *frame.px(lon, lat)) for lon, lat, _ in probes]
    assert got == [_rgb(c) for _, _, c in probes]


def test_numbers_and_key_agree(view):
    shown = shown_sites(DS, view)
    brief = make_brief(DS, view, shown)
    labels, key = brief.number_labels(), brief.key_lines()
    drawn = shown[(shown["status"] != "") | shown["context"]]
    assert len(key) == len(drawn)
    westmost = drawn.sort_values(["lon", "lat"]).iloc[0]
    assert labels[westmost["id"]] == "1" and key[0].startswith(f"1 {westmost['name']}: ")
    # Bravo and Delta share a point: one label names both.
    assert sorted([labels["bravo"], labels["delta"]])[0] == ""


def test_standalone_html_is_self_contained(view):
    shown = shown_sites(DS, view)
    page = export.render(DS, view, "html")
    assert "<script src=" not in page and '<link rel="stylesheet" href=' not in page
    assert page.count('"tl": ') == len(shown)  # one timeline per site in the view
    assert "As of 5 Apr 2020" in page and "FootprintSites" in page and "FootprintBasemap" in page


def test_a_theatre_that_is_not_iraq_draws_with_its_own_words():
    ds = load_dataset(ELSEWHERE)
    view = default_view(ds)
    brief = make_brief(ds, view)
    assert brief.title == "Exercise sites in Kuwait (made up)"
    assert brief.counts_text == "Occupied 1 · Returned 0 · Proposed 1"
    assert brief.figure_lines() == ["Exercise troops in Kuwait: ~1,200 (latest figure 2019)"]
    page = export.render(ds, view, "html")
    assert "Exercise troops in Kuwait" in page and "Occupied" in page
    w, h, _ = decode_png(export.render(ds, view, "png"))
    assert (w, h) == (1920, 1080)


def test_views_with_the_same_date_and_filters_share_their_sites_and_others_do_not():
    """What every session on the same date and filters sees is made once (shown_sites): a title,
    a frame or a basemap does not change the sites shown; a date or a filter does, and gets
    its own."""
    ds = load_dataset(THEATRE)
    view = default_view(ds)
    same = replace(view, title="A slide", map=(7.0, 33.0, 44.0), labels=True, mode="brief")
    assert shown_sites(ds, same) is shown_sites(ds, view)
    one = next(iter(view.status))
    for other in (replace(view, status=(one,)), replace(view, asof=ds.theatre.start),
                  replace(view, context=not view.context), replace(view, q="zz")):  # fmt: skip
        got = shown_sites(ds, other)
        assert got is not shown_sites(ds, view)
        assert got["id"].tolist() == apply_filters(ds.status_on(other.asof), other)["id"].tolist()
