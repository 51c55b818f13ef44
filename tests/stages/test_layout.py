"""Layout stage: lines, blocks, reading order, running headers/footers, page warnings.

The documents come from ``conftest.py`` (fixture PDFs built once per session and run
through one session-wide Converter); expectations come from the fixtures' ground
truth, normalized with the project's text policy.
"""

from __future__ import annotations

from pipeline.japanese.normalize import match_key, normalize_text
from pipeline.model import MARGIN_KINDS, Block, Document
from pipeline.stages.working import WorkingDocument

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout

# Fixture block kinds → pipeline block kinds.
KIND = {"title": "title", "heading": "heading", "paragraph": "paragraph", "list_item": "list_item",
        "caption": "caption", "source_note": "note"}


def printed(block: Block) -> str:
    """The block as printed: its marker (number or bullet) put back when it was stripped."""
    if block.marker and block.kind in ("heading", "list_item") and not block.text.startswith(block.marker):
        return block.marker + block.text
    return block.text


def view(doc: Document) -> list[tuple[str, str]]:
    """Content blocks as (kind, comparison key of the printed text), in reading order."""
    return [(b.kind, match_key(printed(b))) for b in doc.content_blocks()]


def find_text(doc: Document, text: str) -> list[Block]:
    return [b for b in doc.blocks if b.text == text]


# ------------------------------------------------------------------ report: blocks and order


