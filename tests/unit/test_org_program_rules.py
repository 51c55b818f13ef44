"""ORG and PROGRAM recognizers on sentences written for these tests (no corpus text).

Names are made up where they can be (ひばり精工, 北斗メディカル…); real public bodies and
municipalities come from the general gazetteers.
"""

from __future__ import annotations

import pytest

from pipeline.nlp.gazetteer import trie_regex
from pipeline.nlp.textview import compact
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.pipeline import build_nlp, tag_text


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def found(nlp, text: str, label: str | None = None) -> dict[str, str | None]:
    """surface → type of every mention (of ``label``) in ``text``."""
    return {r["text"]: r["type"] for r in tag_text(text, nlp) if label is None or r["label"] == label}


# --- ORG ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "org_type"),
    [
        ("福岡県と北九州市が協定を結んだ。", "福岡県", "prefecture"),
        ("福岡県と北九州市が協定を結んだ。", "北九州市", "municipality"),
        ("国土交通省の支援を受けた。", "国土交通省", "national_gov"),
        ("文科省の委託である。", "文科省", "national_gov"),
        ("東北農政局が公表した。", "東北農政局", "gov_agency"),
        ("みなと信用金庫が融資した。", "みなと信用金庫", "bank"),
        ("第九銀行が融資した。", "第九銀行", "bank"),
        ("東海大学と協力した。", "東海大学", "university"),
        ("桜台大学理工学部が参加した。", "桜台大学理工学部", "university"),
        ("県立産業技術研究所で試験した。", "県立産業技術研究所", "research_institute"),
        ("株式会社ひばり精工が受注した。", "株式会社ひばり精工", "company"),
        ("北斗メディカル株式会社が受注した。", "北斗メディカル株式会社", "company"),
        ("ひばり精工が受注した。", "ひばり精工", "company"),
        ("グラナダテック社が開発した。", "グラナダテック社", "company"),
        ("部品は坂巻製作所が作った。", "坂巻製作所", "company"),
        ("公益財団法人みどり市振興財団が運営する。", "公益財団法人みどり市振興財団", "foundation"),
        ("海浜地域産業振興協議会を設立した。", "海浜地域産業振興協議会", "association"),
        ("札幌空港から出発した。", "札幌空港", "other"),
    ],
)
def test_org_examples(nlp, text, surface, org_type):
    orgs = found(nlp, text, "ORG")
    assert surface in orgs, orgs
    assert orgs[surface] == org_type


@pytest.mark.parametrize(
    "text",
    [
        "金融機関の融資を受けた。",
        "中小企業の支援が課題である。",
        "大手電機メーカーが発注した。",
        "同社は本社を移した。",
        "地方都市の人口が減った。",
        "国内の大学と連携した。",
        "金属工業が盛んである。",
        "サービス産業が伸びている。",
        "24時間コールセンターを設置した。",
        "管轄の労働局長に申請する。",
        "6社が入居した。",
        "それぞれの営業所に置く。",
        "個人、特例有限会社、企業組合が対象である。",
        "株式会社、有限会社、合同会社を含む。",
    ],
)
def test_generic_nouns_are_not_orgs(nlp, text):
    assert found(nlp, text, "ORG") == {}


def test_enumerated_names_take_the_type_of_their_neighbours(nlp):
    orgs = found(nlp, "取引先は大和製作所、ミナトテック、浜野精密などである。", "ORG")
    assert {"大和製作所", "ミナトテック", "浜野精密"} <= set(orgs)
    assert orgs["ミナトテック"] == "company"


def test_category_noun_after_a_list_makes_organizations(nlp):
    orgs = found(nlp, "サンマート、あおば屋など大手チェーン店と取引がある。", "ORG")
    assert {"サンマート", "あおば屋"} <= set(orgs)


def test_description_in_parentheses(nlp):
    assert "カワセミ" in found(nlp, "装置をカワセミ（地元の食品メーカー）に納めた。", "ORG")


def test_municipality_pattern_next_to_known_municipalities(nlp):
    orgs = found(nlp, "新庄市、鮭川村、真室町が合併した。", "ORG")
    assert {"新庄市", "鮭川村"} <= set(orgs)


