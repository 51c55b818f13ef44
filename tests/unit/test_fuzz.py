"""Fuzzing with Hypothesis: the text rules, the heading rules and the readers on arbitrary input.

Nothing may raise, and each function's promises must hold for any Unicode text (or any
bytes, for the readers): the normalizers keep the characters they do not own, the
section tree stays a tree, a broken file is always an InputError with a one-line reason.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import base as fbase
from tests.fixtures.runs import converter

from pipeline.batch.process import convert_file
from pipeline.model import Block, Document, PageInfo, SourceInfo
from pipeline.pdf.open import _describe_start
from pipeline.sources import InputError
from pipeline.stages.text_input import read_text_document
from pipeline.japanese.glyphs import count_unmapped, drop_unmapped, is_cjk
from pipeline.japanese.lines import join_wrapped_lines, remove_letter_spacing
from pipeline.japanese.markers import NUMBERING_FAMILIES, numbering_family
from pipeline.japanese.normalize import match_key, normalize_text, strip_cjk_spaces
from pipeline.stages import sections
from pipeline.stages.working import TextLine, WorkingDocument

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
"""Examples per property; raise it for a longer hunt (FUZZ_EXAMPLES=5000 pytest tests/unit/test_fuzz.py)."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary Unicode, with Japanese, full-width and half-width forms, spaces and digits made common.
_INTERESTING = st.sampled_from(
    list("　 \t\u00a0\u200b本市の産業振興（１）①第章節ＡＢＣ０１２３ｶﾞｷﾞｱ，．、。・-－ 1,000.5ab")
    + ["(cid:12)", "\ue000", "第1章", "（２）", "Ⅱ．", "1.", "2.1", "【参考】", "■", "・"]
)
TEXT = st.lists(st.one_of(st.characters(), _INTERESTING), max_size=40).map("".join)

_SPACE_CHARS = set(" \t\u3000\u00a0") | {chr(c) for c in range(0x2002, 0x200C)}
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")


# ----------------------------------------------------------------------------- normalize_text


@FUZZ
@given(TEXT)
def test_normalize_text_follows_the_policy(raw: str) -> None:
    text = normalize_text(raw)
    assert isinstance(text, str)
    assert len(text) <= len(raw)
    assert not any(ch in text for ch in "\u3000\t\u00a0\u200b")
    assert "  " not in text
    assert text == text.strip()
    assert not _FULLWIDTH_ALNUM.search(text), "full-width digits and letters become half-width"
    assert not any(0xFF61 <= ord(ch) <= 0xFF9F for ch in text), "half-width katakana becomes full-width"


@FUZZ
@given(TEXT)
def test_normalize_text_keeps_every_character_it_does_not_own(raw: str) -> None:
    text = normalize_text(raw)
    for ch in set(raw):
        owned = ch.isspace() or ch in _SPACE_CHARS or 0xFF01 <= ord(ch) <= 0xFF9F
        if not owned:
            assert text.count(ch) >= raw.count(ch), ch


@FUZZ
@given(TEXT)
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


# ----------------------------------------------------------------------------- the other text rules


@FUZZ
@given(st.lists(TEXT, max_size=6))
def test_join_wrapped_lines_keeps_all_visible_characters_in_order(lines: list[str]) -> None:
    joined = join_wrapped_lines(lines)
    visible = re.compile(r"[\s-]")
    # only white space is added or removed, and only a line-end hyphen between Latin letters is dropped
    assert visible.sub("", joined) == visible.sub("", "".join(lines))
    assert joined == joined.strip()


@FUZZ
@given(TEXT)
def test_space_rules_only_touch_spaces(raw: str) -> None:
    for result in (strip_cjk_spaces(raw), remove_letter_spacing(raw)):
        assert re.sub(r"\s", "", result) == re.sub(r"\s", "", raw)


@FUZZ
@given(TEXT)
def test_unmapped_glyph_rules(raw: str) -> None:
    assert count_unmapped(raw) >= 0
    dropped = drop_unmapped(raw)
    assert len(dropped) <= len(raw)
    assert not any(0xE000 <= ord(ch) <= 0xF8FF for ch in dropped)
    if count_unmapped(raw) == 0:
        assert dropped == raw


@FUZZ
@given(TEXT)
def test_match_key_and_is_cjk(raw: str) -> None:
    key = match_key(raw)
    assert not any(ch.isspace() for ch in key)
    for ch in raw:
        assert isinstance(is_cjk(ch), bool)
    assert is_cjk("") is False


# ----------------------------------------------------------------------------- heading rules


@FUZZ
@given(TEXT)
def test_numbering_family_returns_a_known_family_and_a_printed_prefix(text: str) -> None:
    family, marker = numbering_family(text)
    known = {name for name, _ in NUMBERING_FAMILIES}
    if family is None:
        assert marker == ""
    else:
        assert family in known
        assert marker and text.startswith(marker)


_KINDS = st.sampled_from(["paragraph"] * 6 + ["header", "footer", "page_number", "table"])
_FONTS = st.sampled_from(["IPAexGothic", "IPAexGothic-Bold", "IPAexMincho", "Arial,Bold", ""])


