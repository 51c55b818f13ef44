"""Sections stage: title, headings (numbering + typography), the section tree, list items,
captions and notes, and plain-text input."""

from __future__ import annotations


from pathlib import Path

import pytest

from tests.fixtures.runs import run_pipeline
from pipeline.model import Block, Document, Section
from pipeline.japanese.markers import numbering_family
from pipeline.japanese.normalize import match_key, normalize_text

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout

# Marker families of the report fixture's headings: 第N章 / （N） / ① / ■ / 【…】.
FAMILIES = {
    "chapter": lambda h: h.number.startswith("第"),
    "paren_digit": lambda h: h.number.startswith("（"),
    "circled": lambda h: h.number in "①②③④⑤",
    "marker": lambda h: h.number == "■",
    "bracket": lambda h: h.number == "【】",
}


def printed(block: Block) -> str:
    """The block as printed: its marker put back when it was stripped from the text."""
    if block.marker and block.kind in ("heading", "list_item") and not block.text.startswith(block.marker):
        return block.marker + block.text
    return block.text


def heading_blocks(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "heading"]


def section_of(doc: Document, block: Block) -> Section:
    (section,) = [s for s in doc.sections if s.block_id == block.block_id]
    return section


def matched(doc: Document, heading: freport.ExpectedHeading) -> Block:
    """The heading block printed as the fixture heading."""
    found = [b for b in heading_blocks(doc) if match_key(printed(b)) == match_key(heading.text)]
    assert len(found) == 1, f"heading {heading.text!r} found {len(found)} times"
    return found[0]


def expected_parent(headings: tuple[freport.ExpectedHeading, ...], index: int) -> freport.ExpectedHeading | None:
    """The nearest earlier heading of a higher rank (smaller level number)."""
    level = headings[index].level
    for earlier in reversed(headings[:index]):
        if earlier.level < level:
            return earlier
    return None


# ------------------------------------------------------------------ title


