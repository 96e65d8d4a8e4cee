"""The present told honestly, on the fixture theatre: forecasts that fall due unreported, the
headline rule with its rivals and announced levels, where the sources stop, what the attack
layer is, coverage against reference counts, and the maintainer's worklist."""

import csv
import datetime as dt
import io
from dataclasses import replace

import pytest

from footprint import review
from footprint.briefing import coverage_lines, edge_notes, make_brief
from footprint.cli import main
from footprint.data import load_dataset
from footprint.estimates import headline_figures
from footprint.export.tables import sites_as_of, to_csv
from footprint.layers import layer
from footprint.view import default_view

from ..conftest import THEATRE

DS = load_dataset(THEATRE)
D = dt.date


@pytest.mark.parametrize(
    ("day", "status", "reported"),
    [
        (D(2024, 9, 26), "retained", "retained"),  # before the announcement
        (D(2025, 9, 30), "retained", "retained"),  # announced, not yet due (Sep 2025)
        (D(2025, 10, 1), "unconfirmed", "retained"),  # due, and nothing reported since
        (D(2026, 12, 7), "unconfirmed", "retained"),
    ],
)
def test_an_announced_end_falls_due_unreported(day, status, reported):
    india = DS.status_on(day).set_index("id").loc["india"]
    assert (india["status"], india["reported"]) == (status, reported)


def test_a_status_row_after_the_announcement_decides():
    """Juliett's end was announced for Sep 2025 and reported in Jun 2025: handed over, never
    unconfirmed."""
    tl = DS.timeline()
    assert "unconfirmed" not in set(tl.loc[tl["site_id"] == "juliett", "status"])
    assert DS.status_on(D(2026, 1, 1)).set_index("id").loc["juliett", "status"] == "handed_over"


def test_lapsed_sites_are_their_own_status_in_counts_and_change_dates():
    brief = make_brief(DS, replace(default_view(DS), asof=D(2025, 12, 1)))
    assert brief.counts["Unconfirmed"] == 2  # India, and Charlie's plan of 2020
    assert D(2025, 10, 1) in DS.change_dates()  # Previous/Next stop where India lapses


def test_the_export_says_when_a_status_is_unconfirmed():
    rows = {
        r["site_id"]: r
        for r in csv.DictReader(
            io.StringIO(to_csv(sites_as_of(DS, D(2025, 12, 1)), D(2025, 12, 1), "v"))
        )
    }
    india = rows["india"]
    assert (india["status"], india["reported_status"]) == ("unconfirmed", "retained")
    assert india["status_note"] == (
        "Unconfirmed: retained since Jan 2018; end announced for Sep 2025 · latest report Mar 2025"
    )
    assert rows["alpha"]["status_note"].startswith("Handed over since 26 Mar 2020")
    assert india["status_checked"] == "Checked 1 Nov 2026: Fixture Atlas (lead paragraph)"


def test_the_headline_rule_prefers_official_and_lists_the_rivals():
    """On 1 Jun 2025 the official 2,500 of Sep 2024 stands: the newer press figure is of low
    confidence, so it is a rival beneath it; the announced level is shown as announced."""
    (figure,) = headline_figures(DS, D(2025, 6, 1))
    assert figure.figure == "~2,500" and figure.source.startswith("27 Sep 2024, official")
    assert figure.rivals == ("~2,600 · 15 Jan 2025, reported, low confidence: Fixture Ministry",)
    assert figure.announced == "announced 27 Sep 2024: none by Sep 2025"
    assert not figure.lapsed


def test_an_announced_level_that_falls_due_unreported_is_said_so():
    (figure,) = headline_figures(DS, D(2025, 12, 1))
    assert figure.lapsed and figure.note.startswith("unconfirmed: latest figure 27 Sep 2024")


def test_past_the_last_source_the_map_says_so():
    shown = DS.status_on(D(2026, 12, 7))
    assert edge_notes(DS, shown, D(2026, 12, 7)) == (
        "Iraq: no source after 1 Dec 2025; the map shows the last reported state",
    )
    assert edge_notes(DS, shown, D(2025, 12, 1)) == ()  # the day of the last source


def test_the_attack_layer_says_what_it_is_and_gives_the_sources_totals():
    shown = DS.status_on(D(2020, 3, 1))
    attacks = layer("attacks")
    notes = attacks.notes(DS, shown, D(2020, 3, 1))
    assert notes[0].startswith("1 attack on these sites recorded in this dataset")
    assert "not a complete count" in notes[0]
    assert notes[1] == "Iraq, 1 Oct 2019 to 31 Mar 2020: 19 attacks (Fixture Ministry)"
    assert attacks.notes(DS, shown, D(2022, 1, 1))[1:] == ()  # no total overlaps that year


def test_coverage_compares_the_map_with_the_reference_count():
    present = DS.status_on(D(2020, 4, 1))
    here = present[~present["context"] & present["status"].eq("retained")]
    here = here[here["country"] == "IRQ"]
    assert coverage_lines(DS, D(2021, 1, 1)) == (
        f"Iraq, Apr 2020: {len(here)} sites here; Fixture Atlas counted 12",
    )
    assert coverage_lines(DS, D(2019, 1, 1)) == ()  # no count yet


def test_the_worklist_puts_lapsed_forecasts_and_unread_claims_first(theatre):
    path = theatre / "citations.csv"
    path.write_text(
        path.read_text().replace(
            "bravo_retained,atlas,yes,lead paragraph,", "bravo_retained,atlas,unread,,"
        ),
        encoding="utf-8",
    )
    path = theatre / "events.csv"
    path.write_text(
        path.read_text().replace(
            "Coalition advisers at Bravo.,,medium", "Coalition advisers at Bravo.,,low"
        )
    )
    ds = load_dataset(theatre)
    sections = {s.title: s for s in review.worklist(ds, D(2025, 12, 1))}
    unchecked = sections["Claims no one could check"].items
    assert unchecked == ("events.csv bravo_retained (confidence low): no copy read of atlas",)
    lapsed = sections["Forecasts past due with no follow-up"].items
    assert [item.split(" (")[0] for item in lapsed] == ["India Air Base", "Charlie planned site"]
    old = sections["Sites whose latest evidence is old on 1 Dec 2025"].items
    assert any(item.startswith("Bravo Camp (bravo)") for item in old)
    assert not any("Alpha" in item for item in old)  # handed over: old reports are no concern


def test_the_review_command_prints_the_worklist(capsys):
    assert main(["review", "--asof", "2025-12-01", str(THEATRE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worklist for 1 Dec 2025\n")
    assert "Forecasts past due with no follow-up (2)" in out
    assert "  - India Air Base (india): Unconfirmed: retained since Jan 2018" in out
