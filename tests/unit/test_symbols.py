"""Issue 31: no meaning carried by an emoji or a symbol alone. Debian without an emoji font
(none is installed by default) draws emoji, and symbols outside its text fonts, as empty boxes:
the page's words and icons (Streamlit's own Material Symbols font, served by the app) carry it."""

import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = sorted(p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".js", ".css"))


def pictographic(c: str) -> bool:
    """An emoji, a variation selector asking for one, or a symbol Debian's text fonts may lack:
    'other symbols' (dingbats, shapes, pictographs), supplemental arrows, full-width forms."""
    n = ord(c)
    return (
        unicodedata.category(c) == "So"
        or 0x2900 <= n <= 0x2BFF
        or n == 0xFE0F
        or 0xFF00 <= n <= 0xFFEF
        or n >= 0x1F000
    )


def test_the_rule_knows_an_emoji_from_punctuation():
    assert all(map(pictographic, "🔗🗺⚠\ufe0f⤓◀▶▸✕＋"))
    assert not any(map(pictographic, "·—–…×→é ~"))


@pytest.mark.parametrize("path", [*CODE, ROOT / "app.py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_code_writes_no_emoji_or_symbol(path):
    found = [
        (n, c, f"U+{ord(c):04X}")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for c in line
        if pictographic(c)
    ]
    assert found == []