def test_report_pages(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    assert report_doc.n_pages == report_fixture.n_pages == 3
    assert [p.number for p in report_doc.pages] == [1, 2, 3]
    for page in report_doc.pages:
        assert (page.width, page.height) == (round(fbase.PAGE_W, 2), round(fbase.PAGE_H, 2))
        assert page.n_chars > 100 and not page.needs_ocr
    assert report_doc.warnings == []


def test_report_blocks_in_reading_order(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    expected = [(KIND[b.kind], match_key(b.text)) for b in report_fixture.blocks]
    assert view(report_doc) == expected


def test_report_block_pages(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    assert [b.page for b in report_doc.content_blocks()] == [b.page for b in report_fixture.blocks]


def test_block_ids_are_unique_and_sequential(report_doc: Document) -> None:
    ids = [b.block_id for b in report_doc.blocks]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == ["b%04d" % n for n in range(1, len(ids) + 1)]


def test_paragraph_texts_are_exact(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    """Every paragraph comes back whole: wrapped lines joined, nothing lost, nothing added."""
    paragraphs = [(b.page, b.text) for b in report_doc.blocks if b.kind == "paragraph"]
    assert paragraphs == [(p.page, normalize_text(p.text)) for p in report_fixture.paragraphs]


def test_multi_line_paragraphs_keep_their_lines(report_work: WorkingDocument, report_fixture: freport.ReportFixture) -> None:
    by_text = {b.text: b for b in report_work.doc.blocks}
    for paragraph in report_fixture.paragraphs:
        block = by_text[normalize_text(paragraph.text)]
        assert len(report_work.lines_of(block)) == len(paragraph.lines)
        assert block.bbox is not None and block.bbox[0] < block.bbox[2] and block.bbox[1] < block.bbox[3]


def test_cjk_word_broken_at_line_end_comes_back_whole(
    report_doc: Document, report_fixture: freport.ReportFixture
) -> None:
    broken = [
        p for p in report_fixture.paragraphs
        if any(a.endswith("医療用セ") and b.startswith("ンサー") for a, b in zip(p.lines, p.lines[1:]))
    ]
    assert len(broken) == 1, "fixture must break 医療用セ / ンサー across lines"
    (block,) = find_text(report_doc, normalize_text(broken[0].text))
    assert "医療用センサー部品" in block.text
    assert "セ ンサー" not in block.text


def test_latin_words_broken_at_line_end_keep_one_space(
    report_doc: Document, report_fixture: freport.ReportFixture
) -> None:
    broken = [
        p for p in report_fixture.paragraphs
        if any(a.endswith("Internet of") and b.startswith("Things") for a, b in zip(p.lines, p.lines[1:]))
    ]
    assert len(broken) == 1, "fixture must break Internet of / Things across lines"
    (block,) = find_text(report_doc, normalize_text(broken[0].text))
    assert "Internet of Things（IoT）" in block.text
    assert "ofThings" not in block.text


def test_list_items_with_hanging_indent_are_one_block(
    report_work: WorkingDocument, report_fixture: freport.ReportFixture
) -> None:
    wrapped = [i for i in report_fixture.list_items if len(i.lines) > 1]
    assert wrapped, "fixture must have a bullet that wraps"
    items = {b.text: b for b in report_work.doc.blocks if b.kind == "list_item"}
    for item in wrapped:
        block = items[normalize_text(item.text)]
        assert len(report_work.lines_of(block)) == len(item.lines)


def test_clause_with_a_hanging_indent_is_one_paragraph(tmp_path) -> None:
    """A numbered clause whose number is run into its text (2この規程…) wraps under a hanging
    indent: its full first line runs on; the next clause starts a new paragraph."""
    from tests.fixtures.runs import run_pipeline

    left, size, right = fbase.MARGIN_L, fbase.BODY_SIZE, fbase.MARGIN_L + fbase.TEXT_W
    clauses = [
        ("2この規程に定めるもののほか、補助金の交付に関して必要な事項は、市長が別に定め", "るものとする。"),
        ("3前項の規定にかかわらず、緊急を要する事業については、申請の期限を延ばすことが", "できる。"),
        ("4市長は、補助事業の実施状況を確認するため、必要に応じて現地での調査を行う", "ことができる。"),
    ]
    lines, top = [], 80.0
    for first, rest in clauses:
        spacing = (right - left - fbase.text_width(first, size)) / (len(first) - 1)
        lines.append(fbase.TextLine(first, left, top, size, char_space=spacing))
        lines.append(fbase.TextLine(rest, left + size, top + fbase.LEADING))
        top += 2 * fbase.LEADING
    path = fbase.write_text_pdf(tmp_path / "clauses.pdf", [lines])
    texts = [b.text for b in run_pipeline(path).content_blocks()]
    assert texts == [normalize_text(first + rest) for first, rest in clauses]


# ------------------------------------------------------------------ paragraph boundaries


def test_paragraph_boundaries_from_geometry(boundary_doc: Document, boundary_fixture) -> None:
    """Indent, vertical gap, a short last line and a bullet each end a paragraph on their own."""
    expected = [(kind, normalize_text(text)) for kind, text, _ in boundary_fixture.blocks]
    assert [(b.kind, b.text) for b in boundary_doc.content_blocks()] == expected


def test_each_boundary_cue_alone_splits(boundary_doc: Document, boundary_fixture) -> None:
    texts = [b.text for b in boundary_doc.content_blocks()]
    for kind, text, cue in boundary_fixture.blocks:
        assert normalize_text(text) in texts, f"block after a {cue!r} boundary was merged or cut: {text[:20]}"


# ------------------------------------------------------------------ running headers, footers, page numbers


def test_report_running_header_and_page_numbers(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    for number in range(1, report_fixture.n_pages + 1):
        margin = [(b.kind, b.text) for b in report_doc.blocks if b.page == number and b.kind in MARGIN_KINDS]
        assert sorted(margin) == sorted([
            ("header", normalize_text(report_fixture.headers[number - 1])),
            ("page_number", report_fixture.footers[number - 1]),
        ])
    assert [p.printed_page for p in report_doc.pages] == ["1", "2", "3"]


def test_running_header_footer_and_page_number_kinds(running_doc: Document, running_fixture) -> None:
    for number in range(1, running_fixture.n_pages + 1):
        margin = sorted((b.kind, b.text) for b in running_doc.blocks if b.page == number and b.kind in MARGIN_KINDS)
        assert margin == sorted([
            ("header", normalize_text(running_fixture.header)),
            ("footer", normalize_text(running_fixture.footer)),
            ("page_number", running_fixture.page_numbers[number - 1]),
        ])
    assert [p.printed_page for p in running_doc.pages] == ["1", "2", "3"]


def test_running_lines_never_inside_content(running_doc: Document, running_fixture) -> None:
    content = running_doc.content_blocks()
    expected = [(p, normalize_text(t)) for p, t in running_fixture.paragraphs]
    assert [(b.page, b.text) for b in content if b.kind == "paragraph"] == expected
    for block in content:
        assert "中間報告" not in block.text
        assert "産業振興課" not in block.text
        assert "- " not in block.text
    for block in running_doc.blocks:
        if block.kind in MARGIN_KINDS:
            assert block.section_id is None


def test_report_margins_never_inside_content(report_doc: Document) -> None:
    for block in report_doc.content_blocks():
        assert "資料1" not in block.text
        assert not any(f"- {n} -" in block.text for n in (1, 2, 3))


# ------------------------------------------------------------------ reading order: columns and slides


def test_two_columns_read_column_by_column(two_column_doc: Document, two_column_fixture: flayout.TwoColumnFixture) -> None:
    assert [text for _, text in view(two_column_doc)] == [match_key(t) for t in two_column_fixture.reading_order]


def test_two_column_paragraphs_are_whole(two_column_doc: Document, two_column_fixture: flayout.TwoColumnFixture) -> None:
    texts = [b.text for b in two_column_doc.blocks if b.kind == "paragraph"]
    assert texts == [normalize_text(p.text) for p in two_column_fixture.paragraphs]
    # Both columns share line tops: a row-wise reading would have mixed them.
    left_end = texts.index(normalize_text(two_column_fixture.columns[0][-1]))
    right_start = texts.index(normalize_text(two_column_fixture.columns[1][1]))
    assert left_end < right_start


def test_slide_reads_boxes_left_to_right_then_caption(slide_doc: Document, slide_fixture: flayout.SlideFixture) -> None:
    assert [text for _, text in view(slide_doc)] == [match_key(t) for t in slide_fixture.reading_order]


def test_slide_box_contents_stay_together(slide_doc: Document, slide_fixture: flayout.SlideFixture) -> None:
    keys = [text for _, text in view(slide_doc)]
    for box in slide_fixture.boxes:
        positions = [keys.index(match_key(t)) for t in box]
        assert positions == list(range(positions[0], positions[0] + len(box))), box[0]


# ------------------------------------------------------------------ superscripts


def test_superscript_digits_are_kept_out_of_the_text(
    superscript_doc: Document, superscript_fixture: flayout.SuperscriptFixture
) -> None:
    (paragraph,) = find_text(superscript_doc, normalize_text(superscript_fixture.paragraph))
    assert "センター1" not in paragraph.text and "IoT3" not in paragraph.text
    assert "地域産業支援センターを拠点" in paragraph.text
    assert paragraph.footnote_marks == [d for w, d in superscript_fixture.superscripts if w in paragraph.text]
    assert paragraph.footnote_marks == ["1", "3"]


def test_superscript_after_heading_is_a_footnote_mark(
    superscript_doc: Document, superscript_fixture: flayout.SuperscriptFixture
) -> None:
    heading = superscript_fixture.heading
    (block,) = [b for b in superscript_doc.blocks if match_key(printed(b)) == match_key(heading.text)]
    assert block.footnote_marks == ["2"]
    assert not printed(block).endswith("2")


# ------------------------------------------------------------------ quality warnings


def test_page_without_text_layer(no_text_layer_doc: Document) -> None:
    assert [(w.code, w.page) for w in no_text_layer_doc.warnings] == [("no_text_layer", 2)]
    assert [p.needs_ocr for p in no_text_layer_doc.pages] == [False, True]
    assert no_text_layer_doc.pages[1].n_chars == 0
    # The page with text is still read.
    assert [b.page for b in no_text_layer_doc.content_blocks()] == [1, 1]
    assert "文字情報を含まない" in no_text_layer_doc.content_blocks()[-1].text


def test_cid_font_gives_unmapped_glyphs_warning(cid_doc: Document) -> None:
    warnings = [w for w in cid_doc.warnings if w.code == "unmapped_glyphs"]
    assert [w.page for w in warnings] == [1]
    assert "21" in warnings[0].message  # the fixture prints 21 glyphs, none of them mapped
    for block in cid_doc.blocks:
        assert "(cid:" not in block.text


def test_unmapped_glyphs_are_left_out_of_mixed_text(mixed_glyph_doc: Document, mixed_glyph_fixture) -> None:
    assert [b.text for b in mixed_glyph_doc.content_blocks()] == [mixed_glyph_fixture.mapped_text]
    (warning,) = mixed_glyph_doc.warnings
    assert (warning.code, warning.page) == ("unmapped_glyphs", 1)
    assert str(mixed_glyph_fixture.unmapped_chars) in warning.message
    assert not mixed_glyph_doc.pages[0].needs_ocr
    for block in mixed_glyph_doc.blocks:
        assert "(cid:" not in block.text
        assert not any(0xE000 <= ord(ch) <= 0xF8FF for ch in block.text)


def test_pages_read_once_let_go_of_their_content_streams(tmp_path) -> None:
    """pdfminer keeps every page's decoded content stream until the file closes; a page read
    through ``iter_pages`` lets go of it once the reader moves on, and every page still reads."""
    from pipeline.pdf.open import iter_pages, open_pdf

    path = flayout.build_many_pages_pdf(tmp_path / "three.pdf", 3)
    with open_pdf(path) as pdf:
        stream_ids = {stream.objid for page in pdf.pages for stream in page.page_obj.contents}
        texts = ["".join(c["text"] for c in page.chars) for page in iter_pages(pdf)]
        assert stream_ids and not stream_ids & set(pdf.doc._cached_objs)
        assert all(not page.page_obj.contents for page in pdf.pages)
    assert all("第" in text for text in texts) and len(set(texts)) == 3
