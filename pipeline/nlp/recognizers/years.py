"""YEAR: find and read year expressions (Gregorian, Japanese era, fiscal years, ranges).

All matching runs on ``fold_width(text)``, which has the same length as the
input, so every offset refers to the caller's original string.

Rules that decide what is a year (and not a duration such as 5年間):

* an Arabic number with no era needs 4 digits in 1868–2100 (``2014年``);
* two digits are a year only after an apostrophe (``'11年``), alone inside
  parentheses (``(05年)``) or as the right end of a range (``2018～23年``);
  the century is 2000 for 00–50 and 1900 for 51–99;
* an era name or era initial makes any 1–2 digit number a year (``平成5年``,
  ``H30``); a bare initial with no 年 is read only for H and R (``M5`` is
  more often an earthquake magnitude than 明治5年);
* a number followed by 年間 / 年ぶり, or preceded by 約 / およそ, is a duration;
  one followed by 年代 is a decade, not a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pipeline.japanese.eras import (
    ERA_BY_ALIAS,
    ERA_NAME_OR_SQUARE,
    FIRST_GREGORIAN_YEAR,
    LAST_GREGORIAN_YEAR,
    MAX_ERA_YEAR,
    era_to_gregorian,
    is_calendar_year,
)
from pipeline.japanese.normalize import fold_width
from pipeline.japanese.numbers import parse_japanese_number
from pipeline.nlp.candidate import PRIORITY, Candidate


@dataclass(frozen=True)
class YearValue:
    year: int
    """Gregorian year."""
    fiscal: bool
    """True for 年度 (Japanese fiscal year, April–March)."""
    month: int | None
    """The month when it is printed with the year (2018年5月 → 5)."""
    era: str | None
    """'明治', '大正', '昭和', '平成', '令和', or None for a Gregorian year."""
    day: int | None = None
    """The day when a full date is printed (2025年4月1日, 2025/4/1 → 1)."""


@dataclass(frozen=True)
class YearMatch:
    start: int
    end: int
    text: str
    """Always ``input[start:end]``."""
    values: tuple[YearValue, ...]
    """One value, or two (both ends) for a closed range."""


_TWO_DIGIT_PIVOT = 50  # '50 → 2050, '51 → 1951

# --- building blocks (written with named groups; _without_groups() strips them for scanning) ---
_S = r"[ \t]*"
# 明治 大正 昭和 平成 令和, or the one-character square forms ㍻ ㋿
_ERA_NAME = ERA_NAME_OR_SQUARE
# the number after an era name: 27, 元, 二十八
_ERA_YEAR = r"(?:[0-9]{1,2}(?![0-9])|元|[一二三四五六七八九十]{1,3})"
# a month number: 5, 05, 12, 十二
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
# a day number: 1, 31, 三十一
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# year suffix: 年度 | 年 | 年5月 | 年5月1日; not 年間 (5年間), 年ぶり (3年ぶり), 年代 (2010年代, a decade)
_NEN = (
    rf"(?P<nen>年(?:(?P<fiscal>度)|(?!間|ぶり|振り|代)"
    rf"(?:{_S}(?P<month>{_MONTH}){_S}月(?:{_S}(?P<day>{_DAY}){_S}日)?)?))"
)
# H30.3.31 / R5.4: an era initial with dotted month and day
_DOTTED_MONTH_DAY = r"(?:\.(?P<dot_month>1[0-2]|0?[1-9])(?:\.(?P<dot_day>3[01]|[12][0-9]|0?[1-9]))?)?"

# Pieces are read one at a time with these (each is fullmatched against one piece).
# 平成29年度, 令和元年, 昭和 四十五 年, 平成16 (bare: left end of 平成16～19年)
_PIECE_ERA = re.compile(rf"(?P<era>{_ERA_NAME}){_S}(?P<number>{_ERA_YEAR})(?:{_S}{_NEN})?")
# R5年度, H30年, S50年, R元年
_PIECE_INITIAL_WITH_NEN = re.compile(rf"(?P<initial>[MTSHR])(?P<number>[0-9]{{1,2}}|元){_S}{_NEN}")
# H30, R5, H30.3.31 (no 年: only H and R, see module docstring)
_PIECE_INITIAL_BARE = re.compile(rf"(?P<initial>[HR])(?P<number>[0-9]{{1,2}}){_DOTTED_MONTH_DAY}")
# 2014年, 2014年度, 2018年5月1日, 2017 (bare: left end of 2017～2022年)
_PIECE_GREGORIAN = re.compile(rf"(?P<number>[0-9]{{4}})(?:{_S}{_NEN})?")
# 二〇一四年
_PIECE_KANJI_GREGORIAN = re.compile(rf"(?P<number>[〇一二三四五六七八九]{{4}}){_S}{_NEN}")
# '18年, ’21年度 (apostrophes are folded to ')
_PIECE_APOSTROPHE = re.compile(rf"'(?P<number>[0-9]{{2}}){_S}{_NEN}")
# 05年, 21年度: a year only inside parentheses or as a range's right end
_PIECE_SHORT = re.compile(rf"(?P<number>[0-9]{{1,2}}){_S}{_NEN}")

# Range separator: 2017～2022年, 2017-2022年, 平成15年から平成29年
_RANGE_SEPARATOR = re.compile(rf"{_S}(~|-|から){_S}")
# Amounts of time, not years: 約2000年前, およそ1900年
_APPROXIMATION_BEFORE = re.compile(r"(?:約|およそ|概ね|おおむね)[ \t]*$")
# Parentheses that close right after a short year: (05年)
_CLOSING_PAREN = re.compile(rf"{_S}\)")
_LOOKBACK_CHARS = 16  # how far back context words (約) are looked for; keeps scanning linear


def _without_groups(pattern: str) -> str:
    return re.sub(r"\(\?P<[a-z_]+>", "(?:", pattern)


def _build_scanners() -> tuple[re.Pattern[str], re.Pattern[str]]:
    nen = _without_groups(_NEN)
    dotted = _without_groups(_DOTTED_MONTH_DAY)
    single = "|".join(
        (
            # 平成29年度, 令和元年5月
            rf"{_ERA_NAME}{_S}{_ERA_YEAR}{_S}{nen}",
            # R5年度, H30年 (not inside a word such as ABR5年)
            rf"(?<![A-Za-z0-9])[MTSHR](?:[0-9]{{1,2}}|元){_S}{nen}",
            # H30, R5.4.1 (not H2O, not the middle of a code)
            rf"(?<![A-Za-z0-9])[HR][0-9]{{1,2}}{dotted}(?![A-Za-z0-9])(?!\.[0-9])",
            # 2014年, 2014 年度 (not the tail of 12,014年 or 1.2014年)
            rf"(?<![0-9.,])[0-9]{{4}}{_S}{nen}",
            # 二〇一四年
            rf"(?<![〇一二三四五六七八九十百千])[〇一二三四五六七八九]{{4}}{_S}{nen}",
            # '18年, ’21年
            rf"'[0-9]{{2}}{_S}{nen}",
            # (05年) — the span is 05年, the parentheses are context
            rf"(?<=\()[0-9]{{2}}{_S}{nen}(?={_S}\))",
        )
    )
    single = f"(?:{single})"
    # left end without 年: 2017 in 2017～2022年, 平成16 in 平成16～19年
    bare_left = rf"(?:(?<![0-9.,])[0-9]{{4}}(?![0-9])|{_ERA_NAME}{_S}{_ERA_YEAR})"
    # right end with 1-2 digits: 23年 in 2018～23年
    short_right = rf"(?:(?<![0-9])[0-9]{{1,2}}{_S}{nen})"
    any_expression = "|".join(
        (
            # 2017年～2022年, 2017-2022年, 2018～23年, 平成16～19年度
            rf"(?:{single}|{bare_left}){_S}[~-]{_S}(?:{single}|{short_right})",
            # 平成15年から平成29年
            rf"{single}{_S}から{_S}{single}",
            # ～平成16年 (open start)
            rf"~{_S}{single}",
            # 平成29年～ (open end; not 2017年～2022 which has no 年 on the right)
            rf"{single}{_S}~(?!{_S}[0-9])",
            single,
        )
    )
    return re.compile(any_expression), re.compile(single)


_ANY_EXPRESSION, _SINGLE_EXPRESSION = _build_scanners()


@dataclass(frozen=True)
class _Piece:
    """One side of a range (or a whole single expression) before it is resolved."""

    value: YearValue | None
    """Resolved year; None for a short right end (23年) that needs the left end."""
    has_nen: bool
    """False for a bare left end (2017 in 2017～2022年)."""
    short_number: int | None = None
    short_digits: int = 0
    short_fiscal: bool = False
    short_month: int | None = None


def parse_year(expression: str) -> tuple[YearValue, ...]:
    """Read one year expression; an empty tuple when it is not a year.

    ``'平成元年'`` → (1989,), ``'2017～2022年度'`` → (2017, 2022) both fiscal,
    ``'(05年)'`` → (2005,). Surrounding spaces are ignored; anything else that is
    not part of the expression makes it not a year.
    """
    folded = fold_width(expression).strip()
    in_parentheses = len(folded) >= 2 and folded[0] == "(" and folded[-1] == ")"
    if in_parentheses:
        folded = folded[1:-1].strip()
    return _parse_expression(folded, in_parentheses=in_parentheses)


def find_years(text: str) -> list[YearMatch]:
    """All year expressions in running text, in order and non-overlapping: written years
    (2025年, 令和7年度, R6.4.1) and numeric dates (2025/4/1, 令和3.7.18, FY2023). The tilde of
    an open range stays out of the span (2018年～ → 2018年)."""
    folded = fold_width(text)
    matches = _written_years(text, folded)
    for match in _numeric_dates(text, folded):
        overlapping = [m for m in matches if m.start < match.end and match.start < m.end]
        if all(match.start <= m.start and m.end <= match.end for m in overlapping):
            matches = [m for m in matches if m not in overlapping] + [match]  # R6/4/1 over R6
    return sorted(matches, key=lambda m: m.start)


def _written_years(text: str, folded: str) -> list[YearMatch]:
    matches: list[YearMatch] = []
    position = 0
    while True:
        found = _ANY_EXPRESSION.search(folded, position)
        if found is None:
            return matches
        start = found.start()
        if _APPROXIMATION_BEFORE.search(folded, max(0, start - _LOOKBACK_CHARS), start):
            position = start + 1
            continue
        end, values = found.end(), _parse_span(folded, start, found.end())
        if not values:
            # A range whose ends do not fit together (2022年～2017年): keep its first year.
            single = _SINGLE_EXPRESSION.match(folded, start)
            if single is not None:
                end, values = single.end(), _parse_span(folded, start, single.end())
        if values:
            position = end
            start, end = _without_open_tilde(folded, start, end)
            matches.append(YearMatch(start=start, end=end, text=text[start:end], values=values))
        else:
            position = start + 1


def _without_open_tilde(folded: str, start: int, end: int) -> tuple[int, int]:
    """平成29年～ / ～平成16年: the year without the tilde of its open range."""
    while end > start and folded[end - 1] in "~ \t":
        end -= 1
    while start < end and folded[start] in "~ \t":
        start += 1
    return start, end


# Numeric dates: 2025/4/1, 2021.7.18, 2025-04-01, 令和3.7.18, 令和3/7/18, R6/4/1; FY2023.
_NUMERIC_MONTH = r"(?P<month>1[0-2]|0?[1-9])"
_NUMERIC_DAY = r"(?P<day>3[01]|[12][0-9]|0?[1-9])"
_GREGORIAN_DATE = re.compile(
    rf"(?<![0-9.,/])(?P<year>(?:18|19|20)[0-9]{{2}})(?P<sep>[/.\-]){_NUMERIC_MONTH}(?P=sep){_NUMERIC_DAY}(?![0-9])"
)
_ERA_DATE = re.compile(
    rf"(?:(?P<era>{_ERA_NAME})|(?<![A-Za-z0-9])(?P<initial>[MTSHR]))[ \t]*(?P<number>[0-9]{{1,2}}|元)"
    rf"(?P<sep>[/.]){_NUMERIC_MONTH}(?P=sep){_NUMERIC_DAY}(?![0-9])"
)
# FY2023, FY 2023, FY23: a fiscal year
_FISCAL_YEAR = re.compile(r"(?<![A-Za-z])FY[ \t]?(?P<year>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9])")
# 2023(令和5)年12月1日: a Gregorian year with its era year in parentheses before 年
_YEAR_WITH_ERA = re.compile(
    rf"(?<![0-9.,])(?P<year>(?:18|19|20)[0-9]{{2}})[ \t]*\([ \t]*{_ERA_NAME}[ \t]*(?:[0-9]{{1,2}}|元)[ \t]*\)[ \t]*"
    + _NEN
)


def _numeric_dates(text: str, folded: str) -> list[YearMatch]:
    found: list[YearMatch] = []
    for match in _GREGORIAN_DATE.finditer(folded):
        value = _dated(int(match["year"]), None, match)
        if value is not None:
            found.append(YearMatch(match.start(), match.end(), text[match.start():match.end()], (value,)))
    for match in _ERA_DATE.finditer(folded):
        era = ERA_BY_ALIAS.get(match["era"] or match["initial"], match["era"] or match["initial"])
        era_year = 1 if match["number"] == "元" else int(match["number"])
        if not 1 <= era_year <= MAX_ERA_YEAR:
            continue
        value = _dated(era_to_gregorian(era, era_year), era, match)
        if value is not None:
            found.append(YearMatch(match.start(), match.end(), text[match.start():match.end()], (value,)))
    for match in _FISCAL_YEAR.finditer(folded):
        digits = match["year"]
        year = int(digits) if len(digits) == 4 else _two_digit_year(int(digits))
        found.append(YearMatch(match.start(), match.end(), text[match.start():match.end()],
                               (YearValue(year, True, None, None),)))
    for match in _YEAR_WITH_ERA.finditer(folded):
        year = int(match["year"])
        if is_calendar_year(year):
            value = YearValue(year, match["fiscal"] is not None, _month_of(match), None, _day_of(match))
            found.append(YearMatch(match.start(), match.end(), text[match.start():match.end()], (value,)))
    return found


def _dated(year: int, era: str | None, match: re.Match[str]) -> YearValue | None:
    """A year of a numeric date, when the date exists (2025/2/30 does not)."""
    month, day = int(match["month"]), int(match["day"])
    try:
        date(year, month, day)
    except ValueError:
        return None
    return YearValue(year, False, month, era, day) if is_calendar_year(year) else None


def iso_date(values: tuple[YearValue, ...]) -> str | None:
    """The full date a year expression prints, in ISO form: 2025-04-01, or 2025-04-01/2025-05-31
    for a range of two full dates; None when a month or a day is missing."""
    if not values or any(v.month is None or v.day is None for v in values):
        return None
    return "/".join(f"{v.year:04d}-{v.month:02d}-{v.day:02d}" for v in values)


def _parse_span(folded: str, start: int, end: int) -> tuple[YearValue, ...]:
    in_parentheses = (
        start > 0 and folded[start - 1] == "(" and _CLOSING_PAREN.match(folded, end) is not None
    )
    return _parse_expression(folded[start:end], in_parentheses=in_parentheses)


def _parse_expression(folded: str, *, in_parentheses: bool) -> tuple[YearValue, ...]:
    expression = folded.strip(" \t")
    is_open_range = False
    if expression.startswith("~"):
        expression, is_open_range = expression[1:].lstrip(" \t"), True
    elif expression.endswith("~"):
        expression, is_open_range = expression[:-1].rstrip(" \t"), True
    parts = _RANGE_SEPARATOR.split(expression, maxsplit=1)
    if len(parts) == 3:
        if is_open_range:
            return ()
        left_text, separator, right_text = parts
        return _parse_range(left_text, separator, right_text)
    piece = _parse_piece(expression, allow_short=in_parentheses)
    if piece is None or piece.value is None or not piece.has_nen and not _is_bare_initial(expression):
        return ()
    return (piece.value,)


def _is_bare_initial(expression: str) -> bool:
    return _PIECE_INITIAL_BARE.fullmatch(expression) is not None


def _parse_range(left_text: str, separator: str, right_text: str) -> tuple[YearValue, ...]:
    left = _parse_piece(left_text, allow_short=False)
    right = _parse_piece(right_text, allow_short=False) or _parse_piece(right_text, allow_short=True)
    if left is None or right is None or left.value is None:
        return ()
    if not right.has_nen and not _is_bare_initial(right_text):
        return ()  # 2017年～2022: a range needs 年 on its right end
    if separator == "から" and not (left.has_nen and right.short_number is None):
        return ()  # から only joins two complete years; 2017年から5年 is a duration
    if right.short_number is not None or right.value is None:
        right_value = _resolve_short_right_end(left.value, left_text, right)
        if right_value is None:
            return ()
    else:
        right_value = right.value
    left_value = left.value
    if not left.has_nen:
        # 2017～2022年度: the bare left end is the same kind of year as the right end
        left_value = YearValue(left_value.year, right_value.fiscal, left_value.month, left_value.era)
    if right_value.year < left_value.year:
        return ()
    return (left_value, right_value)


def _resolve_short_right_end(left: YearValue, left_text: str, right: _Piece) -> YearValue | None:
    assert right.short_number is not None
    if left.era is not None:
        # 平成12～15年: the right end counts in the left end's era
        if not 1 <= right.short_number <= MAX_ERA_YEAR:
            return None
        year = era_to_gregorian(left.era, right.short_number)
        return YearValue(year, right.short_fiscal, right.short_month, left.era)
    if right.short_digits != 2 or not _PIECE_GREGORIAN.fullmatch(left_text):
        return None
    # 2009～13年 → 2013; 1998～03年 → 2003
    year = left.year - left.year % 100 + right.short_number
    if year < left.year:
        year += 100
    return YearValue(year, right.short_fiscal, right.short_month, None)


def _parse_piece(piece: str, *, allow_short: bool) -> _Piece | None:
    match = _PIECE_ERA.fullmatch(piece)
    if match is not None:
        era = ERA_BY_ALIAS.get(match["era"], match["era"])
        return _era_piece(era, match["number"], match)
    match = _PIECE_INITIAL_WITH_NEN.fullmatch(piece)
    if match is not None:
        return _era_piece(ERA_BY_ALIAS[match["initial"]], match["number"], match)
    match = _PIECE_INITIAL_BARE.fullmatch(piece)
    if match is not None:
        era = ERA_BY_ALIAS[match["initial"]]
        era_year = int(match["number"])
        if not 1 <= era_year <= MAX_ERA_YEAR:
            return None
        month = int(match["dot_month"]) if match["dot_month"] else None
        day = int(match["dot_day"]) if match["dot_day"] else None
        value = YearValue(era_to_gregorian(era, era_year), False, month, era, day)
        return _Piece(value=value, has_nen=False)
    match = _PIECE_GREGORIAN.fullmatch(piece) or _PIECE_KANJI_GREGORIAN.fullmatch(piece)
    if match is not None:
        year = parse_japanese_number(match["number"])
        if not isinstance(year, int) or not FIRST_GREGORIAN_YEAR <= year <= LAST_GREGORIAN_YEAR:
            return None
        return _gregorian_piece(year, match)
    match = _PIECE_APOSTROPHE.fullmatch(piece)
    if match is not None:
        return _gregorian_piece(_two_digit_year(int(match["number"])), match)
    match = _PIECE_SHORT.fullmatch(piece)
    if match is not None and allow_short:
        number = int(match["number"])
        if len(match["number"]) == 2:
            # alone in parentheses (03年) this is already a complete year
            standalone = _gregorian_piece(_two_digit_year(number), match).value
        else:
            standalone = None
        return _Piece(
            value=standalone,
            has_nen=True,
            short_number=number,
            short_digits=len(match["number"]),
            short_fiscal=match["fiscal"] is not None,
            short_month=_month_of(match),
        )
    return None


def _era_piece(era: str, number_text: str, match: re.Match[str]) -> _Piece | None:
    era_year = 1 if number_text == "元" else parse_japanese_number(number_text)
    if not isinstance(era_year, int) or not 1 <= era_year <= MAX_ERA_YEAR:
        return None
    has_nen = match["nen"] is not None
    value = YearValue(
        year=era_to_gregorian(era, era_year),
        fiscal=match["fiscal"] is not None,
        month=_month_of(match) if has_nen else None,
        era=era,
        day=_day_of(match) if has_nen else None,
    )
    return _Piece(value=value, has_nen=has_nen)


def _gregorian_piece(year: int, match: re.Match[str]) -> _Piece:
    has_nen = match["nen"] is not None
    value = YearValue(year=year, fiscal=match["fiscal"] is not None, month=_month_of(match), era=None,
                      day=_day_of(match))
    return _Piece(value=value, has_nen=has_nen)


def _month_of(match: re.Match[str]) -> int | None:
    month_text = match["month"]
    if month_text is None:
        return None
    month = parse_japanese_number(month_text)
    return month if isinstance(month, int) else None


def _day_of(match: re.Match[str]) -> int | None:
    day_text = match.groupdict().get("day")
    if day_text is None:
        return None
    day = parse_japanese_number(day_text)
    return day if isinstance(day, int) else None


def _two_digit_year(number: int) -> int:
    return 2000 + number if number <= _TWO_DIGIT_PIVOT else 1900 + number


# --- YEAR candidates for the entity pipeline ---------------------------------------------------
# A 4-digit year alone in parentheses: （2019）; or glued to a Latin title: Awards2020, Award 2021
_BARE_YEAR_PAREN = re.compile(r"(?<=\()\s*((?:19|20)[0-9]{2})\s*(?=\))")
_BARE_YEAR_TITLE = re.compile(r"(?<=[A-Za-z])\s?((?:19|20)[0-9]{2})(?![0-9A-Za-z年])")


def year_candidates(text: str, bare_years: bool = True) -> list[Candidate]:
    """YEAR mentions: ``find_years`` plus bare years in parentheses and in Latin titles."""
    found: list[Candidate] = []
    for match in find_years(text):
        first = match.values[0]
        fields: dict[str, Any] = {
            "fiscal": first.fiscal, "month": first.month, "era": first.era,
            "values": [v.year for v in match.values],
            "fiscal_values": [v.fiscal for v in match.values],
        }
        when = iso_date(match.values)
        if when:
            fields["date"] = when
        found.append(Candidate("YEAR", match.start, match.end, match.text, value=first.year, fields=fields,
                               rule="years", priority=PRIORITY["value"]))
    if bare_years:
        found.extend(_bare_years(text, [(c.start, c.end) for c in found]))
    return found


# A chart axis read as text: years in a row, spaced or run together (2011 2012 2013,
# 201120122013…); each is a year when they climb.
_SPACED_YEARS = re.compile(r"(?<![0-9.,])(?:19|20)[0-9]{2}(?:[ \t、,/]+(?:19|20)[0-9]{2}){2,}(?![0-9])")
_RUN_TOGETHER_YEARS = re.compile(r"(?<![0-9])(?:(?:19|20)[0-9]{2}){3,}(?![0-9])")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")


def _axis_years(folded: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of each year of an axis row whose years rise."""
    found: list[tuple[int, int, int]] = []
    for pattern in (_SPACED_YEARS, _RUN_TOGETHER_YEARS):
        for run in pattern.finditer(folded):
            pieces = [(m.start() + run.start(), m.end() + run.start(), int(m.group())) for m in _FOUR_DIGITS.finditer(run.group())]
            years = [year for _, _, year in pieces]
            if all(b > a for a, b in zip(years, years[1:])) and all(is_calendar_year(y) for y in years):
                found.extend(pieces)
    return found


def _bare_years(text: str, taken: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    folded = fold_width(text)
    for start, end, year in _axis_years(folded):
        if any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        found.append(Candidate("YEAR", start, end, text[start:end], value=year,
                               fields={"fiscal": False, "month": None, "era": None, "values": [year],
                                       "fiscal_values": [False]},
                               rule="year_axis", priority=PRIORITY["bare_year"]))
    for pattern, rule in ((_BARE_YEAR_PAREN, "bare_year_paren"), (_BARE_YEAR_TITLE, "bare_year_title")):
        for match in pattern.finditer(folded):
            start, end = match.span(1)
            if any(a < end and start < b for a, b in taken):
                continue
            year = int(match.group(1))
            if not is_calendar_year(year):
                continue
            taken.append((start, end))
            found.append(Candidate("YEAR", start, end, text[start:end], value=year,
                                   fields={"fiscal": False, "month": None, "era": None, "values": [year],
                                           "fiscal_values": [False]},
                                   rule=rule, priority=PRIORITY["bare_year"]))
    return found
