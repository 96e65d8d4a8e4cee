"""Read CSV files and check each cell against its schema field.

Line numbers are those a text editor shows: the header is line 1, and a quoted value that
spans lines counts all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from footprint.schema import Field, Table
from footprint.text import read_day

MAX_FILE_BYTES = 20 * 1024 * 1024  # far above any real dataset; keeps memory bounded


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible.

    `line` is a line as an editor shows it, or, in a GeoJSON file (`unit` "feature"), the
    feature's number.

    >>> print(Problem("sites.csv", 3, "lat", "136 is above the maximum 90", "site k1"))
    sites.csv:3: lat: 136 is above the maximum 90 (site k1)
    >>> print(Problem("sites.geojson", 2, "kind", "'x' is not allowed", "k1", "feature"))
    sites.geojson: feature 2 (k1): kind: 'x' is not allowed
    """

    file: str
    line: int
    column: str
    message: str
    record: str = ""
    unit: str = "line"
    cause: Problem | None = None  # the problem this one follows from (a knock-on): report_lines

    def __str__(self) -> str:
        record = f" ({self.record})" if self.record else ""
        if self.unit == "feature":
            return f"{self.file}: feature {self.line}{record}: {self.column}: {self.message}"
        return f"{self.file}:{self.line}: {self.column}: {self.message}{record}"


KNOCK_ON = "    and so: "  # how report_lines puts a knock-on problem under its cause


def report_lines(problems: list[Problem]) -> list[str]:
    """The problems as lines to read, each knock-on problem indented under its cause.

    >>> cause = Problem("events.csv", 5, "site_id", "unknown id 'k2'")
    >>> after = Problem("sites.csv", 3, "id", "no status", cause=cause)
    >>> for line in report_lines([after, cause]): print(line)
    events.csv:5: site_id: unknown id 'k2'
        and so: sites.csv:3: id: no status
    """
    causes = set(problems)
    under: dict[Problem, list[Problem]] = {}
    for p in problems:
        root = p
        while root.cause in causes and root.cause is not p:  # a knock-on of a knock-on
            root = root.cause
        if root is not p:
            under.setdefault(root, []).append(p)
    lines = []
    for p in problems:
        if p.cause not in causes:
            lines.append(str(p))
            lines += [KNOCK_ON + str(k) for k in under.get(p, [])]
    return lines


@dataclass
class RawTable:
    """A table's rows as stripped strings, with where each row starts: the editor line of a CSV
    row, or the number of a GeoJSON feature (`unit` "feature"), in `file`."""

    table: Table
    rows: list[dict[str, str]]
    lines: list[int]
    file: str = ""
    unit: str = "line"
    whole: bool = True  # False when the file ends inside a row or a quoted text (cut short)
    parsed: dict = field(default_factory=dict, repr=False, compare=False)  # rules._get's memo

    def __post_init__(self) -> None:
        self.file = self.file or self.table.path

    def problem(self, i: int, column: str, message: str) -> Problem:
        """A problem with row i's `column`, located as its file locates rows."""
        return Problem(self.file, self.lines[i], column, message, self.record(i), self.unit)

    def where(self, i: int) -> str:
        """'line 12' or 'feature 3': how a message points at row i."""
        return f"{self.unit} {self.lines[i]}"

    def record(self, i: int) -> str:
        """A human label for row i, e.g. 'event k1_handover, site k1'."""
        row = self.rows[i]
        if self.unit == "feature":
            return row.get("id", "")
        parts = [f"{self.table.name.rstrip('s')} {row['id']}"] if row.get("id") else []
        if row.get("site_id"):
            parts.append(f"site {row['site_id']}")
        return ", ".join(parts)


# --- reading ------------------------------------------------------------------------------


