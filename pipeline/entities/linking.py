"""Mentions → entities: candidates, comparison keys, document-wide propagation and linking.

A *candidate* is one recognized mention in one text unit (a paragraph, heading or table
cell). Linking groups the candidates of a document into entities:

* ORG / PROGRAM mentions are grouped by a comparison key: NFKC, no white space, legal forms
  removed (株式会社ＸＹＺ, XYZ 株式会社 and XYZ share the key ``XYZ``), X社 → X,
  X信金 → X信用金庫, and standard short names (経産省 → 経済産業省) from
  ``data/public_bodies.csv``. Pairs seen as ``X（Y）`` / ``X（以下「Y」）`` are joined.
* YEAR mentions are grouped by (year, fiscal); MONEY mentions by (value, min, max, sign).

Propagation: once a document has named an organization or program somewhere (with a
rule's evidence), every other occurrence of that name or alias at token boundaries in the
same document is a mention too (XYZ after 「XYZ 株式会社」, NAMC after
「北国先端材料センター（NAMC）」).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.text import match_key
from pipeline.text import strip_cjk_spaces

NAME_LABELS = ("ORG", "PROGRAM")


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
    """Higher wins when two candidates overlap."""
    canonical: str | None = None
    """Official name when the rule knows it (経産省 → 経済産業省, つばさ信金 → つばさ信用金庫)."""
    aliases: list[str] = field(default_factory=list)
    """Other names the text gives this mention (X（ABC） → ABC)."""
    propagate: bool = True
    """Whether other occurrences of this name in the document count as mentions."""


# --- comparison keys ---------------------------------------------------------------------------
# Legal-form prefixes and suffixes that do not distinguish two names: 株式会社ＡＢＣ = ABC株式会社 = ABC
_LEGAL_FORMS = (
    "公益財団法人", "一般財団法人", "公益社団法人", "一般社団法人", "財団法人", "社団法人",
    "独立行政法人", "国立研究開発法人", "地方独立行政法人", "国立大学法人", "学校法人", "社会福祉法人",
    "特定非営利活動法人", "NPO法人", "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "(株)", "(有)", "(公財)", "(一財)", "(公社)", "(一社)", "(独)", "(国研)", "(特非)", "㈱", "㈲",
)
_LEGAL_FORM_PATTERN = re.compile("|".join(re.escape(f) for f in sorted(_LEGAL_FORMS, key=len, reverse=True)))
# katakana or Latin name + 社: グラナダテック社 → グラナダテック
_NAME_SHA = re.compile(r"^([\u30a0-\u30ffA-Za-z0-9&.\- ]{2,})社$")
# つばさ信金 → つばさ信用金庫, みなと信組 → みなと信用組合, 中央労金 → 中央労働金庫
_SHORT_FINANCIAL = (("信金", "信用金庫"), ("信組", "信用組合"), ("労金", "労働金庫"))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The key two mentions of one organization or program share (see module docstring)."""
    key = match_key(text)
    stripped = _LEGAL_FORM_PATTERN.sub("", key)
    if len(stripped) >= 2:
        key = stripped
    found = _NAME_SHA.match(key)
    if found:
        key = found.group(1)
    for short, full in _SHORT_FINANCIAL:
        if key.endswith(short) and len(key) > len(short):
            key = key[: -len(short)] + full
    return key


@lru_cache(maxsize=65536)
def display_name(text: str) -> str:
    """A mention as a name: spaces between CJK characters removed, outer spaces trimmed."""
    return strip_cjk_spaces(re.sub(r"\s+", " ", text)).strip()


def official_name(text: str) -> str | None:
    """The official long form for a short financial name: つばさ信金 → つばさ信用金庫."""
    name = display_name(text)
    for short, full in _SHORT_FINANCIAL:
        if name.endswith(short) and len(name) > len(short):
            return name[: -len(short)] + full
    return None


