"""Text units: the pieces of a Document that each become one spaCy ``Doc``.

One unit per heading, paragraph, list item, caption, note and title block, and one per
non-empty table cell, in reading order (blocks first, then table cells).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.model import Document, Token
from pipeline.model.ids import cell_unit_id
from pipeline.nlp.tokenizer import token_info

TEXT_BLOCK_KINDS = frozenset({"title", "heading", "paragraph", "list_item", "caption", "note", "toc", "figure_text"})
"""Block kinds whose text is tokenized; header, footer, page_number and table are skipped."""


@dataclass
class TextUnit:
    """One piece of text that becomes one spaCy ``Doc``."""

    para_id: str
    """``Block.block_id``, or ``T<table_id>:r<row>c<col>`` for a table cell."""
    text: str
    source: str
    """``paragraph``, ``heading`` or ``table``."""
    page: int | None
    section_id: str | None
    kind: str
    """The block kind (``paragraph``, ``list_item``...) or ``table_cell``."""
    row: int | None = None
    col: int | None = None


TokenRow = tuple[int, int, str, str, str, str, str]
"""One token: sentence, index, surface, lemma, pos, reading, tag (as ``Token`` without its unit)."""


@dataclass
class TaggedUnit:
    """A text unit and its tokens, kept as rows once the spaCy ``Doc`` they come from is gone
    (white-space tokens left out)."""

    unit: TextUnit
    tokens: list[TokenRow]


def tagged_unit(unit: TextUnit, spacy_doc: Doc, strings: dict[str, str] | None = None) -> TaggedUnit:
    """The tokens of ``spacy_doc`` as rows. ``sentence`` counts sentences within the unit from 0;
    ``index`` is the token index in the unit. Strings are shared through ``strings`` (one
    の for every の of the document) so that a long document's rows stay small."""
    strings = {} if strings is None else strings
    shared = strings.setdefault
    readings = token_info(spacy_doc).readings
    rows: list[TokenRow] = []
    sentence = -1
    for token in spacy_doc:
        if token.is_sent_start:
            sentence += 1
        if token.is_space:
            continue
        surface, lemma, pos, reading, tag = token.text, token.lemma_, token.pos_, readings[token.i], token.tag_
        rows.append((max(sentence, 0), token.i, shared(surface, surface), shared(lemma, lemma), shared(pos, pos),
                     shared(reading, reading), shared(tag, tag)))
    return TaggedUnit(unit, rows)


def text_units(doc: Document, include_tables: bool = True) -> list[TextUnit]:
    """The text units of a document, in reading order (blocks first, then table cells)."""
    units: list[TextUnit] = []
    for block in doc.blocks:
        if block.kind not in TEXT_BLOCK_KINDS or not block.text or not block.text.strip():
            continue
        source = "heading" if block.kind in ("heading", "title") else "paragraph"
        units.append(TextUnit(block.block_id, block.text, source, block.page, block.section_id, block.kind))
    if include_tables:
        for table in doc.tables:
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row):
                    if cell and cell.strip():
                        units.append(
                            TextUnit(
                                cell_unit_id(table.table_id, r, c), cell, "table", table.page, table.section_id,
                                "table_cell", r, c,
                            )
                        )
    return units


def unit_tokens(tagged: Iterable[TaggedUnit]) -> Iterator[Token]:
    """The tokens of tagged units as model rows, made one at a time as they are written."""
    for item in tagged:
        para_id = item.unit.para_id
        for row in item.tokens:
            yield Token(para_id, *row)
