"""Sanity checks for the fixture PDF factory (tests/fixtures/).

These tests only verify that each fixture really contains what its expected
structure promises, as seen by pdfplumber; they do not test the pipeline.
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from typing import Callable, Sequence

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils.exceptions import PdfminerException

from tests.fixtures import base as fbase
from tests.fixtures import report as freport
from tests.fixtures import layout as flayout
from tests.fixtures import tables as ftables
from tests.fixtures import damaged as fdamaged

_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _norm(text: str) -> str:
    # pdfplumber's extract_text/extract_table treat U+3000 as a word gap and
    # emit an ASCII space; the factory's expectations keep U+3000 as printed.
    return text.replace("\u3000", " ")


def _page_lines(page: pdfplumber.page.Page) -> list[str]:
    return (page.extract_text() or "").splitlines()


def _table_grid(table: list[list[str | None]]) -> list[list[str]]:
    """pdfplumber grid -> comparable form: None -> "", wrapped lines joined."""
    return [[fbase.join_wrapped_lines((c or "").split("\n")) for c in row] for row in table]


def _norm_grid(grid: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[_norm(c) for c in row] for row in grid]


# --------------------------------------------------------------------------- fonts


def test_font_is_located_via_japanize_matplotlib() -> None:
    spec = importlib.util.find_spec("japanize_matplotlib")
    assert spec is not None and spec.origin
    path = fbase.ipaex_font_path()
    assert path.is_file() and path.name == "ipaexg.ttf"
    assert Path(spec.origin).parent in path.parents
    assert fbase.register_fonts() == (fbase.FONT_REGULAR, fbase.FONT_BOLD)


def test_low_level_lines_land_where_requested(tmp_path: Path) -> None:
    lines = [
        fbase.TextLine("通常の文字", 100.0, 120.0, 10.5),
        fbase.TextLine("太字の見出し", 100.0, 200.0, 14.0, bold=True),
        fbase.TextLine("右寄せ", 500.0, 300.0, 9.0, align="right"),
    ]
    path = fbase.write_text_pdf(tmp_path / "lines.pdf", [lines])
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    by_text = {}
    for ch in chars:
        by_text.setdefault(round(ch["top"], 1), []).append(ch)
    regular, bold, right = (by_text[120.0], by_text[200.0], by_text[300.0])
    assert "".join(c["text"] for c in regular) == "通常の文字"
    assert regular[0]["x0"] == pytest.approx(100.0, abs=0.01)
    assert all("Bold" not in c["fontname"] for c in regular)
    assert all("Bold" in c["fontname"] for c in bold)
    assert bold[0]["size"] == pytest.approx(14.0)
    assert right[-1]["x1"] == pytest.approx(500.0, abs=0.01)


_TOKENS = st.one_of(
    st.text(alphabet="地域産業振興の調査報告書、。（）「」ー・ッ", min_size=1, max_size=12),
    st.lists(st.text(alphabet="abcXYZ019", min_size=1, max_size=9), min_size=1, max_size=4)
    .map(" ".join),
)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(_TOKENS, min_size=1, max_size=12).map("".join),
       st.floats(min_value=40, max_value=300))
def test_wrap_then_join_roundtrips(text: str, width: float) -> None:
    lines = fbase.wrap_text(text, width, 10.5)
    assert fbase.join_wrapped_lines(lines) == text
    assert all(line and not line.startswith(" ") and not line.endswith(" ") for line in lines)


# --------------------------------------------------------------------------- report


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> freport.ReportFixture:
    return freport.build_report_pdf(tmp_path_factory.mktemp("report") / "report.pdf")


def test_report_pages_headers_footers(report: freport.ReportFixture) -> None:
    with pdfplumber.open(report.path) as pdf:
        assert len(pdf.pages) == report.n_pages == 3
        for page, header, footer in zip(pdf.pages, report.headers, report.footers):
            assert page.width == pytest.approx(595.28, abs=0.1)
            lines = _page_lines(page)
            assert lines[0] == header == "資料１"
            assert lines[-1] == footer == f"- {page.page_number} -"


def test_report_headings_are_bold_and_on_their_page(report: freport.ReportFixture) -> None:
    levels = {h.level for h in report.headings}
    assert levels == {1, 2, 3, 4}
    assert {h.number for h in report.headings} >= {"第1章", "（１）", "①", "■", "【】"}
    with pdfplumber.open(report.path) as pdf:
        for h in report.headings:
            page = pdf.pages[h.page - 1]
            heading_chars = [c for c in page.chars if c["size"] == pytest.approx(h.size)
                             and "Bold" in c["fontname"]]
            text = "".join(c["text"] for c in heading_chars)
            assert _norm(h.text) in _norm(text), h
        title_chars = [c for c in pdf.pages[0].chars if c["size"] == pytest.approx(20.0)]
        assert "".join(c["text"] for c in title_chars) == report.title
        body_chars = [c for c in pdf.pages[0].chars if c["size"] == pytest.approx(10.5)
                      and "Bold" not in c["fontname"]]
        assert len(body_chars) > 200


def test_report_paragraph_lines_and_tricky_breaks(report: freport.ReportFixture) -> None:
    all_lines = [line for p in report.paragraphs for line in p.lines]
    assert any(line.endswith("Internet of") for line in all_lines)
    assert any(line.startswith("Things") for line in all_lines)
    assert any(line.endswith("医療用セ") for line in all_lines)
    assert any(line.startswith("ンサー") for line in all_lines)
    assert any(len(p.lines) >= 3 for p in report.paragraphs)
    with pdfplumber.open(report.path) as pdf:
        page_lines = [_page_lines(p) for p in pdf.pages]
    for para in report.paragraphs:
        assert para.text == fbase.join_wrapped_lines(para.lines)
        for line in para.lines:
            assert line in page_lines[para.page - 1], line
    iot = next(p for p in report.paragraphs if "Internet" in p.text)
    assert "Internet of Things（IoT）" in iot.text


def test_report_list_items_captions_sources(report: freport.ReportFixture) -> None:
    assert {i.marker for i in report.list_items} == {"・", "•", "○", "●", "－"}
    assert any(len(i.lines) == 2 for i in report.list_items)
    with pdfplumber.open(report.path) as pdf:
        for item in report.list_items:
            text = pdf.pages[item.page - 1].extract_text()
            assert item.lines[0][len(item.marker):] in text
            assert item.marker in text
        page2 = pdf.pages[1]
        sizes = {round(c["size"], 1) for c in page2.chars}
        assert {9.0, 8.0} <= sizes
        text2 = page2.extract_text()
    assert report.captions == ("図表２－１　製造品出荷額等の推移",)
    assert report.source_notes == ("（出典：経済産業省）",)
    assert "（出典：経済産業省）" in text2
    kinds = [b.kind for b in report.blocks]
    assert kinds[0] == "title" and kinds.count("heading") == len(report.headings)


# --------------------------------------------------------------------------- layouts


def test_two_column_columns_are_separable(tmp_path: Path) -> None:
    fx = flayout.build_two_column_pdf(tmp_path / "two.pdf")
    assert fx.reading_order[0] == fx.title and len(fx.columns) == 2
    with pdfplumber.open(fx.path) as pdf:
        page = pdf.pages[0]
        mid = page.width / 2
        for i, column in enumerate(fx.columns):
            box = (0, 100, mid, page.height) if i == 0 else (mid, 100, page.width, page.height)
            joined = fbase.join_wrapped_lines(_page_lines(page.crop(box)))
            assert joined == "".join(column)
        # Naive row-wise extraction interleaves the two columns.
        assert fx.paragraphs[0].lines[0] not in _page_lines(page)


def test_no_text_layer_and_all_scanned(tmp_path: Path) -> None:
    with pdfplumber.open(flayout.build_no_text_layer_pdf(tmp_path / "mixed.pdf")) as pdf:
        assert len(pdf.pages) == 2
        assert "事業の概要" in pdf.pages[0].extract_text()
        assert len(pdf.pages[1].chars) == 0 and len(pdf.pages[1].images) == 1
    with pdfplumber.open(flayout.build_all_scanned_pdf(tmp_path / "scan.pdf", n_pages=3)) as pdf:
        assert len(pdf.pages) == 3
        assert all(len(p.chars) == 0 and len(p.images) == 1 for p in pdf.pages)


def test_superscripts_are_small_and_raised(tmp_path: Path) -> None:
    fx = flayout.build_superscript_pdf(tmp_path / "sup.pdf")
    assert "センター1" not in fx.paragraph and "センターを" in fx.paragraph
    with pdfplumber.open(fx.path) as pdf:
        chars = pdf.pages[0].chars
    sups = [c for c in chars if c["size"] == pytest.approx(flayout.SUP_SIZE)]
    assert sorted(c["text"] for c in sups) == ["1", "2", "3"]
    for sup in sups:
        # The char it follows: same line, ends where the superscript starts.
        prev = min((c for c in chars if c["size"] > flayout.SUP_SIZE and c["bottom"] > sup["bottom"]
                    and abs(c["x1"] - sup["x0"]) < 0.5), key=lambda c: c["top"])
        prev_baseline = prev["bottom"] + prev["size"] * fbase._DESCENT
        sup_baseline = sup["bottom"] + sup["size"] * fbase._DESCENT
        assert prev_baseline - sup_baseline == pytest.approx(flayout.SUP_RISE, abs=0.05)
    assert [a for a, _ in fx.superscripts] == ["概要", "センター", "IoT"]


def test_slide_is_landscape_with_reading_order(tmp_path: Path) -> None:
    fx = flayout.build_slide_pdf(tmp_path / "slide.pdf")
    with pdfplumber.open(fx.path) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height
        text = page.extract_text()
        assert len(page.rects) == 3
    assert fx.title in text and fx.caption in text
    for heading, *_ in fx.boxes:
        assert _norm(heading) in text
    assert fx.reading_order[0] == fx.title and fx.reading_order[-1] == fx.caption


def test_many_pages_builds_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    path = flayout.build_many_pages_pdf(tmp_path / "many.pdf", 500)
    assert time.perf_counter() - start < 5.0
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 500
        assert "第500節" in pdf.pages[-1].extract_text()


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("builder", [
    ftables.build_ruled_table_pdf,
    ftables.build_merged_cells_table_pdf,
    ftables.build_multiline_header_table_pdf,
    ftables.build_negative_units_table_pdf,
    ftables.build_key_value_table_pdf,
])
def test_ruled_tables_match_expected_grid(
    builder: Callable[[Path], ftables.TableFixture], tmp_path: Path
) -> None:
    fx = builder(tmp_path / "table.pdf")
    with pdfplumber.open(fx.path) as pdf:
        page = pdf.pages[0]
        tables = page.extract_tables()
        text = page.extract_text()
    assert len(tables) == 1
    assert _table_grid(tables[0]) == _norm_grid(fx.grid)
    assert _norm(fx.caption) in text
    if fx.source_note:
        assert fx.source_note in text


def test_specific_table_contents(tmp_path: Path) -> None:
    ruled = ftables.build_ruled_table_pdf(tmp_path / "a.pdf")
    assert ruled.caption == "人口（2020年）" and ruled.source_note == "資料）住民基本台帳（総務省）"
    assert len(ruled.grid) == 5 and len(ruled.grid[0]) == 4
    assert any("－" in row for row in ruled.grid)
    merged = ftables.build_merged_cells_table_pdf(tmp_path / "b.pdf")
    assert merged.grid[0][2:] == ("事業所数", "") and merged.grid[3][0] == ""
    multi = ftables.build_multiline_header_table_pdf(tmp_path / "c.pdf")
    assert "鉱業，採石業，砂利採取業" in multi.grid[0]
    neg = ftables.build_negative_units_table_pdf(tmp_path / "d.pdf")
    flat = [c for row in neg.grid for c in row]
    assert {"▲1,200", "△300", "１０４，５００，０００", "合計", "歳　入　合　計"} <= set(flat)
    assert ("", "", "", "") in neg.grid
    kv = ftables.build_key_value_table_pdf(tmp_path / "e.pdf")
    assert [r[0] for r in kv.grid] == ["企業名", "本社所在地", "資本金", "設立", "従業員", "事業内容"]


def test_ruleless_table(tmp_path: Path) -> None:
    fx = ftables.build_ruleless_table_pdf(tmp_path / "ruleless.pdf")
    with pdfplumber.open(fx.path) as pdf:
        page = pdf.pages[0]
        lines = _page_lines(page)
        assert len(page.lines) == 2  # top and bottom rule only
    for row in fx.grid:
        assert " ".join(row) in lines


@pytest.mark.parametrize("repeat_header", [True, False])
def test_split_table(tmp_path: Path, repeat_header: bool) -> None:
    fx = ftables.build_split_table_pdf(tmp_path / "split.pdf", repeat_header=repeat_header)
    assert fx.pages == (1, 2)
    with pdfplumber.open(fx.path) as pdf:
        assert len(pdf.pages) == 2
        page_tables = [p.extract_tables() for p in pdf.pages]
        texts = [p.extract_text() for p in pdf.pages]
    for tables, expected in zip(page_tables, fx.page_grids):
        assert len(tables) == 1 and _table_grid(tables[0]) == _norm_grid(expected)
    assert _norm(fx.caption) in texts[0] and _norm(fx.caption) not in texts[1]
    assert (fx.page_grids[1][0] == fx.grid[0]) is repeat_header
    body = [r for g in fx.page_grids for r in g if r != fx.grid[0]]
    assert tuple(body) == fx.grid[1:]


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("writer", [
    fdamaged.write_html_as_pdf, fdamaged.write_truncated_pdf, fdamaged.write_empty_text_file,
])
def test_unreadable_inputs_fail_to_open(writer: Callable[[Path], Path], tmp_path: Path) -> None:
    path = writer(tmp_path / "bad.pdf")
    with pytest.raises(PdfminerException):
        with pdfplumber.open(path) as pdf:
            _ = pdf.pages


def test_truncated_is_half_a_real_pdf(tmp_path: Path) -> None:
    data = fdamaged.write_truncated_pdf(tmp_path / "t.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" not in data


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = fdamaged.write_encrypted_pdf(tmp_path / "enc.pdf", user_password="secret")
    assert b"/Encrypt" in path.read_bytes()
    with pytest.raises(PdfminerException):
        with pdfplumber.open(path) as pdf:
            _ = pdf.pages
    with pdfplumber.open(path, password="secret") as pdf:
        assert "パスワード" in pdf.pages[0].extract_text()


def test_owner_only_encrypted_pdf_opens(tmp_path: Path) -> None:
    path = fdamaged.write_owner_only_encrypted_pdf(tmp_path / "owner.pdf")
    assert b"/Encrypt" in path.read_bytes()
    with pdfplumber.open(path) as pdf:
        assert "印刷のみ" in pdf.pages[0].extract_text()


def test_zero_page_pdf(tmp_path: Path) -> None:
    with pdfplumber.open(fdamaged.write_zero_page_pdf(tmp_path / "zero.pdf")) as pdf:
        assert len(pdf.pages) == 0


def test_cid_font_pdf(tmp_path: Path) -> None:
    with pdfplumber.open(fdamaged.write_cid_font_pdf(tmp_path / "cid.pdf")) as pdf:
        text = pdf.pages[0].extract_text()
    assert "(cid:" in text
    assert not _CJK.search(text)
