"""How dates, figures and the age of a claim read, everywhere: page, briefing, exports."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
MONTH_NAMES = ("January February March April May June July August September October November "
               "December").split()  # fmt: skip
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def format_date(value: pd.Timestamp | dt.date | None, precision: str = "day") -> str:
    """A date as people read it, at its precision.

    >>> format_date(pd.Timestamp("2020-03-01"), "month"), format_date(dt.date(2020, 3, 26))
    ('Mar 2020', '26 Mar 2020')
    >>> format_date(pd.Timestamp("2015-01-01"), "year"), format_date(None)
    ('2015', '')
    """
    if value is None or pd.isna(value):
        return ""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def figure(low: int | None, best: int | None, high: int | None) -> str:
    """A troop figure as a person says it.

    >>> figure(None, 5200, None), figure(5000, None, 5500), figure(16000, None, None)
    ('~5,200', '5,000–5,500', 'more than 16,000')
    >>> figure(None, None, 50), figure(2000, 2500, 3000)
    ('up to 50', '~2,500 (2,000–3,000)')
    """
    if best is None and high is None:
        return f"more than {low:,}"
    if best is None and low is None:
        return f"up to {high:,}"
    if best is None:
        return f"{low:,}–{high:,}"
    if low is None and high is None:
        return f"~{best:,}"
    return (
        f"~{best:,} ({low if low is not None else best:,}–{high if high is not None else best:,})"
    )


def count_text(low, best, high) -> str:
    """A count as a person says it (no '~'), from cells that may be empty (NaN/NA/None).

    >>> count_text(165, None, None), count_text(None, 28.0, None)
    ('more than 165', '28')
    """
    value = lambda v: None if v is None or pd.isna(v) else int(v)  # noqa: E731
    return figure(value(low), value(best), value(high)).lstrip("~")


def handed_to(who: str) -> str:
    """', to <who>' for a handover; a lower-case entry says what became of a site nobody
    received, and reads as itself.

    >>> handed_to("Host Nation Army"), handed_to("vacated; another force moved in")
    (', to Host Nation Army', ', vacated; another force moved in')
    >>> handed_to("")
    ''
    """
    if not who:
        return ""
    return f", {who}" if who[0].islower() else f", to {who}"


def age_days(evidence: pd.Timestamp | dt.date, asof: dt.date) -> int:
    """Days from the date of the latest evidence to the date shown."""
    return (asof - pd.Timestamp(evidence).date()).days


def evidence_note(
    evidence: pd.Timestamp | dt.date, precision: str, asof: dt.date, old: bool, what: str
) -> str:
    """The date of a claim's latest evidence, and its age when it is `old` for the date shown
    (Theatre.is_old decides).

    >>> evidence_note(pd.Timestamp("2021-12-09"), "day", dt.date(2026, 11, 30), True, "figure")
    'latest figure 9 Dec 2021, 4 years before the date shown'
    >>> evidence_note(pd.Timestamp("2020-03-01"), "month", dt.date(2020, 4, 5), False, "report")
    'latest report Mar 2020'
    """
    note = f"latest {what} {format_date(evidence, precision)}"
    if not old:
        return note
    return f"{note}, {span(age_days(evidence, asof))} before the date shown"


def plural(n: int, thing: str) -> str:
    """A count of things in words.

    >>> plural(1, "context site"), plural(0, "site"), plural(1200, "site")
    ('1 context site', '0 sites', '1,200 sites')
    """
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def span(days: int) -> str:
    """A long stretch of days in the largest whole unit.

    >>> span(400), span(800), span(70), span(1)
    ('1 year', '2 years', '2 months', '1 day')
    """
    for unit, size in (("year", 365), ("month", 30), ("day", 1)):
        if days >= size:
            n = days // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "0 days"


def read_day(text: str) -> tuple[dt.date | None, str]:
    """A YYYY-MM-DD date, or what is wrong with it in a person's words ('' when nothing is).

    >>> read_day("2020-02-29")
    (datetime.date(2020, 2, 29), '')
    >>> read_day("2020-02-30")[1], read_day("2021-02-29")[1]
    ('30 February 2020 does not exist', '29 February 2021 does not exist')
    >>> read_day("2020-13-01")[1], read_day("2020-04-00")[1]
    ('there is no month 13 (2020-13-01)', 'there is no day 0 (2020-04-00)')
    >>> read_day("26/03/2020")[1]
    "'26/03/2020' is not a date in YYYY-MM-DD form"
    """
    m = _DAY.fullmatch(text)
    if not m:
        return None, f"{text[:40]!r} is not a date in YYYY-MM-DD form"
    year, month, day = map(int, m.groups())
    if not 1 <= month <= 12:
        return None, f"there is no month {month} ({text})"
    if day < 1:
        return None, f"there is no day {day} ({text})"
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, f"{day} {MONTH_NAMES[month - 1]} {year} does not exist"
