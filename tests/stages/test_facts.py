"""Funding facts: what each yen amount is about (invented texts, run through the whole pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Block, Document, Entity, Fact, Mention, SourceInfo
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
    _, found = _facts(tmp_path, "補助額は5万円～150万円とする。年間数千万円の効果がある。\n")
    assert sorted(f.value_yen for f in found) == [50_000, 1_500_000]


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
        Block("b0001", "figure_text", "8,000万円", 1, (200.0, 300.0, 240.0, 312.0)),
        Block("b0002", "figure_text", "8,500万円", 1, (280.0, 280.0, 320.0, 292.0)),
        Block("b0003", "figure_text", "9,000万円", 1, (360.0, 260.0, 400.0, 272.0)),
        Block("b0004", "figure_text", "2025年度", 1, (195.0, 400.0, 245.0, 412.0)),
        Block("b0005", "figure_text", "2026年度2027年度", 1, (275.0, 400.0, 405.0, 412.0)),
    ]
    entities = [Entity("E0001", "MONEY", None, "8,000万円", value=80_000_000),
                Entity("E0002", "MONEY", None, "8,500万円", value=85_000_000),
                Entity("E0003", "MONEY", None, "9,000万円", value=90_000_000),
                Entity("E0004", "YEAR", None, "2025年度", value=2025, fiscal=True),
                Entity("E0005", "YEAR", None, "2026年度", value=2026, fiscal=True),
                Entity("E0006", "YEAR", None, "2027年度", value=2027, fiscal=True)]
    mentions = [
        Mention("E0001", "MONEY", "8,000万円", 1, None, "b0001", 0, 0, 7, "paragraph", 80_000_000, mention_id="M00001"),
        Mention("E0002", "MONEY", "8,500万円", 1, None, "b0002", 0, 0, 7, "paragraph", 85_000_000, mention_id="M00002"),
        Mention("E0003", "MONEY", "9,000万円", 1, None, "b0003", 0, 0, 7, "paragraph", 90_000_000, mention_id="M00003"),
        Mention("E0004", "YEAR", "2025年度", 1, None, "b0004", 0, 0, 7, "paragraph", 2025, mention_id="M00004"),
        Mention("E0005", "YEAR", "2026年度", 1, None, "b0005", 0, 0, 7, "paragraph", 2026, mention_id="M00005"),
        Mention("E0006", "YEAR", "2027年度", 1, None, "b0005", 0, 7, 14, "paragraph", 2027, mention_id="M00006"),
    ]
    return Document("chart", source, blocks=blocks, entities=entities, mentions=mentions)


def test_chart_values_take_the_year_under_their_bar() -> None:
    doc = _chart_document()
    facts.run(doc)
    assert [(f.value_yen, f.year_id) for f in doc.facts] == [
        (80_000_000, "E0004"), (85_000_000, "E0005"), (90_000_000, "E0006"),
    ]


def test_a_chart_with_a_year_missing_pairs_nothing() -> None:
    doc = _chart_document()
    doc.blocks = doc.blocks[:4]
    doc.mentions = [m for m in doc.mentions if m.para_id != "b0005"]
    facts.run(doc)
    assert all(f.year_id is None for f in doc.facts)
