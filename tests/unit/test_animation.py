"""The footprint over time: which dates make the frames, how long each shows, and that the GIF
and the videos hold exactly those frames in that order (decoded back, not taken on trust)."""

import csv
import datetime as dt
import io
import re

import imageio_ffmpeg
import pytest
from PIL import Image

from footprint import export
from footprint.cli import main
from footprint.data import load_dataset
from footprint.export.animation import MAX_FRAMES, VIDEO_FPS, Timing, encode, frame_dates
from footprint.view import default_view

from ..conftest import THEATRE

D = dt.date
DS = load_dataset(THEATRE)


@pytest.mark.parametrize(
    "start, end, step, changes, expected",
    [
        (D(2020, 1, 1), D(2020, 10, 1), "changes", [D(2019, 1, 1), D(2020, 3, 26), D(2020, 4, 1)],
         ["2020-01-01", "2020-03-26", "2020-04-01", "2020-10-01"]),
        (D(2020, 1, 1), D(2020, 4, 1), "changes", [D(2020, 1, 1), D(2020, 4, 1)],
         ["2020-01-01", "2020-04-01"]),  # a change on either end is one frame, not two
        (D(2020, 1, 1), D(2020, 1, 20), "week", [], ["2020-01-01", "2020-01-08", "2020-01-15",
                                                     "2020-01-20"]),
        (D(2020, 1, 1), D(2020, 1, 15), "week", [], ["2020-01-01", "2020-01-08", "2020-01-15"]),
        (D(2019, 11, 30), D(2020, 3, 1), "month", [], ["2019-11-30", "2019-12-30", "2020-01-30",
                                                       "2020-02-29", "2020-03-01"]),
        (D(2020, 5, 5), D(2020, 5, 5), "month", [], ["2020-05-05"]),
    ],
    ids=["changes", "change-on-ends", "week-partial", "week-exact", "month-short", "one-day"],
)  # fmt: skip
def test_frame_dates(start, end, step, changes, expected):
    assert [str(d) for d in frame_dates(start, end, step, changes)] == expected


@pytest.mark.parametrize(
    "start, end, step, message",
    [(D(2020, 2, 1), D(2020, 1, 1), "week", "ends (2020-01-01) before it starts"),
     (D(2020, 1, 1), D(2020, 2, 1), "day", "unknown step 'day'")],
)  # fmt: skip
def test_frame_dates_refuse(start, end, step, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        frame_dates(start, end, step)


def status_change_dates(start: D, end: D) -> list[D]:
    """The fixture's status rows between two dates, read from its CSV (no code of ours)."""
    with open(THEATRE / "events.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] and not r["alternative_to"]]
    return sorted({D.fromisoformat(r["date"]) for r in rows} & {
        start + dt.timedelta(days=n) for n in range(1, (end - start).days)})  # fmt: skip


def test_animation_steps_through_the_datasets_status_changes():
    start, end = D(2020, 1, 1), D(2020, 10, 1)
    got = export.animation_dates(DS, start, end, "changes")
    assert got == [start, *status_change_dates(start, end), end]
    assert len(got) > 2  # the fixture changes in between


def pngs(colours, size=(64, 48)) -> list[bytes]:
    out = []
    for c in colours:
        b = io.BytesIO()
        Image.new("RGB", size, c).save(b, "PNG")
        out.append(b.getvalue())
    return out


COLOURS = [(200, 30, 30), (30, 160, 30), (30, 30, 200)]


def nearest(pixel) -> int:
    """The index of the colour a decoded (lossy) pixel is closest to."""
    distance = [sum(abs(a - b) for a, b in zip(c, pixel, strict=True)) for c in COLOURS]
    return distance.index(min(distance))


def test_gif_holds_each_frame_then_the_last():
    gif = Image.open(io.BytesIO(encode(pngs(COLOURS), "gif", Timing(0.5, 2.5))))
    seen = []
    for i in range(gif.n_frames):
        gif.seek(i)
        seen.append((nearest(gif.convert("RGB").getpixel((5, 5))), gif.info["duration"]))
    assert seen == [(0, 500), (1, 500), (2, 2500)]
    assert gif.info.get("loop") == 0


@pytest.mark.parametrize("fmt", ["mp4", "webm"])
def test_video_shows_each_frame_for_its_time(fmt, tmp_path):
    path = tmp_path / f"a.{fmt}"
    path.write_bytes(encode(pngs(COLOURS), fmt, Timing(0.5, 2)))
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    assert meta["size"] == (64, 48) and meta["fps"] == VIDEO_FPS
    shown = [nearest(frame[:3]) for frame in reader]  # the first pixel of every video frame
    per_frame = [round(s * VIDEO_FPS) for s in (0.5, 0.5, 2)]
    assert shown == [i for i, n in enumerate(per_frame) for _ in range(n)]


@pytest.mark.parametrize(
    "frames, fmt, message",
    [(pngs(COLOURS[:1]) + pngs(COLOURS[:1], (32, 32)), "gif", "same size"),
     (pngs(COLOURS[:1], (63, 48)), "mp4", "sides must be even"),
     (pngs(COLOURS[:1]), "avi", "unknown animation format 'avi'"),
     ([], "gif", "at least one frame")],
)  # fmt: skip
def test_encode_refuses(frames, fmt, message):
    with pytest.raises(ValueError, match=message):
        encode(frames, fmt)


def test_too_many_frames_are_refused_before_any_is_drawn(monkeypatch):
    drawn = []
    monkeypatch.setattr(export, "render", lambda *a, **_: drawn.append(a))
    with pytest.raises(ValueError, match=f"more than {MAX_FRAMES}"):
        export.animation(DS, default_view(DS), "gif", D(2014, 1, 1), D(2025, 1, 1), "week")
    assert drawn == []


@pytest.mark.parametrize(
    "extra, message",
    [([], "--to is required"),
     (["--from", "2020-02-01", "--to", "2020-01-01"], "before it starts"),
     (["--from", "2010-01-01", "--to", "2020-01-01"], "within the data (2014-01-01 to")],
)  # fmt: skip
def test_cli_animation_problems_exit_2(extra, message, capsys, tmp_path):
    argv = ["export", "--format", "gif", "--out", str(tmp_path / "a.gif"), *extra, str(THEATRE)]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.gif").exists()


def test_cli_writes_a_video_of_the_view(tmp_path):
    out = tmp_path / "a.webm"
    argv = ["export", "--format", "webm", "--view", "view=brief&status=retained",
            "--from", "2020-03-27", "--to", "2020-03-31", "--seconds", "0.5", "--hold", "1",
            "--out", str(out), str(THEATRE)]  # fmt: skip
    assert main(argv) == 0
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == export.LAYOUTS["16x9"].size
    assert sum(1 for _ in reader) == round(0.5 * VIDEO_FPS) + round(1 * VIDEO_FPS)
