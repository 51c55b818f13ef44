"""--reader pdfium and auto: PDFium reads the page (characters, colours, rules, rectangles,
images) and the stages build the same document as from pdfplumber on a clean report."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.convert import Converter
from pipeline.model import Document
from pipeline.settings import SettingError
from pipeline.sources import file_sha256
from tests.fixtures import report as freport
from tests.fixtures import sections as fsections
from tests.fixtures import tables as ftables


def write_text_runs(path: Path, runs: list[tuple[tuple[float, ...], float, str]]) -> Path:
    """A one-page PDF with each run of text drawn through its own text matrix (a, b, c, d, e, f)
    at its font size, in the fixtures' Japanese font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tests.fixtures import base as fbase

    regular, _ = fbase.register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    for matrix, size, string in runs:
        text = canvas.beginText()
        text.setTextTransform(*matrix)
        text.setFont(regular, size)
        text.textOut(string)
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def readers(report_fixture: freport.ReportFixture) -> dict[str, Document]:
    path = report_fixture.path
    return {reader: Converter(PipelineConfig(reader=reader)).convert(path, "report", file_sha256(path)).doc
            for reader in ("pdfplumber", "pdfium", "auto")}


@pytest.mark.parametrize("reader", ["pdfium", "auto"])
def test_the_section_tree_is_the_same_with_pdfium(readers: dict[str, Document], reader: str) -> None:
    reference = [(s.title, s.level, s.page) for s in readers["pdfplumber"].sections]
    assert reference and [(s.title, s.level, s.page) for s in readers[reader].sections] == reference


@pytest.mark.parametrize("build", [ftables.build_ruled_table_pdf, ftables.build_merged_cells_table_pdf,
                                   ftables.build_budget_table_pdf])
def test_ruled_tables_are_found_with_the_same_cells(tmp_path, build) -> None:  # noqa: ANN001
    path = build(tmp_path / "table.pdf").path

    def tables(reader: str) -> list[tuple]:
        doc = Converter(PipelineConfig(reader=reader)).convert(path, "table", file_sha256(path)).doc
        return [(t.page, t.rows, [(c.row, c.col, c.row_span, c.col_span) for c in t.cells]) for t in doc.tables]

    reference = tables("pdfplumber")
    assert reference and tables("pdfium") == reference


@pytest.mark.parametrize("reader", ["pdfium", "auto"])
def test_paragraphs_and_entities_are_the_same(readers: dict[str, Document], reader: str) -> None:
    def texts(doc: Document) -> list[tuple[str, str]]:
        return [(b.kind, b.text) for b in doc.blocks]

    assert texts(readers[reader]) == texts(readers["pdfplumber"])
    assert ({(e.label, e.name) for e in readers[reader].entities}
            == {(e.label, e.name) for e in readers["pdfplumber"].entities})


def test_an_unknown_reader_is_refused() -> None:
    with pytest.raises(SettingError, match="reader must be one of"):
        PipelineConfig(reader="mupdf")


def test_auto_falls_back_only_when_pdfium_reads_far_fewer_characters(report_fixture: freport.ReportFixture) -> None:
    """One character per text object (as Word writes) is a full read; a page whose text objects
    hold text PDFium did not read (a font it cannot draw) is not."""
    from pipeline.pdf.pdfium_page import PdfiumPage, PdfiumReader, missing_text

    with PdfiumReader(report_fixture.path) as reader:
        read = reader.read(1)
    assert read.chars and read.unread_text_chars == 0 and not missing_text(read)
    emptied = PdfiumPage(1, read.width, read.height, [])
    emptied.unread_text_chars = len(read.chars)
    assert missing_text(emptied)