# --- union-find ----------------------------------------------------------------------------------
class KeyGroups:
    """Union-find over comparison keys (per label)."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, item: tuple[str, str]) -> tuple[str, str]:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            root = self.find(parent)
            self.parent[item] = root
            return root
        return item

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


def short_forms(candidate: Candidate) -> list[str]:
    """Shorter names the same thing is called later in a document.

    株式会社山田製作所 → 山田製作所; 静岡市清水区 → 清水区;
    見本市商工課企業誘致推進室 → 企業誘致推進室; 桜台大学理工学部 → 理工学部.
    """
    name = display_name(candidate.text)
    forms: list[str] = []
    folded = unicodedata.normalize("NFKC", name)
    stripped = _LEGAL_FORM_PATTERN.sub("", folded).strip()
    if stripped and stripped != folded and len(stripped) >= 2:
        forms.append(stripped)
    if candidate.label == "ORG":
        if candidate.type == "municipality":
            ward = re.search(r"市(.{1,4}区)$", name)  # 静岡市清水区 → 清水区
            if ward:
                forms.append(ward.group(1))
        if candidate.type == "gov_agency":
            unit = re.search(r"課(.{3,}(?:室|係|班|センター))$", name)  # …課企業誘致推進室 → 企業誘致推進室
            if unit:
                forms.append(unit.group(1))
        if candidate.type == "university":
            faculty = re.search(r"大学(.{1,8}(?:学部|研究科))$", name)  # 桜台大学理工学部 → 理工学部
            if faculty:
                forms.append(faculty.group(1))
        found = _NAME_SHA.match(folded)
        if found:
            forms.append(found.group(1))
    if candidate.type in ("gov_agency", "other", "association") or candidate.label == "PROGRAM":
        # 見本市商工課… → 商工課…; 経済産業省新素材…補助金 → 新素材…補助金
        owner = _owner_prefix(name)
        if owner and len(name) - len(owner) >= 4:
            forms.append(name[len(owner):])
    return forms


def _owner_prefix(name: str) -> str | None:
    """A ministry, prefecture or municipality written in front of a name (経済産業省…, 見本市…)."""
    from pipeline.entities.orgs import load_org_data  # noqa: PLC0415

    data = load_org_data()
    match = data.gazetteer_pattern.match(unicodedata.normalize("NFKC", name))
    if match is None:
        return None
    entry = data.surfaces.get(match.group())
    if entry is None or entry.type not in ("national_gov", "prefecture", "municipality", "gov_agency"):
        return None
    return name[: match.end()]


def unique_in_order(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            result.append(item)
    return result


# --- propagation -------------------------------------------------------------------------------
PROPAGATED_PRIORITY = 20
_HIRAGANA_ONLY = re.compile(r"^[\u3041-\u309fー]+$")


def propagate_names(units: Sequence[tuple[Any, list[Candidate]]]) -> list[int]:
    """Tag every other occurrence of a document's recognized names and aliases.

    ``units`` pairs a ``TextView`` with its (resolved) candidates; new candidates are added
    to those lists. Returns the indices of the units that got new mentions.
    """
    from pipeline.entities.orgs import compact_key, trie_regex  # noqa: PLC0415 (orgs imports this module)

    sources: dict[str, Candidate] = {}
    ambiguous: set[str] = set()
    for _view, candidates in units:
        for candidate in candidates:
            if candidate.label not in NAME_LABELS or not candidate.propagate or candidate.rule == "propagated":
                continue
            own = name_key(candidate.text)
            shorts = short_forms(candidate)
            for surface in [candidate.text, *candidate.aliases, *shorts]:
                key = compact_key(surface)
                if len(key) < 2 or _HIRAGANA_ONLY.match(key) or key.isdigit():
                    continue
                if surface in shorts and len(key) < 3 and not key.isascii():
                    continue  # 特例 from 特例有限会社: too short to stand for the name
                current = sources.get(key)
                if current is not None and name_key(current.text) != own and surface not in candidate.aliases \
                        and name_key(surface) != own:
                    ambiguous.add(key)  # two names shorten to it (東北…企業誘致室, 北陸…企業誘致室)
                if current is None or candidate.priority > current.priority:
                    sources[key] = candidate
    for key in ambiguous:
        sources.pop(key, None)
    if not sources:
        return []
    pattern = re.compile(trie_regex(sources))
    changed: list[int] = []
    for index, (view, candidates) in enumerate(units):
        occupied = [(c.start, c.end) for c in candidates if c.label in NAME_LABELS]
        added = False
        for match in pattern.finditer(view.key):
            start, end = view.orig_span(*match.span())
            if start not in view.start_token or end not in view.end_token:
                continue
            key = match.group()
            if key[0].isascii() and key[0].isalnum():
                before = view.key[match.start() - 1] if match.start() > 0 else " "
                if before.isascii() and before.isalnum():
                    continue
            if key[-1].isascii() and key[-1].isalnum():
                after = view.key[match.end()] if match.end() < len(view.key) else " "
                if after.isascii() and after.isalpha():
                    continue
            if any(a < end and start < b for a, b in occupied):
                continue
            source = sources[key]
            candidates.append(
                Candidate(source.label, start, end, view.text[start:end], type=source.type, rule="propagated",
                          priority=PROPAGATED_PRIORITY, canonical=source.canonical,
                          fields={"alias_of": source.text})
            )
            occupied.append((start, end))
            added = True
        if added:
            candidates.sort(key=lambda c: (c.start, -c.end))
            changed.append(index)
    return changed


# --- entities ------------------------------------------------------------------------------------
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


@dataclass
class LinkedEntity:
    label: str
    type: str | None
    name: str
    aliases: list[str]
    value: int | None = None
    value_min: int | None = None
    value_max: int | None = None
    approx: bool = False
    bound: str | None = None
    per: str | None = None
    negative: bool = False
    fiscal: bool = False
    month: int | None = None
    first_page: int | None = None
    mentions: list[PlacedCandidate] = field(default_factory=list)
    """Mentions with, for YEAR ranges, the year of this entity."""
    mention_values: list[int | None] = field(default_factory=list)


def link(placed: Sequence[PlacedCandidate]) -> list[LinkedEntity]:
    """Group placed mentions into entities, in order of first mention."""
    groups = KeyGroups()
    name_items: list[tuple[tuple[str, str], PlacedCandidate]] = []
    for item in placed:
        candidate = item.candidate
        if candidate.label not in NAME_LABELS:
            continue
        key = (candidate.label, name_key(candidate.text))
        groups.find(key)
        if candidate.canonical:
            groups.union((candidate.label, name_key(candidate.canonical)), key)
        for alias in candidate.aliases:
            groups.union(key, (candidate.label, name_key(alias)))
        alias_of = candidate.fields.get("alias_of")
        if alias_of:
            groups.union((candidate.label, name_key(alias_of)), key)
        name_items.append((key, item))

    _join_latin_variants(groups, [key for key, _ in name_items])
    # a shorter form that occurs on its own (商工課企業誘致推進室 after 見本市商工課…) joins
    # its full name, unless two different names shorten to it
    mention_keys = {key for key, _ in name_items}
    shortened: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for key, item in name_items:
        if item.candidate.rule == "propagated":
            continue
        for form in short_forms(item.candidate):
            short = (key[0], name_key(form))
            if short != key and short in mention_keys:
                shortened.setdefault(short, set()).add(key)
    for short, fulls in shortened.items():
        if len(fulls) == 1:
            groups.union(next(iter(fulls)), short)

    entities: dict[Any, LinkedEntity] = {}
    order: list[Any] = []

    def entity_for(group_key: Any, factory: Any) -> LinkedEntity:
        entity = entities.get(group_key)
        if entity is None:
            entity = factory()
            entities[group_key] = entity
            order.append(group_key)
        return entity

    by_position = sorted(placed, key=lambda p: (p.unit_index, p.candidate.start))
    name_root = {id(item): groups.find(key) for key, item in name_items}
    for item in by_position:
        candidate = item.candidate
        if candidate.label in NAME_LABELS:
            root = name_root[id(item)]
            entity = entity_for(("N", root), lambda c=candidate: LinkedEntity(c.label, c.type, "", []))
            entity.mentions.append(item)
            entity.mention_values.append(None)
        elif candidate.label == "YEAR":
            years = candidate.fields.get("values") or [candidate.value]
            fiscals = candidate.fields.get("fiscal_values") or [bool(candidate.fields.get("fiscal"))] * len(years)
            for year, fiscal in zip(years, fiscals):
                entity = entity_for(("Y", year, bool(fiscal)),
                                    lambda y=year, f=fiscal: LinkedEntity("YEAR", None, "", [], value=y, fiscal=bool(f)))
                entity.mentions.append(item)
                entity.mention_values.append(year)
        elif candidate.label == "MONEY":
            fields = candidate.fields
            # The same key as the corpus-wide merge: 約300万円 and 300万円以内 are different statements.
            money_key = ("M", candidate.value, fields.get("value_min"), fields.get("value_max"),
                         bool(fields.get("negative")), bool(fields.get("approx")), fields.get("bound"),
                         fields.get("per"))
            entity = entity_for(money_key, lambda c=candidate: LinkedEntity("MONEY", None, "", [], value=c.value))
            entity.mentions.append(item)
            entity.mention_values.append(candidate.value)

    result = [entities[k] for k in order]
    for entity in result:
        _finish(entity)
    return result


_LATIN_NAME = re.compile(r"^[A-Za-z0-9 &.\-]{8,}$")


def _join_latin_variants(groups: KeyGroups, keys: Sequence[tuple[str, str]]) -> None:
    """Long Latin names one letter apart are one name misspelt (HOKURIK SMART PROJECT)."""
    latin = sorted({k for k in keys if _LATIN_NAME.match(k[1])})
    for index, a in enumerate(latin):
        for b in latin[index + 1:]:
            if a[0] == b[0] and abs(len(a[1]) - len(b[1])) <= 1 and _one_edit(a[1].upper(), b[1].upper()):
                groups.union(a, b)


def _one_edit(a: str, b: str) -> bool:
    """One letter added, dropped or changed; a differing digit is another name (PLAN 2024 / PLAN 2025)."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if (i < len(a) and a[i].isdigit()) or (i < len(b) and b[i].isdigit()):
        return False
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _finish(entity: LinkedEntity) -> None:
    mentions = [m.candidate for m in entity.mentions]
    entity.first_page = next((m.page for m in entity.mentions if m.page is not None), None)
    surfaces = unique_in_order([display_name(c.text) for c in mentions])
    extra = unique_in_order([display_name(a) for c in mentions for a in c.aliases])
    if entity.label in NAME_LABELS:
        direct = [c for c in mentions if c.rule != "propagated"] or mentions
        best = max(direct, key=lambda c: c.priority)  # the first of the strongest mentions
        entity.type = best.type
        canonical = next((c.canonical for c in mentions if c.canonical), None)
        if canonical is None:
            canonical = max(unique_in_order([display_name(c.text) for c in direct]), key=lambda s: len(match_key(s)))
        entity.name = canonical
        entity.aliases = [s for s in unique_in_order(surfaces + extra) if s != entity.name]
    elif entity.label == "YEAR":
        entity.name = f"{entity.value}年度" if entity.fiscal else f"{entity.value}年"
        months = {c.fields.get("month") for c in mentions}
        entity.month = months.pop() if len(months) == 1 else None
        entity.aliases = [s for s in surfaces if s != entity.name]
    else:
        first = mentions[0].fields
        entity.value_min = first.get("value_min")
        entity.value_max = first.get("value_max")
        entity.negative = bool(first.get("negative"))
        entity.approx = any(c.fields.get("approx") for c in mentions)
        entity.bound = next((c.fields.get("bound") for c in mentions if c.fields.get("bound")), None)
        entity.per = next((c.fields.get("per") for c in mentions if c.fields.get("per")), None)
        entity.name = surfaces[0] if surfaces else ""
        entity.aliases = surfaces[1:]
