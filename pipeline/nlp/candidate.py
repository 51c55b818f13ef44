"""Candidates: one recognized mention in one text unit, and the one priority scale rules share.

Every recognizer proposes candidates with a priority; when two overlap, the overlap policy
(``pipeline.nlp.resolve``) keeps the stronger. The scale is defined here once, by the kind
of evidence a rule has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

PRIORITY = MappingProxyType({
    # evidence that names the thing outright
    "user": 95,  # a name from the user's own gazetteer (--gazetteer): wins over every rule
    "legal_prefix": 91,  # 株式会社ＡＢＣ: the legal form written first
    "legal": 90,  # ＡＢＣ株式会社
    "ward": 85,  # 静岡市清水区
    "gazetteer": 80,  # a listed name: 岐阜県, 経済産業省, 地域おこし協力隊
    "value": 80,  # a year or an amount read by its grammar: 令和5年度, 3億円
    "whole_text": 76,  # a list item that is one program's name
    "quote": 75,  # 「…事業」
    # a name stem and a suffix
    "strong": 70,  # …銀行, …大学, …研究所
    "unit": 70,  # …課…室 with its owner
    "suffix": 70,  # …補助金, …法, …計画
    "latin": 70,  # ABC PROJECT
    "abbreviation": 65,  # X（ABC）: ABC
    "weak": 60,  # 山城電気: name words only
    "sha": 60,  # グラナダテック社
    "place": 60,  # 神戸空港
    "bare_year": 60,  # (2019), Award 2021
    "municipality_pattern": 55,  # 〈name〉村 next to a known municipality
    "designation": 50,  # Xに指定
    # context only
    "description": 45,  # カワセミ（地元の食品メーカー）
    "enumeration": 40,  # listed beside a known company
    "category": 40,  # …など大手チェーン店
    "model": 35,  # the statistical ORG model (off by default)
    "proper_noun": 30,  # a name unidic knows
    "propagated": 20,  # another occurrence of a name the document introduced
})
"""Rule kind → priority; higher wins an overlap."""
STRONG_EVIDENCE = 50
"""Rules at or above this priority name a thing by themselves; weaker ones need context."""


@dataclass
class Candidate:
    """One recognized mention inside one text (offsets into that text)."""

    label: str
    start: int
    end: int
    text: str
    type: str | None = None
    value: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    """Normalized details: YEAR fiscal/month/era/values, MONEY min/max/approx/bound/per/negative."""
    rule: str = ""
    """Which rule found it (``gazetteer``, ``suffix:銀行``, ``quote``, ``propagated``...)."""
    priority: int = 0
    """Higher wins when two candidates overlap (see ``PRIORITY``)."""
    canonical: str | None = None
    """Official name when the rule knows it (経産省 → 経済産業省, つばさ信金 → つばさ信用金庫)."""
    aliases: list[str] = field(default_factory=list)
    """Other names the text gives this mention (X（ABC） → ABC)."""
    propagate: bool = True
    """Whether other occurrences of this name in the document count as mentions."""

    @property
    def is_strong(self) -> bool:
        return self.priority >= STRONG_EVIDENCE


@dataclass
class PlacedCandidate:
    """A candidate with where it is: the unit it came from and its sentence."""

    candidate: Candidate
    unit_index: int
    para_id: str | None
    page: int | None
    section_id: str | None
    source: str
    sentence: int | None
