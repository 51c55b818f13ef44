"""MONEY: find and read yen amounts (38億円, 約300万円以内, ▲1,200万円, 数千万円, 100～200万円).

Matching runs on ``fold_width(text)``, which has the same length as the input,
so offsets refer to the caller's string. A match covers the number, 円 and the
qualifiers glued to it (約, 最大, 年間, 1人あたり, ▲ before; 程度, 以内, 超,
/社 after). Words around it that are only context (補助上限額) are left out.

Decisions worth knowing:

* ``value`` carries the sign: ▲500万円 → value -5_000_000 and ``negative`` True.
* Vague amounts have ``value`` None and a min/max: 数 is 2–9 of the unit that
  follows it (数千万 → 2千万..9千万) and 1–9 when it is the ones digit after a
  unit (十数億 → 11億..19億). 何 and 幾 read like 数.
* A range (100～200万円, 5千万～1億円) also has ``value`` None, with both ends
  in ``value_min`` / ``value_max``; a left end without 万/億/兆 takes the right
  end's last one.
* Fractions of a yen are rounded half up (12.5円 → 13).
* Kanji 一円 alone is not money (関東一円 means "the whole area"); nor are
  unit labels such as (千円) or 単位：百万円.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from pipeline.japanese.eras import ERA_NAME_PATTERN
from pipeline.japanese.markers import MINUS_MARKS
from pipeline.japanese.normalize import fold_width
from pipeline.japanese.numbers import ARABIC_NUMBER, BIG_UNIT_VALUES, parse_japanese_number_exact
from pipeline.nlp.candidate import PRIORITY, Candidate


@dataclass(frozen=True)
class MoneyValue:
    value: int | None
    """Yen, signed; None for vague amounts and ranges."""
    value_min: int | None
    """Lowest reading (equal to ``value`` when the amount is exact)."""
    value_max: int | None
    """Highest reading (equal to ``value`` when the amount is exact)."""
    approx: bool
    """約, 程度, ほど, 余り, 強, 弱, 前後, おおよそ, 概ね..."""
    bound: str | None
    """'max' (以内, 以下, 最大, 上限, まで), 'min' (以上, 最低, 下限), 'over' (超), 'under' (未満)."""
    per: str | None
    """What the amount is per: '年' (年間, 年額, 毎年, /年), '月' (月額), '人', '社', '件'..."""
    negative: bool
    """▲, △, ▼, ▽ or a minus sign before the number."""


@dataclass(frozen=True)
class MoneyMatch:
    start: int
    end: int
    text: str
    """Always ``input[start:end]``, qualifiers included."""
    amount: MoneyValue


_S = r"[ \t]*"
# Repetitions below are bounded (千百十 at most, 兆億万 at most, a few qualifiers) so that long
# runs of numerals or qualifiers in garbled text cost linear, not quadratic, time.
# Arabic number: 1,234,567 | 4000 | 6.5 (bounded so huge digit runs are not read)
_ARABIC = ARABIC_NUMBER
# kanji digits: 五, 二〇, 壱
_KANJI_DIGITS = r"[〇零一二三四五六七八九壱弐参]{1,16}"
# vague digit: 数 in 数千万, 何 in 何百万
_VAGUE = r"[数何幾]"
# small units: 十 百 千 (拾)
_SMALL_UNIT = r"[十拾百千]"
# big units: 万 億 兆
_BIG_UNIT = r"[万萬億兆]"
# what may follow a small unit: 5 in 千5百, 九 in 千九百, 数 in 十数
_AFTER_SMALL_UNIT = rf"(?:{_ARABIC}|{_KANJI_DIGITS}|{_VAGUE})"
# a number below 万: 3,500 | 5千 | 二十 | 千九百 | 数十 | 十数 | 1,234百
_CHUNK = (
    rf"(?:(?:{_ARABIC}|{_KANJI_DIGITS}|{_VAGUE}(?={_SMALL_UNIT}|{_BIG_UNIT}))"
    rf"(?:{_SMALL_UNIT}{_AFTER_SMALL_UNIT}?){{0,3}}"
    rf"|(?:{_SMALL_UNIT}{_AFTER_SMALL_UNIT}?){{1,3}})"
)
# a whole number: 38億 | 3億5千万 | 7兆 2,450 億 | 1億2,345万6,789 | 百万 (not the tail of 1,234)
_NUMBER = (
    rf"(?<![0-9.,]){_CHUNK}"
    rf"(?:{_S}{_BIG_UNIT}(?:{_S}{_CHUNK}{_S}{_BIG_UNIT}){{0,2}}(?:{_S}{_CHUNK})?)?"
)
# 円 as the currency, not the first character of 円滑, 円形, 円周...
_YEN = r"円(?!滑|形|周|柱|錐|盤|卓|満|熟|環|弧|筒)"
# what an amount can be per: 人 in 1人あたり, 社 in /社, か月 in 1か月あたり
_PER_UNIT = (
    r"(?:事業者|事業所|世帯|団体|施設|箇所|か所|ヶ所|年度|か月|ヶ月|ケ月|カ月|ヵ月|箇月"
    r"|人|名|社|件|年|月|校|戸|台|回|日)"
)
_PER_UNIT_ALIASES = MappingProxyType(
    {"名": "人", "年度": "年", "か月": "月", "ヶ月": "月", "ケ月": "月", "カ月": "月",
     "ヵ月": "月", "箇月": "月", "か所": "箇所", "ヶ所": "箇所"}
)
# qualifiers printed before the number
_PREFIX = "|".join(
    (
        r"(?P<approx>約|概ね|おおむね|おおよそ|およそ)",  # 約38億円, 概ね1億円
        r"(?P<max>最大で?|最高で?|上限(?!額))",  # 最大200万円, 上限 100万円 (上限額 is context)
        r"(?P<min>最低(?:でも)?|下限(?!額))",  # 最低100万円, 最低でも10万円
        # 年間5,000万円, 年額, 毎年 (not the 年間 of 3年間, which is a duration)
        r"(?P<per_year>(?<![0-9一二三四五六七八九十数])(?:年間|年額)|毎年度?)",
        r"(?P<per_month>月額|毎月)",  # 月額10万円
        rf"(?:1|一){_S}(?P<per_unit>{_PER_UNIT})(?:あたり|当たり|当り)",  # 1人あたり30万円, 一社当たり
        # ▲500万円, △1,200万円, -300円 (not the dash of 100万円-1,000万円, a range)
        rf"(?P<sign>[{MINUS_MARKS}]|(?<![0-9A-Za-z.,~\-円万億兆])-(?=[ \t]*[0-9]))",
    )
)
# qualifiers printed after 円
_SUFFIX = "|".join(
    (
        # 100億円程度, 1億円強, 5千万円弱 (not 強化, 弱体...)
        r"(?P<approx>程度|ほど|余り|あまり|前後|くらい|ぐらい|近く|強(?![化制調いくみ])|弱(?![いくみ体点]))",
        r"(?P<max>以内|以下|まで)",  # 300万円以内
        r"(?P<min>以上)",  # 1億円以上
        r"(?P<over>超過|を超える|超える|を上回る|上回る|超)",  # 1,000万円超
        r"(?P<under>未満|を下回る|下回る)",  # 50万円未満
        rf"/{_S}(?:1|一)?{_S}(?P<slash_unit>{_PER_UNIT})",  # 8万円/社, 30万円/1人
        rf"\({_S}(?:1|一){_S}(?P<paren_unit>{_PER_UNIT})(?:あたり|当たり|当り){_S}\)",  # 10万円(1人あたり)
    )
)


def _without_groups(pattern: str) -> str:
    return re.sub(r"\(\?P<[a-z_]+>", "(?:", pattern)


_PREFIX_TOKEN = re.compile(rf"(?:{_PREFIX}){_S}")
_SUFFIX_TOKEN = re.compile(rf"{_S}(?:{_SUFFIX})")
_PREFIXES = rf"(?P<prefixes>(?:(?:{_without_groups(_PREFIX)}){_S}){{0,4}})"
_SUFFIXES = rf"(?P<suffixes>(?:{_S}(?:{_without_groups(_SUFFIX)})){{0,4}})"
# 約100～200万円程度, 100万円～200万円, 100万円-1,000万円
_RANGE_AMOUNT = rf"(?P<left>{_NUMBER}){_S}(?:(?:円{_S})?~|円{_S}-){_S}(?P<right>{_NUMBER}){_S}{_YEN}"
# 約38億円以内
_SINGLE_AMOUNT = rf"(?P<body>{_NUMBER}){_S}{_YEN}"
_ANY_MONEY = re.compile(rf"{_PREFIXES}(?:{_RANGE_AMOUNT}|{_SINGLE_AMOUNT}){_SUFFIXES}")
_SINGLE_MONEY = re.compile(rf"{_PREFIXES}{_SINGLE_AMOUNT}{_SUFFIXES}")

# A unit label rather than an amount: 単位：千円 (the colon is folded to ASCII)
_UNIT_DECLARATION_BEFORE = re.compile(r"単位[ \t]*:?[ \t]*$")
# A unit label in a table header: (百万円), [千円]
_OPEN_BRACKET_BEFORE = re.compile(r"[(\[][ \t]*$")
_CLOSE_BRACKET_AFTER = re.compile(r"[ \t]*[)\]]")
# a number made of units only, as unit labels are: 千, 百万, 十億
_UNIT_ONLY_NUMBER = re.compile(r"[十拾百千万萬億兆 \t]+")
_LOOKBACK_CHARS = 16  # how far back a unit label's 単位 is looked for; keeps scanning linear
_SPACES = re.compile(r"[ \t]+")
_VAGUE_CHARS = frozenset("数何幾")
_SMALL_UNIT_CHARS = frozenset("十拾百千")
_UNIT_CHARS = frozenset("十拾百千万萬億兆")
_ZERO_CHARS = frozenset("〇零")


def find_money(text: str) -> list[MoneyMatch]:
    """All yen amounts in running text, in order and non-overlapping."""
    if "円" not in text:
        return []  # the common case in running text; skips the scan entirely
    folded = fold_width(text)
    matches: list[MoneyMatch] = []
    position = 0
    while True:
        found = _ANY_MONEY.search(folded, position)
        if found is None:
            return matches
        amount = _read_match(found)
        if amount is None and found["left"] is not None:
            # A range whose ends do not fit together (200～100万円): read from the left as one amount.
            single = _SINGLE_MONEY.match(folded, found.start())
            if single is not None:
                found, amount = single, _read_match(single)
        if amount is not None and _is_unit_label(folded, found):
            amount = None
        if amount is None:
            position = found.start() + 1
            continue
        start, end = found.span()
        matches.append(MoneyMatch(start=start, end=end, text=text[start:end], amount=amount))
        position = end


def parse_money(expression: str) -> MoneyValue | None:
    """Read one amount expression such as ``'約38億円'`` or ``'300万円以内'``; None if it is not one."""
    folded = fold_width(expression).strip()
    found = _ANY_MONEY.fullmatch(folded)
    amount = _read_match(found) if found is not None else None
    if amount is None and found is not None and found["left"] is not None:
        single = _SINGLE_MONEY.fullmatch(folded)
        amount = _read_match(single) if single is not None else None
    return amount


def _is_unit_label(folded: str, found: re.Match[str]) -> bool:
    body = found["body"]
    if body is None or found["prefixes"] or found["suffixes"] or not _UNIT_ONLY_NUMBER.fullmatch(body):
        return False
    start, end = found.span()
    window_start = max(0, start - _LOOKBACK_CHARS)
    if _UNIT_DECLARATION_BEFORE.search(folded, window_start, start):
        return True
    return bool(
        _OPEN_BRACKET_BEFORE.search(folded, window_start, start) and _CLOSE_BRACKET_AFTER.match(folded, end)
    )


def _read_match(found: re.Match[str]) -> MoneyValue | None:
    if found["body"] is not None:
        bounds = _read_number(found["body"])
    else:
        bounds = _read_range(found["left"], found["right"])
    if bounds is None:
        return None
    low, high = bounds
    approx, bound, negative = False, None, False
    pers_before: list[str] = []
    pers_after: list[str] = []
    prefix_tokens = _qualifier_tokens(_PREFIX_TOKEN, found, "prefixes")
    suffix_tokens = _qualifier_tokens(_SUFFIX_TOKEN, found, "suffixes")
    for token, pers in [*((t, pers_before) for t in prefix_tokens), *((t, pers_after) for t in suffix_tokens)]:
        kind = token.lastgroup
        if kind == "approx":
            approx = True
        elif kind in ("max", "min", "over", "under"):
            bound = kind  # a later qualifier wins: 最大500万円以上 reads as 'min'
        elif kind == "sign":
            negative = True
        elif kind == "per_year":
            pers.append("年")
        elif kind == "per_month":
            pers.append("月")
        elif kind in ("per_unit", "slash_unit", "paren_unit"):
            unit = token[kind]
            pers.append(_PER_UNIT_ALIASES.get(unit, unit))
    # 年間1人あたり30万円: keep the unit printed nearest the number (人)
    per = pers_before[-1] if pers_before else (pers_after[0] if pers_after else None)
    if negative:
        low, high = -high, -low
    is_exact = found["body"] is not None and low == high
    return MoneyValue(
        value=low if is_exact else None,
        value_min=low,
        value_max=high,
        approx=approx,
        bound=bound,
        per=per,
        negative=negative,
    )


def _qualifier_tokens(token_pattern: re.Pattern[str], found: re.Match[str], group: str) -> list[re.Match[str]]:
    """Split a matched run of qualifiers into single qualifiers."""
    tokens = []
    position, end = found.span(group)
    while position < end:
        # match without endpos so lookarounds see the text after the run (the - of -300 needs the 3)
        token = token_pattern.match(found.string, position)
        if token is None or token.end() > end or token.end() == position:
            break
        tokens.append(token)
        position = token.end()
    return tokens


def _read_range(left: str, right: str) -> tuple[int, int] | None:
    left_text, right_text = _SPACES.sub("", left), _SPACES.sub("", right)
    if _VAGUE_CHARS & set(left_text + right_text):
        return None  # 数百～数千万円 is too loose to read as a range
    if not set(BIG_UNIT_VALUES) & set(left_text):
        # 100～200万円: the left end counts in the right end's last big unit
        right_big_units = [char for char in right_text if char in BIG_UNIT_VALUES]
        if right_big_units:
            left_text += right_big_units[-1]
    low, high = _read_number(left_text), _read_number(right_text)
    if low is None or high is None or low[0] != low[1] or high[0] != high[1] or low[0] > high[0]:
        return None
    return low[0], high[0]


def _read_number(number_text: str) -> tuple[int, int] | None:
    """(lowest, highest) reading of a number; equal for an exact number."""
    compact = _SPACES.sub("", number_text)
    if compact == "一" or (set(compact) <= _ZERO_CHARS | _UNIT_CHARS and _ZERO_CHARS & set(compact)):
        return None  # 関東一円 is "the whole area"; 〇〇万円 is a blank to fill in
    if not _VAGUE_CHARS & set(compact):
        exact = parse_japanese_number_exact(compact)
        return None if exact is None else (_round_yen(exact), _round_yen(exact))
    lowest = parse_japanese_number_exact(_fill_vague_digits(compact, highest=False))
    highest = parse_japanese_number_exact(_fill_vague_digits(compact, highest=True))
    if lowest is None or highest is None:
        return None
    return _round_yen(lowest), _round_yen(highest)


def _fill_vague_digits(number_text: str, *, highest: bool) -> str:
    """Replace each 数/何/幾 by the digit giving the lowest or highest reading."""
    filled = []
    for index, char in enumerate(number_text):
        if char not in _VAGUE_CHARS:
            filled.append(char)
            continue
        next_char = number_text[index + 1 : index + 2]
        previous_char = number_text[index - 1 : index] if index else ""
        if highest:
            filled.append("9")
        elif next_char not in _SMALL_UNIT_CHARS and previous_char in _SMALL_UNIT_CHARS:
            filled.append("1")  # ones digit after a unit: 十数 is 11..19
        else:
            filled.append("2")  # a multiplier: 数千 is 2千..9千, 数万 is 2万..9万
    return "".join(filled)


def _round_yen(amount: Fraction) -> int:
    return math.floor(amount + Fraction(1, 2))


# --- MONEY candidates for the entity pipeline --------------------------------------------------
# An era name right before a yen amount: 平成30 円 is a misprinted year, never 30 yen
_ERA_BEFORE = re.compile(rf"({ERA_NAME_PATTERN})\s*$")
_MISPRINTED_YEAR = re.compile(r"\s*[0-9]{1,2}\s*円\s*")


def money_candidates(text: str) -> list[Candidate]:
    """MONEY mentions from ``find_money``; a number of yen right after an era name (平成30円) is skipped."""
    money: list[Candidate] = []
    folded = fold_width(text)
    for match in find_money(text):
        amount = match.amount
        era = _ERA_BEFORE.search(folded, 0, match.start)
        if era and _MISPRINTED_YEAR.fullmatch(folded[match.start:match.end]):
            continue
        fields = {
            "value_min": amount.value_min, "value_max": amount.value_max, "approx": amount.approx,
            "bound": amount.bound, "per": amount.per, "negative": amount.negative,
        }
        money.append(Candidate("MONEY", match.start, match.end, match.text, value=amount.value, fields=fields,
                               rule="money", priority=PRIORITY["value"]))
    return money
