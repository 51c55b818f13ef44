"""Score entities against a gold inventory (``gold_entities.json``, rules in corpus/FORMAT.md).

* ORG / PROGRAM: surface forms compared after NFKC and removal of all white space. A
  predicted entity matches a gold entity when any of its forms (name or aliases) equals
  any of the gold entity's. Precision = matched predicted / predicted; recall = matched
  gold / gold.
* YEAR: the set of integer years. MONEY: the set of integer yen values, both ends of a
  predicted range included (gold entries with ``value_yen: null`` are ignored; predicted
  entities without a value too, and the readings of vague amounts such as 数千万円).

``ginza_entities(texts)`` maps GiNZA's labels onto ours, to compare (needs ``ja_ginza``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.model import Entity

LABELS = ("ORG", "PROGRAM", "YEAR", "MONEY")
_VAGUE_AMOUNT = re.compile(r"[数何幾][十百千万億兆]|[十百千]数")


def surface_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _prf(matched_pred: int, n_pred: int, matched_gold: int, n_gold: int) -> dict[str, float]:
    precision = matched_pred / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    recall = matched_gold / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score_names(predicted: Sequence[Entity], gold_items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """ORG / PROGRAM scoring by surface sets."""
    gold_forms = [{surface_key(g["name"]), *(surface_key(a) for a in g.get("aliases", []))} for g in gold_items]
    pred_forms = [{surface_key(e.name), *(surface_key(a) for a in e.aliases)} for e in predicted]
    matched_pred = [any(p & g for g in gold_forms) for p in pred_forms]
    matched_gold = [any(p & g for p in pred_forms) for g in gold_forms]
    scores = _prf(sum(matched_pred), len(pred_forms), sum(matched_gold), len(gold_forms))
    scores.update(
        n_predicted=len(pred_forms), n_gold=len(gold_forms),
        missed=[g["name"] for g, ok in zip(gold_items, matched_gold) if not ok],
        spurious=[e.name for e, ok in zip(predicted, matched_pred) if not ok],
    )
    return scores


def score_values(predicted: Iterable[int | None], gold_values: Iterable[int | None]) -> dict[str, Any]:
    """YEAR / MONEY scoring as sets of integers (None ignored on both sides)."""
    pred = {v for v in predicted if v is not None}
    gold = {v for v in gold_values if v is not None}
    scores = _prf(len(pred & gold), len(pred), len(pred & gold), len(gold))
    scores.update(n_predicted=len(pred), n_gold=len(gold), missed=sorted(gold - pred), spurious=sorted(pred - gold))
    return scores


def score_entities(entities: Sequence[Entity], gold: dict[str, Any]) -> dict[str, Any]:
    """Precision, recall and F1 per label, with missed and spurious items listed."""
    by_label = {label: [e for e in entities if e.label == label] for label in LABELS}
    result: dict[str, Any] = {}
    for label in ("ORG", "PROGRAM"):
        result[label] = score_names(by_label[label], gold.get(label, []))
    result["YEAR"] = score_values((e.value for e in by_label["YEAR"]), (g["value"] for g in gold.get("YEAR", [])))
    # A range (10,000円～15,000円) prints two amounts: both ends count, as for YEAR ranges.
    # A vague amount (数千万円) prints none: its reading 2千万..9千万 is not compared.
    money = [v for e in by_label["MONEY"]
             for v in ((e.value,) if _VAGUE_AMOUNT.search(e.name) else (e.value, e.value_min, e.value_max))]
    result["MONEY"] = score_values(money, (g.get("value_yen") for g in gold.get("MONEY", [])))
    return result


def micro_average(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Corpus score: micro-average of per-document counts (FORMAT.md)."""
    result: dict[str, Any] = {}
    for label in LABELS:
        matched_pred = matched_gold = n_pred = n_gold = 0
        for score in scores:
            item = score[label]
            n_pred += item["n_predicted"]
            n_gold += item["n_gold"]
            matched_pred += round(item["precision"] * item["n_predicted"])
            matched_gold += round(item["recall"] * item["n_gold"])
        result[label] = _prf(matched_pred, n_pred, matched_gold, n_gold)
    return result


# --- GiNZA, for comparison --------------------------------------------------------------------
# GiNZA (ja_ginza) uses the Sekine extended named-entity hierarchy (ENE); map what is ours.
GINZA_LABELS = {
    "Company": "ORG", "Corporation_Other": "ORG", "Organization_Other": "ORG", "International_Organization": "ORG",
    "Show_Organization": "ORG", "Family": None, "Ethnic_Group_Other": None, "Nationality": None,
    "Government": "ORG", "Political_Organization_Other": "ORG", "Political_Party": "ORG", "Cabinet": "ORG",
    "Military": "ORG", "School": "ORG", "Research_Institute": "ORG", "Market": "ORG", "Sports_Organization_Other": "ORG",
    "Pro_Sports_Organization": "ORG", "Sports_Team": "ORG", "Company_Group": "ORG", "City": "ORG", "Province": "ORG",
    "County": "ORG", "GPE_Other": None, "Country": None, "Airport": "ORG", "Port": "ORG",
    "Law": "PROGRAM", "Treaty": "PROGRAM", "Rule_Other": "PROGRAM", "Plan": "PROGRAM", "Project": "PROGRAM",
    "Money": "MONEY", "Date": "YEAR", "Era": "YEAR",
    # the coarse OntoNotes-style labels of older models
    "ORG": "ORG", "GPE": "ORG", "LAW": "PROGRAM", "MONEY": "MONEY", "DATE": "YEAR",
}


def ginza_available() -> bool:
    try:
        import ja_ginza  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def ginza_entities(texts: Sequence[str], nlp: Any = None) -> list[Entity]:
    """Run GiNZA and map its spans onto ORG / PROGRAM / YEAR / MONEY entities (distinct surfaces).

    YEAR and MONEY values are read with our own normalizers from GiNZA's span text (GiNZA
    normalizes nothing). Raises ImportError when ``ja_ginza`` is not installed
    (``pip install 'jp-report-pipeline[ginza]'``).
    """
    if nlp is None:
        import spacy  # noqa: PLC0415

        nlp = spacy.load("ja_ginza")
    from pipeline.nlp.recognizers.money import find_money  # noqa: PLC0415
    from pipeline.nlp.recognizers.years import find_years  # noqa: PLC0415

    seen: dict[tuple[str, str], Entity] = {}
    for doc in nlp.pipe(texts):
        for span in doc.ents:
            label = GINZA_LABELS.get(span.label_)
            if label is None:
                continue
            text = span.text.strip()
            if not text:
                continue
            value: int | None = None
            if label == "YEAR":
                years = find_years(text)
                if not years:
                    continue
                value = years[0].values[0].year
            elif label == "MONEY":
                amounts = find_money(text)
                if not amounts:
                    continue
                value = amounts[0].amount.value
            key = (label, surface_key(text) if value is None else str(value))
            if key in seen:
                seen[key].mentions += 1
                continue
            seen[key] = Entity(entity_id=f"G{len(seen) + 1:04d}", label=label, type=span.label_, name=text,  # type: ignore[arg-type]
                               value=value, mentions=1)
    return list(seen.values())
