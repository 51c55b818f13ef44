"""The review page: one self-contained HTML file per document to check an extraction by eye.

Every page of the PDF is drawn as a picture with the extraction over it: each block's box by
kind, each table's cell grid, each entity mention coloured by label (hover: its normalized value
and entity id), the page's warnings; a sidebar holds the section tree, the tables and the
entities (filter by label, click for every mention). A plain-text input gets its text with the
mentions highlighted. The page reads only what ``document.json`` holds (and the PDF, for the
pictures): it is written from the finished Document's JSON, never from a stage's working data.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.export.csvfile import atomic_target
from pipeline.model.ids import cell_unit_id
from pipeline.pdf.render import DEFAULT_JPEG_QUALITY, DEFAULT_RENDER_SCALE, PageChar, RenderedPage, open_rendered
from pipeline.review.locate import chars_in, mention_rects
from pipeline.settings import require_positive

REVIEW_NAME = "review.html"
TOOLTIP_CHARS = 160
"""A block's text is cut to this many characters in its tooltip."""


@dataclass(frozen=True)
class ReviewConfig:
    """How the pages are drawn."""

    scale: float = DEFAULT_RENDER_SCALE
    """Pixels per point of the page pictures (1.25: an A4 page 744 pixels wide)."""
    jpeg_quality: int = DEFAULT_JPEG_QUALITY
    """JPEG quality of the pictures, 1–95 (70 keeps a 100-page report near 15–25 MB)."""

    def __post_init__(self) -> None:
        require_positive(self, "scale", "jpeg_quality")


def write_review(document: dict[str, Any], pdf: Path | None, out_dir: Path, config: ReviewConfig | None = None) -> Path:
    """Write ``out_dir/review.html`` for a document (``document.json``'s content); ``pdf`` is
    the input it was extracted from (None for plain text, or to leave the pictures out)."""
    target = out_dir / REVIEW_NAME
    with atomic_target(target) as staging:
        staging.write_text(review_html(document, pdf, config or ReviewConfig()), encoding="utf-8")
    return target


def review_html(document: dict[str, Any], pdf: Path | None, config: ReviewConfig) -> str:
    """The review page as one HTML string."""
    data = review_data(document, pdf, config)
    template = resources.files("pipeline.review").joinpath("page.html").read_text(encoding="utf-8")
    # no < > & inside the script element, whatever the PDF's text holds (</script>, <!--<script>)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    fills = {"__TITLE__": html.escape(data["title"]), "__REVIEW_DATA__": payload}
    return re.sub("__TITLE__|__REVIEW_DATA__", lambda match: fills[match.group()], template)


def review_data(document: dict[str, Any], pdf: Path | None, config: ReviewConfig) -> dict[str, Any]:
    """What the page shows, as plain JSON data (pictures as data: URLs)."""
    is_pdf = document.get("metadata", {}).get("kind", "pdf") == "pdf"
    rendered: dict[int, RenderedPage] = {}
    notes: list[dict[str, Any]] = []
    if is_pdf and pdf is not None:
        try:
            rendered = _rendered_pages(pdf, config)
        except Exception as error:  # PDFium cannot draw this file: the boxes go on blank pages
            notes.append({"code": "review_pictures", "page": None,
                          "message": f"the pages could not be drawn (PDFium: {type(error).__name__}); boxes on blank pages"})
    return {
        "doc_id": document["doc_id"],
        "title": document.get("metadata", {}).get("title") or document["doc_id"],
        "kind": "pdf" if is_pdf else "text",
        "pages": _pages(document, rendered),
        "warnings": notes + [w for w in document.get("warnings", []) if w.get("page") is None],
        "blocks": [_block(b) for b in document.get("blocks", [])],
        "tables": [_table(t) for t in document.get("tables", [])],
        "sections": [{"id": s["section_id"], "parent": s["parent_id"], "level": s["level"], "title": s["title"],
                      "page": s["page"], "block": s["block_id"]} for s in document.get("sections", [])],
        "entities": [{"id": e["entity_id"], "label": e["label"], "name": e["name"], "type": e["type"],
                      "value": e["value"], "mentions": e["mentions"]} for e in document.get("entities", [])],
        "mentions": _mentions(document, rendered),
        "fullText": {} if is_pdf else {b["block_id"]: b["text"] for b in document.get("blocks", []) if b["text"]},
    }


