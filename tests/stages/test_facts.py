"""Funding facts: what each yen amount is about (invented texts, run through the whole pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Block, Document, Entity, Fact, Mention, Section, SourceInfo, Table, TableCell
from pipeline.stages import facts
from pipeline.stages.facts.relations import relation_of
from tests.fixtures.runs import run_pipeline


def _facts(tmp_path: Path, text: str) -> tuple[Document, list[Fact]]:
    path = tmp_path / "call.txt"
    path.write_text(text, encoding="utf-8")
    doc = run_pipeline(path)
    return doc, doc.facts


def _name(doc: Document, entity_id: str | None) -> str | None:
    return next((e.name for e in doc.entities if e.entity_id == entity_id), None)


def test_a_cap_belongs_to_the_subsidy_of_its_sentence(tmp_path: Path) -> None:
    doc, found = _facts(tmp_path, "みどり町創業応援補助金の補助上限額は500万円とする。\n")
    assert [(f.value_yen, f.relation) for f in found] == [(5_000_000, "subsidy_cap")]
    assert _name(doc, found[0].program_id) == "みどり町創業応援補助金"
    assert found[0].evidence == "みどり町創業応援補助金の補助上限額は500万円とする。"
    assert found[0].confidence >= 0.8


def test_the_company_and_year_of_a_sales_figure(tmp_path: Path) -> None:
    doc, found = _facts(tmp_path, "株式会社サンプル精工は、令和5年度の売上高が12億円となった。\n")
    assert len(found) == 1
    fact = found[0]
    assert (fact.value_yen, fact.relation) == (1_200_000_000, "sales")
    assert _name(doc, fact.org_id) == "株式会社サンプル精工"
    assert _name(doc, fact.year_id) == "2023年度"


def test_a_body_named_as_the_giver_is_not_the_owner(tmp_path: Path) -> None:
    """経済産業省の…補助金を活用し: the amount is the company's project cost, not the ministry's."""
    doc, found = _facts(
        tmp_path,
        "株式会社サンプル精工は、経済産業省の地域工場立地補助金を活用して工場を建設した。建設費は8億円であった。\n",
    )
    assert [f.value_yen for f in found] == [800_000_000]
    assert _name(doc, found[0].org_id) == "株式会社サンプル精工"
    assert found[0].relation == "cost"


def test_both_ends_of_a_range_are_facts_and_a_vague_amount_is_none(tmp_path: Path) -> None:
    _, found = _facts(tmp_path, "補助額は10万円～80万円とする。年間数百万円の効果がある。\n")
    assert [(f.value_yen, f.bound, f.relation) for f in found] == [(100_000, "min", "other"), (800_000, "max", "subsidy_cap")]


def test_a_law_is_not_what_an_amount_belongs_to(tmp_path: Path) -> None:
    doc, found = _facts(tmp_path, "中小企業基本法に定める中小企業で、資本金が3億円以下の会社が対象となる。\n")
    assert [f.value_yen for f in found] == [300_000_000]
    assert found[0].program_id is None


def test_an_amount_under_a_heading_naming_a_program_is_that_programs(tmp_path: Path) -> None:
    doc, found = _facts(tmp_path, "みどり町創業応援補助金 公募要領\n\n対象経費の下限は10万円とする。\n")
    assert [f.value_yen for f in found] == [100_000]
    assert _name(doc, found[0].program_id) == "みどり町創業応援補助金"
    assert found[0].confidence == pytest.approx(0.6)


def test_the_program_in_the_title_is_the_documents_own() -> None:
    """A call for applications (○○補助金 公募要領): an amount that names no program is its program's."""
    doc = Document("call", SourceInfo("call.pdf", "0" * 64, 1), title="みどり町創業応援補助金 公募要領", blocks=[
        Block("b0001", "paragraph", "本補助金はみどり町創業応援補助金として交付する。", 1, None),
        Block("b0002", "paragraph", "対象経費の下限は10万円とする。", 2, None, section_id="s001"),
    ], entities=[
        Entity("E0001", "PROGRAM", "subsidy", "みどり町創業応援補助金"),
        Entity("E0002", "MONEY", None, "10万円", value=100_000),
    ], mentions=[
        Mention("E0001", "PROGRAM", "みどり町創業応援補助金", 1, None, "b0001", 0, 5, 16, "paragraph", mention_id="M00001"),
        Mention("E0002", "MONEY", "10万円", 2, "s001", "b0002", 0, 8, 12, "paragraph", 100_000, mention_id="M00002"),
    ])
    facts.run(doc)
    assert [(f.value_yen, f.program_id, f.confidence) for f in doc.facts] == [(100_000, "E0001", 0.5)]


