"""Japanese text rules shared by every stage: normalization policy and line joining.

Policy (applied to every text we export):
- NFKC only on characters where it is safe: full-width ASCII digits, Latin letters and
  a few symbols become half-width (１０４ → 104, ＡＢＣ → ABC). Full-width Japanese
  punctuation that carries meaning in Japanese typesetting (（）「」、。：～ etc.) stays as
  printed, and half-width katakana becomes full-width.
- U+3000 (ideographic space) becomes an ASCII space; runs of spaces collapse to one.
- Spaces between a CJK character and a Latin letter or digit are typesetting (和欧間
  spacing, justification), not content, and are removed: 約 6 時間 → 約6時間,
  NPO 法人 → NPO法人. Spaces between two Latin words stay (Internet of Things), and so
  do spaces printed between two CJK words (本市 観光振興).
- ``(cid:NN)`` and private-use glyphs are never passed on as text: they are counted
  by the layout stage and reported as a page warning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CID_PATTERN = re.compile(r"\(cid:\d+\)")
"""pdfminer's placeholder for a glyph with no Unicode mapping, e.g. ``(cid:1234)``."""

_FULLWIDTH_ASCII = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
# Full-width forms that keep their Japanese shape: brackets, colon, tilde, comma-like marks.
_KEEP_FULLWIDTH = set("（）［］｛｝：；～！？＆＃％＊＠＼｜＜＞＝＋")
_FULLWIDTH_SAFE = {k: v for k, v in _FULLWIDTH_ASCII.items() if k not in _KEEP_FULLWIDTH}
# Full-width comma and period between digits are thousands separators / decimal points.
_DIGIT_COMMA = re.compile(r"(?<=\d)[，,](?=\d{3})")
_DIGIT_PERIOD = re.compile(r"(?<=\d)[．](?=\d)")
_HALFWIDTH_KATAKANA = re.compile(r"[\uff61-\uff9f]+")
# A space between CJK and a Latin letter/digit, either way round: "約 6" / "6 時間" / "NPO 法人".
_WA_OU_SPACE = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60\u3001-\u303f]) (?=[0-9A-Za-z])"
    r"|(?<=[0-9A-Za-z%]) (?=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60\u3001-\u303f])"
)
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b]+")


def normalize_text(text: str) -> str:
    """Apply the project's normalization policy to one string (see module docstring)."""
    if not text:
        return text
    text = text.translate(str.maketrans(_FULLWIDTH_SAFE))
    text = _DIGIT_COMMA.sub(",", text)
    text = _DIGIT_PERIOD.sub(".", text)
    # ｱｲｳ (half-width katakana) → アイウ
    text = _HALFWIDTH_KATAKANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SPACES.sub(" ", text)
    text = _WA_OU_SPACE.sub("", text)
    return text.strip()


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """A comparison key: full NFKC and no white space at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_cjk(char: str) -> bool:
    """True for characters written without spaces between them (kanji, kana, CJK punctuation)."""
    if not char:
        return False
    code = ord(char)
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


def join_wrapped_lines(lines: list[str]) -> str:
    """Join lines that wrap inside one paragraph or cell.

    No space is put between CJK characters (医療用セ / ンサー → 医療用センサー); a single
    space goes between two Latin words (Internet of / Things → Internet of Things); a word
    hyphenated at a line end loses its hyphen when both sides are Latin letters.
    """
    joined = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not joined:
            joined = line
            continue
        left, right = joined[-1], line[0]
        if left == "-" and len(joined) > 1 and joined[-2].isascii() and joined[-2].isalpha() and right.islower():
            joined = joined[:-1] + line  # hyphen-/ation → hyphenation
        elif left in "-/" and len(joined) > 1 and joined[-2].isalnum() and right.isalnum():
            joined += line  # COVID- / 19 → COVID-19
        elif is_cjk(left) or is_cjk(right):
            joined += line
        elif left.isdigit() and right.isdigit() or left in ",." and right.isdigit():
            joined += line  # a number wrapped at the line end: 20 / 19年 → 2019年
        else:
            joined += " " + line
    return joined


def remove_letter_spacing(text: str) -> str:
    """Undo letter-spacing used to fill a cell: 歳　入　合　計 → 歳入合計.

    Only applies when every space-separated piece is a single CJK character, so that
    normal phrases with spaces between words are left alone.
    """
    pieces = text.split()
    if len(pieces) >= 2 and all(len(p) == 1 and is_cjk(p) for p in pieces):
        return "".join(pieces)
    return text


def strip_cjk_spaces(text: str) -> str:
    """Remove spaces that sit between two CJK characters or between CJK and a digit.

    Justified Japanese lines come out of PDFs letter-spaced (平成 29 年 → 平成29年,
    本市 産業 → 本市産業). Spaces between two Latin words are kept.
    """
    return re.sub(
        r"(?<=\S) +(?=\S)",
        lambda m: _space_or_nothing(text, m.start(), m.end()),
        text,
    )


def _space_or_nothing(text: str, start: int, end: int) -> str:
    left, right = text[start - 1], text[end]
    if is_cjk(left) or is_cjk(right):
        return ""
    return " "


def count_unmapped(text: str) -> int:
    """Count glyphs that have no Unicode mapping: ``(cid:NN)`` runs and private-use characters."""
    if len(text) == 1:  # one character per glyph: the common case, checked per character of a page
        return 1 if "\ue000" <= text <= "\uf8ff" else 0
    return len(CID_PATTERN.findall(text)) + sum(1 for ch in text if 0xE000 <= ord(ch) <= 0xF8FF)


def drop_unmapped(text: str) -> str:
    """Remove ``(cid:NN)`` placeholders and private-use glyphs from text."""
    text = CID_PATTERN.sub("", text)
    return "".join(ch for ch in text if not 0xE000 <= ord(ch) <= 0xF8FF)


def format_share(share: float) -> str:
    """A share for people: 0.25 → '25%', 0.0004 → '0.04%' (never a misleading '0%')."""
    if share <= 0:
        return "0%"
    if share >= 0.01:
        return f"{share:.0%}"
    return f"{share * 100:.2g}%"
