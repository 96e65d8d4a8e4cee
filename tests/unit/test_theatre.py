"""The theatre lives in the data: configuration and labels are read from the descriptor, and
whatever is missing is a validation problem naming the file and line, never a crash."""

import ast
import json
import re
from pathlib import Path

import pytest

from footprint.data import DataError, load_dataset, validate
from footprint.theatre import read_theatre

from ..conftest import ELSEWHERE, ROOT, THEATRE


def edit_descriptor(d: Path, change) -> None:
    """Apply `change(descriptor dict)` to d/datapackage.json."""
    path = d / "datapackage.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")


def field(raw: dict, table: str, name: str) -> dict:
    resource = next(r for r in raw["resources"] if r["name"] == table)
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


def test_the_fixture_theatre_reads_as_typed_values():
    ds = load_dataset(THEATRE)
    t = ds.theatre
    assert (t.focus, t.frame, t.stale_after_days) == (("IRQ",), ("IRQ",), 365)
    assert [h.label for h in t.headlines] == ["US troops in the theatre"]
    assert [w.label for w in t.windows] == ["Drawdown"]
    assert t.frame_bbox() == (38.7, 29.0, 48.7, 37.4)
    assert ds.labels("events", "status") == {
        "retained": "Retained", "handed_over": "Handed over", "planned": "Planned",
        "unconfirmed": "Unconfirmed",
    }  # fmt: skip
    assert t.lapsed == "unconfirmed" and t.statuses_meaning("present") == ["retained"]


def test_a_theatre_that_is_not_iraq_has_its_own_title_headline_and_labels():
    ds = load_dataset(ELSEWHERE)
    assert ds.theatre.title == "Exercise sites in Kuwait (made up)"
    assert ds.theatre.focus == ("KWT",) and ds.theatre.country_name("KWT") == "Kuwait"
    assert [h.label for h in ds.theatre.headlines] == ["Exercise troops in Kuwait"]
    assert ds.labels("events", "status")["retained"] == "Occupied"
    assert ds.labels("sites", "kind") == {"depot": "Supply depot", "port": "Port facility"}


def test_period_end_today_follows_the_calendar(theatre):
    import datetime as dt

    edit_descriptor(theatre, lambda raw: raw["footprint"]["period"].update(end="today"))
    assert load_dataset(theatre).theatre.end == dt.date.today()


def _drop_label(raw):
    field(raw, "sites", "kind")["constraints"]["enum"].append("naval_base")


def _bare_category(raw):
    f = field(raw, "sites", "kind")
    f["constraints"]["enum"].append("naval_base")
    f["categories"].append("naval_base")


def _no_colour(raw):
    del field(raw, "events", "status")["categories"][0]["colour"]


def _bad_marker(raw):
    field(raw, "events", "status")["categories"][0]["marker"] = "star"


def _new_status_without_look(raw):
    f = field(raw, "events", "status")
    f["constraints"]["enum"].append("withdrawn")
    f["categories"].append({"value": "withdrawn", "label": "Withdrawn"})


def _headline_counted(raw):
    raw["footprint"]["headline"][0]["counted"] = "marines"


def _focus_without_box(raw):
    raw["footprint"]["focus"].append("OMN")


def _window_date(raw):
    raw["footprint"]["chart_windows"][0]["start"] = "spring 2020"


def _missing_key(raw):
    del raw["footprint"]["default_asof"]


# (id, change, expected column, words in the message)
CASES = [
    ("value-without-label", _drop_label, "sites.kind", "naval_base: allowed (enum) but has no"),
    ("bare-category", _bare_category, "sites.kind", "category 'naval_base' has no label"),
    ("status-without-colour", _no_colour, "events.status", "has no colour"),
    ("unknown-marker", _bad_marker, "events.status", "marker must be one of"),
    ("new-status-no-look", _new_status_without_look, "events.status", "'withdrawn' has no colour"),
    ("headline-counted", _headline_counted, "footprint.headline[0]", "counted 'marines' is not"),
    ("focus-without-box", _focus_without_box, "footprint.focus", "'OMN' has no box"),
    ("window-not-a-date", _window_date, "footprint.chart_windows", "is not a date"),
    ("missing-key", _missing_key, "footprint.default_asof", "is missing"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "column", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_configuration_problems_are_named(theatre, change, column, words):
    edit_descriptor(theatre, change)
    problems = [p for p in validate(theatre) if p.file == "datapackage.json"]
    assert any(p.column == column and words in p.message for p in problems), [
        str(p) for p in problems
    ]
    with pytest.raises(DataError):
        load_dataset(theatre)  # a dataset that cannot be drawn is never served


def test_a_problem_names_the_line_of_the_field(theatre):
    edit_descriptor(theatre, _drop_label)
    text = (theatre / "datapackage.json").read_text(encoding="utf-8").splitlines()
    problem = next(p for p in validate(theatre) if p.column == "sites.kind")
    assert '"name": "kind"' in text[problem.line - 1]
    sites = next(i for i, line in enumerate(text) if '"name": "sites"' in line)
    assert problem.line > sites + 1  # the sites table's kind, not another table's


def test_read_theatre_needs_nothing_but_the_package():
    ds = load_dataset(THEATRE)
    assert read_theatre(ds.package) == ds.theatre


# Words that would mean the code knows which theatre it draws (issue 18): a country code or
# name, or a headline written in code. The data and the tests may name them; src/ may not.
THEATRE_WORDS = re.compile(r"\bIRQ\b|\bSYR\b|Iraq|Syria|US troops|Kurdistan|Baghdad")


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".js")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_code_holds_no_theatre(path):
    found = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if THEATRE_WORDS.search(line)
    ]
    assert found == []


# The values of the coded columns whose meaning the code acts on: what a status means and what
# an event kind does are data (their categories' means and role), never a literal in src/.
VALUES = {"planned", "retained", "handed_over", "unconfirmed", "forecast", "attack"}


def _code_strings(path) -> list[tuple[int, str]]:
    """(line, text) of each string constant in a Python file's code, docstrings aside, or of
    each quoted string in a JavaScript file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return [(text.count("\n", 0, m.start()) + 1, m.group(2))
                for m in re.finditer(r"([\"'])([a-z_]+)\1", text)]  # fmt: skip
    tree = ast.parse(text)
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".js")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_code_holds_no_status_or_event_kind(path):
    """Issue 28: a new status or kind is a data change, so the code names none."""
    assert [(n, v) for n, v in _code_strings(path) if v in VALUES] == []
