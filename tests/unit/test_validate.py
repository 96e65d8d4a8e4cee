"""The validator names file, line, column and problem for each kind of bad input."""

import datetime as dt
from pathlib import Path

import pytest

from footprint.csvfile import KNOCK_ON, report_lines
from footprint.data import DataError, load_dataset, validate

from ..conftest import MINI

TODAY = dt.date(2026, 11, 25)


def replace(file: str, old: str, new: str):
    """A mutation that replaces `old` (which must be present) by `new` in `file`."""

    def apply(d: Path) -> None:
        text = (d / file).read_text(encoding="utf-8")
        assert old in text, f"fixture text {old!r} not in {file}"
        (d / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write_bytes(file: str, data: bytes):
    def apply(d: Path) -> None:
        (d / file).write_bytes(data)

    return apply


def append(file: str, line: str):
    def apply(d: Path) -> None:
        with open(d / file, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return apply


def delete(file: str):
    return lambda d: (d / file).unlink()


HEADER = {  # each mini file's header row alone
    f: (MINI / f).read_bytes().split(b"\n", 1)[0] + b"\n"
    for f in ("sites.csv", "events.csv", "estimates.csv", "sources.csv")
}

# (id, mutation, expected file:line: column, expected words in the message)
CASES = [
    ("missing-column", replace("sites.csv", ",lat,lon,", ",lon,"), "sites.csv:1: lat", "missing"),
    (
        "unknown-column",
        replace("sites.csv", "notes\n", "notes,colour\n"),
        "sites.csv:1: colour",
        "unknown column",
    ),
    (
        "bad-date",
        replace("events.csv", "2020-03-26,day", "26/03/2020,day"),
        "events.csv:3: date",
        "YYYY-MM-DD",
    ),
    (
        "impossible-date",
        replace("events.csv", "2020-03-26,day", "2020-02-30,day"),
        "events.csv:3: date",
        "30 February 2020 does not exist",
    ),
    (
        "no-such-month",
        replace("events.csv", "2020-03-26,day", "2020-13-26,day"),
        "events.csv:3: date",
        "there is no month 13 (2020-13-26)",
    ),
    ("lat-136", replace("sites.csv", "35.7672", "136"), "sites.csv:2: lat", "above the maximum 90"),
    ("lat-text", replace("sites.csv", "35.7672", "35.7N"), "sites.csv:2: lat", "not a number"),
    ("lon-not-number", replace("sites.csv", "43.1251", "east"), "sites.csv:2: lon", "not a number"),
    (
        "outside-country",
        replace("sites.csv", "33.5294,44.2775", "33.5294,30.1"),
        "sites.csv:3: lon",
        "outside Iraq",
    ),
    (
        "unknown-status",
        replace(
            "events.csv", ",handed_over,Coalition transferred Q", ",closed,Coalition transferred Q"
        ),
        "events.csv:3: status",
        "'closed' is not allowed",
    ),
    (
        "duplicate-id",
        replace("sites.csv", "camp_taji,Camp Taji", "q_west,Camp Taji"),
        "sites.csv:3: id",
        "first on line 2",
    ),
    (
        "dangling-source",
        replace("citations.csv", "q_west_handover,mt_qwest,", "q_west_handover,nosuch_source,"),
        "citations.csv:3: source_id",
        "unknown id 'nosuch_source'",
    ),
    (
        "source-typo",
        replace("citations.csv", "q_west_handover,mt_qwest,", "q_west_handover,mt_qwset,"),
        "citations.csv:3: source_id",
        "unknown id 'mt_qwset': it is not in sources.csv; did you mean 'mt_qwest'?",
    ),
    (
        "dangling-site",
        replace("events.csv", "camp_taji_attack,camp_taji", "camp_taji_attack,camp_tajj"),
        "events.csv:5: site_id",
        "unknown id 'camp_tajj': it is not in sites.csv; did you mean 'camp_taji'?",
    ),
    (
        "low-gt-high",
        replace("estimates.csv", ",,300,2000,", ",2500,300,2000,"),
        "estimates.csv:4: best",
        "low 2500 is greater than best 300",
    ),
    (
        "javascript-url",
        replace("sources.csv", "https://en.wikipedia.org/wiki/Camp_Taji", "javascript:alert(1)"),
        "sources.csv:3: url",
        "not an http:// or https:// link",
    ),
    (
        "data-url",
        replace(
            "sources.csv", "https://ourairports.com/data/", "data:text/html;base64;PHNjcmlwdD4="
        ),
        "sources.csv:2: url",
        "http://",
    ),
    ("empty-file", write_bytes("events.csv", b""), "events.csv:1: -", "empty"),
    ("header-only-blank", write_bytes("estimates.csv", b"  \n\n"), "estimates.csv:1: -", "empty"),
    (
        "wrong-encoding",
        write_bytes("sources.csv", "id,title\nx,Caf\u00e9\n".encode("latin-1")),
        "sources.csv:2: -",
        "not valid UTF-8",
    ),
    (
        "stray-delimiter",
        replace("estimates.csv", "About 5200 US troops.", "About 5,200 US troops."),
        "estimates.csv:2: -",
        "has 16 fields but the header has 15",
    ),
    (
        "no-source",
        replace(
            "citations.csv",
            "taji_2020,wiki_taji,yes,lead paragraph,2026-11-01,Made-up "
            "source text for the tests; it states the claim.\n",
            "",
        ),
        "estimates.csv:4: id",
        "no citation: add a row to citations.csv",
    ),
    (
        "future-date",
        replace("events.csv", "2020-08-23,day", "2031-08-23,day"),
        "events.csv:6: date",
        "in the future",
    ),
    (
        "events-out-of-order",
        replace(
            "events.csv", "q_west_present,q_west,2016-10-01", "q_west_present,q_west,2021-10-01"
        ),
        "events.csv:3: date",
        "date order",
    ),
    (
        "missing-required",
        replace("sites.csv", ",air_base,IRQ,", ",,IRQ,"),
        "sites.csv:2: kind",
        "required",
    ),
    (
        "thousands-separator",
        replace("estimates.csv", ",,5200,,", ',,"5,200",,'),
        "estimates.csv:2: best",
        "not a whole number",
    ),
    (
        "estimate-without-radius",
        replace("sites.csv", "38.6178,sourced,", "38.6178,estimate,"),
        "sites.csv:4: uncertainty_km",
        "radius",
    ),
    (
        "site-scope-without-site",
        replace("estimates.csv", "taji_2020,site,camp_taji", "taji_2020,site,"),
        "estimates.csv:4: site_id",
        "required when scope is site",
    ),
    (
        "bad-boolean",
        replace("sites.csv", ",Baghdad,false,", ",Baghdad,yes,"),
        "sites.csv:3: context",
        "not true or false",
    ),
    (
        "dangling-alternative",
        replace("events.csv", "low,q_west_handover", "low,q_west_handove"),
        "events.csv:4: alternative_to",
        "unknown id",
    ),
    (
        "unknown-country",
        replace("sites.csv", ",SYR,", ",LBN,"),
        "sites.csv:4: country",
        "no bounds",
    ),
    (
        "control-character",
        replace("sites.csv", "Camp Taji,", "Camp\x07Taji,"),
        "sites.csv:3: name",
        "control character",
    ),
    (
        "bidi-override",
        replace("sites.csv", "Camp Taji,", "Camp \u202egnp.exe,"),
        "sites.csv:3: name",
        "bidirectional override",
    ),
    ("missing-file", delete("sources.csv"), "sources.csv:1: -", "missing"),
    ("unquoted-newline-row", append("sites.csv", "x"), "sites.csv:5: -", "has 1 fields"),
    (
        "header-without-rows",
        write_bytes("estimates.csv", HEADER["estimates.csv"]),
        "estimates.csv:2: -",
        "estimates.csv has a header but no rows",
    ),
    (
        "duplicate-name",
        replace("sites.csv", "camp_taji,Camp Taji,", "camp_taji,qayyarah airfield west,"),
        "sites.csv:3: name",
        "also the name on line 2",
    ),
    (
        "site-without-status",
        append(
            "sites.csv",
            "new_camp,New camp,,,camp,IRQ,Baghdad,false,,33.3,44.4,sourced,,wiki_taji,,",
        ),
        "sites.csv:5: id",
        "no event gives this site a status",
    ),
    (
        "history-starts-with-handover",
        replace("events.csv", "2016-10-01,month,retained,", "2016-10-01,month,,"),
        "events.csv:3: status",
        "begins with handed_over",
    ),
    (
        "governorate-not-the-polygon",
        replace("sites.csv", ",IRQ,Baghdad,false,", ",IRQ,Ninewa,false,"),
        "sites.csv:3: governorate",
        "'Ninewa' does not hold the point, which lies in Baghdad",
    ),
    (
        "governorate-missing",
        replace("sites.csv", ",IRQ,Ninewa,false,", ",IRQ,,false,"),
        "sites.csv:2: governorate",
        "is empty, but the point lies in Ninewa",
    ),
    (
        "governorate-outside-every-polygon",
        replace(
            "sites.csv",
            ",SYR,Rural Damascus,true,,33.5058,38.6178,",
            ",JOR,Rural Damascus,true,,31.95,35.93,",
        ),  # Amman: no polygon there
        "sites.csv:4: governorate",
        "lies in no polygon of governorates.geojson",
    ),
    (
        "uncited-source",
        append("sources.csv", "unused,Unused report,Nobody,,https://example.org/unused,news,"),
        "sources.csv:6: id",
        "source 'unused' is cited by no site or citation",
    ),
    (
        "source-before-event",
        replace("citations.csv", "camp_taji_handover,mt_taji,", "camp_taji_handover,mt_qwest,"),
        "citations.csv:6: source_id",
        "source 'mt_qwest' is dated 2020-03-26, before the date 2020-08-23 of event",
    ),
    (
        "source-before-figure",
        replace("citations.csv", "taji_2020,wiki_taji,", "taji_2020,mt_qwest,"),
        "citations.csv:11: source_id",
        "before the date 2020-08-23 of estimate taji_2020",
    ),
    (
        "citation-of-no-record",
        append("citations.csv", "q_west_handovr,mt_qwest,yes,lead,2026-11-01,Says so."),
        "citations.csv:12: record_id",
        "unknown record 'q_west_handovr': it is no id in events, estimates, tallies; did you mean "
        "'q_west_handover'?",
    ),
    (
        "citation-without-where",
        replace(
            "citations.csv",
            "q_west_handover,mt_qwest,yes,lead paragraph,",
            "q_west_handover,mt_qwest,yes,,",
        ),
        "citations.csv:3: where",
        "is required",
    ),
    (
        "citation-read-before-publication",
        replace(
            "citations.csv",
            "q_west_handover,mt_qwest,yes,lead paragraph,2026-11-01,",
            "q_west_handover,mt_qwest,yes,lead paragraph,2020-01-01,",
        ),
        "citations.csv:3: checked",
        "before source 'mt_qwest' was published",
    ),
    (
        "status-no-source-supports",
        replace("citations.csv", "q_west_handover,mt_qwest,yes,", "q_west_handover,mt_qwest,no,"),
        "events.csv:3: status",
        "no checked citation supports it",
    ),
    (
        "status-unread-but-confident",
        replace(
            "citations.csv", "q_west_handover,mt_qwest,yes,", "q_west_handover,mt_qwest,unread,"
        ),
        "events.csv:3: confidence",
        "no copy of its sources could be read",
    ),
    (
        "headline-figure-not-supported",
        replace("citations.csv", "iraq_us_2020,mt_qwest,yes,", "iraq_us_2020,mt_qwest,no,"),
        "estimates.csv:2: best",
        "no checked citation supports it",
    ),
    (
        "id-shared-by-event-and-estimate",
        replace("estimates.csv", "taji_2020,site,", "camp_taji_handover,site,"),
        "estimates.csv:4: id",
        "is also an id in events.csv",
    ),
    (
        "forecast-without-expects",
        replace(
            "events.csv",
            "elsewhere.,,low,q_west_handover,,,,",
            "elsewhere.,,low,q_west_handover,forecast,,,",
        ),
        "events.csv:4: expects",
        "a forecast says the status it expects",
    ),
    (
        "derived-status-written",
        replace("events.csv", "2020-08-23,day,handed_over,", "2020-08-23,day,unconfirmed,"),
        "events.csv:6: status",
        "derived by the dashboard, never written",
    ),
    (
        "due-without-precision",
        replace(
            "estimates.csv",
            "About 5200 US troops.,high,,",
            "About 5200 US troops.,high,2021-01-01,",
        ),
        "estimates.csv:2: due_precision",
        "due and due_precision go together",
    ),
    (
        "due-before-date",
        replace(
            "estimates.csv",
            "About 5200 US troops.,high,,",
            "About 5200 US troops.,high,2019-01-01,year",
        ),
        "estimates.csv:2: due",
        "is before the row's own date",
    ),
    (
        "a-sentence-copied",
        replace(
            "events.csv",
            "Coalition transferred Camp Taji.",
            '"It said ""the coalition has transferred Camp Taji to Iraqi forces today""."',
        ),
        "events.csv:6: summary",
        "quotes 10 words",
    ),
    (
        "cut-short-in-a-row",
        lambda d: (d / "sites.csv").write_text(
            (d / "sites.csv").read_text(encoding="utf-8").rstrip("\n").rsplit(",", 8)[0],
            encoding="utf-8",
        ),
        "sites.csv:4: -",
        "the file ends inside a row (8 of 16 fields and no line end): it was cut short",
    ),
    (
        "cut-short-in-a-quoted-text",
        lambda d: (d / "events.csv").write_text(
            (d / "events.csv").read_text(encoding="utf-8") + 'late,q_west,2021-01-01,day,,"Half a',
            encoding="utf-8",
        ),
        "events.csv:8: -",
        "the file ends inside a quoted text that opens on this line",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "where", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_named(mini: Path, mutate, where: str, words: str):
    mutate(mini)
    problems = [str(p) for p in validate(mini, today=TODAY)]
    hits = [p for p in problems if p.startswith(where + ":") and words in p]
    assert hits, f"expected '{where}: ...{words}...' in:\n" + "\n".join(problems)


def test_a_file_cut_short_is_named_once_with_no_knock_on_problems(mini: Path):
    """A sites.csv cut short mid-row gives one problem, naming the file and line, and none about
    the other files that cite its lost rows."""
    text = (mini / "sites.csv").read_text(encoding="utf-8")
    (mini / "sites.csv").write_text(text[: text.index("al_tanf_syria,Al-Tanf") + 30], "utf-8")
    problems = [str(p) for p in validate(mini, today=TODAY)]
    assert len(problems) == 1, problems
    assert problems[0].startswith("sites.csv:4: -: the file ends inside a row")


def test_every_problem_is_reported_at_once(mini: Path):
    replace("sites.csv", "35.7672", "136")(mini)
    replace("events.csv", "2020-03-26,day", "26/03/2020,day")(mini)
    replace("sources.csv", "https://ourairports.com/data/", "javascript:x")(mini)
    files = {p.file for p in validate(mini, today=TODAY)}
    assert files == {"sites.csv", "events.csv", "sources.csv"}


def test_problem_names_the_site(mini: Path):
    replace("events.csv", "2020-03-26,day", "2020-02-30,day")(mini)
    (problem,) = validate(mini, today=TODAY)
    assert str(problem).endswith("(event q_west_handover, site q_west)")


def test_load_raises_with_problems(mini: Path):
    replace("sites.csv", "35.7672", "136")(mini)
    with pytest.raises(DataError) as err:
        load_dataset(mini, today=TODAY)
    assert [p.column for p in err.value.problems] == ["lat"]


@pytest.mark.parametrize(
    "transform",
    [lambda b: b"\xef\xbb\xbf" + b, lambda b: b.replace(b"\n", b"\r\n")],
    ids=["bom", "crlf"],
)
def test_bom_and_windows_line_endings_are_accepted(mini: Path, transform):
    for f in mini.glob("*.csv"):
        f.write_bytes(transform(f.read_bytes()))
    assert validate(mini, today=TODAY) == []
    assert list(load_dataset(mini, today=TODAY).sites["id"])[:1] == ["q_west"]


def test_multiline_value_keeps_editor_line_numbers(mini: Path):
    replace(
        "sites.csv", "Rocket attacks 11 and 14 March 2020", '"Rocket attacks\non 11 and 14 March"'
    )(mini)
    replace("sites.csv", "33.5058", "99")(mini)
    (problem,) = validate(mini, today=TODAY)
    assert (problem.file, problem.line, problem.column) == ("sites.csv", 5, "lat")


def test_valid_mini_dataset_loads_typed(mini: Path):
    ds = load_dataset(mini, today=TODAY)
    assert ds.sites["lat"].dtype == float
    assert ds.events["date"].dt.year.tolist()[:2] == [2016, 2020]
    assert ds.sites.loc[ds.sites["id"] == "al_tanf_syria", "context"].item() is True
    assert ds.events["source_ids"].iloc[4] == ["mt_taji", "wiki_taji"]  # from citations.csv
    assert len(ds.version) == 12


def test_a_50_mb_csv_is_rejected_without_reading_it(mini: Path):
    with open(mini / "events.csv", "r+b") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, and nothing is loaded into memory
    problems = [str(p) for p in validate(mini, today=TODAY)]
    assert "events.csv:1: -: file is 50 MB, over the 20 MB limit" in problems


ALLOWED = [  # (id, a change the rules allow)
    (
        "context-site-without-status",
        lambda d: [
            replace(
                "events.csv",
                "al_tanf_present,al_tanf_syria,2016-03-01,month,retained,US "
                "garrison since March 2016.,,medium,,,,,\n",
                "",
            )(d),
            replace(
                "citations.csv",
                "al_tanf_present,wiki_taji,yes,lead paragraph,2026-11-01,"
                "Made-up source text for the tests; it states the claim.\n",
                "",
            )(d),
        ],
    ),
    (
        "forecast-reported-before-its-date",
        lambda d: [
            replace(
                "events.csv",
                "elsewhere.,,low,q_west_handover,,,,",
                "elsewhere.,,low,q_west_handover,forecast,handed_over,,",
            )(d),
            replace(
                "citations.csv",
                "q_west_handover_alt,wiki_taji,",
                "q_west_handover_alt,mt_qwest,",
            )(d),
        ],
    ),
]


@pytest.mark.parametrize("mutate", [a[1] for a in ALLOWED], ids=[a[0] for a in ALLOWED])
def test_allowed_by_the_rules(mini: Path, mutate):
    mutate(mini)
    assert [str(p) for p in validate(mini, today=TODAY)] == []


def test_the_shared_memo_is_safe_under_many_sessions(mini):
    """Sessions run on threads and share one Dataset: hammering its memo from 16 threads, past
    its size limit, gives every caller the value for its own key and never a KeyError."""
    import threading

    from footprint import data

    ds = load_dataset(mini, today=dt.date(2026, 11, 25))
    errors, wrong = [], []

    def hammer(worker: int) -> None:
        try:
            for i in range(400):
                key = ("n", (worker * 7 + i) % (data.MEMO_ENTRIES + 50))
                if ds.memo(key, lambda key=key: key[1] * 2) != key[1] * 2:
                    wrong.append(key)
                ds.status_on(dt.date(2020, 1, 1) + dt.timedelta(days=i % 40))
        except Exception as e:  # noqa: BLE001 - any error is the finding
            errors.append(repr(e))

    threads = [threading.Thread(target=hammer, args=(w,)) for w in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (errors, wrong) == ([], [])
    assert len(ds._memo) <= data.MEMO_ENTRIES


def test_the_memo_forgets_the_least_recently_used_entry_not_everything(mini, monkeypatch):
    """Past its limit the memo drops one entry, the one used least recently: a busy page's
    status tables survive a burst of other dates (it used to be cleared wholesale)."""
    from footprint import data

    monkeypatch.setattr(data, "MEMO_ENTRIES", 3)
    ds = load_dataset(mini, today=dt.date(2026, 11, 25))
    made = []
    get = lambda k: ds.memo(("k", k), lambda: made.append(k) or k)  # noqa: E731
    for k in (1, 2, 3, 1, 4):  # 1 used again, so 2 is the least recently used when 4 comes
        get(k)
    get(1), get(3), get(2)
    assert made == [1, 2, 3, 4, 2]


# (id, mutation, the cause as reported, the knock-on problem reported under it)
KNOCK_ONS = [
    (
        "site-id-typo-on-every-status-row",
        lambda d: [
            replace("events.csv", "camp_taji_attack,camp_taji,", "camp_taji_attack,camp_tajj,")(d),
            replace("events.csv", "camp_taji_handover,camp_taji,", "camp_taji_handover,camp_tajj,")(
                d
            ),
        ],
        "events.csv:5: site_id: unknown id 'camp_tajj': it is not in sites.csv; did you mean "
        "'camp_taji'?",
        "sites.csv:3: id: no event gives this site a status",
    ),
    (
        "site-id-typo-on-the-first-status-row",
        replace("events.csv", "q_west_present,q_west,", "q_west_present,q_wset,"),
        "events.csv:2: site_id: unknown id 'q_wset'",
        "events.csv:3: status: site q_west's status history begins with handed_over",
    ),
    (
        "status-row-with-an-impossible-date",
        replace(
            "events.csv", "q_west_present,q_west,2016-10-01", "q_west_present,q_west,2016-09-31"
        ),
        "events.csv:2: date: 31 September 2016 does not exist",
        "events.csv:3: status: site q_west's status history begins with handed_over",
    ),
    (
        "source-id-typo-in-its-only-citation",
        replace("citations.csv", "camp_taji_handover,mt_taji,", "camp_taji_handover,mt_tajj,"),
        "citations.csv:6: source_id: unknown id 'mt_tajj'",
        "sources.csv:5: id: source 'mt_taji' is cited by no site or citation",
    ),
    (
        "record-id-typo-in-events",
        replace("events.csv", "camp_taji_attack,camp_taji", "camp_taji_atack,camp_taji"),
        "citations.csv:5: record_id: unknown record 'camp_taji_attack'",
        "events.csv:5: id: no citation",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "cause", "knock_on"), [c[1:] for c in KNOCK_ONS], ids=[c[0] for c in KNOCK_ONS]
)
def test_a_knock_on_problem_is_reported_under_its_cause(mini: Path, mutate, cause, knock_on):
    """One mistake, one problem at the top level: what follows from it is indented beneath."""
    mutate(mini)
    lines = report_lines(validate(mini, today=TODAY))
    tops = [i for i, line in enumerate(lines) if line.startswith(cause)]
    assert len(tops) == 1, "\n".join(lines)
    below = lines[tops[0] + 1 :]
    assert below and below[0].startswith(KNOCK_ON + knock_on), "\n".join(lines)
    assert not any(line.startswith(knock_on) for line in lines), "reported beside its cause"
