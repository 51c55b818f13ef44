"""The PDF's own outline (its bookmarks, ``/Outlines``): titles, levels and target pages.

Word, PowerPoint and Acrobat often write one; it is the author's table of contents, so the
sections stage takes it as evidence for headings and their levels. A damaged or odd outline
is read as far as it goes and never stops the conversion.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Any

from pipeline.japanese.normalize import normalize_text

MAX_BOOKMARKS = 5000
"""Stop reading an outline after this many entries (a cyclic or absurd outline)."""


@dataclass(frozen=True)
class Bookmark:
    """One entry of the PDF outline."""

    title: str
    level: int
    """1 for top-level entries."""
    page: int | None
    """The 1-based page it points to, when the destination can be resolved."""


def read_bookmarks(pdf: Any) -> list[Bookmark]:
    """The outline of an open pdfplumber PDF, in order: [] when it has none, the entries read
    so far when it is damaged part way."""
    bookmarks: list[Bookmark] = []
    try:
        page_numbers = {page.page_obj.pageid: page.page_number for page in pdf.pages}
        named = _named_destinations(pdf.doc)
        for level, title, dest, action, _ in pdf.doc.get_outlines():
            if len(bookmarks) >= MAX_BOOKMARKS:
                break
            text = normalize_text(title if isinstance(title, str) else _decode(title)).strip()
            if text:
                bookmarks.append(Bookmark(text, int(level), _target_page(dest, action, named, page_numbers)))
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds on odd outlines; the outline is optional
        pass  # keep the entries read before the damage
    return bookmarks


def _decode(value: Any) -> str:
    from pdfminer.utils import decode_text

    return decode_text(value) if isinstance(value, bytes) else str(value or "")


def _named_destinations(document: Any) -> dict[str, Any]:
    """Named destinations (``/Dests`` and the ``/Names`` tree): name → destination array."""
    from pdfminer.pdftypes import resolve1

    found: dict[str, Any] = {}
    catalog = document.catalog
    dests = resolve1(catalog.get("Dests"))
    if isinstance(dests, dict):
        found.update({_decode(key): value for key, value in dests.items()})
    names = resolve1(catalog.get("Names"))
    if isinstance(names, dict):
        _walk_name_tree(resolve1(names.get("Dests")), found, depth=0)
    return found


def _walk_name_tree(node: Any, found: dict[str, Any], depth: int) -> None:
    from pdfminer.pdftypes import resolve1

    if not isinstance(node, dict) or depth > 32:
        return
    pairs = resolve1(node.get("Names")) or []
    for key, value in zip(pairs[::2], pairs[1::2]):
        found[_decode(resolve1(key))] = value
    for kid in resolve1(node.get("Kids")) or []:
        _walk_name_tree(resolve1(kid), found, depth + 1)


def _target_page(dest: Any, action: Any, named: dict[str, Any], page_numbers: dict[int, int]) -> int | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    if dest is None and isinstance(action, dict):
        dest = action.get("D")
    dest = resolve1(dest)
    if isinstance(dest, (bytes, str, PSLiteral)):
        name = dest.name if isinstance(dest, PSLiteral) else _decode(dest)
        dest = resolve1(named.get(name))
    if isinstance(dest, dict):
        dest = resolve1(dest.get("D"))
    if not isinstance(dest, list) or not dest:
        return None
    target = dest[0]
    objid = getattr(target, "objid", None)
    if objid is not None:
        return page_numbers.get(objid)
    if isinstance(target, int):
        return target + 1  # a remote-style destination numbers pages from 0
    return None


def mostly_matching(bookmarks: list[Bookmark], pattern: re.Pattern[str]) -> bool:
    """At least half the bookmarks match ``pattern`` (スライド1, スライド2…: they only number slides)."""
    return bool(bookmarks) and sum(1 for b in bookmarks if pattern.match(b.title.strip())) * 2 >= len(bookmarks)


def read_pdfium_bookmarks(document: Any) -> list[Bookmark]:
    """The outline of a PDF open in PDFium (a ``pypdfium2.PdfDocument``), read as
    :func:`read_bookmarks` reads it with pdfminer: [] when it has none, the entries read so far
    when it is damaged part way."""
    import pypdfium2.raw as raw

    bookmarks: list[Bookmark] = []
    try:
        for item in document.get_toc():
            if len(bookmarks) >= MAX_BOOKMARKS:
                break
            text = normalize_text(item.get_title() or "").strip()
            if text:
                bookmarks.append(Bookmark(text, item.level + 1, _pdfium_target_page(raw, document, item)))
    except Exception:  # noqa: BLE001 - the outline is optional
        pass  # keep the entries read before the damage
    return bookmarks


def _pdfium_target_page(raw: Any, document: Any, item: Any) -> int | None:
    """The 1-based page a bookmark points to: its destination, or its go-to action's."""
    dest = raw.FPDFBookmark_GetDest(document, item)
    if not dest:
        action = raw.FPDFBookmark_GetAction(item)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_GOTO:
            return None
        dest = raw.FPDFAction_GetDest(document, action)
        if not dest:
            return None
    index = raw.FPDFDest_GetDestPageIndex(document, dest)
    return index + 1 if index >= 0 else None
