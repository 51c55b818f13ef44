"""Classes of glyphs: CJK characters, kana, and glyphs a PDF prints without a Unicode mapping."""

from __future__ import annotations

import re

CID_PATTERN = re.compile(r"\(cid:\d+\)")
"""pdfminer's placeholder for a glyph with no Unicode mapping, e.g. ``(cid:1234)``."""

HIRAGANA = re.compile(r"[\u3041-\u309f]")
"""One hiragana (の, は, を…): sentences have many, names and table cells few."""
KANA_ONLY = re.compile(r"^[\u3040-\u30ff\s]+$")
"""A line of kana only: ふりがな printed above a word (ruby)."""
WORDLIKE = re.compile(r"[A-Za-z\u3040-\u30ff\u3400-\u9fff].*[A-Za-z\u3040-\u30ff\u3400-\u9fff]")
"""At least two letters, kana or kanji: a line that names something (not ① or －12－)."""


OPENING_BRACKETS = frozenset("（「『【〔［｛〈《")
"""Full-width opening brackets: the left half of their box is blank (　（１）)."""
CLOSING_BRACKETS = frozenset("）」』】〕］｝〉》、。，．")
"""Full-width closing brackets and stops: the right half of their box is blank."""


def is_cjk(char: str) -> bool:
    """True for characters written without spaces between them (kanji, kana, CJK punctuation).

    A glyph the PDF maps to several characters (ﬁ → fi, ㍿ → 株式会社) is judged by its first."""
    if not char:
        return False
    code = ord(char[0])
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x31F0 <= code <= 0x31FF
        or 0x2460 <= code <= 0x24FF  # ①…⑳
        or 0x25A0 <= code <= 0x25FF  # ■●◆ geometric shapes
        or 0x20000 <= code <= 0x2FFFF
    )


def count_unmapped(text: str) -> int:
    """Count glyphs that have no Unicode mapping: ``(cid:NN)`` runs and private-use characters."""
    if len(text) == 1:  # one character per glyph: the common case, checked per character of a page
        return 1 if "\ue000" <= text <= "\uf8ff" else 0
    return len(CID_PATTERN.findall(text)) + sum(1 for ch in text if 0xE000 <= ord(ch) <= 0xF8FF)


def is_mapped(text: str) -> bool:
    """False for an empty glyph, ``(cid:NN)`` or a private-use glyph (a Wingdings bullet, U+F09E)."""
    if len(text) == 1:  # the common case, without a regex
        return not 0xE000 <= ord(text) <= 0xF8FF
    return bool(text) and not count_unmapped(text)


def drop_unmapped(text: str) -> str:
    """Remove ``(cid:NN)`` placeholders and private-use glyphs from text."""
    text = CID_PATTERN.sub("", text)
    return "".join(ch for ch in text if not 0xE000 <= ord(ch) <= 0xF8FF)
