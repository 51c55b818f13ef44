"""What a cell's text means as data: a number (with its sign and unit), a dash for none, or text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.japanese.eras import is_calendar_year
from pipeline.japanese.markers import ERA_OR_ORDINAL, NEGATIVE_SIGN, NONE_MARK
from pipeline.japanese.normalize import normalize_text
from pipeline.japanese.numbers import ARABIC_NUMBER, INTEGER, SCALE_CHARS, parse_japanese_number
from pipeline.japanese.units import LEADING_UNIT, TRAILING_UNIT, UNIT_ONLY, clean_unit

# A whole cell that is one number: 1,234 / 104,500,000 / 0.5 / .5 (after normalize_text).
_NUMBER = re.compile(rf"^{ARABIC_NUMBER}$|^\.[0-9]{{1,8}}$")
# A number and what follows it in the cell: 2,700 万円 → 2,700 | 万円.
_NUMBER_AND_REST = re.compile(rf"^(?P<num>{ARABIC_NUMBER}|\.[0-9]{{1,8}})(?P<rest>.*)$")
# Japanese digit groups inside one amount: 3億2,150万円, 1兆2,345億円.
_COMPOUND = re.compile(rf"^(?:{ARABIC_NUMBER}[{SCALE_CHARS}])+(?:{INTEGER})?円?$")
_COMPOUND_GROUPS = re.compile(rf"\d[{SCALE_CHARS}]\d")


@dataclass(frozen=True)
class CellValue:
    """What a cell's text means as data."""

    value: float | None
    unit: str | None = None
    kind: str = "text"
    """``number``, ``none`` (a dash meaning none), ``empty`` or ``text``."""

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


def parse_cell_value(text: str) -> CellValue:
    """Read a cell as a typed value.

    ``18.6%`` → 18.6 unit %; ``▲1,200`` / ``△300`` → negative; ``１０４，５００，０００`` →
    104500000; ``2,700 万円`` → 2700 unit 万円; ``3億2,150万円`` → 321500000 unit 円;
    ``（千円）104,500`` (a unit printed above the number in the cell) → 104500 unit 千円;
    ``-``, ``－``, ``―`` → no value (kind ``none``). Anything else is text.
    """
    compact = normalize_text(text).replace(" ", "")
    if not compact:
        return CellValue(None, None, "empty")
    if NONE_MARK.match(compact):
        return CellValue(None, None, "none")
    unit: str | None = None
    leading = LEADING_UNIT.match(compact)
    if leading:
        unit = leading.group("unit")
        compact = compact[leading.end():]
    sign = 1.0
    signed = NEGATIVE_SIGN.match(compact)
    if signed:
        if signed.group("sign") not in "+＋":
            sign = -1.0
        compact = compact[signed.end():]
    if not compact or ERA_OR_ORDINAL.match(compact):
        return CellValue(None, None, "text")
    if _COMPOUND.match(compact) and _COMPOUND_GROUPS.search(compact):
        amount = parse_japanese_number(compact.removesuffix("円"))
        if amount is None:
            return CellValue(None, None, "text")
        return CellValue(sign * amount, "円" if compact.endswith("円") else None, "number")
    match = _NUMBER_AND_REST.match(compact)
    if not match or not _NUMBER.match(match.group("num")):
        return CellValue(None, None, "text")
    rest = match.group("rest")
    if rest:
        trailing = TRAILING_UNIT.match(rest)
        if UNIT_ONLY.match(rest):
            unit = rest
        elif trailing:
            unit = trailing.group("unit")
        else:
            return CellValue(None, None, "text")
    value = sign * float(match.group("num").replace(",", ""))
    return CellValue(value, clean_unit(unit), "number")


def is_calendar_label(parsed: CellValue) -> bool:
    """2015年, 2023年度, 4月: a point in time naming a row or column, not a quantity
    (5年 or 30日 as a duration stays a number)."""
    if parsed.value is None or parsed.unit not in ("年", "年度", "月", "日"):
        return False
    if parsed.unit in ("年", "年度"):
        return is_calendar_year(parsed.value)
    return parsed.unit == "月" and 1 <= parsed.value <= 12


def cell_class(text: str) -> str:
    """number, none (dash), empty, label (text, or a year/date used as a heading: 2015年)."""
    parsed = parse_cell_value(text)
    if parsed.kind == "number" and is_calendar_label(parsed):
        return "label"
    if parsed.kind == "text":
        return "label"
    return parsed.kind
