"""Damaged PDFs written by hand (tests/fixtures/damaged.py): what can be read is kept, each
lost page is named with a reason a user can act on, and the manifest says the document is partial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.convert import Converter
from pipeline.japanese.glyphs import is_cjk
from pipeline.sources import InputError
from tests.batch.test_cli import run_cli
from tests.fixtures import damaged as fdamaged


def texts(doc) -> str:
    return " ".join(b.text for b in doc.blocks)


def test_one_damaged_page_is_left_out_and_named(tmp_path: Path) -> None:
    doc = Converter().extract(fdamaged.write_pdf_with_damaged_pages(tmp_path / "d.pdf"))
    assert doc.n_pages == 5
    [warning] = [w for w in doc.warnings if w.code == "page_failed"]
    assert warning.page == 3
    assert warning.message.startswith("page 3 could not be read and was left out: ")
    assert "its fonts" in warning.message and "PDFium" in warning.message
    for number in (1, 2, 4, 5):
        assert f"Page {number} text" in texts(doc)
    assert "Page 3 text" not in texts(doc)
    assert [p.failed for p in doc.pages] == [False, False, True, False, False]


def test_the_manifest_and_console_say_the_document_is_partial(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    fdamaged.write_pdf_with_damaged_pages(raw / "d.pdf", damaged=(2, 4))
    result = run_cli("extract", raw, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "partial d.pdf: 5 pages" in result.stderr and "pages 2, 4 could not be read and were left out" in result.stderr
    assert "1 partial (pages left out)" in result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["documents"]
    assert (entry["status"], entry["failed_pages"], manifest["counts"]["partial"]) == ("partial", [2, 4], 1)
    assert (tmp_path / "out" / "d" / "document.json").is_file()


def test_a_file_with_no_readable_page_fails_with_the_reason(tmp_path: Path) -> None:
    path = fdamaged.write_pdf_with_damaged_pages(tmp_path / "d.pdf", n_pages=2, damaged=(1, 2))
    with pytest.raises(InputError) as caught:
        Converter().extract(path)
    assert caught.value.code == "corrupt_pdf"
    assert str(caught.value).startswith("no page could be read; page 1 could not be read: damaged: ")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data.replace(b"/MediaBox [0 0 612 792] ", b""), "TypeError"),  # no page size anywhere
        (lambda data: data.replace(b"trailer\n<< /Size", b"trailer\n<< /Prev %d /Size" % data.index(b"xref")),
         "RecursionError"),  # a cross-reference chain that points back at itself
    ],
    ids=["no-media-box", "looping-xref"],
)
def test_a_file_pdfminer_cannot_read_is_read_by_pdfium(tmp_path: Path, damage, reason: str) -> None:
    path = fdamaged.write_raw_pdf(tmp_path / "f.pdf", ["first page", "second page"])
    path.write_bytes(damage(path.read_bytes()))
    doc = Converter().extract(path)
    assert doc.n_pages == 2 and "first page" in texts(doc) and "second page" in texts(doc)
    [warning] = [w for w in doc.warnings if w.code == "second_reader"]
    assert reason in warning.message and "were read by PDFium instead" in warning.message


def test_a_password_protected_file_still_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        Converter().extract(fdamaged.write_encrypted_pdf(tmp_path / "locked.pdf"))
    assert caught.value.code == "encrypted" and "password" in str(caught.value)


def test_a_glyph_mapped_to_several_characters_is_read(tmp_path: Path) -> None:
    doc = Converter().extract(fdamaged.write_ligature_glyph_pdf(tmp_path / "lig.pdf"))
    assert "field work" in texts(doc)
    assert not is_cjk("fi") and is_cjk("株式会社")


def test_parser_messages_become_one_warning_not_console_noise(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    fdamaged.write_font_without_bbox_pdf(raw / "f.pdf")
    result = run_cli("extract", raw, "-o", tmp_path / "out")
    assert result.returncode == 0 and "FontBBox" not in result.stderr
    doc = json.loads((tmp_path / "out" / "f" / "document.json").read_text(encoding="utf-8"))
    [warning] = [w for w in doc["warnings"] if w["code"] == "parser_messages"]
    assert warning["message"].startswith("the PDF parser reported 2 problems: Could not get FontBBox")


def test_a_page_count_the_page_tree_disagrees_with_is_reported(tmp_path: Path) -> None:
    path = fdamaged.write_raw_pdf(tmp_path / "c.pdf", ["a page", "b page", "c page"])
    path.write_bytes(path.read_bytes().replace(b"/Count 3", b"/Count 4"))  # the tree's count is wrong
    doc = Converter().extract(path)
    [warning] = [w for w in doc.warnings if w.code == "page_count"]
    assert warning.message.startswith("pdfminer read 3 pages where the page tree declares 4 and PDFium counts 4")


@pytest.mark.parametrize("reader", ["pdfium", "auto"])
def test_pdfium_first_names_a_page_the_page_tree_counts_but_does_not_hold(tmp_path: Path, reader: str) -> None:
    """PDFium trusts the tree's /Count: the page it cannot load is named as missing from the file
    (not as a file pdfplumber cannot open), and the disagreement is reported as pdfplumber-first does."""
    from pipeline.config import PipelineConfig

    path = fdamaged.write_raw_pdf(tmp_path / "c.pdf", ["a page", "b page", "c page"])
    path.write_bytes(path.read_bytes().replace(b"/Count 3", b"/Count 4"))
    doc = Converter(PipelineConfig(reader=reader)).extract(path)
    assert all(page in texts(doc) for page in ("a page", "b page", "c page"))
    [failed] = [w for w in doc.warnings if w.code == "page_failed"]
    assert failed.page == 4
    assert failed.message.endswith("PDFium could not read it, and pdfminer finds only 3 pages in the file")
    [count] = [w for w in doc.warnings if w.code == "page_count"]
    assert count.message.startswith("pdfminer read 3 pages where PDFium counts 4")


def test_a_page_tree_pdfminer_fails_to_walk_is_not_taken_for_a_short_one(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfplumber keeps the pages it walked before a damaged page tree stopped it: every later
    page fails as the first did, and no page count is claimed from the part walked."""
    import pdfplumber

    from pipeline.pdf.open import PdfplumberPages

    class HalfWalked:
        def __init__(self) -> None:
            self.asked = 0

        @property
        def pages(self) -> list[str]:
            self.asked += 1
            if self.asked == 1:
                raise ValueError("the page tree broke off")
            return ["page 1"]

        def close(self) -> None:
            pass

    monkeypatch.setattr(pdfplumber, "open", lambda path: HalfWalked())
    with PdfplumberPages(tmp_path / "broken.pdf") as pages:
        for number in (1, 2, 3):
            with pytest.raises(ValueError, match="broke off"):
                pages.page(number)
        assert pages.page_count is None


