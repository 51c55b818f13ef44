"""Tables stage: detection on generated PDFs, cell text, headers, captions, typing, export.

Every PDF is generated on the fly (``tests/fixtures/`` plus a few small builders
here); nothing reads the reference corpus.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout
from tests.fixtures import tables as ftables

from tools.evaluation.tables import score_tables
from pipeline.export.tables import TABLES_HEADER, TIDY_HEADER, write_tables
from pipeline.config import PipelineConfig
from pipeline.convert import Converter
from pipeline.japanese.lines import tidy_cell_text
from pipeline.japanese.markers import is_total_label
from pipeline.japanese.normalize import match_key
from pipeline.japanese.units import unit_of_label
from pipeline.model import Block, Document, SourceInfo, Table
from pipeline.model.table_views import tidy_records
from pipeline.pdf.page import PdfPage
from pipeline.stages import sections
from pipeline.stages import tables as tables_stage
from pipeline.stages.tables import ruled as ruled_stage
from pipeline.stages.tables import TableConfig, detect_image_tables, detect_tables, page_detector, parse_cell_value
from pipeline.stages.working import RawCell, RawTable, WorkingDocument

SETTINGS = TableConfig()


# ------------------------------------------------------------------ helpers


def build_doc(path: Path, settings: TableConfig = SETTINGS) -> Document:
    """layout (with the table detectors) → sections → tables → section tree, as the converter
    wires them (without the slower entity stage)."""
    return Converter(PipelineConfig(tables=settings)).structure(path, path.stem, "0" * 64).doc


def page_tables(path: Path, number: int = 1, settings: TableConfig = SETTINGS) -> list[RawTable]:
    with pdfplumber.open(path) as pdf:
        return detect_tables(PdfPage(pdf.pages[number - 1].dedupe_chars(), number), settings)


def grid_of(table: RawTable) -> list[list[str]]:
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def expected_grid(grid: ftables.Grid) -> list[list[str]]:
    """The factory's grid with our spacing policy: a letter-spaced label closes up."""
    return [[tidy_cell_text(text) for text in row] for row in grid]


def ruled_grid_page(
    rows: list[list[str]], widths: list[float], *, caption: str | None = None, top: float = 120.0,
    row_height: float = 30.0, x: float = 80.0, size: float = 9.0, spans: dict[tuple[int, int], tuple[int, int]] | None = None,
) -> fbase.PageSpec:
    """A fully ruled grid; a cell's text may hold '\\n' (printed on several lines); ``spans``
    maps (row, col) → (row_span, col_span) for merged cells."""
    spans = spans or {}
    page = fbase.PageSpec()
    page.lines.append(fbase.TextLine("本文の段落です。次の表に結果を示す。", x, 80.0, 10.5))
    if caption:
        page.lines.append(fbase.TextLine(caption, x, top - 18, 10.5, bold=True))
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top + row_height * r for r in range(len(rows) + 1)]
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            row_span, col_span = spans.get((r, c), (1, 1))
            for rr in range(r, r + row_span):
                for cc in range(c, c + col_span):
                    covered.add((rr, cc))
            x0, x1, y0, y1 = xs[c], xs[c + col_span], ys[r], ys[r + row_span]
            page.rules += [fbase.Rule(x0, y0, x1, y0), fbase.Rule(x0, y1, x1, y1), fbase.Rule(x0, y0, x0, y1), fbase.Rule(x1, y0, x1, y1)]
            lines = text.split("\n") if text else []
            for i, line in enumerate(lines):
                page.lines.append(fbase.TextLine(line, x0 + 4, y0 + 4 + i * size * 1.3, size))
    return page


# ------------------------------------------------------------------ factory fixtures


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("table_pdfs")


