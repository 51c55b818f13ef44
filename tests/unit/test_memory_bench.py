"""The memory bench's long report built from the pages of other PDFs (``--real-pages``)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from tests.fixtures.layout import build_many_pages_pdf
from tools.memory_bench import build_real_pages_pdf


def _first_line(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range().splitlines()[0]
        finally:
            textpage.close()
    finally:
        page.close()


def test_the_pages_of_the_sources_are_taken_in_turn_until_the_count(tmp_path: Path) -> None:
    three = build_many_pages_pdf(tmp_path / "a_three.pdf", 3)
    two = build_many_pages_pdf(tmp_path / "b_two.pdf", 2)
    built = build_real_pages_pdf(tmp_path / "built.pdf", [three, two], 7)
    documents = [pdfium.PdfDocument(str(f)) for f in (built, three, two)]
    try:
        built_pages, sources = documents[0], documents[1:]
        expected = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (0, 0), (0, 1)]
        assert len(built_pages) == 7
        assert [_first_line(built_pages, k) for k in range(7)] == [_first_line(sources[s], p) for s, p in expected]
    finally:
        for document in documents:
            document.close()
