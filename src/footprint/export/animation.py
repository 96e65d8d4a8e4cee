"""The footprint over time: the briefing picture of a view on a run of dates, as a GIF or a
video (MP4 or WebM).

Each frame is the view's picture as `footprint.export.render` draws it on one date, so it
carries that date's stamp and counts; nothing here draws or counts on its own. The dates step
through the status changes, weeks or months between two dates; each frame shows for the
same time and the last one holds longer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

STEPS = {"changes": "status changes", "week": "weeks", "month": "months"}
MOVIES = {
    "gif": ("image/gif", "gif"),
    "mp4": ("video/mp4", "mp4"),
    "webm": ("video/webm", "webm"),
}
MAX_FRAMES = 120  # about ten minutes of rendering on a two-core machine
VIDEO_FPS = 4  # a video shows each picture for a whole number of quarter seconds
# ffmpeg (inside the imageio-ffmpeg wheel) per video format: codec and its options. Text on a
# still picture wants a low constant quality factor; +faststart lets a browser play at once.
VIDEO_CODECS = {
    "mp4": ("libx264", ["-crf", "18", "-tune", "stillimage", "-movflags", "+faststart"]),
    "webm": ("libvpx-vp9", ["-crf", "24", "-b:v", "0", "-deadline", "good", "-cpu-used", "4"]),
}


@dataclass(frozen=True)
class Timing:
    """How long each frame shows, and how long the last one holds, in seconds."""

    seconds: float = 1.0
    hold: float = 3.0

    def durations(self, n: int) -> list[float]:
        """Each of `n` frames' time on screen: the last holds (never shorter than the others).

        >>> Timing(0.5, 2).durations(3)
        [0.5, 0.5, 2]
        """
        return [self.seconds] * (n - 1) + [max(self.seconds, self.hold)] if n else []


DEFAULT_TIMING = Timing()


def frame_dates(start: dt.date, end: dt.date, step: str, changes: Sequence[dt.date] = ()):
    """The dates of the frames from `start` to `end`, both included: by `step` 'changes'
    (every date in `changes` between them), 'week' or 'month' (same day of each month, or
    the month's last day when it has no such day).

    >>> d = dt.date
    >>> frame_dates(d(2020, 1, 1), d(2020, 4, 1), "changes", [d(2019, 5, 1), d(2020, 3, 26)])
    [datetime.date(2020, 1, 1), datetime.date(2020, 3, 26), datetime.date(2020, 4, 1)]
    >>> [str(x) for x in frame_dates(d(2020, 1, 31), d(2020, 4, 15), "month")]
    ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-15']
    >>> len(frame_dates(d(2020, 1, 1), d(2020, 1, 29), "week"))
    5
    """
    if end < start:
        raise ValueError(f"the animation ends ({end}) before it starts ({start})")
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; choose one of: {', '.join(STEPS)}")
    if step == "changes":
        inner = sorted({d for d in changes if start < d < end})
    else:
        inner = list(_stepped(start, end, step))
    return [start, *inner, end] if end != start else [start]


def _stepped(start: dt.date, end: dt.date, step: str):
    """The dates after `start` and before `end`, a week or a month apart."""
    n = 1
    while (day := _after(start, step, n)) < end:
        yield day
        n += 1


def _after(start: dt.date, step: str, n: int) -> dt.date:
    if step == "week":
        return start + dt.timedelta(weeks=n)
    year, month = divmod(start.month - 1 + n, 12)
    year, month = start.year + year, month + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def pictures(render_png: Callable[[dt.date], bytes], dates: Sequence[dt.date]) -> list[bytes]:
    """The picture (PNG) of each date, in order; at most MAX_FRAMES."""
    if len(dates) > MAX_FRAMES:
        raise ValueError(
            f"{len(dates)} frames is more than {MAX_FRAMES}: choose a longer step or fewer dates"
        )
    return [render_png(day) for day in dates]


def encode(pngs: Sequence[bytes], fmt: str, timing: Timing = DEFAULT_TIMING) -> bytes:
    """PNG frames as one animation in `fmt` (a key of MOVIES), shown per `timing`."""
    if not pngs:
        raise ValueError("an animation needs at least one frame")
    frames = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    if len({f.size for f in frames}) > 1:
        raise ValueError("every frame must have the same size")
    if fmt == "gif":
        return to_gif(frames, timing)
    if fmt in VIDEO_CODECS:
        return to_video(frames, fmt, timing)
    raise ValueError(f"unknown animation format {fmt!r}; choose one of: {', '.join(MOVIES)}")


def to_gif(frames: list[Image.Image], timing: Timing) -> bytes:
    """An endlessly looping GIF, each frame for its duration (whole milliseconds)."""
    durations = [round(s * 1000) for s in timing.durations(len(frames))]
    # One adaptive palette per frame: the pictures are flat colours, well within 256.
    paletted = [f.quantize(colors=256, method=Image.Quantize.MEDIANCUT) for f in frames]
    out = io.BytesIO()
    paletted[0].save(out, "GIF", save_all=True, append_images=paletted[1:], duration=durations,
                     loop=0, optimize=False, disposal=1)  # fmt: skip
    return out.getvalue()


def to_video(frames: list[Image.Image], fmt: str, timing: Timing) -> bytes:
    """A video at VIDEO_FPS, each picture repeated for its duration (at least one frame)."""
    import imageio_ffmpeg  # imported here: only the video exports need ffmpeg

    codec, options = VIDEO_CODECS[fmt]
    size = frames[0].size
    if size[0] % 2 or size[1] % 2:
        raise ValueError(f"a video's sides must be even, not {size[0]} x {size[1]}")
    repeats = [max(1, round(s * VIDEO_FPS)) for s in timing.durations(len(frames))]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"animation.{fmt}")
        writer = imageio_ffmpeg.write_frames(path, size, fps=VIDEO_FPS, codec=codec,
                                             macro_block_size=2, output_params=options,
                                             ffmpeg_log_level="error")  # fmt: skip
        writer.send(None)
        for frame, n in zip(frames, repeats, strict=True):
            raw = frame.tobytes()
            for _ in range(n):
                writer.send(raw)
        writer.close()
        with open(path, "rb") as f:
            return f.read()


def animate(
    render_png: Callable[[dt.date], bytes], dates: Sequence[dt.date], fmt: str,
    timing: Timing = DEFAULT_TIMING,
) -> bytes:  # fmt: skip
    """The animation of the pictures `render_png` draws on each of `dates`."""
    return encode(pictures(render_png, dates), fmt, timing)
