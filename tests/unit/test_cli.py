"""The command line: exit codes, problem lines, exports on a date."""

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from footprint.cli import main
from footprint.data import load_dataset
from footprint.export import sites_as_of

ROOT = Path(__file__).resolve().parents[2]


COMMAND = Path(sys.executable).parent / "footprint"  # installed by `make` (pyproject's scripts)


def run(*args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `footprint` command as a user would, in a subprocess, from the installed package
    (no PYTHONPATH: the package is installed into the environment)."""
    env = {"PATH": "/usr/bin:/bin"}
    if env_dir:
        env["FOOTPRINT_DATA_DIR"] = str(env_dir)
    return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, env=env)


def test_validate_ok(mini: Path):
    r = run("validate", str(mini))
    assert (r.returncode, r.stdout.startswith("ok:")) == (0, True)


def test_validate_bad_data_exit_1_one_line_per_problem_no_traceback(mini: Path):
    (mini / "sites.csv").write_text(
        (mini / "sites.csv").read_text().replace("35.7672", "136").replace("33.5294", "-91")
    )
    r = run("validate", str(mini))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "sites.csv:2: lat: 136 is above the maximum 90 (site q_west)",
        "sites.csv:3: lat: -91 is below the minimum -90 (site camp_taji)",
    ]
    assert "Traceback" not in r.stderr


def test_env_var_selects_dataset(mini: Path):
    (mini / "events.csv").write_bytes(b"")
    r = run("validate", env_dir=mini)
    assert r.returncode == 1 and "events.csv:1: -: file is empty" in r.stdout


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["export", "--format", "kml", "--asof", "2020-01-01"],
        ["export", "--format", "csv", "--asof", "27/03/2020"],
        ["export", "--format", "png", "--size", "1000"],
        ["export", "--format", "pdf", "--shape", "letter"],
        ["export", "--format", "svg", "--frame", "everything"],
    ],
    ids=[
        "no-command",
        "unknown-command",
        "unknown-format",
        "bad-date",
        "bad-size",
        "bad-shape",
        "bad-frame",
    ],
)
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2


def _statuses(csv_text: str) -> dict[str, str]:
    return {r["site_id"]: r["status"] for r in csv.DictReader(io.StringIO(csv_text))}


@pytest.mark.parametrize(
    ("asof", "expected"),
    [
        ("2020-03-25", {"q_west": "retained", "camp_taji": "retained"}),
        ("2020-03-26", {"q_west": "handed_over", "camp_taji": "retained"}),
        ("2020-08-23", {"q_west": "handed_over", "camp_taji": "handed_over"}),
        ("2015-06-01", {"q_west": "", "camp_taji": ""}),
    ],
)
def test_export_csv_status_on_date(mini: Path, asof, expected):
    r = run("export", "--format", "csv", "--asof", asof, str(mini))
    assert r.returncode == 0, r.stderr
    got = _statuses(r.stdout)
    assert {k: got[k] for k in expected} == expected


def test_export_geojson_to_file(mini: Path, tmp_path: Path):
    out = tmp_path / "sites.geojson"
    r = run("export", "--format", "geojson", "--asof", "2020-03-27", "--out", str(out), str(mini))
    assert r.returncode == 0 and r.stdout == ""
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["as_of"] == "2020-03-27"
    q = next(f for f in fc["features"] if f["properties"]["site_id"] == "q_west")
    assert q["geometry"] == {"type": "Point", "coordinates": [43.1251, 35.7672]}
    assert q["properties"]["status"] == "handed_over"


def test_export_of_invalid_data_fails_with_problems(mini: Path):
    (mini / "sources.csv").write_text("id\n")
    r = run("export", "--format", "csv", "--asof", "2020-03-27", str(mini))
    assert r.returncode == 1 and "sources.csv:1: title" in r.stderr and r.stdout == ""


def test_export_png_from_a_shareable_link(mini: Path, tmp_path: Path):
    out = tmp_path / "brief.png"
    link = "http://localhost:8501/?view=brief&asof=2020-03-27&title=Test"
    r = run("export", "--format", "png", "--view", link, "--out", str(out), str(mini))
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[16:24] == (1920).to_bytes(4, "big") + (
        1080
    ).to_bytes(4, "big")


def test_export_view_notices_go_to_stderr(mini: Path):
    r = run("export", "--format", "csv", "--view", "asof=someday&status=retained", str(mini))
    assert r.returncode == 0
    assert "ignored part of --view: asof" in r.stderr
    assert set(_statuses(r.stdout).values()) == {"retained"}


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_exports_round_trip(mini: Path, tmp_path: Path, fmt):
    out = tmp_path / f"sites.{fmt}"
    r = run("export", "--format", fmt, "--asof", "2020-03-27", "--out", str(out), str(mini))
    assert r.returncode == 0, r.stderr
    want = sites_as_of(load_dataset(mini), dt.date(2020, 3, 27))
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    else:
        rows = [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert [r["site_id"] for r in rows] == list(want["site_id"])
    assert [r["status"] for r in rows] == list(want["status"])
    assert [float(r["lat"]) for r in rows] == list(want["lat"])
    assert [r["name"] for r in rows] == list(want["name"])


@pytest.mark.parametrize(
    ("fmt", "shape", "frame", "size"),
    [("pdf", "a4", "map", (595.28, 841.89)), ("svg", "4x3", "theatre", (1440, 1080))],
)
def test_export_a_vector_picture_of_a_framed_link(tmp_path: Path, fmt, shape, frame, size):
    """--format pdf|svg, --shape and --frame: a standard page with the link's text in it, or an
    SVG the size of the layout; the whole theatre leaves the frame out of the printed link."""
    import pypdf

    out = tmp_path / f"brief.{fmt}"
    link = "http://localhost:8501/?view=brief&asof=2020-03-27&map=9/33.6/44.8"
    r = run("export", "--format", fmt, "--view", link, "--shape", shape, "--frame", frame,
            "--out", str(out), str(ROOT / "tests" / "fixtures" / "theatre"))  # fmt: skip
    assert r.returncode == 0, r.stderr
    if fmt == "pdf":
        page = pypdf.PdfReader(out).pages[0]
        assert (float(page.mediabox.width), float(page.mediabox.height)) == size
        text = page.extract_text().replace("\n", "")
        assert "http://localhost:8501/?asof=2020-03-27&view=brief&map=9/33.6/44.8" in text
    else:
        svg = out.read_text(encoding="utf-8")
        assert f'width="{size[0]}" height="{size[1]}"' in svg and "map=9/33.6" not in svg
        assert "?asof=2020-03-27&amp;view=brief" in svg  # the link, escaped as XML text
