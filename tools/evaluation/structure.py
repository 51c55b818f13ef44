"""Score a document's section tree and paragraphs against gold_structure.json and gold_blocks.json."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.japanese.normalize import match_key, normalize_text


def flatten_gold_sections(sections: list[dict[str, Any]], parent: str | None = None) -> list[dict[str, Any]]:
    """Gold tree → rows of (title, level, page, parent title)."""
    rows: list[dict[str, Any]] = []
    for node in sections:
        rows.append({"title": node["title"], "level": node["level"], "page": node["page"], "parent": parent})
        rows.extend(flatten_gold_sections(node.get("children", []), node["title"]))
    return rows


def score_sections(predicted: list[dict[str, Any]], gold: dict[str, Any]) -> dict[str, Any]:
    """Heading precision/recall/F1 on titles (NFKC, white space removed), parent and page accuracy.

    ``predicted`` rows carry title, page and parent (the parent's title or None), as read
    back from sections.csv. Titles are matched one to one in document order.
    """
    gold_rows = flatten_gold_sections(gold["sections"])
    doc_title = match_key(gold.get("title") or "")
    predicted = [p for p in predicted if match_key(p["title"]) != doc_title or p.get("parent")]
    unused: dict[str, list[int]] = {}
    for index, row in enumerate(predicted):
        unused.setdefault(match_key(row["title"]), []).append(index)
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = []
    missed: list[str] = []
    for row in gold_rows:
        candidates = unused.get(match_key(row["title"]))
        if candidates:
            matches.append((row, predicted[candidates.pop(0)]))
        else:
            missed.append(row["title"])
    matched_ids = {id(p) for _, p in matches}
    spurious = [p["title"] for p in predicted if id(p) not in matched_ids]
    precision = len(matches) / len(predicted) if predicted else 0.0
    recall = len(matches) / len(gold_rows) if gold_rows else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def same_parent(gold_row: dict[str, Any], row: dict[str, Any]) -> bool:
        gold_parent = match_key(gold_row["parent"]) if gold_row["parent"] else None
        parent = match_key(row["parent"]) if row.get("parent") else None
        if parent == doc_title:
            parent = None
        return gold_parent == parent

    parent_ok = sum(same_parent(g, p) for g, p in matches)
    page_ok = sum(int(g["page"]) == int(p["page"]) for g, p in matches)
    return {
        "gold": len(gold_rows),
        "predicted": len(predicted),
        "matched": len(matches),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "parent_accuracy": round(parent_ok / len(matches), 4) if matches else 0.0,
        "page_accuracy": round(page_ok / len(matches), 4) if matches else 0.0,
        "missed": missed,
        "spurious": spurious,
        "wrong_parent": [p["title"] for g, p in matches if not same_parent(g, p)],
        "wrong_page": [f"{p['title']} (gold {g['page']}, got {p['page']})" for g, p in matches if int(g["page"]) != int(p["page"])],
    }


def gold_sentences(blocks: list[dict[str, Any]]) -> list[str]:
    """Source sentences (split on 。) of every text block of gold_blocks.json."""
    texts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("paragraph", "caption", "source_note", "footnote"):
            texts.append(block["text"])
        elif kind == "bullets":
            texts.extend(item["text"] for item in block["items"])
    sentences: list[str] = []
    for text in texts:
        for piece in re.split(r"(?<=。)", text):
            if piece.strip():
                sentences.append(piece.strip())
    return sentences


def score_paragraphs(paragraph_texts: list[str], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of gold sentences found verbatim in the paragraphs.

    ``verbatim``: the gold sentence, put through the same text policy as our output
    (``normalize_text``: half-width digits, no 和欧間 spaces), is a substring of a paragraph.
    ``verbatim_raw`` skips that policy; ``ignoring_spaces`` drops all white space, which
    separates spacing differences from real losses.
    """
    sentences = gold_sentences(blocks)
    joined = "\n".join(paragraph_texts)
    squeezed = "\n".join(match_key(t) for t in paragraph_texts)
    verbatim = [s for s in sentences if normalize_text(s) in joined]
    raw = [s for s in sentences if s in joined]
    loose = [s for s in sentences if match_key(s) in squeezed]
    return {
        "sentences": len(sentences),
        "verbatim": round(len(verbatim) / len(sentences), 4) if sentences else 0.0,
        "verbatim_raw": round(len(raw) / len(sentences), 4) if sentences else 0.0,
        "ignoring_spaces": round(len(loose) / len(sentences), 4) if sentences else 0.0,
        "not_found": [s for s in sentences if match_key(s) not in squeezed][:30],
        "spacing_only": [s for s in sentences if s not in verbatim and s in loose][:30],
    }


def read_sections_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {r["section_id"]: r["title"] for r in rows}
    return [{"title": r["title"], "page": r["page"], "parent": titles.get(r["parent_id"]) if r["parent_id"] else None} for r in rows]


def read_paragraph_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [r["text"] for r in csv.DictReader(handle)]


def running_text_leaks(paragraph_texts: list[str], margin_texts: list[str]) -> list[str]:
    """Paragraphs that are exactly a running header/footer/page-number text."""
    margins = Counter(match_key(t) for t in margin_texts)
    return [t for t in paragraph_texts if match_key(t) in margins]
