"""Section trees on the failure kinds of real reports, each on a fixture PDF of its own
(``tests/fixtures/sections.py``): the headings a reader would outline, each under the right
parent, and none of the lines that only look like headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.japanese.normalize import match_key
from pipeline.model import Document
from pipeline.pdf.outline import Bookmark
from pipeline.stages.sections.outline import bookmark_entries
from tests.fixtures import sections as fsections
from tests.fixtures.runs import structure

BUILDERS = {
    "wrapped_heading": fsections.build_wrapped_heading_pdf,
    "figure_caption": fsections.build_figure_caption_pdf,
    "footnote_heading": fsections.build_footnote_heading_pdf,
    "letter_spaced": fsections.build_letter_spaced_pdf,
    "chapter_box": fsections.build_chapter_box_pdf,
    "toc": fsections.build_toc_pdf,
    "bookmarks": fsections.build_bookmarks_pdf,
    "generic_bookmarks": fsections.build_generic_bookmarks_pdf,
    "slides": fsections.build_slides_pdf,
    "articles": fsections.build_articles_pdf,
    "numbering": fsections.build_numbering_pdf,
    "chapter_pages": fsections.build_chapter_pages_pdf,
    "titled_bookmarks": fsections.build_titled_bookmarks_pdf,
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[fsections.TreeFixture, Document]:
    fixture = BUILDERS[request.param](tmp_path_factory.mktemp("trees") / f"{request.param}.pdf")
    return fixture, structure(fixture.path).doc


def outline_of(doc: Document) -> list[tuple[str, str | None]]:
    titles = {s.section_id: s.title for s in doc.sections}
    return [(match_key(s.title), match_key(titles[s.parent_id]) if s.parent_id else None) for s in doc.sections]


def test_outline_and_parents(built: tuple[fsections.TreeFixture, Document]) -> None:
    fixture, doc = built
    expected = [(match_key(title), match_key(parent) if parent else None) for title, parent in fixture.outline]
    assert outline_of(doc) == expected


def test_lines_that_only_look_like_headings_are_not_sections(built: tuple[fsections.TreeFixture, Document]) -> None:
    fixture, doc = built
    titles = {match_key(s.title) for s in doc.sections}
    assert not titles & {match_key(t) for t in fixture.not_headings}


def test_document_title(built: tuple[fsections.TreeFixture, Document]) -> None:
    fixture, doc = built
    if fixture.title is None:
        pytest.skip("no title expected")
    assert match_key(doc.title or "") == match_key(fixture.title)


def test_figure_caption_labels_and_source(tmp_path: Path) -> None:
    fixture = fsections.build_figure_caption_pdf(tmp_path / "figure.pdf")
    blocks = structure(fixture.path).doc.blocks

    def kind_of(text: str) -> str:
        return next(b.kind for b in blocks if match_key(text) in match_key(b.text))

    assert kind_of("第2-1-1図／市内事業所数の推移") == "caption"
    assert {kind_of(label) for label in ("12,000", "2019", "2022", "(件)")} == {"figure_text"}
    assert kind_of("資料：市統計書") == "note"


def test_toc_lines_are_toc_blocks(tmp_path: Path) -> None:
    fixture = fsections.build_toc_pdf(tmp_path / "toc.pdf")
    doc = structure(fixture.path).doc
    toc = [b for b in doc.blocks if b.kind == "toc"]
    assert toc and {b.page for b in toc} == {2}
    assert not [b for b in doc.blocks if b.page == 2 and b.kind == "paragraph"]


def test_footnote_mark_is_kept_apart_from_the_heading(tmp_path: Path) -> None:
    fixture = fsections.build_footnote_heading_pdf(tmp_path / "footnote.pdf")
    doc = structure(fixture.path).doc
    heading = next(b for b in doc.blocks if b.kind == "heading" and "センター" in b.text)
    assert heading.footnote_marks == ["1"]


def test_slide_bookmarks_name_nothing() -> None:
    generic = [Bookmark("スライド1", 1, 1), Bookmark("スライド2", 1, 2), Bookmark("Slide 3", 1, 3)]
    assert bookmark_entries(generic) == []
    real = [Bookmark("概要", 2, 1), Bookmark("目的", 3, 1)]
    assert [(e.title, e.level) for e in bookmark_entries(real)] == [("概要", 1), ("目的", 2)]


def test_a_title_falls_back_on_the_metadata_without_text(tmp_path: Path) -> None:
    """A scanned document has no line to read a title from: the PDF's metadata names it."""
    from tests.fixtures import layout as flayout

    path = flayout.build_all_scanned_pdf(tmp_path / "scan.pdf")
    assert structure(path).doc.title == "test fixture"  # the fixture writer's metadata title


def test_toc_page_references() -> None:
    from pipeline.stages.sections.toc import _page_number

    assert [_page_number(ref) for ref in ("P.12", "24～25", "24〜25", "24-25", "p.3", "１０", None)] == [
        12, 24, 24, 24, 3, 10, None,
    ]


def test_a_damaged_outline_keeps_the_entries_read_before_the_damage() -> None:
    from types import SimpleNamespace

    from pipeline.pdf.outline import read_bookmarks

    def outlines():
        yield 1, "第1章 概要", None, None, None
        yield 2, "1 目的", None, None, None
        raise ValueError("broken outline object")

    pdf = SimpleNamespace(pages=[], doc=SimpleNamespace(get_outlines=outlines, catalog={}))
    assert [(b.title, b.level) for b in read_bookmarks(pdf)] == [("第1章 概要", 1), ("1目的", 2)]


def test_plain_text_toc_is_not_read_as_headings(tmp_path: Path) -> None:
    path = tmp_path / "guide.txt"
    path.write_text(
        "事業の手引き\n\n目次\n第1章 総則\n第2章 申請\n\n第1章 総則\n"
        "この手引きは、補助事業の申請の手続について定めるものである。\n\n第2章 申請\n"
        "申請者は、所定の様式により申請書を提出しなければならない。\n",
        encoding="utf-8",
    )
    doc = structure(path).doc
    assert [s.title for s in doc.sections] == ["目次", "第1章 総則", "第2章 申請"]
    assert [b.text for b in doc.blocks if b.kind == "toc"] == ["第1章 総則", "第2章 申請"]
