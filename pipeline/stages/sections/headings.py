"""Making a block a heading: its kind, numbering family and number, or decorative marker."""

from __future__ import annotations

from pipeline.japanese.markers import HEADING_ENCLOSURE, HEADING_MARKER, numbering_family
from pipeline.model import Block


def make_heading(block: Block) -> None:
    """Turn a block into a heading, reading its numbering or marker."""
    block.kind = "heading"
    set_heading_numbering(block)


def set_heading_numbering(block: Block) -> None:
    """A heading's numbering family and number, or its decorative marker, dropped from the
    title (■ 事業概要 → 事業概要, ｜ 留意点 ｜ → 留意点); a number stays (（１）概要)."""
    enclosed = HEADING_ENCLOSURE.match(block.text.strip())
    if enclosed:
        block.marker = "｜"
        block.numbering = "marker:｜"
        block.text = enclosed.group(1)
        return
    marker = HEADING_MARKER.match(block.text)
    if marker:
        set_marker(block, marker.group(1), marker.end())
        return
    family, number = numbering_family(block.text)
    if family:
        block.numbering, block.marker = family, number


def unmake_heading(block: Block) -> str:
    """Undo ``make_heading`` on a block found not to be a heading after all: its marker goes
    back into its text. Returns the kind it becomes (``paragraph``)."""
    if block.numbering and block.numbering.startswith("marker:") and block.marker:
        block.text = block.marker + block.text
    block.numbering = None
    block.marker = None
    return "paragraph"


def set_marker(block: Block, marker: str, end: int) -> None:
    """A decorative marker opens the heading; the title is what follows it (■ 事業概要 → 事業概要)."""
    block.marker = marker
    block.numbering = "marker:" + marker
    block.text = block.text[end:].strip()


def strip_enclosure(text: str) -> str:
    """A title without the bars around it: ｜ 留意点 ｜ → 留意点."""
    enclosed = HEADING_ENCLOSURE.match(text.strip())
    return enclosed.group(1) if enclosed else text.strip()
