"""Units of measure as reports print them after a number or in a caption: 千円, 億円, 人, ％.
"""

from __future__ import annotations

import re

from pipeline.japanese.normalize import normalize_text
from pipeline.japanese.numbers import BIG_UNIT_VALUES, SMALL_UNIT_VALUES

# Units a report prints after a number or in parentheses: 千円, 百万円, 億円, 人, 名, ％, 件…
UNIT_WORD = (
    r"(?:[千百十万億兆]*(?:円|人|名|社|件|戸|世帯|台|個|本|枚|回|倍|校|施設|事業所|団体|箇所|か所|ヶ所|所|店|床|頭|"
    r"トン|t|kg|g|ha|a|㎡|m2|m|km|㎞|L|kl|kL|kWh|MWh|kW|MW|時間|日|か月|ヶ月|カ月|月|年|年度|歳|点|ポイント|pt|%|％|‰))"
)
UNIT_ONLY = re.compile(rf"^{UNIT_WORD}$")
"""A text that is only a unit: 千円, 人, %."""
TRAILING_UNIT = re.compile(rf"[（(［\[]\s*(?:単位\s*[：:]\s*)?(?P<unit>{UNIT_WORD})\s*[）)］\]]\s*$")
"""A unit in parentheses closing a caption or label: 業種別就業者数（人）, 金額（億円）, ［単位：百万円］."""
LEADING_UNIT = re.compile(rf"^[（(]\s*(?:単位\s*[：:]\s*)?(?P<unit>{UNIT_WORD})\s*[）)]")
"""A unit printed above the number in a cell: （千円）104,500."""
UNIT_LABEL = re.compile(
    rf"単位\s*(?:[：:]\s*|\s+|(?={UNIT_WORD}[）)\]］、,，]))(?P<unit>{UNIT_WORD})(?=$|[\s、,，・/／）)\]］])"
)
"""単位：千円, 単位 千円, （単位千円） anywhere (often right-aligned above a table); not 単位時間当たり."""
_MORE_UNITS = re.compile(rf"\s*[、,，・/／]\s*(?P<unit>{UNIT_WORD})")
# Scale characters of a unit and what they multiply by: 千円 → 1,000, 百万円 → 100 × 10,000
_SCALE_FACTORS = {**SMALL_UNIT_VALUES, **BIG_UNIT_VALUES}
# Header words of a column of ratios: 構成比, 伸び率, 割合, 前年比 (（単位 千円、％） gives them ％)
RATIO_LABEL = re.compile(r"(?:比|率|割合|シェア|[%％])(?:[（(].*[）)])?$")


def clean_unit(unit: str | None) -> str | None:
    """The unit as written in outputs: ％ → %, full-width letters folded (ｋｇ → kg)."""
    if unit is None:
        return None
    return "%" if unit in ("%", "％") else normalize_text(unit)


def unit_of_label(text: str | None) -> str | None:
    """The unit a caption, header or row label names: 業種別就業者数（人） → 人,
    金額（億円） → 億円, 比率（％） → %, 歳出予算（単位：千円） → 千円; 人口（2020年） → None."""
    if not text:
        return None
    compact = text.replace(" ", "").replace("\u3000", "")
    match = TRAILING_UNIT.search(compact) or UNIT_LABEL.search(text.replace("\u3000", " "))
    return clean_unit(match.group("unit")) if match else None


def explicit_unit(text: str | None) -> str | None:
    """The unit of a 単位：… statement in ``text`` (（単位：千円） → 千円), or None."""
    match = UNIT_LABEL.search((text or "").replace("\u3000", " "))
    return clean_unit(match.group("unit")) if match else None


def stated_units(text: str | None) -> list[str]:
    """Every unit of a 単位 statement, first one first: （単位 千円、％） → [千円, %]."""
    spaced = (text or "").replace("\u3000", " ")
    match = UNIT_LABEL.search(spaced)
    if not match:
        return []
    units = [clean_unit(match.group("unit"))]
    position = match.end()
    while more := _MORE_UNITS.match(spaced, position):
        units.append(clean_unit(more.group("unit")))
        position = more.end()
    return [u for u in units if u]


def unit_multiplier(unit: str | None) -> int | None:
    """What a unit's scale prefix multiplies by: 千円 → 1000, 百万円 → 1000000, 億円 → 100000000,
    万人 → 10000; 1 for a unit without one (円, 人); None without a unit or for %."""
    if not unit or unit in ("%", "‰"):
        return None
    factor = 1
    for char in unit[:-1]:  # 千億円 → 千 × 億, 十億円 → 十 × 億, 百万円 → 百 × 万
        if char not in _SCALE_FACTORS:
            break
        factor *= _SCALE_FACTORS[char]
    return factor


def is_currency_unit(unit: str | None) -> bool:
    """Yen, with or without a scale: 円, 千円, 百万円, 億円."""
    return bool(unit) and unit.endswith("円")  # type: ignore[union-attr]
