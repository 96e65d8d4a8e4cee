"""A deck from a list of views: the list's text, what each slide says and cites, the slide's
layout, and the files themselves: the .pptx opened by LibreOffice Impress (converted headless
to PDF and read back) and the PDF deck."""

import csv
import io
import shutil
import subprocess
from itertools import combinations

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from footprint import export
from footprint.briefing import make_brief
from footprint.cli import main
from footprint.data import load_dataset
from footprint.export.layout import LAYOUTS
from footprint.export.powerpoint import boxes, page_inches, to_pptx
from footprint.export.slides import MAX_ENTRIES, Entry, entries_text, make_slide, read_entries
from footprint.mercator import screen_box
from footprint.view import view_from_query

from ..conftest import THEATRE
from ..hostile import make_hostile

DS = load_dataset(THEATRE)
SHAPES = tuple(LAYOUTS)
VIEWS = [
    Entry("http://brief.example:8501/?asof=2020-01-01&title=Before+the+drawdown&attacks=1"),
    Entry("?asof=2020-04-05&title=Around+Baghdad&map=8/33.4/44.2"),
    Entry("?asof=2021-12-31&title=After&status=retained,handed_over", "4x3"),
]


@pytest.mark.parametrize(
    "text, entries, notices",
    [
        ("?asof=2020-01-01\n", [Entry("?asof=2020-01-01")], []),
        ("# a comment\n\n  asof=2020-01-01   a4  \n", [Entry("asof=2020-01-01", "a4")], []),
        ("?a 16:9\n", [], ["line 1: unknown shape '16:9' (16x9, 4x3, a4); ignored"]),
        ("?" + "a" * 700, [], ["line 1: longer than 600 characters; ignored"]),
        ("?a\n" * (MAX_ENTRIES + 1), [Entry("?a")] * MAX_ENTRIES,
         [f"line {MAX_ENTRIES + 1}: more than {MAX_ENTRIES} views; ignored"]),
    ],
    ids=["one", "comment-and-spaces", "bad-shape", "too-long", "too-many"],
)  # fmt: skip
def test_read_entries(text, entries, notices):
    assert read_entries(text, SHAPES) == (entries, notices)


def test_a_saved_list_reads_back_the_same():
    assert read_entries(entries_text(VIEWS), SHAPES) == (VIEWS, [])


def cited_urls(record_ids) -> set[str]:
    """The addresses of the sources that citations.csv says support these records (read from
    the fixture's CSVs, no code of ours)."""
    with open(THEATRE / "citations.csv", encoding="utf-8") as f:
        ids = {r["source_id"] for r in csv.DictReader(f)
               if r["record_id"] in record_ids and r["supports"] != "no"}  # fmt: skip
    with open(THEATRE / "sources.csv", encoding="utf-8") as f:
        return {r["url"] for r in csv.DictReader(f) if r["id"] in ids}


def brief_of(entry: Entry):
    """What the view's picture says (its frame's brief when it has one)."""
    view = view_from_query(DS, entry.link)
    return make_brief(DS, view, None, screen_box(view.map) if view.map else None)


def claims(entry: Entry) -> set[str]:
    """The records a slide's claims rest on: each site's status and the headline figures."""
    brief = brief_of(entry)
    figures = {r for f in brief.figures for r in f.records}
    return set(brief.sites["status_event"]) - {""} | figures


@pytest.mark.parametrize("entry", VIEWS, ids=["before", "baghdad", "after"])
def test_the_notes_cite_every_source_of_the_slides_claims(entry):
    slide = make_slide(DS, entry)
    notes = "\n".join(slide.notes)
    urls = cited_urls(claims(entry))
    assert urls and all(url in notes for url in urls)
    for line in slide.key:
        assert line in notes  # every site on the key, with the checks of its status
    assert f"View: {slide.link}" in notes


def test_a_slide_prints_the_link_on_its_own_address():
    assert make_slide(DS, VIEWS[0]).link.startswith("http://brief.example:8501/?")
    assert make_slide(DS, VIEWS[0], "https://brief.mil/footprint/").link.startswith(
        "https://brief.mil/footprint/?"
    )
    assert make_slide(DS, VIEWS[1]).link.startswith("?")


