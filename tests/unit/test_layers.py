"""Map layers are units registered in one line: each has its view parameter, its browser
records, its rules, its legend rows, its notes and its picture drawing (footprint.layers)."""

import datetime as dt
from dataclasses import replace

import pytest

from footprint import export
from footprint.briefing import make_brief
from footprint.data import load_dataset
from footprint.export.picture import briefing_picture
from footprint.layers import LAYERS, available, layer
from footprint.layers.figures import LABEL as FIGURES_LABEL
from footprint.layers.figures import radius
from footprint.view import default_view, to_query, view_from_query

from ..conftest import THEATRE

DS = load_dataset(THEATRE)


@pytest.mark.parametrize("unit", LAYERS, ids=[unit.key for unit in LAYERS])
def test_each_layer_is_a_whole_unit(unit):
    assert unit.key and unit.label and unit.script.is_file()
    assert f'addLayer("{unit.key}"' in unit.script.read_text(encoding="utf-8")
    assert unit.available(DS)  # the fixture has attacks and site figures
    assert unit.legend(DS) and unit.legend_vega(DS)


def test_a_layer_is_switched_on_by_its_own_parameter():
    view = view_from_query(DS, "asof=2020-04-05&figures=1&attacks=0")
    assert view.layers == ("figures",) and not view.notices
    assert to_query(view, default_view(DS))["figures"] == "1"
    assert view_from_query(DS, "figures=yes").notices == ("figures: 'yes' is not 0 or 1",)


def test_the_figure_layer_sends_each_sites_figures_for_every_date():
    shown = DS.status_on(dt.date(2020, 4, 5))
    figures = layer("figures").records(DS, shown)
    colour = next(c for c in DS.package.table("estimates").field("counted").categories
                  if c.value == "coalition").get("colour")  # fmt: skip
    assert figures == {
        "alpha": [["2020-01-01", "up to 1,500", radius(1500), colour, "US + coalition",
                   "Jan 2020", "Fixture Wire"]],
    }  # fmt: skip


def test_the_figure_layer_says_what_it_shows():
    view = replace(default_view(DS), layers=("figures",))
    brief = make_brief(DS, view)
    assert brief.layers == (
        "Troop figures at 1 of these sites (the latest on or before the date; circle area by "
        "figure), the largest up to 1,500 at Alpha Air Base (Jan 2020)",
    )
    early = make_brief(DS, replace(view, asof=dt.date(2019, 6, 1)))
    assert early.layers == ("No troop figure for these sites on or before the date",)


def test_a_picture_draws_the_layers_that_are_on_and_keys_them():
    view = replace(default_view(DS), layers=("figures", "attacks"))
    shown = DS.status_on(view.asof)
    brief = make_brief(DS, view, shown)
    on = briefing_picture(DS, brief, DS.layers_dir, view.asof, view.layers)
    off = briefing_picture(DS, brief, DS.layers_dir, view.asof, ())
    assert FIGURES_LABEL in str(on.chart.to_dict()) and FIGURES_LABEL not in str(
        off.chart.to_dict()
    )
    png = export.render(DS, view, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_only_the_layers_with_data_are_offered(theatre):
    est = theatre / "estimates.csv"
    est.write_text("\n".join(line for line in est.read_text().splitlines() if ",site," not in line)
                   + "\n")  # fmt: skip
    cites = theatre / "citations.csv"
    cites.write_text("\n".join(line for line in cites.read_text().splitlines()
                               if not line.startswith("alpha_2020,")) + "\n")  # fmt: skip
    assert [unit.key for unit in available(load_dataset(theatre))] == ["attacks"]
