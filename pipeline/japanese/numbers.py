"""Numbers as Japanese documents print them: Arabic with thousands separators, full-width,
and kanji numerals with their units (3億5千万, 二十八, 二〇一四).

The Arabic number pattern is spelled here once; the money grammar, table cells and the
number parser all build on it. Repetitions are bounded so that long runs of digits in
garbled text cost linear time and never reach ``int()``'s size limit.
"""

from __future__ import annotations

import re
from fractions import Fraction
from types import MappingProxyType

from pipeline.japanese.normalize import fold_width

DIGIT_GROUPS = r"[0-9]{1,3}(?:,[0-9]{3}){1,6}"
"""Digits with thousands separators: 1,234 / 104,500,000."""
INTEGER = rf"(?:{DIGIT_GROUPS}|[0-9]{{1,16}})"
"""A whole number as printed: 1,234 / 4000."""
ARABIC_NUMBER = rf"{INTEGER}(?:\.[0-9]{{1,8}})?"
"""An Arabic number as printed (after width folding): 1,234 / 4000 / 6.5."""


KANJI_DIGIT_VALUES = MappingProxyType(
    {"〇": 0, "零": 0, "一": 1, "壱": 1, "二": 2, "弐": 2, "三": 3, "参": 3,
     "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
)
SCALE_CHARS = "兆億万千"
"""The digit-group units an amount is printed with in one cell: 3億2,150万円, 1兆2,345億円."""
SMALL_UNIT_VALUES = MappingProxyType({"十": 10, "拾": 10, "百": 100, "千": 1000})
BIG_UNIT_VALUES = MappingProxyType({"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12})

# One token of a Japanese number: Arabic digits (commas, decimals), a run of kanji digits, or a unit.
_NUMBER_TOKEN = re.compile(
    r"(?P<arabic>[0-9][0-9,]*(?:\.[0-9]+)?)"  # 1,234.5
    r"|(?P<kanji>[〇零一二三四五六七八九壱弐参]+)"  # 二〇一四 (read positionally)
    r"|(?P<small>[十拾百千])"  # 十 百 千
    r"|(?P<big>[万萬億兆])"  # 万 億 兆
)
_ARABIC_WITH_COMMAS = re.compile(ARABIC_NUMBER)
_MAX_DIGITS = 40  # longer digit runs are not quantities; also keeps int() under its size limit


def parse_japanese_number(text: str) -> int | float | None:
    """Read a number written with Arabic and/or kanji numerals.

    ``'1,234'`` → 1234, ``'６．５'`` → 6.5, ``'3億5千万'`` → 350000000, ``'二十八'`` → 28,
    ``'千九百'`` → 1900, ``'二〇一四'`` → 2014, ``'7.5億'`` → 750000000.
    Returns an ``int`` whenever the value is whole, a ``float`` otherwise, and
    ``None`` for anything that is not a well-formed number.
    """
    exact = parse_japanese_number_exact(text)
    if exact is None:
        return None
    if exact.denominator == 1:
        return int(exact)
    return float(exact)


def parse_japanese_number_exact(text: str) -> Fraction | None:
    """Like ``parse_japanese_number`` but returns an exact ``Fraction`` (no float rounding)."""
    compact = re.sub(r"[ \t]+", "", fold_width(text))
    if not compact:
        return None
    total = Fraction(0)
    section = Fraction(0)  # value below the current big unit (万/億/兆)
    current: Fraction | None = None  # the digits read since the last unit
    last_small: int | None = None
    last_big: int | None = None
    position = 0
    while position < len(compact):
        token = _NUMBER_TOKEN.match(compact, position)
        if token is None:
            return None
        position = token.end()
        if token["arabic"] is not None or token["kanji"] is not None:
            if current is not None:
                return None  # two numbers with no unit between them
            current = _read_digits(token["arabic"], token["kanji"])
            if current is None:
                return None
            if last_small is not None and current >= last_small:
                return None  # 十15, 千2000: the digits must fit below the unit before them
        elif token["small"] is not None:
            unit = SMALL_UNIT_VALUES[token["small"]]
            if last_small is not None and unit >= last_small:
                return None  # 十百, 三十五百: small units must descend
            section += (current if current is not None else 1) * unit
            current = None
            last_small = unit
        else:
            unit = BIG_UNIT_VALUES[token["big"]]
            if last_big is not None and unit >= last_big:
                return None  # 5万3億: big units must descend
            part = section + (current if current is not None else 0)
            if current is None and last_small is None:
                part = Fraction(1)  # a bare 万 / 億 means one of it
            total += part * unit
            section = Fraction(0)
            current = None
            last_small = None
            last_big = unit
    return total + section + (current if current is not None else 0)


def _read_digits(arabic: str | None, kanji: str | None) -> Fraction | None:
    if arabic is not None:
        if "," in arabic and not _ARABIC_WITH_COMMAS.fullmatch(arabic):
            return None  # 1,23 or 12,3456 are not thousands separators
        if len(arabic) > _MAX_DIGITS:
            return None
        return Fraction(arabic.replace(",", ""))
    assert kanji is not None
    if len(kanji) > _MAX_DIGITS:
        return None
    return Fraction(int("".join(str(KANJI_DIGIT_VALUES[char]) for char in kanji)))