def test_report_title(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    assert report_doc.title == normalize_text(report_fixture.title)
    titles = [b for b in report_doc.blocks if b.kind == "title"]
    assert [b.text for b in titles] == [report_doc.title]
    assert report_doc.content_blocks()[0] is titles[0]
    assert titles[0].section_id is None


def test_two_column_and_slide_titles(two_column_doc: Document, two_column_fixture: flayout.TwoColumnFixture,
                                     slide_doc: Document, slide_fixture: flayout.SlideFixture) -> None:
    assert two_column_doc.title == normalize_text(two_column_fixture.title)
    assert slide_doc.title == normalize_text(slide_fixture.title)
    assert [b.kind for b in two_column_doc.blocks].count("title") == 1
    assert [b.kind for b in slide_doc.blocks].count("title") == 1


def test_numbered_heading_is_not_taken_for_the_title(
    superscript_doc: Document, superscript_fixture: flayout.SuperscriptFixture
) -> None:
    """A bold 12pt （１） line above 10.5pt body text is a heading, not the document title."""
    heading = superscript_fixture.heading
    blocks = [b for b in superscript_doc.blocks if match_key(printed(b)) == match_key(heading.text)]
    assert [b.kind for b in blocks] == ["heading"]
    assert blocks[0].marker == normalize_text(heading.number)
    assert [match_key(s.title) for s in superscript_doc.sections] in (
        [match_key(heading.title)], [match_key(heading.text)]
    )


# ------------------------------------------------------------------ headings


def test_all_headings_detected(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    found = [(b.page, match_key(printed(b))) for b in heading_blocks(report_doc)]
    assert found == [(h.page, match_key(h.text)) for h in report_fixture.headings]


@pytest.mark.parametrize("family", ["chapter", "paren_digit", "circled", "marker"])
def test_heading_marker_is_kept(report_doc: Document, report_fixture: freport.ReportFixture, family: str) -> None:
    headings = [h for h in report_fixture.headings if FAMILIES[family](h)]
    assert headings
    for heading in headings:
        block = matched(report_doc, heading)
        assert block.marker == normalize_text(heading.number)
        assert block.numbering is not None and family in block.numbering


@pytest.mark.parametrize("family", ["chapter", "paren_digit", "circled"])
def test_heading_number_stays_in_the_title(
    report_doc: Document, report_fixture: freport.ReportFixture, family: str
) -> None:
    """Numbers are part of a heading's title (users cite （2）); ``marker`` holds them too."""
    for heading in (h for h in report_fixture.headings if FAMILIES[family](h)):
        block = matched(report_doc, heading)
        assert match_key(block.text) == match_key(heading.text)
        assert match_key(section_of(report_doc, block).title) == match_key(heading.text)
        assert block.text.startswith(block.marker or "")


def test_decorative_marker_is_stripped_from_the_title(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    for heading in (h for h in report_fixture.headings if FAMILIES["marker"](h)):
        block = matched(report_doc, heading)
        assert block.text == normalize_text(heading.title)
        assert section_of(report_doc, block).title == normalize_text(heading.title)


def test_bold_bracket_heading(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    (heading,) = [h for h in report_fixture.headings if FAMILIES["bracket"](h)]
    block = matched(report_doc, heading)
    assert block.numbering == "bracket"
    assert heading.title in block.text


@pytest.fixture(scope="module")
def label_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """【参考】 in the body face and size is an inline label; 【今後の課題】 in bold 12pt is a heading."""
    path = tmp_path_factory.mktemp("labels") / "labels.pdf"
    left, size = fbase.MARGIN_L, fbase.BODY_SIZE
    lines = [
        fbase.TextLine("第1章　計画の概要", left, 72, 14.0, bold=True),
        fbase.TextLine("本計画は、市の産業振興の基本的な方向を示すものである。", left + size, 100),
        fbase.TextLine("【参考】", left, 130),
        fbase.TextLine("計画期間は令和6年度から令和10年度までの5年間とする。", left + size, 150),
        fbase.TextLine("【今後の課題】", left, 185, 12.0, bold=True),
        fbase.TextLine("計画の進捗を毎年度点検し、必要に応じて見直しを行う。", left + size, 210),
    ]
    fbase.write_text_pdf(path, [lines])
    return run_pipeline(path, "labels")


def test_bracket_label_in_body_typography_is_not_a_heading(label_doc: Document) -> None:
    kinds = {b.text: b.kind for b in label_doc.content_blocks()}
    assert kinds["【参考】"] != "heading"
    assert [match_key(printed(b)) for b in heading_blocks(label_doc)] == ["第1章計画の概要", "【今後の課題】"]
    chapter, bracket = label_doc.sections
    assert bracket.parent_id == chapter.section_id


# ------------------------------------------------------------------ section tree


def test_section_ids_levels_and_links(report_doc: Document) -> None:
    sections = report_doc.sections
    assert [s.section_id for s in sections] == ["s%03d" % n for n in range(1, len(sections) + 1)]
    by_id = {s.section_id: s for s in sections}
    blocks = {b.block_id: b for b in report_doc.blocks}
    for section in sections:
        block = blocks[section.block_id]
        assert block.kind == "heading"
        assert block.heading_level == section.level
        assert block.section_id == section.section_id
        assert section.page == block.page
        if section.parent_id is None:
            assert section.level == 1
        else:
            parent = by_id[section.parent_id]
            assert parent.level < section.level
            assert section.section_id in parent.children
        for child in section.children:
            assert by_id[child].parent_id == section.section_id


@pytest.mark.parametrize("family", ["chapter", "paren_digit", "circled"])
def test_numbered_headings_nest(report_doc: Document, report_fixture: freport.ReportFixture, family: str) -> None:
    """第N章 → （N） → ①: levels 1, 2, 3 and each parent is the heading it sits under."""
    headings = report_fixture.headings
    for index, heading in enumerate(headings):
        if not FAMILIES[family](heading):
            continue
        section = section_of(report_doc, matched(report_doc, heading))
        assert section.level == heading.level
        parent = expected_parent(headings, index)
        if parent is None:
            assert section.parent_id is None
        else:
            assert section.parent_id == section_of(report_doc, matched(report_doc, parent)).section_id


def test_headings_of_one_style_with_different_markers_are_siblings(
    report_doc: Document, report_fixture: freport.ReportFixture
) -> None:
    """【市の概況】 and ■産業構造の特徴 / ■雇用の動向 are all bold 10.5pt (fixture level 4)
    right under 第2章: they are siblings, children of 第2章."""
    headings = report_fixture.headings
    for index, heading in enumerate(headings):
        if not (FAMILIES["bracket"](heading) or FAMILIES["marker"](heading)):
            continue
        parent = expected_parent(headings, index)
        assert parent is not None and parent.number == "第2章"
        section = section_of(report_doc, matched(report_doc, heading))
        assert section.parent_id == section_of(report_doc, matched(report_doc, parent)).section_id, heading.text


def test_every_content_block_belongs_to_the_heading_above_it(
    report_doc: Document, report_fixture: freport.ReportFixture
) -> None:
    content = report_doc.content_blocks()
    assert len(content) == len(report_fixture.blocks)
    current: str | None = None
    for block, expected in zip(content, report_fixture.blocks):
        if expected.kind == "heading":
            current = section_of(report_doc, block).section_id
        assert block.section_id == current, (block.text, expected.text)


def test_section_path(report_doc: Document) -> None:
    by_title = {match_key(s.title): s for s in report_doc.sections}
    circled = next(s for key, s in by_title.items() if "アンケート調査" in key)
    path = report_doc.section_path(circled.section_id).split(" > ")
    assert [match_key(p) for p in path] == [match_key(t) for t in _titles_to_root(report_doc, circled)]
    assert len(path) == 3
    assert "調査の概要" in path[0] and "調査の方法" in path[1] and "アンケート調査" in path[2]
    assert report_doc.section_path(None) == ""


def _titles_to_root(doc: Document, section: Section) -> list[str]:
    by_id = {s.section_id: s for s in doc.sections}
    titles = []
    node: Section | None = section
    while node is not None:
        titles.append(node.title)
        node = by_id[node.parent_id] if node.parent_id else None
    return list(reversed(titles))


# ------------------------------------------------------------------ list items, captions, notes


@pytest.mark.parametrize("marker", ["・", "●", "○", "•", "－"])
def test_list_items_keep_marker_out_of_text(
    report_doc: Document, report_fixture: freport.ReportFixture, marker: str
) -> None:
    expected = [i for i in report_fixture.list_items if i.marker == marker]
    assert expected
    items = [b for b in report_doc.blocks if b.kind == "list_item" and b.marker == normalize_text(marker)]
    assert [(b.page, b.text) for b in items] == [(i.page, normalize_text(i.text)) for i in expected]
    for block in items:
        assert block.numbering == "bullet"
        assert not block.text.startswith(block.marker)


def test_list_items_are_not_headings_or_paragraphs(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    kinds = {b.text: b.kind for b in report_doc.blocks}
    for item in report_fixture.list_items:
        assert kinds.get(normalize_text(item.text)) == "list_item", item.text


def test_caption_and_source_note(report_doc: Document, report_fixture: freport.ReportFixture) -> None:
    captions = [b.text for b in report_doc.blocks if b.kind == "caption"]
    notes = [b.text for b in report_doc.blocks if b.kind == "note"]
    assert [match_key(t) for t in captions] == [match_key(c) for c in report_fixture.captions]
    assert notes == [normalize_text(n) for n in report_fixture.source_notes]


# ------------------------------------------------------------------ numbering families


@pytest.mark.parametrize(
    ("text", "family", "number"),
    [
        ("第2章 調査の概要", "chapter", "第2章"),
        ("第1部 総論", "part", "第1部"),
        ("第3節 現状", "section", "第3節"),
        ("第5条（目的）", "article", "第5条"),
        ("（１）調査概要", "paren_digit", "（１）"),
        ("(2) 課題", "paren_digit", "(2)"),
        ("①準備期", "circled", "①"),
        ("2.1 背景", "dotted_decimal", "2.1"),
        ("1. 背景", "dot_digit", "1."),
        ("Ⅱ．現状", "roman", "Ⅱ．"),
        ("（ア）対象", "paren_katakana", "（ア）"),
        ("【市の概況】", "bracket", "【市の概況】"),
        ("本市の概要", None, ""),
        ("2024年の動向", None, ""),
    ],
)
def test_numbering_family(text: str, family: str | None, number: str) -> None:
    assert numbering_family(text) == (family, number)


# ------------------------------------------------------------------ plain-text input


def _check_text_document(doc: Document, fixture) -> None:
    assert doc.source.kind == "txt"
    headings = heading_blocks(doc)
    assert [match_key(printed(b)) for b in headings] == [match_key(t) for t, _, _ in fixture.headings]
    by_key = {match_key(printed(b)): section_of(doc, b) for b in headings}
    by_id = {s.section_id: s for s in doc.sections}
    for title, level, parent in fixture.headings:
        section = by_key[match_key(title)]
        assert section.level == level, title
        if parent is None:
            assert section.parent_id is None, title
        else:
            assert section.parent_id == by_key[match_key(parent)].section_id, title
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert [b.text for b in paragraphs] == list(fixture.paragraphs)
    # Each paragraph sits in the section whose heading precedes it.
    owners = [match_key(by_id[b.section_id].title) if b.section_id else None for b in paragraphs]
    expected_owners = ["調査の概要", "調査の目的", "調査の方法", "地域経済の現状"]
    assert all(owner is not None and suffix in owner for owner, suffix in zip(owners, expected_owners)), owners
    items = [(b.marker, b.text) for b in doc.blocks if b.kind == "list_item"]
    assert items == list(fixture.list_items)


def test_text_input_goes_through_the_sections_stage(text_input_doc: Document, text_input_fixture) -> None:
    _check_text_document(text_input_doc, text_input_fixture)


def test_text_input_heading_directly_followed_by_its_text(compact_text_doc: Document, compact_text_fixture) -> None:
    """The same notes without blank lines: each numbered short line is still a heading."""
    _check_text_document(compact_text_doc, compact_text_fixture)


def test_asterisk_footnotes_are_notes_for_sections_and_tables_alike(tmp_path: Path) -> None:
    """One note pattern for every stage: ＊1 and * footnotes below the text are notes, as the
    tables stage always read them under a table (before the shared vocabulary, the sections
    stage read them as paragraphs)."""
    left = fbase.MARGIN_L
    lines = [
        fbase.TextLine("第1章　申請の手続", left, 72, 14.0, bold=True),
        fbase.TextLine("申請書は、次の書類とともに提出してください。", left, 100),
        fbase.TextLine("＊1 申請者が作成して押印すること。", left, 140),
        fbase.TextLine("*2 写しでも構いません。", left, 180),
    ]
    path = fbase.write_text_pdf(tmp_path / "notes.pdf", [lines])
    kinds = {b.text: b.kind for b in run_pipeline(path, "notes").content_blocks()}
    assert kinds[normalize_text("＊1 申請者が作成して押印すること。")] == "note"
    assert kinds[normalize_text("*2 写しでも構いません。")] == "note"
    assert kinds["申請書は、次の書類とともに提出してください。"] == "paragraph"


def _doc_from_lines(tmp_path: Path, lines: list[fbase.TextLine]) -> Document:
    path = fbase.write_text_pdf(tmp_path / "lines.pdf", [lines])
    return run_pipeline(path, "lines")


def test_a_large_heading_over_a_smaller_one_is_a_heading_but_display_type_runs_are_not(tmp_path: Path) -> None:
    body = "本市は地域の中小企業と連携し、新しい産業の育成を進めている。製造業の集積を活かした取組である。"
    lines = [
        fbase.TextLine("産業振興調査報告書", fbase.MARGIN_L, 50.0, 22.0, bold=True),
        fbase.TextLine("地域産業の現状", fbase.MARGIN_L, 80.0, 16.0, bold=True),
        fbase.TextLine("取組の概要", fbase.MARGIN_L, 110.0, 12.0, bold=True),
        fbase.TextLine(body, fbase.MARGIN_L, 135.0, 10.5),
        fbase.TextLine("今こそ挑戦を", fbase.MARGIN_L, 200.0, 14.0, bold=True),
        fbase.TextLine("みんなで応援", fbase.MARGIN_L, 222.0, 14.0, bold=True),
        fbase.TextLine("未来をつくる", fbase.MARGIN_L, 244.0, 14.0, bold=True),
    ]
    doc = _doc_from_lines(tmp_path, lines)
    titles = [s.title for s in doc.sections]
    assert doc.title == "産業振興調査報告書"
    assert "地域産業の現状" in titles and "取組の概要" in titles
    assert "今こそ挑戦を" not in titles and "みんなで応援" not in titles


def test_text_input_marked_heading_followed_by_its_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "第1章 地域の概要\n\n■位置\n\n市は県の北部にあり、高速道路と鉄道で県庁所在地と結ばれている。\n",
        encoding="utf-8",
    )
    doc = run_pipeline(path, "notes")
    titles = [(s.title, s.parent_id) for s in doc.sections]
    assert titles == [("第1章 地域の概要", None), ("位置", "s001")]

