"""Budget and statistics tables as public reports print them (generated fixture PDFs):
units stated above the table, letter-spaced labels, totals, a ruled header over an
unruled body, and the rule that no two tables on a page overlap."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.convert import Converter
from pipeline.export.tables import write_tables
from pipeline.model import Document
from pipeline.model.table_views import tidy_records
from tests.fixtures import tables as ftables


def convert(path: Path) -> Document:
    return Converter().convert(path, path.stem, "0" * 64).doc


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("budget") / "budget.pdf"
    ftables.build_budget_table_pdf(path)
    return convert(path)


@pytest.fixture(scope="module", params=[False, True], ids=["body-unruled", "body-column-rules"])
def statistics(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    path = tmp_path_factory.mktemp("statistics") / "statistics.pdf"
    fixture = ftables.build_statistics_table_pdf(path, body_columns_ruled=request.param)
    return fixture, convert(path)


def test_budget_amounts_take_the_unit_line_and_become_yen(budget: Document) -> None:
    [table] = budget.tables
    records = tidy_records(table)
    amounts = [r for r in records if r.value is not None and r.column_header != "構成比"]
    ratios = [r for r in records if r.value is not None and r.column_header == "構成比"]
    assert len(amounts) == 14 and len(ratios) == 5  # 5 rows x 3 amount columns, one of them "－"
    for record in amounts:
        assert (record.unit, record.multiplier) == ("千円", 1000), record
        assert record.value_yen == round(record.value * 1000), record
    for record in ratios:
        assert (record.unit, record.multiplier, record.value_yen) == ("%", None, None), record
    total = next(r for r in records if r.row_label == "合計" and r.column_header == "計")
    assert total.value_yen == 27_271_145_000


def test_budget_labels_lose_their_letter_spacing(budget: Document) -> None:
    [table] = budget.tables
    labels = {r.row_label for r in tidy_records(table)}
    assert labels == {"1市税", "2地方譲与税", "3利子割交付金", "4国庫支出金", "合計"}  # (text policy: 1 市 → 1市)
    assert table.rows[0][0] == "区分"


def test_budget_totals_are_flagged_as_rows_and_columns(budget: Document) -> None:
    [table] = budget.tables
    records = tidy_records(table)
    assert {r.row for r in records if r.is_total_row} == {5}
    assert {r.column_header for r in records if r.is_total_col} == {"計"}
    assert not any(r.is_total_row for r in records if r.row < 5)


def test_budget_context_is_kept_in_tables_csv(budget: Document, tmp_path: Path) -> None:
    write_tables(budget, tmp_path)
    with (tmp_path / "tables.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["context"] == "歳入"


def test_a_ruled_header_over_an_unruled_body_is_one_table(statistics) -> None:
    fixture, doc = statistics
    [table] = doc.tables
    assert table.rows == [list(r) for r in fixture.grid]
    assert table.header_rows == 1
    records = tidy_records(table)
    assert len(records) == 3 * (len(fixture.grid) - 1)
    assert {r.row_label for r in records} == {row[0] for row in fixture.grid[1:]}


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


BUILDERS = [
    name for name in dir(ftables) if name.startswith("build_") and name.endswith("_pdf")
]


@pytest.mark.parametrize("builder", BUILDERS)
def test_no_two_tables_on_a_page_overlap(builder: str, tmp_path: Path) -> None:
    path = tmp_path / f"{builder}.pdf"
    getattr(ftables, builder)(path)
    doc = convert(path)
    for i, a in enumerate(doc.tables):
        for b in doc.tables[i + 1:]:
            assert a.page != b.page or not _overlap(a.bbox, b.bbox), (a.table_id, b.table_id)


def test_label_value_pairs_side_by_side_are_one_record(tmp_path: Path) -> None:
    path = tmp_path / "profile.pdf"
    ftables.build_two_pair_key_value_pdf(path)
    [table] = convert(path).tables
    assert table.kind == "key_value"
    assert table.record == {
        "企業名": "ひばり精工株式会社", "設立": "1968年4月", "所在地": "見本市中央1-2-3", "資本金": "3,000万円",
        "代表者": "山田 太郎", "従業員数": "85人",
    }


def test_tiled_column_pairs_read_as_one_table(tmp_path: Path) -> None:
    path = tmp_path / "tiles.pdf"
    ftables.build_tiled_pairs_table_pdf(path)
    [table] = convert(path).tables
    records = tidy_records(table)
    assert {(r.row_label, r.column_header, r.value) for r in records} == {
        ("中央", "率", 12.5), ("北", "率", 9.8), ("東", "率", 7.1), ("西", "率", 11.0), ("南", "率", 9.1),
        ("港", "率", 6.4), ("山手", "率", 10.2), ("川辺", "率", 8.0), ("丘", "率", 5.9),
    }


def test_a_continuation_repeating_its_header_is_linked_across_prose(tmp_path: Path) -> None:
    path = tmp_path / "split.pdf"
    ftables.build_split_table_pdf(path, repeat_header=True, note_between=True)
    first, second = convert(path).tables
    assert second.continuation_of == first.table_id


def test_a_category_printed_once_labels_the_rows_below_it() -> None:
    from pipeline.model import Table, TableCell
    from pipeline.model.table_views import row_labels

    rows = [["業種", "年", "事業所数"], ["製造業", "2015年", "1,024"], ["", "2020年", "987"],
            ["卸売業", "2015年", "512"], ["", "2020年", "498"]]
    cells = [TableCell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row) if text]
    table = Table("01", 1, (0, 0, 1, 1), 5, 3, rows, cells, header_rows=1, label_cols=2)
    assert row_labels(table)[1:] == ["製造業 > 2015年", "製造業 > 2020年", "卸売業 > 2015年", "卸売業 > 2020年"]


def test_a_four_column_text_grid_is_not_read_as_key_value(tmp_path: Path) -> None:
    rows = (("事業名", "概要", "実施主体", "期間"), ("創業支援", "相談窓口の設置", "商工課", "通年"),
            ("販路開拓", "見本市への出展", "産業振興課", "秋季"), ("人材育成", "研修会の開催", "商工課", "夏季"))
    path = tmp_path / "grid.pdf"
    ftables._table_with_caption(path, "表６　主な事業", rows, (80, 120, 80, 60), None)
    [table] = convert(path).tables
    assert (table.kind, table.header_rows) == ("grid", 1)


def test_a_key_value_form_in_pairs_reads_each_pair_in_the_tidy_form(tmp_path: Path) -> None:
    path = tmp_path / "profile.pdf"
    ftables.build_two_pair_key_value_pdf(path)
    [table] = convert(path).tables
    pairs = {(r.row_label, r.raw_text) for r in tidy_records(table)}
    assert ("資本金", "3,000万円") in pairs and ("企業名", "ひばり精工株式会社") in pairs
    assert ("企業名", "設立") not in pairs  # a label of the second pair is not a value of the first
    assert len(pairs) == 6


def test_a_table_under_a_new_heading_is_not_a_continuation(tmp_path: Path) -> None:
    from tests.fixtures.base import MARGIN_L, PageSpec, write_pdf
    from tests.fixtures.report import Flow

    rows = (("区分", "件数", "金額"), ("相談", "12", "340"), ("融資", "5", "1,200"))
    page = PageSpec()
    flow = Flow(page, 1)
    for heading in ("１　北地区の取組", "２　南地区の取組"):
        flow.heading(2, "", heading, 12.0)
        top = flow.top + 4
        bottom = ftables._draw_table(page, MARGIN_L, top, (100, 80, 80), [18.0] * 3, ftables._cells_from_rows(rows))
        flow.top = bottom + 20
    write_pdf(tmp_path / "two.pdf", [page])
    first, second = convert(tmp_path / "two.pdf").tables
    assert second.continuation_of is None


def test_a_column_box_set_in_two_columns_is_not_a_table(tmp_path: Path) -> None:
    from tests.fixtures.base import MARGIN_L, PageSpec, write_pdf
    from tests.fixtures.report import Flow

    prose = "見本市では地域の工房が連携して新しい製品を開発しており、その成果は各地の展示会で紹介されている。"
    rows = (("コラム３　地域の工房の挑戦", ""), (prose, prose.replace("見本市", "隣の町")))
    page = PageSpec()
    flow = Flow(page, 1)
    flow.paragraph("本章では地域の取組を紹介する。")
    cells = [ftables._Cell(0, 0, rows[0][0], colspan=2), ftables._Cell(1, 0, rows[1][0]), ftables._Cell(1, 1, rows[1][1])]
    ftables._draw_table(page, MARGIN_L, flow.top + 10, (220, 220), [20.0, 80.0], cells)
    write_pdf(tmp_path / "box.pdf", [page])
    assert convert(tmp_path / "box.pdf").tables == []