def test_space_glyphs_pdfium_does_not_report_still_join_a_line(tmp_path) -> None:  # noqa: ANN001
    """A heading printed as 第1節, three space glyphs drawn on their own, then its title: pdfminer
    reads the spaces and the line stays one; PDFium drops them, so they are put back."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tests.fixtures import base as fbase

    regular, bold = fbase.register_fonts()
    path = tmp_path / "spaced.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    baseline = A4[1] - 100.0
    canvas.setFont(bold, 14.0)
    canvas.drawString(70.0, baseline, "第1節")
    for x in (112.0, 126.0, 140.0):
        canvas.drawString(x, baseline, " ")
    canvas.drawString(154.0, baseline, "見本市の産業振興")
    canvas.setFont(regular, 10.5)
    canvas.drawString(70.0, baseline - 30.0, "見本市は地域の産業振興のために補助を行う。")
    canvas.showPage()
    canvas.save()

    def titles(reader: str) -> list[str]:
        doc = Converter(PipelineConfig(reader=reader)).convert(path, "spaced", file_sha256(path)).doc
        return [s.title for s in doc.sections]

    assert titles("pdfium") == titles("pdfplumber") == ["第1節 見本市の産業振興"]


def test_a_character_set_small_by_its_text_matrix_has_its_printed_size(tmp_path) -> None:  # noqa: ANN001
    """A footnote mark drawn at 10.5 pt through a text matrix scaled to 60 %: 6.3 pt, as pdfminer says."""
    import pdfplumber

    from pipeline.pdf.pdfium_page import PdfiumReader

    path = write_text_runs(tmp_path / "scaled.pdf", [((0.6, 0, 0, 0.6, 100.0, 700.0), 10.5, "3")])
    with pdfplumber.open(path) as pdf:
        expected = pdf.pages[0].chars[0]["size"]
    with PdfiumReader(path) as reader:
        assert reader.read(1).chars[0]["size"] == pytest.approx(expected, abs=0.1)


def test_characters_are_upright_where_pdfplumber_says_so(tmp_path: Path) -> None:
    """Upright is read from the character's matrix: plain, slightly leaning (3°), upside-down and
    squeezed text is upright, text turned a quarter (a vertical label 注) is not, as pdfminer says."""
    import math

    import pdfplumber

    from pipeline.pdf.pdfium_page import PdfiumReader

    runs = []
    for degrees, scale, y in ((0, 1.0, 700), (3, 1.0, 600), (90, 1.0, 500), (180, 1.0, 400), (0, 0.2, 300),
                              (30, 2.0, 200)):
        cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        runs.append(((cos * scale, sin * scale, -sin, cos, 200.0, float(y)), 12.0, "注"))
    path = write_text_runs(tmp_path / "turned.pdf", runs)
    with pdfplumber.open(path) as pdf:
        expected = [c["upright"] for c in sorted(pdf.pages[0].chars, key=lambda c: c["top"])]
    with PdfiumReader(path) as reader:
        read = [c["upright"] for c in sorted(reader.read(1).chars, key=lambda c: c["top"])]
    assert expected[:5] == [True, True, False, True, True]
    assert read[:5] == expected[:5]
    assert read[5] is False  # turned 30° and stretched across: PDFium's angle, not pdfminer's signs


def test_upright_is_what_pdfiums_own_angle_says(tmp_path: Path) -> None:
    """Slanted (fake italic, [1 0 0.2 1]), sheared and stretched text: upright exactly when the
    sine of FPDFText_GetCharAngle is small, as before the flag was read from the matrix."""
    import math

    import pypdfium2 as pdfium

    from pipeline.pdf.pdfium_page import UPRIGHT_SINE, PdfiumReader

    matrices = [(1, 0, 0.2, 1), (1, 0, 0.05, 1), (1, 0.2, 0, 1), (2, 0.5, -0.5, 1), (0.5, 0.3, -0.3, 2), (1, 0, 0, 1)]
    path = write_text_runs(tmp_path / "slanted.pdf",
                           [((*m, 200.0, 700.0 - 80.0 * k), 12.0, "注") for k, m in enumerate(matrices)])
    document = pdfium.PdfDocument(str(path))
    try:
        textpage = document[0].get_textpage()
        angles = [pdfium.raw.FPDFText_GetCharAngle(textpage.raw, index) for index in range(textpage.count_chars())
                  if textpage.get_text_range(index, 1).strip()]
    finally:
        document.close()
    with PdfiumReader(path) as reader:
        read = [c["upright"] for c in reader.read(1).chars if c["text"].strip()]
    assert read == [abs(math.sin(angle)) < UPRIGHT_SINE for angle in angles]
    assert read.count(False) >= 2 and read.count(True) >= 2  # (both answers are exercised)


def test_auto_reads_a_page_set_in_a_font_the_file_does_not_embed_with_pdfplumber(tmp_path) -> None:  # noqa: ANN001
    """Text in a standard Japanese font the file does not embed (HeiseiMin-W3, as 官報 pages set
    Ryumin-Light): PDFium reads little of it, so ``auto`` hands the page to pdfplumber, which does."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    path = tmp_path / "not_embedded.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("HeiseiMin-W3", 11)
    for line in range(8):
        canvas.drawString(72, 760 - 20 * line, "補助金の交付の申請については、次のとおりとする。")
    canvas.save()

    def text(reader: str) -> str:
        doc = Converter(PipelineConfig(reader=reader)).convert(path, "cid", file_sha256(path)).doc
        return "".join(b.text for b in doc.blocks)

    assert text("pdfium").count("補助金") < 8  # what the check guards against: lines PDFium drops
    assert text("auto").count("補助金") == 8
    assert text("auto") == text("pdfplumber")
    doc = Converter(PipelineConfig(reader="auto")).convert(path, "cid", file_sha256(path)).doc
    assert not any(w.code in ("page_count", "page_failed") for w in doc.warnings)  # (both readers count 1 page)