def _rendered_pages(pdf: Path | None, config: ReviewConfig) -> dict[int, RenderedPage]:
    assert pdf is not None
    with open_rendered(pdf, config.scale, config.jpeg_quality) as pages:
        return {page.number: page for page in pages}


def _pages(document: dict[str, Any], rendered: dict[int, RenderedPage]) -> list[dict[str, Any]]:
    warnings: dict[int, list[str]] = defaultdict(list)
    for warning in document.get("warnings", []):
        if warning.get("page") is not None:
            warnings[warning["page"]].append(warning["message"])
    pages = []
    for info in document.get("pages", []):
        number = info["number"]
        picture = rendered.get(number)
        view = picture.view if picture else (0.0, 0.0, info["width"], info["height"])
        pages.append({
            "number": number, "width": info["width"], "height": info["height"], "view": list(view),
            "image": "data:image/jpeg;base64," + base64.b64encode(picture.jpeg).decode("ascii") if picture else None,
            "warnings": warnings.get(number, []),
        })
    return pages


def _block(block: dict[str, Any]) -> dict[str, Any]:
    text = block["text"] or ""
    return {"id": block["block_id"], "kind": block["kind"], "page": block["page"], "bbox": block["bbox"],
            "section": block["section_id"], "text": text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS] + "…"}


def _table(table: dict[str, Any]) -> dict[str, Any]:
    return {"id": table["table_id"], "page": table["page"], "bbox": table["bbox"], "caption": table["caption"],
            "rows": table["n_rows"], "cols": table["n_cols"], "kind": table["kind"],
            "cells": [c["bbox"] for c in table["cells"] if c.get("bbox")]}


def _mentions(document: dict[str, Any], rendered: dict[int, RenderedPage]) -> list[dict[str, Any]]:
    """Every mention with the rectangles it is printed in (its block's or cell's box when its
    characters cannot be found on the page)."""
    units = _unit_boxes(document)
    entities = {e["entity_id"]: e for e in document.get("entities", [])}
    inside: dict[str, list[PageChar]] = {}
    found = []
    for mention in document.get("mentions", []):
        unit = units.get(mention["para_id"] or "")
        rects: list[Any] = []
        if unit is not None and unit[1] is not None and mention["page"] in rendered:
            key = mention["para_id"]
            if key not in inside:
                inside[key] = chars_in(rendered[mention["page"]].chars, unit[1])
            rects = mention_rects(inside[key], unit[0], mention["char_start"], mention["char_end"]) or [unit[1]]
        elif unit is not None and unit[1] is not None:
            rects = [unit[1]]
        entity = entities.get(mention["entity_id"], {})
        found.append({"entity": mention["entity_id"], "label": mention["label"], "text": mention["text"],
                      "value": mention["value"], "name": entity.get("name"), "page": mention["page"],
                      "unit": mention["para_id"], "start": mention["char_start"], "end": mention["char_end"],
                      "rects": rects})
    return found


def _unit_boxes(document: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Block or cell id → (its text, its box)."""
    units: dict[str, tuple[str, Any]] = {b["block_id"]: (b["text"] or "", b["bbox"]) for b in document.get("blocks", [])}
    for table in document.get("tables", []):
        for cell in table["cells"]:
            unit = cell_unit_id(table["table_id"], cell["row"], cell["col"])
            units[unit] = (cell["text"], cell.get("bbox") or table["bbox"])  # (a document.json of before 0.5)
    return units
