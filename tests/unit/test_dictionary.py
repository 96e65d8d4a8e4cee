"""The data dictionary in data/README.md is generated from the schema and lists every column."""

from footprint.dictionary import dictionary_markdown, write_dictionary
from footprint.schema import load_package

from ..conftest import DATA


def test_readme_lists_every_column_of_every_file():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    package = load_package(DATA)
    missing = [
        f"{t.path}:{f.name}"
        for t in package.tables
        for f in t.fields
        if f"| `{f.name}` |" not in text.split(f"### `{t.path}`", 1)[-1]
    ]
    assert missing == []


def test_readme_dictionary_is_up_to_date(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text((DATA / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    write_dictionary(readme, load_package(DATA))
    assert readme.read_text(encoding="utf-8") == (DATA / "README.md").read_text(encoding="utf-8"), (
        "data/README.md is stale: run `make dictionary`"
    )


def test_dictionary_has_one_section_per_file():
    md = dictionary_markdown(load_package(DATA))
    assert [line for line in md.splitlines() if line.startswith("### ")] == [
        "### `sites.csv`",
        "### `events.csv`",
        "### `estimates.csv`",
        "### `tallies.csv`",
        "### `sources.csv`",
        "### `citations.csv`",
    ]
