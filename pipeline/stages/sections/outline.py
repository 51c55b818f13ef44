"""The document's own outline as evidence: its bookmarks and its printed 目次, matched to
the body lines they name.

A matched line is a heading whatever its typography, and its depth in the outline is kept
as evidence for the tree. Neither source is complete or always present: a title that
matches nothing is passed over, and headings the outline leaves out are still found by
the other rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from pipeline.japanese.markers import GENERIC_BOOKMARK, HEADING_LEAD, numbering_family
from pipeline.japanese.normalize import match_key
from pipeline.model import MARGIN_KINDS, Block
from pipeline.pdf.outline import Bookmark, mostly_matching
from pipeline.stages.sections.headings import set_heading_numbering, strip_enclosure
from pipeline.stages.sections.toc import OutlineEntry, PrintedToc
from pipeline.stages.working import RawCell, WorkingDocument

_MIN_BARE_KEY = 4
"""Titles compared without their numbering must keep this many characters (1 概要 ≠ 2 概要)."""


def bookmark_entries(bookmarks: list[Bookmark]) -> list[OutlineEntry]:
    """The bookmarks as outline entries, top level 1; none when most only number the slides."""
    if not bookmarks or mostly_matching(bookmarks, GENERIC_BOOKMARK):
        return []
    top = min(b.level for b in bookmarks)
    return [OutlineEntry(b.title, b.level - top + 1, b.page) for b in bookmarks if not GENERIC_BOOKMARK.match(b.title)]


def heading_key(text: str) -> str:
    """What a heading is compared on: no white space, widths folded, leading marks dropped
    (■ 事業概要 / ⚫ 事業概要 / ｜ 事業概要 ｜ → 事業概要)."""
    return HEADING_LEAD.sub("", match_key(strip_enclosure(text)))


def bare_key(key: str) -> str:
    """A heading key without its numbering: 1-1.AIの活用 → AIの活用, 1 AIの活用 → AIの活用."""
    family, marker = numbering_family(key)
    if family:
        return key[len(match_key(marker)):].lstrip(".．、:：)）")
    digits = re.match(r"^[0-9]+(?:[-.][0-9]+)*[.．]?", key)
    return key[digits.end():] if digits else key


def match_entries(
    entries: list[OutlineEntry], candidates: list[Block], by_page: bool
) -> dict[str, OutlineEntry]:
    """Each entry matched, in order, to the first later candidate block printing its title
    (the same title, or the same title once numbering is set aside: 1 概要 ~ 1-1．概要).

    ``by_page``: the entries' pages are physical (bookmarks), so a match must be on that page.
    """
    exact: dict[str, list[int]] = {}
    bare: dict[str, list[int]] = {}
    for index, block in enumerate(candidates):
        key = heading_key(block.text)
        exact.setdefault(key, []).append(index)
        if len(bare_key(key)) >= _MIN_BARE_KEY:
            bare.setdefault(bare_key(key), []).append(index)
    matched: dict[str, OutlineEntry] = {}
    position = 0
    for entry in entries:
        wanted = heading_key(entry.title)
        if not wanted:
            continue
        options = sorted(set(exact.get(wanted, []) + bare.get(bare_key(wanted), [])))
        for index in options[bisect.bisect_left(options, position):]:
            block = candidates[index]
            if by_page and entry.page is not None and block.page != entry.page:
                continue
            matched[block.block_id] = entry
            position = index + 1
            break
    return matched


def match_table_rows(entries: Iterable[OutlineEntry], work: WorkingDocument, taken: set[str]) -> list[Block]:
    """Bookmarked titles printed as a row of a table (a shaded category row of an FAQ grid):
    a heading block is put in front of that table's placeholder (the row stays in the table
    too). Block ids are renumbered in reading order afterwards."""
    doc = work.doc
    placeholders = {b.table_id: b for b in doc.blocks if b.kind == "table" and b.table_id}
    next_number = 1 + len(doc.blocks)
    added: list[Block] = []
    cell_keys: dict[str, dict[str, RawCell]] = {}  # table id → cell key → cell, made once per table
    for entry in entries:
        wanted = heading_key(entry.title)
        if entry.page is None or wanted in taken:
            continue
        for raw in work.raw_tables:
            if raw.page != entry.page or raw.table_id not in placeholders:
                continue
            keys = cell_keys.get(raw.table_id)
            if keys is None:
                keys = cell_keys[raw.table_id] = {}
                for candidate in raw.cells:
                    keys.setdefault(heading_key(candidate.text), candidate)
            cell = keys.get(wanted)
            if cell is None:
                continue
            block = Block(f"new{next_number}", "heading", cell.text, raw.page, cell.bbox)
            next_number += 1
            doc.blocks.insert(doc.blocks.index(placeholders[raw.table_id]), block)
            added.append(block)
            break
    return added


def content_after(blocks: list[Block], start: Block | None) -> list[Block]:
    """Blocks that can be headings, after ``start`` (the end of a 目次) when given."""
    index = blocks.index(start) + 1 if start is not None else 0
    return [b for b in blocks[index:] if b.kind not in MARGIN_KINDS and b.kind not in ("table", "toc", "title")]


def apply_outline(work: WorkingDocument, toc: PrintedToc | None) -> None:
    """Make every block the outline names a heading and keep its outline depth.

    Both the printed 目次 and the bookmarks promote headings; the depths come from the one
    that names more of them (two outlines of one document may number their levels apart).
    """
    doc = work.doc
    printed: dict[str, OutlineEntry] = {}
    if toc is not None:
        printed = match_entries(toc.entries, content_after(doc.blocks, toc.blocks[-1]), by_page=False)
    entries = bookmark_entries(work.bookmarks)
    marked: dict[str, OutlineEntry] = match_entries(entries, content_after(doc.blocks, None), by_page=True)
    found = {heading_key(entry.title) for entry in marked.values()}
    rows = match_table_rows([e for e in entries if heading_key(e.title) not in found], work, found)
    entry_of: dict[str, OutlineEntry] = {}
    for entry in entries:
        entry_of.setdefault(heading_key(entry.title), entry)
    for block in rows:
        marked[block.block_id] = entry_of[heading_key(block.text)]
    levels = marked if len(marked) >= len(printed) else printed
    by_id = {b.block_id: b for b in doc.blocks}
    for named in {**printed, **marked}:
        block = by_id[named]
        if block.kind != "heading":
            block.kind = "heading"
            set_heading_numbering(block)
        work.outline_headings.add(named)
    for named, entry in levels.items():
        work.outline_levels[named] = entry.level
    if rows:
        work.renumber_blocks()
