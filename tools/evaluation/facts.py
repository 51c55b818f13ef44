"""Funding facts against the facts gold (FORMAT.md, "Funding facts").

A predicted fact is *found* when its yen value equals a gold fact's on a shared page (the gold's
``page`` or ``also_on_pages``, and the prediction's page or its own ``also_on_pages``); it is
*right* when, in addition, each of program, org and year that the gold gives matches (names
compared like entity surfaces, any alias of the gold entity counts). Predictions and gold facts
are paired one to one (a maximum matching), so a repeat printed as a second fact costs precision.
Precision = right / predicted; recall = right / gold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pipeline.model import Document, Entity, Fact
from tools.evaluation.entities import surface_key


def _alias_sets(entity_gold: dict[str, Any] | None) -> dict[str, set[str]]:
    """Gold entity name → every surface it may be printed as (for ORG and PROGRAM)."""
    forms: dict[str, set[str]] = {}
    for label in ("ORG", "PROGRAM"):
        for item in (entity_gold or {}).get(label, []):
            keys = {surface_key(item["name"]), *(surface_key(a) for a in item.get("aliases", []))}
            forms.setdefault(item["name"], set()).update(keys)
    return forms


def _name_matches(gold_name: str | None, entity: Entity | None, forms: dict[str, set[str]]) -> bool:
    if gold_name is None:
        return True
    if entity is None:
        return False
    predicted = {surface_key(entity.name), *(surface_key(a) for a in entity.aliases)}
    return bool(predicted & forms.get(gold_name, {surface_key(gold_name)}))


def _pages(page: int | None, also: Sequence[int] | None) -> set[int]:
    return ({page} if page is not None else set()) | set(also or ())


def _max_matching(n_pred: int, n_gold: int, edge: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing (augmenting paths; the lists are small)."""
    gold_of_pred: dict[int, int] = {}
    pred_of_gold: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in range(n_gold):
            if g in seen or not edge(p, g):
                continue
            seen.add(g)
            if g not in pred_of_gold or augment(pred_of_gold[g], seen):
                pred_of_gold[g] = p
                gold_of_pred[p] = g
                return True
        return False

    for p in range(n_pred):
        augment(p, set())
    return sorted(gold_of_pred.items())


def score_facts(doc: Document, gold: dict[str, Any], entity_gold: dict[str, Any] | None) -> dict[str, Any]:
    """Precision and recall of one document's facts, with the misses listed."""
    forms = _alias_sets(entity_gold)
    entities = {e.entity_id: e for e in doc.entities}
    predicted: list[Fact] = doc.facts
    gold_facts: list[dict[str, Any]] = gold["facts"]

    def found(p: int, g: int) -> bool:
        fact, item = predicted[p], gold_facts[g]
        pred_pages, gold_pages = _pages(fact.page, fact.also_on_pages), _pages(item.get("page"), item.get("also_on_pages"))
        return fact.value_yen == item["value_yen"] and (not pred_pages or not gold_pages or bool(pred_pages & gold_pages))

    def right(p: int, g: int) -> bool:
        fact, item = predicted[p], gold_facts[g]
        year = entities.get(fact.year_id or "")
        return (found(p, g) and _name_matches(item.get("program"), entities.get(fact.program_id or ""), forms)
                and _name_matches(item.get("org"), entities.get(fact.org_id or ""), forms)
                and (item.get("year") is None or (year is not None and year.value == item["year"])))

    n_found = len(_max_matching(len(predicted), len(gold_facts), found))
    pairs = _max_matching(len(predicted), len(gold_facts), right)
    matched_gold = {g for _, g in pairs}
    matched_pred = {p for p, _ in pairs}
    return {
        "n_predicted": len(predicted), "n_gold": len(gold_facts), "found": n_found, "right": len(pairs),
        "missed": [f"p{g.get('page')} {g['surface']} ({g.get('program')}, {g.get('org')}, {g.get('year')})"
                   for k, g in enumerate(gold_facts) if k not in matched_gold],
        "spurious": [f"p{f.page} {f.value_yen} ({_name(entities, f.program_id)}, {_name(entities, f.org_id)}, "
                     f"{_name(entities, f.year_id)}) {f.relation}"
                     for k, f in enumerate(predicted) if k not in matched_pred],
    }


def _name(entities: dict[str, Entity], entity_id: str | None) -> str | None:
    entity = entities.get(entity_id or "")
    return entity.name if entity else None


def micro_facts(scores: Sequence[dict[str, Any]]) -> dict[str, float]:
    right = sum(s["right"] for s in scores)
    n_pred = sum(s["n_predicted"] for s in scores)
    n_gold = sum(s["n_gold"] for s in scores)
    precision = right / n_pred if n_pred else 0.0
    recall = right / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "right": right, "n_predicted": n_pred, "n_gold": n_gold}