@pytest.fixture(scope="module")
def ruled(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_ruled_table_pdf(pdf_dir / "ruled.pdf")


@pytest.fixture(scope="module")
def merged(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_merged_cells_table_pdf(pdf_dir / "merged.pdf")


@pytest.fixture(scope="module")
def multiline(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_multiline_header_table_pdf(pdf_dir / "multiline.pdf")


@pytest.fixture(scope="module")
def ruleless(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_ruleless_table_pdf(pdf_dir / "ruleless.pdf")


@pytest.fixture(scope="module")
def negative(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_negative_units_table_pdf(pdf_dir / "negative.pdf")


@pytest.fixture(scope="module")
def key_value(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_key_value_table_pdf(pdf_dir / "key_value.pdf")


@pytest.fixture(scope="module")
def split(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_split_table_pdf(pdf_dir / "split.pdf")


@pytest.fixture(scope="module")
def split_no_header(pdf_dir: Path) -> ftables.TableFixture:
    return ftables.build_split_table_pdf(pdf_dir / "split_no_header.pdf", repeat_header=False)


# ------------------------------------------------------------------ detection: ruled grid


def test_ruled_grid_cells_as_printed(ruled: ftables.TableFixture) -> None:
    found = page_tables(ruled.path)
    assert len(found) == 1
    assert found[0].strategy == "lines"
    assert grid_of(found[0]) == expected_grid(ruled.grid)


def test_ruled_grid_document(ruled: ftables.TableFixture) -> None:
    doc = build_doc(ruled.path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.table_id == "01"
    assert table.rows == expected_grid(ruled.grid)
    assert match_key(table.caption or "") == match_key(ruled.caption or "")
    assert match_key(table.source_note or "") == match_key(ruled.source_note or "")
    assert table.header_rows == ruled.n_header_rows == 1
    assert table.label_cols == 1
    assert table.kind == "grid"


def test_caption_and_note_blocks_are_marked(ruled: ftables.TableFixture) -> None:
    doc = build_doc(ruled.path)
    kinds = {b.kind: b for b in doc.blocks if b.table_id == "01"}
    assert set(kinds) == {"caption", "table", "note"}
    assert match_key(kinds["caption"].text) == match_key("人口（2020年）")


def test_table_text_stays_out_of_paragraphs(ruled: ftables.TableFixture) -> None:
    doc = build_doc(ruled.path)
    prose = " ".join(b.text for b in doc.blocks if b.kind in ("paragraph", "list_item", "heading"))
    for row in ruled.grid[1:]:
        for text in row:
            assert text not in prose


def test_typed_values_percent_dash_and_units(ruled: ftables.TableFixture) -> None:
    doc = build_doc(ruled.path)
    records = {(r.row, r.col): r for r in tidy_records(doc.tables[0])}
    assert records[(1, 1)].value == 152384 and records[(1, 1)].unit == "人"  # 人口（人）
    assert records[(1, 2)].value == 100.0 and records[(1, 2)].unit == "%"
    assert records[(1, 3)].value == -1.8
    assert records[(4, 3)].value is None and records[(4, 3)].raw_text == "－"
    assert records[(2, 1)].row_label == "年少人口" and records[(2, 1)].column_header == "人口（人）"
    assert records[(1, 1)].is_total_row and not records[(2, 1)].is_total_row  # 総数


def test_caption_at_the_margin_over_a_centred_table(tmp_path: Path) -> None:
    rows = [["", "総人口", "年少人口"], ["人数（人）", "152,384", "19,873"], ["2010年比", "0.982", "0.936"]]
    page = ruled_grid_page(rows, [100, 80, 80], x=200.0, top=150.0)
    page.lines.append(fbase.TextLine("人口（2020年）", 80.0, 130.0, 10.5, bold=True))  # ends left of the grid
    path = fbase.write_pdf(tmp_path / "margin_caption.pdf", [page])
    table = build_doc(path).tables[0]
    assert table.caption == "人口（2020年）"
    assert [r.unit for r in tidy_records(table) if r.row == 1] == ["人", "人"]
    assert [r.unit for r in tidy_records(table) if r.row == 2] == [None, None]


# ------------------------------------------------------------------ merged cells


def test_merged_cells_as_printed(merged: ftables.TableFixture) -> None:
    found = page_tables(merged.path)
    assert len(found) == 1
    assert grid_of(found[0]) == expected_grid(merged.grid)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in found[0].cells}
    assert spans[(0, 2)] == (1, 2)  # 事業所数 over two columns
    assert spans[(0, 0)] == (2, 1)  # 地区 over two header rows
    assert spans[(2, 0)] == (2, 1)  # 北部地区 over two body rows


def test_merged_cells_tidy_carries_spanned_labels(merged: ftables.TableFixture) -> None:
    doc = build_doc(merged.path)
    table = doc.tables[0]
    assert table.header_rows == 2 and table.label_cols == 2
    records = {(r.row, r.col): r for r in tidy_records(table)}
    assert records[(3, 3)].row_label == "北部地区 > 非製造業"
    assert records[(3, 3)].column_header == "事業所数 > 2020年"
    assert records[(3, 3)].value == 3452
    assert records[(5, 2)].row_label == "南部地区 > 非製造業"


# ------------------------------------------------------------------ multi-line header cells


def test_wrapped_header_cells_join_the_japanese_way(multiline: ftables.TableFixture) -> None:
    found = page_tables(multiline.path)
    assert len(found) == 1
    grid = grid_of(found[0])
    assert grid == expected_grid(multiline.grid)
    assert "鉱業，採石業，砂利採取業" in grid[0]


def test_year_labels_are_row_labels_not_values(multiline: ftables.TableFixture) -> None:
    table = build_doc(multiline.path).tables[0]
    assert table.header_rows == 1 and table.label_cols == 1
    first = tidy_records(table)[0]
    assert first.row_label == "2012年" and first.column_header == "総数" and first.value == 6412


# ------------------------------------------------------------------ rule-less table


def test_ruleless_table_found_from_alignment(ruleless: ftables.TableFixture) -> None:
    found = page_tables(ruleless.path)
    assert len(found) == 1
    assert found[0].strategy == "text"
    assert grid_of(found[0]) == expected_grid(ruleless.grid)


def test_ruleless_table_document(ruleless: ftables.TableFixture) -> None:
    doc = build_doc(ruleless.path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.header_rows == 1
    assert match_key(table.caption or "") == match_key(ruleless.caption or "")
    assert match_key(table.source_note or "") == match_key(ruleless.source_note or "")
    values = [r.value for r in tidy_records(table) if r.row_label == "中央地区"]
    assert values == [312, 8145, 2841200]


def test_prose_pages_have_no_tables(pdf_dir: Path) -> None:
    report = freport.build_report_pdf(pdf_dir / "report.pdf")
    two_column = flayout.build_two_column_pdf(pdf_dir / "two_column.pdf")
    for path in (report.path, two_column.path):
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                assert detect_tables(PdfPage(page.dedupe_chars(), number), SETTINGS) == []


def test_bullets_set_apart_from_their_text_are_not_a_table(tmp_path: Path) -> None:
    page = fbase.PageSpec()
    items = ["申請書（様式第１号）", "事業計画書（様式第２号）", "見積書の写し", "直近の決算書"]
    for i, text in enumerate(items):
        page.lines.append(fbase.TextLine("・", 90, 120 + i * 18, 10.5))
        page.lines.append(fbase.TextLine(text, 130, 120 + i * 18, 10.5))
    path = fbase.write_pdf(tmp_path / "bullets.pdf", [page])
    assert page_tables(path) == []


def test_table_of_contents_is_not_a_table(tmp_path: Path) -> None:
    page = fbase.PageSpec()
    entries = [("第１章　総則・・・・・・・・・・・・", "１"), ("第２章　補助対象・・・・・・・・・", "４"),
               ("第３章　申請手続・・・・・・・・・", "９"), ("第４章　その他・・・・・・・・・・", "１２")]
    for i, (entry, number) in enumerate(entries):
        page.lines.append(fbase.TextLine(entry, 90, 120 + i * 20, 10.5))
        page.lines.append(fbase.TextLine(number, 480, 120 + i * 20, 10.5, align="right"))
    path = fbase.write_pdf(tmp_path / "toc.pdf", [page])
    assert page_tables(path) == []


# ------------------------------------------------------------------ split table


def test_split_table_is_linked_as_continuation(split: ftables.TableFixture) -> None:
    doc = build_doc(split.path)
    assert [t.page for t in doc.tables] == [1, 2]
    first, second = doc.tables
    assert first.rows == [list(r) for r in split.page_grids[0]]
    assert second.rows == [list(r) for r in split.page_grids[1]]
    assert first.continuation_of is None and second.continuation_of == "01"
    assert second.caption == first.caption
    assert match_key(second.source_note or "") == match_key(split.source_note or "")


def test_continuation_without_repeated_header_takes_the_header(split_no_header: ftables.TableFixture) -> None:
    doc = build_doc(split_no_header.path)
    first, second = doc.tables
    assert second.continuation_of == "01" and second.header_rows == 0
    record = tidy_records(second, first)[0]
    assert record.column_header == "2016年"
    assert record.row_label == split_no_header.page_grids[1][0][0]


def test_two_tables_under_one_caption(tmp_path: Path) -> None:
    rows_a = [["産業名", "農業", "林業"], ["人数（人）", "1,200", "340"]]
    rows_b = [["産業名", "製造業", "建設業"], ["人数（人）", "5,600", "2,100"]]
    page = ruled_grid_page(rows_a, [120, 90, 90], caption="業種別就業者数（人）", top=140)
    second = ruled_grid_page(rows_b, [120, 90, 90], top=220)
    page.rules += second.rules
    page.lines += [line for line in second.lines if line.top >= 220]
    path = fbase.write_pdf(tmp_path / "two_blocks.pdf", [page])
    doc = build_doc(path)
    assert [t.continuation_of for t in doc.tables] == [None, "01"]
    assert doc.tables[1].caption == "業種別就業者数（人）"
    assert [r.unit for r in tidy_records(doc.tables[1])] == ["人", "人"]


# ------------------------------------------------------------------ negatives, units, budget


def test_negative_markers_full_width_digits_and_caption_unit(negative: ftables.TableFixture) -> None:
    doc = build_doc(negative.path)
    table = doc.tables[0]
    assert table.rows == expected_grid(negative.grid)
    assert table.rows[6][0] == "歳入合計"  # 歳　入　合　計, letter-spaced to fill its cell
    records = {(r.row, r.col): r for r in tidy_records(table)}
    assert records[(1, 3)].value == -1200  # ▲1,200
    assert records[(2, 3)].value == -300  # △300
    assert records[(3, 1)].value == 104500000  # １０４，５００，０００
    assert records[(3, 1)].raw_text == "１０４，５００，０００"
    assert {r.unit for r in records.values()} == {"千円"}
    assert table.column_units == [None, "千円", "千円", "千円"]


def test_budget_totals_and_spacer_row(negative: ftables.TableFixture) -> None:
    table = build_doc(negative.path).tables[0]
    assert table.total_rows == [5, 6]  # 合計, 歳入合計
    records = tidy_records(table)
    assert 4 not in {r.row for r in records}  # the blank spacer row
    assert all(r.is_total_row for r in records if r.row in (5, 6))
    assert not any(r.is_total_row for r in records if r.row < 4)


def test_unit_printed_inside_a_cell(tmp_path: Path) -> None:
    rows = [["区分", "予算額"], ["歳入", "（千円）\n104,500"], ["歳出", "98,200"]]
    path = fbase.write_pdf(tmp_path / "unit_in_cell.pdf", [ruled_grid_page(rows, [120, 120], caption="表１　予算の概要")])
    table = build_doc(path).tables[0]
    assert table.rows[1][1] == "（千円）104,500"
    records = {(r.row, r.col): r for r in tidy_records(table)}
    assert records[(1, 1)].value == 104500 and records[(1, 1)].unit == "千円"


# ------------------------------------------------------------------ key–value


def test_key_value_table_record(key_value: ftables.TableFixture) -> None:
    doc = build_doc(key_value.path)
    table = doc.tables[0]
    assert table.kind == "key_value"
    assert table.header_rows == 0
    assert table.caption == "企業概要"
    assert table.rows == expected_grid(key_value.grid)
    assert table.record == {label: value for label, value in key_value.grid}
    capital = next(r for r in tidy_records(table) if r.row_label == "資本金")
    assert capital.value == 3000 and capital.unit == "万円"


def test_two_column_numeric_table_is_a_grid(tmp_path: Path) -> None:
    rows = [["年度", "売上高（千円）"], ["2021年度", "12,400"], ["2022年度", "13,100"], ["2023年度", "15,800"]]
    path = fbase.write_pdf(tmp_path / "two_col.pdf", [ruled_grid_page(rows, [120, 120], caption="表２　売上高の推移")])
    table = build_doc(path).tables[0]
    assert table.kind == "grid" and table.header_rows == 1 and table.record is None
    assert [r.unit for r in tidy_records(table)] == ["千円"] * 3


# ------------------------------------------------------------------ pictures of tables


def test_table_pasted_as_picture_is_a_warning(tmp_path: Path) -> None:
    page = fbase.PageSpec()
    page.lines.append(fbase.TextLine("市内の事業所数は次表のとおりである。", 80, 90, 10.5))
    page.lines.append(fbase.TextLine("表３　地区別事業所数の推移", 80, 120, 10.5, bold=True))
    page.images.append(fbase.ImageBox(80, 140, 420, 200))
    photo = fbase.PageSpec()
    photo.lines.append(fbase.TextLine("工場の外観は次のとおりである。", 80, 90, 10.5))
    photo.images.append(fbase.ImageBox(80, 140, 420, 200))
    path = fbase.write_pdf(tmp_path / "picture.pdf", [page, photo])
    with pdfplumber.open(path) as pdf:
        first = detect_image_tables(PdfPage(pdf.pages[0].dedupe_chars(), 1), SETTINGS)
        second = detect_image_tables(PdfPage(pdf.pages[1].dedupe_chars(), 2), SETTINGS)
    assert [(w.code, w.page) for w in first] == [("image_table", 1)]
    assert "表３" in first[0].message
    assert second == []
    doc = build_doc(path)
    assert [(w.code, w.page) for w in doc.warnings if w.code == "image_table"] == [("image_table", 1)]
    assert doc.tables == []


# ------------------------------------------------------------------ page-level contract


def test_pages_without_rules_never_call_the_table_finder(pdf_dir: Path, ruled: ftables.TableFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    report = freport.build_report_pdf(pdf_dir / "report_cost.pdf")
    asked: list[Path] = []

    def counted(path: Path) -> list[RawTable]:
        monkeypatch.setattr(ruled_stage, "find_table_cells", lambda *args: asked.append(path) or [])
        with pdfplumber.open(path) as pdf:
            return [table for number, page in enumerate(pdf.pages, 1)
                    for table in detect_tables(PdfPage(page.dedupe_chars(), number), SETTINGS)]

    assert counted(report.path) == []  # no rules, no tables: prose is not read as a table
    assert asked == []  # the report's pages have no rules
    counted(ruled.path)
    assert asked == [ruled.path]  # (the guard does see the finder run where there are rules)


def test_raw_tables_are_plain_data(merged: ftables.TableFixture) -> None:
    found = page_tables(merged.path)
    encoded = json.dumps([dataclasses.asdict(t) for t in found], ensure_ascii=False)
    assert "北部地区" in encoded


def test_disabled_settings_find_nothing(ruled: ftables.TableFixture) -> None:
    off = TableConfig(enabled=False)
    assert page_detector(off) is None
    doc = build_doc(ruled.path, settings=off)
    assert doc.tables == [] and not any(b.kind == "table" for b in doc.blocks)


# ------------------------------------------------------------------ text rules (table-driven)


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("1,234", 1234, None, "number"),
        ("18.6%", 18.6, "%", "number"),
        ("18.6％", 18.6, "%", "number"),
        ("▲1,200", -1200, None, "number"),
        ("△ 300", -300, None, "number"),
        ("-1.8%", -1.8, "%", "number"),
        ("１０４，５００，０００", 104500000, None, "number"),
        ("2,700 万円", 2700, "万円", "number"),
        ("3 億 2,150 万円", 321500000, "円", "number"),
        ("75 名", 75, "名", "number"),
        ("（千円）104,500", 104500, "千円", "number"),
        ("0.935", 0.935, None, "number"),
        ("-", None, None, "none"),
        ("－", None, None, "none"),
        ("―", None, None, "none"),
        ("…", None, None, "none"),
        ("", None, None, "empty"),
        ("明治 22 年", None, None, "text"),
        ("見本県見本市中央町 1-2-3", None, None, "text"),
        ("１位", None, None, "text"),
        ("製造業", None, None, "text"),
    ],
)
def test_parse_cell_value(text: str, value: float | None, unit: str | None, kind: str) -> None:
    parsed = parse_cell_value(text)
    assert (parsed.value, parsed.unit, parsed.kind) == (value, unit, kind)


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("業種別就業者数（人）", "人"),
        ("金額（億円）", "億円"),
        ("比率（％）", "%"),
        ("歳出予算（単位：千円）", "千円"),
        ("（単位：百万円）", "百万円"),
        ("人口（2020年）", None),
        ("製造品出荷額（上位5業種）", None),
        ("企業概要", None),
    ],
)
def test_unit_of_label(label: str, unit: str | None) -> None:
    assert unit_of_label(label) == unit


@pytest.mark.parametrize(
    ("label", "total"),
    [("合計", True), ("小計", True), ("計", True), ("総数", True), ("歳入合計", True), ("市計", True),
     ("合 計", True), ("会計", False), ("統計", False), ("設計費", False), ("製造業", False)],
)
def test_is_total_label(label: str, total: bool) -> None:
    assert is_total_label(label) is total


@pytest.mark.parametrize(
    ("text", "tidy"),
    [("歳　入　合　計", "歳入合計"), ("見本県見本市中央町　1234", "見本県見本市中央町 1234"),
     ("  Internet  of Things ", "Internet of Things"), ("１位", "１位")],
)
def test_tidy_cell_text(text: str, tidy: str) -> None:
    assert tidy_cell_text(text) == tidy


# ------------------------------------------------------------------ export


def test_write_tables_files_and_determinism(merged: ftables.TableFixture, tmp_path: Path) -> None:
    doc = build_doc(merged.path)
    first, second = tmp_path / "a", tmp_path / "b"
    written = write_tables(doc, first)
    assert written == ["tables.csv", "tables/01.csv", "tables/01.tidy.csv"]
    write_tables(doc, second)
    for name in written:
        assert (first / name).read_bytes() == (second / name).read_bytes()
        assert (first / name).read_bytes().startswith(b"\xef\xbb\xbf")
    with (first / "tables.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == TABLES_HEADER
    assert rows[1][0] == "01" and rows[1][1] == "1" and rows[1][TABLES_HEADER.index("kind")] == "grid"
    assert len(rows[1][2].split(" ")) == 4 and all("." in v for v in rows[1][2].split(" "))
    with (first / "tables" / "01.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == expected_grid(merged.grid)
    with (first / "tables" / "01.tidy.csv").open(encoding="utf-8-sig", newline="") as handle:
        tidy = list(csv.reader(handle))
    assert tuple(tidy[0]) == TIDY_HEADER
    assert ["01", "2", "2", "北部地区 > 製造業", "事業所数 > 2015年", "1024", "", "", "", "0", "0", "1,024"] in tidy


def test_write_tables_without_tables_writes_header_only(tmp_path: Path) -> None:
    doc = Document(doc_id="empty", source=SourceInfo("empty.pdf", "0" * 64, 0))
    assert write_tables(doc, tmp_path) == ["tables.csv"]
    text = (tmp_path / "tables.csv").read_bytes().decode("utf-8-sig")
    assert text == ",".join(TABLES_HEADER) + "\r\n"


def test_rerun_removes_stale_table_files(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "07.csv").write_text("old")
    (tmp_path / "tables" / "notes.txt").write_text("keep")
    doc = Document(doc_id="empty", source=SourceInfo("empty.pdf", "0" * 64, 0))
    write_tables(doc, tmp_path)
    assert not (tmp_path / "tables" / "07.csv").exists()
    assert (tmp_path / "tables" / "notes.txt").exists()


# ------------------------------------------------------------------ run() on hand-made documents


def _raw(page: int, top: float, rows: list[list[str]]) -> RawTable:
    cells = [
        RawCell(r, c, (100.0 + 60 * c, top + 20 * r, 160.0 + 60 * c, top + 20 * (r + 1)), text=text)
        for r, row in enumerate(rows) for c, text in enumerate(row)
    ]
    bottom = top + 20 * len(rows)
    box = (100.0, top, 100.0 + 60 * len(rows[0]), bottom)
    return RawTable(page, box, len(rows), len(rows[0]), cells, "lines", table_id="01")


def _work(raw: RawTable, blocks: list[Block]) -> WorkingDocument:
    work = WorkingDocument(Document(doc_id="d", source=SourceInfo("d.pdf", "0" * 64, 0)), raw_tables=[raw])
    work.doc.blocks = blocks
    return work


def _block(block_id: str, kind: str, text: str, page: int, bbox: tuple[float, float, float, float], **extra: object) -> Block:
    return Block(block_id, kind, text, page, bbox, font_size=10.0, **extra)  # type: ignore[arg-type]


def test_run_attaches_caption_note_section_and_demotes_caption_heading() -> None:
    """A heading typeset like a caption right above a table becomes its caption; the section
    tree, built after the tables stage, never holds it."""
    raw = _raw(1, 200.0, [["項目", "金額"], ["設備費", "1,000"], ["合計", "1,000"]])
    work = _work(raw, [
        _block("b1", "heading", "補助対象経費", 1, (100, 120, 300, 131), numbering="plain:12"),
        _block("b2", "heading", "経費の内訳（千円）", 1, (100, 180, 220, 191), numbering="plain:10.5"),
        _block("b3", "table", "", 1, raw.bbox, table_id="01"),
        _block("b4", "paragraph", "資料）事務局調べ", 1, (100, 266, 200, 274)),
    ])
    tables_stage.run(work, SETTINGS)
    sections.build_tree(work, sections.SectionConfig())
    doc = work.doc
    table = doc.tables[0]
    assert table.caption == "経費の内訳（千円）"
    assert table.source_note == "資料）事務局調べ"
    assert [b.kind for b in doc.blocks] == ["heading", "caption", "table", "note"]
    assert [s.section_id for s in doc.sections] == ["s001"] and doc.sections[0].children == []
    assert table.section_id == "s001"
    assert all(b.section_id == "s001" for b in doc.blocks)
    assert table.total_rows == [2]
    assert [r.unit for r in tidy_records(table)] == ["千円", "千円"]


def test_run_keeps_numbered_heading_as_heading() -> None:
    raw = _raw(1, 200.0, [["項目", "金額"], ["設備費", "1,000"]])
    work = _work(raw, [
        _block("b1", "heading", "（３）補助対象経費", 1, (100, 180, 220, 191), numbering="paren_digit", marker="（３）"),
        _block("b2", "table", "", 1, raw.bbox, table_id="01"),
    ])
    tables_stage.run(work, SETTINGS)
    doc = work.doc
    assert doc.tables[0].caption is None
    assert doc.blocks[0].kind == "heading"


def test_run_without_placeholders_uses_geometry() -> None:
    raw = _raw(2, 300.0, [["区分", "人数"], ["男性", "12"], ["女性", "15"]])
    work = _work(raw, [
        _block("b1", "paragraph", "表１　性別の人数（人）", 2, (100, 280, 260, 291)),
        _block("b2", "paragraph", "出典：調査票", 2, (100, 366, 160, 374)),
    ])
    tables_stage.run(work, SETTINGS)
    doc = work.doc
    assert doc.tables[0].caption == "表１　性別の人数（人）"
    assert doc.tables[0].source_note == "出典：調査票"


# ------------------------------------------------------------------ scoring


def test_score_tables_against_a_gold_folder(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "01_a.csv").write_text("区分,人数\n男性,12\n女性,15\n", encoding="utf-8")
    (gold / "02_b.csv").write_text("項目,内容\n企業名,株式会社見本\n", encoding="utf-8")
    index = [
        {"file": "01_a.csv", "page": 1, "caption": "人数", "caption_printed": True, "continuation_of": None,
         "n_rows": 3, "n_cols": 2, "header_rows": 1, "kind": "statistics"},
        {"file": "02_b.csv", "page": 3, "caption": None, "caption_printed": False, "continuation_of": None,
         "n_rows": 2, "n_cols": 2, "header_rows": 0, "kind": "key_value"},
    ]
    (gold / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    found = Table("01", 1, (0, 0, 1, 1), 3, 2, [["区分", "人数"], ["男性", "12"], ["女性", "1 5"]], header_rows=1, caption="人数")
    spurious = Table("02", 2, (0, 0, 1, 1), 2, 2, [["a", "b"], ["c", "d"]])
    score = score_tables([found, spurious], gold)
    assert score["found"] == 1 and score["precision"] == 0.5 and score["recall"] == 0.5
    assert score["cell_accuracy"] == 1.0  # white space is ignored: "1 5" == "15"
    assert score["header_row_accuracy"] == 1.0 and score["caption_accuracy"] == 1.0
    assert [m["file"] for m in score["misses"]] == ["02_b.csv"]
    assert [s["table_id"] for s in score["spurious"]] == ["02"]
