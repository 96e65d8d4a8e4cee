"""A valid dataset whose every free-text cell carries a script-injection payload.

Used by the browser tests to prove nothing typed in a CSV runs, and that it shows literally.
"""

import csv
import io
import json
import shutil
from pathlib import Path

from footprint.schema import load_package

from .conftest import THEATRE

PAYLOADS = [
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
    '"><script>alert("script")</script>',
    "</script><script>alert('close')</script>",
    "<a href=\"javascript:alert('href')\">link</a>",
    "javascript:alert('scheme')",
    "<iframe src=\"data:text/html,<script>alert('frame')</script>\"></iframe>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<b onmouseover=alert('hover')>bold</b>",
    "<img src=x onerror=alert('unclosed')",
    "'-alert('quote')-'",
    "`${alert('template')}`",
    "[click](javascript:alert('md'))",
    ":red[styled] **bold** <u>u</u>",
    "\u05d0\u0644\u0639\u0631\u0628\u064a\u0629 mixed-direction text \u200f",
    "{{7*7}} {% raw %}",
    "<style>*{display:none}</style>",
    "<math><mi xlink:href=\"javascript:alert('math')\">m</mi></math>",
]
# Columns that hold free text (no enum, pattern or type that would reject a payload).
TEXT = {
    "sites": ["name", "name_ar", "aliases", "location_note", "notes"],
    "events": ["summary", "handed_to"],
    "estimates": ["area", "summary"],
    "sources": ["title", "publisher", "notes"],
}
HOSTILE_URL = 'https://example.org/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&x="><img/src=x/onerror=alert(2)>'


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


TITLE, CAVEAT = PAYLOADS[0], PAYLOADS[13]  # prefixed to the dataset's title and caveat
HEADLINE, KIND = PAYLOADS[2], PAYLOADS[8]  # prefixed to the headline and the kinds' labels


def make_hostile(dest: Path) -> Path:
    """Copy the fixture theatre to dest with a payload prefixed to every free-text cell, and to
    the title, caveat, headline and labels the page shows (still valid)."""
    shutil.copytree(THEATRE, dest)
    descriptor = dest / "datapackage.json"
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    raw["title"] = f"{TITLE} {raw['title']}"
    raw["footprint"]["caveat"] = f"{CAVEAT} {raw['footprint']['caveat']}"
    raw["footprint"]["headline"][0]["label"] = (
        f"{HEADLINE} {raw['footprint']['headline'][0]['label']}"
    )
    raw["footprint"]["context_label"] = f"{PAYLOADS[4]} {raw['footprint']['context_label']}"
    sites = next(r for r in raw["resources"] if r["name"] == "sites")
    kind = next(f for f in sites["schema"]["fields"] if f["name"] == "kind")
    for category in kind["categories"]:
        category["label"] = f"{KIND} {category['label']}"
    descriptor.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    package = load_package(dest)
    for name, columns in TEXT.items():
        table = package.table(name)
        path = dest / table.path
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for i, row in enumerate(rows):
            for j, col in enumerate(columns):
                if name == "events" and col == "handed_to" and row["status"] != "handed_over":
                    continue
                if name == "estimates" and col == "area" and not row["area"]:
                    continue
                # every payload reaches the page: the cells take them in turn
                row[col] = f"{payload(i * len(columns) + j)} {row[col]}".strip()[
                    : table.field(col).max_length or 10**6
                ]
            if name == "sources" and i % 5 == 0:
                row["url"] = HOSTILE_URL
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return dest
