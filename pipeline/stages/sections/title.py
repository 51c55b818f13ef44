"""The document title: the largest display line(s) of the first page with text.

A title may carry chapter numbering (第4章 AIの…, a white-paper chapter): it is then the
document's title and stays a heading of the tree.
"""

from __future__ import annotations

from pipeline.japanese.markers import DATE_LINE, numbering_family
from pipeline.model import Block, Document
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle
from pipeline.stages.working import WorkingDocument

_TITLE_FAMILIES = ("part", "chapter")
"""Numbering a document title may open with: 第4章 …"""


def mark_title(doc: Document, body: BodyStyle, config: SectionConfig, work: WorkingDocument) -> None:
    """Set ``doc.title`` (and the ``title`` kind on its block) from the first page with text;
    fall back to the PDF's metadata title."""
    blocks = [b for b in doc.blocks if b.kind in ("paragraph", "heading") and work.lines_of(b)]
    first_page = next((b.page for b in blocks), None)
    candidates = [b for b in blocks if b.page == first_page and _could_be_title(b, config, work)]
    if candidates and body.size:
        # Python's max keeps the first of equal keys: the earliest of the largest lines.
        largest = max(candidates, key=lambda b: b.font_size or 0)
        if (largest.font_size or 0) >= config.title_size_ratio * body.size:
            doc.title = largest.text
            if numbering_family(largest.text)[0] is None and largest.block_id not in work.page_titles:
                largest.kind = "title"
    if doc.title is None and doc.source.metadata_title:
        doc.title = doc.source.metadata_title


def _could_be_title(block: Block, config: SectionConfig, work: WorkingDocument) -> bool:
    family = numbering_family(block.text)[0]
    return (
        bool(block.font_size)
        and len(block.text) <= config.title_max_chars
        and len(work.lines_of(block)) <= config.title_max_lines
        and (family is None or family in _TITLE_FAMILIES)
        and not DATE_LINE.match(block.text)
    )