@pytest.mark.parametrize(("context", "bound", "relation"), [
    ("補助上限額は", None, "subsidy_cap"),
    ("100万円以内を補助", "max", "subsidy_cap"),
    ("補助金交付額", None, "grant_received"),
    ("50万円以下の部分は3/4", "max", "subsidy_rate"),
    ("令和6年度当初予算額", None, "budget"),
    ("製造品出荷額は", None, "sales"),
    ("設備投資額", None, "investment"),
    ("総事業費", None, "cost"),
    ("資本金", None, "other"),
])
def test_relations_read_from_the_words_printed_with_the_amount(context: str, bound: str | None, relation: str) -> None:
    assert relation_of(context, bound) == relation


def _chart_document() -> Document:
    """A bar chart drawn with labels only: values over the bars, the fiscal years under them,
    two neighbouring year labels read as one line."""
    source = SourceInfo("chart.pdf", "0" * 64, 1)
    blocks = [
        Block("b0001", "figure_text", "3,200万円", 1, (200.0, 300.0, 240.0, 312.0)),
        Block("b0002", "figure_text", "3,500万円", 1, (280.0, 280.0, 320.0, 292.0)),
        Block("b0003", "figure_text", "4,100万円", 1, (360.0, 260.0, 400.0, 272.0)),
        Block("b0004", "figure_text", "2031年度", 1, (195.0, 400.0, 245.0, 412.0)),
        Block("b0005", "figure_text", "2032年度2033年度", 1, (275.0, 400.0, 405.0, 412.0)),
    ]
    entities = [Entity("E0001", "MONEY", None, "3,200万円", value=32_000_000),
                Entity("E0002", "MONEY", None, "3,500万円", value=35_000_000),
                Entity("E0003", "MONEY", None, "4,100万円", value=41_000_000),
                Entity("E0004", "YEAR", None, "2031年度", value=2031, fiscal=True),
                Entity("E0005", "YEAR", None, "2032年度", value=2032, fiscal=True),
                Entity("E0006", "YEAR", None, "2033年度", value=2033, fiscal=True)]
    mentions = [
        Mention("E0001", "MONEY", "3,200万円", 1, None, "b0001", 0, 0, 7, "paragraph", 32_000_000, mention_id="M00001"),
        Mention("E0002", "MONEY", "3,500万円", 1, None, "b0002", 0, 0, 7, "paragraph", 35_000_000, mention_id="M00002"),
        Mention("E0003", "MONEY", "4,100万円", 1, None, "b0003", 0, 0, 7, "paragraph", 41_000_000, mention_id="M00003"),
        Mention("E0004", "YEAR", "2031年度", 1, None, "b0004", 0, 0, 7, "paragraph", 2031, mention_id="M00004"),
        Mention("E0005", "YEAR", "2032年度", 1, None, "b0005", 0, 0, 7, "paragraph", 2032, mention_id="M00005"),
        Mention("E0006", "YEAR", "2033年度", 1, None, "b0005", 0, 7, 14, "paragraph", 2033, mention_id="M00006"),
    ]
    return Document("chart", source, blocks=blocks, entities=entities, mentions=mentions)


def test_chart_values_take_the_year_under_their_bar() -> None:
    doc = _chart_document()
    facts.run(doc)
    assert [(f.value_yen, f.year_id) for f in doc.facts] == [
        (32_000_000, "E0004"), (35_000_000, "E0005"), (41_000_000, "E0006"),
    ]


def test_a_chart_with_a_year_missing_pairs_nothing() -> None:
    doc = _chart_document()
    doc.blocks = doc.blocks[:4]
    doc.mentions = [m for m in doc.mentions if m.para_id != "b0005"]
    facts.run(doc)
    assert all(f.year_id is None for f in doc.facts)


def _mention(entity_id: str, label: str, text: str, page: int, para_id: str, start: int, number: int,
             value: int | None = None, section_id: str | None = None) -> Mention:
    return Mention(entity_id, label, text, page, section_id, para_id, 0, start, start + len(text), "table"
                   if para_id.startswith("T") else "paragraph", value, mention_id=f"M{number:05d}")


