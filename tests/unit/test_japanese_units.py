"""Units of tables: 単位 statements, several units, scale multipliers (invented examples)."""

from __future__ import annotations

import pytest

from pipeline.japanese.markers import UNIT_LINE
from pipeline.japanese.units import explicit_unit, stated_units, unit_multiplier


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("（単位 千円、％）", ["千円", "%"]),
        ("（単位：百万円）", ["百万円"]),
        ("（単位千円）", ["千円"]),
        ("単位　人、％", ["人", "%"]),
        ("単位時間当たりの生産量", []),  # a phrase, not a unit statement
        ("単位人口当たりの件数", []),
    ],
)
def test_stated_units(text: str, units: list[str]) -> None:
    assert stated_units(text) == units
    assert explicit_unit(text) == (units[0] if units else None)
    assert bool(UNIT_LINE.match(text.replace(" ", "").replace("\u3000", ""))) == bool(units)


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("円", 1), ("千円", 1000), ("万円", 10**4), ("百万円", 10**6), ("億円", 10**8), ("十億円", 10**9),
     ("千億円", 10**11), ("万人", 10**4), ("%", None), (None, None)],
)
def test_unit_multiplier(unit: str | None, factor: int | None) -> None:
    assert unit_multiplier(unit) == factor