def read_table(data_dir: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV file into a RawTable, reporting file-level and row-shape problems.

    An optional table (the schema's `optional`) may be missing or have no rows. A file that
    ends inside a row or a quoted text is reported as cut short, and its RawTable is not whole.
    """
    path = Path(data_dir) / table.path
    if table.optional and not path.exists():
        return RawTable(table, [], []), []
    text, problem = read_text(path, table.path)
    if not problem and not text.strip():
        problem = Problem(table.path, 1, "-", "file is empty: it needs at least the header row")
    if problem:
        return None, [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        return None, [Problem(table.path, 1, "-", f"cannot read the header: {e}")]
    problems = _header_problems(table, header)
    raw = RawTable(table, [], [])
    _read_rows(reader, header, raw, problems)
    cut = cut_short(text, table.path, len(header))
    if cut is not None:
        raw.whole = False
        problems = [cut, *(p for p in problems if p.line < cut.line)]
    if not raw.rows and not table.optional and not any(p.line > 1 for p in problems):
        msg = f"{table.path} has a header but no rows; add at least one"
        problems.append(Problem(table.path, 2, "-", msg))
    return raw, problems


def cut_short(text: str, name: str, fields: int) -> Problem | None:
    r"""The problem of a CSV text that stops inside a quoted text or inside a row, if it does.

    >>> p = cut_short('id,note\nk1,"half a sen', "sites.csv", 2)
    >>> p.line, p.message[:62]
    (2, 'the file ends inside a quoted text that opens on this line: it')
    >>> cut_short("id,lat,lon\nk1,35.5", "sites.csv", 3).message[:58]
    'the file ends inside a row (2 of 3 fields and no line end)'
    >>> cut_short("id,lat\nk1,35.5\n", "sites.csv", 2) is None
    True
    """
    wait = "the checks across files wait until it is whole"
    if text.count('"') % 2:  # a quoted text is still open at the end (rare: scan only then)
        line, opened, inside = 1, 0, False
        for ch in text:
            if ch == '"':
                inside, opened = not inside, line if not inside else opened
            elif ch == "\n":
                line += 1
        msg = "the file ends inside a quoted text that opens on this line: it was cut short"
        return Problem(name, opened, "-", f'{msg} (or a closing " is missing); {wait}')
    if text.endswith(("\n", "\r")):
        return None
    cells = next(csv.reader([text.splitlines()[-1]]), [])
    if len(cells) >= fields:
        return None
    msg = f"the file ends inside a row ({len(cells)} of {fields} fields and no line end)"
    return Problem(name, text.count("\n") + 1, "-", f"{msg}: it was cut short; {wait}")


def read_text(path: Path, name: str) -> tuple[str, Problem | None]:
    """A data file's text, or the problem that stops it being read (named `name`): missing,
    unreadable, over MAX_FILE_BYTES, or not UTF-8 (the line of the first bad byte)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            mb = size / 2**20
            limit = MAX_FILE_BYTES // 2**20
            return "", Problem(name, 1, "-", f"file is {mb:.0f} MB, over the {limit} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        return "", Problem(name, 1, "-", "file is missing")
    except OSError as e:
        return "", Problem(name, 1, "-", f"cannot read the file: {e.strerror}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        bad = data[e.start : e.start + 1].hex()
        msg = f"not valid UTF-8 (byte 0x{bad}); save the file as UTF-8"
        return "", Problem(name, line, "-", msg)
    return text, None


def _header_problems(table: Table, header: list[str]) -> list[Problem]:
    out = []
    for name in table.columns:
        if name not in header:
            out.append(Problem(table.path, 1, name, "required column is missing from the header"))
    for name in header:
        if name not in table.columns:
            known = ", ".join(table.columns)
            msg = f"unknown column '{name}' (expected: {known})"
            out.append(Problem(table.path, 1, name or "-", msg))
        elif header.count(name) > 1:
            out.append(Problem(table.path, 1, name, "column appears more than once"))
    return list(dict.fromkeys(out))


def _read_rows(reader, header: list[str], raw: RawTable, problems: list[Problem]) -> None:
    path = raw.table.path
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.append(Problem(path, start, "-", f"cannot parse this row: {e}"))
            return
        if cells and any(c.strip() for c in cells):
            if len(cells) != len(header):
                msg = (
                    f"row has {len(cells)} fields but the header has {len(header)} "
                    "(a stray comma, or a text with a comma that needs double quotes?)"
                )
                problems.append(Problem(path, start, "-", msg))
            else:
                raw.rows.append({h: c.strip() for h, c in zip(header, cells, strict=True)})
                raw.lines.append(start)
        start = reader.line_num + 1


# --- cell checks ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embedding/override/isolate controls can make text display as something else
# ("gnp.exe" shown as "exe.png"); real Arabic or mixed text does not need them.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def check_cell(field: Field, value: str) -> list[str]:
    """Messages for one cell against its field; empty when the value is fine.

    >>> check_cell(Field("lat", "number", minimum=-90, maximum=90), "136")
    ['136 is above the maximum 90']
    >>> check_cell(Field("status", "string", enum=("planned", "retained")), "closed")
    ["'closed' is not allowed; use one of: planned, retained"]
    """
    if value == "":
        return ["is required but empty"] if field.required else []
    if _CONTROL.search(value):
        return ["contains a control character (invisible byte); retype the value"]
    if _BIDI.search(value):
        return ["contains a bidirectional override character (U+202A-202E, U+2066-2069); remove it"]
    if field.type == "list":
        items = split_list(value, field.delimiter)
        if field.required and not items:
            return ["needs at least one item"]
        return [m for item in items for m in _check_scalar(field, item)]
    return _check_scalar(field, value)


def _check_scalar(field: Field, value: str) -> list[str]:
    parsed, error = _parse(field, value)
    if error:
        return [error]
    out = []
    if field.enum and value not in field.enum:
        out.append(f"'{value}' is not allowed; use one of: {', '.join(field.enum)}")
    if field.pattern and not re.fullmatch(field.pattern, value):
        out.append(f"'{value}' does not match the pattern {field.pattern}")
    if field.minimum is not None and parsed < field.minimum:
        out.append(f"{value} is below the minimum {field.minimum:g}")
    if field.maximum is not None and parsed > field.maximum:
        out.append(f"{value} is above the maximum {field.maximum:g}")
    if field.max_length and len(value) > field.max_length:
        out.append(f"is {len(value)} characters long; the limit is {field.max_length}")
    return out


def _parse(field: Field, value: str):
    """Parse a scalar; return (value, None) or (None, message)."""
    try:
        return PARSERS.get(field.type, _parse_string)(value, field), None
    except ValueError as e:
        return None, str(e)


def _parse_string(value: str, field: Field) -> str:
    if field.format == "uri":
        _check_url(value)
    return value


def _check_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{value[:60]}' is not an http:// or https:// link")
    if any(c.isspace() for c in value):
        raise ValueError("link contains spaces; encode them as %20")


def _parse_number(value: str, _field: Field) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a number (use a dot for decimals)") from None
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def _parse_integer(value: str, _field: Field) -> int:
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(f"'{value}' is not a whole number (write digits only, e.g. 5200)")
    return int(value)


def _parse_date(value: str, _field: Field) -> dt.date:
    day, problem = read_day(value)
    if day is None:
        raise ValueError(problem)
    return day


def _parse_boolean(value: str, _field: Field) -> bool:
    if value not in ("true", "false"):
        raise ValueError(f"'{value}' is not true or false")
    return value == "true"


PARSERS = {
    "number": _parse_number,
    "integer": _parse_integer,
    "date": _parse_date,
    "boolean": _parse_boolean,
}


def split_list(value: str, delimiter: str | None = ";") -> list[str]:
    """Split a list cell into stripped, non-empty items.

    >>> split_list(" a; b ;;c ")
    ['a', 'b', 'c']
    """
    return [item.strip() for item in value.split(delimiter or ";") if item.strip()]


def cell_problems(raw: RawTable) -> Iterator[Problem]:
    """Type, constraint and uniqueness problems of every cell in a table."""
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(raw.rows):
        for f in raw.table.fields:
            value = row.get(f.name)
            if value is None:
                continue  # column missing: reported once, at the header
            for msg in check_cell(f, value):
                yield raw.problem(i, f.name, msg)
            if f.unique and value:
                if (f.name, value) in seen:
                    first = raw.where(seen[(f.name, value)])
                    yield raw.problem(i, f.name, f"'{value}' is used again; first on {first}")
                seen.setdefault((f.name, value), i)
