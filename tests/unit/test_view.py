"""The map's frame in the link (`map=ZOOM/LAT/LON`): parsed, checked and written like every other
parameter, on the fixture theatre."""

import pytest

from footprint.data import load_dataset
from footprint.view import (
    MAP_ZOOM,
    View,
    choices,
    default_view,
    map_limits,
    to_query,
    view_from_query,
    view_link,
)

from ..conftest import THEATRE

DS = load_dataset(THEATRE)
WEST, SOUTH, EAST, NORTH = map_limits(DS)
MID_LAT, MID_LON = round((SOUTH + NORTH) / 2, 4), round((WEST + EAST) / 2, 4)


@pytest.mark.parametrize(
    ("value", "frame"),
    [
        (f"7/{MID_LAT}/{MID_LON}", (7.0, MID_LAT, MID_LON)),
        (f"8.25/{SOUTH}/{WEST}", (8.25, SOUTH, WEST)),  # the corners are inside
        (f"{MAP_ZOOM[1]:g}/{NORTH}/{EAST}", (MAP_ZOOM[1], NORTH, EAST)),
        (f"6%2F{MID_LAT}%2F{MID_LON}", (6.0, MID_LAT, MID_LON)),  # slashes as Streamlit writes
    ],
    ids=["centre", "south-west-corner", "north-east-corner-max-zoom", "encoded-slashes"],
)
def test_a_frame_in_the_link_is_read(value, frame):
    view = view_from_query(DS, f"?map={value}")
    assert (view.map, view.notices) == (frame, ())


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("7/33.3", "is not ZOOM/LAT/LON"),
        ("7/33.3/44.2/1", "is not ZOOM/LAT/LON"),
        ("seven/33.3/44.2", "is not ZOOM/LAT/LON"),
        ("nan/33.3/44.2", "is not ZOOM/LAT/LON"),
        ("7/inf/44.2", "is not ZOOM/LAT/LON"),
        (f"{MAP_ZOOM[0] - 1:g}/33.3/44.2", "is outside"),
        (f"{MAP_ZOOM[1] + 0.5:g}/33.3/44.2", "is outside"),
        (f"7/{NORTH + 1}/{MID_LON}", "outside the map"),
        (f"7/{MID_LAT}/{WEST - 1}", "outside the map"),
        ("7/<b>/44", "is not ZOOM/LAT/LON"),
        ("", "is not ZOOM/LAT/LON"),
    ],
    ids=["two-parts", "four-parts", "word", "nan", "inf", "zoom-low", "zoom-high", "north",
         "west", "markup", "empty"],
)  # fmt: skip
def test_a_frame_that_cannot_be_used_is_ignored_with_a_notice(value, words):
    view = view_from_query(DS, f"asof=2020-03-27&map={value}")
    assert view.map is None and view.asof.isoformat() == "2020-03-27"
    assert len(view.notices) == 1 and view.notices[0].startswith("map: ")
    assert words in view.notices[0]


@pytest.mark.parametrize(
    "query",
    [
        "map=7/33.3/44.25&asof=2020-04-05",
        "map=8.2/33.3125/44.2346&asof=2020-03-27",
        "asof=2020-03-27",
    ],
)
def test_the_frame_goes_round_the_link_unchanged(query):
    view = view_from_query(DS, query)
    written = to_query(view, default_view(DS))
    assert "&".join(f"{k}={v}" for k, v in sorted(written.items())) == "&".join(
        sorted(query.split("&"))
    )


def test_no_frame_is_the_default_view():
    assert default_view(DS).map is None and "map" not in to_query(
        default_view(DS), default_view(DS)
    )
    assert choices(DS)["map"] == (WEST, SOUTH, EAST, NORTH)


def test_a_link_always_carries_its_date():
    """Even the default date is written: the default moves with the data, a link must not."""
    default = default_view(DS)
    assert to_query(default, default) == {"asof": default.asof.isoformat()}


def test_every_view_field_is_one_setting_and_every_setting_goes_round_the_link():
    """SETTINGS is the one list of the view's settings: each View field is in it once (but the
    layers, each a parameter of its own, and the link's notices), and a view that differs from
    the default in every setting comes back from its link the same."""
    from dataclasses import fields, replace

    from footprint.view import SETTINGS

    named = [s.field for s in SETTINGS]
    assert sorted(named) == sorted(
        f.name for f in fields(View) if f.name not in ("layers", "notices")
    )
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    default = default_view(DS)
    c = choices(DS)
    every = replace(
        default,
        asof=max(c["asof"]), compare=min(c["asof"]), status=default.status[:1],
        governorate=tuple(sorted(c["governorate"]))[:1], kind=tuple(sorted(c["kind"]))[:1],
        country=tuple(sorted(c["country"]))[:1], q="al-", site=sorted(c["site"])[0],
        basemap=next(b for b in sorted(c["basemap"]) if b != default.basemap),
        labels=not default.labels, context=not default.context, title="A & B",
        mode="brief", map=(7.0, MID_LAT, MID_LON),
    )  # fmt: skip
    assert all(getattr(every, s.field) != getattr(default, s.field) for s in SETTINGS)
    assert list(to_query(every, default)) == [s.name for s in SETTINGS]
    back = view_from_query(DS, view_link(every, default))
    assert back == every and back.notices == ()