def test_a_document_opened_again_every_few_pages_reads_the_same_pages(tmp_path) -> None:
    """PDFium keeps what it parsed until the document closes, so long files are opened afresh
    every few pages; the pages read are the same as from one opening, and a file PDFium cannot
    open fails when the reader is made."""
    import pypdfium2 as pdfium

    from pipeline.pdf.pdfium_page import PdfiumReader
    from tests.fixtures.layout import build_many_pages_pdf

    path = build_many_pages_pdf(tmp_path / "seven.pdf", 7)
    with PdfiumReader(path) as once, PdfiumReader(path, pages_per_opening=3) as every_three:
        assert len(once) == len(every_three) == 7
        openings = []
        for number in range(1, 8):
            expected, read = once.read(number), every_three.read(number)
            assert read.number == number and read.chars == expected.chars and read.rects == expected.rects
            if not any(document is every_three.document for document in openings):
                openings.append(every_three.document)
        assert len(openings) == 3  # pages 1-3, 4-6 and 7
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nnot a PDF at all")
    with pytest.raises(pdfium.PdfiumError):
        PdfiumReader(tmp_path / "broken.pdf")
    with pytest.raises(ValueError, match="at least 1"):
        PdfiumReader(path, pages_per_opening=0)


def test_edges_say_how_they_are_painted_as_pdfplumber_says(tmp_path) -> None:
    """A white fill with no stroke beside a ruled table is no rule: the table finder tells it by
    the edges' fill and stroke, so PDFium's edges carry them as pdfplumber's do."""
    import pdfplumber
    from reportlab.pdfgen import canvas

    from pipeline.pdf.pdfium_page import PdfiumReader

    path = tmp_path / "painted.pdf"
    drawing = canvas.Canvas(str(path), pagesize=(400, 400))
    drawing.line(20, 380, 200, 380)  # a stroked rule
    drawing.setFillColorRGB(1, 1, 1)
    drawing.rect(20, 200, 150, 100, stroke=0, fill=1)  # a white fill, not stroked
    drawing.setFillColorRGB(0.8, 0.9, 1)
    drawing.rect(220, 200, 150, 100, stroke=1, fill=1)  # a shaded, stroked box
    drawing.save()

    def painted(edges: list[dict]) -> set[tuple]:
        return {(e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]),
                 bool(e.get("fill")), bool(e.get("stroke"))) for e in edges}

    with pdfplumber.open(path) as pdf:
        expected = painted(pdf.pages[0].edges)
    with PdfiumReader(path) as reader:
        read = painted(reader.read(1).edges)
    assert read == expected
    assert ("h", 20, 100, 170, 100, True, False) in read and ("h", 220, 100, 370, 100, True, True) in read


