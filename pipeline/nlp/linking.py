"""Mentions → entities: document-wide propagation of names, then linking mentions into entities.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.japanese.normalize import match_key
from pipeline.nlp.candidate import PRIORITY, Candidate, PlacedCandidate
from pipeline.nlp.gazetteer import trie_regex
from pipeline.nlp.names import NameRules, display_name, unique_in_order
from pipeline.nlp.textview import TextView, compact_key

NAME_LABELS = ("ORG", "PROGRAM")


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


# --- propagation -------------------------------------------------------------------------------
_HIRAGANA_ONLY = re.compile(r"^[\u3041-\u309fー]+$")
MIN_SHORT_FORM_CHARS = 3
"""A Japanese short form shorter than this does not stand for its name (特例 of 特例有限会社)."""


def propagate_names(units: Sequence[tuple[TextView, list[Candidate]]], rules: NameRules) -> list[int]:
    """Tag every other occurrence of a document's recognized names and aliases.

    ``units`` pairs a ``TextView`` with its (resolved) candidates; new candidates are added
    to those lists. Returns the indices of the units that got new mentions.
    """
    sources = _propagation_sources(units, rules)
    if not sources:
        return []
    pattern = re.compile(trie_regex(sources))
    changed: list[int] = []
    for index, (view, candidates) in enumerate(units):
        added = _tag_occurrences(view, candidates, pattern, sources)
        if added:
            candidates.sort(key=lambda c: (c.start, -c.end))
            changed.append(index)
    return changed


def _propagation_sources(units: Sequence[tuple[TextView, list[Candidate]]], rules: NameRules) -> dict[str, Candidate]:
    """Matching key of every name, alias and short form the document introduced → its candidate;
    keys that two different names shorten to are left out."""
    sources: dict[str, Candidate] = {}
    ambiguous: set[str] = set()
    for _view, candidates in units:
        for candidate in candidates:
            if candidate.label not in NAME_LABELS or not candidate.propagate or candidate.rule == "propagated":
                continue
            own = rules.key(candidate.text)
            shorts = rules.short_forms(candidate)
            for surface in [candidate.text, *candidate.aliases, *shorts]:
                key = compact_key(surface)
                if len(key) < 2 or _HIRAGANA_ONLY.match(key) or key.isdigit():
                    continue
                if surface in shorts and len(key) < MIN_SHORT_FORM_CHARS and not key.isascii():
                    continue  # 特例 from 特例有限会社: too short to stand for the name
                current = sources.get(key)
                if current is not None and rules.key(current.text) != own and surface not in candidate.aliases \
                        and rules.key(surface) != own:
                    ambiguous.add(key)  # two names shorten to it (東北…企業誘致室, 北陸…企業誘致室)
                if current is None or candidate.priority > current.priority:
                    sources[key] = candidate
    for key in ambiguous:
        sources.pop(key, None)
    return sources


def _tag_occurrences(
    view: TextView, candidates: list[Candidate], pattern: re.Pattern[str], sources: dict[str, Candidate]
) -> bool:
    """Add a propagated candidate for each free occurrence of a known name at token boundaries."""
    occupied = [(c.start, c.end) for c in candidates if c.label in NAME_LABELS]
    added = False
    for match in pattern.finditer(view.key):
        start, end = view.orig_span(*match.span())
        if start not in view.start_token or end not in view.end_token or not _latin_bounded(view, match):
            continue
        if any(a < end and start < b for a, b in occupied):
            continue
        source = sources[match.group()]
        candidates.append(
            Candidate(source.label, start, end, view.text[start:end], type=source.type, rule="propagated",
                      priority=PRIORITY["propagated"], canonical=source.canonical,
                      fields={"alias_of": source.text})
        )
        occupied.append((start, end))
        added = True
    return added


def _latin_bounded(view: TextView, match: re.Match[str]) -> bool:
    """A Latin name is not part of a longer Latin word: NAMC, not the NAMC of NAMCO."""
    key = match.group()
    if key[0].isascii() and key[0].isalnum():
        before = view.key[match.start() - 1] if match.start() > 0 else " "
        if before.isascii() and before.isalnum():
            return False
    if key[-1].isascii() and key[-1].isalnum():
        after = view.key[match.end()] if match.end() < len(view.key) else " "
        if after.isascii() and after.isalpha():
            return False
    return True


# --- entities ------------------------------------------------------------------------------------
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


def link(placed: Sequence[PlacedCandidate], rules: NameRules) -> list[LinkedEntity]:
    """Group placed mentions into entities, in order of first mention."""
    groups = KeyGroups()
    name_items = _group_names(placed, groups, rules)
    _join_latin_variants(groups, [key for key, _ in name_items])
    _join_short_forms(name_items, groups, rules)
    name_root = {id(item): groups.find(key) for key, item in name_items}
    entities: dict[Any, LinkedEntity] = {}
    for item in sorted(placed, key=lambda p: (p.unit_index, p.candidate.start)):
        for group_key, make_entity, value in _entity_keys(item.candidate, name_root.get(id(item))):
            entity = entities.get(group_key)
            if entity is None:
                entity = entities[group_key] = make_entity()
            entity.mentions.append(item)
            entity.mention_values.append(value)
    result = list(entities.values())  # dicts keep insertion order: the order of first mention
    for entity in result:
        _finish(entity, rules)
    return result


def _group_names(
    placed: Sequence[PlacedCandidate], groups: KeyGroups, rules: NameRules
) -> list[tuple[tuple[str, str], PlacedCandidate]]:
    """Each name mention's key, joined with its official name, aliases and the name it abbreviates."""
    name_items: list[tuple[tuple[str, str], PlacedCandidate]] = []
    for item in placed:
        candidate = item.candidate
        if candidate.label not in NAME_LABELS:
            continue
        key = (candidate.label, rules.key(candidate.text))
        groups.find(key)
        if candidate.canonical:
            groups.union((candidate.label, rules.key(candidate.canonical)), key)
        for alias in candidate.aliases:
            groups.union(key, (candidate.label, rules.key(alias)))
        alias_of = candidate.fields.get("alias_of")
        if alias_of:
            groups.union((candidate.label, rules.key(alias_of)), key)
        name_items.append((key, item))
    return name_items


