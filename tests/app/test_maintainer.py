"""A maintainer's day, as the README's *Maintaining the data* tells it: copy data/, add a site,
its event, a source and an estimate, validate, open the page, and see the site and the counts
follow. Nothing here pins the real data: the counts are read before the edit and after it."""

import datetime as dt
import re
import shutil

from streamlit.testing.v1 import AppTest

from footprint.data import load_dataset, validate

from ..conftest import DATA, ROOT

COUNT = re.compile(r'<div class="fp-count"><span>(.*?)</span><strong>(.*?)</strong>')
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
