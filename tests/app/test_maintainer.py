"""A maintainer's day, as the README's *Maintaining the data* tells it: copy data/, add a site,
its event, a source and an estimate, validate, open the page, and see the site and the counts
follow. Nothing here pins the real data: the counts are read before the edit and after it."""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from footprint.data import load_dataset, validate

from ..conftest import DATA, ROOT

COUNT = re.compile(  # a count, or a figure that opens its words (a details element)
    r'<div class="fp-count">(?:<details><summary>)?<span>(.*?)</span><strong>(.*?)</strong>'
)
ROWS = {  # one row per file, as the README's steps add them
    "sources.csv": "maintainer_test_source,A test report,Test Wire,2020-03-15,"
    "https://example.org/test-report,news,Added by the maintainer test.",
    "sites.csv": "maintainer_test_camp,Maintainer Test Camp,,Test Camp,camp,IRQ,Baghdad,false,"
    "coalition,33.3152,44.3661,estimate,5,maintainer_test_source,Placed at the city centre.,",
    "events.csv": "maintainer_test_camp_retained,maintainer_test_camp,2020-03-01,month,retained,"
    "Coalition trainers at the test camp.,,low,,,,,",
    "estimates.csv": "maintainer_test_camp_2020,site,maintainer_test_camp,,2020-03-01,month,"
    "coalition,,120,,reported,About 120 trainers.,low,,",
    "citations.csv": "maintainer_test_camp_retained,maintainer_test_source,yes,2nd paragraph,"
    "2026-11-20,The report says coalition trainers work at the camp.\n"
    "maintainer_test_camp_2020,maintainer_test_source,yes,2nd paragraph,2026-11-20,"
    "The report puts about 120 trainers at the camp.",
}


def counts(at: AppTest) -> dict[str, str]:
    cells = (re.findall(COUNT, m.value) for m in at.markdown if 'class="fp-counts"' in m.value)
    return {name: figure for found in cells for name, figure in found}


def page(data_dir, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_adding_a_site_as_the_readme_says_keeps_everything_working(tmp_path, monkeypatch):
    data = shutil.copytree(DATA, tmp_path / "data")
    before = counts(page(data, monkeypatch, asof="2020-04-05"))
    for file, row in ROWS.items():
        with open(data / file, "a", encoding="utf-8") as f:
            f.write(row + "\n")
    assert [str(p) for p in validate(data)] == []  # `make check-data` says the data is valid
    ds = load_dataset(data)
    retained = ds.label("events", "status", "retained")
    at = page(data, monkeypatch, asof="2020-04-05", site="maintainer_test_camp")
    assert not at.exception
    after = counts(at)
    assert int(after[retained]) == int(before[retained]) + 1
    assert {k: v for k, v in after.items() if k != retained} == {
        k: v for k, v in before.items() if k != retained
    }
    text = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    assert "### Maintainer Test Camp" in text
    assert "About 120 trainers." in text and "https://example.org/test-report" in text
    assert "The report puts about 120 trainers at the camp." in text  # the checked citation
    assert dt.date(2020, 3, 1) in set(ds.change_dates())  # Previous/Next stop at the new event


LATER = {  # a federal-Iraq base held from 2015 and handed over in January 2026
    "sources.csv": "maintainer_later_source,A later report,Test Wire,2026-01-20,"
    "https://example.org/later-report,news,Added by the maintainer test.",
    "sites.csv": "maintainer_later_base,Maintainer Later Base,,,camp,IRQ,Al-Anbar,false,us,"
    "33.42,43.30,estimate,5,maintainer_later_source,Placed by the test.,",
    "events.csv": "maintainer_later_base_retained,maintainer_later_base,2015-03-01,month,retained,"
    "US advisers at the test base.,,low,,,,,\n"
    "maintainer_later_base_handover,maintainer_later_base,2026-01-15,day,handed_over,"
    "The test base was handed to the Iraqi army.,Iraqi Army,low,,,,,",
    "citations.csv": "maintainer_later_base_retained,maintainer_later_source,yes,3rd paragraph,"
    "2026-11-20,The report says US advisers were at the base from March 2015.\n"
    "maintainer_later_base_handover,maintainer_later_source,yes,lead paragraph,2026-11-20,"
    "The report says the base was handed to the Iraqi army on 15 January.",
}


def test_a_maintainers_valid_edit_keeps_the_data_tests_green(tmp_path):
    """The data tests state facts, not the whole data: run on a copy of data/ with two new
    sites (one from 2020, one handed over in January 2026 among the last departures), every
    one of them still passes."""
    data = shutil.copytree(DATA, tmp_path / "data")
    for rows in (ROWS, LATER):
        for file, row in rows.items():
            with open(data / file, "a", encoding="utf-8") as f:
                f.write(row + "\n")
    assert [str(p) for p in validate(data)] == []
    env = {**os.environ, "FOOTPRINT_TEST_DATA": str(data)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "data" / "test_dataset.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
