"""Validation shared by the configuration dataclasses (as pdfplumber's ``TableSettings`` does).

Each config calls these from ``__post_init__`` with the names of its fields, so a bad value
fails at once with the field's name instead of silently changing what a stage does.
"""

from __future__ import annotations

import math
from typing import Any


class SettingError(ValueError):
    """A configuration value outside its allowed range."""


def _number(config: Any, name: str) -> float:
    value = getattr(config, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise SettingError(f"{type(config).__name__}.{name} must be a number, got {value!r}")
    return float(value)


def require_non_negative(config: Any, *names: str) -> None:
    """Every named field is a number ≥ 0."""
    for name in names:
        if _number(config, name) < 0:
            raise SettingError(f"{type(config).__name__}.{name} must be 0 or more, got {getattr(config, name)!r}")


def require_positive(config: Any, *names: str) -> None:
    """Every named field is a number > 0."""
    for name in names:
        if _number(config, name) <= 0:
            raise SettingError(f"{type(config).__name__}.{name} must be more than 0, got {getattr(config, name)!r}")


def require_share(config: Any, *names: str) -> None:
    """Every named field is a share: a number from 0 to 1."""
    for name in names:
        if not 0 <= _number(config, name) <= 1:
            raise SettingError(f"{type(config).__name__}.{name} must be between 0 and 1, got {getattr(config, name)!r}")
