"""The briefing view's deck list (AppTest on the fixture theatre): views added as framed, in
the shape chosen under Export; reordered and removed; kept in the address, so a reload (a new
session on the same address) finds them; and the Export dialog's animation over time."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from footprint import export
from footprint.data import load_dataset

from ..conftest import THEATRE
from .conftest import run

pytestmark = pytest.mark.usefixtures("on_the_fixture")
DS = load_dataset(THEATRE)


def deck_lines(at: AppTest) -> list[str]:
    return at.query_params.get("deck", "").splitlines()


def listed(at: AppTest) -> list[str]:
    """The deck dialog's entries, as it lists them."""
    at.button(key="open_deck").click().run()
    return [m.value.replace("**", "") for m in at.markdown if m.value[2:3].isdigit()
            and ".** " in m.value[:7]]  # fmt: skip


def test_views_are_added_as_framed_in_the_chosen_shape_and_kept_in_the_address():
    at = run(view="brief", asof="2020-01-01", map="8/33.3/44.35")
    at.button(key="deck_add").click().run()
    at.text_input(key="title").set_value("Second").run()
    at.button(key="open_exports").click().run()
    at.get("button_group")[1].set_value("4x3").run()  # the Export dialog's shape
    at.button(key="deck_add").click().run()
    assert not at.exception
    assert deck_lines(at) == [
        "?asof=2020-01-01&view=brief&map=8/33.3/44.35 16x9",
        "?asof=2020-01-01&title=Second&view=brief&map=8/33.3/44.35 4x3",
    ]
    assert at.button(key="open_deck").label == "Deck (2)…"


def test_entries_are_reordered_and_removed():
    at = run(view="brief", deck="?title=A 16x9\n?title=B a4\n?title=C 4x3")
    assert listed(at)[0].startswith("1. A · As of")
    at.button(key="deck_down_0").click().run()
    assert [line.split()[0] for line in deck_lines(at)] == ["?title=B", "?title=A", "?title=C"]
    listed(at)
    at.button(key="deck_up_2").click().run()
    assert [line.split()[0] for line in deck_lines(at)] == ["?title=B", "?title=C", "?title=A"]
    listed(at)
    at.button(key="deck_remove_1").click().run()
    assert deck_lines(at) == ["?title=B a4", "?title=A 16x9"]
    listed(at)
    at.button(key="deck_remove_0").click().run()
    listed(at)
    at.button(key="deck_remove_0").click().run()
    assert "deck" not in at.query_params


def test_a_reload_finds_the_list_and_names_lines_it_cannot_use():
    at = run(view="brief", deck="?asof=2020-04-05&title=Kept 4x3\n?title=Bad 16:9")
    assert not at.exception
    assert listed(at) == ["1. Kept · As of 5 Apr 2020 · whole theatre · 4\\:3 slide"]
    warnings = [w.value.replace("\\", "") for w in at.warning]  # shown as text, escaped
    assert any("line 2: unknown shape '16:9'" in w for w in warnings)
    keys = {b.key for b in at.get("download_button")}
    assert {"deck_pptx", "deck_pdf", "deck_save"} <= keys


def test_the_list_stays_in_the_address_in_the_explorer():
    at = run(view="brief", deck="?title=Kept 16x9")
    at.button(key="exit_brief").click().run()
    assert deck_lines(at) == ["?title=Kept 16x9"]


def test_the_export_dialog_animates_the_view_over_time():
    at = run(view="brief", asof="2020-01-01")
    at.session_state["anim_on"] = True  # AppTest reruns the page, closing the dialog, per click
    at.button(key="open_exports").click().run()
    start, end = dt.date(2020, 1, 1), dt.date(2020, 7, 1)  # the view's date, and half a year on
    assert at.date_input(key="anim_to").value == end
    dates = export.animation_dates(DS, start, end, "changes")
    assert any(c.value.startswith(f"{len(dates)} frames, 1 Jan 2020 to 1 Jul 2020")
               for c in at.caption)  # fmt: skip
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert {"gif_animation": "GIF", "mp4_animation": "MP4 video"}.items() <= buttons.items()