def test_ward_of_a_designated_city(nlp):
    orgs = found(nlp, "工場は静岡市清水区にある。", "ORG")
    assert orgs.get("静岡市清水区") == "municipality"


def test_mayor_fused_with_city_still_names_the_city(nlp):
    assert "松江市" in found(nlp, "松江市長が表明した。", "ORG")


# --- PROGRAM -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "program_type"),
    [
        ("設備導入補助金を活用した。", "設備導入補助金", "subsidy"),
        ("販路開拓補助金創設の年である。", "販路開拓補助金", "subsidy"),
        ("地方創生推進交付金を獲得した。", "地方創生推進交付金", "grant"),
        ("雇用調整助成金を受給した。", "雇用調整助成金", "subsidy"),
        ("地域産業振興法に基づく。", "地域産業振興法", "law"),
        ("観光振興基本計画を策定した。", "観光振興基本計画", "plan"),
        ("販路開拓支援事業を実施した。", "販路開拓支援事業", "project"),
        ("「みらい農業プロジェクト」が始まった。", "みらい農業プロジェクト", "project"),
        ("HOKURIKU SMART PROJECT に参加した。", "HOKURIKU SMART PROJECT", "project"),
        ("地域おこし協力隊の受入れを増やす。", "地域おこし協力隊", "project"),
        ("同地区は国家戦略特区に指定された。", "国家戦略特区", "designation"),
    ],
)
def test_program_examples(nlp, text, surface, program_type):
    programs = found(nlp, text, "PROGRAM")
    assert surface in programs, programs
    assert programs[surface] == program_type


@pytest.mark.parametrize(
    "text",
    [
        "本事業の目的を述べる。",
        "新事業を立ち上げた。",
        "補助金を受けた。",
        "基本計画を策定した。",
        "委託事業を受けた。",
        "調査プロジェクトに参加した。",
        "熱処理法を改良した。",
        "資金繰り計画を見直した。",
        "市の補助制度を使った。",
        "「補助対象事業」の要件を満たす。",
        "「4.補助対象経費」を参照。",
        "「賃金の計算及び支払の方法」を定める。",
    ],
)
def test_generic_phrases_are_not_programs(nlp, text):
    assert found(nlp, text, "PROGRAM") == {}


def test_quoted_law_title_and_coined_project_name(nlp):
    programs = found(nlp, "「地域の産業の振興に関する法律」と「きらりプロジェクト」がある。", "PROGRAM")
    assert programs.get("地域の産業の振興に関する法律") == "law"
    assert programs.get("きらりプロジェクト") == "project"


def test_city_subsidy_is_whose_not_which(nlp):
    assert found(nlp, "松江市補助金を受けた。", "PROGRAM") == {}


def test_program_name_with_particles_in_quotes(nlp):
    programs = found(nlp, "「若手人材の定着と育成促進事業」を実施した。", "PROGRAM")
    assert "若手人材の定着と育成促進事業" in programs


def test_list_item_that_is_only_a_program_name(nlp):
    from pipeline.model import Block, Document, SourceInfo
    from pipeline.stages.entities import run

    doc = Document("d", SourceInfo("d", "", 0))
    doc.blocks = [Block("b1", "list_item", "若手と熟練者とのネットワーク構築支援事業", 1, None)]
    run(doc, nlp=nlp)
    assert [e.name for e in doc.entities if e.label == "PROGRAM"] == ["若手と熟練者とのネットワーク構築支援事業"]


def test_ordinal_and_year_in_front_are_not_part_of_the_name(nlp):
    programs = found(nlp, "令和5年度地域活性化交付金を得た。", "PROGRAM")
    assert "地域活性化交付金" in programs


