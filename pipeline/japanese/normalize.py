"""The text normalization policy and the comparison keys built on it.

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

``fold_width`` is a different, matching-only view: it folds look-alike characters one
for one (same length), so offsets found in folded text are valid in the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType

from pipeline.japanese.glyphs import is_cjk

# The full-width ASCII block U+FF01..U+FF5E sits exactly 0xFEE0 above ASCII: ０ → 0, Ａ → A.
FULLWIDTH_TO_ASCII = MappingProxyType({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
# Full-width forms that keep their Japanese shape in exported text: brackets, colon, tilde…
_KEEP_FULLWIDTH = set("（）［］｛｝：；～！？＆＃％＊＠＼｜＜＞＝＋")
_NORMALIZE_TABLE = {code: ascii_ for code, ascii_ in FULLWIDTH_TO_ASCII.items() if chr(code) not in _KEEP_FULLWIDTH}
# Full-width comma and period between digits are thousands separators / decimal points: １，２００ → 1,200
_DIGIT_COMMA = re.compile(r"(?<=\d)[，,](?=\d{3})")
_DIGIT_PERIOD = re.compile(r"(?<=\d)[．](?=\d)")
_HALFWIDTH_KATAKANA = re.compile(r"[\uff61-\uff9f]+")
# A space between CJK and a Latin letter/digit, either way round: "約 6" / "6 時間" / "NPO 法人".
_WA_OU_SPACE = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60\u3001-\u303f]) (?=[0-9A-Za-z])"
    r"|(?<=[0-9A-Za-z%]) (?=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60\u3001-\u303f])"
)
SPACE_RUN = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b]+")
"""Any run of spaces, U+3000 and the thin/zero-width spaces PDFs print: one space in output."""


def _build_fold_table() -> MappingProxyType[int, str]:
    table: dict[int, str] = dict(FULLWIDTH_TO_ASCII)
    for space in ("\u3000", "\u00a0"):
        table[ord(space)] = " "
    for wave in ("\u301c", "\u223c", "\uff5e"):  # 〜 ∼ ～ all mean "to" in ranges
        table[ord(wave)] = "~"
    for dash in ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"):
        table[ord(dash)] = "-"
    for apostrophe in ("\u2018", "\u2019", "\u2032", "\u00b4"):  # ‘ ’ ′ ´
        table[ord(apostrophe)] = "'"
    return MappingProxyType(table)


_FOLD_TABLE = _build_fold_table()
_FULL_WIDTH_DIGITS = MappingProxyType({0xFF10 + digit: str(digit) for digit in range(10)})


def normalize_text(text: str) -> str:
    """Apply the project's normalization policy to one string (see module docstring)."""
    if not text:
        return text
    text = text.translate(_NORMALIZE_TABLE)
    text = _DIGIT_COMMA.sub(",", text)
    text = _DIGIT_PERIOD.sub(".", text)
    # ｱｲｳ (half-width katakana) → アイウ
    text = _HALFWIDTH_KATAKANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = SPACE_RUN.sub(" ", text)
    text = _WA_OU_SPACE.sub("", text)
    return text.strip()


def fold_width(text: str) -> str:
    """``text`` with look-alike characters folded to ASCII (ＡＢＣ → ABC, 〜 → ~, ― → -); same length."""
    return text.translate(_FOLD_TABLE)


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits ０-９ with ASCII digits; everything else is kept."""
    return text.translate(_FULL_WIDTH_DIGITS)


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """A comparison key: full NFKC and no white space at all (株式会社 ＡＢＣ → 株式会社ABC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strip_cjk_spaces(text: str) -> str:
    """Remove spaces that sit between two CJK characters or between CJK and a digit.

    Justified Japanese lines come out of PDFs letter-spaced (平成 29 年 → 平成29年,
    本市 産業 → 本市産業). Spaces between two Latin words are kept.
    """
    return re.sub(r"(?<=\S) +(?=\S)", lambda m: _space_or_nothing(text, m.start(), m.end()), text)


def _space_or_nothing(text: str, start: int, end: int) -> str:
    left, right = text[start - 1], text[end]
    if is_cjk(left) or is_cjk(right):
        return ""
    return " "