def _join_short_forms(
    name_items: list[tuple[tuple[str, str], PlacedCandidate]], groups: KeyGroups, rules: NameRules
) -> None:
    """A shorter form that occurs on its own (商工課企業誘致推進室 after 見本市商工課…) joins
    its full name, unless two different names shorten to it."""
    mention_keys = {key for key, _ in name_items}
    shortened: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for key, item in name_items:
        if item.candidate.rule == "propagated":
            continue
        for form in rules.short_forms(item.candidate):
            short = (key[0], rules.key(form))
            if short != key and short in mention_keys:
                shortened.setdefault(short, set()).add(key)
    for short, fulls in shortened.items():
        if len(fulls) == 1:
            groups.union(next(iter(fulls)), short)


EntityKey = tuple[Any, ...]


def _entity_keys(candidate: Candidate, name_root: Any) -> list[tuple[EntityKey, Callable[[], LinkedEntity], int | None]]:
    """The entities a mention belongs to: (key, how to make the entity, the mention's value).
    A name belongs to its group; a year range to each of its years; an amount to its value."""
    if candidate.label in NAME_LABELS:
        return [(("N", name_root), lambda: LinkedEntity(candidate.label, candidate.type, "", []), None)]
    if candidate.label == "YEAR":
        years = candidate.fields.get("values") or [candidate.value]
        fiscals = candidate.fields.get("fiscal_values") or [bool(candidate.fields.get("fiscal"))] * len(years)
        return [
            (("Y", year, bool(fiscal)),
             lambda y=year, f=fiscal: LinkedEntity("YEAR", None, "", [], value=y, fiscal=bool(f)), year)
            for year, fiscal in zip(years, fiscals)
        ]
    if candidate.label == "MONEY":
        fields = candidate.fields
        # The same key as the corpus-wide merge: 約300万円 and 300万円以内 are different statements.
        money_key = ("M", candidate.value, fields.get("value_min"), fields.get("value_max"),
                     bool(fields.get("negative")), bool(fields.get("approx")), fields.get("bound"), fields.get("per"))
        return [(money_key, lambda: LinkedEntity("MONEY", None, "", [], value=candidate.value), candidate.value)]
    return []


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


def _finish(entity: LinkedEntity, rules: NameRules) -> None:
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
        entity.name = rules.normalized_name(canonical)
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
        entity.name = rules.normalized_name(surfaces[0]) if surfaces else ""
        entity.aliases = [s for s in surfaces if s != entity.name]
