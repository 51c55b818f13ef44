"""Plain-text input: a ``.txt`` file becomes blocks (no geometry); the later stages take it
from there as they do a PDF's blocks.

Blank lines separate blocks, and so does a line that opens a new item (a bullet, or
numbering that cannot start a wrapped sentence). A short numbered line (（1） 調査の
目的) is a block of its own even when its text follows on the next line.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.japanese.glyphs import HIRAGANA
from pipeline.japanese.lines import join_wrapped_lines
from pipeline.japanese.markers import PLAIN_TEXT_HEADING_START, PLAIN_TEXT_ITEM_START
from pipeline.japanese.normalize import normalize_text
from pipeline.model import Block, Document, PageInfo, SourceInfo
from pipeline.model.ids import block_id
from pipeline.sources import InputError, unreadable_reason

PLAIN_HEADING_MAX_CHARS = 40
"""A numbered line this long at most, not ending a sentence, is a heading line of its own."""
_ENCODINGS = ("cp932", "euc_jp")
"""Tried in this order when the file is not UTF-8: Shift_JIS (Windows), then EUC-JP."""


def decode_japanese_text(raw: bytes) -> str | None:
    """UTF-8 if it decodes; otherwise Shift_JIS (cp932) or EUC-JP, whichever reads as more hiragana.

    Many EUC-JP files also decode as cp932 without error, into mojibake: decoding alone
    cannot choose, but mojibake has few hiragana (の, は, を…) and real Japanese has many.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings: list[tuple[int, str]] = []
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((len(HIRAGANA.findall(text)), text))
    if not readings:
        return None
    return max(readings, key=lambda reading: reading[0])[1]


def read_text_document(path: Path, doc_id: str, sha256: str) -> Document:
    """A ``.txt`` input as blocks: blank lines and item markers separate blocks; no geometry."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise unreadable_reason(error) from error
    content = decode_japanese_text(raw)
    if content is None:
        raise InputError("text file is not UTF-8, Shift_JIS or EUC-JP", "text_encoding")
    if not content.strip():
        raise InputError("text file is empty", "empty_file")
    doc = Document(
        doc_id=doc_id,
        source=SourceInfo(file_name=path.name, sha256=sha256, size_bytes=len(raw), kind="txt"),
    )
    doc.pages.append(PageInfo(number=1, width=0.0, height=0.0, n_chars=len(content)))
    for index, group in enumerate(_line_groups(content), start=1):
        doc.blocks.append(Block(block_id(index), "paragraph", join_wrapped_lines(group), page=1, bbox=None))
    return doc


def _line_groups(content: str) -> list[list[str]]:
    groups: list[list[str]] = []
    current: list[str] = []
    for raw_line in content.splitlines():
        line = normalize_text(raw_line)
        if not line:
            if current:
                groups.append(current)
                current = []
            continue
        after_heading = (
            len(current) == 1 and PLAIN_TEXT_HEADING_START.match(current[0])
            and len(current[0]) <= PLAIN_HEADING_MAX_CHARS and not current[0].endswith("。")
        )
        if current and (PLAIN_TEXT_ITEM_START.match(line) or after_heading):
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups
