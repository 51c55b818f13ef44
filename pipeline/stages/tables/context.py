"""What the document-level steps of the tables stage know about each table while they work."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Block, Table
from pipeline.stages.working import RawTable


@dataclass
class TableContext:
    """A table being built, the region it came from and its placeholder block."""

    table: Table
    raw: RawTable
    block: Block | None
    """The ``table`` block the layout stage put in reading order (None if it has none)."""
    has_caption: bool
    caption_unit_text: str | None
    """Text of a separate unit line near the caption (（単位：千円）)."""
