"""How clean ``paragraphs.csv`` is: the share of its ``paragraph`` rows that are really chart
text, captions or table-of-contents lines, and the document titles against the gold.

The audit flags rows with rules of its own (not the pipeline's), so the figure is an
independent check, not the classifier grading itself:

* table of contents: leader dots (…… / ・・・・ / ....), a line ending in a page reference
  after white space (総則　10, 概要 P.4) or opening with one (P.2 支援の内容), or the title of a
  gold heading printed on an earlier page than that heading (a 目次 without leaders);
* caption: a line opening with a figure or table number (図1, 表2-1, 図表3, 第1-4-1図, 写真2);
* chart text: a short line (15 characters or fewer) that is mostly digits, units and
  symbols (20,000 / 2011201220132014 / (年) / 10% / 億円), or any line of 15 characters or
  fewer set smaller than the body (axis labels, legends).

The flags over-count a little (a one-line number in running text is "chart text" to them);
spot-check the examples printed with ``--details``.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.convert import write_outputs
from pipeline.model import MARGIN_KINDS, Document
from tools.evaluation.structure import read_paragraph_rows, title_key

_LEADERS = re.compile(r"[…‥]{2,}|[・･.．]{4,}")
_PAGE_REFERENCE = re.compile(r"\s(?:[pPＰ][.．]?\s*)?[0-9０-９]{1,3}\s*$|^[pPＰ][.．]\s*[0-9０-９]{1,3}\s")
_NUMBERED_FIGURE = re.compile(r"^[■□◆◇●○▼\s]*(?:第\s*[0-9０-９][0-9０-９\-－.．]*\s*)?(?:図表|図|表|写真|グラフ)\s*[0-9０-９]")
_CHART_CHARS = re.compile(r"[0-9０-９,，.．%％()（）年月度円万億千百兆人件倍\-－+＋/／~～:：]")
_SHORT = 15


def audit_paragraphs(doc: Document, gold_headings: dict[str, int] | None = None) -> dict[str, Any]:
    """Counts of paragraphs.csv rows by kind, and of ``paragraph`` rows flagged as non-prose.

    ``gold_headings``: title key → page of the document's gold headings, when it has a gold tree."""
    with tempfile.TemporaryDirectory() as folder:
        write_outputs(doc, Path(folder))
        rows = read_paragraph_rows(Path(folder) / "paragraphs.csv")
    small = _small_text_ids(doc)
    kinds = Counter(row["kind"] for row in rows)
    flagged: dict[str, list[str]] = {"toc": [], "caption": [], "chart_text": []}
    prose = [row for row in rows if row["kind"] == "paragraph"]
    for row in prose:
        flag = _flag(row["text"], row["para_id"] in small)
        heading_page = (gold_headings or {}).get(title_key(row["text"]))
        if flag is None and heading_page is not None and int(row["page"]) < heading_page:
            flag = "toc"
        if flag:
            flagged[flag].append(row["text"][:40])
    total_flagged = sum(len(v) for v in flagged.values())
    return {
        "rows": len(rows),
        "kinds": dict(sorted(kinds.items())),
        "paragraph_rows": len(prose),
        "flagged": {k: len(v) for k, v in flagged.items()},
        "flagged_share": round(total_flagged / len(prose), 4) if prose else 0.0,
        "examples": {k: v[:8] for k, v in flagged.items()},
    }


def _flag(text: str, small: bool) -> str | None:
    if _LEADERS.search(text) or (len(text) <= 60 and _PAGE_REFERENCE.search(text) and "。" not in text):
        return "toc"
    if _NUMBERED_FIGURE.match(text):
        return "caption"
    compact = "".join(text.split())
    if len(compact) <= _SHORT and (small or _chart_share(compact) >= 0.5):
        return "chart_text"
    return None


def _chart_share(text: str) -> float:
    if not text:
        return 0.0
    hits = sum(1 for char in text if _CHART_CHARS.match(unicodedata.normalize("NFKC", char)))
    return hits / len(text)


def _small_text_ids(doc: Document) -> set[str]:
    """Blocks set at least a point smaller than the most common size of the document's text
    (weighted by characters, whatever kind the pipeline gave the blocks)."""
    sizes: Counter[int] = Counter()
    for block in doc.blocks:
        if block.font_size and block.kind not in MARGIN_KINDS and block.kind != "table":
            sizes[round(block.font_size)] += len(block.text)
    if not sizes:
        return set()
    body = sizes.most_common(1)[0][0]
    return {b.block_id for b in doc.blocks if b.font_size and b.font_size <= body - 1}


def score_title(doc: Document, gold_title: str | None) -> str | None:
    """``exact`` when the titles compare equal (FORMAT.md keys), ``partial`` when one holds the
    other, ``wrong`` otherwise; None without a gold title."""
    if not gold_title:
        return None
    ours, gold = title_key(doc.title or ""), title_key(gold_title)
    if ours and ours == gold:
        return "exact"
    if ours and (ours in gold or gold in ours):
        return "partial"
    return "wrong"