def test_paths_are_rectangles_lines_and_curves_as_pdfplumber_says(tmp_path: Path) -> None:
    """A box drawn as four corners and closed (m l l l h: PDFium adds the closing corner) is a
    rectangle, as is one drawn back to its first corner; the same four corners left open are a
    polyline (a curve), as pdfplumber says."""
    import pdfplumber
    from reportlab.pdfgen import canvas

    from pipeline.pdf.pdfium_page import PdfiumReader

    path = tmp_path / "paths.pdf"
    drawing = canvas.Canvas(str(path), pagesize=(400, 400))
    for x, close, back in ((20, True, False), (140, False, True), (260, False, False)):
        outline = drawing.beginPath()
        outline.moveTo(x, 300)
        for px, py in ((x + 100, 300), (x + 100, 350), (x, 350)):
            outline.lineTo(px, py)
        if back:
            outline.lineTo(x, 300)
        if close:
            outline.close()
        drawing.drawPath(outline, stroke=1, fill=0)
    drawing.line(20, 100, 300, 100)
    drawing.save()

    def shapes(page: object) -> dict[str, list[tuple[int, ...]]]:
        return {kind: sorted((round(o["x0"]), round(o["top"]), round(o["x1"]), round(o["bottom"]))
                             for o in getattr(page, kind)) for kind in ("rects", "lines", "curves")}

    with pdfplumber.open(path) as pdf:
        expected = shapes(pdf.pages[0])
    with PdfiumReader(path) as reader:
        read = shapes(reader.read(1))
    assert read == expected
    assert read == {"rects": [(20, 50, 120, 100), (140, 50, 240, 100)], "lines": [(20, 300, 300, 300)],
                    "curves": [(260, 50, 360, 100)]}


@pytest.mark.parametrize("closed, kind", [(True, "rects"), (False, "curves")])
def test_four_corners_are_a_rectangle_only_when_the_path_is_closed(closed: bool, kind: str) -> None:
    """A path of four corners with no fifth point back at the first is a rectangle only when it
    is closed: the closing flag is asked of PDFium for such a path (here a stand-in for PDFium)."""
    import ctypes

    import pypdfium2.raw as raw

    from pipeline.pdf.pdfium_graphics import GraphicsReader

    corners = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]

    class OnePath:  # PDFium's path functions over one path of four segments, the last one closing if ``closed``
        def __init__(self) -> None:
            self.raw = raw

        def FPDFPageObj_GetMatrix(self, obj: int, matrix: int) -> bool:
            return False

        def FPDFPath_GetDrawMode(self, obj: int, fill: int, stroke: int) -> bool:
            ctypes.c_int.from_address(stroke).value = 1
            return True

        def FPDFPageObj_GetStrokeWidth(self, obj: int, width: int) -> bool:
            return False

        def FPDFPageObj_GetFillColor(self, obj: int, *rgba: int) -> bool:
            return False

        FPDFPageObj_GetStrokeColor = FPDFPageObj_GetFillColor

        def FPDFPath_CountSegments(self, obj: int) -> int:
            return len(corners)

        def FPDFPath_GetPathSegment(self, obj: int, index: int) -> int:
            return index

        def FPDFPathSegment_GetPoint(self, segment: int, x: int, y: int) -> bool:
            ctypes.c_float.from_address(x).value, ctypes.c_float.from_address(y).value = corners[segment]
            return True

        def FPDFPathSegment_GetType(self, segment: int) -> int:
            return raw.FPDF_SEGMENT_MOVETO if segment == 0 else raw.FPDF_SEGMENT_LINETO

        def FPDFPathSegment_GetClose(self, segment: int) -> bool:
            return closed and segment == len(corners) - 1

    reader = GraphicsReader(OnePath(), 100.0)  # type: ignore[arg-type]
    reader.read(1, raw.FPDF_PAGEOBJ_PATH)
    found = {name: len(getattr(reader.graphics, name)) for name in ("rects", "lines", "curves")}
    assert found == {"rects": 0, "lines": 0, "curves": 0, kind: 1}


