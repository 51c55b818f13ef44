"""Japanese era names (元号) and the span of years the pipeline reads as calendar years."""

from __future__ import annotations

from types import MappingProxyType

ERA_FIRST_YEAR = MappingProxyType({"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019})
"""Gregorian year of each era's first year (平成元年 = 1989)."""
ERA_NAMES = frozenset(ERA_FIRST_YEAR)
ERA_BY_ALIAS = MappingProxyType(
    {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和",
     "㍾": "明治", "㍽": "大正", "㍼": "昭和", "㍻": "平成", "㋿": "令和"}
)
"""Era initials (H30) and one-character square forms (㍻) → era name."""
ERA_NAME_PATTERN = "(?:" + "|".join(ERA_FIRST_YEAR) + ")"
"""Regex for an era name spelled out: 明治|大正|昭和|平成|令和."""
ERA_NAME_OR_SQUARE = "(?:" + "|".join(ERA_FIRST_YEAR) + "|[㍾㍽㍼㍻㋿])"
"""An era name or its square glyph (平成 or ㍻)."""
ERA_INITIALS = "MTSHR"
"""Latin initials of the eras (M5, T10, S50, H30, R5)."""

FIRST_GREGORIAN_YEAR = 1868
"""The Meiji era starts here; earlier 4-digit numbers are not read as years."""
LAST_GREGORIAN_YEAR = 2100
MAX_ERA_YEAR = 99
"""Documents keep counting past an era's end (平成32年度 = 2020), but not to 100."""


def is_calendar_year(year: float) -> bool:
    """A 4-digit number a document would print as a year (1868–2100)."""
    return FIRST_GREGORIAN_YEAR <= year <= LAST_GREGORIAN_YEAR


def era_to_gregorian(era: str, era_year: int) -> int:
    """Convert an era year to the Gregorian year: ``era_to_gregorian('平成', 1)`` → 1989.

    ``era`` may be the era name, its initial (M T S H R) or its square glyph (㍻).
    Years past the era's end are converted as printed (平成32 → 2020).
    """
    era_name = ERA_BY_ALIAS.get(era, era)
    if era_name not in ERA_FIRST_YEAR:
        raise ValueError(f"unknown era: {era!r}")
    if era_year < 1:
        raise ValueError(f"era year must be 1 or more, got {era_year}")
    return ERA_FIRST_YEAR[era_name] + era_year - 1