# --- laws, guidelines and variants ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "program_type"),
    [
        ("建設業法第３条の許可を受けた者", "建設業法", "law"),
        ("食品営業法に基づく届出", "食品営業法", "law"),
        ("環境基本法上の事業者", "環境基本法", "law"),
        ("民法上の組合である。", "民法", "law"),
        ("会社法に規定する会社", "会社法", "law"),
        ("地方税法施行令第13条に定める資産", "地方税法施行令", "law"),
        ("森林の保全と木材の利用の促進に関する法律に基づき", "森林の保全と木材の利用の促進に関する法律", "law"),
        ("職業生活における家族の支援の推進に関する法律を踏まえ", "職業生活における家族の支援の推進に関する法律", "law"),
        ("地方の財政基盤および行政機能の強化等のための地方自治法等の一部を改正する法律",
         "地方の財政基盤および行政機能の強化等のための地方自治法等の一部を改正する法律", "law"),
        ("行政文書における外部サービスの利用に係る基本方針に従う。", "行政文書における外部サービスの利用に係る基本方針", "other"),
        ("クールビズ制度への対応", "クールビズ制度", "other"),
        ("地域みなと補助金＜創業型＞の申請", "地域みなと補助金＜創業型＞", "subsidy"),
        ("デジタル導入補助金2024の公募", "デジタル導入補助金2024", "subsidy"),
        ("若手人材定着支援コースを新設した。", "若手人材定着支援コース", "subsidy"),
        ("取引適正化推進宣言を公表した。", "取引適正化推進宣言", "other"),
        ("研究データ利活用ポリシーに則り", "研究データ利活用ポリシー", "other"),
        ("地域技術革新支援事業（Go-Local事業）に採択された。", "Go-Local事業", "project"),
        ("「別紙3：観光データ利活用ポリシー」を参照。", "観光データ利活用ポリシー", "other"),
    ],
)
def test_law_guideline_and_variant_examples(nlp, text, surface, program_type):
    programs = found(nlp, text, "PROGRAM")
    assert surface in programs, programs
    assert programs[surface] == program_type


@pytest.mark.parametrize(
    ("text", "not_a_program"),
    [
        ("熱処理法による硬化", "熱処理法"),
        ("個別法に基づく手続", "個別法"),
        ("税法上の扱い", "税法"),
        ("本事業に関する指針を示す。", "本事業に関する指針"),
        ("ポイント制度を設けた。", "ポイント制度"),
        ("経済省所管法律の一覧", "経済省所管法律"),
        ("販売計画兼設備投資計画を作る。", "販売計画兼設備投資計画"),
        ("地域活性補助金事業の実施", "地域活性補助金事業"),
    ],
)
def test_generic_laws_and_descriptions_are_not_programs(nlp, text, not_a_program):
    assert not_a_program not in found(nlp, text, "PROGRAM")


def test_a_subsidy_run_as_a_project_is_the_subsidy(nlp):
    assert "地域活性補助金" in found(nlp, "地域活性補助金事業の実施", "PROGRAM")


def test_owner_before_a_space_is_not_part_of_the_program(nlp):
    programs = found(nlp, "海浜科学技術機構 材料情報統合イニシアティブの成果", "PROGRAM")
    assert "材料情報統合イニシアティブ" in programs, programs


# --- helpers -----------------------------------------------------------------------------------
def test_trie_regex_prefers_the_longest_name():
    import re

    pattern = re.compile(trie_regex(["大和", "大和郡山市", "郡山市"]))
    assert pattern.findall("大和郡山市と大和と郡山市") == ["大和郡山市", "大和", "郡山市"]


def test_compact_removes_spaces_next_to_cjk_but_keeps_latin_word_spaces():
    key, positions = compact("岐阜 県 ABC DEF 2 兆円")
    assert key == "岐阜県ABC DEF 2兆円"
    assert positions is not None and positions[2] == 3


def test_context_rules_can_be_turned_off():
    nlp = build_nlp(EntityConfig(context_rules=False))
    assert "ミナトテック" not in found(nlp, "取引先は大和製作所、ミナトテック、浜野精密などである。", "ORG")