def test_a_file_pdfium_cannot_open_is_read_by_pdfplumber_and_says_so(report_fixture: freport.ReportFixture,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With PDFium unable to open the file, every page is read by pdfplumber and a warning says
    so: a run asked to use PDFium does not quietly measure the other reader."""
    import pipeline.convert as convert

    def cannot_open(path: object) -> None:
        raise OSError("PDFium cannot open it")

    monkeypatch.setattr(convert, "PdfiumReader", cannot_open)
    path = report_fixture.path
    read = Converter(PipelineConfig(reader="pdfium")).convert(path, "report", file_sha256(path)).doc
    reference = Converter(PipelineConfig()).convert(path, "report", file_sha256(path)).doc
    assert [(b.kind, b.text) for b in read.blocks] == [(b.kind, b.text) for b in reference.blocks]
    assert any(w.code == "second_reader" and "PDFium could not open" in w.message for w in read.warnings)


@pytest.mark.parametrize("build", [fsections.build_bookmarks_pdf, fsections.build_titled_bookmarks_pdf])
def test_pdfium_reads_the_outline_as_pdfminer_does(tmp_path, build) -> None:  # noqa: ANN001
    """Titles, levels and target pages of the bookmarks (reportlab writes named destinations)."""
    import pdfplumber
    import pypdfium2

    from pipeline.pdf.outline import read_bookmarks, read_pdfium_bookmarks

    path = build(tmp_path / "outline.pdf").path
    with pdfplumber.open(path) as pdf:
        expected = read_bookmarks(pdf)
    document = pypdfium2.PdfDocument(str(path))
    try:
        read = read_pdfium_bookmarks(document)
    finally:
        document.close()
    assert len(expected) >= 3 and all(b.page is not None for b in expected)
    assert read == expected


def test_pdfium_first_never_opens_pdfplumber_on_pages_pdfium_reads(report_fixture: freport.ReportFixture,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium reads the pages, outline and document information: pdfplumber is not opened at all."""
    import pdfplumber

    path = report_fixture.path
    reference = Converter(PipelineConfig(reader="pdfium")).convert(path, "report", file_sha256(path)).doc

    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("pdfplumber opened")

    monkeypatch.setattr(pdfplumber, "open", must_not_open)
    read = Converter(PipelineConfig(reader="auto")).convert(path, "report", file_sha256(path)).doc
    assert read == reference


def test_pdfium_first_reports_page_progress(report_fixture: freport.ReportFixture) -> None:
    from pipeline.pdf.open import observe_pages

    class Progress:
        def __init__(self) -> None:
            self.events: list[tuple[str, int]] = []

        def opened(self, n_pages: int) -> None:
            self.events.append(("opened", n_pages))

        def page_read(self, number: int) -> None:
            self.events.append(("read", number))

    progress = Progress()
    path = report_fixture.path
    with observe_pages(progress):
        doc = Converter(PipelineConfig(reader="auto")).convert(path, "report", file_sha256(path)).doc
    assert progress.events == [("opened", doc.n_pages)] + [("read", n) for n in range(1, doc.n_pages + 1)]


@pytest.mark.parametrize(("content", "code"), [(b"", "empty_file"), (b"<html>not a pdf</html>", "not_pdf")])
def test_pdfium_first_names_a_file_that_is_no_pdf_as_pdfplumber_does(tmp_path, content: bytes, code: str) -> None:  # noqa: ANN001
    from pipeline.sources import InputError

    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    errors = []
    for reader in ("pdfplumber", "auto"):
        with pytest.raises(InputError) as raised:
            Converter(PipelineConfig(reader=reader)).convert(path, "bad", file_sha256(path))
        errors.append((raised.value.code, str(raised.value)))
    assert errors[0] == errors[1] and errors[0][0] == code


def test_the_collector_settings_are_put_back_after_a_conversion_even_on_an_error() -> None:
    import gc

    from pipeline.convert import COLLECTOR_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
        raise RuntimeError("a stage failed")
    assert gc.get_threshold() == before
