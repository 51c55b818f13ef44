"""Score a document's section tree and paragraphs against gold_structure.json and gold_blocks.json."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.japanese.normalize import match_key, normalize_text


# Decorative marks a scorer strips from the start of a title: ■事業概要 = 事業概要.
_LEADING_MARKS = re.compile(r"^[■□◆◇●○・▼▽▶▷►★☆◎※\s]+")


def title_key(title: str) -> str:
    """How titles are compared (FORMAT.md): NFKC, no white space, no leading decorative marks."""
    return _LEADING_MARKS.sub("", match_key(title))


def flatten_gold_sections(sections: list[dict[str, Any]], parent: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Gold tree → rows (title, keys, page, optional, parent row) in document order."""
    rows: list[dict[str, Any]] = []
    for node in sections:
        keys = {title_key(node["title"])} | {title_key(t) for t in node.get("alt_titles") or []}
        row = {
            "title": node["title"], "keys": keys, "level": node.get("level"), "page": int(node["page"]),
            "optional": bool(node.get("optional")), "parent": parent,
        }
        rows.append(row)
        rows.extend(flatten_gold_sections(node.get("children", []), row))
    return rows


def score_sections(predicted: list[dict[str, Any]], gold: dict[str, Any]) -> dict[str, Any]:
    """Heading precision/recall/F1 and parent accuracy by the rules of FORMAT.md.

    ``predicted`` rows carry title, page and parent (the parent's title or None), as read
    back from sections.csv. A top-level heading repeating the document title is not scored
    (nor counted as a parent) unless the gold tree has a heading of that title. Optional gold headings, and the predicted headings matched to
    them, are left out of both sides; headings past ``complete_through_page`` are not
    scored; a title matches any of the gold's ``alt_titles``; when a title recurs, the
    heading on the same page is preferred. A parent is right when its title matches the gold
    parent's (or both are top-level); under an optional gold parent, that parent's own
    parent is accepted too.
    """
    gold_rows = flatten_gold_sections(gold["sections"])
    doc_title = title_key(gold.get("title") or "")
    if any(doc_title in row["keys"] for row in gold_rows):
        doc_title = ""  # the title is also a heading of the gold tree (a white-paper chapter): score it
    last_page = gold.get("complete_through_page")
    predicted = [
        p for p in predicted
        if (title_key(p["title"]) != doc_title or p.get("parent")) and (last_page is None or int(p["page"]) <= last_page)
    ]
    matches, unmatched_gold = _match(gold_rows, predicted)
    optional_hits = {id(p) for g, p in matches if g["optional"]}
    required = [(g, p) for g, p in matches if not g["optional"]]
    scored_predicted = [p for p in predicted if id(p) not in optional_hits]
    gold_required = [g for g in gold_rows if not g["optional"]]
    matched_ids = {id(p) for _, p in required}
    precision = len(required) / len(scored_predicted) if scored_predicted else 0.0
    recall = len(required) / len(gold_required) if gold_required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    parent_ok = [(g, p) for g, p in required if _same_parent(g, p, doc_title)]
    page_ok = sum(g["page"] == int(p["page"]) for g, p in required)
    return {
        "gold": len(gold_required),
        "predicted": len(scored_predicted),
        "matched": len(required),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "parent_accuracy": round(len(parent_ok) / len(required), 4) if required else 0.0,
        "page_accuracy": round(page_ok / len(required), 4) if required else 0.0,
        "missed": [f"{g['title']} (p{g['page']})" for g in unmatched_gold if not g["optional"]],
        "spurious": [f"{p['title']} (p{p['page']})" for p in scored_predicted if id(p) not in matched_ids],
        "wrong_parent": [
            f"{p['title']} (parent {p.get('parent')!r}, gold {g['parent']['title'] if g['parent'] else None!r})"
            for g, p in required if (g, p) not in parent_ok
        ],
        "wrong_page": [f"{p['title']} (gold {g['page']}, got {p['page']})" for g, p in required if g["page"] != int(p["page"])],
    }


def _match(
    gold_rows: list[dict[str, Any]], predicted: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]]]:
    """Pair gold and predicted headings one to one by title key, the same page first, then
    the first unused in document order."""
    by_key: dict[str, list[dict[str, Any]]] = {}
    for row in predicted:
        by_key.setdefault(title_key(row["title"]), []).append(row)
    used: set[int] = set()
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = []
    unmatched: list[dict[str, Any]] = []
    for gold_row in gold_rows:
        options = [p for key in gold_row["keys"] for p in by_key.get(key, []) if id(p) not in used]
        if not options:
            unmatched.append(gold_row)
            continue
        same_page = [p for p in options if int(p["page"]) == gold_row["page"]]
        chosen = same_page[0] if same_page else min(options, key=lambda p: predicted.index(p))
        used.add(id(chosen))
        matches.append((gold_row, chosen))
    return matches, unmatched


def _same_parent(gold_row: dict[str, Any], row: dict[str, Any], doc_title: str) -> bool:
    parent = title_key(row["parent"]) if row.get("parent") else None
    if parent == doc_title:
        parent = None
    accepted: list[set[str] | None] = []
    gold_parent = gold_row["parent"]
    accepted.append(gold_parent["keys"] if gold_parent else None)
    if gold_parent is not None and gold_parent["optional"]:
        grand = gold_parent["parent"]
        accepted.append(grand["keys"] if grand else None)
    return any((keys is None and parent is None) or (keys is not None and parent in keys) for keys in accepted)


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


def read_paragraph_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


PROSE_KINDS = ("paragraph", "list_item", "caption", "note")
"""The rows of paragraphs.csv that carry running text (headings, 目次 lines and chart text aside)."""


def read_paragraph_texts(path: Path) -> list[str]:
    """The running text of a paragraphs.csv: its paragraphs, list items, captions and notes."""
    return [row["text"] for row in read_paragraph_rows(path) if row["kind"] in PROSE_KINDS]


def running_text_leaks(paragraph_texts: list[str], margin_texts: list[str]) -> list[str]:
    """Paragraphs that are exactly a running header/footer/page-number text."""
    margins = Counter(match_key(t) for t in margin_texts)
    return [t for t in paragraph_texts if match_key(t) in margins]