@pytest.mark.parametrize("shape", SHAPES)
def test_the_slides_boxes_lie_on_the_slide_and_apart(shape):
    w, h = page_inches(LAYOUTS[shape])
    x0, y0, x1, y1 = LAYOUTS[shape].map_box
    b = boxes((w, h), (x1 - x0) / (y1 - y0))
    parts = {"title": b.title, "stamp": b.stamp, "map": b.map, "summary": b.summary,
             "key": b.key, "footer": b.footer}  # fmt: skip
    for name, (left, top, width, height) in parts.items():
        assert 0 <= left and 0 <= top and left + width <= w and top + height <= h, name
    for (a, p), (c, q) in combinations(parts.items(), 2):
        apart = (p[0] + p[2] <= q[0] or q[0] + q[2] <= p[0] or p[1] + p[3] <= q[1]
                 or q[1] + q[3] <= p[1])  # fmt: skip
        assert apart, (a, c)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def impress_pdf(tmp_path_factory) -> PdfReader:
    """The three-view deck as LibreOffice Impress reads it: converted headless to PDF with
    its notes pages (Debian's libreoffice-impress; never skipped when missing)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice Impress is not installed: run scripts/install-debian.sh --test")
    tmp = tmp_path_factory.mktemp("impress")
    (tmp / "deck.pptx").write_bytes(export.deck(DS, VIEWS, "pptx"))
    notes = '{"ExportNotesPages":{"type":"boolean","value":"true"}}'
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
         f"pdf:impress_pdf_Export:{notes}", "--outdir", str(tmp), str(tmp / "deck.pptx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return PdfReader(tmp / "deck.pdf")


@pytest.mark.parametrize("n", range(len(VIEWS)), ids=["before", "baghdad", "after"])
def test_impress_opens_each_slide_with_its_text_picture_and_notes(impress_pdf, n):
    assert len(impress_pdf.pages) == 2 * len(VIEWS)  # the slides, then their notes pages
    slide, notes = impress_pdf.pages[n], impress_pdf.pages[len(VIEWS) + n]
    text, entry = flat(slide.extract_text()), VIEWS[n]
    view = view_from_query(DS, entry.link)
    assert view.title in text
    assert f"As of {view.asof:%-d %b %Y}" in text
    for line in brief_of(entry).key_lines():
        assert flat(line) in text
    assert DS.theatre.caveat in text
    assert max(image.image.width for image in slide.images) >= 1000  # the map, sharp
    said = flat(notes.extract_text())
    assert f"Sources of this slide: {view.title}" in said
    assert all(url in said for url in cited_urls(claims(entry)))


def test_the_pdf_deck_has_each_picture_then_its_sources():
    reader = PdfReader(io.BytesIO(export.deck(DS, VIEWS[:2], "pdf")))
    texts = [flat(p.extract_text()) for p in reader.pages]
    for n, entry in enumerate(VIEWS[:2]):
        view = view_from_query(DS, entry.link)
        assert view.title in texts[n] and f"As of {view.asof:%-d %b %Y}" in texts[n]
        sources = " ".join(t for t in texts[2:] if t.startswith(f"Slide {n + 1}: {view.title}"))
        assert all(url in sources for url in cited_urls(claims(entry)))
    assert [p.mediabox.width for p in reader.pages] == [LAYOUTS["16x9"].page[0]] * len(texts)


@pytest.mark.parametrize(
    "argv, message",
    [(["deck", "?asof=2020-01-01", "--out", "deck.key"], "say --format pptx or pdf"),
     (["deck", "--out", "deck.pptx"], "no views: give links, or a deck list with --list")],
)  # fmt: skip
def test_deck_command_problems_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--data", str(THEATRE)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_deck_command_reads_links_and_a_saved_list(tmp_path, capsys):
    saved = tmp_path / "views.txt"
    saved.write_text(entries_text([Entry("?asof=2020-02-30&title=Listed", "4x3")]))
    out = tmp_path / "brief.pptx"
    argv = ["deck", "?title=Given", "--list", str(saved), "--out", str(out), "--data",
            str(THEATRE)]  # fmt: skip
    assert main(argv) == 0
    said = capsys.readouterr()
    assert "slide 2: ignored part of its link: asof: " in said.err  # 30 February
    prs = Presentation(str(out))
    titles = [s.shapes.title.text for s in prs.slides]
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert titles == ["Given", "Listed"]
    assert [n.splitlines()[0] for n in notes] == [
        f"Sources of this slide: {t} (As of {DS.theatre.default_asof:%-d %b %Y})" for t in titles
    ]
    assert (prs.slide_width, prs.slide_height) == (Inches(40 / 3), Inches(7.5))  # widescreen


def blank_picture(slide) -> bytes:
    """A white picture of the slide's shape at twice its size (no rendering needed)."""
    w, h = LAYOUTS[slide.shape].size
    out = io.BytesIO()
    Image.new("RGB", (2 * w, 2 * h), "white").save(out, "PNG")
    return out.getvalue()


def test_hostile_text_reaches_the_slides_and_notes_as_typed(tmp_path):
    ds = load_dataset(make_hostile(tmp_path / "hostile"))
    slide = make_slide(ds, Entry("?asof=2020-04-05&title=%3Cscript%3Ex%3C%2Fscript%3E"))
    prs = Presentation(io.BytesIO(to_pptx([slide], blank_picture)))
    (only,) = prs.slides
    text = "\n".join(s.text_frame.text for s in only.shapes if s.has_text_frame)
    notes = only.notes_slide.notes_text_frame.text
    assert only.shapes.title.text == "<script>x</script>"
    for line in slide.key:  # every name and status, payloads included, as typed
        assert line in text and line in notes