def test_the_same_amount_for_two_programs_down_one_column_is_two_facts() -> None:
    table = Table("01", 1, (50.0, 100.0, 400.0, 200.0), 3, 2,
                  [["制度", "補助上限"], ["みどり補助金", "120万円"], ["あおば補助金", "120万円"]],
                  [TableCell(r, c, text) for r, row in enumerate([["制度", "補助上限"], ["みどり補助金", "120万円"],
                                                                  ["あおば補助金", "120万円"]]) for c, text in enumerate(row)],
                  header_rows=1, label_cols=1)
    doc = Document("grid", SourceInfo("grid.pdf", "0" * 64, 1), tables=[table], entities=[
        Entity("E0001", "PROGRAM", "subsidy", "みどり補助金"), Entity("E0002", "MONEY", None, "120万円", value=1_200_000),
        Entity("E0003", "PROGRAM", "subsidy", "あおば補助金"),
    ], mentions=[
        _mention("E0001", "PROGRAM", "みどり補助金", 1, "T01:r1c0", 0, 1),
        _mention("E0002", "MONEY", "120万円", 1, "T01:r1c1", 0, 2, 1_200_000),
        _mention("E0003", "PROGRAM", "あおば補助金", 1, "T01:r2c0", 0, 3),
        _mention("E0002", "MONEY", "120万円", 1, "T01:r2c1", 0, 4, 1_200_000),
    ])
    facts.run(doc)
    assert [(f.value_yen, f.program_id, f.relation) for f in doc.facts] == [
        (1_200_000, "E0001", "subsidy_cap"), (1_200_000, "E0003", "subsidy_cap"),
    ]
    assert doc.facts[0].evidence == "みどり補助金 | 補助上限: 120万円"


def test_the_same_amount_of_two_companies_on_two_pages_is_two_facts() -> None:
    """A collection of case studies: each company under its own heading, the same capital."""
    blocks = [Block("b0001", "heading", "株式会社アルファ", 1, None, section_id="s001"),
              Block("b0002", "paragraph", "資本金は3,000万円である。", 1, None, section_id="s001"),
              Block("b0003", "heading", "株式会社ベータ", 2, None, section_id="s002"),
              Block("b0004", "paragraph", "資本金は3,000万円である。", 2, None, section_id="s002")]
    doc = Document("cases", SourceInfo("cases.pdf", "0" * 64, 1), blocks=blocks, sections=[
        Section("s001", 1, "株式会社アルファ", 1, None, "b0001"), Section("s002", 1, "株式会社ベータ", 2, None, "b0003"),
    ], entities=[
        Entity("E0001", "ORG", "company", "株式会社アルファ"), Entity("E0002", "MONEY", None, "3,000万円", value=30_000_000),
        Entity("E0003", "ORG", "company", "株式会社ベータ"),
    ], mentions=[
        _mention("E0001", "ORG", "株式会社アルファ", 1, "b0001", 0, 1, section_id="s001"),
        _mention("E0002", "MONEY", "3,000万円", 1, "b0002", 4, 2, 30_000_000, "s001"),
        _mention("E0003", "ORG", "株式会社ベータ", 2, "b0003", 0, 3, section_id="s002"),
        _mention("E0002", "MONEY", "3,000万円", 2, "b0004", 4, 4, 30_000_000, "s002"),
    ])
    facts.run(doc)
    assert [(f.value_yen, f.org_id, f.page, f.also_on_pages) for f in doc.facts] == [
        (30_000_000, "E0001", 1, []), (30_000_000, "E0003", 2, []),
    ]


def test_an_amount_repeated_on_a_later_page_with_the_same_meaning_is_one_fact(tmp_path: Path) -> None:
    doc = Document("call", SourceInfo("call.pdf", "0" * 64, 1), title="みどり町創業応援補助金 公募要領", blocks=[
        Block("b0001", "paragraph", "補助上限額は80万円とする。", 1, None),
        Block("b0002", "paragraph", "交付額は80万円以内となります。", 3, None),
    ], entities=[
        Entity("E0001", "PROGRAM", "subsidy", "みどり町創業応援補助金"), Entity("E0002", "MONEY", None, "80万円", value=800_000),
    ], mentions=[
        _mention("E0002", "MONEY", "80万円", 1, "b0001", 6, 1, 800_000),
        _mention("E0002", "MONEY", "80万円", 3, "b0002", 4, 2, 800_000),
    ])
    facts.run(doc)
    assert [(f.value_yen, f.program_id, f.page, f.also_on_pages) for f in doc.facts] == [(800_000, "E0001", 1, [3])]


def test_a_document_without_amounts_or_tables_has_no_facts() -> None:
    doc = Document("empty", SourceInfo("empty.pdf", "0" * 64, 1), blocks=[Block("b0001", "paragraph", "本文のみ。", 1, None)])
    facts.run(doc)
    assert doc.facts == []