@st.composite
def blocks(draw: st.DrawFn) -> list[tuple[Block, list[TextLine]]]:
    """Blocks with the printed lines the layout stage would have read for them."""
    result: list[tuple[Block, list[TextLine]]] = []
    for index in range(draw(st.integers(0, 14))):
        kind = draw(_KINDS)
        text = draw(TEXT)
        page = draw(st.integers(1, 3))
        lines = []
        for n in range(draw(st.integers(0, 3))):
            top = 50.0 + 20 * n
            size = draw(st.sampled_from([0.0, 6.0, 9.0, 10.5, 10.5, 10.5, 12.0, 14.0, 20.0, 40.0]))
            lines.append(
                TextLine(draw(TEXT) if n else text, page, (50.0, top, 500.0, top + size), draw(_FONTS), size, draw(st.booleans()))
            )
        block = Block(
            block_id="b%04d" % (index + 1),
            kind=kind,  # type: ignore[arg-type]
            text=text,
            page=page,
            bbox=lines[0].bbox if lines else None,
            font_size=lines[0].font_size if lines else None,
            bold=lines[0].bold if lines else False,
            table_id="01" if kind == "table" else None,
        )
        result.append((block, lines))
    return result


_MARGIN = ("header", "footer", "page_number")
_BLOCK_KINDS = {"title", "heading", "paragraph", "list_item", "caption", "note", "toc", "figure_text", "table", *_MARGIN}


@FUZZ
@given(blocks(), st.one_of(st.none(), TEXT))
def test_sections_stage_on_arbitrary_blocks_builds_a_valid_tree(
    drawn: list[tuple[Block, list[TextLine]]], metadata_title: str | None
) -> None:
    block_list = [block for block, _ in drawn]
    doc = Document(
        doc_id="fuzz",
        source=SourceInfo(file_name="fuzz.pdf", sha256="0" * 64, size_bytes=0, metadata_title=metadata_title),
        pages=[PageInfo(number=n, width=595.0, height=842.0, n_chars=0) for n in (1, 2, 3)],
        blocks=block_list,
    )
    work = WorkingDocument(doc, lines={block.block_id: lines for block, lines in drawn if lines})
    before = [(b.block_id, b.kind) for b in block_list]
    sections.classify_blocks(work, sections.SectionConfig())
    sections.build_tree(work, sections.SectionConfig())

    assert [b.block_id for b in doc.blocks] == [block_id for block_id, _ in before]
    for block, (_, kind) in zip(doc.blocks, before):
        assert block.kind in _BLOCK_KINDS
        if kind != "paragraph":
            assert block.kind == kind, "only paragraphs are reclassified"
        if block.kind in _MARGIN:
            assert block.section_id is None
    assert doc.title is None or isinstance(doc.title, str)

    by_id = {s.section_id: s for s in doc.sections}
    assert len(by_id) == len(doc.sections)
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert [s.block_id for s in doc.sections] == [b.block_id for b in headings]
    for position, section in enumerate(doc.sections):
        assert section.level >= 1
        block = next(b for b in doc.blocks if b.block_id == section.block_id)
        assert block.heading_level == section.level and section.title == block.text
        if section.parent_id is not None:
            parent = by_id[section.parent_id]
            assert parent.level < section.level
            assert doc.sections.index(parent) < position
            assert section.section_id in parent.children
        for child in section.children:
            assert by_id[child].parent_id == section.section_id
        doc.section_path(section.section_id)  # terminates
    # every content block belongs to the nearest heading above it
    current = None
    for block in doc.blocks:
        if block.kind == "heading":
            current = next(s.section_id for s in doc.sections if s.block_id == block.block_id)
        if block.kind not in _MARGIN:
            assert block.section_id == current


# ----------------------------------------------------------------------------- readers on arbitrary bytes


@FUZZ
@given(st.binary(max_size=300))
def test_describing_any_bytes_gives_one_line(head: bytes) -> None:
    described = _describe_start(head)
    assert described and "\n" not in described and len(described) < 200


@settings(max_examples=EXAMPLES // 5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_any_bytes_as_a_text_file_read_or_fail_clearly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    try:
        doc = read_text_document(path, "t", "0" * 64)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert doc.blocks and all(b.text for b in doc.blocks)


@pytest.fixture(scope="module")
def small_pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    page = fbase.PageSpec(lines=[fbase.TextLine("第1章　概要", fbase.MARGIN_L, 72.0, 14.0, bold=True),
                              fbase.TextLine("本市の産業振興について述べる。", fbase.MARGIN_L, 100.0, 10.5)])
    fbase.render_pages([page], buffer)
    return buffer.getvalue()


@settings(max_examples=EXAMPLES // 8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_damaged_pdfs_never_escape_as_exceptions(tmp_path: Path, small_pdf_bytes: bytes, data: st.DataObject) -> None:
    damaged = bytearray(small_pdf_bytes)
    cut = data.draw(st.integers(0, len(damaged)), label="cut")
    damaged = damaged[:cut] if data.draw(st.booleans(), label="truncate") else damaged
    for _ in range(data.draw(st.integers(0, 8), label="flips")):
        if damaged:
            at = data.draw(st.integers(0, len(damaged) - 1))
            damaged[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(damaged))
    entry = convert_file(converter(), path, "damaged", tmp_path / "out", None, path.name, swap=True).entry
    assert entry.status in ("ok", "failed")
    if entry.status == "failed":
        assert entry.error and "\n" not in entry.error
        assert entry.error_code != "internal_error", entry.error