def test_a_page_pdfminer_fails_on_is_read_by_pdfium(tmp_path: Path, monkeypatch) -> None:
    from pdfminer.psparser import PSSyntaxError

    from pipeline.pdf.page import PdfPage
    from pipeline.stages import layout

    real_read_page = layout.read_page

    def fail_on_page_two(page, *args, **kwargs):
        if isinstance(page, PdfPage) and page.number == 2:
            raise PSSyntaxError("invalid token in the content stream")  # as pdfminer does
        return real_read_page(page, *args, **kwargs)

    monkeypatch.setattr(layout, "read_page", fail_on_page_two)
    path = fdamaged.write_raw_pdf(tmp_path / "p.pdf", ["first page", "second page", "third page"])
    doc = Converter().extract(path)
    assert "second page" in texts(doc) and not any(p.failed for p in doc.pages)
    [warning] = [w for w in doc.warnings if w.code == "page_second_reader"]
    assert warning.page == 2 and "read by PDFium instead" in warning.message


def test_a_file_whose_attachments_alone_are_encrypted_is_read(tmp_path: Path) -> None:
    doc = Converter().extract(fdamaged.write_attachment_encrypted_pdf(tmp_path / "a.pdf"))
    assert doc.n_pages == 2 and "first page" in texts(doc) and "second page" in texts(doc)
    assert not any(w.code in ("page_failed", "second_reader") for w in doc.warnings)


def test_junk_bytes_before_the_header_do_not_stop_the_file(tmp_path: Path) -> None:
    path = fdamaged.write_raw_pdf(tmp_path / "j.pdf", ["first page", "second page"],
                                  prefix=b"\x00\x01junk from a mail gateway\r\n" * 4)
    doc = Converter().extract(path)
    assert doc.n_pages == 2 and "second page" in texts(doc)
    assert not any(w.code in ("page_failed", "second_reader") for w in doc.warnings)
