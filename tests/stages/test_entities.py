"""Entities stage: spaCy components, YEAR/MONEY mentions, linking, the Document API, scoring.

Every sentence here is written for the tests (no corpus text).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp.linking import _one_edit
from pipeline.nlp.names import name_key
from tools.evaluation.entities import score_entities
from pipeline.model import Block, Document, Entity, SourceInfo, Table
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.pipeline import build_nlp, tag_text
from pipeline.stages.entities import run


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def make_document(*texts: str, table: list[list[str]] | None = None) -> Document:
    doc = Document(doc_id="t", source=SourceInfo("t.pdf", "", 0))
    doc.blocks = [Block(f"b{i + 1}", "paragraph", text, i + 1, None, section_id="s1") for i, text in enumerate(texts)]
    if table:
        doc.tables = [Table("7", 9, (0, 0, 0, 0), len(table), len(table[0]), table)]
    return doc


def by_label(doc: Document, label: str) -> list[Entity]:
    return [e for e in doc.entities if e.label == label]


# --- spaCy components ---------------------------------------------------------------------------
def test_pipeline_components_are_registered(nlp):
    assert nlp.pipe_names == ["pipeline_years_money", "pipeline_orgs", "pipeline_programs", "pipeline_entity_spans"]


def test_spans_carry_type_value_and_fields(nlp):
    doc = nlp("令和2年度に桜川市は300万円以内の設備導入補助金を設けた。")
    labels = {span.label_: span for span in doc.spans["entities"]}
    assert set(labels) == {"YEAR", "MONEY", "ORG", "PROGRAM"}
    assert labels["YEAR"]._.value == 2020 and labels["YEAR"]._.fields["fiscal"] is True
    assert labels["MONEY"]._.value == 3_000_000 and labels["MONEY"]._.fields["bound"] == "max"
    assert labels["ORG"]._.type == "municipality"
    assert labels["PROGRAM"]._.type == "subsidy"
    assert all(span.label_ in ("YEAR", "MONEY", "ORG", "PROGRAM") for span in doc.ents)


def test_doc_ents_hold_outermost_mentions_only(nlp):
    doc = nlp("経済産業省新素材開発補助金を受けた。")
    assert [e.text for e in doc.ents] == ["経済産業省新素材開発補助金"]
    assert {s.text for s in doc.spans["entities"]} == {"経済産業省新素材開発補助金", "経済産業省"}


# --- YEAR and MONEY -----------------------------------------------------------------------------
def test_year_and_money_values(nlp):
    rows = tag_text("平成30年度から2021年まで、約3億5千万円を投じ、▲200万円の赤字となった。", nlp)
    years = sorted(r["value"] for r in rows if r["label"] == "YEAR")
    money = {r["text"]: r for r in rows if r["label"] == "MONEY"}
    assert years == [2018, 2021]
    assert money["約3億5千万円"]["value"] == 350_000_000 and money["約3億5千万円"]["fields"]["approx"] is True
    assert money["▲200万円"]["value"] == -2_000_000


def test_bare_years_in_parentheses_and_titles(nlp):
    values = {r["value"] for r in tag_text("研究開発補助金（2019）を受け、Expo Award 2021 を受賞した。", nlp) if r["label"] == "YEAR"}
    assert values == {2019, 2021}


def test_era_misprint_is_never_money(nlp):
    rows = tag_text("（令和3 円経済調査）による。", nlp)
    assert [r for r in rows if r["label"] == "MONEY"] == []


def test_durations_are_not_years(nlp):
    assert [r for r in tag_text("5年間で30年ぶりの成果を得た。", nlp) if r["label"] == "YEAR"] == []


def test_table_cells_without_yen_are_not_money(nlp):
    doc = make_document("売上は増えた。", table=[["区分", "売上（億円）"], ["合計", "12.5"], ["資本金", "3,000万円"]])
    run(doc, nlp=nlp)
    assert [e.value for e in by_label(doc, "MONEY")] == [30_000_000]
    mention = next(m for m in doc.mentions if m.label == "MONEY")
    assert mention.source == "table" and mention.para_id == "T7:r2c1" and mention.page == 9


# --- linking ------------------------------------------------------------------------------------
def test_parenthetical_abbreviation_links_every_later_mention(nlp):
    doc = make_document(
        "北国先端材料センター（NAMC）を設立した。",
        "その後、NAMCは事業を広げ、ＮＡＭＣの会員は増えた。",
    )
    run(doc, nlp=nlp)
    orgs = by_label(doc, "ORG")
    assert len(orgs) == 1
    assert orgs[0].name == "北国先端材料センター"
    assert set(orgs[0].aliases) == {"NAMC", "ＮＡＭＣ"}
    assert orgs[0].mentions == 4  # the name, the abbreviation in parentheses, NAMC, ＮＡＭＣ


def test_legal_form_variants_are_one_company(nlp):
    doc = make_document("ヤマセ工業株式会社が受注した。", "株式会社ヤマセ工業は増産した。", "ヤマセ工業の工場がある。")
    run(doc, nlp=nlp)
    companies = by_label(doc, "ORG")
    assert len(companies) == 1 and companies[0].mentions == 3


def test_short_names_of_public_bodies_link_to_the_official_name(nlp):
    doc = make_document("経産省と文部科学省が連携した。", "経済産業省は予算を付けた。", "つばさ信金も協力した。")
    run(doc, nlp=nlp)
    names = {e.name: e for e in by_label(doc, "ORG")}
    assert names["経済産業省"].mentions == 2 and "経産省" in names["経済産業省"].aliases
    assert "つばさ信用金庫" in names  # X信金 → X信用金庫


def test_name_key_normalizes_width_spacing_and_legal_forms():
    assert name_key("ＡＢＣ 株式会社") == name_key("株式会社ABC") == name_key("ABC") == "ABC"
    assert name_key("エコライト社") == "エコライト"
    assert name_key("みなと信金") == "みなと信用金庫"


def test_years_are_one_entity_per_year_and_fiscal_flag(nlp):
    doc = make_document("2019年度と令和元年度、2019年に実施した。")
    run(doc, nlp=nlp)
    years = {(e.value, e.fiscal): e for e in by_label(doc, "YEAR")}
    assert set(years) == {(2019, True), (2019, False)}
    assert years[(2019, True)].mentions == 2


def test_entity_ids_follow_first_mention_and_mentions_point_back(nlp):
    doc = make_document("青森市は2020年に交流事業を始めた。", "青森市の人口は減った。")
    run(doc, nlp=nlp)
    assert [e.entity_id for e in doc.entities] == [f"E{i:04d}" for i in range(1, len(doc.entities) + 1)]
    assert doc.entities[0].name == "青森市" and doc.entities[0].first_page == 1
    city = [m for m in doc.mentions if m.entity_id == "E0001"]
    assert [(m.para_id, m.page, m.section_id, m.source) for m in city] == [("b1", 1, "s1", "paragraph"),
                                                                             ("b2", 2, "s1", "paragraph")]
    for mention in doc.mentions:
        block = next(b for b in doc.blocks if b.block_id == mention.para_id)
        assert block.text[mention.char_start:mention.char_end] == mention.text


def test_sentence_index_of_mentions(nlp):
    doc = make_document("前文である。次に白浜町が続く。")
    run(doc, nlp=nlp)
    mention = next(m for m in doc.mentions if m.text == "白浜町")
    assert mention.sentence == 1


def test_labels_can_be_limited(nlp):
    doc = make_document("2020年に青森市は100万円を出した。")
    config = EntityConfig(labels=("YEAR",))
    run(doc, config, build_nlp(config))
    assert {e.label for e in doc.entities} == {"YEAR"}


def test_tag_text_offsets_are_in_the_whole_text(nlp):
    text = "前置きの段落。\n\n2020年に青森市が動いた。"
    rows = tag_text(text, nlp)
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
    assert {r["label"] for r in rows} == {"YEAR", "ORG"}


# --- robustness ---------------------------------------------------------------------------------
_JAPANESE = st.text(
    alphabet=st.sampled_from(list("市町村県省局庁銀行大学株式会社年度円億万千百十（）「」、。・ 　\n0123456789０１２ABCａｂ本同補助金事業法計画平成令和約以内▲々ー")),
    max_size=80,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_JAPANESE, st.text(max_size=60)))
def test_recognizers_never_crash(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    for span in doc.spans["entities"]:
        fields = span._.fields
        assert 0 <= fields["start"] < fields["end"] <= len(text)
        assert text[fields["start"]:fields["end"]] == fields["text"]
    rows = tag_text(text, nlp)
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]


# --- scoring ------------------------------------------------------------------------------------
def test_score_entities_by_surface_sets_and_values():
    predicted = [
        Entity("E1", "ORG", "company", "ＡＢＣ 株式会社", aliases=["ABC"]),
        Entity("E2", "ORG", "company", "誤検出"),
        Entity("E3", "YEAR", None, "2014年", value=2014),
        Entity("E4", "MONEY", None, "1億円", value=100_000_000),
    ]
    gold = {
        "ORG": [{"name": "ABC株式会社", "aliases": []}, {"name": "見逃し", "aliases": []}],
        "PROGRAM": [],
        "YEAR": [{"value": 2014}, {"value": 2015}],
        "MONEY": [{"value_yen": 100_000_000}, {"value_yen": None}],
    }
    scores = score_entities(predicted, gold)
    assert scores["ORG"]["precision"] == 0.5 and scores["ORG"]["recall"] == 0.5
    assert scores["ORG"]["missed"] == ["見逃し"] and scores["ORG"]["spurious"] == ["誤検出"]
    assert scores["YEAR"]["recall"] == 0.5 and scores["YEAR"]["missed"] == [2015]
    assert scores["MONEY"]["f1"] == 1.0
    assert scores["PROGRAM"]["f1"] == 0.0 or scores["PROGRAM"]["n_gold"] == 0


def test_bench_reports_tokens_per_second():
    from tools.bench_nlp import bench_nlp

    report = bench_nlp(["青森市は2020年に100万円を支出した。"] * 3, runs=1)
    assert report["tokens"] > 0 and report["tokens_per_second"] > 0


def test_latin_names_differing_in_a_digit_are_not_one_typo() -> None:
    assert _one_edit("SKYLINE PLAN 2024", "SKYLINE PLAN 2025") is False
    assert _one_edit("HOKURIKU SMART PROJECT", "HOKURIK SMART PROJECT") is True


def test_same_amount_with_different_qualifiers_are_different_entities() -> None:
    doc = Document(doc_id="d", source=SourceInfo("d.txt", "0" * 64, 0, kind="txt"))
    doc.blocks.append(Block("b0001", "paragraph", "補助額は約300万円で、上限は300万円以内とする。", 1, None))
    config = EntityConfig()
    run(doc, config, build_nlp(config))
    money = [e for e in doc.entities if e.label == "MONEY"]
    assert sorted((e.value, e.approx, e.bound) for e in money) == [(3_000_000, False, "max"), (3_000_000, True, None)]



def test_every_legal_form_of_the_suffix_list_is_left_out_of_name_keys() -> None:
    """The comparison keys use the legal forms of data/org_suffixes.csv (医療法人 included), and
    the key-only abbreviation (特非)."""
    assert name_key("医療法人さくら会") == name_key("さくら会")
    assert name_key("(特非)みどりの会") == name_key("みどりの会")


def test_a_key_only_legal_form_does_not_find_names() -> None:
    rows = tag_text("(特非)みどりの会が参加した。")
    assert not any(r["text"].startswith("(特非)") for r in rows)