# --- ORG: lists, bureaus, national networks, foreign bodies (issue 10) -------------------------
@pytest.mark.parametrize(
    ("text", "surface", "org_type"),
    [
        # ministries named only by an ordinance number
        ("平成30年総務省・環境省令第2号で定める。", "環境省", "national_gov"),
        ("昭和45年運輸省令第9号による。", "運輸省", "national_gov"),
        # a bureau written after its ministry and a space; the section after it is dropped
        ("問合せ先：総務省 自治行政局 地域振興室", "自治行政局", "gov_agency"),
        ("問合せ先：中部地方整備局 企画部 広報室", "中部地方整備局", "gov_agency"),
        # national networks and statutory bodies without a place name
        ("最寄りの地域若者サポートステーションにご相談ください。", "地域若者サポートステーション", "other"),
        ("産業保健総合支援センターで相談を受けます。", "産業保健総合支援センター", "other"),
        ("事業承継・引継ぎ支援センターに相談できます。", "事業承継・引継ぎ支援センター", "other"),
        ("北陸地方整備局長賞を受賞した。", "北陸地方整備局", "gov_agency"),  # an award of the bureau
        # foreign governments and international bodies
        ("ノルウェー政府が発表した。", "ノルウェー政府", "foreign_gov"),
        ("カナダ保健省と協定を結んだ。", "カナダ保健省", "foreign_gov"),
        ("ＷＨＯの報告書によれば", "ＷＨＯ", "international"),
        ("英国王立工学アカデミーが表彰した。", "英国王立工学アカデミー", "association"),
        # Latin names with a Latin legal form or body word
        ("Northwind Labs Inc.と提携した。", "Northwind Labs Inc.", "company"),
        ("Harbor Bay Foundationが助成した。", "Harbor Bay Foundation", "other"),
        # a listed body and its institute as one name
        ("人間文化研究機構国立国語研究所が公開した。", "人間文化研究機構国立国語研究所", "research_institute"),
        # a job title after the company is not part of its name
        ("ひばり精工株式会社 代表取締役 山田太郎", "ひばり精工株式会社", "company"),
        ("株式会社ひばり精工代表取締役の山田氏", "株式会社ひばり精工", "company"),
    ],
)
def test_org_examples_lists_bureaus_and_networks(nlp, text, surface, org_type):
    orgs = found(nlp, text, "ORG")
    assert surface in orgs, orgs
    assert orgs[surface] == org_type


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("事業の合同会社化を検討する。", "合同会社化"),
        ("合同会社以外の法人も対象です。", "合同会社以外"),
        ("注・合同会社の場合は定款を添付", "注・合同会社"),
        ("問合せ先：総務省 自治行政局 地域振興室", "地域振興室"),
        ("経済産業省産業人材課まで", "経済産業省産業人材課"),
        ("労働局長の許可を受けた場合", "労働局"),
        ("経済産業大臣が定める", "経済産業省"),
        ("対象：造園組合 理容組合 酪農協同組合連合会 です", "理容組合 酪農協同組合連合会"),
        ("https://example.jp/news/1.html株式会社ひばり精工", "html株式会社"),
        ("The Foundation is", "The Foundation"),
    ],
)
def test_org_non_names(nlp, text, not_a_name):
    assert not_a_name not in found(nlp, text, "ORG")


def test_municipal_section_keeps_its_city(nlp):
    # a city's section is an actor (unlike a national bureau's section, a contact address)
    rows = [r for r in tag_text("担当：松江市 観光振興課", nlp) if r["label"] == "ORG"]
    assert [(r["text"], r["name"]) for r in rows] == [("松江市 観光振興課", "松江市観光振興課")]


def test_names_are_width_folded_and_legal_forms_spelled_out(nlp):
    rows = tag_text("（株）ひばり精工と㈱ひばり精工が応募した。ＮＯＲＤ社とNORD社。２００万円と200万円。", nlp)
    names = {r["text"]: r["name"] for r in rows}
    assert names["（株）ひばり精工"] == names["㈱ひばり精工"] == "株式会社ひばり精工"
    assert names["ＮＯＲＤ社"] == names["NORD社"] == "NORD社"
    assert names["２００万円"] == names["200万円"] == "200万円"
    # one entity each: the printed spellings are mentions of the same name
    ids = {r["text"]: r["entity_id"] for r in rows}
    assert ids["（株）ひばり精工"] == ids["㈱ひばり精工"]
    assert ids["２００万円"] == ids["200万円"]
