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
